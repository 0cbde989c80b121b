//! Revocation without a network (§8.6 of the digest): the caller supplies CRLs and OCSP
//! responses as [`RevocationEvidence`]; each certificate of a chain (the root excepted) is
//! checked as notation-core-go does — OCSP first when the certificate names a responder, CRLs
//! when it names distribution points (also as the fallback when OCSP is unknown) — and the
//! chain's result is revoked, unknown or good.
//!
//! Evidence may conflict (a CRL cache and caller files, an old and a new answer). Only usable
//! evidence counts: signed by the issuer (or its authorised OCSP responder), for this
//! certificate, in date at the verification time. Then, whatever order it was given in:
//! - any usable CRL (with the delta applied to it) or OCSP answer that says revoked makes the
//!   certificate revoked, however old it is and whichever method it came from;
//! - otherwise the newest answer decides: for a distribution point, the base CRL with the
//!   highest CRL number (then the latest thisUpdate) and, with it, the newest delta CRL that
//!   applies to it (its BaseCRLNumber at most the base's number, its own number above it);
//!   for OCSP, the answer with the latest producedAt;
//! - answers of the same rank that differ (same CRL number and thisUpdate but other content;
//!   OCSP good and unknown produced at the same time) cannot be ordered, so neither is
//!   trusted: the status is unknown. So is an entry for the certificate that a usable CRL has
//!   but that cannot be interpreted (it might revoke).

mod crl;
mod evidence;
mod ocsp;

pub use crl::Crl;
pub use evidence::RevocationEvidence;
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
    let ocsp = (!cert.ocsp_urls().is_empty()).then(|| check_ocsp(cert, issuer, evidence, signing_time, at));
    let crl = (!cert.crl_distribution_points().is_empty()).then(|| check_crl(cert, issuer, evidence, signing_time, at));
    let status = match (ocsp, crl) {
        (None, None) => CertificateStatus::NonRevokable,
        (Some(only), None) | (None, Some(only)) => only,
        (Some(ocsp), Some(crl)) => ocsp_then_crl(ocsp, crl),
    };
    match status {
        CertificateStatus::Unknown(mut reasons) => {
            // Sorted so that the reasons, too, do not depend on the order evidence was given in.
            reasons.sort();
            reasons.dedup();
            CertificateStatus::Unknown(reasons)
        }
        other => other,
    }
}

/// OCSP decides and CRLs are the fallback when it is unknown (notation-core-go) — except that a
/// CRL that revokes is never overruled by an OCSP "good".
fn ocsp_then_crl(ocsp: CertificateStatus, crl: CertificateStatus) -> CertificateStatus {
    match (ocsp, crl) {
        (CertificateStatus::Revoked, _) | (_, CertificateStatus::Revoked) => CertificateStatus::Revoked,
        (CertificateStatus::Unknown(mut reasons), CertificateStatus::Unknown(more)) => {
            reasons.extend(more);
            CertificateStatus::Unknown(reasons)
        }
        (CertificateStatus::Unknown(_), crl) => crl,
        (ocsp, _) => ocsp,
    }
}

/// Every usable answer of every response for the certificate counts: any revoked answer
/// revokes; otherwise the answers with the latest producedAt decide, and must agree.
fn check_ocsp(
    cert: &Certificate,
    issuer: &Certificate,
    evidence: &RevocationEvidence,
    signing_time: Option<Time>,
    at: Time,
) -> CertificateStatus {
    let mut answers = Vec::new();
    let mut reasons = Vec::new();
    for response in evidence.ocsp_for(cert, issuer) {
        for answer in response.answers_for(cert, issuer, signing_time, at) {
            match answer {
                Ok(answer) => answers.push(answer),
                Err(e) => reasons.push(format!("OCSP: {e}")),
            }
        }
    }
    if answers.iter().any(|a| a.status == CertStatus::Revoked) {
        return CertificateStatus::Revoked;
    }
    let Some(latest) = answers.iter().map(|a| a.produced_at).max() else {
        if reasons.is_empty() {
            reasons.push(format!("no OCSP response for the certificate (responders {:?})", cert.ocsp_urls()));
        }
        return CertificateStatus::Unknown(reasons);
    };
    let newest: Vec<CertStatus> = answers.iter().filter(|a| a.produced_at == latest).map(|a| a.status).collect();
    if newest.iter().all(|s| *s == CertStatus::Good) {
        return CertificateStatus::Good;
    }
    if newest.iter().all(|s| *s == CertStatus::Unknown) {
        reasons.push("the OCSP responder does not know the certificate".into());
    } else {
        reasons.push(format!("OCSP responses produced at {latest} disagree (good and unknown)"));
    }
    CertificateStatus::Unknown(reasons)
}

/// Every distribution point is checked; one that revokes makes the certificate revoked, and
/// otherwise each must have evidence saying "not revoked".
fn check_crl(
    cert: &Certificate,
    issuer: &Certificate,
    evidence: &RevocationEvidence,
    signing_time: Option<Time>,
    at: Time,
) -> CertificateStatus {
    let mut reasons = Vec::new();
    for url in cert.crl_distribution_points() {
        match check_distribution_point(cert, issuer, url, evidence, signing_time, at) {
            CertificateStatus::Revoked => return CertificateStatus::Revoked,
            CertificateStatus::Unknown(more) => reasons.extend(more),
            _ => {}
        }
    }
    if reasons.is_empty() { CertificateStatus::Good } else { CertificateStatus::Unknown(reasons) }
}

/// A usable CRL and its entries for the certificate being checked.
struct Usable<'c> {
    crl: &'c Crl,
    entries: Vec<&'c crl::Entry>,
}

/// The CRLs for one distribution point. Unusable ones only leave a reason. Any usable one that
/// revokes revokes; otherwise the newest base CRL and the newest delta CRL that applies to it
/// (required when the certificate has a Freshest CRL extension) must each be unambiguous.
fn check_distribution_point(
    cert: &Certificate,
    issuer: &Certificate,
    url: &str,
    evidence: &RevocationEvidence,
    signing_time: Option<Time>,
    at: Time,
) -> CertificateStatus {
    let mut reasons = Vec::new();
    let (mut bases, mut deltas) = (Vec::new(), Vec::new());
    for crl in evidence.crls_for(url, cert) {
        match crl.validate(issuer, url, at) {
            Ok(()) => {
                let usable = Usable { crl, entries: crl.entries_for(cert.raw_serial()) };
                if crl.is_delta() { deltas.push(usable) } else { bases.push(usable) }
            }
            Err(e) => reasons.push(format!("CRL {url:?}: {e}")),
        }
    }
    let (revoked, errors) = revocations(&bases, &deltas, signing_time);
    if revoked {
        return CertificateStatus::Revoked;
    }
    let chosen = if errors.is_empty() { choose(cert, &bases, &deltas) } else { Err(errors) };
    match chosen {
        Ok(()) => CertificateStatus::Good,
        Err(why) => {
            reasons.extend(why.into_iter().map(|e| format!("CRL {url:?}: {e}")));
            if reasons.is_empty() {
                reasons.push(format!("no CRL for the distribution point {url:?}"));
            }
            CertificateStatus::Unknown(reasons)
        }
    }
}

/// Whether any usable CRL evidence revokes, and the entries that could not be interpreted (one
/// might revoke, so they make the status unknown). The pieces of evidence are each base CRL with
/// each delta CRL that applies to it (or alone when none does) and each delta CRL that applies
/// to no usable base (alone); a base is not read without its delta, which may lift a hold.
fn revocations(bases: &[Usable<'_>], deltas: &[Usable<'_>], signing_time: Option<Time>) -> (bool, Vec<String>) {
    let (mut revoked, mut errors) = (false, Vec::new());
    let mut judge = |entries: &mut dyn Iterator<Item = &crl::Entry>| match Crl::revoked(entries, signing_time) {
        Ok(r) => revoked |= r,
        Err(e) => errors.push(e.to_string()),
    };
    for base in bases {
        let mut applying = deltas.iter().filter(|d| d.crl.pairs_with(base.crl)).peekable();
        if applying.peek().is_none() {
            judge(&mut base.entries.iter().copied());
        }
        for delta in applying {
            judge(&mut base.entries.iter().chain(&delta.entries).copied());
        }
    }
    for orphan in deltas.iter().filter(|d| !bases.iter().any(|b| d.crl.pairs_with(b.crl))) {
        judge(&mut orphan.entries.iter().copied());
    }
    (revoked, errors)
}

/// Chooses the newest base CRL and the newest delta CRL that applies to it; `Err` says why the
/// evidence cannot vouch for the certificate (none, ambiguous, or the required delta missing).
fn choose(cert: &Certificate, bases: &[Usable<'_>], deltas: &[Usable<'_>]) -> Result<(), Vec<String>> {
    let base = match newest(bases.iter().map(|b| b.crl)) {
        Ok(Some(base)) => base,
        Ok(None) => return Err(Vec::new()),
        Err(conflict) => return Err(vec![format!("base {conflict}")]),
    };
    match newest(deltas.iter().map(|d| d.crl).filter(|d| d.pairs_with(base))) {
        Err(conflict) => Err(vec![format!("delta {conflict}")]),
        Ok(None) if cert.has_freshest_crl() => Err(vec![format!(
            "the certificate has a Freshest CRL extension but no usable delta CRL applies to the base CRL number {}",
            base.number_text()
        )]),
        Ok(_) => Ok(()),
    }
}

/// The newest of `crls` by CRL number then thisUpdate (`None` if there are none). CRLs of the
/// same rank must have the same content: nothing says which of two different ones is right.
fn newest<'c>(crls: impl Iterator<Item = &'c Crl>) -> Result<Option<&'c Crl>, String> {
    let crls: Vec<&Crl> = crls.collect();
    let Some(top) = crls.iter().copied().max_by(|a, b| a.cmp_rank(b)) else { return Ok(None) };
    if crls.iter().any(|c| c.cmp_rank(top).is_eq() && !c.same_content(top)) {
        return Err(format!(
            "CRLs with CRL number {} and thisUpdate {} differ in content",
            top.number_text(),
            top.this_update()
        ));
    }
    Ok(Some(top))
}
