//! `signatureVerification`: the verification level, its overrides and `verifyTimestamp`.

use super::error::PolicyError;
use super::raw::RawSignatureVerification;
use crate::{Action, CheckType, LevelName};

/// The action each check gets in a statement: a named level, possibly customised by `override`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct VerificationLevel {
    name: LevelName,
    custom: bool,
    actions: [Action; 5],
}

impl VerificationLevel {
    /// The level exactly as notation defines it, without overrides.
    pub const fn named(name: LevelName) -> Self {
        Self { name, custom: false, actions: name.actions() }
    }

    /// The base level named in the policy.
    pub const fn name(&self) -> LevelName {
        self.name
    }

    /// Whether `override` changed the level (notation then calls it `custom`).
    pub const fn is_custom(&self) -> bool {
        self.custom
    }

    /// What a failure of `check` does.
    pub fn action(&self, check: CheckType) -> Action {
        self.actions.get(check.index()).copied().unwrap_or(Action::Enforce)
    }

    /// The name notation reports: the level's name, or `custom` when overrides are present.
    pub const fn display_name(&self) -> &'static str {
        if self.custom { "custom" } else { self.name.as_str() }
    }
}

/// When the RFC 3161 timestamp countersignature is verified.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum VerifyTimestamp {
    /// Always (notation's default).
    #[default]
    Always,
    /// Only when a certificate of the signing chain has expired.
    AfterCertExpiry,
}

impl VerifyTimestamp {
    /// `always` or `afterCertExpiry`.
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::Always => "always",
            Self::AfterCertExpiry => "afterCertExpiry",
        }
    }
}

/// notation-go's `GetVerificationLevel` plus the `verifyTimestamp` check. Every problem goes to
/// `problems`; the result is `None` when there was one.
pub(super) fn parse_signature_verification(
    statement: &str,
    raw: &RawSignatureVerification,
    problems: &mut Vec<PolicyError>,
) -> Option<(VerificationLevel, VerifyTimestamp)> {
    let before = problems.len();
    let level = parse_level(statement, raw, problems);
    let verify_timestamp = match raw.verify_timestamp.as_deref() {
        None | Some("") | Some("always") => Some(VerifyTimestamp::Always),
        Some("afterCertExpiry") => Some(VerifyTimestamp::AfterCertExpiry),
        Some(other) => {
            problems
                .push(PolicyError::InvalidVerifyTimestamp { statement: statement.to_owned(), value: other.to_owned() });
            None
        }
    };
    if problems.len() != before {
        return None;
    }
    level.zip(verify_timestamp)
}

fn parse_level(
    statement: &str,
    raw: &RawSignatureVerification,
    problems: &mut Vec<PolicyError>,
) -> Option<VerificationLevel> {
    let statement_name = || statement.to_owned();
    let name = match raw.level.as_deref() {
        None | Some("") => {
            problems.push(PolicyError::EmptyLevel { statement: statement_name() });
            return None;
        }
        Some(level) => match LevelName::from_name(level) {
            Some(name) => name,
            None => {
                problems.push(PolicyError::UnknownLevel { statement: statement_name(), level: level.to_owned() });
                return None;
            }
        },
    };
    let mut level = VerificationLevel::named(name);
    let overrides = raw.overrides();
    if overrides.is_empty() {
        return Some(level);
    }
    if name == LevelName::Skip {
        problems.push(PolicyError::OverrideOnSkip { statement: statement_name() });
        return None;
    }
    level.custom = true;
    let before = problems.len();
    for (key, value) in overrides {
        let Some(check) = CheckType::from_name(key) else {
            problems.push(PolicyError::UnknownOverrideCheck { statement: statement_name(), check: key.clone() });
            continue;
        };
        let Some(action) = Action::from_name(value) else {
            problems.push(PolicyError::UnknownOverrideAction {
                statement: statement_name(),
                check,
                action: value.clone(),
            });
            continue;
        };
        if check == CheckType::Integrity {
            problems.push(PolicyError::IntegrityOverride { statement: statement_name() });
        } else if action == Action::Skip && check != CheckType::Revocation {
            problems.push(PolicyError::SkippedCheckOverride { statement: statement_name(), check });
        } else if let Some(slot) = level.actions.get_mut(check.index()) {
            *slot = action;
        }
    }
    (problems.len() == before).then_some(level)
}
