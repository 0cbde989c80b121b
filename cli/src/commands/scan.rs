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
//! The artifacts are verified in chunks of [`ARTIFACTS_PER_CHUNK`]: a chunk's verification
//! requests are built (a layout artifact's by `Verifier::oci_layout_item` from the layout opened
//! once, a batch line's from the envelope files read up front, each file once), verified by
//! `Verifier::verify_many_with` on `--jobs` threads, and each result is classified with the
//! envelopes it was verified with, so a layout's signatures are read once. Only one chunk of
//! requests is in memory at a time.
//!
//! Which manifests of a layout are signatures (left out) and which are artifacts (classified) is
//! the loader's rule, the one `verify --oci-layout` uses (`OciLayout::artifacts`): a manifest is
//! left out only if it is a well-formed notation signature with a subject, never because an index
//! entry or the manifest merely claims the signature artifact type. An unsigned image dressed up
//! as a signature is therefore scanned, and is `unsigned`.
//!
//! With `--workloads FILE` (each optionally followed by `--workloads-source NAME`), what runs
//! is reported too: every workload container of the files (`crate::workloads`), resolved to a
//! scanned artifact by digest or by the layouts' and batch lines' tags, with that artifact's
//! class or `notScanned`; one line each after the artifact lines, and counts per class and per
//! source in the summary. The files are read while the artifacts are verified (a bad one is
//! exit 2 all the same), the workload lines computed after the artifact lines.
//!
//! Exit status: 0 when every artifact and every deployed workload container is in policy
//! (verified, excepted, skipped by policy) or with `--warn-only`; 1 when any is out of policy
//! (a workload whose image no scanned input holds is out of policy); 2 on bad input
//! (unreadable layout, batch line or configuration), before anything is verified (a workloads
//! file that does not parse: before anything is printed), and when nothing would be checked (no
//! artifact in the inputs, or an `--only` repository that none of them has): a gate never passes
//! on nothing.

use super::{oci_verifier, posture as posture_cli, verify_options};
use crate::args::{Output, ScanArgs};
use crate::render;
use crate::render::printable::Printable as P;
use crate::render::summary::{Line, ScanSummary};
use crate::verdict::{Context, EXIT_ERROR, EXIT_FAILED, EXIT_VERIFIED, Failure, Report};
use crate::workloads::{self, WorkloadSummary};
use notaverify::loader::{self, OciLayout, TagOrDigest};
use notaverify::reference::split_reference;
use notaverify::{
    ArtifactOutcome, BatchItem, BatchOptions, CheckType, Descriptor, Error, SignatureInput, SignatureOutcome, Signer,
    Target, Time, Verifier, VerifyOptions,
};
use notaverify_posture::{self as posture, PostureContext};
use std::collections::{BTreeSet, HashMap};
use std::io::{BufRead, IsTerminal, Read, Write};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::time::{Duration, Instant};

/// Most artifacts in one scan.
const MAX_SCAN_ARTIFACTS: usize = 1_000_000;
/// Longest batch line.
const MAX_BATCH_LINE_BYTES: usize = 1024 * 1024;
/// Artifacts whose verification requests are built, verified and classified together: at most
/// this many requests (with their envelopes) are in memory at once, however many artifacts a scan
/// has. Large enough that the threads rarely wait for each other at the end of a chunk and that
/// the chunk's thread pool costs nothing measurable.
const ARTIFACTS_PER_CHUNK: usize = 1024;

/// The workloads files with their source labels.
fn workloads_inputs(args: &ScanArgs) -> Result<Vec<workloads::Input>, Failure> {
    if !args.workloads_sources.is_empty() && args.workloads_labels.len() != args.workloads.len() {
        return Err(Error::InvalidInput("--workloads-source must follow the --workloads FILE it names".into()).into());
    }
    let mut inputs = Vec::with_capacity(args.workloads.len());
    for (i, path) in args.workloads.iter().enumerate() {
        let source = match args.workloads_labels.get(i).cloned().flatten() {
            Some(label) if label.is_empty() => {
                return Err(Error::InvalidInput("--workloads-source must not be empty".into()).into());
            }
            Some(label) => label,
            None => path.file_name().map_or_else(|| path.display().to_string(), |n| n.to_string_lossy().into_owned()),
        };
        inputs.push(workloads::Input { path: path.clone(), source });
    }
    Ok(inputs)
}

/// One artifact to verify.
enum Item {
    Layout { layout: usize, digest: String, tags: Vec<String> },
    Batch { reference: String, target: Target, signatures: Vec<usize>, line: String, tags: Vec<String> },
}

struct Inputs {
    layouts: Vec<(PathBuf, String, OciLayout)>,
    envelopes: Vec<SignatureInput>,
    items: Vec<Item>,
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
    // Every signature of every artifact is evaluated, not only up to the first that verifies (the
    // verdicts are the same): the lines list every signer, and the summary can count the
    // artifacts re-signed during a rotation (a retired and a current signer).
    options.all_signatures = true;
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
    let inputs = collect(args)?;
    let previous = args.previous.as_deref().map(crate::progress::read_previous).transpose()?;
    let jobs = args.jobs.unwrap_or_else(|| std::thread::available_parallelism().map_or(1, |n| n.get())).max(1);
    let progress = !args.no_progress && std::io::stderr().is_terminal();
    let started = Instant::now();
    let ctx = loaded.context(at);
    let options = ctx.verify_options(options);
    let lines = verify_all(&inputs, &verifier, &options, &ctx, jobs, progress, &stop);
    let elapsed = started.elapsed();
    let deployed = match reading {
        None => None,
        Some(reading) => {
            let read = reading.join().map_err(|_| Error::Internal("reading the workloads files failed".into()))?;
            let mut deployed = read?;
            warnings.append(&mut deployed.warnings);
            Some(deployed)
        }
    };

    let mut summary = ScanSummary::new(&lines, &ctx, elapsed, jobs, args.posture.warn_only);
    // After the artifact lines: a workload's class is its artifact's.
    summary.workloads = deployed.map(|d| WorkloadSummary::resolve(d, &lines, jobs));
    let workload_lines = summary.workloads.as_ref().map_or(&[][..], |w| &w.lines[..]);
    let rollup = crate::progress::RollUp::new(&lines, workload_lines, previous.as_ref());
    let mut stdout = String::new();
    let mut stderr: String = loaded.warnings.iter().map(|w| format!("Warning: {}\n", P(w))).collect();
    match args.common.output {
        Output::Json => {
            for line in &lines {
                stdout.push_str(&render::summary::json_line(line).to_string());
                stdout.push('\n');
            }
            if let Some(w) = &summary.workloads {
                render::summary::workload_json_lines(&w.lines, jobs, &mut stdout);
            }
            let summary_json = render::progress::summary_json(summary.to_json(), &rollup);
            stdout.push_str(&serde_json::json!({"summary": summary_json}).to_string());
            stdout.push('\n');
        }
        Output::Text => {
            for line in &lines {
                stdout.push_str(&render::summary::text_line(line));
            }
            stdout.push('\n');
            if let Some(w) = &summary.workloads {
                stdout.push_str(&render::summary::workloads_text(w));
                stdout.push('\n');
            }
            stdout.push_str(&summary.to_text());
            stdout.push_str(&render::progress::text(&rollup));
        }
    }
    for line in &lines {
        for w in render::posture::classification_warnings(&line.classification) {
            stderr.push_str(&format!("Warning: {}\n", P(&w)));
        }
    }
    if let Some(path) = &args.report {
        let html = render::report_html::page(&summary, &lines, &rollup);
        std::fs::write(path, html).map_err(|e| Error::Load {
            path: path.display().to_string(),
            reason: format!("the report cannot be written: {e}"),
        })?;
    }
    let workloads_out = summary.workloads.as_ref().map_or(0, |w| w.out_of_policy);
    let failing = summary.out_of_policy > 0 || workloads_out > 0;
    let exit_status = if !failing || args.posture.warn_only { EXIT_VERIFIED } else { EXIT_FAILED };
    if args.posture.warn_only && failing {
        let deployed = match &summary.workloads {
            Some(w) => format!(" and {workloads_out} of {} deployed workload containers", w.total),
            None => String::new(),
        };
        stderr.push_str(&format!(
            "Warning: --warn-only: enforcement would fail {} of {} artifacts{deployed}; exiting 0\n",
            summary.out_of_policy, summary.total
        ));
    }
    Ok(Report { stdout, stderr, exit_status })
}

/// Reads every layout and batch file up front: bad input is exit 2 before anything runs, and so
/// is a scan that would check nothing (no artifact, or an `--only` repository no input has).
fn collect(args: &ScanArgs) -> Result<Inputs, Failure> {
    let mut inputs = Inputs { layouts: Vec::new(), envelopes: Vec::new(), items: Vec::new() };
    let wanted = |repo: &str| args.only.is_empty() || args.only.iter().any(|o| o == repo);
    // Every repository the inputs name, to tell an `--only` that matches nothing.
    let mut repositories: BTreeSet<String> = BTreeSet::new();
    for (dir, scope) in args.layouts.iter().zip(&args.scopes) {
        if scope.is_empty() || scope.contains('@') {
            return Err(Error::InvalidInput(format!("--scope {scope:?} must be registry/repository")).into());
        }
        let layout = OciLayout::open(dir).context(|| format!("OCI layout {}", dir.display()))?;
        let index = inputs.layouts.len();
        repositories.insert(scope.clone());
        if wanted(scope) {
            // Every manifest but the notation signatures, by the rule `verify` uses.
            for manifest in layout.artifacts() {
                if args.tagged_only && manifest.tags.is_empty() {
                    continue;
                }
                inputs.items.push(Item::Layout {
                    layout: index,
                    digest: manifest.descriptor.digest.clone(),
                    tags: manifest.tags.clone(),
                });
            }
        }
        inputs.layouts.push((dir.clone(), scope.clone(), layout));
    }
    let mut cache: HashMap<PathBuf, usize> = HashMap::new();
    for batch in &args.batches {
        read_batch(batch, &mut inputs, &mut cache, &wanted, &mut repositories)?;
    }
    if let Some(unmatched) = args.only.iter().find(|o| !repositories.contains(*o)) {
        return Err(Error::InvalidInput(format!(
            "--only {unmatched:?} matches no repository of the inputs (they have: {}); nothing of it would be \
             checked, and a scan that checks nothing does not pass",
            clipped_list(&repositories)
        ))
        .into());
    }
    if inputs.items.is_empty() {
        let filters = match (args.only.is_empty(), args.tagged_only) {
            (true, false) => "",
            (false, false) => " with --only",
            (true, true) => " with --tagged-only",
            (false, true) => " with --only and --tagged-only",
        };
        return Err(Error::InvalidInput(format!(
            "no artifact to check: the inputs hold no artifact{filters} (only signatures, or nothing); a scan \
             that checks nothing does not pass"
        ))
        .into());
    }
    if inputs.items.len() > MAX_SCAN_ARTIFACTS {
        return Err(Error::LimitExceeded {
            what: "artifacts in one scan",
            limit: MAX_SCAN_ARTIFACTS,
            actual: inputs.items.len(),
        }
        .into());
    }
    Ok(inputs)
}

/// At most the first 10 names, quoted, then how many more.
fn clipped_list(names: &BTreeSet<String>) -> String {
    let mut shown: Vec<String> = names.iter().take(10).map(|n| format!("{n:?}")).collect();
    if names.len() > 10 {
        shown.push(format!("and {} more", names.len() - 10));
    }
    if shown.is_empty() { "none".to_owned() } else { shown.join(", ") }
}

/// One batch line: `{"reference", "descriptor"?, "tags"?, "signatures": [paths]}`, nothing else.
/// `tags` are the artifact's tags in its repository: `scan --workloads` resolves an image
/// `repository:tag` through them.
struct BatchLine {
    reference: String,
    descriptor: Option<Descriptor>,
    tags: Vec<String>,
    signatures: Vec<String>,
}

fn parse_batch_line(text: &str) -> Result<BatchLine, String> {
    let value: serde_json::Value = serde_json::from_str(text).map_err(|e| e.to_string())?;
    let obj = value.as_object().ok_or("not a JSON object")?;
    const MEMBERS: [&str; 4] = ["reference", "descriptor", "tags", "signatures"];
    if let Some(unknown) = obj.keys().find(|k| !MEMBERS.contains(&k.as_str())) {
        return Err(format!("unknown member {unknown:?}"));
    }
    let reference = obj.get("reference").and_then(|v| v.as_str()).ok_or("reference (a string) is missing")?.to_owned();
    let descriptor = match obj.get("descriptor") {
        None | Some(serde_json::Value::Null) => None,
        Some(d) => {
            let get = |k: &str| {
                d.get(k)
                    .and_then(|v| v.as_str())
                    .map(str::to_owned)
                    .ok_or(format!("descriptor.{k} (a string) is missing"))
            };
            let size = d.get("size").and_then(|v| v.as_i64()).ok_or("descriptor.size (an integer) is missing")?;
            if d.as_object().is_some_and(|o| {
                o.keys().any(|k| !["mediaType", "digest", "size", "annotations", "artifactType"].contains(&k.as_str()))
            }) {
                return Err("descriptor has an unknown member".into());
            }
            Some(Descriptor { media_type: get("mediaType")?, digest: get("digest")?, size, ..Descriptor::default() })
        }
    };
    let signatures = obj
        .get("signatures")
        .and_then(|v| v.as_array())
        .ok_or("signatures (an array of paths) is missing")?
        .iter()
        .map(|s| s.as_str().map(str::to_owned).ok_or("signatures must be strings"))
        .collect::<Result<Vec<_>, _>>()?;
    let tags = match obj.get("tags") {
        None | Some(serde_json::Value::Null) => Vec::new(),
        Some(tags) => {
            let tags = tags.as_array().ok_or("tags must be an array of tags")?;
            let mut out: Vec<String> = Vec::with_capacity(tags.len());
            for tag in tags {
                let tag = tag.as_str().ok_or("tags must be strings")?;
                workloads::check_tag(tag).map_err(|e| format!("tag {tag:?}: {e}"))?;
                if !out.iter().any(|t| t == tag) {
                    out.push(tag.to_owned());
                }
            }
            out
        }
    };
    Ok(BatchLine { reference, descriptor, tags, signatures })
}

fn read_batch(
    path: &Path,
    inputs: &mut Inputs,
    cache: &mut HashMap<PathBuf, usize>,
    wanted: &dyn Fn(&str) -> bool,
    repositories: &mut BTreeSet<String>,
) -> Result<(), Failure> {
    let load = |reason: String| Failure::from(Error::Load { path: path.display().to_string(), reason });
    // Opened by the loader's one file rule; read here line by line.
    let file = loader::open_file(path, "batch file")?;
    let base = path.parent().map(Path::to_path_buf).unwrap_or_default();
    let mut reader = std::io::BufReader::new(file);
    let mut number = 0usize;
    let mut raw = Vec::new();
    loop {
        raw.clear();
        let n = reader
            .by_ref()
            .take(MAX_BATCH_LINE_BYTES as u64 + 1)
            .read_until(b'\n', &mut raw)
            .map_err(|e| load(format!("the batch file cannot be read: {e}")))?;
        if n == 0 {
            break;
        }
        number += 1;
        if raw.len() > MAX_BATCH_LINE_BYTES {
            return Err(load(format!("line {number} is longer than {MAX_BATCH_LINE_BYTES} bytes")));
        }
        let text = String::from_utf8_lossy(&raw);
        let text = text.trim();
        if text.is_empty() {
            continue;
        }
        let at_line = |reason: String| load(format!("line {number}: {reason}"));
        let line: BatchLine = parse_batch_line(text)
            .map_err(|e| at_line(format!("not a batch entry ({{reference, descriptor?, tags?, signatures}}): {e}")))?;
        let Some((repository, digest)) = split_reference(&line.reference) else {
            return Err(at_line(format!(
                "reference {:?} has no digest (registry/repository@sha256:<hex>)",
                line.reference
            )));
        };
        if repository.is_empty() || digest.is_empty() {
            return Err(at_line(format!("reference {:?} is not registry/repository@<digest>", line.reference)));
        }
        let target = match line.descriptor {
            Some(d) if d.digest != digest => {
                return Err(at_line(format!(
                    "the descriptor's digest {} differs from the reference's {digest}",
                    d.digest
                )));
            }
            Some(d) => Target::Descriptor(d),
            None => Target::Digest(digest.to_owned()),
        };
        if line.signatures.len() > notaverify::limits::MAX_SIGNATURES {
            return Err(at_line(format!(
                "{} signatures, more than {}",
                line.signatures.len(),
                notaverify::limits::MAX_SIGNATURES
            )));
        }
        if !repositories.contains(repository) {
            repositories.insert(repository.to_owned());
        }
        if !wanted(repository) {
            continue;
        }
        let mut signatures = Vec::new();
        for s in &line.signatures {
            let p = base.join(s);
            let index = match cache.get(&p) {
                Some(i) => *i,
                None => {
                    let input = loader::read_signature_file(&p).map_err(|e| at_line(e.to_string()))?;
                    inputs.envelopes.push(input);
                    cache.insert(p.clone(), inputs.envelopes.len() - 1);
                    inputs.envelopes.len() - 1
                }
            };
            signatures.push(index);
        }
        inputs.items.push(Item::Batch {
            reference: line.reference.clone(),
            target,
            signatures,
            line: format!("{}:{number}", path.display()),
            tags: line.tags,
        });
        if inputs.items.len() > MAX_SCAN_ARTIFACTS {
            return Err(Error::LimitExceeded {
                what: "artifacts in one scan",
                limit: MAX_SCAN_ARTIFACTS,
                actual: inputs.items.len(),
            }
            .into());
        }
    }
    Ok(())
}

/// Verifies and classifies every item, [`ARTIFACTS_PER_CHUNK`] at a time, on `jobs` threads,
/// drawing the progress bar on stderr when `progress`. Stops before the next chunk once `stop`
/// is set (the scan has failed elsewhere: its lines are not used).
fn verify_all(
    inputs: &Inputs,
    verifier: &Verifier,
    options: &VerifyOptions,
    ctx: &PostureContext<'_>,
    jobs: usize,
    progress: bool,
    stop: &AtomicBool,
) -> Vec<Line> {
    let total = inputs.items.len();
    let done = AtomicUsize::new(0);
    let finished = AtomicBool::new(false);
    std::thread::scope(|s| {
        // Stops the bar also when a chunk panics: the scope waits for the bar before unwinding.
        let _stop_bar = SetOnDrop(&finished);
        if progress {
            s.spawn(|| draw_progress(&done, &finished, total));
        }
        let mut lines = Vec::with_capacity(total);
        for chunk in inputs.items.chunks(ARTIFACTS_PER_CHUNK) {
            if stop.load(Ordering::Relaxed) {
                break;
            }
            let done_before = lines.len();
            let report = |chunk_done: usize| {
                done.fetch_max(done_before + chunk_done, Ordering::Relaxed);
            };
            lines.extend(verify_chunk(inputs, chunk, verifier, options, ctx, jobs, &report));
            done.store(lines.len(), Ordering::Relaxed);
        }
        lines
    })
}

/// Sets the flag when dropped.
struct SetOnDrop<'a>(&'a AtomicBool);

impl Drop for SetOnDrop<'_> {
    fn drop(&mut self) {
        self.0.store(true, Ordering::Relaxed);
    }
}

/// One chunk: its requests (an item whose request cannot be built fails with that error), their
/// verification, and each item classified with the signatures it was verified with.
/// `on_progress` gets the number of items of the chunk finished so far.
fn verify_chunk(
    inputs: &Inputs,
    items: &[Item],
    verifier: &Verifier,
    options: &VerifyOptions,
    ctx: &PostureContext<'_>,
    jobs: usize,
    on_progress: &(dyn Fn(usize) + Sync),
) -> Vec<Line> {
    let mut requests = Vec::new();
    let prepared: Vec<Result<usize, Error>> = items
        .iter()
        .map(|item| {
            requests.push(request(inputs, item, verifier, options)?);
            Ok(requests.len() - 1)
        })
        .collect();
    let unprepared = items.len() - requests.len();
    let report = |verified: usize| on_progress(unprepared + verified);
    let results =
        verifier.verify_many_with(&requests, &BatchOptions { threads: Some(jobs), on_progress: Some(&report) });
    items
        .iter()
        .zip(prepared)
        .map(|(item, prepared)| {
            let (reference, repository, source, tags) = item_identity(inputs, item);
            let (classification, signers) = match prepared {
                Ok(i) => {
                    (posture::classify(&reference, &results[i], &requests[i].signatures, ctx), signers(&results[i]))
                }
                Err(error) => (posture::classify(&reference, &Err(error), &[], ctx), Vec::new()),
            };
            Line { repository, source, tags, classification, signers }
        })
        .collect()
}

/// The signer of each signature of a verification, in order; `None` unless integrity passed: the
/// certificate of an envelope whose signature does not verify with its key proves nothing.
fn signers(result: &Result<ArtifactOutcome, Error>) -> Vec<Option<Signer>> {
    let signer = |s: &SignatureOutcome| {
        s.check(CheckType::Integrity).is_some_and(|c| c.passed).then(|| s.signer.clone()).flatten()
    };
    result.as_ref().map_or_else(|_| Vec::new(), |o| o.signatures.iter().map(signer).collect())
}

/// The verification request of an item: a layout artifact's from the opened layout (its
/// signatures read here), a batch line's from the envelopes read up front.
fn request(inputs: &Inputs, item: &Item, verifier: &Verifier, options: &VerifyOptions) -> Result<BatchItem, Error> {
    match item {
        Item::Layout { layout, digest, .. } => {
            let (_, scope, opened) = &inputs.layouts[*layout];
            verifier.oci_layout_item(opened, &TagOrDigest::Digest(digest.clone()), scope, options)
        }
        Item::Batch { reference, target, signatures, .. } => {
            let envelopes = signatures.iter().map(|s| inputs.envelopes[*s].clone()).collect();
            Ok(BatchItem::new(reference.clone(), target.clone(), envelopes).with_options(options.clone()))
        }
    }
}

fn draw_progress(done: &AtomicUsize, finished: &AtomicBool, total: usize) {
    let mut err = std::io::stderr();
    loop {
        let n = done.load(Ordering::Relaxed);
        let width = 40;
        let filled = (n.min(total) * width).checked_div(total).unwrap_or(width);
        let _ =
            write!(err, "\rscanning [{}{}] {n}/{total}", "#".repeat(filled), "-".repeat(width.saturating_sub(filled)));
        let _ = err.flush();
        if finished.load(Ordering::Relaxed) {
            let _ = writeln!(err);
            return;
        }
        std::thread::sleep(Duration::from_millis(100));
    }
}

fn item_identity(inputs: &Inputs, item: &Item) -> (String, String, String, Vec<String>) {
    match item {
        Item::Layout { layout, digest, tags } => {
            let (dir, scope, _) = &inputs.layouts[*layout];
            (format!("{scope}@{digest}"), scope.clone(), dir.display().to_string(), tags.clone())
        }
        Item::Batch { reference, line, tags, .. } => {
            let repo = split_reference(reference).map_or(reference.as_str(), |(r, _)| r).to_owned();
            (reference.clone(), repo, line.clone(), tags.clone())
        }
    }
}
