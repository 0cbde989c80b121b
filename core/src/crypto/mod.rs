//! Public-key verification and hashing behind one small trait, [`Provider`], with two backends:
//! aws-lc-rs (feature `aws-lc`, the default) and ring + RustCrypto `p521` (feature `ring`).
//! When both features are on, aws-lc-rs is used.

#[cfg(feature = "aws-lc")]
mod aws_lc;
mod key;
#[cfg(feature = "ring")]
mod ring_p521;

pub(crate) use key::{Curve, PublicKey};

#[cfg(not(any(feature = "aws-lc", feature = "ring")))]
compile_error!("notaverify needs a crypto backend: enable feature `aws-lc` (default) or `ring`");

/// A hash function notation uses.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub(crate) enum HashAlgorithm {
    /// Only for OCSP CertIDs and legacy ESSCertID; never for signatures.
    Sha1,
    Sha256,
    Sha384,
    Sha512,
}

impl HashAlgorithm {
    /// The OCI digest prefix (`sha256`, ...); `None` for SHA-1.
    pub(crate) fn oci_name(self) -> Option<&'static str> {
        match self {
            Self::Sha1 => None,
            Self::Sha256 => Some("sha256"),
            Self::Sha384 => Some("sha384"),
            Self::Sha512 => Some("sha512"),
        }
    }

    pub(crate) fn output_len(self) -> usize {
        match self {
            Self::Sha1 => 20,
            Self::Sha256 => 32,
            Self::Sha384 => 48,
            Self::Sha512 => 64,
        }
    }
}

/// How a signature value is laid out and which padding/hash it uses.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub(crate) enum SignatureScheme {
    /// RSASSA-PKCS1-v1_5 (certificates, CRLs, OCSP, timestamp tokens; never envelopes).
    RsaPkcs1(HashAlgorithm),
    /// RSASSA-PSS with MGF1 of the same hash and salt length equal to the hash length.
    RsaPss(HashAlgorithm),
    /// ECDSA with a DER `Ecdsa-Sig-Value` (X.509, CMS).
    EcdsaDer(Curve, HashAlgorithm),
    /// ECDSA with the fixed-width `R || S` encoding (JWS, COSE).
    EcdsaFixed(Curve, HashAlgorithm),
}

/// A signature did not verify, or the backend cannot check this combination.
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
pub enum CryptoError {
    /// The signature does not verify under the key.
    #[error("the signature does not verify")]
    BadSignature,
    /// The key and scheme do not fit together (e.g. an RSA scheme for an EC key).
    #[error("the public key does not fit the signature algorithm")]
    KeyMismatch,
    /// The active crypto backend cannot verify this algorithm.
    #[error("the crypto backend does not support this signature algorithm")]
    Unsupported,
}

/// What a crypto backend provides.
pub(crate) trait Provider: Sync {
    /// Name shown by `version()` strings.
    fn name(&self) -> &'static str;
    fn verify(
        &self,
        scheme: SignatureScheme,
        key: &PublicKey,
        message: &[u8],
        signature: &[u8],
    ) -> Result<(), CryptoError>;
    fn digest(&self, alg: HashAlgorithm, data: &[u8]) -> Vec<u8>;
}

#[cfg(feature = "aws-lc")]
static PROVIDER: aws_lc::AwsLc = aws_lc::AwsLc;
#[cfg(all(feature = "ring", not(feature = "aws-lc")))]
static PROVIDER: ring_p521::RingP521 = ring_p521::RingP521;

pub(crate) fn provider() -> &'static dyn Provider {
    &PROVIDER
}

/// The name of the compiled-in crypto backend (`aws-lc-rs` or `ring+p521`).
pub fn backend_name() -> &'static str {
    provider().name()
}

pub(crate) fn verify(
    scheme: SignatureScheme,
    key: &PublicKey,
    message: &[u8],
    signature: &[u8],
) -> Result<(), CryptoError> {
    if let (SignatureScheme::EcdsaDer(c, _) | SignatureScheme::EcdsaFixed(c, _), PublicKey::Ec { curve, .. }) =
        (scheme, key)
        && c != *curve
    {
        return Err(CryptoError::KeyMismatch);
    }
    provider().verify(scheme, key, message, signature)
}

pub(crate) fn digest(alg: HashAlgorithm, data: &[u8]) -> Vec<u8> {
    provider().digest(alg, data)
}

#[cfg(feature = "aws-lc")]
use aws_lc_rs::digest as backend_digest;
#[cfg(all(feature = "ring", not(feature = "aws-lc")))]
use ring::digest as backend_digest;

/// A hash over data given in pieces (a blob streamed through a fixed buffer), from the
/// compiled-in backend; the same result as [`digest`] over the concatenation.
pub(crate) struct StreamingDigest(backend_digest::Context);

impl StreamingDigest {
    pub(crate) fn new(alg: HashAlgorithm) -> Self {
        let algorithm = match alg {
            HashAlgorithm::Sha1 => &backend_digest::SHA1_FOR_LEGACY_USE_ONLY,
            HashAlgorithm::Sha256 => &backend_digest::SHA256,
            HashAlgorithm::Sha384 => &backend_digest::SHA384,
            HashAlgorithm::Sha512 => &backend_digest::SHA512,
        };
        Self(backend_digest::Context::new(algorithm))
    }

    pub(crate) fn update(&mut self, data: &[u8]) {
        self.0.update(data);
    }

    pub(crate) fn finish(self) -> Vec<u8> {
        self.0.finish().as_ref().to_vec()
    }
}

/// Lower-case hex.
pub(crate) fn hex(bytes: &[u8]) -> String {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let mut out = String::with_capacity(bytes.len() * 2);
    for b in bytes {
        out.push(char::from(DIGITS[usize::from(b >> 4)]));
        out.push(char::from(DIGITS[usize::from(b & 0x0f)]));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sha256_of_abc() {
        assert_eq!(
            hex(&digest(HashAlgorithm::Sha256, b"abc")),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
        assert_eq!(digest(HashAlgorithm::Sha512, b"").len(), 64);
        assert_eq!(digest(HashAlgorithm::Sha384, b"").len(), 48);
        assert_eq!(digest(HashAlgorithm::Sha1, b"").len(), 20);
    }

    #[test]
    fn streaming_equals_one_shot() {
        for alg in [HashAlgorithm::Sha256, HashAlgorithm::Sha384, HashAlgorithm::Sha512] {
            let mut streaming = StreamingDigest::new(alg);
            streaming.update(b"ab");
            streaming.update(b"");
            streaming.update(b"c");
            assert_eq!(streaming.finish(), digest(alg, b"abc"));
        }
    }
}
