//! `inspect_oci_layout` and `inspect`: what an artifact's signatures claim, read with no trust
//! policy or trust store (`notaverify inspect`), as frozen Python objects over the core's
//! [`ArtifactInspection`]. Nothing here is verified; the attributes are built when read.

use crate::api::{EnvelopeFile, signature_input};
use crate::convert::{self, to_datetime};
use crate::errors::{Exc, core_err, detached};
use crate::outcome::{json_loads, string_dict};
use notaverify::Time;
use notaverify::inspect::{self, ArtifactInspection};
use notaverify::loader::TagOrDigest;
use pyo3::exceptions::PyTypeError;
use pyo3::prelude::*;
use pyo3::types::{PyDict, PyTuple};

fn datetime<'py>(py: Python<'py>, t: Option<Time>) -> PyResult<Option<Bound<'py, PyAny>>> {
    t.map(|t| to_datetime(py, t)).transpose()
}

/// `json.loads` of the core's serialization (`serde_json::to_string`) of a value.
fn as_python<'py>(py: Python<'py>, json: serde_json::Result<String>) -> PyResult<Bound<'py, PyAny>> {
    let json = json.map_err(|e| Exc::Base.err(py, e.to_string(), "INTERNAL"))?;
    json_loads(py, &json)
}

/// One certificate as people identify it.
#[pyclass(module = "notaverify", name = "CertificateSummary", frozen, eq)]
#[derive(PartialEq)]
pub struct CertificateSummary {
    inner: inspect::CertificateSummary,
}

#[pymethods]
impl CertificateSummary {
    /// The subject DN, as notation prints it.
    #[getter]
    fn subject(&self) -> &str {
        &self.inner.subject
    }
    /// The issuer DN.
    #[getter]
    fn issuer(&self) -> &str {
        &self.inner.issuer
    }
    /// Lower-case hex SHA-256 of the certificate's DER.
    #[getter]
    fn sha256_fingerprint(&self) -> &str {
        &self.inner.sha256_fingerprint
    }
    /// The serial number, lower-case hex.
    #[getter]
    fn serial_number(&self) -> &str {
        &self.inner.serial_number
    }
    /// Start of validity (aware, UTC).
    #[getter]
    fn not_before<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        to_datetime(py, self.inner.not_before)
    }
    /// End of validity (aware, UTC).
    #[getter]
    fn not_after<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        to_datetime(py, self.inner.not_after)
    }
    fn __repr__(&self) -> String {
        format!(
            "CertificateSummary(subject={:?}, issuer={:?}, sha256_fingerprint={:?})",
            self.inner.subject, self.inner.issuer, self.inner.sha256_fingerprint
        )
    }
}

fn certificate(py: Python<'_>, c: &inspect::CertificateSummary) -> PyResult<Py<CertificateSummary>> {
    Py::new(py, CertificateSummary { inner: c.clone() })
}

/// What a timestamp countersignature claims.
#[pyclass(module = "notaverify", name = "TimestampSummary", frozen, eq)]
#[derive(PartialEq)]
pub struct TimestampSummary {
    inner: inspect::TimestampSummary,
}

#[pymethods]
impl TimestampSummary {
    /// The subject DN of the TSA's signing certificate, when the token carries it.
    #[getter]
    fn tsa_subject(&self) -> Option<&str> {
        self.inner.tsa_subject.as_deref()
    }
    /// The time the TSA asserts (`genTime`; aware, UTC).
    #[getter]
    fn gen_time<'py>(&self, py: Python<'py>) -> PyResult<Option<Bound<'py, PyAny>>> {
        datetime(py, self.inner.gen_time)
    }
    /// Why the token (or a part of it) could not be read.
    #[getter]
    fn error(&self) -> Option<&str> {
        self.inner.error.as_deref()
    }
    fn __repr__(&self) -> String {
        format!(
            "TimestampSummary(tsa_subject={}, gen_time={}, error={})",
            py_repr(self.inner.tsa_subject.as_deref()),
            py_repr(self.inner.gen_time.map(|t| t.to_rfc3339()).as_deref()),
            py_repr(self.inner.error.as_deref())
        )
    }
}

fn py_repr(s: Option<&str>) -> String {
    s.map_or_else(|| "None".to_owned(), |s| format!("{s:?}"))
}

/// What one signature claims; its members are `None` (or empty) when it could not be read, and
/// `error` says why.
#[pyclass(module = "notaverify", name = "SignatureInspection", frozen, eq)]
#[derive(PartialEq)]
pub struct SignatureInspection {
    inner: inspect::SignatureInspection,
}

#[pymethods]
impl SignatureInspection {
    /// The digest of the signature manifest (OCI layouts) or of the envelope file, when known.
    #[getter]
    fn digest(&self) -> Option<&str> {
        self.inner.digest.as_deref()
    }
    /// `application/jose+json` or `application/cose`.
    #[getter]
    fn media_type(&self) -> &str {
        &self.inner.media_type
    }
    /// `notary.x509` or `notary.x509.signingAuthority`.
    #[getter]
    fn signing_scheme(&self) -> Option<&'static str> {
        self.inner.signing_scheme.map(|s| s.as_str())
    }
    /// `io.cncf.notary.signingTime` (scheme `notary.x509`; aware, UTC).
    #[getter]
    fn signing_time<'py>(&self, py: Python<'py>) -> PyResult<Option<Bound<'py, PyAny>>> {
        datetime(py, self.inner.signing_time)
    }
    /// `io.cncf.notary.authenticSigningTime` (scheme `notary.x509.signingAuthority`).
    #[getter]
    fn authentic_signing_time<'py>(&self, py: Python<'py>) -> PyResult<Option<Bound<'py, PyAny>>> {
        datetime(py, self.inner.authentic_signing_time)
    }
    /// `io.cncf.notary.expiry`.
    #[getter]
    fn expiry<'py>(&self, py: Python<'py>) -> PyResult<Option<Bound<'py, PyAny>>> {
        datetime(py, self.inner.expiry)
    }
    /// The signature algorithm, as notation names it (`ES256`, `PS384`, ...).
    #[getter]
    fn signature_algorithm(&self) -> Option<&str> {
        self.inner.signature_algorithm.as_deref()
    }
    /// The leaf certificate: the signer the envelope claims (not verified).
    #[getter]
    fn signer(&self, py: Python<'_>) -> PyResult<Option<Py<CertificateSummary>>> {
        self.inner.signer.as_ref().map(|c| certificate(py, c)).transpose()
    }
    /// The whole certificate chain, leaf first.
    #[getter]
    fn certificate_chain<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyTuple>> {
        let items = self.inner.certificate_chain.iter().map(|c| certificate(py, c)).collect::<PyResult<Vec<_>>>()?;
        PyTuple::new(py, items)
    }
    /// The signed target descriptor (`mediaType`, `digest`, `size`, `annotations` if any).
    #[getter]
    fn target<'py>(&self, py: Python<'py>) -> PyResult<Option<Bound<'py, PyAny>>> {
        self.inner.target.as_ref().map(|t| as_python(py, serde_json::to_string(t))).transpose()
    }
    /// The signed user metadata (the target's annotations).
    #[getter]
    fn user_metadata<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyDict>> {
        string_dict(py, &self.inner.user_metadata)
    }
    /// `io.cncf.notary.signingAgent` (unsigned, informational).
    #[getter]
    fn signing_agent(&self) -> Option<&str> {
        self.inner.signing_agent.as_deref()
    }
    /// The RFC 3161 timestamp countersignature, if any.
    #[getter]
    fn timestamp(&self, py: Python<'_>) -> PyResult<Option<Py<TimestampSummary>>> {
        self.inner.timestamp.as_ref().map(|t| Py::new(py, TimestampSummary { inner: t.clone() })).transpose()
    }
    /// Why the signature (or a part of it) could not be read.
    #[getter]
    fn error(&self) -> Option<&str> {
        self.inner.error.as_deref()
    }
    /// The signature as in the JSON document.
    fn to_dict<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        as_python(py, serde_json::to_string(&self.inner))
    }
    fn __repr__(&self) -> String {
        format!(
            "SignatureInspection(media_type={:?}, signer={}, error={})",
            self.inner.media_type,
            py_repr(self.inner.signer.as_ref().map(|s| s.subject.as_str())),
            py_repr(self.inner.error.as_deref())
        )
    }
}

/// Every signature of one artifact and what each claims.
#[pyclass(module = "notaverify", name = "Inspection", frozen, eq)]
#[derive(PartialEq)]
pub struct Inspection {
    inner: ArtifactInspection,
}

#[pymethods]
impl Inspection {
    /// `<dir>@<digest>` for a layout, else the reference given (or `None`).
    #[getter]
    fn reference(&self) -> Option<&str> {
        self.inner.reference.as_deref()
    }
    /// One entry per signature, in the order of the layout or of the envelopes given.
    #[getter]
    fn signatures<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyTuple>> {
        let items = self
            .inner
            .signatures
            .iter()
            .map(|s| Py::new(py, SignatureInspection { inner: s.clone() }))
            .collect::<PyResult<Vec<_>>>()?;
        PyTuple::new(py, items)
    }
    /// The inspection document, compact: what `notaverify inspect -o json` prints, without the
    /// CLI's `error` member.
    fn to_json(&self) -> String {
        self.inner.to_json()
    }
    /// `json.loads(self.to_json())`.
    fn to_dict<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        json_loads(py, &self.inner.to_json())
    }
    fn __repr__(&self) -> String {
        format!(
            "Inspection(reference={}, signatures={})",
            py_repr(self.inner.reference.as_deref()),
            self.inner.signatures.len()
        )
    }
}

/// Lists every notation signature of the artifact `reference` (a tag or a `sha256:...` digest)
/// of the OCI image layout at `path`, as `notaverify inspect --oci-layout <path>:<tag>` does.
#[pyfunction]
#[pyo3(signature = (path, reference))]
pub fn inspect_oci_layout(py: Python<'_>, path: &Bound<'_, PyAny>, reference: &str) -> PyResult<Inspection> {
    let dir = convert::path(path, "path")?;
    let reference = TagOrDigest::parse(reference).map_err(|e| core_err(py, &e))?;
    let inspected = detached(py, || inspect::inspect_oci_layout(&dir, &reference))?;
    Ok(Inspection { inner: inspected.map_err(|e| core_err(py, &e))? })
}

/// Lists what each of `envelopes` (bytes-like, or paths) claims, as
/// `notaverify inspect --signature FILE...` does; `reference` is reported as given.
#[pyfunction]
#[pyo3(name = "inspect", signature = (envelopes, *, reference = None, media_type = None))]
pub fn inspect_envelopes(
    py: Python<'_>,
    envelopes: &Bound<'_, PyAny>,
    reference: Option<String>,
    media_type: Option<&str>,
) -> PyResult<Inspection> {
    if convert::is_single_input(envelopes) {
        return Err(PyTypeError::new_err(
            "envelopes must be a sequence of envelopes (bytes or paths), not a single one; wrap it in a list",
        ));
    }
    let signatures = envelopes
        .try_iter()?
        .map(|e| signature_input(&e?, media_type, EnvelopeFile::Artifact))
        .collect::<PyResult<Vec<_>>>()?;
    let inner = detached(py, || ArtifactInspection::new(reference, &signatures))?;
    Ok(Inspection { inner })
}
