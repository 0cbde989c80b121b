//! Signature algorithms, in one table: certificates' as Go's `x509.getSignatureAlgorithmFromAI`
//! identifies them and `checkSignature` allows them, and the same table for the signatures of
//! CRLs, OCSP responses and CMS SignerInfos.

use super::LinkProblem;
use crate::asn1::{FromDer, Malformed, Oid, OidBuf, Reader, tag};
use crate::crypto::{self, CryptoError, HashAlgorithm, PublicKey, SignatureScheme};
use crate::oid;
use const_oid::ObjectIdentifier;

/// A signature algorithm as Go names it.
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

/// Every algorithm OID in Go's table, except RSASSA-PSS (whose parameters decide the hash).
const KNOWN: [(ObjectIdentifier, SignatureAlgorithm); 14] = {
    use HashAlgorithm::*;
    use SignatureAlgorithm::*;
    [
        (oid::MD2_WITH_RSA, Md5WithRsa),
        (oid::MD5_WITH_RSA, Md5WithRsa),
        (oid::SHA1_WITH_RSA, RsaPkcs1(Sha1)),
        (oid::SHA1_WITH_RSA_OIW, RsaPkcs1(Sha1)),
        (oid::SHA256_WITH_RSA, RsaPkcs1(Sha256)),
        (oid::SHA384_WITH_RSA, RsaPkcs1(Sha384)),
        (oid::SHA512_WITH_RSA, RsaPkcs1(Sha512)),
        (oid::ECDSA_SHA1, Ecdsa(Sha1)),
        (oid::ECDSA_SHA256, Ecdsa(Sha256)),
        (oid::ECDSA_SHA384, Ecdsa(Sha384)),
        (oid::ECDSA_SHA512, Ecdsa(Sha512)),
        (oid::DSA_SHA1, Unverifiable("DSA-SHA1")),
        (oid::DSA_SHA256, Unverifiable("DSA-SHA256")),
        (oid::ED25519, Unverifiable("Ed25519")),
    ]
};

/// The hash `oid` names: SHA-256/384/512, and SHA-1 when `allow_sha1` (message imprints,
/// digest algorithms, ESSCertIDv2, OCSP CertIDs, RSASSA-PSS parameters).
fn hash_named(oid: Oid<'_>, allow_sha1: bool) -> Option<HashAlgorithm> {
    const HASHES: [(ObjectIdentifier, HashAlgorithm); 4] = [
        (oid::SHA256, HashAlgorithm::Sha256),
        (oid::SHA384, HashAlgorithm::Sha384),
        (oid::SHA512, HashAlgorithm::Sha512),
        (oid::SHA1, HashAlgorithm::Sha1),
    ];
    let (_, hash) = HASHES.iter().find(|(known, _)| oid.is(known))?;
    (allow_sha1 || *hash != HashAlgorithm::Sha1).then_some(*hash)
}

impl SignatureAlgorithm {
    /// Identifies the algorithm from the value of an AlgorithmIdentifier SEQUENCE, read as Go's
    /// certificate parser does (anything after the parameters is ignored). `None` only when the
    /// OID itself is malformed (a parse error in Go); unknown or badly parameterised algorithms
    /// are [`SignatureAlgorithm::Unknown`], which Go also accepts at parse time.
    pub(crate) fn from_algorithm_identifier(value: &[u8]) -> Option<Self> {
        let mut ai = Reader::new(value);
        let oid = ai.read_oid()?;
        let parameters = if ai.is_empty() { None } else { Some(ai.read_any()?.whole) };
        Some(Self::identify(|known| oid.is(known), parameters))
    }

    /// Go's lookup: the table by OID, RSASSA-PSS by its parameters, Ed25519 only without them.
    fn identify(is: impl Fn(&ObjectIdentifier) -> bool, parameters: Option<&[u8]>) -> Self {
        if is(&oid::RSA_PSS) {
            return parameters.and_then(pss_hash).map_or(Self::Unknown, SignatureAlgorithm::RsaPss);
        }
        match KNOWN.iter().find(|(known, _)| is(known)) {
            Some((_, Self::Unverifiable("Ed25519"))) if parameters.is_some() => Self::Unknown,
            Some((_, algorithm)) => *algorithm,
            None => Self::Unknown,
        }
    }

    /// Go's name for the algorithm (`SHA256-RSA`, `ECDSA-SHA384`, ...).
    pub(crate) fn name(self) -> &'static str {
        use HashAlgorithm::*;
        match self {
            Self::RsaPkcs1(Sha1) => "SHA1-RSA",
            Self::RsaPkcs1(Sha256) => "SHA256-RSA",
            Self::RsaPkcs1(Sha384) => "SHA384-RSA",
            Self::RsaPkcs1(Sha512) => "SHA512-RSA",
            Self::RsaPss(Sha1) | Self::Unknown => "unknown",
            Self::RsaPss(Sha256) => "SHA256-RSAPSS",
            Self::RsaPss(Sha384) => "SHA384-RSAPSS",
            Self::RsaPss(Sha512) => "SHA512-RSAPSS",
            Self::Ecdsa(Sha1) => "ECDSA-SHA1",
            Self::Ecdsa(Sha256) => "ECDSA-SHA256",
            Self::Ecdsa(Sha384) => "ECDSA-SHA384",
            Self::Ecdsa(Sha512) => "ECDSA-SHA512",
            Self::Md5WithRsa => "MD5-RSA",
            Self::Unverifiable(name) => name,
        }
    }

    /// The scheme that verifies this algorithm with `key`: `None` when the algorithm cannot be
    /// verified here or does not fit the key.
    fn scheme(self, key: &PublicKey) -> Option<SignatureScheme> {
        match (self, key) {
            (Self::RsaPkcs1(hash), PublicKey::Rsa { .. }) => Some(SignatureScheme::RsaPkcs1(hash)),
            (Self::RsaPss(hash), PublicKey::Rsa { .. }) => Some(SignatureScheme::RsaPss(hash)),
            (Self::Ecdsa(hash), PublicKey::Ec { curve, .. }) => Some(SignatureScheme::EcdsaDer(*curve, hash)),
            _ => None,
        }
    }

    fn uses_sha1(self) -> bool {
        matches!(self, Self::RsaPkcs1(HashAlgorithm::Sha1) | Self::Ecdsa(HashAlgorithm::Sha1))
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
        match (self, key) {
            (Self::Md5WithRsa, _) => return Err(LinkProblem::InsecureAlgorithm { algorithm }),
            _ if self.uses_sha1() && !allow_sha1 => return Err(LinkProblem::InsecureAlgorithm { algorithm }),
            (Self::Unknown | Self::Unverifiable(_), _) => {
                return Err(LinkProblem::UnsupportedAlgorithm { algorithm });
            }
            (_, PublicKey::Unsupported { algorithm: key }) => {
                return Err(LinkProblem::UnsupportedKey { key: key.clone() });
            }
            _ => {}
        }
        let scheme = self.scheme(key).ok_or(LinkProblem::KeyMismatch { algorithm })?;
        crypto::verify(scheme, key, message, signature).map_err(|e| match e {
            CryptoError::BadSignature => LinkProblem::BadSignature,
            CryptoError::KeyMismatch => LinkProblem::KeyMismatch { algorithm },
            CryptoError::Unsupported => LinkProblem::UnsupportedAlgorithm { algorithm },
        })
    }
}

/// RFC 5280 §4.1.1.2, as the signed structures other than certificates carry it (CRLs, OCSP
/// responses, CMS): exactly the OID and at most one parameters element.
///
/// ```asn1
/// AlgorithmIdentifier  ::=  SEQUENCE  {
///      algorithm               OBJECT IDENTIFIER,
///      parameters              ANY DEFINED BY algorithm OPTIONAL  }
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct AlgorithmIdentifier {
    pub(crate) oid: OidBuf,
    /// The whole parameters element, when present.
    pub(crate) parameters: Option<Vec<u8>>,
}

impl<'a> FromDer<'a> for AlgorithmIdentifier {
    const WHAT: &'static str = "algorithm identifier";

    fn from_der(reader: &mut Reader<'a>) -> Result<Self, Malformed> {
        let bad = Malformed(Self::WHAT);
        let mut fields = reader.read_element(tag::SEQUENCE).ok_or(bad)?.reader();
        let oid = fields.read_oid().ok_or(bad)?.to_owned();
        let parameters = if fields.is_empty() { None } else { Some(fields.read_any().ok_or(bad)?.whole.to_vec()) };
        if !fields.is_empty() {
            return Err(bad);
        }
        Ok(Self { oid, parameters })
    }
}

impl AlgorithmIdentifier {
    /// The hash this identifier names: SHA-256/384/512, and SHA-1 when `allow_sha1`. The
    /// parameters are not read.
    pub(crate) fn hash(&self, allow_sha1: bool) -> Option<HashAlgorithm> {
        hash_named(self.oid.as_oid(), allow_sha1)
    }

    /// This identifier looked up in the signature-algorithm table.
    fn signature_algorithm(&self) -> SignatureAlgorithm {
        SignatureAlgorithm::identify(|known| self.oid.is(known), self.parameters.as_deref())
    }
}

/// The scheme of a signature made with `key` under a certificate-style signature algorithm
/// (CRLs, OCSP responses). SHA-1 only when `allow_sha1`.
pub(crate) fn scheme_for(
    algorithm: &AlgorithmIdentifier,
    key: &PublicKey,
    allow_sha1: bool,
) -> Option<SignatureScheme> {
    let algorithm = algorithm.signature_algorithm();
    if algorithm.uses_sha1() && !allow_sha1 {
        return None;
    }
    algorithm.scheme(key)
}

/// The scheme of a CMS SignerInfo signature (tspclient-go's `ToSignatureAlgorithm`): the digest
/// algorithm and the signature algorithm together; only SHA-256/384/512.
pub(crate) fn cms_scheme(
    digest: &AlgorithmIdentifier,
    signature: &AlgorithmIdentifier,
    key: &PublicKey,
) -> Option<SignatureScheme> {
    let digest_hash = digest.hash(false)?;
    if signature.oid.is(&oid::RSA_ENCRYPTION) {
        return matches!(key, PublicKey::Rsa { .. }).then_some(SignatureScheme::RsaPkcs1(digest_hash));
    }
    if signature.oid.is(&oid::RSA_PSS) {
        // The parameters name the hash; it must agree with the digest algorithm.
        let hash = match signature.parameters.as_deref() {
            Some(p) => pss_hash(p)?,
            None => digest_hash,
        };
        return (hash == digest_hash && matches!(key, PublicKey::Rsa { .. })).then_some(SignatureScheme::RsaPss(hash));
    }
    if signature.oid.is(&oid::EC_PUBLIC_KEY) {
        return match key {
            PublicKey::Ec { curve, .. } => Some(SignatureScheme::EcdsaDer(*curve, digest_hash)),
            _ => None,
        };
    }
    let scheme = scheme_for(signature, key, false)?;
    let hash = match scheme {
        SignatureScheme::RsaPkcs1(h) | SignatureScheme::RsaPss(h) | SignatureScheme::EcdsaDer(_, h) => h,
        SignatureScheme::EcdsaFixed(_, h) => h,
    };
    (hash == digest_hash).then_some(scheme)
}

/// RSASSA-PSS-params (RFC 4055 §3.1) in the only forms Go accepts: hash SHA-256/384/512 with
/// absent or NULL parameters, MGF1 with the same hash, salt length equal to the hash length,
/// trailer 1.
///
/// ```asn1
/// RSASSA-PSS-params  ::=  SEQUENCE  {
///     hashAlgorithm      [0] HashAlgorithm DEFAULT sha1Identifier,
///     maskGenAlgorithm   [1] MaskGenAlgorithm DEFAULT mgf1SHA1Identifier,
///     saltLength         [2] INTEGER DEFAULT 20,
///     trailerField       [3] INTEGER DEFAULT 1  }
/// ```
fn pss_hash(parameters: &[u8]) -> Option<HashAlgorithm> {
    let mut params = Reader::new(parameters).read_element(tag::SEQUENCE)?.reader();
    let mut hash_ai = params.read_explicit(0)?.read_element(tag::SEQUENCE)?.reader();
    let mut mgf_ai = params.read_explicit(1)?.read_element(tag::SEQUENCE)?.reader();
    let salt = params.read_explicit(2)?.read_i64()?;
    let trailer = match params.read_optional(tag::context_constructed(3))? {
        Some(explicit) => explicit.reader().read_i64()?,
        None => 1,
    };

    let hash_oid = hash_ai.read_oid()?;
    if !null_or_absent(&mut hash_ai) || !mgf_ai.read_oid()?.is(&oid::MGF1) {
        return None;
    }
    let mut mgf_hash = mgf_ai.read_element(tag::SEQUENCE)?.reader();
    if mgf_hash.read_oid()? != hash_oid || !null_or_absent(&mut mgf_hash) || trailer != 1 {
        return None;
    }
    let hash = hash_named(hash_oid, false)?;
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
