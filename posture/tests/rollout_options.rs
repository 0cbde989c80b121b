//! `RolloutOptions`, the rollout options of a binding's verify call, over the CLI's scan
//! fixtures (`cli/tests/fixtures/scan`): an outcome is classified only when an option is given,
//! retired material makes every signature evaluated, and the document and exit status are
//! those of `notaverify verify` with the same options.

use notaverify::loader::{self, PolicySource, VerifierFiles};
use notaverify::{ArtifactOutcome, SignatureInput, Target, Time, Verifier, VerifyOptions};
use notaverify_posture::rollout::{self, plain_exit_status};
use notaverify_posture::{Class, Exceptions, RolloutOptions, document};
use serde_json::Value;
use std::path::{Path, PathBuf};
use std::sync::Arc;

const JULY: &str = "2025-07-01T00:00:00Z";

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../cli/tests/fixtures/scan")
}

fn verifier() -> Verifier {
    let files = VerifierFiles {
        oci_policy: PolicySource::File(fixtures().join("policies/rotation.json")),
        ..VerifierFiles::default()
    };
    loader::load_verifier_with(&fixtures().join("config"), &files).unwrap().verifier
}

/// The fixture batch file's line whose signature is `signature`: its reference and envelopes.
fn batch_artifact(signature: &str) -> (String, Vec<SignatureInput>) {
    let text = std::fs::read_to_string(fixtures().join("batch.jsonl")).unwrap();
    let line: Value = text
        .lines()
        .map(|l| serde_json::from_str::<Value>(l).unwrap())
        .find(|l| l["signatures"][0] == signature)
        .unwrap_or_else(|| panic!("no batch line signed by {signature}"));
    let envelope = std::fs::read(fixtures().join(signature)).unwrap();
    (line["reference"].as_str().unwrap().to_owned(), vec![SignatureInput::new(envelope, "application/jose+json")])
}

fn verify(options: &RolloutOptions, signature: &str) -> (ArtifactOutcome, Vec<SignatureInput>) {
    let (reference, signatures) = batch_artifact(signature);
    let at = Time::parse_rfc3339(JULY).unwrap();
    let verify = options.verify_options(VerifyOptions { at: Some(at), ..VerifyOptions::default() });
    let target = Target::from_reference(&reference).unwrap();
    (verifier().verify_artifact(&reference, &target, &signatures, &verify).unwrap(), signatures)
}

#[test]
fn without_an_option_nothing_is_classified() {
    let options = RolloutOptions::default();
    assert!(!options.requested());
    let (outcome, signatures) = verify(&options, "signatures/unknown-other.jws");
    assert!(options.classify(&outcome, &signatures, Time::parse_rfc3339(JULY).ok()).is_none());
    assert_eq!(plain_exit_status(&outcome), document::EXIT_OUT_OF_POLICY);
    assert!(!options.verify_options(VerifyOptions::default()).all_signatures);
}

#[test]
fn warn_mode_classifies_and_exits_zero_out_of_policy() {
    let at = Time::parse_rfc3339(JULY).ok();
    for warn_only in [false, true] {
        let exceptions = Exceptions::from_json(&std::fs::read(fixtures().join("exceptions.json")).unwrap()).unwrap();
        let options = RolloutOptions { exceptions: Some(Arc::new(exceptions)), retired: None, warn_only };
        assert!(options.requested());
        let (outcome, signatures) = verify(&options, "signatures/unknown-other.jws");
        let classified = options.classify(&outcome, &signatures, at).expect("classified");
        assert_eq!(classified.classification.class, Class::UnknownSigner);
        assert_eq!(classified.warn_only, warn_only);
        let expected = if warn_only { document::EXIT_IN_POLICY } else { document::EXIT_OUT_OF_POLICY };
        assert_eq!(classified.exit_status(&outcome), expected);
        let doc = classified.document(&outcome);
        assert_eq!(doc["class"], "unknownSigner");
        assert_eq!(doc.get("warnOnly").is_some(), warn_only, "{doc}");
    }
}

#[test]
fn retired_material_evaluates_every_signature() {
    let retired = rollout::read_retired(&fixtures().join("retired.json"), Some(&fixtures().join("config"))).unwrap();
    let options = RolloutOptions { exceptions: None, retired: Some(Arc::new(retired)), warn_only: false };
    assert!(options.verify_options(VerifyOptions::default()).all_signatures);
    let (outcome, signatures) = verify(&options, "signatures/old-p256.jws");
    let classified = options.classify(&outcome, &signatures, Time::parse_rfc3339(JULY).ok()).expect("classified");
    assert_eq!(classified.classification.class, Class::RetiredSigner);
    assert_eq!(classified.exit_status(&outcome), document::EXIT_OUT_OF_POLICY);
}
