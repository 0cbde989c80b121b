//! Conflicting revocation evidence (issue 16): among usable evidence the newest answer decides
//! (highest CRL number then latest thisUpdate, a delta only with the base it applies to; latest
//! OCSP producedAt), a usable "revoked" is never shadowed, answers that cannot be ordered fail
//! closed, CRL-cache and caller evidence are merged — and no order of the evidence changes the
//! result. Fixtures: core/tests/revocation/generate.py (CRL numbers and dates are noted there).

mod common;

use notaverify::loader::{EvidenceFiles, read_crl_cache, read_revocation_evidence};
use notaverify::revocation::{CertificateStatus, ChainStatus, RevocationEvidence, check_chain};
use notaverify::x509::{Certificate, parse_certificates};
use notaverify::{CheckType, SignatureInput, StoreType, Target, Time, TrustStore, Verifier, VerifyOptions};
use proptest::prelude::*;
use std::path::{Path, PathBuf};

const ROOT_CRL: &str = "http://crl.test/root.crl";
const INTER_CRL: &str = "http://crl.test/inter.crl";

/// One piece of evidence: a CRL keyed by its URL, an unkeyed CRL (as `--crl`), or an OCSP
/// response; by fixture name.
#[derive(Clone, Copy, Debug, PartialEq)]
enum Item {
    Crl(&'static str, &'static str),
    Unkeyed(&'static str),
    Ocsp(&'static str),
}

use Item::{Crl, Ocsp, Unkeyed};

const ROOT_GOOD: Item = Crl(ROOT_CRL, "root-good");

/// What the revocation check concluded for the leaf (the intermediate is covered by ROOT_GOOD).
#[derive(Clone, Copy, Debug, PartialEq)]
enum Verdict {
    Good,
    Revoked,
    Unknown,
}

use Verdict::{Good, Revoked, Unknown};

fn dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/revocation")
}

fn read(rel: &str) -> Vec<u8> {
    std::fs::read(dir().join(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"))
}

fn crl_path(name: &str) -> PathBuf {
    dir().join(format!("crl/{name}.crl"))
}

fn at() -> Time {
    Time::parse_rfc3339("2026-01-01T00:00:00Z").unwrap()
}

fn evidence(items: &[Item]) -> RevocationEvidence {
    let mut e = RevocationEvidence::new();
    for item in items {
        match *item {
            Crl(url, name) => e.add_crl(url, &read(&format!("crl/{name}.crl"))).unwrap(),
            Unkeyed(name) => e.add_crls(&read(&format!("crl/{name}.crl"))).unwrap(),
            Ocsp(name) => e.add_ocsp_response(&read(&format!("ocsp/{name}.der"))).unwrap(),
        }
    }
    e
}

/// Verifies `envelopes/<envelope>.jws` at `strict`: whether it verified and the revocation
/// check's error.
fn verify(envelope: &str, evidence: RevocationEvidence) -> (bool, Option<String>) {
    let mut store = TrustStore::new();
    store.add(StoreType::Ca, "revocation", &read("pki/root.pem")).unwrap();
    let verifier = Verifier::new(store)
        .with_oci_policy(common::policy("strict", &["ca:revocation"], &["*"], ""))
        .with_revocation_evidence(evidence);
    let target = common::target();
    let reference = format!("registry.example/app@{}", target.digest);
    let input = SignatureInput::new(read(&format!("envelopes/{envelope}.jws")), "application/jose+json");
    let outcome = verifier.verify(&reference, &Target::Descriptor(target), &input, &VerifyOptions::at(at())).unwrap();
    let signature = outcome.signatures.into_iter().next().unwrap();
    let error = signature.check(CheckType::Revocation).and_then(|c| c.error.clone());
    (signature.verified, error)
}

/// The leaf's verdict, checked against the message and the overall result.
fn verdict_of(envelope: &str, evidence: RevocationEvidence) -> Verdict {
    let subject = format!("CN=Revocation {envelope},O=Notaverify Revocation Test,C=US");
    let (verified, error) = verify(envelope, evidence);
    let verdict = match error {
        None => Good,
        Some(e) if e == format!("signing certificate with subject {subject:?} is revoked") => Revoked,
        Some(e) if e == format!("signing certificate with subject {subject:?} revocation status is unknown") => Unknown,
        Some(e) => panic!("{envelope}: unexpected revocation error {e:?}"),
    };
    assert_eq!(verified, verdict == Good, "{envelope}: {verdict:?}");
    verdict
}

/// The verdict for `items` with ROOT_GOOD added, asserted to be `expect` in the given order and
/// reversed.
fn expect(envelope: &str, items: &[Item], expect: Verdict) {
    let mut forward = vec![ROOT_GOOD];
    forward.extend_from_slice(items);
    let backward: Vec<Item> = forward.iter().rev().copied().collect();
    assert_eq!(verdict_of(envelope, evidence(&forward)), expect, "{envelope} {forward:?}");
    assert_eq!(verdict_of(envelope, evidence(&backward)), expect, "{envelope} {backward:?}");
}

#[test]
fn an_older_good_crl_given_first_does_not_hide_a_newer_revocation() {
    // inter-good is CRL number 1; inter-2-revokes-leaves is number 2, issued later.
    expect("leaf-crl", &[Crl(INTER_CRL, "inter-good"), Crl(INTER_CRL, "inter-2-revokes-leaves")], Revoked);
    expect("leaf-crl", &[Unkeyed("inter-good"), Unkeyed("inter-2-revokes-leaves")], Revoked);
    expect("leaf-crl", &[Crl(INTER_CRL, "inter-good"), Unkeyed("inter-2-revokes-leaves")], Revoked);
}

#[test]
fn a_newer_good_crl_does_not_undo_an_older_revocation() {
    expect("leaf-crl", &[Crl(INTER_CRL, "inter-revokes-leaves"), Crl(INTER_CRL, "inter-3-good")], Revoked);
    expect("leaf-crl", &[Crl(INTER_CRL, "inter-hold"), Unkeyed("inter-3-good")], Revoked);
}

#[test]
fn good_crls_of_any_age_together_are_good() {
    expect("leaf-crl", &[Crl(INTER_CRL, "inter-good"), Crl(INTER_CRL, "inter-3-good")], Good);
    expect("leaf-crl", &[Crl(INTER_CRL, "inter-2-good"), Unkeyed("inter-2-good"), Unkeyed("inter-good")], Good);
}

#[test]
fn crls_with_the_same_number_and_thisupdate_but_other_content_fail_closed() {
    expect("leaf-crl", &[Crl(INTER_CRL, "inter-2-good"), Crl(INTER_CRL, "inter-2-good-other-content")], Unknown);
    expect("leaf-crl", &[Crl(INTER_CRL, "inter-2-good"), Unkeyed("inter-2-good-other-content")], Unknown);
    // If either revokes, the certificate is revoked.
    expect("leaf-crl", &[Crl(INTER_CRL, "inter-2-good"), Crl(INTER_CRL, "inter-2-revokes-leaves")], Revoked);
    // A newer CRL resolves the tie below it.
    let resolved =
        [Crl(INTER_CRL, "inter-2-good"), Crl(INTER_CRL, "inter-2-good-other-content"), Crl(INTER_CRL, "inter-3-good")];
    expect("leaf-crl", &resolved, Good);
}

#[test]
fn unusable_crls_neither_revoke_nor_outrank_usable_ones() {
    // A forgery numbered 9 that revokes, and a stale CRL: both ignored.
    expect("leaf-crl", &[Crl(INTER_CRL, "inter-good"), Crl(INTER_CRL, "inter-9-revokes-leaves-forged")], Good);
    expect("leaf-crl", &[Crl(INTER_CRL, "inter-stale"), Unkeyed("inter-good")], Good);
    expect("leaf-crl", &[Crl(INTER_CRL, "inter-9-revokes-leaves-forged")], Unknown);
}

#[test]
fn delta_crl_pairs_with_its_base_only() {
    let d = |name| Crl(INTER_CRL, name);
    // Base 5 with delta 6 (BaseCRLNumber 5); base 7 with delta 8 (BaseCRLNumber 7).
    expect("leaf-delta", &[d("inter-base-5"), d("inter-delta-6-good")], Good);
    expect("leaf-delta", &[d("inter-base-7"), d("inter-delta-8-good")], Good);
    expect("leaf-delta", &[d("inter-base-5"), d("inter-delta-8-good")], Unknown);
    expect("leaf-delta", &[d("inter-base-7"), d("inter-delta-6-good")], Unknown);
    // The newest base (7) is chosen; delta 6 does not apply to it.
    expect("leaf-delta", &[d("inter-base-5"), d("inter-base-7"), d("inter-delta-6-good")], Unknown);
    let both_pairs = [d("inter-base-5"), d("inter-delta-6-good"), d("inter-base-7"), d("inter-delta-8-good")];
    expect("leaf-delta", &both_pairs, Good);
    // The older pair still revokes, and so does a delta that applies to no base given.
    let older_pair_revokes =
        [d("inter-base-5"), d("inter-delta-6-revokes"), d("inter-base-7"), d("inter-delta-8-good")];
    expect("leaf-delta", &older_pair_revokes, Revoked);
    expect("leaf-delta", &[d("inter-base-7"), d("inter-delta-6-revokes"), d("inter-delta-8-good")], Revoked);
    // Deltas of the same rank must agree.
    expect("leaf-delta", &[d("inter-base-7"), d("inter-delta-8-good"), d("inter-delta-8-revokes")], Revoked);
    let tied = [d("inter-base-7"), d("inter-delta-8-good"), d("inter-delta-8-good-other-content")];
    expect("leaf-delta", &tied, Unknown);
    // A certificate without a Freshest CRL extension needs no delta; one that applies is used.
    expect("leaf-crl", &[d("inter-base-7"), d("inter-delta-6-good")], Good);
    expect("leaf-crl", &[d("inter-base-7"), d("inter-delta-8-good")], Good);
}

#[test]
fn a_delta_crl_may_be_given_before_its_base() {
    let mut e = RevocationEvidence::new();
    e.add_crl(INTER_CRL, &read("crl/inter-delta-6-revokes.crl")).unwrap();
    e.add_crl(INTER_CRL, &read("crl/inter-base-5.crl")).unwrap();
    e.add_crl(ROOT_CRL, &read("crl/root-good.crl")).unwrap();
    assert_eq!(verdict_of("leaf-delta", e), Revoked);
}

#[test]
fn the_latest_ocsp_response_wins() {
    expect("leaf-ocsp", &[Ocsp("leaf-ocsp-unknown"), Ocsp("leaf-ocsp-good-later")], Good);
    expect("leaf-ocsp", &[Ocsp("leaf-ocsp-good"), Ocsp("leaf-ocsp-unknown-later")], Unknown);
    // A newer response that is not usable does not count.
    expect("leaf-ocsp", &[Ocsp("leaf-ocsp-unknown"), Ocsp("leaf-ocsp-good-later"), Ocsp("leaf-ocsp-stale")], Good);
}

#[test]
fn a_revoked_ocsp_response_is_never_shadowed() {
    expect("leaf-ocsp", &[Ocsp("leaf-ocsp-revoked"), Ocsp("leaf-ocsp-good-later")], Revoked);
    expect("leaf-ocsp", &[Ocsp("leaf-ocsp-good"), Ocsp("leaf-ocsp-revoked"), Ocsp("leaf-ocsp-unknown-later")], Revoked);
    // ... as long as it is usable: a stale "revoked" is not evidence.
    expect("leaf-ocsp", &[Ocsp("leaf-ocsp-good"), Ocsp("leaf-ocsp-revoked-stale")], Good);
}

#[test]
fn ocsp_answers_produced_at_the_same_time_must_agree() {
    expect("leaf-ocsp", &[Ocsp("leaf-ocsp-good"), Ocsp("leaf-ocsp-unknown")], Unknown);
    expect("leaf-ocsp", &[Ocsp("leaf-ocsp-good"), Ocsp("leaf-ocsp-delegated-good")], Good);
}

#[test]
fn an_ocsp_good_does_not_hide_a_crl_revocation() {
    expect("leaf-both", &[Ocsp("leaf-both-good"), Crl(INTER_CRL, "inter-revokes-leaves")], Revoked);
    // An OCSP "good" still stands when the CRL evidence is merely unusable or missing.
    expect("leaf-both", &[Ocsp("leaf-both-good"), Crl(INTER_CRL, "inter-stale")], Good);
}

/// A CRL cache directory (notation's format) with one entry per (url, base CRL).
fn crl_cache(name: &str, entries: &[(&str, &str)]) -> PathBuf {
    use base64::Engine;
    let cache = std::env::temp_dir().join(format!("notaverify-conflicts-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&cache);
    std::fs::create_dir_all(&cache).unwrap();
    for (url, crl) in entries {
        let key = notaverify::digest_of("sha256", url.as_bytes()).unwrap().trim_start_matches("sha256:").to_owned();
        let base = base64::engine::general_purpose::STANDARD.encode(read(&format!("crl/{crl}.crl")));
        std::fs::write(cache.join(key), format!(r#"{{"baseCRL":"{base}"}}"#)).unwrap();
    }
    cache
}

/// The leaf-crl verdict with a CRL cache holding `cached` for the intermediate's distribution
/// point and `--crl` files `files`, read as the CLI reads them.
fn cache_and_files(name: &str, cached: &str, files: &[&str]) -> Verdict {
    let cache = crl_cache(name, &[(ROOT_CRL, "root-good"), (INTER_CRL, cached)]);
    let files = EvidenceFiles {
        crls: files.iter().map(|f| crl_path(f)).collect(),
        ocsp_responses: Vec::new(),
        crl_cache: Some(cache.clone()),
    };
    let evidence = read_revocation_evidence(&files).unwrap();
    std::fs::remove_dir_all(&cache).unwrap();
    verdict_of("leaf-crl", evidence)
}

#[test]
fn a_revoked_answer_in_the_crl_cache_is_not_shadowed_by_a_caller_good_crl() {
    assert_eq!(cache_and_files("cache-revokes", "inter-revokes-leaves", &["inter-3-good"]), Revoked);
}

#[test]
fn a_revoked_caller_crl_is_not_shadowed_by_a_good_answer_in_the_crl_cache() {
    assert_eq!(cache_and_files("caller-revokes", "inter-3-good", &["inter-revokes-leaves"]), Revoked);
    assert_eq!(cache_and_files("caller-revokes-newer", "inter-good", &["inter-2-revokes-leaves"]), Revoked);
}

#[test]
fn cache_and_caller_crls_are_merged_not_ranked_by_source() {
    // The cached CRL is stale; the caller's is usable. Either source may carry the answer.
    assert_eq!(cache_and_files("stale-cache", "inter-stale", &["inter-good"]), Good);
    assert_eq!(cache_and_files("good-cache", "inter-good", &["inter-stale"]), Good);
    // Merging the cache into caller evidence, or the other way round, is the same.
    let cache = crl_cache("merge", &[(ROOT_CRL, "root-good"), (INTER_CRL, "inter-revokes-leaves")]);
    let cached = read_crl_cache(&cache).unwrap();
    std::fs::remove_dir_all(&cache).unwrap();
    let caller = evidence(&[Unkeyed("inter-3-good")]);
    let (mut a, mut b) = (cached.clone(), caller.clone());
    a.merge(&caller);
    b.merge(&cached);
    assert_eq!(verdict_of("leaf-crl", a), Revoked);
    assert_eq!(verdict_of("leaf-crl", b), Revoked);
}

// ---- property: the order of the evidence never matters -------------------------------------

const ENVELOPES: [&str; 4] = ["leaf-crl", "leaf-delta", "leaf-ocsp", "leaf-both"];

/// Evidence for every case above, conflicting in every way the fixtures allow.
const POOL: &[Item] = &[
    Crl(ROOT_CRL, "root-revokes-inter"),
    Unkeyed("root-good"),
    Crl(INTER_CRL, "inter-good"),
    Crl(INTER_CRL, "inter-revokes-leaves"),
    Crl(INTER_CRL, "inter-hold"),
    Crl(INTER_CRL, "inter-stale"),
    Crl(INTER_CRL, "inter-2-revokes-leaves"),
    Crl(INTER_CRL, "inter-2-good"),
    Crl(INTER_CRL, "inter-2-good-other-content"),
    Crl(INTER_CRL, "inter-3-good"),
    Crl(INTER_CRL, "inter-9-revokes-leaves-forged"),
    Crl(INTER_CRL, "inter-base-5"),
    Crl(INTER_CRL, "inter-base-7"),
    Crl(INTER_CRL, "inter-delta-4-stale-number"),
    Crl(INTER_CRL, "inter-delta-6-good"),
    Crl(INTER_CRL, "inter-delta-6-revokes"),
    Crl(INTER_CRL, "inter-delta-8-good"),
    Crl(INTER_CRL, "inter-delta-8-revokes"),
    Crl(INTER_CRL, "inter-delta-8-good-other-content"),
    Unkeyed("inter-good"),
    Unkeyed("inter-2-good-other-content"),
    Unkeyed("inter-3-good"),
    Unkeyed("inter-base-7"),
    Ocsp("leaf-ocsp-good"),
    Ocsp("leaf-ocsp-unknown"),
    Ocsp("leaf-ocsp-revoked"),
    Ocsp("leaf-ocsp-good-later"),
    Ocsp("leaf-ocsp-unknown-later"),
    Ocsp("leaf-ocsp-revoked-stale"),
    Ocsp("leaf-ocsp-delegated-good"),
    Ocsp("leaf-both-good"),
    Ocsp("leaf-both-unknown"),
];

fn chain(envelope: &str) -> Vec<Certificate> {
    let pem = [read(&format!("pki/{envelope}.pem")), read("pki/inter.pem"), read("pki/root.pem")].concat();
    parse_certificates(&pem).unwrap()
}

/// The per-certificate status and the verification verdict for `items` in the order given.
fn result(envelope: &str, items: &[Item]) -> (ChainStatus, (bool, Option<String>)) {
    let status = check_chain(&chain(envelope), &evidence(items), None, at());
    (status, verify(envelope, evidence(items)))
}

/// A subset of the pool (with ROOT_GOOD, so the intermediate is usually good), and a
/// permutation of it.
fn subset_and_permutation() -> impl Strategy<Value = (Vec<Item>, Vec<Item>)> {
    proptest::sample::subsequence(POOL.to_vec(), 0..=6).prop_flat_map(|mut items| {
        items.push(ROOT_GOOD);
        (Just(items.clone()), Just(items).prop_shuffle())
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn every_order_of_the_evidence_gives_the_same_result(
        envelope in proptest::sample::select(ENVELOPES.to_vec()),
        (items, permuted) in subset_and_permutation(),
    ) {
        let expected = result(envelope, &items);
        prop_assert_eq!(&result(envelope, &permuted), &expected, "{} {:?} vs {:?}", envelope, items, permuted);
        // Split across two evidence sets and merged, either way round: the same again.
        let (first, second) = permuted.split_at(permuted.len() / 2);
        for (a, b) in [(first, second), (second, first)] {
            let mut merged = evidence(a);
            merged.merge(&evidence(b));
            prop_assert_eq!(&check_chain(&chain(envelope), &merged, None, at()), &expected.0);
        }
    }
}

#[test]
fn the_statuses_name_each_certificate() {
    // A sanity check of the property's subject: the leaf's status differs with the evidence.
    let statuses = |items: &[Item]| result("leaf-crl", items).0.certificates;
    let good = statuses(&[ROOT_GOOD, Crl(INTER_CRL, "inter-good")]);
    assert_eq!(good, [CertificateStatus::Good, CertificateStatus::Good, CertificateStatus::NonRevokable]);
    let revoked = statuses(&[ROOT_GOOD, Crl(INTER_CRL, "inter-good"), Unkeyed("inter-2-revokes-leaves")]);
    assert_eq!(revoked[0], CertificateStatus::Revoked);
    let tied = statuses(&[ROOT_GOOD, Crl(INTER_CRL, "inter-2-good"), Crl(INTER_CRL, "inter-2-good-other-content")]);
    let CertificateStatus::Unknown(reasons) = &tied[0] else { panic!("{tied:?}") };
    assert!(reasons.iter().any(|r| r.contains("CRLs with CRL number 2 and thisUpdate")), "{reasons:?}");
}
