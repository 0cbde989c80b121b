//! What a verification produced: per-check results in notation-go's model, per signature and per
//! artifact, serializable as the JSON the CLI and the bindings print.

use crate::{Action, CheckType, LevelName, Time};
use serde::Serialize;
use std::collections::BTreeMap;

/// The result of one check of one signature.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct CheckResult {
    /// Which check.
    #[serde(rename = "type")]
    pub check: CheckType,
    /// What the policy said to do with a failure of this check.
    pub action: Action,
    /// Whether the check passed.
    pub passed: bool,
    /// Why it failed.
    pub error: Option<String>,
}

/// What made a signature fail: an enforced check, or one of the failures notation-go reports
/// outside its per-check results. Serialized as its [`FailureKind::as_str`] name.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum FailureKind {
    /// A check failed with action `enforce` (integrity always is).
    Check(CheckType),
    /// The envelope requires a verification plugin, which notaverify never runs.
    VerificationPlugin,
    /// A required user-metadata entry is missing from the signed annotations or differs.
    UserMetadata,
}

impl FailureKind {
    /// The name used in JSON: a check type, `verificationPlugin` or `userMetadata`.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Check(c) => c.as_str(),
            Self::VerificationPlugin => "verificationPlugin",
            Self::UserMetadata => "userMetadata",
        }
    }
}

impl Serialize for FailureKind {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_str())
    }
}

/// The signing certificate of a signature.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Signer {
    /// Subject DN of the leaf certificate, as notation prints it.
    pub subject: String,
    /// Issuer DN of the leaf certificate.
    pub issuer: String,
    /// Lower-case hex SHA-256 of the leaf certificate's DER.
    pub sha256_fingerprint: String,
}

/// The outcome of verifying one signature envelope.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct SignatureOutcome {
    /// Digest of the signature (its OCI manifest, or its envelope bytes) when the caller knows it.
    pub digest: Option<String>,
    /// The envelope media type.
    pub media_type: String,
    /// True when no enforced check failed and nothing else failed.
    pub verified: bool,
    /// The results of the checks that ran, in notation-go's order (integrity, authenticity, expiry,
    /// authenticTimestamp, revocation). Checks that were skipped or never reached are absent.
    pub checks: Vec<CheckResult>,
    /// The leaf certificate, once the chain parsed.
    pub signer: Option<Signer>,
    /// The signing time (or authentic signing time) from the signed attributes.
    pub signing_time: Option<Time>,
    /// The signed annotations of the target artifact.
    pub user_metadata: BTreeMap<String, String>,
    /// What made the signature fail, when it failed.
    pub failure: Option<FailureKind>,
    /// The message of that failure.
    pub error: Option<String>,
    /// The supplied revocation evidence revokes this signature's chain, although an earlier
    /// enforced check ended its verification (so `checks` has no revocation result). The
    /// verdict is the same; a caller that excuses failures must never excuse such a signature.
    /// Not serialized: the outcome document (docs/schema/outcome.schema.json) reports it through
    /// posture only.
    #[serde(skip)]
    pub revoked_chain: bool,
}

impl SignatureOutcome {
    pub(crate) fn new(media_type: &str, digest: Option<String>) -> Self {
        Self {
            digest,
            media_type: media_type.to_owned(),
            verified: false,
            checks: Vec::new(),
            signer: None,
            signing_time: None,
            user_metadata: BTreeMap::new(),
            failure: None,
            error: None,
            revoked_chain: false,
        }
    }

    /// The result of `check`, if it ran.
    pub fn check(&self, check: CheckType) -> Option<&CheckResult> {
        self.checks.iter().find(|r| r.check == check)
    }

    /// Checks that failed with action `log`: what enforcement would have blocked.
    pub fn logged_failures(&self) -> impl Iterator<Item = &CheckResult> {
        self.checks.iter().filter(|r| !r.passed && r.action == Action::Log)
    }
}

/// The trust policy statement that applied.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct PolicySummary {
    /// The statement's name.
    pub name: String,
    /// Its verification level.
    pub level: LevelName,
    /// True when the statement overrides actions of the level (notation calls it `custom`).
    /// Not serialized: the outcome document (docs/schema/outcome.schema.json) has the level only.
    #[serde(skip)]
    pub custom: bool,
}

/// Why an artifact as a whole failed, beyond its signatures' own failures.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct ArtifactError {
    /// Stable code: `NO_SIGNATURE`, `MAX_SIGNATURES_EXCEEDED` or `VERIFICATION_FAILED`.
    pub code: &'static str,
    /// A sentence for people.
    pub message: String,
}

/// The outcome of verifying an artifact (or a blob) with all its signatures.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct ArtifactOutcome {
    /// The artifact reference (or blob name) verified.
    pub reference: String,
    /// True when one signature verified, or the policy level is `skip`.
    pub verified: bool,
    /// The statement that applied.
    pub policy: Option<PolicySummary>,
    /// Every signature tried, in order; verification stops at the first that verifies.
    pub signatures: Vec<SignatureOutcome>,
    /// Why the artifact failed.
    pub error: Option<ArtifactError>,
}

impl ArtifactOutcome {
    /// The signature that verified.
    pub fn verified_signature(&self) -> Option<&SignatureOutcome> {
        self.signatures.iter().find(|s| s.verified)
    }

    /// True when the policy level is `skip` (nothing was verified, by configuration).
    pub fn skipped(&self) -> bool {
        matches!(&self.policy, Some(p) if p.level == LevelName::Skip)
    }

    /// The outcome as the JSON document the CLI prints with `-o json`, the one contract of every
    /// binding (docs/schema/outcome.schema.json; cli/tests/outcome_schema.rs compares the two).
    pub fn to_json(&self) -> String {
        serde_json::to_string(self)
            .unwrap_or_else(|e| format!("{{\"error\":{{\"code\":\"INTERNAL\",\"message\":{:?}}}}}", e.to_string()))
    }
}
