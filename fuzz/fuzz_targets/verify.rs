//! The whole `verify` entry point: a Verifier built once from the fixtures (trust store and
//! strict policy), then the input verified as JWS and as COSE against the fixture target. The
//! verdict must never be "verified" unless the input carries exactly the signed content of a
//! known-valid fixture envelope: the same payload, signature value, signed attributes and
//! certificate chain (so only unsigned bytes — JSON whitespace, member order, the unprotected
//! signingAgent, unknown unprotected members — may differ). Anything else verifying would be a
//! forgery or a binding failure.
#![no_main]

use libfuzzer_sys::fuzz_target;
use notaverify::{
    Descriptor, SignatureInput, StoreType, Target, TrustPolicyDocument, TrustStore, Verifier, VerifyOptions, digest_of,
};
use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

struct Setup {
    verifier: Verifier,
    reference: String,
    target: Target,
    valid: HashSet<String>,
}

/// What a verified envelope's signature covers, plus the chain it was verified with.
fn signed_content(data: &[u8], mt: &str) -> Option<String> {
    let e = notaverify::Envelope::parse(mt, data).ok()?;
    Some(format!("{mt}|{:?}|{:?}|{:?}|{:?}", e.payload, e.signature, e.signed, e.unsigned.certificate_chain))
}

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../core/tests/fixtures")
}

fn setup() -> &'static Setup {
    static S: OnceLock<Setup> = OnceLock::new();
    S.get_or_init(|| {
        let f = fixtures();
        let mut store = TrustStore::new();
        for (t, name) in [(StoreType::Ca, "test-roots"), (StoreType::SigningAuthority, "test-sa")] {
            let dir = f.join("truststore/x509").join(t.as_str()).join(name);
            for file in std::fs::read_dir(&dir).expect("fixture trust store") {
                store.add(t, name, &std::fs::read(file.unwrap().path()).unwrap()).unwrap();
            }
        }
        let policy = TrustPolicyDocument::from_json(&std::fs::read(f.join("trustpolicy.json")).unwrap()).unwrap();
        let manifest = std::fs::read(f.join("target/manifest.json")).unwrap();
        let descriptor = Descriptor {
            media_type: "application/vnd.oci.image.manifest.v1+json".into(),
            digest: digest_of("sha256", &manifest).unwrap(),
            size: manifest.len() as i64,
            annotations: Default::default(),
        };
        let reference = format!("registry.example/app@{}", descriptor.digest);
        // Every fixture envelope that legitimately verifies against this target — every envelope
        // directory that fuzz/seeds.sh seeds from (fixtures, extra, hostile, revocation, ts) —
        // read from disk so the set matches whatever is checked in.
        let mut valid = HashSet::new();
        let verifier = Verifier::new(store).with_oci_policy(policy);
        let target = Target::Descriptor(descriptor);
        let options = VerifyOptions::default();
        let t = f.join("..");
        let dirs = [
            f.join("envelopes"),
            f.join("envelopes/tampered"),
            f.join("extra/envelopes"),
            t.join("hostile"),
            t.join("revocation/envelopes"),
            t.join("revocation/ts"),
        ];
        for dir in dirs {
            let Ok(entries) = std::fs::read_dir(&dir) else { continue };
            for e in entries.flatten() {
                let bytes = std::fs::read(e.path()).unwrap_or_default();
                for mt in ["application/jose+json", "application/cose"] {
                    let input = SignatureInput::new(bytes.clone(), mt);
                    if verifier.verify(&reference, &target, &input, &options).map(|o| o.verified).unwrap_or(false) {
                        valid.insert(signed_content(&bytes, mt).expect("a verified envelope parses"));
                    }
                }
            }
        }
        Setup { verifier, reference, target, valid }
    })
}

fuzz_target!(|data: &[u8]| {
    let s = setup();
    for mt in ["application/jose+json", "application/cose"] {
        let input = SignatureInput::new(data.to_vec(), mt);
        let outcome = s
            .verifier
            .verify(&s.reference, &s.target, &input, &VerifyOptions::default())
            .expect("the request is well-formed");
        if outcome.verified {
            let content = signed_content(data, mt).expect("a verified envelope parses");
            assert!(s.valid.contains(&content), "an envelope with new signed content verified as {mt}");
        }
    }
});
