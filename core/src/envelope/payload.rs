//! The notation payload, `{"targetArtifact": <OCI descriptor>}` (signature specification
//! "Payload").

use super::error::check_limit;
use super::json::{self, Json};
use super::names;
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

/// The payload member notation reads.
const TARGET_ARTIFACT: &str = "targetArtifact";
/// The descriptor members this verifier reads (notation compares the first three with the
/// artifact and matches user metadata against the annotations).
const DESCRIPTOR_MEMBERS: [&str; 4] = ["mediaType", "digest", "size", "annotations"];

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

impl TargetArtifact {
    /// The descriptor of an object whose members are what serde reads without an error (string
    /// `mediaType` and `digest`, a `size` that is an `i64`, `annotations` absent, null or an
    /// object of strings; other members ignored), without building a `serde_json::Value`.
    /// None for anything else, which serde then reads and reports as before.
    fn read(target: &json::Object<'_>) -> Option<Self> {
        let text = |name: &str| target.get(name).and_then(Json::as_str).map(str::to_owned);
        let size = match target.get("size")? {
            Json::Number(size) => size.as_i64()?,
            _ => return None,
        };
        let annotations = match target.get("annotations") {
            None | Some(Json::Null) => None,
            Some(Json::Object(members)) => Some(
                members
                    .iter()
                    .map(|(name, value)| Some((name.to_owned(), value.as_str()?.to_owned())))
                    .collect::<Option<BTreeMap<_, _>>>()?,
            ),
            Some(_) => return None,
        };
        Some(Self { media_type: text("mediaType")?, digest: text("digest")?, size, annotations })
    }
}

impl Descriptor {
    /// Reads the target descriptor from a notation payload (the JSON signed in an envelope).
    /// Member names are matched exactly, a name that differs from one of them only in letter case
    /// and duplicate members are rejected, and `mediaType`, `digest` and a non-negative integer
    /// `size` are required.
    pub fn from_payload(payload: &[u8]) -> Result<Self, EnvelopeError> {
        check_limit("payload size", payload.len(), MAX_PAYLOAD_BYTES)?;
        let malformed = |reason: &str| EnvelopeError::MalformedPayload(reason.to_owned());
        let mut document = json::parse_object(EnvelopePart::Payload, payload).map_err(|e| match e {
            EnvelopeError::NotAnObject(_) => malformed("the payload is not a JSON object"),
            other => other,
        })?;
        // notation-go unmarshals the payload with Go's encoding/json, which reads `TargetArtifact`
        // as the target, and the last of several spellings: a variant is ambiguous, alone too.
        names::reject_case_variants(EnvelopePart::Payload, document.keys(), &[TARGET_ARTIFACT])?;
        // serde would also build a struct from a JSON array; only an object is a descriptor.
        let target = match document.remove(TARGET_ARTIFACT) {
            Some(Json::Object(target)) => {
                if let Some((name, notation_name)) = names::find_case_variant(target.keys(), &DESCRIPTOR_MEMBERS) {
                    return Err(names::ambiguous(
                        EnvelopePart::Payload,
                        &format!("{TARGET_ARTIFACT}.{name}"),
                        &format!("{TARGET_ARTIFACT}.{notation_name}"),
                    ));
                }
                target
            }
            Some(_) => return Err(malformed("targetArtifact is not a JSON object")),
            None => return Err(malformed("targetArtifact is missing")),
        };
        let target = match TargetArtifact::read(&target) {
            Some(target) => target,
            None => serde_json::from_value(Json::Object(target).to_value()).map_err(|e| malformed(&e.to_string()))?,
        };
        if target.size < 0 {
            return Err(EnvelopeError::MalformedPayload(format!("targetArtifact size {} is negative", target.size)));
        }
        let annotations = target.annotations.unwrap_or_default();
        check_limit("payload annotations", annotations.len(), MAX_ANNOTATIONS)?;
        Ok(Self { media_type: target.media_type, digest: target.digest, size: target.size, annotations })
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
    fn the_direct_reading_agrees_with_serde() {
        let fields = |t: TargetArtifact| (t.media_type, t.digest, t.size, t.annotations);
        for target in [
            r#"{"mediaType":"m","digest":"d","size":1}"#,
            r#"{"mediaType":"m","digest":"d","size":9223372036854775807,"annotations":null,"urls":["u"]}"#,
            r#"{"mediaType":"m","digest":"d","size":0,"annotations":{}}"#,
            r#"{"mediaType":"m","digest":"d","size":-3,"annotations":{"a":"1","b":"é"}}"#,
            r#"{"mediaType":"m\"","digest":"d","size":1,"artifactType":{"x":[1,2]}}"#,
            r#"{"mediaType":"m","digest":"d","size":9223372036854775808}"#,
            r#"{"mediaType":"m","digest":"d","size":1.0}"#,
            r#"{"mediaType":"m","digest":"d","size":1e3}"#,
            r#"{"mediaType":"m","digest":"d","size":"1"}"#,
            r#"{"mediaType":"m","digest":"d","size":null}"#,
            r#"{"mediaType":1,"digest":"d","size":1}"#,
            r#"{"mediaType":null,"digest":"d","size":1}"#,
            r#"{"mediaType":"m","size":1}"#,
            r#"{"mediaType":"m","digest":"d","size":1,"annotations":{"a":1}}"#,
            r#"{"mediaType":"m","digest":"d","size":1,"annotations":{"a":null}}"#,
            r#"{"mediaType":"m","digest":"d","size":1,"annotations":[]}"#,
            r#"{"mediaType":"m","digest":"d","size":1,"annotations":"a"}"#,
            r#"{}"#,
        ] {
            let Ok(Json::Object(object)) = json::parse(EnvelopePart::Payload, target.as_bytes()) else {
                panic!("{target}: not an object")
            };
            let by_serde = serde_json::from_value::<TargetArtifact>(Json::Object(object.clone()).to_value());
            assert_eq!(TargetArtifact::read(&object).map(fields), by_serde.ok().map(fields), "{target}");
        }
    }

    #[test]
    fn case_variants_of_payload_names_are_ambiguous() {
        const TA: &str = r#"{"mediaType":"m","digest":"sha256:00","size":1}"#;
        let ambiguous = |name: &str, notation_name: &str| {
            Err(EnvelopeError::AmbiguousName {
                part: EnvelopePart::Payload,
                name: name.into(),
                notation_name: notation_name.into(),
            })
        };
        for payload in
            [format!(r#"{{"targetArtifact":{TA},"TargetArtifact":{TA}}}"#), format!(r#"{{"TargetArtifact":{TA}}}"#)]
        {
            assert_eq!(Descriptor::from_payload(payload.as_bytes()), ambiguous("TargetArtifact", "targetArtifact"));
        }
        assert_eq!(
            Descriptor::from_payload(format!(r#"{{"targetartifact":{TA}}}"#).as_bytes()),
            ambiguous("targetartifact", "targetArtifact")
        );
        for (inner, name, notation_name) in [
            (r#""mediaType":"m","MediaType":"n","digest":"sha256:00","size":1"#, "MediaType", "mediaType"),
            (r#""mediaType":"m","digest":"sha256:00","Digest":"sha256:11","size":1"#, "Digest", "digest"),
            (r#""mediaType":"m","digest":"sha256:00","size":1,"SIZE":2"#, "SIZE", "size"),
            (r#""mediaType":"m","digest":"sha256:00","\u017Fize":1"#, "\u{17F}ize", "size"),
            (r#""mediaType":"m","digest":"sha256:00","size":1,"Annotations":{"a":"b"}"#, "Annotations", "annotations"),
        ] {
            let payload = format!(r#"{{"targetArtifact":{{{inner}}}}}"#);
            assert_eq!(
                Descriptor::from_payload(payload.as_bytes()),
                ambiguous(&format!("targetArtifact.{name}"), &format!("targetArtifact.{notation_name}")),
                "{payload}"
            );
        }
        // Other members, and names that merely contain a notation name, are ignored as before.
        let other = br#"{"targetArtifact":{"mediaType":"m","digest":"sha256:00","size":1,"ArtifactType":"x","sizes":2},"TargetArtifacts":1}"#;
        assert_eq!(Descriptor::from_payload(other).unwrap().size, 1);
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
