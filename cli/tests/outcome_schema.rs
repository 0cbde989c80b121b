//! The outcome contract: for each kind of outcome (verified, failed, several signatures, a logged
//! failure, a skipped verification, a blob, nothing evaluated, a usage error, rollout members),
//! the CLI's `-o json` document validates against docs/schema/outcome.schema.json, and where
//! the core can be given the same input, the document is exactly `ArtifactOutcome::to_json`,
//! the serializer the Python, Node and C bindings print. The bindings' own tests compare their
//! outcomes with this binary on the same fixtures.

use notaverify::loader;
use notaverify::{ArtifactOutcome, BlobOptions, Error, Target, Verifier, VerifyOptions};
use serde_json::{Value, json};
use std::path::{Path, PathBuf};
use std::process::Command;

/// core/tests/fixtures: envelopes, and a complete notation configuration directory.
fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../core/tests/fixtures")
}

fn reference() -> String {
    let manifest = std::fs::read(fixtures().join("target/manifest.json")).unwrap();
    format!("registry.example/app@{}", notaverify::digest_of("sha256", &manifest).unwrap())
}

fn envelope(name: &str) -> PathBuf {
    fixtures().join("envelopes").join(name)
}

fn validator() -> jsonschema::Validator {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../docs/schema/outcome.schema.json");
    let schema: Value = serde_json::from_slice(&std::fs::read(&path).unwrap()).unwrap();
    jsonschema::draft202012::new(&schema).unwrap()
}

/// A scratch directory for policy files, removed when dropped.
struct Scratch(PathBuf);

impl Scratch {
    fn new(name: &str) -> Self {
        let dir = std::env::temp_dir().join(format!("notaverify-outcome-schema-{name}-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        Self(dir)
    }

    fn write(&self, name: &str, content: &[u8]) -> PathBuf {
        let path = self.0.join(name);
        std::fs::write(&path, content).unwrap();
        path
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// A one-statement OCI trust policy over the fixture stores, for every repository.
fn policy(verification: Value) -> Vec<u8> {
    let skip = verification["level"] == "skip";
    let mut statement = json!({"name": "contract", "registryScopes": ["*"], "signatureVerification": verification});
    if !skip {
        statement["trustStores"] = json!(["ca:test-roots", "signingAuthority:test-sa"]);
        statement["trustedIdentities"] = json!(["*"]);
    }
    serde_json::to_vec(&json!({"version": "1.0", "trustPolicies": [statement]})).unwrap()
}

/// Runs the binary; returns its exit status and the JSON document on stdout.
fn cli(args: &[&str]) -> (i32, Value) {
    let output = Command::new(env!("CARGO_BIN_EXE_notaverify"))
        .args(args)
        .env_remove("NOTATION_CONFIG")
        .output()
        .expect("the binary runs");
    let stdout = String::from_utf8_lossy(&output.stdout);
    let document = serde_json::from_str(&stdout).unwrap_or_else(|e| panic!("{e}: {stdout:?}"));
    (output.status.code().expect("exited normally"), document)
}

/// `notaverify verify -o json` of envelope files, with `--trust-policy` when given.
fn cli_verify(reference: &str, policy: Option<&Path>, envelopes: &[&str]) -> (i32, Value) {
    let config = fixtures();
    let mut args = vec!["verify", "-o", "json", "--config-dir", config.to_str().unwrap()];
    if let Some(p) = policy {
        args.extend(["--trust-policy", p.to_str().unwrap()]);
    }
    let paths: Vec<String> = envelopes.iter().map(|e| envelope(e).display().to_string()).collect();
    for path in &paths {
        args.extend(["--signature", path]);
    }
    args.push(reference);
    cli(&args)
}

/// The core, given what `cli_verify` gives the binary.
fn core_verify(reference: &str, policy: Option<&Path>, envelopes: &[&str]) -> Result<ArtifactOutcome, Error> {
    let verifier = match policy {
        None => loader::load_verifier(&fixtures())?,
        Some(p) => {
            Verifier::new(loader::load_all_trust_stores(&fixtures())?).with_oci_policy(loader::read_trust_policy(p)?)
        }
    };
    let signatures =
        envelopes.iter().map(|e| loader::read_signature_file(&envelope(e))).collect::<Result<Vec<_>, _>>()?;
    let digest = reference.rsplit_once('@').map(|(_, d)| d.to_owned()).unwrap_or_default();
    verifier.verify_artifact(reference, &Target::Digest(digest), &signatures, &VerifyOptions::default())
}

fn assert_valid(schema: &jsonschema::Validator, what: &str, document: &Value) {
    let errors: Vec<String> = schema.iter_errors(document).map(|e| format!("{e} at {}", e.instance_path())).collect();
    assert!(errors.is_empty(), "{what}: {errors:?}\n{document:#}");
}

/// Validates the CLI's document and compares it with the core's for the same input.
fn assert_contract(what: &str, reference: &str, policy: Option<&Path>, envelopes: &[&str]) -> Value {
    let (_, document) = cli_verify(reference, policy, envelopes);
    assert_valid(&validator(), what, &document);
    let core = core_verify(reference, policy, envelopes).unwrap();
    let core: Value = serde_json::from_str(&core.to_json()).unwrap();
    assert_eq!(document, core, "{what}: the CLI's document differs from ArtifactOutcome::to_json");
    document
}

#[test]
fn verified_and_failed_signatures() {
    let reference = reference();
    let verified = assert_contract("verified", &reference, None, &["p256.jws"]);
    assert_eq!(verified["verified"], true);
    assert!(verified["signatures"][0]["signer"]["sha256Fingerprint"].is_string());
    let failed = assert_contract("failed", &reference, None, &["untrusted.jws"]);
    assert_eq!((&failed["verified"], &failed["error"]["code"]), (&json!(false), &json!("VERIFICATION_FAILED")));
    assert_eq!(failed["signatures"][0]["failure"], "authenticity");
    let both = assert_contract("two signatures", &reference, None, &["untrusted.jws", "p256.cose"]);
    let verdicts: Vec<&Value> = both["signatures"].as_array().unwrap().iter().map(|s| &s["verified"]).collect();
    assert_eq!(verdicts, [&json!(false), &json!(true)]);
}

#[test]
fn logged_failures_and_skipped_verification() {
    let scratch = Scratch::new("policies");
    let reference = reference();
    // An overridden level (`custom`): not in the document, which carries the level only.
    let logging = scratch.write("log-expiry.json", &policy(json!({"level": "strict", "override": {"expiry": "log"}})));
    let logged = assert_contract("logged failure", &reference, Some(&logging), &["expired.jws"]);
    assert_eq!(logged["verified"], true);
    assert_eq!(logged["policy"], json!({"name": "contract", "level": "strict"}));
    let expiry = logged["signatures"][0]["checks"].as_array().unwrap().iter().find(|c| c["type"] == "expiry").unwrap();
    assert_eq!((&expiry["action"], &expiry["passed"]), (&json!("log"), &json!(false)));

    let skip = scratch.write("skip.json", &policy(json!({"level": "skip"})));
    let skipped = assert_contract("skipped", &reference, Some(&skip), &["p256.jws"]);
    assert_eq!((&skipped["verified"], &skipped["policy"]["level"]), (&json!(true), &json!("skip")));
    assert_eq!(skipped["signatures"], json!([]));
}

#[test]
fn blob_outcome() {
    let scratch = Scratch::new("blob");
    let signature = scratch.write("example.txt.jws.sig", &std::fs::read(envelope("blob.jws")).unwrap());
    let blob = fixtures().join("blob/example.txt");
    let config = fixtures();
    let (status, document) = cli(&[
        "blob",
        "verify",
        "-o",
        "json",
        "--config-dir",
        config.to_str().unwrap(),
        "--signature",
        signature.to_str().unwrap(),
        blob.to_str().unwrap(),
    ]);
    assert_eq!(status, 0, "{document}");
    assert_valid(&validator(), "blob", &document);
    let verifier = loader::load_verifier(&config).unwrap();
    let core = verifier
        .verify_blob(
            &blob.display().to_string(),
            &std::fs::read(&blob).unwrap(),
            &loader::read_blob_signature_file(&signature).unwrap(),
            &BlobOptions::default(),
        )
        .unwrap();
    assert_eq!(document, serde_json::from_str::<Value>(&core.to_json()).unwrap());
}

#[test]
fn nothing_evaluated_carries_the_core_error_code() {
    let schema = validator();
    // No digest in the reference: the core refuses the request with the code the bindings raise.
    let tag = "registry.example/app:v1";
    let (status, document) = cli_verify(tag, None, &["p256.jws"]);
    assert_eq!(status, 2);
    assert_valid(&schema, "invalid input", &document);
    let code = core_verify(tag, None, &["p256.jws"]).unwrap_err().code();
    assert_eq!((code, &document["error"]["code"]), ("INVALID_INPUT", &json!(code)));
    assert_eq!((&document["policy"], &document["signatures"]), (&Value::Null, &json!([])));

    let missing = fixtures().join("no-such-dir");
    let (status, document) = cli(&[
        "verify",
        "-o",
        "json",
        "--config-dir",
        missing.to_str().unwrap(),
        "--signature",
        envelope("p256.jws").to_str().unwrap(),
        &reference(),
    ]);
    assert_eq!(status, 2);
    assert_valid(&schema, "load", &document);
    assert_eq!(document["error"]["code"], json!(loader::load_verifier(&missing).unwrap_err().code()));

    let (status, document) = cli(&["verify", "-o", "json", "--no-such-flag"]);
    assert_eq!(status, 2);
    assert_valid(&schema, "usage", &document);
    assert_eq!(document["error"]["code"], "USAGE");
}

#[test]
fn rollout_members_are_optional_members_of_the_schema() {
    let schema = validator();
    let config = fixtures();
    let untrusted = envelope("untrusted.jws");
    let reference = reference();
    let args = [
        "verify",
        "-o",
        "json",
        "--warn-only",
        "--config-dir",
        config.to_str().unwrap(),
        "--signature",
        untrusted.to_str().unwrap(),
    ];
    let (status, document) = cli(&[&args[..], &[reference.as_str()]].concat());
    assert_eq!(status, 0, "--warn-only exits 0: {document}");
    assert_valid(&schema, "--warn-only", &document);
    assert_eq!(document["warnOnly"], true);
    assert!(document["wouldFail"].is_array() && document["class"].is_string(), "{document}");
    let (_, nothing) = cli(&[&args[..], &["registry.example/app:v1"]].concat());
    assert_valid(&schema, "--warn-only, nothing evaluated", &nothing);
    assert_eq!((&nothing["evaluated"], &nothing["wouldFail"]), (&json!(false), &Value::Null));

    // The schema is closed: a member it does not describe is refused, so it cannot drift from
    // the renderer unnoticed.
    let mut extra = document.clone();
    extra["signatures"][0]["revokedChain"] = json!(true);
    assert!(!schema.is_valid(&extra));
    let mut custom = document;
    custom["policy"]["custom"] = json!(false);
    assert!(!schema.is_valid(&custom));
}
