//! OCSP responses (RFC 6960), parsed and checked for one certificate as x/crypto's
//! `ocsp.ParseResponseForCert` and notation-core-go's OCSP checker do, with the responder
//! authorisation of RFC 6960 §4.2.2.2 added (see docs/divergences.md).

use super::RevocationError;
use crate::asn1::{FromDer, Malformed, Reader, Rules, read_all, read_extensions, tag};
use crate::crypto;
use crate::limits::{MAX_CHAIN_CERTIFICATES, MAX_OCSP_RESPONSE_BYTES};
use crate::x509::{AlgorithmIdentifier, Certificate, Purpose, scheme_for};
use crate::{Time, oid};

/// What a response says about one certificate.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum CertStatus {
    Good,
    Revoked,
    Unknown,
}

/// One usable answer about a certificate: its status and when the response was produced.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Answer {
    pub(crate) produced_at: Time,
    pub(crate) status: CertStatus,
}

/// RFC 6960 §4.2.1 (the revocation reason is not read):
///
/// ```asn1
/// SingleResponse ::= SEQUENCE {
///    certID                       CertID,
///    certStatus                   CertStatus,
///    thisUpdate                   GeneralizedTime,
///    nextUpdate         [0]       EXPLICIT GeneralizedTime OPTIONAL,
///    singleExtensions   [1]       EXPLICIT Extensions OPTIONAL }
///
/// CertID          ::=     SEQUENCE {
///    hashAlgorithm       AlgorithmIdentifier,
///    issuerNameHash      OCTET STRING, -- Hash of issuer's DN
///    issuerKeyHash       OCTET STRING, -- Hash of issuer's public key
///    serialNumber        CertificateSerialNumber }
///
/// CertStatus ::= CHOICE {
///    good        [0]     IMPLICIT NULL,
///    revoked     [1]     IMPLICIT RevokedInfo,
///    unknown     [2]     IMPLICIT UnknownInfo }
///
/// RevokedInfo ::= SEQUENCE {
///    revocationTime              GeneralizedTime,
///    revocationReason    [0]     EXPLICIT CRLReason OPTIONAL }
/// ```
///
/// x/crypto's parser refuses every critical single extension; notaverify keeps the first one
/// and refuses the single response when it is used. The invalidityDate extension is read
/// (notation-core-go honours it).
#[derive(Clone, Debug, PartialEq, Eq)]
struct SingleResponse {
    hash_algorithm: AlgorithmIdentifier,
    issuer_name_hash: Vec<u8>,
    issuer_key_hash: Vec<u8>,
    serial: Vec<u8>,
    status: CertStatus,
    this_update: Time,
    next_update: Option<Time>,
    invalidity_date: Option<Time>,
    critical_extension: Option<String>,
}

/// A parsed OCSP response. RFC 6960 §4.2.1:
///
/// ```asn1
/// OCSPResponse ::= SEQUENCE {
///    responseStatus         OCSPResponseStatus,
///    responseBytes          [0] EXPLICIT ResponseBytes OPTIONAL }
///
/// OCSPResponseStatus ::= ENUMERATED {
///     successful            (0),  -- Response has valid confirmations
///     malformedRequest      (1),  -- Illegal confirmation request
///     internalError         (2),  -- Internal error in issuer
///     tryLater              (3),  -- Try again later
///                                 -- (4) is not used
///     sigRequired           (5),  -- Must sign the request
///     unauthorized          (6)   -- Request unauthorized
/// }
///
/// ResponseBytes ::=       SEQUENCE {
///     responseType   OBJECT IDENTIFIER,
///     response       OCTET STRING }
///
/// BasicOCSPResponse       ::= SEQUENCE {
///    tbsResponseData      ResponseData,
///    signatureAlgorithm   AlgorithmIdentifier,
///    signature            BIT STRING,
///    certs            [0] EXPLICIT SEQUENCE OF Certificate OPTIONAL }
///
/// ResponseData ::= SEQUENCE {
///    version              [0] EXPLICIT Version DEFAULT v1,
///    responderID              ResponderID,
///    producedAt               GeneralizedTime,
///    responses                SEQUENCE OF SingleResponse,
///    responseExtensions   [1] EXPLICIT Extensions OPTIONAL }
///
/// ResponderID ::= CHOICE {
///    byName               [1] Name,
///    byKey                [2] KeyHash }
/// ```
///
/// `response` holds the DER of a BasicOCSPResponse (the only responseType accepted); the
/// response extensions are not read.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OcspResponse {
    status: u8,
    tbs: Vec<u8>,
    signature_algorithm: Option<AlgorithmIdentifier>,
    signature: Vec<u8>,
    certificates: Vec<Certificate>,
    produced_at: Option<Time>,
    responses: Vec<SingleResponse>,
}

impl OcspResponse {
    /// Parses a DER OCSPResponse. A response whose status is not `successful` parses (and is
    /// never usable); a successful one must carry a BasicOCSPResponse.
    ///
    /// ```
    /// assert!(notaverify::revocation::OcspResponse::from_der(b"\x30\x03\x0a\x01\x00").is_err());
    /// ```
    pub fn from_der(der: &[u8]) -> Result<Self, RevocationError> {
        if der.len() > MAX_OCSP_RESPONSE_BYTES {
            return Err(RevocationError::TooLarge {
                what: "OCSP response",
                limit: MAX_OCSP_RESPONSE_BYTES,
                actual: der.len(),
            });
        }
        read_all(der, Rules::EncodingAsn1)
            .map_err(|m: Malformed| RevocationError::Malformed { what: "OCSP response", reason: m.0.into() })
    }

    /// Whether some single response names `cert` (serial number and issuer hashes).
    pub(crate) fn covers(&self, cert: &Certificate, issuer: &Certificate) -> bool {
        self.singles_for(cert, issuer).next().is_some()
    }

    fn singles_for<'s>(
        &'s self,
        cert: &'s Certificate,
        issuer: &'s Certificate,
    ) -> impl Iterator<Item = &'s SingleResponse> + 's {
        let key = issuer.subject_public_key();
        self.responses.iter().filter(move |r| {
            let Some(hash) = r.hash_algorithm.hash(true) else { return false };
            r.serial == cert.raw_serial()
                && r.issuer_name_hash == crypto::digest(hash, issuer.raw_subject())
                && r.issuer_key_hash == crypto::digest(hash, key)
        })
    }

    /// Checks the response for `cert` issued by `issuer` at time `at`: one answer per single
    /// response that names the certificate (a response may repeat it; every one counts), with
    /// the invalidity-date rule applied to a revoked status. A response-wide problem (status,
    /// signer, signature) is one error.
    pub(crate) fn answers_for(
        &self,
        cert: &Certificate,
        issuer: &Certificate,
        signing_time: Option<Time>,
        at: Time,
    ) -> Vec<Result<Answer, RevocationError>> {
        let produced_at = match self.check_response(issuer, at) {
            Ok(produced_at) => produced_at,
            Err(e) => return vec![Err(e)],
        };
        self.singles_for(cert, issuer)
            .map(|single| single.status_at(signing_time, at).map(|status| Answer { produced_at, status }))
            .collect()
    }

    /// The response as a whole: successful, produced at a stated time, signed by an authorised
    /// responder. Returns its producedAt.
    fn check_response(&self, issuer: &Certificate, at: Time) -> Result<Time, RevocationError> {
        if self.status != 0 {
            return Err(RevocationError::Invalid(format!("OCSP response status is {} (not successful)", self.status)));
        }
        let produced_at =
            self.produced_at.ok_or_else(|| RevocationError::Invalid("OCSP response has no producedAt".into()))?;
        self.check_signer(issuer, at)?;
        Ok(produced_at)
    }

    /// The response must be signed by the issuer itself, or by a responder certificate that the
    /// issuer issued for OCSP signing (EKU id-kp-OCSPSigning) and that is valid at `at`.
    fn check_signer(&self, issuer: &Certificate, at: Time) -> Result<(), RevocationError> {
        let invalid = |m: String| RevocationError::Invalid(m);
        let signer = match self.certificates.first() {
            Some(responder) if responder != issuer => {
                if responder.raw_issuer() != issuer.raw_subject() || responder.check_signature_from(issuer).is_err() {
                    return Err(invalid(format!(
                        "OCSP responder {:?} is not issued by {:?}",
                        responder.subject(),
                        issuer.subject()
                    )));
                }
                let delegated =
                    responder.extended_key_usage().is_some_and(|eku| eku.purposes.contains(&Purpose::OcspSigning));
                if !delegated {
                    return Err(invalid(format!(
                        "OCSP responder {:?} lacks the OCSPSigning extended key usage",
                        responder.subject()
                    )));
                }
                if at < responder.not_before() || at > responder.not_after() {
                    return Err(invalid(format!("OCSP responder {:?} is not valid at {at}", responder.subject())));
                }
                responder
            }
            _ => issuer,
        };
        let algorithm =
            self.signature_algorithm.as_ref().ok_or_else(|| invalid("missing signature algorithm".into()))?;
        let scheme = scheme_for(algorithm, signer.public_key(), true)
            .ok_or_else(|| invalid(format!("unsupported OCSP signature algorithm {}", algorithm.oid)))?;
        crypto::verify(scheme, signer.public_key(), &self.tbs, &self.signature).map_err(|_| {
            invalid(format!("bad OCSP signature: it does not verify with the key of {:?}", signer.subject()))
        })
    }
}

impl SingleResponse {
    /// The status at time `at`, if the single response is in date and has no unsupported
    /// critical extension.
    fn status_at(&self, signing_time: Option<Time>, at: Time) -> Result<CertStatus, RevocationError> {
        let invalid = |m: String| RevocationError::Invalid(m);
        if let Some(oid) = &self.critical_extension {
            return Err(invalid(format!("unsupported critical extension {oid}")));
        }
        if at < self.this_update {
            return Err(invalid(format!("OCSP response is not yet valid: thisUpdate is {}", self.this_update)));
        }
        match self.next_update {
            None => return Err(invalid("OCSP response has no nextUpdate; it is treated as expired".into())),
            Some(next) if at > next => return Err(invalid(format!("expired OCSP response: nextUpdate is {next}"))),
            Some(_) => {}
        }
        Ok(match self.status {
            CertStatus::Revoked => match (self.invalidity_date, signing_time) {
                (Some(invalid_from), Some(signed)) if signed < invalid_from => CertStatus::Good,
                _ => CertStatus::Revoked,
            },
            status => status,
        })
    }
}

impl<'a> FromDer<'a> for OcspResponse {
    const WHAT: &'static str = "malformed OCSP response";

    fn from_der(reader: &mut Reader<'a>) -> Result<Self, Malformed> {
        let bad = Malformed(Self::WHAT);
        let mut outer = reader.read_element(tag::SEQUENCE).ok_or(bad)?.reader();
        let status = match outer.read(tag::ENUMERATED).ok_or(bad)? {
            [s] if *s <= 6 => *s,
            _ => return Err(bad),
        };
        let mut response = Self {
            status,
            tbs: Vec::new(),
            signature_algorithm: None,
            signature: Vec::new(),
            certificates: Vec::new(),
            produced_at: None,
            responses: Vec::new(),
        };
        let Some(response_bytes) = outer.read_optional(tag::context_constructed(0)).ok_or(bad)? else {
            return if status != 0 && outer.is_empty() { Ok(response) } else { Err(bad) };
        };
        let mut response_bytes = response_bytes.reader().read_element(tag::SEQUENCE).ok_or(bad)?.reader();
        if !response_bytes.read_oid().ok_or(bad)?.is(&oid::OCSP_BASIC) {
            return Err(bad);
        }
        let basic_der = response_bytes.read(tag::OCTET_STRING).ok_or(bad)?;

        let mut basic = Reader::with_rules(basic_der, Rules::EncodingAsn1);
        let mut basic_fields = basic.read_element(tag::SEQUENCE).ok_or(bad)?.reader();
        if !basic.is_empty() {
            return Err(bad);
        }
        let tbs = basic_fields.read_element(tag::SEQUENCE).ok_or(bad)?;
        response.tbs = tbs.whole.to_vec();
        response.signature_algorithm = Some(basic_fields.read_value().map_err(|_| bad)?);
        response.signature = basic_fields.read_bit_string().and_then(|b| b.whole_bytes()).ok_or(bad)?.to_vec();
        if let Some(mut certs) = basic_fields.read_explicit_optional(0).ok_or(bad)? {
            let mut list = certs.read_element(tag::SEQUENCE).ok_or(bad)?.reader();
            while !list.is_empty() {
                let cert = list.read_any().ok_or(bad)?;
                if response.certificates.len() >= MAX_CHAIN_CERTIFICATES {
                    return Err(bad);
                }
                response.certificates.push(Certificate::from_der(cert.whole).map_err(|_| bad)?);
            }
        }

        let mut data = tbs.reader();
        if let Some(mut version) = data.read_explicit_optional(0).ok_or(bad)?
            && version.read_i64() != Some(0)
        {
            return Err(bad);
        }
        let responder = data.read_any().ok_or(bad)?;
        if responder.tag != tag::context_constructed(1) && responder.tag != tag::context_constructed(2) {
            return Err(bad);
        }
        response.produced_at = Some(data.read_element(tag::GENERALIZED_TIME).and_then(|t| t.time()).ok_or(bad)?);
        response.responses = data.read_element(tag::SEQUENCE).ok_or(bad)?.reader().read_all_values()?;
        Ok(response)
    }
}

impl<'a> FromDer<'a> for SingleResponse {
    const WHAT: &'static str = "malformed OCSP response";

    fn from_der(reader: &mut Reader<'a>) -> Result<Self, Malformed> {
        let bad = Malformed(Self::WHAT);
        let generalized_time = |reader: &mut Reader<'_>| reader.read_element(tag::GENERALIZED_TIME)?.time();
        let mut fields = reader.read_element(tag::SEQUENCE).ok_or(bad)?.reader();
        let mut cert_id = fields.read_element(tag::SEQUENCE).ok_or(bad)?.reader();
        let hash_algorithm = cert_id.read_value().map_err(|_| bad)?;
        let issuer_name_hash = cert_id.read(tag::OCTET_STRING).ok_or(bad)?.to_vec();
        let issuer_key_hash = cert_id.read(tag::OCTET_STRING).ok_or(bad)?.to_vec();
        let serial = cert_id.read_integer_bytes().ok_or(bad)?.to_vec();
        let status_element = fields.read_any().ok_or(bad)?;
        let status = match status_element.tag {
            t if t == tag::context(0) => CertStatus::Good,
            t if t == tag::context_constructed(1) => {
                generalized_time(&mut status_element.reader()).ok_or(bad)?;
                CertStatus::Revoked
            }
            t if t == tag::context(2) => CertStatus::Unknown,
            _ => return Err(bad),
        };
        let this_update = generalized_time(&mut fields).ok_or(bad)?;
        let next_update = match fields.read_explicit_optional(0).ok_or(bad)? {
            Some(mut explicit) => Some(generalized_time(&mut explicit).ok_or(bad)?),
            None => None,
        };
        let mut single = Self {
            hash_algorithm,
            issuer_name_hash,
            issuer_key_hash,
            serial,
            status,
            this_update,
            next_update,
            invalidity_date: None,
            critical_extension: None,
        };
        if let Some(mut explicit) = fields.read_explicit_optional(1).ok_or(bad)? {
            let list = explicit.read_element(tag::SEQUENCE).ok_or(bad)?;
            let critical = read_extensions(list, |extension| {
                if extension.oid.is(&oid::INVALIDITY_DATE) {
                    single.invalidity_date = Some(read_all(extension.value, Rules::EncodingAsn1)?);
                }
                Ok::<_, Malformed>(false)
            })
            .map_err(|_| bad)?;
            single.critical_extension = critical.map(|oid| oid.to_dotted());
        }
        Ok(single)
    }
}
