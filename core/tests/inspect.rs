//! `notaverify::inspect`: what signatures claim, read with no policy or trust store. The expected
//! values come from the PKI and token files the envelopes were made from, not from the envelopes.

mod common;

use common::*;
use notaverify::inspect::ArtifactInspection;
use notaverify::timestamp::TimestampToken;
use notaverify::x509::parse_certificates;
use notaverify::{SignatureInput, SigningScheme};
use std::path::Path;

fn input(file: &str) -> SignatureInput {
    SignatureInput::new(read(file), media_type_of(file)).with_digest(format!("sha256:{file}"))
}

fn fingerprint_of(pem_file: &str) -> String {
    parse_certificates(&read(pem_file)).unwrap()[0].sha256_fingerprint()
}

#[test]
fn every_signature_of_a_multi_signed_artifact_is_listed_with_its_signer_and_chain() {
    let files = ["envelopes/p256.jws", "envelopes/rsa2048.cose", "envelopes/sa.jws"];
    let inputs: Vec<SignatureInput> = files.iter().map(|f| input(f)).collect();
    let inspection = ArtifactInspection::new(Some(reference()), &inputs);
    assert_eq!(inspection.reference, Some(reference()));
    assert_eq!(inspection.signatures.len(), 3);
    for (signature, (file, pki)) in inspection.signatures.iter().zip(files.iter().zip(["p256", "rsa2048", "sa"])) {
        assert_eq!(signature.error, None, "{file}");
        assert_eq!(signature.digest.as_deref(), Some(format!("sha256:{file}").as_str()));
        let signer = signature.signer.as_ref().unwrap();
        assert_eq!(signer.sha256_fingerprint, fingerprint_of(&format!("pki/{pki}/leaf.pem")), "{file}");
        assert_eq!(signature.certificate_chain.first(), Some(signer));
        let root = signature.certificate_chain.last().unwrap();
        assert_eq!(root.sha256_fingerprint, fingerprint_of(&format!("pki/{pki}/root.pem")), "{file}");
        assert_eq!(signature.target.as_ref().unwrap().digest, target().digest, "{file}");
    }
    let schemes: Vec<_> = inspection.signatures.iter().map(|s| s.signing_scheme).collect();
    assert_eq!(
        schemes,
        [Some(SigningScheme::X509), Some(SigningScheme::X509), Some(SigningScheme::X509SigningAuthority)]
    );
    // Each scheme carries its own time header.
    assert!(
        inspection.signatures[0].signing_time.is_some() && inspection.signatures[0].authentic_signing_time.is_none()
    );
    assert!(
        inspection.signatures[2].authentic_signing_time.is_some() && inspection.signatures[2].signing_time.is_none()
    );
}

#[test]
fn inspection_verifies_nothing_and_an_unreadable_signature_names_why() {
    let inputs = [
        input("envelopes/tampered/p256-signature.jws"),
        input("envelopes/untrusted.jws"),
        SignatureInput::new(b"{\"payload\":".to_vec(), "application/jose+json"),
        SignatureInput::undeliverable("application/cose", Some("sha256:gone".into()), "blob does not match its digest"),
    ];
    let inspection = ArtifactInspection::new(None, &inputs);
    let [tampered, untrusted, garbage, undelivered] = &inspection.signatures[..] else { panic!("{inspection:?}") };
    // A bad signature value and an untrusted signer are still read: inspection is not verification.
    assert!(tampered.error.is_none() && tampered.signer.is_some());
    assert!(untrusted.error.is_none() && untrusted.signer.is_some());
    assert!(garbage.error.is_some() && garbage.signer.is_none() && garbage.signing_scheme.is_none());
    assert_eq!(undelivered.error.as_deref(), Some("blob does not match its digest"));
    assert_eq!(undelivered.digest.as_deref(), Some("sha256:gone"));
    let json: serde_json::Value = serde_json::from_str(&inspection.to_json()).unwrap();
    assert_eq!(json["signatures"].as_array().unwrap().len(), 4);
    assert!(json["reference"].is_null());
    assert!(json["signatures"][2]["error"].is_string());
}

#[test]
fn signed_user_metadata_is_listed() {
    let inspection = ArtifactInspection::new(Some(reference()), &[input("envelopes/metadata.jws")]);
    let signature = &inspection.signatures[0];
    assert!(!signature.user_metadata.is_empty());
    assert_eq!(&signature.user_metadata, &signature.target.as_ref().unwrap().annotations);
    let json: serde_json::Value = serde_json::from_str(&inspection.to_json()).unwrap();
    assert_eq!(json["signatures"][0]["userMetadata"], serde_json::to_value(&signature.user_metadata).unwrap());
}

#[test]
fn a_timestamp_countersignature_names_its_tsa_and_time() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/revocation");
    for fmt in ["jws", "cose"] {
        let envelope = std::fs::read(dir.join(format!("ts/good.{fmt}"))).unwrap();
        let media_type = if fmt == "jws" { "application/jose+json" } else { "application/cose" };
        let inspection = ArtifactInspection::new(Some(reference()), &[SignatureInput::new(envelope, media_type)]);
        let timestamp = inspection.signatures[0].timestamp.as_ref().unwrap();
        let token = TimestampToken::parse(&std::fs::read(dir.join(format!("ts/good.{fmt}.tst"))).unwrap()).unwrap();
        assert_eq!(timestamp.gen_time, Some(token.tst_info().unwrap().gen_time), "{fmt}");
        let tsa = parse_certificates(&std::fs::read(dir.join("pki/tsa.pem")).unwrap()).unwrap();
        assert_eq!(timestamp.tsa_subject.as_deref(), Some(tsa[0].subject().as_str()), "{fmt}");
        assert_eq!(timestamp.error, None);
    }
    let plain = ArtifactInspection::new(Some(reference()), &[input("envelopes/p256.jws")]);
    assert_eq!(plain.signatures[0].timestamp, None);
}
