//! X.509 certificates and notation's certificate-chain rules.
//!
//! Certificates are parsed with the acceptance rules of Go's `crypto/x509` (notation-go's
//! parser), names are rendered as Go's `pkix.Name.String()`, and the chain rules are those of
//! notation-core-go's `ValidateCodeSigningCertChain` and `ValidateTimestampingCertChain`: the
//! chain is checked in the order given, without path building.

mod certificate;
mod chain;
mod extensions;
mod name;
mod pem;
mod public_key;
pub(crate) mod reencoding;
mod signature;

use crate::asn1;
pub use certificate::Certificate;
pub(crate) use certificate::HashedDer;
pub(crate) use extensions::Purpose;
pub(crate) use signature::{AlgorithmIdentifier, cms_scheme, scheme_for};

/// Parses one of the generated test certificates in `core/tests/x509/` (see `generate.py`).
#[cfg(test)]
macro_rules! test_cert {
    ($name:literal) => {
        $crate::x509::Certificate::from_der(include_bytes!(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/tests/x509/",
            $name,
            ".der"
        )))
        .expect($name)
    };
}
pub(crate) use chain::validate_code_signing_chain_with;
pub use chain::{validate_code_signing_chain, validate_timestamping_chain};
#[cfg(test)]
pub(crate) use test_cert;

/// Why one certificate is not accepted as issued by another (or by itself).
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum LinkProblem {
    /// The issuer is not a CA (a v3 certificate without basicConstraints cA, or a keyUsage
    /// without keyCertSign).
    #[error("x509: invalid signature: parent certificate cannot sign this kind of certificate")]
    IssuerCannotSign,
    /// MD5, or SHA-1 where only a self-signature may use it.
    #[error("x509: cannot verify signature: insecure algorithm {algorithm}")]
    InsecureAlgorithm {
        /// Go's name of the algorithm (`SHA1-RSA`, ...).
        algorithm: &'static str,
    },
    /// An algorithm notaverify cannot verify (unknown, DSA, Ed25519, ...).
    #[error("x509: cannot verify signature: algorithm unimplemented ({algorithm})")]
    UnsupportedAlgorithm {
        /// Go's name of the algorithm, or `unknown`.
        algorithm: &'static str,
    },
    /// The signer's key type cannot be used here.
    #[error("the signer's public key is not supported: {key}")]
    UnsupportedKey {
        /// The key's algorithm.
        key: String,
    },
    /// The signature algorithm does not fit the signer's key type.
    #[error("the signature algorithm {algorithm} does not fit the signer's public key")]
    KeyMismatch {
        /// Go's name of the algorithm.
        algorithm: &'static str,
    },
    /// The signature does not verify.
    #[error("the signature does not verify")]
    BadSignature,
    /// The signature verifies but the issuer name is not byte-equal to the signer's subject.
    #[error("issuer and subject names are not byte-equal")]
    NameMismatch,
}

/// A certificate that does not parse or a chain that breaks notation's rules. `index` is the
/// position in the chain (or in the input for [`CertificateError::Malformed`]); `subject` is the
/// certificate's subject as Go prints it.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum CertificateError {
    /// Not a certificate Go would parse.
    #[error("malformed certificate{}: {reason}", at(*index))]
    Malformed {
        /// Position in the input, when known.
        index: Option<usize>,
        /// What is wrong.
        reason: String,
    },
    /// Larger than [`crate::limits::MAX_CERTIFICATE_BYTES`].
    #[error("certificate{} of {actual} bytes exceeds the limit of {limit}", at(*index))]
    TooLarge {
        /// Position in the input, when known.
        index: Option<usize>,
        /// The limit.
        limit: usize,
        /// The certificate's size.
        actual: usize,
    },
    /// A signature check outside a chain failed.
    #[error("certificate{} with subject {subject:?} has an invalid signature: {problem}", at(*index))]
    BadSignature {
        /// Position in the chain, when known.
        index: Option<usize>,
        /// The certificate's subject.
        subject: String,
        /// Why.
        problem: LinkProblem,
    },
    /// The chain is empty.
    #[error("certificate chain must contain at least one certificate")]
    EmptyChain,
    /// A one-certificate chain whose certificate is not self-signed and self-issued.
    #[error("invalid self-signed certificate. subject: {subject:?}. Error: {problem}")]
    InvalidSelfSigned {
        /// Always 0.
        index: usize,
        /// The certificate's subject.
        subject: String,
        /// Why.
        problem: LinkProblem,
    },
    /// The last certificate of a longer chain is not a self-signed root.
    #[error("root certificate {index} with subject {subject:?} is invalid or not self-signed: {problem}")]
    RootNotSelfSigned {
        /// Position in the chain (the last).
        index: usize,
        /// The certificate's subject.
        subject: String,
        /// Why.
        problem: LinkProblem,
    },
    /// A certificate before the last is self-signed (index 0: the leaf).
    #[error("{} certificate {index} with subject {subject:?} is self-signed", if *index == 0 { "leaf" } else { "intermediate" })]
    SelfSignedNotLast {
        /// Position in the chain.
        index: usize,
        /// The certificate's subject.
        subject: String,
    },
    /// `chain[index]` is not issued by `chain[index + 1]`.
    #[error("certificate {index} with subject {subject:?} is not issued by {issuer:?}: {problem}")]
    NotIssuedBy {
        /// Position in the chain.
        index: usize,
        /// The certificate's subject.
        subject: String,
        /// The next certificate's subject.
        issuer: String,
        /// Why.
        problem: LinkProblem,
    },
    /// The leaf has basicConstraints with cA true.
    #[error(
        "certificate {index} with subject {subject:?}: if the basic constraints extension is present, the ca field must be set to false"
    )]
    LeafIsCa {
        /// Position in the chain (0).
        index: usize,
        /// The certificate's subject.
        subject: String,
    },
    /// No keyUsage extension.
    #[error("certificate {index} with subject {subject:?}: key usage extension must be present")]
    KeyUsageMissing {
        /// Position in the chain.
        index: usize,
        /// The certificate's subject.
        subject: String,
    },
    /// keyUsage is not critical (code-signing chains only).
    #[error("certificate {index} with subject {subject:?}: key usage extension must be marked critical")]
    KeyUsageNotCritical {
        /// Position in the chain.
        index: usize,
        /// The certificate's subject.
        subject: String,
    },
    /// The leaf's keyUsage lacks digitalSignature.
    #[error(
        "certificate {index} with subject {subject:?}: the key usage must have the bit positions for \"Digital Signature\" set"
    )]
    LeafKeyUsageMissingDigitalSignature {
        /// Position in the chain (0).
        index: usize,
        /// The certificate's subject.
        subject: String,
    },
    /// The leaf's keyUsage has bits other than digitalSignature and contentCommitment.
    #[error("certificate {index} with subject {subject:?}: the key usage must be \"Digital Signature\" only, but found {}", usages.join(", "))]
    LeafKeyUsageForbidden {
        /// Position in the chain (0).
        index: usize,
        /// The certificate's subject.
        subject: String,
        /// The forbidden usages found (`KeyEncipherment`, `CertSign`, ...).
        usages: Vec<&'static str>,
    },
    /// The code-signing leaf's extKeyUsage has a purpose notation forbids.
    #[error("certificate {index} with subject {subject:?}: extended key usage must not contain {usage} eku")]
    LeafExtendedKeyUsageForbidden {
        /// Position in the chain (0).
        index: usize,
        /// The certificate's subject.
        subject: String,
        /// The first forbidden purpose (`ServerAuth`, `ClientAuth`, `EmailProtection`,
        /// `Timestamping` or `OCSPSigning`).
        usage: &'static str,
    },
    /// The timestamping leaf's extKeyUsage is not exactly `[timeStamping]`.
    #[error(
        "timestamp signing certificate {index} with subject {subject:?} must have and only have Timestamping as extended key usage"
    )]
    TimestampingExtendedKeyUsage {
        /// Position in the chain (0).
        index: usize,
        /// The certificate's subject.
        subject: String,
    },
    /// The timestamping leaf's extKeyUsage is not critical.
    #[error(
        "timestamp signing certificate {index} with subject {subject:?} must have extended key usage extension marked as critical"
    )]
    TimestampingExtendedKeyUsageNotCritical {
        /// Position in the chain (0).
        index: usize,
        /// The certificate's subject.
        subject: String,
    },
    /// The leaf key is not RSA 2048/3072/4096 or EC P-256/P-384/P-521.
    #[error("certificate {index} with subject {subject:?}: key {key} is not supported")]
    UnsupportedKey {
        /// Position in the chain (0).
        index: usize,
        /// The certificate's subject.
        subject: String,
        /// The key (`RSA-1024`, `EC curve 1.3.132.0.33`, ...).
        key: String,
    },
    /// A CA certificate without basicConstraints cA true.
    #[error(
        "certificate {index} with subject {subject:?}: ca field in basic constraints must be present, critical, and set to true"
    )]
    CaBasicConstraints {
        /// Position in the chain.
        index: usize,
        /// The certificate's subject.
        subject: String,
    },
    /// A CA's pathLenConstraint is below the number of CAs beneath it.
    #[error(
        "certificate {index} with subject {subject:?}: expected path length of {required} but certificate has path length {max} instead"
    )]
    CaPathLenExceeded {
        /// Position in the chain.
        index: usize,
        /// The certificate's subject.
        subject: String,
        /// Its pathLenConstraint.
        max: u64,
        /// The number of CA certificates between it and the leaf.
        required: usize,
    },
    /// A CA's keyUsage lacks keyCertSign.
    #[error(
        "certificate {index} with subject {subject:?}: key usage must have the bit positions for key cert sign set"
    )]
    CaKeyUsageMissingCertSign {
        /// Position in the chain.
        index: usize,
        /// The certificate's subject.
        subject: String,
    },
    /// A trust-store certificate that is neither a CA nor self-signed.
    #[error("certificate with subject {subject:?} is not a CA certificate or self-signed signing certificate")]
    NotCaOrSelfSigned {
        /// The certificate's subject.
        subject: String,
    },
    /// A `tsa` trust-store certificate that is not a self-signed root.
    #[error("certificate with subject {subject:?} is not a root CA certificate: {problem}")]
    NotRootCertificate {
        /// The certificate's subject.
        subject: String,
        /// Why.
        problem: LinkProblem,
    },
}

fn at(index: Option<usize>) -> String {
    index.map(|i| format!(" {i}")).unwrap_or_default()
}

impl CertificateError {
    /// Sets the position of a parse or signature error that was raised without one.
    pub(crate) fn with_index(mut self, position: usize) -> Self {
        if let Self::Malformed { index, .. } | Self::TooLarge { index, .. } | Self::BadSignature { index, .. } =
            &mut self
        {
            *index = Some(position);
        }
        self
    }
}

/// Parses certificate file content the way notation does (`parseCertificates` in
/// notation-core-go): if a PEM block is found, every PEM block is parsed as a DER certificate
/// (whatever its type label) and text around blocks is ignored; otherwise the whole input is
/// one or more concatenated DER certificates. Empty input gives no certificates.
///
/// ```
/// assert!(notaverify::x509::parse_certificates(b"").unwrap().is_empty());
/// assert!(notaverify::x509::parse_certificates(b"invalid").is_err());
/// ```
pub fn parse_certificates(bytes: &[u8]) -> Result<Vec<Certificate>, CertificateError> {
    let mut certificates = Vec::new();
    if let Some((first, mut rest)) = pem::decode(bytes) {
        push_parsed(&mut certificates, &first)?;
        while let Some((block, after)) = pem::decode(rest) {
            push_parsed(&mut certificates, &block)?;
            rest = after;
        }
    } else {
        let mut reader = asn1::Reader::new(bytes);
        while !reader.is_empty() {
            let element = reader.read_any().ok_or_else(|| CertificateError::Malformed {
                index: Some(certificates.len()),
                reason: "malformed certificate".into(),
            })?;
            push_parsed(&mut certificates, element.whole)?;
        }
    }
    Ok(certificates)
}

fn push_parsed(certificates: &mut Vec<Certificate>, der: &[u8]) -> Result<(), CertificateError> {
    let certificate = Certificate::from_der(der).map_err(|e| e.with_index(certificates.len()))?;
    certificates.push(certificate);
    Ok(())
}
