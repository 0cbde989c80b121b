//! What a certificate *is*, apart from how it is encoded.
//!
//! The issuer signed the TBSCertificate bytes, so they (and their SHA-256, [`Encoding::identity`])
//! are the certificate's identity: nobody without the issuer's key can change them. Around them,
//! the reader accepts — as Go's `crypto/x509` does — bytes that anyone holding the certificate
//! can change without invalidating it, each giving the same certificate a new SHA-256
//! fingerprint:
//!
//! * data after the signature inside the outer SEQUENCE (Go reads the signature and stops);
//! * the signature BIT STRING written with unused bits (Go right-aligns the bits);
//! * for an ECDSA issuer signature, its twin (r, n − s), which verifies as well.
//!
//! [`Encoding::canonical_fingerprints`] gives the fingerprints of the canonical DER of the
//! certificate and of its ECDSA twins, so a fingerprint taken of the issuer's original
//! certificate is recognised whatever encoding is presented. RSA signatures have no such
//! freedom: their length is the modulus length and the value must be below the modulus.

use crate::asn1::{Reader, tag};
use crate::crypto::{self, HashAlgorithm};

/// Orders of the NIST curves notation allows (SEC 2 / FIPS 186-4), big-endian.
const CURVE_ORDERS: [&[u8]; 3] = [
    // P-256
    &[
        0xff, 0xff, 0xff, 0xff, 0x00, 0x00, 0x00, 0x00, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xbc, 0xe6,
        0xfa, 0xad, 0xa7, 0x17, 0x9e, 0x84, 0xf3, 0xb9, 0xca, 0xc2, 0xfc, 0x63, 0x25, 0x51,
    ],
    // P-384
    &[
        0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
        0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xc7, 0x63, 0x4d, 0x81, 0xf4, 0x37, 0x2d, 0xdf, 0x58, 0x1a, 0x0d, 0xb2,
        0x48, 0xb0, 0xa7, 0x7a, 0xec, 0xec, 0x19, 0x6a, 0xcc, 0xc5, 0x29, 0x73,
    ],
    // P-521
    &[
        0x01, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
        0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xfa, 0x51, 0x86,
        0x87, 0x83, 0xbf, 0x2f, 0x96, 0x6b, 0x7f, 0xcc, 0x01, 0x48, 0xf7, 0x09, 0xa5, 0xd0, 0x3b, 0xb5, 0xc9, 0xb8,
        0x89, 0x9c, 0x47, 0xae, 0xbb, 0x6f, 0xb7, 0x1e, 0x91, 0x38, 0x64, 0x09,
    ],
];

/// The three parts of a certificate, as presented.
pub(crate) struct Encoding<'a> {
    tbs: &'a [u8],
    algorithm: &'a [u8],
    signature: Vec<u8>,
}

impl<'a> Encoding<'a> {
    /// Splits a certificate into TBSCertificate, signatureAlgorithm and signature value (whole
    /// TLVs for the first two); `None` when it is not a certificate at all.
    pub(crate) fn parse(der: &'a [u8]) -> Option<Self> {
        let mut outer = Reader::new(der).read_element(tag::SEQUENCE)?.reader();
        let tbs = outer.read_element(tag::SEQUENCE)?.whole;
        let algorithm = outer.read_element(tag::SEQUENCE)?.whole;
        let signature = outer.read_bit_string()?.right_aligned();
        Some(Encoding { tbs, algorithm, signature })
    }

    /// SHA-256 of the TBSCertificate: the same for every encoding of one issued certificate.
    pub(crate) fn identity(&self) -> [u8; 32] {
        let digest = crypto::digest(HashAlgorithm::Sha256, self.tbs);
        let mut out = [0u8; 32];
        out.copy_from_slice(&digest);
        out
    }

    /// Lower-case hex SHA-256 of the canonical DER and of each ECDSA twin's canonical DER.
    pub(crate) fn canonical_fingerprints(&self) -> Vec<String> {
        let mut signatures = vec![self.signature.clone()];
        signatures.extend(ecdsa_twins(&self.signature));
        signatures
            .iter()
            .map(|signature| {
                let der = self.canonical_der(signature);
                crypto::hex(&crypto::digest(HashAlgorithm::Sha256, &der))
            })
            .collect()
    }

    /// `SEQUENCE { tbs, algorithm, BIT STRING (no unused bits) signature }`, nothing after it.
    fn canonical_der(&self, signature: &[u8]) -> Vec<u8> {
        let mut bits = Vec::with_capacity(signature.len() + 1);
        bits.push(0);
        bits.extend_from_slice(signature);
        let bit_string = tlv(tag::BIT_STRING, &bits);
        let mut body = Vec::with_capacity(self.tbs.len() + self.algorithm.len() + bit_string.len());
        body.extend_from_slice(self.tbs);
        body.extend_from_slice(self.algorithm);
        body.extend_from_slice(&bit_string);
        tlv(tag::SEQUENCE, &body)
    }
}

/// For an ECDSA-Sig-Value `SEQUENCE { r INTEGER, s INTEGER }`, the value with `s` replaced by
/// `n − s` for every allowed curve order `n` above `s` (only the issuer's curve gives one that
/// verifies; the others are harmless extra candidates). Empty for anything else.
fn ecdsa_twins(signature: &[u8]) -> Vec<Vec<u8>> {
    let mut reader = Reader::new(signature);
    let Some(sequence) = reader.read_element(tag::SEQUENCE).filter(|_| reader.is_empty()) else {
        return Vec::new();
    };
    let mut values = sequence.reader();
    let (Some(r), Some(s)) = (values.read_integer_bytes(), values.read_integer_bytes()) else {
        return Vec::new();
    };
    if !values.is_empty() {
        return Vec::new();
    }
    CURVE_ORDERS
        .iter()
        .filter_map(|n| subtract(n, strip_zeros(s)))
        .map(|twin_s| {
            let mut body = tlv(tag::INTEGER, &integer_content(strip_zeros(r)));
            body.extend(tlv(tag::INTEGER, &integer_content(&twin_s)));
            tlv(tag::SEQUENCE, &body)
        })
        .collect()
}

fn strip_zeros(bytes: &[u8]) -> &[u8] {
    let first = bytes.iter().position(|b| *b != 0).unwrap_or(bytes.len());
    &bytes[first..]
}

/// `n − s` for big-endian unsigned `n` and `s` (no leading zeros in `s`), when `0 < s < n`.
fn subtract(n: &[u8], s: &[u8]) -> Option<Vec<u8>> {
    let n = strip_zeros(n);
    let below = s.len() < n.len() || (s.len() == n.len() && s < n);
    if s.is_empty() || !below {
        return None;
    }
    let mut out = vec![0u8; n.len()];
    let mut borrow = 0i16;
    for i in (0..n.len()).rev() {
        let s_byte = i.checked_sub(n.len() - s.len()).map_or(0, |j| i16::from(s[j]));
        let mut d = i16::from(n[i]) - s_byte - borrow;
        borrow = i16::from(d < 0);
        if d < 0 {
            d += 256;
        }
        out[i] = u8::try_from(d).ok()?;
    }
    Some(out)
}

/// The content of a non-negative DER INTEGER with magnitude `magnitude` (big-endian).
fn integer_content(magnitude: &[u8]) -> Vec<u8> {
    let magnitude = strip_zeros(magnitude);
    let mut out = Vec::with_capacity(magnitude.len() + 1);
    if magnitude.first().is_none_or(|b| b & 0x80 != 0) {
        out.push(0);
    }
    out.extend_from_slice(magnitude);
    out
}

/// A DER TLV with a minimal definite length.
pub(super) fn tlv(tag: u8, value: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(value.len() + 6);
    out.push(tag);
    let len = value.len();
    if len < 0x80 {
        out.push(len as u8);
    } else {
        let bytes = len.to_be_bytes();
        let significant = strip_zeros(&bytes);
        out.push(0x80 | significant.len() as u8);
        out.extend_from_slice(significant);
    }
    out.extend_from_slice(value);
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::x509::Certificate;

    fn pem_der(path: &str) -> Vec<u8> {
        let text = std::fs::read(format!("{}/tests/fixtures/pki/{path}", env!("CARGO_MANIFEST_DIR"))).unwrap();
        crate::x509::parse_certificates(&text).unwrap().remove(0).der().to_vec()
    }

    /// The certificate with its issuer signature replaced by `signature` (canonical layout).
    fn with_signature(der: &[u8], signature: &[u8]) -> Vec<u8> {
        Encoding::parse(der).unwrap().canonical_der(signature)
    }

    #[test]
    fn an_ecdsa_twin_verifies_under_the_issuer_for_every_curve() {
        for curve in ["p256", "p384", "p521"] {
            let leaf_der = pem_der(&format!("{curve}/leaf.pem"));
            let issuer = Certificate::from_der(&pem_der(&format!("{curve}/intermediate.pem"))).unwrap();
            let encoding = Encoding::parse(&leaf_der).unwrap();
            assert_eq!(encoding.canonical_der(&encoding.signature), leaf_der, "{curve}: fixtures are canonical");
            let twins: Vec<Vec<u8>> = ecdsa_twins(&encoding.signature)
                .into_iter()
                .map(|s| with_signature(&leaf_der, &s))
                .filter(|der| Certificate::from_der(der).is_ok_and(|c| c.check_signature_from(&issuer).is_ok()))
                .collect();
            assert_eq!(twins.len(), 1, "{curve}: exactly one twin (the issuer's curve) verifies");
            let twin = Certificate::from_der(&twins[0]).unwrap();
            assert_ne!(twin.sha256_fingerprint(), crypto::hex(&crypto::digest(HashAlgorithm::Sha256, &leaf_der)));
            let twin_encoding = Encoding::parse(&twins[0]).unwrap();
            assert_eq!(twin_encoding.identity(), encoding.identity());
            let original = crypto::hex(&crypto::digest(HashAlgorithm::Sha256, &leaf_der));
            assert!(twin_encoding.canonical_fingerprints().contains(&original), "{curve}");
        }
    }

    #[test]
    fn rsa_signatures_have_no_twin() {
        let der = pem_der("rsa2048/leaf.pem");
        assert!(ecdsa_twins(&Encoding::parse(&der).unwrap().signature).is_empty());
    }

    #[test]
    fn subtraction_and_integers() {
        assert_eq!(subtract(&[0x01, 0x00], &[0x01]), Some(vec![0x00, 0xff]));
        assert_eq!(subtract(&[0x05], &[0x05]), None);
        assert_eq!(subtract(&[0x05], &[]), None);
        assert_eq!(integer_content(&[0x00, 0x80]), vec![0x00, 0x80]);
        assert_eq!(integer_content(&[0x00, 0x7f]), vec![0x7f]);
        assert_eq!(tlv(0x04, &[0u8; 200])[..3], [0x04, 0x81, 200]);
    }
}
