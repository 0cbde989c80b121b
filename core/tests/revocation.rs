//! Revocation from caller-supplied evidence (core/tests/revocation/generate.py): CRLs (base,
//! delta, by URL or unkeyed) and OCSP responses, at each verification level; the CRLs collected
//! in ../shared/vectors; and notation's CRL file-cache directory format.

mod common;

use notaverify::revocation::{Crl, OcspResponse, RevocationEvidence};
use notaverify::{
    CheckType, SignatureInput, SignatureOutcome, StoreType, Target, Time, TrustStore, Verifier, VerifyOptions,
};
use std::path::{Path, PathBuf};

const ROOT_CRL: &str = "http://crl.test/root.crl";
const INTER_CRL: &str = "http://crl.test/inter.crl";

fn dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/revocation")
}

fn read(rel: &str) -> Vec<u8> {
    std::fs::read(dir().join(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"))
}

fn at() -> Time {
    Time::parse_rfc3339("2026-01-01T00:00:00Z").unwrap()
}

/// Evidence from `crl/<name>.crl` files keyed by URL and `ocsp/<name>.der` files.
fn evidence(crls: &[(&str, &str)], ocsp: &[&str]) -> RevocationEvidence {
    let mut e = RevocationEvidence::new();
    for (url, name) in crls {
        e.add_crl(url, &read(&format!("crl/{name}.crl"))).unwrap();
    }
    for name in ocsp {
        e.add_ocsp_response(&read(&format!("ocsp/{name}.der"))).unwrap();
    }
    e
}

fn verify_with(
    envelope: &str,
    level: &str,
    evidence: RevocationEvidence,
    per_call: Option<RevocationEvidence>,
) -> SignatureOutcome {
    let mut store = TrustStore::new();
    store.add(StoreType::Ca, "revocation", &read("pki/root.pem")).unwrap();
    let verifier = Verifier::new(store)
        .with_oci_policy(common::policy(level, &["ca:revocation"], &["*"], ""))
        .with_revocation_evidence(evidence);
    let target = common::target();
    let reference = format!("registry.example/app@{}", target.digest);
    let options = VerifyOptions { revocation: per_call, ..VerifyOptions::at(at()) };
    let input = SignatureInput::new(read(&format!("envelopes/{envelope}.jws")), "application/jose+json");
    let outcome = verifier.verify(&reference, &Target::Descriptor(target), &input, &options).unwrap();
    outcome.signatures.into_iter().next().unwrap()
}

fn verify(envelope: &str, level: &str, evidence: RevocationEvidence) -> SignatureOutcome {
    verify_with(envelope, level, evidence, None)
}

fn subject(name: &str) -> String {
    format!("CN=Revocation {name},O=Notaverify Revocation Test,C=US")
}

#[derive(Debug, Clone, Copy, PartialEq)]
enum Expect {
    Good,
    Revoked(&'static str),
    Unknown(&'static str),
}

/// Checks one case at strict (enforced), permissive and audit (logged).
fn check(case: &str, envelope: &str, evidence: RevocationEvidence, expect: Expect) {
    let message = match expect {
        Expect::Good => None,
        Expect::Revoked(who) => Some(format!("signing certificate with subject {:?} is revoked", subject(who))),
        Expect::Unknown(who) => {
            Some(format!("signing certificate with subject {:?} revocation status is unknown", subject(who)))
        }
    };
    for level in ["strict", "permissive", "audit"] {
        let outcome = verify(envelope, level, evidence.clone());
        let result = outcome
            .check(CheckType::Revocation)
            .unwrap_or_else(|| panic!("{case} {level}: no revocation result {outcome:?}"));
        assert_eq!(result.error, message, "{case} at {level}: {outcome:?}");
        let enforced = level == "strict";
        assert_eq!(outcome.verified, message.is_none() || !enforced, "{case} at {level}: {outcome:?}");
        if message.is_some() && !enforced {
            assert_eq!(outcome.logged_failures().count(), 1, "{case} at {level}");
        }
    }
}

#[test]
#[allow(clippy::type_complexity)]
fn crl_cases() {
    use Expect::*;
    let root_good = ("http://crl.test/root.crl", "root-good");
    let cases: &[(&str, &str, &[(&str, &str)], Expect)] = &[
        ("no evidence", "leaf-crl", &[], Unknown("leaf-crl")),
        ("good", "leaf-crl", &[root_good, (INTER_CRL, "inter-good")], Good),
        ("leaf revoked", "leaf-crl", &[root_good, (INTER_CRL, "inter-revokes-leaves")], Revoked("leaf-crl")),
        (
            "intermediate revoked",
            "leaf-crl",
            &[(ROOT_CRL, "root-revokes-inter"), (INTER_CRL, "inter-good")],
            Revoked("Intermediate"),
        ),
        ("intermediate without evidence", "leaf-crl", &[(INTER_CRL, "inter-good")], Unknown("Intermediate")),
        ("stale (past nextUpdate)", "leaf-crl", &[root_good, (INTER_CRL, "inter-stale")], Unknown("leaf-crl")),
        ("not yet valid", "leaf-crl", &[root_good, (INTER_CRL, "inter-not-yet-valid")], Unknown("leaf-crl")),
        (
            "forged: issuer name right, key wrong",
            "leaf-crl",
            &[root_good, (INTER_CRL, "inter-forged")],
            Unknown("leaf-crl"),
        ),
        ("signed by another CA", "leaf-crl", &[root_good, (INTER_CRL, "other-good")], Unknown("leaf-crl")),
        ("wrong distribution point", "leaf-crl", &[root_good, (INTER_CRL, "inter-wrong-dp")], Unknown("leaf-crl")),
        (
            "evidence for another URL",
            "leaf-crl",
            &[root_good, ("http://crl.test/elsewhere.crl", "inter-good")],
            Unknown("leaf-crl"),
        ),
        ("matching distribution point", "leaf-crl", &[root_good, (INTER_CRL, "inter-right-dp")], Good),
        ("certificateHold", "leaf-crl", &[root_good, (INTER_CRL, "inter-hold")], Revoked("leaf-crl")),
        ("no reason code", "leaf-crl", &[root_good, (INTER_CRL, "inter-no-reason")], Revoked("leaf-crl")),
        ("delta missing", "leaf-delta", &[root_good, (INTER_CRL, "inter-base-5")], Unknown("leaf-delta")),
        (
            "delta revokes",
            "leaf-delta",
            &[root_good, (INTER_CRL, "inter-base-5"), (INTER_CRL, "inter-delta-6-revokes")],
            Revoked("leaf-delta"),
        ),
        (
            "delta good",
            "leaf-delta",
            &[root_good, (INTER_CRL, "inter-base-5"), (INTER_CRL, "inter-delta-6-good")],
            Good,
        ),
        (
            "delta number not above base",
            "leaf-delta",
            &[root_good, (INTER_CRL, "inter-base-5"), (INTER_CRL, "inter-delta-4-stale-number")],
            Unknown("leaf-delta"),
        ),
        (
            "base revokes, delta good",
            "leaf-crl",
            &[root_good, (INTER_CRL, "inter-revokes-leaves")],
            Revoked("leaf-crl"),
        ),
    ];
    for (case, envelope, crls, expect) in cases {
        check(case, envelope, evidence(crls, &[]), *expect);
    }
}

#[test]
#[allow(clippy::type_complexity)]
fn ocsp_cases() {
    use Expect::*;
    let root_good: &[(&str, &str)] = &[(ROOT_CRL, "root-good")];
    let cases: &[(&str, &str, &[(&str, &str)], &[&str], Expect)] = &[
        ("no evidence", "leaf-ocsp", root_good, &[], Unknown("leaf-ocsp")),
        ("good", "leaf-ocsp", root_good, &["leaf-ocsp-good"], Good),
        ("revoked", "leaf-ocsp", root_good, &["leaf-ocsp-revoked"], Revoked("leaf-ocsp")),
        ("unknown", "leaf-ocsp", root_good, &["leaf-ocsp-unknown"], Unknown("leaf-ocsp")),
        (
            "unknown and good produced at the same time: unknown (they cannot be ordered)",
            "leaf-ocsp",
            root_good,
            &["leaf-ocsp-unknown", "leaf-ocsp-good"],
            Unknown("leaf-ocsp"),
        ),
        ("stale", "leaf-ocsp", root_good, &["leaf-ocsp-stale"], Unknown("leaf-ocsp")),
        ("unusable, then good", "leaf-ocsp", root_good, &["leaf-ocsp-stale", "leaf-ocsp-good"], Good),
        ("not yet valid", "leaf-ocsp", root_good, &["leaf-ocsp-not-yet-valid"], Unknown("leaf-ocsp")),
        ("no nextUpdate", "leaf-ocsp", root_good, &["leaf-ocsp-no-next-update"], Unknown("leaf-ocsp")),
        ("wrong responder", "leaf-ocsp", root_good, &["leaf-ocsp-wrong-responder"], Unknown("leaf-ocsp")),
        ("delegated responder", "leaf-ocsp", root_good, &["leaf-ocsp-delegated-good"], Good),
        (
            "delegated responder without OCSPSigning",
            "leaf-ocsp",
            root_good,
            &["leaf-ocsp-delegated-noeku"],
            Unknown("leaf-ocsp"),
        ),
        ("response for another certificate", "leaf-ocsp", root_good, &["leaf-both-good"], Unknown("leaf-ocsp")),
        ("OCSP good, no CRL needed", "leaf-both", root_good, &["leaf-both-good"], Good),
        (
            "OCSP unknown, CRL fallback good",
            "leaf-both",
            &[(ROOT_CRL, "root-good"), (INTER_CRL, "inter-good")],
            &["leaf-both-unknown"],
            Good,
        ),
        (
            "OCSP unknown, CRL fallback revoked",
            "leaf-both",
            &[(ROOT_CRL, "root-good"), (INTER_CRL, "inter-revokes-leaves")],
            &["leaf-both-unknown"],
            Revoked("leaf-both"),
        ),
        ("OCSP unknown, no CRL", "leaf-both", root_good, &["leaf-both-unknown"], Unknown("leaf-both")),
        ("no OCSP, CRL fallback", "leaf-both", &[(ROOT_CRL, "root-good"), (INTER_CRL, "inter-good")], &[], Good),
    ];
    for (case, envelope, crls, ocsp, expect) in cases {
        check(case, envelope, evidence(crls, ocsp), *expect);
    }
}

#[test]
fn per_call_evidence_is_merged_with_the_verifiers() {
    let on_verifier = evidence(&[(ROOT_CRL, "root-good")], &[]);
    let per_call = evidence(&[(INTER_CRL, "inter-good")], &[]);
    let outcome = verify_with("leaf-crl", "strict", on_verifier.clone(), Some(per_call));
    assert!(outcome.verified, "{outcome:?}");
    assert!(!verify_with("leaf-crl", "strict", on_verifier, None).verified);
}

#[test]
fn unkeyed_crls_match_by_issuer_and_distribution_point() {
    let mut e = RevocationEvidence::new();
    e.add_crls(&read("crl/root-good.crl")).unwrap();
    e.add_crls(&read("crl/inter-revokes-leaves.crl")).unwrap();
    let outcome = verify("leaf-crl", "strict", e);
    assert_eq!(
        outcome.error.as_deref(),
        Some(format!("signing certificate with subject {:?} is revoked", subject("leaf-crl")).as_str())
    );
    let mut wrong_dp = RevocationEvidence::new();
    wrong_dp.add_crls(&read("crl/root-good.crl")).unwrap();
    wrong_dp.add_crls(&read("crl/inter-wrong-dp.crl")).unwrap();
    assert!(!verify("leaf-crl", "strict", wrong_dp).verified);
    assert!(RevocationEvidence::new().add_crls(&read("crl/inter-delta-6-good.crl")).is_err(), "deltas need their URL");
}

#[test]
fn pem_crls_are_accepted() {
    let der = read("crl/inter-good.crl");
    let b64 = base64_encode(&der);
    let pem = format!("-----BEGIN X509 CRL-----\n{b64}\n-----END X509 CRL-----\n");
    let e = evidence(&[(ROOT_CRL, "root-good")], &[]).with_crl(INTER_CRL, pem.as_bytes()).unwrap();
    assert!(verify("leaf-crl", "strict", e).verified);
}

fn base64_encode(bytes: &[u8]) -> String {
    const A: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::new();
    for chunk in bytes.chunks(3) {
        let n = chunk.iter().enumerate().fold(0u32, |acc, (i, b)| acc | (u32::from(*b) << (16 - 8 * i)));
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(A[((n >> (18 - 6 * i)) & 63) as usize] as char);
            } else {
                out.push('=');
            }
        }
    }
    out
}

#[test]
fn malformed_evidence_is_rejected_not_ignored() {
    let mut e = RevocationEvidence::new();
    assert!(e.add_crl(INTER_CRL, b"garbage").is_err());
    assert!(e.add_ocsp_response(b"garbage").is_err());
    assert!(Crl::from_der(&read("ocsp/leaf-ocsp-good.der")).is_err());
    assert!(OcspResponse::from_der(&read("crl/inter-good.crl")).is_err());
    let huge = vec![0u8; notaverify::limits::MAX_OCSP_RESPONSE_BYTES + 1];
    assert!(OcspResponse::from_der(&huge).is_err());
    assert!(e.is_empty());
}

#[test]
fn every_truncation_of_evidence_is_rejected_without_panicking() {
    for file in ["crl/inter-revokes-leaves.crl", "crl/inter-base-5.crl"] {
        let bytes = read(file);
        for len in 0..bytes.len() {
            assert!(Crl::from_der(&bytes[..len]).is_err(), "{file} prefix {len}");
        }
    }
    for file in ["ocsp/leaf-ocsp-delegated-good.der", "ocsp/leaf-ocsp-revoked.der"] {
        let bytes = read(file);
        for len in 0..bytes.len() {
            assert!(OcspResponse::from_der(&bytes[..len]).is_err(), "{file} prefix {len}");
        }
    }
}

#[test]
fn vector_crls_parse() {
    let Some(vectors) = common::shared_vectors() else {
        return;
    };
    let v = vectors.join("notaryproject__notation-core-go/revocation/crl/testdata");
    // The delta CRL parses and is a delta; the issuers (an EJBCA test CA) are not in the vectors,
    // so no signature can be checked. The second file carries a deliberately malformed Freshest
    // CRL extension, which notaverify (like Python `cryptography`) rejects while Go reads it.
    let delta = Crl::from_der(&std::fs::read(v.join("delta.crl")).unwrap()).unwrap();
    assert!(delta.is_delta());
    let multiple = Crl::from_der(&std::fs::read(v.join("crlWithMultipleFreshestCRLs.crl")).unwrap());
    if let Ok(base) = multiple {
        assert!(base.has_freshest_crl() && !base.is_delta());
    }
    // Our own CRLs whose issuer is present verify; a forged one does not.
    let inter = notaverify::x509::parse_certificates(&read("pki/inter.pem")).unwrap().remove(0);
    assert!(Crl::from_der(&read("crl/inter-good.crl")).unwrap().verify_signed_by(&inter).is_ok());
    assert!(Crl::from_der(&read("crl/inter-forged.crl")).unwrap().verify_signed_by(&inter).is_err());
}

#[test]
fn notation_crl_file_cache() {
    use sha2_like::hex_sha256;
    let cache = std::env::temp_dir().join(format!("notaverify-crl-cache-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&cache);
    std::fs::create_dir_all(&cache).unwrap();
    let b64 = |name: &str| base64_encode(&read(&format!("crl/{name}.crl")));
    let entry = |base: &str, delta: Option<&str>| match delta {
        Some(d) => format!(r#"{{"baseCRL":"{}","deltaCRL":"{}"}}"#, b64(base), b64(d)),
        None => format!(r#"{{"baseCRL":"{}"}}"#, b64(base)),
    };
    std::fs::write(cache.join(hex_sha256(ROOT_CRL)), entry("root-good", None)).unwrap();
    std::fs::write(cache.join(hex_sha256(INTER_CRL)), entry("inter-base-5", Some("inter-delta-6-revokes"))).unwrap();
    std::fs::write(cache.join("not-a-cache-entry.tmp"), "ignored").unwrap();
    let evidence = notaverify::loader::read_crl_cache(&cache).unwrap();
    assert_eq!(evidence.counts(), (2, 0, 0));
    let outcome = verify("leaf-delta", "strict", evidence.clone());
    assert_eq!(
        outcome.error.as_deref(),
        Some(format!("signing certificate with subject {:?} is revoked", subject("leaf-delta")).as_str())
    );
    // The base alone vouches for leaf-crl (it has no Freshest CRL extension).
    assert!(verify("leaf-crl", "strict", evidence).verified);
    std::fs::write(cache.join(hex_sha256("http://x")), "{not json").unwrap();
    assert!(notaverify::loader::read_crl_cache(&cache).is_err());
    std::fs::remove_dir_all(&cache).unwrap();
}

/// SHA-256 through the library's own digest helper (`digest_of`), to name cache files.
mod sha2_like {
    pub(crate) fn hex_sha256(s: &str) -> String {
        notaverify::digest_of("sha256", s.as_bytes()).unwrap().trim_start_matches("sha256:").to_owned()
    }
}
