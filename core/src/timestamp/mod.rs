//! RFC 3161 timestamp countersignatures as notation-go verifies them (through tspclient-go):
//! parse the token ([`TimestampToken::parse`]), check the message imprint against the
//! envelope's signature ([`TstInfo::validate`]), then verify the TSA's signature, its signed
//! attributes and its certificate chain to a `tsa` trust-store root at the token's own time
//! ([`TimestampToken::verify`]).

mod ber;
mod token;
mod verify;

pub use token::{TimestampToken, TstInfo};
pub use verify::Timestamp;

/// Why a timestamp token was rejected. Messages follow tspclient-go's wording where it has one.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum TimestampError {
    /// Larger than [`crate::limits::MAX_TIMESTAMP_TOKEN_BYTES`].
    #[error("timestamp token of {actual} bytes exceeds the limit of {limit}")]
    TooLarge {
        /// The limit.
        limit: usize,
        /// The token's size.
        actual: usize,
    },
    /// Not BER/DER, or not a CMS SignedData as RFC 5652 defines it.
    #[error("invalid timestamp token: {0}")]
    Malformed(String),
    /// The ContentInfo is not signedData.
    #[error("not a signed data")]
    NotSignedData,
    /// The encapsulated content is not a TSTInfo.
    #[error("unexpected content type: {found}. Expected to be id-ct-TSTInfo (1.2.840.113549.1.9.16.1.4)")]
    UnexpectedContentType {
        /// The dotted OID found.
        found: String,
    },
    /// The TSTInfo does not decode.
    #[error("{0}")]
    InvalidTstInfo(String),
    /// The TSTInfo version is not 1.
    #[error("invalid TSTInfo: timestamp token info version must be 1, but got {0}")]
    TstInfoVersion(i64),
    /// The message imprint's hash is not SHA-256/384/512.
    #[error("invalid TSTInfo: unrecognized hash algorithm: {0}")]
    UnrecognizedHashAlgorithm(String),
    /// The message imprint does not match the signature it should cover.
    #[error("invalid TSTInfo: mismatched message")]
    MismatchedMessage,
    /// No `tsa` trust-store root to verify against.
    #[error("tsa root certificate pool cannot be nil")]
    NoRoots,
    /// The token has no SignerInfo.
    #[error("signerInfo not found")]
    NoSignerInfo,
    /// The signingCertificateV2 signed attribute is absent (v1 is not accepted) or malformed.
    #[error("failed to get SigningCertificateV2 from signed attributes: {0}")]
    SigningCertificateV2(String),
    /// signingCertificateV2 lists no certificate.
    #[error("signingCertificateV2 does not contain any certificate")]
    SigningCertificateV2Empty,
    /// The IssuerSerial of the ESSCertIDv2 has no directoryName.
    #[error("issuer name is missing in IssuerSerial")]
    IssuerNameMissing,
    /// The signing certificate is not embedded in the token.
    #[error("signing certificate not found in the timestamp token")]
    SigningCertificateNotFound,
    /// ESSCertIDv2 names a hash other than SHA-256/384/512.
    #[error("unsupported certificate hash algorithm in SigningCertificateV2 attribute")]
    UnsupportedCertHashAlgorithm,
    /// The certificate hash in ESSCertIDv2 does not match the embedded certificate.
    #[error("signing certificate hash does not match CertHash in signed attribute")]
    CertHashMismatch,
    /// The SignerInfo is not version 1.
    #[error("invalid signer info version: only version 1 is supported; got {0}")]
    SignerInfoVersion(i64),
    /// No chain from the signing certificate to a `tsa` root is valid at the token's time.
    #[error("cms verification failure: {0}")]
    Chain(String),
    /// The signature algorithm is not one notation accepts.
    #[error("cms verification failure: unknown signature algorithm")]
    UnknownSignatureAlgorithm,
    /// The TSA's signature does not verify.
    #[error("cms verification failure: the TSA signature does not verify")]
    BadSignature,
    /// A required signed attribute is missing or wrong.
    #[error("cms verification failure: {0}")]
    SignedAttributes(String),
    /// The signing certificate's extended key usage is not exactly timeStamping.
    #[error("signing certificate must have and only have ExtKeyUsageTimeStamping as extended key usage")]
    ExtendedKeyUsage,
    /// The signing certificate's extended key usage extension is not critical.
    #[error("signing certificate extended key usage extension must be set as critical")]
    ExtendedKeyUsageNotCritical,
}
