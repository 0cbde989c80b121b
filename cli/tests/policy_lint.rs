//! `notaverify policy lint` over small configuration directories built in a temporary directory:
//! policies written here, certificates copied from the fixtures of `make_scan_layouts.py`
//! (`tests/fixtures/scan/config`: the `acme-2024` and `acme-2025` roots). One test per finding id
//! (fires when it should, silent when it should not), a clean configuration, unreadable inputs
//! (exit 2), the JSON shape, text escaping and independence from input order.

mod common;

use common::{Run, Scratch, notaverify};
use serde_json::{Value, json};
use std::path::Path;

const AT: &str = "2025-07-01T00:00:00Z";
/// The `acme-2024` root's SHA-256 (its DER), as `retired.json` files write it.
const ACME_2024_FINGERPRINT: &str = "72764323ef93e97f20ebd5698deb60bd5da90d5697f1836d18a1772c824b1874";
const IDENTITY: &str = "x509.subject: C=US, ST=WA, O=Notaverify Test";
const OTHER_IDENTITY: &str = "x509.subject: C=US, ST=WA, O=Notaverify Test, OU=batch";
const OTHER_ORG: &str = "x509.subject: C=US, ST=WA, O=Other Org";

const IDS: [&str; 9] = [
    "missing-store",
    "retired-still-trusted",
    "any-identity",
    "exception-far-deadline",
    "revocation-off",
    "shared-signer",
    "wildcard-scope",
    "exception-expired",
    "unused-store",
];

fn root_pem(name: &str) -> Vec<u8> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/scan/config/truststore/x509/ca").join(name);
    std::fs::read(path.join("root.pem")).expect("fixture root")
}

/// A configuration directory in the temporary directory, removed on drop.
struct Config(Scratch);

impl Config {
    fn new(name: &str) -> Self {
        Self(Scratch::new(&format!("lint-{name}")))
    }

    fn path(&self) -> &str {
        self.0.0.to_str().unwrap()
    }

    /// `truststore/x509/<t>/<name>/root.pem` with the `acme-2024`/`acme-2025` root, or empty.
    fn store(&self, store_type: &str, name: &str, root: Option<&str>) -> &Self {
        let folder = self.0.join("truststore/x509").join(store_type).join(name);
        std::fs::create_dir_all(&folder).unwrap();
        if let Some(root) = root {
            std::fs::write(folder.join("root.pem"), root_pem(root)).unwrap();
        }
        self
    }

    fn write(&self, name: &str, value: &Value) -> String {
        let path = self.0.join(name);
        std::fs::write(&path, serde_json::to_vec_pretty(value).unwrap()).unwrap();
        path.to_str().unwrap().to_owned()
    }

    fn policy(&self, statements: Vec<Value>) -> &Self {
        self.write("trustpolicy.json", &json!({"version": "1.0", "trustPolicies": statements}));
        self
    }

    fn exceptions(&self, entries: Vec<Value>) -> String {
        self.write("exceptions.json", &json!({"version": "1", "exceptions": entries}))
    }

    fn retired(&self, entries: Vec<Value>) -> String {
        self.write("retired.json", &json!({"version": "1", "retired": entries}))
    }
}

/// A statement; `level` may carry overrides (`("strict", &[("revocation", "skip")])`).
fn statement(name: &str, scopes: &[&str], level: &str, stores: &[&str], identities: &[&str]) -> Value {
    let mut value = json!({
        "name": name,
        "registryScopes": scopes,
        "signatureVerification": {"level": level},
    });
    if level != "skip" {
        value["trustStores"] = json!(stores);
        value["trustedIdentities"] = json!(identities);
    }
    value
}

fn with_override(mut statement: Value, check: &str, action: &str) -> Value {
    statement["signatureVerification"]["override"][check] = json!(action);
    statement
}

fn exception(scope: &str, expires: &str) -> Value {
    json!({"scope": scope, "reason": "legacy image", "owner": "team@example.com", "expires": expires})
}

/// The findings of a JSON run.
fn findings(run: &Run) -> Vec<Value> {
    run.json()["findings"].as_array().unwrap_or_else(|| panic!("{}{}", run.stdout, run.stderr)).clone()
}

/// The findings of a JSON run with this id.
fn with_id(run: &Run, id: &str) -> Vec<Value> {
    findings(run).into_iter().filter(|f| f["id"] == id).collect()
}

/// `policy lint --config-dir <config> --at AT -o json <extra>`.
fn lint(config: &Config, extra: &[&str]) -> Run {
    let mut args = vec!["policy", "lint", "--config-dir", config.path(), "--at", AT, "-o", "json"];
    args.extend_from_slice(extra);
    notaverify(&args)
}

/// A configuration with no finding: one strict statement on one repository, a named signer,
/// its store present, a near exception, a retired store no statement names.
fn clean() -> Config {
    let config = Config::new("clean");
    config
        .store("ca", "acme-2025", Some("acme-2025"))
        .store("ca", "acme-2024", Some("acme-2024"))
        .policy(vec![statement("app", &["registry.example/app"], "strict", &["ca:acme-2025"], &[IDENTITY])]);
    config.exceptions(vec![exception("registry.example/legacy", "2025-09-30")]);
    config.retired(vec![json!({"store": "ca:acme-2024", "retired": "2025-06-15"})]);
    config
}

fn clean_args(config: &Config) -> [String; 4] {
    [
        "--exceptions".into(),
        config.0.join("exceptions.json").display().to_string(),
        "--retired".into(),
        config.0.join("retired.json").display().to_string(),
    ]
}

fn strs(args: &[String]) -> Vec<&str> {
    args.iter().map(String::as_str).collect()
}

#[test]
fn a_clean_configuration_exits_0() {
    let config = clean();
    let args = clean_args(&config);
    let json = lint(&config, &strs(&args));
    assert_eq!(json.status, 0, "{}{}", json.stdout, json.stderr);
    assert_eq!(json.json(), json!({"findings": [], "counts": {"error": 0, "warning": 0, "info": 0}, "error": null}));
    let mut text_args = vec!["policy", "lint", "--config-dir", config.path(), "--at", AT];
    text_args.extend(strs(&args));
    let text = notaverify(&text_args);
    assert_eq!((text.status, text.stdout.as_str(), text.stderr.as_str()), (0, "No findings.\n", ""));
}

#[test]
fn wildcard_scope_fires_on_every_enforcing_level_and_not_on_skip() {
    for level in ["strict", "permissive", "audit"] {
        let config = Config::new(&format!("wildcard-{level}"));
        config.store("ca", "acme-2025", Some("acme-2025")).policy(vec![statement(
            "everything",
            &["*"],
            level,
            &["ca:acme-2025"],
            &[IDENTITY],
        )]);
        let run = lint(&config, &[]);
        assert_eq!(run.status, 1, "{level}: {}", run.stdout);
        let found = with_id(&run, "wildcard-scope");
        assert_eq!(found.len(), 1, "{level}: {}", run.stdout);
        assert_eq!(found[0]["statement"], "everything");
        assert_eq!(found[0]["severity"], "warning");
        let message = found[0]["message"].as_str().unwrap();
        assert!(message.contains(&format!("at level {level}")), "{message}");
        if level == "audit" {
            assert!(message.contains("audit enforces only integrity"), "{message}");
        }
    }
    // A catch-all at skip, and named repositories, are not findings.
    let config = Config::new("wildcard-silent");
    config.store("ca", "acme-2025", Some("acme-2025")).policy(vec![
        statement("rest", &["*"], "skip", &[], &[]),
        statement("app", &["registry.example/app", "registry.example/web"], "strict", &["ca:acme-2025"], &[IDENTITY]),
    ]);
    let run = lint(&config, &[]);
    assert_eq!((run.status, findings(&run).len()), (0, 0), "{}", run.stdout);
}

#[test]
fn any_identity_fires_where_authenticity_is_enforced() {
    for (level, fires) in [("strict", true), ("permissive", true), ("audit", false)] {
        let config = Config::new(&format!("any-{level}"));
        config.store("ca", "acme-2025", Some("acme-2025")).policy(vec![statement(
            "app",
            &["registry.example/app"],
            level,
            &["ca:acme-2025"],
            &["*"],
        )]);
        let run = lint(&config, &[]);
        let found = with_id(&run, "any-identity");
        assert_eq!(found.len(), usize::from(fires), "{level}: {}", run.stdout);
        assert_eq!(run.status, i32::from(fires), "{level}");
        if fires {
            assert_eq!(found[0]["statement"], "app");
            assert!(found[0]["message"].as_str().unwrap().contains("ca:acme-2025"));
        }
    }
    // An override that enforces authenticity at audit makes it count.
    let config = Config::new("any-audit-override");
    config.store("ca", "acme-2025", Some("acme-2025")).policy(vec![with_override(
        statement("app", &["registry.example/app"], "audit", &["ca:acme-2025"], &["*"]),
        "authenticity",
        "enforce",
    )]);
    assert_eq!(with_id(&lint(&config, &[]), "any-identity").len(), 1);
    // Named identities are not a finding.
    let config = Config::new("any-named");
    config.store("ca", "acme-2025", Some("acme-2025")).policy(vec![statement(
        "app",
        &["registry.example/app"],
        "strict",
        &["ca:acme-2025"],
        &[IDENTITY],
    )]);
    assert_eq!(lint(&config, &[]).status, 0);
}

#[test]
fn shared_signer_fires_when_every_enforcing_statement_trusts_the_same_signer() {
    let config = Config::new("shared");
    config.store("ca", "acme-2025", Some("acme-2025")).store("ca", "acme-2024", Some("acme-2024"));
    // Same store and identity in both, beside other ones.
    config.policy(vec![
        statement("web", &["registry.example/web"], "strict", &["ca:acme-2025"], &[IDENTITY]),
        statement(
            "app",
            &["registry.example/app"],
            "permissive",
            &["ca:acme-2024", "ca:acme-2025"],
            &[OTHER_ORG, "x509.subject: O=Notaverify Test, ST=WA, C=US"],
        ),
        statement("legacy", &["registry.example/legacy"], "skip", &[], &[]),
    ]);
    let run = lint(&config, &[]);
    let found = with_id(&run, "shared-signer");
    assert_eq!(found.len(), 1, "{}", run.stdout);
    assert_eq!(found[0]["statements"], json!(["app", "web"]));
    assert_eq!(found[0]["stores"], json!(["ca:acme-2025"]));
    assert_eq!(found[0]["statement"], Value::Null);
    assert!(found[0]["message"].as_str().unwrap().contains("C=US,O=Notaverify Test,ST=WA"), "{}", run.stdout);
    assert_eq!(run.status, 1);

    // "*" in every statement with a common store is the same signer too.
    config.policy(vec![
        statement("web", &["registry.example/web"], "strict", &["ca:acme-2025"], &["*"]),
        statement("app", &["registry.example/app"], "strict", &["ca:acme-2025"], &["*"]),
    ]);
    let run = lint(&config, &[]);
    assert_eq!(with_id(&run, "shared-signer").len(), 1, "{}", run.stdout);
    assert!(with_id(&run, "shared-signer")[0]["message"].as_str().unwrap().contains("any identity"));

    // Silent: per-pipeline identities; per-pipeline stores; a statement that only audits; a
    // third statement with its own signer.
    for statements in [
        vec![
            statement("web", &["registry.example/web"], "strict", &["ca:acme-2025"], &[IDENTITY]),
            statement("app", &["registry.example/app"], "strict", &["ca:acme-2025"], &[OTHER_IDENTITY]),
        ],
        vec![
            statement("web", &["registry.example/web"], "strict", &["ca:acme-2025"], &[IDENTITY]),
            statement("app", &["registry.example/app"], "strict", &["ca:acme-2024"], &[IDENTITY]),
        ],
        vec![
            statement("web", &["registry.example/web"], "strict", &["ca:acme-2025"], &[IDENTITY]),
            statement("app", &["registry.example/app"], "audit", &["ca:acme-2025"], &[IDENTITY]),
        ],
        vec![
            statement("web", &["registry.example/web"], "strict", &["ca:acme-2025"], &[IDENTITY]),
            statement("app", &["registry.example/app"], "strict", &["ca:acme-2025"], &[IDENTITY]),
            statement("batch", &["registry.example/batch"], "strict", &["ca:acme-2024"], &[OTHER_IDENTITY]),
        ],
    ] {
        config.policy(statements);
        let run = lint(&config, &[]);
        assert!(with_id(&run, "shared-signer").is_empty(), "{}", run.stdout);
    }
}

#[test]
fn revocation_off_fires_at_strict_only() {
    for action in ["skip", "log"] {
        let config = Config::new(&format!("revocation-{action}"));
        config.store("ca", "acme-2025", Some("acme-2025")).policy(vec![with_override(
            statement("app", &["registry.example/app"], "strict", &["ca:acme-2025"], &[IDENTITY]),
            "revocation",
            action,
        )]);
        let run = lint(&config, &[]);
        let found = with_id(&run, "revocation-off");
        assert_eq!(found.len(), 1, "{action}: {}", run.stdout);
        assert_eq!(found[0]["statement"], "app");
        assert!(found[0]["message"].as_str().unwrap().contains(&format!("\"revocation\": \"{action}\"")));
        assert_eq!(run.status, 1);
    }
    // Permissive logs revocation by definition; strict with another override keeps it enforced.
    let config = Config::new("revocation-silent");
    config.store("ca", "acme-2025", Some("acme-2025")).policy(vec![
        with_override(
            statement("web", &["registry.example/web"], "permissive", &["ca:acme-2025"], &[IDENTITY]),
            "revocation",
            "skip",
        ),
        with_override(
            statement("app", &["registry.example/app"], "strict", &["ca:acme-2025"], &[OTHER_IDENTITY]),
            "expiry",
            "log",
        ),
    ]);
    let run = lint(&config, &[]);
    assert_eq!((run.status, findings(&run).len()), (0, 0), "{}", run.stdout);
}

#[test]
fn exception_deadlines_far_and_expired() {
    let config = clean();
    // AT + 180 days = 2025-12-28.
    let exceptions = config.exceptions(vec![
        exception("registry.example/far", "2025-12-29"),
        exception("registry.example/edge", "2025-12-28T00:00:00Z"),
        exception("registry.example/near", "2025-08-01"),
        exception("registry.example/gone", "2025-06-15"),
        exception("registry.example/now", AT),
    ]);
    let retired = config.0.join("retired.json").display().to_string();
    let run = lint(&config, &["--exceptions", &exceptions, "--retired", &retired]);
    assert_eq!(run.status, 1);
    let far = with_id(&run, "exception-far-deadline");
    assert_eq!(far.len(), 1, "{}", run.stdout);
    assert_eq!(far[0]["exception"], "registry.example/far");
    assert_eq!(far[0]["severity"], "warning");
    assert_eq!((&far[0]["owner"], &far[0]["expires"]), (&json!("team@example.com"), &json!("2025-12-29")));
    assert!(far[0]["message"].as_str().unwrap().contains("more than 180 days"));
    let expired: Vec<Value> = with_id(&run, "exception-expired").into_iter().map(|f| f["exception"].clone()).collect();
    assert_eq!(expired, vec![json!("registry.example/gone"), json!("registry.example/now")]);
    assert_eq!(findings(&run).len(), 3, "{}", run.stdout);
    // A later --at moves the window: the far one is now near, the near one has expired.
    let run = run_at(&config, "2025-09-01T00:00:00Z", &exceptions);
    assert!(with_id(&run, "unused-store").len() == 1, "ca:acme-2024 without --retired: {}", run.stdout);
    assert!(with_id(&run, "exception-far-deadline").is_empty(), "{}", run.stdout);
    let expired: Vec<Value> = with_id(&run, "exception-expired").into_iter().map(|f| f["exception"].clone()).collect();
    assert_eq!(
        expired,
        vec![json!("registry.example/gone"), json!("registry.example/near"), json!("registry.example/now")]
    );
}

fn run_at(config: &Config, at: &str, exceptions: &str) -> Run {
    notaverify(&["policy", "lint", "--config-dir", config.path(), "--at", at, "-o", "json", "--exceptions", exceptions])
}

#[test]
fn retired_still_trusted_fires_for_retired_material_in_a_named_store() {
    let config = Config::new("retired");
    config.store("ca", "acme-2024", Some("acme-2024")).store("ca", "acme-2025", Some("acme-2025"));
    let retired = config.retired(vec![json!({"store": "ca:acme-2024", "retired": "2025-06-15"})]);
    // Step 4 of the rotation not done: the statement still names the retired store.
    config.policy(vec![
        statement("app", &["registry.example/app"], "strict", &["ca:acme-2024", "ca:acme-2025"], &[IDENTITY]),
        statement("web", &["registry.example/web"], "strict", &["ca:acme-2025"], &[OTHER_IDENTITY]),
    ]);
    let run = lint(&config, &["--retired", &retired]);
    let found = with_id(&run, "retired-still-trusted");
    assert_eq!(found.len(), 1, "{}", run.stdout);
    assert_eq!((&found[0]["statement"], &found[0]["store"]), (&json!("app"), &json!("ca:acme-2024")));
    assert_eq!(found[0]["severity"], "error");
    assert!(found[0]["message"].as_str().unwrap().contains(ACME_2024_FINGERPRINT), "{}", run.stdout);
    assert_eq!(run.status, 1);

    // The old root copied into the new store, retired by fingerprint: every statement naming it.
    let by_fingerprint = config.write(
        "retired-fingerprint.json",
        &json!({"version": "1", "retired": [{"sha256Fingerprint": ACME_2024_FINGERPRINT, "retired": "2025-06-15"}]}),
    );
    std::fs::write(config.0.join("truststore/x509/ca/acme-2025/old-root.pem"), root_pem("acme-2024")).unwrap();
    config.policy(vec![
        statement("app", &["registry.example/app"], "strict", &["ca:acme-2025"], &[IDENTITY]),
        statement("web", &["registry.example/web"], "strict", &["ca:acme-2025"], &[OTHER_IDENTITY]),
        statement("old", &["registry.example/old"], "strict", &["ca:acme-2024"], &[OTHER_IDENTITY]),
    ]);
    let run = lint(&config, &["--retired", &by_fingerprint]);
    let found: Vec<(Value, Value)> = with_id(&run, "retired-still-trusted")
        .into_iter()
        .map(|f| (f["statement"].clone(), f["store"].clone()))
        .collect();
    assert_eq!(
        found,
        vec![
            (json!("app"), json!("ca:acme-2025")),
            (json!("old"), json!("ca:acme-2024")),
            (json!("web"), json!("ca:acme-2025"))
        ]
    );

    // Silent: the retired store is no longer named (and not unused: the retired file names it).
    std::fs::remove_file(config.0.join("truststore/x509/ca/acme-2025/old-root.pem")).unwrap();
    config.policy(vec![statement("app", &["registry.example/app"], "strict", &["ca:acme-2025"], &[IDENTITY])]);
    let run = lint(&config, &["--retired", &retired]);
    assert_eq!((run.status, findings(&run).len()), (0, 0), "{}", run.stdout);
    // Without --retired nothing is known to be retired.
    config.policy(vec![statement("app", &["registry.example/app"], "strict", &["ca:acme-2024"], &[IDENTITY])]);
    let run = lint(&config, &[]);
    assert!(with_id(&run, "retired-still-trusted").is_empty(), "{}", run.stdout);
}

#[test]
fn unused_store_fires_for_a_folder_nothing_names() {
    let config = Config::new("unused");
    config
        .store("ca", "acme-2025", Some("acme-2025"))
        .store("ca", "acme-2024", Some("acme-2024"))
        .store("signingAuthority", "leftover", None)
        .store("tsa", "stamps", Some("acme-2025"))
        .policy(vec![statement("app", &["registry.example/app"], "strict", &["ca:acme-2025"], &[IDENTITY])]);
    std::fs::write(config.0.join("truststore/x509/ca/not-a-folder.pem"), root_pem("acme-2025")).unwrap();
    let run = lint(&config, &[]);
    let unused: Vec<Value> = with_id(&run, "unused-store").into_iter().map(|f| f["store"].clone()).collect();
    assert_eq!(unused, vec![json!("ca:acme-2024"), json!("signingAuthority:leftover"), json!("tsa:stamps")]);
    assert_eq!(with_id(&run, "unused-store")[0]["severity"], "info");
    assert_eq!(with_id(&run, "unused-store")[0]["statement"], Value::Null);
    assert_eq!(run.status, 1);

    // Named by the blob policy, by a retired declaration, or by the policy: used.
    config.write(
        "trustpolicy.blob.json",
        &json!({"version": "1.0", "trustPolicies": [{
            "name": "blobs", "signatureVerification": {"level": "strict"}, "globalPolicy": true,
            "trustStores": ["tsa:stamps", "ca:acme-2025"], "trustedIdentities": [IDENTITY]}]}),
    );
    let retired = config.retired(vec![json!({"store": "ca:acme-2024", "retired": "2025-06-15"})]);
    config.policy(vec![statement(
        "app",
        &["registry.example/app"],
        "strict",
        &["ca:acme-2025", "signingAuthority:leftover"],
        &[IDENTITY],
    )]);
    let run = lint(&config, &["--retired", &retired]);
    assert!(with_id(&run, "unused-store").is_empty(), "{}", run.stdout);
}

#[test]
fn missing_store_fires_for_absent_and_empty_folders() {
    let config = Config::new("missing");
    config.store("ca", "acme-2025", Some("acme-2025")).store("ca", "empty", None).policy(vec![statement(
        "app",
        &["registry.example/app"],
        "strict",
        &["ca:acme-2025", "ca:empty", "ca:absent", "tsa:stamps"],
        &[IDENTITY],
    )]);
    let run = lint(&config, &[]);
    let found = with_id(&run, "missing-store");
    let stores: Vec<Value> = found.iter().map(|f| f["store"].clone()).collect();
    assert_eq!(stores, vec![json!("ca:absent"), json!("ca:empty"), json!("tsa:stamps")], "{}", run.stdout);
    assert!(found.iter().all(|f| f["statement"] == "app" && f["severity"] == "error"));
    assert!(found[0]["message"].as_str().unwrap().contains("does not exist"));
    assert!(found[1]["message"].as_str().unwrap().contains("holds no certificate"));
    assert_eq!(run.status, 1);
    // A --trust-policy file lints against the configuration directory's stores.
    let policy = config.write(
        "other-policy.json",
        &json!({"version": "1.0", "trustPolicies": [
            statement("app", &["registry.example/app"], "strict", &["ca:acme-2025", "ca:empty"], &[IDENTITY])]}),
    );
    let run = lint(&config, &["--trust-policy", &policy]);
    assert_eq!(with_id(&run, "missing-store").len(), 1, "{}", run.stdout);
    let policy = config.write(
        "other-policy.json",
        &json!({"version": "1.0", "trustPolicies": [
            statement("app", &["registry.example/app"], "strict", &["ca:acme-2025"], &[IDENTITY])]}),
    );
    std::fs::remove_dir(config.0.join("truststore/x509/ca/empty")).unwrap();
    let run = lint(&config, &["--trust-policy", &policy]);
    assert_eq!((run.status, findings(&run).len()), (0, 0), "{}", run.stdout);
}

#[test]
fn unreadable_inputs_exit_2() {
    let config = clean();
    let exceptions = config.0.join("exceptions.json").display().to_string();
    let bad_exceptions = config.write("bad-exceptions.json", &json!({"version": "1", "exceptions": [{"scope": "*"}]}));
    let bad_retired = config.write(
        "bad-retired.json",
        &json!({"version": "1", "retired": [{"store": "ca:nowhere", "retired": "2025-06-15"}]}),
    );
    let bad_policy = config.write("bad-policy.json", &json!({"version": "1.0", "trustPolicies": [{"name": "x"}]}));
    let missing = config.0.join("nothing-here.json").display().to_string();
    let cases: Vec<(&str, Vec<String>, &str)> = vec![
        ("invalid policy", vec!["--trust-policy".into(), bad_policy], "POLICY"),
        ("missing policy file", vec!["--trust-policy".into(), missing.clone()], "LOAD"),
        ("invalid exceptions", vec!["--exceptions".into(), bad_exceptions], "INVALID_INPUT"),
        ("missing exceptions", vec!["--exceptions".into(), missing.clone()], "LOAD"),
        ("invalid retired", vec!["--retired".into(), bad_retired], "INVALID_INPUT"),
        ("missing retired", vec!["--retired".into(), missing], "LOAD"),
    ];
    for (what, extra, code) in cases {
        let run = lint(&config, &strs(&extra));
        assert_eq!(run.status, 2, "{what}: {}{}", run.stdout, run.stderr);
        let doc = run.json();
        assert_eq!(doc["findings"], Value::Null, "{what}");
        assert_eq!(doc["error"]["code"], code, "{what}: {}", run.stdout);
        assert!(!doc["error"]["message"].as_str().unwrap().is_empty());
        let mut args = vec!["policy", "lint", "--config-dir", config.path()];
        args.extend(strs(&extra));
        let text = notaverify(&args);
        assert_eq!(text.status, 2, "{what}");
        assert!(text.stdout.is_empty() && text.stderr.starts_with("Error: "), "{what}: {}", text.stderr);
    }
    // An invalid blob policy in the configuration directory: which stores are used is unknown.
    config.write("trustpolicy.blob.json", &json!({"version": "1.0", "trustPolicies": []}));
    assert_eq!(lint(&config, &["--exceptions", &exceptions]).status, 2);
    std::fs::remove_file(config.0.join("trustpolicy.blob.json")).unwrap();
    // A store folder whose file is no certificate.
    std::fs::write(config.0.join("truststore/x509/ca/acme-2025/junk.pem"), b"junk").unwrap();
    assert_eq!(lint(&config, &[]).json()["error"]["code"], "LOAD");
    std::fs::remove_file(config.0.join("truststore/x509/ca/acme-2025/junk.pem")).unwrap();
    assert_eq!(lint(&config, &strs(&clean_args(&config))).status, 0);
    // No configuration directory (no policy), or one that is a file.
    let nowhere = config.0.join("nowhere").display().to_string();
    let run = notaverify(&["policy", "lint", "--config-dir", &nowhere, "-o", "json"]);
    assert_eq!((run.status, run.json()["error"]["code"].clone()), (2, json!("LOAD")));
    let file = config.0.join("exceptions.json").display().to_string();
    let policy = config.0.join("trustpolicy.json").display().to_string();
    let run = notaverify(&["policy", "lint", "--config-dir", &file, "--trust-policy", &policy, "-o", "json"]);
    assert_eq!(run.status, 2, "{}", run.stdout);
    // A symlinked trust store type folder (the configuration directory is a closed room).
    #[cfg(unix)]
    {
        let linked = Config::new("linked");
        linked.policy(vec![statement("app", &["registry.example/app"], "strict", &["ca:acme-2025"], &[IDENTITY])]);
        std::fs::create_dir_all(linked.0.join("truststore/x509")).unwrap();
        std::os::unix::fs::symlink(config.0.join("truststore/x509/ca"), linked.0.join("truststore/x509/ca")).unwrap();
        let run = lint(&linked, &[]);
        assert_eq!((run.status, run.json()["error"]["code"].clone()), (2, json!("LOAD")), "{}", run.stdout);
    }
}

#[test]
fn json_shape_and_stable_sort() {
    let config = Config::new("shape");
    config.store("ca", "acme-2025", Some("acme-2025")).store("ca", "spare", Some("acme-2024")).policy(vec![
        statement("everything", &["*"], "strict", &["ca:acme-2025", "ca:absent"], &["*"]),
        statement("app", &["registry.example/app"], "strict", &["ca:acme-2025"], &["*"]),
    ]);
    let exceptions = config.exceptions(vec![
        exception("registry.example/legacy", "2027-01-01"),
        exception("registry.example/old", "2025-01-01"),
    ]);
    let run = lint(&config, &["--exceptions", &exceptions]);
    assert_eq!(run.status, 1);
    let doc = run.json();
    let keys: Vec<&str> = doc.as_object().unwrap().keys().map(String::as_str).collect();
    assert_eq!(keys, vec!["counts", "error", "findings"]);
    assert_eq!(doc["error"], Value::Null);
    assert_eq!(doc["counts"], json!({"error": 1, "warning": 5, "info": 2}));
    let order: Vec<(String, Value, Value, Value)> = findings(&run)
        .iter()
        .map(|f| {
            (f["id"].as_str().unwrap().to_owned(), f["statement"].clone(), f["exception"].clone(), f["store"].clone())
        })
        .collect();
    let n = Value::Null;
    assert_eq!(
        order,
        vec![
            ("missing-store".into(), json!("everything"), n.clone(), json!("ca:absent")),
            ("any-identity".into(), json!("app"), n.clone(), n.clone()),
            ("any-identity".into(), json!("everything"), n.clone(), n.clone()),
            ("exception-far-deadline".into(), n.clone(), json!("registry.example/legacy"), n.clone()),
            ("shared-signer".into(), n.clone(), n.clone(), n.clone()),
            ("wildcard-scope".into(), json!("everything"), n.clone(), n.clone()),
            ("exception-expired".into(), n.clone(), json!("registry.example/old"), n.clone()),
            ("unused-store".into(), n.clone(), n.clone(), json!("ca:spare")),
        ]
    );
    for finding in findings(&run) {
        let id = finding["id"].as_str().unwrap();
        assert!(IDS.contains(&id), "{id}");
        for key in ["id", "severity", "statement", "exception", "store", "message"] {
            assert!(finding.get(key).is_some(), "{id} lacks {key}");
        }
        let severity = finding["severity"].as_str().unwrap();
        assert!(["error", "warning", "info"].contains(&severity));
        let allowed = [
            "id",
            "severity",
            "statement",
            "exception",
            "store",
            "message",
            "statements",
            "stores",
            "owner",
            "expires",
        ];
        assert!(finding.as_object().unwrap().keys().all(|k| allowed.contains(&k.as_str())), "{finding}");
    }
}

#[test]
fn the_same_findings_whatever_the_order_of_statements_and_exceptions() {
    let config = Config::new("order");
    config.store("ca", "acme-2025", Some("acme-2025")).store("ca", "acme-2024", Some("acme-2024"));
    let statements = vec![
        statement("zeta", &["*"], "strict", &["ca:acme-2025", "ca:acme-2024"], &["*"]),
        with_override(
            statement("alpha", &["registry.example/app"], "strict", &["ca:acme-2024", "ca:acme-2025"], &[IDENTITY]),
            "revocation",
            "log",
        ),
        statement("mid", &["registry.example/mid"], "strict", &["ca:gone", "ca:acme-2025"], &[OTHER_ORG, IDENTITY]),
    ];
    let exceptions = vec![
        exception("registry.example/b", "2024-01-01"),
        exception("registry.example/a", "2030-01-01"),
        exception("registry.example/c", "2025-06-30"),
    ];
    let retired = config.retired(vec![
        json!({"sha256Fingerprint": ACME_2024_FINGERPRINT, "retired": "2025-06-15"}),
        json!({"store": "ca:acme-2024", "retired": "2025-06-01"}),
    ]);
    config.policy(statements.clone());
    let forward = config.exceptions(exceptions.clone());
    let first = lint(&config, &["--exceptions", &forward, "--retired", &retired]);
    let mut reversed_statements = statements;
    reversed_statements.reverse();
    let mut reversed_exceptions = exceptions;
    reversed_exceptions.reverse();
    config.policy(reversed_statements);
    let backward = config.exceptions(reversed_exceptions);
    let retired = config.retired(vec![
        json!({"store": "ca:acme-2024", "retired": "2025-06-01"}),
        json!({"sha256Fingerprint": ACME_2024_FINGERPRINT, "retired": "2025-06-15"}),
    ]);
    let second = lint(&config, &["--exceptions", &backward, "--retired", &retired]);
    assert_eq!(first.status, 1);
    assert_eq!(first.stdout, second.stdout);
    let ids: std::collections::BTreeSet<String> =
        findings(&first).iter().map(|f| f["id"].as_str().unwrap().to_owned()).collect();
    assert_eq!(ids.len(), IDS.len() - 1, "all but unused-store: {ids:?}");
}

#[test]
fn text_output_escapes_values_from_files() {
    let config = Config::new("escape");
    let painted = "app\u{1b}[2K\rSuccessfully verified\n\u{202e}";
    config
        .store("ca", "acme-2025", Some("acme-2025"))
        .store("ca", "old\u{1b}[31m", Some("acme-2024"))
        .policy(vec![statement(painted, &["registry.example/app"], "strict", &["ca:acme-2025"], &["*"])]);
    let run = notaverify(&["policy", "lint", "--config-dir", config.path(), "--at", AT]);
    assert_eq!(run.status, 1, "{}", run.stderr);
    let lines: Vec<&str> = run.stdout.lines().collect();
    assert_eq!(lines.len(), 3, "{}", run.stdout);
    assert!(
        lines[0].starts_with("warning any-identity: statement app\\x1b[2K\\x0dSuccessfully verified\\x0a\\u{202e}: ")
    );
    assert!(lines[1].starts_with("info    unused-store: store ca:old\\x1b[31m: "), "{}", lines[1]);
    assert_eq!(lines[2], "2 finding(s): 0 error(s), 1 warning(s), 1 info");
    assert!(!run.stdout.chars().any(|c| c.is_control() && c != '\n' || c == '\u{202e}'));
    // JSON keeps the value as it is (JSON escaping).
    let json = lint(&config, &[]);
    assert_eq!(with_id(&json, "any-identity")[0]["statement"], painted);
}

#[test]
fn help_lists_every_finding_and_the_docs_document_each() {
    let help = notaverify(&["policy", "lint", "--help"]);
    assert_eq!(help.status, 0);
    let docs = std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("../docs/rollout.md")).unwrap();
    let section = docs.split("\n## policy lint").nth(1).expect("a \"## policy lint\" section in docs/rollout.md");
    let listed: Vec<&str> = help
        .stdout
        .split("FINDINGS")
        .nth(1)
        .unwrap()
        .lines()
        .skip(1)
        .take_while(|l| !l.trim().is_empty())
        .map(|l| l.split_whitespace().nth(1).unwrap())
        .collect();
    assert_eq!(listed, IDS);
    for id in IDS {
        assert!(section.contains(&format!("| `{id}` |")), "docs/rollout.md does not document {id}");
    }
    let reference = std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("../docs/cli.md")).unwrap();
    assert!(reference.contains("notaverify policy lint"));
}
