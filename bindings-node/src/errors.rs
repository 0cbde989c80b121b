//! Core errors as JavaScript errors with a stable `code`, and the panic guard.

use napi::bindgen_prelude::{Env, JsError, JsObjectValue, JsValue, ToNapiValue, TypeName, sys};
use notaverify::ErrorKind;

/// The `code` of every error the package throws: the core's [`ErrorKind::as_str`] (`LOAD`,
/// `POLICY`, ...), the same strings as the CLI's JSON and the Python and C bindings. `INTERNAL`
/// is a bug (a caught panic).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ErrorCode(pub ErrorKind);

impl AsRef<str> for ErrorCode {
    fn as_ref(&self) -> &str {
        self.0.as_str()
    }
}

pub type Error = napi::Error<ErrorCode>;
pub type Result<T> = std::result::Result<T, Error>;

/// A JavaScript error with `code` and `message`.
pub(crate) fn error(kind: ErrorKind, message: impl Into<String>) -> Error {
    napi::Error::new(ErrorCode(kind), message.into())
}

pub(crate) fn invalid_input(message: impl Into<String>) -> Error {
    error(ErrorKind::InvalidInput, message)
}

/// The JavaScript error for a core error, chosen by [`notaverify::Error::kind`].
pub(crate) fn core_err(e: &notaverify::Error) -> Error {
    error(e.kind(), e.to_string())
}

/// `core_err`, for a `Result` of the core.
pub(crate) fn or_throw<T>(r: std::result::Result<T, notaverify::Error>) -> Result<T> {
    r.map_err(|e| core_err(&e))
}

/// Runs `f`, turning a panic into an error with code `INTERNAL`, so no internal failure can
/// look like anything but an error (and none unwinds into Node).
pub(crate) fn guarded<T>(f: impl FnOnce() -> Result<T>) -> Result<T> {
    match std::panic::catch_unwind(std::panic::AssertUnwindSafe(f)) {
        Ok(r) => r,
        Err(payload) => {
            let what = payload
                .downcast_ref::<&str>()
                .map(|s| (*s).to_owned())
                .or_else(|| payload.downcast_ref::<String>().cloned())
                .unwrap_or_else(|| "unknown panic".to_owned());
            Err(error(ErrorKind::Internal, format!("internal error in notaverify: {what}")))
        }
    }
}

/// The prefix of the codes of 0.1 (`NOTAVERIFY_LOAD`), kept as `legacyCode` for one release.
const LEGACY_PREFIX: &str = "NOTAVERIFY_";

/// One of ours as a JavaScript `Error`: `code` is the shared code, and `legacyCode` the
/// deprecated 0.1 spelling (`NOTAVERIFY_` + code), which the next release removes.
fn js_error<'env>(env: &'env Env, e: Error) -> napi::Result<napi::bindgen_prelude::Object<'env>> {
    let legacy = format!("{LEGACY_PREFIX}{}", e.status.as_ref());
    let mut object = JsError::from(e).into_unknown(*env).coerce_to_object()?;
    object.set_named_property("legacyCode", legacy)?;
    Ok(object)
}

/// An error of ours as the `napi::Error` a method throws or a `Task` rejects with: the
/// JavaScript error object is built here, on the JavaScript thread, and thrown as that very
/// object (so it keeps its `code` and `legacyCode`).
pub(crate) fn to_js(env: &Env, e: Error) -> napi::Error {
    match js_error(env, e) {
        Ok(object) => napi::Error::from(object.to_unknown()),
        Err(e) => e,
    }
}

/// `to_js` over a `Result`, for the methods' return values.
pub(crate) fn thrown<T>(env: &Env, r: Result<T>) -> napi::Result<T> {
    r.map_err(|e| to_js(env, e))
}

/// An error returned as a value (a `verifyMany` item's `{ error }`), converted as thrown ones.
pub struct ErrorValue(pub Error);

impl TypeName for ErrorValue {
    fn type_name() -> &'static str {
        "Error"
    }
    fn value_type() -> napi::ValueType {
        napi::ValueType::Object
    }
}

impl ToNapiValue for ErrorValue {
    unsafe fn to_napi_value(env: sys::napi_env, val: Self) -> napi::Result<sys::napi_value> {
        let env = Env::from_raw(env);
        js_error(&env, val.0).map(|object| object.raw())
    }
}
