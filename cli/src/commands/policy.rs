//! `notaverify policy check`: every problem of a trust policy file. `notaverify policy lint`:
//! what a valid policy, its trust stores, exceptions and retired material still get wrong (the
//! findings are `crate::lint`'s; this module loads and renders).

use super::config_dir;
use crate::args::{Output, PolicyCheckArgs, PolicyLintArgs, PostureArgs};
use crate::lint::{self, Finding, Severity};
use crate::render::json::error_document;
use crate::render::printable::Printable as P;
use crate::verdict::{Context, EXIT_ERROR, EXIT_FAILED, EXIT_VERIFIED, Failure, Report};
use notaverify::policy::{BlobTrustPolicyDocument, TrustPolicyDocument};
use notaverify::{Error, Time, loader};
use serde_json::{Map, Value, json};
use std::fmt::Write as _;
use std::path::PathBuf;

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

/// Runs `policy lint`: 0 no finding, 1 findings, 2 something could not be read.
pub fn lint(args: &PolicyLintArgs) -> Report {
    let at = args.at.unwrap_or_else(Time::now);
    let mut warnings = Vec::new();
    let result = lint_findings(args, at, &mut warnings);
    let mut stderr: String = warnings.iter().map(|w| format!("Warning: {}\n", P(w))).collect();
    let (stdout, status) = match (result, args.common.output) {
        (Ok(findings), Output::Json) => {
            let document = json!({
                "findings": findings.iter().map(finding_json).collect::<Vec<_>>(),
                "counts": counts_json(&findings),
                "error": null,
            });
            (format!("{document}\n"), lint_status(&findings))
        }
        (Ok(findings), Output::Text) => (lint_text(&findings), lint_status(&findings)),
        (Err(failure), Output::Json) => {
            let document = json!({
                "findings": null,
                "counts": null,
                "error": {"code": failure.error.code(), "message": failure.message()},
            });
            (format!("{document}\n"), EXIT_ERROR)
        }
        (Err(failure), Output::Text) => {
            let _ = writeln!(stderr, "Error: {}", P(&failure.message()));
            (String::new(), EXIT_ERROR)
        }
    };
    Report { stdout, stderr, exit_status: status }
}

/// Loads what `policy lint` looks at with the CLI's usual loaders (the same policy and trust
/// stores as `verify`, the same exceptions and retired files as `verify --exceptions/--retired`)
/// and lints it.
fn lint_findings(args: &PolicyLintArgs, at: Time, warnings: &mut Vec<String>) -> Result<Vec<Finding>, Failure> {
    let verifier = super::oci_verifier(&args.common, warnings)?;
    let policy = verifier.oci_policy().ok_or_else(|| Error::Internal("the OCI trust policy was not loaded".into()))?;
    let dir = config_dir(&args.common)?;
    let store_folders = loader::list_trust_stores(&dir)?;
    // Stores only the blob policy names are used too (not `unused-store`).
    let blob = match loader::blob_policy_path(&dir)? {
        Some(path) => {
            Some(loader::read_blob_trust_policy(&path).context(|| format!("blob trust policy {}", path.display()))?)
        }
        None => None,
    };
    let other_policy_stores = loader::named_stores(None, blob.as_ref());
    let posture_args =
        PostureArgs { warn_only: false, exceptions: args.exceptions.clone(), retired: args.retired.clone() };
    let loaded = super::posture::load(&posture_args, &args.common, None)?;
    Ok(lint::lint(&lint::Inputs {
        policy,
        trust_store: verifier.trust_store(),
        store_folders: &store_folders,
        other_policy_stores: &other_policy_stores,
        exceptions: loaded.exceptions.as_ref(),
        retired: loaded.retired.as_ref(),
        at,
    }))
}

fn lint_status(findings: &[Finding]) -> u8 {
    if findings.is_empty() { EXIT_VERIFIED } else { EXIT_FAILED }
}

const SEVERITIES: [Severity; 3] = [Severity::Error, Severity::Warning, Severity::Info];

fn count(findings: &[Finding], severity: Severity) -> usize {
    findings.iter().filter(|f| f.rule().severity == severity).count()
}

fn counts_json(findings: &[Finding]) -> Value {
    Value::Object(SEVERITIES.iter().map(|s| (s.as_str().to_owned(), json!(count(findings, *s)))).collect())
}

/// `{"id", "severity", "statement", "exception", "store", "message"}` (the three subjects are
/// null when they do not apply), plus `statements`/`stores` (shared-signer) and
/// `owner`/`expires` (exception findings) where they apply.
fn finding_json(finding: &Finding) -> Value {
    let mut object = Map::new();
    object.insert("id".into(), json!(finding.rule().name));
    object.insert("severity".into(), json!(finding.rule().severity.as_str()));
    object.insert("statement".into(), json!(finding.statement));
    object.insert("exception".into(), json!(finding.exception));
    object.insert("store".into(), json!(finding.store));
    if !finding.statements.is_empty() {
        object.insert("statements".into(), json!(finding.statements));
    }
    if !finding.stores.is_empty() {
        object.insert("stores".into(), json!(finding.stores));
    }
    if let Some(owner) = &finding.owner {
        object.insert("owner".into(), json!(owner));
    }
    if let Some(expires) = &finding.expires {
        object.insert("expires".into(), json!(expires));
    }
    object.insert("message".into(), json!(finding.message));
    Value::Object(object)
}

/// One line per finding (`<severity> <id>: <what it concerns>: <message>`, every value from a
/// file escaped), then the count.
fn lint_text(findings: &[Finding]) -> String {
    let mut out = String::new();
    for finding in findings {
        let subject = match (&finding.statement, &finding.exception, &finding.store) {
            (Some(statement), _, _) => format!("statement {}", P(statement)),
            (None, Some(exception), _) => format!("exception {}", P(exception)),
            (None, None, Some(store)) => format!("store {}", P(store)),
            (None, None, None) => {
                format!(
                    "statements {}",
                    finding.statements.iter().map(|s| P(s).to_string()).collect::<Vec<_>>().join(", ")
                )
            }
        };
        let rule = finding.rule();
        let _ = writeln!(out, "{:<7} {}: {subject}: {}", rule.severity.as_str(), rule.name, P(&finding.message));
    }
    if findings.is_empty() {
        out.push_str("No findings.\n");
    } else {
        let _ = writeln!(
            out,
            "{} finding(s): {} error(s), {} warning(s), {} info",
            findings.len(),
            count(findings, Severity::Error),
            count(findings, Severity::Warning),
            count(findings, Severity::Info)
        );
    }
    out
}
