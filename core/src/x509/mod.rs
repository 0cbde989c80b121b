//! X.509 certificates and notation's chain rules. (Being written.)

/// A certificate that does not parse or a chain that breaks notation's rules.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum CertificateError {
    /// Placeholder.
    #[error("malformed certificate: {0}")]
    Malformed(String),
}
