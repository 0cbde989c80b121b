//! The scan engine (`notaverify_posture::scan`) over the CLI's scan fixtures
//! (`cli/tests/fixtures/scan`): chunks in input order, the summary of what was handed over, the
//! first pass that fails bad input before anything runs, and what happens when an input changes
//! between the two passes.

use notaverify::loader::{self, PolicySource, VerifierFiles};
use notaverify::{Time, Verifier, VerifyOptions};
use notaverify_posture::background::{Additions, BackgroundScan, Finished, OwnedContext, Received, Stopped};
use notaverify_posture::report::MAX_LISTED;
use notaverify_posture::scan::{ARTIFACTS_PER_CHUNK, LayoutInput, ScanOptions, json_line};
use notaverify_posture::{Class, PostureContext, Scan, ScanError, ScanInputs, ScanSummary, ScannedArtifact};
use serde_json::Value;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::time::Duration;

const JULY: &str = "2025-07-01T00:00:00Z";

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../cli/tests/fixtures/scan")
}

fn verifier() -> Verifier {
    let files = VerifierFiles {
        oci_policy: PolicySource::File(fixtures().join("policies/rotation.json")),
        ..VerifierFiles::default()
    };
    loader::load_verifier_with(&fixtures().join("config"), &files).unwrap().verifier
}

/// A scratch directory, removed when dropped.
struct Scratch(PathBuf);

impl Scratch {
    fn new(name: &str) -> Self {
        let dir = std::env::temp_dir().join(format!("notaverify-posture-scan-{}-{name}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        Self(dir)
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// The fixture batch file's lines with absolute signature paths, repeated to `n` lines.
fn batch_lines(n: usize) -> Vec<String> {
    let text = std::fs::read_to_string(fixtures().join("batch.jsonl")).unwrap();
    let lines: Vec<String> = text
        .lines()
        .map(|line| {
            let mut v: Value = serde_json::from_str(line).unwrap();
            for s in v["signatures"].as_array_mut().unwrap() {
                *s = Value::from(fixtures().join(s.as_str().unwrap()).display().to_string());
            }
            v.to_string()
        })
        .collect();
    lines.iter().cycle().take(n).cloned().collect()
}

fn write_batch(dir: &Path, name: &str, lines: &[String]) -> PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, lines.iter().map(|l| format!("{l}\n")).collect::<String>()).unwrap();
    path
}

fn layouts() -> Vec<LayoutInput> {
    ["app", "legacy", "batchjobs", "vendor"]
        .map(|repo| LayoutInput {
            dir: fixtures().join("layouts").join(repo),
            scope: format!("registry.example/{repo}"),
        })
        .to_vec()
}

/// Runs `scan`; every chunk handed over, and the summary.
fn run(scan: &Scan, stop: Option<&AtomicBool>) -> (Vec<Vec<ScannedArtifact>>, Result<ScanSummary, ScanError>) {
    let verifier = verifier();
    let at = Time::parse_rfc3339(JULY).unwrap();
    let ctx = PostureContext { retired: None, exceptions: None, at };
    let verify = VerifyOptions { at: Some(at), ..VerifyOptions::default() };
    let options = ScanOptions { verify: &verify, jobs: 2, on_progress: None, stop };
    let mut chunks = Vec::new();
    let summary = scan.for_each_chunk(&verifier, &ctx, &options, |chunk| chunks.push(chunk));
    (chunks, summary)
}

#[test]
fn chunks_come_in_input_order_and_the_summary_counts_what_was_handed_over() {
    let scratch = Scratch::new("order");
    let n = 2 * ARTIFACTS_PER_CHUNK + 7;
    let batch = write_batch(&scratch.0, "many.jsonl", &batch_lines(n));
    let inputs = ScanInputs { layouts: layouts(), batches: vec![batch.clone()], ..ScanInputs::default() };
    let scan = Scan::new(&inputs).unwrap();
    let (chunks, summary) = run(&scan, None);
    let summary = summary.unwrap();
    let sizes: Vec<usize> = chunks.iter().map(Vec::len).collect();
    assert!(sizes[..sizes.len() - 1].iter().all(|s| *s == ARTIFACTS_PER_CHUNK), "{sizes:?}");
    let all: Vec<ScannedArtifact> = chunks.into_iter().flatten().collect();
    assert_eq!(all.len(), scan.total());
    assert_eq!(summary.total, scan.total());
    // The layouts first, in order, then the batch lines in order.
    let layout_count = all.iter().take_while(|a| !a.source.ends_with(char::is_numeric)).count();
    assert_eq!(all.len() - layout_count, n);
    let order: Vec<&str> = all[..layout_count].iter().map(|a| a.repository.as_str()).collect();
    let mut sorted_by_input = order.clone();
    let rank = |r: &str| layouts().iter().position(|l| l.scope == r).unwrap();
    sorted_by_input.sort_by_key(|r| rank(r));
    assert_eq!(order, sorted_by_input, "layouts in input order");
    for (i, a) in all[layout_count..].iter().enumerate() {
        assert_eq!(a.source, format!("{}:{}", batch.display(), i + 1));
        assert_eq!(a.repository, "registry.example/mirror/app");
    }
    // The summary is the count of what was handed over.
    let count = |class: Class| all.iter().filter(|a| a.classification.class == class).count();
    for (i, class) in Class::ALL.iter().enumerate() {
        assert_eq!(summary.counts[i], count(*class), "{class}");
    }
    assert_eq!(summary.out_of_policy, all.iter().filter(|a| !a.classification.in_policy).count());
    assert!(summary.counts[0] > 0 && summary.out_of_policy > 0, "the fixtures hold both");
    let mirror = summary.repositories.iter().find(|r| r.repository == "registry.example/mirror/app").unwrap();
    assert_eq!(mirror.total, n);
}

#[test]
fn bad_input_fails_the_first_pass_naming_the_line() {
    let scratch = Scratch::new("bad");
    let mut lines = batch_lines(3);
    lines[2] = format!(
        r#"{{"reference":"registry.example/app@sha256:{}","signatures":["{}"]}}"#,
        "0".repeat(64),
        scratch.0.join("missing.jws").display()
    );
    let batch = write_batch(&scratch.0, "bad.jsonl", &lines);
    let inputs = ScanInputs { batches: vec![batch.clone()], ..ScanInputs::default() };
    match Scan::new(&inputs) {
        Err(ScanError::Input { error, context: None }) => {
            let message = error.to_string();
            assert!(message.contains("line 3") && message.contains("missing.jws"), "{message}");
        }
        other => panic!("{:?}", other.map(|s| s.total())),
    }
    // `only` must name a repository of the inputs, and something must be left to check.
    let good = write_batch(&scratch.0, "good.jsonl", &batch_lines(2));
    let only =
        |only: &str| ScanInputs { batches: vec![good.clone()], only: vec![only.into()], ..ScanInputs::default() };
    assert!(matches!(
        Scan::new(&only("registry.example/nothing")),
        Err(ScanError::UnknownRepository { repository, known })
            if repository == "registry.example/nothing" && known.contains("registry.example/mirror/app")
    ));
    assert_eq!(Scan::new(&only("registry.example/mirror/app")).unwrap().total(), 2);
    let empty = write_batch(&scratch.0, "empty.jsonl", &["".into()]);
    assert!(matches!(
        Scan::new(&ScanInputs { batches: vec![empty], ..ScanInputs::default() }),
        Err(ScanError::NoArtifact)
    ));
    let scope = ScanInputs {
        layouts: vec![LayoutInput { dir: fixtures().join("layouts/app"), scope: "registry.example/app@x".into() }],
        ..ScanInputs::default()
    };
    assert!(matches!(Scan::new(&scope), Err(ScanError::Scope(_))));
    let missing = ScanInputs {
        layouts: vec![LayoutInput { dir: scratch.0.join("nowhere"), scope: "registry.example/app".into() }],
        ..ScanInputs::default()
    };
    assert!(matches!(Scan::new(&missing), Err(ScanError::Input { context: Some(c), .. }) if c.contains("nowhere")));
}

#[test]
fn a_batch_file_that_changes_between_the_passes_fails_the_scan() {
    let scratch = Scratch::new("changed");
    let lines = batch_lines(ARTIFACTS_PER_CHUNK + 3);
    for (name, changed) in [
        ("longer", [&lines[..], &lines[..1]].concat()),
        ("shorter", lines[..ARTIFACTS_PER_CHUNK + 1].to_vec()),
        ("broken", [&lines[..ARTIFACTS_PER_CHUNK + 2], &["not json".to_owned()]].concat()),
    ] {
        let batch = write_batch(&scratch.0, "batch.jsonl", &lines);
        let scan = Scan::new(&ScanInputs { batches: vec![batch.clone()], ..ScanInputs::default() }).unwrap();
        write_batch(&scratch.0, "batch.jsonl", &changed);
        let (chunks, summary) = run(&scan, None);
        let message = summary.map(|s| s.total).unwrap_err().to_string();
        assert!(message.contains("batch.jsonl"), "{name}: {message}");
        assert_eq!(chunks.len(), 1, "{name}: the first chunk was handed over before the change showed");
    }
}

#[test]
fn a_signature_file_gone_between_the_passes_fails_its_artifact_only() {
    let scratch = Scratch::new("gone");
    let envelope = scratch.0.join("copy.jws");
    std::fs::copy(fixtures().join("signatures/new-p384.jws"), &envelope).unwrap();
    let mut lines = batch_lines(4);
    let first: Value = serde_json::from_str(&lines[0]).unwrap();
    let mut own = first.clone();
    own["signatures"] = Value::from(vec![envelope.display().to_string()]);
    lines.push(own.to_string());
    let batch = write_batch(&scratch.0, "batch.jsonl", &lines);
    let scan = Scan::new(&ScanInputs { batches: vec![batch], ..ScanInputs::default() }).unwrap();
    let (before, _) = run(&scan, None);
    assert_eq!(before[0][4].classification.class, Class::Verified, "{:?}", before[0][4].classification);
    std::fs::remove_file(&envelope).unwrap();
    let (after, summary) = run(&scan, None);
    let after = &after[0];
    assert_eq!(after[4].classification.class, Class::Failed);
    assert!(after[4].classification.reason.as_deref().unwrap_or("").contains("copy.jws"));
    let classes = |chunk: &[ScannedArtifact]| chunk[..4].iter().map(|a| a.classification.class).collect::<Vec<_>>();
    assert_eq!(classes(after), classes(&before[0]), "the other artifacts are unaffected");
    assert_eq!(summary.unwrap().total, 5);
}

#[test]
fn a_stop_flag_ends_the_scan_before_the_next_chunk_and_progress_reaches_the_total() {
    let scratch = Scratch::new("stop");
    let batch = write_batch(&scratch.0, "batch.jsonl", &batch_lines(2 * ARTIFACTS_PER_CHUNK + 1));
    let scan = Scan::new(&ScanInputs { batches: vec![batch], ..ScanInputs::default() }).unwrap();
    let stop = AtomicBool::new(false);
    let verifier = verifier();
    let at = Time::parse_rfc3339(JULY).unwrap();
    let ctx = PostureContext { retired: None, exceptions: None, at };
    let verify = VerifyOptions { at: Some(at), ..VerifyOptions::default() };
    let done = AtomicUsize::new(0);
    let progress = |n: usize| {
        done.fetch_max(n, Ordering::Relaxed);
    };
    let options = ScanOptions { verify: &verify, jobs: 2, on_progress: Some(&progress), stop: Some(&stop) };
    let mut handed = 0;
    let summary = scan
        .for_each_chunk(&verifier, &ctx, &options, |chunk| {
            handed += chunk.len();
            stop.store(true, Ordering::Relaxed);
        })
        .unwrap();
    assert_eq!((handed, summary.total), (ARTIFACTS_PER_CHUNK, ARTIFACTS_PER_CHUNK));
    assert_eq!(done.load(Ordering::Relaxed), ARTIFACTS_PER_CHUNK);
    stop.store(false, Ordering::Relaxed);
    let summary = scan.for_each_chunk(&verifier, &ctx, &options, |_| {}).unwrap();
    assert_eq!(summary.total, scan.total());
    assert_eq!(done.load(Ordering::Relaxed), scan.total());
}

/// Every chunk and the end a `BackgroundScan` hands over, waiting as long as it takes.
fn received_all(running: &BackgroundScan) -> (Vec<Vec<ScannedArtifact>>, Result<Finished, Stopped>) {
    let mut chunks = Vec::new();
    loop {
        match running.receive(Duration::from_millis(10)) {
            Received::Chunk(chunk) => chunks.push(chunk),
            Received::Done(result) => return (chunks, *result),
            Received::Pending => {}
            Received::Panicked(what) => panic!("the scan thread panicked: {what}"),
            Received::Finished => panic!("finished before its summary"),
        }
    }
}

#[test]
fn a_background_scan_hands_over_what_for_each_chunk_does_then_nothing() {
    let scratch = Scratch::new("background");
    let batch = write_batch(&scratch.0, "many.jsonl", &batch_lines(2 * ARTIFACTS_PER_CHUNK + 3));
    let inputs = ScanInputs { layouts: layouts(), batches: vec![batch], ..ScanInputs::default() };
    let (expected, expected_summary) = run(&Scan::new(&inputs).unwrap(), None);
    let scan = Scan::new(&inputs).unwrap();
    let total = scan.total();
    let at = Time::parse_rfc3339(JULY).unwrap();
    let running =
        BackgroundScan::start(scan, Arc::new(verifier()), OwnedContext::default(), Additions::default(), at, 2);
    assert_eq!(running.total(), total);
    let (chunks, summary) = received_all(&running);
    let lines = |chunks: &[Vec<ScannedArtifact>]| -> Vec<String> {
        chunks.iter().flatten().map(|a| json_line(a).to_string()).collect()
    };
    assert_eq!(chunks.len(), expected.len());
    assert_eq!(lines(&chunks), lines(&expected));
    let (Finished { summary, failing, .. }, expected_summary) = (summary.unwrap(), expected_summary.unwrap());
    assert_eq!((summary.total, summary.counts), (expected_summary.total, expected_summary.counts));
    let mut out_of_policy: Vec<String> =
        expected.iter().flatten().filter(|a| !a.classification.in_policy).map(|a| json_line(a).to_string()).collect();
    assert!(out_of_policy.len() > MAX_LISTED, "more out of policy than the report lists");
    out_of_policy.truncate(MAX_LISTED);
    assert_eq!(failing.total(), summary.out_of_policy);
    let listed: Vec<String> = failing.listed().iter().map(|a| json_line(a).to_string()).collect();
    assert!(listed == out_of_policy, "the report lists the first out-of-policy artifacts, in scan order");
    assert_eq!(running.done(), total);
    assert!(matches!(running.receive(Duration::ZERO), Received::Finished));
}

#[test]
fn a_stopped_background_scan_hands_over_nothing_more_and_its_thread_ends() {
    let scratch = Scratch::new("background-stop");
    let batch = write_batch(&scratch.0, "many.jsonl", &batch_lines(3 * ARTIFACTS_PER_CHUNK));
    let scan = Scan::new(&ScanInputs { batches: vec![batch], ..ScanInputs::default() }).unwrap();
    let at = Time::parse_rfc3339(JULY).unwrap();
    let running =
        BackgroundScan::start(scan, Arc::new(verifier()), OwnedContext::default(), Additions::default(), at, 2);
    let first = loop {
        match running.receive(Duration::from_millis(10)) {
            Received::Chunk(chunk) => break chunk,
            Received::Pending => {}
            _ => panic!("no first chunk"),
        }
    };
    assert_eq!(first.len(), ARTIFACTS_PER_CHUNK);
    // The chunks verified meanwhile (at most the one sent and the next) are never handed over.
    running.stop_and_join();
    assert!(matches!(running.receive(Duration::ZERO), Received::Finished));
    assert!(matches!(running.receive(Duration::from_millis(10)), Received::Finished));
}
