//! Core errors as JavaScript errors with a stable `code`, and the panic guard.

use napi::bindgen_prelude::{Env, JsError};
use notaverify::ErrorKind;

/// The `code` of every error the package throws. Each core error kind maps to one code
/// (`NOTAVERIFY_` + [`notaverify::Error::code`]); `INTERNAL` is a bug (a caught panic).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ErrorCode {
    Envelope,
    Certificate,
    TrustStore,
    Policy,
    NoApplicablePolicy,
    InvalidInput,
    Load,
    LimitExceeded,
    Internal,
}

impl AsRef<str> for ErrorCode {
    fn as_ref(&self) -> &str {
        match self {
            ErrorCode::Envelope => "NOTAVERIFY_ENVELOPE",
            ErrorCode::Certificate => "NOTAVERIFY_CERTIFICATE",
            ErrorCode::TrustStore => "NOTAVERIFY_TRUST_STORE",
            ErrorCode::Policy => "NOTAVERIFY_POLICY",
            ErrorCode::NoApplicablePolicy => "NOTAVERIFY_NO_APPLICABLE_POLICY",
            ErrorCode::InvalidInput => "NOTAVERIFY_INVALID_INPUT",
            ErrorCode::Load => "NOTAVERIFY_LOAD",
            ErrorCode::LimitExceeded => "NOTAVERIFY_LIMIT_EXCEEDED",
            ErrorCode::Internal => "NOTAVERIFY_INTERNAL",
        }
    }
}

pub type Error = napi::Error<ErrorCode>;
pub type Result<T> = std::result::Result<T, Error>;

/// A JavaScript error with `code` and `message`.
pub(crate) fn error(code: ErrorCode, message: impl Into<String>) -> Error {
    napi::Error::new(code, message.into())
}

pub(crate) fn invalid_input(message: impl Into<String>) -> Error {
    error(ErrorCode::InvalidInput, message)
}

impl From<ErrorKind> for ErrorCode {
    /// Exhaustive on purpose: a kind added to the core must be given its code here.
    fn from(kind: ErrorKind) -> Self {
        match kind {
            ErrorKind::Envelope => ErrorCode::Envelope,
            ErrorKind::Certificate => ErrorCode::Certificate,
            ErrorKind::TrustStore => ErrorCode::TrustStore,
            ErrorKind::Policy => ErrorCode::Policy,
            ErrorKind::NoApplicablePolicy => ErrorCode::NoApplicablePolicy,
            ErrorKind::InvalidInput => ErrorCode::InvalidInput,
            ErrorKind::Load => ErrorCode::Load,
            ErrorKind::LimitExceeded => ErrorCode::LimitExceeded,
            ErrorKind::Internal => ErrorCode::Internal,
        }
    }
}

/// The JavaScript error for a core error, chosen by [`notaverify::Error::kind`].
pub(crate) fn core_err(e: &notaverify::Error) -> Error {
    error(ErrorCode::from(e.kind()), e.to_string())
}

/// `core_err`, for a `Result` of the core.
pub(crate) fn or_throw<T>(r: std::result::Result<T, notaverify::Error>) -> Result<T> {
    r.map_err(|e| core_err(&e))
}

/// Runs `f`, turning a panic into an error with code `NOTAVERIFY_INTERNAL`, so no internal
/// failure can look like anything but an error (and none unwinds into Node).
pub(crate) fn guarded<T>(f: impl FnOnce() -> Result<T>) -> Result<T> {
    match std::panic::catch_unwind(std::panic::AssertUnwindSafe(f)) {
        Ok(r) => r,
        Err(payload) => {
            let what = payload
                .downcast_ref::<&str>()
                .map(|s| (*s).to_owned())
                .or_else(|| payload.downcast_ref::<String>().cloned())
                .unwrap_or_else(|| "unknown panic".to_owned());
            Err(error(ErrorCode::Internal, format!("internal error in notaverify: {what}")))
        }
    }
}

/// An error of ours as the `napi::Error` a `Task` may return: the JavaScript error object is
/// built here, on the JavaScript thread, and the Promise is rejected with that very object (so
/// it keeps its `code`).
pub(crate) fn into_task_error(env: Env, e: Error) -> napi::Error {
    napi::Error::from(JsError::from(e).into_unknown(env))
}
