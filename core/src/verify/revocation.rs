//! Revocation of the signing chain without a network (§8.6 of the digest). Without evidence, a
//! certificate that names an OCSP responder or a CRL distribution point has an unknown status —
//! exactly what notation-go concludes offline — and unknown fails the check.

use crate::Time;
use crate::x509::Certificate;

/// The revocation check of a code-signing chain (leaf first, root last).
pub(crate) fn check_code_signing_chain(chain: &[Certificate], _signing_time: Option<Time>, _at: Time) -> Result<(), String> {
    let non_root = chain.len().saturating_sub(1);
    let unknown = chain
        .iter()
        .take(non_root)
        .find(|c| !c.ocsp_urls().is_empty() || !c.crl_distribution_points().is_empty());
    match (unknown, chain.first()) {
        (Some(_), Some(leaf)) => Err(format!("signing certificate with subject {:?} revocation status is unknown", leaf.subject())),
        _ => Ok(()),
    }
}
