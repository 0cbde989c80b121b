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

/// Go's `isIssuedBy(subject, issuer)` ([`Certificate::issued_by`]), the one step of a chain walk
/// that depends on nothing but the two certificates' bytes: a verifier may answer it from the
/// links it already verified (`verify/link_cache.rs`); every other rule is evaluated here.
pub(crate) type IssuedBy<'a> = dyn Fn(&Certificate, &Certificate) -> Result<(), LinkProblem> + 'a;

/// Checks a signature's certificate chain (`x5c` / `x5chain`, leaf first) against notation's
/// code-signing rules. No validity periods are checked here.
pub fn validate_code_signing_chain(chain: &[Certificate]) -> Result<(), CertificateError> {
    validate(chain, ChainKind::CodeSigning, &Certificate::issued_by)
}

/// [`validate_code_signing_chain`] with each link (and the root's self-signature) checked by
/// `issued_by`, which must give [`Certificate::issued_by`]'s answer.
pub(crate) fn validate_code_signing_chain_with(
    chain: &[Certificate],
    issued_by: &IssuedBy<'_>,
) -> Result<(), CertificateError> {
    validate(chain, ChainKind::CodeSigning, issued_by)
}

/// Checks a timestamp token's certificate chain (leaf first, ending in a root) against
/// notation's timestamping rules. No validity periods are checked here.
pub fn validate_timestamping_chain(chain: &[Certificate]) -> Result<(), CertificateError> {
    validate(chain, ChainKind::Timestamping, &Certificate::issued_by)
}

fn validate(chain: &[Certificate], kind: ChainKind, issued_by: &IssuedBy<'_>) -> Result<(), CertificateError> {
    let subject = Certificate::subject;
    match chain {
        [] => return Err(CertificateError::EmptyChain),
        [only] => {
            let self_signed = only
                .check_self_signature()
                .and_then(|()| if only.is_self_issued() { Ok(()) } else { Err(LinkProblem::NameMismatch) });
            self_signed.map_err(|problem| CertificateError::InvalidSelfSigned {
                index: 0,
                subject: subject(only),
                problem,
            })?;
            return check_leaf(only, kind);
        }
        _ => {}
    }
    for (index, (cert, parent)) in chain.iter().zip(chain.iter().skip(1).map(Some).chain([None])).enumerate() {
        match parent {
            None => issued_by(cert, cert).map_err(|problem| CertificateError::RootNotSelfSigned {
                index,
                subject: subject(cert),
                problem,
            })?,
            Some(parent) => {
                // Go's isSelfSigned (signature from itself and raw subject == raw issuer); the
                // name test first spares a signature check that cannot change the answer.
                if cert.is_self_issued() && issued_by(cert, cert).is_ok() {
                    return Err(CertificateError::SelfSignedNotLast { index, subject: subject(cert) });
                }
                issued_by(cert, parent).map_err(|problem| CertificateError::NotIssuedBy {
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
    if cert.basic_constraints().is_some_and(|bc| bc.ca) {
        return Err(CertificateError::LeafIsCa { index, subject: cert.subject() });
    }
    let bits = key_usage_bits(cert, kind, index)?;
    if bits & key_usage::DIGITAL_SIGNATURE == 0 {
        return Err(CertificateError::LeafKeyUsageMissingDigitalSignature { index, subject: cert.subject() });
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
    let usages: Vec<&'static str> =
        FORBIDDEN_USAGES.iter().filter(|(bit, _)| bits & bit != 0).map(|(_, name)| *name).collect();
    if !usages.is_empty() {
        return Err(CertificateError::LeafKeyUsageForbidden { index, subject: cert.subject(), usages });
    }
    match kind {
        ChainKind::CodeSigning => check_code_signing_purposes(cert)?,
        ChainKind::Timestamping => check_timestamping_purposes(cert)?,
    }
    match cert.public_key() {
        PublicKey::Rsa { bits: 2048 | 3072 | 4096, .. } | PublicKey::Ec { .. } => Ok(()),
        key => Err(CertificateError::UnsupportedKey { index, subject: cert.subject(), key: key.describe() }),
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
        Purpose::CodeSigning | Purpose::Any | Purpose::Other => None,
    });
    match forbidden {
        Some(usage) => {
            Err(CertificateError::LeafExtendedKeyUsageForbidden { index: 0, subject: cert.subject(), usage })
        }
        None => Ok(()),
    }
}

/// RFC 3161 §2.3: exactly one purpose, timeStamping, in a critical extension.
fn check_timestamping_purposes(cert: &Certificate) -> Result<(), CertificateError> {
    let subject = cert.subject();
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
    let Some(constraints) = cert.basic_constraints().filter(|bc| bc.ca) else {
        return Err(CertificateError::CaBasicConstraints { index, subject: cert.subject() });
    };
    if let Some(max) = constraints.path_len.filter(|max| u64::try_from(cas_below).is_ok_and(|required| *max < required))
    {
        return Err(CertificateError::CaPathLenExceeded { index, subject: cert.subject(), max, required: cas_below });
    }
    if key_usage_bits(cert, kind, index)? & key_usage::KEY_CERT_SIGN == 0 {
        return Err(CertificateError::CaKeyUsageMissingCertSign { index, subject: cert.subject() });
    }
    Ok(())
}

/// keyUsage must be present; for code signing also critical.
fn key_usage_bits(cert: &Certificate, kind: ChainKind, index: usize) -> Result<u16, CertificateError> {
    match cert.key_usage() {
        None => Err(CertificateError::KeyUsageMissing { index, subject: cert.subject() }),
        Some(ku) if kind == ChainKind::CodeSigning && !ku.critical => {
            Err(CertificateError::KeyUsageNotCritical { index, subject: cert.subject() })
        }
        Some(ku) => Ok(ku.bits),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::x509::test_cert;

    fn code_signing(chain: &[Certificate]) -> Result<(), CertificateError> {
        validate_code_signing_chain(chain)
    }

    /// `[leaf, inter, root]` with the given leaf.
    fn under_inter(leaf: Certificate) -> Vec<Certificate> {
        vec![leaf, test_cert!("inter"), test_cert!("root")]
    }

    fn leaf_error(leaf: Certificate) -> CertificateError {
        code_signing(&under_inter(leaf)).unwrap_err()
    }

    #[test]
    fn valid_code_signing_chains() {
        for leaf in [
            test_cert!("leaf"),
            test_cert!("leaf_no_eku"),
            test_cert!("leaf_ku_content_commitment"),
            test_cert!("leaf_ca_false"),
            test_cert!("leaf_eku_any"),
            test_cert!("leaf_eku_unknown"),
        ] {
            let subject = leaf.subject();
            assert_eq!(code_signing(&under_inter(leaf)), Ok(()), "{subject}");
        }
        assert_eq!(code_signing(&[test_cert!("self_signed")]), Ok(()));
        assert_eq!(code_signing(&[test_cert!("leaf_pss"), test_cert!("inter_rsa"), test_cert!("root")]), Ok(()));
        assert_eq!(
            code_signing(&[test_cert!("leaf_p521_sha512"), test_cert!("inter_p521"), test_cert!("root")]),
            Ok(())
        );
    }

    #[test]
    fn leaf_key_usage_rules() {
        assert!(matches!(
            leaf_error(test_cert!("leaf_ku_not_critical")),
            CertificateError::KeyUsageNotCritical { index: 0, .. }
        ));
        assert!(matches!(leaf_error(test_cert!("leaf_no_ku")), CertificateError::KeyUsageMissing { index: 0, .. }));
        assert!(matches!(
            leaf_error(test_cert!("leaf_ku_no_digital_signature")),
            CertificateError::LeafKeyUsageMissingDigitalSignature { index: 0, .. }
        ));
        match leaf_error(test_cert!("leaf_ku_cert_sign")) {
            CertificateError::LeafKeyUsageForbidden { index: 0, usages, .. } => {
                assert_eq!(usages, ["CertSign", "CRLSign"])
            }
            other => panic!("{other:?}"),
        }
        assert!(matches!(leaf_error(test_cert!("leaf_ca")), CertificateError::LeafIsCa { index: 0, .. }));
    }

    #[test]
    fn leaf_extended_key_usage_rules() {
        for (file, expected) in [
            (test_cert!("leaf_eku_server_auth"), "ServerAuth"),
            (test_cert!("leaf_eku_client_auth"), "ClientAuth"),
            (test_cert!("leaf_eku_email_protection"), "EmailProtection"),
            (test_cert!("leaf_eku_time_stamping"), "Timestamping"),
            (test_cert!("leaf_eku_ocsp_signing"), "OCSPSigning"),
        ] {
            match leaf_error(file) {
                CertificateError::LeafExtendedKeyUsageForbidden { index: 0, usage, .. } => assert_eq!(usage, expected),
                other => panic!("{expected}: {other:?}"),
            }
        }
    }

    #[test]
    fn leaf_key_spec_rules() {
        match leaf_error(test_cert!("leaf_rsa1024")) {
            CertificateError::UnsupportedKey { index: 0, key, .. } => assert_eq!(key, "RSA-1024"),
            other => panic!("{other:?}"),
        }
        match leaf_error(test_cert!("leaf_p224")) {
            CertificateError::UnsupportedKey { index: 0, key, .. } => assert!(key.contains("1.3.132.0.33"), "{key}"),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn intermediate_rules() {
        let with_inter =
            |inter: Certificate| code_signing(&[test_cert!("leaf"), inter, test_cert!("root")]).unwrap_err();
        // An issuer that may not sign certificates fails Go's CheckSignatureFrom before the CA rules.
        for inter in [test_cert!("inter_no_bc"), test_cert!("inter_ca_false"), test_cert!("inter_ku_digital_signature")]
        {
            assert!(matches!(
                with_inter(inter),
                CertificateError::NotIssuedBy { index: 0, problem: LinkProblem::IssuerCannotSign, .. }
            ));
        }
        assert!(matches!(
            with_inter(test_cert!("inter_ku_not_critical")),
            CertificateError::KeyUsageNotCritical { index: 1, .. }
        ));
        assert!(matches!(with_inter(test_cert!("inter_no_ku")), CertificateError::KeyUsageMissing { index: 1, .. }));
        assert!(matches!(
            with_inter(test_cert!("inter_ku_empty")),
            CertificateError::CaKeyUsageMissingCertSign { index: 1, .. }
        ));
    }

    #[test]
    fn ca_rules_applied_directly() {
        let kind = ChainKind::CodeSigning;
        assert!(matches!(
            check_ca(&test_cert!("inter_no_bc"), kind, 1, 0),
            Err(CertificateError::CaBasicConstraints { index: 1, .. })
        ));
        assert!(matches!(
            check_ca(&test_cert!("inter_ca_false"), kind, 1, 0),
            Err(CertificateError::CaBasicConstraints { .. })
        ));
        assert!(matches!(
            check_ca(&test_cert!("inter_ku_digital_signature"), kind, 1, 0),
            Err(CertificateError::CaKeyUsageMissingCertSign { .. })
        ));
        assert_eq!(check_ca(&test_cert!("inter"), kind, 1, 0), Ok(()));
        assert!(matches!(
            check_ca(&test_cert!("inter"), kind, 1, 1),
            Err(CertificateError::CaPathLenExceeded { index: 1, max: 0, required: 1, .. })
        ));
    }

    #[test]
    fn path_length_counts_the_cas_below() {
        let chain = [test_cert!("leaf"), test_cert!("inter"), test_cert!("root_path_len_0")];
        assert!(matches!(
            code_signing(&chain),
            Err(CertificateError::CaPathLenExceeded { index: 2, max: 0, required: 1, .. })
        ));
    }

    #[test]
    fn chain_structure_rules() {
        let (leaf, inter, root) = (test_cert!("leaf"), test_cert!("inter"), test_cert!("root"));
        assert_eq!(code_signing(&[]), Err(CertificateError::EmptyChain));
        assert!(matches!(
            code_signing(&[leaf.clone(), root.clone(), inter.clone()]),
            Err(CertificateError::NotIssuedBy { index: 0, problem: LinkProblem::BadSignature, .. })
        ));
        assert!(matches!(
            code_signing(&[leaf.clone(), test_cert!("unrelated_root"), root.clone()]),
            Err(CertificateError::NotIssuedBy { index: 0, problem: LinkProblem::BadSignature, .. })
        ));
        assert!(matches!(
            code_signing(&[leaf.clone(), inter.clone(), root.clone(), root.clone()]),
            Err(CertificateError::SelfSignedNotLast { index: 2, .. })
        ));
        assert!(matches!(
            code_signing(&[leaf.clone(), inter.clone()]),
            Err(CertificateError::RootNotSelfSigned { index: 1, problem: LinkProblem::BadSignature, .. })
        ));
        assert!(matches!(
            code_signing(&[root.clone(), root.clone()]),
            Err(CertificateError::SelfSignedNotLast { index: 0, .. })
        ));
        // A self-signed non-CA leaf is not "self-signed" for Go's CheckSignatureFrom, so it is
        // reported as not issued by the next certificate.
        assert!(matches!(
            code_signing(&[test_cert!("self_signed"), root.clone()]),
            Err(CertificateError::NotIssuedBy { index: 0, .. })
        ));
        assert!(matches!(
            code_signing(std::slice::from_ref(&leaf)),
            Err(CertificateError::InvalidSelfSigned { index: 0, problem: LinkProblem::BadSignature, .. })
        ));
        assert!(matches!(
            code_signing(&[test_cert!("self_signed_other_issuer")]),
            Err(CertificateError::InvalidSelfSigned { problem: LinkProblem::NameMismatch, .. })
        ));
    }

    #[test]
    fn link_signature_rules() {
        assert!(matches!(
            code_signing(&[test_cert!("leaf_sha1"), test_cert!("inter_rsa"), test_cert!("root")]),
            Err(CertificateError::NotIssuedBy {
                index: 0,
                problem: LinkProblem::InsecureAlgorithm { algorithm: "SHA1-RSA" },
                ..
            })
        ));
        assert!(matches!(
            code_signing(&under_inter(test_cert!("leaf_issuer_printable"))),
            Err(CertificateError::NotIssuedBy { index: 0, problem: LinkProblem::NameMismatch, .. })
        ));
    }

    #[test]
    fn timestamping_chains() {
        let tsa = |leaf: Certificate| validate_timestamping_chain(&under_inter(leaf));
        assert_eq!(tsa(test_cert!("tsa_leaf")), Ok(()));
        assert!(matches!(
            tsa(test_cert!("tsa_leaf_eku_not_critical")),
            Err(CertificateError::TimestampingExtendedKeyUsageNotCritical { index: 0, .. })
        ));
        for leaf in [test_cert!("tsa_leaf_eku_extra"), test_cert!("tsa_leaf_no_eku"), test_cert!("leaf")] {
            assert!(matches!(tsa(leaf), Err(CertificateError::TimestampingExtendedKeyUsage { index: 0, .. })));
        }
        // keyUsage criticality matters only for code signing.
        assert!(matches!(leaf_error(test_cert!("tsa_leaf")), CertificateError::KeyUsageNotCritical { index: 0, .. }));
    }
}
