//! Signature envelopes (JWS and COSE) parsed into one model. (Being written.)

/// A malformed envelope or a broken header rule.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum EnvelopeError {
    /// Placeholder.
    #[error("malformed envelope: {0}")]
    Malformed(String),
}
