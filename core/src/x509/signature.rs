//! Certificate signature algorithms as Go's `x509.getSignatureAlgorithmFromAI` identifies them,
//! and `checkSignature`'s rules for which of them may be used.

use super::LinkProblem;
use super::asn1::{Reader, tag};
use crate::crypto::{self, CryptoError, HashAlgorithm, PublicKey, SignatureScheme};
use const_oid::ObjectIdentifier;

/// A certificate's signatureAlgorithm.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum SignatureAlgorithm {
    RsaPkcs1(HashAlgorithm),
    RsaPss(HashAlgorithm),
    Ecdsa(HashAlgorithm),
    /// MD2 or MD5 with RSA: always refused.
    Md5WithRsa,
    /// Known to Go, never verifiable here (DSA, Ed25519).
    Unverifiable(&'static str),
    Unknown,
}

const RSA_PSS: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.113549.1.1.10");
const MGF1: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.113549.1.1.8");
const SHA256: ObjectIdentifier = ObjectIdentifier::new_unwrap("2.16.840.1.101.3.4.2.1");
const SHA384: ObjectIdentifier = ObjectIdentifier::new_unwrap("2.16.840.1.101.3.4.2.2");
const SHA512: ObjectIdentifier = ObjectIdentifier::new_unwrap("2.16.840.1.101.3.4.2.3");

/// Every algorithm OID in Go's table, except RSASSA-PSS (whose parameters decide the hash).
const KNOWN: [(ObjectIdentifier, SignatureAlgorithm); 14] = {
    use HashAlgorithm::*;
    use SignatureAlgorithm::*;
    const fn oid(s: &str) -> ObjectIdentifier {
        ObjectIdentifier::new_unwrap(s)
    }
    [
        (oid("1.2.840.113549.1.1.2"), Md5WithRsa),
        (oid("1.2.840.113549.1.1.4"), Md5WithRsa),
        (oid("1.2.840.113549.1.1.5"), RsaPkcs1(Sha1)),
        (oid("1.3.14.3.2.29"), RsaPkcs1(Sha1)),
        (oid("1.2.840.113549.1.1.11"), RsaPkcs1(Sha256)),
        (oid("1.2.840.113549.1.1.12"), RsaPkcs1(Sha384)),
        (oid("1.2.840.113549.1.1.13"), RsaPkcs1(Sha512)),
        (oid("1.2.840.10045.4.1"), Ecdsa(Sha1)),
        (oid("1.2.840.10045.4.3.2"), Ecdsa(Sha256)),
        (oid("1.2.840.10045.4.3.3"), Ecdsa(Sha384)),
        (oid("1.2.840.10045.4.3.4"), Ecdsa(Sha512)),
        (oid("1.2.840.10040.4.3"), Unverifiable("DSA-SHA1")),
        (oid("2.16.840.1.101.3.4.3.2"), Unverifiable("DSA-SHA256")),
        (oid("1.3.101.112"), Unverifiable("Ed25519")),
    ]
};

impl SignatureAlgorithm {
    /// Identifies the algorithm from the value of an AlgorithmIdentifier SEQUENCE. `None` only
    /// when the OID itself is malformed (a parse error in Go); unknown or badly parameterised
    /// algorithms are [`SignatureAlgorithm::Unknown`], which Go also accepts at parse time.
    pub(crate) fn from_algorithm_identifier(value: &[u8]) -> Option<Self> {
        let mut ai = Reader::new(value);
        let oid = ai.read_oid()?;
        let parameters = if ai.is_empty() { None } else { Some(ai.read_any()?.whole) };
        if oid.is(&RSA_PSS) {
            return Some(parameters.and_then(pss_hash).map_or(SignatureAlgorithm::Unknown, SignatureAlgorithm::RsaPss));
        }
        let found = KNOWN.iter().find(|(known, _)| oid.is(known));
        Some(match found {
            Some((_, SignatureAlgorithm::Unverifiable("Ed25519"))) if parameters.is_some() => {
                SignatureAlgorithm::Unknown
            }
            Some((_, algorithm)) => *algorithm,
            None => SignatureAlgorithm::Unknown,
        })
    }

    /// Go's name for the algorithm (`SHA256-RSA`, `ECDSA-SHA384`, ...).
    pub(crate) fn name(self) -> &'static str {
        use HashAlgorithm::*;
        match self {
            SignatureAlgorithm::RsaPkcs1(Sha1) => "SHA1-RSA",
            SignatureAlgorithm::RsaPkcs1(Sha256) => "SHA256-RSA",
            SignatureAlgorithm::RsaPkcs1(Sha384) => "SHA384-RSA",
            SignatureAlgorithm::RsaPkcs1(Sha512) => "SHA512-RSA",
            SignatureAlgorithm::RsaPss(Sha1) | SignatureAlgorithm::Unknown => "unknown",
            SignatureAlgorithm::RsaPss(Sha256) => "SHA256-RSAPSS",
            SignatureAlgorithm::RsaPss(Sha384) => "SHA384-RSAPSS",
            SignatureAlgorithm::RsaPss(Sha512) => "SHA512-RSAPSS",
            SignatureAlgorithm::Ecdsa(Sha1) => "ECDSA-SHA1",
            SignatureAlgorithm::Ecdsa(Sha256) => "ECDSA-SHA256",
            SignatureAlgorithm::Ecdsa(Sha384) => "ECDSA-SHA384",
            SignatureAlgorithm::Ecdsa(Sha512) => "ECDSA-SHA512",
            SignatureAlgorithm::Md5WithRsa => "MD5-RSA",
            SignatureAlgorithm::Unverifiable(name) => name,
        }
    }

    /// Go's `checkSignature`: SHA-1 only when `allow_sha1` (self-signature checks), MD5 never.
    pub(crate) fn verify(
        self,
        key: &PublicKey,
        message: &[u8],
        signature: &[u8],
        allow_sha1: bool,
    ) -> Result<(), LinkProblem> {
        let algorithm = self.name();
        let scheme = match (self, key) {
            (SignatureAlgorithm::Md5WithRsa, _) => return Err(LinkProblem::InsecureAlgorithm { algorithm }),
            (SignatureAlgorithm::RsaPkcs1(HashAlgorithm::Sha1) | SignatureAlgorithm::Ecdsa(HashAlgorithm::Sha1), _)
                if !allow_sha1 =>
            {
                return Err(LinkProblem::InsecureAlgorithm { algorithm });
            }
            (SignatureAlgorithm::Unknown | SignatureAlgorithm::Unverifiable(_), _) => {
                return Err(LinkProblem::UnsupportedAlgorithm { algorithm });
            }
            (_, PublicKey::Unsupported { algorithm: key }) => {
                return Err(LinkProblem::UnsupportedKey { key: key.clone() });
            }
            (SignatureAlgorithm::RsaPkcs1(hash), PublicKey::Rsa { .. }) => SignatureScheme::RsaPkcs1(hash),
            (SignatureAlgorithm::RsaPss(hash), PublicKey::Rsa { .. }) => SignatureScheme::RsaPss(hash),
            (SignatureAlgorithm::Ecdsa(hash), PublicKey::Ec { curve, .. }) => SignatureScheme::EcdsaDer(*curve, hash),
            _ => return Err(LinkProblem::KeyMismatch { algorithm }),
        };
        crypto::verify(scheme, key, message, signature).map_err(|e| match e {
            CryptoError::BadSignature => LinkProblem::BadSignature,
            CryptoError::KeyMismatch => LinkProblem::KeyMismatch { algorithm },
            CryptoError::Unsupported => LinkProblem::UnsupportedAlgorithm { algorithm },
        })
    }
}

/// RSASSA-PSS-params in the only forms Go accepts: hash SHA-256/384/512 with absent or NULL
/// parameters, MGF1 with the same hash, salt length equal to the hash length, trailer 1.
fn pss_hash(parameters: &[u8]) -> Option<HashAlgorithm> {
    let mut params = Reader::new(parameters).read_element(tag::SEQUENCE)?.reader();
    let mut hash_ai = params.read_element(tag::context_constructed(0))?.reader().read_element(tag::SEQUENCE)?.reader();
    let mut mgf_ai = params.read_element(tag::context_constructed(1))?.reader().read_element(tag::SEQUENCE)?.reader();
    let salt = params.read_element(tag::context_constructed(2))?.reader().read_i64()?;
    let trailer = match params.read_optional(tag::context_constructed(3))? {
        Some(explicit) => explicit.reader().read_i64()?,
        None => 1,
    };

    let hash_oid = hash_ai.read_oid()?;
    if !null_or_absent(&mut hash_ai) || !mgf_ai.read_oid()?.is(&MGF1) {
        return None;
    }
    let mut mgf_hash = mgf_ai.read_element(tag::SEQUENCE)?.reader();
    if mgf_hash.read_oid()? != hash_oid || !null_or_absent(&mut mgf_hash) || trailer != 1 {
        return None;
    }
    let hash = [(SHA256, HashAlgorithm::Sha256), (SHA384, HashAlgorithm::Sha384), (SHA512, HashAlgorithm::Sha512)]
        .into_iter()
        .find(|(oid, _)| hash_oid.is(oid))?
        .1;
    (usize::try_from(salt).ok() == Some(hash.output_len())).then_some(hash)
}

fn null_or_absent(reader: &mut Reader<'_>) -> bool {
    reader.is_empty() || (reader.read(tag::NULL) == Some(&[]) && reader.is_empty())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn identify(der: &[u8]) -> Option<SignatureAlgorithm> {
        let value = Reader::new(der).read_element(tag::SEQUENCE).unwrap().value;
        SignatureAlgorithm::from_algorithm_identifier(value)
    }

    #[test]
    fn identifies_common_algorithms() {
        let sha256_rsa = [0x30, 0x0d, 0x06, 0x09, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x0b, 0x05, 0x00];
        assert_eq!(identify(&sha256_rsa), Some(SignatureAlgorithm::RsaPkcs1(HashAlgorithm::Sha256)));
        let ecdsa_sha384 = [0x30, 0x0a, 0x06, 0x08, 0x2a, 0x86, 0x48, 0xce, 0x3d, 0x04, 0x03, 0x03];
        assert_eq!(identify(&ecdsa_sha384), Some(SignatureAlgorithm::Ecdsa(HashAlgorithm::Sha384)));
        let unknown = [0x30, 0x03, 0x06, 0x01, 0x2a];
        assert_eq!(identify(&unknown), Some(SignatureAlgorithm::Unknown));
    }

    #[test]
    fn pss_parameters_must_be_the_canonical_triple() {
        fn pss(hash: u8, mgf_hash: u8, salt: u8) -> Vec<u8> {
            let hash_ai =
                |h: u8| vec![0x30, 0x0d, 0x06, 0x09, 0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02, h, 0x05, 0x00];
            let mut mgf = vec![0x06, 0x09, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x08];
            mgf.extend(hash_ai(mgf_hash));
            let mut params = vec![0xa0, 0x0f];
            params.extend(hash_ai(hash));
            params.extend([0xa1, mgf.len() as u8 + 2, 0x30, mgf.len() as u8]);
            params.extend(mgf);
            params.extend([0xa2, 0x03, 0x02, 0x01, salt]);
            let mut ai =
                vec![0x06, 0x09, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x0a, 0x30, params.len() as u8];
            ai.extend(params);
            let mut der = vec![0x30, ai.len() as u8];
            der.extend(ai);
            der
        }
        assert_eq!(identify(&pss(1, 1, 32)), Some(SignatureAlgorithm::RsaPss(HashAlgorithm::Sha256)));
        assert_eq!(identify(&pss(3, 3, 64)), Some(SignatureAlgorithm::RsaPss(HashAlgorithm::Sha512)));
        assert_eq!(identify(&pss(1, 1, 20)), Some(SignatureAlgorithm::Unknown), "salt must equal hash length");
        assert_eq!(identify(&pss(1, 2, 32)), Some(SignatureAlgorithm::Unknown), "MGF1 hash must match");
    }
}
