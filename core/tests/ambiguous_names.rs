//! Ambiguity is a failure, never a choice: a name that differs from a notation name only in letter
//! case (as Go's `encoding/json` folds case, also `ſ` with `s`) fails integrity with a message
//! naming it, in the JWS top level and protected header, the COSE protected header and the
//! payload. notation-go reads such a JWS or payload member as the real one (the last of several
//! spellings); a verifier matching names exactly would ignore it — an expiry that never expires —
//! or bind to another spelling than notation does.
//!
//! The `amb-*` envelopes are validly signed by the fixture leaf (`core/tests/hostile/generate.py
//! ambiguous`), so a failure proves the name rule fired, not a broken signature. Unsigned changes
//! (the JWS top level and unprotected header) are made here on `good.jws`.

mod common;

use notaverify::envelope::EnvelopePart;
use notaverify::*;
use std::path::Path;

const JWS: &str = "application/jose+json";
const COSE: &str = "application/cose";
const EXPIRY: &str = "io.cncf.notary.expiry";
const SIGNING_SCHEME: &str = "io.cncf.notary.signingScheme";

fn hostile(name: &str) -> Vec<u8> {
    let p = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/hostile").join(name);
    std::fs::read(&p).unwrap_or_else(|e| panic!("{}: {e} (run core/tests/hostile/generate.py ambiguous)", p.display()))
}

fn media_type(name: &str) -> &'static str {
    if name.ends_with(".cose") { COSE } else { JWS }
}

/// The strict reference verifier of the fixtures, identities `*`.
fn verify(what: &str, envelope: Vec<u8>, media_type: &str) -> SignatureOutcome {
    let verifier = common::verifier(common::policy("strict", &["ca:test-roots"], &["*"], ""));
    let outcome = verifier
        .verify(
            &common::reference(),
            &common::target_descriptor(),
            &SignatureInput::new(envelope, media_type),
            &VerifyOptions::default(),
        )
        .unwrap_or_else(|e| panic!("{what}: request error {e}"));
    outcome.signatures.into_iter().next().unwrap_or_else(|| panic!("{what}: no signature outcome"))
}

fn ambiguous(part: EnvelopePart, name: &str, notation_name: &str) -> EnvelopeError {
    EnvelopeError::AmbiguousName { part, name: name.into(), notation_name: notation_name.into() }
}

/// Verifying fails integrity with exactly `expected`'s message.
fn assert_integrity_fails(what: &str, envelope: Vec<u8>, media_type: &str, expected: &EnvelopeError) {
    let outcome = verify(what, envelope, media_type);
    assert!(!outcome.verified, "{what}: verified! {outcome:?}");
    assert_eq!(outcome.failure, Some(FailureKind::Check(CheckType::Integrity)), "{what}: {outcome:?}");
    let message = outcome.error.as_deref().unwrap_or_default();
    assert!(message.contains(&expected.to_string()), "{what}: message {message:?} lacks {expected}");
}

/// The file fails to parse with `expected`, and verifying it fails integrity saying so.
fn assert_file_fails(name: &str, expected: EnvelopeError) {
    assert_eq!(Envelope::parse(media_type(name), &hostile(name)).err(), Some(expected.clone()), "{name}");
    assert_integrity_fails(name, hostile(name), media_type(name), &expected);
}

/// The file parses, its payload does not: `target()` fails with `expected`, and so does
/// verification, on integrity.
fn assert_payload_fails(name: &str, expected: EnvelopeError) {
    let envelope = Envelope::parse(media_type(name), &hostile(name)).unwrap_or_else(|e| panic!("{name}: {e}"));
    assert_eq!(envelope.verify_signature(), Ok(()), "{name}: signed by the fixture leaf");
    assert_eq!(envelope.target().err(), Some(expected.clone()), "{name}");
    assert_integrity_fails(name, hostile(name), media_type(name), &expected);
}

fn good_jws() -> serde_json::Value {
    serde_json::from_slice(&hostile("good.jws")).unwrap()
}

fn bytes(value: &serde_json::Value) -> Vec<u8> {
    serde_json::to_vec(value).unwrap()
}

#[test]
fn the_generated_look_alikes_and_the_baseline_verify() {
    for name in ["good.jws", "good.cose", "amb-ok-lookalikes.jws", "amb-ok-lookalikes.cose"] {
        let outcome = verify(name, hostile(name), media_type(name));
        assert!(outcome.verified, "{name}: {outcome:?}");
    }
}

#[test]
fn a_case_variant_of_the_expiry_header_fails_integrity_jws() {
    // The expiry it carries has passed: ignoring the header would verify an expired signature.
    let expected = ambiguous(EnvelopePart::ProtectedHeader, "IO.CNCF.NOTARY.EXPIRY", EXPIRY);
    assert_eq!(
        expected.to_string(),
        "protected header name \"IO.CNCF.NOTARY.EXPIRY\" differs from the notation name \"io.cncf.notary.expiry\" \
         only in letter case"
    );
    assert_file_fails("amb-expiry-upper.jws", expected);
}

#[test]
fn a_case_variant_of_the_expiry_header_fails_integrity_cose() {
    assert_file_fails(
        "amb-expiry-upper.cose",
        ambiguous(EnvelopePart::ProtectedHeader, "IO.CNCF.NOTARY.EXPIRY", EXPIRY),
    );
}

#[test]
fn a_case_variant_of_the_signing_scheme_fails_integrity_though_go_reads_it_as_the_scheme() {
    assert_file_fails(
        "amb-scheme-mixed.jws",
        ambiguous(EnvelopePart::ProtectedHeader, "Io.Cncf.Notary.SigningScheme", SIGNING_SCHEME),
    );
    // U+017F folds with `s` in Go's encoding/json.
    assert_file_fails(
        "amb-scheme-long-s.jws",
        ambiguous(EnvelopePart::ProtectedHeader, "io.cncf.notary.\u{17F}igningScheme", SIGNING_SCHEME),
    );
    assert_file_fails(
        "amb-scheme-mixed.cose",
        ambiguous(EnvelopePart::ProtectedHeader, "Io.Cncf.Notary.SigningScheme", SIGNING_SCHEME),
    );
}

#[test]
fn a_case_variant_of_alg_beside_the_real_one_fails_integrity() {
    assert_file_fails("amb-alg-upper.jws", ambiguous(EnvelopePart::ProtectedHeader, "ALG", "alg"));
}

#[test]
fn a_case_variant_in_crit_names_no_header_and_fails_integrity() {
    // notation-core-go and go-cose compare crit entries exactly, and so does this verifier.
    for name in ["amb-crit-entry.jws", "amb-crit-entry.cose"] {
        assert_file_fails(name, EnvelopeError::CriticalHeaderNotPresent("IO.CNCF.NOTARY.SIGNINGSCHEME".into()));
    }
}

#[test]
fn a_case_variant_of_target_artifact_beside_the_real_one_fails_integrity() {
    // The real member describes the target and the variant another artifact: this verifier used
    // to bind to the first (and verify), notation-go binds to the last (and fails).
    for ext in ["jws", "cose"] {
        assert_payload_fails(
            &format!("amb-target-both.{ext}"),
            ambiguous(EnvelopePart::Payload, "TargetArtifact", "targetArtifact"),
        );
    }
}

#[test]
fn a_payload_with_only_a_case_variant_of_target_artifact_fails_integrity() {
    // notation-go reads it as the target and verifies; a case-sensitive reader finds no target.
    // Two readings of signed content: rejected (stricter than notation-go).
    for ext in ["jws", "cose"] {
        assert_payload_fails(
            &format!("amb-target-only.{ext}"),
            ambiguous(EnvelopePart::Payload, "TargetArtifact", "targetArtifact"),
        );
    }
}

#[test]
fn a_case_variant_of_a_descriptor_member_fails_integrity() {
    let cases = [
        ("amb-digest-both", "targetArtifact.Digest", "targetArtifact.digest"),
        ("amb-size-long-s", "targetArtifact.\u{17F}ize", "targetArtifact.size"),
        // Alone: Go reads it as the user metadata; a case-sensitive reader sees none.
        ("amb-annotations-variant", "targetArtifact.Annotations", "targetArtifact.annotations"),
    ];
    for (stem, name, notation_name) in cases {
        for ext in ["jws", "cose"] {
            assert_payload_fails(&format!("{stem}.{ext}"), ambiguous(EnvelopePart::Payload, name, notation_name));
        }
    }
}

#[test]
fn a_case_variant_of_a_top_level_jws_member_fails_integrity() {
    for (member, variant, keep_real) in
        [("payload", "Payload", true), ("payload", "PAYLOAD", false), ("signature", "Signature", true)]
    {
        let mut envelope = good_jws();
        envelope[variant] = envelope[member].clone();
        if !keep_real {
            envelope.as_object_mut().unwrap().remove(member);
        }
        let expected = ambiguous(EnvelopePart::Envelope, variant, member);
        assert_eq!(Envelope::parse(JWS, &bytes(&envelope)).err(), Some(expected.clone()), "{variant}");
        assert_integrity_fails(variant, bytes(&envelope), JWS, &expected);
    }
}

#[test]
fn two_spellings_of_an_unprotected_jws_member_fail_integrity() {
    // Go takes the last spelling in document order; neither is a safe choice.
    let mut envelope = good_jws();
    envelope["header"]["X5C"] = serde_json::json!([]);
    let expected = ambiguous(EnvelopePart::UnprotectedHeader, "X5C", "x5c");
    assert_eq!(Envelope::parse(JWS, &bytes(&envelope)).err(), Some(expected.clone()));
    assert_integrity_fails("x5c and X5C", bytes(&envelope), JWS, &expected);

    let mut envelope = good_jws();
    envelope["header"]["io.cncf.notary.\u{17F}igningAgent"] = serde_json::json!("other/1.0");
    let expected =
        ambiguous(EnvelopePart::UnprotectedHeader, "io.cncf.notary.\u{17F}igningAgent", "io.cncf.notary.signingAgent");
    assert_eq!(Envelope::parse(JWS, &bytes(&envelope)).err(), Some(expected));
}

#[test]
fn one_case_variant_of_an_unprotected_jws_member_is_read_as_notation_go_reads_it() {
    // The unprotected header is not signed; notation-go's mock envelopes spell
    // `io.cncf.notary.SigningAgent`. A single spelling is read, as Go reads it.
    let mut envelope = good_jws();
    let header = envelope["header"].as_object_mut().unwrap();
    let chain = header.remove("x5c").unwrap();
    header.remove("io.cncf.notary.signingAgent");
    header.insert("X5c".into(), chain);
    header.insert("io.cncf.notary.\u{17F}igningAgent".into(), "Go/1.0".into());
    let parsed = Envelope::parse(JWS, &bytes(&envelope)).unwrap();
    assert_eq!(parsed.unsigned.signing_agent.as_deref(), Some("Go/1.0"));
    let outcome = verify("X5c", bytes(&envelope), JWS);
    assert!(outcome.verified, "{outcome:?}");
}

#[test]
fn look_alike_names_keep_their_meaning() {
    // Names that merely contain a notation name, or resemble a name of another part, are
    // extended attributes (protected header) or ignored members (payload), as in notation-go.
    let jws = Envelope::parse(JWS, &hostile("amb-ok-lookalikes.jws")).unwrap();
    let keys: Vec<&str> = jws.signed.extended_attributes.iter().map(|a| a.key.as_str()).collect();
    assert_eq!(keys, ["Crits", "IO.CNCF.NOTARY.EXPIRY2", "X5C", "io.cncf.notary.expiry.note"]);
    assert_eq!(jws.signed.expiry, None);
    let cose = Envelope::parse(COSE, &hostile("amb-ok-lookalikes.cose")).unwrap();
    let mut keys: Vec<&str> = cose.signed.extended_attributes.iter().map(|a| a.key.as_str()).collect();
    keys.sort_unstable();
    assert_eq!(keys, ["CRIT", "Crits", "IO.CNCF.NOTARY.EXPIRY2", "X5C", "alg", "io.cncf.notary.expiry.note"]);
    for envelope in [jws, cose] {
        assert_eq!(envelope.target().unwrap(), common::target());
    }
}
