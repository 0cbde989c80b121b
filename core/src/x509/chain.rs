//! notation-core-go's chain rules (`ValidateCodeSigningCertChain` with no signing time, and
//! `ValidateTimestampingCertChain`): the chain is walked in the given order, leaf first, and
//! must end in a self-signed root. The two differ only in the leaf's extended key usage and in
//! whether keyUsage must be critical.

use super::extensions::{Purpose, key_usage};
use super::{Certificate, CertificateError, LinkProblem};
use crate::crypto::PublicKey;

#[derive(Clone, Copy, PartialEq, Eq)]
enum ChainKind {
    CodeSigning,
    Timestamping,
}

/// Checks a signature's certificate chain (`x5c` / `x5chain`, leaf first) against notation's
/// code-signing rules. No validity periods are checked here.
pub fn validate_code_signing_chain(chain: &[Certificate]) -> Result<(), CertificateError> {
    validate(chain, ChainKind::CodeSigning)
}

/// Checks a timestamp token's certificate chain (leaf first, ending in a root) against
/// notation's timestamping rules. No validity periods are checked here.
pub fn validate_timestamping_chain(chain: &[Certificate]) -> Result<(), CertificateError> {
    validate(chain, ChainKind::Timestamping)
}

fn validate(chain: &[Certificate], kind: ChainKind) -> Result<(), CertificateError> {
    let subject = |cert: &Certificate| cert.subject().to_owned();
    match chain {
        [] => return Err(CertificateError::EmptyChain),
        [only] => {
            let self_signed = only.check_self_signature().and_then(|()| {
                if only.is_self_issued() { Ok(()) } else { Err(LinkProblem::NameMismatch) }
            });
            self_signed.map_err(|problem| CertificateError::InvalidSelfSigned { index: 0, subject: subject(only), problem })?;
            return check_leaf(only, kind);
        }
        _ => {}
    }
    for (index, (cert, parent)) in chain.iter().zip(chain.iter().skip(1).map(Some).chain([None])).enumerate() {
        match parent {
            None => cert
                .issued_by(cert)
                .map_err(|problem| CertificateError::RootNotSelfSigned { index, subject: subject(cert), problem })?,
            Some(parent) => {
                if cert.issued_by(cert).is_ok() {
                    return Err(CertificateError::SelfSignedNotLast { index, subject: subject(cert) });
                }
                cert.issued_by(parent).map_err(|problem| CertificateError::NotIssuedBy {
                    index,
                    subject: subject(cert),
                    issuer: subject(parent),
                    problem,
                })?;
            }
        }
        match index.checked_sub(1) {
            None => check_leaf(cert, kind)?,
            Some(cas_below) => check_ca(cert, kind, index, cas_below)?,
        }
    }
    Ok(())
}

fn check_leaf(cert: &Certificate, kind: ChainKind) -> Result<(), CertificateError> {
    let index = 0;
    let subject = || cert.subject().to_owned();
    if cert.basic_constraints().is_some_and(|bc| bc.ca) {
        return Err(CertificateError::LeafIsCa { index, subject: subject() });
    }
    let bits = key_usage_bits(cert, kind, index)?;
    if bits & key_usage::DIGITAL_SIGNATURE == 0 {
        return Err(CertificateError::LeafKeyUsageMissingDigitalSignature { index, subject: subject() });
    }
    const FORBIDDEN_USAGES: [(u16, &str); 7] = [
        (key_usage::KEY_ENCIPHERMENT, "KeyEncipherment"),
        (key_usage::DATA_ENCIPHERMENT, "DataEncipherment"),
        (key_usage::KEY_AGREEMENT, "KeyAgreement"),
        (key_usage::KEY_CERT_SIGN, "CertSign"),
        (key_usage::CRL_SIGN, "CRLSign"),
        (key_usage::ENCIPHER_ONLY, "EncipherOnly"),
        (key_usage::DECIPHER_ONLY, "DecipherOnly"),
    ];
    let usages: Vec<&'static str> = FORBIDDEN_USAGES.iter().filter(|(bit, _)| bits & bit != 0).map(|(_, name)| *name).collect();
    if !usages.is_empty() {
        return Err(CertificateError::LeafKeyUsageForbidden { index, subject: subject(), usages });
    }
    match kind {
        ChainKind::CodeSigning => check_code_signing_purposes(cert)?,
        ChainKind::Timestamping => check_timestamping_purposes(cert)?,
    }
    match cert.public_key() {
        PublicKey::Rsa { bits: 2048 | 3072 | 4096, .. } | PublicKey::Ec { .. } => Ok(()),
        key => Err(CertificateError::UnsupportedKey { index, subject: subject(), key: key.describe() }),
    }
}

/// notation rejects these purposes in a code-signing leaf, reporting the first one found in
/// certificate order. (anyExtendedKeyUsage and unknown purposes pass, as in notation-core-go.)
fn check_code_signing_purposes(cert: &Certificate) -> Result<(), CertificateError> {
    let forbidden = cert.extended_key_usage().into_iter().flat_map(|eku| eku.purposes.iter()).find_map(|p| match p {
        Purpose::ServerAuth => Some("ServerAuth"),
        Purpose::ClientAuth => Some("ClientAuth"),
        Purpose::EmailProtection => Some("EmailProtection"),
        Purpose::TimeStamping => Some("Timestamping"),
        Purpose::OcspSigning => Some("OCSPSigning"),
        Purpose::CodeSigning | Purpose::Other => None,
    });
    match forbidden {
        Some(usage) => Err(CertificateError::LeafExtendedKeyUsageForbidden { index: 0, subject: cert.subject().to_owned(), usage }),
        None => Ok(()),
    }
}

/// RFC 3161 §2.3: exactly one purpose, timeStamping, in a critical extension.
fn check_timestamping_purposes(cert: &Certificate) -> Result<(), CertificateError> {
    let subject = cert.subject().to_owned();
    match cert.extended_key_usage() {
        Some(eku) if eku.purposes == [Purpose::TimeStamping] => {
            if eku.critical {
                Ok(())
            } else {
                Err(CertificateError::TimestampingExtendedKeyUsageNotCritical { index: 0, subject })
            }
        }
        _ => Err(CertificateError::TimestampingExtendedKeyUsage { index: 0, subject }),
    }
}

fn check_ca(cert: &Certificate, kind: ChainKind, index: usize, cas_below: usize) -> Result<(), CertificateError> {
    let subject = || cert.subject().to_owned();
    let Some(constraints) = cert.basic_constraints().filter(|bc| bc.ca) else {
        return Err(CertificateError::CaBasicConstraints { index, subject: subject() });
    };
    if let Some(max) = constraints.path_len {
        if u64::try_from(cas_below).is_ok_and(|required| max < required) {
            return Err(CertificateError::CaPathLenExceeded { index, subject: subject(), max, required: cas_below });
        }
    }
    if key_usage_bits(cert, kind, index)? & key_usage::KEY_CERT_SIGN == 0 {
        return Err(CertificateError::CaKeyUsageMissingCertSign { index, subject: subject() });
    }
    Ok(())
}

/// keyUsage must be present; for code signing also critical.
fn key_usage_bits(cert: &Certificate, kind: ChainKind, index: usize) -> Result<u16, CertificateError> {
    let subject = cert.subject().to_owned();
    match cert.key_usage() {
        None => Err(CertificateError::KeyUsageMissing { index, subject }),
        Some(ku) if kind == ChainKind::CodeSigning && !ku.critical => Err(CertificateError::KeyUsageNotCritical { index, subject }),
        Some(ku) => Ok(ku.bits),
    }
}
