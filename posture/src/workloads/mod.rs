//! Deployed workloads (`notaverify scan --workloads FILE`): what is actually running. Reads workloads files (Kubernetes
//! objects from `kubectl`, Azure Container Apps and App Service resources from `az`), resolves
//! each workload container's image to a scanned artifact, and gives each container a
//! [`WorkloadClass`]: the artifact's class, or [`WorkloadClass::NotScanned`] (out of policy)
//! when no scanned input holds its image.
//!
//! | module | owns |
//! |---|---|
//! | this one | the types (the [`WorkloadLine`] the renderers read), the limits, loading files, the counts |
//! | `read` | one file: size, JSON or YAML by content, documents, the typed model of the fields read |
//! | `json` | the fast path for JSON: the typed model read straight from the bytes, serde_json where it gives up |
//! | `yaml` | YAML documents to values within the limits |
//! | `kubernetes` | workload kinds, their pod specs, folding owned objects into their controller |
//! | `azure` | Container Apps, App Service sites, slots and site containers |
//! | `image` | image reference parsing and Docker Hub normalisation |
//! | `resolve` | image → scanned artifact (by digest, by tag, ambiguity) |
//! | `lines` | the workload lines as `scan -o json` prints them |
//!
//! The workload lines are computed after the artifact lines, from what [`Artifacts`] keeps of
//! them (reference, repository, tags, class). `scan` checks the
//! files first ([`check_files`]), then reads them ([`load`]) while the artifacts are verified;
//! only the extracted containers are kept (the typed model borrows its strings from the file's
//! bytes where it can, until the file's containers are extracted), with their distinct images
//! parsed, so that what is left for [`WorkloadSummary::resolve`] after the scan is lookups.

mod azure;
mod image;
mod json;
mod kubernetes;
mod lines;
mod read;
mod resolve;
mod yaml;

pub use lines::write_json_lines;
pub use resolve::Artifacts;

use crate::Class;
use notaverify::Error;
use std::path::PathBuf;
use std::sync::Arc;

/// Largest workloads file read (a `kubectl get pods -A -o json` costs about 5–10 KB per pod,
/// so this is some 100,000 pods: split larger clusters by namespace). JSON is read in chunks;
/// YAML, and JSON that only serde_json reads (`json`), whole into memory.
pub const MAX_WORKLOADS_FILE_BYTES: u64 = 1024 * 1024 * 1024;
/// Most documents in one file (YAML documents, or JSON values one after the other).
pub const MAX_DOCUMENTS: usize = 100_000;
/// Deepest nesting of arrays and objects: serde_json's own fixed limit for JSON, enforced on
/// the YAML event stream for YAML (a Kubernetes object nests about 15 deep).
pub const MAX_NESTING: usize = 128;
/// Most YAML nodes kept from one file (values under keys the model does not read are skipped
/// without being kept; every node an alias copies counts).
pub const MAX_YAML_NODES: usize = 20_000_000;
/// Most workload containers in one scan, over all files, before owned pods are folded.
pub const MAX_WORKLOAD_CONTAINERS: usize = 1_000_000;

/// Which list (or setting) of its workload a container comes from.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum ContainerType {
    /// `containers` (Kubernetes, Container Apps), an App Service `DOCKER|` image, or an App
    /// Service main site container.
    Container,
    /// `initContainers`.
    Init,
    /// `ephemeralContainers` (`kubectl debug`).
    Ephemeral,
    /// An App Service sidecar (a site container that is not the main one).
    Sidecar,
}

impl ContainerType {
    /// The JSON name.
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::Container => "container",
            Self::Init => "init",
            Self::Ephemeral => "ephemeral",
            Self::Sidecar => "sidecar",
        }
    }
}

/// Which workload container a line is about. The source, kind, namespace and name are shared
/// by the lines of a workload's containers (a scan may have a million lines).
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct WorkloadId {
    /// The `--workloads-source` label of its file (default: the file name): a cluster or a
    /// subscription.
    pub source: Arc<str>,
    /// `Deployment`, `Pod`, ..., `ContainerApp`, `ContainerAppJob`, `WebApp`, `WebAppSlot`.
    pub kind: Arc<str>,
    /// The Kubernetes namespace, or the Azure resource group.
    pub namespace: Arc<str>,
    /// The workload's name (for a pod folded into its controller: the controller's).
    pub name: Arc<str>,
    /// The container's name (`linuxFxVersion`/`windowsFxVersion` for an App Service image).
    pub container: String,
}

/// How a workload's image was resolved to a scanned artifact.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ResolvedBy {
    /// The image names a digest.
    Digest,
    /// The image's tag (or `latest`) is a tag of exactly one scanned digest.
    Tag,
}

impl ResolvedBy {
    /// The JSON name.
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::Digest => "digest",
            Self::Tag => "tag",
        }
    }
}

/// The class of a workload container. Not an artifact class: `notScanned` says that no
/// scanned artifact is known for it, which only a workload can be.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum WorkloadClass {
    /// The class of the scanned artifact it runs.
    Artifact(Class),
    /// No scanned input holds its image (or its tag is ambiguous, or it is not an image
    /// reference): out of policy.
    NotScanned,
}

impl WorkloadClass {
    /// Number of classes.
    pub const COUNT: usize = Class::ALL.len() + 1;

    /// Every class, in report order: the artifact classes ([`Class::ALL`]), then `notScanned`.
    pub fn all() -> [Self; Self::COUNT] {
        std::array::from_fn(|i| Class::ALL.get(i).map_or(Self::NotScanned, |c| Self::Artifact(*c)))
    }

    /// Its position in [`WorkloadClass::all`].
    pub fn index(self) -> usize {
        match self {
            Self::Artifact(c) => Class::ALL.iter().position(|a| *a == c).unwrap_or(0),
            Self::NotScanned => Class::ALL.len(),
        }
    }

    /// The JSON name.
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::Artifact(c) => c.as_str(),
            Self::NotScanned => "notScanned",
        }
    }
}

/// One workload container of the scan, with the class of what it runs: one JSON line of
/// `scan -o json`, one line of the text "DEPLOYED WORKLOADS" section.
#[derive(Clone, Debug)]
pub struct WorkloadLine {
    /// Which container.
    pub workload: WorkloadId,
    /// Which list of its workload.
    pub container_type: ContainerType,
    /// The image as the workload names it.
    pub image: String,
    /// The scanned artifact it resolved to (`registry/repository@digest`), if any. The
    /// reference, check and reason are shared by the lines that run the same artifact (or name
    /// the same image).
    pub reference: Option<Arc<str>>,
    /// How it resolved.
    pub resolved_by: Option<ResolvedBy>,
    /// Resolved through the Docker Hub normalised name, not the name as written.
    pub normalised: bool,
    /// The artifact's class, or `notScanned`.
    pub class: WorkloadClass,
    /// In policy (the artifact is; never for `notScanned`).
    pub in_policy: bool,
    /// For `excepted`: the artifact's class before the exception.
    pub underlying: Option<Class>,
    /// The artifact's failing check.
    pub check: Option<Arc<str>>,
    /// Why: the artifact's reason, or why it is `notScanned`.
    pub reason: Option<Arc<str>>,
}

impl WorkloadLine {
    /// The line of a workload container read from a file, before it is resolved: `notScanned`,
    /// nothing found yet. Resolution fills it in place.
    fn unresolved(workload: WorkloadId, container_type: ContainerType, image: String) -> Self {
        Self {
            workload,
            container_type,
            image,
            reference: None,
            resolved_by: None,
            normalised: false,
            class: WorkloadClass::NotScanned,
            in_policy: false,
            underlying: None,
            check: None,
            reason: None,
        }
    }
}

/// A `--workloads FILE` and its source label.
#[derive(Clone, Debug)]
pub struct Input {
    /// The file.
    pub path: PathBuf,
    /// Its `--workloads-source`, else its file name.
    pub source: String,
}

impl Input {
    /// The file `path` labelled `source`, or without a label by its file name (the whole path
    /// when it has none, as `..` has not): every front end labels a file the same way. An empty
    /// label is invalid input (its lines and counts would name no source).
    pub fn new(path: PathBuf, source: Option<String>) -> Result<Self, Error> {
        let source = match source {
            Some(label) if label.is_empty() => {
                return Err(Error::InvalidInput(format!(
                    "the source label of workloads file {} must not be empty",
                    path.display()
                )));
            }
            Some(label) => label,
            None => path.file_name().map_or_else(|| path.display().to_string(), |n| n.to_string_lossy().into_owned()),
        };
        Ok(Self { path, source })
    }
}

/// Every workloads file read.
#[derive(Debug, Default)]
pub struct Loaded {
    /// The workload containers, file by file, each once: their lines before resolution
    /// ([`WorkloadSummary::resolve`] fills them in).
    deployed: Vec<WorkloadLine>,
    /// Their images, parsed (made with them: it describes them line by line).
    images: resolve::Images,
    /// The sources, in command-line order, each once.
    pub sources: Vec<String>,
    /// What to say about the files (skipped kinds, web apps whose images the file lacks).
    pub warnings: Vec<String>,
}

/// Why a workloads file cannot be used.
#[derive(Debug)]
pub enum Problem {
    /// It cannot be read, or is not a regular file.
    Unreadable(String),
    /// It is larger than [`MAX_WORKLOADS_FILE_BYTES`].
    TooLarge {
        /// The limit.
        limit: u64,
    },
    /// It is not JSON (its first character says it should be).
    Json(String),
    /// It is not YAML, or a YAML document is not an object or array of objects.
    Yaml(String),
    /// A limit is exceeded.
    TooMany {
        /// What.
        what: &'static str,
        /// The limit.
        limit: usize,
    },
    /// A document is none of the accepted shapes.
    Unrecognised(String),
    /// An accepted shape without what it must have.
    Invalid(String),
    /// The file holds no document at all.
    NoDocument,
}

impl std::fmt::Display for Problem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::Unreadable(e) => write!(f, "cannot be read: {e}"),
            Self::TooLarge { limit } => write!(f, "is larger than {limit} bytes"),
            Self::Json(e) => write!(f, "not a workloads JSON document: {e}"),
            Self::Yaml(e) => write!(f, "not a workloads YAML document: {e}"),
            Self::TooMany { what, limit } => write!(f, "more than {limit} {what}"),
            Self::Unrecognised(e) | Self::Invalid(e) => f.write_str(e),
            Self::NoDocument => f.write_str(
                "holds no document (expected kubectl -o json|yaml output, or az containerapp/webapp -o json output)",
            ),
        }
    }
}

/// A workloads file that cannot be used: exit 2, naming the file and the document.
#[derive(Debug)]
pub struct WorkloadsError {
    /// The file.
    pub path: PathBuf,
    /// The document (1-based), when the problem is in one.
    pub document: Option<usize>,
    /// What is wrong.
    pub problem: Problem,
}

impl std::fmt::Display for WorkloadsError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "workloads file {}", self.path.display())?;
        if let Some(n) = self.document {
            write!(f, ", document {n}")?;
        }
        write!(f, ": {}", self.problem)
    }
}

impl WorkloadsError {
    /// The core error it is reported as (its `code()` is the one given), and the context that
    /// goes before its message when the error does not name the file itself.
    pub fn into_core(self) -> (Error, Option<String>) {
        let context = match self.document {
            Some(n) => format!("workloads file {}, document {n}", self.path.display()),
            None => format!("workloads file {}", self.path.display()),
        };
        let error = match self.problem {
            Problem::TooMany { what, limit } => Error::LimitExceeded { what, limit, actual: limit.saturating_add(1) },
            Problem::TooLarge { limit } => Error::LimitExceeded {
                what: "bytes in a workloads file",
                limit: usize::try_from(limit).unwrap_or(usize::MAX),
                actual: usize::try_from(limit).unwrap_or(usize::MAX).saturating_add(1),
            },
            problem => return (Error::Load { path: context, reason: problem.to_string() }, None),
        };
        (error, Some(context))
    }
}

/// The checks that need no reading: each file exists, is a regular file and is within
/// [`MAX_WORKLOADS_FILE_BYTES`] (so that a mistyped path fails at once, before a long scan).
pub fn check_files(inputs: &[Input]) -> Result<(), WorkloadsError> {
    for input in inputs {
        read::check(&input.path).map_err(|problem| WorkloadsError {
            path: input.path.clone(),
            document: None,
            problem,
        })?;
    }
    Ok(())
}

/// Reads every workloads file: the containers of each, each once, and the warnings.
pub fn load(inputs: &[Input]) -> Result<Loaded, WorkloadsError> {
    let mut loaded = Loaded::default();
    let mut total = 0usize;
    let mut sidecars = azure::Sidecars::default();
    for input in inputs {
        let fail =
            |document: Option<usize>, problem: Problem| WorkloadsError { path: input.path.clone(), document, problem };
        let mut storage = Vec::new();
        let mut k8s = kubernetes::Collector::default();
        let mut az = azure::Collector::default();
        let before_file = total;
        let documents = read::for_each_object_in_file(&input.path, &mut storage, &mut |given| {
            let object = match given {
                read::Given::Object(_, object) => object,
                read::Given::Restart => {
                    k8s = kubernetes::Collector::default();
                    az = azure::Collector::default();
                    total = before_file;
                    return Ok(());
                }
            };
            let added = if kubernetes::is_kubernetes(&object) {
                k8s.add(object)?
            } else if azure::is_azure(&object) {
                az.add(object)?
            } else {
                return Err(Problem::Unrecognised(
                    "neither a Kubernetes object (apiVersion and kind: kubectl get -o json|yaml) nor an Azure resource \
                     (type: az containerapp/webapp list|show -o json)"
                        .into(),
                ));
            };
            total += added;
            if total > MAX_WORKLOAD_CONTAINERS {
                return Err(Problem::TooMany {
                    what: "workload containers in one scan",
                    limit: MAX_WORKLOAD_CONTAINERS,
                });
            }
            Ok(())
        })
        .map_err(|(document, problem)| fail(document, problem))?;
        if documents == 0 {
            return Err(fail(None, Problem::NoDocument));
        }
        let before = loaded.deployed.len();
        // Room for every container of the file made once (folding only removes some): the lines
        // of all files are tens of megabytes, not worth copying as the vector grows.
        loaded.deployed.reserve_exact(total - before_file);
        let mut warnings = Vec::new();
        let path = input.path.display().to_string();
        k8s.finish(&input.source, &mut loaded.deployed, &mut warnings);
        az.finish(&input.source, &path, &mut loaded.deployed, &mut warnings, &mut sidecars);
        // The collectors may borrow from the file's bytes until now.
        drop(storage);
        if loaded.deployed.len() == before {
            warnings.push("holds no workload container".into());
        }
        loaded.warnings.extend(warnings.into_iter().map(|w| format!("workloads file {path}: {w}")));
        if !loaded.sources.contains(&input.source) {
            loaded.sources.push(input.source.clone());
        }
    }
    loaded.warnings.extend(sidecars.warnings());
    // While the files are read, the artifacts are still being verified: what resolution can do
    // without them is done now, not after the scan.
    loaded.images = resolve::Images::new(&loaded.deployed);
    Ok(loaded)
}

/// Counts for one source.
#[derive(Clone, Debug)]
pub struct SourceRow {
    /// The source label.
    pub source: String,
    /// Workload containers.
    pub total: usize,
    /// Out of policy.
    pub out_of_policy: usize,
    /// Count per class, in [`WorkloadClass::all`] order.
    pub counts: [usize; WorkloadClass::COUNT],
}

/// The workload lines of a scan and their counts (`report::Summary::workloads`).
#[derive(Clone, Debug)]
pub struct WorkloadSummary {
    /// Every workload container, file by file in command-line order.
    pub lines: Vec<WorkloadLine>,
    /// Workload containers.
    pub total: usize,
    /// In policy.
    pub in_policy: usize,
    /// Out of policy (`notScanned` included).
    pub out_of_policy: usize,
    /// Count per class, in [`WorkloadClass::all`] order.
    pub counts: [usize; WorkloadClass::COUNT],
    /// Per source, in command-line order (also the sources without any container).
    pub sources: Vec<SourceRow>,
}

impl WorkloadSummary {
    /// Resolves every container of `loaded` against the scanned `artifacts` (on `jobs` threads,
    /// in order) and counts.
    pub fn resolve(loaded: Loaded, artifacts: &Artifacts, jobs: usize) -> Self {
        let index = resolve::ArtifactIndex::new(artifacts);
        let mut lines = loaded.deployed;
        index.resolve(&loaded.images, &mut lines, jobs);
        let mut sources: Vec<SourceRow> = loaded
            .sources
            .into_iter()
            .map(|source| SourceRow { source, total: 0, out_of_policy: 0, counts: [0; WorkloadClass::COUNT] })
            .collect();
        let mut counts = [0; WorkloadClass::COUNT];
        let mut out_of_policy = 0;
        // The lines of a file share its source label: its row is looked up once per file.
        let mut last: Option<(&Arc<str>, Option<usize>)> = None;
        for line in &lines {
            let i = line.class.index();
            counts[i] += 1;
            out_of_policy += usize::from(!line.in_policy);
            let source = &line.workload.source;
            let row = match last {
                Some((last, row)) if Arc::ptr_eq(last, source) => row,
                _ => {
                    let row = sources.iter().position(|r| *r.source == **source);
                    last = Some((source, row));
                    row
                }
            };
            if let Some(row) = row.map(|r| &mut sources[r]) {
                row.total += 1;
                row.counts[i] += 1;
                row.out_of_policy += usize::from(!line.in_policy);
            }
        }
        Self { total: lines.len(), in_policy: lines.len() - out_of_policy, out_of_policy, counts, sources, lines }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_file_is_labelled_by_its_source_else_by_its_file_name() {
        let labelled = Input::new(PathBuf::from("exports/prod.json"), Some("aks-prod".into())).unwrap();
        assert_eq!((labelled.path.to_str(), labelled.source.as_str()), (Some("exports/prod.json"), "aks-prod"));
        assert_eq!(Input::new(PathBuf::from("exports/prod.json"), None).unwrap().source, "prod.json");
        assert_eq!(Input::new(PathBuf::from("exports/.."), None).unwrap().source, "exports/..");
        let empty = Input::new(PathBuf::from("exports/prod.json"), Some(String::new())).unwrap_err();
        assert!(matches!(&empty, Error::InvalidInput(m) if m.contains("exports/prod.json")), "{empty}");
    }
}
