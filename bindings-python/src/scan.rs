//! `Verifier.scan`: the scan engine of `notaverify scan` (`notaverify_posture::scan`) over OCI
//! layouts and batch files, its artifacts handed to Python chunk by chunk as they are
//! classified, and its summary at the end; `write_report` renders its HTML report. With
//! `workloads`, the deployed workload containers of those files are resolved to the scanned
//! artifacts (`notaverify_posture::workloads`) after the last chunk; with `previous`, the
//! summary compares with that earlier `scan -o json` output (`notaverify_posture::rollup`). The
//! JSON of an artifact, a workload container and the summary, the exit status and the report
//! are the posture crate's, so they are what `notaverify scan -o json --report F --workloads W
//! --previous P` writes.
//!
//! Besides the chunk in flight, a scan keeps only what its summary and report need: the counts,
//! one tally per input source (the roll-up) and the first `report::MAX_LISTED` out-of-policy
//! artifacts, counted on the scan thread as the chunks go by; with `workloads`, every artifact
//! too (a workload container's class is its artifact's), as the CLI does. The workloads files
//! are read on a thread of their own while the artifacts are verified, as the CLI reads them.
//!
//! The scan runs on a thread of its own (the GIL is never held there) and sends each chunk over
//! a channel that holds one chunk: the scan stays at most a chunk ahead of the Python loop, so
//! memory does not grow with the artifacts. `on_progress` is called from the iterating thread
//! (the GIL held) while it waits for the next chunk.

use crate::errors::{Exc, core_err, detached, exc_for, invalid_input};
use crate::rollout::{self, Exceptions, RetiredMaterial};
use crate::workloads::WorkloadContainer;
use notaverify::{Time, VerifyOptions};
use notaverify_posture::report::{self, OutOfPolicy};
use notaverify_posture::rollup::{self as rollups, ArtifactRollUp, RollUp};
use notaverify_posture::scan::{self as engine, LayoutInput, ScanOptions};
use notaverify_posture::workloads::{self, WorkloadClass, WorkloadSummary, WorkloadsError};
use notaverify_posture::{self as posture, Class, Classified, ScanError, ScanInputs};
use pyo3::prelude::*;
use pyo3::types::PyDict;
use std::collections::VecDeque;
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::mpsc::{Receiver, RecvTimeoutError, SyncSender, sync_channel};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

/// How often the iterating thread wakes, while it waits for a chunk, to report progress.
const PROGRESS_INTERVAL: Duration = Duration::from_millis(100);

/// What the scan thread sends.
enum Message {
    Chunk(Vec<engine::ScannedArtifact>),
    /// The last message: what the summary and report need, or why the scan stopped (the
    /// chunks before were sent).
    Done(Box<Result<Finished, Stopped>>),
    /// The scan thread panicked: an internal error, never a result.
    Panicked(String),
}

/// What a finished scan leaves for its summary and report.
struct Finished {
    summary: engine::ScanSummary,
    rollup: RollUp,
    failing: OutOfPolicy,
    /// The deployed workload containers, with `workloads`.
    workloads: Option<WorkloadSummary>,
    /// What the CLI warns about the workloads files.
    warnings: Vec<String>,
}

/// Why a scan stopped before its summary.
enum Stopped {
    Scan(ScanError),
    /// A workloads file that does not parse (found while the artifacts were verified).
    Workloads(WorkloadsError),
}

/// A core error with what was being done before its message, as the CLI words it.
fn err_in(py: Python<'_>, error: &notaverify::Error, context: Option<&str>) -> PyErr {
    let kind = error.kind();
    let message = match context {
        Some(context) => format!("{context}: {error}"),
        None => error.to_string(),
    };
    exc_for(kind).err(py, message, kind.as_str())
}

/// A workloads file that cannot be used, with the code the CLI reports (exit 2).
fn workloads_err(py: Python<'_>, error: WorkloadsError) -> PyErr {
    let (error, context) = error.into_core();
    err_in(py, &error, context.as_deref())
}

/// A scan error as the exception the other methods raise for the same input.
fn scan_err(py: Python<'_>, error: &ScanError) -> PyErr {
    match error {
        ScanError::Input { error: core, .. } => {
            let kind = core.kind();
            exc_for(kind).err(py, error.to_string(), kind.as_str())
        }
        ScanError::Scope(_) | ScanError::UnknownRepository { .. } | ScanError::NoArtifact => {
            invalid_input(py, error.to_string())
        }
    }
}

/// What `Verifier.scan` was given, converted.
pub(crate) struct ScanRequest {
    pub(crate) layouts: Vec<(PathBuf, String)>,
    pub(crate) batches: Vec<PathBuf>,
    pub(crate) only: Vec<String>,
    pub(crate) tagged_only: bool,
    pub(crate) at: Option<Time>,
    pub(crate) threads: Option<usize>,
    /// Warn mode: the summary says so and its exit status is 0.
    pub(crate) warn_only: bool,
    /// Workloads files and their source labels (`None`: the file name).
    pub(crate) workloads: Vec<(PathBuf, Option<String>)>,
    /// An earlier `scan -o json` output to compare with.
    pub(crate) previous: Option<PathBuf>,
}

/// Checks the inputs (the engine's first pass, the GIL released) and starts the scan thread.
pub(crate) fn start(
    py: Python<'_>,
    verifier: Arc<notaverify::Verifier>,
    request: ScanRequest,
    exceptions: Option<&Bound<'_, Exceptions>>,
    retired: Option<&Bound<'_, RetiredMaterial>>,
    on_progress: Option<Py<PyAny>>,
) -> PyResult<ScanIterator> {
    if request.threads == Some(0) {
        return Err(invalid_input(py, "threads must be at least 1 (None: one per CPU)"));
    }
    let inputs = ScanInputs {
        layouts: request.layouts.into_iter().map(|(dir, scope)| LayoutInput { dir, scope }).collect(),
        batches: request.batches,
        only: request.only,
        tagged_only: request.tagged_only,
    };
    if inputs.layouts.is_empty() && inputs.batches.is_empty() {
        return Err(invalid_input(py, "nothing to scan: give layouts=[(dir, scope)] and/or batches=[path]"));
    }
    // Checked in the CLI's order, each before anything is verified: the workloads files (that
    // they are files within the size limit; they are parsed while the artifacts verify), the
    // scan's inputs, the previous scan.
    let workloads_inputs = request
        .workloads
        .into_iter()
        .map(|(path, source)| workloads::Input::new(path, source))
        .collect::<Result<Vec<_>, _>>()
        .map_err(|e| core_err(py, &e))?;
    detached(py, || workloads::check_files(&workloads_inputs))?.map_err(|e| workloads_err(py, e))?;
    let scan = detached(py, || posture::Scan::new(&inputs))?.map_err(|e| scan_err(py, &e))?;
    let previous = match request.previous {
        None => None,
        Some(path) => {
            Some(detached(py, || rollups::read_previous(&path))?.map_err(|e| err_in(py, &e, Some("previous")))?)
        }
    };
    let total = scan.total();
    let rollout = rollout::options(exceptions, retired, request.warn_only);
    let at = request.at.unwrap_or_else(Time::now);
    let jobs = request.threads.unwrap_or_else(|| std::thread::available_parallelism().map_or(1, |n| n.get()));
    let done = Arc::new(AtomicUsize::new(0));
    let stop = Arc::new(AtomicBool::new(false));
    let (sender, receiver) = sync_channel(1);
    let thread = {
        let (done, stop) = (Arc::clone(&done), Arc::clone(&stop));
        std::thread::spawn(move || {
            let run = || {
                let reading = (!workloads_inputs.is_empty()).then(|| {
                    let stop = Arc::clone(&stop);
                    std::thread::spawn(move || {
                        let loaded = workloads::load(&workloads_inputs);
                        if loaded.is_err() {
                            stop.store(true, Ordering::Relaxed);
                        }
                        loaded
                    })
                });
                let ctx = rollout.context(at);
                let verify = VerifyOptions { at: Some(at), ..VerifyOptions::default() };
                let progress = |n: usize| {
                    done.fetch_max(n, Ordering::Relaxed);
                };
                let options = ScanOptions { verify: &verify, jobs, on_progress: Some(&progress), stop: Some(&stop) };
                let mut rollup = ArtifactRollUp::new(previous.as_ref());
                let mut failing = OutOfPolicy::default();
                let mut kept = Vec::new();
                let summary = scan
                    .for_each_chunk(&verifier, &ctx, &options, |chunk| {
                        for artifact in &chunk {
                            rollup.add(artifact);
                            failing.add(artifact);
                        }
                        if reading.is_some() {
                            kept.extend_from_slice(&chunk);
                        }
                        send(&sender, &stop, Message::Chunk(chunk));
                    })
                    .map_err(Stopped::Scan)?;
                let (workloads, warnings) = match reading {
                    None => (None, Vec::new()),
                    Some(reading) => {
                        let loaded = reading
                            .join()
                            .unwrap_or_else(|e| std::panic::resume_unwind(e))
                            .map_err(Stopped::Workloads)?;
                        let warnings = loaded.warnings.clone();
                        (Some(WorkloadSummary::resolve(loaded, &kept, jobs)), warnings)
                    }
                };
                let lines = workloads.as_ref().map_or(&[][..], |w| &w.lines[..]);
                Ok(Finished { summary, rollup: RollUp::new(rollup, lines), failing, workloads, warnings })
            };
            let last = match std::panic::catch_unwind(std::panic::AssertUnwindSafe(run)) {
                Ok(result) => Message::Done(Box::new(result)),
                Err(payload) => Message::Panicked(
                    payload
                        .downcast_ref::<&str>()
                        .map(|s| (*s).to_owned())
                        .or_else(|| payload.downcast_ref::<String>().cloned())
                        .unwrap_or_else(|| "unknown panic".to_owned()),
                ),
            };
            send(&sender, &stop, last);
        })
    };
    Ok(ScanIterator {
        receiver: Mutex::new(receiver),
        pending: VecDeque::new(),
        done,
        reported: None,
        total,
        on_progress,
        summary: None,
        failing: None,
        warnings: Vec::new(),
        warn_only: request.warn_only,
        finished: false,
        stop,
        thread: Some(thread),
    })
}

/// Sends `message`; a receiver that is gone (the iterator dropped) stops the scan.
fn send(sender: &SyncSender<Message>, stop: &AtomicBool, message: Message) {
    if sender.send(message).is_err() {
        stop.store(true, Ordering::Relaxed);
    }
}

/// The artifacts of a scan, in input order (layouts, then batch files), as they are classified.
/// After the last one, `summary` holds the counts.
#[pyclass(module = "notaverify", name = "ScanIterator")]
pub struct ScanIterator {
    receiver: Mutex<Receiver<Message>>,
    /// The artifacts of the chunk received last, not yet handed over.
    pending: VecDeque<engine::ScannedArtifact>,
    /// Artifacts finished (from the scan thread).
    done: Arc<AtomicUsize>,
    /// The `done` last reported to `on_progress`.
    reported: Option<usize>,
    total: usize,
    on_progress: Option<Py<PyAny>>,
    summary: Option<Py<ScanSummary>>,
    /// The out-of-policy artifacts the report lists (once finished).
    failing: Option<OutOfPolicy>,
    /// What the CLI warns about the workloads files (once finished).
    warnings: Vec<String>,
    warn_only: bool,
    finished: bool,
    stop: Arc<AtomicBool>,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl ScanIterator {
    /// Calls `on_progress(done, total)` when `done` changed since the last call.
    fn report(&mut self, py: Python<'_>) -> PyResult<()> {
        let done = self.done.load(Ordering::Relaxed).min(self.total);
        if self.reported == Some(done) {
            return Ok(());
        }
        self.reported = Some(done);
        if let Some(on_progress) = &self.on_progress {
            on_progress.call1(py, (done, self.total))?;
        }
        Ok(())
    }

    /// The next message of the scan thread, reporting progress while it waits.
    fn receive(&mut self, py: Python<'_>) -> PyResult<Message> {
        loop {
            let receiver = &self.receiver;
            let received =
                py.detach(|| receiver.lock().unwrap_or_else(PoisonError::into_inner).recv_timeout(PROGRESS_INTERVAL));
            match received {
                Ok(message) => return Ok(message),
                Err(RecvTimeoutError::Timeout) => self.report(py)?,
                Err(RecvTimeoutError::Disconnected) => {
                    return Err(Exc::Base.err(py, "internal error in notaverify: the scan ended early", "INTERNAL"));
                }
            }
        }
    }

    /// Stops the scan thread and waits for it; nothing more is handed over.
    fn finish(&mut self, py: Python<'_>) {
        self.finished = true;
        self.pending.clear();
        self.stop.store(true, Ordering::Relaxed);
        // Unblocks a scan thread waiting to send.
        drop(std::mem::replace(&mut self.receiver, Mutex::new(sync_channel(0).1)));
        if let Some(thread) = self.thread.take() {
            let _ = py.detach(|| thread.join());
        }
    }
}

#[pymethods]
impl ScanIterator {
    fn __iter__(slf: PyRef<'_, Self>) -> PyRef<'_, Self> {
        slf
    }

    fn __next__(&mut self, py: Python<'_>) -> PyResult<Option<ScannedArtifact>> {
        loop {
            if let Some(artifact) = self.pending.pop_front() {
                return ScannedArtifact::new(py, artifact).map(Some);
            }
            if self.finished {
                return Ok(None);
            }
            let message = match self.receive(py) {
                Ok(message) => message,
                Err(e) => {
                    self.finish(py);
                    return Err(e);
                }
            };
            match message {
                Message::Chunk(chunk) => {
                    self.pending.extend(chunk);
                    if let Err(e) = self.report(py) {
                        self.finish(py);
                        return Err(e);
                    }
                }
                Message::Done(result) => {
                    self.finish(py);
                    let Finished { summary, rollup, failing, workloads, warnings } = match *result {
                        Ok(finished) => finished,
                        Err(Stopped::Scan(e)) => return Err(scan_err(py, &e)),
                        Err(Stopped::Workloads(e)) => return Err(workloads_err(py, e)),
                    };
                    self.report(py)?;
                    self.failing = Some(failing);
                    self.warnings = warnings;
                    let summary = ScanSummary {
                        inner: summary,
                        warn_only: self.warn_only,
                        rollup,
                        workloads: workloads.map(Arc::new),
                    };
                    self.summary = Some(Py::new(py, summary)?);
                }
                Message::Panicked(what) => {
                    self.finish(py);
                    return Err(Exc::Base.err(py, format!("internal error in notaverify: {what}"), "INTERNAL"));
                }
            }
        }
    }

    /// The summary, once every artifact has been handed over (`None` before).
    #[getter]
    fn summary(&self, py: Python<'_>) -> Option<Py<ScanSummary>> {
        self.summary.as_ref().map(|s| s.clone_ref(py))
    }

    /// Artifacts the scan has (after `only` and `tagged_only`).
    #[getter]
    fn total(&self) -> usize {
        self.total
    }

    /// The deployed workload containers of `workloads`, once every artifact has been handed
    /// over (`None` before, and without `workloads`), in the order of the CLI's lines.
    #[getter]
    fn workloads(&self) -> Option<Vec<WorkloadContainer>> {
        let workloads = self.summary.as_ref()?.get().workloads.as_ref()?;
        Some(WorkloadContainer::all(workloads))
    }

    /// What `notaverify scan` warns about the workloads files (once finished).
    #[getter]
    fn warnings(&self) -> Vec<String> {
        self.warnings.clone()
    }

    /// Stops the scan: no more artifacts are handed over, and there is no summary.
    fn close(&mut self, py: Python<'_>) {
        self.finish(py);
    }

    fn __repr__(&self) -> String {
        format!("ScanIterator(total={}, finished={})", self.total, if self.finished { "True" } else { "False" })
    }
}

impl Drop for ScanIterator {
    fn drop(&mut self) {
        // The scan thread stops before its next chunk; it is not waited for.
        self.stop.store(true, Ordering::Relaxed);
    }
}

/// One scanned artifact: where it came from, its class and who signed it.
#[pyclass(module = "notaverify", name = "ScannedArtifact", frozen)]
pub struct ScannedArtifact {
    inner: engine::ScannedArtifact,
    classification: Py<rollout::Classification>,
    signers: Vec<Option<Py<crate::outcome::Signer>>>,
}

impl ScannedArtifact {
    fn new(py: Python<'_>, inner: engine::ScannedArtifact) -> PyResult<Self> {
        let rollout = Classified { classification: inner.classification.clone(), warn_only: false };
        let classification = Py::new(py, rollout::classification(py, &rollout)?)?;
        let signers = inner.signers.iter().map(|s| crate::outcome::signer(py, s)).collect::<PyResult<_>>()?;
        Ok(Self { inner, classification, signers })
    }
}

#[pymethods]
impl ScannedArtifact {
    /// `registry/repository@<digest>`.
    #[getter]
    fn reference(&self) -> &str {
        &self.inner.classification.reference
    }

    /// The class (the classification's).
    #[getter]
    fn class_(&self) -> &'static str {
        self.inner.classification.class.as_str()
    }

    /// Whether it passes (verified, excepted or skippedByPolicy).
    #[getter]
    fn in_policy(&self) -> bool {
        self.inner.classification.in_policy
    }

    /// The repository (the layout's scope, or the reference's repository).
    #[getter]
    fn repository(&self) -> &str {
        &self.inner.repository
    }

    /// The layout directory, or `batch-file:line`.
    #[getter]
    fn source(&self) -> &str {
        &self.inner.source
    }

    /// Its tags (the layout's `index.json`, or the batch line's `tags`).
    #[getter]
    fn tags(&self) -> Vec<String> {
        self.inner.tags.clone()
    }

    /// The classification.
    #[getter]
    fn classification(&self, py: Python<'_>) -> Py<rollout::Classification> {
        self.classification.clone_ref(py)
    }

    /// The signer of each signature, in order (`None` unless its integrity check passed).
    #[getter]
    fn signers(&self, py: Python<'_>) -> Vec<Option<Py<crate::outcome::Signer>>> {
        self.signers.iter().map(|s| s.as_ref().map(|s| s.clone_ref(py))).collect()
    }

    /// The line `notaverify scan -o json` prints for it.
    fn to_json(&self) -> String {
        engine::json_line(&self.inner).to_string()
    }

    fn __repr__(&self) -> String {
        format!("ScannedArtifact(reference={:?}, class_={:?})", self.reference(), self.class_())
    }
}

/// The counts of a scan.
#[pyclass(module = "notaverify", name = "ScanSummary", frozen)]
pub struct ScanSummary {
    inner: engine::ScanSummary,
    warn_only: bool,
    rollup: RollUp,
    workloads: Option<Arc<WorkloadSummary>>,
}

impl ScanSummary {
    /// The summary as the posture crate shows it.
    fn shown(&self) -> report::Summary<'_> {
        report::Summary {
            scan: &self.inner,
            warn_only: self.warn_only,
            workloads: self.workloads.as_deref(),
            rollup: &self.rollup,
        }
    }

    /// A count of the deployed workload containers (`None` without `workloads`).
    fn workload_count(&self, count: impl Fn(&WorkloadSummary) -> usize) -> Option<usize> {
        self.workloads.as_deref().map(count)
    }
}

#[pymethods]
impl ScanSummary {
    /// Artifacts scanned.
    #[getter]
    fn total(&self) -> usize {
        self.inner.total
    }

    /// In policy (verified, excepted, skippedByPolicy).
    #[getter]
    fn in_policy(&self) -> usize {
        self.inner.in_policy
    }

    /// Out of policy.
    #[getter]
    fn out_of_policy(&self) -> usize {
        self.inner.out_of_policy
    }

    /// Artifacts per class, every class.
    #[getter]
    fn counts<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyDict>> {
        let counts = PyDict::new(py);
        for (class, n) in Class::ALL.iter().zip(self.inner.counts) {
            counts.set_item(class.as_str(), n)?;
        }
        Ok(counts)
    }

    /// Artifacts signed by both a retired and a current signer.
    #[getter]
    fn dual_signed(&self) -> usize {
        self.inner.dual_signed
    }

    /// The scan time, RFC 3339.
    #[getter]
    fn at(&self) -> String {
        self.inner.at.to_rfc3339()
    }

    /// Whether the scan was in warn mode (`warn_only=True`).
    #[getter]
    fn warn_only(&self) -> bool {
        self.warn_only
    }

    /// Deployed workload containers (`None` without `workloads`).
    #[getter]
    fn workloads_total(&self) -> Option<usize> {
        self.workload_count(|w| w.total)
    }

    /// Deployed workload containers out of policy, `notScanned` included (`None` without
    /// `workloads`).
    #[getter]
    fn workloads_out_of_policy(&self) -> Option<usize> {
        self.workload_count(|w| w.out_of_policy)
    }

    /// Deployed workload containers per class, every class and `notScanned` (`None` without
    /// `workloads`).
    #[getter]
    fn workload_counts<'py>(&self, py: Python<'py>) -> PyResult<Option<Bound<'py, PyDict>>> {
        let Some(workloads) = &self.workloads else { return Ok(None) };
        let counts = PyDict::new(py);
        for (class, n) in WorkloadClass::all().into_iter().zip(workloads.counts) {
            counts.set_item(class.as_str(), n)?;
        }
        Ok(Some(counts))
    }

    /// The exit status `notaverify scan` gives: 1 when an artifact or a deployed workload
    /// container is out of policy and not in warn mode, else 0.
    #[getter]
    fn exit_status(&self) -> u8 {
        u8::from(self.shown().blocks())
    }

    /// The summary line of `notaverify scan -o json`, `{"summary": {...}}`.
    fn to_json(&self) -> String {
        self.shown().json_line()
    }

    fn __repr__(&self) -> String {
        format!(
            "ScanSummary(total={}, in_policy={}, out_of_policy={})",
            self.inner.total, self.inner.in_policy, self.inner.out_of_policy
        )
    }
}

/// Writes the HTML report of a finished scan to `path`, as `notaverify scan --report` does.
#[pyfunction]
pub fn write_report(py: Python<'_>, path: PathBuf, scan: PyRef<'_, ScanIterator>) -> PyResult<()> {
    let (Some(summary), Some(failing)) = (&scan.summary, &scan.failing) else {
        return Err(invalid_input(
            py,
            "the scan has no summary yet: iterate it to the end before writing its report (a closed or failed scan has none)",
        ));
    };
    let summary = summary.get();
    detached(py, || report::write(&path, &summary.shown(), failing))?.map_err(|e| core_err(py, &e))
}
