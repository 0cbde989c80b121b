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

/// The kind of an [`Error`], with its stable, machine-readable code ([`ErrorKind::as_str`]).
///
/// Deliberately not `#[non_exhaustive]`: the C, Python and Node bindings map every kind with a
/// `match` that has no catch-all arm, so adding a kind breaks their build until each of them
/// decides what it means.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ErrorKind {
    /// [`Error::Envelope`]: `ENVELOPE`.
    Envelope,
    /// [`Error::Certificate`]: `CERTIFICATE`.
    Certificate,
    /// [`Error::TrustStore`]: `TRUST_STORE`.
    TrustStore,
    /// [`Error::Policy`], except no applicable statement: `POLICY`.
    Policy,
    /// [`Error::Policy`] with [`PolicyError::NoApplicableStatement`]: `NO_APPLICABLE_POLICY`.
    NoApplicablePolicy,
    /// [`Error::InvalidInput`]: `INVALID_INPUT`.
    InvalidInput,
    /// [`Error::Load`]: `LOAD`.
    Load,
    /// [`Error::LimitExceeded`]: `LIMIT_EXCEEDED`.
    LimitExceeded,
    /// [`Error::Internal`]: `INTERNAL`.
    Internal,
}

impl ErrorKind {
    /// Every kind, in declaration order.
    pub const ALL: [Self; 9] = [
        Self::Envelope,
        Self::Certificate,
        Self::TrustStore,
        Self::Policy,
        Self::NoApplicablePolicy,
        Self::InvalidInput,
        Self::Load,
        Self::LimitExceeded,
        Self::Internal,
    ];

    /// The stable code of this kind, used by the CLI's JSON and by the bindings (`ENVELOPE`,
    /// `CERTIFICATE`, `TRUST_STORE`, `POLICY`, `NO_APPLICABLE_POLICY`, `INVALID_INPUT`, `LOAD`,
    /// `LIMIT_EXCEEDED`, `INTERNAL`).
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::Envelope => "ENVELOPE",
            Self::Certificate => "CERTIFICATE",
            Self::TrustStore => "TRUST_STORE",
            Self::Policy => "POLICY",
            Self::NoApplicablePolicy => "NO_APPLICABLE_POLICY",
            Self::InvalidInput => "INVALID_INPUT",
            Self::Load => "LOAD",
            Self::LimitExceeded => "LIMIT_EXCEEDED",
            Self::Internal => "INTERNAL",
        }
    }
}

impl std::fmt::Display for ErrorKind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

impl Error {
    /// The kind of this error.
    pub fn kind(&self) -> ErrorKind {
        match self {
            Self::Envelope(_) => ErrorKind::Envelope,
            Self::Certificate(_) => ErrorKind::Certificate,
            Self::TrustStore(_) => ErrorKind::TrustStore,
            Self::Policy(PolicyError::NoApplicableStatement { .. }) => ErrorKind::NoApplicablePolicy,
            Self::Policy(_) => ErrorKind::Policy,
            Self::InvalidInput(_) => ErrorKind::InvalidInput,
            Self::Load { .. } => ErrorKind::Load,
            Self::LimitExceeded { .. } => ErrorKind::LimitExceeded,
            Self::Internal(_) => ErrorKind::Internal,
        }
    }

    /// A stable, machine-readable code for this kind of error: `self.kind().as_str()` (see
    /// [`ErrorKind::as_str`]).
    pub fn code(&self) -> &'static str {
        self.kind().as_str()
    }
}

/// Unusable revocation evidence given by the caller: a size limit is [`Error::LimitExceeded`],
/// anything else (not a CRL or OCSP response, a misplaced delta CRL) [`Error::InvalidInput`].
impl From<crate::revocation::RevocationError> for Error {
    fn from(error: crate::revocation::RevocationError) -> Self {
        match error {
            crate::revocation::RevocationError::TooLarge { what, limit, actual } => {
                Self::LimitExceeded { what, limit, actual }
            }
            other => Self::InvalidInput(other.to_string()),
        }
    }
}

/// Fails with [`Error::LimitExceeded`] when `actual > limit`.
pub(crate) fn check_limit(what: &'static str, actual: usize, limit: usize) -> Result<(), Error> {
    if actual > limit { Err(Error::LimitExceeded { what, limit, actual }) } else { Ok(()) }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kinds_have_distinct_codes_in_declaration_order() {
        for (i, kind) in ErrorKind::ALL.into_iter().enumerate() {
            assert_eq!(kind as usize, i, "{kind}");
            assert_eq!(kind.to_string(), kind.as_str());
            assert_eq!(ErrorKind::ALL.iter().filter(|k| k.as_str() == kind.as_str()).count(), 1, "{kind}");
        }
        let error = Error::Load { path: "p".into(), reason: "r".into() };
        assert_eq!((error.kind(), error.code()), (ErrorKind::Load, "LOAD"));
        let error = Error::Internal("a bug".into());
        assert_eq!((error.kind(), error.code()), (ErrorKind::Internal, "INTERNAL"));
    }
}
