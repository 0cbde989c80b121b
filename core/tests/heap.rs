//! Heap use of a verification, measured with a counting global allocator (per thread, so tests
//! running in parallel do not disturb each other): the peak bytes live during one `verify`
//! above what was live before it, for every key type and format, cold and warm; and proof that an
//! attacker-chosen count beyond a documented limit is rejected with bounded allocation: an x5c
//! with 10× the chain limit peaks no higher than one just over the limit with the same number of
//! bytes (the count is checked before any certificate is decoded); a payload with 10× the
//! annotation limit peaks at most 1.5× one just over it with the same bytes (measured 1.33×: the
//! JSON tree is built before the count check) and below 4× the envelope, which
//! `MAX_PAYLOAD_BYTES` / `MAX_ENVELOPE_BYTES` bound.
//!
//! Run with `--nocapture` to see the table.

mod common;

use base64::Engine as _;
use common::*;
use notaverify::limits::{MAX_ANNOTATIONS, MAX_CHAIN_CERTIFICATES};
use notaverify::{CheckType, FailureKind, SignatureInput, Time, Verifier, VerifyOptions};
use std::alloc::{GlobalAlloc, Layout, System};
use std::cell::Cell;

struct Counting;

thread_local! {
    static LIVE: Cell<isize> = const { Cell::new(0) };
    static PEAK: Cell<isize> = const { Cell::new(0) };
}

fn add(delta: isize) {
    // `try_with`: the thread-locals may be gone while a thread is torn down.
    let _ = LIVE.try_with(|live| {
        let now = live.get() + delta;
        live.set(now);
        let _ = PEAK.try_with(|peak| peak.set(peak.get().max(now)));
    });
}

// SAFETY: every call is forwarded unchanged to `System`; the counters only observe sizes.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        add(layout.size() as isize);
        unsafe { System.alloc(layout) }
    }
    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        add(layout.size() as isize);
        unsafe { System.alloc_zeroed(layout) }
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        add(-(layout.size() as isize));
        unsafe { System.dealloc(ptr, layout) }
    }
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        add(new_size as isize - layout.size() as isize);
        unsafe { System.realloc(ptr, layout, new_size) }
    }
}

#[global_allocator]
static ALLOCATOR: Counting = Counting;

/// Peak heap bytes above the starting level while `f` runs on this thread.
fn peak_of<T>(f: impl FnOnce() -> T) -> (usize, T) {
    let start = LIVE.with(Cell::get);
    PEAK.with(|p| p.set(start));
    let out = f();
    let peak = PEAK.with(Cell::get) - start;
    (peak.max(0) as usize, out)
}

fn strict() -> Verifier {
    verifier(policy("strict", &["ca:test-roots", "signingAuthority:test-sa"], &["*"], ""))
}

fn options() -> VerifyOptions {
    VerifyOptions::at(Time::parse_rfc3339("2030-01-01T00:00:00Z").unwrap())
}

#[test]
fn peak_bytes_per_verify() {
    let warm = strict();
    let cold = strict().with_chain_cache(0).with_link_cache(0);
    let (reference, target, options) = (reference(), target_descriptor(), options());
    println!("| envelope | bytes | peak cold | peak warm |\n|---|---|---|---|");
    for kt in ["rsa2048", "rsa3072", "rsa4096", "p256", "p384", "p521"] {
        for ext in ["jws", "cose"] {
            let file = format!("envelopes/{kt}.{ext}");
            let input = SignatureInput::new(read(&file), media_type_of(&file));
            let (cold_peak, outcome) = peak_of(|| cold.verify(&reference, &target, &input, &options).unwrap());
            assert!(outcome.verified);
            warm.verify(&reference, &target, &input, &options).unwrap();
            let (warm_peak, outcome) = peak_of(|| warm.verify(&reference, &target, &input, &options).unwrap());
            assert!(outcome.verified);
            println!("| {kt}.{ext} | {} | {cold_peak} | {warm_peak} |", input.envelope.len());
            // A few times the envelope, never more than a fixed budget.
            assert!(cold_peak < 16 * input.envelope.len() + 64 * 1024, "{file}: {cold_peak}");
            assert!(warm_peak <= cold_peak, "{file}: warm {warm_peak} > cold {cold_peak}");
        }
    }
}

/// p256.jws with its payload and/or x5c replaced (the signature no longer matches: these are
/// the inputs of an attacker who needs no key).
fn forged_jws(payload: Option<&[u8]>, x5c: Option<Vec<String>>) -> SignatureInput {
    let mut jws: serde_json::Value = serde_json::from_slice(&read("envelopes/p256.jws")).unwrap();
    if let Some(p) = payload {
        jws["payload"] = base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(p).into();
    }
    if let Some(chain) = x5c {
        jws["header"]["x5c"] = chain.into();
    }
    SignatureInput::new(serde_json::to_vec(&jws).unwrap(), "application/jose+json")
}

/// A payload of about `total` bytes with `count` annotations.
fn payload_with_annotations(count: usize, total: usize) -> Vec<u8> {
    let value_len = (total / count).saturating_sub(16).max(1);
    let annotations: serde_json::Map<String, serde_json::Value> =
        (0..count).map(|i| (format!("k{i:06}"), "v".repeat(value_len).into())).collect();
    let t = target();
    serde_json::to_vec(&serde_json::json!({"targetArtifact": {
        "mediaType": t.media_type, "digest": t.digest, "size": t.size, "annotations": annotations,
    }}))
    .unwrap()
}

fn rejected_peak(v: &Verifier, input: &SignatureInput) -> usize {
    let (peak, outcome) = peak_of(|| v.verify(&reference(), &target_descriptor(), input, &options()).unwrap());
    assert!(!outcome.verified);
    assert_eq!(outcome.signatures[0].failure, Some(FailureKind::Check(CheckType::Integrity)));
    peak
}

#[test]
fn ten_times_the_annotation_limit_does_not_raise_the_peak() {
    let v = strict();
    const BYTES: usize = 600 * 1024; // under MAX_PAYLOAD_BYTES
    let just_over = forged_jws(Some(&payload_with_annotations(MAX_ANNOTATIONS + 1, BYTES)), None);
    let ten_times = forged_jws(Some(&payload_with_annotations(10 * MAX_ANNOTATIONS, BYTES)), None);
    let len = |i: &SignatureInput| i.envelope.len() as f64;
    assert!((len(&ten_times) / len(&just_over) - 1.0).abs() < 0.05);
    let (a, b) = (rejected_peak(&v, &just_over), rejected_peak(&v, &ten_times));
    println!(
        "annotations: {} (limit+1) -> peak {a}; {} (10x) -> peak {b}; envelope {} bytes",
        MAX_ANNOTATIONS + 1,
        10 * MAX_ANNOTATIONS,
        just_over.envelope.len()
    );
    // JSON parsing stops at MAX_JSON_CONTAINER_ITEMS members, so 10x the entries in the same
    // bytes is rejected before it is built.
    assert!(b as f64 <= a as f64 * 1.05, "peak grows with the annotation count: {a} -> {b}");
    assert!(b < 4 * ten_times.envelope.len(), "{b}");
}

#[test]
fn ten_times_the_chain_limit_does_not_raise_the_peak() {
    let v = strict();
    const BYTES: usize = 320 * 1024;
    let chain = |count: usize| -> Vec<String> {
        let each = BYTES / count;
        (0..count).map(|i| base64::engine::general_purpose::STANDARD.encode(vec![(i % 251) as u8; each])).collect()
    };
    let just_over = forged_jws(None, Some(chain(MAX_CHAIN_CERTIFICATES + 1)));
    let ten_times = forged_jws(None, Some(chain(10 * MAX_CHAIN_CERTIFICATES)));
    let (a, b) = (rejected_peak(&v, &just_over), rejected_peak(&v, &ten_times));
    println!(
        "x5c: {} (limit+1) -> peak {a}; {} (10x) -> peak {b}; envelope {} bytes",
        MAX_CHAIN_CERTIFICATES + 1,
        10 * MAX_CHAIN_CERTIFICATES,
        just_over.envelope.len()
    );
    assert!(b as f64 <= a as f64 * 1.25, "peak grows with the chain length: {a} -> {b}");
    assert!(b < 8 * ten_times.envelope.len(), "{b}");
}
