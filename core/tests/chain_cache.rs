//! The chain-result cache never changes a verdict: cached and uncached verifiers agree on every
//! fixture (twice over, so the second pass runs on cache hits); a changed certificate byte is a
//! miss; another verification time and another trust store are evaluated afresh (the cache
//! holds only the time- and store-independent §5.2 chain validation, and a verifier over another
//! store has its own cache); failures are never stored; the envelope signature is always checked.

mod common;

use common::*;
use notaverify::{
    BatchItem, BatchOptions, BlobOptions, CheckType, FailureKind, SignatureInput, StoreType, Time, TrustStore,
    Verifier, VerifyOptions, WorkerPool,
};

#[derive(serde::Deserialize)]
#[serde(rename_all = "camelCase")]
struct Case {
    file: String,
    media_type: String,
    kind: String,
    chain_valid: bool,
    user_metadata: Option<std::collections::BTreeMap<String, String>>,
}

fn strict() -> Verifier {
    verifier(policy("strict", &["ca:test-roots", "signingAuthority:test-sa"], &["*"], ""))
}

fn run(verifier: &Verifier, case: &Case) -> notaverify::ArtifactOutcome {
    let envelope = SignatureInput::new(read(&case.file), case.media_type.clone());
    let mut options = VerifyOptions::at(Time::parse_rfc3339("2030-01-01T00:00:00Z").unwrap());
    if let Some(m) = &case.user_metadata {
        options.user_metadata = m.clone();
    }
    if case.kind == "blob" {
        let opts = BlobOptions { verify: options, ..BlobOptions::default() };
        verifier.verify_blob("example.txt", &read("blob/example.txt"), &envelope, &opts).unwrap()
    } else {
        verifier.verify(&reference(), &target_descriptor(), &envelope, &options).unwrap()
    }
}

#[test]
fn cached_and_uncached_verdicts_are_equal_over_every_fixture() {
    let cases: Vec<Case> = serde_json::from_slice(&read("cases.json")).unwrap();
    let cold = strict().with_chain_cache(0);
    let warm = strict();
    for pass in 0..2 {
        for case in &cases {
            let expected = run(&cold, case);
            assert_eq!(run(&warm, case), expected, "pass {pass}: {}", case.file);
        }
    }
    let stats = warm.chain_cache_stats();
    assert!(stats.hits > 0, "{stats:?}");
    assert_eq!(cold.chain_cache_stats().entries, 0);
    // Only chains that validated are stored: every stored chain is one of the valid cases'.
    let valid_chains: std::collections::HashSet<Vec<Vec<u8>>> = cases
        .iter()
        .filter(|c| c.chain_valid)
        .filter_map(|c| notaverify::Envelope::parse(&c.media_type, &read(&c.file)).ok())
        .map(|e| e.unsigned.certificate_chain)
        .collect();
    assert!(stats.entries <= valid_chains.len(), "{stats:?} > {}", valid_chains.len());
}

#[test]
fn a_cached_chain_still_needs_a_good_envelope_signature_and_a_structurally_failed_chain_is_not_stored() {
    let v = strict();
    let opts = VerifyOptions::default();
    for kt in ["p256", "rsa2048"] {
        for ext in ["jws", "cose"] {
            let mt = media_type_of(&format!(".{ext}"));
            let good = SignatureInput::new(read(&format!("envelopes/{kt}.{ext}")), mt);
            assert!(v.verify(&reference(), &target_descriptor(), &good, &opts).unwrap().verified);
            // Same chain bytes (a hit), tampered signature / payload / protected header: fails.
            for what in ["signature", "payload", "protected", "wrong-alg"] {
                let bad = SignatureInput::new(read(&format!("envelopes/tampered/{kt}-{what}.{ext}")), mt);
                let outcome = v.verify(&reference(), &target_descriptor(), &bad, &opts).unwrap();
                assert!(!outcome.verified, "{kt}-{what}.{ext}");
                assert_eq!(outcome.signatures[0].failure, Some(FailureKind::Check(CheckType::Integrity)));
            }
            // A chain that fails §5.2 fails every time (it is never stored).
            let entries = v.chain_cache_stats().entries;
            let reordered = SignatureInput::new(read(&format!("envelopes/tampered/{kt}-chain-order.{ext}")), mt);
            for _ in 0..2 {
                let outcome = v.verify(&reference(), &target_descriptor(), &reordered, &opts).unwrap();
                assert_eq!(outcome.signatures[0].failure, Some(FailureKind::Check(CheckType::Integrity)));
            }
            assert_eq!(v.chain_cache_stats().entries, entries);
        }
    }
}

/// p256.jws with one byte of x5c[index] changed at `position` (base64 re-encoded).
fn jws_with_changed_certificate(index: usize, position: usize) -> Vec<u8> {
    use base64::Engine as _;
    let b64 = base64::engine::general_purpose::STANDARD;
    let mut jws: serde_json::Value = serde_json::from_slice(&read("envelopes/p256.jws")).unwrap();
    let x5c = &mut jws["header"]["x5c"][index];
    let mut der = b64.decode(x5c.as_str().unwrap()).unwrap();
    der[position] ^= 0x01;
    *x5c = serde_json::Value::String(b64.encode(der));
    serde_json::to_vec(&jws).unwrap()
}

#[test]
fn a_changed_certificate_byte_misses_the_cache() {
    let v = strict();
    let opts = VerifyOptions::default();
    let good = SignatureInput::new(read("envelopes/p256.jws"), "application/jose+json");
    assert!(v.verify(&reference(), &target_descriptor(), &good, &opts).unwrap().verified);
    assert!(v.verify(&reference(), &target_descriptor(), &good, &opts).unwrap().verified);
    let before = v.chain_cache_stats();
    assert_eq!((before.entries, before.hits, before.misses), (1, 1, 1));
    // A byte of the intermediate's and of the root's serial number (signed part) and the last
    // byte of their signature values: each still parses, and a signature no longer verifies.
    for index in [1, 2] {
        let der_len = {
            let e = notaverify::Envelope::parse("application/jose+json", &read("envelopes/p256.jws")).unwrap();
            e.unsigned.certificate_chain[index].len()
        };
        for position in [16, der_len - 1] {
            let changed = SignatureInput::new(jws_with_changed_certificate(index, position), "application/jose+json");
            let outcome = v.verify(&reference(), &target_descriptor(), &changed, &opts).unwrap();
            assert!(!outcome.verified, "x5c[{index}] byte {position}");
            assert_eq!(outcome.signatures[0].failure, Some(FailureKind::Check(CheckType::Integrity)));
        }
    }
    let after = v.chain_cache_stats();
    assert_eq!(after.hits, before.hits, "{after:?}");
    assert_eq!(after.misses, before.misses + 4, "{after:?}");
    assert_eq!(after.entries, 1);
}

#[test]
fn another_time_is_evaluated_afresh() {
    let v = strict();
    let good = SignatureInput::new(read("envelopes/p256.cose"), "application/cose");
    let at = |t: &str| VerifyOptions::at(Time::parse_rfc3339(t).unwrap());
    assert!(v.verify(&reference(), &target_descriptor(), &good, &at("2030-01-01T00:00:00Z")).unwrap().verified);
    // The leaf is valid 2024-01-01 .. 2099-01-01: a cached chain does not carry its pass over.
    for t in ["2099-06-01T00:00:00Z", "2023-06-01T00:00:00Z"] {
        let outcome = v.verify(&reference(), &target_descriptor(), &good, &at(t)).unwrap();
        assert!(!outcome.verified, "{t}");
        assert_eq!(outcome.signatures[0].failure, Some(FailureKind::Check(CheckType::AuthenticTimestamp)), "{t}");
    }
    assert!(v.verify(&reference(), &target_descriptor(), &good, &at("2098-01-01T00:00:00Z")).unwrap().verified);
    assert_eq!(v.chain_cache_stats().hits, 3);
}

#[test]
fn another_store_is_another_cache_and_clones_share_theirs() {
    let good = SignatureInput::new(read("envelopes/p384.jws"), "application/jose+json");
    let opts = VerifyOptions::default();
    let trusted = strict();
    assert!(trusted.verify(&reference(), &target_descriptor(), &good, &opts).unwrap().verified);
    let shared = trusted.clone();
    assert!(shared.verify(&reference(), &target_descriptor(), &good, &opts).unwrap().verified);
    assert_eq!(trusted.chain_cache_stats().hits, 1, "clones share the cache");

    // The same policy over a store without the p384 root: a fresh cache, and authenticity fails.
    let mut store = TrustStore::new();
    store.add(StoreType::Ca, "test-roots", &read("truststore/x509/ca/test-roots/p256-root.pem")).unwrap();
    store
        .add(StoreType::SigningAuthority, "test-sa", &read("truststore/x509/signingAuthority/test-sa/sa-root.pem"))
        .unwrap();
    let other = Verifier::new(store).with_oci_policy(policy(
        "strict",
        &["ca:test-roots", "signingAuthority:test-sa"],
        &["*"],
        "",
    ));
    let outcome = other.verify(&reference(), &target_descriptor(), &good, &opts).unwrap();
    assert_eq!(outcome.signatures[0].failure, Some(FailureKind::Check(CheckType::Authenticity)));
    let s = other.chain_cache_stats();
    assert_eq!((s.hits, s.misses), (0, 1));
    // And again, now on a hit: still not trusted.
    let outcome = other.verify(&reference(), &target_descriptor(), &good, &opts).unwrap();
    assert_eq!(outcome.signatures[0].failure, Some(FailureKind::Check(CheckType::Authenticity)));
    assert_eq!(other.chain_cache_stats().hits, 1);
}

#[test]
fn verify_many_equals_verify_artifact_in_order() {
    let cases: Vec<Case> = serde_json::from_slice(&read("cases.json")).unwrap();
    let v = strict();
    let items: Vec<BatchItem> = cases
        .iter()
        .filter(|c| c.kind == "oci")
        .map(|c| {
            let mut item = BatchItem::new(
                reference(),
                target_descriptor(),
                vec![SignatureInput::new(read(&c.file), c.media_type.clone())],
            );
            item.options.at = Some(Time::parse_rfc3339("2030-01-01T00:00:00Z").unwrap());
            if let Some(m) = &c.user_metadata {
                item.options.user_metadata = m.clone();
            }
            item
        })
        .collect();
    let cold = strict().with_chain_cache(0);
    let results = v.verify_many(&items);
    assert_eq!(results.len(), items.len());
    for (item, result) in items.iter().zip(&results) {
        let expected = cold.verify_artifact(&item.reference, &item.target, &item.signatures, &item.options);
        assert_eq!(result.as_ref().unwrap(), &expected.unwrap());
    }
    // A request error stays in its slot.
    let mut bad = items[0].clone();
    bad.reference = "no-digest".into();
    let results = v.verify_many(&[items[0].clone(), bad, items[0].clone()]);
    assert!(results[0].is_ok() && results[1].is_err() && results[2].is_ok());

    // On an explicit number of threads, with progress: the same results, every item reported.
    let reported = std::sync::Mutex::new(Vec::new());
    let progress = |done: usize| reported.lock().unwrap().push(done);
    let options = BatchOptions { threads: Some(2), on_progress: Some(&progress), workers: None };
    let threaded = strict().verify_many_with(&items, &options);
    assert_eq!(threaded, v.verify_many(&items));
    let mut reported = reported.into_inner().unwrap();
    reported.sort_unstable();
    assert_eq!(reported, (1..=items.len()).collect::<Vec<_>>());

    // On threads kept across calls (a scan's chunks): the same results every time, each call's
    // items reported.
    let workers = WorkerPool::new(2);
    let verifier = strict();
    for _ in 0..3 {
        let reported = std::sync::Mutex::new(Vec::new());
        let progress = |done: usize| reported.lock().unwrap().push(done);
        let options = BatchOptions { on_progress: Some(&progress), workers: Some(&workers), ..BatchOptions::default() };
        assert_eq!(verifier.verify_many_with(&items, &options), threaded);
        let mut reported = reported.into_inner().unwrap();
        reported.sort_unstable();
        assert_eq!(reported, (1..=items.len()).collect::<Vec<_>>());
    }
}
