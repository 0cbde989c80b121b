//! `RevocationEvidence`: CRLs and OCSP responses supplied by the caller, converted to the core's
//! `notaverify::revocation::RevocationEvidence`. Which evidence applies to which certificate,
//! and what it says, is decided by the core.

use crate::convert::{self, content_or_path};
use crate::errors::{core_err, detached};
use notaverify::limits::{MAX_CRL_BYTES, MAX_OCSP_RESPONSE_BYTES};
use pyo3::prelude::*;
use pyo3::types::PyType;

/// Revocation evidence: CRLs and OCSP responses the caller fetched, used instead of a network.
///
/// Without evidence for a certificate that names an OCSP responder or a CRL distribution point,
/// its revocation status is unknown, which fails the revocation check (as notation offline).
/// A `Verifier` takes a copy when built or called; adding evidence afterwards does not change it.
#[pyclass(module = "notaverify", name = "RevocationEvidence")]
pub struct RevocationEvidence {
    pub(crate) inner: notaverify::revocation::RevocationEvidence,
}

#[pymethods]
impl RevocationEvidence {
    /// No evidence.
    #[new]
    fn new() -> Self {
        RevocationEvidence { inner: notaverify::revocation::RevocationEvidence::new() }
    }

    /// Adds CRLs (DER, or PEM with one or more `X509 CRL` blocks; bytes or a file path).
    ///
    /// With `url`, they are the base CRL and optional delta CRL fetched from that distribution
    /// point; without, base CRLs matched to certificates by issuer and distribution point.
    #[pyo3(signature = (data, *, url = None))]
    fn add_crl(&mut self, py: Python<'_>, data: &Bound<'_, PyAny>, url: Option<&str>) -> PyResult<()> {
        let data = content_or_path(data, "data", "CRL file", MAX_CRL_BYTES)?;
        let added = match url {
            Some(url) => self.inner.add_crl(url, &data),
            None => self.inner.add_crls(&data),
        };
        added.map_err(|e| core_err(py, &notaverify::Error::from(e)))
    }

    /// Adds an OCSP response (DER; bytes or a file path).
    fn add_ocsp_response(&mut self, py: Python<'_>, data: &Bound<'_, PyAny>) -> PyResult<()> {
        let data = content_or_path(data, "data", "OCSP response file", MAX_OCSP_RESPONSE_BYTES)?;
        self.inner.add_ocsp_response(&data).map_err(|e| core_err(py, &notaverify::Error::from(e)))
    }

    /// Reads notation's CRL file cache (a directory of `hex(sha256(url))` files, by default
    /// `{NOTATION_CACHE}/crl`).
    #[classmethod]
    fn from_crl_cache(_cls: &Bound<'_, PyType>, path: &Bound<'_, PyAny>) -> PyResult<Self> {
        let py = path.py();
        let dir = convert::path(path, "path")?;
        let loaded = detached(py, || notaverify::loader::read_crl_cache(&dir))?;
        let inner = loaded.map_err(|e| core_err(py, &e))?;
        Ok(RevocationEvidence { inner })
    }

    fn __len__(&self) -> usize {
        let (urls, unkeyed, ocsp) = self.inner.counts();
        urls + unkeyed + ocsp
    }

    fn __repr__(&self) -> String {
        let (urls, unkeyed, ocsp) = self.inner.counts();
        format!("RevocationEvidence(crl_urls={urls}, crls={unkeyed}, ocsp_responses={ocsp})")
    }
}
