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

use super::yaml::{self, Limits};
use super::{MAX_DOCUMENTS, MAX_NESTING, MAX_WORKLOADS_FILE_BYTES, MAX_YAML_NODES, Problem};
use serde::Deserialize;
use serde::de::value::{MapAccessDeserializer, SeqAccessDeserializer};
use serde::de::{self, Deserializer, MapAccess, SeqAccess, Visitor};
use std::io::Read;
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

/// One object of a workloads file: the union of the fields of a Kubernetes object (or `List`)
/// and of an Azure resource as `az` prints it. Which one it is is decided by `shape`.
#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Object {
    /// Kubernetes: `v1`, `apps/v1`, ...
    pub api_version: Option<String>,
    /// Kubernetes: `Pod`, `Deployment`, `List`, ...; App Service: `app,linux,container`.
    pub kind: Option<String>,
    /// Kubernetes.
    pub metadata: Option<Metadata>,
    /// Kubernetes.
    pub spec: Option<Spec>,
    /// Kubernetes `List`.
    pub items: Option<Vec<Object>>,
    /// Azure resource id (`/subscriptions/…/resourceGroups/…/providers/…`).
    pub id: Option<String>,
    /// Azure resource name.
    pub name: Option<String>,
    /// Azure resource type (`Microsoft.App/containerApps`, `Microsoft.Web/sites`, ...).
    #[serde(rename = "type")]
    pub resource_type: Option<String>,
    /// Azure resource group.
    pub resource_group: Option<String>,
    /// Azure resource properties (the REST shape; `az containerapp` prints it).
    pub properties: Option<Properties>,
    /// App Service site configuration as `az webapp` prints it (flattened out of `properties`).
    pub site_config: Option<SiteConfig>,
    /// App Service site container (`az webapp sitecontainers`, flattened).
    pub image: Option<String>,
    /// App Service site container: the main container, not a sidecar.
    pub is_main: Option<bool>,
}

/// Kubernetes `metadata`.
#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Metadata {
    /// Name.
    pub name: Option<String>,
    /// Name prefix of an object not created yet (a manifest).
    pub generate_name: Option<String>,
    /// Namespace.
    pub namespace: Option<String>,
    /// Unique id.
    pub uid: Option<String>,
    /// Owners.
    pub owner_references: Option<Vec<OwnerReference>>,
}

/// Kubernetes `metadata.ownerReferences[]`.
#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct OwnerReference {
    /// Owner's kind.
    pub kind: Option<String>,
    /// Owner's name (same namespace).
    pub name: Option<String>,
    /// Owner's uid.
    pub uid: Option<String>,
    /// The managing controller.
    pub controller: Option<bool>,
}

/// A Kubernetes `spec`: a pod spec's container lists, a workload's pod `template`, or a
/// CronJob's `jobTemplate` (whose `spec` has the `template`). One type for all, since serde
/// ignores the fields a kind does not have.
#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Spec {
    /// Pod spec.
    pub containers: Option<Vec<Container>>,
    /// Pod spec.
    pub init_containers: Option<Vec<Container>>,
    /// Pod spec.
    pub ephemeral_containers: Option<Vec<Container>>,
    /// Workload spec: the pod template.
    pub template: Option<Box<Template>>,
    /// CronJob spec: the job template.
    pub job_template: Option<Box<Template>>,
}

/// A Kubernetes pod template or job template.
#[derive(Debug, Default, Deserialize)]
pub struct Template {
    /// Its spec.
    pub spec: Option<Spec>,
}

/// A container (Kubernetes, Container Apps).
#[derive(Debug, Default, Deserialize)]
pub struct Container {
    /// Name.
    pub name: Option<String>,
    /// Image reference.
    pub image: Option<String>,
}

/// Azure `properties`.
#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Properties {
    /// Container Apps (and jobs): `properties.template`.
    pub template: Option<AppTemplate>,
    /// App Service in the REST shape (`az resource show`).
    pub site_config: Option<SiteConfig>,
    /// App Service site container in the REST shape.
    pub image: Option<String>,
    /// App Service site container in the REST shape.
    pub is_main: Option<bool>,
}

/// Container Apps `properties.template`.
#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct AppTemplate {
    /// Containers.
    pub containers: Option<Vec<Container>>,
    /// Init containers.
    pub init_containers: Option<Vec<Container>>,
}

/// App Service `siteConfig`.
#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SiteConfig {
    /// `DOCKER|image`, `sitecontainers`, or a language stack (`PYTHON|3.12`).
    pub linux_fx_version: Option<String>,
    /// `DOCKER|image` or a language stack.
    pub windows_fx_version: Option<String>,
}

/// A document: nothing (an empty YAML document), one object, or an array of objects.
enum Document {
    Empty,
    One(Box<Object>),
    Many(Vec<Object>),
}

impl<'de> Deserialize<'de> for Document {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(DocumentVisitor)
    }
}

struct DocumentVisitor;

impl<'de> Visitor<'de> for DocumentVisitor {
    type Value = Document;

    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("a Kubernetes object or List, an Azure resource, or an array of them")
    }

    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Document, A::Error> {
        Object::deserialize(MapAccessDeserializer::new(map)).map(|o| Document::One(Box::new(o)))
    }

    fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<Document, A::Error> {
        Vec::<Object>::deserialize(SeqAccessDeserializer::new(seq)).map(Document::Many)
    }

    fn visit_unit<E: de::Error>(self) -> Result<Document, E> {
        Ok(Document::Empty)
    }

    fn visit_none<E: de::Error>(self) -> Result<Document, E> {
        Ok(Document::Empty)
    }
}

/// The size of `path` if it is a regular file of at most [`MAX_WORKLOADS_FILE_BYTES`].
pub fn check(path: &Path) -> Result<u64, Problem> {
    let meta = std::fs::symlink_metadata(path).map_err(|e| Problem::Unreadable(e.to_string()))?;
    if !meta.file_type().is_file() {
        return Err(Problem::Unreadable("not a regular file".into()));
    }
    if meta.len() > MAX_WORKLOADS_FILE_BYTES {
        return Err(Problem::TooLarge { limit: MAX_WORKLOADS_FILE_BYTES });
    }
    Ok(meta.len())
}

/// Reads a regular file of at most [`MAX_WORKLOADS_FILE_BYTES`] (also when it grows after
/// [`check`]).
pub fn read(path: &Path) -> Result<Vec<u8>, Problem> {
    let size = check(path)?;
    let file = std::fs::File::open(path).map_err(|e| Problem::Unreadable(e.to_string()))?;
    // Sized up front: no copy as the buffer grows.
    let mut bytes = Vec::with_capacity(usize::try_from(size).unwrap_or(0).saturating_add(1));
    file.take(MAX_WORKLOADS_FILE_BYTES + 1).read_to_end(&mut bytes).map_err(|e| Problem::Unreadable(e.to_string()))?;
    if bytes.len() as u64 > MAX_WORKLOADS_FILE_BYTES {
        return Err(Problem::TooLarge { limit: MAX_WORKLOADS_FILE_BYTES });
    }
    Ok(bytes)
}

/// Calls `each(document index, object)` for every top-level object of `bytes` (the items of a
/// top-level array one by one, with the array's document index). Returns the number of
/// documents. Errors carry the document index when there is one.
pub fn for_each_object(
    bytes: &[u8],
    each: &mut dyn FnMut(usize, Object) -> Result<(), Problem>,
) -> Result<usize, (Option<usize>, Problem)> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let mut give = |index: usize, document: Document| -> Result<(), Problem> {
        match document {
            Document::Empty => Ok(()),
            Document::One(object) => each(index, *object),
            Document::Many(objects) => objects.into_iter().try_for_each(|o| each(index, o)),
        }
    };
    let first = bytes.iter().find(|b| !b.is_ascii_whitespace());
    if matches!(first, Some(b'{' | b'[')) {
        // JSON. serde_json stops nesting deeper than 128 levels ([`MAX_NESTING`]) by itself.
        let mut count = 0;
        for document in serde_json::Deserializer::from_slice(bytes).into_iter::<Document>() {
            count += 1;
            if count > MAX_DOCUMENTS {
                return Err((Some(count), Problem::TooMany { what: "documents", limit: MAX_DOCUMENTS }));
            }
            let document = document.map_err(|e| (Some(count), Problem::Json(e.to_string())))?;
            give(count, document).map_err(|p| (Some(count), p))?;
        }
        return Ok(count);
    }
    let text = std::str::from_utf8(bytes).map_err(|e| (None, Problem::Yaml(format!("not UTF-8 text: {e}"))))?;
    let limits = Limits { max_documents: MAX_DOCUMENTS, max_depth: MAX_NESTING, max_nodes: MAX_YAML_NODES };
    let mut count = 0;
    yaml::for_each_document(text, &limits, &|key| KEYS.contains(&key), &mut |index, value| {
        count = index;
        let document = Document::deserialize(value).map_err(|e| Problem::Yaml(e.to_string()))?;
        give(index, document)
    })
    .map_err(|(index, problem)| (Some(index), problem))?;
    Ok(count)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kinds(text: &str) -> Vec<(usize, Option<String>, Option<String>)> {
        let mut out = Vec::new();
        for_each_object(text.as_bytes(), &mut |i, o| {
            out.push((i, o.kind, o.resource_type));
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
}
