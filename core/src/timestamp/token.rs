//! RFC 3161 TimeStampToken parsing: a CMS ContentInfo with SignedData (RFC 5652) whose
//! encapsulated content is a TSTInfo. BER input is converted to DER first, as tspclient-go does.

use super::TimestampError;
use super::ber;
use super::der::{AlgorithmIdentifier, Seq, Tlv, open, tag};
use crate::Time;
use crate::limits::{MAX_CHAIN_CERTIFICATES, MAX_TIMESTAMP_TOKEN_BYTES};
use crate::x509::Certificate;
use const_oid::ObjectIdentifier;

pub(crate) const SIGNED_DATA: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.113549.1.7.2");
pub(crate) const TST_INFO: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.113549.1.9.16.1.4");
/// The RFC 3628 baseline time-stamp policy (accuracy defaults to 1 s under it).
pub(crate) const BASELINE_POLICY: ObjectIdentifier = ObjectIdentifier::new_unwrap("0.4.0.2023.1.1");

/// A parsed, not yet verified, RFC 3161 timestamp token.
///
/// ```
/// assert!(notaverify::timestamp::TimestampToken::parse(b"\x30\x00").is_err());
/// ```
#[derive(Clone, Debug)]
pub struct TimestampToken {
    content_type: ObjectIdentifier,
    content: Vec<u8>,
    certificates: Vec<Certificate>,
    pub(crate) signer_infos: Vec<SignerInfo>,
}

/// One CMS SignerInfo (version 1 identifies the signer by issuer and serial number).
#[derive(Clone, Debug)]
pub(crate) struct SignerInfo {
    pub(crate) version: i64,
    /// The sid's issuer Name (DER) and serial INTEGER content bytes.
    pub(crate) issuer: Vec<u8>,
    pub(crate) serial: Vec<u8>,
    pub(crate) digest_algorithm: AlgorithmIdentifier,
    /// The signed attributes re-tagged as a SET (what the signature covers); empty when absent.
    pub(crate) signed_attributes_der: Vec<u8>,
    pub(crate) signed_attributes: Vec<Attribute>,
    pub(crate) signature_algorithm: AlgorithmIdentifier,
    pub(crate) signature: Vec<u8>,
}

/// A signed attribute: its type and the DER of its first value.
#[derive(Clone, Debug)]
pub(crate) struct Attribute {
    pub(crate) oid: ObjectIdentifier,
    pub(crate) first_value: Option<Vec<u8>>,
}

/// The TSTInfo of a token (RFC 3161 §2.4.2), as far as verification reads it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TstInfo {
    /// Must be 1.
    pub version: i64,
    /// The TSA policy OID, dotted.
    pub policy: String,
    pub(crate) policy_oid: ObjectIdentifier,
    pub(crate) imprint_algorithm: AlgorithmIdentifier,
    /// The hashed message of the message imprint.
    pub hashed_message: Vec<u8>,
    /// The serial number's INTEGER content bytes, hex.
    pub serial_hex: String,
    /// The time the TSA asserts.
    pub gen_time: Time,
    /// The accuracy fields as given: seconds, millis, micros (0 when absent).
    pub accuracy: (i64, i64, i64),
}

impl TimestampToken {
    /// Parses a token (BER or DER): a ContentInfo of type signedData whose SignedData is version
    /// 3, with X.509 certificates only, and whose encapsulated content type is id-ct-TSTInfo.
    pub fn parse(bytes: &[u8]) -> Result<TimestampToken, TimestampError> {
        if bytes.len() > MAX_TIMESTAMP_TOKEN_BYTES {
            return Err(TimestampError::TooLarge { limit: MAX_TIMESTAMP_TOKEN_BYTES, actual: bytes.len() });
        }
        let der = ber::to_der(bytes)
            .map_err(|e| TimestampError::Malformed(format!("failed to convert from BER to DER: {e:?}")))?;
        let malformed = |what: &str| TimestampError::Malformed(what.to_owned());
        let mut content_info = open(&der, tag::SEQUENCE).ok_or_else(|| malformed("invalid content info"))?;
        let content_type =
            content_info.next_tlv().and_then(|t| t.oid()).ok_or_else(|| malformed("invalid content info"))?;
        let explicit = content_info.expect(tag::constructed(0)).ok_or_else(|| malformed("invalid content info"))?;
        if content_type != SIGNED_DATA {
            return Err(TimestampError::NotSignedData);
        }
        let signed_data = explicit.items().expect(tag::SEQUENCE).ok_or_else(|| malformed("invalid signed data"))?;
        let mut fields = signed_data.items();
        let version =
            fields.expect(tag::INTEGER).and_then(|t| t.i64()).ok_or_else(|| malformed("invalid signed data"))?;
        fields.expect(tag::SET).ok_or_else(|| malformed("invalid signed data: digest algorithms"))?;
        let mut encap =
            fields.expect(tag::SEQUENCE).ok_or_else(|| malformed("invalid signed data: encapsulated content"))?.items();
        let e_content_type =
            encap.next_tlv().and_then(|t| t.oid()).ok_or_else(|| malformed("invalid encapsulated content"))?;
        let content =
            match encap.optional(tag::constructed(0)).ok_or_else(|| malformed("invalid encapsulated content"))? {
                Some(e) => e
                    .items()
                    .expect(tag::OCTET_STRING)
                    .ok_or_else(|| malformed("invalid encapsulated content"))?
                    .value
                    .to_vec(),
                None => Vec::new(),
            };
        let certificates = match fields.optional(tag::constructed(0)).ok_or_else(|| malformed("invalid signed data"))? {
            Some(set) => parse_certificates(set.value)?,
            None => Vec::new(),
        };
        fields.optional(tag::constructed(1)).ok_or_else(|| malformed("invalid signed data: crls"))?;
        let signer_set = fields.expect(tag::SET).ok_or_else(|| malformed("invalid signed data: signer infos"))?;
        let signer_infos = signer_set
            .items()
            .collect_all()
            .ok_or_else(|| malformed("invalid signed data: signer infos"))?
            .iter()
            .map(parse_signer_info)
            .collect::<Result<Vec<_>, _>>()?;
        if version != 3 {
            return Err(TimestampError::Malformed(format!("signed data version must be 3, but got {version}")));
        }
        if e_content_type != TST_INFO {
            return Err(TimestampError::UnexpectedContentType { found: e_content_type.to_string() });
        }
        Ok(TimestampToken { content_type: e_content_type, content, certificates, signer_infos })
    }

    /// The certificates embedded in the token, in order.
    pub fn certificates(&self) -> &[Certificate] {
        &self.certificates
    }

    /// The DER TSTInfo (the encapsulated content).
    pub fn content(&self) -> &[u8] {
        &self.content
    }

    pub(crate) fn content_type(&self) -> &ObjectIdentifier {
        &self.content_type
    }

    /// Decodes the TSTInfo (Go's `SignedToken.Info`).
    pub fn tst_info(&self) -> Result<TstInfo, TimestampError> {
        parse_tst_info(&self.content)
            .ok_or_else(|| TimestampError::InvalidTstInfo("cannot unmarshal TSTInfo from timestamp token".into()))
    }

    /// The embedded certificate with this issuer Name (DER) and serial number.
    pub(crate) fn certificate_by_issuer_serial(&self, issuer: &[u8], serial: &[u8]) -> Option<&Certificate> {
        self.certificates.iter().find(|c| c.raw_issuer() == issuer && c.raw_serial() == serial)
    }
}

fn parse_certificates(value: &[u8]) -> Result<Vec<Certificate>, TimestampError> {
    let mut certs = Vec::new();
    let mut items = Seq::new(value);
    while !items.is_empty() {
        let tlv = items
            .next_tlv()
            .filter(|t| t.tag == tag::SEQUENCE)
            .ok_or_else(|| TimestampError::Malformed("failed to parse X509 certificates from signed data".into()))?;
        if certs.len() >= MAX_CHAIN_CERTIFICATES {
            return Err(TimestampError::Malformed(format!(
                "the token carries more than {MAX_CHAIN_CERTIFICATES} certificates"
            )));
        }
        let cert = Certificate::from_der(tlv.whole).map_err(|e| {
            TimestampError::Malformed(format!("failed to parse X509 certificates from signed data: {e}"))
        })?;
        certs.push(cert);
    }
    Ok(certs)
}

fn parse_signer_info(tlv: &Tlv<'_>) -> Result<SignerInfo, TimestampError> {
    let malformed = || TimestampError::Malformed("invalid signed data: signer info".into());
    if tlv.tag != tag::SEQUENCE {
        return Err(malformed());
    }
    let mut fields = tlv.items();
    let version = fields.expect(tag::INTEGER).and_then(|t| t.i64()).ok_or_else(malformed)?;
    let mut sid = fields.expect(tag::SEQUENCE).ok_or_else(malformed)?.items();
    let issuer = sid.expect(tag::SEQUENCE).ok_or_else(malformed)?.whole.to_vec();
    let serial = sid.expect(tag::INTEGER).and_then(|t| t.integer_bytes()).ok_or_else(malformed)?.to_vec();
    let digest_algorithm = fields.next_tlv().and_then(|t| AlgorithmIdentifier::parse(&t)).ok_or_else(malformed)?;
    let (signed_attributes_der, signed_attributes) = match fields.optional(tag::constructed(0)).ok_or_else(malformed)? {
        Some(attrs) => {
            let mut der = attrs.whole.to_vec();
            if let Some(first) = der.first_mut() {
                *first = tag::SET;
            }
            (der, parse_attributes(attrs.value).ok_or_else(malformed)?)
        }
        None => (Vec::new(), Vec::new()),
    };
    let signature_algorithm = fields.next_tlv().and_then(|t| AlgorithmIdentifier::parse(&t)).ok_or_else(malformed)?;
    let signature = fields.expect(tag::OCTET_STRING).ok_or_else(malformed)?.value.to_vec();
    Ok(SignerInfo {
        version,
        issuer,
        serial,
        digest_algorithm,
        signed_attributes_der,
        signed_attributes,
        signature_algorithm,
        signature,
    })
}

fn parse_attributes(value: &[u8]) -> Option<Vec<Attribute>> {
    Seq::new(value)
        .collect_all()?
        .iter()
        .map(|a| {
            if a.tag != tag::SEQUENCE {
                return None;
            }
            let mut items = a.items();
            let oid = items.next_tlv()?.oid()?;
            let values = items.expect(tag::SET)?;
            let first_value = values.items().next_tlv().map(|v| v.whole.to_vec());
            Some(Attribute { oid, first_value })
        })
        .collect()
}

fn parse_tst_info(der: &[u8]) -> Option<TstInfo> {
    let mut fields = open(der, tag::SEQUENCE)?;
    let version = fields.expect(tag::INTEGER)?.i64()?;
    let policy_oid = fields.next_tlv()?.oid()?;
    let mut imprint = fields.expect(tag::SEQUENCE)?.items();
    let imprint_algorithm = AlgorithmIdentifier::parse(&imprint.next_tlv()?)?;
    let hashed_message = imprint.expect(tag::OCTET_STRING)?.value.to_vec();
    let serial = fields.expect(tag::INTEGER)?.integer_bytes()?;
    let gen_time_tlv = fields.expect(tag::GENERALIZED_TIME)?;
    let gen_time = gen_time_tlv.time()?;
    let mut accuracy = (0, 0, 0);
    if let Some(acc) = fields.optional(tag::SEQUENCE)? {
        let mut parts = acc.items();
        if let Some(s) = parts.optional(tag::INTEGER)? {
            accuracy.0 = s.i64()?;
        }
        if let Some(ms) = parts.optional(tag::context(0))? {
            accuracy.1 = Tlv { tag: tag::INTEGER, ..ms }.i64()?;
        }
        if let Some(us) = parts.optional(tag::context(1))? {
            accuracy.2 = Tlv { tag: tag::INTEGER, ..us }.i64()?;
        }
    }
    fields.optional(tag::BOOLEAN)?;
    fields.optional(tag::INTEGER)?;
    fields.optional(tag::constructed(0))?;
    fields.optional(tag::constructed(1))?;
    Some(TstInfo {
        version,
        policy: policy_oid.to_string(),
        policy_oid,
        imprint_algorithm,
        hashed_message,
        serial_hex: crate::crypto::hex(serial),
        gen_time,
        accuracy,
    })
}
