//! What a caller asks to verify: the target, the signatures and the options. Shared by the
//! verifier, which checks them, and the loader, which reads them from files.

use crate::Time;
use crate::envelope::Descriptor;
use crate::limits::DEFAULT_MAX_SIGNATURES;
use crate::reference::{ArtifactReference, NameError};
use crate::revocation::RevocationEvidence;
use std::collections::BTreeMap;

/// What the signature must be bound to.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Target {
    /// The artifact's real descriptor (media type, digest and size are all compared, as notation does).
    Descriptor(Descriptor),
    /// Only the digest is known (e.g. `registry/repo@sha256:...` with envelope files); the payload's
    /// digest must equal it.
    Digest(String),
}

impl Target {
    /// The target an artifact reference (`registry/repository@<digest>`) names by digest, for
    /// envelope files without the artifact's descriptor. The reference is checked as the
    /// verifier checks it: a [`NameError`] names what is wrong.
    pub fn from_reference(reference: &str) -> Result<Self, NameError> {
        let reference: ArtifactReference = reference.parse()?;
        Ok(Self::Digest(reference.digest().to_string()))
    }

    /// The digest the target names.
    pub fn digest(&self) -> &str {
        match self {
            Self::Descriptor(d) => &d.digest,
            Self::Digest(d) => d,
        }
    }
}

/// One signature envelope to verify.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct SignatureInput {
    /// The envelope bytes.
    pub envelope: Vec<u8>,
    /// `application/jose+json` or `application/cose`.
    pub media_type: String,
    /// The digest of the signature manifest (or envelope), reported back in the outcome.
    pub digest: Option<String>,
    /// Why the envelope could not be delivered intact (e.g. an OCI blob whose content does not
    /// match its digest); such a signature fails integrity with this reason.
    pub delivery_error: Option<String>,
}

impl SignatureInput {
    /// An envelope with its media type.
    pub fn new(envelope: impl Into<Vec<u8>>, media_type: impl Into<String>) -> Self {
        Self { envelope: envelope.into(), media_type: media_type.into(), digest: None, delivery_error: None }
    }

    /// The same input, reported with the digest of its signature manifest or envelope.
    pub fn with_digest(mut self, digest: impl Into<String>) -> Self {
        self.digest = Some(digest.into());
        self
    }

    /// A signature whose envelope could not be delivered intact; it fails integrity with `reason`.
    pub fn undeliverable(media_type: impl Into<String>, digest: Option<String>, reason: impl Into<String>) -> Self {
        Self { envelope: Vec::new(), media_type: media_type.into(), digest, delivery_error: Some(reason.into()) }
    }
}

/// Options of one verification.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct VerifyOptions {
    /// Annotations the signed target must carry with exactly these values (notation's `--user-metadata`).
    pub user_metadata: BTreeMap<String, String>,
    /// The verification time; `None` means now.
    pub at: Option<Time>,
    /// Most signatures tried per artifact (notation's `--max-signatures`, default 100).
    pub max_signatures: usize,
    /// Revocation evidence for this call, added to the verifier's
    /// ([`crate::Verifier::with_revocation_evidence`]).
    pub revocation: Option<RevocationEvidence>,
    /// Evaluate every signature (at most `max_signatures`) even after one verified. The verdict
    /// is the same (verified when any signature verifies); the outcome lists each signature's
    /// checks. Classifying an artifact by its signatures needs this: a re-signed image's retired signature must not hide its
    /// current one, whichever comes first.
    pub all_signatures: bool,
}

impl Default for VerifyOptions {
    fn default() -> Self {
        Self {
            user_metadata: BTreeMap::new(),
            at: None,
            max_signatures: DEFAULT_MAX_SIGNATURES,
            revocation: None,
            all_signatures: false,
        }
    }
}

impl VerifyOptions {
    /// Options with the verification time set.
    pub fn at(time: Time) -> Self {
        Self { at: Some(time), ..Self::default() }
    }
}

/// Options of a blob verification.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct BlobOptions {
    /// The blob trust policy statement to use by name; `None` selects the global statement.
    pub policy_name: Option<String>,
    /// The media type the signed payload must name; `None` accepts any.
    pub media_type: Option<String>,
    /// The common options (user metadata, time).
    pub verify: VerifyOptions,
}
