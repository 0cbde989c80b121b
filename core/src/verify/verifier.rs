//! [`Verifier`]: trust policy and trust store, built once, used for many verifications.

use super::context::{BlobContent, Context, TargetCheck};
use super::outcome::{ArtifactError, ArtifactOutcome, PolicySummary, SignatureOutcome};
use super::target::hash_blob;
use super::workflow;
use crate::envelope::Envelope;
use crate::error::check_limit;
use crate::limits::{MAX_ANNOTATIONS, MAX_SIGNATURES};
use crate::policy::{BlobTrustPolicyDocument, TrustPolicyDocument, TrustPolicyStatement};
use crate::request::{BlobOptions, SignatureInput, Target, VerifyOptions};
use crate::revocation::RevocationEvidence;
use crate::trust::TrustStore;
use crate::{ArtifactReference, Digest, Error, LevelName, Time};

/// Verifies notation signatures against a trust policy and a trust store.
///
/// Build it once; it is `Send + Sync` and cheap to share (`Arc<Verifier>`). The verification
/// time is injected per call ([`VerifyOptions::at`]); the clock is read only when it is absent.
///
/// ```no_run
/// use notaverify::{StoreType, TrustPolicyDocument, TrustStore, Verifier, VerifyOptions, SignatureInput, Target};
/// # fn main() -> Result<(), notaverify::Error> {
/// let policy = TrustPolicyDocument::from_json(br#"{"version":"1.0","trustPolicies":[{"name":"p",
///   "registryScopes":["*"],"signatureVerification":{"level":"strict"},
///   "trustStores":["ca:roots"],"trustedIdentities":["*"]}]}"#)?;
/// let mut store = TrustStore::new();
/// store.add(StoreType::Ca, "roots", &std::fs::read("root.pem").unwrap())?;
/// let verifier = Verifier::new(store).with_oci_policy(policy);
/// let envelope = std::fs::read("signature.jws").unwrap();
/// let reference = "registry.example/app@sha256:0000000000000000000000000000000000000000000000000000000000000000";
/// let outcome = verifier.verify_artifact(
///     reference,
///     &Target::from_reference(reference)?,
///     &[SignatureInput::new(envelope, "application/jose+json")],
///     &VerifyOptions::default(),
/// )?;
/// assert!(outcome.verified);
/// # Ok(()) }
/// ```
#[derive(Clone, Debug)]
pub struct Verifier {
    store: TrustStore,
    oci_policy: Option<TrustPolicyDocument>,
    blob_policy: Option<BlobTrustPolicyDocument>,
    revocation: RevocationEvidence,
    /// Validated chains; shared by clones (see `cache.rs`).
    pub(super) chain_cache: std::sync::Arc<super::cache::ChainCache>,
    /// Verified certificate links; shared by clones (see `link_cache.rs`).
    pub(super) link_cache: std::sync::Arc<super::link_cache::LinkCache>,
}

impl Verifier {
    /// A verifier over `store` with no policy yet; add one with [`Verifier::with_oci_policy`] and/or
    /// [`Verifier::with_blob_policy`].
    pub fn new(store: TrustStore) -> Self {
        Self {
            store,
            oci_policy: None,
            blob_policy: None,
            revocation: RevocationEvidence::new(),
            chain_cache: Default::default(),
            link_cache: Default::default(),
        }
    }

    /// Uses `policy` for OCI artifacts.
    pub fn with_oci_policy(mut self, policy: TrustPolicyDocument) -> Self {
        self.oci_policy = Some(policy);
        self
    }

    /// Uses `policy` for blobs.
    pub fn with_blob_policy(mut self, policy: BlobTrustPolicyDocument) -> Self {
        self.blob_policy = Some(policy);
        self
    }

    /// Uses `evidence` (CRLs and OCSP responses) for every revocation check; evidence given in
    /// [`VerifyOptions::revocation`] is added to it per call.
    pub fn with_revocation_evidence(mut self, evidence: RevocationEvidence) -> Self {
        self.revocation = evidence;
        self
    }

    /// The revocation evidence used for every verification.
    pub fn revocation_evidence(&self) -> &RevocationEvidence {
        &self.revocation
    }

    /// The trust store.
    pub fn trust_store(&self) -> &TrustStore {
        &self.store
    }

    /// The OCI trust policy, if any.
    pub fn oci_policy(&self) -> Option<&TrustPolicyDocument> {
        self.oci_policy.as_ref()
    }

    /// The blob trust policy, if any.
    pub fn blob_policy(&self) -> Option<&BlobTrustPolicyDocument> {
        self.blob_policy.as_ref()
    }

    /// The OCI statement that applies to `reference` (`registry/repository@<digest>`).
    pub fn statement_for(&self, reference: &str) -> Result<&TrustPolicyStatement, Error> {
        let policy = self.required_oci_policy()?;
        Ok(policy.statement_for(&reference.parse()?)?)
    }

    fn required_oci_policy(&self) -> Result<&TrustPolicyDocument, Error> {
        self.oci_policy.as_ref().ok_or_else(|| Error::InvalidInput("no OCI trust policy is configured".into()))
    }

    /// Verifies the signatures of an OCI artifact as `notation verify` does: the statement for
    /// `reference` is selected; at level `skip` nothing is verified; otherwise signatures are tried
    /// in order (at most `max_signatures`) until one verifies (or all of them, with
    /// [`VerifyOptions::all_signatures`]).
    ///
    /// `Err` means the request could not be evaluated (no applicable statement, a reference without
    /// a digest, a target that contradicts the reference); a failed verification is `Ok` with
    /// `verified == false`.
    pub fn verify_artifact(
        &self,
        reference: &str,
        target: &Target,
        signatures: &[SignatureInput],
        options: &VerifyOptions,
    ) -> Result<ArtifactOutcome, Error> {
        check_options(options)?;
        let artifact: ArtifactReference = reference.parse()?;
        let target_digest: Digest = target.digest().parse()?;
        if *artifact.digest() != target_digest {
            return Err(Error::InvalidInput(format!(
                "the reference digest {} differs from the target digest {target_digest}",
                artifact.digest()
            )));
        }
        let statement = self.required_oci_policy()?.statement_for(&artifact)?;
        let target_check = TargetCheck::Artifact(target);
        Ok(self.verify_with_statement(reference, statement, target_check, signatures, options))
    }

    /// Verifies one envelope for an OCI artifact; the same as [`Verifier::verify_artifact`] with
    /// one signature, returning that signature's outcome.
    pub fn verify(
        &self,
        reference: &str,
        target: &Target,
        signature: &SignatureInput,
        options: &VerifyOptions,
    ) -> Result<ArtifactOutcome, Error> {
        self.verify_artifact(reference, target, std::slice::from_ref(signature), options)
    }

    /// Verifies a detached blob signature as `notation blob verify` does: the blob statement is
    /// chosen by name or is the global one; the payload must name the blob's digest (under the
    /// signing key's hash), its size, and — if given — its media type.
    ///
    /// The blob is in memory; [`Verifier::verify_blob_reader`] streams it instead, with the same
    /// verdicts.
    pub fn verify_blob(
        &self,
        blob_name: &str,
        blob: &[u8],
        signature: &SignatureInput,
        options: &BlobOptions,
    ) -> Result<ArtifactOutcome, Error> {
        let statement = self.blob_statement(options)?;
        self.verify_blob_content(blob_name, statement, BlobContent::Bytes(blob), signature, options)
    }

    /// [`Verifier::verify_blob`] for a blob read from `reader`: the blob is hashed while it is read
    /// through a fixed buffer (under the hash of the signature's key, taken from the envelope), so
    /// memory use does not grow with its size. The statement is chosen before anything is read;
    /// then the reader is read to its end (also when the envelope does not parse or the level is
    /// `skip`, so a read error is always reported).
    ///
    /// A read error, or a blob of more than `i64::MAX` bytes, is an [`Error::Load`] naming
    /// `blob_name`. The verdict is the one [`Verifier::verify_blob`] gives for the same bytes.
    pub fn verify_blob_reader(
        &self,
        blob_name: &str,
        reader: impl std::io::Read,
        signature: &SignatureInput,
        options: &BlobOptions,
    ) -> Result<ArtifactOutcome, Error> {
        let statement = self.blob_statement(options)?;
        // The key's hash comes from the envelope's algorithm header; an envelope that does not
        // parse fails integrity before the blob is compared, so its blob is only counted.
        let hash = match &signature.delivery_error {
            Some(_) => None,
            None => Envelope::parse(&signature.media_type, &signature.envelope).ok().map(|e| e.signed.algorithm.hash()),
        };
        let hashed = hash_blob(blob_name, reader, hash)?;
        self.verify_blob_content(blob_name, statement, BlobContent::Hashed(hashed), signature, options)
    }

    /// The blob statement `options` select, after checking the options.
    fn blob_statement(&self, options: &BlobOptions) -> Result<&TrustPolicyStatement, Error> {
        check_options(&options.verify)?;
        let policy = self
            .blob_policy
            .as_ref()
            .ok_or_else(|| Error::InvalidInput("no blob trust policy is configured".into()))?;
        Ok(policy.statement_named(options.policy_name.as_deref())?)
    }

    /// The one path of both blob entry points.
    fn verify_blob_content(
        &self,
        blob_name: &str,
        statement: &TrustPolicyStatement,
        content: BlobContent<'_>,
        signature: &SignatureInput,
        options: &BlobOptions,
    ) -> Result<ArtifactOutcome, Error> {
        let target_check =
            TargetCheck::Blob { content, media_type: options.media_type.as_deref().filter(|m| !m.is_empty()) };
        Ok(self.verify_with_statement(
            blob_name,
            statement,
            target_check,
            std::slice::from_ref(signature),
            &options.verify,
        ))
    }

    fn verify_with_statement(
        &self,
        reference: &str,
        statement: &TrustPolicyStatement,
        target: TargetCheck<'_>,
        signatures: &[SignatureInput],
        options: &VerifyOptions,
    ) -> ArtifactOutcome {
        let level = statement.level();
        let mut outcome = ArtifactOutcome {
            reference: reference.to_owned(),
            verified: false,
            policy: Some(PolicySummary {
                name: statement.name().to_owned(),
                level: level.name(),
                custom: level.is_custom(),
            }),
            signatures: Vec::new(),
            error: None,
        };
        if level.name() == LevelName::Skip {
            outcome.verified = true;
            return outcome;
        }
        if signatures.is_empty() {
            outcome.error = Some(ArtifactError {
                code: "NO_SIGNATURE",
                message: format!("no signature is associated with {reference:?}"),
            });
            return outcome;
        }
        let revocation = match &options.revocation {
            None => std::borrow::Cow::Borrowed(&self.revocation),
            Some(extra) => {
                let mut merged = self.revocation.clone();
                merged.merge(extra);
                std::borrow::Cow::Owned(merged)
            }
        };
        let ctx = Context {
            statement,
            store: &self.store,
            at: options.at.unwrap_or_else(Time::now),
            target,
            user_metadata: &options.user_metadata,
            revocation: &revocation,
            chain_cache: &self.chain_cache,
            link_cache: &self.link_cache,
        };
        for input in signatures.iter().take(options.max_signatures) {
            let signature: SignatureOutcome = workflow::verify_signature(&ctx, input);
            let verified = signature.verified;
            outcome.signatures.push(signature);
            if verified {
                outcome.verified = true;
                if !options.all_signatures {
                    return outcome;
                }
            }
        }
        if outcome.verified {
            return outcome;
        }
        // notation-go checks the limit once the signatures it processed reach it, whether or not
        // more are left: exactly `max_signatures` failures also end here.
        if signatures.len() >= options.max_signatures {
            outcome.error = Some(ArtifactError {
                code: "MAX_SIGNATURES_EXCEEDED",
                message: format!(
                    "signature evaluation stopped. The configured limit of {} signatures to verify per artifact exceeded",
                    options.max_signatures
                ),
            });
            return outcome;
        }
        outcome.error = Some(ArtifactError {
            code: "VERIFICATION_FAILED",
            message: format!("signature verification failed for all the signatures associated with {reference}"),
        });
        outcome
    }
}

fn check_options(options: &VerifyOptions) -> Result<(), Error> {
    if options.max_signatures == 0 {
        return Err(Error::InvalidInput("max_signatures must be greater than zero".into()));
    }
    check_limit("max_signatures", options.max_signatures, MAX_SIGNATURES)?;
    check_limit("user metadata entries", options.user_metadata.len(), MAX_ANNOTATIONS)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn assert_send_sync<T: Send + Sync>() {}

    #[test]
    fn verifier_is_send_and_sync() {
        assert_send_sync::<Verifier>();
    }
}
