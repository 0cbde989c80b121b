//! The JSON document `-o json` prints on stdout, for every exit status (see `--help`).

use crate::verdict::Verdict;
use notaverify::{ArtifactOutcome, SignatureOutcome};
use serde_json::{Value, json};

/// The document for a verdict.
pub fn verdict(verdict: &Verdict) -> Value {
    match &verdict.result {
        Ok(outcome) => outcome_document(outcome),
        Err(failure) => error_document(&verdict.reference, failure.error.code(), &failure.message()),
    }
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

fn outcome_document(outcome: &ArtifactOutcome) -> Value {
    json!({
        "reference": outcome.reference,
        "verified": outcome.verified,
        "policy": outcome.policy.as_ref().map(|p| json!({"name": p.name, "level": p.level.as_str()})),
        "signatures": outcome.signatures.iter().map(signature).collect::<Vec<_>>(),
        "error": outcome.error.as_ref().map(|e| json!({"code": e.code, "message": e.message})),
    })
}

fn signature(s: &SignatureOutcome) -> Value {
    json!({
        "digest": s.digest,
        "mediaType": s.media_type,
        "verified": s.verified,
        "checks": s.checks.iter().map(|c| json!({
            "type": c.check.as_str(),
            "action": c.action.as_str(),
            "passed": c.passed,
            "error": c.error,
        })).collect::<Vec<_>>(),
        "signer": s.signer.as_ref().map(|signer| json!({
            "subject": signer.subject,
            "issuer": signer.issuer,
            "sha256Fingerprint": signer.sha256_fingerprint,
        })),
        "signingTime": s.signing_time.map(|t| t.to_rfc3339()),
        "userMetadata": s.user_metadata,
        "failure": s.failure.map(|f| f.as_str()),
        "error": s.error,
    })
}
