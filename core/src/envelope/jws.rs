//! JWS envelopes (`application/jose+json`) in the flattened JSON serialization (signature
//! envelope JWS specification; notation-core-go `signature/jws`).

use super::attributes::{
    AUTHENTIC_SIGNING_TIME, EXPIRY, NOTATION_PROTECTED_NAMES, ProtectedHeaders, SIGNING_AGENT, SIGNING_SCHEME,
    SIGNING_TIME, TIMESTAMP_SIGNATURE, check_chain_length,
};
use super::base64_text::Base64;
use super::error::check_limit;
use super::json::{self, Base64Member, Base64Members, Json, JsonString, Object};
use super::names;
use super::{
    Envelope, EnvelopeError, EnvelopeFormat, EnvelopePart, ExtendedAttribute, SignatureAlgorithm, SignedAttributes,
    SigningScheme, UnsignedAttributes,
};
use crate::Time;
use crate::limits::{MAX_CRITICAL_ENTRIES, MAX_HEADER_MEMBERS, MAX_PAYLOAD_BYTES};

/// Protected members that are not extended attributes (notation-core-go deletes exactly these).
const STANDARD_MEMBERS: [&str; 7] =
    ["alg", "cty", "crit", EXPIRY, SIGNING_TIME, SIGNING_SCHEME, AUTHENTIC_SIGNING_TIME];

/// The JOSE protected members notation reads; its own are [`NOTATION_PROTECTED_NAMES`].
const JOSE_MEMBERS: [&str; 3] = ["alg", "cty", "crit"];

/// The top-level members of a flattened JWS notation reads (Go's `jwsEnvelope`).
const TOP_LEVEL_MEMBERS: [&str; 4] = ["protected", "payload", "signature", "header"];

/// The members holding base64 text: `protected`, `payload` and `signature` are base64url
/// without padding (Go's decoder ignores non-zero trailing bits, and so does this one; the
/// signing input uses the strings as written); `x5c` and the timestamp are standard base64 with
/// padding, as Go decodes a JSON string into `[]byte`.
const BASE64_MEMBERS: Base64Members = Base64Members {
    ignore_case: false,
    members: &[
        ("protected", Base64Member::Text(Base64::UrlUnpadded)),
        ("payload", Base64Member::Text(Base64::UrlUnpadded)),
        ("signature", Base64Member::Text(Base64::UrlUnpadded)),
        (
            "header",
            Base64Member::Object(&Base64Members {
                ignore_case: true,
                members: &[
                    ("x5c", Base64Member::Array(Base64::Standard)),
                    (TIMESTAMP_SIGNATURE, Base64Member::Text(Base64::Standard)),
                ],
            }),
        ),
    ],
};

/// Parses a flattened JWS JSON envelope and applies every header rule.
pub(super) fn parse(bytes: &[u8]) -> Result<Envelope, EnvelopeError> {
    let mut top = json::parse_object_decoding(EnvelopePart::Envelope, bytes, &BASE64_MEMBERS)?;
    check_limit("JWS top-level members", top.len(), MAX_HEADER_MEMBERS)?;
    // Go reads `Payload` as the payload, and the last of `payload` and `Payload`.
    names::reject_case_variants(EnvelopePart::Envelope, top.keys(), &TOP_LEVEL_MEMBERS)?;
    if top.contains_key("signatures") {
        return Err(EnvelopeError::GeneralJwsSerialization);
    }
    let protected_b64 = top_level_string(&mut top, "protected")?;
    let payload_b64 = top_level_string(&mut top, "payload")?;
    let signature_b64 = top_level_string(&mut top, "signature")?;
    let signing_input = [protected_b64.as_bytes(), b".", payload_b64.as_bytes()].concat();
    let protected_bytes = decode_base64url("protected", protected_b64)?;
    let payload = decode_base64url("payload", payload_b64)?;
    check_limit("payload size", payload.len(), MAX_PAYLOAD_BYTES)?;
    let signature = decode_base64url("signature", signature_b64)?;
    if signature.is_empty() {
        return Err(EnvelopeError::EmptySignature);
    }

    let protected = json::parse_object(EnvelopePart::ProtectedHeader, &protected_bytes)?;
    check_limit("protected header members", protected.len(), MAX_HEADER_MEMBERS)?;
    let mut unprotected = match top.remove("header") {
        None => Object::default(),
        Some(Json::Object(header)) => header,
        Some(_) => return Err(invalid(EnvelopePart::Envelope, "header", "must be a JSON object")),
    };
    check_limit("unprotected header members", unprotected.len(), MAX_HEADER_MEMBERS)?;
    if let Some(name) = protected.keys().find(|name| unprotected.contains_key(name)) {
        return Err(EnvelopeError::HeaderInBothBuckets(name.to_string()));
    }

    let signed = SignedAttributes::from_headers(protected_headers(&protected)?)?;
    let unsigned = unprotected_attributes(&mut unprotected)?;
    // golang-jwt decodes the payload as JSON claims: it must be an object.
    json::parse_object(EnvelopePart::Payload, &payload)?;

    Ok(Envelope { format: EnvelopeFormat::Jws, signed, unsigned, payload, signature, signing_input })
}

fn invalid(part: EnvelopePart, name: &str, reason: &'static str) -> EnvelopeError {
    EnvelopeError::InvalidMember { part, name: name.to_owned(), reason }
}

/// Takes a top-level member that must be a string.
fn top_level_string<'a>(top: &mut Object<'a>, name: &'static str) -> Result<JsonString<'a>, EnvelopeError> {
    match top.remove(name) {
        Some(Json::String(string)) => Ok(string),
        Some(_) => Err(invalid(EnvelopePart::Envelope, name, "must be a string")),
        None => Err(EnvelopeError::MissingMember { part: EnvelopePart::Envelope, name }),
    }
}

fn decode_base64url(name: &str, encoded: JsonString<'_>) -> Result<Vec<u8>, EnvelopeError> {
    encoded
        .into_base64_bytes(Base64::UrlUnpadded)
        .ok_or_else(|| invalid(EnvelopePart::Envelope, name, "is not unpadded base64url"))
}

/// An optional protected member that must be a string when present.
fn protected_string<'a>(protected: &'a Object<'_>, name: &str) -> Result<Option<&'a str>, EnvelopeError> {
    match protected.get(name) {
        None => Ok(None),
        Some(Json::String(string)) => Ok(Some(string.as_str())),
        Some(_) => Err(invalid(EnvelopePart::ProtectedHeader, name, "must be a string")),
    }
}

fn protected_time(protected: &Object<'_>, name: &str) -> Result<Option<Time>, EnvelopeError> {
    protected_string(protected, name)?
        .map(|value| {
            Time::parse_rfc3339(value)
                .map_err(|_| invalid(EnvelopePart::ProtectedHeader, name, "must be an RFC 3339 date-time string"))
        })
        .transpose()
}

fn critical_list<'a>(protected: &'a Object<'_>) -> Result<Vec<&'a str>, EnvelopeError> {
    let entries = match protected.get("crit") {
        None => return Err(EnvelopeError::MissingHeader("crit")),
        Some(Json::Array(entries)) => entries,
        Some(_) => return Err(invalid(EnvelopePart::ProtectedHeader, "crit", "must be an array of strings")),
    };
    if entries.is_empty() {
        return Err(EnvelopeError::MissingHeader("crit"));
    }
    check_limit("crit entries", entries.len(), MAX_CRITICAL_ENTRIES)?;
    entries
        .iter()
        .map(|entry| {
            entry.as_str().ok_or_else(|| invalid(EnvelopePart::ProtectedHeader, "crit", "must be an array of strings"))
        })
        .collect()
}

fn protected_headers(protected: &Object<'_>) -> Result<ProtectedHeaders, EnvelopeError> {
    // notation-core-go unmarshals the header into a struct, so Go reads `IO.CNCF.NOTARY.EXPIRY`
    // as the expiry (and keeps it as an extended attribute too); here it would be only the latter.
    for notation_names in [&JOSE_MEMBERS[..], &NOTATION_PROTECTED_NAMES] {
        names::reject_case_variants(EnvelopePart::ProtectedHeader, protected.keys(), notation_names)?;
    }
    let alg = protected_string(protected, "alg")?.ok_or(EnvelopeError::MissingHeader("alg"))?;
    let algorithm =
        SignatureAlgorithm::from_jws_name(alg).ok_or_else(|| EnvelopeError::UnsupportedAlgorithm(alg.to_owned()))?;
    let content_type = protected_string(protected, "cty")?.ok_or(EnvelopeError::MissingHeader("cty"))?;
    let critical = critical_list(protected)?;
    let scheme_name =
        protected_string(protected, SIGNING_SCHEME)?.ok_or(EnvelopeError::MissingHeader(SIGNING_SCHEME))?;
    let signing_scheme = SigningScheme::from_name(scheme_name)
        .ok_or_else(|| EnvelopeError::UnsupportedSigningScheme(scheme_name.to_owned()))?;
    let expiry = protected_time(protected, EXPIRY)?;
    let extended_attributes: Vec<ExtendedAttribute> = protected
        .iter()
        .filter(|(name, _)| !STANDARD_MEMBERS.contains(name))
        .map(|(name, value)| ExtendedAttribute {
            key: name.to_owned(),
            value: value.to_value(),
            critical: critical.contains(&name),
        })
        .collect();
    let authentic_signing_time = protected_time(protected, AUTHENTIC_SIGNING_TIME)?;
    let mut must_be_critical = vec![SIGNING_SCHEME];
    if expiry.is_some() {
        must_be_critical.push(EXPIRY);
    }
    // A missing authentic signing time is reported as missing, not as "not critical".
    if signing_scheme == SigningScheme::X509SigningAuthority && authentic_signing_time.is_some() {
        must_be_critical.push(AUTHENTIC_SIGNING_TIME);
    }
    check_critical(&critical, must_be_critical, &extended_attributes)?;
    Ok(ProtectedHeaders {
        algorithm,
        content_type: content_type.to_owned(),
        signing_scheme,
        signing_time: protected_time(protected, SIGNING_TIME)?,
        authentic_signing_time,
        expiry,
        extended_attributes,
    })
}

/// notation-core-go `validateCriticalHeaders`: each `crit` entry either consumes one of the
/// headers that must be critical or names a present extended attribute; every header that must be
/// critical has to be consumed.
fn check_critical(
    critical: &[&str],
    mut must_be_critical: Vec<&str>,
    extended: &[ExtendedAttribute],
) -> Result<(), EnvelopeError> {
    for entry in critical {
        if let Some(position) = must_be_critical.iter().position(|name| name == entry) {
            must_be_critical.remove(position);
        } else if !extended.iter().any(|attribute| attribute.key == *entry) {
            return Err(EnvelopeError::CriticalHeaderNotPresent((*entry).to_owned()));
        }
    }
    if must_be_critical.is_empty() {
        Ok(())
    } else {
        Err(EnvelopeError::NotMarkedCritical(must_be_critical.into_iter().map(str::to_owned).collect()))
    }
}

/// Takes a known unprotected member, found the way Go's `encoding/json` matches struct fields:
/// ignoring case (the notation-go mock envelopes write `io.cncf.notary.SigningAgent`). Two
/// spellings of one member are ambiguous: Go takes the last one in document order, which is no
/// safer a choice than the first.
fn take_unprotected_member<'a>(unprotected: &mut Object<'a>, name: &str) -> Result<Option<Json<'a>>, EnvelopeError> {
    let mut take = || unprotected.remove_where(|key| names::same_ignoring_case(key, name));
    let Some((first, value)) = take() else {
        return Ok(None);
    };
    if let Some((second, _)) = take() {
        let variant = if second == name { first } else { second };
        return Err(names::ambiguous(EnvelopePart::UnprotectedHeader, &variant, name));
    }
    Ok(Some(value))
}

fn decode_base64(name: &str, value: Json<'_>) -> Result<Vec<u8>, EnvelopeError> {
    match value {
        Json::String(string) => string.into_base64_bytes(Base64::Standard),
        _ => None,
    }
    .ok_or_else(|| invalid(EnvelopePart::UnprotectedHeader, name, "must be a padded standard base64 string"))
}

/// Reads `x5c`, `io.cncf.notary.signingAgent` and `io.cncf.notary.timestampSignature`; other
/// unprotected members are ignored, as notation-go does.
fn unprotected_attributes(unprotected: &mut Object<'_>) -> Result<UnsignedAttributes, EnvelopeError> {
    let chain = match take_unprotected_member(unprotected, "x5c")? {
        None => return Err(EnvelopeError::MissingCertificateChain),
        Some(Json::Array(entries)) => {
            check_chain_length(entries.len())?;
            entries.into_iter().map(|entry| decode_base64("x5c", entry)).collect::<Result<Vec<_>, _>>()?
        }
        Some(_) => return Err(invalid(EnvelopePart::UnprotectedHeader, "x5c", "must be an array of base64 strings")),
    };
    let signing_agent = match take_unprotected_member(unprotected, SIGNING_AGENT)? {
        None => None,
        Some(Json::String(agent)) => Some(agent.as_str().to_owned()),
        Some(_) => return Err(invalid(EnvelopePart::UnprotectedHeader, SIGNING_AGENT, "must be a string")),
    };
    // An empty token is no token, as in notation-go.
    let timestamp = take_unprotected_member(unprotected, TIMESTAMP_SIGNATURE)?
        .map(|value| decode_base64(TIMESTAMP_SIGNATURE, value))
        .transpose()?
        .filter(|token| !token.is_empty());
    UnsignedAttributes::new(chain, signing_agent, timestamp)
}

#[cfg(test)]
pub(super) mod tests {
    use super::*;
    use crate::envelope::base64_text::{BASE64, BASE64URL};
    use base64::Engine as _;
    use serde_json::{Value, json};

    /// A flattened JWS with the given protected header, payload and unprotected header, and a
    /// dummy signature.
    pub(crate) fn jws(protected: &Value, payload: &[u8], header: &Value) -> Vec<u8> {
        let envelope = json!({
            "protected": BASE64URL.encode(protected.to_string()),
            "payload": BASE64URL.encode(payload),
            "header": header,
            "signature": BASE64URL.encode([1u8; 64]),
        });
        envelope.to_string().into_bytes()
    }

    pub(crate) fn good_protected() -> Value {
        json!({
            "alg": "ES256",
            "cty": "application/vnd.cncf.notary.payload.v1+json",
            "crit": [SIGNING_SCHEME, EXPIRY],
            SIGNING_SCHEME: "notary.x509",
            SIGNING_TIME: "2022-08-29T13:50:00-07:00",
            EXPIRY: "2099-08-30T13:50:00Z",
        })
    }

    pub(crate) const PAYLOAD: &[u8] =
        br#"{"targetArtifact":{"mediaType":"application/vnd.oci.image.manifest.v1+json","digest":"sha256:19dbd2e48e921426ee8ace4dc892edfb2ecdc1d1a72d5416c83670c30acecef0","size":481}}"#;

    fn header() -> Value {
        json!({ "x5c": [BASE64.encode(b"not really a certificate")], SIGNING_AGENT: "test/1.0" })
    }

    fn parse_with(protected: Value) -> Result<Envelope, EnvelopeError> {
        parse(&jws(&protected, PAYLOAD, &header()))
    }

    fn with(mut protected: Value, name: &str, value: Value) -> Value {
        protected[name] = value;
        protected
    }

    fn without(mut protected: Value, name: &str) -> Value {
        protected.as_object_mut().unwrap().remove(name);
        protected
    }

    #[test]
    fn parses_a_good_envelope() {
        let envelope = parse_with(good_protected()).unwrap();
        assert_eq!(envelope.signed.algorithm, SignatureAlgorithm::Es256);
        assert_eq!(envelope.signed.signing_time, Some(Time::parse_rfc3339("2022-08-29T20:50:00Z").unwrap()));
        assert_eq!(envelope.signed.expiry, Some(Time::parse_rfc3339("2099-08-30T13:50:00Z").unwrap()));
        assert_eq!(envelope.unsigned.signing_agent.as_deref(), Some("test/1.0"));
        assert_eq!(envelope.unsigned.certificate_chain, vec![b"not really a certificate".to_vec()]);
        assert_eq!(envelope.payload, PAYLOAD);
        assert_eq!(envelope.signature, vec![1u8; 64]);
        let text = String::from_utf8(jws(&good_protected(), PAYLOAD, &header())).unwrap();
        let top: Value = serde_json::from_str(&text).unwrap();
        let expected_input = format!("{}.{}", top["protected"].as_str().unwrap(), top["payload"].as_str().unwrap());
        assert_eq!(envelope.signing_input, expected_input.into_bytes());
    }

    #[test]
    fn algorithm_content_type_and_scheme() {
        for alg in ["none", "HS256", "RS256", "es256"] {
            assert_eq!(
                parse_with(with(good_protected(), "alg", json!(alg))).err(),
                Some(EnvelopeError::UnsupportedAlgorithm(alg.into()))
            );
        }
        assert_eq!(parse_with(without(good_protected(), "alg")).err(), Some(EnvelopeError::MissingHeader("alg")));
        assert_eq!(parse_with(without(good_protected(), "cty")).err(), Some(EnvelopeError::MissingHeader("cty")));
        assert!(matches!(
            parse_with(with(good_protected(), "cty", json!("application/json"))),
            Err(EnvelopeError::InvalidContentType(_))
        ));
        assert_eq!(
            parse_with(with(good_protected(), SIGNING_SCHEME, json!("notary.default.x509"))).err(),
            Some(EnvelopeError::UnsupportedSigningScheme("notary.default.x509".into()))
        );
        assert!(matches!(
            parse_with(with(good_protected(), SIGNING_SCHEME, json!(1))),
            Err(EnvelopeError::InvalidMember { part: EnvelopePart::ProtectedHeader, .. })
        ));
        assert!(matches!(
            parse_with(with(good_protected(), SIGNING_TIME, json!("2022-08-29 13:50:00Z"))),
            Err(EnvelopeError::InvalidMember { .. })
        ));
        assert!(matches!(
            parse_with(with(good_protected(), EXPIRY, json!("2000-01-01T00:00:00Z"))),
            Err(EnvelopeError::ExpiryNotAfterSigningTime { .. })
        ));
    }

    #[test]
    fn crit_rules_match_notation_core_go() {
        let crit = |entries: Value| parse_with(with(good_protected(), "crit", entries)).err();
        assert_eq!(crit(json!([])), Some(EnvelopeError::MissingHeader("crit")));
        assert_eq!(parse_with(without(good_protected(), "crit")).err(), Some(EnvelopeError::MissingHeader("crit")));
        assert!(matches!(crit(json!("x")), Some(EnvelopeError::InvalidMember { .. })));
        assert!(matches!(crit(json!([SIGNING_SCHEME, EXPIRY, 3])), Some(EnvelopeError::InvalidMember { .. })));
        assert_eq!(crit(json!([EXPIRY])), Some(EnvelopeError::NotMarkedCritical(vec![SIGNING_SCHEME.into()])));
        assert_eq!(crit(json!([SIGNING_SCHEME])), Some(EnvelopeError::NotMarkedCritical(vec![EXPIRY.into()])));
        // Standard headers other than the required ones may not be listed, nor a required one twice.
        assert_eq!(
            crit(json!([SIGNING_SCHEME, EXPIRY, "alg"])),
            Some(EnvelopeError::CriticalHeaderNotPresent("alg".into()))
        );
        assert_eq!(
            crit(json!([SIGNING_SCHEME, EXPIRY, SIGNING_TIME])),
            Some(EnvelopeError::CriticalHeaderNotPresent(SIGNING_TIME.into()))
        );
        assert_eq!(
            crit(json!([SIGNING_SCHEME, EXPIRY, SIGNING_SCHEME])),
            Some(EnvelopeError::CriticalHeaderNotPresent(SIGNING_SCHEME.into()))
        );
        assert_eq!(
            crit(json!([SIGNING_SCHEME, EXPIRY, "absent"])),
            Some(EnvelopeError::CriticalHeaderNotPresent("absent".into()))
        );
        let too_many: Vec<&str> = std::iter::repeat_n(SIGNING_SCHEME, MAX_CRITICAL_ENTRIES + 1).collect();
        assert!(matches!(crit(json!(too_many)), Some(EnvelopeError::LimitExceeded { .. })));

        // Critical extended attributes: the plugin ones parse (twice listed is fine), others fail.
        let plugin = with(
            with(
                good_protected(),
                "crit",
                json!([SIGNING_SCHEME, EXPIRY, VERIFICATION_PLUGIN_NAME, VERIFICATION_PLUGIN_NAME]),
            ),
            VERIFICATION_PLUGIN_NAME,
            json!("plugin-name"),
        );
        let parsed = parse_with(plugin).unwrap();
        assert_eq!(parsed.signed.verification_plugin.as_deref(), Some("plugin-name"));
        assert!(parsed.signed.extended_attributes.iter().all(|a| a.critical));
        let unknown =
            with(with(good_protected(), "crit", json!([SIGNING_SCHEME, EXPIRY, "SomeKey"])), "SomeKey", json!("v"));
        assert_eq!(parse_with(unknown).err(), Some(EnvelopeError::UnknownCriticalHeader("SomeKey".into())));
        let not_critical = with(good_protected(), "SomeKey", json!({"nested": [1, 2]}));
        let parsed = parse_with(not_critical).unwrap();
        assert_eq!(parsed.signed.extended_attributes[0].value, json!({"nested": [1, 2]}));
        assert!(!parsed.signed.extended_attributes[0].critical);
    }

    const VERIFICATION_PLUGIN_NAME: &str = super::super::attributes::VERIFICATION_PLUGIN;
    const VERIFICATION_PLUGIN_MIN_VERSION_NAME: &str = super::super::attributes::VERIFICATION_PLUGIN_MIN_VERSION;

    #[test]
    fn signing_authority_scheme() {
        let sa = json!({
            "alg": "ES256",
            "cty": "application/vnd.cncf.notary.payload.v1+json",
            "crit": [SIGNING_SCHEME, AUTHENTIC_SIGNING_TIME],
            SIGNING_SCHEME: "notary.x509.signingAuthority",
            AUTHENTIC_SIGNING_TIME: "2022-08-29T13:50:00Z",
        });
        let parsed = parse_with(sa.clone()).unwrap();
        assert_eq!(parsed.signed.signing_time_for_scheme(), Time::parse_rfc3339("2022-08-29T13:50:00Z").unwrap());
        assert_eq!(
            parse_with(with(sa.clone(), "crit", json!([SIGNING_SCHEME]))).err(),
            Some(EnvelopeError::NotMarkedCritical(vec![AUTHENTIC_SIGNING_TIME.into()]))
        );
        assert_eq!(
            parse_with(with(sa.clone(), SIGNING_TIME, json!("2022-08-29T13:50:00Z"))).err(),
            Some(EnvelopeError::UnexpectedTimeHeader {
                name: SIGNING_TIME,
                scheme: SigningScheme::X509SigningAuthority
            })
        );
        assert_eq!(
            parse_with(with(without(sa, AUTHENTIC_SIGNING_TIME), "crit", json!([SIGNING_SCHEME]))).err(),
            Some(EnvelopeError::MissingHeader(AUTHENTIC_SIGNING_TIME))
        );
        let x509_with_authentic = with(good_protected(), AUTHENTIC_SIGNING_TIME, json!("2022-08-29T13:50:00Z"));
        assert_eq!(
            parse_with(x509_with_authentic).err(),
            Some(EnvelopeError::UnexpectedTimeHeader { name: AUTHENTIC_SIGNING_TIME, scheme: SigningScheme::X509 })
        );
    }

    #[test]
    fn top_level_structure() {
        let good = String::from_utf8(jws(&good_protected(), PAYLOAD, &header())).unwrap();
        let mut top: Value = serde_json::from_str(&good).unwrap();
        let mutate = |f: &dyn Fn(&mut Value)| {
            let mut t = top.clone();
            f(&mut t);
            parse(t.to_string().as_bytes()).err()
        };
        assert_eq!(mutate(&|t| t["signatures"] = json!([])), Some(EnvelopeError::GeneralJwsSerialization));
        assert_eq!(mutate(&|t| t["unknown"] = json!(1)), None);
        assert_eq!(
            mutate(&|t| {
                t.as_object_mut().unwrap().remove("payload");
            }),
            Some(EnvelopeError::MissingMember { part: EnvelopePart::Envelope, name: "payload" })
        );
        assert!(matches!(mutate(&|t| t["signature"] = json!(5)), Some(EnvelopeError::InvalidMember { .. })));
        assert_eq!(mutate(&|t| t["signature"] = json!("")), Some(EnvelopeError::EmptySignature));
        // Padding and standard-alphabet characters are not base64url.
        let padded = format!("{}=", top["payload"].as_str().unwrap());
        assert!(matches!(mutate(&|t| t["payload"] = json!(padded)), Some(EnvelopeError::InvalidMember { .. })));
        assert!(matches!(mutate(&|t| t["signature"] = json!("ab+/")), Some(EnvelopeError::InvalidMember { .. })));
        assert!(matches!(mutate(&|t| t["header"] = json!([])), Some(EnvelopeError::InvalidMember { .. })));
        assert_eq!(mutate(&|t| t["header"] = json!({})), Some(EnvelopeError::MissingCertificateChain));
        // A duplicate top-level member, written by hand.
        let duplicated = good.replacen("{", r#"{"payload":"e30","#, 1);
        assert_eq!(
            parse(duplicated.as_bytes()).err(),
            Some(EnvelopeError::DuplicateMember { part: EnvelopePart::Envelope, name: "payload".into() })
        );
        // The compact serialization is not JSON.
        assert!(matches!(parse(b"eyJhbGciOiJFUzI1NiJ9.e30.AAAA"), Err(EnvelopeError::MalformedJson { .. })));
        top["payload"] = json!(BASE64URL.encode("[1]"));
        assert_eq!(parse(top.to_string().as_bytes()).err(), Some(EnvelopeError::NotAnObject(EnvelopePart::Payload)));
    }

    #[test]
    fn protected_header_duplicates_and_overlap() {
        let text = good_protected().to_string().replacen("{", r#"{"alg":"ES384","#, 1);
        let envelope = json!({
            "protected": BASE64URL.encode(text),
            "payload": BASE64URL.encode(PAYLOAD),
            "header": header(),
            "signature": "AQ",
        });
        assert_eq!(
            parse(envelope.to_string().as_bytes()).err(),
            Some(EnvelopeError::DuplicateMember { part: EnvelopePart::ProtectedHeader, name: "alg".into() })
        );
        let mut overlapping = header();
        overlapping["alg"] = json!("PS256");
        assert_eq!(
            parse(&jws(&good_protected(), PAYLOAD, &overlapping)).err(),
            Some(EnvelopeError::HeaderInBothBuckets("alg".into()))
        );
    }

    #[test]
    fn unprotected_members_match_known_names_ignoring_case() {
        let mut h = header();
        h.as_object_mut().unwrap().remove(SIGNING_AGENT);
        h["io.cncf.notary.SigningAgent"] = json!("Notation/1.0.0");
        h["X5C"] = h["x5c"].clone();
        h.as_object_mut().unwrap().remove("x5c");
        h["somethingElse"] = json!({"ignored": true});
        let parsed = parse(&jws(&good_protected(), PAYLOAD, &h)).unwrap();
        assert_eq!(parsed.unsigned.signing_agent.as_deref(), Some("Notation/1.0.0"));
        assert_eq!(parsed.unsigned.certificate_chain.len(), 1);

        // Go's folding also maps U+017F to `s`.
        h.as_object_mut().unwrap().remove("io.cncf.notary.SigningAgent");
        h["io.cncf.notary.\u{17F}igningAgent"] = json!("Go/1.0");
        let parsed = parse(&jws(&good_protected(), PAYLOAD, &h)).unwrap();
        assert_eq!(parsed.unsigned.signing_agent.as_deref(), Some("Go/1.0"));

        h["x5c"] = h["X5C"].clone();
        assert_eq!(
            parse(&jws(&good_protected(), PAYLOAD, &h)).err(),
            Some(names::ambiguous(EnvelopePart::UnprotectedHeader, "X5C", "x5c"))
        );
        h.as_object_mut().unwrap().remove("x5c");
        h["X5c"] = h["X5C"].clone();
        assert_eq!(
            parse(&jws(&good_protected(), PAYLOAD, &h)).err(),
            Some(names::ambiguous(EnvelopePart::UnprotectedHeader, "X5c", "x5c"))
        );
    }

    #[test]
    fn case_variants_of_notation_names_are_ambiguous() {
        let ambiguous = |name: &str, notation_name: &str| {
            Some(names::ambiguous(EnvelopePart::ProtectedHeader, name, notation_name))
        };
        // Alone: Go reads it as the member (a signature that would never expire here).
        for (variant, notation_name, value) in [
            ("IO.CNCF.NOTARY.EXPIRY", EXPIRY, json!("2000-01-01T00:00:00Z")),
            ("Io.Cncf.Notary.SigningScheme", SIGNING_SCHEME, json!("notary.x509")),
            ("io.cncf.notary.\u{17F}igningTime", SIGNING_TIME, json!("2022-08-29T13:50:00Z")),
            ("IO.CNCF.NOTARY.AUTHENTICSIGNINGTIME", AUTHENTIC_SIGNING_TIME, json!("2022-08-29T13:50:00Z")),
            ("io.cncf.notary.VerificationPlugin", VERIFICATION_PLUGIN_NAME, json!("plugin")),
            ("io.cncf.notary.verificationpluginminversion", VERIFICATION_PLUGIN_MIN_VERSION_NAME, json!("1.0.0")),
            ("ALG", "alg", json!("ES384")),
            ("Cty", "cty", json!("application/json")),
            ("CRIT", "crit", json!([SIGNING_SCHEME])),
        ] {
            assert_eq!(parse_with(with(good_protected(), variant, value)).err(), ambiguous(variant, notation_name));
        }
        // Beside the real one.
        let both = with(good_protected(), "IO.CNCF.NOTARY.EXPIRY", json!("2000-01-01T00:00:00Z"));
        assert_eq!(parse_with(both).err(), ambiguous("IO.CNCF.NOTARY.EXPIRY", EXPIRY));
        // Names that merely contain a notation name, or are other reserved-looking names, are
        // ordinary extended attributes.
        for name in ["io.cncf.notary.expiry.note", "x-alg", "io.cncf.notary.Expiry2", "X5C", "algorithm"] {
            let parsed = parse_with(with(good_protected(), name, json!("v"))).unwrap();
            assert!(parsed.signed.extended_attributes.iter().any(|a| a.key == name), "{name}");
        }
    }

    #[test]
    fn case_variants_of_top_level_members_are_ambiguous() {
        let good = String::from_utf8(jws(&good_protected(), PAYLOAD, &header())).unwrap();
        let top: Value = serde_json::from_str(&good).unwrap();
        for (member, variant) in [("payload", "Payload"), ("protected", "PROTECTED"), ("signature", "Signature")] {
            for keep_real in [true, false] {
                let mut t = top.clone();
                t[variant] = t[member].clone();
                if !keep_real {
                    t.as_object_mut().unwrap().remove(member);
                }
                assert_eq!(
                    parse(t.to_string().as_bytes()).err(),
                    Some(names::ambiguous(EnvelopePart::Envelope, variant, member)),
                    "{variant} {keep_real}"
                );
            }
        }
        let mut t = top.clone();
        t["Header"] = t["header"].clone();
        assert_eq!(
            parse(t.to_string().as_bytes()).err(),
            Some(names::ambiguous(EnvelopePart::Envelope, "Header", "header"))
        );
    }

    #[test]
    fn unprotected_value_types() {
        let bad = |name: &str, value: Value| {
            let mut h = header();
            h[name] = value;
            parse(&jws(&good_protected(), PAYLOAD, &h)).err()
        };
        assert_eq!(bad("x5c", json!([])), Some(EnvelopeError::MissingCertificateChain));
        assert!(matches!(bad("x5c", json!("AAAA")), Some(EnvelopeError::InvalidMember { .. })));
        // x5c is standard base64 with padding: base64url or missing padding is rejected.
        assert!(matches!(bad("x5c", json!(["AA"])), Some(EnvelopeError::InvalidMember { .. })));
        assert!(matches!(bad("x5c", json!(["-_8="])), Some(EnvelopeError::InvalidMember { .. })));
        assert!(matches!(
            bad("x5c", json!(vec![BASE64.encode([0]); crate::limits::MAX_CHAIN_CERTIFICATES + 1])),
            Some(EnvelopeError::LimitExceeded { .. })
        ));
        assert!(matches!(bad(SIGNING_AGENT, json!(1)), Some(EnvelopeError::InvalidMember { .. })));
        assert!(matches!(bad(TIMESTAMP_SIGNATURE, json!("AA")), Some(EnvelopeError::InvalidMember { .. })));
        assert_eq!(bad(TIMESTAMP_SIGNATURE, json!("AAEC")), None);
        let mut h = header();
        h[TIMESTAMP_SIGNATURE] = json!("AAEC");
        let parsed = parse(&jws(&good_protected(), PAYLOAD, &h)).unwrap();
        assert_eq!(parsed.unsigned.timestamp_signature, Some(vec![0, 1, 2]));
    }

    /// notation-core-go `signature/jws/testdata/conformance.json`: the headers read from its
    /// exact protected bytes.
    #[test]
    fn conformance_vector_headers() {
        let Some(bytes) =
            crate::envelope::read_vector("notaryproject__notation-core-go/signature/jws/testdata/conformance.json")
        else {
            return;
        };
        let mut top = json::parse_object(EnvelopePart::Envelope, &bytes).unwrap();
        let protected_b64 = top_level_string(&mut top, "protected").unwrap();
        let protected_bytes = decode_base64url("protected", protected_b64).unwrap();
        let protected = json::parse_object(EnvelopePart::ProtectedHeader, &protected_bytes).unwrap();
        let headers = protected_headers(&protected).unwrap();
        assert_eq!(headers.algorithm, SignatureAlgorithm::Es256);
        assert_eq!(headers.signing_scheme, SigningScheme::X509);
        assert_eq!(headers.signing_time, Some(Time::parse_rfc3339("2022-08-29T13:50:00Z").unwrap()));
        assert_eq!(headers.expiry, Some(Time::parse_rfc3339("2099-08-30T13:50:00Z").unwrap()));
        let attributes: Vec<(&str, &Value, bool)> =
            headers.extended_attributes.iter().map(|a| (a.key.as_str(), &a.value, a.critical)).collect();
        let value = |v: &str| json!(v);
        assert_eq!(
            attributes,
            vec![
                ("signedCritKey1", &value("signedCritValue1"), true),
                ("signedKey1", &value("signedValue1"), false),
                ("signedKey2", &value("signedValue1"), false),
                ("signedKey3", &value("signedValue1"), false),
                ("signedKey4", &value("signedValue1"), false),
            ]
        );
        assert_eq!(
            decode_base64url("payload", top_level_string(&mut top, "payload").unwrap()).unwrap(),
            br#"{"key":"hello JWS"}"#
        );
        let Some(Json::Object(mut header)) = top.remove("header") else { panic!("no header") };
        let agent = take_unprotected_member(&mut header, SIGNING_AGENT).unwrap();
        assert_eq!(agent.as_ref().and_then(Json::as_str), Some("NotationConformanceTest/1.0.0"));
    }
}
