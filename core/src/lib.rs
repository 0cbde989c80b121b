//! notaverify: an offline verifier for Notary Project (notation) signatures.
#![forbid(unsafe_code)]
#![deny(missing_docs)]

mod check;
mod crypto;
pub mod envelope;
mod error;
pub mod limits;
pub mod loader;
pub mod policy;
mod time;
pub mod trust;
mod verify;
pub mod x509;

pub use check::{Action, CheckType, LevelName, StoreType};
pub use envelope::{Descriptor, Envelope, EnvelopeFormat, ExtendedAttribute, SignatureAlgorithm, SignedAttributes, SigningScheme, UnsignedAttributes};
pub use error::{CertificateError, EnvelopeError, Error, PolicyError, TrustStoreError};
pub use time::{Time, TimeParseError};
pub use x509::Certificate;
pub use trust::TrustStore;
pub use policy::{
    BlobTrustPolicyDocument, DistinguishedName, TrustPolicyDocument, TrustPolicyStatement, TrustedIdentities,
    VerificationLevel, VerifyTimestamp,
};
pub use crypto::{CryptoError, backend_name};
pub use verify::{
    ArtifactError, ArtifactOutcome, BlobOptions, CheckResult, FailureKind, PolicySummary, SignatureInput, SignatureOutcome, Signer,
    Target, Verifier, VerifyOptions, digest_of,
};
