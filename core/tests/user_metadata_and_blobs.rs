//! User metadata (required annotations), blob verification (digest under the signing key's hash,
//! size, media type, statement by name or global, skip; in memory and streamed) and the consistency
//! rules between an artifact reference and the target the caller gives (notation-verification.md
//! §7.5, §8.1–§8.2).

mod common;

use common::*;
use notaverify::{
    ArtifactOutcome, BlobOptions, BlobTrustPolicyDocument, CheckType, Error, FailureKind, PolicyError, SignatureInput,
    Target, Time, Verifier, VerifyOptions,
};
use std::collections::BTreeMap;

fn at() -> Time {
    Time::parse_rfc3339("2025-07-01T00:00:00Z").unwrap()
}

fn metadata(pairs: &[(&str, &str)]) -> BTreeMap<String, String> {
    pairs.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect()
}

fn input(file: &str) -> SignatureInput {
    SignatureInput::new(read(file), media_type_of(file))
}

// ---------------------------------------------------------------------------------------------
// User metadata (OCI)
// ---------------------------------------------------------------------------------------------

fn verify_oci_with_metadata(file: &str, required: &[(&str, &str)]) -> ArtifactOutcome {
    let verifier = verifier(policy("strict", &["ca:test-roots"], &["*"], ""));
    let options = VerifyOptions { user_metadata: metadata(required), ..VerifyOptions::at(at()) };
    verifier.verify(&reference(), &target_descriptor(), &input(file), &options).unwrap()
}

#[test]
fn required_metadata_present_with_the_same_value_verifies() {
    for file in ["envelopes/metadata.jws", "envelopes/metadata.cose"] {
        for required in [&[][..], &[("buildId", "101")][..], &[("buildId", "101"), ("commit", "abc")][..]] {
            let outcome = verify_oci_with_metadata(file, required);
            assert!(outcome.verified, "{file} {required:?}: {:?}", outcome.signatures[0]);
            // The signed annotations are reported whatever was required.
            assert_eq!(outcome.signatures[0].user_metadata, metadata(&[("buildId", "101"), ("commit", "abc")]));
        }
    }
}

#[test]
fn required_metadata_absent_or_different_fails_after_every_check() {
    for file in ["envelopes/metadata.jws", "envelopes/metadata.cose"] {
        for required in [
            &[("buildId", "102")][..],
            &[("buildId", "101"), ("commit", "abd")][..],
            &[("BuildId", "101")][..],  // keys are case-sensitive
            &[("buildId", "101 ")][..], // values are compared exactly
            &[("buildId", "")][..],
            &[("release", "1")][..],
        ] {
            let outcome = verify_oci_with_metadata(file, required);
            let signature = &outcome.signatures[0];
            assert!(!outcome.verified, "{file} {required:?}");
            assert_eq!(signature.failure, Some(FailureKind::UserMetadata), "{file} {required:?}");
            assert!(
                signature.error.as_deref().unwrap().contains("unable to find specified metadata"),
                "{:?}",
                signature.error
            );
            // Every check passed before it.
            assert!(signature.checks.iter().all(|r| r.passed), "{:?}", signature.checks);
            assert_eq!(signature.checks.len(), 5, "{:?}", signature.checks);
            assert_eq!(outcome.error.as_ref().unwrap().code, "VERIFICATION_FAILED");
        }
    }
}

#[test]
fn a_payload_without_annotations_satisfies_only_empty_metadata() {
    assert!(verify_oci_with_metadata("envelopes/p256.jws", &[]).verified);
    let outcome = verify_oci_with_metadata("envelopes/p256.jws", &[("buildId", "101")]);
    assert_eq!(outcome.signatures[0].failure, Some(FailureKind::UserMetadata));
    assert!(outcome.signatures[0].user_metadata.is_empty());
}

#[test]
fn an_enforced_failure_is_reported_before_user_metadata() {
    // expired.jws fails expiry at strict: that is the failure, not the metadata.
    let outcome = verify_oci_with_metadata("envelopes/expired.jws", &[("buildId", "101")]);
    assert_eq!(outcome.signatures[0].failure, Some(FailureKind::Check(CheckType::Expiry)));
}

// ---------------------------------------------------------------------------------------------
// Blobs
// ---------------------------------------------------------------------------------------------

const NAMED_AND_GLOBAL: &str = r#"{"version":"1.0","trustPolicies":[
  {"name":"named","signatureVerification":{"level":"strict"},"trustStores":["ca:test-roots"],"trustedIdentities":["*"]},
  {"name":"named-untrusting","signatureVerification":{"level":"strict"},"trustStores":["ca:test-self-signed"],"trustedIdentities":["*"]},
  {"name":"skipped","signatureVerification":{"level":"skip"}},
  {"name":"global","signatureVerification":{"level":"audit"},"trustStores":["ca:test-self-signed"],"trustedIdentities":["*"],"globalPolicy":true}
]}"#;

const NO_GLOBAL: &str = r#"{"version":"1.0","trustPolicies":[
  {"name":"named","signatureVerification":{"level":"strict"},"trustStores":["ca:test-roots"],"trustedIdentities":["*"]}
]}"#;

fn blob_verifier(policy_json: &str) -> Verifier {
    Verifier::new(trust_store()).with_blob_policy(BlobTrustPolicyDocument::from_json(policy_json.as_bytes()).unwrap())
}

fn blob_options(policy_name: Option<&str>, media_type: Option<&str>, required: &[(&str, &str)]) -> BlobOptions {
    BlobOptions {
        policy_name: policy_name.map(str::to_owned),
        media_type: media_type.map(str::to_owned),
        verify: VerifyOptions { user_metadata: metadata(required), ..VerifyOptions::at(at()) },
    }
}

fn verify_blob(verifier: &Verifier, file: &str, blob: &[u8], options: &BlobOptions) -> Result<ArtifactOutcome, Error> {
    verifier.verify_blob("example.txt", blob, &input(file), options)
}

const BLOB_ENVELOPES: [&str; 4] =
    ["envelopes/blob.jws", "envelopes/blob.cose", "envelopes/blob-p384.jws", "envelopes/blob-p384.cose"];

#[test]
fn the_right_blob_verifies_with_any_matching_media_type() {
    let verifier = blob_verifier(NAMED_AND_GLOBAL);
    let blob = read("blob/example.txt");
    for file in BLOB_ENVELOPES {
        for media_type in [None, Some("text/plain")] {
            let outcome = verify_blob(&verifier, file, &blob, &blob_options(Some("named"), media_type, &[])).unwrap();
            assert!(outcome.verified, "{file} {media_type:?}: {:?}", outcome.signatures[0]);
            assert_eq!(outcome.reference, "example.txt");
            assert_eq!(outcome.policy.as_ref().unwrap().name, "named");
        }
    }
}

#[test]
fn a_wrong_blob_fails_integrity_at_every_level() {
    let blob = read("blob/example.txt");
    let mut longer = blob.clone();
    longer.push(b'\n');
    let mut same_size = blob.clone();
    same_size[0] ^= 1;
    let shorter = &blob[..blob.len() - 1];
    for level in ["strict", "permissive", "audit"] {
        let json = NO_GLOBAL.replace("\"strict\"", &format!("{level:?}"));
        let verifier = blob_verifier(&json);
        for file in BLOB_ENVELOPES {
            for wrong in [&longer[..], &same_size[..], shorter, b""] {
                let outcome = verify_blob(&verifier, file, wrong, &blob_options(Some("named"), None, &[])).unwrap();
                let signature = &outcome.signatures[0];
                assert!(!outcome.verified, "{level} {file} {} bytes", wrong.len());
                assert_eq!(signature.failure, Some(FailureKind::Check(CheckType::Integrity)), "{level} {file}");
                assert!(
                    signature.error.as_deref().unwrap().contains("signature does not match the given blob"),
                    "{:?}",
                    signature.error
                );
            }
        }
    }
}

#[test]
fn a_media_type_that_differs_from_the_signed_one_fails_integrity() {
    let verifier = blob_verifier(NAMED_AND_GLOBAL);
    let blob = read("blob/example.txt");
    for file in BLOB_ENVELOPES {
        for media_type in ["application/json", "text/plain; charset=utf-8", "TEXT/PLAIN", "text/plain "] {
            let outcome =
                verify_blob(&verifier, file, &blob, &blob_options(Some("named"), Some(media_type), &[])).unwrap();
            assert_eq!(
                outcome.signatures[0].failure,
                Some(FailureKind::Check(CheckType::Integrity)),
                "{file} {media_type:?}"
            );
        }
    }
}

#[test]
fn the_statement_is_chosen_by_name_or_is_the_global_one() {
    let verifier = blob_verifier(NAMED_AND_GLOBAL);
    let blob = read("blob/example.txt");
    // By name: the statement that trusts test-roots verifies; the one that does not fails authenticity.
    let outcome = verify_blob(&verifier, "envelopes/blob.jws", &blob, &blob_options(Some("named"), None, &[])).unwrap();
    assert!(outcome.verified);
    let outcome =
        verify_blob(&verifier, "envelopes/blob.jws", &blob, &blob_options(Some("named-untrusting"), None, &[]))
            .unwrap();
    assert_eq!(outcome.policy.as_ref().unwrap().name, "named-untrusting");
    assert_eq!(outcome.signatures[0].failure, Some(FailureKind::Check(CheckType::Authenticity)));
    // No name: the global statement (audit, untrusting store): authenticity only logged.
    let outcome = verify_blob(&verifier, "envelopes/blob.jws", &blob, &blob_options(None, None, &[])).unwrap();
    assert_eq!(outcome.policy.as_ref().unwrap().name, "global");
    assert!(outcome.verified);
    let logged: Vec<CheckType> = outcome.signatures[0].logged_failures().map(|r| r.check).collect();
    assert_eq!(logged, [CheckType::Authenticity]);
}

#[test]
fn no_matching_statement_is_no_applicable_statement() {
    let blob = read("blob/example.txt");
    let no_global = blob_verifier(NO_GLOBAL);
    match verify_blob(&no_global, "envelopes/blob.jws", &blob, &blob_options(None, None, &[])) {
        Err(Error::Policy(PolicyError::NoApplicableStatement { .. })) => {}
        other => panic!("{other:?}"),
    }
    for name in ["unknown", "Named", "named "] {
        match verify_blob(&no_global, "envelopes/blob.jws", &blob, &blob_options(Some(name), None, &[])) {
            Err(e @ Error::Policy(PolicyError::NoApplicableStatement { .. })) => {
                assert_eq!(e.code(), "NO_APPLICABLE_POLICY")
            }
            other => panic!("{name:?}: {other:?}"),
        }
    }
    // A blank name is its own error (notation: "policy name cannot be empty").
    assert!(matches!(
        verify_blob(&no_global, "envelopes/blob.jws", &blob, &blob_options(Some("  "), None, &[])),
        Err(Error::Policy(PolicyError::EmptyPolicyName))
    ));
    // A verifier with no blob policy at all.
    let none = Verifier::new(trust_store());
    assert!(matches!(
        verify_blob(&none, "envelopes/blob.jws", &blob, &blob_options(None, None, &[])),
        Err(Error::InvalidInput(_))
    ));
}

#[test]
fn a_skip_statement_verifies_any_blob_without_checks() {
    let verifier = blob_verifier(NAMED_AND_GLOBAL);
    for (file, blob) in
        [("envelopes/blob.jws", &b"not the blob"[..]), ("envelopes/tampered/p256-signature.cose", &b""[..])]
    {
        let outcome =
            verify_blob(&verifier, file, blob, &blob_options(Some("skipped"), Some("application/x-other"), &[]))
                .unwrap();
        assert!(outcome.verified && outcome.skipped(), "{file}");
        assert!(outcome.signatures.is_empty());
    }
}

#[test]
fn blob_user_metadata_is_checked_like_oci_metadata() {
    let verifier = blob_verifier(NAMED_AND_GLOBAL);
    let blob = read("blob/example.txt");
    for file in ["extra/envelopes/blob-metadata.jws", "extra/envelopes/blob-metadata.cose"] {
        for (required, ok) in [
            (&[][..], true),
            (&[("buildId", "101")][..], true),
            (&[("buildId", "101"), ("commit", "abc")][..], true),
            (&[("buildId", "zzz")][..], false),
            (&[("other", "x")][..], false),
        ] {
            let outcome =
                verify_blob(&verifier, file, &blob, &blob_options(Some("named"), Some("text/plain"), required))
                    .unwrap();
            assert_eq!(outcome.verified, ok, "{file} {required:?}: {:?}", outcome.signatures[0]);
            if !ok {
                assert_eq!(outcome.signatures[0].failure, Some(FailureKind::UserMetadata));
            }
        }
    }
    // A blob signature without annotations and a requirement.
    let outcome =
        verify_blob(&verifier, "envelopes/blob.jws", &blob, &blob_options(Some("named"), None, &[("buildId", "101")]))
            .unwrap();
    assert_eq!(outcome.signatures[0].failure, Some(FailureKind::UserMetadata));
}

#[test]
fn an_oci_signature_verifies_as_a_blob_of_the_manifest_bytes_only_with_its_media_type() {
    // The OCI fixture signs target/manifest.json's digest and size with the OCI manifest media
    // type: as a blob of those bytes it verifies, and fails with another media type.
    let verifier = blob_verifier(NAMED_AND_GLOBAL);
    let manifest = read("target/manifest.json");
    let ok = verify_blob(&verifier, "envelopes/p256.jws", &manifest, &blob_options(Some("named"), None, &[])).unwrap();
    assert!(ok.verified, "{:?}", ok.signatures[0]);
    let typed = blob_options(Some("named"), Some("application/vnd.oci.image.manifest.v1+json"), &[]);
    assert!(verify_blob(&verifier, "envelopes/p256.jws", &manifest, &typed).unwrap().verified);
    let wrong = blob_options(Some("named"), Some("text/plain"), &[]);
    assert!(!verify_blob(&verifier, "envelopes/p256.jws", &manifest, &wrong).unwrap().verified);
}

#[test]
fn the_streaming_and_in_memory_blob_paths_give_the_same_outcomes() {
    // Every blob fixture envelope, envelopes broken in every way (tampered, unparseable,
    // undeliverable), an OCI signature and one with annotations; the right blob and wrong ones;
    // every kind of statement; with and without a media type and required metadata.
    let verifier = blob_verifier(NAMED_AND_GLOBAL);
    let blob = read("blob/example.txt");
    let mut longer = blob.clone();
    longer.push(b'\n');
    let mut same_size = blob.clone();
    same_size[0] ^= 1;
    let manifest = read("target/manifest.json");
    let blobs: [&[u8]; 6] = [&blob, &longer, &same_size, &blob[..blob.len() - 1], b"", &manifest];
    let mut inputs: Vec<(String, SignatureInput)> = BLOB_ENVELOPES
        .iter()
        .chain(&[
            "envelopes/p256.jws",
            "envelopes/untrusted.cose",
            "envelopes/tampered/p256-signature.jws",
            "envelopes/tampered/p256-payload.cose",
            "envelopes/tampered/p256-wrong-alg.jws",
            "extra/envelopes/blob-metadata.cose",
        ])
        .map(|f| (f.to_string(), input(f)))
        .collect();
    inputs.push(("garbage".into(), SignatureInput::new(b"{not an envelope".to_vec(), "application/jose+json")));
    inputs.push(("undeliverable".into(), SignatureInput::undeliverable("application/cose", None, "cut short")));
    let mut compared = 0;
    for (name, signature) in &inputs {
        for policy_name in [Some("named"), Some("named-untrusting"), Some("skipped"), None, Some("unknown")] {
            for media_type in [None, Some("text/plain"), Some("application/json")] {
                for required in [&[][..], &[("buildId", "101")][..]] {
                    let options = blob_options(policy_name, media_type, required);
                    for content in blobs {
                        let in_memory = verifier.verify_blob("example.txt", content, signature, &options);
                        let streamed = verifier.verify_blob_reader("example.txt", content, signature, &options);
                        assert_eq!(
                            in_memory,
                            streamed,
                            "{name} {policy_name:?} {media_type:?} {required:?} {} bytes",
                            content.len()
                        );
                        compared += 1;
                    }
                }
            }
        }
    }
    assert_eq!(compared, inputs.len() * 5 * 3 * 2 * blobs.len());
    // The right blob verifies on both paths (the comparison above is not between two failures).
    let streamed = verifier
        .verify_blob_reader(
            "example.txt",
            &blob[..],
            &input("envelopes/blob-p384.cose"),
            &blob_options(Some("named"), Some("text/plain"), &[]),
        )
        .unwrap();
    assert!(streamed.verified, "{:?}", streamed.signatures[0]);
}

#[test]
fn a_blob_streamed_from_a_file_verifies_and_a_read_error_names_the_blob() {
    let verifier = blob_verifier(NAMED_AND_GLOBAL);
    let options = blob_options(Some("named"), None, &[]);
    let file = std::fs::File::open(fixtures().join("blob/example.txt")).unwrap();
    let outcome = verifier.verify_blob_reader("example.txt", file, &input("envelopes/blob.jws"), &options).unwrap();
    assert!(outcome.verified, "{:?}", outcome.signatures[0]);

    struct Failing(usize);
    impl std::io::Read for Failing {
        fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
            if self.0 == 0 {
                return Err(std::io::Error::other("device gone"));
            }
            let n = buf.len().min(self.0);
            buf[..n].fill(b'x');
            self.0 -= n;
            Ok(n)
        }
    }
    match verifier.verify_blob_reader("big.iso", Failing(100_000), &input("envelopes/blob.jws"), &options) {
        Err(e @ Error::Load { .. }) => {
            assert_eq!(e.to_string(), "big.iso: the blob cannot be read: device gone");
            assert_eq!(e.code(), "LOAD");
        }
        other => panic!("{other:?}"),
    }
    // The statement is chosen before anything is read: a policy error wins over a read error.
    assert!(matches!(
        verifier.verify_blob_reader(
            "big.iso",
            Failing(0),
            &input("envelopes/blob.jws"),
            &blob_options(Some("unknown"), None, &[])
        ),
        Err(Error::Policy(PolicyError::NoApplicableStatement { .. }))
    ));
}

// ---------------------------------------------------------------------------------------------
// Reference / target consistency
// ---------------------------------------------------------------------------------------------

fn oci_verifier() -> Verifier {
    verifier(policy("strict", &["ca:test-roots"], &["*"], ""))
}

#[test]
fn a_reference_without_a_valid_digest_is_invalid_input() {
    let digest = target().digest;
    for reference in [
        "registry.example/app:v1".to_owned(),
        "registry.example/app".to_owned(),
        format!("registry.example/app@{}", digest.to_uppercase()),
        format!("registry.example/app@{}", &digest[..digest.len() - 1]),
        format!("registry.example/app@md5:{}", "0".repeat(32)),
    ] {
        let result = oci_verifier().verify(
            &reference,
            &target_descriptor(),
            &input("envelopes/p256.jws"),
            &VerifyOptions::at(at()),
        );
        assert!(matches!(result, Err(Error::InvalidInput(_))), "{reference}: {result:?}");
    }
}

#[test]
fn a_reference_digest_that_differs_from_the_target_is_invalid_input() {
    let other = format!("sha256:{}", "0".repeat(64));
    let reference_other = format!("registry.example/app@{other}");
    for (reference, target) in [
        (reference(), Target::Digest(other.clone())),
        (reference_other.clone(), target_descriptor()),
        (reference_other.clone(), Target::Digest(target().digest)),
    ] {
        let result = oci_verifier().verify(&reference, &target, &input("envelopes/p256.jws"), &VerifyOptions::at(at()));
        match result {
            Err(e @ Error::InvalidInput(_)) => assert_eq!(e.code(), "INVALID_INPUT"),
            other => panic!("{reference} {target:?}: {other:?}"),
        }
    }
    // A target digest that is not a digest at all.
    let result = oci_verifier().verify(
        &reference(),
        &Target::Digest("sha256:xyz".into()),
        &input("envelopes/p256.jws"),
        &VerifyOptions::at(at()),
    );
    assert!(matches!(result, Err(Error::InvalidInput(_))), "{result:?}");
}

#[test]
fn a_consistent_request_for_another_artifact_is_a_target_mismatch() {
    // Reference and target agree with each other but not with what was signed: the request is
    // fine, the signature is not for it (fatal integrity failure, not an Err).
    let other = format!("sha256:{}", "0".repeat(64));
    let outcome = oci_verifier()
        .verify(
            &format!("registry.example/app@{other}"),
            &Target::Digest(other),
            &input("envelopes/p256.jws"),
            &VerifyOptions::at(at()),
        )
        .unwrap();
    assert!(!outcome.verified);
    assert_eq!(outcome.signatures[0].failure, Some(FailureKind::Check(CheckType::Integrity)));
    // With only the digest known, the right digest verifies.
    let outcome = oci_verifier()
        .verify(&reference(), &Target::Digest(target().digest), &input("envelopes/p256.jws"), &VerifyOptions::at(at()))
        .unwrap();
    assert!(outcome.verified, "{:?}", outcome.signatures[0]);
}

#[test]
fn a_reference_no_statement_applies_to_is_no_applicable_statement() {
    let json = r#"{"version":"1.0","trustPolicies":[{"name":"only-other","registryScopes":["registry.example/other"],
        "signatureVerification":{"level":"strict"},"trustStores":["ca:test-roots"],"trustedIdentities":["*"]}]}"#;
    let verifier = Verifier::new(trust_store())
        .with_oci_policy(notaverify::TrustPolicyDocument::from_json(json.as_bytes()).unwrap());
    let result =
        verifier.verify(&reference(), &target_descriptor(), &input("envelopes/p256.jws"), &VerifyOptions::at(at()));
    match result {
        Err(e @ Error::Policy(PolicyError::NoApplicableStatement { .. })) => {
            assert_eq!(e.code(), "NO_APPLICABLE_POLICY");
            assert!(e.to_string().contains("has no applicable oci trust policy statement"), "{e}");
        }
        other => panic!("{other:?}"),
    }
    // The matching repository is selected.
    let outcome = verifier
        .verify(
            &format!("registry.example/other@{}", target().digest),
            &target_descriptor(),
            &input("envelopes/p256.jws"),
            &VerifyOptions::at(at()),
        )
        .unwrap();
    assert!(outcome.verified);
    assert_eq!(outcome.policy.unwrap().name, "only-other");
}

#[test]
fn a_signature_naming_octet_stream_for_the_manifest_fails_with_a_message_saying_so() {
    // `notation sign --oci-layout` signs a manifest reached only through a nested index with the
    // media type application/octet-stream (nested-index/generate.py): same digest and size as
    // target/manifest.json, different media type.
    let expected = "integrity check failed. the signed target artifact's media type is \"application/octet-stream\" \
                    where the artifact is \"application/vnd.oci.image.manifest.v1+json\" (notation sign --oci-layout \
                    writes this for a manifest reached only through a nested index); the signature does not match \
                    the artifact being verified";
    let generic = "integrity check failed. the signed target artifact (content descriptor) does not match the artifact being verified";
    for file in ["nested-index/octet-stream-manifest.jws", "nested-index/octet-stream-manifest.cose"] {
        let outcome =
            oci_verifier().verify(&reference(), &target_descriptor(), &input(file), &VerifyOptions::at(at())).unwrap();
        let signature = &outcome.signatures[0];
        assert!(!outcome.verified, "{file}");
        assert_eq!(signature.failure, Some(FailureKind::Check(CheckType::Integrity)), "{file}");
        assert_eq!(signature.error.as_deref(), Some(expected), "{file}");
        // Everything else passed; the integrity result carries the message.
        let integrity = signature.checks.iter().find(|r| r.check == CheckType::Integrity).unwrap();
        assert!(!integrity.passed);
        assert_eq!(integrity.error.as_deref(), Some(expected));
        assert!(
            signature.checks.iter().filter(|r| r.check != CheckType::Integrity).all(|r| r.passed),
            "{:?}",
            signature.checks
        );

        // Only the digest known: it matches, and the signature verifies.
        let digest_only = oci_verifier()
            .verify(&reference(), &Target::Digest(target().digest), &input(file), &VerifyOptions::at(at()))
            .unwrap();
        assert!(digest_only.verified, "{file}: {:?}", digest_only.signatures[0]);

        // Another size (or digest) is the ordinary mismatch, whatever the media type.
        let mut other_size = target();
        other_size.size += 1;
        let outcome = oci_verifier()
            .verify(&reference(), &Target::Descriptor(other_size), &input(file), &VerifyOptions::at(at()))
            .unwrap();
        assert_eq!(outcome.signatures[0].error.as_deref(), Some(generic), "{file}");
    }
    // The other way round (the artifact is octet-stream, the signature names the manifest type)
    // is the ordinary mismatch too.
    let mut octet_stream = target();
    octet_stream.media_type = "application/octet-stream".into();
    let outcome = oci_verifier()
        .verify(&reference(), &Target::Descriptor(octet_stream), &input("envelopes/p256.jws"), &VerifyOptions::at(at()))
        .unwrap();
    assert_eq!(outcome.signatures[0].error.as_deref(), Some(generic));
}
