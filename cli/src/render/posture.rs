//! How posture results read, whichever command shows them: the warnings a classification gives people, and `verify`'s output with rollout
//! options (its JSON document and exit status are the posture crate's `document`).

use super::printable::Printable as P;
use crate::args::Output;
use crate::verdict::{Failure, Report, Verdict};
use notaverify::ArtifactOutcome;
use notaverify_posture::{Class, Classification};
use notaverify_posture::{days_phrase, document};
use std::fmt::Write as _;

/// Warnings for people about a classification (excepted passes, expired exceptions).
pub fn classification_warnings(c: &Classification) -> Vec<String> {
    let mut out = Vec::new();
    if let (Class::Excepted, Some(e)) = (c.class, &c.exception) {
        out.push(format!(
            "{} is out of policy ({}{}) but is excepted until {} ({}) by the exception for {} (owner: {}; reason: {})",
            c.reference,
            c.underlying.map_or("failed", Class::as_str),
            c.check.as_deref().map(|k| format!(": {k}")).unwrap_or_default(),
            e.expires,
            days_phrase(e.days_left, true),
            e.scope,
            e.owner,
            e.reason
        ));
    }
    for e in &c.expired_exceptions {
        out.push(format!(
            "the exception for {} (owner: {}) expired on {} ({}) and was not applied to {}",
            e.scope,
            e.owner,
            e.expires,
            days_phrase(e.days_left, false),
            c.reference
        ));
    }
    for e in &c.uncovered_exceptions {
        let names: Vec<&str> = e.classes.iter().map(|k| k.as_str()).collect();
        out.push(format!(
            "the exception for {} (owner: {}) excuses only {} and was not applied to {} ({})",
            e.scope,
            e.owner,
            names.join(", "),
            c.reference,
            c.class
        ));
    }
    out
}

/// What `verify` with rollout options prints for a classified verdict, and its exit status:
/// 0 in policy (or `--warn-only`), 1 out of policy. A retired signer is never reported as
/// verified; an excused failure is a warning, never `Error:`.
pub fn classified_verdict(
    verdict: &Verdict,
    outcome: &ArtifactOutcome,
    classification: &Classification,
    warnings: &[String],
    warn_only: bool,
    output: Output,
) -> Report {
    let rollout = document::Verdict::Classified { outcome, classification };
    let exit_status = rollout.exit_status(warn_only);
    match output {
        Output::Json => {
            let doc = document::verify_document(&rollout, warn_only);
            let mut stderr: String =
                verdict.warnings.iter().chain(warnings).map(|w| format!("Warning: {}\n", P(w))).collect();
            if warn_only && !classification.in_policy {
                let _ = writeln!(
                    stderr,
                    "Warning: --warn-only: enforcement would fail {} ({})",
                    P(&classification.reference),
                    classification.class
                );
            }
            Report { stdout: format!("{doc}\n"), stderr, exit_status }
        }
        Output::Text => {
            let verified = verdict.result.as_ref().is_ok_and(|o| o.verified);
            let (mut stdout, mut stderr) = match classification.class {
                // The verifier accepted it only because retired material is still trusted
                // somewhere: never report "Successfully verified".
                Class::RetiredSigner if verified => (String::new(), String::new()),
                // The failure is excused: say what failed as a warning, never as `Error:` (the
                // exception and its deadline follow among the warnings).
                Class::Excepted => {
                    let mut stderr: String = verdict.warnings.iter().map(|w| format!("Warning: {}\n", P(w))).collect();
                    let _ = writeln!(
                        stderr,
                        "Warning: {} fails verification ({}): {}",
                        P(&classification.reference),
                        classification.underlying.map_or("failed", Class::as_str),
                        P(classification.reason.as_deref().unwrap_or("no reason given"))
                    );
                    (String::new(), stderr)
                }
                _ => super::text::verdict(verdict),
            };
            if classification.class == Class::RetiredSigner {
                let _ = writeln!(
                    stderr,
                    "Error: {} is a retiredSigner: {}",
                    P(&classification.reference),
                    P(classification.reason.as_deref().unwrap_or_default())
                );
            }
            for w in warnings {
                let _ = writeln!(stderr, "Warning: {}", P(w));
            }
            if classification.class == Class::Excepted {
                let _ = writeln!(
                    stdout,
                    "Excepted: {} passes under an exception until {}",
                    P(&classification.reference),
                    classification.exception.as_ref().map_or("", |e| e.expires.as_str())
                );
            }
            if warn_only && !classification.in_policy {
                let _ = writeln!(
                    stderr,
                    "Warning: --warn-only: enforcement would fail {} ({}{}); exiting 0",
                    P(&classification.reference),
                    classification.class,
                    classification.check.as_deref().map(|c| format!(": {c}")).unwrap_or_default()
                );
            }
            Report { stdout, stderr, exit_status }
        }
    }
}

/// What `verify` with rollout options prints for a verdict that could not be evaluated (exit 2
/// stays exit 2, also in warn mode).
pub fn unclassified_verdict(verdict: &Verdict, failure: &Failure, output: Output, warn_only: bool) -> Report {
    let message = failure.message();
    let rollout = document::Verdict::NotEvaluated {
        reference: &verdict.reference,
        code: failure.error.code(),
        message: &message,
    };
    let exit_status = rollout.exit_status(warn_only);
    match output {
        Output::Json => {
            let doc = document::verify_document(&rollout, warn_only);
            let stderr = verdict.warnings.iter().map(|w| format!("Warning: {}\n", P(w))).collect();
            Report { stdout: format!("{doc}\n"), stderr, exit_status }
        }
        Output::Text => {
            let (stdout, stderr) = super::text::verdict(verdict);
            Report { stdout, stderr, exit_status }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::verdict::{EXIT_ERROR, EXIT_FAILED, EXIT_VERIFIED};

    #[test]
    fn the_rollout_exit_statuses_are_the_cli_s() {
        assert_eq!(document::EXIT_IN_POLICY, EXIT_VERIFIED);
        assert_eq!(document::EXIT_OUT_OF_POLICY, EXIT_FAILED);
        assert_eq!(document::EXIT_NOT_EVALUATED, EXIT_ERROR);
    }
}
