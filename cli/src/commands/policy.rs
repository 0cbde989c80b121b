//! `notaverify policy check`: every problem of a trust policy file.

use super::config_dir;
use crate::args::{Output, PolicyCheckArgs};
use crate::render::json::error_document;
use crate::verdict::{EXIT_ERROR, EXIT_FAILED, EXIT_VERIFIED, Failure};
use notaverify::policy::{BlobTrustPolicyDocument, TrustPolicyDocument};
use notaverify::{Error, loader};
use serde_json::json;
use std::path::PathBuf;

/// What `policy check` prints and its exit status.
pub struct Report {
    /// stdout.
    pub stdout: String,
    /// stderr.
    pub stderr: String,
    /// 0 valid, 1 problems found, 2 the file could not be read.
    pub exit_status: u8,
}

/// Runs `policy check`.
pub fn run(args: &PolicyCheckArgs) -> Report {
    let mut report = check(args);
    report.stderr.insert_str(0, &report_warning(args));
    report
}

/// `Warning: ...` when the configuration directory holds two differing OCI policy files (the
/// one checked is the one `verify` and `scan` use).
fn report_warning(args: &PolicyCheckArgs) -> String {
    if args.blob || args.common.trust_policy.is_some() {
        return String::new();
    }
    match config_dir(&args.common).ok().and_then(|dir| loader::choose_oci_policy(&dir).ok().flatten()) {
        Some(loader::OciPolicyChoice { warning: Some(warning), .. }) => format!("Warning: {warning}\n"),
        _ => String::new(),
    }
}

fn check(args: &PolicyCheckArgs) -> Report {
    let kind = if args.blob { "blob" } else { "oci" };
    let checked = policy_path(args).and_then(|path| {
        let bytes = loader::read_policy_bytes(&path)?;
        let problems: Vec<String> = if args.blob {
            BlobTrustPolicyDocument::problems(&bytes).iter().map(ToString::to_string).collect()
        } else {
            TrustPolicyDocument::problems(&bytes).iter().map(ToString::to_string).collect()
        };
        Ok((path, problems))
    });
    match (checked, args.common.output) {
        (Ok((path, problems)), Output::Json) => Report {
            stdout: format!(
                "{}\n",
                json!({"policy": path.display().to_string(), "kind": kind, "valid": problems.is_empty(), "problems": problems, "error": null})
            ),
            stderr: String::new(),
            exit_status: if problems.is_empty() { EXIT_VERIFIED } else { EXIT_FAILED },
        },
        (Ok((path, problems)), Output::Text) if problems.is_empty() => Report {
            stdout: format!("The {kind} trust policy {} is valid.\n", path.display()),
            stderr: String::new(),
            exit_status: EXIT_VERIFIED,
        },
        (Ok((path, problems)), Output::Text) => {
            let mut stderr =
                format!("Error: the {kind} trust policy {} has {} problem(s):\n", path.display(), problems.len());
            for problem in problems {
                stderr.push_str(&format!("  - {problem}\n"));
            }
            Report { stdout: String::new(), stderr, exit_status: EXIT_FAILED }
        }
        (Err(failure), output) => {
            let message = failure.message();
            let mut document = error_document("", failure.error.code(), &message);
            document =
                json!({"policy": null, "kind": kind, "valid": false, "problems": [], "error": document["error"]});
            match output {
                Output::Json => {
                    Report { stdout: format!("{document}\n"), stderr: String::new(), exit_status: EXIT_ERROR }
                }
                Output::Text => {
                    Report { stdout: String::new(), stderr: format!("Error: {message}\n"), exit_status: EXIT_ERROR }
                }
            }
        }
    }
}

fn policy_path(args: &PolicyCheckArgs) -> Result<PathBuf, Failure> {
    if let Some(path) = &args.common.trust_policy {
        return Ok(path.clone());
    }
    let dir = config_dir(&args.common)?;
    let found = if args.blob { loader::blob_policy_path(&dir)? } else { loader::oci_policy_path(&dir)? };
    found.ok_or_else(|| {
        let wanted = if args.blob {
            loader::BLOB_POLICY_FILE.to_owned()
        } else {
            format!("{} or {}", loader::LEGACY_OCI_POLICY_FILE, loader::OCI_POLICY_FILE)
        };
        Error::Load { path: dir.display().to_string(), reason: format!("no trust policy found ({wanted})") }.into()
    })
}
