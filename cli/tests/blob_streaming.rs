//! `blob verify` streams the blob: it is hashed while it is read, so a blob far larger than the
//! memory the process may use still ends in an ordinary verdict.

#![cfg(target_os = "linux")]

use serde_json::Value;
use std::path::{Path, PathBuf};
use std::process::Command;

/// The blob fixtures' signatures were made on 2025-06-01.
const AT: &str = "2025-07-01T00:00:00Z";
/// The cap on the process's address space (`ulimit -v`, KiB): 512 MiB.
const ADDRESS_SPACE_KIB: u64 = 512 * 1024;
/// The blob: 4 GiB, eight times the cap.
const BLOB_BYTES: u64 = 4 * 1024 * 1024 * 1024;

fn fixture(path: &str) -> String {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures").join(path).display().to_string()
}

/// A scratch directory removed on drop.
struct Scratch(PathBuf);

impl Scratch {
    fn new(name: &str) -> Self {
        let dir = std::env::temp_dir().join(format!("notaverify-{name}-{}", std::process::id()));
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

/// Runs `program args` under the address-space cap (`sh -c 'ulimit -v ...; exec ...'`).
fn run_capped(program: &str, args: &[&str]) -> std::process::Output {
    Command::new("sh")
        .arg("-c")
        .arg(format!("ulimit -v {ADDRESS_SPACE_KIB} && exec \"$0\" \"$@\""))
        .arg(program)
        .args(args)
        .env_remove("NOTATION_CONFIG")
        .output()
        .expect("sh runs")
}

#[test]
fn blob_verify_streams_a_multi_gib_blob_under_a_memory_limit() {
    // The cap is really in place for the child.
    let limits = run_capped("cat", &["/proc/self/limits"]);
    let limits = String::from_utf8_lossy(&limits.stdout);
    let line = limits.lines().find(|l| l.starts_with("Max address space")).expect("a Max address space line");
    assert!(line.split_whitespace().any(|w| w == (ADDRESS_SPACE_KIB * 1024).to_string()), "{line}");

    // A sparse 4 GiB blob: reading it costs no disk, holding it would cost 4 GiB.
    let scratch = Scratch::new("blob-streaming");
    let blob = scratch.0.join("big.bin");
    std::fs::File::create(&blob).unwrap().set_len(BLOB_BYTES).unwrap();
    let blob = blob.display().to_string();

    let binary = env!("CARGO_BIN_EXE_notaverify");
    let config = fixture("config");
    let signature = fixture("blob/data.txt.jws.sig");
    let verify = |blob: &str| {
        run_capped(
            binary,
            &["blob", "verify", "--config-dir", &config, "--at", AT, "-o", "json", "--signature", &signature, blob],
        )
    };

    // Under the cap, the right blob still verifies (the binary runs there at all) ...
    let ok = verify(&fixture("blob/data.txt"));
    assert_eq!(ok.status.code(), Some(0), "stderr: {}", String::from_utf8_lossy(&ok.stderr));

    // ... and the 4 GiB blob, whose digest and size the signature does not name, is read to its
    // end and fails integrity: an ordinary failed verdict (exit 1), not an allocation failure.
    let started = std::time::Instant::now();
    let run = verify(&blob);
    let stdout = String::from_utf8_lossy(&run.stdout);
    let stderr = String::from_utf8_lossy(&run.stderr);
    assert_eq!(run.status.code(), Some(1), "status {:?}\nstdout: {stdout}\nstderr: {stderr}", run.status);
    let verdict: Value = serde_json::from_str(&stdout).unwrap_or_else(|e| panic!("{e}: {stdout}\nstderr: {stderr}"));
    assert_eq!(verdict["verified"], false, "{verdict}");
    let error = verdict["signatures"][0]["error"].as_str().unwrap_or_default();
    assert!(error.contains("signature does not match the given blob"), "{verdict}");
    eprintln!("streamed {BLOB_BYTES} bytes in {:?}", started.elapsed());
}

#[test]
fn blob_verify_opens_only_regular_files() {
    let scratch = Scratch::new("blob-open");
    let link = scratch.0.join("link.txt");
    std::os::unix::fs::symlink(fixture("blob/data.txt"), &link).unwrap();
    let config = fixture("config");
    let signature = fixture("blob/data.txt.jws.sig");
    for (blob, reason) in [
        (link.display().to_string(), "is not a regular file"),
        (scratch.0.display().to_string(), "is not a regular file"),
        ("/dev/zero".to_owned(), "is not a regular file"),
        (scratch.0.join("missing.txt").display().to_string(), "does not exist"),
    ] {
        let run = Command::new(env!("CARGO_BIN_EXE_notaverify"))
            .args([
                "blob",
                "verify",
                "--config-dir",
                &config,
                "--at",
                AT,
                "-o",
                "json",
                "--signature",
                &signature,
                &blob,
            ])
            .env_remove("NOTATION_CONFIG")
            .output()
            .unwrap();
        let verdict: Value = serde_json::from_slice(&run.stdout).unwrap();
        assert_eq!(run.status.code(), Some(2), "{blob}: {verdict}");
        assert_eq!(verdict["error"]["code"], "LOAD", "{blob}: {verdict}");
        let message = verdict["error"]["message"].as_str().unwrap();
        assert!(message.contains(&blob) && message.contains(reason), "{blob}: {message}");
    }
}
