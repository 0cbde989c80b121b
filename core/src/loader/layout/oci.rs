//! The JSON documents of an OCI image layout, as far as verification needs them.

use crate::envelope::Descriptor;
use serde::Deserialize;
use std::collections::BTreeMap;

/// `application/vnd.oci.image.index.v1+json`.
pub const MEDIA_TYPE_IMAGE_INDEX: &str = "application/vnd.oci.image.index.v1+json";
/// `application/vnd.docker.distribution.manifest.list.v2+json` (followed like an OCI index).
pub(super) const MEDIA_TYPE_DOCKER_MANIFEST_LIST: &str = "application/vnd.docker.distribution.manifest.list.v2+json";
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
pub(super) const ANNOTATION_REF_NAME: &str = "org.opencontainers.image.ref.name";
/// Envelope media types a signature layer may have.
pub const ENVELOPE_MEDIA_TYPES: [&str; 2] = ["application/jose+json", "application/cose"];
/// The digest of the standard empty config `{}` that notation (and OCI 1.1 artifacts) use.
pub(crate) const EMPTY_CONFIG_DIGEST: &str = "sha256:44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a";
/// The size of the standard empty config `{}`.
pub(crate) const EMPTY_CONFIG_SIZE: i64 = 2;

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
    pub(super) fn to_descriptor(&self) -> Descriptor {
        Descriptor {
            media_type: self.media_type.clone(),
            digest: self.digest.clone(),
            size: self.size,
            ..Descriptor::default()
        }
    }

    pub(super) fn is_index(&self) -> bool {
        self.media_type == MEDIA_TYPE_IMAGE_INDEX || self.media_type == MEDIA_TYPE_DOCKER_MANIFEST_LIST
    }

    pub(super) fn ref_name(&self) -> Option<&str> {
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
    pub media_type: Option<String>,
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

/// What a manifest of a layout is, by the one rule both `verify --oci-layout` and `scan` use
/// ([`Manifest::signature_role`]).
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum SignatureRole {
    /// Not a notation signature: an artifact (`scan` classifies it).
    Artifact,
    /// In a notation signature's form with a subject, so `verify` reads it as a signature of that
    /// subject, but not a well-formed one: `defect` says why. `scan` classifies it as an
    /// artifact, since it cannot be told apart from one dressed up as a signature.
    Malformed { defect: String },
    /// A notation signature: `verify` reads it as a signature of its subject; `scan` leaves it out.
    Signature,
}

impl Manifest {
    /// True when this manifest has the form of a notation signature that notation-go's referrer
    /// filter accepts: an image manifest with `artifactType` = notation signature and the empty
    /// config media type, an image manifest without `artifactType` whose config media type is the
    /// notation signature type, or an artifact manifest with that `artifactType`. (The form only:
    /// see [`Manifest::signature_role`] for the whole rule.)
    pub(super) fn has_signature_form(&self, media_type: &str) -> bool {
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

    /// The subject of a manifest in a notation signature's form; `None` for anything else.
    pub(super) fn claimed_subject(&self, media_type: &str) -> Option<&OciDescriptor> {
        self.subject.as_ref().filter(|_| self.has_signature_form(media_type))
    }

    /// What makes a claimed signature fail before its envelope is read, as notation reports it:
    /// not exactly one envelope blob, or an envelope media type notation cannot parse.
    pub(super) fn envelope_problem(&self, media_type: &str) -> Option<String> {
        match self.envelope_blobs(media_type) {
            [one] if ENVELOPE_MEDIA_TYPES.contains(&one.media_type.as_str()) => None,
            [one] => Some(format!("the signature envelope layer has unsupported media type {:?}", one.media_type)),
            layers => {
                Some(format!("the signature manifest has {} envelope layers, expected exactly one", layers.len()))
            }
        }
    }

    /// THE rule for "this manifest (listed with `media_type`; `content_matches`: its content
    /// matches its digest) is a notation signature", shared by `verify --oci-layout` and `scan`.
    ///
    /// A notation signature is a manifest in a signature's form ([`Manifest::has_signature_form`])
    /// with a `subject`, whose content matches its digest and declares no other media type than
    /// the index lists, with exactly one layer (blob, for an artifact manifest) of an envelope
    /// media type (`application/jose+json`, `application/cose`) and, for an image manifest, the
    /// standard empty config `{}` (`sha256:44136fa…`, 2 bytes) that notation writes. Such a
    /// manifest carries no image: an image cannot pass for a signature and so escape `scan`.
    ///
    /// A manifest in the form with a subject that breaks any other condition is
    /// [`SignatureRole::Malformed`]: `verify` still reads it as a signature of its subject (its
    /// envelope or digest problems are that signature's integrity failure, as in notation, whose
    /// referrer filter looks only at the form and the subject), and `scan` classifies it as an
    /// artifact. So `scan` leaves out only manifests `verify` reads as signatures.
    pub(super) fn signature_role(&self, media_type: &str, content_matches: bool) -> SignatureRole {
        if self.claimed_subject(media_type).is_none() {
            return SignatureRole::Artifact;
        }
        let config_is_empty = media_type == MEDIA_TYPE_ARTIFACT_MANIFEST
            || self.config.as_ref().is_some_and(|c| c.digest == EMPTY_CONFIG_DIGEST && c.size == EMPTY_CONFIG_SIZE);
        let defect = if !content_matches {
            Some("its content does not match its digest".to_owned())
        } else if let Some(problem) = self.envelope_problem(media_type) {
            Some(problem)
        } else if !config_is_empty {
            Some("its config is not the empty JSON object notation writes".to_owned())
        } else if self.media_type.as_deref().is_some_and(|m| !m.is_empty() && m != media_type) {
            Some(format!("it declares media type {:?} but the index lists {media_type:?}", self.media_type))
        } else {
            None
        };
        match defect {
            Some(defect) => SignatureRole::Malformed { defect },
            None => SignatureRole::Signature,
        }
    }

    /// The envelope blobs: `layers` of an image manifest, `blobs` of an artifact manifest.
    pub(super) fn envelope_blobs(&self, media_type: &str) -> &[OciDescriptor] {
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
        assert!(legacy.has_signature_form(MEDIA_TYPE_IMAGE_MANIFEST));
        let modern = manifest(
            r#"{"artifactType":"application/vnd.cncf.notary.signature","config":{"mediaType":"application/vnd.oci.empty.v1+json","digest":"x","size":2}}"#,
        );
        assert!(modern.has_signature_form(MEDIA_TYPE_IMAGE_MANIFEST));
        let artifact = manifest(r#"{"artifactType":"application/vnd.cncf.notary.signature","blobs":[]}"#);
        assert!(artifact.has_signature_form(MEDIA_TYPE_ARTIFACT_MANIFEST));
        assert!(!artifact.has_signature_form(MEDIA_TYPE_IMAGE_MANIFEST));
        let sbom = manifest(
            r#"{"artifactType":"application/spdx+json","config":{"mediaType":"application/vnd.cncf.notary.signature","digest":"x","size":2}}"#,
        );
        assert!(!sbom.has_signature_form(MEDIA_TYPE_IMAGE_MANIFEST));
        let mixed = manifest(
            r#"{"artifactType":"application/vnd.cncf.notary.signature","config":{"mediaType":"application/vnd.cncf.notary.signature","digest":"x","size":2}}"#,
        );
        assert!(!mixed.has_signature_form(MEDIA_TYPE_IMAGE_MANIFEST));
        assert!(!legacy.has_signature_form(MEDIA_TYPE_IMAGE_INDEX));
    }

    /// An image manifest with `artifactType`, config and layers as given, and a subject.
    fn image(artifact_type: Option<&str>, config: (&str, &str, i64), layers: &[&str]) -> Manifest {
        let layers: Vec<_> = layers
            .iter()
            .map(|m| serde_json::json!({"mediaType": m, "digest": format!("sha256:{}", "1".repeat(64)), "size": 9}))
            .collect();
        let mut value = serde_json::json!({
            "schemaVersion": 2, "mediaType": MEDIA_TYPE_IMAGE_MANIFEST,
            "config": {"mediaType": config.0, "digest": config.1, "size": config.2},
            "layers": layers,
            "subject": {"mediaType": MEDIA_TYPE_IMAGE_MANIFEST, "digest": format!("sha256:{}", "2".repeat(64)), "size": 3},
        });
        if let Some(t) = artifact_type {
            value["artifactType"] = t.into();
        }
        serde_json::from_value(value).unwrap()
    }

    #[test]
    fn only_a_well_formed_signature_is_a_signature() {
        let jws = "application/jose+json";
        let empty = (MEDIA_TYPE_EMPTY_JSON, EMPTY_CONFIG_DIGEST, EMPTY_CONFIG_SIZE);
        let legacy = (NOTATION_SIGNATURE, EMPTY_CONFIG_DIGEST, EMPTY_CONFIG_SIZE);
        let real_config = ("application/vnd.oci.image.config.v1+json", "sha256:aa", 500);
        let role = |m: Manifest| m.signature_role(MEDIA_TYPE_IMAGE_MANIFEST, true);
        let malformed = |r: SignatureRole| matches!(r, SignatureRole::Malformed { .. });
        assert_eq!(role(image(Some(NOTATION_SIGNATURE), empty, &[jws])), SignatureRole::Signature);
        assert_eq!(role(image(None, legacy, &[jws])), SignatureRole::Signature);
        assert_eq!(role(image(None, legacy, &["application/cose"])), SignatureRole::Signature);
        assert!(!matches!(
            image(None, legacy, &[jws]).signature_role(MEDIA_TYPE_IMAGE_MANIFEST, false),
            SignatureRole::Signature
        ));
        // An image claiming the artifact type with its real config: not even in the form.
        assert_eq!(role(image(Some(NOTATION_SIGNATURE), real_config, &[jws])), SignatureRole::Artifact);
        // In the form, but carrying an image's layers, or none, or two envelopes.
        let tar = "application/vnd.oci.image.layer.v1.tar+gzip";
        assert!(malformed(role(image(Some(NOTATION_SIGNATURE), empty, &[tar]))));
        assert!(malformed(role(image(None, legacy, &[]))));
        assert!(malformed(role(image(None, legacy, &[jws, jws]))));
        // In the form, with the right layer, but a config that is not `{}`.
        let big_empty = (MEDIA_TYPE_EMPTY_JSON, "sha256:bb", 5000);
        assert!(malformed(role(image(Some(NOTATION_SIGNATURE), big_empty, &[jws]))));
        // A declared media type other than the listed one.
        let mut declared = image(None, legacy, &[jws]);
        declared.media_type = Some(MEDIA_TYPE_ARTIFACT_MANIFEST.into());
        assert!(malformed(role(declared)));
        // No subject: not a signature of anything.
        let mut orphan = image(None, legacy, &[jws]);
        orphan.subject = None;
        assert_eq!(role(orphan), SignatureRole::Artifact);
        assert_eq!(image(None, legacy, &[jws]).signature_role(MEDIA_TYPE_IMAGE_INDEX, true), SignatureRole::Artifact);
    }

    #[test]
    fn the_empty_config_constants_are_those_of_the_empty_object() {
        assert_eq!(crate::digest_of("sha256", b"{}").unwrap(), EMPTY_CONFIG_DIGEST);
        assert_eq!(EMPTY_CONFIG_SIZE, 2);
    }
}
