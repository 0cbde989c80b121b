//! The results as frozen Python objects. `Outcome` and `SignatureOutcome` keep the core's value
//! and build Python objects only for the attributes read, so a verification pays nothing for
//! fields nobody looks at.

use crate::convert::to_datetime;
use crate::errors::Exc;
use crate::rollout::Classification;
use notaverify::{ArtifactOutcome, Time};
use notaverify_posture::Classified;
use notaverify_posture::rollout::plain_exit_status;
use pyo3::exceptions::PyDeprecationWarning;
use pyo3::prelude::*;
use pyo3::types::{PyDict, PyTuple};
use std::collections::BTreeMap;

/// The result of one check of one signature.
#[pyclass(module = "notaverify", name = "CheckResult", frozen, eq)]
#[derive(Clone, PartialEq, Eq)]
pub struct CheckResult {
    check: &'static str,
    action: &'static str,
    passed: bool,
    error: Option<String>,
}

#[pymethods]
impl CheckResult {
    /// `integrity`, `authenticity`, `authenticTimestamp`, `expiry` or `revocation`.
    #[getter(r#type)]
    fn get_type(&self) -> &'static str {
        self.check
    }
    /// `enforce`, `log` or `skip`: what the policy does with a failure of this check.
    #[getter]
    fn action(&self) -> &'static str {
        self.action
    }
    /// Whether the check passed.
    #[getter]
    fn passed(&self) -> bool {
        self.passed
    }
    /// Why it failed.
    #[getter]
    fn error(&self) -> Option<&str> {
        self.error.as_deref()
    }
    /// The check as in the CLI's JSON.
    fn to_dict<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyDict>> {
        let d = PyDict::new(py);
        d.set_item("type", self.check)?;
        d.set_item("action", self.action)?;
        d.set_item("passed", self.passed)?;
        d.set_item("error", self.error.as_deref())?;
        Ok(d)
    }
    fn __repr__(&self) -> String {
        format!(
            "CheckResult(type={:?}, action={:?}, passed={}, error={})",
            self.check,
            self.action,
            if self.passed { "True" } else { "False" },
            py_str_repr(self.error.as_deref())
        )
    }
}

impl From<&notaverify::CheckResult> for CheckResult {
    fn from(r: &notaverify::CheckResult) -> Self {
        Self { check: r.check.as_str(), action: r.action.as_str(), passed: r.passed, error: r.error.clone() }
    }
}

/// The signing (leaf) certificate of a signature.
#[pyclass(module = "notaverify", name = "Signer", frozen, get_all, eq)]
#[derive(Clone, PartialEq, Eq)]
pub struct Signer {
    /// Subject DN, as notation prints it.
    subject: String,
    /// Issuer DN.
    issuer: String,
    /// Lower-case hex SHA-256 of the certificate's DER.
    sha256_fingerprint: String,
}

#[pymethods]
impl Signer {
    fn __repr__(&self) -> String {
        format!(
            "Signer(subject={:?}, issuer={:?}, sha256_fingerprint={:?})",
            self.subject, self.issuer, self.sha256_fingerprint
        )
    }
}

/// Why an artifact as a whole failed: the `error` member of the outcome document.
#[pyclass(module = "notaverify", name = "ArtifactError", frozen, get_all, eq)]
#[derive(Clone, PartialEq, Eq)]
pub struct ArtifactError {
    /// `VERIFICATION_FAILED`, `NO_SIGNATURE` or `MAX_SIGNATURES_EXCEEDED`.
    code: &'static str,
    /// A sentence for people.
    message: String,
}

#[pymethods]
impl ArtifactError {
    /// The message, so that `f"{outcome.error}"` reads as it did when `error` was the message.
    fn __str__(&self) -> &str {
        &self.message
    }
    fn __repr__(&self) -> String {
        format!("ArtifactError(code={:?}, message={:?})", self.code, self.message)
    }
}

/// The trust policy statement that applied.
#[pyclass(module = "notaverify", name = "PolicySummary", frozen, get_all, eq)]
#[derive(Clone, PartialEq, Eq)]
pub struct PolicySummary {
    /// The statement's name.
    name: String,
    /// `strict`, `permissive`, `audit` or `skip`.
    level: &'static str,
    /// True when the statement overrides actions of its level.
    custom: bool,
}

#[pymethods]
impl PolicySummary {
    fn __repr__(&self) -> String {
        format!(
            "PolicySummary(name={:?}, level={:?}, custom={})",
            self.name,
            self.level,
            if self.custom { "True" } else { "False" }
        )
    }
}

fn py_str_repr(s: Option<&str>) -> String {
    match s {
        Some(s) => format!("{s:?}"),
        None => "None".into(),
    }
}

fn checks_tuple<'py>(
    py: Python<'py>,
    checks: &[notaverify::CheckResult],
    only_logged_failures: bool,
) -> PyResult<Bound<'py, PyTuple>> {
    let items = checks
        .iter()
        .filter(|r| !only_logged_failures || (!r.passed && r.action == notaverify::Action::Log))
        .map(|r| Py::new(py, CheckResult::from(r)))
        .collect::<PyResult<Vec<_>>>()?;
    PyTuple::new(py, items)
}

pub(crate) fn signer(py: Python<'_>, s: &Option<notaverify::Signer>) -> PyResult<Option<Py<Signer>>> {
    s.as_ref()
        .map(|s| {
            Py::new(
                py,
                Signer {
                    subject: s.subject.clone(),
                    issuer: s.issuer.clone(),
                    sha256_fingerprint: s.sha256_fingerprint.clone(),
                },
            )
        })
        .transpose()
}

fn signing_time<'py>(py: Python<'py>, t: Option<Time>) -> PyResult<Option<Bound<'py, PyAny>>> {
    t.map(|t| to_datetime(py, t)).transpose()
}

pub(crate) fn string_dict<'py>(py: Python<'py>, map: &BTreeMap<String, String>) -> PyResult<Bound<'py, PyDict>> {
    let d = PyDict::new(py);
    for (k, v) in map {
        d.set_item(k, v)?;
    }
    Ok(d)
}

pub(crate) fn json_loads<'py>(py: Python<'py>, json: &str) -> PyResult<Bound<'py, PyAny>> {
    py.import("json")?.getattr("loads")?.call1((json,))
}

/// The outcome of one signature envelope.
#[pyclass(module = "notaverify", name = "SignatureOutcome", frozen)]
pub struct SignatureOutcome {
    inner: notaverify::SignatureOutcome,
}

#[pymethods]
impl SignatureOutcome {
    /// The signature's digest, when known (OCI layouts: the signature manifest's digest).
    #[getter]
    fn digest(&self) -> Option<&str> {
        self.inner.digest.as_deref()
    }
    /// `application/jose+json` or `application/cose`.
    #[getter]
    fn media_type(&self) -> &str {
        &self.inner.media_type
    }
    /// True when no enforced check failed and nothing else failed.
    #[getter]
    fn verified(&self) -> bool {
        self.inner.verified
    }
    /// The checks that ran, in notation-go's order.
    #[getter]
    fn checks<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyTuple>> {
        checks_tuple(py, &self.inner.checks, false)
    }
    /// Checks that failed with action `log`: what enforcement would have blocked.
    #[getter]
    fn logged_failures<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyTuple>> {
        checks_tuple(py, &self.inner.checks, true)
    }
    /// The signing certificate, once the chain parsed.
    #[getter]
    fn signer(&self, py: Python<'_>) -> PyResult<Option<Py<Signer>>> {
        signer(py, &self.inner.signer)
    }
    /// The signing time from the signed attributes (UTC).
    #[getter]
    fn signing_time<'py>(&self, py: Python<'py>) -> PyResult<Option<Bound<'py, PyAny>>> {
        signing_time(py, self.inner.signing_time)
    }
    /// The signed annotations of the target artifact.
    #[getter]
    fn user_metadata<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyDict>> {
        string_dict(py, &self.inner.user_metadata)
    }
    /// What failed the signature: a check name, `verificationPlugin` or `userMetadata`.
    #[getter]
    fn failure(&self) -> Option<&'static str> {
        self.inner.failure.map(|f| f.as_str())
    }
    /// The message of that failure.
    #[getter]
    fn error(&self) -> Option<&str> {
        self.inner.error.as_deref()
    }
    /// The result of the check named `name`, if it ran.
    fn check(&self, name: &str) -> Option<CheckResult> {
        self.inner.checks.iter().find(|r| r.check.as_str() == name).map(CheckResult::from)
    }
    /// The signature as in the CLI's JSON.
    fn to_dict<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        let json = serde_json::to_string(&self.inner).map_err(|e| Exc::Base.err(py, e.to_string(), "INTERNAL"))?;
        json_loads(py, &json)
    }
    fn __repr__(&self) -> String {
        format!(
            "SignatureOutcome(media_type={:?}, verified={}, failure={})",
            self.inner.media_type,
            if self.inner.verified { "True" } else { "False" },
            py_str_repr(self.inner.failure.map(|f| f.as_str()))
        )
    }
    fn __eq__(&self, other: &Bound<'_, PyAny>) -> bool {
        other.cast::<Self>().is_ok_and(|o| o.get().inner == self.inner)
    }
}

/// The outcome of verifying an artifact (or a blob) with its signatures.
#[pyclass(module = "notaverify", name = "Outcome", frozen)]
pub struct Outcome {
    pub(crate) inner: ArtifactOutcome,
    /// The classification, when rollout options were given.
    pub(crate) rollout: Option<Classified>,
}

impl From<ArtifactOutcome> for Outcome {
    fn from(inner: ArtifactOutcome) -> Self {
        Self { inner, rollout: None }
    }
}

impl Outcome {
    /// The signature the summary attributes describe: the one that verified, else the last tried.
    fn primary(&self) -> Option<&notaverify::SignatureOutcome> {
        self.inner.verified_signature().or_else(|| self.inner.signatures.last())
    }

    fn failure_message(&self) -> String {
        let mut msg = format!("{}: signature verification failed", self.inner.reference);
        if let Some(e) = &self.inner.error {
            msg = format!("{}: {}", self.inner.reference, e.message);
        }
        if let Some((Some(kind), Some(err))) = self.primary().map(|sig| (sig.failure, &sig.error)) {
            msg.push_str(&format!(" ({}: {err})", kind.as_str()));
        }
        msg
    }

    pub(crate) fn raise_unless_verified(slf: &Bound<'_, Self>) -> PyResult<()> {
        let this = slf.get();
        if this.inner.verified {
            return Ok(());
        }
        let py = slf.py();
        let code = this.inner.error.as_ref().map_or("VERIFICATION_FAILED", |e| e.code);
        let err = Exc::Verification.class(py).and_then(|cls| cls.call1((this.failure_message(), slf, code)));
        Err(match err {
            Ok(instance) => PyErr::from_value(instance),
            Err(e) => e,
        })
    }
}

#[pymethods]
impl Outcome {
    /// The artifact reference (or blob name) verified.
    #[getter]
    fn reference(&self) -> &str {
        &self.inner.reference
    }
    /// True when a signature verified, or the policy level is `skip` (see `skipped`).
    #[getter]
    fn verified(&self) -> bool {
        self.inner.verified
    }
    /// True when the policy level is `skip`: nothing was verified, by configuration.
    #[getter]
    fn skipped(&self) -> bool {
        self.inner.skipped()
    }
    /// The trust policy statement that applied.
    #[getter]
    fn policy(&self, py: Python<'_>) -> PyResult<Option<Py<PolicySummary>>> {
        self.inner
            .policy
            .as_ref()
            .map(|p| Py::new(py, PolicySummary { name: p.name.clone(), level: p.level.as_str(), custom: p.custom }))
            .transpose()
    }
    /// Every signature tried, in order (verification stops at the first that verifies).
    #[getter]
    fn signatures<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyTuple>> {
        let items = self
            .inner
            .signatures
            .iter()
            .map(|s| Py::new(py, SignatureOutcome { inner: s.clone() }))
            .collect::<PyResult<Vec<_>>>()?;
        PyTuple::new(py, items)
    }
    /// The signature that verified, else the last one tried, else None.
    #[getter]
    fn signature(&self, py: Python<'_>) -> PyResult<Option<Py<SignatureOutcome>>> {
        self.primary().map(|s| Py::new(py, SignatureOutcome { inner: s.clone() })).transpose()
    }
    /// The checks of `signature` (empty when there is none).
    #[getter]
    fn checks<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyTuple>> {
        checks_tuple(py, self.primary().map_or(&[][..], |s| &s.checks), false)
    }
    /// The checks of `signature` that failed with action `log` (warnings).
    #[getter]
    fn logged_failures<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyTuple>> {
        checks_tuple(py, self.primary().map_or(&[][..], |s| &s.checks), true)
    }
    /// The signer of `signature`.
    #[getter]
    fn signer(&self, py: Python<'_>) -> PyResult<Option<Py<Signer>>> {
        match self.primary() {
            Some(s) => signer(py, &s.signer),
            None => Ok(None),
        }
    }
    /// The signing time of `signature` (UTC).
    #[getter]
    fn signing_time<'py>(&self, py: Python<'py>) -> PyResult<Option<Bound<'py, PyAny>>> {
        signing_time(py, self.primary().and_then(|s| s.signing_time))
    }
    /// The signed annotations of `signature`.
    #[getter]
    fn user_metadata<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyDict>> {
        match self.primary() {
            Some(s) => string_dict(py, &s.user_metadata),
            None => Ok(PyDict::new(py)),
        }
    }
    /// Why the artifact failed (`code` and `message`, as in the JSON document); None when it
    /// verified.
    #[getter]
    fn error(&self) -> Option<ArtifactError> {
        self.inner.error.as_ref().map(|e| ArtifactError { code: e.code, message: e.message.clone() })
    }
    /// Deprecated: `error.code`. Warns with `DeprecationWarning`.
    #[getter]
    fn error_code(&self, py: Python<'_>) -> PyResult<Option<&'static str>> {
        PyErr::warn(
            py,
            &py.get_type::<PyDeprecationWarning>(),
            c"Outcome.error_code is deprecated; use Outcome.error.code",
            1,
        )?;
        Ok(self.inner.error.as_ref().map(|e| e.code))
    }
    /// Returns this outcome if it verified; raises `VerificationError` (carrying it) otherwise.
    fn require_verified(slf: Bound<'_, Self>) -> PyResult<Bound<'_, Self>> {
        Self::raise_unless_verified(&slf)?;
        Ok(slf)
    }
    /// The outcome document (docs/schema/outcome.schema.json): what the CLI prints with
    /// `-o json` for the same input, compact. With rollout options (`exceptions`, `retired`,
    /// `warn_only`), the document of `notaverify verify` with the same options.
    fn to_json(&self) -> String {
        match &self.rollout {
            Some(rollout) => rollout.document(&self.inner).to_string(),
            None => self.inner.to_json(),
        }
    }
    /// The class under the rollout options; None when the verification was given none.
    #[getter]
    fn classification(&self, py: Python<'_>) -> PyResult<Option<Classification>> {
        self.rollout.as_ref().map(|r| crate::rollout::classification(py, r)).transpose()
    }
    /// The exit status `notaverify verify` gives for this outcome: with rollout options, 0 in
    /// policy (or any evaluated verdict with `warn_only=True`) and 1 out of policy; without, 0
    /// verified and 1 not.
    #[getter]
    fn exit_status(&self) -> u8 {
        match &self.rollout {
            Some(rollout) => rollout.exit_status(&self.inner),
            None => plain_exit_status(&self.inner),
        }
    }
    /// `json.loads(self.to_json())`.
    fn to_dict<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        json_loads(py, &self.to_json())
    }
    fn __repr__(&self) -> String {
        format!(
            "Outcome(reference={:?}, verified={}, skipped={}, signatures={}, error={})",
            self.inner.reference,
            if self.inner.verified { "True" } else { "False" },
            if self.inner.skipped() { "True" } else { "False" },
            self.inner.signatures.len(),
            py_str_repr(self.inner.error.as_ref().map(|e| e.code)),
        )
    }
    fn __eq__(&self, other: &Bound<'_, PyAny>) -> bool {
        other.cast::<Self>().is_ok_and(|o| o.get().inner == self.inner)
    }
}
