//! The rollout layer (posture) against an attacker: retired certificates recognised in any
//! encoding (issue 16 item 1), signature order never deciding the class (item 2), exceptions
//! that excuse only what they name (item 7).
//!
//! Re-encodings are made here, independently of the core's `x509::reencoding`: this test only
//! knows DER and the P-256 group order.

#[path = "../../core/tests/common/mod.rs"]
mod common;

use common::*;
use notaverify::{SignatureInput, StoreType, Time, TrustStore, VerifyOptions, digest_of};
use notaverify_posture::{self as posture, Class, Classification, Exceptions, PostureContext, RetiredMaterial};
use serde_json::Value;

fn at() -> Time {
    Time::parse_rfc3339("2025-07-01T00:00:00Z").unwrap()
}

// ---- DER surgery ---------------------------------------------------------------------------

/// (tag, content, bytes after the element).
fn tlv(input: &[u8]) -> (u8, &[u8], &[u8]) {
    let (tag, len_byte) = (input[0], input[1]);
    let (len, start) = if len_byte < 0x80 {
        (len_byte as usize, 2)
    } else {
        let n = (len_byte & 0x7f) as usize;
        (input[2..2 + n].iter().fold(0usize, |a, b| (a << 8) | *b as usize), 2 + n)
    };
    (tag, &input[start..start + len], &input[start + len..])
}

fn element(tag: u8, content: &[u8]) -> Vec<u8> {
    let mut out = vec![tag];
    match content.len() {
        n if n < 0x80 => out.push(n as u8),
        n if n < 0x100 => out.extend([0x81, n as u8]),
        n => out.extend([0x82, (n >> 8) as u8, n as u8]),
    }
    out.extend_from_slice(content);
    out
}

/// A certificate's TBSCertificate and signatureAlgorithm TLVs and its signature value.
fn parts(der: &[u8]) -> (Vec<u8>, Vec<u8>, Vec<u8>) {
    let (_, body, _) = tlv(der);
    let (_, tbs_content, rest) = tlv(body);
    let tbs = body[..body.len() - rest.len()].to_vec();
    let _ = tbs_content;
    let (_, _, after_alg) = tlv(rest);
    let alg = rest[..rest.len() - after_alg.len()].to_vec();
    let (tag, bits, _) = tlv(after_alg);
    assert_eq!((tag, bits[0]), (0x03, 0), "a canonical BIT STRING");
    (tbs, alg, bits[1..].to_vec())
}

fn certificate(tbs: &[u8], alg: &[u8], bit_string: &[u8], trailing: &[u8]) -> Vec<u8> {
    element(0x30, &[tbs, alg, &element(0x03, bit_string), trailing].concat())
}

const P256_ORDER: [u8; 32] = [
    0xff, 0xff, 0xff, 0xff, 0x00, 0x00, 0x00, 0x00, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xbc, 0xe6, 0xfa,
    0xad, 0xa7, 0x17, 0x9e, 0x84, 0xf3, 0xb9, 0xca, 0xc2, 0xfc, 0x63, 0x25, 0x51,
];

/// The same certificate with its ECDSA P-256 issuer signature (r, s) rewritten as (r, n − s).
fn malleated(der: &[u8]) -> Vec<u8> {
    let (tbs, alg, signature) = parts(der);
    let (_, pair, _) = tlv(&signature);
    let (_, r, rest) = tlv(pair);
    let (_, s, _) = tlv(rest);
    let mut s32 = [0u8; 32];
    let s = &s[s.len().saturating_sub(32)..];
    s32[32 - s.len()..].copy_from_slice(s);
    let mut twin = [0u8; 32];
    let mut borrow = 0i32;
    for i in (0..32).rev() {
        let d = P256_ORDER[i] as i32 - s32[i] as i32 - borrow;
        borrow = (d < 0) as i32;
        twin[i] = d.rem_euclid(256) as u8;
    }
    let first = twin.iter().position(|b| *b != 0).unwrap();
    let mut twin_int = twin[first..].to_vec();
    if twin_int[0] & 0x80 != 0 {
        twin_int.insert(0, 0);
    }
    let pair = element(0x30, &[element(0x02, r), element(0x02, &twin_int)].concat());
    certificate(&tbs, &alg, &[&[0u8][..], &pair].concat(), &[])
}

/// The same certificate with a NULL after the signature inside the outer SEQUENCE (Go's parser,
/// and so notation's, reads the signature and stops).
fn with_trailing_data(der: &[u8]) -> Vec<u8> {
    let (tbs, alg, signature) = parts(der);
    certificate(&tbs, &alg, &[&[0u8][..], &signature].concat(), &[0x05, 0x00])
}

/// The same certificate with its signature BIT STRING written with 2 unused bits (the value
/// starts with 0x30, whose top two bits are zero, so the right-aligned bits are unchanged).
fn with_unused_bits(der: &[u8]) -> Vec<u8> {
    let (tbs, alg, signature) = parts(der);
    assert_eq!(signature[0] >> 6, 0);
    let mut shifted = vec![2u8];
    for (i, b) in signature.iter().enumerate() {
        shifted.push((b << 2) | signature.get(i + 1).map_or(0, |n| n >> 6));
    }
    certificate(&tbs, &alg, &shifted, &[])
}

// ---- envelopes ------------------------------------------------------------------------------

fn pem_der(path: &str) -> Vec<u8> {
    let text = String::from_utf8(read(path)).unwrap();
    let body: String = text.lines().filter(|l| !l.starts_with("-----")).collect();
    base64_decode(&body)
}

fn base64_decode(text: &str) -> Vec<u8> {
    use base64::Engine;
    base64::engine::general_purpose::STANDARD.decode(text).unwrap()
}

fn base64_encode(bytes: &[u8]) -> String {
    use base64::Engine;
    base64::engine::general_purpose::STANDARD.encode(bytes)
}

fn sha256_hex(bytes: &[u8]) -> String {
    digest_of("sha256", bytes).unwrap().trim_start_matches("sha256:").to_owned()
}

/// The p256 JWS fixture with chain certificate `index` replaced by `reencode(it)` (x5c is in the
/// unprotected header, so the envelope signature still verifies).
fn jws_with(index: usize, reencode: fn(&[u8]) -> Vec<u8>) -> SignatureInput {
    let mut jws: Value = serde_json::from_slice(&read("envelopes/p256.jws")).unwrap();
    let x5c = jws["header"]["x5c"].as_array_mut().unwrap();
    let original = base64_decode(x5c[index].as_str().unwrap());
    x5c[index] = Value::String(base64_encode(&reencode(&original)));
    let mut input = SignatureInput::new(serde_json::to_vec(&jws).unwrap(), "application/jose+json");
    input.digest = Some(format!("sha256:{}", "1".repeat(64)));
    input
}

fn input(file: &str, digest_char: char) -> SignatureInput {
    let mut input = SignatureInput::new(read(file), media_type_of(file));
    input.digest = Some(format!("sha256:{}", digest_char.to_string().repeat(64)));
    input
}

fn retired_by_fingerprint(pem: &str) -> RetiredMaterial {
    let json = format!(
        r#"{{"version":"1","retired":[{{"sha256Fingerprint":"{}","retired":"2025-06-15"}}]}}"#,
        sha256_hex(&pem_der(pem))
    );
    RetiredMaterial::from_json(json.as_bytes()).unwrap()
}

fn classify_with(
    signatures: &[SignatureInput],
    retired: Option<&RetiredMaterial>,
    exceptions: Option<&Exceptions>,
) -> Classification {
    let verifier = verifier(policy("strict", &["ca:test-roots"], &["*"], ""));
    let ctx = PostureContext { retired, exceptions, at: at() };
    let options = ctx.verify_options(VerifyOptions::at(at()));
    let result = verifier.verify_artifact(&reference(), &target_descriptor(), signatures, &options);
    posture::classify(&reference(), &result, signatures, &ctx)
}

// ---- item 1: retired material is recognised by what a certificate is -------------------------

type Reencoding = (&'static str, fn(&[u8]) -> Vec<u8>);
const REENCODINGS: [Reencoding; 3] =
    [("ECDSA (r, n-s)", malleated), ("trailing data", with_trailing_data), ("unused bits", with_unused_bits)];

#[test]
fn a_reencoded_retired_certificate_is_still_a_retired_signer() {
    let verifier = verifier(policy("strict", &["ca:test-roots"], &["*"], ""));
    for (index, pem) in [(0, "pki/p256/leaf.pem"), (1, "pki/p256/intermediate.pem")] {
        let declared = sha256_hex(&pem_der(pem));
        let retired = retired_by_fingerprint(pem);
        for (name, reencode) in REENCODINGS {
            let signature = jws_with(index, reencode);
            // The premise: the re-encoded chain still verifies, under a new fingerprint.
            let outcome = verifier
                .verify_artifact(
                    &reference(),
                    &target_descriptor(),
                    std::slice::from_ref(&signature),
                    &VerifyOptions::at(at()),
                )
                .unwrap();
            assert!(outcome.verified, "{pem} {name}: the re-encoding is accepted");
            let presented = sha256_hex(&reencode(&pem_der(pem)));
            assert_ne!(presented, declared, "{pem} {name}: a new fingerprint");

            let c = classify_with(&[signature], Some(&retired), None);
            assert_eq!((c.class, c.in_policy), (Class::RetiredSigner, false), "{pem} {name}");
            let m = c.retired.unwrap();
            assert_eq!(m.sha256_fingerprint, declared, "{pem} {name}: the fingerprint the user wrote");
            assert_eq!(m.presented_sha256_fingerprint.as_deref(), Some(&*presented), "{pem} {name}");
        }
    }
}

#[test]
fn a_reencoded_certificate_of_a_retired_store_is_still_a_retired_signer() {
    // The intermediate was retired by placing it in a retired store folder.
    let mut stores = TrustStore::new();
    stores.add(StoreType::Ca, "acme-2024", &read("pki/p256/intermediate.pem")).unwrap();
    let mut retired =
        RetiredMaterial::from_json(br#"{"version":"1","retired":[{"store":"ca:acme-2024","retired":"2025-06-15"}]}"#)
            .unwrap();
    retired.resolve_stores(&stores).unwrap();
    for (name, reencode) in REENCODINGS {
        let c = classify_with(&[jws_with(1, reencode)], Some(&retired), None);
        assert_eq!(c.class, Class::RetiredSigner, "{name}");
        assert_eq!(c.retired.as_ref().unwrap().declared_by, "ca:acme-2024");
    }
    // A certificate merely re-encoded is not a different certificate; an unrelated one is.
    let c = classify_with(&[input("envelopes/p384.jws", 'a')], Some(&retired), None);
    assert_eq!(c.class, Class::Verified);
}

// ---- item 2: order never decides ------------------------------------------------------------

fn permutations<T: Clone>(items: &[T]) -> Vec<Vec<T>> {
    if items.len() <= 1 {
        return vec![items.to_vec()];
    }
    let mut out = Vec::new();
    for i in 0..items.len() {
        let mut rest = items.to_vec();
        let first = rest.remove(i);
        for mut p in permutations(&rest) {
            p.insert(0, first.clone());
            out.push(p);
        }
    }
    out
}

#[test]
fn a_resigned_image_is_in_policy_whichever_signature_comes_first() {
    // The p256 leaf is retired while its root stays trusted; the image was re-signed (p384).
    let retired = retired_by_fingerprint("pki/p256/leaf.pem");
    let old = input("envelopes/p256.jws", 'a');
    let new = input("envelopes/p384.jws", 'b');
    for order in permutations(&[old.clone(), new.clone()]) {
        let c = classify_with(&order, Some(&retired), None);
        assert_eq!((c.class, c.in_policy), (Class::Verified, true));
        let retired_signatures: Vec<_> = c.signatures.iter().filter(|s| s.class == Class::RetiredSigner).collect();
        assert_eq!(retired_signatures.len(), 1, "the retired signature is reported beside the pass");
    }
    let alone = classify_with(&[old], Some(&retired), None);
    assert_eq!(alone.class, Class::RetiredSigner);
}

#[test]
fn every_permutation_of_an_artifacts_signatures_gives_the_same_class() {
    let retired = retired_by_fingerprint("pki/p256/leaf.pem");
    let pool = [
        input("envelopes/p256.jws", 'a'),                    // retired leaf, verifies
        input("envelopes/p384.jws", 'b'),                    // good
        input("envelopes/untrusted.jws", 'c'),               // unknown signer
        input("envelopes/tampered/p256-signature.jws", 'd'), // invalid
        input("envelopes/expired.cose", 'e'),                // expired
    ];
    // Every subset of the pool, every order of it.
    for mask in 1u32..(1 << pool.len()) {
        let subset: Vec<SignatureInput> =
            pool.iter().enumerate().filter(|(i, _)| mask & (1 << i) != 0).map(|(_, s)| s.clone()).collect();
        let mut seen = None;
        for order in permutations(&subset) {
            let c = classify_with(&order, Some(&retired), None);
            let got = (c.class, c.in_policy, c.check.clone(), c.retired.map(|m| m.sha256_fingerprint));
            match &seen {
                None => seen = Some(got),
                Some(first) => assert_eq!(&got, first, "subset {mask:05b}"),
            }
        }
    }
}

// ---- item 7: exceptions excuse only what they name ------------------------------------------

fn exceptions(classes: &str) -> Exceptions {
    let json = format!(
        r#"{{"version":"1","exceptions":[{{"scope":"registry.example/app","reason":"legacy","owner":"team",
        "expires":"2099-01-01"{classes}}}]}}"#
    );
    Exceptions::from_json(json.as_bytes()).unwrap()
}

#[test]
fn an_exception_excuses_unsigned_only_unless_it_names_more() {
    let default = exceptions("");
    let c = classify_with(&[], None, Some(&default));
    assert_eq!((c.class, c.underlying), (Class::Excepted, Some(Class::Unsigned)));
    let unknown = [input("envelopes/untrusted.jws", 'c')];
    let c = classify_with(&unknown, None, Some(&default));
    assert_eq!((c.class, c.in_policy), (Class::UnknownSigner, false), "not named: not excused");
    assert_eq!(c.uncovered_exceptions.len(), 1);

    let wide = exceptions(r#","classes":["unknownSigner","expired","retiredSigner"]"#);
    let c = classify_with(&unknown, None, Some(&wide));
    assert_eq!((c.class, c.underlying), (Class::Excepted, Some(Class::UnknownSigner)));
    let c = classify_with(&[input("envelopes/expired.cose", 'e')], None, Some(&wide));
    assert_eq!(c.class, Class::Excepted);
}

#[test]
fn an_exception_never_excuses_tampering() {
    let wide = exceptions(r#","classes":["unsigned","unknownSigner","expired","retiredSigner"]"#);
    let tampered = [input("envelopes/tampered/p256-signature.jws", 'd')];
    let c = classify_with(&tampered, None, Some(&wide));
    assert_eq!((c.class, c.in_policy), (Class::InvalidSignature, false));
    // A tampered signature beside an unknown signer's: the artifact is "unknownSigner", but the
    // exception does not cover every signature, so it does not apply.
    let both = [input("envelopes/untrusted.jws", 'c'), tampered[0].clone()];
    let c = classify_with(&both, None, Some(&wide));
    assert_eq!((c.class, c.in_policy), (Class::UnknownSigner, false));
    for never in ["invalidSignature", "failed"] {
        let json = format!(
            r#"{{"version":"1","exceptions":[{{"scope":"registry.example/app","reason":"r","owner":"o",
            "expires":"2099-01-01","classes":["{never}"]}}]}}"#
        );
        let error = Exceptions::from_json(json.as_bytes()).unwrap_err().to_string();
        assert!(error.contains("never excused"), "{error}");
    }
}

/// A signature whose verification ends before the revocation check (here: its root is not in a
/// store the policy names) is never excused when the supplied evidence revokes its chain.
#[test]
fn an_exception_never_excuses_a_revoked_certificate_even_when_another_check_failed_first() {
    let revocation = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../core/tests/revocation");
    let read_revocation = |rel: &str| std::fs::read(revocation.join(rel)).unwrap();
    let at = Time::parse_rfc3339("2026-01-01T00:00:00Z").unwrap();
    let wide = exceptions(r#","classes":["unknownSigner","expired","retiredSigner"]"#);
    let signature = [SignatureInput::new(read_revocation("envelopes/leaf-crl.jws"), "application/jose+json")];
    for (crl, revoked) in [("crl/inter-revokes-leaves.crl", true), ("crl/inter-good.crl", false)] {
        let evidence = notaverify::revocation::RevocationEvidence::new()
            .with_crl("http://crl.test/inter.crl", &read_revocation(crl))
            .unwrap()
            .with_crl("http://crl.test/root.crl", &read_revocation("crl/root-good.crl"))
            .unwrap();
        // The fixture store holds no root of the revocation PKI: authenticity fails first.
        let verifier = verifier(policy("strict", &["ca:test-roots"], &["*"], "")).with_revocation_evidence(evidence);
        let ctx = PostureContext { retired: None, exceptions: Some(&wide), at };
        let result = verifier.verify_artifact(&reference(), &target_descriptor(), &signature, &VerifyOptions::at(at));
        let outcome = result.as_ref().unwrap();
        assert_eq!(outcome.signatures[0].revoked_chain, revoked, "{crl}");
        assert!(outcome.signatures[0].checks.iter().all(|c| c.check != notaverify::CheckType::Revocation));
        let c = posture::classify(&reference(), &result, &signature, &ctx);
        if revoked {
            assert_eq!((c.class, c.in_policy), (Class::UnknownSigner, false), "{crl}");
            assert!(c.reason.unwrap().contains("revokes its certificate chain"));
        } else {
            assert_eq!((c.class, c.underlying), (Class::Excepted, Some(Class::UnknownSigner)), "{crl}");
        }
    }
}
