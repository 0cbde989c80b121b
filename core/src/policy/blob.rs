//! The blob trust policy document and statement selection by name.

use super::error::{PolicyError, PolicyKind};
use super::statement::{TrustPolicyStatement, parse_statements};
use crate::LevelName;
use std::collections::HashMap;

/// A validated blob trust policy document (`trustpolicy.blob.json`, version `1.0`).
///
/// ```
/// use notaverify::{BlobTrustPolicyDocument, TrustedIdentities};
///
/// let policy = BlobTrustPolicyDocument::from_json(br#"{
///     "version": "1.0",
///     "trustPolicies": [{
///         "name": "all-blobs",
///         "globalPolicy": true,
///         "signatureVerification": { "level": "strict", "override": { "revocation": "skip" } },
///         "trustStores": ["ca:valid-trust-store"],
///         "trustedIdentities": ["*"]
///     }]
/// }"#)?;
/// let statement = policy.statement_named(None)?;
/// assert_eq!(statement.level().display_name(), "custom");
/// assert_eq!(statement.trusted_identities(), &TrustedIdentities::Any);
/// # Ok::<(), notaverify::PolicyError>(())
/// ```
#[derive(Clone, Debug)]
pub struct BlobTrustPolicyDocument {
    statements: Vec<TrustPolicyStatement>,
    by_name: HashMap<String, usize>,
    global: Option<usize>,
}

impl BlobTrustPolicyDocument {
    /// Parses a document and applies every validation rule; fails with the first problem, in
    /// the order notation-go checks them.
    pub fn from_json(json: &[u8]) -> Result<Self, PolicyError> {
        super::first_problem(|problems| Self::validate(json, problems))
    }

    /// Every problem of a document (empty when [`BlobTrustPolicyDocument::from_json`]
    /// succeeds). A document that is not JSON of the expected shape has exactly one problem.
    pub fn problems(json: &[u8]) -> Vec<PolicyError> {
        super::all_problems(|problems| Self::validate(json, problems))
    }

    /// The statements in document order.
    pub fn statements(&self) -> &[TrustPolicyStatement] {
        &self.statements
    }

    /// The statement called `name` (exact match), or the global policy when `name` is `None`.
    ///
    /// Errors: [`PolicyError::EmptyPolicyName`] for a name that is empty or only whitespace;
    /// [`PolicyError::NoApplicableStatement`] when nothing matches.
    pub fn statement_named(&self, name: Option<&str>) -> Result<&TrustPolicyStatement, PolicyError> {
        let index = match name {
            Some(name) if name.trim().is_empty() => return Err(PolicyError::EmptyPolicyName),
            Some(name) => self.by_name.get(name).copied(),
            None => self.global,
        };
        index.and_then(|i| self.statements.get(i)).ok_or_else(|| PolicyError::NoApplicableStatement {
            reference: name.unwrap_or_default().to_owned(),
            kind: PolicyKind::Blob,
        })
    }

    fn validate(json: &[u8], problems: &mut Vec<PolicyError>) -> Self {
        let mut global: Option<String> = None;
        let statements = parse_statements(json, PolicyKind::Blob, problems, |statement, problems| {
            if !statement.global_policy() {
                return;
            }
            if statement.level().name() == LevelName::Skip {
                problems.push(PolicyError::GlobalPolicySkip { statement: statement.name().to_owned() });
            }
            match &global {
                Some(first) => problems.push(PolicyError::MultipleGlobalPolicies {
                    first: first.clone(),
                    second: statement.name().to_owned(),
                }),
                None => global = Some(statement.name().to_owned()),
            }
        });
        let mut by_name = HashMap::with_capacity(statements.len());
        for (index, statement) in statements.iter().enumerate() {
            by_name.entry(statement.name().to_owned()).or_insert(index);
        }
        let global = statements.iter().position(TrustPolicyStatement::global_policy);
        Self { statements, by_name, global }
    }
}
