//! From core errors to the Python exceptions of `notaverify._errors`, and the panic guard.

use notaverify::ErrorKind;
use pyo3::prelude::*;
use pyo3::sync::PyOnceLock;
use pyo3::types::PyType;

/// The Python exception classes, defined in `notaverify/_errors.py` (multiple inheritance from
/// `ValueError` is simpler there) and looked up once.
#[derive(Clone, Copy)]
pub(crate) enum Exc {
    Base,
    Policy,
    TrustStore,
    EnvelopeFormat,
    InvalidInput,
    Verification,
}

static BASE: PyOnceLock<Py<PyType>> = PyOnceLock::new();
static POLICY: PyOnceLock<Py<PyType>> = PyOnceLock::new();
static TRUST_STORE: PyOnceLock<Py<PyType>> = PyOnceLock::new();
static ENVELOPE_FORMAT: PyOnceLock<Py<PyType>> = PyOnceLock::new();
static INVALID_INPUT: PyOnceLock<Py<PyType>> = PyOnceLock::new();
static VERIFICATION: PyOnceLock<Py<PyType>> = PyOnceLock::new();

impl Exc {
    pub(crate) fn class<'py>(self, py: Python<'py>) -> PyResult<&'py Bound<'py, PyType>> {
        let (cell, name) = match self {
            Self::Base => (&BASE, "NotaverifyError"),
            Self::Policy => (&POLICY, "PolicyError"),
            Self::TrustStore => (&TRUST_STORE, "TrustStoreError"),
            Self::EnvelopeFormat => (&ENVELOPE_FORMAT, "EnvelopeFormatError"),
            Self::InvalidInput => (&INVALID_INPUT, "InvalidInputError"),
            Self::Verification => (&VERIFICATION, "VerificationError"),
        };
        cell.import(py, "notaverify._errors", name)
    }

    /// `cls(message, code=code)`.
    pub(crate) fn err(self, py: Python<'_>, message: impl Into<String>, code: &str) -> PyErr {
        let message = message.into();
        match self.class(py).and_then(|cls| cls.call1((message.as_str(), code))) {
            Ok(instance) => PyErr::from_value(instance),
            Err(e) => e,
        }
    }
}

/// The exception class for a core error kind. Exhaustive on purpose: a kind added to the core
/// must be given its class here.
pub(crate) fn exc_for(kind: ErrorKind) -> Exc {
    match kind {
        ErrorKind::Policy | ErrorKind::NoApplicablePolicy => Exc::Policy,
        ErrorKind::TrustStore | ErrorKind::Certificate => Exc::TrustStore,
        ErrorKind::Envelope => Exc::EnvelopeFormat,
        ErrorKind::InvalidInput | ErrorKind::Load | ErrorKind::LimitExceeded => Exc::InvalidInput,
        ErrorKind::Internal => Exc::Base,
    }
}

/// The exception for a core error: chosen by `Error::kind()`, carrying its code.
pub(crate) fn core_err(py: Python<'_>, error: &notaverify::Error) -> PyErr {
    let kind = error.kind();
    exc_for(kind).err(py, error.to_string(), kind.as_str())
}

/// `InvalidInputError(message)` with code `INVALID_INPUT`.
pub(crate) fn invalid_input(py: Python<'_>, message: impl Into<String>) -> PyErr {
    Exc::InvalidInput.err(py, message, "INVALID_INPUT")
}

/// Runs `f` with the GIL released and turns a panic into `NotaverifyError(code="INTERNAL")`, so
/// that no internal failure can look like anything but an error (never a pass, never a
/// `BaseException` a script's `except Exception` would miss).
pub(crate) fn detached<T, F>(py: Python<'_>, f: F) -> PyResult<T>
where
    F: FnOnce() -> T + Send,
    T: Send,
{
    match py.detach(|| std::panic::catch_unwind(std::panic::AssertUnwindSafe(f))) {
        Ok(value) => Ok(value),
        Err(payload) => {
            let what = payload
                .downcast_ref::<&str>()
                .map(|s| (*s).to_owned())
                .or_else(|| payload.downcast_ref::<String>().cloned())
                .unwrap_or_else(|| "unknown panic".to_owned());
            Err(Exc::Base.err(py, format!("internal error in notaverify: {what}"), "INTERNAL"))
        }
    }
}
