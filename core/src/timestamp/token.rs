//! RFC 3161 TimeStampToken parsing: a CMS ContentInfo with SignedData (RFC 5652) whose
//! encapsulated content is a TSTInfo. BER input is converted to DER first, as tspclient-go does;
//! the DER is then read with `encoding/asn1`'s rules (tspclient-go's parser). Each structure is
//! declared below with the ASN.1 module text it is read by; fields a verification never reads
//! are skipped, and, as in `encoding/asn1`, elements after the last declared field of a
//! SEQUENCE are ignored.

use super::TimestampError;
use super::ber;
use crate::Time;
use crate::asn1::{Element, FromDer, Malformed, Oid, OidBuf, Reader, Rules, read_all, tag};
use crate::limits::{MAX_CHAIN_CERTIFICATES, MAX_TIMESTAMP_TOKEN_BYTES};
use crate::oid;
use crate::x509::{AlgorithmIdentifier, Certificate};

/// A parsed, not yet verified, RFC 3161 timestamp token.
///
/// ```
/// assert!(notaverify::timestamp::TimestampToken::parse(b"\x30\x00").is_err());
/// ```
#[derive(Clone, Debug)]
pub struct TimestampToken {
    content_type: OidBuf,
    content: Vec<u8>,
    certificates: Vec<Certificate>,
    pub(crate) signer_infos: Vec<SignerInfo>,
}

/// RFC 5652 §3:
///
/// ```asn1
/// ContentInfo ::= SEQUENCE {
///   contentType ContentType,
///   content [0] EXPLICIT ANY DEFINED BY contentType }
///
/// ContentType ::= OBJECT IDENTIFIER
/// ```
struct ContentInfo<'a> {
    content_type: Oid<'a>,
    /// The value of the `[0]` wrapper.
    content: Reader<'a>,
}

impl<'a> FromDer<'a> for ContentInfo<'a> {
    const WHAT: &'static str = "invalid content info";

    fn from_der(reader: &mut Reader<'a>) -> Result<Self, Malformed> {
        let bad = Malformed(Self::WHAT);
        let mut fields = reader.read_element(tag::SEQUENCE).ok_or(bad)?.reader();
        let content_type = fields.read_oid().ok_or(bad)?;
        let content = fields.read_explicit(0).ok_or(bad)?;
        Ok(ContentInfo { content_type, content })
    }
}

/// RFC 5652 §5.1:
///
/// ```asn1
/// SignedData ::= SEQUENCE {
///   version CMSVersion,
///   digestAlgorithms DigestAlgorithmIdentifiers,
///   encapContentInfo EncapsulatedContentInfo,
///   certificates [0] IMPLICIT CertificateSet OPTIONAL,
///   crls [1] IMPLICIT RevocationInfoChoices OPTIONAL,
///   signerInfos SignerInfos }
///
/// DigestAlgorithmIdentifiers ::= SET OF DigestAlgorithmIdentifier
///
/// SignerInfos ::= SET OF SignerInfo
///
/// CertificateSet ::= SET OF CertificateChoices
/// ```
///
/// The digest algorithms and CRLs are not read; of the CertificateChoices only `certificate`
/// (an X.509 Certificate) is accepted, as tspclient-go does.
struct SignedData<'a> {
    version: i64,
    encap_content_info: EncapsulatedContentInfo<'a>,
    /// The value of `certificates`: the certificates' DER, one after the other.
    certificates: Option<&'a [u8]>,
    signer_infos: Vec<SignerInfo>,
}

impl<'a> FromDer<'a> for SignedData<'a> {
    const WHAT: &'static str = "invalid signed data";

    fn from_der(reader: &mut Reader<'a>) -> Result<Self, Malformed> {
        let bad = Malformed(Self::WHAT);
        let mut fields = reader.read_element(tag::SEQUENCE).ok_or(bad)?.reader();
        let version = fields.read_i64().ok_or(bad)?;
        fields.read_element(tag::SET).ok_or(Malformed("invalid signed data: digest algorithms"))?;
        let encap_content_info = fields.read_value()?;
        let certificates = fields.read_optional(tag::context_constructed(0)).ok_or(bad)?.map(|set| set.value);
        fields.read_optional(tag::context_constructed(1)).ok_or(Malformed("invalid signed data: crls"))?;
        let signer_infos = fields
            .read_element(tag::SET)
            .ok_or(Malformed("invalid signed data: signer infos"))?
            .reader()
            .read_all_values()?;
        Ok(SignedData { version, encap_content_info, certificates, signer_infos })
    }
}

/// RFC 5652 §5.2:
///
/// ```asn1
/// EncapsulatedContentInfo ::= SEQUENCE {
///   eContentType ContentType,
///   eContent [0] EXPLICIT OCTET STRING OPTIONAL }
/// ```
struct EncapsulatedContentInfo<'a> {
    content_type: Oid<'a>,
    /// `eContent`, empty when absent.
    content: &'a [u8],
}

impl<'a> FromDer<'a> for EncapsulatedContentInfo<'a> {
    const WHAT: &'static str = "invalid signed data: encapsulated content";

    fn from_der(reader: &mut Reader<'a>) -> Result<Self, Malformed> {
        let bad = Malformed("invalid encapsulated content");
        let mut fields = reader.read_element(tag::SEQUENCE).ok_or(Malformed(Self::WHAT))?.reader();
        let content_type = fields.read_oid().ok_or(bad)?;
        let content = match fields.read_optional(tag::context_constructed(0)).ok_or(bad)? {
            Some(explicit) => explicit.reader().read(tag::OCTET_STRING).ok_or(bad)?,
            None => &[],
        };
        Ok(EncapsulatedContentInfo { content_type, content })
    }
}

/// RFC 5652 §5.3 (notation accepts version 1 only, whose `sid` is an issuerAndSerialNumber):
///
/// ```asn1
/// SignerInfo ::= SEQUENCE {
///   version CMSVersion,
///   sid SignerIdentifier,
///   digestAlgorithm DigestAlgorithmIdentifier,
///   signedAttrs [0] IMPLICIT SignedAttributes OPTIONAL,
///   signatureAlgorithm SignatureAlgorithmIdentifier,
///   signature SignatureValue,
///   unsignedAttrs [1] IMPLICIT UnsignedAttributes OPTIONAL }
///
/// SignerIdentifier ::= CHOICE {
///   issuerAndSerialNumber IssuerAndSerialNumber,
///   subjectKeyIdentifier [0] SubjectKeyIdentifier }
///
/// IssuerAndSerialNumber ::= SEQUENCE {
///   issuer Name,
///   serialNumber CertificateSerialNumber }
///
/// SignedAttributes ::= SET SIZE (1..MAX) OF Attribute
///
/// SignatureValue ::= OCTET STRING
/// ```
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

impl<'a> FromDer<'a> for SignerInfo {
    const WHAT: &'static str = "invalid signed data: signer info";

    fn from_der(reader: &mut Reader<'a>) -> Result<Self, Malformed> {
        let bad = Malformed(Self::WHAT);
        let mut fields = reader.read_element(tag::SEQUENCE).ok_or(bad)?.reader();
        let version = fields.read_i64().ok_or(bad)?;
        let mut sid = fields.read_element(tag::SEQUENCE).ok_or(bad)?.reader();
        let issuer = sid.read_element(tag::SEQUENCE).ok_or(bad)?.whole.to_vec();
        let serial = sid.read_integer_bytes().ok_or(bad)?.to_vec();
        let digest_algorithm = fields.read_value().map_err(|_| bad)?;
        let (signed_attributes_der, signed_attributes) =
            match fields.read_optional(tag::context_constructed(0)).ok_or(bad)? {
                Some(attributes) => {
                    let mut der = attributes.whole.to_vec();
                    if let Some(first) = der.first_mut() {
                        *first = tag::SET;
                    }
                    (der, attributes.reader().read_all_values().map_err(|_| bad)?)
                }
                None => (Vec::new(), Vec::new()),
            };
        let signature_algorithm = fields.read_value().map_err(|_| bad)?;
        let signature = fields.read(tag::OCTET_STRING).ok_or(bad)?.to_vec();
        Ok(Self {
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
}

/// RFC 5652 §5.3 (only the first value of an attribute is read, as tspclient-go does):
///
/// ```asn1
/// Attribute ::= SEQUENCE {
///   attrType OBJECT IDENTIFIER,
///   attrValues SET OF AttributeValue }
///
/// AttributeValue ::= ANY
/// ```
#[derive(Clone, Debug)]
pub(crate) struct Attribute {
    pub(crate) oid: OidBuf,
    /// The DER of the first value, when there is one.
    pub(crate) first_value: Option<Vec<u8>>,
}

impl<'a> FromDer<'a> for Attribute {
    const WHAT: &'static str = "attribute";

    fn from_der(reader: &mut Reader<'a>) -> Result<Self, Malformed> {
        let bad = Malformed(Self::WHAT);
        let mut fields = reader.read_element(tag::SEQUENCE).ok_or(bad)?.reader();
        let oid = fields.read_oid().ok_or(bad)?.to_owned();
        let values = fields.read_element(tag::SET).ok_or(bad)?;
        let first_value = values.reader().read_any().map(|v| v.whole.to_vec());
        Ok(Self { oid, first_value })
    }
}

/// The TSTInfo of a token, as far as verification reads it. RFC 3161 §2.4.2:
///
/// ```asn1
/// TSTInfo ::= SEQUENCE  {
///    version                      INTEGER  { v1(1) },
///    policy                       TSAPolicyId,
///    messageImprint               MessageImprint,
///    serialNumber                 INTEGER,
///    genTime                      GeneralizedTime,
///    accuracy                     Accuracy                 OPTIONAL,
///    ordering                     BOOLEAN             DEFAULT FALSE,
///    nonce                        INTEGER                  OPTIONAL,
///    tsa                          [0] GeneralName          OPTIONAL,
///    extensions                   [1] IMPLICIT Extensions  OPTIONAL  }
///
/// TSAPolicyId ::= OBJECT IDENTIFIER
///
/// MessageImprint ::= SEQUENCE  {
///    hashAlgorithm                AlgorithmIdentifier,
///    hashedMessage                OCTET STRING  }
///
/// Accuracy ::= SEQUENCE {
///    seconds        INTEGER              OPTIONAL,
///    millis     [0] INTEGER  (1..999)    OPTIONAL,
///    micros     [1] INTEGER  (1..999)    OPTIONAL  }
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TstInfo {
    /// Must be 1.
    pub version: i64,
    /// The TSA policy OID, dotted.
    pub policy: String,
    pub(crate) policy_oid: OidBuf,
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

impl<'a> FromDer<'a> for TstInfo {
    const WHAT: &'static str = "cannot unmarshal TSTInfo from timestamp token";

    fn from_der(reader: &mut Reader<'a>) -> Result<Self, Malformed> {
        let bad = Malformed(Self::WHAT);
        let mut fields = reader.read_element(tag::SEQUENCE).ok_or(bad)?.reader();
        let version = fields.read_i64().ok_or(bad)?;
        let policy_oid = fields.read_oid().ok_or(bad)?.to_owned();
        let mut imprint = fields.read_element(tag::SEQUENCE).ok_or(bad)?.reader();
        let imprint_algorithm = imprint.read_value().map_err(|_| bad)?;
        let hashed_message = imprint.read(tag::OCTET_STRING).ok_or(bad)?.to_vec();
        let serial = fields.read_integer_bytes().ok_or(bad)?;
        let gen_time = fields.read_element(tag::GENERALIZED_TIME).and_then(|t| t.time()).ok_or(bad)?;
        let accuracy = match fields.read_optional(tag::SEQUENCE).ok_or(bad)? {
            Some(accuracy) => read_accuracy(accuracy).ok_or(bad)?,
            None => (0, 0, 0),
        };
        for optional in [tag::BOOLEAN, tag::INTEGER, tag::context_constructed(0), tag::context_constructed(1)] {
            fields.read_optional(optional).ok_or(bad)?;
        }
        Ok(Self {
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
}

/// The Accuracy SEQUENCE's seconds, millis and micros (0 when absent).
fn read_accuracy(accuracy: Element<'_>) -> Option<(i64, i64, i64)> {
    let mut parts = accuracy.reader();
    let mut read = |tag| match parts.read_optional(tag)? {
        Some(part) => part.implicit_i64(),
        None => Some(0),
    };
    Some((read(tag::INTEGER)?, read(tag::context(0))?, read(tag::context(1))?))
}

impl TimestampToken {
    /// Parses a token (BER or DER): a ContentInfo of type signedData whose SignedData is version
    /// 3, with X.509 certificates only, and whose encapsulated content type is id-ct-TSTInfo.
    pub fn parse(bytes: &[u8]) -> Result<Self, TimestampError> {
        if bytes.len() > MAX_TIMESTAMP_TOKEN_BYTES {
            return Err(TimestampError::TooLarge { limit: MAX_TIMESTAMP_TOKEN_BYTES, actual: bytes.len() });
        }
        let der = ber::to_der(bytes)
            .map_err(|e| TimestampError::Malformed(format!("failed to convert from BER to DER: {e:?}")))?;
        let malformed = |m: Malformed| TimestampError::Malformed(m.0.to_owned());
        let mut content_info = read_all::<ContentInfo<'_>>(&der, Rules::EncodingAsn1).map_err(malformed)?;
        if !content_info.content_type.is(&oid::SIGNED_DATA) {
            return Err(TimestampError::NotSignedData);
        }
        let signed_data: SignedData<'_> = content_info.content.read_value().map_err(malformed)?;
        let certificates = match signed_data.certificates {
            Some(set) => parse_certificates(set)?,
            None => Vec::new(),
        };
        if signed_data.version != 3 {
            return Err(TimestampError::Malformed(format!(
                "signed data version must be 3, but got {}",
                signed_data.version
            )));
        }
        let encapsulated = signed_data.encap_content_info;
        if !encapsulated.content_type.is(&oid::TST_INFO) {
            return Err(TimestampError::UnexpectedContentType { found: encapsulated.content_type.to_dotted() });
        }
        Ok(Self {
            content_type: encapsulated.content_type.to_owned(),
            content: encapsulated.content.to_vec(),
            certificates,
            signer_infos: signed_data.signer_infos,
        })
    }

    /// The certificates embedded in the token, in order.
    pub fn certificates(&self) -> &[Certificate] {
        &self.certificates
    }

    /// The DER TSTInfo (the encapsulated content).
    pub fn content(&self) -> &[u8] {
        &self.content
    }

    pub(crate) fn content_type(&self) -> &OidBuf {
        &self.content_type
    }

    /// Decodes the TSTInfo (Go's `SignedToken.Info`).
    pub fn tst_info(&self) -> Result<TstInfo, TimestampError> {
        read_all(&self.content, Rules::EncodingAsn1).map_err(|m| TimestampError::InvalidTstInfo(m.0.to_owned()))
    }

    /// The embedded certificate with this issuer Name (DER) and serial number.
    pub(crate) fn certificate_by_issuer_serial(&self, issuer: &[u8], serial: &[u8]) -> Option<&Certificate> {
        self.certificates.iter().find(|c| c.raw_issuer() == issuer && c.raw_serial() == serial)
    }
}

/// The certificates of a CertificateSet, each parsed as Go's `x509.ParseCertificate` does.
fn parse_certificates(set: &[u8]) -> Result<Vec<Certificate>, TimestampError> {
    let mut certs = Vec::new();
    let mut items = Reader::with_rules(set, Rules::EncodingAsn1);
    while !items.is_empty() {
        let element = items
            .read_element(tag::SEQUENCE)
            .ok_or_else(|| TimestampError::Malformed("failed to parse X509 certificates from signed data".into()))?;
        if certs.len() >= MAX_CHAIN_CERTIFICATES {
            return Err(TimestampError::Malformed(format!(
                "the token carries more than {MAX_CHAIN_CERTIFICATES} certificates"
            )));
        }
        let cert = Certificate::from_der(element.whole).map_err(|e| {
            TimestampError::Malformed(format!("failed to parse X509 certificates from signed data: {e}"))
        })?;
        certs.push(cert);
    }
    Ok(certs)
}
