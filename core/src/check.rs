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
    pub const ALL: [CheckType; 5] = [
        CheckType::Integrity,
        CheckType::Authenticity,
        CheckType::AuthenticTimestamp,
        CheckType::Expiry,
        CheckType::Revocation,
    ];

    /// The name notation uses (`authenticTimestamp`, ...).
    pub const fn as_str(self) -> &'static str {
        match self {
            CheckType::Integrity => "integrity",
            CheckType::Authenticity => "authenticity",
            CheckType::AuthenticTimestamp => "authenticTimestamp",
            CheckType::Expiry => "expiry",
            CheckType::Revocation => "revocation",
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
            Action::Enforce => "enforce",
            Action::Log => "log",
            Action::Skip => "skip",
        }
    }

    /// Parses notation's name.
    pub fn from_name(name: &str) -> Option<Self> {
        [Action::Enforce, Action::Log, Action::Skip].into_iter().find(|a| a.as_str() == name)
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
            LevelName::Strict => "strict",
            LevelName::Permissive => "permissive",
            LevelName::Audit => "audit",
            LevelName::Skip => "skip",
        }
    }

    /// Parses notation's name.
    pub fn from_name(name: &str) -> Option<Self> {
        [LevelName::Strict, LevelName::Permissive, LevelName::Audit, LevelName::Skip]
            .into_iter()
            .find(|l| l.as_str() == name)
    }

    /// The action of each check at this level, indexed like [`CheckType::ALL`].
    pub const fn actions(self) -> [Action; 5] {
        use Action::*;
        match self {
            LevelName::Strict => [Enforce, Enforce, Enforce, Enforce, Enforce],
            LevelName::Permissive => [Enforce, Enforce, Log, Log, Log],
            LevelName::Audit => [Enforce, Log, Log, Log, Log],
            LevelName::Skip => [Skip, Skip, Skip, Skip, Skip],
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
    pub const ALL: [StoreType; 3] = [StoreType::Ca, StoreType::SigningAuthority, StoreType::Tsa];

    /// `ca`, `signingAuthority` or `tsa` (also the folder name under `truststore/x509/`).
    pub const fn as_str(self) -> &'static str {
        match self {
            StoreType::Ca => "ca",
            StoreType::SigningAuthority => "signingAuthority",
            StoreType::Tsa => "tsa",
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
