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
//! The scan runs on a thread of its own (the posture crate's `BackgroundScan`; the GIL is never
//! held there), at most a chunk ahead of the Python loop, so memory does not grow with the
//! artifacts: besides the chunk in flight, a scan keeps only what its summary and report need
//! (the counts, one tally per input source, the first `report::MAX_LISTED` out-of-policy
//! artifacts) and, with `workloads`, every artifact (a workload container's class is its
//! artifact's), as the CLI does. `on_progress` is called from the iterating thread (the GIL
//! held) while it waits for the next chunk.

use crate::errors::{Exc, core_err, detached, exc_for, invalid_input};
use crate::rollout::{self, Exceptions, RetiredMaterial};
use crate::workloads::WorkloadContainer;
use notaverify::Time;
use notaverify_posture::background::{Additions, BackgroundScan, Finished, OwnedContext, Received};
use notaverify_posture::report::{self, OutOfPolicy};
use notaverify_posture::rollup::{self as rollups, RollUp};
use notaverify_posture::scan::{self as engine, LayoutInput};
use notaverify_posture::workloads::{self, WorkloadClass, WorkloadSummary, WorkloadsError};
use notaverify_posture::{self as posture, Class, Classified, ScanError, ScanInputs};
use pyo3::prelude::*;
use pyo3::types::PyDict;
use std::collections::VecDeque;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

/// How often the iterating thread wakes, while it waits for a chunk, to report progress.
const PROGRESS_INTERVAL: Duration = Duration::from_millis(100);

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
    let kind = error.kind();
    exc_for(kind).err(py, error.to_string(), kind.as_str())
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
    let additions = Additions { previous, workloads: workloads_inputs };
    let rollout = rollout::options(exceptions, retired, request.warn_only);
    let context = OwnedContext { exceptions: rollout.exceptions, retired: rollout.retired };
    let at = request.at.unwrap_or_else(Time::now);
    let jobs = request.threads.unwrap_or_else(|| std::thread::available_parallelism().map_or(1, |n| n.get()));
    Ok(ScanIterator {
        scan: BackgroundScan::start(scan, verifier, context, additions, at, jobs),
        pending: VecDeque::new(),
        reported: None,
        on_progress,
        summary: None,
        failing: None,
        warnings: Vec::new(),
        warn_only: request.warn_only,
        finished: false,
    })
}

/// The artifacts of a scan, in input order (layouts, then batch files), as they are classified.
/// After the last one, `summary` holds the counts.
#[pyclass(module = "notaverify", name = "ScanIterator")]
pub struct ScanIterator {
    scan: BackgroundScan,
    /// The artifacts of the chunk received last, not yet handed over.
    pending: VecDeque<engine::ScannedArtifact>,
    /// The artifacts finished last reported to `on_progress`.
    reported: Option<usize>,
    on_progress: Option<Py<PyAny>>,
    summary: Option<Py<ScanSummary>>,
    /// The out-of-policy artifacts the report lists (once finished).
    failing: Option<OutOfPolicy>,
    /// What the CLI warns about the workloads files (once finished).
    warnings: Vec<String>,
    warn_only: bool,
    finished: bool,
}

impl ScanIterator {
    /// Calls `on_progress(done, total)` when `done` changed since the last call.
    fn report(&mut self, py: Python<'_>) -> PyResult<()> {
        let done = self.scan.done();
        if self.reported == Some(done) {
            return Ok(());
        }
        self.reported = Some(done);
        if let Some(on_progress) = &self.on_progress {
            on_progress.call1(py, (done, self.scan.total()))?;
        }
        Ok(())
    }

    /// The next chunk or the end, reporting progress while it waits.
    fn receive(&mut self, py: Python<'_>) -> PyResult<Received> {
        loop {
            let scan = &self.scan;
            match py.detach(|| scan.receive(PROGRESS_INTERVAL)) {
                Received::Pending => self.report(py)?,
                received => return Ok(received),
            }
        }
    }

    /// Stops the scan thread and waits for it; nothing more is handed over.
    fn finish(&mut self, py: Python<'_>) {
        self.finished = true;
        self.pending.clear();
        let scan = &self.scan;
        py.detach(|| scan.stop_and_join());
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
            let received = match self.receive(py) {
                Ok(received) => received,
                Err(e) => {
                    self.finish(py);
                    return Err(e);
                }
            };
            match received {
                Received::Chunk(chunk) => {
                    self.pending.extend(chunk);
                    if let Err(e) = self.report(py) {
                        self.finish(py);
                        return Err(e);
                    }
                }
                Received::Done(result) => {
                    self.finish(py);
                    let Finished { summary, rollup, failing, workloads, warnings } = (*result).map_err(|stopped| {
                        let (kind, message) = stopped.into_parts();
                        exc_for(kind).err(py, message, kind.as_str())
                    })?;
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
                Received::Panicked(what) => {
                    self.finish(py);
                    return Err(Exc::Base.err(py, format!("internal error in notaverify: {what}"), "INTERNAL"));
                }
                Received::Pending | Received::Finished => self.finish(py),
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
        self.scan.total()
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
        format!("ScanIterator(total={}, finished={})", self.scan.total(), if self.finished { "True" } else { "False" })
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
        self.shown().exit_status()
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
