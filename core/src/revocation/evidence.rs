//! [`RevocationEvidence`]: the CRLs and OCSP responses a caller supplies instead of a network.

use super::RevocationError;
use super::crl::Crl;
use super::ocsp::OcspResponse;
use crate::crypto::{self, HashAlgorithm};
use crate::limits::{MAX_CRL_BYTES, MAX_REVOCATION_EVIDENCE_ITEMS};
use crate::x509::Certificate;
use base64::Engine;
use std::collections::BTreeSet;
use std::sync::Arc;

/// Revocation data supplied by the caller: CRLs keyed by the distribution point URL they were
/// fetched from (or, unkeyed, matched by issuer and issuing distribution point), and OCSP
/// responses (matched by the CertID they answer for).
///
/// Nothing is replaced or ranked by where or when it was added: every CRL and response is kept
/// (within [`MAX_REVOCATION_EVIDENCE_ITEMS`] per kind), and which one decides is chosen when a
/// certificate is checked, the same for every order of adding (see [`crate::revocation`]).
///
/// Without evidence for a certificate that names an OCSP responder or a CRL distribution point,
/// its status is unknown, which fails the revocation check — exactly what notation concludes
/// offline. Evidence is cheap to clone (shared).
///
/// ```
/// use notaverify::revocation::RevocationEvidence;
/// let evidence = RevocationEvidence::new();
/// assert!(evidence.is_empty());
/// assert!(RevocationEvidence::new().with_crl("http://crl.example/ca.crl", b"not a CRL").is_err());
/// ```
#[derive(Clone, Debug, Default)]
pub struct RevocationEvidence {
    /// (hex(sha256(url)), CRL): the key of notation's CRL file cache, and a base or delta CRL
    /// fetched from that URL. A URL may have any number of them.
    keyed: Vec<(String, Arc<Crl>)>,
    unkeyed: Vec<Arc<Crl>>,
    ocsp: Vec<Arc<OcspResponse>>,
}

/// The key notation's CRL cache uses for a URL: lower-case hex SHA-256 of the URL.
pub(crate) fn url_key(url: &str) -> String {
    crypto::hex(&crypto::digest(HashAlgorithm::Sha256, url.as_bytes()))
}

impl RevocationEvidence {
    /// No evidence.
    pub fn new() -> Self {
        Self::default()
    }

    /// Whether there is no evidence at all.
    pub fn is_empty(&self) -> bool {
        self.keyed.is_empty() && self.unkeyed.is_empty() && self.ocsp.is_empty()
    }

    /// The CRLs (DER, or PEM with one or more `X509 CRL` blocks) fetched from the distribution
    /// point `url`: base CRLs and delta CRLs, in any order. Every one is kept; the newest base and
    /// the delta that applies to it are chosen when a certificate is checked.
    pub fn add_crl(&mut self, url: &str, bytes: &[u8]) -> Result<(), RevocationError> {
        let crls = parse_crls(bytes)?;
        self.check_crl_capacity(crls.len())?;
        let key = url_key(url);
        self.keyed.extend(crls.into_iter().map(|crl| (key.clone(), Arc::new(crl))));
        Ok(())
    }

    /// [`RevocationEvidence::add_crl`], by value.
    pub fn with_crl(mut self, url: &str, bytes: &[u8]) -> Result<Self, RevocationError> {
        self.add_crl(url, bytes)?;
        Ok(self)
    }

    /// A base CRL and its optional delta, as DER, for the URL key `hex(sha256(url))` (the file
    /// name in notation's CRL cache). They are added to, not put in place of, what the key has.
    pub fn add_crl_bundle_for_key(
        &mut self,
        key: &str,
        base: &[u8],
        delta: Option<&[u8]>,
    ) -> Result<(), RevocationError> {
        let base = Crl::from_der(base)?;
        let delta = delta.map(Crl::from_der).transpose()?;
        if base.is_delta() {
            return Err(RevocationError::Invalid("the base CRL is a delta CRL".into()));
        }
        if delta.as_ref().is_some_and(|d| !d.is_delta()) {
            return Err(RevocationError::Invalid("the delta CRL lacks a delta CRL indicator".into()));
        }
        let crls: Vec<Crl> = std::iter::once(base).chain(delta).collect();
        self.check_crl_capacity(crls.len())?;
        let key = key.to_ascii_lowercase();
        self.keyed.extend(crls.into_iter().map(|crl| (key.clone(), Arc::new(crl))));
        Ok(())
    }

    /// CRLs (DER or PEM) not tied to a URL: a base CRL is used for a certificate when its issuer
    /// is the certificate's issuer and its issuing distribution point (if any) names the URL
    /// being checked. Delta CRLs must be given with [`RevocationEvidence::add_crl`].
    pub fn add_crls(&mut self, bytes: &[u8]) -> Result<(), RevocationError> {
        let crls = parse_crls(bytes)?;
        if crls.iter().any(Crl::is_delta) {
            return Err(RevocationError::Invalid("a delta CRL must be added for its distribution point URL".into()));
        }
        self.check_crl_capacity(crls.len())?;
        self.unkeyed.extend(crls.into_iter().map(Arc::new));
        Ok(())
    }

    /// An OCSP response (DER).
    pub fn add_ocsp_response(&mut self, der: &[u8]) -> Result<(), RevocationError> {
        check_capacity("OCSP responses", self.ocsp.len(), 1)?;
        self.ocsp.push(Arc::new(OcspResponse::from_der(der)?));
        Ok(())
    }

    /// [`RevocationEvidence::add_ocsp_response`], by value.
    pub fn with_ocsp_response(mut self, der: &[u8]) -> Result<Self, RevocationError> {
        self.add_ocsp_response(der)?;
        Ok(self)
    }

    /// Adds everything `other` holds (e.g. a caller's evidence to a CRL cache's). Nothing is
    /// replaced and neither side ranks above the other. Dropping evidence could hide a
    /// revocation, so nothing is dropped: each side is within [`MAX_REVOCATION_EVIDENCE_ITEMS`]
    /// per kind, and the union within twice that.
    pub fn merge(&mut self, other: &Self) {
        self.keyed.extend(other.keyed.iter().cloned());
        self.unkeyed.extend(other.unkeyed.iter().cloned());
        self.ocsp.extend(other.ocsp.iter().cloned());
    }

    /// Number of distribution points with CRLs, unkeyed CRLs and OCSP responses.
    pub fn counts(&self) -> (usize, usize, usize) {
        let urls: BTreeSet<&str> = self.keyed.iter().map(|(key, _)| key.as_str()).collect();
        (urls.len(), self.unkeyed.len(), self.ocsp.len())
    }

    /// Keyed and unkeyed CRLs count together against the limit.
    fn check_crl_capacity(&self, adding: usize) -> Result<(), RevocationError> {
        check_capacity("CRLs", self.keyed.len() + self.unkeyed.len(), adding)
    }

    /// Every CRL that may speak for the distribution point `url` of `cert`: those added for the
    /// URL, and unkeyed base CRLs of the certificate's issuer whose issuing distribution point
    /// (if any) names the URL. Whether each is usable is checked by the caller.
    pub(crate) fn crls_for<'s>(&'s self, url: &'s str, cert: &'s Certificate) -> impl Iterator<Item = &'s Crl> + 's {
        let key = url_key(url);
        let keyed = self.keyed.iter().filter(move |(k, _)| *k == key).map(|(_, crl)| &**crl);
        let unkeyed = self.unkeyed.iter().map(|crl| &**crl).filter(move |c| {
            c.raw_issuer() == cert.raw_issuer() && (c.idp_urls().is_empty() || c.idp_urls().iter().any(|u| u == url))
        });
        keyed.chain(unkeyed)
    }

    /// The OCSP responses that answer for `cert` issued by `issuer`.
    pub(crate) fn ocsp_for<'s>(
        &'s self,
        cert: &'s Certificate,
        issuer: &'s Certificate,
    ) -> impl Iterator<Item = &'s OcspResponse> + 's {
        self.ocsp.iter().map(|r| &**r).filter(move |r| r.covers(cert, issuer))
    }
}

/// Fails when `adding` more items of `what` would exceed [`MAX_REVOCATION_EVIDENCE_ITEMS`].
fn check_capacity(what: &'static str, current: usize, adding: usize) -> Result<(), RevocationError> {
    let total = current.saturating_add(adding);
    if total > MAX_REVOCATION_EVIDENCE_ITEMS {
        return Err(RevocationError::TooLarge { what, limit: MAX_REVOCATION_EVIDENCE_ITEMS, actual: total });
    }
    Ok(())
}

impl PartialEq for RevocationEvidence {
    fn eq(&self, other: &Self) -> bool {
        self.keyed == other.keyed && self.unkeyed == other.unkeyed && self.ocsp == other.ocsp
    }
}

impl Eq for RevocationEvidence {}

/// DER, or PEM with `X509 CRL` blocks.
fn parse_crls(bytes: &[u8]) -> Result<Vec<Crl>, RevocationError> {
    if bytes.len() > MAX_CRL_BYTES.saturating_mul(2) {
        return Err(RevocationError::TooLarge { what: "CRL", limit: MAX_CRL_BYTES, actual: bytes.len() });
    }
    let text = std::str::from_utf8(bytes).ok().filter(|t| t.contains("-----BEGIN X509 CRL-----"));
    let Some(text) = text else { return Ok(vec![Crl::from_der(bytes)?]) };
    let mut out = Vec::new();
    let mut rest = text;
    while let Some(start) = rest.find("-----BEGIN X509 CRL-----") {
        let body_start = start + "-----BEGIN X509 CRL-----".len();
        let end = rest[body_start..]
            .find("-----END X509 CRL-----")
            .ok_or_else(|| RevocationError::Malformed { what: "CRL", reason: "unterminated PEM block".into() })?;
        let body: String = rest[body_start..body_start + end].chars().filter(|c| !c.is_ascii_whitespace()).collect();
        let der = base64::engine::general_purpose::STANDARD
            .decode(body.as_bytes())
            .map_err(|e| RevocationError::Malformed { what: "CRL", reason: format!("invalid PEM: {e}") })?;
        out.push(Crl::from_der(&der)?);
        rest = &rest[body_start + end + "-----END X509 CRL-----".len()..];
    }
    Ok(out)
}
