//! Timestamp verification: the message imprint, the signer's certificate via ESSCertIDv2, the
//! TSA chain built to a `tsa` root at the token's time (Go's `x509.Verify` with the
//! timestamping EKU), the CMS signature over the signed attributes, and the attributes.

use super::TimestampError;
use super::token::{SignerInfo, TimestampToken, TstInfo};
use crate::Time;
use crate::asn1::{Element, FromDer, Malformed, Reader, Rules, read_all, tag};
use crate::crypto::{self, HashAlgorithm};
use crate::limits::{MAX_CHAIN_CERTIFICATES, MAX_PATH_SIGNATURE_CHECKS};
use crate::oid;
use crate::x509::{AlgorithmIdentifier, Certificate, Purpose, cms_scheme};
use const_oid::ObjectIdentifier;

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
        let hash = self
            .imprint_algorithm
            .hash(false)
            .ok_or_else(|| TimestampError::UnrecognizedHashAlgorithm(self.imprint_algorithm.oid.to_string()))?;
        if crypto::digest(hash, message) != self.hashed_message {
            return Err(TimestampError::MismatchedMessage);
        }
        let (seconds, millis, micros) = self.accuracy;
        let accuracy_nanos =
            if (seconds, millis, micros) == (0, 0, 0) && self.policy_oid.is(&oid::BASELINE_TIMESTAMP_POLICY) {
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
        let scheme = cms_scheme(&signer.digest_algorithm, &signer.signature_algorithm, cert.public_key())
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
            .find(|a| a.oid.is(&oid::SIGNING_CERTIFICATE_V2))
            .ok_or_else(|| TimestampError::SigningCertificateV2("attribute not found".into()))?
            .first_value
            .as_deref()
            .ok_or_else(|| TimestampError::SigningCertificateV2("attribute has no value".into()))?;
        let syntax = |_| TimestampError::SigningCertificateV2("asn1: syntax error".into());
        let attribute: SigningCertificateV2<'_> = read_all(value, Rules::EncodingAsn1).map_err(syntax)?;
        let first = attribute.certs.first().ok_or(TimestampError::SigningCertificateV2Empty)?;
        let id: EssCertIdV2 = read_all(first.whole, Rules::EncodingAsn1).map_err(syntax)?;
        let candidate = match &id.issuer_serial {
            Some(IssuerSerial { directory_name: None, .. }) => return Err(TimestampError::IssuerNameMissing),
            Some(IssuerSerial { directory_name: Some(issuer), serial }) => {
                self.certificate_by_issuer_serial(issuer, serial)
            }
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
        let get = |kind: ObjectIdentifier| {
            signer.signed_attributes.iter().find(|a| a.oid.is(&kind)).and_then(|a| a.first_value.as_deref())
        };
        let value = |der| Reader::with_rules(der, Rules::EncodingAsn1).read_any();
        let content_type = get(oid::CONTENT_TYPE)
            .and_then(|der| Reader::with_rules(der, Rules::EncodingAsn1).read_oid())
            .ok_or_else(|| fail("invalid content type"))?;
        if content_type != self.content_type().as_oid() {
            return Err(fail(&format!(
                "mismatch content type: found {} in signer info, and {} in signed data",
                content_type.to_dotted(),
                self.content_type()
            )));
        }
        let expected = get(oid::MESSAGE_DIGEST)
            .and_then(value)
            .filter(|v| v.tag == tag::OCTET_STRING)
            .ok_or_else(|| fail("invalid message digest"))?;
        let hash = signer.digest_algorithm.hash(false).ok_or_else(|| fail("unsupported digest algorithm"))?;
        if crypto::digest(hash, self.content()) != expected.value {
            return Err(fail("mismatch message digest"));
        }
        if let Some(der) = get(oid::SIGNING_TIME) {
            let signing_time = value(der).and_then(|t| t.time()).ok_or_else(|| fail("invalid signing time"))?;
            if chain.iter().any(|c| signing_time < c.not_before() || signing_time > c.not_after()) {
                return Err(fail(&format!("signing time, {signing_time}, is outside certificate's validity period")));
            }
        }
        Ok(())
    }
}

/// RFC 5035 §3 (the policies are not read):
///
/// ```asn1
/// SigningCertificateV2 ::=  SEQUENCE {
///     certs        SEQUENCE OF ESSCertIDv2,
///     policies     SEQUENCE OF PolicyInformation OPTIONAL
/// }
/// ```
struct SigningCertificateV2<'a> {
    /// Every ESSCertIDv2, well-formed as DER elements; only the first is decoded, as
    /// tspclient-go does.
    certs: Vec<Element<'a>>,
}

impl<'a> FromDer<'a> for SigningCertificateV2<'a> {
    const WHAT: &'static str = "signingCertificateV2";

    fn from_der(reader: &mut Reader<'a>) -> Result<Self, Malformed> {
        let bad = Malformed(Self::WHAT);
        let mut fields = reader.read_element(tag::SEQUENCE).ok_or(bad)?.reader();
        let mut list = fields.read_element(tag::SEQUENCE).ok_or(bad)?.reader();
        let mut certs = Vec::new();
        while !list.is_empty() {
            certs.push(list.read_any().ok_or(bad)?);
        }
        Ok(SigningCertificateV2 { certs })
    }
}

/// RFC 5035 §4 (the issuer is taken from the first GeneralName when it is a directoryName):
///
/// ```asn1
/// ESSCertIDv2 ::=  SEQUENCE {
///     hashAlgorithm           AlgorithmIdentifier
///            DEFAULT {algorithm id-sha256},
///     certHash                 Hash,
///     issuerSerial             IssuerSerial OPTIONAL
/// }
///
/// Hash ::= OCTET STRING
///
/// IssuerSerial ::= SEQUENCE {
///     issuer                   GeneralNames,
///     serialNumber             CertificateSerialNumber
/// }
/// ```
struct EssCertIdV2 {
    hash_algorithm: Option<AlgorithmIdentifier>,
    cert_hash: Vec<u8>,
    issuer_serial: Option<IssuerSerial>,
}

struct IssuerSerial {
    /// The Name (DER) of the first GeneralName, when it is a `directoryName [4] Name`.
    directory_name: Option<Vec<u8>>,
    serial: Vec<u8>,
}

impl<'a> FromDer<'a> for EssCertIdV2 {
    const WHAT: &'static str = "ESSCertIDv2";

    fn from_der(reader: &mut Reader<'a>) -> Result<Self, Malformed> {
        let bad = Malformed(Self::WHAT);
        let mut fields = reader.read_element(tag::SEQUENCE).ok_or(bad)?.reader();
        let hash_algorithm = fields.read_optional_value(tag::SEQUENCE)?;
        let cert_hash = fields.read(tag::OCTET_STRING).ok_or(bad)?.to_vec();
        let issuer_serial = match fields.read_optional(tag::SEQUENCE).ok_or(bad)? {
            Some(element) => {
                let mut parts = element.reader();
                let names = parts.read_element(tag::SEQUENCE).ok_or(bad)?;
                let serial = parts.read_integer_bytes().ok_or(bad)?.to_vec();
                let directory_name = match names.reader().read_any() {
                    Some(first) if first.tag == tag::context_constructed(4) => {
                        Some(first.reader().read_element(tag::SEQUENCE).ok_or(bad)?.whole.to_vec())
                    }
                    _ => None,
                };
                Some(IssuerSerial { directory_name, serial })
            }
            None => None,
        };
        Ok(Self { hash_algorithm, cert_hash, issuer_serial })
    }
}

/// RFC 3161 §2.3 as tspclient-go checks it: the only purpose is timeStamping, and the
/// extension is critical.
fn check_timestamping_eku(cert: &Certificate) -> Result<(), TimestampError> {
    match cert.extended_key_usage() {
        Some(eku) if eku.purposes == [Purpose::TimeStamping] => {
            if eku.critical {
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
    if let Some(oid) = cert.unhandled_critical_extension() {
        return Err(format!("x509: unhandled critical extension ({oid})"));
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
    chain.iter().all(|c| match c.extended_key_usage() {
        None => true,
        Some(eku) => eku.purposes.iter().any(|p| matches!(p, Purpose::TimeStamping | Purpose::Any)),
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
