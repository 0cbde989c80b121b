//! OCSP responses (RFC 6960), parsed and checked for one certificate as x/crypto's
//! `ocsp.ParseResponseForCert` and notation-core-go's OCSP checker do, with the responder
//! authorisation of RFC 6960 §4.2.2.2 added (see docs/divergences.md).

use super::RevocationError;
use super::crl::extensions;
use crate::Time;
use crate::crypto;
use crate::limits::{MAX_CHAIN_CERTIFICATES, MAX_OCSP_RESPONSE_BYTES};
use crate::timestamp::der::{AlgorithmIdentifier, Tlv, open, scheme_for, tag};
use crate::x509::Certificate;
use const_oid::ObjectIdentifier;

const OCSP_BASIC: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.3.6.1.5.5.7.48.1.1");
const OCSP_SIGNING: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.3.6.1.5.5.7.3.9");
const INVALIDITY_DATE: ObjectIdentifier = ObjectIdentifier::new_unwrap("2.5.29.24");

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

/// A parsed OCSP response.
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
    pub fn from_der(der: &[u8]) -> Result<OcspResponse, RevocationError> {
        if der.len() > MAX_OCSP_RESPONSE_BYTES {
            return Err(RevocationError::TooLarge {
                what: "OCSP response",
                limit: MAX_OCSP_RESPONSE_BYTES,
                actual: der.len(),
            });
        }
        parse(der).ok_or_else(|| RevocationError::Malformed {
            what: "OCSP response",
            reason: "malformed OCSP response".into(),
        })
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
        let key = subject_public_key(issuer);
        self.responses.iter().filter(move |r| {
            let (Some(key), Some(hash)) = (&key, r.hash_algorithm.hash(true)) else { return false };
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
                let delegated = crate::timestamp::extended_key_usage(responder)
                    .is_some_and(|(oids, _)| oids.contains(&OCSP_SIGNING));
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
            .ok_or_else(|| invalid(format!("unsupported OCSP signature algorithm {}", algorithm.dotted())))?;
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

/// The subjectPublicKey BIT STRING bytes of a certificate (what the issuer key hash covers).
fn subject_public_key(cert: &Certificate) -> Option<Vec<u8>> {
    let mut spki = open(cert.raw_spki(), tag::SEQUENCE)?;
    spki.expect(tag::SEQUENCE)?;
    Some(spki.expect(tag::BIT_STRING)?.bit_string_bytes()?.to_vec())
}

fn parse(der: &[u8]) -> Option<OcspResponse> {
    let mut outer = open(der, tag::SEQUENCE)?;
    let status_tlv = outer.expect(tag::ENUMERATED)?;
    let status = match status_tlv.value {
        [s] if *s <= 6 => *s,
        _ => return None,
    };
    let mut response = OcspResponse {
        status,
        tbs: Vec::new(),
        signature_algorithm: None,
        signature: Vec::new(),
        certificates: Vec::new(),
        produced_at: None,
        responses: Vec::new(),
    };
    let Some(bytes) = outer.optional(tag::constructed(0))? else {
        return (status != 0 && outer.is_empty()).then_some(response);
    };
    let mut response_bytes = bytes.items().expect(tag::SEQUENCE)?.items();
    if response_bytes.next_tlv()?.oid()? != OCSP_BASIC {
        return None;
    }
    let basic_der = response_bytes.expect(tag::OCTET_STRING)?.value;
    let mut basic = open(basic_der, tag::SEQUENCE)?;
    let tbs = basic.expect(tag::SEQUENCE)?;
    response.tbs = tbs.whole.to_vec();
    response.signature_algorithm = Some(AlgorithmIdentifier::parse(&basic.next_tlv()?)?);
    response.signature = basic.expect(tag::BIT_STRING)?.bit_string_bytes()?.to_vec();
    if let Some(certs) = basic.optional(tag::constructed(0))? {
        for cert in certs.items().expect(tag::SEQUENCE)?.items().collect_all()? {
            if response.certificates.len() >= MAX_CHAIN_CERTIFICATES {
                return None;
            }
            response.certificates.push(Certificate::from_der(cert.whole).ok()?);
        }
    }
    let mut data = tbs.items();
    if let Some(version) = data.optional(tag::constructed(0))?
        && version.items().expect(tag::INTEGER)?.i64()? != 0
    {
        return None;
    }
    let responder = data.next_tlv()?;
    if responder.tag != tag::constructed(1) && responder.tag != tag::constructed(2) {
        return None;
    }
    response.produced_at = Some(data.expect(tag::GENERALIZED_TIME)?.time()?);
    for single in data.expect(tag::SEQUENCE)?.items().collect_all()? {
        response.responses.push(parse_single(&single)?);
    }
    Some(response)
}

fn parse_single(tlv: &Tlv<'_>) -> Option<SingleResponse> {
    if tlv.tag != tag::SEQUENCE {
        return None;
    }
    let mut fields = tlv.items();
    let mut cert_id = fields.expect(tag::SEQUENCE)?.items();
    let hash_algorithm = AlgorithmIdentifier::parse(&cert_id.next_tlv()?)?;
    let issuer_name_hash = cert_id.expect(tag::OCTET_STRING)?.value.to_vec();
    let issuer_key_hash = cert_id.expect(tag::OCTET_STRING)?.value.to_vec();
    let serial = cert_id.expect(tag::INTEGER)?.integer_bytes()?.to_vec();
    let status_tlv = fields.next_tlv()?;
    let status = match status_tlv.tag {
        t if t == tag::context(0) => CertStatus::Good,
        t if t == tag::constructed(1) => {
            status_tlv.items().expect(tag::GENERALIZED_TIME)?.time()?;
            CertStatus::Revoked
        }
        t if t == tag::context(2) => CertStatus::Unknown,
        _ => return None,
    };
    let this_update = fields.expect(tag::GENERALIZED_TIME)?.time()?;
    let next_update = match fields.optional(tag::constructed(0))? {
        Some(n) => Some(n.items().expect(tag::GENERALIZED_TIME)?.time()?),
        None => None,
    };
    let mut single = SingleResponse {
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
    if let Some(exts) = fields.optional(tag::constructed(1))? {
        for (oid, critical, value) in extensions(&exts.items().expect(tag::SEQUENCE)?)? {
            if oid == INVALIDITY_DATE {
                single.invalidity_date = Some(Tlv::parse(&value)?.time()?);
            }
            if critical && single.critical_extension.is_none() {
                single.critical_extension = Some(oid.to_string());
            }
        }
    }
    Some(single)
}
