//! Every generated fixture envelope through the whole workflow at the reference setup of
//! core/tests/fixtures/README.md (strict, `*` identities, stores `ca:test-roots`,
//! `signingAuthority:test-sa`): the verdict and the failing check match
//! what cases.json records (notation-go's verdict, or the spec's where we follow it).

mod common;

use common::*;
use notaverify::{BlobOptions, CheckType, FailureKind, SignatureInput, VerifyOptions};

#[derive(serde::Deserialize)]
#[serde(rename_all = "camelCase")]
struct Case {
    file: String,
    media_type: String,
    scenario: String,
    expect: String,
    expect_spec: Option<String>,
    kind: String,
    user_metadata: Option<std::collections::BTreeMap<String, String>>,
}

fn expected_failure(expect: &str) -> Option<FailureKind> {
    Some(match expect {
        "valid" => return None,
        "integrity" | "targetMismatch" => FailureKind::Check(CheckType::Integrity),
        "authenticity" => FailureKind::Check(CheckType::Authenticity),
        "expiry" => FailureKind::Check(CheckType::Expiry),
        "authenticTimestamp" => FailureKind::Check(CheckType::AuthenticTimestamp),
        "plugin" => FailureKind::VerificationPlugin,
        other => panic!("unknown expectation {other}"),
    })
}

#[test]
fn every_fixture_gets_its_expected_verdict() {
    let cases: Vec<Case> = serde_json::from_slice(&read("cases.json")).unwrap();
    let verifier = verifier(policy("strict", &["ca:test-roots", "signingAuthority:test-sa"], &["*"], ""));
    let mut checked = 0;
    for case in &cases {
        let envelope = SignatureInput::new(read(&case.file), case.media_type.clone());
        let mut options = VerifyOptions::default();
        if let Some(m) = &case.user_metadata {
            options.user_metadata = m.clone();
        }
        let outcome = if case.kind == "blob" {
            let blob = read("blob/example.txt");
            let opts = BlobOptions { verify: options, ..BlobOptions::default() };
            verifier.verify_blob("example.txt", &blob, &envelope, &opts).unwrap()
        } else {
            verifier.verify(&reference(), &target_descriptor(), &envelope, &options).unwrap()
        };
        let expect = case.expect_spec.as_deref().unwrap_or(&case.expect);
        let signature = &outcome.signatures[0];
        assert_eq!(outcome.verified, expect == "valid", "{} ({}): {:?}", case.file, case.scenario, signature);
        assert_eq!(signature.failure, expected_failure(expect), "{}: {:?}", case.file, signature.error);
        checked += 1;
    }
    assert_eq!(checked, cases.len());
    assert!(checked >= 60, "only {checked} cases");
}

#[test]
fn a_pinned_self_signed_leaf_verifies_only_when_its_store_is_named() {
    let input = SignatureInput::new(read("envelopes/self-signed.jws"), "application/jose+json");
    let options = VerifyOptions::default();
    let pinned = verifier(policy("strict", &["ca:test-self-signed"], &["*"], ""));
    assert!(pinned.verify(&reference(), &target_descriptor(), &input, &options).unwrap().verified);
    let roots_only = verifier(policy("strict", &["ca:test-roots"], &["*"], ""));
    let outcome = roots_only.verify(&reference(), &target_descriptor(), &input, &options).unwrap();
    assert_eq!(outcome.signatures[0].failure, Some(FailureKind::Check(CheckType::Authenticity)));
}
