//! One signature through notation-go's checks, in notation-go's order (§8.3 of the digest):
//! integrity, verification-plugin pre-check, authenticity and trusted identity, expiry, authentic
//! timestamp, revocation, then the target match and user metadata. Each check returns a result;
//! only [`Run`] turns results into a verdict.

use super::context::{BlobContent, Context, TargetCheck};
use super::outcome::{CheckResult, FailureKind, SignatureOutcome, Signer};
use super::revocation;
use super::target::digest_matches_blob;
use crate::envelope::{Envelope, EnvelopeError, SigningScheme};
use crate::policy::{TrustPolicyStatement, TrustedIdentities, VerificationLevel, VerifyTimestamp};
use crate::request::{SignatureInput, Target};
use crate::x509::{self, Certificate, CertificateError, HashedDer};
use crate::{Action, CheckType, DistinguishedName, StoreType, Time};
use std::collections::BTreeMap;

/// Marks that an enforced failure ended the verification.
struct Stopped;

struct Run<'a> {
    outcome: SignatureOutcome,
    level: &'a VerificationLevel,
}

impl Run<'_> {
    fn action(&self, check: CheckType) -> Action {
        self.level.action(check)
    }

    /// Records a check result; an enforced failure stops the run.
    fn record(&mut self, check: CheckType, result: Result<(), String>) -> Result<(), Stopped> {
        let action = self.action(check);
        let passed = result.is_ok();
        let error = result.err();
        if !passed && action == Action::Enforce {
            self.outcome.failure = Some(FailureKind::Check(check));
            self.outcome.error = error.clone();
        }
        self.outcome.checks.push(CheckResult { check, action, passed, error });
        if !passed && action == Action::Enforce { Err(Stopped) } else { Ok(()) }
    }

    /// Replaces the error of an already recorded result (notation's trusted-identity failure
    /// overwrites the authenticity result).
    fn overwrite(&mut self, check: CheckType, error: String) -> Result<(), Stopped> {
        let action = self.action(check);
        if let Some(r) = self.outcome.checks.iter_mut().find(|r| r.check == check) {
            r.passed = false;
            r.error = Some(error.clone());
        }
        if action == Action::Enforce {
            self.outcome.failure = Some(FailureKind::Check(check));
            self.outcome.error = Some(error);
            Err(Stopped)
        } else {
            Ok(())
        }
    }

    /// A failure that no level can relax.
    fn fatal(&mut self, kind: FailureKind, error: String) -> Stopped {
        self.outcome.failure = Some(kind);
        self.outcome.error = Some(error);
        Stopped
    }

    fn integrity_failure(&mut self, error: String) -> Stopped {
        self.outcome.checks.push(CheckResult {
            check: CheckType::Integrity,
            action: Action::Enforce,
            passed: false,
            error: Some(error.clone()),
        });
        self.fatal(FailureKind::Check(CheckType::Integrity), error)
    }
}

/// Verifies one envelope; never fails, every problem lands in the outcome.
pub(crate) fn verify_signature(ctx: &Context<'_>, input: &SignatureInput) -> SignatureOutcome {
    let mut run =
        Run { outcome: SignatureOutcome::new(&input.media_type, input.digest.clone()), level: ctx.statement.level() };
    if run_checks(ctx, input, &mut run).is_ok() {
        run.outcome.verified = true;
    }
    run.outcome
}

fn run_checks(ctx: &Context<'_>, input: &SignatureInput, run: &mut Run<'_>) -> Result<(), Stopped> {
    let (envelope, chain, signed_target) = integrity(ctx, input, run)?;
    run.outcome.checks.push(CheckResult {
        check: CheckType::Integrity,
        action: Action::Enforce,
        passed: true,
        error: None,
    });

    if let Some(plugin) = &envelope.signed.verification_plugin {
        return Err(run.fatal(
            FailureKind::VerificationPlugin,
            format!("the signature requires the verification plugin {plugin:?}; notaverify does not run plugins"),
        ));
    }

    if let Err(stopped) = checks_before_revocation(ctx, &envelope, &chain, run) {
        run.outcome.revoked_chain = revoked_anyway(ctx, &envelope, &chain, run);
        return Err(stopped);
    }

    if run.action(CheckType::Revocation) != Action::Skip {
        run.record(
            CheckType::Revocation,
            revocation::check_code_signing_chain(&chain, ctx.revocation, signing_time(&envelope), ctx.at),
        )?;
    }

    // As in notation-go, a payload that does not parse is found after the other checks.
    let payload_target = signed_target.map_err(|e| run.integrity_failure(e.to_string()))?;
    if let Err(e) = target_matches(&ctx.target, &payload_target, &envelope) {
        mark_integrity_failed(run, &e);
        return Err(run.fatal(FailureKind::Check(CheckType::Integrity), e));
    }
    user_metadata(ctx.user_metadata, &payload_target.annotations).map_err(|e| run.fatal(FailureKind::UserMetadata, e))
}

/// Authenticity with trusted identity, expiry and authentic timestamp, in notation-go's order.
fn checks_before_revocation(
    ctx: &Context<'_>,
    envelope: &Envelope,
    chain: &[Certificate],
    run: &mut Run<'_>,
) -> Result<(), Stopped> {
    run.record(CheckType::Authenticity, authenticity(ctx, envelope, chain))?;
    if let Err(e) = trusted_identity(ctx.statement, chain) {
        run.overwrite(CheckType::Authenticity, e)?;
    }
    run.record(CheckType::Expiry, expiry(envelope, ctx.at))?;
    run.record(CheckType::AuthenticTimestamp, authentic_timestamp(ctx, envelope, chain))
}

/// The authentic signing time, which revocation uses for invalidity dates (signingAuthority only).
fn signing_time(envelope: &Envelope) -> Option<Time> {
    match envelope.signed.signing_scheme {
        SigningScheme::X509SigningAuthority => envelope.signed.authentic_signing_time,
        SigningScheme::X509 => None,
    }
}

/// Whether the supplied evidence revokes the chain of a signature whose verification ended
/// before the revocation check (as notation-go's does). The verdict does not change; it is
/// reported so that a caller's exceptions never excuse a revoked certificate (an expired signature made
/// with a revoked key, say). Not evaluated when the policy skips revocation or there is no
/// evidence (nothing can then say revoked).
fn revoked_anyway(ctx: &Context<'_>, envelope: &Envelope, chain: &[Certificate], run: &Run<'_>) -> bool {
    run.action(CheckType::Revocation) != Action::Skip
        && !ctx.revocation.is_empty()
        && crate::revocation::check_chain(chain, ctx.revocation, signing_time(envelope), ctx.at).is_revoked()
}

fn mark_integrity_failed(run: &mut Run<'_>, error: &str) {
    if let Some(r) = run.outcome.checks.iter_mut().find(|r| r.check == CheckType::Integrity) {
        r.passed = false;
        r.error = Some(error.to_owned());
    }
}

/// What integrity hands on: the envelope, its validated chain (leaf first) and the signed target
/// (or why the payload does not name one).
type Verified = (Envelope, std::sync::Arc<[Certificate]>, Result<crate::Descriptor, EnvelopeError>);

/// Parses the envelope and its chain, verifies the signature and the chain's structure; also
/// fills in what the outcome reports about the signer.
/// A chain found in the chain cache is one that parsed and validated before (exact bytes):
/// parsing and validation are skipped; the envelope signature is always verified. Another chain
/// is validated with its links looked up in the link cache.
fn integrity(ctx: &Context<'_>, input: &SignatureInput, run: &mut Run<'_>) -> Result<Verified, Stopped> {
    let cache = ctx.chain_cache;
    if let Some(reason) = &input.delivery_error {
        return Err(run.integrity_failure(reason.clone()));
    }
    let envelope =
        Envelope::parse(&input.media_type, &input.envelope).map_err(|e| run.integrity_failure(e.to_string()))?;
    run.outcome.signing_time = Some(envelope.signed.signing_time_for_scheme());
    let signed_target = envelope.target();
    if let Ok(target) = &signed_target {
        run.outcome.user_metadata = target.annotations.clone();
    }
    let cached = cache.get(&envelope.unsigned.certificate_chain);
    let chain: std::sync::Arc<[Certificate]> = match &cached {
        Some(chain) => chain.clone(),
        None => envelope
            .unsigned
            .certificate_chain
            .iter()
            .map(|der| chain_certificate(ctx, der))
            .collect::<Result<Vec<_>, _>>()
            .map_err(|e| run.integrity_failure(e.to_string()))?
            .into(),
    };
    let leaf = chain.first().ok_or_else(|| run.integrity_failure("the certificate chain is empty".into()))?;
    // The leaf's issuer name is printed from the same bytes as the next certificate's subject
    // whenever the chain is well formed: that one is a known CA's, printed once for all its leaves.
    let issuer = chain
        .get(1)
        .filter(|ca| ca.raw_subject() == leaf.raw_issuer())
        .map_or_else(|| leaf.issuer(), Certificate::subject);
    run.outcome.signer =
        Some(Signer { subject: leaf.subject(), issuer, sha256_fingerprint: leaf.sha256_fingerprint() });
    envelope.verify_signature_with_key(leaf.public_key()).map_err(|e| {
        // notation-go (JWS) reaches the leaf key-spec rule of ValidateCodeSigningCertChain,
        // whose message names the certificate; say which certificate here too.
        let message = match &e {
            EnvelopeError::UnsupportedKey(_) => format!("certificate with subject {:?}: {e}", leaf.subject()),
            _ => e.to_string(),
        };
        run.integrity_failure(message)
    })?;
    if cached.is_none() {
        x509::validate_code_signing_chain_with(&chain, &|subject, issuer| ctx.link_cache.issued_by(subject, issuer))
            .map_err(|e| run.integrity_failure(e.to_string()))?;
        cache.insert_validated(&chain);
    }
    Ok((envelope, chain, signed_target))
}

/// One certificate of an envelope's chain, parsed; or, for the same bytes, the link cache's copy
/// (a known CA) or the trust store's (a trusted certificate): parsing is a function of the bytes
/// alone, and those copies already have their fingerprints and maybe their keys prepared.
fn chain_certificate(ctx: &Context<'_>, der: &[u8]) -> Result<Certificate, CertificateError> {
    if let Some(issuer) = ctx.link_cache.parsed_issuer(der) {
        return Ok(issuer);
    }
    let Some(hashed) = HashedDer::new(der) else { return Certificate::from_der(der) };
    match ctx.store.parsed(&hashed) {
        Some(trusted) => Ok(trusted.clone()),
        None => hashed.parse(),
    }
}

fn store_type_for(scheme: SigningScheme) -> StoreType {
    match scheme {
        SigningScheme::X509 => StoreType::Ca,
        SigningScheme::X509SigningAuthority => StoreType::SigningAuthority,
    }
}

fn authenticity(ctx: &Context<'_>, envelope: &Envelope, chain: &[Certificate]) -> Result<(), String> {
    let store_type = store_type_for(envelope.signed.signing_scheme);
    let names = ctx.named_stores(store_type).map_err(|e| format!("error while loading the trust store, {e}"))?;
    if names.iter().all(|n| ctx.store.certificates(store_type, n).is_empty()) {
        return Err("no trusted certificates are found to verify authenticity".into());
    }
    match ctx.store.find_trusted(store_type, &names, chain) {
        Some(_) => Ok(()),
        None => Err("the signature's certificate chain does not contain any trusted certificate".into()),
    }
}

fn trusted_identity(statement: &TrustPolicyStatement, chain: &[Certificate]) -> Result<(), String> {
    let identities = match statement.trusted_identities() {
        TrustedIdentities::Any => return Ok(()),
        TrustedIdentities::Subjects(subjects) => subjects,
    };
    if identities.is_empty() {
        return Err("no x509 trusted identities are configured in the trust policy".into());
    }
    let Some(leaf) = chain.first() else {
        return Err("the certificate chain is empty".into());
    };
    let leaf_dn = DistinguishedName::parse(&leaf.subject())
        .map_err(|e| format!("error while parsing the certificate subject from the digital signature. error : {e}"))?;
    if identities.iter().any(|identity| identity.is_subset_of(&leaf_dn)) {
        Ok(())
    } else {
        Err(format!(
            "signing certificate from the digital signature does not match the X.509 trusted identities defined in the trust policy {:?}",
            statement.name()
        ))
    }
}

fn expiry(envelope: &Envelope, at: Time) -> Result<(), String> {
    match envelope.signed.expiry {
        Some(expiry) if at >= expiry => Err(format!("digital signature has expired on {:?}", expiry.to_rfc1123z())),
        _ => Ok(()),
    }
}

fn authentic_timestamp(ctx: &Context<'_>, envelope: &Envelope, chain: &[Certificate]) -> Result<(), String> {
    if let (SigningScheme::X509SigningAuthority, Some(signing_time)) =
        (envelope.signed.signing_scheme, envelope.signed.authentic_signing_time)
    {
        return match chain.iter().find(|c| signing_time < c.not_before() || signing_time > c.not_after()) {
            Some(c) => Err(format!(
                "certificate {:?} was not valid when the digital signature was produced at {:?}",
                c.subject(),
                signing_time.to_rfc1123z()
            )),
            None => Ok(()),
        };
    }
    let tsa_enabled = ctx.statement.trust_stores().iter().any(|(t, _)| *t == StoreType::Tsa);
    let needs_timestamp = tsa_enabled
        && match ctx.statement.verify_timestamp() {
            VerifyTimestamp::Always => true,
            VerifyTimestamp::AfterCertExpiry => chain.iter().any(|c| ctx.at > c.not_after()),
        };
    if needs_timestamp {
        return super::timestamp::check(ctx, envelope, chain);
    }
    certificates_valid_at(chain, ctx.at)
}

/// Every certificate valid at `at` (inclusive bounds).
pub(crate) fn certificates_valid_at(chain: &[Certificate], at: Time) -> Result<(), String> {
    for c in chain {
        if at < c.not_before() {
            return Err(format!(
                "verification time is before certificate {:?} validity period, it will be valid from {:?}",
                c.subject(),
                c.not_before().to_rfc1123z()
            ));
        }
        if at > c.not_after() {
            return Err(format!(
                "verification time is after certificate {:?} validity period, it was expired at {:?}",
                c.subject(),
                c.not_after().to_rfc1123z()
            ));
        }
    }
    Ok(())
}

/// The media type `notation sign --oci-layout` writes in the payload for a manifest it reaches
/// only through a nested index.
const OCTET_STREAM: &str = "application/octet-stream";

fn target_matches(target: &TargetCheck<'_>, signed: &crate::Descriptor, envelope: &Envelope) -> Result<(), String> {
    let mismatch = || {
        "integrity check failed. the signed target artifact (content descriptor) does not match the artifact being verified".to_owned()
    };
    match target {
        TargetCheck::Artifact(Target::Descriptor(d)) => {
            if d.digest == signed.digest && d.size == signed.size && d.media_type == signed.media_type {
                Ok(())
            } else if d.digest == signed.digest && d.size == signed.size && signed.media_type == OCTET_STREAM {
                Err(format!(
                    "integrity check failed. the signed target artifact's media type is {:?} where the artifact is {:?} \
                     (notation sign --oci-layout writes this for a manifest reached only through a nested index); \
                     the signature does not match the artifact being verified",
                    signed.media_type, d.media_type
                ))
            } else {
                Err(mismatch())
            }
        }
        TargetCheck::Artifact(Target::Digest(digest)) => {
            if *digest == signed.digest {
                Ok(())
            } else {
                Err(mismatch())
            }
        }
        TargetCheck::Blob { content, media_type } => {
            let hash = envelope.signed.algorithm.hash();
            let media_type_matches = media_type.is_none_or(|m| m == signed.media_type);
            // Size first, then media type, then the digest (hashing bytes only when the rest matches).
            let matches = match content {
                BlobContent::Bytes(blob) => {
                    i64::try_from(blob.len()).is_ok_and(|n| n == signed.size)
                        && media_type_matches
                        && digest_matches_blob(hash, &signed.digest, blob)
                }
                BlobContent::Hashed(hashed) => media_type_matches && hashed.matches(hash, signed.size, &signed.digest),
            };
            if matches { Ok(()) } else { Err("integrity check failed. signature does not match the given blob".into()) }
        }
    }
}

fn user_metadata(required: &BTreeMap<String, String>, signed: &BTreeMap<String, String>) -> Result<(), String> {
    for (key, value) in required {
        if signed.get(key) != Some(value) {
            return Err(format!(
                "unable to find specified metadata in the signature: the signed annotations do not contain {key:?}={value:?}"
            ));
        }
    }
    Ok(())
}
