//! Scanning: every artifact of OCI layouts and JSON-lines batch files verified, classified and
//! counted, in chunks, at a memory that does not grow with the number of artifacts.
//!
//! Inputs ([`ScanInputs`]): OCI layouts, each with the repository it is (an OCI layout has no
//! repository names; every manifest that is not itself a notation signature, or only the tagged
//! ones), and batch files ([`batch`](self::check_tag)'s format: one artifact per line with its
//! signature files). Each artifact is verified as `verify --all-signatures` would (every
//! signature evaluated, also after one verified; the verdict is the same: so every signer is
//! known and the artifacts re-signed during a rotation can be counted), classified by
//! [`crate::classify()`], and handed over as a [`ScannedArtifact`]; the [`ScanSummary`] counts
//! them.
//!
//! Which manifests of a layout are signatures (left out) and which are artifacts (classified) is
//! the loader's rule, the one `verify --oci-layout` uses (`OciLayout::artifacts`): a manifest is
//! left out only if it is a well-formed notation signature with a subject, never because an
//! index entry or the manifest merely claims the signature artifact type. An unsigned image
//! dressed up as a signature is therefore scanned, and is `unsigned`.
//!
//! Two passes, so that bad input fails the scan before anything is verified while nothing is
//! kept per artifact:
//!
//! 1. [`Scan::new`] opens every layout (and lists its artifacts) and reads every batch file as
//!    a stream of lines: each line is checked as it will be used, and each signature file a
//!    line names is read by the loader's rule ([`loader::read_signature_file`]) and dropped, so
//!    a missing, non-regular, symlinked, oversized or unreadable file is an error naming the
//!    line, as before anything runs. Only the counts are kept (and the repositories named, to
//!    tell an `only` repository that no input has; and a bounded set of the signature files
//!    last checked, so a file many lines share is read once). A scan that would check nothing,
//!    or more than [`MAX_SCAN_ARTIFACTS`] artifacts, fails here too.
//! 2. [`Scan::for_each_chunk`] reads the batch files again, [`ARTIFACTS_PER_CHUNK`] artifacts at
//!    a time: a chunk's verification requests are built (a layout artifact's by
//!    `Verifier::oci_layout_item` from the layout opened once, a batch line's from its signature
//!    files, each file read once per chunk), verified by `Verifier::verify_many_with` on the
//!    jobs' threads, each result classified with the envelopes it was verified with and counted,
//!    and the chunk handed to the caller. A batch file that changed since the first pass (more
//!    or fewer artifacts, a line that no longer parses) fails the scan; a signature file that
//!    can no longer be read fails its own artifact (`failed`, out of policy), never the others.
//!
//! [`crate::background::BackgroundScan`] runs the second pass on a thread of its own, for
//! callers that take the chunks as they want them (the bindings' iterators).
//!
//! Signature files are read twice (once per pass): reading one costs little beside verifying
//! it, and checking them in the first pass is what keeps an unreadable one a failure of the
//! whole scan before anything is verified rather than of one artifact, halfway through.

mod artifact;
mod batch;
mod json;
mod summary;

pub use artifact::ScannedArtifact;
pub use batch::{MAX_BATCH_LINE_BYTES, check_tag};
pub use json::{json_line, summary_json};
pub use summary::{ClassCounts, ExceptionRow, RepositoryRow, ScanSummary, SignerRow, SummaryBuilder};

use crate::{Classification, PostureContext, classify};
use batch::{BatchEntry, BatchLines};
use notaverify::loader::{self, LayoutManifest, OciLayout, TagOrDigest};
use notaverify::{BatchItem, BatchOptions, Error, SignatureInput, Signer, Verifier, VerifyOptions, WorkerPool};
use std::collections::{BTreeSet, HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

/// Most artifacts in one scan.
pub const MAX_SCAN_ARTIFACTS: usize = 1_000_000;
/// Artifacts whose verification requests are built, verified and classified together: at most
/// this many requests (with their envelopes) are in memory at once, however many artifacts a scan
/// has. Large enough that the threads rarely wait for each other at the end of a chunk and that
/// little time is spent between chunks.
pub const ARTIFACTS_PER_CHUNK: usize = 1024;
/// Signature files the first pass remembers as checked (then it forgets them all and starts
/// again): files shared by many lines are read once, and memory stays bounded however many
/// distinct files the batch files name.
const SIGNATURE_FILES_REMEMBERED: usize = 4096;

/// An OCI layout to scan.
#[derive(Clone, Debug)]
pub struct LayoutInput {
    /// The layout directory.
    pub dir: PathBuf,
    /// The repository it is, `registry/repository`: the policy statement is selected with it
    /// and its artifacts are `<scope>@<digest>`.
    pub scope: String,
}

/// What to scan.
#[derive(Clone, Debug, Default)]
pub struct ScanInputs {
    /// OCI layouts, scanned first, in order.
    pub layouts: Vec<LayoutInput>,
    /// Batch files, scanned after the layouts, in order.
    pub batches: Vec<PathBuf>,
    /// Only the artifacts of these repositories (every artifact when empty); each must be a
    /// repository of the inputs.
    pub only: Vec<String>,
    /// Of the layouts, only the manifests `index.json` tags.
    pub tagged_only: bool,
}

/// Why a scan cannot run.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ScanError {
    /// An input cannot be read or is not what it must be: a layout (`context` names it), a batch
    /// file or line, a signature file a line names, or more than [`MAX_SCAN_ARTIFACTS`].
    Input {
        /// The core's error.
        error: Box<Error>,
        /// What was being read, when the error does not say.
        context: Option<String>,
    },
    /// A layout's scope is not `registry/repository`.
    Scope(String),
    /// A repository of [`ScanInputs::only`] that none of the inputs has: nothing of it would be
    /// checked.
    UnknownRepository {
        /// The repository asked for.
        repository: String,
        /// Every repository the inputs have.
        known: BTreeSet<String>,
    },
    /// The inputs hold no artifact (to check, after `only` and `tagged_only`): a scan that checks
    /// nothing does not pass.
    NoArtifact,
}

impl std::fmt::Display for ScanError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::Input { error, context: Some(context) } => write!(f, "{context}: {error}"),
            Self::Input { error, context: None } => write!(f, "{error}"),
            Self::Scope(scope) => write!(f, "the scope {scope:?} is not registry/repository"),
            Self::UnknownRepository { repository, .. } => {
                write!(f, "the repository {repository:?} is none of the inputs' repositories")
            }
            Self::NoArtifact => write!(f, "the inputs hold no artifact to check"),
        }
    }
}

impl std::error::Error for ScanError {}

impl ScanError {
    /// The kind of error the bindings report it as: the core error's, else invalid input.
    pub fn kind(&self) -> notaverify::ErrorKind {
        match self {
            Self::Input { error, .. } => error.kind(),
            Self::Scope(_) | Self::UnknownRepository { .. } | Self::NoArtifact => notaverify::ErrorKind::InvalidInput,
        }
    }
}

impl From<Error> for ScanError {
    fn from(error: Error) -> Self {
        Self::Input { error: Box::new(error), context: None }
    }
}

/// How [`Scan::for_each_chunk`] runs.
#[derive(Clone, Copy)]
pub struct ScanOptions<'a> {
    /// Verification options (their `all_signatures` is always set: see the module
    /// documentation). Give the time `at` of the [`PostureContext`].
    pub verify: &'a VerifyOptions,
    /// Worker threads verifying the chunks (at least 1; started once per scan).
    pub jobs: usize,
    /// Called with the number of artifacts finished so far (from the worker threads).
    pub on_progress: Option<&'a (dyn Fn(usize) + Sync)>,
    /// Once set, the scan stops before its next chunk.
    pub stop: Option<&'a AtomicBool>,
}

/// An opened layout and its artifacts to scan.
struct Layout {
    dir: PathBuf,
    scope: String,
    opened: OciLayout,
    artifacts: Vec<LayoutManifest>,
}

/// A batch file and how many of its lines are artifacts to scan (as the first pass found).
struct Batch {
    path: PathBuf,
    artifacts: usize,
}

/// A scan whose inputs have been checked (the first pass): ready to run.
pub struct Scan {
    layouts: Vec<Layout>,
    batches: Vec<Batch>,
    only: Vec<String>,
    total: usize,
}

impl Scan {
    /// Opens the layouts and checks the batch files (the first pass of the module
    /// documentation); nothing is verified.
    pub fn new(inputs: &ScanInputs) -> Result<Self, ScanError> {
        let mut scan = Self { layouts: Vec::new(), batches: Vec::new(), only: inputs.only.clone(), total: 0 };
        // Every repository the inputs name, to tell an `only` that matches nothing.
        let mut repositories: BTreeSet<String> = BTreeSet::new();
        for input in &inputs.layouts {
            if input.scope.is_empty() || input.scope.contains('@') {
                return Err(ScanError::Scope(input.scope.clone()));
            }
            let opened = OciLayout::open(&input.dir).map_err(|error| ScanError::Input {
                error: Box::new(error),
                context: Some(format!("OCI layout {}", input.dir.display())),
            })?;
            repositories.insert(input.scope.clone());
            let artifacts: Vec<LayoutManifest> = if scan.wanted(&input.scope) {
                // Every manifest but the notation signatures, by the rule `verify` uses.
                opened.artifacts().into_iter().filter(|m| !inputs.tagged_only || !m.tags.is_empty()).collect()
            } else {
                Vec::new()
            };
            scan.total += artifacts.len();
            scan.layouts.push(Layout { dir: input.dir.clone(), scope: input.scope.clone(), opened, artifacts });
        }
        let mut checked: HashSet<PathBuf> = HashSet::new();
        for path in &inputs.batches {
            let artifacts = scan.check_batch(path, &mut repositories, &mut checked)?;
            scan.batches.push(Batch { path: path.clone(), artifacts });
        }
        if let Some(unknown) = inputs.only.iter().find(|o| !repositories.contains(*o)) {
            return Err(ScanError::UnknownRepository { repository: unknown.clone(), known: repositories });
        }
        if scan.total == 0 {
            return Err(ScanError::NoArtifact);
        }
        scan.check_total()?;
        Ok(scan)
    }

    /// Artifacts to scan.
    pub fn total(&self) -> usize {
        self.total
    }

    fn wanted(&self, repository: &str) -> bool {
        self.only.is_empty() || self.only.iter().any(|o| o == repository)
    }

    fn check_total(&self) -> Result<(), Error> {
        if self.total > MAX_SCAN_ARTIFACTS {
            return Err(Error::LimitExceeded {
                what: "artifacts in one scan",
                limit: MAX_SCAN_ARTIFACTS,
                actual: self.total,
            });
        }
        Ok(())
    }

    /// The first pass over one batch file: every line checked, the signature files of the
    /// artifacts to scan read (those in `checked` already were), the repositories noted; the
    /// number of artifacts to scan.
    fn check_batch(
        &mut self,
        path: &Path,
        repositories: &mut BTreeSet<String>,
        checked: &mut HashSet<PathBuf>,
    ) -> Result<usize, Error> {
        let mut lines = BatchLines::open(path)?;
        let mut artifacts = 0;
        while let Some(entry) = lines.next_entry()? {
            if !repositories.contains(&entry.repository) {
                repositories.insert(entry.repository.clone());
            }
            if !self.wanted(&entry.repository) {
                continue;
            }
            for signature in &entry.signatures {
                if checked.contains(signature) {
                    continue;
                }
                loader::read_signature_file(signature).map_err(|e| lines.line_error(entry.number, e.to_string()))?;
                if checked.len() == SIGNATURE_FILES_REMEMBERED {
                    checked.clear();
                }
                checked.insert(signature.clone());
            }
            artifacts += 1;
            self.total += 1;
            self.check_total()?;
        }
        Ok(artifacts)
    }

    /// Verifies, classifies and counts every artifact, [`ARTIFACTS_PER_CHUNK`] at a time, handing
    /// each chunk to `each` in input order (layouts, then batch files) as soon as it is
    /// classified; the summary of them all. With a `stop` flag set, the summary counts the
    /// chunks done (its `total` is below [`Scan::total`]).
    ///
    /// Errors: a batch file that changed since [`Scan::new`] (the chunks before were handed
    /// over).
    pub fn for_each_chunk(
        &self,
        verifier: &Verifier,
        ctx: &PostureContext<'_>,
        options: &ScanOptions<'_>,
        mut each: impl FnMut(Vec<ScannedArtifact>),
    ) -> Result<ScanSummary, ScanError> {
        let verify = ctx.verify_options(VerifyOptions { all_signatures: true, ..options.verify.clone() });
        let jobs = options.jobs.max(1);
        // One set of threads for every chunk: threads started and ended per chunk cost their
        // start, and the peak RSS of a long scan crept up with their number (benches/README.md).
        let workers = WorkerPool::new(jobs);
        let mut items = Items { scan: self, layout: 0, manifest: 0, batch: 0, reading: None };
        let mut summary = SummaryBuilder::new();
        // The time spent in `each` (writing the chunk out) is not the scan's.
        let mut elapsed = Duration::ZERO;
        let mut done = 0;
        // The chunk's items, their memory reused from chunk to chunk (so is that of the text of
        // a chunk's lines in the CLI): blocks of hundreds of KiB freed and allocated again every
        // chunk made the peak RSS of a long scan creep up (glibc's heap; benches/README.md).
        let mut chunk = Vec::with_capacity(ARTIFACTS_PER_CHUNK);
        while !options.stop.is_some_and(|stop| stop.load(Ordering::Relaxed)) {
            let started = Instant::now();
            items.next_chunk(&mut chunk)?;
            if chunk.is_empty() {
                break;
            }
            let report = |finished: usize| {
                if let Some(on_progress) = options.on_progress {
                    on_progress(done + finished);
                }
            };
            let artifacts = verify_chunk(&chunk, verifier, ctx, &verify, &workers, jobs, &report);
            done += artifacts.len();
            for artifact in &artifacts {
                summary.add(artifact);
            }
            elapsed += started.elapsed();
            each(artifacts);
        }
        Ok(summary.finish(ctx, elapsed, jobs))
    }
}

/// One artifact to verify.
enum Item<'s> {
    Layout { layout: &'s Layout, manifest: &'s LayoutManifest },
    Batch { file: &'s Path, entry: BatchEntry },
}

impl Item<'_> {
    /// `registry/repository@<digest>`.
    fn reference(&self) -> String {
        match self {
            Item::Layout { layout, manifest } => format!("{}@{}", layout.scope, manifest.descriptor.digest),
            Item::Batch { entry, .. } => entry.reference.clone(),
        }
    }

    /// The artifact with its class and signers.
    fn scanned(&self, classification: Classification, signers: Vec<Option<Signer>>) -> ScannedArtifact {
        let (repository, source, tags) = match self {
            Item::Layout { layout, manifest } => {
                (layout.scope.clone(), layout.dir.display().to_string(), manifest.tags.clone())
            }
            Item::Batch { file, entry } => {
                (entry.repository.clone(), format!("{}:{}", file.display(), entry.number), entry.tags.clone())
            }
        };
        ScannedArtifact { repository, source, tags, classification, signers }
    }
}

/// The artifacts of a scan in order: the layouts' from the lists made by the first pass, the
/// batch files' read again line by line.
struct Items<'s> {
    scan: &'s Scan,
    layout: usize,
    manifest: usize,
    batch: usize,
    /// The batch file being read, with the artifacts read from it so far.
    reading: Option<(BatchLines, usize)>,
}

impl<'s> Items<'s> {
    /// The next [`ARTIFACTS_PER_CHUNK`] items (fewer at the end, none after it), in `chunk`.
    fn next_chunk(&mut self, chunk: &mut Vec<Item<'s>>) -> Result<(), Error> {
        chunk.clear();
        while chunk.len() < ARTIFACTS_PER_CHUNK
            && let Some(item) = self.next_item()?
        {
            chunk.push(item);
        }
        Ok(())
    }

    fn next_item(&mut self) -> Result<Option<Item<'s>>, Error> {
        let scan = self.scan;
        while let Some(layout) = scan.layouts.get(self.layout) {
            if let Some(manifest) = layout.artifacts.get(self.manifest) {
                self.manifest += 1;
                return Ok(Some(Item::Layout { layout, manifest }));
            }
            (self.layout, self.manifest) = (self.layout + 1, 0);
        }
        while let Some(batch) = scan.batches.get(self.batch) {
            let (mut lines, mut read) = match self.reading.take() {
                Some(reading) => reading,
                None => (BatchLines::open(&batch.path)?, 0),
            };
            let changed = |lines: &BatchLines| {
                lines.error(format!(
                    "the batch file changed while it was scanned (it had {} artifacts to scan when first read)",
                    batch.artifacts
                ))
            };
            match lines.next_entry()? {
                Some(entry) if !scan.wanted(&entry.repository) => self.reading = Some((lines, read)),
                Some(entry) => {
                    read += 1;
                    if read > batch.artifacts {
                        return Err(changed(&lines));
                    }
                    self.reading = Some((lines, read));
                    return Ok(Some(Item::Batch { file: &batch.path, entry }));
                }
                None if read != batch.artifacts => return Err(changed(&lines)),
                None => self.batch += 1,
            }
        }
        Ok(None)
    }
}

/// One chunk: its requests (an item whose request cannot be built fails with that error), their
/// verification, and each item classified with the signatures it was verified with.
/// `on_progress` gets the number of items of the chunk finished so far. The threads are `workers`
/// (`jobs` of them, started for the call should `workers` have none).
fn verify_chunk(
    items: &[Item<'_>],
    verifier: &Verifier,
    ctx: &PostureContext<'_>,
    options: &VerifyOptions,
    workers: &WorkerPool,
    jobs: usize,
    on_progress: &(dyn Fn(usize) + Sync),
) -> Vec<ScannedArtifact> {
    // Each signature file of the chunk, read once.
    let mut envelopes: HashMap<&Path, Result<SignatureInput, Error>> = HashMap::new();
    let mut requests = Vec::with_capacity(items.len());
    let prepared: Vec<Result<usize, Error>> = items
        .iter()
        .map(|item| {
            requests.push(request(item, verifier, options, &mut envelopes)?);
            Ok(requests.len() - 1)
        })
        .collect();
    // The requests hold their own copies.
    drop(envelopes);
    let unprepared = items.len() - requests.len();
    let report = |verified: usize| on_progress(unprepared + verified);
    let batch = BatchOptions { threads: Some(jobs), on_progress: Some(&report), workers: Some(workers) };
    let results = verifier.verify_many_with(&requests, &batch);
    items
        .iter()
        .zip(prepared)
        .map(|(item, prepared)| {
            let reference = item.reference();
            let (classification, signers) = match prepared {
                Ok(i) => {
                    (classify(&reference, &results[i], &requests[i].signatures, ctx), artifact::signers(&results[i]))
                }
                Err(error) => (classify(&reference, &Err(error), &[], ctx), Vec::new()),
            };
            item.scanned(classification, signers)
        })
        .collect()
}

/// The verification request of an item: a layout artifact's from the opened layout (its
/// signatures read here), a batch line's from its signature files (read through `envelopes`).
fn request<'i>(
    item: &'i Item<'_>,
    verifier: &Verifier,
    options: &VerifyOptions,
    envelopes: &mut HashMap<&'i Path, Result<SignatureInput, Error>>,
) -> Result<BatchItem, Error> {
    match item {
        Item::Layout { layout, manifest } => verifier.oci_layout_item(
            &layout.opened,
            &TagOrDigest::Digest(manifest.descriptor.digest.clone()),
            &layout.scope,
            options,
        ),
        Item::Batch { entry, .. } => {
            let signatures = entry
                .signatures
                .iter()
                .map(|path| envelopes.entry(path).or_insert_with(|| loader::read_signature_file(path)).clone())
                .collect::<Result<Vec<_>, _>>()?;
            Ok(BatchItem::new(entry.reference.clone(), entry.target.clone(), signatures).with_options(options.clone()))
        }
    }
}
