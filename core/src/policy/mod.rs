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
mod scope;
mod statement;

pub use blob::BlobTrustPolicyDocument;
pub use dn::DistinguishedName;
pub use document::TrustPolicyDocument;
pub use error::{DnProblem, PolicyError, PolicyKind};
pub use identity::TrustedIdentities;
pub use level::{VerificationLevel, VerifyTimestamp};
pub use statement::TrustPolicyStatement;
