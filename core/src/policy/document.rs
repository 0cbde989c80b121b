//! The OCI trust policy document and statement selection by registry scope.

use super::WILDCARD;
use super::error::{PolicyError, PolicyKind};
use super::statement::{TrustPolicyStatement, parse_statements};
use crate::reference::{ArtifactReference, Repository, RepositoryProblem, check_repository, split_reference};
use std::collections::HashMap;
use std::collections::hash_map::Entry;

/// A validated OCI trust policy document (`trustpolicy.oci.json`, version `1.0`).
///
/// ```
/// use notaverify::{LevelName, TrustPolicyDocument};
///
/// let policy = TrustPolicyDocument::from_json(br#"{
///     "version": "1.0",
///     "trustPolicies": [{
///         "name": "wabbit-networks-images",
///         "registryScopes": ["registry.wabbit-networks.io/software/net-monitor"],
///         "signatureVerification": { "level": "strict" },
///         "trustStores": ["ca:wabbit-networks"],
///         "trustedIdentities": ["x509.subject: C=US, ST=WA, O=wabbit-networks.io"]
///     }]
/// }"#)?;
/// let statement = policy.statement_for_reference(
///     "registry.wabbit-networks.io/software/net-monitor@sha256:60043cf45eaebc4c0867fea485a039b598f52fd09fd5b07b0b2d2f88fad9d74e",
/// )?;
/// assert_eq!(statement.name(), "wabbit-networks-images");
/// assert_eq!(statement.level().name(), LevelName::Strict);
/// # Ok::<(), notaverify::PolicyError>(())
/// ```
#[derive(Clone, Debug)]
pub struct TrustPolicyDocument {
    statements: Vec<TrustPolicyStatement>,
    by_scope: HashMap<String, usize>,
    wildcard: Option<usize>,
}

impl TrustPolicyDocument {
    /// Parses a document and applies every validation rule; fails with the first problem, in
    /// the order notation-go checks them.
    pub fn from_json(json: &[u8]) -> Result<Self, PolicyError> {
        super::first_problem(|problems| Self::validate(json, problems))
    }

    /// Every problem of a document (empty when [`TrustPolicyDocument::from_json`] succeeds). A
    /// document that is not JSON of the expected shape has exactly one problem.
    pub fn problems(json: &[u8]) -> Vec<PolicyError> {
        super::all_problems(|problems| Self::validate(json, problems))
    }

    /// The statements in document order.
    pub fn statements(&self) -> &[TrustPolicyStatement] {
        &self.statements
    }

    /// The statement that applies to `artifact_reference` (`registry/repository@digest`): the one
    /// listing the exact repository (case-sensitive, no normalisation) as a registry scope, else
    /// the one with scope `*`. Only the repository (the part before the last `@`) is read.
    ///
    /// Errors: [`PolicyError::ReferenceWithoutDigest`], [`PolicyError::InvalidReferenceRepository`],
    /// [`PolicyError::NoApplicableStatement`].
    pub fn statement_for_reference(&self, artifact_reference: &str) -> Result<&TrustPolicyStatement, PolicyError> {
        let Some((repository, _)) = split_reference(artifact_reference) else {
            return Err(PolicyError::ReferenceWithoutDigest { reference: artifact_reference.to_owned() });
        };
        let repository: Repository = repository.parse().map_err(|_| PolicyError::InvalidReferenceRepository {
            reference: artifact_reference.to_owned(),
            repository: repository.to_owned(),
        })?;
        self.statement_for_repository(&repository, || artifact_reference.to_owned())
    }

    /// [`TrustPolicyDocument::statement_for_reference`] for a parsed reference: only
    /// [`PolicyError::NoApplicableStatement`] remains possible.
    pub fn statement_for(&self, reference: &ArtifactReference) -> Result<&TrustPolicyStatement, PolicyError> {
        self.statement_for_repository(reference.repository(), || reference.to_string())
    }

    fn statement_for_repository(
        &self,
        repository: &Repository,
        reference: impl FnOnce() -> String,
    ) -> Result<&TrustPolicyStatement, PolicyError> {
        self.by_scope
            .get(repository.as_str())
            .or(self.wildcard.as_ref())
            .and_then(|&index| self.statements.get(index))
            .ok_or_else(|| PolicyError::NoApplicableStatement { reference: reference(), kind: PolicyKind::Oci })
    }

    fn validate(json: &[u8], problems: &mut Vec<PolicyError>) -> Self {
        let statements = parse_statements(json, PolicyKind::Oci, problems, |_, _| {});
        for statement in &statements {
            check_scopes(statement, problems);
        }
        // notation counts scopes across the document only after every format check.
        let mut by_scope = HashMap::new();
        for (index, statement) in statements.iter().enumerate() {
            for scope in statement.registry_scopes() {
                match by_scope.entry(scope.clone()) {
                    Entry::Vacant(vacant) => {
                        vacant.insert(index);
                    }
                    Entry::Occupied(occupied) => problems.push(PolicyError::ScopeInMultipleStatements {
                        scope: scope.clone(),
                        first: statements.get(*occupied.get()).map(|s| s.name().to_owned()).unwrap_or_default(),
                        second: statement.name().to_owned(),
                    }),
                }
            }
        }
        let wildcard = by_scope.get(WILDCARD).copied();
        Self { statements, by_scope, wildcard }
    }
}

/// notation-go's per-statement registry scope rules.
fn check_scopes(statement: &TrustPolicyStatement, problems: &mut Vec<PolicyError>) {
    let scopes = statement.registry_scopes();
    let statement_name = || statement.name().to_owned();
    if scopes.is_empty() {
        problems.push(PolicyError::NoRegistryScopes { statement: statement_name() });
    }
    if scopes.len() > 1 && scopes.iter().any(|s| s == WILDCARD) {
        problems.push(PolicyError::WildcardScopeMixed { statement: statement_name() });
    }
    for scope in scopes.iter().filter(|s| *s != WILDCARD) {
        match check_repository(scope) {
            Ok(()) => {}
            Err(RepositoryProblem::Wildcard) => {
                problems.push(PolicyError::WildcardInScope { statement: statement_name(), scope: scope.clone() });
            }
            Err(RepositoryProblem::Invalid) => {
                problems.push(PolicyError::InvalidScope { statement: statement_name(), scope: scope.clone() });
            }
        }
    }
}
