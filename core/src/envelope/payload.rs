//! The notation payload, `{"targetArtifact": <OCI descriptor>}` (signature specification
//! "Payload").

use super::error::check_limit;
use super::json::{self, Json};
use super::{EnvelopeError, EnvelopePart};
use crate::limits::{MAX_ANNOTATIONS, MAX_PAYLOAD_BYTES};
use std::collections::BTreeMap;

/// An OCI content descriptor: the signed target of a payload, or the descriptor of the artifact a
/// caller wants to verify. Serializes with the OCI member names (`mediaType`, `digest`, `size`,
/// `annotations`).
#[derive(Clone, Debug, PartialEq, Eq, Default, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Descriptor {
    /// The media type of the target.
    pub media_type: String,
    /// `<algorithm>:<hex>`.
    pub digest: String,
    /// The size of the target in bytes.
    pub size: i64,
    /// Annotations (in a payload: the user metadata signed with the artifact).
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub annotations: BTreeMap<String, String>,
}

/// The payload's descriptor as written (unknown members of the payload are ignored):
/// `artifactType`, `urls`, `platform`, ... are tolerated and
/// dropped (notation signs a sanitized descriptor without them).
#[derive(serde::Deserialize)]
#[serde(rename_all = "camelCase")]
struct TargetArtifact {
    media_type: String,
    digest: String,
    size: i64,
    #[serde(default)]
    annotations: Option<BTreeMap<String, String>>,
}

impl Descriptor {
    /// Reads the target descriptor from a notation payload (the JSON signed in an envelope).
    /// Member names are matched exactly, duplicate members are rejected, and `mediaType`,
    /// `digest` and a non-negative integer `size` are required.
    pub fn from_payload(payload: &[u8]) -> Result<Self, EnvelopeError> {
        check_limit("payload size", payload.len(), MAX_PAYLOAD_BYTES)?;
        let malformed = |reason: &str| EnvelopeError::MalformedPayload(reason.to_owned());
        let mut document = json::parse_object(EnvelopePart::Payload, payload).map_err(|e| match e {
            EnvelopeError::NotAnObject(_) => malformed("the payload is not a JSON object"),
            other => other,
        })?;
        // serde would also build a struct from a JSON array; only an object is a descriptor.
        let target = match document.remove("targetArtifact") {
            Some(target @ Json::Object(_)) => target.to_value(),
            Some(_) => return Err(malformed("targetArtifact is not a JSON object")),
            None => return Err(malformed("targetArtifact is missing")),
        };
        let target: TargetArtifact = serde_json::from_value(target).map_err(|e| malformed(&e.to_string()))?;
        if target.size < 0 {
            return Err(EnvelopeError::MalformedPayload(format!("targetArtifact size {} is negative", target.size)));
        }
        let annotations = target.annotations.unwrap_or_default();
        check_limit("payload annotations", annotations.len(), MAX_ANNOTATIONS)?;
        Ok(Descriptor { media_type: target.media_type, digest: target.digest, size: target.size, annotations })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_the_target_artifact() {
        let payload = br#"{"targetArtifact":{"mediaType":"application/vnd.oci.image.manifest.v1+json","digest":"sha256:19dbd2e48e921426ee8ace4dc892edfb2ecdc1d1a72d5416c83670c30acecef0","size":481,"annotations":{"buildId":"101"},"artifactType":"x","urls":[]},"extra":1}"#;
        let d = Descriptor::from_payload(payload).unwrap();
        assert_eq!(d.media_type, "application/vnd.oci.image.manifest.v1+json");
        assert_eq!(d.size, 481);
        assert_eq!(d.annotations.get("buildId").map(String::as_str), Some("101"));
        assert_eq!(
            serde_json::to_string(&Descriptor { annotations: BTreeMap::new(), ..d }).unwrap(),
            r#"{"mediaType":"application/vnd.oci.image.manifest.v1+json","digest":"sha256:19dbd2e48e921426ee8ace4dc892edfb2ecdc1d1a72d5416c83670c30acecef0","size":481}"#
        );
        let no_annotations =
            br#"{"targetArtifact":{"mediaType":"m","digest":"sha256:00","size":0,"annotations":null}}"#;
        assert!(Descriptor::from_payload(no_annotations).unwrap().annotations.is_empty());
    }

    #[test]
    fn rejects_malformed_payloads() {
        for bad in [
            &br#"{"targetArtifact":{"digest":"sha256:00","size":1}}"#[..],
            br#"{"targetArtifact":{"mediaType":"m","size":1}}"#,
            br#"{"targetArtifact":{"mediaType":"m","digest":"sha256:00"}}"#,
            br#"{"targetArtifact":{"mediaType":"m","digest":"sha256:00","size":"1"}}"#,
            br#"{"targetArtifact":{"mediaType":"m","digest":"sha256:00","size":1.0}}"#,
            br#"{"targetArtifact":{"mediaType":"m","digest":"sha256:00","size":-1}}"#,
            br#"{"targetArtifact":{"mediaType":"m","digest":"sha256:00","size":1,"annotations":{"a":1}}}"#,
            br#"{"targetartifact":{"mediaType":"m","digest":"sha256:00","size":1}}"#,
            br#"{"targetArtifact":null}"#,
            br#"[]"#,
        ] {
            assert!(
                matches!(Descriptor::from_payload(bad), Err(EnvelopeError::MalformedPayload(_))),
                "{}",
                String::from_utf8_lossy(bad)
            );
        }
        assert!(matches!(
            Descriptor::from_payload(
                br#"{"targetArtifact":{"mediaType":"m","digest":"sha256:00","digest":"sha256:11","size":1}}"#
            ),
            Err(EnvelopeError::DuplicateMember { part: EnvelopePart::Payload, .. })
        ));
        assert!(matches!(
            Descriptor::from_payload(br#"{"targetArtifact":{}} trailing"#),
            Err(EnvelopeError::MalformedJson { part: EnvelopePart::Payload, .. })
        ));
    }

    #[test]
    fn annotation_count_is_limited() {
        let annotations: Vec<String> = (0..=MAX_ANNOTATIONS).map(|i| format!("\"k{i}\":\"v\"")).collect();
        let payload = format!(
            r#"{{"targetArtifact":{{"mediaType":"m","digest":"sha256:00","size":1,"annotations":{{{}}}}}}}"#,
            annotations.join(",")
        );
        assert!(matches!(Descriptor::from_payload(payload.as_bytes()), Err(EnvelopeError::LimitExceeded { .. })));
    }
}
