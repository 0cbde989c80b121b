//! Reading one workloads file: its size limit, JSON or YAML told apart by content, its
//! documents, and the typed model of the only fields the Kubernetes and Azure shapes are read
//! from. serde skips every other field (`status`, `managedFields`, `env`, ...), so memory holds
//! what the workload lines need, not the file's objects.
//!
//! Sniffing: a file whose first character that is not white space (after a UTF-8 byte-order
//! mark) is `{` or `[` is JSON — one value, or several one after the other as `kubectl get -o
//! json` run repeatedly into one file writes them; anything else is YAML, one or more documents
//! separated by `---`. Each document is a Kubernetes object or list, an Azure resource, or an
//! array of them (`az ... list -o json`); an empty YAML document is skipped.
//!
//! JSON is read by the fast path of `json`, in chunks, straight into the typed model; where it
//! gives up, the objects it gave are taken back ([`Given::Restart`]) and serde_json reads the
//! whole file, so that serde_json decides every value and every error (with its line and
//! column). YAML is read whole and built into pruned values by `yaml`, then into the same model.
//! One model for both: the strings of the model ([`Text`]) are borrowed from the file's bytes
//! where the reader can lend them, else owned.

use super::json;
use super::kubernetes::{self, Prepared};
use super::yaml::{self, Limits};
use super::{MAX_DOCUMENTS, MAX_NESTING, MAX_WORKLOADS_FILE_BYTES, MAX_YAML_NODES, Problem};
use notaverify::{Error, loader};
use serde::Deserialize;
use serde::de::value::{MapAccessDeserializer, SeqAccessDeserializer};
use serde::de::{self, Deserializer, MapAccess, SeqAccess, Visitor};
use std::borrow::Cow;
use std::io::Read;
use std::marker::PhantomData;
use std::path::Path;

/// Every mapping key the model below reads; the YAML reader skips the values of other keys.
const KEYS: &[&str] = &[
    "apiVersion",
    "kind",
    "metadata",
    "name",
    "generateName",
    "namespace",
    "uid",
    "ownerReferences",
    "controller",
    "spec",
    "template",
    "jobTemplate",
    "containers",
    "initContainers",
    "ephemeralContainers",
    "image",
    "items",
    "id",
    "type",
    "resourceGroup",
    "properties",
    "siteConfig",
    "linuxFxVersion",
    "windowsFxVersion",
    "isMain",
];

/// A string of the model: borrowed from the file where the reader can (JSON strings without
/// escapes, on the fast path), else owned. Read as serde reads a `String` (the same errors).
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub(super) struct Text<'a>(pub Cow<'a, str>);

impl<'a> Text<'a> {
    /// The text, borrowed or owned as read.
    pub(super) fn into_cow(self) -> Cow<'a, str> {
        self.0
    }

    /// The text, owned.
    pub(super) fn into_string(self) -> String {
        self.0.into_owned()
    }
}

impl std::ops::Deref for Text<'_> {
    type Target = str;

    fn deref(&self) -> &str {
        &self.0
    }
}

impl<'de: 'a, 'a> Deserialize<'de> for Text<'a> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct TextVisitor;
        impl<'de> Visitor<'de> for TextVisitor {
            type Value = Cow<'de, str>;

            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                // As serde's `String` says it.
                f.write_str("a string")
            }

            fn visit_borrowed_str<E: de::Error>(self, v: &'de str) -> Result<Self::Value, E> {
                Ok(Cow::Borrowed(v))
            }

            fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
                Ok(Cow::Owned(v.to_owned()))
            }

            fn visit_string<E: de::Error>(self, v: String) -> Result<Self::Value, E> {
                Ok(Cow::Owned(v))
            }

            fn visit_bytes<E: de::Error>(self, v: &[u8]) -> Result<Self::Value, E> {
                match std::str::from_utf8(v) {
                    Ok(s) => Ok(Cow::Owned(s.to_owned())),
                    Err(_) => Err(E::invalid_value(de::Unexpected::Bytes(v), &self)),
                }
            }

            fn visit_byte_buf<E: de::Error>(self, v: Vec<u8>) -> Result<Self::Value, E> {
                match String::from_utf8(v) {
                    Ok(s) => Ok(Cow::Owned(s)),
                    Err(e) => Err(E::invalid_value(de::Unexpected::Bytes(&e.into_bytes()), &self)),
                }
            }
        }
        deserializer.deserialize_string(TextVisitor).map(Text)
    }
}

/// One object of a workloads file: the union of the fields of a Kubernetes object (or `List`)
/// and of an Azure resource as `az` prints it. Which one it is is decided by `shape`.
#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(super) struct Object<'a> {
    /// Kubernetes: `v1`, `apps/v1`, ...
    #[serde(borrow)]
    pub api_version: Option<Text<'a>>,
    /// Kubernetes: `Pod`, `Deployment`, `List`, ...; App Service: `app,linux,container`.
    #[serde(borrow)]
    pub kind: Option<Text<'a>>,
    /// Kubernetes.
    #[serde(borrow)]
    pub metadata: Option<Metadata<'a>>,
    /// Kubernetes.
    #[serde(borrow)]
    pub spec: Option<Spec<'a>>,
    /// Kubernetes `List`.
    #[serde(borrow)]
    pub items: Option<Items<'a>>,
    /// Azure resource id (`/subscriptions/…/resourceGroups/…/providers/…`).
    #[serde(borrow)]
    pub id: Option<Text<'a>>,
    /// Azure resource name.
    #[serde(borrow)]
    pub name: Option<Text<'a>>,
    /// Azure resource type (`Microsoft.App/containerApps`, `Microsoft.Web/sites`, ...).
    #[serde(rename = "type")]
    #[serde(borrow)]
    pub resource_type: Option<Text<'a>>,
    /// Azure resource group.
    #[serde(borrow)]
    pub resource_group: Option<Text<'a>>,
    /// Azure resource properties (the REST shape; `az containerapp` prints it).
    #[serde(borrow)]
    pub properties: Option<Properties<'a>>,
    /// App Service site configuration as `az webapp` prints it (flattened out of `properties`).
    #[serde(borrow)]
    pub site_config: Option<SiteConfig<'a>>,
    /// App Service site container (`az webapp sitecontainers`, flattened).
    #[serde(borrow)]
    pub image: Option<Text<'a>>,
    /// App Service site container: the main container, not a sidecar.
    pub is_main: Option<bool>,
}

/// The items of a Kubernetes `List`, each taken apart for the collector as it is read
/// (`kubernetes::prepare`; `None` for an item that is not a Kubernetes object), so that the
/// items of a large export are never all held as objects. Read as serde reads a `Vec` of
/// objects (the same errors).
#[derive(Debug)]
pub(super) struct Items<'a>(pub Vec<Option<Prepared<'a>>>);

impl<'de: 'a, 'a> Deserialize<'de> for Items<'a> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct ItemsVisitor<'a>(PhantomData<Items<'a>>);
        impl<'de: 'a, 'a> Visitor<'de> for ItemsVisitor<'a> {
            type Value = Items<'a>;

            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                // As serde's `Vec` says it.
                f.write_str("a sequence")
            }

            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Items<'a>, A::Error> {
                let mut items = Vec::new();
                while let Some(object) = seq.next_element::<Object<'a>>()? {
                    items.push(kubernetes::is_kubernetes(&object).then(|| kubernetes::prepare(object)));
                }
                Ok(Items(items))
            }
        }
        deserializer.deserialize_seq(ItemsVisitor(PhantomData))
    }
}

/// Kubernetes `metadata`.
#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(super) struct Metadata<'a> {
    /// Name.
    #[serde(borrow)]
    pub name: Option<Text<'a>>,
    /// Name prefix of an object not created yet (a manifest).
    #[serde(borrow)]
    pub generate_name: Option<Text<'a>>,
    /// Namespace.
    #[serde(borrow)]
    pub namespace: Option<Text<'a>>,
    /// Unique id.
    #[serde(borrow)]
    pub uid: Option<Text<'a>>,
    /// Owners.
    #[serde(borrow)]
    pub owner_references: Option<Vec<OwnerReference<'a>>>,
}

/// Kubernetes `metadata.ownerReferences[]`.
#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(super) struct OwnerReference<'a> {
    /// Owner's kind.
    #[serde(borrow)]
    pub kind: Option<Text<'a>>,
    /// Owner's name (same namespace).
    #[serde(borrow)]
    pub name: Option<Text<'a>>,
    /// Owner's uid.
    #[serde(borrow)]
    pub uid: Option<Text<'a>>,
    /// The managing controller.
    pub controller: Option<bool>,
}

/// A Kubernetes `spec`: a pod spec's container lists, a workload's pod `template`, or a
/// CronJob's `jobTemplate` (whose `spec` has the `template`). One type for all, since serde
/// ignores the fields a kind does not have.
#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(super) struct Spec<'a> {
    /// Pod spec.
    #[serde(borrow)]
    pub containers: Option<Vec<Container<'a>>>,
    /// Pod spec.
    #[serde(borrow)]
    pub init_containers: Option<Vec<Container<'a>>>,
    /// Pod spec.
    #[serde(borrow)]
    pub ephemeral_containers: Option<Vec<Container<'a>>>,
    /// Workload spec: the pod template.
    #[serde(borrow)]
    pub template: Option<Box<Template<'a>>>,
    /// CronJob spec: the job template.
    #[serde(borrow)]
    pub job_template: Option<Box<Template<'a>>>,
}

/// A Kubernetes pod template or job template.
#[derive(Debug, Default, Deserialize)]
pub(super) struct Template<'a> {
    /// Its spec.
    #[serde(borrow)]
    pub spec: Option<Spec<'a>>,
}

/// A container (Kubernetes, Container Apps).
#[derive(Debug, Default, Deserialize)]
pub(super) struct Container<'a> {
    /// Name.
    #[serde(borrow)]
    pub name: Option<Text<'a>>,
    /// Image reference.
    #[serde(borrow)]
    pub image: Option<Text<'a>>,
}

/// Azure `properties`.
#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(super) struct Properties<'a> {
    /// Container Apps (and jobs): `properties.template`.
    #[serde(borrow)]
    pub template: Option<AppTemplate<'a>>,
    /// App Service in the REST shape (`az resource show`).
    #[serde(borrow)]
    pub site_config: Option<SiteConfig<'a>>,
    /// App Service site container in the REST shape.
    #[serde(borrow)]
    pub image: Option<Text<'a>>,
    /// App Service site container in the REST shape.
    pub is_main: Option<bool>,
}

/// Container Apps `properties.template`.
#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(super) struct AppTemplate<'a> {
    /// Containers.
    #[serde(borrow)]
    pub containers: Option<Vec<Container<'a>>>,
    /// Init containers.
    #[serde(borrow)]
    pub init_containers: Option<Vec<Container<'a>>>,
}

/// App Service `siteConfig`.
#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(super) struct SiteConfig<'a> {
    /// `DOCKER|image`, `sitecontainers`, or a language stack (`PYTHON|3.12`).
    #[serde(borrow)]
    pub linux_fx_version: Option<Text<'a>>,
    /// `DOCKER|image` or a language stack.
    #[serde(borrow)]
    pub windows_fx_version: Option<Text<'a>>,
}

/// A document: nothing (an empty YAML document), one object, or an array of objects.
#[derive(Debug)]
enum Document<'a> {
    Empty,
    One(Box<Object<'a>>),
    Many(Vec<Object<'a>>),
}

impl<'de> Deserialize<'de> for Document<'de> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(DocumentVisitor)
    }
}

struct DocumentVisitor;

impl<'de> Visitor<'de> for DocumentVisitor {
    type Value = Document<'de>;

    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("a Kubernetes object or List, an Azure resource, or an array of them")
    }

    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Document<'de>, A::Error> {
        Object::deserialize(MapAccessDeserializer::new(map)).map(|o| Document::One(Box::new(o)))
    }

    fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<Document<'de>, A::Error> {
        Vec::<Object<'_>>::deserialize(SeqAccessDeserializer::new(seq)).map(Document::Many)
    }

    fn visit_unit<E: de::Error>(self) -> Result<Document<'de>, E> {
        Ok(Document::Empty)
    }

    fn visit_none<E: de::Error>(self) -> Result<Document<'de>, E> {
        Ok(Document::Empty)
    }
}

/// The size of `path` if it is a regular file of at most [`MAX_WORKLOADS_FILE_BYTES`].
pub(super) fn check(path: &Path) -> Result<u64, Problem> {
    open(path).map(|(_, len)| len)
}

/// Opens `path` by the loader's one file rule (a regular file, not a symlink) and checks its size.
fn open(path: &Path) -> Result<(std::fs::File, u64), Problem> {
    let file = loader::open_file(path, "workloads file").map_err(|e| {
        Problem::Unreadable(match e {
            Error::Load { reason, .. } => reason,
            other => other.to_string(),
        })
    })?;
    let len = file.metadata().map_err(|e| Problem::Unreadable(e.to_string()))?.len();
    if len > MAX_WORKLOADS_FILE_BYTES {
        return Err(Problem::TooLarge { limit: MAX_WORKLOADS_FILE_BYTES });
    }
    Ok((file, len))
}

/// Reads a regular file of at most [`MAX_WORKLOADS_FILE_BYTES`] (also when it grows after
/// [`check`]).
pub(super) fn read(path: &Path) -> Result<Vec<u8>, Problem> {
    let (file, size) = open(path)?;
    // Sized up front: no copy as the buffer grows.
    let mut bytes = Vec::with_capacity(usize::try_from(size).unwrap_or(0).saturating_add(1));
    file.take(MAX_WORKLOADS_FILE_BYTES + 1).read_to_end(&mut bytes).map_err(|e| Problem::Unreadable(e.to_string()))?;
    if bytes.len() as u64 > MAX_WORKLOADS_FILE_BYTES {
        return Err(Problem::TooLarge { limit: MAX_WORKLOADS_FILE_BYTES });
    }
    Ok(bytes)
}

/// What [`for_each_object_in_file`] gives.
#[cfg_attr(not(test), allow(dead_code))] // The document index: the tests read it.
#[allow(clippy::large_enum_variant)] // Objects are moved once each; `Restart` is rare.
pub(super) enum Given<'a> {
    /// A top-level object (an item of a top-level array is one), with its document's (1-based)
    /// index.
    Object(usize, Object<'a>),
    /// Forget every object given so far: the file is read again from its start (the fast JSON
    /// path gave up on it; serde_json decides).
    Restart,
}

/// Calls `each` with every top-level object of the workloads file at `path` (the items of a
/// top-level array one by one, with the array's document index). Returns the number of
/// documents. Errors carry the document index when there is one. A JSON file is read in
/// chunks; a YAML file (and a JSON file the fast path gives up on: [`Given::Restart`]) is read
/// whole into `storage`, which the objects may borrow from.
pub(super) fn for_each_object_in_file<'a>(
    path: &Path,
    storage: &'a mut Vec<u8>,
    each: &mut dyn FnMut(Given<'a>) -> Result<(), Problem>,
) -> Result<usize, (Option<usize>, Problem)> {
    let (file, _) = open(path).map_err(|p| (None, p))?;
    let mut source = file.take(MAX_WORKLOADS_FILE_BYTES + 1);
    documents(&mut source, json::CHUNK, Whole::File(path, storage), each)
}

/// Where the whole content of a source is, when it is needed.
enum Whole<'p, 'a> {
    /// In memory.
    #[cfg(test)]
    Bytes(&'a [u8]),
    /// A file, to be read into the storage.
    File(&'p Path, &'a mut Vec<u8>),
}

impl<'a> Whole<'_, 'a> {
    fn bytes(self) -> Result<&'a [u8], Problem> {
        match self {
            #[cfg(test)]
            Whole::Bytes(bytes) => Ok(bytes),
            Whole::File(path, storage) => {
                *storage = read(path)?;
                let storage: &'a Vec<u8> = storage;
                Ok(storage)
            }
        }
    }
}

/// The documents of `source` (whose whole content `whole` gives, for the YAML and serde_json
/// paths), as [`for_each_object_in_file`] reads them.
fn documents<'a>(
    source: &mut dyn Read,
    chunk: usize,
    whole: Whole<'_, 'a>,
    each: &mut dyn FnMut(Given<'a>) -> Result<(), Problem>,
) -> Result<usize, (Option<usize>, Problem)> {
    const BOM: &[u8] = b"\xEF\xBB\xBF";
    let unreadable = |e: std::io::Error| (None, Problem::Unreadable(e.to_string()));
    // The start, up to its first character that is not white space.
    let mut head = Vec::with_capacity(chunk);
    let first = loop {
        let content = head.strip_prefix(BOM).unwrap_or(&head[..]);
        if let Some(&b) = content.iter().find(|b| !b.is_ascii_whitespace()) {
            break Some(b);
        }
        let n = (&mut *source).take(chunk as u64).read_to_end(&mut head).map_err(unreadable)?;
        if n == 0 {
            break None;
        }
    };
    if !matches!(first, Some(b'{' | b'[')) {
        // YAML: the whole file.
        source.read_to_end(&mut head).map_err(unreadable)?;
        if head.len() as u64 > MAX_WORKLOADS_FILE_BYTES {
            return Err((None, Problem::TooLarge { limit: MAX_WORKLOADS_FILE_BYTES }));
        }
        let bytes = head.strip_prefix(BOM).unwrap_or(&head[..]);
        return yaml_documents(bytes, each);
    }
    // JSON: the fast path first; where it gives up, serde_json reads the whole file from the
    // start, and its value or error is the file's (the fast path accepts a subset of what
    // serde_json accepts, with the same values).
    let head_len = head.len() as u64;
    if head.starts_with(BOM) {
        head.drain(..BOM.len());
    }
    let mut reader = json::Reader::new(head, source, chunk);
    let mut count = 0;
    while let Ok(next) = reader.next::<Document<'a>>() {
        let Some(document) = next else {
            if head_len + reader.bytes_read() > MAX_WORKLOADS_FILE_BYTES {
                return Err((None, Problem::TooLarge { limit: MAX_WORKLOADS_FILE_BYTES }));
            }
            return Ok(count);
        };
        count += 1;
        if count > MAX_DOCUMENTS {
            return Err((Some(count), Problem::TooMany { what: "documents", limit: MAX_DOCUMENTS }));
        }
        give(document, count, each).map_err(|p| (Some(count), p))?;
    }
    drop(reader);
    if count > 0 {
        each(Given::Restart).map_err(|p| (None, p))?;
    }
    let bytes = whole.bytes().map_err(|p| (None, p))?;
    let bytes = bytes.strip_prefix(BOM).unwrap_or(bytes);
    // serde_json stops nesting deeper than 128 levels ([`MAX_NESTING`]) by itself.
    let mut count = 0;
    for document in serde_json::Deserializer::from_slice(bytes).into_iter::<Document<'a>>() {
        count += 1;
        if count > MAX_DOCUMENTS {
            return Err((Some(count), Problem::TooMany { what: "documents", limit: MAX_DOCUMENTS }));
        }
        let document = document.map_err(|e| (Some(count), Problem::Json(e.to_string())))?;
        give(document, count, each).map_err(|p| (Some(count), p))?;
    }
    Ok(count)
}

/// The objects of a document, one by one.
fn give<'a>(
    document: Document<'a>,
    index: usize,
    each: &mut dyn FnMut(Given<'a>) -> Result<(), Problem>,
) -> Result<(), Problem> {
    match document {
        Document::Empty => Ok(()),
        Document::One(object) => each(Given::Object(index, *object)),
        Document::Many(objects) => objects.into_iter().try_for_each(|o| each(Given::Object(index, o))),
    }
}

/// The documents of a YAML file (its byte-order mark removed).
fn yaml_documents<'a>(
    bytes: &[u8],
    each: &mut dyn FnMut(Given<'a>) -> Result<(), Problem>,
) -> Result<usize, (Option<usize>, Problem)> {
    let text = std::str::from_utf8(bytes).map_err(|e| (None, Problem::Yaml(format!("not UTF-8 text: {e}"))))?;
    let limits = Limits { max_documents: MAX_DOCUMENTS, max_depth: MAX_NESTING, max_nodes: MAX_YAML_NODES };
    let mut count = 0;
    yaml::for_each_document(text, &limits, &|key| KEYS.contains(&key), &mut |index, value| {
        count = index;
        // The values own their strings: the objects do too.
        let document = Document::<'a>::deserialize(value).map_err(|e| Problem::Yaml(e.to_string()))?;
        give(document, index, each)
    })
    .map_err(|(index, problem)| (Some(index), problem))?;
    Ok(count)
}

/// [`for_each_object_in_file`] over `bytes` in memory, read `chunk` bytes at a time, the
/// objects given once the whole input is read.
#[cfg(test)]
pub(super) fn for_each_object_in<'a>(
    bytes: &'a [u8],
    chunk: usize,
    each: &mut dyn FnMut(usize, Object<'a>) -> Result<(), Problem>,
) -> Result<usize, (Option<usize>, Problem)> {
    let mut given = Vec::new();
    let mut source = bytes;
    let count = documents(&mut source, chunk, Whole::Bytes(bytes), &mut |g| {
        match g {
            Given::Object(i, o) => given.push((i, o)),
            Given::Restart => given.clear(),
        }
        Ok(())
    })?;
    for (i, o) in given {
        each(i, o).map_err(|p| (Some(i), p))?;
    }
    Ok(count)
}

/// [`for_each_object_in`] in chunks of [`json::CHUNK`].
#[cfg(test)]
pub(super) fn for_each_object<'a>(
    bytes: &'a [u8],
    each: &mut dyn FnMut(usize, Object<'a>) -> Result<(), Problem>,
) -> Result<usize, (Option<usize>, Problem)> {
    for_each_object_in(bytes, json::CHUNK, each)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kinds(text: &str) -> Vec<(usize, Option<String>, Option<String>)> {
        let mut out = Vec::new();
        for_each_object(text.as_bytes(), &mut |i, o| {
            out.push((i, o.kind.map(Text::into_string), o.resource_type.map(Text::into_string)));
            Ok(())
        })
        .unwrap();
        out
    }

    #[test]
    fn json_yaml_and_arrays() {
        assert_eq!(kinds(r#"{"kind": "Pod", "status": {"x": [1]}}"#), vec![(1, Some("Pod".into()), None)]);
        assert_eq!(kinds("\u{feff} [{\"type\": \"a\"}, {\"type\": \"b\"}]").len(), 2);
        assert_eq!(kinds("{\"kind\": \"A\"}\n{\"kind\": \"B\"}\n")[1].0, 2, "a JSON stream");
        assert_eq!(kinds("kind: A\n---\n# nothing\n---\nkind: B\n")[1], (3, Some("B".into()), None));
        assert_eq!(kinds("- type: x\n- type: y\n").len(), 2);
        assert!(kinds("").is_empty());
    }

    #[test]
    fn errors_name_the_document() {
        let err = |text: &str| for_each_object(text.as_bytes(), &mut |_, _| Ok(())).unwrap_err();
        assert!(matches!(err("{\"kind\": 1}"), (Some(1), Problem::Json(_))));
        assert!(matches!(err("kind: A\n---\nkind: [1]\n"), (Some(2), Problem::Yaml(_))));
        assert!(matches!(err("\"just a string\"\n"), (Some(1), Problem::Yaml(_))));
        assert!(matches!(err(&format!("{}{}", "[".repeat(200), "]".repeat(200))), (Some(1), Problem::Json(_))));
        assert!(matches!(err("a: [\n"), (Some(1), Problem::Yaml(_))));
    }

    /// The JSON branch of [`for_each_object`] as it was before the fast path: serde_json alone.
    fn serde_json_only(bytes: &[u8]) -> Result<(usize, Vec<String>), (Option<usize>, String)> {
        let mut given = Vec::new();
        let mut count = 0;
        for document in serde_json::Deserializer::from_slice(bytes).into_iter::<Document<'_>>() {
            count += 1;
            let document = document.map_err(|e| (Some(count), Problem::Json(e.to_string()).to_string()))?;
            match document {
                Document::Empty => {}
                Document::One(o) => given.push(format!("{count} {o:?}")),
                Document::Many(objects) => given.extend(objects.iter().map(|o| format!("{count} {o:?}"))),
            }
        }
        Ok((count, given))
    }

    /// Chunk sizes the reader is tried with: a string, a number, a literal or an escape may
    /// end a chunk.
    const CHUNKS: [usize; 7] = [1, 2, 3, 7, 8, 13, json::CHUNK];

    fn with_fast_path_in(bytes: &[u8], chunk: usize) -> Result<(usize, Vec<String>), (Option<usize>, String)> {
        let mut given = Vec::new();
        let count = for_each_object_in(bytes, chunk, &mut |i, o| {
            given.push(format!("{i} {o:?}"));
            Ok(())
        })
        .map_err(|(i, p)| (i, p.to_string()))?;
        Ok((count, given))
    }

    /// What `for_each_object` gives, the same in chunks of every size.
    fn with_fast_path(bytes: &[u8]) -> Result<(usize, Vec<String>), (Option<usize>, String)> {
        let result = with_fast_path_in(bytes, json::CHUNK);
        for chunk in CHUNKS {
            assert_eq!(with_fast_path_in(bytes, chunk), result, "chunks of {chunk}");
        }
        result
    }

    /// The documents the fast path reads, in chunks of `chunk` bytes, or `None` where it gives up.
    fn fast_documents(bytes: &[u8], chunk: usize) -> Option<Vec<String>> {
        let mut source = bytes;
        let mut reader = json::Reader::new(Vec::new(), &mut source, chunk);
        let mut documents = Vec::new();
        loop {
            match reader.next::<Document<'_>>() {
                Ok(Some(d)) => documents.push(format!("{d:?}")),
                Ok(None) => return Some(documents),
                Err(_) => return None,
            }
        }
    }

    /// A stream with every shape the model reads and much that it skips.
    const STREAM: &str = r#"{"apiVersion": "v1", "kind": "List", "metadata": {"resourceVersion": ""}, "items": [
        {"apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": "web", "namespace": "team-a",
          "uid": "u-1", "labels": {"app": "web", "tier": "a\"b\\c\u00e9\/\n"}, "generation": -12.5e+3,
          "annotations": {"last-applied": "{\"spec\":{\"x\":[1,2,{}]}}"}},
         "spec": {"replicas": 3, "paused": false, "selector": null, "template": {"metadata": {"labels": {}},
           "spec": {"initContainers": [{"name": "init", "image": "busybox:1", "args": [], "env": [[], {}]}],
             "containers": [{"name": "app", "image": "registry.example/app@sha256:0123456789abcdef0123456789abcdef",
               "ports": [{"containerPort": 8080, "protocol": "TCP"}], "resources": {"limits": {"cpu": 0.5}}}],
             "ephemeralContainers": null}}},
         "status": {"conditions": [{"type": "Available", "status": "True", "lastUpdateTime": "2025-01-01T00:00:00Z"}],
           "ratio": 0, "big": 1E400, "neg": -0.0, "t": true, "n": null}},
        {"apiVersion": "v1", "kind": "Pod", "metadata": {"generateName": "web-", "namespace": "team-a",
          "ownerReferences": [{"apiVersion": "apps/v1", "kind": "ReplicaSet", "name": "web-1", "uid": "u-2",
            "controller": true, "blockOwnerDeletion": true}]},
         "spec": {"containers": [{"name": "app", "image": "nginx"}, {"name": "débug", "image": "busybox"}]}},
        {"apiVersion": "batch/v1", "kind": "CronJob", "metadata": {"name": "nightly"},
         "spec": {"jobTemplate": {"spec": {"template": {"spec": {"containers": [{"name": "job", "image": "j:1"}]}}}}}}
      ]}
    [{"id": "/subscriptions/s/resourceGroups/rg/providers/Microsoft.App/containerApps/app", "name": "app",
      "type": "Microsoft.App/containerApps", "resourceGroup": "rg", "location": "West Europe",
      "properties": {"template": {"containers": [{"name": "app", "image": "registry.example/app:v1",
        "resources": {"cpu": 0.25}}], "initContainers": null, "scale": {"minReplicas": 1}}}},
     {"id": "/subscriptions/s/resourceGroups/rg/providers/Microsoft.Web/sites/site", "type": "Microsoft.Web/sites",
      "kind": "app,linux,container", "siteConfig": {"linuxFxVersion": "DOCKER|registry.example/site:v1",
        "windowsFxVersion": null}, "isMain": true, "image": "x"}]
    {}[]"#;

    #[test]
    fn the_fast_json_path_reads_what_serde_json_reads() {
        let fast = with_fast_path(STREAM.as_bytes()).unwrap();
        assert_eq!(fast, serde_json_only(STREAM.as_bytes()).unwrap());
        assert_eq!(fast.0, 4);
        assert_eq!(fast.1.len(), 4, "the List, the two resources of the array, and {{}}");
        let all = fast_documents(STREAM.as_bytes(), json::CHUNK).expect("the fast path reads the whole stream");
        assert_eq!(all.len(), 4);
        for chunk in CHUNKS {
            assert_eq!(fast_documents(STREAM.as_bytes(), chunk).as_ref(), Some(&all), "chunks of {chunk}");
        }
    }

    #[test]
    fn where_the_fast_json_path_gives_up_serde_json_decides() {
        let cases = [
            // Escapes in strings the model reads, a duplicate field, a struct as an array,
            // trailing commas, a value of the wrong type, a document that is not an object.
            r#"{"kind": "Pod"} {"kind": "P\u006fd", "apiVersion": "v1"}"#,
            r#"{"kind": "Pod"} {"kind": "Pod", "kind": "Job"}"#,
            r#"{"kind": "Pod"} {"metadata": ["a", "b"]}"#,
            r#"{"kind": "Pod"} {"metadata": {"name": "a",}}"#,
            r#"{"kind": "Pod"} {"status": [1, 2,]}"#,
            r#"{"kind": "Pod"} {"kind": 7}"#,
            r#"{"kind": "Pod"} null {"kind": "Job"}"#,
            r#"{"kind": "Pod"} "text""#,
            r#"{"kind": "Pod"} {"status": 01}"#,
            r#"{"kind": "Pod"} {"status": "tab	in a string"}"#,
            r#"{"kind": "Pod"} {"status": "\x"}"#,
            r#"{"kind": "Pod"} {"status": "\u12"}"#,
            r#"{"kind": "Pod"} {"status": tru}"#,
            r#"{"kind": "Pod"}x"#,
            r#"{"kind": "Pod"} {"kind": "Job""#,
            r#"[{"kind": "Pod"}, {"kind": "Job", "isMain": "yes"}]"#,
        ];
        for case in cases {
            assert_eq!(with_fast_path(case.as_bytes()), serde_json_only(case.as_bytes()), "{case}");
        }
        // Deep nesting: serde_json's limit decides, in a skipped value or in the model.
        for depth in [90, 99, 100, 101, 126, 127, 128, 129, 200] {
            let skipped = format!(r#"{{"status": {}1{}}}"#, "[".repeat(depth), "]".repeat(depth));
            assert_eq!(with_fast_path(skipped.as_bytes()), serde_json_only(skipped.as_bytes()), "{depth}");
            let items = format!(r#"{}{{"kind": "Pod"}}{}"#, r#"{"items": ["#.repeat(depth), "]}".repeat(depth));
            assert_eq!(with_fast_path(items.as_bytes()), serde_json_only(items.as_bytes()), "{depth}");
        }
        // Invalid UTF-8 in a key, in a value read, in a skipped value.
        for bad in [&b"{\"k\xffind\": 1}"[..], b"{\"kind\": \"P\xffod\"}", b"{\"status\": \"\xff\"}"] {
            assert_eq!(with_fast_path(bad), serde_json_only(bad));
        }
    }

    /// Skipped tokens at every offset of a word (the indentation and the key before them take
    /// every length up to 19), and in chunks of every size at every offset of a
    /// read: the fast path reads them, as serde_json does; with a byte of the token replaced by
    /// a control character, a tab or a quote, or the token cut short, each read gives what
    /// serde_json gives.
    #[test]
    fn skipped_tokens_at_every_offset_read_as_serde_json_reads_them() {
        let tokens = [
            r#""a\"b\\c\u00e9\/\n xyz""#,
            "-12.5e+3",
            "0",
            "1E400",
            "true",
            "false",
            "null",
            "[]",
            "{}",
            r#"{"k": [1, {"x": null}], "y": "0123456789abcdef0123"}"#,
        ];
        for pad in 0..20 {
            for token in tokens {
                let member = |token: &str| {
                    format!(
                        "{{\"kind\": \"Pod\", \"status\": {{\n{}\"{}\": {token},\n{}\"b\": [{token}]}}}}",
                        " ".repeat(pad),
                        "k".repeat(pad % 9),
                        " ".repeat(pad + 16)
                    )
                };
                let text = member(token);
                assert!(fast_documents(text.as_bytes(), json::CHUNK).is_some(), "{text}");
                assert_eq!(with_fast_path(text.as_bytes()), serde_json_only(text.as_bytes()), "{text}");
                for at in 0..token.len() {
                    for bad in ["\u{1}", "\t", "\""] {
                        let text = member(&format!("{}{bad}{}", &token[..at], &token[at + 1..]));
                        assert_eq!(with_fast_path(text.as_bytes()), serde_json_only(text.as_bytes()), "{text}");
                    }
                    let text = member(&token[..at]);
                    assert_eq!(with_fast_path(text.as_bytes()), serde_json_only(text.as_bytes()), "{text}");
                }
            }
        }
    }

    /// Mutations of [`STREAM`] (bytes deleted, inserted, replaced, repeated): wherever the fast
    /// path reads a mutant, it gives what serde_json gives; elsewhere serde_json decides. Either
    /// way the result of `for_each_object` is serde_json's.
    #[test]
    fn mutated_streams_read_as_serde_json_reads_them() {
        const BYTES: &[u8] = b"{}[],:\"\\ \n\t0123456789-+.eEtrufalsn\x01\x7f\xc3\xa9\xffab/u";
        let mut state = 0x9e37_79b9_7f4a_7c15u64;
        let mut next = |n: usize| {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            (state % n as u64) as usize
        };
        let base = STREAM.as_bytes();
        let (mut read_fast, mut rejected) = (0, 0);
        for _ in 0..6000 {
            let mut bytes = base.to_vec();
            for _ in 0..1 + next(3) {
                let at = next(bytes.len());
                match next(4) {
                    0 => {
                        bytes.remove(at);
                    }
                    1 => bytes.insert(at, BYTES[next(BYTES.len())]),
                    2 => bytes[at] = BYTES[next(BYTES.len())],
                    _ => {
                        let end = (at + next(40)).min(bytes.len());
                        let copy = bytes[at..end].to_vec();
                        bytes.splice(at..at, copy);
                    }
                }
            }
            if !matches!(bytes.iter().find(|b| !b.is_ascii_whitespace()), Some(b'{' | b'[')) {
                continue; // YAML now
            }
            let expected = serde_json_only(&bytes);
            let chunk = CHUNKS[next(CHUNKS.len())];
            if let Some(fast) = fast_documents(&bytes, chunk) {
                read_fast += 1;
                let mut slow = Vec::new();
                for d in serde_json::Deserializer::from_slice(&bytes).into_iter::<Document<'_>>() {
                    slow.push(format!("{:?}", d.expect("serde_json reads what the fast path reads")));
                }
                assert_eq!(fast, slow, "{}", String::from_utf8_lossy(&bytes));
            }
            rejected += usize::from(expected.is_err());
            assert_eq!(with_fast_path_in(&bytes, chunk), expected, "{}", String::from_utf8_lossy(&bytes));
        }
        assert!(read_fast > 1000 && rejected > 1000, "{read_fast} read fast, {rejected} rejected");
    }
}
