//! Text output like `notation verify` (§9.3 of the digest): the success line and user metadata
//! on stdout; warnings for checks that failed with action `log`, and errors, on stderr. Unlike
//! notation, a failure always says which check failed and why, for every signature tried.
//! Every value from outside is written through [`Printable`] (signed content cannot paint lines).

use super::printable::Printable as P;
use crate::verdict::Verdict;
use notaverify::{ArtifactOutcome, SignatureOutcome};
use std::collections::BTreeMap;
use std::fmt::Write as _;

/// What to print: (stdout, stderr).
pub fn verdict(verdict: &Verdict) -> (String, String) {
    let mut out = String::new();
    let mut err = String::new();
    for warning in &verdict.warnings {
        let _ = writeln!(err, "Warning: {}", P(warning));
    }
    match &verdict.result {
        Ok(outcome) => outcome_text(outcome, &mut out, &mut err),
        Err(failure) => {
            let _ = writeln!(err, "Error: {}", P(&failure.message()));
        }
    }
    (out, err)
}

fn outcome_text(outcome: &ArtifactOutcome, out: &mut String, err: &mut String) {
    if outcome.skipped() {
        let _ =
            writeln!(out, "Trust policy is configured to skip signature verification for {}", P(&outcome.reference));
        return;
    }
    if let Some(signature) = outcome.verified_signature().filter(|_| outcome.verified) {
        logged_warnings(signature, err);
        let _ = writeln!(out, "Successfully verified signature for {}", P(&outcome.reference));
        user_metadata(&signature.user_metadata, out);
        return;
    }
    let message =
        outcome.error.as_ref().map(|e| e.message.clone()).unwrap_or_else(|| "signature verification failed".into());
    let _ = writeln!(err, "Error: {}", P(&message));
    for signature in &outcome.signatures {
        let name = signature.digest.as_deref().unwrap_or("(signature)");
        let kind = signature.failure.map(|f| f.as_str()).unwrap_or("verification");
        let reason = signature.error.as_deref().unwrap_or("failed");
        let _ = writeln!(err, "  {}: {kind} failed: {}", P(name), P(reason));
        for check in signature.logged_failures() {
            let _ = writeln!(
                err,
                "    {} was set to \"{}\" and failed with error: {}",
                check.check,
                check.action,
                P(error_of(check.error.as_deref()))
            );
        }
    }
}

fn logged_warnings(signature: &SignatureOutcome, err: &mut String) {
    for check in signature.logged_failures() {
        let _ = writeln!(
            err,
            "Warning: {} was set to \"{}\" and failed with error: {}",
            check.check,
            check.action,
            P(error_of(check.error.as_deref()))
        );
    }
}

fn error_of(error: Option<&str>) -> &str {
    error.unwrap_or("unknown error")
}

/// notation's table: a blank line, a sentence, a blank line, then aligned KEY / VALUE columns.
fn user_metadata(metadata: &BTreeMap<String, String>, out: &mut String) {
    if metadata.is_empty() {
        return;
    }
    let _ = writeln!(out, "\nThe artifact was signed with the following user metadata.\n");
    let width = metadata.keys().map(|k| P(k).escaped().chars().count()).max().unwrap_or(0).max("KEY".len());
    let _ = writeln!(out, "{:<width$}   VALUE", "KEY");
    for (key, value) in metadata {
        let _ = writeln!(out, "{:<width$}   {}", P(key), P(value));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use notaverify::{CheckResult, CheckType, SignatureOutcome};

    /// A verified signature whose signed metadata and signer try to paint lines of their own.
    fn painted() -> ArtifactOutcome {
        let paint = "x\r\u{1b}[2K\nSuccessfully verified signature for registry.example/evil@sha256:0";
        let signature = SignatureOutcome {
            digest: Some(format!("sha256:{paint}")),
            media_type: "application/jose+json".into(),
            verified: false,
            checks: vec![CheckResult {
                check: CheckType::Integrity,
                action: notaverify::Action::Enforce,
                passed: false,
                error: Some(paint.into()),
            }],
            signer: None,
            signing_time: None,
            user_metadata: [(paint.to_owned(), paint.to_owned())].into(),
            failure: None,
            error: Some(paint.into()),
            revoked_chain: false,
        };
        ArtifactOutcome {
            reference: "r.io/a@sha256:1".into(),
            verified: false,
            policy: None,
            signatures: vec![signature],
            error: None,
        }
    }

    #[test]
    fn signed_content_cannot_paint_a_line_in_text_output() {
        let mut outcome = painted();
        let failed =
            verdict(&Verdict { reference: outcome.reference.clone(), result: Ok(outcome.clone()), warnings: vec![] });
        outcome.verified = true;
        outcome.signatures[0].verified = true;
        let passed = verdict(&Verdict { reference: outcome.reference.clone(), result: Ok(outcome), warnings: vec![] });
        for text in [failed.0, failed.1, passed.0, passed.1] {
            assert!(!text.contains('\r') && !text.contains('\u{1b}'), "{text:?}");
            assert!(
                text.lines().all(|l| !l.starts_with("Successfully verified signature for registry.example/evil")),
                "{text}"
            );
        }
    }
}
