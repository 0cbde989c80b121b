//! `Verifier::verify_many` throughput on 1 and 2 threads (rayon `ThreadPoolBuilder`, the batch
//! run inside `pool.install`), over the 12 three-certificate fixtures (JWS and COSE, six key
//! types) [`COPIES`] times each — with the chain cache warm (a scanner seeing the same signers)
//! and with the chain and link caches disabled. Target: 2 threads ≥ 1.8 × the throughput of 1 (ratio = time on 1 / time on 2).
//!
//! The items' costs differ 20-fold (RSA-2048 against P-521), and the last item a thread takes
//! leaves the other idle: with a batch of a few dozen items that alone costs up to a quarter of the
//! 2-thread throughput, so the batch is a scanner-like few hundred items.

mod common;

use std::hint::black_box;

use common::*;
use notaverify::BatchItem;

/// How many times each fixture is in the batch.
const COPIES: usize = 16;

fn main() {
    let mut c = criterion();
    let fixtures: Vec<BatchItem> = all_fixtures(&[3])
        .into_iter()
        .map(|f| BatchItem::new(reference(), target(), vec![f.input]).with_options(options()))
        .collect();
    let items: Vec<BatchItem> = (0..COPIES).flat_map(|_| fixtures.iter().cloned()).collect();
    let pools: Vec<(usize, rayon::ThreadPool)> =
        [1, 2].iter().map(|&n| (n, rayon::ThreadPoolBuilder::new().num_threads(n).build().unwrap())).collect();

    let verifiers = [("batch_warm", verifier()), ("batch_cold", cold_verifier())];
    for (label, verifier) in &verifiers {
        assert!(verifier.verify_many(&items).iter().all(|r| r.as_ref().unwrap().verified));
        let mut g = c.benchmark_group(*label);
        g.throughput(criterion::Throughput::Elements(items.len() as u64));
        for (n, pool) in &pools {
            g.bench_function(format!("threads{n}"), |b| {
                b.iter(|| pool.install(|| verifier.verify_many(black_box(&items))))
            });
        }
        g.finish();
    }

    c.final_summary();
    let row = |group: &str, what: &str| Ratio {
        what: what.into(),
        measured: (group.into(), "threads1".into()),
        limit: (group.into(), "threads2".into()),
        target: 1.8,
        at_most: false,
    };
    print_ratios(
        &format!("batch: throughput on 2 threads over 1 ({} items per batch)", items.len()),
        &[
            row("batch_warm", "verify_many, warm chain cache"),
            row("batch_cold", "verify_many, chain and link caches disabled"),
        ],
    );

    // Robust to a busy machine: alternate 1 and 2 threads, keep the minimums.
    if std::env::args().any(|a| a == "--bench") {
        let rows: Vec<_> = verifiers
            .iter()
            .map(|(label, verifier)| {
                let (t1, t2) = paired_min_ratio(
                    30,
                    1,
                    || drop(black_box(pools[0].1.install(|| verifier.verify_many(&items)))),
                    || drop(black_box(pools[1].1.install(|| verifier.verify_many(&items)))),
                );
                (format!("{label}: time on 1 thread / time on 2"), t1, t2, 1.8, false)
            })
            .collect();
        print_paired("batch: throughput on 2 threads over 1", &rows);
    }
}
