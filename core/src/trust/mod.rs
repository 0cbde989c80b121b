//! Trust stores. (Being written.)

/// A trust store problem.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum TrustStoreError {
    /// Placeholder.
    #[error("trust store error: {0}")]
    Invalid(String),
}
