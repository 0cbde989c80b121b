//! Revocation of the signing chain without a network (§8.6 of the digest), from the caller's
//! [`RevocationEvidence`]. Without evidence, a certificate that names an OCSP responder or a CRL
//! distribution point has an unknown status — exactly what notation-go concludes offline — and
//! unknown fails the check.

use crate::Time;
use crate::revocation::{self, CertificateStatus, RevocationEvidence};
use crate::x509::Certificate;

/// The revocation check of a code-signing chain (leaf first, root last). `signing_time` is the
/// authentic signing time (signingAuthority scheme only), used for invalidity dates.
pub(crate) fn check_code_signing_chain(
    chain: &[Certificate],
    evidence: &RevocationEvidence,
    signing_time: Option<Time>,
    at: Time,
) -> Result<(), String> {
    outcome(chain, evidence, signing_time, at, "signing certificate")
}

/// The revocation check of a TSA chain, part of the authentic-timestamp check; notation passes
/// no signing time here.
pub(crate) fn check_timestamping_chain(
    chain: &[Certificate],
    evidence: &RevocationEvidence,
    at: Time,
) -> Result<(), String> {
    outcome(chain, evidence, None, at, "timestamping certificate")
}

/// notation-go's `revocationFinalResult`: a revoked certificate wins over an unknown one, and the
/// message names the problematic certificate closest to the leaf. (The reasons behind an
/// unknown status are not part of notation's message and are not added to it.)
fn outcome(
    chain: &[Certificate],
    evidence: &RevocationEvidence,
    signing_time: Option<Time>,
    at: Time,
    what: &str,
) -> Result<(), String> {
    let status = revocation::check_chain(chain, evidence, signing_time, at);
    let subject_where = |pred: fn(&CertificateStatus) -> bool| {
        status
            .certificates
            .iter()
            .position(pred)
            .and_then(|i| chain.get(i))
            .map(Certificate::subject)
            .unwrap_or_default()
    };
    if status.is_revoked() {
        let subject = subject_where(|s| *s == CertificateStatus::Revoked);
        return Err(format!("{what} with subject {subject:?} is revoked"));
    }
    if status.is_unknown() {
        let subject = subject_where(|s| matches!(s, CertificateStatus::Unknown(_)));
        return Err(format!("{what} with subject {subject:?} revocation status is unknown"));
    }
    Ok(())
}
