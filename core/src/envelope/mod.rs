//! Signature envelopes (JWS and COSE) parsed into one model.
//!
//! [`Envelope::parse`] applies every header rule of the Notary Project envelope specifications
//! as notation-core-go does (with the stricter choices listed in `docs/divergences.md`);
//! [`Envelope::verify_signature`] checks the signature value with the leaf certificate's key.

mod algorithm;
mod attributes;
mod cbor;
mod cose;
mod error;
mod json;
mod jws;
mod payload;

pub use algorithm::SignatureAlgorithm;
pub use attributes::{ExtendedAttribute, SignedAttributes, SigningScheme, UnsignedAttributes};
pub use error::{EnvelopeError, EnvelopePart};
pub use payload::Descriptor;

use crate::crypto::{self, PublicKey};
use crate::limits::MAX_ENVELOPE_BYTES;
use der::{Decode, Encode};

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
            EnvelopeFormat::Jws => "application/jose+json",
            EnvelopeFormat::Cose => "application/cose",
        }
    }

    /// The format with this exact media type.
    pub fn from_media_type(media_type: &str) -> Option<Self> {
        [EnvelopeFormat::Jws, EnvelopeFormat::Cose].into_iter().find(|f| f.media_type() == media_type)
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
    pub fn parse(media_type: &str, bytes: &[u8]) -> Result<Envelope, EnvelopeError> {
        error::check_limit("envelope size", bytes.len(), MAX_ENVELOPE_BYTES)?;
        match EnvelopeFormat::from_media_type(media_type) {
            Some(EnvelopeFormat::Jws) => jws::parse(bytes),
            Some(EnvelopeFormat::Cose) => cose::parse(bytes),
            None => Err(EnvelopeError::UnsupportedMediaType(media_type.to_owned())),
        }
    }

    /// Verifies the signature with the key of the leaf certificate (`certificate_chain[0]`),
    /// after checking that the header algorithm is the one that key requires.
    pub fn verify_signature(&self) -> Result<(), EnvelopeError> {
        let leaf = self.unsigned.certificate_chain.first().ok_or(EnvelopeError::MissingCertificateChain)?;
        self.verify_signature_with_key(&leaf_public_key(leaf)?)
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

    /// The signed target descriptor from the payload.
    pub fn target(&self) -> Result<Descriptor, EnvelopeError> {
        Descriptor::from_payload(&self.payload)
    }
}

fn leaf_public_key(der_bytes: &[u8]) -> Result<PublicKey, EnvelopeError> {
    let malformed = |e: der::Error| EnvelopeError::MalformedCertificate { index: 0, reason: e.to_string() };
    let certificate = x509_cert::Certificate::from_der(der_bytes).map_err(malformed)?;
    let spki = certificate.tbs_certificate().subject_public_key_info().to_der().map_err(malformed)?;
    PublicKey::from_spki_der(&spki).map_err(malformed)
}
