//! notaverify's half of the side-by-side benchmark with notation-go (interop/bench, run both with
//! `interop/bench/run.sh`): `Verifier::verify` over exactly the files of `interop/bench/data`
//! (override with `NOTAVERIFY_BENCH_DIR`), one verifier per case as the Go benchmark builds one
//! `verifier.New` per case. Each iteration parses the envelope, checks integrity, authenticity,
//! expiry and validity at the current time, and matches the target descriptor — what notation-go's
//! `Verify` does with the same policy (`revocation: skip`, no plugin).
//!
//! Benchmark ids: `interop/verify/<case id>`.

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
            verifier: Verifier::new(store).with_oci_policy(policy).with_chain_cache(0),
            reference: s("reference"),
            target: Target::Descriptor(descriptor),
            input: SignatureInput::new(read(&case_dir.join(s("envelope"))), s("signatureMediaType")),
        });
    }
    assert!(!out.is_empty(), "no cases under {}/cases", dir.display());
    out
}

fn bench_verify(c: &mut Criterion) {
    let options = VerifyOptions::default();
    let mut group = c.benchmark_group("interop/verify");
    group.warm_up_time(Duration::from_millis(500)).measurement_time(Duration::from_secs(2));
    for case in cases() {
        let outcome = case.verifier.verify(&case.reference, &case.target, &case.input, &options).unwrap();
        assert!(outcome.verified, "{}: {}", case.id, outcome.to_json());
        group.bench_with_input(BenchmarkId::from_parameter(&case.id), &case, |b, case| {
            b.iter(|| {
                let outcome = case
                    .verifier
                    .verify(black_box(&case.reference), black_box(&case.target), black_box(&case.input), &options)
                    .unwrap();
                assert!(outcome.verified);
                outcome
            })
        });
    }
    group.finish();
}

criterion_group!(benches, bench_verify);
criterion_main!(benches);
