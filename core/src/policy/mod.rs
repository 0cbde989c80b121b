//! Trust policy documents (`trustpolicy.oci.json` and `trustpolicy.blob.json`): parsing, every
//! validation rule notation-go applies, statement selection, and `x509.subject` trusted
//! identities.
//!
//! A document is validated completely when it is built, so a [`TrustPolicyDocument`] or a
//! [`BlobTrustPolicyDocument`] that exists is one notation would accept (up to the documented
//! divergences). [`TrustPolicyDocument::problems`] lists every problem of a document at once.

mod blob;
mod dn;
mod document;
mod error;
mod identity;
mod level;
mod raw;
mod statement;

pub use blob::BlobTrustPolicyDocument;
pub use dn::DistinguishedName;
pub use document::TrustPolicyDocument;
pub use error::{DnProblem, PolicyError, PolicyKind};
pub use identity::TrustedIdentities;
pub use level::{VerificationLevel, VerifyTimestamp};
pub use statement::TrustPolicyStatement;

/// The registry scope, and the trusted identity, that matches everything. Other scopes are
/// repositories ([`crate::reference::Repository`]).
const WILDCARD: &str = "*";

/// Runs a document validation and fails with its first problem, in notation-go's order.
fn first_problem<T>(validate: impl FnOnce(&mut Vec<PolicyError>) -> T) -> Result<T, PolicyError> {
    let mut problems = Vec::new();
    let document = validate(&mut problems);
    match problems.into_iter().next() {
        Some(first) => Err(first),
        None => Ok(document),
    }
}

/// Runs a document validation and returns every problem it found.
fn all_problems<T>(validate: impl FnOnce(&mut Vec<PolicyError>) -> T) -> Vec<PolicyError> {
    let mut problems = Vec::new();
    validate(&mut problems);
    problems
}
