//! `RevocationEvidence`: CRLs and OCSP responses supplied by the caller, converted to the core's
//! `notaverify::revocation::RevocationEvidence`. Which evidence applies to which certificate,
//! and what it says, is decided by the core.

use crate::convert::{self, content_or_path};
use crate::errors::{core_err, detached, invalid_input};
use notaverify::limits::{MAX_CRL_BYTES, MAX_OCSP_RESPONSE_BYTES};
use pyo3::prelude::*;
use pyo3::types::{PyBytes, PyType};
use std::path::PathBuf;

/// Revocation evidence: CRLs and OCSP responses the caller fetched, used instead of a network.
///
/// Without evidence for a certificate that names an OCSP responder or a CRL distribution point,
/// its revocation status is unknown, which fails the revocation check (as notation offline).
/// A `Verifier` takes a copy when built or called; adding evidence afterwards does not change it.
#[pyclass(module = "notaverify", name = "RevocationEvidence")]
pub struct RevocationEvidence {
    pub(crate) inner: notaverify::revocation::RevocationEvidence,
    /// How it was built: what it pickles as.
    pub(crate) recipe: EvidenceRecipe,
}

/// How `RevocationEvidence` was built: the CRL cache it was read from, then the evidence added
/// (`"crl"` with its URL or `"ocsp"`, and the content), in order.
#[derive(Clone, Default)]
pub(crate) struct EvidenceRecipe {
    crl_cache: Option<PathBuf>,
    added: Vec<(String, Option<String>, Vec<u8>)>,
}

impl EvidenceRecipe {
    pub(crate) fn build(&self, py: Python<'_>) -> PyResult<RevocationEvidence> {
        let mut evidence = match &self.crl_cache {
            Some(dir) => RevocationEvidence::read_cache(py, dir.clone())?,
            None => RevocationEvidence::new(),
        };
        for (kind, url, data) in &self.added {
            evidence.add(py, kind, url.as_deref(), data.clone())?;
        }
        Ok(evidence)
    }

    /// The arguments of `_revocation_evidence`.
    #[allow(clippy::type_complexity)]
    pub(crate) fn args<'py>(
        &self,
        py: Python<'py>,
    ) -> (Option<PathBuf>, Vec<(String, Option<String>, Bound<'py, PyBytes>)>) {
        let added = self.added.iter().map(|(k, u, d)| (k.clone(), u.clone(), PyBytes::new(py, d))).collect();
        (self.crl_cache.clone(), added)
    }
}

impl RevocationEvidence {
    fn read_cache(py: Python<'_>, dir: PathBuf) -> PyResult<Self> {
        let loaded = detached(py, || notaverify::loader::read_crl_cache(&dir))?;
        let inner = loaded.map_err(|e| core_err(py, &e))?;
        Ok(Self { inner, recipe: EvidenceRecipe { crl_cache: Some(dir), added: Vec::new() } })
    }

    fn add(&mut self, py: Python<'_>, kind: &str, url: Option<&str>, data: Vec<u8>) -> PyResult<()> {
        let added = match (kind, url) {
            ("crl", Some(url)) => self.inner.add_crl(url, &data),
            ("crl", None) => self.inner.add_crls(&data),
            ("ocsp", _) => self.inner.add_ocsp_response(&data),
            _ => return Err(invalid_input(py, format!("unknown revocation evidence kind {kind:?}"))),
        };
        added.map_err(|e| core_err(py, &notaverify::Error::from(e)))?;
        self.recipe.added.push((kind.to_owned(), url.map(str::to_owned), data));
        Ok(())
    }
}

/// Hidden, for pickle: `RevocationEvidence` from its recipe.
#[pyfunction]
#[allow(clippy::type_complexity)]
pub fn _revocation_evidence(
    py: Python<'_>,
    crl_cache: Option<PathBuf>,
    added: Vec<(String, Option<String>, Vec<u8>)>,
) -> PyResult<RevocationEvidence> {
    EvidenceRecipe { crl_cache, added }.build(py)
}

#[pymethods]
impl RevocationEvidence {
    /// No evidence.
    #[new]
    fn new() -> Self {
        Self { inner: notaverify::revocation::RevocationEvidence::new(), recipe: EvidenceRecipe::default() }
    }

    /// Adds CRLs (DER, or PEM with one or more `X509 CRL` blocks; bytes or a file path).
    ///
    /// With `url`, they are the base CRL and optional delta CRL fetched from that distribution
    /// point; without, base CRLs matched to certificates by issuer and distribution point.
    #[pyo3(signature = (data, *, url = None))]
    fn add_crl(&mut self, py: Python<'_>, data: &Bound<'_, PyAny>, url: Option<&str>) -> PyResult<()> {
        let data = content_or_path(data, "data", "CRL file", MAX_CRL_BYTES)?;
        self.add(py, "crl", url, data.into_vec())
    }

    /// Adds an OCSP response (DER; bytes or a file path).
    fn add_ocsp_response(&mut self, py: Python<'_>, data: &Bound<'_, PyAny>) -> PyResult<()> {
        let data = content_or_path(data, "data", "OCSP response file", MAX_OCSP_RESPONSE_BYTES)?;
        self.add(py, "ocsp", None, data.into_vec())
    }

    /// Reads notation's CRL file cache (a directory of `hex(sha256(url))` files, by default
    /// `{NOTATION_CACHE}/crl`).
    #[classmethod]
    fn from_crl_cache(_cls: &Bound<'_, PyType>, path: &Bound<'_, PyAny>) -> PyResult<Self> {
        let py = path.py();
        Self::read_cache(py, convert::path(path, "path")?)
    }

    /// Pickles as how it was built: the CRL cache it was read from (read again where it is
    /// unpickled) and the evidence added since.
    #[allow(clippy::type_complexity)]
    fn __reduce__<'py>(
        slf: &Bound<'py, Self>,
    ) -> PyResult<(Bound<'py, PyAny>, (Option<PathBuf>, Vec<(String, Option<String>, Bound<'py, PyBytes>)>))> {
        let py = slf.py();
        let args = slf.borrow().recipe.args(py);
        Ok((py.import("notaverify._notaverify")?.getattr("_revocation_evidence")?, args))
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
