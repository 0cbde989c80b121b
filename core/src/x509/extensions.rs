//! The certificate extensions notation's rules, timestamping and revocation use, parsed with the
//! strictness of Go's `crypto/x509` (a malformed one of these fails the whole certificate, as in
//! Go), and the critical extensions Go does not handle, recorded once for `x509.Verify`'s check.

use crate::asn1::{Element, ExtensionError, Oid, Reader, read_extensions, tag};
use crate::oid;
use const_oid::ObjectIdentifier;

/// The extensions Go's `parseCertificate` handles; any other one marked critical is put in
/// `UnhandledCriticalExtensions`, which fails `x509.Verify` (the timestamping chain's check).
const GO_HANDLED: [ObjectIdentifier; 13] = [
    oid::KEY_USAGE,
    oid::BASIC_CONSTRAINTS,
    oid::SUBJECT_ALT_NAME,
    oid::NAME_CONSTRAINTS,
    oid::CRL_DISTRIBUTION_POINTS,
    oid::AUTHORITY_KEY_IDENTIFIER,
    oid::EXTENDED_KEY_USAGE,
    oid::SUBJECT_KEY_IDENTIFIER,
    oid::CERTIFICATE_POLICIES,
    oid::AUTHORITY_INFO_ACCESS,
    oid::POLICY_MAPPINGS,
    oid::POLICY_CONSTRAINTS,
    oid::INHIBIT_ANY_POLICY,
];

/// Extensions of a typical certificate (basic constraints, key usages, key identifiers, ...),
/// for the capacity of the list duplicates are looked for in.
const TYPICAL_EXTENSIONS: usize = 8;

/// Key usage bits, numbered as in RFC 5280 (Go's `x509.KeyUsage` uses the same bit positions).
pub(crate) mod key_usage {
    pub(crate) const DIGITAL_SIGNATURE: u16 = 1 << 0;
    pub(crate) const KEY_ENCIPHERMENT: u16 = 1 << 2;
    pub(crate) const DATA_ENCIPHERMENT: u16 = 1 << 3;
    pub(crate) const KEY_AGREEMENT: u16 = 1 << 4;
    pub(crate) const KEY_CERT_SIGN: u16 = 1 << 5;
    pub(crate) const CRL_SIGN: u16 = 1 << 6;
    pub(crate) const ENCIPHER_ONLY: u16 = 1 << 7;
    pub(crate) const DECIPHER_ONLY: u16 = 1 << 8;
}

/// The basicConstraints extension.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct BasicConstraints {
    pub(crate) ca: bool,
    /// `pathLenConstraint` when present and not negative (Go treats a negative one as absent).
    pub(crate) path_len: Option<u64>,
}

/// The keyUsage extension: the nine RFC 5280 bits and its criticality.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct KeyUsage {
    pub(crate) bits: u16,
    pub(crate) critical: bool,
}

/// An extended key usage purpose; only those notation's rules name are told apart.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Purpose {
    ServerAuth,
    ClientAuth,
    CodeSigning,
    EmailProtection,
    TimeStamping,
    OcspSigning,
    /// anyExtendedKeyUsage.
    Any,
    Other,
}

/// The extKeyUsage extension, purposes in certificate order.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct ExtendedKeyUsage {
    pub(crate) purposes: Vec<Purpose>,
    pub(crate) critical: bool,
}

/// Everything notaverify reads from the extensions of one certificate.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub(crate) struct Extensions {
    pub(crate) basic_constraints: Option<BasicConstraints>,
    pub(crate) key_usage: Option<KeyUsage>,
    pub(crate) extended_key_usage: Option<ExtendedKeyUsage>,
    /// authorityInfoAccess id-ad-ocsp URIs.
    pub(crate) ocsp_urls: Vec<String>,
    /// cRLDistributionPoints fullName URIs.
    pub(crate) crl_distribution_points: Vec<String>,
    pub(crate) has_freshest_crl: bool,
    /// The first critical extension Go does not handle, dotted.
    pub(crate) unhandled_critical: Option<String>,
}

impl Extensions {
    /// Parses the value of the `[3]` Extensions field. Duplicate extensions are rejected, as
    /// Go does.
    pub(crate) fn parse(explicit: Element<'_>) -> Result<Self, String> {
        let list = explicit.reader().read_element(tag::SEQUENCE).ok_or("malformed extensions")?;
        let mut seen: Vec<Oid<'_>> = Vec::with_capacity(TYPICAL_EXTENSIONS);
        let mut out = Self::default();
        let unhandled = read_extensions(list, |extension| {
            if seen.contains(&extension.oid) {
                return Err(format!("duplicate extension {}", extension.oid.to_dotted()));
            }
            seen.push(extension.oid);
            out.apply(extension.oid, extension.critical, extension.value)?;
            Ok(GO_HANDLED.iter().any(|handled| extension.oid.is(handled)))
        })
        .map_err(|e| match e {
            ExtensionError::Malformed(m) => format!("malformed {}", m.0),
            ExtensionError::Value(reason) => reason,
        })?;
        out.unhandled_critical = unhandled.map(Oid::to_dotted);
        Ok(out)
    }

    fn apply(&mut self, oid: Oid<'_>, critical: bool, value: &[u8]) -> Result<(), String> {
        if oid.is(&oid::BASIC_CONSTRAINTS) {
            self.basic_constraints = Some(parse_basic_constraints(value).ok_or("invalid basic constraints")?);
        } else if oid.is(&oid::KEY_USAGE) {
            let bits = parse_key_usage(value).ok_or("invalid key usage")?;
            self.key_usage = Some(KeyUsage { bits, critical });
        } else if oid.is(&oid::EXTENDED_KEY_USAGE) {
            let purposes = parse_extended_key_usage(value).ok_or("invalid extended key usages")?;
            self.extended_key_usage = Some(ExtendedKeyUsage { purposes, critical });
        } else if oid.is(&oid::CRL_DISTRIBUTION_POINTS) {
            self.crl_distribution_points =
                parse_crl_distribution_points(value).ok_or("invalid CRL distribution point")?;
        } else if oid.is(&oid::AUTHORITY_INFO_ACCESS) {
            self.ocsp_urls = parse_ocsp_urls(value).ok_or("invalid authority info access")?;
        } else if oid.is(&oid::FRESHEST_CRL) {
            // Go does not parse it; notation's CRL code reads it when it needs it.
            self.has_freshest_crl = true;
        }
        Ok(())
    }
}

/// SEQUENCE { cA BOOLEAN DEFAULT FALSE, pathLenConstraint INTEGER OPTIONAL }; trailing bytes
/// are ignored as in Go.
fn parse_basic_constraints(value: &[u8]) -> Option<BasicConstraints> {
    let mut seq = Reader::new(value).read_element(tag::SEQUENCE)?.reader();
    let ca = if seq.peek_tag() == Some(tag::BOOLEAN) { seq.read_boolean()? } else { false };
    let path_len = if seq.peek_tag() == Some(tag::INTEGER) { u64::try_from(seq.read_i64()?).ok() } else { None };
    Some(BasicConstraints { ca, path_len })
}

fn parse_key_usage(value: &[u8]) -> Option<u16> {
    let bits = Reader::new(value).read_bit_string()?;
    Some((0..9).filter(|&i| bits.bit(i)).fold(0u16, |acc, i| acc | (1 << i)))
}

fn parse_extended_key_usage(value: &[u8]) -> Option<Vec<Purpose>> {
    const KNOWN: [(ObjectIdentifier, Purpose); 7] = [
        (oid::KP_SERVER_AUTH, Purpose::ServerAuth),
        (oid::KP_CLIENT_AUTH, Purpose::ClientAuth),
        (oid::KP_CODE_SIGNING, Purpose::CodeSigning),
        (oid::KP_EMAIL_PROTECTION, Purpose::EmailProtection),
        (oid::KP_TIME_STAMPING, Purpose::TimeStamping),
        (oid::KP_OCSP_SIGNING, Purpose::OcspSigning),
        (oid::ANY_EXTENDED_KEY_USAGE, Purpose::Any),
    ];
    let mut seq = Reader::new(value).read_element(tag::SEQUENCE)?.reader();
    let mut purposes = Vec::new();
    while !seq.is_empty() {
        let oid = seq.read_oid()?;
        purposes.push(KNOWN.iter().find(|(k, _)| oid.is(k)).map_or(Purpose::Other, |(_, p)| *p));
    }
    Some(purposes)
}

/// Go's reading of cRLDistributionPoints: per point, the URIs at the start of `fullName`; a
/// `nameRelativeToCRLIssuer` is an error.
fn parse_crl_distribution_points(value: &[u8]) -> Option<Vec<String>> {
    let mut points = Reader::new(value).read_element(tag::SEQUENCE)?.reader();
    let mut urls = Vec::new();
    while !points.is_empty() {
        let mut point = points.read_element(tag::SEQUENCE)?.reader();
        let Some(name) = point.read_optional(tag::context_constructed(0))? else { continue };
        let mut full_name = name.reader().read_element(tag::context_constructed(0))?.reader();
        while full_name.peek_tag() == Some(tag::context(6)) {
            urls.push(String::from_utf8_lossy(full_name.read(tag::context(6))?).into_owned());
        }
    }
    Some(urls)
}

/// The id-ad-ocsp URIs of authorityInfoAccess.
fn parse_ocsp_urls(value: &[u8]) -> Option<Vec<String>> {
    let mut descriptions = Reader::new(value).read_element(tag::SEQUENCE)?.reader();
    let mut urls = Vec::new();
    while !descriptions.is_empty() {
        let mut description = descriptions.read_element(tag::SEQUENCE)?.reader();
        let method = description.read_oid()?;
        if description.peek_tag() != Some(tag::context(6)) {
            continue;
        }
        let uri = description.read(tag::context(6))?;
        if method.is(&oid::ACCESS_METHOD_OCSP) {
            urls.push(String::from_utf8_lossy(uri).into_owned());
        }
    }
    Some(urls)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn basic_constraints_like_go() {
        let parse = parse_basic_constraints;
        assert_eq!(parse(&[0x30, 0x00]), Some(BasicConstraints { ca: false, path_len: None }));
        assert_eq!(parse(&[0x30, 0x03, 0x01, 0x01, 0xff]), Some(BasicConstraints { ca: true, path_len: None }));
        // cA=FALSE written out plus a pathLen: DER-invalid, but Go accepts it.
        assert_eq!(
            parse(&[0x30, 0x06, 0x01, 0x01, 0x00, 0x02, 0x01, 0x03]),
            Some(BasicConstraints { ca: false, path_len: Some(3) })
        );
        assert_eq!(
            parse(&[0x30, 0x06, 0x01, 0x01, 0xff, 0x02, 0x01, 0xff]),
            Some(BasicConstraints { ca: true, path_len: None })
        );
        assert_eq!(parse(&[0x30, 0x03, 0x01, 0x01, 0x02]), None);
    }

    #[test]
    fn key_usage_bits() {
        // digitalSignature only: one byte 0x80 with 7 unused bits.
        assert_eq!(parse_key_usage(&[0x03, 0x02, 0x07, 0x80]), Some(key_usage::DIGITAL_SIGNATURE));
        // keyCertSign + cRLSign: 0x06 with 1 unused bit.
        assert_eq!(parse_key_usage(&[0x03, 0x02, 0x01, 0x06]), Some(key_usage::KEY_CERT_SIGN | key_usage::CRL_SIGN));
        // decipherOnly is bit 8, in the second byte.
        assert_eq!(parse_key_usage(&[0x03, 0x03, 0x07, 0x00, 0x80]), Some(key_usage::DECIPHER_ONLY));
    }

    #[test]
    fn extended_key_usage_keeps_order_and_unknowns() {
        let der = [0x30, 0x0d, 0x06, 0x08, 0x2b, 0x06, 0x01, 0x05, 0x05, 0x07, 0x03, 0x08, 0x06, 0x01, 0x2a];
        assert_eq!(parse_extended_key_usage(&der), Some(vec![Purpose::TimeStamping, Purpose::Other]));
        assert_eq!(parse_extended_key_usage(&[0x30, 0x02, 0x06, 0x00]), None);
    }

    #[test]
    fn crl_distribution_points_and_ocsp_urls() {
        // One point with fullName [uri "a", dNSName "b"] and one point without a name.
        let crl = [0x30, 0x0e, 0x30, 0x0a, 0xa0, 0x08, 0xa0, 0x06, 0x86, 0x01, b'a', 0x82, 0x01, b'b', 0x30, 0x00];
        assert_eq!(parse_crl_distribution_points(&crl), Some(vec!["a".to_owned()]));
        // nameRelativeToCRLIssuer fails in Go.
        let relative = [0x30, 0x06, 0x30, 0x04, 0xa0, 0x02, 0xa1, 0x00];
        assert_eq!(parse_crl_distribution_points(&relative), None);
        let aia =
            [0x30, 0x0f, 0x30, 0x0d, 0x06, 0x08, 0x2b, 0x06, 0x01, 0x05, 0x05, 0x07, 0x30, 0x01, 0x86, 0x01, b'o'];
        assert_eq!(parse_ocsp_urls(&aia), Some(vec!["o".to_owned()]));
    }
}
