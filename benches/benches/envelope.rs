//! Envelope benchmarks: `Envelope::parse` and `Envelope::verify_signature` for each of the six
//! notation key types (RSA-2048/3072/4096, P-256/384/521) in both envelope formats (JWS, COSE).
//!
//! Inputs are the committed fixtures in `core/tests/fixtures/envelopes/<kt>.{jws,cose}`
//! (see core/tests/fixtures/README.md), embedded at compile time.

use std::hint::black_box;

use criterion::{BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};
use notaverify::Envelope;

const JWS: &str = "application/jose+json";
const COSE: &str = "application/cose";

macro_rules! fixture {
    ($kt:literal, $ext:literal) => {
        include_bytes!(concat!(env!("CARGO_MANIFEST_DIR"), "/../core/tests/fixtures/envelopes/", $kt, ".", $ext))
            .as_slice()
    };
}

/// (key type, format label, media type, envelope bytes)
fn fixtures() -> Vec<(&'static str, &'static str, &'static str, &'static [u8])> {
    macro_rules! both {
        ($($kt:literal),*) => {
            vec![$(
                ($kt, "jws", JWS, fixture!($kt, "jws")),
                ($kt, "cose", COSE, fixture!($kt, "cose")),
            )*]
        };
    }
    both!("rsa2048", "rsa3072", "rsa4096", "p256", "p384", "p521")
}

fn bench_parse(c: &mut Criterion) {
    let mut group = c.benchmark_group("envelope/parse");
    for (kt, fmt, media_type, bytes) in fixtures() {
        group.throughput(Throughput::Bytes(bytes.len() as u64));
        group.bench_with_input(BenchmarkId::new(fmt, kt), &bytes, |b, bytes| {
            b.iter(|| Envelope::parse(black_box(media_type), black_box(bytes)).expect("fixture must parse"))
        });
    }
    group.finish();
}

fn bench_verify_signature(c: &mut Criterion) {
    let mut group = c.benchmark_group("envelope/verify_signature");
    for (kt, fmt, media_type, bytes) in fixtures() {
        let envelope = Envelope::parse(media_type, bytes).expect("fixture must parse");
        envelope.verify_signature().expect("fixture signature must verify");
        group.bench_with_input(BenchmarkId::new(fmt, kt), &envelope, |b, envelope| {
            b.iter(|| black_box(envelope).verify_signature().expect("valid signature"))
        });
    }
    group.finish();
}

fn bench_parse_and_verify(c: &mut Criterion) {
    let mut group = c.benchmark_group("envelope/parse_and_verify");
    for (kt, fmt, media_type, bytes) in fixtures() {
        group.bench_with_input(BenchmarkId::new(fmt, kt), &bytes, |b, bytes| {
            b.iter(|| {
                let envelope = Envelope::parse(black_box(media_type), black_box(bytes)).expect("fixture must parse");
                envelope.verify_signature().expect("valid signature");
                envelope
            })
        });
    }
    group.finish();
}

criterion_group!(benches, bench_parse, bench_verify_signature, bench_parse_and_verify);
criterion_main!(benches);
