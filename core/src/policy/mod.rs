//! Trust policy documents. (Being written.)

/// An invalid trust policy document, or no statement for an artifact.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum PolicyError {
    /// No statement's scope (or name) matches.
    #[error("artifact {reference:?} has no applicable trust policy statement")]
    NoApplicableStatement {
        /// The artifact reference or blob policy name looked up.
        reference: String,
    },
}
