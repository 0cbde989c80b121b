//! One parsed certificate, accepted and rejected as Go's `x509.ParseCertificate` does.

use super::extensions::{BasicConstraints, ExtendedKeyUsage, Extensions, KeyUsage, key_usage};
use super::public_key::parse_public_key;
use super::signature::SignatureAlgorithm;
use super::{CertificateError, LinkProblem, name};
use crate::asn1::{Reader, tag};
use crate::crypto::{self, HashAlgorithm, PublicKey};
use crate::{Time, limits};
use std::fmt;
use std::ops::Range;
use std::sync::{Arc, OnceLock};

/// An X.509 certificate: its DER bytes and the fields notation's rules read.
///
/// Equality, hashing and ordering are by DER bytes, the comparison notation uses for trust.
/// Clones share one parsed form: a CA the link cache hands out for every new leaf under it is
/// not copied, and has its fingerprint and names computed once, not once per copy.
#[derive(Clone)]
pub struct Certificate(Arc<Parsed>);

struct Parsed {
    der: Vec<u8>,
    tbs: Range<usize>,
    serial: Range<usize>,
    issuer: Range<usize>,
    subject: Range<usize>,
    spki: Range<usize>,
    signature: Vec<u8>,
    signature_algorithm: SignatureAlgorithm,
    version: u8,
    not_before: Time,
    not_after: Time,
    public_key: PublicKey,
    extensions: Extensions,
    derived: Derived,
}

/// What is computed from a certificate's DER on first use (a function of the bytes alone).
#[derive(Default)]
struct Derived {
    /// Most verifications never print a name.
    subject_name: OnceLock<String>,
    issuer_name: OnceLock<String>,
    /// Trust-store lookups and the reported fingerprint need it.
    sha256: OnceLock<[u8; 32]>,
}

impl Certificate {
    /// Parses one DER certificate (no trailing bytes), with Go's `x509.ParseCertificate` rules.
    ///
    /// ```
    /// assert!(notaverify::Certificate::from_der(b"not a certificate").is_err());
    /// ```
    pub fn from_der(der: &[u8]) -> Result<Self, CertificateError> {
        if der.len() > limits::MAX_CERTIFICATE_BYTES {
            return Err(CertificateError::TooLarge {
                index: None,
                limit: limits::MAX_CERTIFICATE_BYTES,
                actual: der.len(),
            });
        }
        parse(der).map_err(|reason| CertificateError::Malformed { index: None, reason })
    }

    /// The DER encoding.
    pub fn der(&self) -> &[u8] {
        &self.0.der
    }

    /// The subject as Go's `pkix.Name.String()` prints it (what notation matches identities on).
    pub fn subject(&self) -> String {
        self.0.derived.subject_name.get_or_init(|| render_validated(self.raw_subject())).clone()
    }

    /// The issuer as Go's `pkix.Name.String()` prints it.
    pub fn issuer(&self) -> String {
        self.0.derived.issuer_name.get_or_init(|| render_validated(self.raw_issuer())).clone()
    }

    /// Lower-case hex SHA-256 of the DER encoding.
    pub fn sha256_fingerprint(&self) -> String {
        crypto::hex(self.sha256())
    }

    /// Start of the validity period.
    pub fn not_before(&self) -> Time {
        self.0.not_before
    }

    /// End of the validity period.
    pub fn not_after(&self) -> Time {
        self.0.not_after
    }

    /// The serial number's DER content bytes in lower-case hex.
    pub fn serial_hex(&self) -> String {
        crypto::hex(self.raw_serial())
    }

    /// Whether basicConstraints is present with `cA` true (Go's `IsCA`).
    pub fn is_ca(&self) -> bool {
        self.0.extensions.basic_constraints.is_some_and(|bc| bc.ca)
    }

    /// The DER TBSCertificate: the bytes the issuer signed.
    pub fn tbs_certificate(&self) -> &[u8] {
        self.slice(&self.0.tbs)
    }

    /// The issuer's signature over [`Certificate::tbs_certificate`], its bits right-aligned as
    /// Go reads them.
    pub fn signature_value(&self) -> &[u8] {
        &self.0.signature
    }

    /// The subjectPublicKey bits: a PKCS #1 RSAPublicKey or an EC point. A certificate that
    /// parsed has a whole number of bytes here.
    pub fn subject_public_key(&self) -> &[u8] {
        let mut spki = Reader::new(self.raw_spki()).read_element(tag::SEQUENCE).map(|e| e.reader());
        spki.as_mut()
            .and_then(|info| {
                info.read_element(tag::SEQUENCE)?;
                info.read_bit_string()?.whole_bytes()
            })
            .unwrap_or_default()
    }

    pub(crate) fn public_key(&self) -> &PublicKey {
        &self.0.public_key
    }

    pub(crate) fn raw_subject(&self) -> &[u8] {
        self.slice(&self.0.subject)
    }

    pub(crate) fn raw_issuer(&self) -> &[u8] {
        self.slice(&self.0.issuer)
    }

    /// The serial number INTEGER's content bytes.
    pub(crate) fn raw_serial(&self) -> &[u8] {
        self.slice(&self.0.serial)
    }

    /// The DER SubjectPublicKeyInfo.
    pub(crate) fn raw_spki(&self) -> &[u8] {
        self.slice(&self.0.spki)
    }

    pub(crate) fn sha256(&self) -> &[u8; 32] {
        self.0.derived.sha256.get_or_init(|| sha256_of(&self.0.der))
    }

    pub(crate) fn ocsp_urls(&self) -> &[String] {
        &self.0.extensions.ocsp_urls
    }

    pub(crate) fn crl_distribution_points(&self) -> &[String] {
        &self.0.extensions.crl_distribution_points
    }

    pub(crate) fn has_freshest_crl(&self) -> bool {
        self.0.extensions.has_freshest_crl
    }

    pub(crate) fn basic_constraints(&self) -> Option<BasicConstraints> {
        self.0.extensions.basic_constraints
    }

    pub(crate) fn key_usage(&self) -> Option<KeyUsage> {
        self.0.extensions.key_usage
    }

    pub(crate) fn extended_key_usage(&self) -> Option<&ExtendedKeyUsage> {
        self.0.extensions.extended_key_usage.as_ref()
    }

    /// The first critical extension Go's parser does not handle (dotted), which makes
    /// `x509.Verify` refuse the certificate.
    pub(crate) fn unhandled_critical_extension(&self) -> Option<&str> {
        self.0.extensions.unhandled_critical.as_deref()
    }

    /// Whether the raw subject and issuer names are byte-equal.
    pub(crate) fn is_self_issued(&self) -> bool {
        self.raw_subject() == self.raw_issuer()
    }

    /// Go's `CheckSignatureFrom(issuer)`: the issuer must be allowed to sign certificates (a v3
    /// issuer needs basicConstraints with cA; a keyUsage with any bit set needs keyCertSign), and
    /// the signature must verify with an algorithm other than MD5 or SHA-1.
    pub(crate) fn check_signature_from(&self, issuer: &Self) -> Result<(), LinkProblem> {
        let constraints_forbid = match issuer.0.extensions.basic_constraints {
            None => issuer.0.version == 3,
            Some(bc) => !bc.ca,
        };
        let usage_forbids =
            issuer.key_usage().is_some_and(|ku| ku.bits != 0 && ku.bits & key_usage::KEY_CERT_SIGN == 0);
        if constraints_forbid || usage_forbids {
            return Err(LinkProblem::IssuerCannotSign);
        }
        self.0.signature_algorithm.verify(&issuer.0.public_key, self.tbs_certificate(), &self.0.signature, false)
    }

    /// Go's `isIssuedBy`: [`Certificate::check_signature_from`] and the raw issuer name equal to
    /// the issuer's raw subject name.
    pub(crate) fn issued_by(&self, issuer: &Self) -> Result<(), LinkProblem> {
        self.check_signature_from(issuer)?;
        if self.raw_issuer() == issuer.raw_subject() { Ok(()) } else { Err(LinkProblem::NameMismatch) }
    }

    /// Go's `CheckSignature` with the certificate's own key: no CA constraints, SHA-1 allowed.
    pub(crate) fn check_self_signature(&self) -> Result<(), LinkProblem> {
        self.0.signature_algorithm.verify(&self.0.public_key, self.tbs_certificate(), &self.0.signature, true)
    }

    fn slice(&self, range: &Range<usize>) -> &[u8] {
        self.0.der.get(range.clone()).unwrap_or_default()
    }
}

fn sha256_of(der: &[u8]) -> [u8; 32] {
    crypto::digest(HashAlgorithm::Sha256, der).try_into().unwrap_or([0; 32])
}

/// A certificate's DER with its SHA-256, hashed once for a trust-store lookup
/// ([`crate::TrustStore`] finds certificates by it) and for the certificate parsed from it.
pub(crate) struct HashedDer<'a> {
    der: &'a [u8],
    sha256: [u8; 32],
}

impl<'a> HashedDer<'a> {
    /// None for bytes over [`limits::MAX_CERTIFICATE_BYTES`], which no parser accepts (so they
    /// are not hashed).
    pub(crate) fn new(der: &'a [u8]) -> Option<Self> {
        (der.len() <= limits::MAX_CERTIFICATE_BYTES).then(|| Self { der, sha256: sha256_of(der) })
    }

    pub(crate) fn der(&self) -> &'a [u8] {
        self.der
    }

    pub(crate) fn sha256(&self) -> &[u8; 32] {
        &self.sha256
    }

    /// [`Certificate::from_der`] of these bytes, its fingerprint already computed.
    pub(crate) fn parse(&self) -> Result<Certificate, CertificateError> {
        let certificate = Certificate::from_der(self.der)?;
        // A new certificate's fingerprint is not set yet, so this always sets it.
        let _ = certificate.0.derived.sha256.set(self.sha256);
        Ok(certificate)
    }
}

/// The steps of Go's `parseCertificate`, in its order.
fn parse(der: &[u8]) -> Result<Certificate, String> {
    let malformed = |what: &str| format!("malformed {what}");
    let mut input = Reader::new(der);
    let certificate = input.read_element(tag::SEQUENCE).ok_or_else(|| malformed("certificate"))?;
    if !input.is_empty() {
        return Err("trailing data".into());
    }
    let mut outer = certificate.reader();
    let tbs_element = outer.read_element(tag::SEQUENCE).ok_or_else(|| malformed("tbs certificate"))?;
    let mut tbs = tbs_element.reader();

    let version = match tbs.read_optional(tag::context_constructed(0)).ok_or_else(|| malformed("version"))? {
        Some(explicit) => {
            let mut inner = explicit.reader();
            let v = inner.read_i64().filter(|_| inner.is_empty()).ok_or_else(|| malformed("version"))?;
            match v {
                0..=2 => u8::try_from(v + 1).map_err(|_| malformed("version"))?,
                _ => return Err("invalid version".into()),
            }
        }
        None => 1,
    };
    let serial = tbs.read_element(tag::INTEGER).ok_or_else(|| malformed("serial number"))?;
    match serial.value {
        [] | [0x00, 0x00..=0x7f, ..] | [0xff, 0x80..=0xff, ..] => return Err(malformed("serial number")),
        [first, ..] if first & 0x80 != 0 => return Err("negative serial number".into()),
        _ => {}
    }
    let inner_algorithm = tbs.read(tag::SEQUENCE).ok_or_else(|| malformed("signature algorithm identifier"))?;
    let outer_algorithm = outer.read(tag::SEQUENCE).ok_or_else(|| malformed("algorithm identifier"))?;
    if inner_algorithm != outer_algorithm {
        return Err("inner and outer signature algorithm identifiers don't match".into());
    }
    let signature_algorithm =
        SignatureAlgorithm::from_algorithm_identifier(inner_algorithm).ok_or_else(|| malformed("OID"))?;

    let issuer = tbs.read_element(tag::SEQUENCE).ok_or_else(|| malformed("issuer"))?;
    name::validate(issuer.whole)?;
    let mut validity_reader = tbs.read_element(tag::SEQUENCE).ok_or_else(|| malformed("validity"))?.reader();
    let not_before = validity_reader.read_time().ok_or_else(|| malformed("notBefore time"))?;
    let not_after = validity_reader.read_time().ok_or_else(|| malformed("notAfter time"))?;
    let subject = tbs.read_element(tag::SEQUENCE).ok_or_else(|| malformed("subject"))?;
    name::validate(subject.whole)?;
    let spki = tbs.read_element(tag::SEQUENCE).ok_or_else(|| malformed("spki"))?;
    let public_key = parse_public_key(spki.whole)?;

    let mut extensions = Extensions::default();
    if version > 1 {
        for unique_id in [tag::context(1), tag::context(2)] {
            tbs.read_optional(unique_id).ok_or_else(|| malformed("unique identifier"))?;
        }
        let explicit = if version == 3 {
            tbs.read_optional(tag::context_constructed(3)).ok_or_else(|| malformed("extensions"))?
        } else {
            None
        };
        if let Some(explicit) = explicit {
            extensions = Extensions::parse(explicit)?;
        }
    }

    let signature = outer.read_bit_string().ok_or_else(|| malformed("signature"))?;
    Ok(Certificate(Arc::new(Parsed {
        der: der.to_vec(),
        tbs: tbs_element.range(),
        serial: serial.value_range(),
        issuer: issuer.range(),
        subject: subject.range(),
        spki: spki.range(),
        signature: signature.right_aligned(),
        signature_algorithm,
        version,
        not_before,
        not_after,
        public_key,
        extensions,
        derived: Derived::default(),
    })))
}

impl PartialEq for Certificate {
    fn eq(&self, other: &Self) -> bool {
        self.0.der == other.0.der
    }
}

impl Eq for Certificate {}

impl std::hash::Hash for Certificate {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        self.0.der.hash(state);
    }
}

impl fmt::Debug for Certificate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Certificate")
            .field("subject", &self.subject())
            .field("issuer", &self.issuer())
            .field("sha256", &self.sha256_fingerprint())
            .finish()
    }
}

/// Renders a name that [`name::validate`] accepted when the certificate was parsed.
fn render_validated(raw: &[u8]) -> String {
    name::render(raw).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::x509::test_cert;
    use proptest::prelude::*;

    const LEAF: &[u8] = include_bytes!(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/x509/leaf.der"));

    #[test]
    fn clones_share_what_is_computed_on_first_use() {
        let cert = Certificate::from_der(LEAF).unwrap();
        let copy = cert.clone();
        assert!(copy.0.derived.sha256.get().is_none() && copy.0.derived.subject_name.get().is_none());
        let (fingerprint, subject) = (cert.sha256_fingerprint(), cert.subject());
        // Computed through the original, found by the copy made before.
        assert_eq!(copy.0.derived.sha256.get(), Some(cert.sha256()));
        assert_eq!(copy.0.derived.subject_name.get(), Some(&subject));
        assert_eq!((copy.sha256_fingerprint(), copy.subject()), (fingerprint, subject));
    }

    #[test]
    fn fields_of_a_generated_certificate() {
        let root = test_cert!("root");
        assert_eq!(root.subject(), "CN=Root,O=Notaverify Test,C=US");
        assert_eq!(root.issuer(), root.subject());
        assert_eq!(root.serial_hex(), "03e8");
        assert_eq!(root.not_before().to_rfc3339(), "2020-01-01T00:00:00Z");
        assert_eq!(root.not_after().to_rfc3339(), "2100-01-01T00:00:00Z");
        assert!(root.is_ca() && root.is_self_issued());
        let leaf = test_cert!("leaf");
        assert!(!leaf.is_ca() && !leaf.is_self_issued());
        assert_eq!(leaf.issuer(), "CN=Inter,O=Notaverify Test,C=US");
        assert_eq!(leaf.raw_issuer(), test_cert!("inter").raw_subject());
        assert!(!test_cert!("leaf_ca_false").is_ca());
        assert_eq!(parse_public_key(leaf.raw_spki()).ok().as_ref(), Some(leaf.public_key()));
        let PublicKey::Ec { point, .. } = leaf.public_key() else { panic!("the generated leaf has an EC key") };
        assert_eq!(leaf.subject_public_key(), point.as_slice());
        assert!(leaf.der().windows(leaf.tbs_certificate().len()).any(|w| w == leaf.tbs_certificate()));
    }

    #[test]
    fn subject_uses_go_rendering() {
        assert_eq!(
            test_cert!("self_signed_quirky_name").subject(),
            r"CN=\ lead#,OU=a+OU=b,O=Acme\, Inc.,ST=WA,C=US,1.2.840.113549.1.9.1=#0c03784079"
        );
    }

    #[test]
    fn revocation_pointers() {
        let cert = test_cert!("leaf_revocation");
        assert_eq!(cert.ocsp_urls(), ["http://ocsp.test"]);
        assert_eq!(cert.crl_distribution_points(), ["http://crl.test/a.crl"]);
        assert!(cert.has_freshest_crl());
        let plain = test_cert!("leaf");
        assert!(
            plain.ocsp_urls().is_empty() && plain.crl_distribution_points().is_empty() && !plain.has_freshest_crl()
        );
    }

    #[test]
    fn signature_checks() {
        let (leaf, inter, root) = (test_cert!("leaf"), test_cert!("inter"), test_cert!("root"));
        assert_eq!(leaf.check_signature_from(&inter), Ok(()));
        assert_eq!(inter.check_signature_from(&root), Ok(()));
        assert_eq!(leaf.check_signature_from(&root), Err(LinkProblem::BadSignature));
        assert_eq!(inter.check_signature_from(&leaf), Err(LinkProblem::IssuerCannotSign));
        assert_eq!(root.check_self_signature(), Ok(()));
        assert_eq!(test_cert!("self_signed").check_self_signature(), Ok(()));
        assert!(leaf.check_self_signature().is_err());
    }

    #[test]
    fn rejects_trailing_data_and_oversized_input() {
        let mut trailing = LEAF.to_vec();
        trailing.push(0);
        assert!(matches!(Certificate::from_der(&trailing), Err(CertificateError::Malformed { index: None, .. })));
        let huge = vec![0u8; limits::MAX_CERTIFICATE_BYTES + 1];
        assert!(matches!(Certificate::from_der(&huge), Err(CertificateError::TooLarge { .. })));
    }

    #[test]
    fn every_truncation_is_rejected() {
        for len in 0..LEAF.len() {
            assert!(Certificate::from_der(&LEAF[..len]).is_err(), "prefix of {len} bytes");
        }
    }

    proptest! {
        #[test]
        fn from_der_never_panics_on_random_bytes(bytes in proptest::collection::vec(any::<u8>(), 0..2048)) {
            let _ = Certificate::from_der(&bytes);
        }

        #[test]
        fn from_der_never_panics_on_corrupted_certificates(position in 0..LEAF.len(), value in any::<u8>()) {
            let mut bytes = LEAF.to_vec();
            bytes[position] = value;
            if let Ok(cert) = Certificate::from_der(&bytes) {
                let _ = (cert.subject(), cert.issuer(), cert.check_self_signature());
            }
        }
    }
}
