//! `notaverify inspect` output: one block per signature in text, the core's document in JSON.
//! Everything shown comes from the signatures themselves, so it is all written through
//! [`Printable`].

use super::printable::Printable as P;
use crate::args::Output;
use crate::verdict::{EXIT_ERROR, EXIT_VERIFIED, Failure, Report};
use notaverify::Time;
use notaverify::inspect::{ArtifactInspection, CertificateSummary, SignatureInspection};
use serde_json::{Value, json};
use std::fmt::Write as _;

/// What `inspect` prints, and its exit status: 0 when the signatures were listed, 2 when they
/// could not be read. The JSON document is the core's with `error` (null, or why nothing could be
/// listed).
pub fn report(result: &Result<ArtifactInspection, Failure>, output: Output) -> Report {
    match (result, output) {
        (Ok(inspection), Output::Text) => {
            Report { stdout: text(inspection), stderr: String::new(), exit_status: EXIT_VERIFIED }
        }
        (Ok(inspection), Output::Json) => {
            let mut document = serde_json::to_value(inspection).unwrap_or(Value::Null);
            if let Value::Object(members) = &mut document {
                members.insert("error".into(), Value::Null);
            }
            Report { stdout: format!("{document}\n"), stderr: String::new(), exit_status: EXIT_VERIFIED }
        }
        (Err(failure), Output::Text) => Report {
            stdout: String::new(),
            stderr: format!("Error: {}\n", P(&failure.message())),
            exit_status: EXIT_ERROR,
        },
        (Err(failure), Output::Json) => {
            let document = json!({
                "reference": null,
                "signatures": [],
                "error": {"code": failure.error.code(), "message": failure.message()},
            });
            Report { stdout: format!("{document}\n"), stderr: String::new(), exit_status: EXIT_ERROR }
        }
    }
}

/// The text listing.
fn text(inspection: &ArtifactInspection) -> String {
    let mut out = String::new();
    if let Some(reference) = &inspection.reference {
        let _ = writeln!(out, "{}", P(reference));
    }
    let count = inspection.signatures.len();
    if count == 0 {
        let _ = writeln!(out, "no signatures");
    }
    for (index, signature) in inspection.signatures.iter().enumerate() {
        let digest = signature.digest.as_deref().unwrap_or("(no digest)");
        let _ = writeln!(out, "signature {} of {count}: {} ({})", index + 1, P(digest), P(&signature.media_type));
        signature_text(signature, &mut out);
    }
    out
}

fn signature_text(signature: &SignatureInspection, out: &mut String) {
    let mut field = |name: &str, value: &str| {
        let _ = writeln!(out, "  {name:<16} {}", P(value));
    };
    let time = |t: Option<Time>| t.map(|t| t.to_string());
    if let Some(scheme) = signature.signing_scheme {
        field("signing scheme:", scheme.as_str());
    }
    if let Some(t) = time(signature.signing_time) {
        field("signing time:", &t);
    }
    if let Some(t) = time(signature.authentic_signing_time) {
        field("authentic time:", &t);
    }
    if signature.signing_scheme.is_some() {
        field("expiry:", &time(signature.expiry).unwrap_or_else(|| "none".into()));
    }
    if let Some(algorithm) = &signature.signature_algorithm {
        field("algorithm:", algorithm);
    }
    if let Some(signer) = &signature.signer {
        field("signer:", &signer.subject);
        field("  issuer:", &signer.issuer);
        field("  sha256:", &signer.sha256_fingerprint);
    }
    for (index, certificate) in signature.certificate_chain.iter().enumerate() {
        field(if index == 0 { "chain:" } else { "" }, &certificate_line(certificate));
    }
    if let Some(target) = &signature.target {
        field("signed target:", &format!("{} ({}, {} bytes)", target.digest, target.media_type, target.size));
    }
    for (key, value) in &signature.user_metadata {
        field("user metadata:", &format!("{key}={value}"));
    }
    if let Some(agent) = &signature.signing_agent {
        field("signing agent:", agent);
    }
    if let Some(timestamp) = &signature.timestamp {
        let tsa = timestamp.tsa_subject.as_deref().unwrap_or("(TSA certificate not in the token)");
        match timestamp.gen_time {
            Some(at) => field("timestamp:", &format!("{at} by {tsa}")),
            None => field("timestamp:", tsa),
        }
        if let Some(error) = &timestamp.error {
            field("  unreadable:", error);
        }
    }
    if let Some(error) = &signature.error {
        field("unreadable:", error);
    }
}

fn certificate_line(certificate: &CertificateSummary) -> String {
    format!(
        "{} (sha256 {}, valid {} to {})",
        certificate.subject, certificate.sha256_fingerprint, certificate.not_before, certificate.not_after
    )
}
