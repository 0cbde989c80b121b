//! Signature envelopes (JWS and COSE) parsed into one model.
//!
//! [`Envelope::parse`] applies every header rule of the Notary Project envelope specifications
//! as notation-core-go does (with the stricter choices listed in `docs/divergences.md`);
//! [`Envelope::verify_signature`] checks the signature value with the leaf certificate's key.

mod algorithm;
mod attributes;
mod base64_text;
mod cbor;
mod cose;
mod error;
mod json;
mod jws;
mod names;
mod payload;

pub use algorithm::SignatureAlgorithm;
pub use attributes::{ExtendedAttribute, SignedAttributes, SigningScheme, UnsignedAttributes};
pub use error::{EnvelopeError, EnvelopePart};
pub use payload::Descriptor;

use crate::crypto::{self, PublicKey};
use crate::limits::MAX_ENVELOPE_BYTES;
use crate::x509::Certificate;

/// An envelope format, identified by the media type of the signature blob.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum EnvelopeFormat {
    /// JWS JSON, flattened serialization: `application/jose+json`.
    Jws,
    /// COSE_Sign1_Tagged: `application/cose`.
    Cose,
}

impl EnvelopeFormat {
    /// The media type of this format.
    pub fn media_type(self) -> &'static str {
        match self {
            Self::Jws => "application/jose+json",
            Self::Cose => "application/cose",
        }
    }

    /// The format with this exact media type.
    pub fn from_media_type(media_type: &str) -> Option<Self> {
        [Self::Jws, Self::Cose].into_iter().find(|f| f.media_type() == media_type)
    }

    /// The format named by `name`: the short alias `jws` or `cose`, or the exact media type
    /// (`application/jose+json`, `application/cose`). Case-sensitive, as media types are here.
    pub fn from_alias(name: &str) -> Option<Self> {
        match name {
            "jws" => Some(Self::Jws),
            "cose" => Some(Self::Cose),
            _ => Self::from_media_type(name),
        }
    }

    /// The format the bytes look like: a JWS when the first non-whitespace byte is `{` (a
    /// flattened JSON object), a COSE envelope when the first byte is 0xD2 (CBOR tag 18,
    /// `COSE_Sign1_Tagged`), else `None`. Only a guess from the first byte: parsing decides.
    pub fn sniff(bytes: &[u8]) -> Option<Self> {
        match bytes.iter().find(|b| !b.is_ascii_whitespace()) {
            Some(b'{') => Some(Self::Jws),
            _ if bytes.first() == Some(&0xD2) => Some(Self::Cose),
            _ => None,
        }
    }
}

/// A parsed signature envelope whose headers follow every rule; the signature itself is checked
/// by [`Envelope::verify_signature`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Envelope {
    /// JWS or COSE.
    pub format: EnvelopeFormat,
    /// The protected header.
    pub signed: SignedAttributes,
    /// The unprotected header.
    pub unsigned: UnsignedAttributes,
    /// The raw payload bytes (the notation payload JSON).
    pub payload: Vec<u8>,
    /// The raw signature value: the decoded JWS `signature`, or the COSE signature byte string.
    /// A timestamp countersignature's message imprint covers these bytes.
    pub signature: Vec<u8>,
    /// What the signature covers: the JWS `protected.payload` ASCII string, or the COSE
    /// `Sig_structure`.
    signing_input: Vec<u8>,
}

impl Envelope {
    /// Parses an envelope of the given media type (`application/jose+json` or
    /// `application/cose`) and checks every header rule. The signature is not verified.
    pub fn parse(media_type: &str, bytes: &[u8]) -> Result<Self, EnvelopeError> {
        error::check_limit("envelope size", bytes.len(), MAX_ENVELOPE_BYTES)?;
        match EnvelopeFormat::from_media_type(media_type) {
            Some(EnvelopeFormat::Jws) => jws::parse(bytes),
            Some(EnvelopeFormat::Cose) => cose::parse(bytes),
            None => Err(EnvelopeError::UnsupportedMediaType(media_type.to_owned())),
        }
    }

    /// Verifies the signature with the key of the leaf certificate (`certificate_chain[0]`),
    /// parsed as [`Certificate::from_der`] parses it for the chain, after checking that the
    /// header algorithm is the one that key requires.
    pub fn verify_signature(&self) -> Result<(), EnvelopeError> {
        let leaf = self.unsigned.certificate_chain.first().ok_or(EnvelopeError::MissingCertificateChain)?;
        let leaf = Certificate::from_der(leaf)
            .map_err(|e| EnvelopeError::MalformedCertificate { index: 0, reason: e.to_string() })?;
        self.verify_signature_with_key(leaf.public_key())
    }

    /// Verifies the signature with `key`, after checking that the header algorithm is the one
    /// `key` requires.
    pub(crate) fn verify_signature_with_key(&self, key: &PublicKey) -> Result<(), EnvelopeError> {
        let required = SignatureAlgorithm::for_key(key)?;
        if required != self.signed.algorithm {
            return Err(EnvelopeError::AlgorithmMismatch { header: self.signed.algorithm, key: required });
        }
        crypto::verify(required.signature_scheme(), key, &self.signing_input, &self.signature)
            .map_err(EnvelopeError::InvalidSignature)
    }

    /// What the signature covers: the JWS signing input (`protected.payload`) or the COSE
    /// `Sig_structure`.
    pub fn signing_input(&self) -> &[u8] {
        &self.signing_input
    }

    /// The signed target descriptor from the payload.
    pub fn target(&self) -> Result<Descriptor, EnvelopeError> {
        Descriptor::from_payload(&self.payload)
    }
}

/// Reads a file from the shared upstream vectors (`../shared/vectors` beside the repository
/// root). When they are absent the test is skipped with a message, except in CI (`CI=true`),
/// where that is a failure; a file missing from present vectors is always a failure.
#[cfg(test)]
fn read_vector(relative: &str) -> Option<Vec<u8>> {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../shared/vectors");
    if !dir.is_dir() {
        assert!(std::env::var("CI").as_deref() != Ok("true"), "{} is absent in CI", dir.display());
        println!("SKIPPED: {} is absent", dir.display());
        return None;
    }
    let path = dir.join(relative);
    Some(std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display())))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::crypto::Curve;
    use cose::tests::{C, cose};
    use jws::tests::{PAYLOAD, good_protected, jws};
    use serde_json::json;

    /// Signs with a fresh key; `None` when the test backend cannot make this kind of key.
    #[cfg(feature = "aws-lc")]
    fn sign(algorithm: SignatureAlgorithm, message: &[u8]) -> Option<(PublicKey, Vec<u8>)> {
        use aws_lc_rs::rand::SystemRandom;
        use aws_lc_rs::signature::{self as sig, KeyPair as _};
        let rng = SystemRandom::new();
        let (ec, curve) = match algorithm {
            SignatureAlgorithm::Es256 => (&sig::ECDSA_P256_SHA256_FIXED_SIGNING, Curve::P256),
            SignatureAlgorithm::Es384 => (&sig::ECDSA_P384_SHA384_FIXED_SIGNING, Curve::P384),
            SignatureAlgorithm::Es512 => (&sig::ECDSA_P521_SHA512_FIXED_SIGNING, Curve::P521),
            rsa => {
                let (size, bits, padding) = match rsa {
                    SignatureAlgorithm::Ps256 => (aws_lc_rs::rsa::KeySize::Rsa2048, 2048, &sig::RSA_PSS_SHA256),
                    SignatureAlgorithm::Ps384 => (aws_lc_rs::rsa::KeySize::Rsa3072, 3072, &sig::RSA_PSS_SHA384),
                    _ => (aws_lc_rs::rsa::KeySize::Rsa4096, 4096, &sig::RSA_PSS_SHA512),
                };
                let pair = sig::RsaKeyPair::generate(size).ok()?;
                let mut signature = vec![0; pair.public_modulus_len()];
                pair.sign(padding, &rng, message, &mut signature).ok()?;
                return Some((PublicKey::rsa(pair.public_key().as_ref().to_vec(), bits), signature));
            }
        };
        let pair = sig::EcdsaKeyPair::generate(ec).ok()?;
        let signature = pair.sign(&rng, message).ok()?.as_ref().to_vec();
        Some((PublicKey::ec(curve, pair.public_key().as_ref().to_vec()), signature))
    }

    #[cfg(not(feature = "aws-lc"))]
    fn sign(algorithm: SignatureAlgorithm, message: &[u8]) -> Option<(PublicKey, Vec<u8>)> {
        use ring::rand::SystemRandom;
        use ring::signature::{self as sig, KeyPair as _};
        let rng = SystemRandom::new();
        let (alg, curve) = match algorithm {
            SignatureAlgorithm::Es256 => (&sig::ECDSA_P256_SHA256_FIXED_SIGNING, Curve::P256),
            SignatureAlgorithm::Es384 => (&sig::ECDSA_P384_SHA384_FIXED_SIGNING, Curve::P384),
            _ => return None,
        };
        let pkcs8 = sig::EcdsaKeyPair::generate_pkcs8(alg, &rng).ok()?;
        let pair = sig::EcdsaKeyPair::from_pkcs8(alg, pkcs8.as_ref(), &rng).ok()?;
        let signature = pair.sign(&rng, message).ok()?.as_ref().to_vec();
        Some((PublicKey::ec(curve, pair.public_key().as_ref().to_vec()), signature))
    }

    fn jws_envelope(algorithm: SignatureAlgorithm) -> Envelope {
        let mut protected = good_protected();
        protected["alg"] = json!(algorithm.jws_name());
        let header = json!({ "x5c": ["AAAA"] });
        Envelope::parse("application/jose+json", &jws(&protected, PAYLOAD, &header)).unwrap()
    }

    fn cose_envelope(algorithm: SignatureAlgorithm) -> Envelope {
        let protected = cose::tests::good_protected(algorithm.cose_id());
        let unprotected = vec![(C::I(33), C::A(vec![C::B(vec![0])]))];
        Envelope::parse("application/cose", &cose(protected, unprotected, PAYLOAD, &[1])).unwrap()
    }

    #[test]
    fn signatures_verify_for_every_algorithm_and_format() {
        let algorithms = [
            SignatureAlgorithm::Es256,
            SignatureAlgorithm::Es384,
            SignatureAlgorithm::Es512,
            SignatureAlgorithm::Ps256,
            SignatureAlgorithm::Ps384,
            SignatureAlgorithm::Ps512,
        ];
        let mut checked = 0;
        for algorithm in algorithms {
            for mut envelope in [jws_envelope(algorithm), cose_envelope(algorithm)] {
                let Some((key, signature)) = sign(algorithm, &envelope.signing_input) else { continue };
                envelope.signature = signature;
                assert_eq!(envelope.verify_signature_with_key(&key), Ok(()), "{algorithm} {:?}", envelope.format);
                let mut tampered = envelope.clone();
                tampered.signing_input.push(b' ');
                assert_eq!(
                    tampered.verify_signature_with_key(&key),
                    Err(EnvelopeError::InvalidSignature(crate::CryptoError::BadSignature)),
                    "{algorithm}"
                );
                checked += 1;
            }
        }
        assert!(checked >= 4, "at least the P-256 and P-384 cases run on every backend");
    }

    #[test]
    fn header_algorithm_must_match_the_key() {
        let mut envelope = jws_envelope(SignatureAlgorithm::Es256);
        let (key, signature) = sign(SignatureAlgorithm::Es384, &envelope.signing_input).unwrap();
        envelope.signature = signature;
        assert_eq!(
            envelope.verify_signature_with_key(&key),
            Err(EnvelopeError::AlgorithmMismatch { header: SignatureAlgorithm::Es256, key: SignatureAlgorithm::Es384 })
        );
        let small_rsa = PublicKey::rsa(Vec::new(), 1024);
        assert_eq!(
            envelope.verify_signature_with_key(&small_rsa),
            Err(EnvelopeError::UnsupportedKey("RSA-1024".into()))
        );
    }

    /// notation signs PSS with salt = hash length; ring and aws-lc verify only that, so other
    /// salt lengths fail closed (golang-jwt would accept them in JWS).
    #[cfg(feature = "aws-lc")]
    #[test]
    fn pss_with_another_salt_length_is_rejected() {
        use aws_lc_rs::rand::SystemRandom;
        use aws_lc_rs::signature::{self as sig, KeyPair as _};
        const SALT_ZERO: sig::RsaSignatureEncoding =
            sig::RSA_PSS_SHA256.with_pss_salt_length(sig::RsaPssSaltLength::Custom(0));
        let mut envelope = jws_envelope(SignatureAlgorithm::Ps256);
        let pair = sig::RsaKeyPair::generate(aws_lc_rs::rsa::KeySize::Rsa2048).unwrap();
        let mut signature = vec![0; pair.public_modulus_len()];
        pair.sign(&SALT_ZERO, &SystemRandom::new(), &envelope.signing_input, &mut signature).unwrap();
        envelope.signature = signature;
        let key = PublicKey::rsa(pair.public_key().as_ref().to_vec(), 2048);
        assert_eq!(
            envelope.verify_signature_with_key(&key),
            Err(EnvelopeError::InvalidSignature(crate::CryptoError::BadSignature))
        );
    }

    #[test]
    fn media_types_and_limits() {
        assert_eq!(EnvelopeFormat::from_media_type("application/cose"), Some(EnvelopeFormat::Cose));
        assert_eq!(EnvelopeFormat::Jws.media_type(), "application/jose+json");
        for (name, format) in [
            ("jws", Some(EnvelopeFormat::Jws)),
            ("cose", Some(EnvelopeFormat::Cose)),
            ("application/jose+json", Some(EnvelopeFormat::Jws)),
            ("application/cose", Some(EnvelopeFormat::Cose)),
            ("JWS", None),
            ("application/JOSE+json", None),
            ("json", None),
            ("", None),
        ] {
            assert_eq!(EnvelopeFormat::from_alias(name), format, "{name}");
        }
        for (bytes, format) in [
            (&b"{}"[..], Some(EnvelopeFormat::Jws)),
            (b" \r\n\t{", Some(EnvelopeFormat::Jws)),
            (&[0xd2, 0x84], Some(EnvelopeFormat::Cose)),
            (&[b' ', 0xd2], None),
            (&[0xd3], None),
            (b"[]", None),
            (b"", None),
        ] {
            assert_eq!(EnvelopeFormat::sniff(bytes), format, "{bytes:?}");
        }
        assert_eq!(
            Envelope::parse("application/unsupported+json", b"{}"),
            Err(EnvelopeError::UnsupportedMediaType("application/unsupported+json".into()))
        );
        assert_eq!(
            Envelope::parse("application/JOSE+json", b"{}"),
            Err(EnvelopeError::UnsupportedMediaType("application/JOSE+json".into()))
        );
        let huge = vec![b' '; MAX_ENVELOPE_BYTES + 1];
        assert!(matches!(
            Envelope::parse("application/cose", &huge),
            Err(EnvelopeError::LimitExceeded { what: "envelope size", .. })
        ));
    }

    #[test]
    fn leaf_certificate_must_parse() {
        let envelope = jws_envelope(SignatureAlgorithm::Es256);
        assert!(matches!(envelope.verify_signature(), Err(EnvelopeError::MalformedCertificate { index: 0, .. })));
        assert_eq!(envelope.target().unwrap().size, 481);
    }
}
