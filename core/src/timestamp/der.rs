//! The small DER toolkit the timestamp and revocation parsers share: a TLV cursor built on the
//! `der` crate's reader (definite, minimal lengths), Go-compatible time parsing, and
//! AlgorithmIdentifier mapping to the crypto layer's signature schemes.

use crate::Time;
use crate::crypto::{HashAlgorithm, PublicKey, SignatureScheme};
use const_oid::ObjectIdentifier;
use der::{Decode, Reader as _, SliceReader, asn1::AnyRef};

/// Universal and context-specific tag bytes.
pub(crate) mod tag {
    pub(crate) const BOOLEAN: u8 = 0x01;
    pub(crate) const INTEGER: u8 = 0x02;
    pub(crate) const BIT_STRING: u8 = 0x03;
    pub(crate) const OCTET_STRING: u8 = 0x04;
    pub(crate) const NULL: u8 = 0x05;
    pub(crate) const OID: u8 = 0x06;
    pub(crate) const ENUMERATED: u8 = 0x0a;
    pub(crate) const UTC_TIME: u8 = 0x17;
    pub(crate) const GENERALIZED_TIME: u8 = 0x18;
    pub(crate) const SEQUENCE: u8 = 0x30;
    pub(crate) const SET: u8 = 0x31;

    /// `[n]` primitive.
    pub(crate) const fn context(n: u8) -> u8 {
        0x80 | n
    }

    /// `[n]` constructed (every EXPLICIT tag).
    pub(crate) const fn constructed(n: u8) -> u8 {
        0xa0 | n
    }
}

/// One element: its first tag byte, the whole TLV and the value.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Tlv<'a> {
    pub(crate) tag: u8,
    pub(crate) whole: &'a [u8],
    pub(crate) value: &'a [u8],
}

impl<'a> Tlv<'a> {
    /// Parses exactly one DER element (no trailing bytes).
    pub(crate) fn parse(whole: &'a [u8]) -> Option<Self> {
        let any = AnyRef::from_der(whole).ok()?;
        Some(Tlv { tag: *whole.first()?, whole, value: any.value() })
    }

    /// A cursor over the value (for constructed elements).
    pub(crate) fn items(&self) -> Seq<'a> {
        Seq::new(self.value)
    }

    /// The value as an OID.
    pub(crate) fn oid(&self) -> Option<ObjectIdentifier> {
        if self.tag != tag::OID {
            return None;
        }
        ObjectIdentifier::from_bytes(self.value).ok()
    }

    /// The content bytes of a minimally encoded INTEGER (sign included).
    pub(crate) fn integer_bytes(&self) -> Option<&'a [u8]> {
        if self.tag != tag::INTEGER {
            return None;
        }
        match self.value {
            [] => None,
            [0x00, next, ..] if next & 0x80 == 0 => None,
            [0xff, next, ..] if next & 0x80 != 0 => None,
            v => Some(v),
        }
    }

    /// An INTEGER that fits in an `i64`.
    pub(crate) fn i64(&self) -> Option<i64> {
        let bytes = self.integer_bytes()?;
        if bytes.len() > 8 {
            return None;
        }
        let init: i64 = if bytes.first().is_some_and(|b| b & 0x80 != 0) { -1 } else { 0 };
        Some(bytes.iter().fold(init, |acc, b| (acc << 8) | i64::from(*b)))
    }

    /// The value as a time (UTCTime or GeneralizedTime, Go's rules).
    pub(crate) fn time(&self) -> Option<Time> {
        let text = std::str::from_utf8(self.value).ok()?;
        match self.tag {
            tag::UTC_TIME => parse_utc_time(text),
            tag::GENERALIZED_TIME => parse_generalized_time(text),
            _ => None,
        }
    }

    /// A BIT STRING's bytes (whole bytes only, as signatures are).
    pub(crate) fn bit_string_bytes(&self) -> Option<&'a [u8]> {
        if self.tag != tag::BIT_STRING {
            return None;
        }
        match self.value.split_first()? {
            (0, rest) => Some(rest),
            _ => None,
        }
    }
}

/// A cursor over the elements of a constructed value.
pub(crate) struct Seq<'a> {
    reader: Option<SliceReader<'a>>,
}

impl<'a> Seq<'a> {
    pub(crate) fn new(value: &'a [u8]) -> Self {
        Seq { reader: SliceReader::new(value).ok() }
    }

    pub(crate) fn is_empty(&self) -> bool {
        self.reader.as_ref().is_none_or(|r| r.is_finished())
    }

    pub(crate) fn peek_tag(&self) -> Option<u8> {
        self.reader.as_ref()?.peek_byte()
    }

    /// The next element; `None` at the end or on malformed input.
    pub(crate) fn next_tlv(&mut self) -> Option<Tlv<'a>> {
        let reader = self.reader.as_mut()?;
        if reader.is_finished() {
            return None;
        }
        match reader.tlv_bytes().ok().and_then(Tlv::parse) {
            Some(t) => Some(t),
            None => {
                self.reader = None;
                None
            }
        }
    }

    /// The next element, which must carry `tag`.
    pub(crate) fn expect(&mut self, tag: u8) -> Option<Tlv<'a>> {
        if self.peek_tag()? != tag {
            return None;
        }
        self.next_tlv()
    }

    /// The next element if it carries `tag`: `Some(None)` when absent, `None` when malformed.
    pub(crate) fn optional(&mut self, tag: u8) -> Option<Option<Tlv<'a>>> {
        if self.peek_tag() == Some(tag) { self.next_tlv().map(Some) } else { Some(None) }
    }

    /// All remaining elements; `None` if any is malformed.
    pub(crate) fn collect_all(mut self) -> Option<Vec<Tlv<'a>>> {
        let mut out = Vec::new();
        while !self.is_empty() {
            out.push(self.next_tlv()?);
        }
        Some(out)
    }
}

/// Parses `whole` as one element with `tag` and returns a cursor over its value.
pub(crate) fn open(whole: &[u8], expected: u8) -> Option<Seq<'_>> {
    let t = Tlv::parse(whole)?;
    (t.tag == expected).then(|| t.items())
}

pub(crate) use crate::asn1::{parse_generalized_time, parse_utc_time};

pub(crate) mod oids {
    use const_oid::ObjectIdentifier as O;
    pub(crate) const SHA1: O = O::new_unwrap("1.3.14.3.2.26");
    pub(crate) const SHA256: O = O::new_unwrap("2.16.840.1.101.3.4.2.1");
    pub(crate) const SHA384: O = O::new_unwrap("2.16.840.1.101.3.4.2.2");
    pub(crate) const SHA512: O = O::new_unwrap("2.16.840.1.101.3.4.2.3");
    pub(crate) const RSA_ENCRYPTION: O = O::new_unwrap("1.2.840.113549.1.1.1");
    pub(crate) const SHA1_WITH_RSA: O = O::new_unwrap("1.2.840.113549.1.1.5");
    pub(crate) const SHA256_WITH_RSA: O = O::new_unwrap("1.2.840.113549.1.1.11");
    pub(crate) const SHA384_WITH_RSA: O = O::new_unwrap("1.2.840.113549.1.1.12");
    pub(crate) const SHA512_WITH_RSA: O = O::new_unwrap("1.2.840.113549.1.1.13");
    pub(crate) const RSA_PSS: O = O::new_unwrap("1.2.840.113549.1.1.10");
    pub(crate) const MGF1: O = O::new_unwrap("1.2.840.113549.1.1.8");
    pub(crate) const EC_PUBLIC_KEY: O = O::new_unwrap("1.2.840.10045.2.1");
    pub(crate) const ECDSA_SHA1: O = O::new_unwrap("1.2.840.10045.4.1");
    pub(crate) const ECDSA_SHA256: O = O::new_unwrap("1.2.840.10045.4.3.2");
    pub(crate) const ECDSA_SHA384: O = O::new_unwrap("1.2.840.10045.4.3.3");
    pub(crate) const ECDSA_SHA512: O = O::new_unwrap("1.2.840.10045.4.3.4");
}

/// A hash named by an AlgorithmIdentifier OID: SHA-256/384/512 (and SHA-1 when `allow_sha1`).
pub(crate) fn hash_from_oid(oid: &ObjectIdentifier, allow_sha1: bool) -> Option<HashAlgorithm> {
    match *oid {
        o if o == oids::SHA256 => Some(HashAlgorithm::Sha256),
        o if o == oids::SHA384 => Some(HashAlgorithm::Sha384),
        o if o == oids::SHA512 => Some(HashAlgorithm::Sha512),
        o if o == oids::SHA1 && allow_sha1 => Some(HashAlgorithm::Sha1),
        _ => None,
    }
}

/// An AlgorithmIdentifier: its OID and the raw parameters element, if any.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct AlgorithmIdentifier {
    pub(crate) oid: ObjectIdentifier,
    pub(crate) parameters: Option<Vec<u8>>,
}

impl AlgorithmIdentifier {
    pub(crate) fn parse(tlv: &Tlv<'_>) -> Option<Self> {
        if tlv.tag != tag::SEQUENCE {
            return None;
        }
        let mut items = tlv.items();
        let oid = items.next_tlv()?.oid()?;
        let parameters = if items.is_empty() { None } else { Some(items.next_tlv()?.whole.to_vec()) };
        items.is_empty().then_some(AlgorithmIdentifier { oid, parameters })
    }

    /// The hash this identifier names, with absent or NULL parameters.
    pub(crate) fn hash(&self, allow_sha1: bool) -> Option<HashAlgorithm> {
        hash_from_oid(&self.oid, allow_sha1)
    }

    /// The dotted OID.
    pub(crate) fn dotted(&self) -> String {
        self.oid.to_string()
    }
}

/// The scheme of a signature made with `key` under a certificate-style signature algorithm
/// (CRLs, OCSP responses). SHA-1 only when `allow_sha1`.
pub(crate) fn scheme_for(
    algorithm: &AlgorithmIdentifier,
    key: &PublicKey,
    allow_sha1: bool,
) -> Option<SignatureScheme> {
    let hash = match algorithm.oid {
        o if o == oids::SHA256_WITH_RSA || o == oids::ECDSA_SHA256 => HashAlgorithm::Sha256,
        o if o == oids::SHA384_WITH_RSA || o == oids::ECDSA_SHA384 => HashAlgorithm::Sha384,
        o if o == oids::SHA512_WITH_RSA || o == oids::ECDSA_SHA512 => HashAlgorithm::Sha512,
        o if (o == oids::SHA1_WITH_RSA || o == oids::ECDSA_SHA1) && allow_sha1 => HashAlgorithm::Sha1,
        o if o == oids::RSA_PSS => {
            let hash = pss_hash(algorithm.parameters.as_deref()?)?;
            return matches!(key, PublicKey::Rsa { .. }).then_some(SignatureScheme::RsaPss(hash));
        }
        _ => return None,
    };
    let is_rsa = [oids::SHA256_WITH_RSA, oids::SHA384_WITH_RSA, oids::SHA512_WITH_RSA, oids::SHA1_WITH_RSA]
        .contains(&algorithm.oid);
    match key {
        PublicKey::Rsa { .. } if is_rsa => Some(SignatureScheme::RsaPkcs1(hash)),
        PublicKey::Ec { curve, .. } if !is_rsa => Some(SignatureScheme::EcdsaDer(*curve, hash)),
        _ => None,
    }
}

/// The scheme of a CMS SignerInfo signature (tspclient-go's `ToSignatureAlgorithm`): the digest
/// algorithm and the signature algorithm together; only SHA-256/384/512.
pub(crate) fn cms_scheme(
    digest: &AlgorithmIdentifier,
    signature: &AlgorithmIdentifier,
    key: &PublicKey,
) -> Option<SignatureScheme> {
    let digest_hash = digest.hash(false)?;
    match signature.oid {
        o if o == oids::RSA_ENCRYPTION => {
            matches!(key, PublicKey::Rsa { .. }).then_some(SignatureScheme::RsaPkcs1(digest_hash))
        }
        o if o == oids::RSA_PSS => {
            // The parameters name the hash; it must agree with the digest algorithm.
            let hash = match signature.parameters.as_deref() {
                Some(p) => pss_hash(p)?,
                None => digest_hash,
            };
            (hash == digest_hash && matches!(key, PublicKey::Rsa { .. })).then_some(SignatureScheme::RsaPss(hash))
        }
        o if o == oids::EC_PUBLIC_KEY => match key {
            PublicKey::Ec { curve, .. } => Some(SignatureScheme::EcdsaDer(*curve, digest_hash)),
            _ => None,
        },
        _ => {
            let scheme = scheme_for(signature, key, false)?;
            let hash = match scheme {
                SignatureScheme::RsaPkcs1(h) | SignatureScheme::RsaPss(h) | SignatureScheme::EcdsaDer(_, h) => h,
                SignatureScheme::EcdsaFixed(_, h) => h,
            };
            (hash == digest_hash).then_some(scheme)
        }
    }
}

/// RSASSA-PSS-params with hash SHA-256/384/512, MGF1 of the same hash, salt = hash length,
/// trailer 1 (the only form Go verifies).
fn pss_hash(parameters: &[u8]) -> Option<HashAlgorithm> {
    let mut params = open(parameters, tag::SEQUENCE)?;
    let hash_ai = AlgorithmIdentifier::parse(&params.expect(tag::constructed(0))?.items().expect(tag::SEQUENCE)?)?;
    let mgf = AlgorithmIdentifier::parse(&params.expect(tag::constructed(1))?.items().expect(tag::SEQUENCE)?)?;
    let salt = params.expect(tag::constructed(2))?.items().expect(tag::INTEGER)?.i64()?;
    if let Some(trailer) = params.optional(tag::constructed(3))?
        && trailer.items().expect(tag::INTEGER)?.i64()? != 1
    {
        return None;
    }
    let hash = hash_ai.hash(false)?;
    let mgf_hash = AlgorithmIdentifier::parse(&Tlv::parse(mgf.parameters.as_deref()?)?)?;
    if mgf.oid != oids::MGF1 || mgf_hash.oid != hash_ai.oid || !null_or_absent(&hash_ai) || !null_or_absent(&mgf_hash) {
        return None;
    }
    (usize::try_from(salt).ok() == Some(hash.output_len())).then_some(hash)
}

fn null_or_absent(ai: &AlgorithmIdentifier) -> bool {
    ai.parameters.as_deref().is_none_or(|p| p == [tag::NULL, 0])
}
