//! A certificate's subject public key, read with the crate's one DER reader and accepted and
//! rejected as Go's `x509.ParseCertificate` (`parsePublicKey`) does: RSA keys by PKCS #1 with NULL
//! parameters and a positive modulus and exponent, EC keys on a curve Go knows as an uncompressed
//! point of the curve's size; any other algorithm parses as an unsupported key, which notation's
//! key rules refuse later with their own message.

use super::signature::AlgorithmIdentifier;
use crate::asn1::{FromDer, Malformed, Reader, Rules, read_all, tag};
use crate::crypto::{Curve, PublicKey};
use crate::oid;
use const_oid::ObjectIdentifier;

/// The curves Go can parse (P-224 parses but is not a supported signing key).
const GO_CURVES: [ObjectIdentifier; 4] = [oid::SECP224R1, oid::SECP256R1, oid::SECP384R1, oid::SECP521R1];

/// RFC 5280 §4.1.
///
/// ```asn1
/// SubjectPublicKeyInfo  ::=  SEQUENCE  {
///      algorithm            AlgorithmIdentifier,
///      subjectPublicKey     BIT STRING  }
/// ```
///
/// Read whole: nothing after the BIT STRING, which must be a whole number of bytes.
struct SubjectPublicKeyInfo<'a> {
    algorithm: AlgorithmIdentifier,
    subject_public_key: &'a [u8],
}

impl<'a> FromDer<'a> for SubjectPublicKeyInfo<'a> {
    const WHAT: &'static str = "spki";

    fn from_der(reader: &mut Reader<'a>) -> Result<Self, Malformed> {
        let bad = Malformed(Self::WHAT);
        let mut fields = reader.read_element(tag::SEQUENCE).ok_or(bad)?.reader();
        let algorithm = fields.read_value()?;
        let subject_public_key =
            fields.read_bit_string().and_then(|bits| bits.whole_bytes()).ok_or(Malformed("subjectPublicKey"))?;
        if !fields.is_empty() {
            return Err(bad);
        }
        Ok(Self { algorithm, subject_public_key })
    }
}

/// RFC 8017 §A.1.1.
///
/// ```asn1
/// RSAPublicKey ::= SEQUENCE {
///     modulus           INTEGER,  -- n
///     publicExponent    INTEGER   -- e
/// }
/// ```
///
/// Go reads the exponent into an `int`, so one that does not fit in 64 bits does not parse.
struct RsaPublicKey<'a> {
    /// The content bytes, sign included (minimal, so at most one leading zero byte).
    modulus: &'a [u8],
    public_exponent: i64,
}

impl<'a> FromDer<'a> for RsaPublicKey<'a> {
    const WHAT: &'static str = "RSA public key";

    fn from_der(reader: &mut Reader<'a>) -> Result<Self, Malformed> {
        let mut fields = reader.read_element(tag::SEQUENCE).ok_or(Malformed(Self::WHAT))?.reader();
        let modulus = fields.read_integer_bytes().ok_or(Malformed("RSA modulus"))?;
        let public_exponent = fields.read_i64().ok_or(Malformed("RSA public exponent"))?;
        if !fields.is_empty() {
            return Err(Malformed(Self::WHAT));
        }
        Ok(Self { modulus, public_exponent })
    }
}

/// The subject public key of the DER SubjectPublicKeyInfo `spki`, or why Go would refuse the
/// certificate.
pub(super) fn parse_public_key(spki: &[u8]) -> Result<PublicKey, String> {
    let info: SubjectPublicKeyInfo<'_> =
        read_all(spki, Rules::Cryptobyte).map_err(|Malformed(what)| format!("malformed {what}"))?;
    let algorithm = &info.algorithm;
    if algorithm.oid.is(&oid::RSA_ENCRYPTION) {
        if algorithm.parameters.as_deref() != Some(&[tag::NULL, 0x00][..]) {
            return Err("RSA key missing NULL parameters".into());
        }
        let key: RsaPublicKey<'_> = read_all(info.subject_public_key, Rules::Cryptobyte)
            .map_err(|Malformed(what)| format!("invalid {what}"))?;
        let magnitude = match key.modulus {
            [0x00, rest @ ..] if !rest.is_empty() => rest,
            [first, ..] if first & 0x80 == 0 && *first != 0 => key.modulus,
            _ => return Err("RSA modulus is not a positive number".into()),
        };
        if key.public_exponent <= 0 {
            return Err("RSA public exponent is not a positive number".into());
        }
        // notation-go sizes RSA keys as Go's `rsa.PublicKey.Size()`: whole bytes of the modulus.
        return Ok(PublicKey::rsa(info.subject_public_key.to_vec(), magnitude.len().saturating_mul(8)));
    }
    if algorithm.oid.is(&oid::EC_PUBLIC_KEY) {
        let named_curve = algorithm
            .parameters
            .as_deref()
            .and_then(|p| Reader::new(p).read_oid())
            .ok_or("invalid ECDSA parameters")?;
        if !GO_CURVES.iter().any(|c| named_curve.is(c)) {
            return Err("unsupported elliptic curve".into());
        }
        let (curve, coordinate_len) = if named_curve.is(&oid::SECP256R1) {
            (Curve::P256, 32)
        } else if named_curve.is(&oid::SECP384R1) {
            (Curve::P384, 48)
        } else if named_curve.is(&oid::SECP521R1) {
            (Curve::P521, 66)
        } else {
            return Ok(PublicKey::Unsupported { algorithm: format!("EC curve {}", named_curve.to_dotted()) });
        };
        let point = info.subject_public_key;
        if point.first() != Some(&0x04) || point.len() != 1 + 2 * coordinate_len {
            return Err("failed to unmarshal elliptic curve point".into());
        }
        return Ok(PublicKey::ec(curve, point.to_vec()));
    }
    Ok(PublicKey::Unsupported { algorithm: algorithm.oid.as_oid().to_dotted() })
}

#[cfg(test)]
mod tests {
    use super::super::reencoding::tlv;
    use super::*;

    fn oid_der(o: &ObjectIdentifier) -> Vec<u8> {
        tlv(tag::OID, o.as_bytes())
    }

    /// A SubjectPublicKeyInfo of `algorithm` (with `parameters`) over `key` (no unused bits).
    fn spki(algorithm: &ObjectIdentifier, parameters: Option<&[u8]>, key: &[u8]) -> Vec<u8> {
        let mut ai = oid_der(algorithm);
        ai.extend_from_slice(parameters.unwrap_or_default());
        let mut bits = vec![0];
        bits.extend_from_slice(key);
        [tlv(tag::SEQUENCE, &ai), tlv(tag::BIT_STRING, &bits)].concat()
    }

    fn rsa(modulus: &[u8], exponent: &[u8]) -> Vec<u8> {
        let key = tlv(tag::SEQUENCE, &[tlv(tag::INTEGER, modulus), tlv(tag::INTEGER, exponent)].concat());
        tlv(tag::SEQUENCE, &spki(&oid::RSA_ENCRYPTION, Some(&[tag::NULL, 0]), &key))
    }

    fn ec(curve: &ObjectIdentifier, point: &[u8]) -> Vec<u8> {
        tlv(tag::SEQUENCE, &spki(&oid::EC_PUBLIC_KEY, Some(&oid_der(curve)), point))
    }

    fn modulus_2048() -> Vec<u8> {
        [&[0x00, 0xc1][..], &[0x5a; 255]].concat()
    }

    #[test]
    fn rsa_keys_are_sized_by_whole_bytes_of_the_modulus() {
        let Ok(PublicKey::Rsa { bits, pkcs1, .. }) = parse_public_key(&rsa(&modulus_2048(), &[1, 0, 1])) else {
            panic!("a well-formed RSA-2048 key parses")
        };
        assert_eq!(bits, 2048);
        assert_eq!(pkcs1[0], tag::SEQUENCE);
        let Ok(PublicKey::Rsa { bits, .. }) = parse_public_key(&rsa(&[0x7f; 3], &[3])) else { panic!() };
        assert_eq!(bits, 24, "no leading zero byte to strip");
    }

    #[test]
    fn rsa_keys_go_refuses_are_refused() {
        let m = modulus_2048();
        let refused = |der: &[u8]| parse_public_key(der).err();
        assert_eq!(refused(&rsa(&[0x00], &[1, 0, 1])).as_deref(), Some("RSA modulus is not a positive number"));
        assert_eq!(refused(&rsa(&[0xc1, 1], &[1, 0, 1])).as_deref(), Some("RSA modulus is not a positive number"));
        assert_eq!(refused(&rsa(&m, &[0x00])).as_deref(), Some("RSA public exponent is not a positive number"));
        assert_eq!(refused(&rsa(&m, &[0xff])).as_deref(), Some("RSA public exponent is not a positive number"));
        assert_eq!(refused(&rsa(&m, &[0x01; 9])).as_deref(), Some("invalid RSA public exponent"), "beyond an int");
        assert_eq!(refused(&rsa(&[0x00, 0x01], &[3])).as_deref(), Some("invalid RSA modulus"), "not minimal");
        let no_null = tlv(tag::SEQUENCE, &spki(&oid::RSA_ENCRYPTION, None, &[0x30, 0]));
        assert_eq!(refused(&no_null).as_deref(), Some("RSA key missing NULL parameters"));
        let extra_field =
            tlv(tag::SEQUENCE, &[tlv(tag::INTEGER, &m), tlv(tag::INTEGER, &[3]), tlv(tag::INTEGER, &[3])].concat());
        let der = tlv(tag::SEQUENCE, &spki(&oid::RSA_ENCRYPTION, Some(&[tag::NULL, 0]), &extra_field));
        assert_eq!(refused(&der).as_deref(), Some("invalid RSA public key"));
    }

    #[test]
    fn ec_keys_on_the_curves_go_knows() {
        let point = |n: usize| [&[0x04][..], &vec![7; 2 * n]].concat();
        for (curve, n, expected) in
            [(oid::SECP256R1, 32, Curve::P256), (oid::SECP384R1, 48, Curve::P384), (oid::SECP521R1, 66, Curve::P521)]
        {
            let Ok(PublicKey::Ec { curve: parsed, .. }) = parse_public_key(&ec(&curve, &point(n))) else {
                panic!("{curve}")
            };
            assert_eq!(parsed, expected);
            assert_eq!(
                parse_public_key(&ec(&curve, &point(n + 1))).err().as_deref(),
                Some("failed to unmarshal elliptic curve point")
            );
            let compressed = [&[0x02][..], &vec![7; n]].concat();
            assert!(parse_public_key(&ec(&curve, &compressed)).is_err(), "Go takes uncompressed points only");
        }
        assert!(matches!(
            parse_public_key(&ec(&oid::SECP224R1, &point(28))),
            Ok(PublicKey::Unsupported { algorithm }) if algorithm == "EC curve 1.3.132.0.33"
        ));
        assert_eq!(
            parse_public_key(&ec(&oid::COMMON_NAME, &point(32))).err().as_deref(),
            Some("unsupported elliptic curve")
        );
        let null_parameters = tlv(tag::SEQUENCE, &spki(&oid::EC_PUBLIC_KEY, Some(&[tag::NULL, 0]), &point(32)));
        assert_eq!(parse_public_key(&null_parameters).err().as_deref(), Some("invalid ECDSA parameters"));
    }

    #[test]
    fn other_algorithms_parse_as_unsupported_keys() {
        let der = tlv(tag::SEQUENCE, &spki(&oid::ED25519, None, &[9; 32]));
        assert!(
            matches!(parse_public_key(&der), Ok(PublicKey::Unsupported { algorithm }) if algorithm == "1.3.101.112")
        );
    }

    #[test]
    fn the_structure_is_read_whole() {
        let good = ec(&oid::SECP256R1, &[&[0x04][..], &[7; 64]].concat());
        assert!(parse_public_key(&good).is_ok());
        let trailing = [good.as_slice(), &[0x05, 0x00]].concat();
        assert_eq!(parse_public_key(&trailing).err().as_deref(), Some("malformed spki"));
        let mut ai = oid_der(&oid::EC_PUBLIC_KEY);
        ai.extend_from_slice(&oid_der(&oid::SECP256R1));
        ai.extend_from_slice(&[tag::NULL, 0]);
        let bits = [&[0u8, 0x04][..], &[7; 64]].concat();
        let two_parameters = tlv(tag::SEQUENCE, &[tlv(tag::SEQUENCE, &ai), tlv(tag::BIT_STRING, &bits)].concat());
        assert_eq!(parse_public_key(&two_parameters).err().as_deref(), Some("malformed algorithm identifier"));
        let unused_bits = [&[1u8, 0x04][..], &[7; 63], &[6]].concat();
        let mut ai = oid_der(&oid::EC_PUBLIC_KEY);
        ai.extend_from_slice(&oid_der(&oid::SECP256R1));
        let partial = tlv(tag::SEQUENCE, &[tlv(tag::SEQUENCE, &ai), tlv(tag::BIT_STRING, &unused_bits)].concat());
        assert_eq!(parse_public_key(&partial).err().as_deref(), Some("malformed subjectPublicKey"));
    }
}
