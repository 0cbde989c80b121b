//! The six envelope signature algorithms and the key → algorithm mapping of the signature
//! specification ("Algorithm Selection"; notation-core-go `ExtractKeySpec`).

use super::EnvelopeError;
use crate::crypto::{Curve, HashAlgorithm, PublicKey, SignatureScheme};
use std::fmt;

/// A signature algorithm notation allows for the envelope signature. It is a pure function of the
/// signing key, and the envelope header must name exactly that algorithm.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum SignatureAlgorithm {
    /// RSASSA-PSS with SHA-256 (RSA 2048).
    Ps256,
    /// RSASSA-PSS with SHA-384 (RSA 3072).
    Ps384,
    /// RSASSA-PSS with SHA-512 (RSA 4096).
    Ps512,
    /// ECDSA P-256 with SHA-256.
    Es256,
    /// ECDSA P-384 with SHA-384.
    Es384,
    /// ECDSA P-521 with SHA-512.
    Es512,
}

const ALL: [SignatureAlgorithm; 6] = [
    SignatureAlgorithm::Ps256,
    SignatureAlgorithm::Ps384,
    SignatureAlgorithm::Ps512,
    SignatureAlgorithm::Es256,
    SignatureAlgorithm::Es384,
    SignatureAlgorithm::Es512,
];

impl SignatureAlgorithm {
    /// The algorithm notation derives from a signing key: RSA 2048/3072/4096 (modulus bytes × 8,
    /// as Go computes it) or EC P-256/P-384/P-521. Any other key is
    /// [`EnvelopeError::UnsupportedKey`]: the set is exact, not a minimum.
    pub(crate) fn for_key(key: &PublicKey) -> Result<Self, EnvelopeError> {
        match key {
            PublicKey::Rsa { bits: 2048, .. } => Ok(Self::Ps256),
            PublicKey::Rsa { bits: 3072, .. } => Ok(Self::Ps384),
            PublicKey::Rsa { bits: 4096, .. } => Ok(Self::Ps512),
            PublicKey::Ec { curve: Curve::P256, .. } => Ok(Self::Es256),
            PublicKey::Ec { curve: Curve::P384, .. } => Ok(Self::Es384),
            PublicKey::Ec { curve: Curve::P521, .. } => Ok(Self::Es512),
            other => Err(EnvelopeError::UnsupportedKey(other.describe())),
        }
    }

    /// The hash of the algorithm, which is also the digest algorithm of a blob payload and of
    /// the timestamp request.
    pub(crate) fn hash(self) -> HashAlgorithm {
        match self {
            Self::Ps256 | Self::Es256 => HashAlgorithm::Sha256,
            Self::Ps384 | Self::Es384 => HashAlgorithm::Sha384,
            Self::Ps512 | Self::Es512 => HashAlgorithm::Sha512,
        }
    }

    /// The OCI digest algorithm name of the algorithm's hash (`sha256`, `sha384`, `sha512`): the digest
    /// algorithm a blob payload must use.
    pub fn digest_algorithm(self) -> &'static str {
        match self {
            Self::Ps256 | Self::Es256 => "sha256",
            Self::Ps384 | Self::Es384 => "sha384",
            Self::Ps512 | Self::Es512 => "sha512",
        }
    }

    /// The JWS `alg` name (`PS256`, ..., `ES512`).
    pub fn jws_name(self) -> &'static str {
        match self {
            Self::Ps256 => "PS256",
            Self::Ps384 => "PS384",
            Self::Ps512 => "PS512",
            Self::Es256 => "ES256",
            Self::Es384 => "ES384",
            Self::Es512 => "ES512",
        }
    }

    /// The COSE `alg` value (RFC 8230 / RFC 9053: -37, -38, -39, -7, -35, -36).
    pub fn cose_id(self) -> i64 {
        match self {
            Self::Ps256 => -37,
            Self::Ps384 => -38,
            Self::Ps512 => -39,
            Self::Es256 => -7,
            Self::Es384 => -35,
            Self::Es512 => -36,
        }
    }

    /// The algorithm with this JWS `alg` name (case-sensitive).
    pub fn from_jws_name(name: &str) -> Option<Self> {
        ALL.into_iter().find(|a| a.jws_name() == name)
    }

    /// The algorithm with this COSE `alg` value.
    pub fn from_cose_id(id: i128) -> Option<Self> {
        ALL.into_iter().find(|a| i128::from(a.cose_id()) == id)
    }

    /// How the envelope signature value is checked: PSS with MGF1 and salt = hash length, or
    /// ECDSA with the fixed-width `R || S` encoding.
    pub(crate) fn signature_scheme(self) -> SignatureScheme {
        match self {
            Self::Ps256 | Self::Ps384 | Self::Ps512 => SignatureScheme::RsaPss(self.hash()),
            Self::Es256 => SignatureScheme::EcdsaFixed(Curve::P256, self.hash()),
            Self::Es384 => SignatureScheme::EcdsaFixed(Curve::P384, self.hash()),
            Self::Es512 => SignatureScheme::EcdsaFixed(Curve::P521, self.hash()),
        }
    }
}

impl fmt::Display for SignatureAlgorithm {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.jws_name())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn key_sizes_map_to_exactly_one_algorithm() {
        let rsa = |bits| PublicKey::rsa(Vec::new(), bits);
        let ec = |curve| PublicKey::ec(curve, Vec::new());
        assert_eq!(SignatureAlgorithm::for_key(&rsa(2048)), Ok(SignatureAlgorithm::Ps256));
        assert_eq!(SignatureAlgorithm::for_key(&rsa(3072)), Ok(SignatureAlgorithm::Ps384));
        assert_eq!(SignatureAlgorithm::for_key(&rsa(4096)), Ok(SignatureAlgorithm::Ps512));
        assert_eq!(SignatureAlgorithm::for_key(&ec(Curve::P256)), Ok(SignatureAlgorithm::Es256));
        assert_eq!(SignatureAlgorithm::for_key(&ec(Curve::P384)), Ok(SignatureAlgorithm::Es384));
        assert_eq!(SignatureAlgorithm::for_key(&ec(Curve::P521)), Ok(SignatureAlgorithm::Es512));
        for bits in [1024, 2056, 8192] {
            assert_eq!(
                SignatureAlgorithm::for_key(&rsa(bits)),
                Err(EnvelopeError::UnsupportedKey(format!("RSA-{bits}")))
            );
        }
        let ed = PublicKey::Unsupported { algorithm: "1.3.101.112".into() };
        assert!(matches!(SignatureAlgorithm::for_key(&ed), Err(EnvelopeError::UnsupportedKey(_))));
    }

    #[test]
    fn names_and_ids_round_trip() {
        for alg in ALL {
            assert_eq!(SignatureAlgorithm::from_jws_name(alg.jws_name()), Some(alg));
            assert_eq!(SignatureAlgorithm::from_cose_id(alg.cose_id().into()), Some(alg));
        }
        assert_eq!(SignatureAlgorithm::from_jws_name("ps256"), None);
        assert_eq!(SignatureAlgorithm::from_jws_name("none"), None);
        assert_eq!(SignatureAlgorithm::from_jws_name("HS256"), None);
        assert_eq!(SignatureAlgorithm::from_cose_id(-8), None);
        assert_eq!(SignatureAlgorithm::Es384.digest_algorithm(), "sha384");
    }
}
