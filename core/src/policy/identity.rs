//! `trustedIdentities`: `*` or a list of `x509.subject:` distinguished names.

use super::WILDCARD;
use super::dn::DistinguishedName;
use super::error::PolicyError;

/// The only identity prefix notation understands natively.
const X509_SUBJECT: &str = "x509.subject";

/// Whose signatures a statement trusts.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum TrustedIdentities {
    /// `*`: any signer whose chain anchors in the statement's trust stores.
    Any,
    /// Only a leaf certificate whose subject contains every attribute of one of these
    /// identities, tried in order. Empty when the statement has no `x509.subject` identity (level
    /// `skip`, or only identities with other prefixes, which are meant for plugins; see
    /// [`crate::TrustPolicyStatement::other_identities`]): then nothing matches.
    Subjects(Vec<DistinguishedName>),
}

/// The identities of a statement: the usable ones and, verbatim, those with other prefixes.
pub(super) struct ParsedIdentities {
    pub(super) trusted: TrustedIdentities,
    pub(super) other: Vec<String>,
}

/// notation-go's `validateTrustedIdentities`, recording every problem.
pub(super) fn parse_trusted_identities(
    statement: &str,
    entries: &[String],
    problems: &mut Vec<PolicyError>,
) -> ParsedIdentities {
    let statement_name = || statement.to_owned();
    if entries.len() == 1 && entries.first().is_some_and(|e| e == WILDCARD) {
        return ParsedIdentities { trusted: TrustedIdentities::Any, other: Vec::new() };
    }
    if entries.iter().any(|e| e == WILDCARD) {
        problems.push(PolicyError::WildcardIdentityMixed { statement: statement_name() });
    }
    let mut subjects: Vec<(&str, DistinguishedName)> = Vec::new();
    let mut other = Vec::new();
    for identity in entries.iter().filter(|e| *e != WILDCARD) {
        if identity.is_empty() {
            problems.push(PolicyError::EmptyIdentity { statement: statement_name() });
            continue;
        }
        let Some((prefix, value)) = identity.split_once(':') else {
            problems.push(PolicyError::IdentityMissingSeparator {
                statement: statement_name(),
                identity: identity.clone(),
            });
            continue;
        };
        if prefix != X509_SUBJECT {
            other.push(identity.clone());
            continue;
        }
        if value.is_empty() {
            problems
                .push(PolicyError::IdentityWithoutValue { statement: statement_name(), identity: identity.clone() });
            continue;
        }
        match DistinguishedName::parse(value) {
            Ok(dn) => subjects.push((identity, dn)),
            Err(PolicyError::InvalidDistinguishedName { problem, .. }) => {
                problems.push(PolicyError::InvalidIdentity {
                    statement: statement_name(),
                    identity: identity.clone(),
                    problem,
                });
            }
            Err(other_error) => problems.push(other_error),
        }
    }
    check_overlaps(statement, &subjects, problems);
    ParsedIdentities { trusted: TrustedIdentities::Subjects(subjects.into_iter().map(|(_, dn)| dn).collect()), other }
}

/// Every ordered pair (i, j), i ≠ j, with DN_i ⊆ DN_j is an overlap; identical entries overlap
/// both ways and are reported once.
fn check_overlaps(statement: &str, subjects: &[(&str, DistinguishedName)], problems: &mut Vec<PolicyError>) {
    for (i, (identity, dn)) in subjects.iter().enumerate() {
        for (j, (other, other_dn)) in subjects.iter().enumerate() {
            let reported_the_other_way = j < i && other_dn.is_subset_of(dn);
            if i != j && !reported_the_other_way && dn.is_subset_of(other_dn) {
                problems.push(PolicyError::OverlappingIdentities {
                    statement: statement.to_owned(),
                    identity: (*identity).to_owned(),
                    other: (*other).to_owned(),
                });
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(entries: &[&str]) -> (ParsedIdentities, Vec<PolicyError>) {
        let entries: Vec<String> = entries.iter().map(|e| (*e).to_owned()).collect();
        let mut problems = Vec::new();
        let parsed = parse_trusted_identities("s", &entries, &mut problems);
        (parsed, problems)
    }

    #[test]
    fn wildcard_alone_is_any() {
        let (parsed, problems) = parse(&["*"]);
        assert_eq!(parsed.trusted, TrustedIdentities::Any);
        assert!(problems.is_empty());
        let (_, problems) = parse(&["*", "x509.subject:C=US,ST=WA,O=x"]);
        assert_eq!(problems, vec![PolicyError::WildcardIdentityMixed { statement: "s".into() }]);
    }

    #[test]
    fn other_prefixes_are_kept_aside() {
        let (parsed, problems) = parse(&["x509.subject: C=US, ST=WA, O=x", "plugin.id:abc", "X509.SUBJECT:C=US"]);
        assert!(problems.is_empty(), "{problems:?}");
        assert_eq!(parsed.other, vec!["plugin.id:abc".to_owned(), "X509.SUBJECT:C=US".to_owned()]);
        let TrustedIdentities::Subjects(subjects) = parsed.trusted else { panic!("expected subjects") };
        assert_eq!(subjects.len(), 1);
    }

    #[test]
    fn overlaps_are_reported_once_per_pair() {
        let (_, problems) = parse(&["x509.subject:C=US,ST=WA,O=x", "x509.subject:C=US,ST=WA,O=x,CN=y"]);
        assert_eq!(
            problems,
            vec![PolicyError::OverlappingIdentities {
                statement: "s".into(),
                identity: "x509.subject:C=US,ST=WA,O=x".into(),
                other: "x509.subject:C=US,ST=WA,O=x,CN=y".into(),
            }]
        );
        let (_, problems) = parse(&["x509.subject:C=US,ST=WA,O=x", "x509.subject: O=x, ST=WA, C=US"]);
        assert_eq!(problems.len(), 1);
        let (_, problems) = parse(&["x509.subject:C=US,ST=WA,O=x,CN=a", "x509.subject:C=US,ST=WA,O=x,CN=b"]);
        assert!(problems.is_empty());
    }
}
