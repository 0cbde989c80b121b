//! Property: no mutation of a valid case verifies unless what is signed, the chain and the
//! policy are untouched.
//!
//! Starting from valid fixture envelopes (JWS and COSE, EC and RSA), proptest applies random
//! mutations — bit flips, byte insert/delete, truncation, splices from another fixture, protected
//! header member edits re-serialized without re-signing, payload edits, chain reorder/replace/
//! drop/duplicate, unsigned-header edits — and optionally a trust-relevant policy mutation
//! (trust store, trusted identity, registry scope). The rule asserted, exactly:
//!
//! * `verified` ⇒ the envelope still parses to the *same signed content* as the original (payload,
//!   signature value, signed attributes, certificate chain) and the policy was not mutated;
//! * mutations that provably leave the signed content alone (unprotected `signingAgent`, an unknown
//!   unprotected member, JSON whitespace / member order of the JWS wrapper) *do* still verify
//!   (notation-go ignores them too), so the rule is not vacuous.

mod common;

use notaverify::{Envelope, SignatureInput, StoreType, Target, TrustPolicyDocument, Verifier, VerifyOptions};
use proptest::prelude::*;
use serde_json::Value;
use std::path::Path;
use std::sync::OnceLock;

const JWS: &str = "application/jose+json";
const COSE: &str = "application/cose";

struct Case {
    bytes: Vec<u8>,
    media_type: &'static str,
}

fn cases() -> &'static Vec<Case> {
    static C: OnceLock<Vec<Case>> = OnceLock::new();
    C.get_or_init(|| {
        let hostile = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/hostile");
        let mut v = vec![
            Case { bytes: std::fs::read(hostile.join("good.jws")).unwrap(), media_type: JWS },
            Case { bytes: std::fs::read(hostile.join("good.cose")).unwrap(), media_type: COSE },
        ];
        for f in ["envelopes/rsa2048.jws", "envelopes/p384.cose", "envelopes/sa.jws", "envelopes/rsa3072.cose"] {
            v.push(Case { bytes: common::read(f), media_type: common::media_type_of(f) });
        }
        v
    })
}

/// Certificates available for chain replacement (DER): every fixture PKI's root,
/// intermediate and leaf, including the untrusted `other` PKI.
fn spare_certs() -> &'static Vec<Vec<u8>> {
    static C: OnceLock<Vec<Vec<u8>>> = OnceLock::new();
    C.get_or_init(|| {
        let mut out = Vec::new();
        for pki in ["p256", "p384", "rsa2048", "other", "sa"] {
            for role in ["root", "intermediate", "leaf"] {
                let pem = common::read(&format!("pki/{pki}/{role}.pem"));
                out.extend(notaverify::x509::parse_certificates(&pem).unwrap().into_iter().map(|c| c.der().to_vec()));
            }
        }
        out
    })
}

fn base_verifier() -> &'static Verifier {
    static V: OnceLock<Verifier> = OnceLock::new();
    V.get_or_init(|| {
        common::verifier(common::policy("strict", &["ca:test-roots", "signingAuthority:test-sa"], &["*"], ""))
    })
}

/// The signed content of an envelope: what a signature binds, plus the chain it is checked with.
fn signed_content(bytes: &[u8], media_type: &str) -> Option<String> {
    let e = Envelope::parse(media_type, bytes).ok()?;
    Some(format!("{:?}|{:?}|{:?}|{:?}", e.payload, e.signature, e.signed, e.unsigned.certificate_chain))
}

#[derive(Clone, Debug)]
enum Mutation {
    BitFlip {
        at: usize,
        bit: u8,
    },
    Insert {
        at: usize,
        byte: u8,
    },
    Delete {
        at: usize,
    },
    Truncate {
        keep: usize,
    },
    Splice {
        from: usize,
        start: usize,
        len: usize,
        at: usize,
    },
    /// JWS only: set/remove/rename a protected header member, re-encoded, signature kept.
    ProtectedEdit {
        member: usize,
        op: u8,
        value: u16,
    },
    /// JWS only: change the payload JSON (re-encoded, signature kept).
    PayloadEdit {
        op: u8,
    },
    /// JWS only: reorder / replace / drop / duplicate certificates of x5c.
    Chain {
        op: u8,
        i: usize,
        j: usize,
    },
    /// JWS only: unsigned-only edits that must keep verifying.
    Unsigned {
        op: u8,
        text: String,
    },
}

fn mutation() -> impl Strategy<Value = Mutation> {
    prop_oneof![
        (any::<usize>(), 0u8..8).prop_map(|(at, bit)| Mutation::BitFlip { at, bit }),
        (any::<usize>(), any::<u8>()).prop_map(|(at, byte)| Mutation::Insert { at, byte }),
        any::<usize>().prop_map(|at| Mutation::Delete { at }),
        any::<usize>().prop_map(|keep| Mutation::Truncate { keep }),
        (any::<usize>(), any::<usize>(), 1usize..400, any::<usize>())
            .prop_map(|(from, start, len, at)| Mutation::Splice { from, start, len, at }),
        (any::<usize>(), 0u8..4, any::<u16>()).prop_map(|(member, op, value)| Mutation::ProtectedEdit {
            member,
            op,
            value
        }),
        (0u8..6).prop_map(|op| Mutation::PayloadEdit { op }),
        (0u8..5, any::<usize>(), any::<usize>()).prop_map(|(op, i, j)| Mutation::Chain { op, i, j }),
        (0u8..4, "[a-zA-Z0-9/. ]{0,24}").prop_map(|(op, text)| Mutation::Unsigned { op, text }),
    ]
}

fn b64url(b: &[u8]) -> String {
    use base64::Engine;
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(b)
}

fn b64url_decode(s: &str) -> Option<Vec<u8>> {
    use base64::Engine;
    base64::engine::general_purpose::URL_SAFE_NO_PAD.decode(s).ok()
}

fn b64std(b: &[u8]) -> Value {
    use base64::Engine;
    Value::String(base64::engine::general_purpose::STANDARD.encode(b))
}

/// Applies the mutation; returns the new bytes and whether the mutation is unsigned-only
/// (provably leaves the signed content alone). `None` when it does not apply to this format.
fn apply(m: &Mutation, case: &Case) -> Option<(Vec<u8>, bool)> {
    let mut b = case.bytes.clone();
    let n = b.len();
    // Structured edits apply only while the bytes are still a JWS of the expected shape (an
    // earlier byte-level mutation may have broken it); otherwise they are skipped.
    let jws = || -> Option<Value> {
        let v: Value = serde_json::from_slice(&case.bytes).ok()?;
        (v["protected"].is_string()
            && v["payload"].is_string()
            && v["header"]["x5c"].is_array()
            && !v["header"]["x5c"].as_array()?.is_empty())
        .then_some(v)
    };
    let out = |v: &Value| serde_json::to_vec(v).unwrap();
    Some(match m {
        _ if n == 0 => return None,
        Mutation::BitFlip { at, bit } => {
            b[at % n] ^= 1 << bit;
            (b, false)
        }
        Mutation::Insert { at, byte } => {
            b.insert(at % (n + 1), *byte);
            (b, false)
        }
        Mutation::Delete { at } => {
            b.remove(at % n);
            (b, false)
        }
        Mutation::Truncate { keep } => {
            b.truncate(keep % n);
            (b, false)
        }
        Mutation::Splice { from, start, len, at } => {
            let other = &cases()[from % cases().len()].bytes;
            let s = start % other.len();
            let piece = &other[s..(s + len).min(other.len())];
            let at = at % n;
            let end = (at + piece.len()).min(n);
            b.splice(at..end, piece.iter().copied());
            (b, false)
        }
        Mutation::ProtectedEdit { member, op, value } => {
            if case.media_type != JWS {
                return None;
            }
            let mut env = jws()?;
            let mut prot: serde_json::Map<String, Value> =
                serde_json::from_slice(&b64url_decode(env["protected"].as_str()?)?).ok()?;
            if prot.is_empty() {
                return None;
            }
            let keys: Vec<String> = prot.keys().cloned().collect();
            let key = keys[member % keys.len()].clone();
            match op {
                0 => {
                    prot.remove(&key);
                }
                1 => {
                    prot.insert(key, Value::from(*value));
                }
                2 => {
                    let v = prot.remove(&key).unwrap();
                    prot.insert(format!("{key}x"), v);
                }
                _ => {
                    prot.insert(format!("io.cncf.notary.extra{value}"), Value::from("x"));
                }
            }
            env["protected"] = Value::String(b64url(&serde_json::to_vec(&prot).unwrap()));
            (out(&env), false)
        }
        Mutation::PayloadEdit { op } => {
            if case.media_type != JWS {
                return None;
            }
            let mut env = jws()?;
            let mut p: Value = serde_json::from_slice(&b64url_decode(env["payload"].as_str()?)?).ok()?;
            if !p["targetArtifact"]["size"].is_i64() || !p["targetArtifact"]["digest"].is_string() {
                return None;
            }
            let ta = &mut p["targetArtifact"];
            match op {
                0 => ta["size"] = Value::from(ta["size"].as_i64().unwrap() + 1),
                1 => ta["mediaType"] = Value::from("application/vnd.oci.image.index.v1+json"),
                2 => ta["annotations"] = serde_json::json!({"added": "yes"}),
                3 => ta["digest"] = Value::from(ta["digest"].as_str().unwrap().replace('4', "5")),
                4 => {
                    ta.as_object_mut().unwrap().remove("digest");
                }
                _ => {
                    // Same JSON, different bytes (whitespace): still a change to the signed bytes.
                    env["payload"] = Value::String(b64url(serde_json::to_string_pretty(&p).unwrap().as_bytes()));
                    return Some((out(&env), false));
                }
            }
            env["payload"] = Value::String(b64url(&serde_json::to_vec(&p).unwrap()));
            (out(&env), false)
        }
        Mutation::Chain { op, i, j } => {
            if case.media_type != JWS {
                return None;
            }
            let mut env = jws()?;
            let mut x5c = env["header"]["x5c"].as_array().unwrap().clone();
            let len = x5c.len();
            let spare = spare_certs();
            match op {
                0 => x5c.swap(i % len, j % len),
                1 => x5c[i % len] = b64std(&spare[j % spare.len()]),
                2 => {
                    x5c.remove(i % len);
                }
                3 => {
                    let c = x5c[i % len].clone();
                    x5c.insert(j % (len + 1), c);
                }
                _ => x5c.push(b64std(&spare[j % spare.len()])),
            }
            env["header"]["x5c"] = Value::Array(x5c);
            (out(&env), false)
        }
        Mutation::Unsigned { op, text } => {
            if case.media_type != JWS {
                return None;
            }
            let mut env = jws()?;
            match op {
                0 => env["header"]["io.cncf.notary.signingAgent"] = Value::from(text.as_str()),
                1 => env["header"]["io.example.unknown"] = Value::from(text.as_str()),
                2 => return Some((serde_json::to_string_pretty(&env).unwrap().into_bytes(), true)),
                _ => {
                    // member order of the wrapper object
                    let obj = env.as_object()?;
                    let mut s = String::from("{");
                    for (k, v) in obj.iter().rev() {
                        if s.len() > 1 {
                            s.push(',');
                        }
                        s.push_str(&format!("{}:{}", Value::from(k.as_str()), v));
                    }
                    s.push('}');
                    return Some((s.into_bytes(), true));
                }
            }
            (out(&env), true)
        }
    })
}

#[derive(Clone, Debug)]
enum PolicyMutation {
    None,
    /// The trust store swapped for one that does not hold the signer's root.
    OtherStore,
    /// A trusted identity that is not the signer.
    OtherIdentity,
    /// A scope that does not cover the artifact.
    OtherScope,
}

fn policy_mutation() -> impl Strategy<Value = PolicyMutation> {
    prop_oneof![
        6 => Just(PolicyMutation::None),
        1 => Just(PolicyMutation::OtherStore),
        1 => Just(PolicyMutation::OtherIdentity),
        1 => Just(PolicyMutation::OtherScope),
    ]
}

fn mutated_verifier(m: &PolicyMutation) -> Option<Verifier> {
    let doc = |scope: &str, stores: &str, identities: &str| {
        TrustPolicyDocument::from_json(
            format!(
                r#"{{"version":"1.0","trustPolicies":[{{"name":"m","registryScopes":["{scope}"],"signatureVerification":{{"level":"strict"}},"trustStores":{stores},"trustedIdentities":{identities}}}]}}"#
            )
            .as_bytes(),
        )
        .unwrap()
    };
    let mut store = common::trust_store();
    store.add(StoreType::Ca, "other-roots", &common::read("pki/other/root.pem")).unwrap();
    let policy = match m {
        PolicyMutation::None => return None,
        PolicyMutation::OtherStore => doc("*", r#"["ca:other-roots"]"#, r#"["*"]"#),
        PolicyMutation::OtherIdentity => doc(
            "*",
            r#"["ca:test-roots","signingAuthority:test-sa"]"#,
            r#"["x509.subject:C=US,ST=WA,O=Notaverify Test,CN=someone else"]"#,
        ),
        PolicyMutation::OtherScope => {
            doc("registry.example/elsewhere", r#"["ca:test-roots","signingAuthority:test-sa"]"#, r#"["*"]"#)
        }
    };
    Some(Verifier::new(store).with_oci_policy(policy))
}

fn verdict(v: &Verifier, bytes: Vec<u8>, media_type: &str) -> bool {
    let input = SignatureInput::new(bytes, media_type);
    // An Err (no applicable statement, ...) is a refusal: never "verified".
    v.verify(&common::reference(), &Target::Descriptor(common::target()), &input, &VerifyOptions::default())
        .map(|o| o.verified)
        .unwrap_or(false)
}

#[test]
fn baseline_cases_verify() {
    for c in cases() {
        assert!(verdict(base_verifier(), c.bytes.clone(), c.media_type), "a base case does not verify");
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 768, max_shrink_iters: 2000, .. ProptestConfig::default() })]

    #[test]
    fn no_mutation_verifies_unless_signed_content_chain_and_policy_are_untouched(
        which in any::<usize>(),
        mutations in prop::collection::vec(mutation(), 1..3),
        policy in policy_mutation(),
    ) {
        let case = &cases()[which % cases().len()];
        let original = signed_content(&case.bytes, case.media_type).unwrap();
        let mut current = Case { bytes: case.bytes.clone(), media_type: case.media_type };
        let mut unsigned_only = true;
        for m in &mutations {
            if let Some((bytes, unsigned)) = apply(m, &current) {
                unsigned_only &= unsigned;
                current.bytes = bytes;
            }
        }
        let mutated_verifier = mutated_verifier(&policy);
        let verifier = mutated_verifier.as_ref().unwrap_or_else(|| base_verifier());
        let verified = verdict(verifier, current.bytes.clone(), current.media_type);
        let untouched = signed_content(&current.bytes, current.media_type).as_deref() == Some(original.as_str());
        if verified {
            prop_assert!(untouched, "verified with changed signed content after {mutations:?}");
            prop_assert!(matches!(policy, PolicyMutation::None), "verified under a mutated policy {policy:?}");
        }
        if unsigned_only && matches!(policy, PolicyMutation::None) {
            prop_assert!(untouched, "an unsigned-only edit changed the signed content: {mutations:?}");
            prop_assert!(verified, "an unsigned-only edit stopped verification: {mutations:?}");
        }
    }
}
