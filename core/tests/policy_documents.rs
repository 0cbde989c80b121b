//! Trust policy documents: every fixture under tests/policies, the specification's examples from
//! the shared vectors, and properties of statement selection.

mod common;

use notaverify::policy::{DnProblem, PolicyKind};
use notaverify::{
    Action, BlobTrustPolicyDocument, CheckType, LevelName, PolicyError, StoreType, TrustPolicyDocument,
    TrustedIdentities, VerifyTimestamp,
};
use proptest::prelude::*;
use std::path::{Path, PathBuf};

const DIGEST: &str = "sha256:60043cf45eaebc4c0867fea485a039b598f52fd09fd5b07b0b2d2f88fad9d74e";

fn fixture(relative: &str) -> Vec<u8> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/policies").join(relative);
    std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// The document kind of a fixture, from its file name.
fn kind_of(file: &str) -> PolicyKind {
    if file.starts_with("blob-") { PolicyKind::Blob } else { PolicyKind::Oci }
}

fn problems_of(file: &str, json: &[u8]) -> Vec<PolicyError> {
    match kind_of(file) {
        PolicyKind::Oci => TrustPolicyDocument::problems(json),
        PolicyKind::Blob => BlobTrustPolicyDocument::problems(json),
    }
}

fn first_error(file: &str, json: &[u8]) -> Option<PolicyError> {
    match kind_of(file) {
        PolicyKind::Oci => TrustPolicyDocument::from_json(json).err(),
        PolicyKind::Blob => BlobTrustPolicyDocument::from_json(json).err(),
    }
}

fn file_names(directory: &str) -> Vec<String> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/policies").join(directory);
    let mut names: Vec<String> = std::fs::read_dir(&path)
        .unwrap_or_else(|e| panic!("{}: {e}", path.display()))
        .filter_map(|entry| entry.ok()?.file_name().into_string().ok())
        .filter(|name| name.ends_with(".json"))
        .collect();
    names.sort();
    names
}

/// Each invalid fixture, the variant `from_json` must fail with (the start of its Debug form)
/// and a part of its message naming the statement and value.
const INVALID: &[(&str, &str, &str)] = &[
    ("malformed-json.json", "Malformed", "malformed trust policy"),
    ("unknown-member.json", "Malformed", "unknown field `trustedIdentitys`"),
    ("duplicate-member.json", "Malformed", "duplicate field `trustedIdentities`"),
    ("empty-version.json", "EmptyVersion", "oci trust policy document has empty version"),
    ("unsupported-version.json", "UnsupportedVersion", "uses unsupported version \"2.0\""),
    ("zero-statements.json", "NoStatements", "can not have zero trust policy statements"),
    ("duplicate-name.json", "DuplicateName", "multiple oci trust policy statements use the same name \"images\""),
    ("missing-name.json", "MissingName", "statement at index 0 is missing a name"),
    (
        "empty-level.json",
        "EmptyLevel",
        "\"images\" has invalid signatureVerification: signature verification level is empty",
    ),
    ("unknown-level.json", "UnknownLevel", "invalid signature verification level \"paranoid\""),
    ("override-on-skip.json", "OverrideOnSkip", "\"skip\" can't be used to customize signature verification"),
    (
        "override-unknown-check.json",
        "UnknownOverrideCheck",
        "verification type \"signature\" in custom signature verification is not supported",
    ),
    (
        "override-unknown-action.json",
        "UnknownOverrideAction",
        "verification action \"warn\" in custom signature verification is not supported",
    ),
    ("override-integrity.json", "IntegrityOverride", "\"integrity\" verification can not be overridden"),
    ("override-skip-authenticity.json", "SkippedCheckOverride", "\"authenticity\" verification can not be skipped"),
    ("invalid-verify-timestamp.json", "InvalidVerifyTimestamp", "verifyTimestamp \"never\" is not supported"),
    (
        "skip-with-trust-stores.json",
        "SkipWithTrustSettings",
        "\"images\" is set to skip signature verification but configured with trust stores",
    ),
    (
        "missing-trusted-identities.json",
        "MissingTrustSettings",
        "\"images\" is either missing trust stores or trusted identities",
    ),
    (
        "trust-store-missing-separator.json",
        "MalformedTrustStore",
        "\"images\" has malformed trust store value \"signingAuthority\"",
    ),
    (
        "trust-store-unsupported-type.json",
        "UnsupportedTrustStoreType",
        "unsupported trust store type \"root\" in trust store value \"root:acme-rockets\"",
    ),
    ("trust-store-invalid-name.json", "InvalidTrustStoreName", "unsupported trust store name \"acme/rockets\""),
    ("identity-wildcard-mixed.json", "WildcardIdentityMixed", "\"images\" uses a wildcard trusted identity '*'"),
    ("identity-empty.json", "EmptyIdentity", "\"images\" has an empty trusted identity"),
    (
        "identity-missing-separator.json",
        "IdentityMissingSeparator",
        "trust policy statement \"images\" has trusted identity \"x509.subject\" missing separator",
    ),
    (
        "identity-without-value.json",
        "IdentityWithoutValue",
        "has trusted identity \"x509.subject:\" without an identity value",
    ),
    ("identity-hex-value.json", "InvalidIdentity", "containing \"=#\""),
    ("identity-multi-valued-rdn.json", "InvalidIdentity", "multi-valued RDN attributes"),
    ("identity-duplicate-attribute.json", "InvalidIdentity", "duplicate RDN attribute for \"ST\""),
    ("identity-missing-mandatory.json", "InvalidIdentity", "no mandatory RDN attribute for \"ST\""),
    ("identity-overlap.json", "OverlappingIdentities", "\"images\" has overlapping x509 trustedIdentities"),
    ("no-registry-scopes.json", "NoRegistryScopes", "\"images\" has zero registry scopes"),
    ("wildcard-scope-mixed.json", "WildcardScopeMixed", "\"images\" uses wildcard registry scope '*'"),
    (
        "scope-with-wildcard.json",
        "WildcardInScope",
        "registry scope \"registry.acme-rockets.io/software/*\" with wild card(s)",
    ),
    (
        "scope-invalid.json",
        "InvalidScope",
        "registry scope \"registry.acme-rockets.io/Software/Net-Monitor\" which is not valid",
    ),
    ("scope-in-multiple-statements.json", "ScopeInMultipleStatements", "(\"images\" and \"other\")"),
    ("oci-global-policy-member.json", "ForeignMember", "\"images\" has member \"globalPolicy\""),
    ("blob-registry-scopes-member.json", "ForeignMember", "\"blobs\" has member \"registryScopes\""),
    ("blob-multiple-global.json", "MultipleGlobalPolicies", "(\"a\" and \"b\") have globalPolicy set to true"),
    ("blob-global-skip.json", "GlobalPolicySkip", "\"everything\" is a global policy and cannot use"),
];

#[test]
fn every_invalid_fixture_fails_with_its_rule() {
    let listed: Vec<&str> = INVALID.iter().map(|(file, ..)| *file).collect();
    assert_eq!(
        file_names("invalid"),
        {
            let mut l = listed.clone();
            l.sort();
            l
        },
        "fixtures and table differ"
    );
    for (file, variant, message) in INVALID {
        let json = fixture(&format!("invalid/{file}"));
        let error = first_error(file, &json).unwrap_or_else(|| panic!("{file}: accepted"));
        let debug = format!("{error:?}");
        let name = debug.split([' ', '{', '(']).next().unwrap_or_default();
        assert_eq!(name, *variant, "{file}: {error}");
        assert!(error.to_string().contains(message), "{file}: {error}");
        assert_eq!(problems_of(file, &json).first(), Some(&error), "{file}: problems() disagrees");
    }
}

#[test]
fn dn_problems_are_precise() {
    let problem = |file: &str| match first_error(file, &fixture(&format!("invalid/{file}"))) {
        Some(PolicyError::InvalidIdentity { problem, .. }) => problem,
        other => panic!("{file}: {other:?}"),
    };
    assert_eq!(problem("identity-hex-value.json"), DnProblem::HexValue);
    assert_eq!(problem("identity-multi-valued-rdn.json"), DnProblem::MultiValuedRdn);
    assert_eq!(problem("identity-duplicate-attribute.json"), DnProblem::DuplicateAttribute { attribute: "ST".into() });
    assert_eq!(problem("identity-missing-mandatory.json"), DnProblem::MissingMandatory { attribute: "ST" });
}

#[test]
fn every_valid_fixture_parses() {
    let names = file_names("valid");
    assert!(names.len() >= 6);
    for file in names {
        let json = fixture(&format!("valid/{file}"));
        assert_eq!(problems_of(&file, &json), Vec::new(), "{file}");
    }
}

#[test]
fn multi_statement_fixture_has_the_expected_content() {
    let policy =
        TrustPolicyDocument::from_json(&fixture("valid/oci-multi-statement.json")).unwrap_or_else(|e| panic!("{e}"));
    let first = policy
        .statement_for_reference(&format!("localhost:5000/net-logger@{DIGEST}"))
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(first.name(), "wabbit-networks-images");
    assert_eq!(first.verify_timestamp(), VerifyTimestamp::AfterCertExpiry);
    assert_eq!(
        first.trust_stores(),
        &[(StoreType::Ca, "wabbit-networks".to_owned()), (StoreType::Tsa, "trusted-tsa".to_owned())]
    );
    assert_eq!(first.other_identities(), &["plugin.example:some-identity".to_owned()]);
    let TrustedIdentities::Subjects(subjects) = first.trusted_identities() else { panic!("expected subjects") };
    assert_eq!(subjects.len(), 2);
    assert_eq!(subjects.first().and_then(|dn| dn.get("ST")), Some("WA"));
    assert_eq!(subjects.get(1).and_then(|dn| dn.get("CN")), Some("Other, Inc."));

    let skip = policy
        .statement_for_reference(&format!("registry.wabbit-networks.io/software/unsigned/net-utils@{DIGEST}"))
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(skip.level().name(), LevelName::Skip);
    assert!(skip.trust_stores().is_empty());

    let custom = policy
        .statement_for_reference(&format!("registry.acme-rockets.io/software/legacy/metrics@{DIGEST}"))
        .unwrap_or_else(|e| panic!("{e}"));
    assert!(custom.level().is_custom());
    assert_eq!(custom.level().display_name(), "custom");
    assert_eq!(custom.level().name(), LevelName::Strict);
    assert_eq!(custom.level().action(CheckType::Expiry), Action::Log);
    assert_eq!(custom.level().action(CheckType::Revocation), Action::Skip);
    assert_eq!(custom.level().action(CheckType::Authenticity), Action::Enforce);
    assert_eq!(custom.trusted_identities(), &TrustedIdentities::Any);

    let global =
        policy.statement_for_reference(&format!("ghcr.io/anything/else@{DIGEST}")).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(global.name(), "global");
    assert!(!global.level().is_custom(), "an empty override keeps the named level");
    assert_eq!(global.level().display_name(), "audit");
}

#[test]
fn reference_selection_errors() {
    let policy = TrustPolicyDocument::from_json(&fixture("valid/oci-minimal.json")).unwrap_or_else(|e| panic!("{e}"));
    let scope = "registry.acme-rockets.io/software/net-monitor";
    assert!(policy.statement_for_reference(&format!("{scope}@{DIGEST}")).is_ok());
    assert!(matches!(
        policy.statement_for_reference(&format!("{scope}:v1")),
        Err(PolicyError::ReferenceWithoutDigest { .. })
    ));
    assert!(matches!(
        policy.statement_for_reference(&format!("https://{scope}@{DIGEST}")),
        Err(PolicyError::InvalidReferenceRepository { .. })
    ));
    // Case-sensitive, no normalisation, and the part before the last '@' is the repository.
    for reference in [
        format!("Registry.acme-rockets.io/software/net-monitor@{DIGEST}"),
        format!("registry.acme-rockets.io/software/net-monitor/sub@{DIGEST}"),
    ] {
        let error = policy.statement_for_reference(&reference).err();
        assert_eq!(
            error,
            Some(PolicyError::NoApplicableStatement { reference: reference.clone(), kind: PolicyKind::Oci })
        );
        let message = error.map(|e| e.to_string()).unwrap_or_default();
        assert!(message.contains("has no applicable oci trust policy statement"), "{message}");
    }
}

#[test]
fn blob_selection() {
    let policy =
        BlobTrustPolicyDocument::from_json(&fixture("valid/blob-global.json")).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(policy.statement_named(None).map(|s| s.name()), Ok("test-statement-name"));
    assert_eq!(policy.statement_named(Some("skipped")).map(|s| s.level().name()), Ok(LevelName::Skip));
    assert_eq!(policy.statement_named(Some(" \t")).err(), Some(PolicyError::EmptyPolicyName));
    let missing = policy.statement_named(Some("Skipped")).err();
    assert_eq!(
        missing.as_ref().map(ToString::to_string).as_deref(),
        Some("no applicable blob trust policy with name \"Skipped\"")
    );
    assert!(policy.statements().iter().all(|s| s.registry_scopes().is_empty()));

    let without_global =
        BlobTrustPolicyDocument::from_json(&fixture("valid/blob-minimal.json")).unwrap_or_else(|e| panic!("{e}"));
    let error = without_global.statement_named(None).err();
    assert_eq!(error.as_ref().map(ToString::to_string).as_deref(), Some("no global blob trust policy"));
    assert!(matches!(error, Some(PolicyError::NoApplicableStatement { kind: PolicyKind::Blob, .. })));
}

#[test]
fn null_members_count_as_absent_like_go() {
    let json = br#"{"version":"1.0","trustPolicies":[{"name":"s","registryScopes":["*"],
        "signatureVerification":{"level":"skip","override":null,"verifyTimestamp":null},
        "trustStores":null,"trustedIdentities":null}]}"#;
    assert_eq!(TrustPolicyDocument::problems(json), Vec::new());
}

#[test]
fn problems_lists_every_problem() {
    let json = br#"{"version":"1.1","trustPolicies":[
        {"name":"a","registryScopes":["Bad"],"signatureVerification":{"level":"strict"},
         "trustStores":["ca"],"trustedIdentities":["x509.subject:C=US"]},
        {"name":"a","registryScopes":["*"],"signatureVerification":{"level":"strict"},
         "trustStores":["ca:x"],"trustedIdentities":["*"]}]}"#;
    let problems = TrustPolicyDocument::problems(json);
    let names: Vec<String> =
        problems.iter().map(|p| format!("{p:?}").split([' ', '{']).next().unwrap_or_default().to_owned()).collect();
    assert_eq!(
        names,
        ["UnsupportedVersion", "MalformedTrustStore", "InvalidIdentity", "DuplicateName", "InvalidScope"],
        "{problems:#?}"
    );
}

#[test]
fn limits_are_enforced() {
    let deep = format!("{}{}", "[".repeat(40), "]".repeat(40));
    assert!(matches!(
        TrustPolicyDocument::from_json(deep.as_bytes()),
        Err(PolicyError::LimitExceeded { what: "nesting depth", .. })
    ));
    let too_large = vec![b' '; notaverify::limits::MAX_POLICY_BYTES + 1];
    assert!(matches!(
        TrustPolicyDocument::from_json(&too_large),
        Err(PolicyError::LimitExceeded { what: "document size in bytes", .. })
    ));
    let many_identities: Vec<String> = (0..=notaverify::limits::MAX_STATEMENT_ENTRIES)
        .map(|i| format!("\"x509.subject:C=US,ST=WA,O=o,CN={i}\""))
        .collect();
    let json = format!(
        r#"{{"version":"1.0","trustPolicies":[{{"name":"s","registryScopes":["*"],"signatureVerification":{{"level":"strict"}},"trustStores":["ca:x"],"trustedIdentities":[{}]}}]}}"#,
        many_identities.join(",")
    );
    assert_eq!(
        TrustPolicyDocument::from_json(json.as_bytes()).err(),
        Some(PolicyError::LimitExceeded {
            what: "trustedIdentities entry count",
            limit: notaverify::limits::MAX_STATEMENT_ENTRIES,
            actual: notaverify::limits::MAX_STATEMENT_ENTRIES + 1,
        })
    );
}

/// The specification's example policies, with their `//` comments removed.
fn spec_examples() -> Option<PathBuf> {
    Some(common::shared_vectors()?.join("notaryproject__specifications/_extracted/specs/trust-store-trust-policy"))
}

fn strip_line_comments(jsonc: &str) -> String {
    let mut out = String::with_capacity(jsonc.len());
    let mut in_string = false;
    let mut escaped = false;
    let mut chars = jsonc.chars().peekable();
    while let Some(c) = chars.next() {
        if in_string {
            if escaped {
                escaped = false;
            } else if c == '\\' {
                escaped = true;
            } else if c == '"' {
                in_string = false;
            }
            out.push(c);
        } else if c == '/' && chars.peek() == Some(&'/') {
            while chars.peek().is_some_and(|&next| next != '\n') {
                chars.next();
            }
        } else {
            in_string = c == '"';
            out.push(c);
        }
    }
    out
}

#[test]
fn specification_examples_parse() {
    let Some(directory) = spec_examples() else { return };
    let read = |name: &str| {
        let path = directory.join(name);
        let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        assert!(TrustPolicyDocument::from_json(text.as_bytes()).is_err(), "{name}: comments must not parse");
        strip_line_comments(&text)
    };

    let audit = TrustPolicyDocument::from_json(read("oci-example-1-single-policy-audit.jsonc").as_bytes())
        .unwrap_or_else(|e| panic!("{e}"));
    let statement =
        audit.statement_for_reference(&format!("any.registry.io/any/repo@{DIGEST}")).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(statement.level().name(), LevelName::Audit);
    let TrustedIdentities::Subjects(subjects) = statement.trusted_identities() else { panic!("expected subjects") };
    assert_eq!(subjects.first().and_then(|dn| dn.get("CN")), Some("SecureBuilder"));

    let multi = TrustPolicyDocument::from_json(read("oci-example-2-multi-statement.jsonc").as_bytes())
        .unwrap_or_else(|e| panic!("{e}"));
    let names: Vec<&str> = multi.statements().iter().map(|s| s.name()).collect();
    assert_eq!(
        names,
        ["wabbit-networks-images", "unsigned-image", "use-expired-image", "global-policy-for-all-other-images"]
    );
    let select =
        |reference: &str| multi.statement_for_reference(&format!("{reference}@{DIGEST}")).map(|s| s.name().to_owned());
    assert_eq!(select("registry.acme-rockets.io/software/net-logger").as_deref(), Ok("wabbit-networks-images"));
    assert_eq!(select("registry.wabbit-networks.io/software/unsigned/net-utils").as_deref(), Ok("unsigned-image"));
    assert_eq!(select("registry.acme-rockets.io/software/legacy/metrics").as_deref(), Ok("use-expired-image"));
    assert_eq!(select("docker.io/library/alpine").as_deref(), Ok("global-policy-for-all-other-images"));

    let timestamp = TrustPolicyDocument::from_json(read("oci-example-3-timestamp-afterCertExpiry.jsonc").as_bytes())
        .unwrap_or_else(|e| panic!("{e}"));
    let statement = timestamp.statements().first().unwrap_or_else(|| panic!("no statement"));
    assert_eq!(statement.verify_timestamp(), VerifyTimestamp::AfterCertExpiry);
    assert!(statement.trust_stores().contains(&(StoreType::Tsa, "trusted-tsa".to_owned())));

    let blobs = BlobTrustPolicyDocument::from_json(read("blob-example-1-multi-statement-global.jsonc").as_bytes())
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(blobs.statement_named(None).map(|s| s.name()), Ok("global-policy-for-all-blobs"));
    let expired = blobs.statement_named(Some("use-expired-blobs")).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(expired.level().action(CheckType::Revocation), Action::Skip);

    let blob_timestamp =
        BlobTrustPolicyDocument::from_json(read("blob-example-2-timestamp-afterCertExpiry.jsonc").as_bytes())
            .unwrap_or_else(|e| panic!("{e}"));
    assert!(blob_timestamp.statement_named(None).is_err());
    assert_eq!(
        blob_timestamp.statement_named(Some("wabbit-networks-blobs")).map(|s| s.verify_timestamp()),
        Ok(VerifyTimestamp::AfterCertExpiry)
    );
}

/// A policy with one statement per scope (`*` included when `with_wildcard`).
fn policy_for(scopes: &[String], with_wildcard: bool) -> String {
    let statement = |index: usize, scope: &str| {
        format!(
            r#"{{"name":"s{index}","registryScopes":["{scope}"],"signatureVerification":{{"level":"audit"}},"trustStores":["ca:x"],"trustedIdentities":["*"]}}"#
        )
    };
    let mut statements: Vec<String> = scopes.iter().enumerate().map(|(i, s)| statement(i, s)).collect();
    if with_wildcard {
        statements.push(statement(scopes.len(), "*"));
    }
    format!(r#"{{"version":"1.0","trustPolicies":[{}]}}"#, statements.join(","))
}

fn scope_strategy() -> impl Strategy<Value = String> {
    "[a-c]{1,2}(\\.io)?/[a-c]{1,2}(/[a-c])?"
}

proptest! {
    #[test]
    fn selection_equals_a_linear_scan(
        scopes in proptest::collection::hash_set(scope_strategy(), 0..6),
        with_wildcard in any::<bool>(),
        repository in scope_strategy(),
    ) {
        let scopes: Vec<String> = scopes.into_iter().collect();
        let json = policy_for(&scopes, with_wildcard);
        let policy = TrustPolicyDocument::from_json(json.as_bytes());
        prop_assume!(!scopes.is_empty() || with_wildcard);
        let policy = policy.map_err(|e| TestCaseError::fail(e.to_string()))?;
        let reference = format!("{repository}@{DIGEST}");
        let selected = policy.statement_for_reference(&reference).ok().map(|s| s.name().to_owned());

        let scan = |scope: &str| policy.statements().iter().find(|s| s.registry_scopes().iter().any(|x| x == scope));
        let expected = scan(&repository).or_else(|| scan("*")).map(|s| s.name().to_owned());
        prop_assert_eq!(&selected, &expected);
        if scopes.contains(&repository) {
            let wildcard_statement = format!("s{}", scopes.len());
            prop_assert_ne!(selected, Some(wildcard_statement), "the specific scope must beat *");
        }
    }

    #[test]
    fn selection_never_panics(reference in "\\PC{0,40}") {
        let policy = TrustPolicyDocument::from_json(&fixture("valid/oci-multi-statement.json"))
            .map_err(|e| TestCaseError::fail(e.to_string()))?;
        let _ = policy.statement_for_reference(&reference);
    }

    #[test]
    fn parsing_never_panics(json in "\\PC{0,200}") {
        let _ = TrustPolicyDocument::problems(json.as_bytes());
        let _ = BlobTrustPolicyDocument::problems(json.as_bytes());
    }
}

#[test]
fn documents_are_clone_send_sync() {
    fn check<T: Clone + Send + Sync>() {}
    check::<TrustPolicyDocument>();
    check::<BlobTrustPolicyDocument>();
}

/// notation-go's `TestVerifyX509TrustedIdentities`: identities against real certificate subjects
/// as Go renders them.
#[test]
fn trusted_identities_match_certificate_subjects_like_notation() {
    let Some(vectors) = common::shared_vectors() else {
        return;
    };
    let directory = vectors.join("notaryproject__notation-go/verifier/testdata/verifier");
    let subject = |file: &str| {
        let pem = std::fs::read(directory.join(file)).unwrap_or_else(|e| panic!("{file}: {e}"));
        let certificates = notaverify::x509::parse_certificates(&pem).unwrap_or_else(|e| panic!("{file}: {e}"));
        certificates.first().unwrap_or_else(|| panic!("{file}: no certificate")).subject()
    };
    let policy_with = |identities: &[&str]| {
        let list: Vec<String> = identities.iter().map(|i| format!("{i:?}")).collect();
        let json = format!(
            r#"{{"version":"1.0","trustPolicies":[{{"name":"s","registryScopes":["*"],"signatureVerification":{{"level":"strict"}},"trustStores":["ca:x"],"trustedIdentities":[{}]}}]}}"#,
            list.join(",")
        );
        TrustPolicyDocument::from_json(json.as_bytes())
    };
    // What the workflow does: `*` matches; otherwise the first x509.subject identity that is a
    // subset of the parsed leaf subject.
    let matches = |identities: &[&str], leaf_subject: &str| -> Result<bool, PolicyError> {
        let policy = policy_with(identities)?;
        let statement = policy.statements().first().unwrap_or_else(|| panic!("no statement"));
        match statement.trusted_identities() {
            TrustedIdentities::Any => Ok(true),
            TrustedIdentities::Subjects(subjects) => {
                let leaf = notaverify::DistinguishedName::parse(leaf_subject)?;
                Ok(subjects.iter().any(|identity| identity.is_subset_of(&leaf)))
            }
        }
    };

    let signing = subject("signing-cert.pem");
    assert_eq!(signing, "CN=SomeCN,OU=SomeOU,O=SomeOrg,L=Seattle,ST=WA,C=US");
    let good = "x509.subject:C=US,O=SomeOrg,ST=WA";
    let other_country = "x509.subject:C=IND,O=SomeOrg,ST=TS";
    let custom = "nonX509Prefix:my-custom-identity";
    assert_eq!(matches(&[good], &signing), Ok(true));
    assert_eq!(matches(&[good, custom], &signing), Ok(true));
    assert_eq!(matches(&[good, other_country], &signing), Ok(true));
    assert_eq!(matches(&["*"], &signing), Ok(true));
    assert_eq!(matches(&[custom], &signing), Ok(false));
    assert_eq!(matches(&[other_country], &signing), Ok(false));
    assert_eq!(matches(&[other_country, custom], &signing), Ok(false));
    assert_eq!(matches(&[other_country, "x509.subject:C=LOL,O=LOL,ST=LOL"], &signing), Ok(false));
    assert!(matches!(
        policy_with(&["x509.subject:C=bad=#identity,O=LOL,ST=LOL"]),
        Err(PolicyError::InvalidIdentity { problem: DnProblem::HexValue, .. })
    ));

    let bad = subject("bad-cert.pem");
    assert!(bad.contains("=#"), "{bad}");
    assert!(matches!(
        matches(&[good, custom], &bad),
        Err(PolicyError::InvalidDistinguishedName { problem: DnProblem::HexValue, .. })
    ));
}
