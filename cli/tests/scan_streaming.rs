//! `scan` writes each chunk's lines as it is classified unless something after the lines needs
//! them all (`--report`, `--workloads`): both ways write the same bytes, over several chunks,
//! with warnings about the lines and before them.

use serde_json::Value;

mod common;
use common::*;

/// Artifacts in the batch file: more than two chunks of the scan engine (1024 each).
const LINES: usize = 2100;

/// The scan fixtures' batch lines with absolute signature paths, repeated to [`LINES`] lines.
fn big_batch(scratch: &Scratch) -> String {
    let text = std::fs::read_to_string(dir().join("batch.jsonl")).unwrap();
    let lines: Vec<String> = text
        .lines()
        .map(|line| {
            let mut v: Value = serde_json::from_str(line).unwrap();
            for s in v["signatures"].as_array_mut().unwrap() {
                *s = Value::from(dir().join(s.as_str().unwrap()).display().to_string());
            }
            v.to_string()
        })
        .collect();
    let all: String = lines.iter().cycle().take(LINES).map(|l| format!("{l}\n")).collect();
    std::fs::write(scratch.0.join("big.jsonl"), all).unwrap();
    scratch.path("big.jsonl")
}

/// The output without what differs from run to run: the time the verification took.
fn steady(stdout: &str) -> String {
    stdout
        .lines()
        .map(|line| {
            if let Ok(mut v) = serde_json::from_str::<Value>(line)
                && let Some(summary) = v.get_mut("summary").and_then(Value::as_object_mut)
            {
                summary.remove("elapsedSeconds");
                summary.remove("microsecondsPerArtifact");
                return v.to_string();
            }
            match (line.strip_prefix("Scanned "), line.find(" at "), line.find(" threads)")) {
                (Some(_), Some(at), Some(threads)) => format!("{}{}", &line[..at], &line[threads..]),
                _ => line.to_owned(),
            }
        })
        .collect::<Vec<_>>()
        .join("\n")
}

#[test]
fn streamed_and_kept_output_are_the_same_bytes() {
    let scratch = Scratch::new("scan-streaming");
    let batch = big_batch(&scratch);
    // The unsigned batch artifacts (a quarter) are excepted: a warning each on stderr, in every
    // chunk.
    std::fs::write(
        scratch.0.join("exceptions.json"),
        r#"{"version":"1","exceptions":[{"scope":"registry.example/mirror/app","reason":"r","owner":"o","expires":"2025-09-30"}]}"#,
    )
    .unwrap();
    let exceptions = scratch.path("exceptions.json");
    let report = scratch.path("report.html");
    for output in ["json", "text"] {
        let mut args = vec![
            "scan",
            "--config-dir",
            "config",
            "--trust-policy",
            "policies/rotation.json",
            "--at",
            JULY,
            "-o",
            output,
            "--batch",
            &batch,
            "--exceptions",
            &exceptions,
        ];
        args.extend_from_slice(&LAYOUTS);
        let streamed = run(&args);
        args.extend_from_slice(&["--report", &report]);
        let kept = run(&args);
        assert_eq!(streamed.status, 1, "{}{}", streamed.stdout, streamed.stderr);
        assert_eq!(kept.status, streamed.status);
        assert_eq!(steady(&kept.stdout), steady(&streamed.stdout), "{output}");
        assert_eq!(kept.stderr, streamed.stderr, "{output}");
        let excepted = streamed.stderr.matches("is out of policy").count();
        assert_eq!(excepted, LINES / 4, "a warning per excepted line");
        if output == "json" {
            let lines: Vec<&str> = streamed.stdout.lines().collect();
            let summary: Value = serde_json::from_str(lines[lines.len() - 1]).unwrap();
            assert_eq!(summary["summary"]["total"].as_u64().unwrap() as usize, lines.len() - 1);
            assert!(lines.len() > LINES);
        }
    }
}
