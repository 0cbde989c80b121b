//! Timestamp verification: the message imprint, the signer's certificate via ESSCertIDv2, the
//! TSA chain built to a `tsa` root at the token's time (Go's `x509.Verify` with the
//! timestamping EKU), the CMS signature over the signed attributes, and the attributes.

use super::TimestampError;
use super::der::{AlgorithmIdentifier, Tlv, hash_from_oid, open, tag};
use super::token::{BASELINE_POLICY, SignerInfo, TimestampToken, TstInfo};
use crate::Time;
use crate::crypto::{self, HashAlgorithm};
use crate::limits::{MAX_CHAIN_CERTIFICATES, MAX_PATH_SIGNATURE_CHECKS};
use crate::x509::Certificate;
use const_oid::ObjectIdentifier;

const SIGNING_CERTIFICATE_V2: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.113549.1.9.16.2.47");
const CONTENT_TYPE: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.113549.1.9.3");
const MESSAGE_DIGEST: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.113549.1.9.4");
const SIGNING_TIME: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.113549.1.9.5");
const EXTENDED_KEY_USAGE: ObjectIdentifier = ObjectIdentifier::new_unwrap("2.5.29.37");
const TIME_STAMPING: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.3.6.1.5.5.7.3.8");
const ANY_EXTENDED_KEY_USAGE: ObjectIdentifier = ObjectIdentifier::new_unwrap("2.5.29.37.0");
/// Extensions Go's certificate parser handles; any other critical one fails `x509.Verify`.
const HANDLED_EXTENSIONS: [ObjectIdentifier; 13] = [
    ObjectIdentifier::new_unwrap("2.5.29.15"),
    ObjectIdentifier::new_unwrap("2.5.29.19"),
    ObjectIdentifier::new_unwrap("2.5.29.17"),
    ObjectIdentifier::new_unwrap("2.5.29.30"),
    ObjectIdentifier::new_unwrap("2.5.29.31"),
    ObjectIdentifier::new_unwrap("2.5.29.35"),
    ObjectIdentifier::new_unwrap("2.5.29.37"),
    ObjectIdentifier::new_unwrap("2.5.29.14"),
    ObjectIdentifier::new_unwrap("2.5.29.32"),
    ObjectIdentifier::new_unwrap("1.3.6.1.5.5.7.1.1"),
    ObjectIdentifier::new_unwrap("2.5.29.33"),
    ObjectIdentifier::new_unwrap("2.5.29.36"),
    ObjectIdentifier::new_unwrap("2.5.29.54"),
];

/// A validated timestamp: the TSA's time and its accuracy.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Timestamp {
    /// The TSTInfo genTime.
    pub gen_time: Time,
    /// The accuracy in nanoseconds (1 s under the RFC 3628 baseline policy when none is given).
    pub accuracy_nanos: i128,
}

impl Timestamp {
    /// The earliest time the token may have been made.
    pub fn earliest(&self) -> Time {
        self.gen_time.saturating_add_nanos(-self.accuracy_nanos)
    }

    /// The latest time the token may have been made.
    pub fn latest(&self) -> Time {
        self.gen_time.saturating_add_nanos(self.accuracy_nanos)
    }

    /// Whether the whole range is at or before `t` (tspclient-go's `BoundedBefore`).
    pub fn bounded_before(&self, t: Time) -> bool {
        self.latest() <= t
    }

    /// Whether the whole range is at or after `t` (tspclient-go's `BoundedAfter`).
    pub fn bounded_after(&self, t: Time) -> bool {
        self.earliest() >= t
    }
}

impl TstInfo {
    /// Checks the version and that the message imprint is the hash of `message` (SHA-256/384/512
    /// as the imprint names it), and returns the time with its accuracy.
    pub fn validate(&self, message: &[u8]) -> Result<Timestamp, TimestampError> {
        if self.version != 1 {
            return Err(TimestampError::TstInfoVersion(self.version));
        }
        let hash = hash_from_oid(&self.imprint_algorithm.oid, false)
            .ok_or_else(|| TimestampError::UnrecognizedHashAlgorithm(self.imprint_algorithm.dotted()))?;
        if crypto::digest(hash, message) != self.hashed_message {
            return Err(TimestampError::MismatchedMessage);
        }
        let (seconds, millis, micros) = self.accuracy;
        let accuracy_nanos = if (seconds, millis, micros) == (0, 0, 0) && self.policy_oid == BASELINE_POLICY {
            1_000_000_000
        } else {
            i128::from(seconds) * 1_000_000_000 + i128::from(millis) * 1_000_000 + i128::from(micros) * 1_000
        };
        Ok(Timestamp { gen_time: self.gen_time, accuracy_nanos })
    }
}

impl TimestampToken {
    /// Verifies the token against `roots` (the `tsa` trust-store certificates) at its own
    /// genTime, as notation does, and returns the TSA chain (signing certificate first).
    pub fn verify(&self, roots: &[Certificate]) -> Result<Vec<Certificate>, TimestampError> {
        let at = self.tst_info()?.gen_time;
        self.verify_at(roots, at)
    }

    /// [`TimestampToken::verify`] with the chain validated at `at`. Signers are tried in
    /// order; the first that passes every check wins, otherwise the last error is returned.
    pub fn verify_at(&self, roots: &[Certificate], at: Time) -> Result<Vec<Certificate>, TimestampError> {
        if self.signer_infos.is_empty() {
            return Err(TimestampError::NoSignerInfo);
        }
        if roots.is_empty() {
            return Err(TimestampError::NoRoots);
        }
        let mut last = TimestampError::NoSignerInfo;
        for signer in &self.signer_infos {
            match self.verify_signer(signer, roots, at) {
                Ok(chain) => return Ok(chain),
                Err(e) => last = e,
            }
        }
        Err(last)
    }

    fn verify_signer(
        &self,
        signer: &SignerInfo,
        roots: &[Certificate],
        at: Time,
    ) -> Result<Vec<Certificate>, TimestampError> {
        let cert = self.signing_certificate(signer)?;
        if signer.version != 1 {
            return Err(TimestampError::SignerInfoVersion(signer.version));
        }
        let chain = build_chain(cert, self.certificates(), roots, at).map_err(TimestampError::Chain)?;
        let scheme = super::der::cms_scheme(&signer.digest_algorithm, &signer.signature_algorithm, cert.public_key())
            .ok_or(TimestampError::UnknownSignatureAlgorithm)?;
        let signed: &[u8] =
            if signer.signed_attributes_der.is_empty() { self.content() } else { &signer.signed_attributes_der };
        crypto::verify(scheme, cert.public_key(), signed, &signer.signature)
            .map_err(|_| TimestampError::BadSignature)?;
        self.check_signed_attributes(signer, &chain)?;
        check_timestamping_eku(cert)?;
        Ok(chain)
    }

    /// The certificate the signingCertificateV2 attribute names (tspclient-go's
    /// `SigningCertificate`): by its IssuerSerial if present, else by the SignerInfo's sid; its
    /// hash must match.
    fn signing_certificate(&self, signer: &SignerInfo) -> Result<&Certificate, TimestampError> {
        let value = signer
            .signed_attributes
            .iter()
            .find(|a| a.oid == SIGNING_CERTIFICATE_V2)
            .ok_or_else(|| TimestampError::SigningCertificateV2("attribute not found".into()))?
            .first_value
            .as_deref()
            .ok_or_else(|| TimestampError::SigningCertificateV2("attribute has no value".into()))?;
        let syntax = || TimestampError::SigningCertificateV2("asn1: syntax error".into());
        let mut fields = open(value, tag::SEQUENCE).ok_or_else(syntax)?;
        let certs = fields.expect(tag::SEQUENCE).ok_or_else(syntax)?.items().collect_all().ok_or_else(syntax)?;
        let first = certs.first().ok_or(TimestampError::SigningCertificateV2Empty)?;
        let id = EssCertIdV2::parse(first).ok_or_else(syntax)?;
        let candidate = match &id.issuer_serial {
            Some((None, _)) => return Err(TimestampError::IssuerNameMissing),
            Some((Some(issuer), serial)) => self.certificate_by_issuer_serial(issuer, serial),
            None => self.certificate_by_issuer_serial(&signer.issuer, &signer.serial),
        };
        let cert = candidate.ok_or(TimestampError::SigningCertificateNotFound)?;
        let hash = match &id.hash_algorithm {
            None => HashAlgorithm::Sha256,
            Some(ai) => ai.hash(false).ok_or(TimestampError::UnsupportedCertHashAlgorithm)?,
        };
        if crypto::digest(hash, cert.der()) != id.cert_hash {
            return Err(TimestampError::CertHashMismatch);
        }
        Ok(cert)
    }

    fn check_signed_attributes(&self, signer: &SignerInfo, chain: &[Certificate]) -> Result<(), TimestampError> {
        let fail = |m: &str| TimestampError::SignedAttributes(m.to_owned());
        if signer.signed_attributes.is_empty() {
            return Err(fail("missing signed attributes"));
        }
        let get = |oid: ObjectIdentifier| {
            signer.signed_attributes.iter().find(|a| a.oid == oid).and_then(|a| a.first_value.as_deref())
        };
        let content_type =
            get(CONTENT_TYPE).and_then(Tlv::parse).and_then(|t| t.oid()).ok_or_else(|| fail("invalid content type"))?;
        if content_type != *self.content_type() {
            return Err(fail(&format!(
                "mismatch content type: found {content_type} in signer info, and {} in signed data",
                self.content_type()
            )));
        }
        let expected = get(MESSAGE_DIGEST)
            .and_then(Tlv::parse)
            .filter(|t| t.tag == tag::OCTET_STRING)
            .ok_or_else(|| fail("invalid message digest"))?;
        let hash = signer.digest_algorithm.hash(false).ok_or_else(|| fail("unsupported digest algorithm"))?;
        if crypto::digest(hash, self.content()) != expected.value {
            return Err(fail("mismatch message digest"));
        }
        if let Some(value) = get(SIGNING_TIME) {
            let signing_time = Tlv::parse(value).and_then(|t| t.time()).ok_or_else(|| fail("invalid signing time"))?;
            if chain.iter().any(|c| signing_time < c.not_before() || signing_time > c.not_after()) {
                return Err(fail(&format!("signing time, {signing_time}, is outside certificate's validity period")));
            }
        }
        Ok(())
    }
}

/// ESSCertIDv2 (RFC 5035): hash algorithm (default SHA-256), hash, optional IssuerSerial whose
/// issuer is taken from the first GeneralName when it is a directoryName.
struct EssCertIdV2 {
    hash_algorithm: Option<AlgorithmIdentifier>,
    cert_hash: Vec<u8>,
    issuer_serial: Option<(Option<Vec<u8>>, Vec<u8>)>,
}

impl EssCertIdV2 {
    fn parse(tlv: &Tlv<'_>) -> Option<Self> {
        if tlv.tag != tag::SEQUENCE {
            return None;
        }
        let mut fields = tlv.items();
        let hash_algorithm = match fields.optional(tag::SEQUENCE)? {
            Some(ai) => Some(AlgorithmIdentifier::parse(&ai)?),
            None => None,
        };
        let cert_hash = fields.expect(tag::OCTET_STRING)?.value.to_vec();
        let issuer_serial = match fields.optional(tag::SEQUENCE)? {
            Some(is) => {
                let mut parts = is.items();
                let names = parts.expect(tag::SEQUENCE)?;
                let serial = parts.expect(tag::INTEGER)?.integer_bytes()?.to_vec();
                let directory_name = match names.items().next_tlv() {
                    Some(first) if first.tag == tag::constructed(4) => {
                        Some(first.items().expect(tag::SEQUENCE)?.whole.to_vec())
                    }
                    _ => None,
                };
                Some((directory_name, serial))
            }
            None => None,
        };
        Some(EssCertIdV2 { hash_algorithm, cert_hash, issuer_serial })
    }
}

/// One extension of a certificate: OID, criticality, value.
pub(crate) struct CertExtension {
    pub(crate) oid: ObjectIdentifier,
    pub(crate) critical: bool,
    pub(crate) value: Vec<u8>,
}

/// The extensions of a (parsed, hence well-formed) certificate.
pub(crate) fn certificate_extensions(cert: &Certificate) -> Vec<CertExtension> {
    fn read(der: &[u8]) -> Option<Vec<CertExtension>> {
        let mut outer = open(der, tag::SEQUENCE)?;
        let mut tbs = outer.expect(tag::SEQUENCE)?.items();
        let mut out = Vec::new();
        while let Some(field) = tbs.next_tlv() {
            if field.tag != tag::constructed(3) {
                continue;
            }
            for ext in field.items().expect(tag::SEQUENCE)?.items().collect_all()? {
                let mut parts = ext.items();
                let oid = parts.next_tlv()?.oid()?;
                let critical = match parts.optional(tag::BOOLEAN)? {
                    Some(b) => b.value == [0xff],
                    None => false,
                };
                let value = parts.expect(tag::OCTET_STRING)?.value.to_vec();
                out.push(CertExtension { oid, critical, value });
            }
        }
        Some(out)
    }
    read(cert.der()).unwrap_or_default()
}

/// The extended key usage OIDs and criticality, if the extension is present.
pub(crate) fn extended_key_usage(cert: &Certificate) -> Option<(Vec<ObjectIdentifier>, bool)> {
    let ext = certificate_extensions(cert).into_iter().find(|e| e.oid == EXTENDED_KEY_USAGE)?;
    let oids = Tlv::parse(&ext.value)
        .filter(|t| t.tag == tag::SEQUENCE)
        .and_then(|t| t.items().collect_all())
        .unwrap_or_default()
        .iter()
        .filter_map(Tlv::oid)
        .collect();
    Some((oids, ext.critical))
}

/// RFC 3161 §2.3 as tspclient-go checks it: the only purpose is timeStamping, and the
/// extension is critical.
fn check_timestamping_eku(cert: &Certificate) -> Result<(), TimestampError> {
    match extended_key_usage(cert) {
        Some((oids, critical)) if oids == [TIME_STAMPING] => {
            if critical {
                Ok(())
            } else {
                Err(TimestampError::ExtendedKeyUsageNotCritical)
            }
        }
        _ => Err(TimestampError::ExtendedKeyUsage),
    }
}

/// Go's `isValid` for one certificate of a candidate chain: no unhandled critical extension and
/// valid at `at`.
fn usable_at(cert: &Certificate, at: Time) -> Result<(), String> {
    if let Some(ext) = certificate_extensions(cert).iter().find(|e| e.critical && !HANDLED_EXTENSIONS.contains(&e.oid))
    {
        return Err(format!("x509: unhandled critical extension ({})", ext.oid));
    }
    if at < cert.not_before() || at > cert.not_after() {
        return Err(format!(
            "x509: certificate has expired or is not yet valid: current time {at} is outside [{}, {}] of {:?}",
            cert.not_before(),
            cert.not_after(),
            cert.subject()
        ));
    }
    Ok(())
}

/// Whether every certificate of the chain that has an extended key usage allows timeStamping
/// (Go's `checkChainForKeyUsage` with `[timeStamping]`).
fn chain_allows_timestamping(chain: &[Certificate]) -> bool {
    chain.iter().all(|c| match extended_key_usage(c) {
        None => true,
        Some((oids, _)) => oids.contains(&TIME_STAMPING) || oids.contains(&ANY_EXTENDED_KEY_USAGE),
    })
}

struct Builder<'a> {
    intermediates: &'a [Certificate],
    roots: &'a [Certificate],
    at: Time,
    signature_checks: usize,
    last_error: Option<String>,
}

/// Go's `x509.Verify` path building, restricted to what notation's TSA check needs: parents
/// by byte-equal subject/issuer names, roots before intermediates, each candidate a CA whose
/// signature verifies (SHA-1 and MD5 refused), valid at `at`, within its path length, with no
/// unhandled critical extension, and the chain allowing timeStamping.
pub(crate) fn build_chain(
    leaf: &Certificate,
    intermediates: &[Certificate],
    roots: &[Certificate],
    at: Time,
) -> Result<Vec<Certificate>, String> {
    usable_at(leaf, at)?;
    if roots.contains(leaf) {
        let chain = vec![leaf.clone()];
        return if chain_allows_timestamping(&chain) {
            Ok(chain)
        } else {
            Err("x509: certificate specifies an incompatible key usage".into())
        };
    }
    let mut builder = Builder { intermediates, roots, at, signature_checks: 0, last_error: None };
    let mut chain = vec![leaf.clone()];
    if let Some(found) = builder.extend(&mut chain) {
        return Ok(found);
    }
    Err(builder.last_error.unwrap_or_else(|| "x509: certificate signed by unknown authority".into()))
}

impl Builder<'_> {
    fn extend(&mut self, chain: &mut Vec<Certificate>) -> Option<Vec<Certificate>> {
        let current = chain.last()?.clone();
        let below = chain.len().saturating_sub(1);
        for (candidate, is_root) in
            self.roots.iter().map(|c| (c, true)).chain(self.intermediates.iter().map(|c| (c, false)))
        {
            if candidate.raw_subject() != current.raw_issuer() || chain.contains(candidate) {
                continue;
            }
            if !is_root && self.roots.contains(candidate) {
                continue;
            }
            if chain.len() >= MAX_CHAIN_CERTIFICATES || self.signature_checks >= MAX_PATH_SIGNATURE_CHECKS {
                self.last_error = Some("x509: too many intermediates for path length constraint".into());
                return None;
            }
            if let Err(e) = usable_at(candidate, self.at) {
                self.last_error = Some(e);
                continue;
            }
            if candidate
                .basic_constraints()
                .and_then(|bc| bc.path_len)
                .is_some_and(|max| u64::try_from(below).unwrap_or(u64::MAX) > max)
            {
                self.last_error = Some("x509: too many intermediates for path length constraint".into());
                continue;
            }
            self.signature_checks += 1;
            if current.check_signature_from(candidate).is_err() {
                continue;
            }
            chain.push(candidate.clone());
            if is_root {
                if chain_allows_timestamping(chain) {
                    return Some(chain.clone());
                }
                self.last_error = Some("x509: certificate specifies an incompatible key usage".into());
            } else if let Some(found) = self.extend(chain) {
                return Some(found);
            }
            chain.pop();
        }
        None
    }
}
