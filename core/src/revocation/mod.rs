//! Revocation without a network (§8.6 of the digest): the caller supplies CRLs and OCSP
//! responses as [`RevocationEvidence`]; each certificate of a chain (the root excepted) is
//! checked as notation-core-go does — OCSP first when the certificate names a responder, CRLs
//! when it names distribution points (also as the fallback when OCSP is unknown) — and the
//! chain's result is revoked, unknown or good.

mod crl;
mod evidence;
mod ocsp;

pub use crl::Crl;
pub use evidence::{CrlBundle, RevocationEvidence};
pub use ocsp::OcspResponse;

use crate::Time;
use crate::x509::Certificate;
use ocsp::CertStatus;

/// Evidence that does not parse or cannot be used.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum RevocationError {
    /// Beyond a limit in [`crate::limits`].
    #[error("{what} of {actual} exceeds the limit of {limit}")]
    TooLarge {
        /// What was too large or too many.
        what: &'static str,
        /// The limit.
        limit: usize,
        /// What the input had.
        actual: usize,
    },
    /// Not a CRL / OCSP response.
    #[error("malformed {what}: {reason}")]
    Malformed {
        /// `CRL` or `OCSP response`.
        what: &'static str,
        /// Why.
        reason: String,
    },
    /// Parses, but cannot vouch for the certificate (wrong issuer, bad signature, stale, ...).
    #[error("{0}")]
    Invalid(String),
}

/// The revocation status of one certificate.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum CertificateStatus {
    /// Evidence says it is not revoked.
    Good,
    /// It names no OCSP responder and no CRL distribution point (or it is the root).
    NonRevokable,
    /// Evidence says it is revoked.
    Revoked,
    /// No usable evidence; the reasons met along the way.
    Unknown(Vec<String>),
}

/// The status of a whole chain (leaf first, root last) and of each certificate.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ChainStatus {
    /// Per certificate, in chain order.
    pub certificates: Vec<CertificateStatus>,
}

impl ChainStatus {
    /// Any certificate revoked.
    pub fn is_revoked(&self) -> bool {
        self.certificates.contains(&CertificateStatus::Revoked)
    }

    /// No certificate revoked, but some unknown.
    pub fn is_unknown(&self) -> bool {
        !self.is_revoked() && self.certificates.iter().any(|s| matches!(s, CertificateStatus::Unknown(_)))
    }

    /// The reasons recorded for unknown statuses, for messages.
    pub fn reasons(&self) -> Vec<String> {
        self.certificates
            .iter()
            .filter_map(|s| match s {
                CertificateStatus::Unknown(r) => Some(r.join("; ")),
                _ => None,
            })
            .collect()
    }
}

/// Checks every certificate of `chain` (leaf first; the last is the root and is not checked)
/// against `evidence` at time `at`. `signing_time` is the authentic signing time used for the
/// invalidity-date rule (notation passes it only for `notary.x509.signingAuthority`).
pub fn check_chain(
    chain: &[Certificate],
    evidence: &RevocationEvidence,
    signing_time: Option<Time>,
    at: Time,
) -> ChainStatus {
    let mut certificates = Vec::with_capacity(chain.len());
    for (i, cert) in chain.iter().enumerate() {
        let status = match chain.get(i + 1) {
            None => CertificateStatus::NonRevokable,
            Some(issuer) => check_certificate(cert, issuer, evidence, signing_time, at),
        };
        certificates.push(status);
    }
    ChainStatus { certificates }
}

fn check_certificate(
    cert: &Certificate,
    issuer: &Certificate,
    evidence: &RevocationEvidence,
    signing_time: Option<Time>,
    at: Time,
) -> CertificateStatus {
    let has_crl = !cert.crl_distribution_points().is_empty();
    if !cert.ocsp_urls().is_empty() {
        let status = check_ocsp(cert, issuer, evidence, signing_time, at);
        return match status {
            CertificateStatus::Unknown(mut reasons) if has_crl => {
                match check_crl(cert, issuer, evidence, signing_time, at) {
                    CertificateStatus::Unknown(more) => {
                        reasons.extend(more);
                        CertificateStatus::Unknown(reasons)
                    }
                    other => other,
                }
            }
            other => other,
        };
    }
    if has_crl {
        return check_crl(cert, issuer, evidence, signing_time, at);
    }
    CertificateStatus::NonRevokable
}

/// Responses are tried in order; an unusable one is skipped; the first usable answer decides
/// (unknown included, as notation stops at an OCSP "unknown").
fn check_ocsp(
    cert: &Certificate,
    issuer: &Certificate,
    evidence: &RevocationEvidence,
    signing_time: Option<Time>,
    at: Time,
) -> CertificateStatus {
    let mut reasons = Vec::new();
    for response in evidence.ocsp_for(cert, issuer) {
        match response.status_for(cert, issuer, signing_time, at) {
            Ok(CertStatus::Good) => return CertificateStatus::Good,
            Ok(CertStatus::Revoked) => return CertificateStatus::Revoked,
            Ok(CertStatus::Unknown) => {
                reasons.push("the OCSP responder does not know the certificate".into());
                return CertificateStatus::Unknown(reasons);
            }
            Err(e) => reasons.push(format!("OCSP: {e}")),
        }
    }
    if reasons.is_empty() {
        reasons.push(format!("no OCSP response for the certificate (responders {:?})", cert.ocsp_urls()));
    }
    CertificateStatus::Unknown(reasons)
}

/// Every distribution point must have usable evidence saying "not revoked"; the first problem
/// ends the check as unknown (notation-core-go stops at the first failing URL).
fn check_crl(
    cert: &Certificate,
    issuer: &Certificate,
    evidence: &RevocationEvidence,
    signing_time: Option<Time>,
    at: Time,
) -> CertificateStatus {
    for url in cert.crl_distribution_points() {
        let Some(bundle) = evidence.crl_bundle(url, cert) else {
            return CertificateStatus::Unknown(vec![format!("no CRL for the distribution point {url:?}")]);
        };
        let checked = (|| {
            if cert.has_freshest_crl() && bundle.delta.is_none() {
                return Err(crate::revocation::RevocationError::Invalid(format!(
                    "the certificate has a Freshest CRL extension but no delta CRL is given for {url:?}"
                )));
            }
            bundle.base.validate(issuer, url, at)?;
            let mut crls = vec![&bundle.base];
            if let Some(delta) = &bundle.delta {
                delta.validate(issuer, url, at)?;
                delta.validate_delta(&bundle.base)?;
                crls.push(delta);
            }
            Crl::revoked(&crls, cert.raw_serial(), signing_time)
        })();
        match checked {
            Ok(true) => return CertificateStatus::Revoked,
            Ok(false) => {}
            Err(e) => return CertificateStatus::Unknown(vec![format!("CRL {url:?}: {e}")]),
        }
    }
    CertificateStatus::Good
}
