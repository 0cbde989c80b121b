//! OCI image layouts on disk (`oci-layout`, `index.json`, `blobs/<alg>/<hex>`): resolving a
//! tag or digest to the target's real descriptor and finding the notation signature manifests
//! whose `subject` is that target, as `notation verify --oci-layout` does.
//!
//! Every blob read is checked against its digest and size. A target (or an index) whose content
//! does not match its digest is an [`Error::Load`]; a signature manifest or envelope whose
//! content does not match is reported as that signature's integrity failure
//! ([`SignatureInput::delivery_error`]).
//!
//! A layout is a closed room: everything is read beneath the layout directory through a
//! `cap_std` handle, and nothing beneath it may be a symlink — not `oci-layout`, `index.json`,
//! `blobs/`, `blobs/<algorithm>/` nor a blob — whether the link would stay inside the layout or
//! leave it (an [`Error::Load`] naming the link). The layout directory itself may be a symlink.
//!
//! Which manifests are notation signatures is decided by one rule, `Manifest::signature_role`
//! (`oci.rs`), for both `verify --oci-layout` ([`OciLayout::signature_manifests`]) and `scan`
//! ([`OciLayout::artifacts`]); an index's `artifactType` plays no part in it.

mod blobs;
mod oci;
mod reference;
mod signature_index;

pub use oci::{
    ENVELOPE_MEDIA_TYPES, MEDIA_TYPE_ARTIFACT_MANIFEST, MEDIA_TYPE_EMPTY_JSON, MEDIA_TYPE_IMAGE_INDEX,
    MEDIA_TYPE_IMAGE_MANIFEST, NOTATION_SIGNATURE,
};
pub use reference::{TagOrDigest, parse_layout_reference};

use super::files::load_error;
use crate::Error;
use crate::envelope::Descriptor;
use crate::limits::{
    MAX_ENVELOPE_BYTES, MAX_INDEX_DEPTH, MAX_INDEX_ENTRIES, MAX_LAYOUT_MANIFESTS, MAX_MANIFEST_BYTES,
    MAX_OCI_LAYOUT_FILE_BYTES,
};
use crate::request::SignatureInput;
use blobs::{BlobProblem, LayoutFiles, blob_path, read_blob};
use oci::{ImageIndex, LayoutMarker, OciDescriptor};
use signature_index::SignatureIndex;
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

/// An OCI image layout directory, opened: its marker checked and its index (with nested
/// indexes) read. It is `Sync`: one opened layout can serve many threads.
#[derive(Clone, Debug)]
pub struct OciLayout {
    root: PathBuf,
    /// Reads beneath the layout directory.
    files: LayoutFiles,
    /// Descriptors listed by `index.json`, in order.
    top_level: Vec<OciDescriptor>,
    /// Every manifest reachable through the index and nested indexes, in depth-first order,
    /// without duplicates (indexes themselves included).
    reachable: Vec<OciDescriptor>,
    /// The signature manifests by subject, read at the first [`OciLayout::signature_manifests`].
    signature_index: OnceLock<SignatureIndex>,
}

/// A manifest of the layout, for listings ([`OciLayout::manifests`], [`OciLayout::artifacts`]).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LayoutManifest {
    /// Its descriptor (media type, digest, size) as the index lists it.
    pub descriptor: Descriptor,
    /// The `artifactType` the index lists, if any.
    pub artifact_type: Option<String>,
    /// Tags (`org.opencontainers.image.ref.name`) that `index.json` gives it.
    pub tags: Vec<String>,
}

/// A notation signature manifest whose `subject` is the target, before its envelope is read.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SignatureManifest {
    /// The signature manifest's digest.
    pub digest: String,
    /// The envelope layer's media type (empty when the manifest has no single layer).
    pub media_type: String,
    envelope: Option<Descriptor>,
    problem: Option<String>,
}

impl SignatureManifest {
    /// The reason this signature fails integrity before its envelope is even read.
    pub fn problem(&self) -> Option<&str> {
        self.problem.as_deref()
    }
}

impl OciLayout {
    /// Opens the layout at `dir`: `oci-layout` must declare version 1.0.0 and `index.json` must
    /// parse; nested indexes are followed (depth and count bounded by [`crate::limits`]).
    pub fn open(dir: &Path) -> Result<Self, Error> {
        match std::fs::metadata(dir) {
            Ok(m) if m.is_dir() => {}
            Ok(_) => return Err(load_error(dir, "the OCI layout is not a directory")),
            Err(e) => return Err(load_error(dir, format!("the OCI layout cannot be opened: {e}"))),
        }
        let files = LayoutFiles::open(dir)?;
        let marker_path = dir.join("oci-layout");
        let marker = files.read_file("oci-layout", "oci-layout file", MAX_OCI_LAYOUT_FILE_BYTES)?;
        let marker: LayoutMarker = serde_json::from_slice(&marker).map_err(|e| {
            load_error(&marker_path, format!("oci-layout file is not valid JSON of the expected shape: {e}"))
        })?;
        if marker.image_layout_version != "1.0.0" {
            return Err(load_error(
                &marker_path,
                format!("unsupported imageLayoutVersion {:?} (expected \"1.0.0\")", marker.image_layout_version),
            ));
        }
        let index_path = dir.join("index.json");
        let index = files.read_file("index.json", "index.json", MAX_MANIFEST_BYTES)?;
        let index = parse_index(&index_path, &index)?;
        let mut layout = Self {
            root: dir.to_path_buf(),
            files,
            top_level: index.manifests,
            reachable: Vec::new(),
            signature_index: OnceLock::new(),
        };
        let mut seen = BTreeSet::new();
        let top_level = layout.top_level.clone();
        layout.walk(&top_level, 1, &mut seen)?;
        Ok(layout)
    }

    fn walk(&mut self, entries: &[OciDescriptor], depth: usize, seen: &mut BTreeSet<String>) -> Result<(), Error> {
        for entry in entries {
            if !seen.insert(entry.digest.clone()) {
                continue;
            }
            self.reachable.push(entry.clone());
            if self.reachable.len() > MAX_LAYOUT_MANIFESTS {
                return Err(Error::LimitExceeded {
                    what: "manifests in an OCI layout",
                    limit: MAX_LAYOUT_MANIFESTS,
                    actual: self.reachable.len(),
                });
            }
            if entry.is_index() {
                if depth >= MAX_INDEX_DEPTH {
                    return Err(Error::LimitExceeded {
                        what: "nested image index depth",
                        limit: MAX_INDEX_DEPTH,
                        actual: depth + 1,
                    });
                }
                let bytes = self.read_verified(entry, "image index")?;
                let nested = parse_index(&self.blob_path_or_root(&entry.digest), &bytes)?;
                self.walk(&nested.manifests, depth + 1, seen)?;
            }
        }
        Ok(())
    }

    /// The layout directory.
    pub fn root(&self) -> &Path {
        &self.root
    }

    fn blob_path_or_root(&self, digest: &str) -> PathBuf {
        blob_path(&self.root, digest).unwrap_or_else(|| self.root.clone())
    }

    /// Reads a manifest-sized blob that must match its descriptor; a mismatch is an error.
    fn read_verified(&self, descriptor: &OciDescriptor, what: &'static str) -> Result<Vec<u8>, Error> {
        self.read_blob(what, &descriptor.digest, descriptor.size, MAX_MANIFEST_BYTES)
            .map_err(|p| p.into_error(&self.blob_path_or_root(&descriptor.digest)))
    }

    /// Reads the blob `digest` of declared `size` (at most `limit` bytes) and checks it.
    fn read_blob(&self, what: &'static str, digest: &str, size: i64, limit: usize) -> Result<Vec<u8>, BlobProblem> {
        read_blob(&self.files, &self.root, what, digest, size, limit)
    }

    /// Resolves a tag (from `index.json`'s `org.opencontainers.image.ref.name` annotations) or a
    /// digest (any manifest reachable through the index, else a manifest blob of the layout) to
    /// the target's descriptor. The target's content is read and must match its digest and
    /// size; its media type is the one the index gives (or, for a blob found by digest only,
    /// the `mediaType` member of its content).
    pub fn resolve(&self, reference: &TagOrDigest) -> Result<Descriptor, Error> {
        let index_path = self.root.join("index.json");
        let listed = match reference {
            TagOrDigest::Tag(tag) => {
                let tagged: Vec<&OciDescriptor> =
                    self.top_level.iter().filter(|d| d.ref_name() == Some(tag.as_str())).collect();
                let first = *tagged.first().ok_or_else(|| {
                    load_error(&index_path, format!("the tag {tag:?} does not exist in the OCI layout"))
                })?;
                if tagged.iter().any(|d| d.digest != first.digest) {
                    return Err(load_error(&index_path, format!("the tag {tag:?} names several different manifests")));
                }
                Some(first.clone())
            }
            TagOrDigest::Digest(digest) => self.reachable.iter().find(|d| d.digest == *digest).cloned(),
        };
        let descriptor = match (listed, reference) {
            (Some(d), _) => d,
            (None, TagOrDigest::Digest(digest)) => self.unlisted_manifest(digest)?,
            (None, TagOrDigest::Tag(tag)) => {
                return Err(load_error(&index_path, format!("the tag {tag:?} does not exist in the OCI layout")));
            }
        };
        let path = self.blob_path_or_root(&descriptor.digest);
        let bytes = self.read_verified(&descriptor, "target manifest")?;
        let declared = declared_media_type(&bytes);
        if let Some(declared) = declared.filter(|m| !m.is_empty())
            && declared != descriptor.media_type
        {
            return Err(load_error(
                &path,
                format!(
                    "the target manifest declares media type {declared:?} but the index lists {:?}",
                    descriptor.media_type
                ),
            ));
        }
        if descriptor.media_type.is_empty() {
            return Err(load_error(&path, "the target manifest has no media type"));
        }
        Ok(descriptor.to_descriptor())
    }

    /// A manifest blob that no index lists, found by digest: its descriptor comes from the blob.
    fn unlisted_manifest(&self, digest: &str) -> Result<OciDescriptor, Error> {
        if blob_path(&self.root, digest).is_none() {
            return Err(Error::InvalidInput(format!("{digest:?} is not a valid digest")));
        }
        let size = match self.files.blob_len(digest, "target manifest")? {
            Some(len) => i64::try_from(len).unwrap_or(i64::MAX),
            None => {
                return Err(load_error(&self.root, format!("the manifest {digest} does not exist in the OCI layout")));
            }
        };
        let probe = OciDescriptor { digest: digest.to_owned(), size, ..OciDescriptor::default() };
        let bytes = self.read_verified(&probe, "target manifest")?;
        let media_type = declared_media_type(&bytes).unwrap_or_default();
        Ok(OciDescriptor { media_type, ..probe })
    }

    /// Every manifest reachable through the index (indexes included), with the tags
    /// `index.json` gives it.
    pub fn manifests(&self) -> Vec<LayoutManifest> {
        self.reachable.iter().map(|d| self.listing(d)).collect()
    }

    /// The artifacts of the layout, for `scan`: every manifest reachable through the index
    /// (indexes included) that is not a notation signature by the rule `verify` uses
    /// ([`OciLayout::is_notation_signature`]), with the tags `index.json` gives it. A manifest
    /// that cannot be read is an artifact (whose verification then fails): never left out.
    pub fn artifacts(&self) -> Vec<LayoutManifest> {
        let index = self.signature_index();
        self.reachable.iter().filter(|d| !index.is_signature(&d.digest)).map(|d| self.listing(d)).collect()
    }

    /// True when the manifest `digest` of the layout is a notation signature: in a signature's
    /// form with a subject, its content matching its digest, exactly one envelope layer of an
    /// envelope media type and notation's empty config (the rule `verify` and `scan` share).
    /// Reads every manifest of the layout once, at the first call (as
    /// [`OciLayout::signature_manifests`] does).
    pub fn is_notation_signature(&self, digest: &str) -> bool {
        self.signature_index().is_signature(digest)
    }

    fn signature_index(&self) -> &SignatureIndex {
        self.signature_index.get_or_init(|| SignatureIndex::build(self))
    }

    fn listing(&self, d: &OciDescriptor) -> LayoutManifest {
        LayoutManifest {
            descriptor: d.to_descriptor(),
            artifact_type: d.artifact_type.clone(),
            tags: self
                .top_level
                .iter()
                .filter(|t| t.digest == d.digest)
                .filter_map(|t| t.ref_name().map(str::to_owned))
                .collect(),
        }
    }

    /// The notation signature manifests whose `subject` names `target`'s digest, in index
    /// order. A listed manifest (other than `target` itself) that is missing, too large or not
    /// JSON is an error; a manifest whose content does not match its digest is reported only if
    /// its content claims to be a signature of `target`, and then as that signature's integrity
    /// failure.
    ///
    /// The first call reads every manifest of the layout once and keeps a small index of the
    /// signature manifests by subject; later calls answer from it. Changes to the layout on disk
    /// after the first call are not seen (envelopes are still read at [`OciLayout::read_signature`]).
    pub fn signature_manifests(&self, target: &Descriptor) -> Result<Vec<SignatureManifest>, Error> {
        self.signature_index().signature_manifests(target)
    }

    /// Reads the envelope of a signature manifest. A missing or oversized envelope blob is an
    /// error; content that does not match its digest is the signature's integrity failure.
    pub fn read_signature(&self, manifest: &SignatureManifest) -> Result<SignatureInput, Error> {
        let failed = |reason: String| {
            SignatureInput::undeliverable(manifest.media_type.clone(), Some(manifest.digest.clone()), reason)
        };
        if let Some(problem) = &manifest.problem {
            return Ok(failed(problem.clone()));
        }
        let Some(envelope) = &manifest.envelope else {
            return Ok(failed("the signature manifest has no envelope layer".into()));
        };
        match self.read_blob("signature envelope", &envelope.digest, envelope.size, MAX_ENVELOPE_BYTES) {
            Ok(bytes) => {
                Ok(SignatureInput::new(bytes, manifest.media_type.clone()).with_digest(manifest.digest.clone()))
            }
            Err(BlobProblem::Mismatch { reason, .. }) => Ok(failed(reason)),
            Err(BlobProblem::Unreadable(e)) => Err(e),
        }
    }

    /// [`OciLayout::signature_manifests`] with every envelope read.
    pub fn signatures_for(&self, target: &Descriptor) -> Result<Vec<SignatureInput>, Error> {
        self.signature_manifests(target)?.iter().map(|m| self.read_signature(m)).collect()
    }
}

fn parse_index(path: &Path, bytes: &[u8]) -> Result<ImageIndex, Error> {
    let index: ImageIndex = serde_json::from_slice(bytes)
        .map_err(|e| load_error(path, format!("the image index is not valid JSON of the expected shape: {e}")))?;
    if index.manifests.len() > MAX_INDEX_ENTRIES {
        return Err(Error::LimitExceeded {
            what: "entries in an image index",
            limit: MAX_INDEX_ENTRIES,
            actual: index.manifests.len(),
        });
    }
    if let Some(media_type) = index.media_type.as_deref()
        && !media_type.is_empty()
        && media_type != MEDIA_TYPE_IMAGE_INDEX
        && media_type != oci::MEDIA_TYPE_DOCKER_MANIFEST_LIST
    {
        return Err(load_error(path, format!("the image index has media type {media_type:?}")));
    }
    Ok(index)
}

/// The `mediaType` member a manifest's JSON declares, if any.
fn declared_media_type(bytes: &[u8]) -> Option<String> {
    #[derive(serde::Deserialize)]
    #[serde(rename_all = "camelCase")]
    struct Probe {
        #[serde(default)]
        media_type: Option<String>,
    }
    serde_json::from_slice::<Probe>(bytes).ok().and_then(|p| p.media_type)
}

#[cfg(test)]
mod tests;
