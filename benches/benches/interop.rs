//! notaverify's half of the side-by-side benchmark with notation-go (interop/bench, run both with
//! `interop/bench/run.sh`): `Verifier::verify` over exactly the files of `interop/bench/data`
//! (override with `NOTAVERIFY_BENCH_DIR`), one verifier per case as the Go benchmark builds one
//! `verifier.New` per case. Each iteration parses the envelope, checks integrity, authenticity,
//! expiry and validity at the current time, and matches the target descriptor — what notation-go's
//! `Verify` does with the same policy (`revocation: skip`, no plugin).
//!
//! * `interop/verify/<case id>`: cold — the verifier's chain and link caches disabled, so every
//!   verification does all notation-go does.
//! * `interop/scan/<case id>`: as a registry scan sees the case's signer — the verifier with its
//!   default caches, after it has seen the signer's chain once. In a scan every artifact has its
//!   own envelope, which differs from the others of its signer only in the signed digest (and the
//!   signature); the bench data keeps no signing keys to make more of them, so each iteration
//!   verifies the case's envelope again, which costs what a new envelope of that signer costs
//!   (nothing of an envelope is cached: it is parsed, its signature verified and its target
//!   matched every time).

use std::hint::black_box;
use std::path::{Path, PathBuf};
use std::time::Duration;

use criterion::{BenchmarkId, Criterion, criterion_group, criterion_main};
use notaverify::{
    Descriptor, SignatureInput, StoreType, Target, TrustPolicyDocument, TrustStore, Verifier, VerifyOptions,
};
use serde_json::Value;

fn data_dir() -> PathBuf {
    match std::env::var_os("NOTAVERIFY_BENCH_DIR") {
        Some(d) if !d.is_empty() => PathBuf::from(d),
        _ => Path::new(env!("CARGO_MANIFEST_DIR")).join("../interop/bench/data"),
    }
}

fn read(path: &Path) -> Vec<u8> {
    std::fs::read(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn sorted(dir: &Path) -> Vec<PathBuf> {
    let Ok(rd) = std::fs::read_dir(dir) else { return Vec::new() };
    let mut v: Vec<PathBuf> = rd.map(|e| e.unwrap().path()).collect();
    v.sort();
    v
}

/// `DIR/truststore/x509/<type>/<name>/<file>` into memory.
fn trust_store(dir: &Path) -> TrustStore {
    let mut store = TrustStore::new();
    for t in StoreType::ALL {
        for name in sorted(&dir.join("truststore/x509").join(t.as_str())) {
            let n = name.file_name().unwrap().to_str().unwrap().to_owned();
            for file in sorted(&name) {
                store.add(t, &n, &read(&file)).unwrap_or_else(|e| panic!("{}: {e}", file.display()));
            }
        }
    }
    store
}

struct Case {
    id: String,
    verifier: Verifier,
    reference: String,
    target: Target,
    input: SignatureInput,
}

fn cases() -> Vec<Case> {
    let dir = data_dir();
    let mut out = Vec::new();
    let mut stores: Vec<(String, TrustStore)> = Vec::new();
    for case_dir in sorted(&dir.join("cases")) {
        let case_file = case_dir.join("case.json");
        if !case_file.is_file() {
            continue;
        }
        let c: Value = serde_json::from_slice(&read(&case_file)).unwrap();
        let s = |k: &str| c[k].as_str().unwrap_or_else(|| panic!("{}: no {k}", case_file.display())).to_owned();
        let store_rel = s("truststore");
        if !stores.iter().any(|(r, _)| *r == store_rel) {
            stores.push((store_rel.clone(), trust_store(&dir.join(&store_rel))));
        }
        let store = stores.iter().find(|(r, _)| *r == store_rel).unwrap().1.clone();
        let policy = TrustPolicyDocument::from_json(&read(&dir.join(s("policy")))).unwrap();
        let d = &c["descriptor"];
        let descriptor = Descriptor {
            media_type: d["mediaType"].as_str().unwrap().to_owned(),
            digest: d["digest"].as_str().unwrap().to_owned(),
            size: d["size"].as_i64().unwrap(),
            annotations: Default::default(),
        };
        out.push(Case {
            id: s("id"),
            verifier: Verifier::new(store).with_oci_policy(policy),
            reference: s("reference"),
            target: Target::Descriptor(descriptor),
            input: SignatureInput::new(read(&case_dir.join(s("envelope"))), s("signatureMediaType")),
        });
    }
    assert!(!out.is_empty(), "no cases under {}/cases", dir.display());
    out
}

fn verified(verifier: &Verifier, reference: &str, case: &Case, options: &VerifyOptions) -> notaverify::ArtifactOutcome {
    let outcome =
        verifier.verify(black_box(reference), black_box(&case.target), black_box(&case.input), options).unwrap();
    assert!(outcome.verified, "{} ({reference}): {}", case.id, outcome.to_json());
    outcome
}

fn bench_verify(c: &mut Criterion) {
    let options = VerifyOptions::default();
    let mut group = c.benchmark_group("interop/verify");
    group.warm_up_time(Duration::from_millis(500)).measurement_time(Duration::from_secs(2));
    for case in cases() {
        let cold = case.verifier.clone().with_chain_cache(0).with_link_cache(0);
        verified(&cold, &case.reference, &case, &options);
        group.bench_with_input(BenchmarkId::from_parameter(&case.id), &case, |b, case| {
            b.iter(|| verified(&cold, &case.reference, case, &options))
        });
    }
    group.finish();
}

fn bench_scan(c: &mut Criterion) {
    let options = VerifyOptions::default();
    let mut group = c.benchmark_group("interop/scan");
    group.warm_up_time(Duration::from_millis(500)).measurement_time(Duration::from_secs(2));
    for case in cases() {
        // Twice before timing (also when a filter leaves this case out): the second finds the
        // signer's chain in the cache, as a scanner's verifications after the first do.
        verified(&case.verifier, &case.reference, &case, &options);
        verified(&case.verifier, &case.reference, &case, &options);
        assert!(case.verifier.chain_cache_stats().hits > 0, "{}: the signer's chain is cached", case.id);
        group.bench_with_input(BenchmarkId::from_parameter(&case.id), &case, |b, case| {
            b.iter(|| verified(&case.verifier, &case.reference, case, &options))
        });
    }
    group.finish();
}

criterion_group!(benches, bench_verify, bench_scan);
criterion_main!(benches);
