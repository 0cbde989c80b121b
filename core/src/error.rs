//! The one error type of the crate. Each area has its own precise enum; [`Error`] wraps them so a
//! caller can match broadly (`Error::Policy(_)`) or exactly.

pub use crate::envelope::EnvelopeError;
pub use crate::policy::PolicyError;
pub use crate::trust::TrustStoreError;
pub use crate::x509::CertificateError;

/// Everything that can go wrong in notaverify.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The signature envelope is malformed or breaks a header rule.
    #[error(transparent)]
    Envelope(#[from] EnvelopeError),
    /// A certificate does not parse or a chain breaks notation's rules.
    #[error(transparent)]
    Certificate(#[from] CertificateError),
    /// The trust store could not be built or has no usable certificate.
    #[error(transparent)]
    TrustStore(#[from] TrustStoreError),
    /// The trust policy document is invalid, or no statement applies.
    #[error(transparent)]
    Policy(#[from] PolicyError),
    /// An argument of the request is unusable (a reference without a digest, a bad digest, ...).
    #[error("invalid input: {0}")]
    InvalidInput(String),
    /// A file or directory could not be read or is not what notation expects there (only the
    /// loader reads files).
    #[error("{path}: {reason}")]
    Load {
        /// The path that failed.
        path: String,
        /// What was wrong.
        reason: String,
    },
    /// An input is larger or has more items than a documented limit in [`crate::limits`].
    #[error("{what} exceeds the limit of {limit} (got {actual})")]
    LimitExceeded {
        /// What was too large or too many.
        what: &'static str,
        /// The limit from [`crate::limits`].
        limit: usize,
        /// What the input had (or a lower bound of it).
        actual: usize,
    },
    /// A bug in notaverify stopped this verification (a panic caught by
    /// [`crate::Verifier::verify_many_with`]); it never counts as verified and is never excepted.
    #[error("internal error: {0}")]
    Internal(String),
}

impl Error {
    /// A stable, machine-readable code for this kind of error, used by the CLI's JSON and by the
    /// bindings (`ENVELOPE`, `CERTIFICATE`, `TRUST_STORE`, `POLICY`, `NO_APPLICABLE_POLICY`,
    /// `INVALID_INPUT`, `LOAD`, `LIMIT_EXCEEDED`, `INTERNAL`).
    pub fn code(&self) -> &'static str {
        match self {
            Error::Envelope(_) => "ENVELOPE",
            Error::Certificate(_) => "CERTIFICATE",
            Error::TrustStore(_) => "TRUST_STORE",
            Error::Policy(PolicyError::NoApplicableStatement { .. }) => "NO_APPLICABLE_POLICY",
            Error::Policy(_) => "POLICY",
            Error::InvalidInput(_) => "INVALID_INPUT",
            Error::Load { .. } => "LOAD",
            Error::LimitExceeded { .. } => "LIMIT_EXCEEDED",
            Error::Internal(_) => "INTERNAL",
        }
    }
}

/// Unusable revocation evidence given by the caller: a size limit is [`Error::LimitExceeded`],
/// anything else (not a CRL or OCSP response, a misplaced delta CRL) [`Error::InvalidInput`].
impl From<crate::revocation::RevocationError> for Error {
    fn from(error: crate::revocation::RevocationError) -> Self {
        match error {
            crate::revocation::RevocationError::TooLarge { what, limit, actual } => {
                Error::LimitExceeded { what, limit, actual }
            }
            other => Error::InvalidInput(other.to_string()),
        }
    }
}

/// Fails with [`Error::LimitExceeded`] when `actual > limit`.
pub(crate) fn check_limit(what: &'static str, actual: usize, limit: usize) -> Result<(), Error> {
    if actual > limit { Err(Error::LimitExceeded { what, limit, actual }) } else { Ok(()) }
}
