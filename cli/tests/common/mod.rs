//! What the CLI test files share: running the built binary (in `tests/fixtures/scan`, made by
//! `tests/fixtures/make_scan_layouts.py`, or anywhere), the scan fixtures' digests, and scratch
//! directories.
#![allow(dead_code)]

use serde_json::Value;
use std::path::{Path, PathBuf};
use std::process::Command;

pub(crate) const JULY: &str = "2025-07-01T00:00:00Z";
pub(crate) const OCTOBER: &str = "2025-10-01T00:00:00Z";

/// The scan fixtures: every run starts there.
pub(crate) fn dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/scan")
}

/// A finished run of the binary.
pub(crate) struct Run {
    pub status: i32,
    pub stdout: String,
    pub stderr: String,
}

impl Run {
    /// stdout as JSON; a panic (naming both streams) when it is not.
    pub(crate) fn json(&self) -> Value {
        serde_json::from_str(&self.stdout)
            .unwrap_or_else(|e| panic!("stdout is not JSON ({e}): {}\nstderr: {}", self.stdout, self.stderr))
    }
}

/// Runs `notaverify args` in `cwd` (else the test's own directory) with `env` added, without
/// `NOTATION_CONFIG`; a panic of the binary fails the test.
pub(crate) fn run_in(cwd: Option<&Path>, args: &[&str], env: &[(&str, &str)]) -> Run {
    let mut command = Command::new(env!("CARGO_BIN_EXE_notaverify"));
    command.args(args).env_remove("NOTATION_CONFIG").env("RUST_BACKTRACE", "1");
    if let Some(cwd) = cwd {
        command.current_dir(cwd);
    }
    for (k, v) in env {
        command.env(k, v);
    }
    let output = command.output().expect("the binary runs");
    let run = Run {
        status: output.status.code().expect("exited normally"),
        stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
    };
    assert!(!run.stderr.contains("panicked"), "panic: {}", run.stderr);
    run
}

/// Runs `notaverify args` in [`dir`].
pub(crate) fn run(args: &[&str]) -> Run {
    run_in(Some(&dir()), args, &[])
}

/// Runs `notaverify args` in the test's own directory.
pub(crate) fn notaverify(args: &[&str]) -> Run {
    run_in(None, args, &[])
}

/// A directory of the system's temporary directory for one test, removed when dropped.
pub(crate) struct Scratch(pub PathBuf);

impl Scratch {
    /// An empty scratch directory named after the test and this process.
    pub(crate) fn new(name: &str) -> Self {
        let dir = std::env::temp_dir().join(format!("notaverify-cli-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        Self(dir)
    }

    /// The path of `rel` inside it, as a command-line argument.
    pub(crate) fn path(&self, rel: &str) -> String {
        self.0.join(rel).display().to_string()
    }

    /// A copy of the directory `from` at `to` inside it; returns the copy's path.
    pub(crate) fn copy_dir(&self, from: impl AsRef<Path>, to: &str) -> PathBuf {
        let target = self.0.join(to);
        copy_dir(from.as_ref(), &target);
        target
    }
}

impl std::ops::Deref for Scratch {
    type Target = Path;

    fn deref(&self) -> &Path {
        &self.0
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// Copies a directory tree (regular files and directories).
pub(crate) fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), target).unwrap();
        }
    }
}

/// The digest of the fixture artifact `name` (`layout/tag`), from `digests.json`.
pub(crate) fn digest(name: &str) -> String {
    let digests: Value = serde_json::from_str(&std::fs::read_to_string(dir().join("digests.json")).unwrap()).unwrap();
    digests[name].as_str().unwrap().to_owned()
}

/// The four fixture layouts with their scopes (and no progress bar).
pub(crate) const LAYOUTS: [&str; 17] = [
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
