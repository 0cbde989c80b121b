//! The JSON document of `notaverify verify -o json` with rollout options (`--warn-only`,
//! `--exceptions`, `--retired`), and its exit status. The CLI prints it and the bindings return
//! it, so a script that switches from one to the other reads the same members.
//!
//! The document is the outcome document ([`notaverify::ArtifactOutcome::to_json`]), or the
//! error document when nothing could be evaluated, with the rollout members added: `class`,
//! `inPolicy`, `excepted`, `exception`, `expiredExceptions`, `posture` (the whole
//! [`Classification`]) and, in warn mode, `warnOnly`, `wouldFail` and `logged`.

use super::class::Class;
use super::classify::{Classification, warn_report};
use notaverify::ArtifactOutcome;
use serde_json::{Value, json};

/// Exit status: in policy (verified, excepted, skipped by policy), or any evaluated verdict in
/// warn mode.
pub const EXIT_IN_POLICY: u8 = 0;
/// Exit status: out of policy.
pub const EXIT_OUT_OF_POLICY: u8 = 1;
/// Exit status: the request could not be evaluated (also in warn mode).
pub const EXIT_NOT_EVALUATED: u8 = 2;

/// What verifying one artifact with rollout options produced.
#[derive(Clone, Copy, Debug)]
pub enum Verdict<'a> {
    /// Verified and classified.
    Classified {
        /// The verifier's outcome.
        outcome: &'a ArtifactOutcome,
        /// Its classification.
        classification: &'a Classification,
    },
    /// Nothing could be evaluated (bad input, unreadable configuration, no applicable policy
    /// statement, ...).
    NotEvaluated {
        /// The reference as given.
        reference: &'a str,
        /// The error's code (`notaverify::Error::code`).
        code: &'a str,
        /// The error's message, with its context.
        message: &'a str,
    },
}

impl Verdict<'_> {
    /// [`EXIT_IN_POLICY`] when in policy or, evaluated, in warn mode; [`EXIT_OUT_OF_POLICY`]
    /// when out of policy; [`EXIT_NOT_EVALUATED`] when nothing was evaluated, whatever the mode.
    pub fn exit_status(&self, warn_only: bool) -> u8 {
        match self {
            Verdict::Classified { classification, .. } if classification.in_policy || warn_only => EXIT_IN_POLICY,
            Verdict::Classified { .. } => EXIT_OUT_OF_POLICY,
            Verdict::NotEvaluated { .. } => EXIT_NOT_EVALUATED,
        }
    }
}

/// The document `notaverify verify -o json` prints with rollout options.
pub fn verify_document(verdict: &Verdict<'_>, warn_only: bool) -> Value {
    match verdict {
        Verdict::Classified { outcome, classification } => {
            let mut doc = outcome_document(outcome);
            add_rollout_members(&mut doc, classification, warn_only);
            doc
        }
        Verdict::NotEvaluated { reference, code, message } => {
            let mut doc = error_document(reference, code, message);
            if warn_only && let Some(obj) = doc.as_object_mut() {
                // Nothing was evaluated: `wouldFail` is not an empty list a script could take
                // for a pass.
                obj.insert("warnOnly".into(), Value::Bool(true));
                obj.insert("evaluated".into(), Value::Bool(false));
                obj.insert("wouldFail".into(), Value::Null);
            }
            doc
        }
    }
}

/// The outcome document: [`ArtifactOutcome::to_json`] as a value.
pub fn outcome_document(outcome: &ArtifactOutcome) -> Value {
    serde_json::to_value(outcome).unwrap_or_else(|e| json!({"error": {"code": "INTERNAL", "message": e.to_string()}}))
}

/// The document when nothing could be evaluated.
pub fn error_document(reference: &str, code: &str, message: &str) -> Value {
    json!({
        "reference": reference,
        "verified": false,
        "policy": null,
        "signatures": [],
        "error": {"code": code, "message": message},
    })
}

/// Adds the rollout members of `c` to an outcome document.
fn add_rollout_members(doc: &mut Value, c: &Classification, warn_only: bool) {
    let Some(obj) = doc.as_object_mut() else {
        return;
    };
    if c.class == Class::RetiredSigner {
        // Never report a retired signer as verified.
        obj.insert("verified".into(), Value::Bool(false));
    }
    obj.insert("class".into(), json!(c.class));
    obj.insert("inPolicy".into(), json!(c.in_policy));
    obj.insert("excepted".into(), json!(c.class == Class::Excepted));
    obj.insert("exception".into(), json!(c.exception));
    obj.insert("expiredExceptions".into(), json!(c.expired_exceptions));
    obj.insert("posture".into(), json!(c));
    if warn_only {
        let report = warn_report(c);
        obj.insert("warnOnly".into(), Value::Bool(true));
        obj.insert("wouldFail".into(), json!(report.would_fail));
        obj.insert("logged".into(), json!(report.logged));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::classify::{PostureContext, classify};
    use notaverify::Time;

    #[test]
    fn exit_status_and_warn_members() {
        let outcome = ArtifactOutcome {
            reference: format!("r.io/a@sha256:{}", "a".repeat(64)),
            verified: false,
            policy: None,
            signatures: Vec::new(),
            error: None,
        };
        let ctx = PostureContext { retired: None, exceptions: None, at: Time::UNIX_EPOCH };
        let classification = classify(&outcome.reference, &Ok(outcome.clone()), &[], &ctx);
        let unsigned = Verdict::Classified { outcome: &outcome, classification: &classification };
        assert_eq!((unsigned.exit_status(false), unsigned.exit_status(true)), (EXIT_OUT_OF_POLICY, EXIT_IN_POLICY));
        let doc = verify_document(&unsigned, true);
        assert_eq!(
            (&doc["class"], &doc["inPolicy"], &doc["warnOnly"]),
            (&json!("unsigned"), &json!(false), &json!(true))
        );
        assert_eq!(doc["wouldFail"].as_array().map(Vec::len), Some(1));
        assert!(verify_document(&unsigned, false).get("wouldFail").is_none());

        let error = Verdict::NotEvaluated { reference: "x", code: "POLICY", message: "bad" };
        assert_eq!((error.exit_status(false), error.exit_status(true)), (EXIT_NOT_EVALUATED, EXIT_NOT_EVALUATED));
        let doc = verify_document(&error, true);
        assert_eq!(
            (&doc["evaluated"], &doc["wouldFail"], &doc["error"]["code"]),
            (&json!(false), &Value::Null, &json!("POLICY"))
        );
        assert!(verify_document(&error, false).get("evaluated").is_none());
    }
}
