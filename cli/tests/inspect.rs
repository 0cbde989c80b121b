//! `notaverify inspect`: every signature of an artifact with what it claims, no policy or trust
//! store. Expected signers come from the fixture trust store's roots, not from the envelopes.

mod common;

use common::{digest, run};
use notaverify::x509::parse_certificates;
use serde_json::Value;

fn root_fingerprint(store: &str) -> String {
    let pem = std::fs::read(common::dir().join(format!("config/truststore/x509/ca/{store}/root.pem"))).unwrap();
    parse_certificates(&pem).unwrap()[0].sha256_fingerprint()
}

fn json(args: &[&str]) -> (i32, Value) {
    let run = run(args);
    (run.status, serde_json::from_str(&run.stdout).unwrap_or_else(|e| panic!("{e}: {}", run.stdout)))
}

#[test]
fn a_multi_signed_layout_lists_every_signer() {
    let (status, document) = json(&["inspect", "--oci-layout", "layouts/app:dual", "-o", "json"]);
    assert_eq!(status, 0);
    assert_eq!(document["reference"], format!("layouts/app@{}", digest("app/dual")));
    assert_eq!(document["error"], Value::Null);
    let signatures = document["signatures"].as_array().unwrap();
    assert_eq!(signatures.len(), 2);
    // The old key (acme-2024) signed first, the new one (acme-2025) second.
    for (signature, store) in signatures.iter().zip(["acme-2024", "acme-2025"]) {
        let chain = signature["certificateChain"].as_array().unwrap();
        assert_eq!(chain.last().unwrap()["sha256Fingerprint"], root_fingerprint(store));
        assert_eq!(signature["signer"], chain[0]);
        assert_eq!(signature["signingScheme"], "notary.x509");
        assert_eq!(signature["target"]["digest"], digest("app/dual"));
        assert!(signature["digest"].as_str().unwrap().starts_with("sha256:"));
        assert_eq!(signature["error"], Value::Null);
    }
    let text = run(&["inspect", "--oci-layout", &format!("layouts/app@{}", digest("app/dual"))]);
    assert_eq!(text.status, 0);
    for signature in signatures {
        let subject = signature["signer"]["subject"].as_str().unwrap();
        assert!(text.stdout.contains(&format!("signer:          {subject}")), "{}", text.stdout);
    }
    assert!(text.stdout.contains("signature 2 of 2"));
}

#[test]
fn an_unsigned_artifact_has_no_signatures_and_a_tampered_one_is_still_listed() {
    let (status, document) = json(&["inspect", "--oci-layout", "layouts/legacy:legacy-a", "-o", "json"]);
    assert_eq!((status, document["signatures"].as_array().unwrap().len()), (0, 0));
    assert_eq!(
        run(&["inspect", "--oci-layout", "layouts/legacy:legacy-a"]).stdout.lines().nth(1),
        Some("no signatures")
    );
    // Inspection is not verification: a signature whose value was changed is read as any other.
    let (status, document) = json(&["inspect", "--oci-layout", "layouts/app:tampered", "-o", "json"]);
    assert_eq!(status, 0);
    assert!(document["signatures"][0]["signer"].is_object(), "{document}");
}

#[test]
fn envelope_files_are_listed_and_an_unreadable_one_names_why() {
    let dir = std::env::temp_dir().join(format!("notaverify-inspect-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let garbage = dir.join("garbage.jws");
    std::fs::write(&garbage, b"{\"protected\":").unwrap();
    let good = common::dir().join("../signatures/good.cose");
    let (status, document) = json(&[
        "inspect",
        "--signature",
        good.to_str().unwrap(),
        "--signature",
        garbage.to_str().unwrap(),
        "registry.example/app@sha256:00",
        "-o",
        "json",
    ]);
    std::fs::remove_dir_all(&dir).unwrap();
    assert_eq!(status, 0);
    assert_eq!(document["reference"], "registry.example/app@sha256:00");
    let signatures = document["signatures"].as_array().unwrap();
    assert_eq!(signatures[0]["mediaType"], "application/cose");
    assert!(signatures[0]["signer"].is_object());
    assert!(signatures[1]["error"].is_string() && signatures[1]["signer"].is_null(), "{document}");
}

#[test]
fn what_cannot_be_read_exits_2_with_a_typed_error() {
    let (status, document) = json(&["inspect", "--oci-layout", "no-such-layout:v1", "-o", "json"]);
    assert_eq!((status, document["error"]["code"].as_str()), (2, Some("LOAD")));
    let (status, document) = json(&["inspect", "--signature", "no-such.jws", "-o", "json"]);
    assert_eq!((status, document["error"]["code"].as_str()), (2, Some("LOAD")));
    assert_eq!(run(&["inspect"]).status, 2, "one of --oci-layout and --signature is required");
    let text = run(&["inspect", "--oci-layout", "no-such-layout:v1"]);
    assert!(text.stderr.starts_with("Error: "), "{}", text.stderr);
}
