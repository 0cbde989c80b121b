//! The posture class of an artifact: its names, the order reports list them in, and which pass.
//! [`crate::classify()`] decides an artifact's class; exceptions name the classes they excuse.

use serde::Serialize;

/// The posture class of an artifact.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "camelCase")]
pub enum Class {
    /// A signature verified.
    Verified,
    /// No signature.
    Unsigned,
    /// Signed, but not by a trusted signer.
    UnknownSigner,
    /// Signed by retired (rotated-out) trust material.
    RetiredSigner,
    /// The signature is not intact or not bound to the artifact.
    InvalidSignature,
    /// The signature or its certificate has expired.
    Expired,
    /// Another enforced check failed, or the artifact could not be evaluated.
    Failed,
    /// Out of policy, but an exception in force names it.
    Excepted,
    /// The policy says not to verify.
    SkippedByPolicy,
}

impl Class {
    /// Every class, in report order.
    pub const ALL: [Self; 9] = [
        Self::Verified,
        Self::Excepted,
        Self::SkippedByPolicy,
        Self::Unsigned,
        Self::UnknownSigner,
        Self::RetiredSigner,
        Self::InvalidSignature,
        Self::Expired,
        Self::Failed,
    ];

    /// The JSON name.
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::Verified => "verified",
            Self::Unsigned => "unsigned",
            Self::UnknownSigner => "unknownSigner",
            Self::RetiredSigner => "retiredSigner",
            Self::InvalidSignature => "invalidSignature",
            Self::Expired => "expired",
            Self::Failed => "failed",
            Self::Excepted => "excepted",
            Self::SkippedByPolicy => "skippedByPolicy",
        }
    }

    /// Parses the JSON name.
    pub fn from_name(name: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|c| c.as_str() == name)
    }

    /// True for the classes that pass: verified, excepted, skippedByPolicy.
    pub const fn in_policy(self) -> bool {
        matches!(self, Self::Verified | Self::Excepted | Self::SkippedByPolicy)
    }

    /// How far a failing signature got (higher: further); 0 for the classes that pass.
    pub(crate) fn rank(self) -> u8 {
        match self {
            Self::Failed => 6,
            Self::Expired => 5,
            Self::RetiredSigner => 4,
            Self::UnknownSigner => 3,
            Self::InvalidSignature => 2,
            _ => 0,
        }
    }
}

impl std::fmt::Display for Class {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}
