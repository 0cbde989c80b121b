//! `notaverify scan`: classify every artifact of OCI layouts and JSON-lines batch files.
//!
//! Inputs: `--oci-layout DIR --scope REPO` pairs (every manifest of the layout that is not
//! itself a notation signature, or only the tagged ones with `--tagged-only`; an OCI layout has
//! no repository names, so `--scope` says which repository the layout is) and `--batch FILE`
//! (one JSON object per line: `{"reference": "registry/repository@<digest>", "descriptor":
//! {"mediaType","digest","size"} (optional), "tags": [tag, ...] (optional), "signatures":
//! ["path", ...]}`, paths relative to the batch file). Each artifact is verified as `notaverify
//! verify --all-signatures` would (every signature evaluated, also after one verified; the
//! verdict is the same), classified by `notaverify_posture::classify`, and reported as one JSON
//! line (`-o json`) or text lines with every signer of the artifact, then a summary (counts per
//! class and per repository, exceptions with days left, every signer, the artifacts signed by
//! both a retired and a current signer) and, with `--report`, a self-contained HTML page.
//!
//! The scan itself (reading the inputs, verifying in chunks on `--jobs` threads, classifying,
//! counting) is `notaverify_posture::scan`: a first pass checks every input (a bad batch line or
//! signature file is exit 2 before anything is verified) and a second verifies chunk by chunk.
//! This module turns the arguments into its inputs, draws the progress bar and renders.
//!
//! Output as it comes: unless something after the artifact lines can still fail the scan (a
//! workloads file that does not parse, a report that cannot be written: then nothing but the
//! error is printed), each chunk's lines (and the warnings about them) are written as soon as it
//! is classified and not kept, so the memory of a scan does not grow with its artifacts. With
//! `--workloads` or `--report`, the output is kept and written at the end, once the report is
//! written (the workload lines as they are rendered, not kept); `--workloads` keeps every
//! artifact line too (a workload's class is its artifact's), `--report` only the out-of-policy
//! artifacts it lists (`notaverify_posture::report::OutOfPolicy`). The bytes written are the
//! same either way.
//!
//! With `--workloads FILE` (each optionally followed by `--workloads-source NAME`), what runs
//! is reported too: every workload container of the files (`notaverify_posture::workloads`), resolved to a
//! scanned artifact by digest or by the layouts' and batch lines' tags, with that artifact's
//! class or `notScanned`; one line each after the artifact lines, and counts per class and per
//! source in the summary. The files are read while the artifacts are verified (a bad one is
//! exit 2 all the same) and their images parsed; after the scan the images are looked up and
//! the workload lines written after the artifact lines, rendered on threads as they are written.
//!
//! Exit status: 0 when every artifact and every deployed workload container is in policy
//! (verified, excepted, skipped by policy) or with `--warn-only`; 1 when any is out of policy
//! (a workload whose image no scanned input holds is out of policy); 2 on bad input
//! (unreadable layout, batch line or configuration), before anything is verified (a workloads
//! file that does not parse: before anything is printed), and when nothing would be checked (no
//! artifact in the inputs, or an `--only` repository that none of them has): a gate never passes
//! on nothing. A batch file that changes while it is scanned is exit 2 too, after the lines of
//! the chunks before.

use super::{oci_verifier, posture as posture_cli, verify_options};
use crate::args::{Output, ScanArgs};
use crate::render;
use crate::render::printable::Printable as P;
use crate::verdict::{Context, EXIT_ERROR, Failure, Report};
use notaverify::{Error, Time};
use notaverify_posture::report::{self, OutOfPolicy, Summary};
use notaverify_posture::rollup::{self, ArtifactRollUp, RollUp};
use notaverify_posture::scan::{LayoutInput, ScanOptions};
use notaverify_posture::workloads::{self, WorkloadSummary};
use notaverify_posture::{Scan, ScanError, ScanInputs};
use std::collections::BTreeSet;
use std::io::{IsTerminal, Write};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

/// The workloads files with their source labels.
fn workloads_inputs(args: &ScanArgs) -> Result<Vec<workloads::Input>, Failure> {
    if !args.workloads_sources.is_empty() && args.workloads_labels.len() != args.workloads.len() {
        return Err(Error::InvalidInput("--workloads-source must follow the --workloads FILE it names".into()).into());
    }
    let labels = args.workloads_labels.iter().cloned().chain(std::iter::repeat(None));
    Ok(args
        .workloads
        .iter()
        .zip(labels)
        .map(|(path, label)| workloads::Input::new(path.clone(), label))
        .collect::<Result<_, _>>()?)
}

/// Runs `scan`.
pub fn run(args: &ScanArgs) -> Report {
    let mut warnings = Vec::new();
    let mut report = match scan(args, &mut warnings) {
        Ok(report) => report,
        Err(failure) => {
            let message = failure.message();
            let stdout = match args.common.output {
                Output::Json => {
                    format!("{}\n", serde_json::json!({"error": {"code": failure.error.code(), "message": message}}))
                }
                Output::Text => String::new(),
            };
            Report { stdout, stderr: format!("Error: {message}\n"), exit_status: EXIT_ERROR }
        }
    };
    let first: String = warnings.iter().map(|w| format!("Warning: {}\n", P(w))).collect();
    report.stderr.insert_str(0, &first);
    report
}

/// `warnings` gets what must be said before anything else (also when the scan fails).
fn scan(args: &ScanArgs, warnings: &mut Vec<String>) -> Result<Report, Failure> {
    let mut options = verify_options(&args.verification)?;
    let at = options.at.unwrap_or_else(Time::now);
    options.at = Some(at);
    if args.layouts.len() != args.scopes.len() {
        return Err(Error::InvalidInput(format!(
            "give one --scope per --oci-layout, in order (got {} layouts and {} scopes)",
            args.layouts.len(),
            args.scopes.len()
        ))
        .into());
    }
    if args.layouts.is_empty() && args.batches.is_empty() {
        return Err(Error::InvalidInput(
            "nothing to scan: give --oci-layout DIR --scope REPO and/or --batch FILE".into(),
        )
        .into());
    }
    if args.jobs == Some(0) {
        return Err(Error::InvalidInput("--jobs must be greater than zero".into()).into());
    }
    // Workloads files: checked now (a missing or oversized file is exit 2 at once), read on a
    // thread of their own while the artifacts are verified: parsing a large `kubectl` export
    // costs as much as verifying thousands of artifacts, and verification does not keep every
    // core busy (requests are built and results classified between chunks). A file that does
    // not parse stops the verification at the next chunk and is exit 2 like any bad input:
    // nothing is printed but the error. Only the containers the files list are kept.
    let stop = Arc::new(AtomicBool::new(false));
    let reading = if args.workloads.is_empty() {
        None
    } else {
        let inputs = workloads_inputs(args)?;
        workloads::check_files(&inputs)?;
        let stop = Arc::clone(&stop);
        Some(std::thread::spawn(move || {
            let loaded = workloads::load(&inputs);
            if loaded.is_err() {
                stop.store(true, Ordering::Relaxed);
            }
            loaded
        }))
    };
    let verifier = oci_verifier(&args.common, warnings)?;
    let loaded = posture_cli::load(&args.posture, &args.common, Some(&verifier))?;
    let scan = Scan::new(&scan_inputs(args)).map_err(|e| failure(e, args))?;
    let previous =
        args.previous.as_deref().map(|path| rollup::read_previous(path).context(|| "--previous".into())).transpose()?;
    let jobs = args.jobs.unwrap_or_else(|| std::thread::available_parallelism().map_or(1, |n| n.get())).max(1);
    let progress = !args.no_progress && std::io::stderr().is_terminal();
    let ctx = loaded.context(at);

    let bar = Mutex::new(());
    let mut out =
        Out { streaming: reading.is_none() && args.report.is_none(), bar: progress.then_some(&bar), ..Out::default() };
    if out.streaming {
        // Written now, before the warnings about the lines; `run` would write them first.
        let first: String = warnings.drain(..).map(|w| format!("Warning: {}\n", P(&w))).collect();
        out.write(&first, Stream::Stderr);
    }
    let loaded_warnings: String = loaded.warnings.iter().map(|w| format!("Warning: {}\n", P(w))).collect();
    out.write(&loaded_warnings, Stream::Stderr);
    // What resolving the workloads' images needs of every artifact, only when there are workloads.
    let keep_lines = reading.is_some();
    let mut kept = workloads::Artifacts::default();
    let mut rollup = ArtifactRollUp::new(previous.as_ref());
    let mut failing = OutOfPolicy::default();
    let done = AtomicUsize::new(0);
    let report_progress = |n: usize| {
        done.fetch_max(n, Ordering::Relaxed);
    };
    let scan_options =
        ScanOptions { verify: &options, jobs, on_progress: Some(&report_progress), stop: Some(stop.as_ref()) };
    // The text of a chunk's lines, its memory reused from chunk to chunk.
    let mut lines = String::new();
    let finished = AtomicBool::new(false);
    let summary = std::thread::scope(|s| {
        // Stops the bar also when a chunk panics: the scope waits for the bar before unwinding.
        let _stop_bar = SetOnDrop(&finished);
        if progress {
            s.spawn(|| draw_progress(&done, &finished, scan.total(), &bar));
        }
        scan.for_each_chunk(&verifier, &ctx, &scan_options, |chunk| {
            lines.clear();
            let mut warned = String::new();
            for line in &chunk {
                rollup.add(line);
                failing.add(line);
                match args.common.output {
                    Output::Json => {
                        lines.push_str(&render::summary::json_line(line).to_string());
                        lines.push('\n');
                    }
                    Output::Text => lines.push_str(&render::summary::text_line(line)),
                }
                for w in render::posture::classification_warnings(&line.classification) {
                    warned.push_str(&format!("Warning: {}\n", P(&w)));
                }
            }
            out.write(&lines, Stream::Stdout);
            out.write(&warned, Stream::Stderr);
            if keep_lines {
                chunk.iter().for_each(|line| kept.add(line));
            }
        })
    })
    .map_err(|e| failure(e, args))?;
    let deployed = match reading {
        None => None,
        Some(reading) => {
            let read = reading.join().map_err(|_| Error::Internal("reading the workloads files failed".into()))?;
            let mut deployed = read?;
            warnings.append(&mut deployed.warnings);
            Some(deployed)
        }
    };

    // After the artifact lines: a workload's class is its artifact's.
    let workloads = deployed.map(|d| WorkloadSummary::resolve(d, &kept, jobs));
    let rollup = RollUp::new(rollup, workloads.as_ref());
    let shown =
        Summary { scan: &summary, warn_only: args.posture.warn_only, workloads: workloads.as_ref(), rollup: &rollup };
    if let Some(path) = &args.report {
        report::write(path, &shown, &failing)?;
    }
    // Nothing can fail the scan any more: the output kept so far goes to stdout now, and the
    // workload lines as they are rendered.
    out.write_stdout_with(|stdout| match args.common.output {
        Output::Json => {
            if let Some(w) = &workloads {
                workloads::write_json_lines(&w.lines, jobs, stdout)?;
            }
            stdout.write_all(shown.json_line().as_bytes())?;
            stdout.write_all(b"\n")
        }
        Output::Text => {
            let mut text = String::from("\n");
            if let Some(w) = &workloads {
                text.push_str(&render::summary::workloads_text(w));
                text.push('\n');
            }
            text.push_str(&render::summary::summary_text(&shown));
            text.push_str(&render::progress::text(&rollup));
            stdout.write_all(text.as_bytes())
        }
    });
    let exit_status = shown.exit_status();
    let mut stderr = String::new();
    if args.posture.warn_only && shown.out_of_policy() {
        let deployed = match &workloads {
            Some(w) => format!(" and {} of {} deployed workload containers", w.out_of_policy, w.total),
            None => String::new(),
        };
        stderr = format!(
            "Warning: --warn-only: enforcement would fail {} of {} artifacts{deployed}; exiting 0\n",
            summary.out_of_policy, summary.total
        );
    }
    out.write(&stderr, Stream::Stderr);
    // `main` writes the report and the process exits: the kept artifact lines, the workload lines
    // and the roll-up (with `--workloads`, hundreds of thousands of strings) are left to the exit
    // rather than freed one by one on this thread after the output is complete (tens of
    // milliseconds of a large scan). `run` is called once per process, by `main` only.
    std::mem::forget((kept, workloads, rollup, failing));
    Ok(Report { stdout: out.stdout, stderr: out.stderr, exit_status })
}

/// Which of the two.
#[derive(Clone, Copy)]
enum Stream {
    Stdout,
    Stderr,
}

/// Where `scan` writes: straight to stdout and stderr (`streaming`), or into the [`Report`]
/// `main` writes when the scan is done.
#[derive(Default)]
struct Out<'a> {
    streaming: bool,
    /// Held while the progress bar is drawn on stderr (a terminal): text written while it is
    /// drawn takes its turn, the bar's line cleared first, and the bar is drawn again below.
    bar: Option<&'a Mutex<()>>,
    stdout: String,
    stderr: String,
}

impl Out<'_> {
    fn write(&mut self, text: &str, stream: Stream) {
        if !self.streaming {
            match stream {
                Stream::Stdout => self.stdout.push_str(text),
                Stream::Stderr => self.stderr.push_str(text),
            }
            return;
        }
        if text.is_empty() {
            return;
        }
        let _turn = self.bar.map(|bar| {
            let turn = bar.lock().unwrap_or_else(PoisonError::into_inner);
            let _ = std::io::stderr().write_all(CLEAR_LINE.as_bytes());
            turn
        });
        // A write that fails (a closed pipe) is ignored, as `main` ignores it: the exit status is
        // the scan's.
        let _ = match stream {
            Stream::Stdout => std::io::stdout().lock().write_all(text.as_bytes()),
            Stream::Stderr => std::io::stderr().lock().write_all(text.as_bytes()),
        };
    }

    /// Writes the output kept so far, then what `write` writes, to stdout: the last of the
    /// scan's output, once nothing can fail it. The workload lines of a large scan are tens of
    /// megabytes, written as they are rendered rather than kept.
    fn write_stdout_with(&mut self, write: impl FnOnce(&mut dyn Write) -> std::io::Result<()>) {
        let kept = std::mem::take(&mut self.stdout);
        let mut stdout = std::io::stdout().lock();
        // A write that fails (a closed pipe) is ignored, as `main` ignores it: the exit status is
        // the scan's.
        let _ = stdout.write_all(kept.as_bytes()).and_then(|()| write(&mut stdout));
    }
}

/// The scan's inputs as the arguments give them.
fn scan_inputs(args: &ScanArgs) -> ScanInputs {
    ScanInputs {
        layouts: args
            .layouts
            .iter()
            .zip(&args.scopes)
            .map(|(dir, scope)| LayoutInput { dir: dir.clone(), scope: scope.clone() })
            .collect(),
        batches: args.batches.clone(),
        only: args.only.clone(),
        tagged_only: args.tagged_only,
    }
}

/// A scan that cannot run, in the options' words.
fn failure(error: ScanError, args: &ScanArgs) -> Failure {
    let message = match error {
        ScanError::Input { error, context } => return Failure { error, context },
        ScanError::Scope(scope) => format!("--scope {scope:?} must be registry/repository"),
        ScanError::UnknownRepository { repository, known } => format!(
            "--only {repository:?} matches no repository of the inputs (they have: {}); nothing of it would be \
             checked, and a scan that checks nothing does not pass",
            clipped_list(&known)
        ),
        ScanError::NoArtifact => {
            let filters = match (args.only.is_empty(), args.tagged_only) {
                (true, false) => "",
                (false, false) => " with --only",
                (true, true) => " with --tagged-only",
                (false, true) => " with --only and --tagged-only",
            };
            format!(
                "no artifact to check: the inputs hold no artifact{filters} (only signatures, or nothing); a scan \
                 that checks nothing does not pass"
            )
        }
    };
    Error::InvalidInput(message).into()
}

/// At most the first 10 names, quoted, then how many more.
fn clipped_list(names: &BTreeSet<String>) -> String {
    let mut shown: Vec<String> = names.iter().take(10).map(|n| format!("{n:?}")).collect();
    if names.len() > 10 {
        shown.push(format!("and {} more", names.len() - 10));
    }
    if shown.is_empty() { "none".to_owned() } else { shown.join(", ") }
}

/// Sets the flag when dropped.
struct SetOnDrop<'a>(&'a AtomicBool);

impl Drop for SetOnDrop<'_> {
    fn drop(&mut self) {
        self.0.store(true, Ordering::Relaxed);
    }
}

/// Back to the start of the line, and the line erased (a terminal's control sequence).
const CLEAR_LINE: &str = "\r\x1b[2K";

/// Draws the progress bar on stderr every 100 ms until `finished`, holding `turn` while it draws.
fn draw_progress(done: &AtomicUsize, finished: &AtomicBool, total: usize, turn: &Mutex<()>) {
    let mut err = std::io::stderr();
    loop {
        let n = done.load(Ordering::Relaxed);
        let width = 40;
        let filled = (n.min(total) * width).checked_div(total).unwrap_or(width);
        let drawing = turn.lock().unwrap_or_else(PoisonError::into_inner);
        let _ =
            write!(err, "\rscanning [{}{}] {n}/{total}", "#".repeat(filled), "-".repeat(width.saturating_sub(filled)));
        let _ = err.flush();
        drop(drawing);
        if finished.load(Ordering::Relaxed) {
            let _ = writeln!(err);
            return;
        }
        std::thread::sleep(Duration::from_millis(100));
    }
}
