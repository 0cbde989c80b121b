//! `Verifier.scan` / `scanAsync`: the scan engine of `notaverify scan` (`notaverify_posture::scan`)
//! over OCI layouts and batch files. Every decision is the engine's, and so is the JSON of an
//! artifact and of the summary (what `notaverify scan -o json` prints); this module converts.
//!
//! The inputs are checked when the scan starts (the engine's first pass: `scan` throws,
//! `scanAsync` rejects, before anything is verified); then the engine runs on a thread of its own
//! (`BackgroundScan`), at most a chunk ahead of the caller. The returned `Scan` hands over each
//! chunk as one JSON text (`receive`, or `receiveAsync` waiting on the libuv pool), which the
//! embedded `scan.js` turns into the artifact objects of its iterators, calling `onProgress`
//! between waits on the JavaScript thread. The scan's end leaves what the CLI shows
//! (`notaverify_posture::report`): the summary line and the HTML report (`writeReport`).
//!
//! With `workloads`, the deployed workload containers of those files are resolved to the scanned
//! artifacts (`notaverify_posture::workloads`, on the scan thread after the last chunk), and with
//! `previous` the summary compares with that earlier `scan -o json` output
//! (`notaverify_posture::rollup`), both as `notaverify scan --workloads W --previous P` does:
//! the end of the scan leaves the workload lines (handed to `scan.js` as the CLI's JSON lines,
//! `workloadLines`), the warnings about those files, and a summary and report with the
//! "Deployed workloads" and progress sections.

use crate::api::Verifier;
use crate::convert::{self, TimeArg};
use crate::errors::{Error, Result, core_err, error, guarded, invalid_input, thrown, to_js};
use crate::rollout::{Arg, Classification, RolloutOptions};
use napi::bindgen_prelude::{
    AbortSignal, AsyncTask, Env, FnArgs, FromNapiValue, Function, JsObjectValue, Object, TypeName, Unknown,
    ValidateNapiValue, sys,
};
use napi::{Task, ValueType};
use napi_derive::napi;
use notaverify::{ErrorKind, Time};
use notaverify_posture::background::{Additions, BackgroundScan, Finished, OwnedContext, Received};
use notaverify_posture::report::{self, OutOfPolicy};
use notaverify_posture::rollup as rollups;
use notaverify_posture::scan::{self as engine, LayoutInput};
use notaverify_posture::workloads::{self, WorkloadClass, WorkloadLine, WorkloadsError};
use notaverify_posture::{self as posture, Class, ScanInputs};
use serde::Serialize;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

/// The longest a wait for the next chunk lasts: `onProgress` is called, and an `AbortSignal`
/// noticed, at least this often while a chunk verifies.
const PROGRESS_INTERVAL: Duration = Duration::from_millis(100);

/// The most workload lines one `workloadLines` call hands over: a scan may have a million
/// (`workloads::MAX_WORKLOAD_CONTAINERS`), more text than one JavaScript string may hold.
const WORKLOAD_LINES_PER_CALL: usize = 20_000;

/// An OCI layout to scan.
#[napi(object, object_to_js = false)]
pub struct ScanLayout {
    /// The layout directory.
    pub dir: String,
    /// The `registry/repository` it is: the policy statement is selected with it and its
    /// artifacts are `<scope>@<digest>`.
    pub scope: String,
}

/// A workloads file to resolve to the scanned artifacts (as `--workloads FILE`).
#[napi(object, object_to_js = false)]
pub struct ScanWorkloads {
    /// The file: `kubectl get ... -o json|yaml`, `az containerapp list/show -o json` or
    /// `az webapp list/show -o json` output.
    pub path: String,
    /// The label of its cluster or subscription (as `--workloads-source NAME`); default: the
    /// file name.
    pub source: Option<String>,
}

/// `onProgress`: checked to be a function here; `scan.js` calls it.
pub struct ProgressArg(bool);

impl TypeName for ProgressArg {
    fn type_name() -> &'static str {
        "Function"
    }
    fn value_type() -> ValueType {
        ValueType::Function
    }
}

impl ValidateNapiValue for ProgressArg {}

impl FromNapiValue for ProgressArg {
    unsafe fn from_napi_value(env: sys::napi_env, value: sys::napi_value) -> napi::Result<Self> {
        // SAFETY: the caller passes a live value of `env` (the FromNapiValue contract).
        let unknown = unsafe { Unknown::from_napi_value(env, value) }?;
        Ok(Self(unknown.get_type()? == ValueType::Function))
    }
}

/// Options of `scan` and `scanAsync`: what to scan (`layouts` and/or `batches`) and how.
#[napi(object, object_to_js = false)]
#[derive(Default)]
pub struct ScanOptions {
    /// OCI layouts, scanned first, in order: every manifest that is not a notation signature.
    pub layouts: Option<Vec<ScanLayout>>,
    /// JSON-lines batch files (the format of `notaverify scan --batch`), scanned after the
    /// layouts, in order.
    pub batches: Option<Vec<String>>,
    /// Exceptions (as `notaverify scan --exceptions`).
    #[napi(ts_type = "Exceptions")]
    pub exceptions: Option<Arg<posture::Exceptions>>,
    /// Retired trust material (as `--retired`).
    #[napi(ts_type = "RetiredMaterial")]
    pub retired: Option<Arg<posture::RetiredMaterial>>,
    /// The verification time, at which exceptions are judged too; default now.
    #[napi(ts_type = "Date | string")]
    pub at: Option<TimeArg>,
    /// Threads verifying (default: one per CPU).
    pub threads: Option<i64>,
    /// Only the artifacts of these repositories; each must be one of the inputs'.
    pub only: Option<Vec<String>>,
    /// Of the layouts, only the manifests `index.json` tags. Default false.
    pub tagged_only: Option<bool>,
    /// Verify-warn (as `notaverify scan --warn-only`): the summary's `exitStatus` is 0 whatever
    /// the classes, its `jsonLine` says `warnOnly`, and so does the report. Default false.
    pub warn_only: Option<bool>,
    /// Deployed workloads (as `--workloads FILE [--workloads-source NAME]`, in order): each
    /// workload container is resolved to a scanned artifact (by digest, or by tag through the
    /// layouts' and batch lines' tags) and has its class, or `notScanned` (out of policy); see
    /// `Scan.workloads`. Default none.
    pub workloads: Option<Vec<ScanWorkloads>>,
    /// An earlier `notaverify scan -o json` output (as `--previous`): the summary's `jsonLine`
    /// and the report gain the progress since then (counts then and now, what changed class).
    pub previous: Option<String>,
    /// Called on the JavaScript thread with the artifacts finished so far and the total, while
    /// the scan is iterated (at least every 100 ms while a chunk verifies, and at the end). An
    /// exception it throws stops the scan and comes out of the iteration.
    #[napi(ts_type = "(done: number, total: number) => void")]
    pub on_progress: Option<ProgressArg>,
}

/// A `scan` call, converted: nothing read yet.
struct ScanRequest {
    inputs: ScanInputs,
    context: OwnedContext,
    at: Time,
    jobs: usize,
    warn_only: bool,
    /// The workloads files with their source labels.
    workloads: Vec<workloads::Input>,
    /// The previous scan's file.
    previous: Option<PathBuf>,
}

impl ScanRequest {
    fn new(o: ScanOptions) -> Result<Self> {
        if let Some(ProgressArg(false)) = o.on_progress {
            return Err(invalid_input("onProgress must be a function"));
        }
        let jobs = match o.threads {
            None => std::thread::available_parallelism().map_or(1, |n| n.get()),
            Some(n) => usize::try_from(n)
                .ok()
                .filter(|&n| n >= 1)
                .ok_or_else(|| invalid_input("threads must be at least 1 (default: one per CPU)"))?,
        };
        let rollout = RolloutOptions::convert(o.exceptions, o.retired, o.warn_only)?.into_posture();
        let at = convert::time(o.at)?.unwrap_or_else(Time::now);
        let inputs = ScanInputs {
            layouts: o
                .layouts
                .unwrap_or_default()
                .into_iter()
                .map(|l| LayoutInput { dir: PathBuf::from(l.dir), scope: l.scope })
                .collect(),
            batches: o.batches.unwrap_or_default().into_iter().map(PathBuf::from).collect(),
            only: o.only.unwrap_or_default(),
            tagged_only: o.tagged_only.unwrap_or(false),
        };
        if inputs.layouts.is_empty() && inputs.batches.is_empty() {
            return Err(invalid_input("nothing to scan: give layouts: [{ dir, scope }] and/or batches: [path]"));
        }
        let workloads = o
            .workloads
            .unwrap_or_default()
            .into_iter()
            .map(|w| workloads::Input::new(PathBuf::from(w.path), w.source))
            .collect::<std::result::Result<Vec<_>, _>>()
            .map_err(|e| core_err(&e))?;
        let context = OwnedContext { exceptions: rollout.exceptions, retired: rollout.retired };
        let previous = o.previous.map(PathBuf::from);
        Ok(Self { inputs, context, at, jobs, warn_only: rollout.warn_only, workloads, previous })
    }

    /// Checks the inputs in the CLI's order, each before anything is verified: the workloads
    /// files (that they are files within the size limit; they are parsed while the artifacts
    /// verify), the engine's first pass over the scan's inputs, the previous scan. Then starts
    /// the scan.
    fn start(self, verifier: &Arc<notaverify::Verifier>) -> Result<Scan> {
        let (scan, previous) = guarded(|| {
            workloads::check_files(&self.workloads).map_err(workloads_err)?;
            let scan = posture::Scan::new(&self.inputs).map_err(|e| error(e.kind(), e.to_string()))?;
            let previous = match &self.previous {
                None => None,
                Some(path) => Some(rollups::read_previous(path).map_err(|e| err_in(&e, "previous"))?),
            };
            Ok((scan, previous))
        })?;
        let additions = Additions { previous, workloads: self.workloads };
        let running = BackgroundScan::start(scan, Arc::clone(verifier), self.context, additions, self.at, self.jobs);
        Ok(Scan { inner: Arc::new(Shared { running, ended: Mutex::new(None), warn_only: self.warn_only }) })
    }
}

/// A core error with what was being done before its message, as the CLI words it.
fn err_in(e: &notaverify::Error, context: &str) -> Error {
    error(e.kind(), format!("{context}: {e}"))
}

/// A workloads file that cannot be used, with the code and message the CLI reports (exit 2).
fn workloads_err(e: WorkloadsError) -> Error {
    match e.into_core() {
        (e, Some(context)) => err_in(&e, &context),
        (e, None) => core_err(&e),
    }
}

#[napi]
impl Verifier {
    /// Scans OCI layouts and JSON-lines batch files as `notaverify scan` does: every artifact
    /// verified with every signature evaluated, classified under `exceptions` and `retired` at
    /// `at`, and the deployed `workloads` resolved to them. Throws, before anything is verified,
    /// for bad options or inputs (a workloads file that is not there or too large, a layout or
    /// batch file that cannot be read, a line that does not parse, a signature file a line names
    /// that cannot be read, a `previous` scan that cannot be read), with the codes of the other
    /// methods and the CLI; a workloads file that does not parse stops the iteration with the
    /// CLI's error. The returned `Scan` is iterated with
    /// `for...of` (each wait blocks the event loop; `scanAsync` does not).
    #[napi(ts_return_type = "Scan")]
    pub fn scan(&self, env: Env, options: ScanOptions) -> napi::Result<Scan> {
        thrown(&env, ScanRequest::new(options).and_then(|request| request.start(&self.inner)))
    }

    /// `scan` whose inputs are checked on the libuv pool; its Promise rejects where `scan` throws.
    /// The `Scan` is iterated with `for await...of`, waiting on the libuv pool; once `signal` is
    /// aborted, the iteration stops the scan and throws its `AbortError`.
    #[napi(ts_return_type = "Promise<Scan>")]
    pub fn scan_async(&self, options: ScanOptions, signal: Option<AbortSignal>) -> AsyncTask<ScanStartTask> {
        let task = ScanStartTask { verifier: Arc::clone(&self.inner), request: Some(ScanRequest::new(options)) };
        AsyncTask::with_optional_signal(task, signal)
    }
}

/// `scanAsync`'s first pass on the libuv pool.
pub struct ScanStartTask {
    verifier: Arc<notaverify::Verifier>,
    /// The converted call, taken when it runs.
    request: Option<Result<ScanRequest>>,
}

#[napi]
impl Task for ScanStartTask {
    type Output = Result<Scan>;
    type JsValue = Scan;

    fn compute(&mut self) -> napi::Result<Self::Output> {
        Ok(match self.request.take() {
            Some(request) => request.and_then(|r| r.start(&self.verifier)),
            None => Err(error(ErrorKind::Internal, "the scan started twice")),
        })
    }

    fn resolve(&mut self, env: Env, output: Self::Output) -> napi::Result<Scan> {
        output.map_err(|e| to_js(&env, e))
    }
}

/// A running scan: its artifacts, in input order (layouts, then batch files), as they are
/// classified. Iterable (`for...of`) and async iterable (`for await...of`); leaving the loop
/// early stops the scan. After the last artifact, `summary` holds the counts.
#[napi]
pub struct Scan {
    inner: Arc<Shared>,
}

/// A scan and what it shows at its end, shared with the waits on the libuv pool.
struct Shared {
    running: BackgroundScan,
    /// What the scan left for its summary and report, once it has ended.
    ended: Mutex<Option<Finished>>,
    warn_only: bool,
}

impl Shared {
    /// The summary as the CLI shows it (`None` before the scan ended).
    fn with_summary<T>(&self, f: impl FnOnce(&report::Summary<'_>, &OutOfPolicy) -> T) -> Option<T> {
        let ended = self.ended.lock().unwrap_or_else(PoisonError::into_inner);
        let Finished { summary, rollup, failing, workloads, .. } = ended.as_ref()?;
        let shown = report::Summary { scan: summary, warn_only: self.warn_only, workloads: workloads.as_ref(), rollup };
        Some(f(&shown, failing))
    }
}

#[napi]
impl Scan {
    /// Artifacts the scan has (after `only` and `taggedOnly`).
    #[napi(getter)]
    pub fn total(&self) -> u32 {
        count(self.inner.running.total())
    }

    /// Stops the scan: nothing more is handed over, and there is no summary.
    // A wait on the libuv pool in progress ends first (within `PROGRESS_INTERVAL`).
    #[napi]
    pub fn close(&self) {
        self.inner.running.stop();
    }

    /// Writes the HTML report of `notaverify scan --report` to `path` (replacing the file): the
    /// page the CLI writes for the same scan. Throws `INVALID_INPUT` before the scan has ended
    /// (every artifact handed over), and `LOAD` when the file cannot be written.
    #[napi]
    pub fn write_report(&self, env: Env, path: String) -> napi::Result<()> {
        let written = guarded(|| {
            self.inner
                .with_summary(|summary, failing| report::write(Path::new(&path), summary, failing))
                .ok_or_else(|| invalid_input("the scan has not ended: iterate over every artifact first"))?
                .map_err(|e| core_err(&e))
        });
        thrown(&env, written)
    }

    /// What `notaverify scan` warns about the workloads files (a kind it skips, a web app whose
    /// image the file lacks), once the scan has ended; empty before, and without `workloads`.
    #[napi(getter)]
    pub fn warnings(&self) -> Vec<String> {
        let ended = self.inner.ended.lock().unwrap_or_else(PoisonError::into_inner);
        ended.as_ref().map(|finished| finished.warnings.clone()).unwrap_or_default()
    }

    /// For `scan.js`: the workload lines from the `start`th on (at most
    /// `WORKLOAD_LINES_PER_CALL`), each the CLI's JSON line, separated by newlines (which a
    /// JSON line never holds); empty past the last. `None` before the scan ended and without
    /// `workloads`.
    #[napi(skip_typescript)]
    pub fn workload_lines(&self, start: u32) -> Option<String> {
        let ended = self.inner.ended.lock().unwrap_or_else(PoisonError::into_inner);
        let lines = &ended.as_ref()?.workloads.as_ref()?.lines;
        let start = usize::try_from(start).map_or(lines.len(), |s| s.min(lines.len()));
        let part = &lines[start..lines.len().min(start.saturating_add(WORKLOAD_LINES_PER_CALL))];
        Some(part.iter().map(WorkloadLine::json_line).collect::<Vec<_>>().join("\n"))
    }

    /// For `scan.js`: the next chunk (or progress, or the end) as JSON text, waiting at most
    /// `PROGRESS_INTERVAL` on this thread.
    #[napi(skip_typescript)]
    pub fn receive(&self, env: Env) -> napi::Result<Option<String>> {
        thrown(&env, received(&self.inner))
    }

    /// `receive` on the libuv pool.
    #[napi(skip_typescript)]
    pub fn receive_async(&self) -> AsyncTask<ReceiveTask> {
        AsyncTask::new(ReceiveTask { scan: Arc::clone(&self.inner) })
    }
}

/// A wait for the next chunk on the libuv pool.
pub struct ReceiveTask {
    scan: Arc<Shared>,
}

#[napi]
impl Task for ReceiveTask {
    type Output = Result<Option<String>>;
    type JsValue = Option<String>;

    fn compute(&mut self) -> napi::Result<Self::Output> {
        Ok(received(&self.scan))
    }

    fn resolve(&mut self, env: Env, output: Self::Output) -> napi::Result<Option<String>> {
        output.map_err(|e| to_js(&env, e))
    }
}

/// What `receive` hands `scan.js`: the artifacts finished so far, and the next chunk or the
/// summary when there is one.
#[derive(Serialize)]
struct ReceivedText {
    done: usize,
    #[serde(skip_serializing_if = "Option::is_none")]
    artifacts: Option<Vec<ScannedArtifact>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    summary: Option<ScanSummary>,
}

/// The next thing the scan hands over, as JSON text (`None` once it has ended); the error that
/// stopped it, if any.
fn received(scan: &Shared) -> Result<Option<String>> {
    let (artifacts, summary) = match scan.running.receive(PROGRESS_INTERVAL) {
        Received::Chunk(chunk) => (Some(chunk.iter().map(ScannedArtifact::from).collect()), None),
        Received::Done(result) => {
            let finished = (*result).map_err(|stopped| {
                let (kind, message) = stopped.into_parts();
                error(kind, message)
            })?;
            *scan.ended.lock().unwrap_or_else(PoisonError::into_inner) = Some(finished);
            (None, scan.with_summary(|summary, _| ScanSummary::from(summary)))
        }
        Received::Panicked(what) => {
            return Err(error(ErrorKind::Internal, format!("internal error in notaverify: {what}")));
        }
        Received::Pending => (None, None),
        Received::Finished => return Ok(None),
    };
    let text = ReceivedText { done: scan.running.done(), artifacts, summary };
    serde_json::to_string(&text).map(Some).map_err(|e| error(ErrorKind::Internal, format!("scan: {e}")))
}

/// A count as JavaScript gets it (a scan has at most `MAX_SCAN_ARTIFACTS` artifacts and
/// `workloads::MAX_WORKLOAD_CONTAINERS` workload containers).
fn count(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

/// One scanned artifact: where it came from, its class and who signed it.
#[napi(object, object_from_js = false, object_to_js = false, use_nullable = true)]
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ScannedArtifact {
    /// `registry/repository@<digest>`.
    pub reference: String,
    /// The class (the classification's).
    #[napi(
        js_name = "class",
        ts_type = "'verified' | 'unsigned' | 'unknownSigner' | 'retiredSigner' | 'invalidSignature' | 'expired' | 'failed' | 'excepted' | 'skippedByPolicy'"
    )]
    pub class: String,
    /// Whether it passes (verified, excepted or skippedByPolicy).
    pub in_policy: bool,
    /// The repository (the layout's scope, or the reference's repository).
    pub repository: String,
    /// The layout directory, or `batch-file:line`.
    pub source: String,
    /// Its tags (the layout's `index.json`, or the batch line's `tags`).
    pub tags: Vec<String>,
    /// The classification.
    pub classification: Classification,
    /// The signer of each signature, in order (`null` unless its integrity check passed).
    #[napi(ts_type = "Array<Signer | null>")]
    pub signers: Vec<Option<notaverify::Signer>>,
    /// The line `notaverify scan -o json` prints for it (`JSON.stringify(artifact)` is the
    /// same document). Non-enumerable.
    #[napi(readonly)]
    pub json_line: String,
}

impl From<&engine::ScannedArtifact> for ScannedArtifact {
    fn from(a: &engine::ScannedArtifact) -> Self {
        let c = &a.classification;
        Self {
            reference: c.reference.clone(),
            class: c.class.as_str().to_owned(),
            in_policy: c.in_policy,
            repository: a.repository.clone(),
            source: a.source.clone(),
            tags: a.tags.clone(),
            classification: Classification::new(c, false),
            signers: a.signers.clone(),
            json_line: engine::json_line(a).to_string(),
        }
    }
}

/// The counts of a scan.
#[napi(object, object_from_js = false, object_to_js = false, use_nullable = true)]
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ScanSummary {
    /// Artifacts scanned.
    pub total: u32,
    /// In policy (verified, excepted, skippedByPolicy).
    pub in_policy: u32,
    /// Out of policy.
    pub out_of_policy: u32,
    /// Artifacts per class, every class.
    #[napi(
        ts_type = "Record<'verified' | 'unsigned' | 'unknownSigner' | 'retiredSigner' | 'invalidSignature' | 'expired' | 'failed' | 'excepted' | 'skippedByPolicy', number>"
    )]
    pub counts: BTreeMap<&'static str, u32>,
    /// Artifacts signed by both a retired and a current signer.
    pub dual_signed: u32,
    /// The scan time, RFC 3339 (exceptions are judged at it).
    pub at: String,
    /// Deployed workload containers (`null` without `workloads`).
    pub workloads_total: Option<u32>,
    /// Deployed workload containers out of policy, `notScanned` included (`null` without
    /// `workloads`).
    pub workloads_out_of_policy: Option<u32>,
    /// Deployed workload containers per class, every class and `notScanned` (`null` without
    /// `workloads`).
    #[napi(
        ts_type = "Record<'verified' | 'unsigned' | 'unknownSigner' | 'retiredSigner' | 'invalidSignature' | 'expired' | 'failed' | 'excepted' | 'skippedByPolicy' | 'notScanned', number> | null"
    )]
    pub workload_counts: Option<BTreeMap<&'static str, u32>>,
    /// The exit status `notaverify scan` gives: 0 when every artifact and every deployed
    /// workload container is in policy (or with `warnOnly`), else 1.
    pub exit_status: u8,
    /// The summary line of `notaverify scan -o json` for the same scan (`{"summary": {...}}`):
    /// counts in total, per class, per repository, per source and per signer, the exceptions,
    /// the retired declarations, `warnOnly`, the time and the timing (`elapsedSeconds`,
    /// `microsecondsPerArtifact`, `jobs`), and with `workloads` and `previous` their counts
    /// (`workloads`) and the progress since the previous scan (`progress`).
    /// `JSON.stringify(summary)` is the same document.
    /// Non-enumerable.
    #[napi(readonly)]
    pub json_line: String,
}

impl From<&report::Summary<'_>> for ScanSummary {
    fn from(shown: &report::Summary<'_>) -> Self {
        let s = shown.scan;
        Self {
            total: count(s.total),
            in_policy: count(s.in_policy),
            out_of_policy: count(s.out_of_policy),
            counts: Class::ALL.iter().zip(s.counts).map(|(c, n)| (c.as_str(), count(n))).collect(),
            dual_signed: count(s.dual_signed),
            at: s.at.to_rfc3339(),
            workloads_total: shown.workloads.map(|w| count(w.total)),
            workloads_out_of_policy: shown.workloads.map(|w| count(w.out_of_policy)),
            workload_counts: shown
                .workloads
                .map(|w| WorkloadClass::all().into_iter().zip(w.counts).map(|(c, n)| (c.as_str(), count(n))).collect()),
            exit_status: shown.exit_status(),
            json_line: shown.json_line(),
        }
    }
}

/// When the addon loads: `scan.js` makes `Scan` iterable and wraps `Verifier.scan` /
/// `scanAsync` (see the module documentation).
pub(crate) fn install(env: &Env, exports: &Object<'_>) -> napi::Result<()> {
    let install: Function<'_, FnArgs<(Unknown<'_>, Unknown<'_>)>, Unknown<'_>> =
        env.run_script(include_str!("scan.js"))?;
    install.call((exports.get_named_property("Verifier")?, exports.get_named_property("Scan")?).into())?;
    Ok(())
}
