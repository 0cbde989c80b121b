//! `--crl` and `--ocsp-response`: caller-supplied revocation evidence for the signing chain,
//! over the generated revocation fixtures of core/tests/revocation (certificates that name
//! OCSP/CRL locations).

use serde_json::Value;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::atomic::{AtomicUsize, Ordering};

fn revocation_fixture(rel: &str) -> String {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../core/tests/revocation").join(rel).display().to_string()
}

/// A notation config dir trusting the revocation fixtures' root at level `strict`.
fn config_dir() -> PathBuf {
    static NEXT: AtomicUsize = AtomicUsize::new(0);
    let n = NEXT.fetch_add(1, Ordering::Relaxed);
    let dir = std::env::temp_dir().join(format!("notaverify-revocation-{}-{n}", std::process::id()));
    let store = dir.join("truststore/x509/ca/revocation");
    std::fs::create_dir_all(&store).unwrap();
    std::fs::copy(revocation_fixture("pki/root.pem"), store.join("root.pem")).unwrap();
    std::fs::write(
        dir.join("trustpolicy.json"),
        r#"{"version":"1.0","trustPolicies":[{"name":"all","registryScopes":["*"],
            "signatureVerification":{"level":"strict"},"trustStores":["ca:revocation"],"trustedIdentities":["*"]}]}"#,
    )
    .unwrap();
    dir
}

fn reference() -> String {
    let manifest = Path::new(env!("CARGO_MANIFEST_DIR")).join("../core/tests/fixtures/target/manifest.json");
    format!("registry.example/app@{}", notaverify::digest_of("sha256", &std::fs::read(manifest).unwrap()).unwrap())
}

fn verify(envelope: &str, evidence: &[&str]) -> (i32, Value) {
    let config = config_dir();
    let signature = revocation_fixture(&format!("envelopes/{envelope}.jws"));
    let mut args = vec!["verify", "-o", "json", "--at", "2026-01-01T00:00:00Z"];
    args.extend(["--config-dir", config.to_str().unwrap(), "--signature", &signature]);
    let evidence: Vec<String> = evidence
        .iter()
        .flat_map(|e| match e.strip_suffix(".der") {
            Some(_) => ["--ocsp-response".to_owned(), revocation_fixture(&format!("ocsp/{e}"))],
            None => ["--crl".to_owned(), revocation_fixture(&format!("crl/{e}"))],
        })
        .collect();
    args.extend(evidence.iter().map(String::as_str));
    let reference = reference();
    args.push(&reference);
    let output =
        Command::new(env!("CARGO_BIN_EXE_notaverify")).args(&args).env_remove("NOTATION_CONFIG").output().unwrap();
    let stdout = String::from_utf8_lossy(&output.stdout);
    let json = serde_json::from_str(&stdout)
        .unwrap_or_else(|e| panic!("{e}: {stdout} {}", String::from_utf8_lossy(&output.stderr)));
    (output.status.code().unwrap(), json)
}

fn revocation_error(json: &Value) -> String {
    let checks = json["signatures"][0]["checks"].as_array().unwrap();
    let revocation = checks.iter().find(|c| c["type"] == "revocation").expect("a revocation result");
    revocation["error"].as_str().unwrap_or_default().to_owned()
}

#[test]
fn without_evidence_the_status_is_unknown_and_strict_fails() {
    let (status, json) = verify("leaf-crl", &[]);
    assert_eq!(status, 1);
    assert!(revocation_error(&json).contains("revocation status is unknown"), "{json}");
}

#[test]
fn good_crls_for_every_certificate_pass() {
    let (status, json) = verify("leaf-crl", &["root-good.crl", "inter-good.crl"]);
    assert_eq!(status, 0, "{json}");
    assert_eq!(revocation_error(&json), "");
}

#[test]
fn a_crl_that_revokes_the_leaf_fails() {
    let (status, json) = verify("leaf-crl", &["root-good.crl", "inter-revokes-leaves.crl"]);
    assert_eq!(status, 1);
    assert!(revocation_error(&json).contains("is revoked"), "{json}");
}

#[test]
fn an_ocsp_response_covers_the_leaf() {
    assert_eq!(verify("leaf-ocsp", &["root-good.crl", "leaf-ocsp-good.der"]).0, 0);
    let (status, json) = verify("leaf-ocsp", &["root-good.crl", "leaf-ocsp-revoked.der"]);
    assert_eq!(status, 1);
    assert!(revocation_error(&json).contains("is revoked"), "{json}");
}

#[test]
fn evidence_that_is_not_a_crl_is_bad_input() {
    let (status, json) = verify("leaf-crl", &["../pki/root.pem"]);
    assert_eq!(status, 2, "{json}");
    assert!(json["error"]["message"].as_str().unwrap().contains("root.pem"), "{json}");
}
