//! The aws-lc-rs backend: every algorithm notation needs.

use super::{CryptoError, Curve, HashAlgorithm, Provider, PublicKey, SignatureScheme};
use aws_lc_rs::{digest, signature as sig};

pub(crate) struct AwsLc;

/// A key parsed by aws-lc-rs for one scheme, kept in the key's [`super::key::PreparedKey`].
struct Parsed {
    scheme: SignatureScheme,
    key: sig::ParsedPublicKey,
}

fn algorithm(scheme: SignatureScheme) -> Result<&'static dyn sig::VerificationAlgorithm, CryptoError> {
    use Curve::*;
    use HashAlgorithm::*;
    use SignatureScheme::*;
    Ok(match scheme {
        RsaPkcs1(Sha256) => &sig::RSA_PKCS1_1024_8192_SHA256_FOR_LEGACY_USE_ONLY,
        RsaPkcs1(Sha384) => &sig::RSA_PKCS1_2048_8192_SHA384,
        RsaPkcs1(Sha512) => &sig::RSA_PKCS1_1024_8192_SHA512_FOR_LEGACY_USE_ONLY,
        RsaPss(Sha256) => &sig::RSA_PSS_2048_8192_SHA256,
        RsaPss(Sha384) => &sig::RSA_PSS_2048_8192_SHA384,
        RsaPss(Sha512) => &sig::RSA_PSS_2048_8192_SHA512,
        EcdsaDer(P256, Sha256) => &sig::ECDSA_P256_SHA256_ASN1,
        EcdsaDer(P256, Sha384) => &sig::ECDSA_P256_SHA384_ASN1,
        EcdsaDer(P256, Sha512) => &sig::ECDSA_P256_SHA512_ASN1,
        EcdsaDer(P384, Sha256) => &sig::ECDSA_P384_SHA256_ASN1,
        EcdsaDer(P384, Sha384) => &sig::ECDSA_P384_SHA384_ASN1,
        EcdsaDer(P384, Sha512) => &sig::ECDSA_P384_SHA512_ASN1,
        EcdsaDer(P521, Sha256) => &sig::ECDSA_P521_SHA256_ASN1,
        EcdsaDer(P521, Sha384) => &sig::ECDSA_P521_SHA384_ASN1,
        EcdsaDer(P521, Sha512) => &sig::ECDSA_P521_SHA512_ASN1,
        EcdsaFixed(P256, Sha256) => &sig::ECDSA_P256_SHA256_FIXED,
        EcdsaFixed(P384, Sha384) => &sig::ECDSA_P384_SHA384_FIXED,
        EcdsaFixed(P521, Sha512) => &sig::ECDSA_P521_SHA512_FIXED,
        _ => return Err(CryptoError::Unsupported),
    })
}

impl Provider for AwsLc {
    fn name(&self) -> &'static str {
        "aws-lc-rs"
    }

    fn verify(
        &self,
        scheme: SignatureScheme,
        key: &PublicKey,
        message: &[u8],
        signature: &[u8],
    ) -> Result<(), CryptoError> {
        let (key_bytes, prepared) = match (scheme, key) {
            (SignatureScheme::RsaPkcs1(_) | SignatureScheme::RsaPss(_), PublicKey::Rsa { pkcs1, prepared, .. }) => {
                (pkcs1, prepared)
            }
            (
                SignatureScheme::EcdsaDer(..) | SignatureScheme::EcdsaFixed(..),
                PublicKey::Ec { point, prepared, .. },
            ) => (point, prepared),
            _ => return Err(CryptoError::KeyMismatch),
        };
        let algorithm = algorithm(scheme)?;
        let parsed = prepared
            .get_or_make(|| sig::ParsedPublicKey::new(algorithm, key_bytes).map(|key| Parsed { scheme, key }))
            .map_err(|_| CryptoError::BadSignature)?;
        let verified = match parsed.downcast_ref::<Parsed>() {
            Some(parsed) if parsed.scheme == scheme => parsed.key.verify_sig(message, signature),
            // The key was first prepared for another scheme: verify without the prepared form.
            _ => sig::UnparsedPublicKey::new(algorithm, key_bytes).verify(message, signature),
        };
        verified.map_err(|_| CryptoError::BadSignature)
    }

    fn digest(&self, alg: HashAlgorithm, data: &[u8]) -> Vec<u8> {
        let a = match alg {
            HashAlgorithm::Sha1 => &digest::SHA1_FOR_LEGACY_USE_ONLY,
            HashAlgorithm::Sha256 => &digest::SHA256,
            HashAlgorithm::Sha384 => &digest::SHA384,
            HashAlgorithm::Sha512 => &digest::SHA512,
        };
        digest::digest(a, data).as_ref().to_vec()
    }
}

#[cfg(test)]
mod tests {
    use super::super::{HashAlgorithm::Sha256, verify};
    use super::*;
    use aws_lc_rs::rand::SystemRandom;
    use aws_lc_rs::rsa::KeySize;
    use aws_lc_rs::signature::{KeyPair as _, RsaEncoding, RsaKeyPair};

    fn signed(pair: &RsaKeyPair, padding: &'static dyn RsaEncoding, message: &[u8]) -> Vec<u8> {
        let mut signature = vec![0; pair.public_modulus_len()];
        pair.sign(padding, &SystemRandom::new(), message, &mut signature).unwrap();
        signature
    }

    #[test]
    fn a_prepared_key_gives_the_verdicts_of_an_unprepared_one() {
        let pair = RsaKeyPair::generate(KeySize::Rsa2048).unwrap();
        let other = RsaKeyPair::generate(KeySize::Rsa2048).unwrap();
        let key = PublicKey::rsa(pair.public_key().as_ref().to_vec(), 2048);
        let pss = signed(&pair, &sig::RSA_PSS_SHA256, b"message");
        let pkcs1 = signed(&pair, &sig::RSA_PKCS1_SHA256, b"message");
        let (scheme_pss, scheme_pkcs1) = (SignatureScheme::RsaPss(Sha256), SignatureScheme::RsaPkcs1(Sha256));

        // First use prepares the key for PSS; every later use gives the same verdicts.
        for _ in 0..2 {
            assert_eq!(verify(scheme_pss, &key, b"message", &pss), Ok(()));
            assert_eq!(verify(scheme_pss, &key, b"massage", &pss), Err(CryptoError::BadSignature));
            assert_eq!(verify(scheme_pss, &key, b"message", &pkcs1), Err(CryptoError::BadSignature));
        }
        assert!(format!("{key:?}").contains("PreparedKey(made)"));
        // Another scheme on the same key is verified without the PSS-prepared form.
        assert_eq!(verify(scheme_pkcs1, &key, b"message", &pkcs1), Ok(()));
        assert_eq!(verify(scheme_pkcs1, &key, b"message", &pss), Err(CryptoError::BadSignature));
        // A clone shares the prepared form and stays equal; another key does not verify.
        assert_eq!(key.clone(), key);
        assert_eq!(verify(scheme_pss, &key.clone(), b"message", &pss), Ok(()));
        let other_key = PublicKey::rsa(other.public_key().as_ref().to_vec(), 2048);
        assert_eq!(verify(scheme_pss, &other_key, b"message", &pss), Err(CryptoError::BadSignature));
        // Bytes that are no key are rejected every time (nothing is kept).
        let broken = PublicKey::rsa(vec![0x30, 0x03, 0x02, 0x01, 0x01], 2048);
        for _ in 0..2 {
            assert_eq!(verify(scheme_pss, &broken, b"message", &pss), Err(CryptoError::BadSignature));
        }
        assert!(format!("{broken:?}").contains("PreparedKey(none)"));
    }
}
