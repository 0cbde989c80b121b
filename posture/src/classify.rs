//! One class per artifact, from a verification outcome.
//!
//! | Class | Meaning | In policy |
//! |---|---|---|
//! | `verified` | a signature verified under the applicable statement | yes |
//! | `unsigned` | no signature was found | no |
//! | `unknownSigner` | signatures verify as envelopes but none is anchored in a trust store the statement names (or the signer is not a trusted identity) | no |
//! | `retiredSigner` | a signature is anchored in retired trust material (see [`super::retired`]); also when it would otherwise verify | no |
//! | `invalidSignature` | integrity failed: malformed or tampered envelope, broken chain, signature bound to another artifact | no |
//! | `expired` | an enforced `expiry` or `authenticTimestamp` check failed (signature or certificate expired) | no |
//! | `failed` | another enforced check failed (`check` says which: `revocation`, `verificationPlugin`, `userMetadata`), or the artifact could not be evaluated (`check` is the error code, e.g. `NO_APPLICABLE_POLICY`) | no |
//! | `excepted` | out of policy, but an exception in force names it and excuses its class (`underlying` is the class it had) | yes |
//! | `skippedByPolicy` | the applicable statement has level `skip` | yes |
//!
//! An artifact is `verified` when **any** signature verified with material that is not retired;
//! retired signatures are reported beside it. Otherwise it takes the class of the signature that
//! got furthest: a signature that verified but is retired, then `failed` > `expired` >
//! `retiredSigner` > `unknownSigner` > `invalidSignature` (ties: the smallest signature digest),
//! so the order of an artifact's signatures never changes its class. This needs every signature
//! evaluated: verify with [`PostureContext::verify_options`].
//! Checks that failed with action `log` do not change the class; they are listed in `logged`.

pub use super::class::Class;
use super::exceptions::{Exception, ExceptionLookup, Exceptions};
use super::retired::{RetiredMatch, RetiredMaterial};
use notaverify::{ArtifactOutcome, FailureKind, SignatureInput, SignatureOutcome, Signer, VerifyOptions};
use notaverify::{CheckType, Error, Time};
use serde::Serialize;

/// What classification reads besides the outcome.
#[derive(Clone, Copy, Debug)]
pub struct PostureContext<'a> {
    /// Retired trust material, if any is declared.
    pub retired: Option<&'a RetiredMaterial>,
    /// Exceptions, if any.
    pub exceptions: Option<&'a Exceptions>,
    /// The time exceptions are judged at (use the verification time).
    pub at: Time,
}

impl PostureContext<'_> {
    /// `options` as classification needs them: with retired material declared, every signature
    /// is evaluated ([`VerifyOptions::all_signatures`]), so a retired signature that comes first
    /// cannot hide a current one. The verdict is unchanged.
    pub fn verify_options(&self, options: VerifyOptions) -> VerifyOptions {
        VerifyOptions {
            all_signatures: options.all_signatures || self.retired.is_some_and(|r| !r.is_empty()),
            ..options
        }
    }
}

/// An exception as reported.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct AppliedException {
    /// The scope as written canonically.
    pub scope: String,
    /// Why it exists.
    pub reason: String,
    /// Who owns it.
    pub owner: String,
    /// The deadline as written.
    pub expires: String,
    /// Whole days left (negative: days since it expired).
    pub days_left: i64,
    /// The classes it excuses.
    pub classes: Vec<Class>,
}

impl AppliedException {
    /// The report of `exception` at `at`.
    pub fn of(exception: &Exception, at: Time) -> Self {
        Self {
            scope: exception.scope.as_string(),
            reason: exception.reason.clone(),
            owner: exception.owner.clone(),
            expires: exception.expires.clone(),
            days_left: exception.days_left(at),
            classes: exception.classes.clone(),
        }
    }
}

/// A check that failed with action `log`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct LoggedFailure {
    /// The signature's digest.
    pub signature: Option<String>,
    /// The check.
    pub check: CheckType,
    /// Why it failed.
    pub error: Option<String>,
}

/// One signature's class.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct SignatureClass {
    /// The signature's digest.
    pub digest: Option<String>,
    /// Its class (`verified`, `retiredSigner`, `unknownSigner`, `invalidSignature`, `expired`, `failed`).
    pub class: Class,
    /// The check (or failure kind) that decided it.
    pub check: Option<String>,
    /// Why.
    pub reason: Option<String>,
    /// The retired certificate in its chain.
    pub retired: Option<RetiredMatch>,
    /// The revocation evidence revokes its chain, though another check ended its verification
    /// first: no exception excuses it.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub revoked_chain: bool,
}

/// The class of one artifact, with what decided it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Classification {
    /// The artifact (`registry/repository@<digest>`).
    pub reference: String,
    /// The class.
    pub class: Class,
    /// Whether the artifact passes (the class is verified, excepted or skippedByPolicy).
    pub in_policy: bool,
    /// For `excepted`: the class the artifact had.
    pub underlying: Option<Class>,
    /// The check (`revocation`, `expiry`, ...), failure kind or error code behind the class.
    pub check: Option<String>,
    /// Why, for people.
    pub reason: Option<String>,
    /// The applicable statement's name.
    pub policy: Option<String>,
    /// The signer of the signature that decided the class.
    pub signer: Option<Signer>,
    /// The retired certificate, for `retiredSigner`.
    pub retired: Option<RetiredMatch>,
    /// The exception in force, for `excepted`.
    pub exception: Option<AppliedException>,
    /// Exceptions that name this failing artifact but have expired (never applied).
    pub expired_exceptions: Vec<AppliedException>,
    /// Exceptions in force that name this failing artifact but do not excuse its class (or a
    /// signature's class): never applied.
    pub uncovered_exceptions: Vec<AppliedException>,
    /// Every signature tried, with its class.
    pub signatures: Vec<SignatureClass>,
    /// Checks that failed with action `log` (what enforcing them would block).
    pub logged: Vec<LoggedFailure>,
}

/// What would have failed under enforcement: the warn-mode report.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct WarnReport {
    /// Always true: nothing was blocked.
    pub warn_only: bool,
    /// What enforcement of the policy as written (with the exceptions given) would have failed.
    pub would_fail: Vec<WouldFail>,
    /// Checks that failed with action `log` (not blocking even under enforcement).
    pub logged: Vec<LoggedFailure>,
}

/// One failure enforcement would have blocked on.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct WouldFail {
    /// The artifact.
    pub reference: String,
    /// The class (of the artifact, or of the signature).
    pub class: Class,
    /// The signature, when the failure is a signature's.
    pub signature: Option<String>,
    /// The check, failure kind or error code.
    pub check: Option<String>,
    /// Why.
    pub reason: Option<String>,
}

fn signature_class(
    s: &SignatureOutcome,
    input: Option<&SignatureInput>,
    retired: Option<&RetiredMaterial>,
) -> SignatureClass {
    let mut class = SignatureClass {
        digest: s.digest.clone(),
        class: Class::Failed,
        check: None,
        reason: s.error.clone(),
        retired: None,
        revoked_chain: s.revoked_chain,
    };
    let integrity_passed = s.check(CheckType::Integrity).is_some_and(|c| c.passed);
    // Retired material is never trusted: a chain that reaches it decides, whatever else passed.
    if integrity_passed
        && let (Some(retired), Some(input)) = (retired, input)
        && let Some(m) = retired.match_envelope(&input.media_type, &input.envelope)
    {
        class.class = Class::RetiredSigner;
        class.check = Some(CheckType::Authenticity.as_str().into());
        class.reason = Some(format!(
            "the certificate chain reaches {} ({}), retired on {}: retired trust material is never trusted",
            m.subject.as_deref().unwrap_or("a retired certificate"),
            m.declared_by,
            m.retired
        ));
        class.retired = Some(m);
        return class;
    }
    if s.verified {
        class.class = Class::Verified;
        class.reason = None;
        return class;
    }
    let (c, check) = match s.failure {
        None => (Class::Failed, "verification".to_owned()),
        Some(FailureKind::Check(CheckType::Integrity)) => (Class::InvalidSignature, "integrity".to_owned()),
        Some(FailureKind::Check(CheckType::Authenticity)) => (Class::UnknownSigner, "authenticity".to_owned()),
        Some(FailureKind::Check(c @ (CheckType::Expiry | CheckType::AuthenticTimestamp))) => {
            (Class::Expired, c.as_str().to_owned())
        }
        Some(FailureKind::Check(CheckType::Revocation)) => (Class::Failed, "revocation".to_owned()),
        Some(other) => (Class::Failed, other.as_str().to_owned()),
    };
    class.class = c;
    class.check = Some(check);
    if s.revoked_chain {
        class.reason = Some(format!(
            "{}; the revocation evidence also revokes its certificate chain",
            class.reason.as_deref().unwrap_or("failed")
        ));
    }
    class
}

/// Classifies the result of verifying `reference` (`registry/repository@<digest>`).
///
/// `signatures` are the envelopes that were verified, in the order given to the verifier
/// (outcome signature `i` is input `i`); they are read only to recognise retired material, so
/// they may be empty when no retired material is declared. An `Err` (the artifact could not be
/// evaluated) is `failed` with the error code as `check`; an exception never covers an
/// [`Error::Internal`] (a bug is not a known, accepted risk).
pub fn classify(
    reference: &str,
    result: &Result<ArtifactOutcome, Error>,
    signatures: &[SignatureInput],
    ctx: &PostureContext<'_>,
) -> Classification {
    let mut c = Classification {
        reference: reference.to_owned(),
        class: Class::Failed,
        in_policy: false,
        underlying: None,
        check: None,
        reason: None,
        policy: None,
        signer: None,
        retired: None,
        exception: None,
        expired_exceptions: Vec::new(),
        uncovered_exceptions: Vec::new(),
        signatures: Vec::new(),
        logged: Vec::new(),
    };
    match result {
        Err(e) => {
            c.check = Some(e.code().to_owned());
            c.reason = Some(e.to_string());
        }
        Ok(o) => classify_outcome(o, signatures, ctx, &mut c),
    }
    if !c.class.in_policy()
        && !matches!(result, Err(Error::Internal(_)))
        && let Some(exceptions) = ctx.exceptions
    {
        // A signature whose chain the evidence revokes counts as `failed`, which no exception
        // excuses, whatever check ended its verification.
        let signature_classes: Vec<Class> =
            c.signatures.iter().map(|s| if s.revoked_chain { Class::Failed } else { s.class }).collect();
        let ExceptionLookup { active, expired, not_covering } =
            exceptions.lookup(reference, ctx.at, c.class, &signature_classes);
        let report = |found: Vec<&Exception>| found.into_iter().map(|e| AppliedException::of(e, ctx.at)).collect();
        c.expired_exceptions = report(expired);
        c.uncovered_exceptions = report(not_covering);
        if let Some(e) = active {
            c.underlying = Some(c.class);
            c.class = Class::Excepted;
            c.exception = Some(AppliedException::of(e, ctx.at));
        }
    }
    c.in_policy = c.class.in_policy();
    c
}

fn classify_outcome(
    o: &ArtifactOutcome,
    signatures: &[SignatureInput],
    ctx: &PostureContext<'_>,
    c: &mut Classification,
) {
    c.policy = o.policy.as_ref().map(|p| p.name.clone());
    if o.skipped() {
        c.class = Class::SkippedByPolicy;
        return;
    }
    for s in &o.signatures {
        for l in s.logged_failures() {
            c.logged.push(LoggedFailure { signature: s.digest.clone(), check: l.check, error: l.error.clone() });
        }
    }
    c.signatures =
        o.signatures.iter().enumerate().map(|(i, s)| signature_class(s, signatures.get(i), ctx.retired)).collect();
    if o.signatures.is_empty() {
        let code = o.error.as_ref().map_or("NO_SIGNATURE", |e| e.code);
        c.class = if code == "NO_SIGNATURE" && !o.verified { Class::Unsigned } else { Class::Failed };
        c.check = Some(code.to_owned());
        c.reason = o.error.as_ref().map(|e| e.message.clone()).or_else(|| Some("no signature was verified".into()));
        return;
    }
    let Some(decisive) = decisive_signature(o, &c.signatures) else {
        // Cannot happen: signatures were tried but none is a candidate. Fail closed.
        c.class = Class::Failed;
        c.check = Some("INTERNAL".into());
        c.reason = Some("no signature decided the class".into());
        return;
    };
    let chosen = c.signatures[decisive].clone();
    c.class = chosen.class;
    if !o.verified && chosen.class == Class::Verified {
        // Cannot happen either; never report a pass the verifier did not give.
        c.class = Class::Failed;
    }
    c.check = chosen.check;
    c.reason = chosen.reason;
    c.retired = chosen.retired;
    c.signer = o.signatures[decisive].signer.clone();
    if !o.verified
        && let Some(e) = &o.error
        && e.code == "MAX_SIGNATURES_EXCEEDED"
    {
        c.reason = Some(format!("{}; {}", e.message, c.reason.clone().unwrap_or_default()));
    }
}

/// The signature whose class is the artifact's (see the module documentation): one that
/// verified with material that is not retired; else one that verified but is retired; else the
/// one that got furthest. Ties go to the smallest digest, so the order never decides.
fn decisive_signature(o: &ArtifactOutcome, classes: &[SignatureClass]) -> Option<usize> {
    let by_digest = |i: &usize| classes[*i].digest.clone();
    let candidates = |keep: &dyn Fn(usize) -> bool| (0..classes.len()).filter(|i| keep(*i)).min_by_key(by_digest);
    candidates(&|i| classes[i].class == Class::Verified).or_else(|| candidates(&|i| o.signatures[i].verified)).or_else(
        || {
            let furthest = classes.iter().map(|s| s.class.rank()).max()?;
            candidates(&|i| classes[i].class.rank() == furthest)
        },
    )
}

/// The warn-mode report of a classification: everything enforcement would have failed on (the
/// artifact's failure, or each failing signature's), and the logged failures. Empty `wouldFail`
/// means enforcement passes (verified, excepted or skipped by policy).
pub fn warn_report(c: &Classification) -> WarnReport {
    let mut would_fail = Vec::new();
    if !c.in_policy {
        let failing: Vec<&SignatureClass> = c.signatures.iter().filter(|s| s.class != Class::Verified).collect();
        if failing.is_empty() {
            would_fail.push(WouldFail {
                reference: c.reference.clone(),
                class: c.class,
                signature: None,
                check: c.check.clone(),
                reason: c.reason.clone(),
            });
        }
        for s in failing {
            would_fail.push(WouldFail {
                reference: c.reference.clone(),
                class: s.class,
                signature: s.digest.clone(),
                check: s.check.clone(),
                reason: s.reason.clone(),
            });
        }
    }
    WarnReport { warn_only: true, would_fail, logged: c.logged.clone() }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_exception_never_covers_a_request_error_or_an_internal_one() {
        let reference = format!("r.io/a@sha256:{}", "a".repeat(64));
        let exceptions = Exceptions::from_json(
            br#"{"version":"1","exceptions":[{"scope":"r.io/a","reason":"legacy","owner":"team-a","expires":"2099-01-01",
                "classes":["unsigned","unknownSigner","retiredSigner","expired"]}]}"#,
        )
        .unwrap();
        let ctx = PostureContext {
            retired: None,
            exceptions: Some(&exceptions),
            at: Time::parse_rfc3339("2030-01-01T00:00:00Z").unwrap(),
        };

        let request = classify(&reference, &Err(Error::InvalidInput("no digest".into())), &[], &ctx);
        assert_eq!((request.class, request.in_policy, request.exception), (Class::Failed, false, None));
        assert_eq!(request.uncovered_exceptions.len(), 1, "reported as not covering");

        let bug = classify(&reference, &Err(Error::Internal("it panicked".into())), &[], &ctx);
        assert_eq!((bug.class, bug.in_policy, bug.exception), (Class::Failed, false, None));
        assert_eq!(bug.check.as_deref(), Some("INTERNAL"));
        assert!(bug.uncovered_exceptions.is_empty(), "an internal error is not even looked up");
    }
}
