//! The JSON Schemas under docs/schema agree with the code: every valid fixture validates, every
//! structurally invalid fixture is rejected, and the rules the schemas leave to the code are
//! exactly the documented ones.

use serde_json::Value;
use std::path::{Path, PathBuf};

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

fn read_json(path: &Path) -> Value {
    let text = std::fs::read(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    serde_json::from_slice(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn validator(kind: &str) -> jsonschema::Validator {
    let schema = read_json(&root().join(format!("docs/schema/trustpolicy.{kind}.schema.json")));
    jsonschema::draft202012::new(&schema).unwrap_or_else(|e| panic!("{kind} schema: {e}"))
}

fn validator_for(file: &str) -> jsonschema::Validator {
    validator(if file.starts_with("blob-") { "blob" } else { "oci" })
}

fn fixture(relative: &str) -> Value {
    read_json(&root().join("core/tests/policies").join(relative))
}

/// Invalid fixtures whose rule the schema expresses.
const SCHEMA_REJECTS: &[&str] = &[
    "unknown-member.json",
    "empty-version.json",
    "unsupported-version.json",
    "zero-statements.json",
    "missing-name.json",
    "empty-level.json",
    "unknown-level.json",
    "override-unknown-check.json",
    "override-unknown-action.json",
    "override-integrity.json",
    "override-skip-authenticity.json",
    "invalid-verify-timestamp.json",
    "skip-with-trust-stores.json",
    "missing-trusted-identities.json",
    "trust-store-missing-separator.json",
    "trust-store-unsupported-type.json",
    "trust-store-invalid-name.json",
    "identity-wildcard-mixed.json",
    "identity-empty.json",
    "identity-missing-separator.json",
    "no-registry-scopes.json",
    "wildcard-scope-mixed.json",
    "scope-with-wildcard.json",
    "scope-invalid.json",
    "oci-global-policy-member.json",
    "blob-registry-scopes-member.json",
];

/// Invalid fixtures whose rule stays in the code (across values, inside distinguished names, or
/// invisible once parsed, such as a repeated member); the schema accepts them.
const CODE_ONLY: &[&str] = &[
    "duplicate-member.json",
    "duplicate-name.json",
    "override-on-skip.json",
    "identity-without-value.json",
    "identity-hex-value.json",
    "identity-multi-valued-rdn.json",
    "identity-duplicate-attribute.json",
    "identity-missing-mandatory.json",
    "identity-overlap.json",
    "scope-in-multiple-statements.json",
    "blob-multiple-global.json",
    "blob-global-skip.json",
];

/// Not JSON at all.
const NOT_JSON: &[&str] = &["malformed-json.json"];

fn fixture_names(directory: &str) -> Vec<String> {
    let path = root().join("core/tests/policies").join(directory);
    let mut names: Vec<String> = std::fs::read_dir(&path)
        .unwrap_or_else(|e| panic!("{}: {e}", path.display()))
        .filter_map(|entry| entry.ok()?.file_name().into_string().ok())
        .collect();
    names.sort();
    names
}

#[test]
fn every_invalid_fixture_is_classified() {
    let mut classified: Vec<String> =
        SCHEMA_REJECTS.iter().chain(CODE_ONLY).chain(NOT_JSON).map(|s| (*s).to_owned()).collect();
    classified.sort();
    assert_eq!(classified, fixture_names("invalid"));
}

#[test]
fn valid_fixtures_validate() {
    for file in fixture_names("valid") {
        let errors: Vec<String> =
            validator_for(&file).iter_errors(&fixture(&format!("valid/{file}"))).map(|e| e.to_string()).collect();
        assert!(errors.is_empty(), "{file}: {errors:?}");
    }
}

#[test]
fn structurally_invalid_fixtures_are_rejected() {
    for file in SCHEMA_REJECTS {
        assert!(!validator_for(file).is_valid(&fixture(&format!("invalid/{file}"))), "{file} passes the schema");
    }
}

#[test]
fn code_only_rules_pass_the_schema() {
    for file in CODE_ONLY {
        let errors: Vec<String> =
            validator_for(file).iter_errors(&fixture(&format!("invalid/{file}"))).map(|e| e.to_string()).collect();
        assert!(errors.is_empty(), "{file}: {errors:?}");
    }
}

#[test]
fn each_schema_rejects_the_other_kind() {
    let oci = fixture("valid/oci-minimal.json");
    let blob = fixture("valid/blob-global.json");
    assert!(!validator("blob").is_valid(&oci));
    assert!(!validator("oci").is_valid(&blob));
}
