//! The rollout options of the verify methods: `Exceptions`, `RetiredMaterial`, `warn_only`, and
//! the `Classification` an outcome carries when they are given. Loading, when to classify,
//! classification, the JSON document and the exit status are the posture crate's
//! (`notaverify_posture::rollout`), exactly as `notaverify verify --exceptions F --retired F
//! [--warn-only]`; this module converts.

use crate::convert::{self, text_or_bytes};
use crate::errors::{core_err, detached};
use notaverify_posture::document::{self, Verdict};
use notaverify_posture::{self as posture, Classified, LoadError, RolloutOptions, rollout};
use pyo3::prelude::*;
use pyo3::types::{PyBytes, PyType};
use std::path::PathBuf;
use std::sync::Arc;

fn load_err(py: Python<'_>, e: &LoadError) -> PyErr {
    let kind = e.error.kind();
    crate::errors::exc_for(kind).err(py, e.to_string(), kind.as_str())
}

/// A validated exceptions file (version 1): each exception names a repository or an artifact,
/// has an owner, a reason and a deadline, and excuses only the classes it lists, before then.
#[pyclass(module = "notaverify", name = "Exceptions", frozen)]
pub struct Exceptions {
    pub(crate) inner: Arc<posture::Exceptions>,
    /// What it was built from: what it pickles as.
    source: Source,
}

/// What a rollout file object was built from: a document, or a file (read again where it is
/// unpickled, like a configuration directory).
#[derive(Clone)]
enum Source {
    Document(Arc<[u8]>),
    File(PathBuf),
}

impl Source {
    /// The constructor (`from_json` or `from_file` of `cls`) and its first argument.
    fn reduce<'py>(&self, cls: &Bound<'py, PyType>) -> PyResult<(Bound<'py, PyAny>, Bound<'py, PyAny>)> {
        let py = cls.py();
        Ok(match self {
            Self::Document(bytes) => (cls.getattr("from_json")?, PyBytes::new(py, bytes).into_any()),
            Self::File(path) => (cls.getattr("from_file")?, path.into_pyobject(py)?.into_any()),
        })
    }
}

#[pymethods]
impl Exceptions {
    /// Parses and validates an exceptions document: JSON text, bytes, or a parsed mapping.
    #[classmethod]
    fn from_json(_cls: &Bound<'_, PyType>, document: &Bound<'_, PyAny>) -> PyResult<Self> {
        let py = document.py();
        let data = text_or_bytes(document, "document")?;
        let parsed = posture::Exceptions::from_json(&data).map_err(|e| core_err(py, &e))?;
        Ok(Self { inner: Arc::new(parsed), source: Source::Document(data.into_vec().into()) })
    }

    /// Reads and validates an exceptions file (as `notaverify verify --exceptions FILE`).
    #[classmethod]
    fn from_file(_cls: &Bound<'_, PyType>, path: &Bound<'_, PyAny>) -> PyResult<Self> {
        let py = path.py();
        let p = convert::path(path, "path")?;
        let parsed = detached(py, || rollout::read_exceptions(&p))?.map_err(|e| load_err(py, &e))?;
        Ok(Self { inner: Arc::new(parsed), source: Source::File(p) })
    }

    /// Pickles as what it was built from: the document, or the file (read again).
    fn __reduce__<'py>(slf: &Bound<'py, Self>) -> PyResult<(Bound<'py, PyAny>, (Bound<'py, PyAny>,))> {
        let (constructor, source) = slf.get().source.reduce(&slf.get_type())?;
        Ok((constructor, (source,)))
    }

    fn __len__(&self) -> usize {
        self.inner.entries().len()
    }

    fn __repr__(&self) -> String {
        format!("Exceptions(entries={})", self.inner.entries().len())
    }
}

/// Retired trust material: stores (`ca:<name>`, resolved from a configuration directory's trust
/// store folders) or certificate fingerprints, with the date retired. Never trusted; a signature
/// anchored there is a `retiredSigner`.
#[pyclass(module = "notaverify", name = "RetiredMaterial", frozen)]
pub struct RetiredMaterial {
    pub(crate) inner: Arc<posture::RetiredMaterial>,
    /// What it was built from: what it pickles as (the stores are read again from
    /// `config_dir` where it is unpickled).
    source: Source,
    config_dir: Option<PathBuf>,
}

#[pymethods]
impl RetiredMaterial {
    /// Parses a retired trust material document (JSON text, bytes or a mapping); retired stores
    /// are read from `config_dir`'s trust store folders (`None`: notation's default directory).
    #[classmethod]
    #[pyo3(signature = (document, config_dir = None))]
    fn from_json(
        _cls: &Bound<'_, PyType>,
        document: &Bound<'_, PyAny>,
        config_dir: Option<&Bound<'_, PyAny>>,
    ) -> PyResult<Self> {
        let py = document.py();
        let data = text_or_bytes(document, "document")?;
        let config_dir = optional_path(config_dir, "config_dir")?;
        let bytes: &[u8] = &data;
        let parsed = detached(py, || rollout::retired_from_json(bytes, config_dir.as_deref()))?;
        let inner = Arc::new(parsed.map_err(|e| load_err(py, &e))?);
        Ok(Self { inner, source: Source::Document(data.into_vec().into()), config_dir })
    }

    /// Reads a retired trust material file (as `notaverify verify --retired FILE`), its stores
    /// from `config_dir` (`None`: notation's default directory).
    #[classmethod]
    #[pyo3(signature = (path, config_dir = None))]
    fn from_file(
        _cls: &Bound<'_, PyType>,
        path: &Bound<'_, PyAny>,
        config_dir: Option<&Bound<'_, PyAny>>,
    ) -> PyResult<Self> {
        let py = path.py();
        let p = convert::path(path, "path")?;
        let config_dir = optional_path(config_dir, "config_dir")?;
        let parsed = detached(py, || rollout::read_retired(&p, config_dir.as_deref()))?;
        let inner = Arc::new(parsed.map_err(|e| load_err(py, &e))?);
        Ok(Self { inner, source: Source::File(p), config_dir })
    }

    /// Pickles as what it was built from: the document or the file, and the configuration
    /// directory its stores are read from.
    #[allow(clippy::type_complexity)]
    fn __reduce__<'py>(slf: &Bound<'py, Self>) -> PyResult<(Bound<'py, PyAny>, (Bound<'py, PyAny>, Option<PathBuf>))> {
        let (constructor, source) = slf.get().source.reduce(&slf.get_type())?;
        Ok((constructor, (source, slf.get().config_dir.clone())))
    }

    fn __repr__(&self) -> String {
        format!("RetiredMaterial(declarations={})", self.inner.declarations().len())
    }
}

fn optional_path(obj: Option<&Bound<'_, PyAny>>, what: &str) -> PyResult<Option<PathBuf>> {
    obj.filter(|p| !p.is_none()).map(|p| convert::path(p, what)).transpose()
}

/// The rollout options of one verify call, converted: the posture crate's (it decides when
/// and how an outcome is classified).
pub(crate) fn options(
    exceptions: Option<&Bound<'_, Exceptions>>,
    retired: Option<&Bound<'_, RetiredMaterial>>,
    warn_only: bool,
) -> RolloutOptions {
    RolloutOptions {
        exceptions: exceptions.map(|e| Arc::clone(&e.get().inner)),
        retired: retired.map(|r| Arc::clone(&r.get().inner)),
        warn_only,
    }
}

/// A class (`verified`, `unsigned`, `unknownSigner`, ...) as its name.
fn class_name(c: posture::Class) -> &'static str {
    c.as_str()
}

/// An exception as reported.
#[pyclass(module = "notaverify", name = "AppliedException", frozen, get_all)]
pub struct AppliedException {
    /// The scope (`registry/repository` or `registry/repository@sha256:...`).
    scope: String,
    /// Why it exists.
    reason: String,
    /// Who owns it.
    owner: String,
    /// The deadline as written.
    expires: String,
    /// Whole days left (negative: days since it expired).
    days_left: i64,
    /// The classes it excuses.
    classes: Vec<&'static str>,
}

impl From<&posture::AppliedException> for AppliedException {
    fn from(e: &posture::AppliedException) -> Self {
        Self {
            scope: e.scope.clone(),
            reason: e.reason.clone(),
            owner: e.owner.clone(),
            expires: e.expires.clone(),
            days_left: e.days_left,
            classes: e.classes.iter().map(|c| class_name(*c)).collect(),
        }
    }
}

#[pymethods]
impl AppliedException {
    fn __repr__(&self) -> String {
        format!(
            "AppliedException(scope={:?}, owner={:?}, expires={:?}, days_left={})",
            self.scope, self.owner, self.expires, self.days_left
        )
    }
}

/// The retired certificate a signature's chain reaches.
#[pyclass(module = "notaverify", name = "RetiredMatch", frozen, get_all)]
pub struct RetiredMatch {
    /// Lower-case hex SHA-256 of the retired certificate.
    sha256_fingerprint: String,
    /// Its subject, when known.
    subject: Option<String>,
    /// The declaration that retired it: `ca:<name>` or `sha256:<hex>`.
    declared_by: String,
    /// When it was retired, as declared.
    retired: String,
    /// The declaration's note.
    note: Option<String>,
}

#[pymethods]
impl RetiredMatch {
    fn __repr__(&self) -> String {
        format!(
            "RetiredMatch(declared_by={:?}, retired={:?}, sha256_fingerprint={:?})",
            self.declared_by, self.retired, self.sha256_fingerprint
        )
    }
}

/// One failure enforcement would block on.
#[pyclass(module = "notaverify", name = "WouldFail", frozen, get_all)]
pub struct WouldFail {
    /// The artifact.
    reference: String,
    /// The class (of the artifact, or of the signature).
    class_: &'static str,
    /// The signature, when the failure is a signature's.
    signature: Option<String>,
    /// The check, failure kind or error code.
    check: Option<String>,
    /// Why.
    reason: Option<String>,
}

#[pymethods]
impl WouldFail {
    fn __repr__(&self) -> String {
        format!("WouldFail(reference={:?}, class_={:?}, check={:?})", self.reference, self.class_, self.check)
    }
}

/// A check that failed with action `log`.
#[pyclass(module = "notaverify", name = "LoggedFailure", frozen, get_all)]
pub struct LoggedFailure {
    /// The signature's digest.
    signature: Option<String>,
    /// The check.
    check: &'static str,
    /// Why it failed.
    error: Option<String>,
}

#[pymethods]
impl LoggedFailure {
    fn __repr__(&self) -> String {
        format!("LoggedFailure(check={:?}, signature={:?})", self.check, self.signature)
    }
}

/// The class of one artifact under the rollout options, with what decided it.
#[pyclass(module = "notaverify", name = "Classification", frozen, get_all)]
pub struct Classification {
    /// `verified`, `unsigned`, `unknownSigner`, `retiredSigner`, `invalidSignature`, `expired`,
    /// `failed`, `excepted` or `skippedByPolicy`.
    class_: &'static str,
    /// Whether the artifact passes (verified, excepted or skippedByPolicy).
    in_policy: bool,
    /// For `excepted`: the class it had.
    underlying: Option<&'static str>,
    /// The check, failure kind or error code behind the class.
    check: Option<String>,
    /// Why, for people.
    reason: Option<String>,
    /// The exception in force, for `excepted`.
    exception: Option<Py<AppliedException>>,
    /// Exceptions that name this artifact but have expired (never applied).
    expired_exceptions: Vec<Py<AppliedException>>,
    /// The retired certificate, for `retiredSigner`.
    retired: Option<Py<RetiredMatch>>,
    /// What enforcement would block on (empty when in policy).
    would_fail: Vec<Py<WouldFail>>,
    /// Checks that failed with action `log`.
    logged: Vec<Py<LoggedFailure>>,
    /// Whether the verification ran in warn mode (`warn_only=True`).
    warn_only: bool,
}

#[pymethods]
impl Classification {
    fn __repr__(&self) -> String {
        format!("Classification(class_={:?}, in_policy={})", self.class_, if self.in_policy { "True" } else { "False" })
    }
}

/// The Python `Classification` of a classified verification.
pub(crate) fn classification(py: Python<'_>, rollout: &Classified) -> PyResult<Classification> {
    let c = &rollout.classification;
    let report = posture::warn_report(c);
    let exceptions = |list: &[posture::AppliedException]| -> PyResult<Vec<Py<AppliedException>>> {
        list.iter().map(|e| Py::new(py, AppliedException::from(e))).collect()
    };
    Ok(Classification {
        class_: class_name(c.class),
        in_policy: c.in_policy,
        underlying: c.underlying.map(class_name),
        check: c.check.clone(),
        reason: c.reason.clone(),
        exception: c.exception.as_ref().map(|e| Py::new(py, AppliedException::from(e))).transpose()?,
        expired_exceptions: exceptions(&c.expired_exceptions)?,
        retired: c
            .retired
            .as_ref()
            .map(|m| {
                Py::new(
                    py,
                    RetiredMatch {
                        sha256_fingerprint: m.sha256_fingerprint.clone(),
                        subject: m.subject.clone(),
                        declared_by: m.declared_by.clone(),
                        retired: m.retired.clone(),
                        note: m.note.clone(),
                    },
                )
            })
            .transpose()?,
        would_fail: report
            .would_fail
            .iter()
            .map(|w| {
                Py::new(
                    py,
                    WouldFail {
                        reference: w.reference.clone(),
                        class_: class_name(w.class),
                        signature: w.signature.clone(),
                        check: w.check.clone(),
                        reason: w.reason.clone(),
                    },
                )
            })
            .collect::<PyResult<_>>()?,
        logged: report
            .logged
            .iter()
            .map(|l| {
                Py::new(
                    py,
                    LoggedFailure { signature: l.signature.clone(), check: l.check.as_str(), error: l.error.clone() },
                )
            })
            .collect::<PyResult<_>>()?,
        warn_only: rollout.warn_only,
    })
}

/// The document `notaverify verify -o json` prints, with the same rollout options, when the
/// request could not be evaluated: `error` is the `NotaverifyError` a verify method raised.
#[pyfunction]
#[pyo3(signature = (reference, error, *, warn_only = false))]
pub fn not_evaluated_document(reference: &str, error: &Bound<'_, PyAny>, warn_only: bool) -> PyResult<String> {
    let code: String = error.getattr("code")?.extract()?;
    let message: String = error.str()?.extract()?;
    let verdict = Verdict::NotEvaluated { reference, code: &code, message: &message };
    Ok(document::verify_document(&verdict, warn_only).to_string())
}
