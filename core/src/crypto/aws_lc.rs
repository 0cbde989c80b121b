//! The aws-lc-rs backend: every algorithm notation needs.

use super::{CryptoError, Curve, HashAlgorithm, Provider, PublicKey, SignatureScheme};
use aws_lc_rs::{digest, signature as sig};

pub(crate) struct AwsLc;

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
        let key_bytes = match (scheme, key) {
            (SignatureScheme::RsaPkcs1(_) | SignatureScheme::RsaPss(_), PublicKey::Rsa { pkcs1, .. }) => pkcs1,
            (SignatureScheme::EcdsaDer(..) | SignatureScheme::EcdsaFixed(..), PublicKey::Ec { point, .. }) => point,
            _ => return Err(CryptoError::KeyMismatch),
        };
        sig::UnparsedPublicKey::new(algorithm(scheme)?, key_bytes)
            .verify(message, signature)
            .map_err(|_| CryptoError::BadSignature)
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
