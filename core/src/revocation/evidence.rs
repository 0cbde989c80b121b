//! [`RevocationEvidence`]: the CRLs and OCSP responses a caller supplies instead of a network.

use super::RevocationError;
use super::crl::Crl;
use super::ocsp::OcspResponse;
use crate::crypto::{self, HashAlgorithm};
use crate::limits::{MAX_CRL_BYTES, MAX_REVOCATION_EVIDENCE_ITEMS};
use crate::x509::Certificate;
use base64::Engine;
use std::collections::BTreeMap;
use std::sync::Arc;

/// The base CRL of a distribution point and its delta CRL, if any (notation's CRL `Bundle`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CrlBundle {
    /// The complete CRL.
    pub base: Crl,
    /// The delta CRL published alongside it.
    pub delta: Option<Crl>,
}

/// Revocation data supplied by the caller: CRLs keyed by the distribution point URL they were
/// fetched from (or, unkeyed, matched by issuer and issuing distribution point), and OCSP
/// responses (matched by the CertID they answer for).
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
    /// hex(sha256(url)) → bundle, the key of notation's CRL file cache.
    by_url: BTreeMap<String, Arc<CrlBundle>>,
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
        self.by_url.is_empty() && self.unkeyed.is_empty() && self.ocsp.is_empty()
    }

    /// The CRLs (DER, or PEM with one or more `X509 CRL` blocks) fetched from the distribution
    /// point `url`: a base CRL and optionally its delta CRL. A later base or delta for the same
    /// URL replaces the earlier one.
    pub fn add_crl(&mut self, url: &str, bytes: &[u8]) -> Result<(), RevocationError> {
        let crls = parse_crls(bytes)?;
        let key = url_key(url);
        for crl in crls {
            self.put(&key, crl)?;
        }
        Ok(())
    }

    /// [`RevocationEvidence::add_crl`], by value.
    pub fn with_crl(mut self, url: &str, bytes: &[u8]) -> Result<Self, RevocationError> {
        self.add_crl(url, bytes)?;
        Ok(self)
    }

    /// A base CRL and its optional delta, as DER, for the URL key `hex(sha256(url))` (the file
    /// name in notation's CRL cache).
    pub fn add_crl_bundle_for_key(
        &mut self,
        key: &str,
        base: &[u8],
        delta: Option<&[u8]>,
    ) -> Result<(), RevocationError> {
        self.check_capacity(self.by_url.len())?;
        let base = Crl::from_der(base)?;
        let delta = delta.map(Crl::from_der).transpose()?;
        if base.is_delta() {
            return Err(RevocationError::Invalid("the base CRL is a delta CRL".into()));
        }
        if delta.as_ref().is_some_and(|d| !d.is_delta()) {
            return Err(RevocationError::Invalid("the delta CRL lacks a delta CRL indicator".into()));
        }
        self.by_url.insert(key.to_ascii_lowercase(), Arc::new(CrlBundle { base, delta }));
        Ok(())
    }

    /// CRLs (DER or PEM) not tied to a URL: a base CRL is used for a certificate when its issuer
    /// is the certificate's issuer and its issuing distribution point (if any) names the URL
    /// being checked. Delta CRLs must be given with [`RevocationEvidence::add_crl`].
    pub fn add_crls(&mut self, bytes: &[u8]) -> Result<(), RevocationError> {
        for crl in parse_crls(bytes)? {
            if crl.is_delta() {
                return Err(RevocationError::Invalid(
                    "a delta CRL must be added for its distribution point URL".into(),
                ));
            }
            self.check_capacity(self.unkeyed.len())?;
            self.unkeyed.push(Arc::new(crl));
        }
        Ok(())
    }

    /// An OCSP response (DER).
    pub fn add_ocsp_response(&mut self, der: &[u8]) -> Result<(), RevocationError> {
        self.check_capacity(self.ocsp.len())?;
        self.ocsp.push(Arc::new(OcspResponse::from_der(der)?));
        Ok(())
    }

    /// [`RevocationEvidence::add_ocsp_response`], by value.
    pub fn with_ocsp_response(mut self, der: &[u8]) -> Result<Self, RevocationError> {
        self.add_ocsp_response(der)?;
        Ok(self)
    }

    /// Adds everything `other` holds; for a URL both have, `other`'s bundle wins.
    pub fn merge(&mut self, other: &RevocationEvidence) {
        for (k, v) in &other.by_url {
            self.by_url.insert(k.clone(), v.clone());
        }
        self.unkeyed.extend(other.unkeyed.iter().cloned());
        self.ocsp.extend(other.ocsp.iter().cloned());
    }

    /// Number of distribution points with CRLs, unkeyed CRLs and OCSP responses.
    pub fn counts(&self) -> (usize, usize, usize) {
        (self.by_url.len(), self.unkeyed.len(), self.ocsp.len())
    }

    fn put(&mut self, key: &str, crl: Crl) -> Result<(), RevocationError> {
        if let Some(existing) = self.by_url.get_mut(key) {
            let bundle = Arc::make_mut(existing);
            if crl.is_delta() {
                bundle.delta = Some(crl);
            } else {
                bundle.base = crl;
            }
            return Ok(());
        }
        if crl.is_delta() {
            return Err(RevocationError::Invalid("a delta CRL was given before its base CRL".into()));
        }
        self.check_capacity(self.by_url.len())?;
        self.by_url.insert(key.to_owned(), Arc::new(CrlBundle { base: crl, delta: None }));
        Ok(())
    }

    fn check_capacity(&self, current: usize) -> Result<(), RevocationError> {
        if current >= MAX_REVOCATION_EVIDENCE_ITEMS {
            return Err(RevocationError::TooLarge {
                what: "revocation evidence items",
                limit: MAX_REVOCATION_EVIDENCE_ITEMS,
                actual: current + 1,
            });
        }
        Ok(())
    }

    /// The CRL bundle for a distribution point of `cert`, if any.
    pub(crate) fn crl_bundle(&self, url: &str, cert: &Certificate) -> Option<CrlBundle> {
        if let Some(b) = self.by_url.get(&url_key(url)) {
            return Some((**b).clone());
        }
        self.unkeyed
            .iter()
            .find(|c| {
                c.raw_issuer() == cert.raw_issuer()
                    && (c.idp_urls().is_empty() || c.idp_urls().iter().any(|u| u == url))
            })
            .map(|c| CrlBundle { base: (**c).clone(), delta: None })
    }

    /// The OCSP responses that answer for `cert` issued by `issuer`, in the order added.
    pub(crate) fn ocsp_for<'s>(
        &'s self,
        cert: &'s Certificate,
        issuer: &'s Certificate,
    ) -> impl Iterator<Item = &'s OcspResponse> + 's {
        self.ocsp.iter().map(|r| &**r).filter(move |r| r.covers(cert, issuer))
    }
}

impl PartialEq for RevocationEvidence {
    fn eq(&self, other: &Self) -> bool {
        self.by_url == other.by_url && self.unkeyed == other.unkeyed && self.ocsp == other.ocsp
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
