//! The link cache never changes a verdict. A new leaf under a known intermediate hits the
//! intermediate's and the root's links; one changed byte in the leaf, the intermediate or the
//! root gives the verdict of a verifier with no caches (and a changed certificate is never a
//! hit); another verification time and another trust store are evaluated afresh; over every
//! fixture, at several times, in two passes and from several threads at once, a verifier whose
//! only cache is the link cache agrees with one that has none.

mod common;

use base64::Engine;
use common::*;
use notaverify::{
    ArtifactOutcome, BlobOptions, ChainCacheStats, Envelope, SignatureInput, StoreType, Time, TrustStore, Verifier,
    VerifyOptions,
};

#[derive(serde::Deserialize)]
#[serde(rename_all = "camelCase")]
struct Case {
    file: String,
    media_type: String,
    kind: String,
    user_metadata: Option<std::collections::BTreeMap<String, String>>,
}

fn strict() -> Verifier {
    verifier(policy("strict", &["ca:test-roots", "signingAuthority:test-sa"], &["*"], ""))
}

/// A verifier that remembers nothing between verifications.
fn fresh() -> Verifier {
    strict().with_chain_cache(0).with_link_cache(0)
}

/// A verifier whose only cache is the link cache (the chain cache would answer repeated chains
/// before the link cache is asked).
fn links_only() -> Verifier {
    strict().with_chain_cache(0)
}

fn at(rfc3339: &str) -> VerifyOptions {
    VerifyOptions::at(Time::parse_rfc3339(rfc3339).unwrap())
}

fn verify(v: &Verifier, input: &SignatureInput, options: &VerifyOptions) -> ArtifactOutcome {
    v.verify(&reference(), &target_descriptor(), input, options).unwrap()
}

fn run(v: &Verifier, case: &Case, options: &VerifyOptions) -> ArtifactOutcome {
    let input = SignatureInput::new(read(&case.file), case.media_type.clone());
    let mut options = options.clone();
    if let Some(m) = &case.user_metadata {
        options.user_metadata = m.clone();
    }
    if case.kind == "blob" {
        let opts = BlobOptions { verify: options, ..BlobOptions::default() };
        v.verify_blob("example.txt", &read("blob/example.txt"), &input, &opts).unwrap()
    } else {
        verify(v, &input, &options)
    }
}

fn cases() -> Vec<Case> {
    serde_json::from_slice(&read("cases.json")).unwrap()
}

fn input(file: &str) -> SignatureInput {
    SignatureInput::new(read(file), media_type_of(file))
}

fn chain_of(input: &SignatureInput) -> Vec<Vec<u8>> {
    Envelope::parse(&input.media_type, &input.envelope).unwrap().unsigned.certificate_chain
}

/// `input` with certificate `index` of its chain replaced by `der` (of the same length), where
/// the chain is carried: raw in COSE, base64 in a JWS `x5c`. The envelope signature does not
/// cover the chain, so it still verifies when the leaf's key is unchanged.
fn with_certificate(input: &SignatureInput, index: usize, der: &[u8]) -> SignatureInput {
    let old = &chain_of(input)[index];
    assert_eq!(old.len(), der.len());
    let (old, new) = if input.media_type == "application/cose" {
        (old.clone(), der.to_vec())
    } else {
        let b64 = base64::engine::general_purpose::STANDARD;
        (b64.encode(old).into_bytes(), b64.encode(der).into_bytes())
    };
    let at = input.envelope.windows(old.len()).position(|w| w == old.as_slice()).expect("certificate in envelope");
    let mut envelope = input.envelope.clone();
    envelope[at..at + old.len()].copy_from_slice(&new);
    let changed = SignatureInput::new(envelope, input.media_type.clone());
    assert_eq!(chain_of(&changed)[index], der);
    changed
}

fn hits(v: &Verifier) -> u64 {
    v.link_cache_stats().hits
}

#[test]
fn a_new_leaf_under_a_known_intermediate_costs_one_link() {
    // 2098-06-01: both p256 leaves under the p256 intermediate are valid (leaf-future only then).
    let options = at("2098-06-01T00:00:00Z");
    for ext in ["jws", "cose"] {
        let v = strict();
        let first = input(&format!("envelopes/p256.{ext}"));
        let renewed = input(&format!("envelopes/not-yet-valid-leaf.{ext}"));
        let (a, b) = (chain_of(&first), chain_of(&renewed));
        assert!(a[0] != b[0] && a[1..] == b[1..], "another leaf, the same intermediate and root");

        assert!(verify(&v, &first, &options).verified);
        let ChainCacheStats { entries, hits, misses, .. } = v.link_cache_stats();
        assert_eq!((entries, hits, misses), (3, 0, 3), "leaf, intermediate and root self-signature");

        let outcome = verify(&v, &renewed, &options);
        assert!(outcome.verified, "{ext}: {:?}", outcome.signatures[0].error);
        assert_eq!(outcome, verify(&fresh(), &renewed, &options));
        let s = v.link_cache_stats();
        assert_eq!((s.entries, s.hits, s.misses), (4, 2, 4), "{ext}: only the new leaf's link is checked");
        assert_eq!(v.chain_cache_stats().hits, 0, "{ext}: a new chain");

        // Clones share the cache; clearing the chain cache clears the links too.
        let clone = v.clone();
        assert!(verify(&clone, &renewed, &options).verified);
        v.clear_chain_cache();
        assert_eq!(v.link_cache_stats().entries, 0);
        assert!(verify(&v, &renewed, &options).verified);
        assert_eq!(v.link_cache_stats().hits, 2);
    }
}

#[test]
fn one_changed_byte_in_any_certificate_gives_the_verdict_of_a_verifier_without_caches() {
    let options = at("2030-01-01T00:00:00Z");
    let fresh = fresh();
    for ext in ["jws", "cose"] {
        let good = input(&format!("envelopes/p256.{ext}"));
        let warm = links_only();
        assert!(verify(&warm, &good, &options).verified);
        let chain = chain_of(&good);
        for (index, role) in ["leaf", "intermediate", "root"].into_iter().enumerate() {
            let last = chain[index].len() - 1;
            let positions: std::collections::BTreeSet<usize> = (0..last).step_by(7).chain([last]).collect();
            for position in positions {
                let mut der = chain[index].clone();
                der[position] ^= 0x01;
                let changed = with_certificate(&good, index, &der);
                let before = hits(&warm);
                let outcome = verify(&warm, &changed, &options);
                assert_eq!(outcome, verify(&fresh, &changed, &options), "{ext} {role} byte {position}");
                assert!(!outcome.verified, "{ext} {role} byte {position}");
                // A certificate never seen before is part of no hit; the walk stops at its first
                // failed link, so only the links below the changed certificate can hit.
                let links_below = index.saturating_sub(1) as u64;
                assert!(
                    hits(&warm) - before <= links_below,
                    "{ext} {role} byte {position}: {} hits, {:?}",
                    hits(&warm) - before,
                    outcome.signatures[0].error
                );
            }
        }
        // The original still verifies (a changed certificate with the same signature value
        // shares the original's slot and may have replaced its link), then from the cache.
        assert!(verify(&warm, &good, &options).verified);
        let before = hits(&warm);
        assert!(verify(&warm, &good, &options).verified);
        assert_eq!(hits(&warm) - before, 3);
    }
}

#[test]
fn another_time_or_another_store_is_evaluated_afresh() {
    let warm = links_only();
    let fresh = fresh();
    let good = input("envelopes/p256.jws");
    assert!(verify(&warm, &good, &at("2030-01-01T00:00:00Z")).verified);
    // Cached links, but the certificates are not valid at these times.
    for time in ["2019-06-01T00:00:00Z", "2099-06-01T00:00:00Z", "2121-01-01T00:00:00Z"] {
        let before = hits(&warm);
        let outcome = verify(&warm, &good, &at(time));
        assert!(!outcome.verified, "{time}");
        assert_eq!(outcome, verify(&fresh, &good, &at(time)), "{time}");
        assert_eq!(hits(&warm) - before, 3, "{time}: the links hold at any time; validity is checked apart");
    }
    // A leaf whose validity ended, under the cached intermediate.
    let expired = input("envelopes/expired-leaf.jws");
    for time in ["2020-06-01T00:00:00Z", "2030-01-01T00:00:00Z"] {
        assert_eq!(verify(&warm, &expired, &at(time)), verify(&fresh, &expired, &at(time)), "{time}");
    }

    // A verifier over another store (the p256 root missing) has its own, empty caches.
    let mut store = TrustStore::new();
    store.add(StoreType::Ca, "test-roots", &read("pki/p384/root.pem")).unwrap();
    let policy = || policy("strict", &["ca:test-roots"], &["*"], "");
    let other = Verifier::new(store.clone()).with_oci_policy(policy());
    let other_fresh = Verifier::new(store).with_oci_policy(policy()).with_chain_cache(0).with_link_cache(0);
    assert_eq!(other.link_cache_stats().entries, 0);
    let options = at("2030-01-01T00:00:00Z");
    for _ in 0..2 {
        let outcome = verify(&other, &good, &options);
        assert!(!outcome.verified);
        assert_eq!(outcome, verify(&other_fresh, &good, &options));
    }
}

#[test]
fn links_only_and_no_cache_agree_over_every_fixture_at_several_times() {
    let cases = cases();
    let fresh = fresh();
    let warm = links_only();
    let times = ["2030-01-01T00:00:00Z", "2098-06-01T00:00:00Z", "2020-06-01T00:00:00Z", "2019-01-01T00:00:00Z"];
    for pass in 0..2 {
        for time in times {
            let options = at(time);
            for case in &cases {
                assert_eq!(
                    run(&warm, case, &options),
                    run(&fresh, case, &options),
                    "pass {pass} {time}: {}",
                    case.file
                );
            }
        }
    }
    let s = warm.link_cache_stats();
    assert!(s.hits > 0 && s.entries > 0, "{s:?}");
    assert_eq!(fresh.link_cache_stats(), ChainCacheStats::default());
}

#[test]
fn concurrent_verifications_share_links_and_keep_every_verdict() {
    let cases = cases();
    let options = at("2098-06-01T00:00:00Z");
    let fresh = fresh();
    let expected: Vec<ArtifactOutcome> = cases.iter().map(|c| run(&fresh, c, &options)).collect();
    let shared = links_only();
    std::thread::scope(|scope| {
        for thread in 0..4 {
            let (shared, cases, expected, options) = (&shared, &cases, &expected, &options);
            scope.spawn(move || {
                // Each thread walks the fixtures from another starting point.
                for i in 0..cases.len() {
                    let i = (i + thread * cases.len() / 4) % cases.len();
                    assert_eq!(run(shared, &cases[i], options), expected[i], "thread {thread}: {}", cases[i].file);
                }
            });
        }
    });
    assert!(shared.link_cache_stats().hits > 0);
}
