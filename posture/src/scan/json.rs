//! A scan as JSON, as `notaverify scan -o json` writes it: one line per artifact
//! ([`json_line`]) and the scan's members of the summary line ([`summary_json`]). Here, not in
//! the CLI, so that every caller of the scan engine (the bindings, a scan spread over a
//! cluster) writes the same bytes the CLI does.

use super::{ClassCounts, ScanSummary, ScannedArtifact};
use crate::Class;
use serde_json::{Map, Value, json};

/// One artifact as a JSON line: the classification, each of its `signatures[]` with its
/// `signer` (or null), plus where it came from (`repository`, `source`, and `tags` when it has
/// any).
pub fn json_line(artifact: &ScannedArtifact) -> Value {
    let mut v = serde_json::to_value(&artifact.classification).unwrap_or_else(
        |_| json!({"reference": artifact.classification.reference, "class": "failed", "inPolicy": false}),
    );
    if let Some(obj) = v.as_object_mut() {
        if let Some(Value::Array(signatures)) = obj.get_mut("signatures") {
            for (signature, signer) in signatures.iter_mut().zip(&artifact.signers) {
                if let Some(signature) = signature.as_object_mut() {
                    signature.insert("signer".into(), json!(signer));
                }
            }
        }
        obj.insert("repository".into(), json!(artifact.repository));
        obj.insert("source".into(), json!(artifact.source));
        if !artifact.tags.is_empty() {
            obj.insert("tags".into(), json!(artifact.tags));
        }
    }
    v
}

/// The scan's members of the summary line: counts in total, per class (every class), per
/// repository and per signer (the classes present), the exceptions with what they did, the
/// retired declarations, the scan time, the timing (`elapsedSeconds`,
/// `microsecondsPerArtifact`) and the threads (`jobs`). The CLI adds what only it knows
/// (`warnOnly`, the per-source roll-up, the deployed workloads).
pub fn summary_json(summary: &ScanSummary) -> Map<String, Value> {
    let counts: Map<String, Value> =
        Class::ALL.iter().zip(summary.counts).map(|(c, n)| (c.as_str().to_owned(), json!(n))).collect();
    let members = json!({
        "total": summary.total,
        "inPolicy": summary.in_policy,
        "outOfPolicy": summary.out_of_policy,
        "counts": counts,
        "repositories": summary.repositories.iter().map(|r| json!({
            "repository": r.repository, "total": r.total, "outOfPolicy": r.out_of_policy,
            "counts": class_counts(&r.counts),
        })).collect::<Vec<_>>(),
        "exceptions": summary.exceptions.iter().map(|e| json!({
            "scope": e.scope, "owner": e.owner, "reason": e.reason, "expires": e.expires,
            "daysLeft": e.days_left, "active": e.active, "applied": e.applied, "expiredHits": e.expired_hits,
        })).collect::<Vec<_>>(),
        "retired": summary.retired.iter().map(|(what, when)| json!({"declaredBy": what, "retired": when})).collect::<Vec<_>>(),
        "at": summary.at.to_rfc3339(),
        "elapsedSeconds": summary.elapsed.as_secs_f64(),
        "microsecondsPerArtifact": summary.micros_per_artifact(),
        "jobs": summary.jobs,
        "dualSigned": summary.dual_signed,
        "signers": summary.signers.iter().map(|r| json!({
            "subject": r.signer.subject, "issuer": r.signer.issuer, "sha256Fingerprint": r.signer.sha256_fingerprint,
            "artifacts": r.artifacts, "counts": class_counts(&r.counts),
        })).collect::<Vec<_>>(),
    });
    match members {
        Value::Object(members) => members,
        _ => Map::new(),
    }
}

/// The classes present in `counts` (in [`Class::ALL`] order) with their counts.
fn class_counts(counts: &ClassCounts) -> Map<String, Value> {
    Class::ALL.iter().zip(counts).filter(|(_, n)| **n > 0).map(|(c, n)| (c.as_str().to_owned(), json!(n))).collect()
}
