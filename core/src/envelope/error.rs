//! What can be wrong with a signature envelope. Every variant names the header, member, label
//! or part it is about.

use super::{SignatureAlgorithm, SigningScheme};
use crate::{CryptoError, Time};
use std::fmt;

/// A part of an envelope, named in errors.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum EnvelopePart {
    /// The whole envelope: the JWS top-level JSON object or the COSE_Sign1 array.
    Envelope,
    /// The protected (signed) header.
    ProtectedHeader,
    /// The unprotected (unsigned) header.
    UnprotectedHeader,
    /// The signed payload.
    Payload,
}

impl fmt::Display for EnvelopePart {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::Envelope => "envelope",
            Self::ProtectedHeader => "protected header",
            Self::UnprotectedHeader => "unprotected header",
            Self::Payload => "payload",
        })
    }
}

/// A malformed envelope, a broken header rule, or a signature that does not verify.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum EnvelopeError {
    /// The media type is neither `application/jose+json` nor `application/cose`.
    #[error("signature envelope format with media type {0:?} is not supported")]
    UnsupportedMediaType(String),
    /// An input is larger or has more items than a limit in [`crate::limits`].
    #[error("{what} exceeds the limit of {limit} (got {actual})")]
    LimitExceeded {
        /// What was too large or too many.
        what: &'static str,
        /// The limit from [`crate::limits`].
        limit: usize,
        /// What the input had (or a lower bound of it).
        actual: usize,
    },
    /// A JSON part does not parse (syntax, trailing data, not UTF-8).
    #[error("the {part} is not valid JSON: {reason}")]
    MalformedJson {
        /// Which part.
        part: EnvelopePart,
        /// The parser's message.
        reason: String,
    },
    /// A JSON object has the same member name twice.
    #[error("the {part} has the member {name:?} more than once")]
    DuplicateMember {
        /// Which part.
        part: EnvelopePart,
        /// The repeated member name.
        name: String,
    },
    /// A member name or COSE text label that differs from a name notation gives a meaning to only
    /// in letter case (as Go's `encoding/json` folds case): in signed content (JWS top level and
    /// protected header, COSE protected header, payload) always; in the JWS unprotected header
    /// when another spelling of the member is present too.
    #[error("{part} name {name:?} differs from the notation name {notation_name:?} only in letter case")]
    AmbiguousName {
        /// Which part.
        part: EnvelopePart,
        /// The name as written (in the payload, with its path: `targetArtifact.MediaType`).
        name: String,
        /// The notation name it resembles.
        notation_name: String,
    },
    /// A JSON part is not an object.
    #[error("the {0} is not a JSON object")]
    NotAnObject(EnvelopePart),
    /// A required JWS top-level member (`payload`, `protected`, `signature`) is missing.
    #[error("the {part} has no {name:?} member")]
    MissingMember {
        /// Which part.
        part: EnvelopePart,
        /// The missing member.
        name: &'static str,
    },
    /// A member or header has the wrong type or an undecodable value.
    #[error("{name:?} in the {part} {reason}")]
    InvalidMember {
        /// Which part.
        part: EnvelopePart,
        /// The member name or COSE label.
        name: String,
        /// What is wrong, e.g. "must be a string".
        reason: &'static str,
    },
    /// A JWS in the general JSON serialization (`signatures`); only the flattened one is allowed.
    #[error("the JWS uses the general JSON serialization; only the flattened serialization is supported")]
    GeneralJwsSerialization,
    /// A header name or label appears in both the protected and the unprotected header.
    #[error("header {0:?} appears in both the protected and the unprotected header")]
    HeaderInBothBuckets(String),
    /// The bytes do not start with `0xD2 0x84` (a tagged, four-element COSE_Sign1).
    #[error("not a COSE_Sign1_Tagged object (it must start with 0xD2 0x84)")]
    NotCoseSign1Tagged,
    /// The CBOR is not well-formed or uses a feature notation forbids.
    #[error("malformed CBOR in the {part} at byte {offset}: {reason}")]
    MalformedCbor {
        /// Which part.
        part: EnvelopePart,
        /// Byte offset of the offending item within that part.
        offset: usize,
        /// What is wrong.
        reason: &'static str,
    },
    /// The COSE_Sign1 array has the wrong shape.
    #[error("malformed COSE_Sign1: {0}")]
    MalformedCose(&'static str),
    /// The COSE payload is `nil` (detached); notation requires it attached.
    #[error("the COSE payload is detached; notation requires an attached payload")]
    DetachedPayload,
    /// The header algorithm is not one of PS256/384/512, ES256/384/512.
    #[error("signature algorithm {0:?} is not supported")]
    UnsupportedAlgorithm(String),
    /// The content type is not exactly `application/vnd.cncf.notary.payload.v1+json`.
    #[error("content type {0:?} is not supported (expected application/vnd.cncf.notary.payload.v1+json)")]
    InvalidContentType(String),
    /// The signing scheme is neither `notary.x509` nor `notary.x509.signingAuthority`.
    #[error("signing scheme {0:?} is not supported")]
    UnsupportedSigningScheme(String),
    /// A required protected header is missing (`alg`, `cty`, `crit`, the signing scheme, or the
    /// signing time the scheme needs). An empty `crit` counts as missing.
    #[error("required header {0:?} is missing")]
    MissingHeader(&'static str),
    /// The time header of the other signing scheme is present.
    #[error("header {name:?} is not allowed with signing scheme {scheme}")]
    UnexpectedTimeHeader {
        /// The header that must be absent.
        name: &'static str,
        /// The envelope's scheme.
        scheme: SigningScheme,
    },
    /// `crit` lists a header that is absent or may not be listed (JWS: a standard header other
    /// than the required critical ones, or a required one twice).
    #[error("header {0:?} is marked critical but not present")]
    CriticalHeaderNotPresent(String),
    /// Headers that must be critical are not listed in `crit`.
    #[error("required headers are not marked critical: {0:?}")]
    NotMarkedCritical(Vec<String>),
    /// A critical extended attribute this verifier does not understand.
    #[error("critical header {0:?} is not supported by this verifier")]
    UnknownCriticalHeader(String),
    /// The expiry is not strictly after the signing time of the scheme.
    #[error("expiry {expiry} is not after the signing time {signing_time}")]
    ExpiryNotAfterSigningTime {
        /// The expiry header.
        expiry: Time,
        /// The signing time (or authentic signing time) header.
        signing_time: Time,
    },
    /// `x5c` / `x5chain` is missing or empty.
    #[error("the certificate chain is not present")]
    MissingCertificateChain,
    /// The signature value is empty.
    #[error("the signature value is empty")]
    EmptySignature,
    /// A certificate of the chain does not parse as X.509.
    #[error("certificate {index} of the envelope chain is malformed: {reason}")]
    MalformedCertificate {
        /// Position in the chain (0 = leaf).
        index: usize,
        /// The parser's message.
        reason: String,
    },
    /// The signing key is not one notation allows (RSA 2048/3072/4096, EC P-256/384/521).
    #[error("unsupported signing key: {0}")]
    UnsupportedKey(String),
    /// The header algorithm is not the one derived from the signing certificate's key.
    #[error(
        "mismatch between signature algorithm derived from signing certificate ({key}) and signing algorithm specified ({header})"
    )]
    AlgorithmMismatch {
        /// The algorithm named by the envelope header.
        header: SignatureAlgorithm,
        /// The algorithm the leaf key requires.
        key: SignatureAlgorithm,
    },
    /// The signature value does not verify.
    #[error("the envelope signature is invalid: {0}")]
    InvalidSignature(CryptoError),
    /// The payload is not a notation payload (`{"targetArtifact": descriptor}`).
    #[error("malformed payload: {0}")]
    MalformedPayload(String),
}

/// Fails with [`EnvelopeError::LimitExceeded`] when `actual > limit`.
pub(super) fn check_limit(what: &'static str, actual: usize, limit: usize) -> Result<(), EnvelopeError> {
    if actual > limit { Err(EnvelopeError::LimitExceeded { what, limit, actual }) } else { Ok(()) }
}
