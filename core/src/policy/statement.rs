//! A trust policy statement, and the rules shared by OCI and blob documents (notation-go's
//! `validatePolicyCore` and the document header checks).

use super::error::{PolicyError, PolicyKind};
use super::identity::{TrustedIdentities, parse_trusted_identities};
use super::level::{VerificationLevel, VerifyTimestamp, parse_signature_verification};
use super::raw::{RawSignatureVerification, RawStatement, items_of, parse_document};
use crate::{LevelName, StoreType};
use std::collections::HashSet;

const SUPPORTED_VERSION: &str = "1.0";

/// One statement of a trust policy document, validated.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TrustPolicyStatement {
    name: String,
    registry_scopes: Vec<String>,
    global_policy: bool,
    level: VerificationLevel,
    verify_timestamp: VerifyTimestamp,
    trust_stores: Vec<(StoreType, String)>,
    trusted_identities: TrustedIdentities,
    other_identities: Vec<String>,
}

impl TrustPolicyStatement {
    /// The statement's unique name.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// The registry scopes (`*` or `domain/repository`) of an OCI statement; empty for blob.
    pub fn registry_scopes(&self) -> &[String] {
        &self.registry_scopes
    }

    /// Whether a blob statement is the global policy (`globalPolicy: true`); false for OCI.
    pub fn global_policy(&self) -> bool {
        self.global_policy
    }

    /// The verification level with its overrides applied.
    pub fn level(&self) -> &VerificationLevel {
        &self.level
    }

    /// The trust stores as (type, name), without repetitions, in document order. Empty for level
    /// `skip`.
    pub fn trust_stores(&self) -> &[(StoreType, String)] {
        &self.trust_stores
    }

    /// The trusted identities.
    pub fn trusted_identities(&self) -> &TrustedIdentities {
        &self.trusted_identities
    }

    /// Trusted identities whose prefix is not `x509.subject` (meant for verification plugins),
    /// verbatim. notaverify has no plugins, so they never match.
    pub fn other_identities(&self) -> &[String] {
        &self.other_identities
    }

    /// When the timestamp countersignature is verified.
    pub fn verify_timestamp(&self) -> VerifyTimestamp {
        self.verify_timestamp
    }
}

/// Parses a document and applies the header rules and, per statement in order, the duplicate
/// name rule, the core rules, the foreign-member rule and then `per_statement` (the
/// kind-specific rules notation checks inside the same loop). Statements are built even when
/// they have problems, so that later rules can still be checked; the caller must not use them
/// when `problems` is not empty.
pub(super) fn parse_statements(
    json: &[u8],
    kind: PolicyKind,
    problems: &mut Vec<PolicyError>,
    mut per_statement: impl FnMut(&TrustPolicyStatement, &mut Vec<PolicyError>),
) -> Vec<TrustPolicyStatement> {
    let document = match parse_document(json) {
        Ok(document) => document,
        Err(error) => {
            problems.push(error);
            return Vec::new();
        }
    };
    match document.version.as_deref() {
        None | Some("") => problems.push(PolicyError::EmptyVersion { kind }),
        Some(SUPPORTED_VERSION) => {}
        Some(version) => problems.push(PolicyError::UnsupportedVersion { kind, version: version.to_owned() }),
    }
    let raw_statements = items_of(&document.trust_policies);
    if raw_statements.is_empty() {
        problems.push(PolicyError::NoStatements { kind });
    }
    if let Some(list) = &document.trust_policies {
        list.check_limit("statement count", problems);
    }
    let mut names = HashSet::new();
    let mut statements = Vec::with_capacity(raw_statements.len());
    for (index, raw) in raw_statements.iter().enumerate() {
        let name = raw.name.clone().unwrap_or_default();
        if !names.insert(name.clone()) {
            problems.push(PolicyError::DuplicateName { kind, name: name.clone() });
        }
        let statement = build_statement(index, name, raw, kind, problems);
        per_statement(&statement, problems);
        statements.push(statement);
    }
    statements
}

fn build_statement(
    index: usize,
    name: String,
    raw: &RawStatement,
    kind: PolicyKind,
    problems: &mut Vec<PolicyError>,
) -> TrustPolicyStatement {
    if name.is_empty() {
        problems.push(PolicyError::MissingName { index });
    }
    let default_verification = RawSignatureVerification::default();
    let verification = raw.signature_verification.as_ref().unwrap_or(&default_verification);
    let parsed_level = parse_signature_verification(&name, verification, problems);
    let raw_stores = items_of(&raw.trust_stores);
    let raw_identities = items_of(&raw.trusted_identities);
    for (list, what) in
        [(&raw.trust_stores, "trustStores entry count"), (&raw.trusted_identities, "trustedIdentities entry count")]
    {
        if let Some(list) = list {
            list.check_limit(what, problems);
        }
    }

    // The skip rule depends on the level's text, so it holds even when `override` is misused.
    let is_skip = verification.level.as_deref() == Some(LevelName::Skip.as_str());
    let (trust_stores, identities) = if is_skip {
        if !raw_stores.is_empty() || !raw_identities.is_empty() {
            problems.push(PolicyError::SkipWithTrustSettings { statement: name.clone() });
        }
        (Vec::new(), None)
    } else {
        // With an unusable level, notation stops before this rule; only the formats are checked.
        if parsed_level.is_some() && (raw_stores.is_empty() || raw_identities.is_empty()) {
            problems.push(PolicyError::MissingTrustSettings { statement: name.clone() });
        }
        (
            parse_trust_stores(&name, raw_stores, problems),
            Some(parse_trusted_identities(&name, raw_identities, problems)),
        )
    };
    let (trusted_identities, other_identities) = match identities {
        Some(parsed) => (parsed.trusted, parsed.other),
        None => (TrustedIdentities::Subjects(Vec::new()), Vec::new()),
    };

    let registry_scopes = match (kind, &raw.registry_scopes) {
        (PolicyKind::Oci, Some(scopes)) => {
            scopes.check_limit("registryScopes entry count", problems);
            scopes.items().to_vec()
        }
        (PolicyKind::Blob, Some(_)) => {
            problems.push(PolicyError::ForeignMember { kind, statement: name.clone(), member: "registryScopes" });
            Vec::new()
        }
        (_, None) => Vec::new(),
    };
    let global_policy = match (kind, raw.global_policy) {
        (PolicyKind::Oci, Some(_)) => {
            problems.push(PolicyError::ForeignMember { kind, statement: name.clone(), member: "globalPolicy" });
            false
        }
        (_, global) => global.unwrap_or(false),
    };

    let (level, verify_timestamp) =
        parsed_level.unwrap_or((VerificationLevel::named(LevelName::Strict), VerifyTimestamp::Always));
    TrustPolicyStatement {
        name,
        registry_scopes,
        global_policy,
        level,
        verify_timestamp,
        trust_stores,
        trusted_identities,
        other_identities,
    }
}

/// notation-go's `validateTrustStore`; also drops repeated entries.
fn parse_trust_stores(
    statement: &str,
    entries: &[String],
    problems: &mut Vec<PolicyError>,
) -> Vec<(StoreType, String)> {
    let mut stores: Vec<(StoreType, String)> = Vec::new();
    for value in entries {
        let Some((store_type, store_name)) = value.split_once(':') else {
            problems.push(PolicyError::MalformedTrustStore { statement: statement.to_owned(), value: value.clone() });
            continue;
        };
        let Some(store_type_parsed) = StoreType::from_name(store_type) else {
            problems.push(PolicyError::UnsupportedTrustStoreType {
                statement: statement.to_owned(),
                store_type: store_type.to_owned(),
                value: value.clone(),
            });
            continue;
        };
        if !is_valid_store_name(store_name) {
            problems.push(PolicyError::InvalidTrustStoreName {
                statement: statement.to_owned(),
                store_name: store_name.to_owned(),
                value: value.clone(),
            });
            continue;
        }
        let store = (store_type_parsed, store_name.to_owned());
        if !stores.contains(&store) {
            stores.push(store);
        }
    }
    stores
}

/// `[a-zA-Z0-9_.-]+` (notation's `file.IsValidFileName`).
fn is_valid_store_name(name: &str) -> bool {
    !name.is_empty() && name.bytes().all(|b| b.is_ascii_alphanumeric() || matches!(b, b'_' | b'.' | b'-'))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn trust_stores_are_validated_and_deduplicated() {
        let entries: Vec<String> = ["ca:a", "tsa:t", "ca:a", "ca", "x:y", "ca:a/b", "signingAuthority:s.1_-"]
            .iter()
            .map(|s| (*s).to_owned())
            .collect();
        let mut problems = Vec::new();
        let stores = parse_trust_stores("s", &entries, &mut problems);
        assert_eq!(
            stores,
            vec![
                (StoreType::Ca, "a".to_owned()),
                (StoreType::Tsa, "t".to_owned()),
                (StoreType::SigningAuthority, "s.1_-".to_owned())
            ]
        );
        assert!(matches!(
            problems.as_slice(),
            [
                PolicyError::MalformedTrustStore { .. },
                PolicyError::UnsupportedTrustStoreType { .. },
                PolicyError::InvalidTrustStoreName { .. }
            ]
        ));
    }
}
