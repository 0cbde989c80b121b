//! Outcomes as plain JavaScript objects with the CLI's JSON shape (`JSON.stringify(outcome)`
//! equals `notaverify verify -o json` up to key order). Absent values are `null`, as in JSON.

use napi_derive::napi;
use std::collections::BTreeMap;

/// The result of one check of one signature.
#[napi(object, object_from_js = false, use_nullable = true)]
pub struct CheckResult {
    /// Which check.
    #[napi(
        js_name = "type",
        ts_type = "'integrity' | 'authenticity' | 'authenticTimestamp' | 'expiry' | 'revocation'"
    )]
    pub check: String,
    /// What the policy does with a failure of this check.
    #[napi(ts_type = "'enforce' | 'log' | 'skip'")]
    pub action: String,
    /// Whether the check passed.
    pub passed: bool,
    /// Why it failed.
    pub error: Option<String>,
}

/// The signing (leaf) certificate of a signature.
#[napi(object, object_from_js = false, use_nullable = true)]
pub struct Signer {
    /// Subject DN, as notation prints it.
    pub subject: String,
    /// Issuer DN.
    pub issuer: String,
    /// Lower-case hex SHA-256 of the certificate's DER.
    pub sha256_fingerprint: String,
}

/// The outcome of one signature envelope.
#[napi(object, object_from_js = false, use_nullable = true)]
pub struct SignatureOutcome {
    /// The sha256 digest of the envelope (or of its signature manifest in an OCI layout).
    pub digest: Option<String>,
    /// `application/jose+json` or `application/cose`.
    pub media_type: String,
    /// True when no enforced check failed and nothing else failed.
    pub verified: bool,
    /// The checks that ran, in notation's order; skipped checks are absent.
    pub checks: Vec<CheckResult>,
    /// The leaf certificate, once the chain parsed.
    pub signer: Option<Signer>,
    /// The signing time (RFC 3339), from the signed attributes.
    pub signing_time: Option<String>,
    /// The signed annotations of the target.
    pub user_metadata: BTreeMap<String, String>,
    /// What made the signature fail: a check name, `verificationPlugin` or `userMetadata`.
    #[napi(
        ts_type = "'integrity' | 'authenticity' | 'authenticTimestamp' | 'expiry' | 'revocation' | 'verificationPlugin' | 'userMetadata'"
    )]
    pub failure: Option<String>,
    /// The message of that failure.
    pub error: Option<String>,
}

/// The trust policy statement that applied.
#[napi(object, object_from_js = false, use_nullable = true)]
pub struct PolicySummary {
    /// The statement's name.
    pub name: String,
    /// Its verification level.
    #[napi(ts_type = "'strict' | 'permissive' | 'audit' | 'skip'")]
    pub level: String,
    /// True when the statement overrides actions of its level.
    pub custom: bool,
}

/// Why an artifact as a whole failed.
#[napi(object, object_from_js = false, use_nullable = true)]
pub struct ArtifactError {
    /// A stable code.
    #[napi(ts_type = "'NO_SIGNATURE' | 'MAX_SIGNATURES_EXCEEDED' | 'VERIFICATION_FAILED'")]
    pub code: String,
    /// A sentence for people.
    pub message: String,
}

/// The outcome of verifying an artifact or a blob with its signatures. A failed verification is
/// an outcome with `verified: false`, not an exception; check `verified`.
#[napi(object, object_from_js = false, use_nullable = true)]
pub struct Outcome {
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

impl From<&notaverify::CheckResult> for CheckResult {
    fn from(r: &notaverify::CheckResult) -> Self {
        CheckResult {
            check: r.check.as_str().to_owned(),
            action: r.action.as_str().to_owned(),
            passed: r.passed,
            error: r.error.clone(),
        }
    }
}

impl From<&notaverify::SignatureOutcome> for SignatureOutcome {
    fn from(s: &notaverify::SignatureOutcome) -> Self {
        SignatureOutcome {
            digest: s.digest.clone(),
            media_type: s.media_type.clone(),
            verified: s.verified,
            checks: s.checks.iter().map(CheckResult::from).collect(),
            signer: s.signer.as_ref().map(|x| Signer {
                subject: x.subject.clone(),
                issuer: x.issuer.clone(),
                sha256_fingerprint: x.sha256_fingerprint.clone(),
            }),
            signing_time: s.signing_time.map(|t| t.to_rfc3339()),
            user_metadata: s.user_metadata.clone(),
            failure: s.failure.map(|f| f.as_str().to_owned()),
            error: s.error.clone(),
        }
    }
}

impl From<&notaverify::ArtifactOutcome> for Outcome {
    fn from(o: &notaverify::ArtifactOutcome) -> Self {
        Outcome {
            reference: o.reference.clone(),
            verified: o.verified,
            policy: o.policy.as_ref().map(|p| PolicySummary {
                name: p.name.clone(),
                level: p.level.as_str().to_owned(),
                custom: p.custom,
            }),
            signatures: o.signatures.iter().map(SignatureOutcome::from).collect(),
            error: o.error.as_ref().map(|e| ArtifactError { code: e.code.to_owned(), message: e.message.clone() }),
        }
    }
}
