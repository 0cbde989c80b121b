//! The ring backend, with RustCrypto `p521` for the curve ring lacks. ECDSA with a hash that does
//! not match the curve (e.g. P-256 with SHA-512) is unsupported here.

use super::key::PreparedKey;
use super::{CryptoError, Curve, HashAlgorithm, Provider, PublicKey, SignatureScheme};
use ring::{digest, signature as sig};

pub(crate) struct RingP521;

fn ring_algorithm(scheme: SignatureScheme) -> Result<&'static dyn sig::VerificationAlgorithm, CryptoError> {
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
        EcdsaDer(P384, Sha256) => &sig::ECDSA_P384_SHA256_ASN1,
        EcdsaDer(P384, Sha384) => &sig::ECDSA_P384_SHA384_ASN1,
        EcdsaFixed(P256, Sha256) => &sig::ECDSA_P256_SHA256_FIXED,
        EcdsaFixed(P384, Sha384) => &sig::ECDSA_P384_SHA384_FIXED,
        _ => return Err(CryptoError::Unsupported),
    })
}

/// P-521 with the `p521` crate, whose key parsing (point decoding and validation) is costly enough
/// to keep the parsed key in `prepared`.
fn verify_p521(
    point: &[u8],
    prepared: &PreparedKey,
    message: &[u8],
    signature: &[u8],
    der_encoded: bool,
) -> Result<(), CryptoError> {
    use p521::ecdsa::{VerifyingKey, signature::Verifier};
    let parse = || VerifyingKey::from_sec1_bytes(point).map_err(|_| CryptoError::BadSignature);
    let prepared = prepared.get_or_make(parse)?;
    let unprepared;
    let key = match prepared.downcast_ref::<VerifyingKey>() {
        Some(key) => key,
        None => {
            unprepared = parse()?;
            &unprepared
        }
    };
    let parsed = if der_encoded {
        p521::ecdsa::DerSignature::try_from(signature).and_then(|d| {
            p521::ecdsa::Signature::try_from(d.as_bytes()).or_else(|_| p521::ecdsa::Signature::from_der(signature))
        })
    } else {
        p521::ecdsa::Signature::from_slice(signature)
    };
    let parsed = parsed.map_err(|_| CryptoError::BadSignature)?;
    key.verify(message, &parsed).map_err(|_| CryptoError::BadSignature)
}

impl Provider for RingP521 {
    fn name(&self) -> &'static str {
        "ring+p521"
    }

    fn verify(
        &self,
        scheme: SignatureScheme,
        key: &PublicKey,
        message: &[u8],
        signature: &[u8],
    ) -> Result<(), CryptoError> {
        match (scheme, key) {
            (SignatureScheme::RsaPkcs1(_) | SignatureScheme::RsaPss(_), PublicKey::Rsa { pkcs1, .. }) => {
                sig::UnparsedPublicKey::new(ring_algorithm(scheme)?, pkcs1)
                    .verify(message, signature)
                    .map_err(|_| CryptoError::BadSignature)
            }
            (SignatureScheme::EcdsaDer(Curve::P521, HashAlgorithm::Sha512), PublicKey::Ec { point, prepared, .. }) => {
                verify_p521(point, prepared, message, signature, true)
            }
            (
                SignatureScheme::EcdsaFixed(Curve::P521, HashAlgorithm::Sha512),
                PublicKey::Ec { point, prepared, .. },
            ) => verify_p521(point, prepared, message, signature, false),
            (SignatureScheme::EcdsaDer(..) | SignatureScheme::EcdsaFixed(..), PublicKey::Ec { point, .. }) => {
                sig::UnparsedPublicKey::new(ring_algorithm(scheme)?, point)
                    .verify(message, signature)
                    .map_err(|_| CryptoError::BadSignature)
            }
            _ => Err(CryptoError::KeyMismatch),
        }
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
