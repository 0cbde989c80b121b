//! Shared by the `verify`, `scale` and `batch` benches: fixtures, a verifier over the core
//! fixture trust store, the public-key floor (bare aws-lc-rs verifications of the same keys and
//! chains) and the ratio table printed at the end of a run from criterion's own estimates.
#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::time::Duration;

use aws_lc_rs::signature::{self as sig, ParsedPublicKey, UnparsedPublicKey, VerificationAlgorithm};
use criterion::Criterion;
use notaverify::{
    Certificate, Descriptor, Envelope, SignatureInput, StoreType, Target, Time, TrustPolicyDocument, TrustStore,
    Verifier, VerifyOptions, digest_of,
};

pub(crate) const KEY_TYPES: [&str; 6] = ["rsa2048", "rsa3072", "rsa4096", "p256", "p384", "p521"];
pub(crate) const FORMATS: [(&str, &str); 2] = [("jws", "application/jose+json"), ("cose", "application/cose")];

pub(crate) fn core_fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../core/tests/fixtures")
}

pub(crate) fn read(path: &Path) -> Vec<u8> {
    std::fs::read(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// One envelope fixture: `chain` is 3 (core/tests/fixtures/envelopes/<kt>.<ext>) or 2
/// (benches/fixtures/envelopes/<kt>-chain2.<ext>, see benches/fixtures/generate.py).
pub(crate) struct Fixture {
    pub id: String,
    pub key_type: &'static str,
    pub format: &'static str,
    pub chain: usize,
    pub input: SignatureInput,
}

pub(crate) fn fixture(kt: &'static str, (format, media_type): (&'static str, &'static str), chain: usize) -> Fixture {
    let path = match chain {
        3 => core_fixtures().join(format!("envelopes/{kt}.{format}")),
        2 => Path::new(env!("CARGO_MANIFEST_DIR")).join(format!("fixtures/envelopes/{kt}-chain2.{format}")),
        _ => panic!("chains of 2 or 3"),
    };
    Fixture {
        id: format!("{format}-{kt}-chain{chain}"),
        key_type: kt,
        format,
        chain,
        input: SignatureInput::new(read(&path), media_type),
    }
}

/// `benches/fixtures/envelopes/<kt>-renewed.<ext>`: the three-certificate fixture `base` with
/// another leaf certificate for the same key under the same intermediate (a renewal; see
/// benches/fixtures/generate.py). Its id is `base`'s.
pub(crate) fn renewed_fixture(base: &Fixture) -> Fixture {
    assert_eq!(base.chain, 3, "{}: renewals are of three-certificate fixtures", base.id);
    let (kt, format) = (base.key_type, base.format);
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join(format!("fixtures/envelopes/{kt}-renewed.{format}"));
    Fixture { input: SignatureInput::new(read(&path), base.input.media_type.clone()), id: base.id.clone(), ..*base }
}

pub(crate) fn all_fixtures(chains: &[usize]) -> Vec<Fixture> {
    let mut v = Vec::new();
    for &chain in chains {
        for kt in KEY_TYPES {
            for f in FORMATS {
                v.push(fixture(kt, f, chain));
            }
        }
    }
    v
}

/// The core fixture trust store (`truststore/x509/<type>/<name>/*.pem`).
pub(crate) fn trust_store() -> TrustStore {
    let mut store = TrustStore::new();
    for t in StoreType::ALL {
        let Ok(names) = std::fs::read_dir(core_fixtures().join("truststore/x509").join(t.as_str())) else { continue };
        for name in names {
            let name = name.unwrap().path();
            for file in std::fs::read_dir(&name).unwrap() {
                store.add(t, name.file_name().unwrap().to_str().unwrap(), &read(&file.unwrap().path())).unwrap();
            }
        }
    }
    store
}

pub(crate) fn policy() -> TrustPolicyDocument {
    TrustPolicyDocument::from_json(&read(&core_fixtures().join("trustpolicy.json"))).unwrap()
}

/// A verifier with its default caches.
pub(crate) fn verifier() -> Verifier {
    Verifier::new(trust_store()).with_oci_policy(policy())
}

/// A verifier that remembers nothing between verifications (chain and link caches off).
pub(crate) fn cold_verifier() -> Verifier {
    verifier().with_chain_cache(0).with_link_cache(0)
}

/// The request every bench verifies: the fixtures' reference and target at [`options`]'s time.
pub(crate) struct Request {
    pub reference: String,
    pub target: Target,
    pub options: VerifyOptions,
}

impl Request {
    pub(crate) fn new() -> Self {
        Self { reference: reference(), target: target(), options: options() }
    }

    /// Verifies `input` with `v`, which must pass.
    pub(crate) fn verify(&self, v: &Verifier, input: &SignatureInput) {
        let outcome = v.verify(&self.reference, &self.target, std::hint::black_box(input), &self.options);
        assert!(outcome.unwrap().verified);
    }
}

/// One verification of `renewed` by `known_ca` right after its caches were emptied and
/// `known` (same intermediate and root, another leaf) was verified: the CA's links are cached,
/// the new leaf's link and chain are not. Returns the time of the `renewed` verification alone.
pub(crate) fn new_leaf_under_known_ca(
    known_ca: &Verifier,
    known: &Fixture,
    renewed: &Fixture,
    request: &Request,
) -> Duration {
    known_ca.clear_chain_cache();
    request.verify(known_ca, &known.input);
    let start = std::time::Instant::now();
    request.verify(known_ca, &renewed.input);
    start.elapsed()
}

pub(crate) fn target() -> Target {
    let bytes = read(&core_fixtures().join("target/manifest.json"));
    Target::Descriptor(Descriptor {
        media_type: "application/vnd.oci.image.manifest.v1+json".into(),
        digest: digest_of("sha256", &bytes).unwrap(),
        size: bytes.len() as i64,
        annotations: Default::default(),
    })
}

pub(crate) fn reference() -> String {
    format!("registry.example/app@{}", target().digest())
}

/// A fixed time inside every fixture's validity (no clock read in the measured loop).
pub(crate) fn options() -> VerifyOptions {
    VerifyOptions::at(Time::parse_rfc3339("2030-01-01T00:00:00Z").unwrap())
}

/// One bare public-key verification, inputs prepared.
pub(crate) struct PkOp {
    alg: &'static dyn VerificationAlgorithm,
    key: Vec<u8>,
    message: Vec<u8>,
    signature: Vec<u8>,
}

impl PkOp {
    /// Parses the key and verifies, as a one-shot verifier does (the floor of every ratio).
    pub(crate) fn verify(&self) {
        UnparsedPublicKey::new(self.alg, &self.key)
            .verify(&self.message, &self.signature)
            .expect("floor op must verify");
    }
}

/// The same operation with the key parsed once beforehand: the strictest floor of a warm
/// verification, whose cached leaf key is parsed only once too.
pub(crate) struct PreparedPkOp {
    key: ParsedPublicKey,
    message: Vec<u8>,
    signature: Vec<u8>,
}

impl PreparedPkOp {
    pub(crate) fn new(op: &PkOp) -> Self {
        Self {
            key: ParsedPublicKey::new(op.alg, &op.key).expect("floor key must parse"),
            message: op.message.clone(),
            signature: op.signature.clone(),
        }
    }

    pub(crate) fn verify(&self) {
        self.key.verify_sig(&self.message, &self.signature).expect("floor op must verify");
    }
}

fn envelope_alg(kt: &str) -> &'static dyn VerificationAlgorithm {
    match kt {
        "rsa2048" => &sig::RSA_PSS_2048_8192_SHA256,
        "rsa3072" => &sig::RSA_PSS_2048_8192_SHA384,
        "rsa4096" => &sig::RSA_PSS_2048_8192_SHA512,
        "p256" => &sig::ECDSA_P256_SHA256_FIXED,
        "p384" => &sig::ECDSA_P384_SHA384_FIXED,
        "p521" => &sig::ECDSA_P521_SHA512_FIXED,
        _ => unreachable!(),
    }
}

/// The certificate signature algorithm of the fixture chains of key type `issuer_kt`
/// (core/tests/fixtures/generate.py: SHA-256 with RSA, ECDSA with the curve's hash); a chain
/// signed otherwise fails the floor's "must verify".
fn certificate_alg(issuer_kt: &str) -> &'static dyn VerificationAlgorithm {
    match issuer_kt {
        "rsa2048" | "rsa3072" | "rsa4096" => &sig::RSA_PKCS1_2048_8192_SHA256,
        "p256" => &sig::ECDSA_P256_SHA256_ASN1,
        "p384" => &sig::ECDSA_P384_SHA384_ASN1,
        "p521" => &sig::ECDSA_P521_SHA512_ASN1,
        other => panic!("no floor algorithm for {other:?}"),
    }
}

/// The public-key operations a verification of `f` cannot avoid: the envelope signature, each
/// certificate's signature by the next one, and the root's self-signature.
pub(crate) fn pk_ops(f: &Fixture, envelope_only: bool) -> Vec<PkOp> {
    let envelope = Envelope::parse(&f.input.media_type, &f.input.envelope).unwrap();
    let certs: Vec<Certificate> =
        envelope.unsigned.certificate_chain.iter().map(|d| Certificate::from_der(d).unwrap()).collect();
    let key_of = |c: &Certificate| c.subject_public_key().to_vec();
    let mut ops = vec![PkOp {
        alg: envelope_alg(f.key_type),
        key: key_of(&certs[0]),
        message: envelope.signing_input().to_vec(),
        signature: envelope.signature.clone(),
    }];
    if envelope_only {
        return ops;
    }
    for (i, cert) in certs.iter().enumerate() {
        let issuer = certs.get(i + 1).unwrap_or(cert);
        ops.push(PkOp {
            alg: certificate_alg(f.key_type),
            key: key_of(issuer),
            message: cert.tbs_certificate().to_vec(),
            signature: cert.signature_value().to_vec(),
        });
    }
    ops
}

/// The floor of a new leaf under a known CA: the envelope signature and the leaf's one link
/// (the first two of [`pk_ops`]).
pub(crate) fn pk_ops_new_leaf(renewed: &Fixture) -> Vec<PkOp> {
    let mut ops = pk_ops(renewed, false);
    ops.truncate(2);
    ops
}

/// Short, stable criterion settings: the benches are many and the machine is shared; ratios are
/// what matter and are computed from one run.
pub(crate) fn criterion() -> Criterion {
    Criterion::default()
        .output_directory(&output_dir())
        .warm_up_time(Duration::from_millis(400))
        .measurement_time(Duration::from_millis(1500))
        .sample_size(20)
        .configure_from_args()
}

/// `target/criterion/<backend>/`: the two backends' runs do not overwrite each other.
pub(crate) fn output_dir() -> PathBuf {
    let target = std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("../target"));
    target.join("criterion").join(notaverify::backend_name().replace('+', "-"))
}

/// The mean time (ns) criterion measured for `group`/`id` in this run (None under `--test`, or
/// when the bench was filtered out).
pub(crate) fn mean_ns(group: &str, id: &str) -> Option<f64> {
    let safe = |s: &str| s.replace(['?', '"', '/', '\\', '*', '<', '>', ':', '|', '^'], "_");
    let path = output_dir().join(safe(group)).join(safe(id)).join("new/estimates.json");
    let json: serde_json::Value = serde_json::from_slice(&std::fs::read(path).ok()?).ok()?;
    json["mean"]["point_estimate"].as_f64()
}

/// A row of the ratio table: `measured` over `limit`, and the target it must meet.
pub(crate) struct Ratio {
    pub what: String,
    pub measured: (String, String),
    pub limit: (String, String),
    pub target: f64,
    /// true: the ratio must be <= target; false: >= target.
    pub at_most: bool,
}

fn fmt_ns(ns: f64) -> String {
    if ns >= 1e6 {
        format!("{:.2} ms", ns / 1e6)
    } else if ns >= 1e3 {
        format!("{:.1} µs", ns / 1e3)
    } else {
        format!("{ns:.0} ns")
    }
}

/// Prints the markdown table of `rows` (skipped when criterion wrote no estimates, e.g. `--test`).
pub(crate) fn print_ratios(title: &str, rows: &[Ratio]) {
    let mut lines = Vec::new();
    let mut met = 0;
    for r in rows {
        let (Some(m), Some(l)) = (mean_ns(&r.measured.0, &r.measured.1), mean_ns(&r.limit.0, &r.limit.1)) else {
            continue;
        };
        let ratio = m / l;
        let ok = if r.at_most { ratio <= r.target } else { ratio >= r.target };
        met += usize::from(ok);
        let cmp = if r.at_most { "≤" } else { "≥" };
        lines.push(format!(
            "| {} | {} | {} | {:.3} | {cmp} {:.2} | {} |",
            r.what,
            fmt_ns(m),
            fmt_ns(l),
            ratio,
            r.target,
            if ok { "yes" } else { "**no**" }
        ));
    }
    if lines.is_empty() {
        return;
    }
    println!("\n### {title} — backend {}\n", notaverify::backend_name());
    println!("| bench | measured | limit | ratio | target | met |");
    println!("|---|---|---|---|---|---|");
    for l in &lines {
        println!("{l}");
    }
    println!("\n{met}/{} targets met\n", lines.len());
}

/// A noise-robust ratio for a shared machine: `rounds` alternating timings of `measured` and
/// `limit` (each `batch` calls), and the ratio of their minimums (the runs least disturbed by
/// other processes).
pub(crate) fn paired_min_ratio(
    rounds: usize,
    batch: usize,
    mut measured: impl FnMut(),
    limit: impl FnMut(),
) -> (f64, f64) {
    let timed = move || {
        let start = std::time::Instant::now();
        measured();
        start.elapsed()
    };
    paired_min_ratio_timed(rounds, batch, timed, limit)
}

/// [`paired_min_ratio`] where `measured` times itself (the part of each call that counts).
pub(crate) fn paired_min_ratio_timed(
    rounds: usize,
    batch: usize,
    mut measured: impl FnMut() -> Duration,
    mut limit: impl FnMut(),
) -> (f64, f64) {
    let per_call = |total: Duration| total.as_nanos() as f64 / batch as f64;
    let (mut m, mut l) = (f64::MAX, f64::MAX);
    for _ in 0..rounds {
        m = m.min(per_call((0..batch).map(|_| measured()).sum()));
        let start = std::time::Instant::now();
        for _ in 0..batch {
            limit();
        }
        l = l.min(per_call(start.elapsed()));
    }
    (m, l)
}

/// Prints rows of (what, measured ns, limit ns, target, at_most) from [`paired_min_ratio`].
pub(crate) fn print_paired(title: &str, rows: &[(String, f64, f64, f64, bool)]) {
    println!("\n### {title} — backend {} (paired, min of alternating rounds)\n", notaverify::backend_name());
    println!("| bench | measured | limit | ratio | target | met |");
    println!("|---|---|---|---|---|---|");
    let mut met = 0;
    for (what, m, l, target, at_most) in rows {
        let ratio = m / l;
        let ok = if *at_most { ratio <= *target } else { ratio >= *target };
        met += usize::from(ok);
        let cmp = if *at_most { "≤" } else { "≥" };
        println!(
            "| {what} | {} | {} | {ratio:.3} | {cmp} {target:.2} | {} |",
            fmt_ns(*m),
            fmt_ns(*l),
            if ok { "yes" } else { "**no**" }
        );
    }
    println!("\n{met}/{} targets met\n", rows.len());
}
