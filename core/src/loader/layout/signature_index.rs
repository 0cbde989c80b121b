//! The notation signature manifests of a layout by the digest of their subject, read once per
//! [`OciLayout`]: finding a target's signatures is a lookup, so scanning every artifact of a
//! layout reads each manifest once instead of once per artifact. Each manifest's role comes from
//! the one rule, [`Manifest::signature_role`].

use super::blobs::BlobProblem;
use super::oci::{Manifest, OciDescriptor, SignatureRole};
use super::{MEDIA_TYPE_ARTIFACT_MANIFEST, MEDIA_TYPE_IMAGE_MANIFEST, OciLayout, SignatureManifest};
use crate::Error;
use crate::envelope::Descriptor;
use crate::limits::MAX_MANIFEST_BYTES;
use crate::loader::files::load_error;
use std::collections::{HashMap, HashSet};

/// Unreadable manifests the index remembers. Any unreadable manifest fails every lookup except
/// that of its own digest (a manifest is never read as its own signature), so the first two in
/// index order decide every answer.
const UNREADABLE_KEPT: usize = 2;

/// Every notation signature manifest of a layout, by subject digest, in index order.
///
/// Memory: one entry per signature manifest (at most [`crate::limits::MAX_LAYOUT_MANIFESTS`]),
/// holding its digest, envelope descriptor, subject media type and size and a problem sentence
/// (never manifest or envelope bytes), the digests of the well-formed ones again, plus at most
/// [`UNREADABLE_KEPT`] errors.
#[derive(Clone, Debug, Default)]
pub(super) struct SignatureIndex {
    by_subject: HashMap<String, Vec<IndexedSignature>>,
    /// The digests of the manifests that are notation signatures ([`SignatureRole::Signature`]);
    /// everything else the layout lists is an artifact.
    signatures: HashSet<String>,
    /// (digest, why it cannot be read), in index order.
    unreadable: Vec<(String, Error)>,
}

/// One signature manifest: what does not depend on the target, and the subject it was made for.
#[derive(Clone, Debug)]
struct IndexedSignature {
    manifest: SignatureManifest,
    subject_media_type: String,
    subject_size: i64,
}

impl SignatureIndex {
    /// Reads every image and artifact manifest the layout lists (indexes excluded).
    pub(super) fn build(layout: &OciLayout) -> Self {
        let mut index = Self::default();
        let manifests = layout.reachable.iter().filter(|entry| {
            !entry.is_index()
                && (entry.media_type == MEDIA_TYPE_IMAGE_MANIFEST || entry.media_type == MEDIA_TYPE_ARTIFACT_MANIFEST)
        });
        for entry in manifests {
            match read_signature_entry(layout, entry) {
                Ok(Some((subject, signature, role))) => {
                    if role == SignatureRole::Signature {
                        index.signatures.insert(entry.digest.clone());
                    }
                    index.by_subject.entry(subject).or_default().push(signature);
                }
                Ok(None) => {}
                Err(e) if index.unreadable.len() < UNREADABLE_KEPT => index.unreadable.push((entry.digest.clone(), e)),
                Err(_) => {}
            }
        }
        index
    }

    /// True when the manifest `digest` is a notation signature by the rule.
    pub(super) fn is_signature(&self, digest: &str) -> bool {
        self.signatures.contains(digest)
    }

    /// [`OciLayout::signature_manifests`]: the first unreadable manifest other than `target`
    /// itself is the error; otherwise the signature manifests of `target`, never `target` itself.
    pub(super) fn signature_manifests(&self, target: &Descriptor) -> Result<Vec<SignatureManifest>, Error> {
        if let Some((_, error)) = self.unreadable.iter().find(|(digest, _)| *digest != target.digest) {
            return Err(error.clone());
        }
        let signatures = self.by_subject.get(&target.digest).map_or(&[][..], Vec::as_slice);
        Ok(signatures.iter().filter(|s| s.manifest.digest != target.digest).map(|s| s.for_target(target)).collect())
    }
}

impl IndexedSignature {
    /// The manifest as a signature of `target`: a subject descriptor that names the target's
    /// digest with another media type or size is that signature's problem, unless it has one.
    fn for_target(&self, target: &Descriptor) -> SignatureManifest {
        let mut manifest = self.manifest.clone();
        if manifest.problem.is_none()
            && (self.subject_media_type != target.media_type || self.subject_size != target.size)
        {
            manifest.problem =
                Some("the signature manifest's subject descriptor (media type, size) does not match the target".into());
        }
        manifest
    }
}

/// Reads one listed manifest: when it is in a notation signature's form with a subject, its
/// subject digest, what the index keeps and its role by the rule; `None` when it is not (an
/// artifact). A manifest that is missing, too large or not JSON is an error; content that does not
/// match its digest is that signature's problem.
fn read_signature_entry(
    layout: &OciLayout,
    entry: &OciDescriptor,
) -> Result<Option<(String, IndexedSignature, SignatureRole)>, Error> {
    let (bytes, mismatch) = match layout.read_blob("manifest", &entry.digest, entry.size, MAX_MANIFEST_BYTES) {
        Ok(bytes) => (bytes, None),
        Err(BlobProblem::Mismatch { bytes, reason }) => (bytes, Some(reason)),
        Err(BlobProblem::Unreadable(e)) => return Err(e),
    };
    let manifest: Manifest = match serde_json::from_slice(&bytes) {
        Ok(m) => m,
        Err(e) => {
            let why = mismatch.unwrap_or_else(|| format!("the manifest is not valid JSON of the expected shape: {e}"));
            return Err(load_error(&layout.blob_path_or_root(&entry.digest), why));
        }
    };
    let role = manifest.signature_role(&entry.media_type, mismatch.is_none());
    if role == SignatureRole::Artifact {
        return Ok(None);
    }
    let Some(subject) = manifest.claimed_subject(&entry.media_type) else { return Ok(None) };
    let signature = IndexedSignature {
        manifest: signature_manifest(entry, &manifest, mismatch),
        subject_media_type: subject.media_type.clone(),
        subject_size: subject.size,
    };
    Ok(Some((subject.digest.clone(), signature, role)))
}

/// The signature manifest with its problems that do not depend on the target, as `verify`
/// reports them: content that does not match its digest, not exactly one envelope layer, an
/// unsupported envelope media type.
fn signature_manifest(entry: &OciDescriptor, manifest: &Manifest, mismatch: Option<String>) -> SignatureManifest {
    let envelope = match manifest.envelope_blobs(&entry.media_type) {
        [one] => Some(one.to_descriptor()),
        _ => None,
    };
    let media_type = envelope.as_ref().map(|e| e.media_type.clone()).unwrap_or_default();
    let problem = mismatch
        .map(|m| format!("the signature manifest cannot be trusted: {m}"))
        .or_else(|| manifest.envelope_problem(&entry.media_type));
    SignatureManifest { digest: entry.digest.clone(), media_type, envelope, problem }
}
