//! Whole verifications against their floor, the bare public-key operations, measured in the same
//! run with the fastest backend (aws-lc-rs, called directly):
//!
//! * `verify_cold/<fmt>-<kt>-chain<n>`: `Verifier::verify` with the chain and link caches
//!   disabled (a chain certificate byte-equal to a trusted one is still the trust store's parsed
//!   copy), for JWS and COSE, the six key types, chains of 2 and 3 certificates; floor
//!   `pk_chain/<same id>`: the envelope signature + one signature per certificate (each link and
//!   the root's self-signature). Target: ≤ 1.25.
//! * `verify_new_leaf/<fmt>-<kt>-chain3`: `Verifier::verify` (default caches) of a leaf it has not
//!   seen under an intermediate and root it has (`<kt>-renewed.<fmt>` right after the
//!   three-certificate fixture, caches emptied before each pair; only the renewed leaf's
//!   verification is timed); floor `pk_new_leaf/<same id>`: the envelope signature + the leaf's
//!   link. Target: ≤ 1.25. The verifier keeps the known CA's key prepared (the link cache holds
//!   it parsed), so the row is also shown against the stricter `pk_new_leaf_prepared/<same id>`:
//!   the envelope signature + the link with the CA's key parsed beforehand.
//! * `verify_warm/<fmt>-<kt>-chain3`: `Verifier::verify` with the chain already cached; floor
//!   `pk_envelope/<same id>`: the envelope signature alone. Target: ≤ 1.10. A cached chain keeps
//!   its leaf key parsed, so the warm rows are also shown against the strictest floor,
//!   `pk_envelope_prepared/<same id>`: the envelope signature with the key parsed beforehand.
//!
//! The ratio table is printed at the end (from criterion's estimates of this run).
//! `cargo bench -p notaverify-benches --bench verify` (add `--no-default-features --features ring`
//! for the ring backend; the floor stays aws-lc-rs).

mod common;

use std::hint::black_box;

use common::*;

fn main() {
    let mut c = criterion();
    let reference = reference();
    let target = target();
    let options = options();
    let all = all_fixtures(&[3, 2]);

    let mut g = c.benchmark_group("pk_chain");
    for f in &all {
        let ops = pk_ops(f, false);
        g.bench_function(&f.id, |b| b.iter(|| ops.iter().for_each(|op| black_box(op).verify())));
    }
    g.finish();

    let cold = cold_verifier();
    let mut g = c.benchmark_group("verify_cold");
    for f in &all {
        assert!(cold.verify(&reference, &target, &f.input, &options).unwrap().verified, "{}", f.id);
        g.bench_function(&f.id, |b| {
            b.iter(|| cold.verify(black_box(&reference), &target, black_box(&f.input), &options).unwrap())
        });
    }
    g.finish();

    let chain3: Vec<&Fixture> = all.iter().filter(|f| f.chain == 3).collect();
    let renewed: Vec<Fixture> = chain3.iter().map(|f| renewed_fixture(f)).collect();

    let mut g = c.benchmark_group("pk_new_leaf");
    for f in &renewed {
        let ops = pk_ops_new_leaf(f);
        g.bench_function(&f.id, |b| b.iter(|| ops.iter().for_each(|op| black_box(op).verify())));
    }
    g.finish();

    let mut g = c.benchmark_group("pk_new_leaf_prepared");
    for f in &renewed {
        let ops = pk_ops_new_leaf(f);
        let link = PreparedPkOp::new(&ops[1]);
        g.bench_function(&f.id, |b| {
            b.iter(|| {
                black_box(&ops[0]).verify();
                black_box(&link).verify();
            })
        });
    }
    g.finish();

    let known_ca = verifier();
    let request = Request::new();
    let mut g = c.benchmark_group("verify_new_leaf");
    for (known, f) in chain3.iter().zip(&renewed) {
        g.bench_function(&f.id, |b| {
            b.iter_custom(|iters| (0..iters).map(|_| new_leaf_under_known_ca(&known_ca, known, f, &request)).sum())
        });
    }
    g.finish();
    let mut g = c.benchmark_group("pk_envelope");
    for f in &chain3 {
        let ops = pk_ops(f, true);
        g.bench_function(&f.id, |b| b.iter(|| ops.iter().for_each(|op| black_box(op).verify())));
    }
    g.finish();

    let mut g = c.benchmark_group("pk_envelope_prepared");
    for f in &chain3 {
        let op = PreparedPkOp::new(&pk_ops(f, true)[0]);
        g.bench_function(&f.id, |b| b.iter(|| black_box(&op).verify()));
    }
    g.finish();

    let warm = verifier();
    let mut g = c.benchmark_group("verify_warm");
    for f in &chain3 {
        assert!(warm.verify(&reference, &target, &f.input, &options).unwrap().verified, "{}", f.id);
        g.bench_function(&f.id, |b| {
            b.iter(|| warm.verify(black_box(&reference), &target, black_box(&f.input), &options).unwrap())
        });
    }
    g.finish();
    let stats = warm.chain_cache_stats();
    assert_eq!(stats.entries, chain3.len() / 2, "one chain per key type, shared by JWS and COSE: {stats:?}");

    c.final_summary();

    let mut rows = Vec::new();
    for f in &all {
        rows.push(Ratio {
            what: format!("cold {} (floor: {} pk ops)", f.id, f.chain + 1),
            measured: ("verify_cold".into(), f.id.clone()),
            limit: ("pk_chain".into(), f.id.clone()),
            target: 1.25,
            at_most: true,
        });
    }
    for f in &renewed {
        rows.push(Ratio {
            what: format!("cold, new leaf under a known CA {} (floor: envelope signature + one link)", f.id),
            measured: ("verify_new_leaf".into(), f.id.clone()),
            limit: ("pk_new_leaf".into(), f.id.clone()),
            target: 1.25,
            at_most: true,
        });
    }
    for f in &renewed {
        rows.push(Ratio {
            what: format!(
                "cold, new leaf under a known CA {} (floor: envelope signature + one link, CA key parsed beforehand)",
                f.id
            ),
            measured: ("verify_new_leaf".into(), f.id.clone()),
            limit: ("pk_new_leaf_prepared".into(), f.id.clone()),
            target: 1.25,
            at_most: true,
        });
    }
    for f in &chain3 {
        rows.push(Ratio {
            what: format!("warm {} (floor: envelope signature)", f.id),
            measured: ("verify_warm".into(), f.id.clone()),
            limit: ("pk_envelope".into(), f.id.clone()),
            target: 1.10,
            at_most: true,
        });
    }
    for f in &chain3 {
        rows.push(Ratio {
            what: format!("warm {} (floor: envelope signature, key parsed beforehand)", f.id),
            measured: ("verify_warm".into(), f.id.clone()),
            limit: ("pk_envelope_prepared".into(), f.id.clone()),
            target: 1.10,
            at_most: true,
        });
    }
    print_ratios("verify: cold, new leaf under a known CA and warm against the public-key floor", &rows);

    // The same ratios, robust to a busy machine: alternate the two sides and keep the minimums.
    if std::env::args().any(|a| a == "--bench") {
        let mut paired = Vec::new();
        for f in &all {
            let ops = pk_ops(f, false);
            let (m, l) = paired_min_ratio(
                60,
                3,
                || drop(black_box(cold.verify(&reference, &target, &f.input, &options).unwrap())),
                || ops.iter().for_each(|op| black_box(op).verify()),
            );
            paired.push((format!("cold {}", f.id), m, l, 1.25, true));
        }
        for (known, f) in chain3.iter().zip(&renewed) {
            let ops = pk_ops_new_leaf(f);
            let (m, l) = paired_min_ratio_timed(
                60,
                3,
                || new_leaf_under_known_ca(&known_ca, known, f, &request),
                || ops.iter().for_each(|op| black_box(op).verify()),
            );
            paired.push((format!("cold, new leaf under a known CA {}", f.id), m, l, 1.25, true));
        }
        for (known, f) in chain3.iter().zip(&renewed) {
            let ops = pk_ops_new_leaf(f);
            let link = PreparedPkOp::new(&ops[1]);
            let (m, l) = paired_min_ratio_timed(
                60,
                3,
                || new_leaf_under_known_ca(&known_ca, known, f, &request),
                || {
                    black_box(&ops[0]).verify();
                    black_box(&link).verify();
                },
            );
            paired.push((
                format!("cold, new leaf under a known CA {} (CA key parsed beforehand)", f.id),
                m,
                l,
                1.25,
                true,
            ));
        }
        for f in &chain3 {
            let ops = pk_ops(f, true);
            let (m, l) = paired_min_ratio(
                60,
                5,
                || drop(black_box(warm.verify(&reference, &target, &f.input, &options).unwrap())),
                || ops.iter().for_each(|op| black_box(op).verify()),
            );
            paired.push((format!("warm {}", f.id), m, l, 1.10, true));
        }
        for f in &chain3 {
            let op = PreparedPkOp::new(&pk_ops(f, true)[0]);
            let (m, l) = paired_min_ratio(
                60,
                5,
                || drop(black_box(warm.verify(&reference, &target, &f.input, &options).unwrap())),
                || black_box(&op).verify(),
            );
            paired.push((format!("warm {} (key parsed beforehand)", f.id), m, l, 1.10, true));
        }
        print_paired("verify: cold, new leaf under a known CA and warm against the public-key floor", &paired);
    }
}
