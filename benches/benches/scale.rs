//! Lookups that must not grow with the size of the policy or the trust store (10,000 vs 10,
//! target ≤ 2×), measured in one run:
//!
//! * `policy_select/<n>`: `TrustPolicyDocument::statement_for_reference` in a policy of `n`
//!   statements (one repository scope each), cycling over references that hit the first, the
//!   middle and the last statement and one that falls to the `*` statement;
//! * `store_lookup/<n>`: `TrustStore::find_trusted` for a 3-certificate chain whose root was
//!   added last to a store of `n` certificates;
//! * `store_verify/<n>`: a whole (warm) `Verifier::verify` of `p256.jws` with that store.
//!
//! The store's extra certificates are made in the bench: the p256 fixture root with two bytes of
//! its serial number changed (distinct DER and fingerprints; CA certificates are accepted by a
//! trust store without a signature check, so the signature need not match).

mod common;

use std::hint::black_box;

use common::*;
use notaverify::{Certificate, StoreType, TrustPolicyDocument, TrustStore, Verifier};

const SIZES: [usize; 2] = [10, 10_000];
const DIGEST: &str = "sha256:4be9476c654deb6accec91e0cbe4b076a38fbf23db4abb0904f02e43c1432921";

fn policy_of(n: usize) -> TrustPolicyDocument {
    let mut statements: Vec<String> = (0..n - 1)
        .map(|i| {
            format!(
                r#"{{"name":"p{i}","registryScopes":["registry.example/team{}/repo{i}"],"signatureVerification":{{"level":"strict"}},"trustStores":["ca:test-roots"],"trustedIdentities":["*"]}}"#,
                i % 97
            )
        })
        .collect();
    statements.push(
        r#"{"name":"wildcard","registryScopes":["*"],"signatureVerification":{"level":"strict"},"trustStores":["ca:test-roots"],"trustedIdentities":["*"]}"#.into(),
    );
    let json = format!(r#"{{"version":"1.0","trustPolicies":[{}]}}"#, statements.join(","));
    TrustPolicyDocument::from_json(json.as_bytes()).unwrap()
}

fn references(n: usize) -> Vec<String> {
    let repo = |i: usize| format!("registry.example/team{}/repo{i}@{DIGEST}", i % 97);
    vec![repo(0), repo((n - 1) / 2), repo(n - 2), format!("other.example/app@{DIGEST}")]
}

/// `n - 1` distinct CA certificates derived from the p256 root, then the real p256 root.
fn store_of(n: usize) -> TrustStore {
    let root_pem = read(&core_fixtures().join("pki/p256/root.pem"));
    let root = notaverify::x509::parse_certificates(&root_pem).unwrap().remove(0);
    let der = root.der().to_vec();
    // Certificate ::= SEQ { TBS SEQ { [0] version, INTEGER serial ... } }: the serial's tag at
    // 13 and length at 14 for this fixture (long-form SEQUENCE lengths, v3).
    assert_eq!((der[13], der[8]), (0x02, 0xa0), "unexpected certificate layout");
    assert!(der[14] >= 4);
    let mut store = TrustStore::new();
    for i in 0..n - 1 {
        let mut d = der.clone();
        d[16] = (i >> 8) as u8;
        d[17] = i as u8;
        d[18] ^= 0x5a;
        let cert = Certificate::from_der(&d).unwrap();
        store.add_certificate(StoreType::Ca, "test-roots", cert).unwrap();
    }
    store.add_certificate(StoreType::Ca, "test-roots", root).unwrap();
    store
}

fn main() {
    let mut c = criterion();

    let mut g = c.benchmark_group("policy_select");
    for n in SIZES {
        let policy = policy_of(n);
        let refs = references(n);
        for r in &refs {
            policy.statement_for_reference(r).unwrap();
        }
        assert_eq!(policy.statement_for_reference(&refs[3]).unwrap().name(), "wildcard");
        g.bench_function(n.to_string(), |b| {
            b.iter(|| {
                for r in &refs {
                    black_box(policy.statement_for_reference(black_box(r)).unwrap());
                }
            })
        });
    }
    g.finish();

    let fixture = fixture("p256", FORMATS[0], 3);
    let envelope = notaverify::Envelope::parse(&fixture.input.media_type, &fixture.input.envelope).unwrap();
    let chain: Vec<Certificate> =
        envelope.unsigned.certificate_chain.iter().map(|d| Certificate::from_der(d).unwrap()).collect();
    let stores: Vec<(usize, TrustStore)> = SIZES.iter().map(|&n| (n, store_of(n))).collect();

    let mut g = c.benchmark_group("store_lookup");
    for (n, store) in &stores {
        assert_eq!(store.certificates(StoreType::Ca, "test-roots").len(), *n);
        assert!(store.find_trusted(StoreType::Ca, &["test-roots"], &chain).is_some());
        g.bench_function(n.to_string(), |b| {
            b.iter(|| black_box(store.find_trusted(StoreType::Ca, black_box(&["test-roots"]), black_box(&chain))))
        });
    }
    g.finish();

    let reference = reference();
    let target = target();
    let options = options();
    let mut g = c.benchmark_group("store_verify");
    for (n, store) in &stores {
        let verifier = Verifier::new(store.clone()).with_oci_policy(policy());
        assert!(verifier.verify(&reference, &target, &fixture.input, &options).unwrap().verified);
        g.bench_function(n.to_string(), |b| {
            b.iter(|| verifier.verify(black_box(&reference), &target, black_box(&fixture.input), &options).unwrap())
        });
    }
    g.finish();

    c.final_summary();
    let row = |what: &str, group: &str| Ratio {
        what: what.into(),
        measured: (group.into(), "10000".into()),
        limit: (group.into(), "10".into()),
        target: 2.0,
        at_most: true,
    };
    print_ratios(
        "scale: 10,000 against 10",
        &[
            row("statement selection, 10,000 vs 10 statements (4 lookups)", "policy_select"),
            row("authenticity lookup, store of 10,000 vs 10 certificates", "store_lookup"),
            row("whole warm verify (p256 JWS), store of 10,000 vs 10", "store_verify"),
        ],
    );
}
