//! An artifact with several signatures (notation-verification.md §8.1): signatures are tried in
//! order, the first that verifies wins, every attempt before it is reported with its failure, all
//! failing → VERIFICATION_FAILED, none → NO_SIGNATURE, more than `max_signatures` →
//! MAX_SIGNATURES_EXCEEDED, `max_signatures == 0` → Err(InvalidInput).

mod common;

use common::*;
use notaverify::{ArtifactOutcome, CheckType, Error, FailureKind, SignatureInput, Time, VerifyOptions};

fn at() -> Time {
    Time::parse_rfc3339("2025-07-01T00:00:00Z").unwrap()
}

fn input(file: &str) -> SignatureInput {
    let mut s = SignatureInput::new(read(file), media_type_of(file));
    s.digest = Some(format!("digest-of:{file}"));
    s
}

fn verify_all(files: &[&str], max: usize) -> Result<ArtifactOutcome, Error> {
    let verifier = verifier(policy("strict", &["ca:test-roots", "signingAuthority:test-sa"], &["*"], ""));
    let inputs: Vec<SignatureInput> = files.iter().map(|f| input(f)).collect();
    let options = VerifyOptions { max_signatures: max, ..VerifyOptions::at(at()) };
    verifier.verify_artifact(&reference(), &target_descriptor(), &inputs, &options)
}

fn failures(outcome: &ArtifactOutcome) -> Vec<Option<FailureKind>> {
    outcome.signatures.iter().map(|s| s.failure).collect()
}

const UNTRUSTED: &str = "envelopes/untrusted.jws";
const EXPIRED: &str = "envelopes/expired.cose";
const TAMPERED: &str = "envelopes/tampered/p256-signature.jws";
const GOOD: &str = "envelopes/p256.jws";
const GOOD_COSE: &str = "envelopes/rsa2048.cose";

#[test]
fn the_first_good_signature_wins_and_earlier_failures_are_kept() {
    let outcome = verify_all(&[UNTRUSTED, EXPIRED, TAMPERED, GOOD, GOOD_COSE], 100).unwrap();
    assert!(outcome.verified);
    assert_eq!(outcome.error, None);
    assert_eq!(
        failures(&outcome),
        [
            Some(FailureKind::Check(CheckType::Authenticity)),
            Some(FailureKind::Check(CheckType::Expiry)),
            Some(FailureKind::Check(CheckType::Integrity)),
            None,
        ],
        "attempts stop at the first success; GOOD_COSE is never tried"
    );
    // Every attempt is reported, in order, with its own digest and media type.
    let digests: Vec<&str> = outcome.signatures.iter().map(|s| s.digest.as_deref().unwrap()).collect();
    assert_eq!(digests, [UNTRUSTED, EXPIRED, TAMPERED, GOOD].map(|f| format!("digest-of:{f}")));
    assert_eq!(outcome.signatures[1].media_type, "application/cose");
    assert!(outcome.signatures[..3].iter().all(|s| !s.verified && s.error.is_some()));
    let winner = outcome.verified_signature().unwrap();
    assert_eq!(winner.digest.as_deref(), Some(&*format!("digest-of:{GOOD}")));
    assert!(winner.signer.as_ref().unwrap().subject.contains("CN=p256 leaf"));
}

#[test]
fn a_good_first_signature_is_the_only_attempt() {
    let outcome = verify_all(&[GOOD_COSE, UNTRUSTED, GOOD], 100).unwrap();
    assert!(outcome.verified);
    assert_eq!(failures(&outcome), [None]);
}

#[test]
fn all_failing_is_verification_failed_with_every_attempt() {
    let outcome = verify_all(&[UNTRUSTED, EXPIRED, TAMPERED, "envelopes/plugin.cose"], 100).unwrap();
    assert!(!outcome.verified);
    assert_eq!(outcome.verified_signature(), None);
    assert_eq!(outcome.error.as_ref().unwrap().code, "VERIFICATION_FAILED");
    assert_eq!(
        failures(&outcome),
        [
            Some(FailureKind::Check(CheckType::Authenticity)),
            Some(FailureKind::Check(CheckType::Expiry)),
            Some(FailureKind::Check(CheckType::Integrity)),
            Some(FailureKind::VerificationPlugin),
        ]
    );
}

#[test]
fn no_signature_is_no_signature() {
    let outcome = verify_all(&[], 100).unwrap();
    assert!(!outcome.verified);
    assert!(outcome.signatures.is_empty());
    assert_eq!(outcome.error.as_ref().unwrap().code, "NO_SIGNATURE");
}

#[test]
fn more_failing_signatures_than_the_limit_stop_with_max_signatures_exceeded() {
    let outcome = verify_all(&[UNTRUSTED, EXPIRED, GOOD], 2).unwrap();
    assert!(!outcome.verified, "the good third signature is never tried");
    assert_eq!(outcome.signatures.len(), 2);
    let error = outcome.error.as_ref().unwrap();
    assert_eq!(error.code, "MAX_SIGNATURES_EXCEEDED");
    assert!(error.message.contains("limit of 2 signatures"), "{}", error.message);
}

#[test]
fn the_limit_only_matters_when_reached() {
    // A success within the limit wins even though more signatures exist.
    let outcome = verify_all(&[UNTRUSTED, GOOD, EXPIRED, TAMPERED], 2).unwrap();
    assert!(outcome.verified);
    assert_eq!(outcome.signatures.len(), 2);
    // Fewer than `max` signatures, all failing: every one tried, VERIFICATION_FAILED.
    let outcome = verify_all(&[UNTRUSTED, EXPIRED], 3).unwrap();
    assert_eq!(outcome.signatures.len(), 2);
    assert_eq!(outcome.error.as_ref().unwrap().code, "VERIFICATION_FAILED");
    // One signature with max 1 that verifies.
    assert!(verify_all(&[GOOD], 1).unwrap().verified);
    // Two with max 1, the first failing.
    assert_eq!(verify_all(&[UNTRUSTED, GOOD], 1).unwrap().error.unwrap().code, "MAX_SIGNATURES_EXCEEDED");
}

/// FAILS today. notation-go (notation.go `Verify`) checks the limit after each page of
/// signatures: `if numOfSignatureProcessed >= MaxSignatureAttempts { return
/// errExceededMaxVerificationLimit }`. So exactly `max` signatures that all fail end with "signature
/// evaluation stopped. The configured limit of N signatures to verify per artifact exceeded", not
/// with the joined VerificationFailed errors; notaverify says VERIFICATION_FAILED. Same verdict,
/// different code. Fix proposed in /tmp/workflow-fixes.patch (verifier.rs), or record it in
/// docs/divergences.md if the lead prefers the clearer code.
#[test]
fn exactly_max_failing_signatures_is_max_signatures_exceeded_as_in_notation_go() {
    let outcome = verify_all(&[UNTRUSTED, EXPIRED], 2).unwrap();
    assert!(!outcome.verified);
    assert_eq!(outcome.signatures.len(), 2, "both are tried");
    assert_eq!(outcome.error.as_ref().unwrap().code, "MAX_SIGNATURES_EXCEEDED");
    let outcome = verify_all(&[UNTRUSTED], 1).unwrap();
    assert_eq!(outcome.error.as_ref().unwrap().code, "MAX_SIGNATURES_EXCEEDED");
}

#[test]
fn max_signatures_zero_is_invalid_input() {
    for files in [&[GOOD][..], &[][..]] {
        match verify_all(files, 0) {
            Err(Error::InvalidInput(message)) => {
                assert!(message.contains("max_signatures"), "{message}")
            }
            other => panic!("{other:?}"),
        }
    }
}

#[test]
fn the_default_limit_is_notations_100() {
    assert_eq!(VerifyOptions::default().max_signatures, 100);
    let files = vec![UNTRUSTED; 101];
    let outcome = verify_all(&files, VerifyOptions::default().max_signatures).unwrap();
    assert_eq!(outcome.signatures.len(), 100);
    assert_eq!(outcome.error.unwrap().code, "MAX_SIGNATURES_EXCEEDED");
}

#[test]
fn each_attempt_is_independent_of_the_ones_before() {
    // The same good envelope after failures gets the same results as alone.
    let alone = verify_all(&[GOOD], 100).unwrap();
    let after = verify_all(&[TAMPERED, EXPIRED, GOOD], 100).unwrap();
    assert_eq!(alone.signatures[0].checks, after.signatures[2].checks);
    assert_eq!(alone.signatures[0].signer, after.signatures[2].signer);
}

#[test]
fn the_outcome_serializes_every_attempt() {
    let outcome = verify_all(&[UNTRUSTED, GOOD], 100).unwrap();
    let json: serde_json::Value = serde_json::from_str(&outcome.to_json()).unwrap();
    let signatures = json["signatures"].as_array().unwrap();
    assert_eq!(signatures.len(), 2);
    assert_eq!(signatures[0]["verified"], false);
    assert_eq!(signatures[0]["failure"], "authenticity");
    assert_eq!(signatures[1]["verified"], true);
    assert_eq!(json["verified"], true);
}
