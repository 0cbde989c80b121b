//! The names notation uses for checks, actions and verification levels.

use serde::Serialize;
use std::fmt;

/// One of notation's five validation checks.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "camelCase")]
pub enum CheckType {
    /// Envelope signature, headers, chain structure, payload and target match.
    Integrity,
    /// Chain anchored in a trust store of the right type, and a trusted identity.
    Authenticity,
    /// Certificate validity at an authentic time (authentic signing time or a TSA timestamp).
    AuthenticTimestamp,
    /// The signature's own expiry.
    Expiry,
    /// Certificate revocation status.
    Revocation,
}

impl CheckType {
    /// All checks, in notation's order of evaluation in the level table.
    pub const ALL: [Self; 5] =
        [Self::Integrity, Self::Authenticity, Self::AuthenticTimestamp, Self::Expiry, Self::Revocation];

    /// The name notation uses (`authenticTimestamp`, ...).
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::Integrity => "integrity",
            Self::Authenticity => "authenticity",
            Self::AuthenticTimestamp => "authenticTimestamp",
            Self::Expiry => "expiry",
            Self::Revocation => "revocation",
        }
    }

    /// Parses notation's name.
    pub fn from_name(name: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|c| c.as_str() == name)
    }

    pub(crate) const fn index(self) -> usize {
        self as usize
    }
}

impl fmt::Display for CheckType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// What a failing check does to the verdict.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "camelCase")]
pub enum Action {
    /// A failure fails the verification.
    Enforce,
    /// A failure is reported and verification continues.
    Log,
    /// The check is not performed.
    Skip,
}

impl Action {
    /// `enforce`, `log` or `skip`.
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::Enforce => "enforce",
            Self::Log => "log",
            Self::Skip => "skip",
        }
    }

    /// Parses notation's name.
    pub fn from_name(name: &str) -> Option<Self> {
        [Self::Enforce, Self::Log, Self::Skip].into_iter().find(|a| a.as_str() == name)
    }
}

impl fmt::Display for Action {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A named verification level.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "camelCase")]
pub enum LevelName {
    /// Every check enforced.
    Strict,
    /// Integrity and authenticity enforced; the rest logged.
    Permissive,
    /// Only integrity enforced.
    Audit,
    /// Nothing verified.
    Skip,
}

impl LevelName {
    /// `strict`, `permissive`, `audit` or `skip`.
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::Strict => "strict",
            Self::Permissive => "permissive",
            Self::Audit => "audit",
            Self::Skip => "skip",
        }
    }

    /// Parses notation's name.
    pub fn from_name(name: &str) -> Option<Self> {
        [Self::Strict, Self::Permissive, Self::Audit, Self::Skip].into_iter().find(|l| l.as_str() == name)
    }

    /// The action of each check at this level, indexed like [`CheckType::ALL`].
    pub const fn actions(self) -> [Action; 5] {
        use Action::*;
        match self {
            Self::Strict => [Enforce, Enforce, Enforce, Enforce, Enforce],
            Self::Permissive => [Enforce, Enforce, Log, Log, Log],
            Self::Audit => [Enforce, Log, Log, Log, Log],
            Self::Skip => [Skip, Skip, Skip, Skip, Skip],
        }
    }
}

impl fmt::Display for LevelName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The three trust store types.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "camelCase")]
pub enum StoreType {
    /// Certificate authorities for the `notary.x509` scheme.
    Ca,
    /// Signing authorities for the `notary.x509.signingAuthority` scheme.
    SigningAuthority,
    /// Timestamping authorities (roots) for RFC 3161 countersignatures.
    Tsa,
}

impl StoreType {
    /// All three types.
    pub const ALL: [Self; 3] = [Self::Ca, Self::SigningAuthority, Self::Tsa];

    /// `ca`, `signingAuthority` or `tsa` (also the folder name under `truststore/x509/`).
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::Ca => "ca",
            Self::SigningAuthority => "signingAuthority",
            Self::Tsa => "tsa",
        }
    }

    /// Parses notation's name.
    pub fn from_name(name: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|t| t.as_str() == name)
    }
}

impl fmt::Display for StoreType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip() {
        for c in CheckType::ALL {
            assert_eq!(CheckType::from_name(c.as_str()), Some(c));
            assert_eq!(CheckType::ALL[c.index()], c);
        }
        for t in StoreType::ALL {
            assert_eq!(StoreType::from_name(t.as_str()), Some(t));
        }
        assert_eq!(LevelName::from_name("audit"), Some(LevelName::Audit));
        assert_eq!(Action::from_name("log"), Some(Action::Log));
        assert_eq!(LevelName::from_name("Strict"), None);
    }

    #[test]
    fn level_table_matches_the_spec() {
        assert_eq!(LevelName::Permissive.actions()[CheckType::AuthenticTimestamp.index()], Action::Log);
        assert_eq!(LevelName::Audit.actions()[CheckType::Authenticity.index()], Action::Log);
        assert_eq!(LevelName::Audit.actions()[CheckType::Integrity.index()], Action::Enforce);
    }
}
