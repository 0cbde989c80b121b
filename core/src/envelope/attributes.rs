//! The signed and unsigned attributes of an envelope, and the header rules JWS and COSE share
//! once each format has read its headers.

use super::error::check_limit;
use super::{EnvelopeError, SignatureAlgorithm};
use crate::Time;
use crate::limits::{MAX_CERTIFICATE_BYTES, MAX_CHAIN_CERTIFICATES, MAX_TIMESTAMP_TOKEN_BYTES};
use std::fmt;

/// `io.cncf.notary.signingScheme`.
pub(super) const SIGNING_SCHEME: &str = "io.cncf.notary.signingScheme";
/// `io.cncf.notary.signingTime`.
pub(super) const SIGNING_TIME: &str = "io.cncf.notary.signingTime";
/// `io.cncf.notary.authenticSigningTime`.
pub(super) const AUTHENTIC_SIGNING_TIME: &str = "io.cncf.notary.authenticSigningTime";
/// `io.cncf.notary.expiry`.
pub(super) const EXPIRY: &str = "io.cncf.notary.expiry";
/// `io.cncf.notary.verificationPlugin`.
pub(super) const VERIFICATION_PLUGIN: &str = "io.cncf.notary.verificationPlugin";
/// `io.cncf.notary.verificationPluginMinVersion`.
pub(super) const VERIFICATION_PLUGIN_MIN_VERSION: &str = "io.cncf.notary.verificationPluginMinVersion";
/// `io.cncf.notary.signingAgent` (unprotected).
pub(super) const SIGNING_AGENT: &str = "io.cncf.notary.signingAgent";
/// `io.cncf.notary.timestampSignature` (unprotected).
pub(super) const TIMESTAMP_SIGNATURE: &str = "io.cncf.notary.timestampSignature";
/// The protected header names notation defines in both formats. JWS adds `alg`, `cty` and `crit`
/// (COSE labels 1–3 are integers).
pub(super) const NOTATION_PROTECTED_NAMES: [&str; 6] = [
    SIGNING_SCHEME,
    SIGNING_TIME,
    AUTHENTIC_SIGNING_TIME,
    EXPIRY,
    VERIFICATION_PLUGIN,
    VERIFICATION_PLUGIN_MIN_VERSION,
];
/// The only payload content type notation accepts.
pub(super) const PAYLOAD_CONTENT_TYPE: &str = "application/vnd.cncf.notary.payload.v1+json";

/// The notation signing scheme (`io.cncf.notary.signingScheme`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum SigningScheme {
    /// `notary.x509`: the signing time is untrusted; trust comes from `ca` stores and optionally
    /// a timestamp countersignature.
    X509,
    /// `notary.x509.signingAuthority`: the signing time is authentic; trust comes from
    /// `signingAuthority` stores.
    X509SigningAuthority,
}

impl SigningScheme {
    /// The header value (`notary.x509` or `notary.x509.signingAuthority`).
    pub fn as_str(self) -> &'static str {
        match self {
            Self::X509 => "notary.x509",
            Self::X509SigningAuthority => "notary.x509.signingAuthority",
        }
    }

    /// The scheme with this exact header value.
    pub fn from_name(name: &str) -> Option<Self> {
        [Self::X509, Self::X509SigningAuthority].into_iter().find(|s| s.as_str() == name)
    }

    /// The name of the time header this scheme requires.
    fn time_header(self) -> &'static str {
        match self {
            Self::X509 => SIGNING_TIME,
            Self::X509SigningAuthority => AUTHENTIC_SIGNING_TIME,
        }
    }
}

impl fmt::Display for SigningScheme {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Serialized as its header value (`notary.x509`, `notary.x509.signingAuthority`).
impl serde::Serialize for SigningScheme {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_str())
    }
}

/// A protected header that is not one of notation's standard members (JWS `alg`, `cty`, `crit`,
/// COSE labels 1–3, the signing scheme, the times and the expiry). The plugin members are
/// extended attributes too, as in notation-go.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ExtendedAttribute {
    /// The member name; a COSE integer label in decimal.
    pub key: String,
    /// The value; COSE values are converted (byte strings become standard base64 strings, tags
    /// are dropped, non-text map keys are rendered as text).
    pub value: serde_json::Value,
    /// Whether the key is listed in `crit`.
    pub critical: bool,
}

/// The signed (protected) attributes of an envelope, after every header rule has passed.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct SignedAttributes {
    /// The signing scheme.
    pub signing_scheme: SigningScheme,
    /// `io.cncf.notary.signingTime`; present exactly when the scheme is `notary.x509`.
    pub signing_time: Option<Time>,
    /// `io.cncf.notary.authenticSigningTime`; present exactly when the scheme is
    /// `notary.x509.signingAuthority`.
    pub authentic_signing_time: Option<Time>,
    /// `io.cncf.notary.expiry`, strictly after the signing time when present.
    pub expiry: Option<Time>,
    /// The payload content type (always `application/vnd.cncf.notary.payload.v1+json`).
    pub content_type: String,
    /// The header signature algorithm.
    pub algorithm: SignatureAlgorithm,
    /// `io.cncf.notary.verificationPlugin` when it is a string (it also stays in
    /// `extended_attributes`, where its `critical` flag is).
    pub verification_plugin: Option<String>,
    /// `io.cncf.notary.verificationPluginMinVersion` when it is a string (also in
    /// `extended_attributes`).
    pub verification_plugin_min_version: Option<String>,
    /// Every other protected header.
    pub extended_attributes: Vec<ExtendedAttribute>,
}

impl SignedAttributes {
    /// The time the scheme relies on: `signingTime` for `notary.x509`, `authenticSigningTime`
    /// for `notary.x509.signingAuthority` (notation-core-go's `AuthenticSigningTime`).
    pub fn signing_time_for_scheme(&self) -> Time {
        let time = match self.signing_scheme {
            SigningScheme::X509 => self.signing_time,
            SigningScheme::X509SigningAuthority => self.authentic_signing_time,
        };
        // Parsing guarantees the scheme's time is present, and the type cannot be built outside
        // the crate.
        time.unwrap_or(Time::UNIX_EPOCH)
    }

    /// Applies the rules both formats share to headers a format parser has read:
    /// content type, the scheme's time header (required) and the other scheme's (forbidden),
    /// expiry after the signing time, and no critical extended attribute this verifier does not
    /// understand.
    pub(super) fn from_headers(headers: ProtectedHeaders) -> Result<Self, EnvelopeError> {
        if headers.content_type != PAYLOAD_CONTENT_TYPE {
            return Err(EnvelopeError::InvalidContentType(headers.content_type));
        }
        let scheme = headers.signing_scheme;
        let (own, other) = match scheme {
            SigningScheme::X509 => (headers.signing_time, headers.authentic_signing_time),
            SigningScheme::X509SigningAuthority => (headers.authentic_signing_time, headers.signing_time),
        };
        let signing_time = own.ok_or(EnvelopeError::MissingHeader(scheme.time_header()))?;
        if other.is_some() {
            let name = match scheme {
                SigningScheme::X509 => AUTHENTIC_SIGNING_TIME,
                SigningScheme::X509SigningAuthority => SIGNING_TIME,
            };
            return Err(EnvelopeError::UnexpectedTimeHeader { name, scheme });
        }
        if let Some(expiry) = headers.expiry
            && expiry <= signing_time
        {
            return Err(EnvelopeError::ExpiryNotAfterSigningTime { expiry, signing_time });
        }
        let understood = [VERIFICATION_PLUGIN, VERIFICATION_PLUGIN_MIN_VERSION];
        if let Some(unknown) =
            headers.extended_attributes.iter().find(|a| a.critical && !understood.contains(&a.key.as_str()))
        {
            return Err(EnvelopeError::UnknownCriticalHeader(unknown.key.clone()));
        }
        let string_attribute = |key: &str| {
            headers.extended_attributes.iter().find(|a| a.key == key).and_then(|a| a.value.as_str()).map(str::to_owned)
        };
        Ok(Self {
            signing_scheme: scheme,
            signing_time: headers.signing_time,
            authentic_signing_time: headers.authentic_signing_time,
            expiry: headers.expiry,
            algorithm: headers.algorithm,
            verification_plugin: string_attribute(VERIFICATION_PLUGIN),
            verification_plugin_min_version: string_attribute(VERIFICATION_PLUGIN_MIN_VERSION),
            content_type: headers.content_type,
            extended_attributes: headers.extended_attributes,
        })
    }
}

/// What a format parser read from the protected header, before the shared rules.
#[derive(Debug)]
pub(super) struct ProtectedHeaders {
    pub(super) algorithm: SignatureAlgorithm,
    pub(super) content_type: String,
    pub(super) signing_scheme: SigningScheme,
    pub(super) signing_time: Option<Time>,
    pub(super) authentic_signing_time: Option<Time>,
    pub(super) expiry: Option<Time>,
    pub(super) extended_attributes: Vec<ExtendedAttribute>,
}

/// The unsigned (unprotected) attributes of an envelope.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct UnsignedAttributes {
    /// DER certificates, leaf first; never empty.
    pub certificate_chain: Vec<Vec<u8>>,
    /// `io.cncf.notary.signingAgent`, informational only.
    pub signing_agent: Option<String>,
    /// `io.cncf.notary.timestampSignature`: an RFC 3161 TimeStampToken over the signature value.
    pub timestamp_signature: Option<Vec<u8>>,
}

impl UnsignedAttributes {
    /// Checks the chain is present and everything is within limits.
    pub(super) fn new(
        certificate_chain: Vec<Vec<u8>>,
        signing_agent: Option<String>,
        timestamp_signature: Option<Vec<u8>>,
    ) -> Result<Self, EnvelopeError> {
        if certificate_chain.is_empty() {
            return Err(EnvelopeError::MissingCertificateChain);
        }
        check_chain_length(certificate_chain.len())?;
        for certificate in &certificate_chain {
            check_limit("envelope certificate size", certificate.len(), MAX_CERTIFICATE_BYTES)?;
        }
        if let Some(token) = &timestamp_signature {
            check_limit("timestamp token size", token.len(), MAX_TIMESTAMP_TOKEN_BYTES)?;
        }
        Ok(Self { certificate_chain, signing_agent, timestamp_signature })
    }
}

/// Fails when an envelope chain has more than [`MAX_CHAIN_CERTIFICATES`] entries; called before
/// decoding them, too.
pub(super) fn check_chain_length(count: usize) -> Result<(), EnvelopeError> {
    check_limit("envelope certificate chain length", count, MAX_CHAIN_CERTIFICATES)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(scheme: SigningScheme) -> ProtectedHeaders {
        let time = Time::from_unix(1_000);
        ProtectedHeaders {
            algorithm: SignatureAlgorithm::Es256,
            content_type: PAYLOAD_CONTENT_TYPE.into(),
            signing_scheme: scheme,
            signing_time: (scheme == SigningScheme::X509).then_some(time),
            authentic_signing_time: (scheme == SigningScheme::X509SigningAuthority).then_some(time),
            expiry: None,
            extended_attributes: Vec::new(),
        }
    }

    fn attribute(key: &str, value: &str, critical: bool) -> ExtendedAttribute {
        ExtendedAttribute { key: key.into(), value: value.into(), critical }
    }

    #[test]
    fn scheme_time_headers() {
        let x509 = SignedAttributes::from_headers(headers(SigningScheme::X509)).unwrap();
        assert_eq!(x509.signing_time_for_scheme(), Time::from_unix(1_000));
        let sa = SignedAttributes::from_headers(headers(SigningScheme::X509SigningAuthority)).unwrap();
        assert_eq!(sa.signing_time_for_scheme(), Time::from_unix(1_000));

        let mut missing = headers(SigningScheme::X509);
        missing.signing_time = None;
        assert_eq!(SignedAttributes::from_headers(missing), Err(EnvelopeError::MissingHeader(SIGNING_TIME)));
        let mut both = headers(SigningScheme::X509);
        both.authentic_signing_time = Some(Time::from_unix(5));
        assert_eq!(
            SignedAttributes::from_headers(both),
            Err(EnvelopeError::UnexpectedTimeHeader { name: AUTHENTIC_SIGNING_TIME, scheme: SigningScheme::X509 })
        );
        let mut sa_with_signing_time = headers(SigningScheme::X509SigningAuthority);
        sa_with_signing_time.signing_time = Some(Time::from_unix(5));
        assert_eq!(
            SignedAttributes::from_headers(sa_with_signing_time),
            Err(EnvelopeError::UnexpectedTimeHeader {
                name: SIGNING_TIME,
                scheme: SigningScheme::X509SigningAuthority
            })
        );
    }

    #[test]
    fn expiry_must_be_strictly_after_signing_time() {
        for (expiry, ok) in [(999, false), (1_000, false), (1_001, true)] {
            let mut h = headers(SigningScheme::X509);
            h.expiry = Some(Time::from_unix(expiry));
            assert_eq!(SignedAttributes::from_headers(h).is_ok(), ok, "{expiry}");
        }
    }

    #[test]
    fn content_type_is_exact() {
        let mut h = headers(SigningScheme::X509);
        h.content_type = "application/vnd.cncf.notary.payload.v1+JSON".into();
        assert!(matches!(SignedAttributes::from_headers(h), Err(EnvelopeError::InvalidContentType(_))));
    }

    #[test]
    fn only_plugin_attributes_may_be_critical() {
        let mut h = headers(SigningScheme::X509);
        h.extended_attributes = vec![
            attribute(VERIFICATION_PLUGIN, "plugin-name", true),
            attribute(VERIFICATION_PLUGIN_MIN_VERSION, "1.0.0", true),
            attribute("SomeKey", "SomeValue", false),
        ];
        let parsed = SignedAttributes::from_headers(h).unwrap();
        assert_eq!(parsed.verification_plugin.as_deref(), Some("plugin-name"));
        assert_eq!(parsed.verification_plugin_min_version.as_deref(), Some("1.0.0"));
        assert_eq!(parsed.extended_attributes.len(), 3);

        let mut h = headers(SigningScheme::X509);
        h.extended_attributes = vec![attribute("SomeKey", "SomeValue", true)];
        assert_eq!(SignedAttributes::from_headers(h), Err(EnvelopeError::UnknownCriticalHeader("SomeKey".into())));
    }

    #[test]
    fn unsigned_limits() {
        assert_eq!(UnsignedAttributes::new(Vec::new(), None, None), Err(EnvelopeError::MissingCertificateChain));
        assert!(UnsignedAttributes::new(vec![vec![0; 10]; MAX_CHAIN_CERTIFICATES], None, None).is_ok());
        assert!(matches!(
            UnsignedAttributes::new(vec![vec![0; 10]; MAX_CHAIN_CERTIFICATES + 1], None, None),
            Err(EnvelopeError::LimitExceeded { .. })
        ));
        assert!(matches!(
            UnsignedAttributes::new(vec![vec![0; MAX_CERTIFICATE_BYTES + 1]], None, None),
            Err(EnvelopeError::LimitExceeded { .. })
        ));
        assert!(matches!(
            UnsignedAttributes::new(vec![vec![0; 1]], None, Some(vec![0; MAX_TIMESTAMP_TOKEN_BYTES + 1])),
            Err(EnvelopeError::LimitExceeded { .. })
        ));
    }
}
