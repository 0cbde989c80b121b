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
    pub const ALL: [Class; 9] = [
        Class::Verified,
        Class::Excepted,
        Class::SkippedByPolicy,
        Class::Unsigned,
        Class::UnknownSigner,
        Class::RetiredSigner,
        Class::InvalidSignature,
        Class::Expired,
        Class::Failed,
    ];

    /// The JSON name.
    pub const fn as_str(self) -> &'static str {
        match self {
            Class::Verified => "verified",
            Class::Unsigned => "unsigned",
            Class::UnknownSigner => "unknownSigner",
            Class::RetiredSigner => "retiredSigner",
            Class::InvalidSignature => "invalidSignature",
            Class::Expired => "expired",
            Class::Failed => "failed",
            Class::Excepted => "excepted",
            Class::SkippedByPolicy => "skippedByPolicy",
        }
    }

    /// Parses the JSON name.
    pub fn from_name(name: &str) -> Option<Class> {
        Class::ALL.into_iter().find(|c| c.as_str() == name)
    }

    /// True for the classes that pass: verified, excepted, skippedByPolicy.
    pub const fn in_policy(self) -> bool {
        matches!(self, Class::Verified | Class::Excepted | Class::SkippedByPolicy)
    }

    /// How far a failing signature got (higher: further); 0 for the classes that pass.
    pub(crate) fn rank(self) -> u8 {
        match self {
            Class::Failed => 6,
            Class::Expired => 5,
            Class::RetiredSigner => 4,
            Class::UnknownSigner => 3,
            Class::InvalidSignature => 2,
            _ => 0,
        }
    }
}

impl std::fmt::Display for Class {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}
