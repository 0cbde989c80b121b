//! What the scan-fixture test files share: running the built binary in `tests/fixtures/scan`
//! (made by `tests/fixtures/make_scan_layouts.py`) and looking up the fixtures' digests.
#![allow(dead_code)]

use serde_json::Value;
use std::path::{Path, PathBuf};
use std::process::Command;

pub const JULY: &str = "2025-07-01T00:00:00Z";
pub const OCTOBER: &str = "2025-10-01T00:00:00Z";

/// The scan fixtures: every run starts there.
pub fn dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/scan")
}

/// A finished run of the binary.
pub struct Run {
    pub status: i32,
    pub stdout: String,
    pub stderr: String,
}

/// Runs `notaverify args` in [`dir`], without `NOTATION_CONFIG`; a panic fails the test.
pub fn run(args: &[&str]) -> Run {
    let output = Command::new(env!("CARGO_BIN_EXE_notaverify"))
        .args(args)
        .current_dir(dir())
        .env_remove("NOTATION_CONFIG")
        .output()
        .expect("the binary runs");
    let run = Run {
        status: output.status.code().expect("exited normally"),
        stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
    };
    assert!(!run.stderr.contains("panicked"), "panic: {}", run.stderr);
    run
}

/// The digest of the fixture artifact `name` (`layout/tag`), from `digests.json`.
pub fn digest(name: &str) -> String {
    let digests: Value = serde_json::from_str(&std::fs::read_to_string(dir().join("digests.json")).unwrap()).unwrap();
    digests[name].as_str().unwrap().to_owned()
}

/// The four fixture layouts with their scopes (and no progress bar).
pub const LAYOUTS: [&str; 17] = [
    "--oci-layout",
    "layouts/app",
    "--scope",
    "registry.example/app",
    "--oci-layout",
    "layouts/legacy",
    "--scope",
    "registry.example/legacy",
    "--oci-layout",
    "layouts/batchjobs",
    "--scope",
    "registry.example/batchjobs",
    "--oci-layout",
    "layouts/vendor",
    "--scope",
    "registry.example/vendor",
    "--no-progress",
];
