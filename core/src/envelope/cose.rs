//! COSE envelopes (`application/cose`): `COSE_Sign1_Tagged` with an attached payload (signature
//! envelope COSE specification; notation-core-go `signature/cose` over go-cose).

use super::attributes::{
    AUTHENTIC_SIGNING_TIME, EXPIRY, NOTATION_PROTECTED_NAMES, ProtectedHeaders, SIGNING_AGENT, SIGNING_SCHEME,
    SIGNING_TIME, TIMESTAMP_SIGNATURE, check_chain_length,
};
use super::cbor::{self, DecodeError, Value};
use super::error::check_limit;
use super::names;
use super::{
    Envelope, EnvelopeError, EnvelopeFormat, EnvelopePart, ExtendedAttribute, SignatureAlgorithm, SignedAttributes,
    SigningScheme, UnsignedAttributes,
};
use crate::Time;
use crate::limits::{MAX_CRITICAL_ENTRIES, MAX_HEADER_MEMBERS, MAX_NESTING_DEPTH, MAX_PAYLOAD_BYTES};
use base64::Engine as _;
use std::fmt;

/// Tag 18 (COSE_Sign1) in its one-byte form, then an array of four items.
const PREFIX: [u8; 2] = [0xd2, 0x84];
const ALG: i128 = 1;
const CRIT: i128 = 2;
const CONTENT_TYPE: i128 = 3;
const X5CHAIN: i128 = 33;

/// A header label: COSE allows only integers and text strings.
#[derive(Clone, Copy, Debug, PartialEq)]
enum Label<'a> {
    Int(i128),
    Text(&'a str),
}

impl<'a> Label<'a> {
    fn of(value: &Value<'a>) -> Option<Self> {
        match value {
            Value::Text(text) => Some(Label::Text(text)),
            other => other.as_integer().map(Label::Int),
        }
    }
}

impl fmt::Display for Label<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Label::Int(n) => write!(f, "{n}"),
            Label::Text(text) => f.write_str(text),
        }
    }
}

type Header<'a> = Vec<(Label<'a>, Value<'a>)>;

/// Parses a COSE_Sign1_Tagged envelope and applies every header rule.
pub(super) fn parse(bytes: &[u8]) -> Result<Envelope, EnvelopeError> {
    if !bytes.starts_with(&PREFIX) {
        return Err(EnvelopeError::NotCoseSign1Tagged);
    }
    let body = bytes.get(1..).unwrap_or_default();
    // Tags are forbidden everywhere outside the protected header's byte string, as in go-cose.
    let outer = cbor::decode(body, false).map_err(|e| cbor_error(EnvelopePart::Envelope, e, 1))?;
    let Value::Array(items) = outer else {
        return Err(EnvelopeError::NotCoseSign1Tagged);
    };
    let [protected, unprotected, payload, signature] =
        <[Value<'_>; 4]>::try_from(items).map_err(|_| EnvelopeError::NotCoseSign1Tagged)?;
    let Value::Bytes(protected_bytes) = protected else {
        return Err(EnvelopeError::MalformedCose("the protected header is not a byte string"));
    };
    let Value::Map(unprotected) = unprotected else {
        return Err(EnvelopeError::MalformedCose("the unprotected header is not a map"));
    };
    let payload = match payload {
        Value::Bytes(payload) => payload,
        Value::Null => return Err(EnvelopeError::DetachedPayload),
        _ => return Err(EnvelopeError::MalformedCose("the payload is not a byte string")),
    };
    check_limit("payload size", payload.len(), MAX_PAYLOAD_BYTES)?;
    let signature = match signature {
        Value::Bytes([]) => return Err(EnvelopeError::EmptySignature),
        Value::Bytes(signature) => signature,
        _ => return Err(EnvelopeError::MalformedCose("the signature is not a byte string")),
    };

    let protected_map = if protected_bytes.is_empty() {
        Vec::new()
    } else {
        match cbor::decode(protected_bytes, true).map_err(|e| cbor_error(EnvelopePart::ProtectedHeader, e, 0))? {
            Value::Map(entries) => entries,
            _ => return Err(EnvelopeError::MalformedCose("the protected header is not a map")),
        }
    };
    let protected = labeled(EnvelopePart::ProtectedHeader, protected_map)?;
    let unprotected = labeled(EnvelopePart::UnprotectedHeader, unprotected)?;
    if let Some((label, _)) = protected.iter().find(|(label, _)| find(&unprotected, *label).is_some()) {
        return Err(EnvelopeError::HeaderInBothBuckets(label.to_string()));
    }
    if find(&unprotected, Label::Int(CRIT)).is_some() {
        return Err(invalid(EnvelopePart::UnprotectedHeader, Label::Int(CRIT), "must be in the protected header"));
    }

    let signed = SignedAttributes::from_headers(protected_headers(&protected)?)?;
    let unsigned = unprotected_attributes(&unprotected)?;
    Ok(Envelope {
        format: EnvelopeFormat::Cose,
        signed,
        unsigned,
        signing_input: sig_structure(protected_bytes, payload),
        payload: payload.to_vec(),
        signature: signature.to_vec(),
    })
}

fn cbor_error(part: EnvelopePart, error: DecodeError, base: usize) -> EnvelopeError {
    match error {
        DecodeError::Malformed { offset, reason } => {
            EnvelopeError::MalformedCbor { part, offset: offset.saturating_add(base), reason }
        }
        DecodeError::TooDeep => EnvelopeError::LimitExceeded {
            what: "CBOR nesting depth",
            limit: MAX_NESTING_DEPTH,
            actual: MAX_NESTING_DEPTH.saturating_add(1),
        },
    }
}

fn invalid(part: EnvelopePart, label: Label<'_>, reason: &'static str) -> EnvelopeError {
    EnvelopeError::InvalidMember { part, name: label.to_string(), reason }
}

/// Checks the header size and that every label is an integer or a text string.
fn labeled<'a>(part: EnvelopePart, entries: Vec<(Value<'a>, Value<'a>)>) -> Result<Header<'a>, EnvelopeError> {
    let what = match part {
        EnvelopePart::ProtectedHeader => "protected header members",
        _ => "unprotected header members",
    };
    check_limit(what, entries.len(), MAX_HEADER_MEMBERS)?;
    // Labels and values differ in alignment, so collecting could not reuse the entries' buffer
    // and would grow a new one.
    let mut header = Vec::with_capacity(entries.len());
    for (key, value) in entries {
        let label = Label::of(&key).ok_or_else(|| EnvelopeError::InvalidMember {
            part,
            name: to_json(&key).to_string(),
            reason: "is not an integer or text-string label",
        })?;
        header.push((label, value));
    }
    Ok(header)
}

fn find<'h, 'a>(header: &'h Header<'a>, label: Label<'_>) -> Option<&'h Value<'a>> {
    header
        .iter()
        .find(|(l, _)| match (l, label) {
            (Label::Int(a), Label::Int(b)) => *a == b,
            (Label::Text(a), Label::Text(b)) => *a == b,
            _ => false,
        })
        .map(|(_, value)| value)
}

fn text<'a>(header: &Header<'a>, part: EnvelopePart, label: Label<'_>) -> Result<Option<&'a str>, EnvelopeError> {
    match find(header, label) {
        None => Ok(None),
        Some(Value::Text(text)) => Ok(Some(text)),
        Some(_) => Err(invalid(part, label, "must be a text string")),
    }
}

/// A time header: tag 1 (epoch seconds) over an integer or a float. Tag 0 is rejected, as in
/// notation-core-go.
fn time(header: &Header<'_>, name: &'static str) -> Result<Option<Time>, EnvelopeError> {
    let label = Label::Text(name);
    let Some(value) = find(header, label) else {
        return Ok(None);
    };
    let wrong = || invalid(EnvelopePart::ProtectedHeader, label, "must be a tag 1 epoch date-time");
    let Value::Tag(1, inner) = value else {
        return Err(wrong());
    };
    let time = match inner.as_ref() {
        Value::Float(seconds) => float_time(*seconds),
        integer => integer.as_integer().and_then(|s| i64::try_from(s).ok()).map(Time::from_unix),
    };
    time.map(Some).ok_or_else(wrong)
}

/// Seconds and a fraction, as Go's `time.Unix(int64(sec), int64(frac*1e9))` reads them.
fn float_time(seconds: f64) -> Option<Time> {
    // 2^63 is exactly representable; anything at or beyond it does not fit an i64.
    const LIMIT: f64 = 9_223_372_036_854_775_808.0;
    if !seconds.is_finite() || seconds.abs() >= LIMIT {
        return None;
    }
    let whole = seconds.trunc();
    // In range after the check above; `as` truncates toward zero, like Go's conversions.
    let nanos = ((seconds - whole) * 1e9) as i128;
    Some(Time::from_unix(whole as i64).saturating_add_nanos(nanos))
}

fn critical_labels<'a>(protected: &Header<'a>) -> Result<Vec<Label<'a>>, EnvelopeError> {
    let entries = match find(protected, Label::Int(CRIT)) {
        None => return Err(EnvelopeError::MissingHeader("crit")),
        Some(Value::Array(entries)) => entries,
        Some(_) => return Err(invalid(EnvelopePart::ProtectedHeader, Label::Int(CRIT), "must be an array of labels")),
    };
    if entries.is_empty() {
        return Err(EnvelopeError::MissingHeader("crit"));
    }
    check_limit("crit entries", entries.len(), MAX_CRITICAL_ENTRIES)?;
    let labels = entries
        .iter()
        .map(|entry| {
            Label::of(entry)
                .ok_or_else(|| invalid(EnvelopePart::ProtectedHeader, Label::Int(CRIT), "must be an array of labels"))
        })
        .collect::<Result<Vec<_>, _>>()?;
    // go-cose: every critical label must be present in the protected header.
    if let Some(absent) = labels.iter().find(|label| find(protected, **label).is_none()) {
        return Err(EnvelopeError::CriticalHeaderNotPresent(absent.to_string()));
    }
    Ok(labels)
}

fn protected_headers(protected: &Header<'_>) -> Result<ProtectedHeaders, EnvelopeError> {
    // go-cose reads labels exactly, so notation-go takes `IO.CNCF.NOTARY.EXPIRY` for an extended
    // attribute; its signer meant an expiry all the same, and JWS rejects it.
    let text_labels = protected.iter().filter_map(|(label, _)| match label {
        Label::Text(text) => Some(*text),
        Label::Int(_) => None,
    });
    names::reject_case_variants(EnvelopePart::ProtectedHeader, text_labels, &NOTATION_PROTECTED_NAMES)?;
    let algorithm = match find(protected, Label::Int(ALG)) {
        None => return Err(EnvelopeError::MissingHeader("alg")),
        Some(value) => value
            .as_integer()
            .and_then(SignatureAlgorithm::from_cose_id)
            .ok_or_else(|| EnvelopeError::UnsupportedAlgorithm(to_json(value).to_string()))?,
    };
    let critical = critical_labels(protected)?;
    let content_type = text(protected, EnvelopePart::ProtectedHeader, Label::Int(CONTENT_TYPE))?
        .ok_or(EnvelopeError::MissingHeader("cty"))?;
    let scheme_name = text(protected, EnvelopePart::ProtectedHeader, Label::Text(SIGNING_SCHEME))?
        .ok_or(EnvelopeError::MissingHeader(SIGNING_SCHEME))?;
    let signing_scheme = SigningScheme::from_name(scheme_name)
        .ok_or_else(|| EnvelopeError::UnsupportedSigningScheme(scheme_name.to_owned()))?;
    let expiry = time(protected, EXPIRY)?;

    // notation-core-go `validateCritHeaders`: these must be critical; other labels may be too.
    let mut must_be_critical = vec![SIGNING_SCHEME];
    if expiry.is_some() {
        must_be_critical.push(EXPIRY);
    }
    if signing_scheme == SigningScheme::X509SigningAuthority
        && find(protected, Label::Text(AUTHENTIC_SIGNING_TIME)).is_some()
    {
        must_be_critical.push(AUTHENTIC_SIGNING_TIME);
    }
    must_be_critical.retain(|name| !critical.contains(&Label::Text(name)));
    if !must_be_critical.is_empty() {
        return Err(EnvelopeError::NotMarkedCritical(must_be_critical.into_iter().map(str::to_owned).collect()));
    }

    let standard = [
        Label::Int(ALG),
        Label::Int(CRIT),
        Label::Int(CONTENT_TYPE),
        Label::Text(SIGNING_SCHEME),
        Label::Text(SIGNING_TIME),
        Label::Text(AUTHENTIC_SIGNING_TIME),
        Label::Text(EXPIRY),
    ];
    let extended_attributes = protected
        .iter()
        .filter(|(label, _)| !standard.contains(label))
        .map(|(label, value)| ExtendedAttribute {
            key: label.to_string(),
            value: to_json(value),
            critical: critical.contains(label),
        })
        .collect();
    Ok(ProtectedHeaders {
        algorithm,
        content_type: content_type.to_owned(),
        signing_scheme,
        signing_time: time(protected, SIGNING_TIME)?,
        authentic_signing_time: time(protected, AUTHENTIC_SIGNING_TIME)?,
        expiry,
        extended_attributes,
    })
}

/// Reads x5chain (label 33, an array of byte strings, only from the unprotected header as
/// notation-core-go does), the signing agent and the timestamp; other labels are ignored.
fn unprotected_attributes(unprotected: &Header<'_>) -> Result<UnsignedAttributes, EnvelopeError> {
    let chain_label = Label::Int(X5CHAIN);
    let not_chain = || invalid(EnvelopePart::UnprotectedHeader, chain_label, "must be an array of byte strings");
    let chain = match find(unprotected, chain_label) {
        None => return Err(EnvelopeError::MissingCertificateChain),
        Some(Value::Array(entries)) => {
            check_chain_length(entries.len())?;
            entries
                .iter()
                .map(|entry| match entry {
                    Value::Bytes(der) => Ok(der.to_vec()),
                    _ => Err(not_chain()),
                })
                .collect::<Result<Vec<_>, _>>()?
        }
        Some(_) => return Err(not_chain()),
    };
    let signing_agent =
        text(unprotected, EnvelopePart::UnprotectedHeader, Label::Text(SIGNING_AGENT))?.map(str::to_owned);
    let timestamp = match find(unprotected, Label::Text(TIMESTAMP_SIGNATURE)) {
        None | Some(Value::Bytes([])) => None,
        Some(Value::Bytes(token)) => Some(token.to_vec()),
        Some(_) => {
            return Err(invalid(
                EnvelopePart::UnprotectedHeader,
                Label::Text(TIMESTAMP_SIGNATURE),
                "must be a byte string",
            ));
        }
    };
    UnsignedAttributes::new(chain, signing_agent, timestamp)
}

/// `Sig_structure = ["Signature1", protected, h'' (external_aad), payload]` over the protected
/// header bytes as received.
fn sig_structure(protected: &[u8], payload: &[u8]) -> Vec<u8> {
    const CONTEXT: &[u8] = b"Signature1";
    let mut out = Vec::with_capacity(protected.len().saturating_add(payload.len()).saturating_add(32));
    cbor::write_head(&mut out, 4, 4);
    for (major, bytes) in [(3, CONTEXT), (2, protected), (2, &[][..]), (2, payload)] {
        cbor::write_head(&mut out, major, u64::try_from(bytes.len()).unwrap_or(u64::MAX));
        out.extend_from_slice(bytes);
    }
    out
}

/// A CBOR value as JSON for [`ExtendedAttribute::value`].
fn to_json(value: &Value<'_>) -> serde_json::Value {
    use serde_json::Value as Json;
    match value {
        Value::Unsigned(n) => Json::from(*n),
        Value::Negative(_) => match value.as_integer().map(i64::try_from) {
            Some(Ok(n)) => Json::from(n),
            _ => Json::String(value.as_integer().unwrap_or_default().to_string()),
        },
        Value::Bytes(bytes) => Json::String(base64::engine::general_purpose::STANDARD.encode(bytes)),
        Value::Text(text) => Json::String((*text).to_owned()),
        Value::Array(items) => Json::Array(items.iter().map(to_json).collect()),
        Value::Map(entries) => Json::Object(
            entries
                .iter()
                .map(|(key, value)| {
                    let key = match Label::of(key) {
                        Some(label) => label.to_string(),
                        None => to_json(key).to_string(),
                    };
                    (key, to_json(value))
                })
                .collect(),
        ),
        Value::Tag(_, inner) => to_json(inner),
        Value::Bool(b) => Json::Bool(*b),
        Value::Float(f) => serde_json::Number::from_f64(*f).map_or(Json::Null, Json::Number),
        Value::Null | Value::Undefined | Value::Simple(_) => Json::Null,
    }
}

#[cfg(test)]
pub(super) mod tests {
    use super::*;
    use crate::envelope::attributes::{PAYLOAD_CONTENT_TYPE, VERIFICATION_PLUGIN};
    use crate::envelope::jws::tests::PAYLOAD;

    /// A tiny CBOR writer for building test envelopes.
    #[derive(Clone, Debug)]
    pub(crate) enum C {
        I(i64),
        T(&'static str),
        B(Vec<u8>),
        A(Vec<Self>),
        M(Vec<(Self, Self)>),
        Tag(u64, Box<Self>),
        F(f64),
        Null,
    }

    impl C {
        pub(crate) fn encode(&self) -> Vec<u8> {
            let mut out = Vec::new();
            self.write(&mut out);
            out
        }

        fn write(&self, out: &mut Vec<u8>) {
            match self {
                Self::I(n) if *n >= 0 => cbor::write_head(out, 0, *n as u64),
                Self::I(n) => cbor::write_head(out, 1, (-1 - *n) as u64),
                Self::T(t) => {
                    cbor::write_head(out, 3, t.len() as u64);
                    out.extend_from_slice(t.as_bytes());
                }
                Self::B(b) => {
                    cbor::write_head(out, 2, b.len() as u64);
                    out.extend_from_slice(b);
                }
                Self::A(items) => {
                    cbor::write_head(out, 4, items.len() as u64);
                    items.iter().for_each(|i| i.write(out));
                }
                Self::M(entries) => {
                    cbor::write_head(out, 5, entries.len() as u64);
                    for (k, v) in entries {
                        k.write(out);
                        v.write(out);
                    }
                }
                Self::Tag(t, inner) => {
                    cbor::write_head(out, 6, *t);
                    inner.write(out);
                }
                Self::F(f) => {
                    out.push(0xfb);
                    out.extend_from_slice(&f.to_bits().to_be_bytes());
                }
                Self::Null => out.push(0xf6),
            }
        }
    }

    pub(crate) fn epoch(secs: i64) -> C {
        C::Tag(1, Box::new(C::I(secs)))
    }

    pub(crate) fn good_protected(alg: i64) -> Vec<(C, C)> {
        vec![
            (C::I(1), C::I(alg)),
            (C::I(2), C::A(vec![C::T(SIGNING_SCHEME), C::T(EXPIRY)])),
            (C::I(3), C::T(PAYLOAD_CONTENT_TYPE)),
            (C::T(SIGNING_SCHEME), C::T("notary.x509")),
            (C::T(SIGNING_TIME), epoch(1_661_321_924)),
            (C::T(EXPIRY), epoch(1_661_408_324)),
        ]
    }

    pub(crate) fn good_unprotected() -> Vec<(C, C)> {
        vec![(C::I(33), C::A(vec![C::B(b"leaf".to_vec())])), (C::T(SIGNING_AGENT), C::T("test/1.0"))]
    }

    /// `COSE_Sign1_Tagged` from header maps, a payload and a signature.
    pub(crate) fn cose(protected: Vec<(C, C)>, unprotected: Vec<(C, C)>, payload: &[u8], signature: &[u8]) -> Vec<u8> {
        C::Tag(
            18,
            Box::new(C::A(vec![
                C::B(C::M(protected).encode()),
                C::M(unprotected),
                C::B(payload.to_vec()),
                C::B(signature.to_vec()),
            ])),
        )
        .encode()
    }

    fn parse_with(protected: Vec<(C, C)>) -> Result<Envelope, EnvelopeError> {
        parse(&cose(protected, good_unprotected(), PAYLOAD, &[7; 64]))
    }

    fn replace(mut header: Vec<(C, C)>, key: C, value: Option<C>) -> Vec<(C, C)> {
        let encoded = key.encode();
        header.retain(|(k, _)| k.encode() != encoded);
        if let Some(value) = value {
            header.push((key, value));
        }
        header
    }

    #[test]
    fn parses_a_good_envelope() {
        let protected = good_protected(-7);
        let bytes = cose(protected.clone(), good_unprotected(), PAYLOAD, &[7; 64]);
        let envelope = parse(&bytes).unwrap();
        assert_eq!(envelope.signed.algorithm, SignatureAlgorithm::Es256);
        assert_eq!(envelope.signed.signing_time, Some(Time::from_unix(1_661_321_924)));
        assert_eq!(envelope.signed.expiry, Some(Time::from_unix(1_661_408_324)));
        assert_eq!(envelope.unsigned.certificate_chain, vec![b"leaf".to_vec()]);
        assert_eq!(envelope.unsigned.signing_agent.as_deref(), Some("test/1.0"));
        assert_eq!(envelope.payload, PAYLOAD);
        let expected =
            C::A(vec![C::T("Signature1"), C::B(C::M(protected).encode()), C::B(Vec::new()), C::B(PAYLOAD.to_vec())]);
        assert_eq!(envelope.signing_input, expected.encode());
    }

    #[test]
    fn structure_rules() {
        let good = cose(good_protected(-7), good_unprotected(), PAYLOAD, &[7; 64]);
        assert_eq!(parse(good.get(1..).unwrap()).err(), Some(EnvelopeError::NotCoseSign1Tagged));
        // Tag 18 in a two-byte encoding.
        let long_tag = [&[0xd8, 0x12][..], good.get(1..).unwrap()].concat();
        assert_eq!(parse(&long_tag).err(), Some(EnvelopeError::NotCoseSign1Tagged));
        let trailing = [&good[..], &[0x00]].concat();
        assert!(matches!(
            parse(&trailing),
            Err(EnvelopeError::MalformedCbor { reason: "trailing bytes after the data item", .. })
        ));
        let mut detached =
            C::A(vec![C::B(C::M(good_protected(-7)).encode()), C::M(good_unprotected()), C::Null, C::B(vec![1])])
                .encode();
        detached.insert(0, 0xd2);
        assert_eq!(parse(&detached).err(), Some(EnvelopeError::DetachedPayload));
        assert_eq!(
            parse(&cose(good_protected(-7), good_unprotected(), PAYLOAD, &[])).err(),
            Some(EnvelopeError::EmptySignature)
        );
        // A tag in the unprotected header is forbidden.
        let tagged = replace(good_unprotected(), C::T("x"), Some(epoch(1)));
        assert!(matches!(
            parse(&cose(good_protected(-7), tagged, PAYLOAD, &[1])),
            Err(EnvelopeError::MalformedCbor { part: EnvelopePart::Envelope, reason: "tags are not allowed here", .. })
        ));
        // Duplicate labels, also in the protected header.
        let mut duplicate = good_protected(-7);
        duplicate.push((C::I(1), C::I(-7)));
        assert!(matches!(
            parse_with(duplicate),
            Err(EnvelopeError::MalformedCbor { part: EnvelopePart::ProtectedHeader, reason: "duplicate map key", .. })
        ));
        // Indefinite-length protected header map.
        let mut indefinite = vec![0xbf];
        for (k, v) in good_protected(-7) {
            indefinite.extend(k.encode());
            indefinite.extend(v.encode());
        }
        indefinite.push(0xff);
        let mut bytes =
            C::A(vec![C::B(indefinite), C::M(good_unprotected()), C::B(PAYLOAD.to_vec()), C::B(vec![1])]).encode();
        bytes.insert(0, 0xd2);
        assert!(matches!(
            parse(&bytes),
            Err(EnvelopeError::MalformedCbor { reason: "indefinite-length items are not allowed", .. })
        ));
    }

    #[test]
    fn header_rules() {
        let err = |p| parse_with(p).err();
        assert_eq!(
            err(replace(good_protected(-7), C::I(1), Some(C::I(-8)))),
            Some(EnvelopeError::UnsupportedAlgorithm("-8".into()))
        );
        assert_eq!(
            err(replace(good_protected(-7), C::I(1), Some(C::T("ES256")))),
            Some(EnvelopeError::UnsupportedAlgorithm("\"ES256\"".into()))
        );
        assert_eq!(err(replace(good_protected(-7), C::I(1), None)), Some(EnvelopeError::MissingHeader("alg")));
        assert_eq!(err(replace(good_protected(-7), C::I(3), None)), Some(EnvelopeError::MissingHeader("cty")));
        // The CoAP content-format integer form is rejected.
        assert!(matches!(
            err(replace(good_protected(-7), C::I(3), Some(C::I(50)))),
            Some(EnvelopeError::InvalidMember { .. })
        ));
        assert!(matches!(
            err(replace(good_protected(-7), C::I(3), Some(C::T("application/json")))),
            Some(EnvelopeError::InvalidContentType(_))
        ));
        // Times must be tag 1; tag 0 strings and bare integers are rejected; floats are fine.
        let time_is = |v: C| err(replace(good_protected(-7), C::T(SIGNING_TIME), Some(v)));
        assert!(matches!(time_is(C::I(1_661_321_924)), Some(EnvelopeError::InvalidMember { .. })));
        assert!(matches!(
            time_is(C::Tag(0, Box::new(C::T("2022-08-24T06:18:44Z")))),
            Some(EnvelopeError::InvalidMember { .. })
        ));
        assert!(matches!(time_is(C::Tag(1, Box::new(C::F(f64::NAN)))), Some(EnvelopeError::InvalidMember { .. })));
        assert!(matches!(time_is(C::Tag(1, Box::new(C::F(1e300)))), Some(EnvelopeError::InvalidMember { .. })));
        let fractional = parse_with(replace(
            good_protected(-7),
            C::T(SIGNING_TIME),
            Some(C::Tag(1, Box::new(C::F(1_661_321_924.5)))),
        ));
        assert_eq!(fractional.unwrap().signed.signing_time, Time::from_unix_nanos(1_661_321_924, 500_000_000));
        assert!(matches!(
            err(replace(good_protected(-7), C::T(EXPIRY), Some(epoch(1_661_321_924)))),
            Some(EnvelopeError::ExpiryNotAfterSigningTime { .. })
        ));
        // The wrong scheme's time header is rejected (notation-core-go ignores it in COSE).
        assert_eq!(
            err(replace(good_protected(-7), C::T(AUTHENTIC_SIGNING_TIME), Some(epoch(1)))),
            Some(EnvelopeError::UnexpectedTimeHeader { name: AUTHENTIC_SIGNING_TIME, scheme: SigningScheme::X509 })
        );
        assert_eq!(
            err(replace(good_protected(-7), C::T(SIGNING_SCHEME), Some(C::T("notary.x509.signingauthority")))),
            Some(EnvelopeError::UnsupportedSigningScheme("notary.x509.signingauthority".into()))
        );
    }

    #[test]
    fn crit_rules() {
        let with_crit = |labels: Vec<C>| parse_with(replace(good_protected(-7), C::I(2), Some(C::A(labels)))).err();
        assert_eq!(with_crit(vec![]), Some(EnvelopeError::MissingHeader("crit")));
        assert_eq!(
            parse_with(replace(good_protected(-7), C::I(2), None)).err(),
            Some(EnvelopeError::MissingHeader("crit"))
        );
        assert_eq!(with_crit(vec![C::T(SIGNING_SCHEME)]), Some(EnvelopeError::NotMarkedCritical(vec![EXPIRY.into()])));
        // Extra present standard labels are allowed in COSE; absent ones are not.
        assert_eq!(with_crit(vec![C::T(SIGNING_SCHEME), C::T(EXPIRY), C::I(1), C::I(3), C::T(SIGNING_TIME)]), None);
        assert_eq!(
            with_crit(vec![C::T(SIGNING_SCHEME), C::T(EXPIRY), C::I(4)]),
            Some(EnvelopeError::CriticalHeaderNotPresent("4".into()))
        );
        assert!(matches!(
            with_crit(vec![C::T(SIGNING_SCHEME), C::T(EXPIRY), C::B(vec![])]),
            Some(EnvelopeError::InvalidMember { .. })
        ));
        // Unknown critical extended attributes fail; the plugin ones parse.
        let mut unknown =
            replace(good_protected(-7), C::I(2), Some(C::A(vec![C::T(SIGNING_SCHEME), C::T(EXPIRY), C::I(4)])));
        unknown.push((C::I(4), C::B(b"kid".to_vec())));
        assert_eq!(parse_with(unknown).err(), Some(EnvelopeError::UnknownCriticalHeader("4".into())));
        let mut plugin = replace(
            good_protected(-7),
            C::I(2),
            Some(C::A(vec![C::T(SIGNING_SCHEME), C::T(EXPIRY), C::T(VERIFICATION_PLUGIN)])),
        );
        plugin.push((C::T(VERIFICATION_PLUGIN), C::T("plugin-name")));
        plugin.push((C::I(-70000), C::M(vec![(C::I(1), C::B(vec![0, 1])), (C::T("k"), C::Tag(1, Box::new(C::I(5))))])));
        let parsed = parse_with(plugin).unwrap();
        assert_eq!(parsed.signed.verification_plugin.as_deref(), Some("plugin-name"));
        let other = parsed.signed.extended_attributes.iter().find(|a| a.key == "-70000").unwrap();
        assert!(!other.critical);
        assert_eq!(other.value, serde_json::json!({"1": "AAE=", "k": 5}));
        // crit in the unprotected header is an error, whether or not the protected one has it.
        let unprotected = replace(good_unprotected(), C::I(2), Some(C::A(vec![C::T(SIGNING_SCHEME)])));
        assert_eq!(
            parse(&cose(good_protected(-7), unprotected.clone(), PAYLOAD, &[1])).err(),
            Some(EnvelopeError::HeaderInBothBuckets("2".into()))
        );
        assert!(matches!(
            parse(&cose(replace(good_protected(-7), C::I(2), None), unprotected, PAYLOAD, &[1])),
            Err(EnvelopeError::InvalidMember { part: EnvelopePart::UnprotectedHeader, .. })
        ));
    }

    #[test]
    fn case_variants_of_notation_labels_are_ambiguous() {
        let ambiguous = |name: &str, notation_name: &str| {
            Some(names::ambiguous(EnvelopePart::ProtectedHeader, name, notation_name))
        };
        for (variant, notation_name, value) in [
            ("IO.CNCF.NOTARY.EXPIRY", EXPIRY, epoch(1)),
            ("Io.Cncf.Notary.SigningScheme", SIGNING_SCHEME, C::T("notary.x509")),
            ("io.cncf.notary.\u{17F}igningTime", SIGNING_TIME, epoch(1)),
            ("io.cncf.notary.VERIFICATIONPLUGIN", VERIFICATION_PLUGIN, C::T("plugin")),
        ] {
            let protected = replace(good_protected(-7), C::T(variant), Some(value));
            assert_eq!(parse_with(protected).err(), ambiguous(variant, notation_name), "{variant}");
        }
        // Text labels named like the JOSE headers mean nothing in COSE (alg, crit and cty are
        // labels 1–3), nor do names that merely contain a notation name.
        for label in ["ALG", "crit", "io.cncf.notary.expiry.note", "IO.CNCF.NOTARY.SIGNINGAGENT"] {
            let parsed = parse_with(replace(good_protected(-7), C::T(label), Some(C::T("v")))).unwrap();
            assert!(parsed.signed.extended_attributes.iter().any(|a| a.key == label), "{label}");
        }
        // The unprotected header is read as go-cose reads it: by exact label.
        let unprotected = replace(good_unprotected(), C::T("IO.CNCF.NOTARY.SIGNINGAGENT"), Some(C::T("other")));
        let parsed = parse(&cose(good_protected(-7), unprotected, PAYLOAD, &[1])).unwrap();
        assert_eq!(parsed.unsigned.signing_agent.as_deref(), Some("test/1.0"));
    }

    #[test]
    fn unprotected_rules() {
        let err = |u| parse(&cose(good_protected(-7), u, PAYLOAD, &[1])).err();
        assert_eq!(err(replace(good_unprotected(), C::I(33), None)), Some(EnvelopeError::MissingCertificateChain));
        assert_eq!(
            err(replace(good_unprotected(), C::I(33), Some(C::A(vec![])))),
            Some(EnvelopeError::MissingCertificateChain)
        );
        // A single certificate must still be an array.
        assert!(matches!(
            err(replace(good_unprotected(), C::I(33), Some(C::B(b"leaf".to_vec())))),
            Some(EnvelopeError::InvalidMember { .. })
        ));
        assert!(matches!(
            err(replace(good_unprotected(), C::I(33), Some(C::A(vec![C::T("x")])))),
            Some(EnvelopeError::InvalidMember { .. })
        ));
        assert!(matches!(
            err(replace(good_unprotected(), C::I(33), Some(C::A(vec![C::B(vec![1]); 17])))),
            Some(EnvelopeError::LimitExceeded { .. })
        ));
        assert!(matches!(
            err(replace(good_unprotected(), C::T(SIGNING_AGENT), Some(C::I(1)))),
            Some(EnvelopeError::InvalidMember { .. })
        ));
        assert!(matches!(
            err(replace(good_unprotected(), C::T(TIMESTAMP_SIGNATURE), Some(C::T("x")))),
            Some(EnvelopeError::InvalidMember { .. })
        ));
        assert!(matches!(
            err(replace(good_unprotected(), C::F(1.5), Some(C::I(1)))),
            Some(EnvelopeError::InvalidMember { .. })
        ));
        assert_eq!(err(replace(good_unprotected(), C::I(99), Some(C::T("ignored")))), None);
        // A label in both buckets.
        assert_eq!(
            err(replace(good_unprotected(), C::I(1), Some(C::I(-7)))),
            Some(EnvelopeError::HeaderInBothBuckets("1".into()))
        );
        let parsed = parse(&cose(
            good_protected(-7),
            replace(good_unprotected(), C::T(TIMESTAMP_SIGNATURE), Some(C::B(vec![9]))),
            PAYLOAD,
            &[1],
        ));
        assert_eq!(parsed.unwrap().unsigned.timestamp_signature, Some(vec![9]));
    }

    #[test]
    fn nesting_is_limited() {
        let mut deep = C::I(0);
        for _ in 0..=MAX_NESTING_DEPTH {
            deep = C::A(vec![deep]);
        }
        let protected = replace(good_protected(-7), C::T("deep"), Some(deep));
        assert!(matches!(parse_with(protected), Err(EnvelopeError::LimitExceeded { what: "CBOR nesting depth", .. })));
    }

    /// notation-core-go `signature/cose/testdata/conformance.json`: the headers read from its
    /// exact protected bytes, and the Sig_structure built over them.
    #[test]
    fn conformance_vector_headers() {
        let Some(bytes) =
            crate::envelope::read_vector("notaryproject__notation-core-go/signature/cose/testdata/conformance.json")
        else {
            return;
        };
        let document: serde_json::Value = serde_json::from_slice(&bytes).unwrap();
        let hex = |pointer: &str| -> Vec<u8> {
            let text = document.pointer(pointer).and_then(|v| v.as_str()).unwrap();
            (0..text.len()).step_by(2).map(|i| u8::from_str_radix(&text[i..i + 2], 16).unwrap()).collect()
        };
        let envelope = hex("/expectedOutput/cborHex");
        let Value::Array(items) = cbor::decode(&envelope[1..], false).unwrap() else { panic!("not an array") };
        let [Value::Bytes(protected_bytes), Value::Map(_), Value::Bytes(payload), Value::Bytes(_)] = &items[..] else {
            panic!("not a COSE_Sign1")
        };
        assert_eq!(*protected_bytes, &hex("/protectedHeaders/cborHex")[..]);
        assert_eq!(*payload, b"hello COSE");
        let Value::Map(entries) = cbor::decode(protected_bytes, true).unwrap() else { panic!("not a map") };
        let headers = protected_headers(&labeled(EnvelopePart::ProtectedHeader, entries).unwrap()).unwrap();
        assert_eq!(headers.algorithm, SignatureAlgorithm::Ps384);
        assert_eq!(headers.signing_time, Some(Time::from_unix(1_661_321_924)));
        assert_eq!(headers.expiry, Some(Time::from_unix(1_661_408_324)));
        assert_eq!(headers.content_type, PAYLOAD_CONTENT_TYPE);
        let attributes: Vec<(&str, bool)> =
            headers.extended_attributes.iter().map(|a| (a.key.as_str(), a.critical)).collect();
        assert_eq!(attributes, vec![("signedKey1", false), ("signedCritKey1", true)]);
        let sig_structure =
            C::A(vec![C::T("Signature1"), C::B(protected_bytes.to_vec()), C::B(Vec::new()), C::B(payload.to_vec())]);
        assert_eq!(super::sig_structure(protected_bytes, payload), sig_structure.encode());
    }
}
