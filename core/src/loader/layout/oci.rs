//! The JSON documents of an OCI image layout, as far as verification needs them.

use crate::envelope::Descriptor;
use serde::Deserialize;
use std::collections::BTreeMap;

/// `application/vnd.oci.image.index.v1+json`.
pub const MEDIA_TYPE_IMAGE_INDEX: &str = "application/vnd.oci.image.index.v1+json";
/// `application/vnd.docker.distribution.manifest.list.v2+json` (followed like an OCI index).
pub const MEDIA_TYPE_DOCKER_MANIFEST_LIST: &str = "application/vnd.docker.distribution.manifest.list.v2+json";
/// `application/vnd.oci.image.manifest.v1+json`.
pub const MEDIA_TYPE_IMAGE_MANIFEST: &str = "application/vnd.oci.image.manifest.v1+json";
/// `application/vnd.oci.artifact.manifest.v1+json` (the withdrawn OCI artifact manifest that
/// notation still reads).
pub const MEDIA_TYPE_ARTIFACT_MANIFEST: &str = "application/vnd.oci.artifact.manifest.v1+json";
/// The artifact type and legacy config media type of notation signatures.
pub const NOTATION_SIGNATURE: &str = "application/vnd.cncf.notary.signature";
/// The empty config of OCI 1.1 artifacts.
pub const MEDIA_TYPE_EMPTY_JSON: &str = "application/vnd.oci.empty.v1+json";
/// The annotation that names a tag in `index.json`.
pub const ANNOTATION_REF_NAME: &str = "org.opencontainers.image.ref.name";
/// Envelope media types a signature layer may have.
pub const ENVELOPE_MEDIA_TYPES: [&str; 2] = ["application/jose+json", "application/cose"];

/// A content descriptor as it appears in layout documents.
#[derive(Clone, Debug, Default, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
pub(crate) struct OciDescriptor {
    #[serde(default)]
    pub media_type: String,
    pub digest: String,
    pub size: i64,
    #[serde(default)]
    pub artifact_type: Option<String>,
    #[serde(default)]
    pub annotations: BTreeMap<String, String>,
}

impl OciDescriptor {
    /// The descriptor in the core's model (media type, digest, size; annotations dropped, since
    /// notation compares only the first three).
    pub fn to_descriptor(&self) -> Descriptor {
        Descriptor {
            media_type: self.media_type.clone(),
            digest: self.digest.clone(),
            size: self.size,
            ..Descriptor::default()
        }
    }

    pub fn is_index(&self) -> bool {
        self.media_type == MEDIA_TYPE_IMAGE_INDEX || self.media_type == MEDIA_TYPE_DOCKER_MANIFEST_LIST
    }

    pub fn ref_name(&self) -> Option<&str> {
        self.annotations.get(ANNOTATION_REF_NAME).map(String::as_str)
    }
}

/// `index.json` or a nested image index.
#[derive(Clone, Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct ImageIndex {
    #[serde(default)]
    pub media_type: Option<String>,
    #[serde(default)]
    pub manifests: Vec<OciDescriptor>,
}

/// An image manifest or an artifact manifest (both forms read together).
#[derive(Clone, Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct Manifest {
    #[serde(default)]
    pub artifact_type: Option<String>,
    #[serde(default)]
    pub config: Option<OciDescriptor>,
    #[serde(default)]
    pub layers: Option<Vec<OciDescriptor>>,
    #[serde(default)]
    pub blobs: Option<Vec<OciDescriptor>>,
    #[serde(default)]
    pub subject: Option<OciDescriptor>,
}

impl Manifest {
    /// True when this is a notation signature manifest in one of the forms notation-go's
    /// referrer filter accepts: an image manifest with `artifactType` = notation signature and
    /// the empty config, an image manifest without `artifactType` whose config media type is
    /// the notation signature type, or an artifact manifest with that `artifactType`.
    pub fn is_notation_signature(&self, media_type: &str) -> bool {
        let config = self.config.as_ref().map(|c| c.media_type.as_str());
        match media_type {
            MEDIA_TYPE_IMAGE_MANIFEST => match self.artifact_type.as_deref() {
                Some(NOTATION_SIGNATURE) => config == Some(MEDIA_TYPE_EMPTY_JSON),
                None | Some("") => config == Some(NOTATION_SIGNATURE),
                Some(_) => false,
            },
            MEDIA_TYPE_ARTIFACT_MANIFEST => self.artifact_type.as_deref() == Some(NOTATION_SIGNATURE),
            _ => false,
        }
    }

    /// The envelope blobs: `layers` of an image manifest, `blobs` of an artifact manifest.
    pub fn envelope_blobs(&self, media_type: &str) -> &[OciDescriptor] {
        let blobs = if media_type == MEDIA_TYPE_ARTIFACT_MANIFEST { &self.blobs } else { &self.layers };
        blobs.as_deref().unwrap_or(&[])
    }
}

/// The `oci-layout` marker file.
#[derive(Clone, Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct LayoutMarker {
    pub image_layout_version: String,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn manifest(json: &str) -> Manifest {
        serde_json::from_str(json).unwrap()
    }

    #[test]
    fn recognises_the_three_signature_forms_only() {
        let legacy =
            manifest(r#"{"config":{"mediaType":"application/vnd.cncf.notary.signature","digest":"x","size":2}}"#);
        assert!(legacy.is_notation_signature(MEDIA_TYPE_IMAGE_MANIFEST));
        let modern = manifest(
            r#"{"artifactType":"application/vnd.cncf.notary.signature","config":{"mediaType":"application/vnd.oci.empty.v1+json","digest":"x","size":2}}"#,
        );
        assert!(modern.is_notation_signature(MEDIA_TYPE_IMAGE_MANIFEST));
        let artifact = manifest(r#"{"artifactType":"application/vnd.cncf.notary.signature","blobs":[]}"#);
        assert!(artifact.is_notation_signature(MEDIA_TYPE_ARTIFACT_MANIFEST));
        assert!(!artifact.is_notation_signature(MEDIA_TYPE_IMAGE_MANIFEST));
        let sbom = manifest(
            r#"{"artifactType":"application/spdx+json","config":{"mediaType":"application/vnd.cncf.notary.signature","digest":"x","size":2}}"#,
        );
        assert!(!sbom.is_notation_signature(MEDIA_TYPE_IMAGE_MANIFEST));
        let mixed = manifest(
            r#"{"artifactType":"application/vnd.cncf.notary.signature","config":{"mediaType":"application/vnd.cncf.notary.signature","digest":"x","size":2}}"#,
        );
        assert!(!mixed.is_notation_signature(MEDIA_TYPE_IMAGE_MANIFEST));
        assert!(!legacy.is_notation_signature(MEDIA_TYPE_IMAGE_INDEX));
    }
}
