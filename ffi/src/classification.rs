//! `notaverify_classification`, what the classify calls return, and its accessors.

use crate::boundary::{
    Failure, Outcome, free_handle, guard, guard_or, into_handle, reset_out_handle, try_ref, write_out, write_string,
};
use crate::outcome::notaverify_outcome;
use crate::result::notaverify_result;
use notaverify_core::ArtifactOutcome;
use notaverify_posture::Classification;
use std::cell::OnceCell;
use std::ffi::c_char;

/// The posture class of one artifact (`verified`, `unsigned`, `unknownSigner`, `retiredSigner`,
/// `invalidSignature`, `expired`, `failed`, `excepted` or `skippedByPolicy`), what decided it,
/// and the verification outcome it was classified from. Owned by the caller; free it with
/// `notaverify_classification_free`. Not synchronized: use one classification from one thread at
/// a time (it may be handed to another thread).
pub struct notaverify_classification {
    inner: Classification,
    outcome: ArtifactOutcome,
    json: OnceCell<String>,
}

impl notaverify_classification {
    pub(crate) fn new(inner: Classification, outcome: ArtifactOutcome) -> Self {
        Self { inner, outcome, json: OnceCell::new() }
    }
}

unsafe fn get<'a>(ptr: *const notaverify_classification) -> Outcome<&'a Classification> {
    unsafe { try_ref(ptr, "classification") }.map(|c| &c.inner)
}

fn present<T>(value: Option<T>, what: &str) -> Outcome<T> {
    value.ok_or_else(|| Failure::new(notaverify_result::NotPresent, format!("{what} is absent")))
}

/// Copies the artifact's class (`"retiredSigner"`, ...; string convention).
#[unsafe(no_mangle)]
pub unsafe extern "C" fn notaverify_classification_class(
    classification: *const notaverify_classification,
    buf: *mut c_char,
    len: usize,
    out_len: *mut usize,
) -> notaverify_result {
    guard(|| unsafe { write_string(get(classification)?.class.as_str(), buf, len, out_len) })
}

/// Sets `*out` to true when the artifact is in policy: its class is `verified`, `excepted` or
/// `skippedByPolicy`. This is the posture verdict; the outcome's verified flag stays the
/// verifier's.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn notaverify_classification_in_policy(
    classification: *const notaverify_classification,
    out: *mut bool,
) -> notaverify_result {
    guard(|| unsafe { write_out(out, get(classification)?.in_policy, "out") })
}

/// Copies the class an `excepted` artifact had before its exception applied;
/// `NOTAVERIFY_RESULT_NOT_PRESENT` for the other classes.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn notaverify_classification_underlying(
    classification: *const notaverify_classification,
    buf: *mut c_char,
    len: usize,
    out_len: *mut usize,
) -> notaverify_result {
    guard(|| {
        let underlying = present(unsafe { get(classification) }?.underlying, "the underlying class")?;
        unsafe { write_string(underlying.as_str(), buf, len, out_len) }
    })
}

/// Copies what decided the class: a check (`"authenticity"`, `"revocation"`, ...), a failure
/// kind (`"userMetadata"`) or an error code (`"NO_SIGNATURE"`); `NOTAVERIFY_RESULT_NOT_PRESENT`
/// when nothing failed.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn notaverify_classification_check(
    classification: *const notaverify_classification,
    buf: *mut c_char,
    len: usize,
    out_len: *mut usize,
) -> notaverify_result {
    guard(|| {
        let check = present(unsafe { get(classification) }?.check.as_deref(), "the deciding check")?;
        unsafe { write_string(check, buf, len, out_len) }
    })
}

/// Copies why the artifact has its class, for people; `NOTAVERIFY_RESULT_NOT_PRESENT` when
/// nothing failed.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn notaverify_classification_reason(
    classification: *const notaverify_classification,
    buf: *mut c_char,
    len: usize,
    out_len: *mut usize,
) -> notaverify_result {
    guard(|| {
        let reason = present(unsafe { get(classification) }?.reason.as_deref(), "the reason")?;
        unsafe { write_string(reason, buf, len, out_len) }
    })
}

/// Sets `*out` to the whole days left before the deadline of the exception that applied (0 on
/// its last day); `NOTAVERIFY_RESULT_NOT_PRESENT` when none applied (the class is not
/// `excepted`).
#[unsafe(no_mangle)]
pub unsafe extern "C" fn notaverify_classification_exception_days_left(
    classification: *const notaverify_classification,
    out: *mut i64,
) -> notaverify_result {
    guard(|| {
        let exception = present(unsafe { get(classification) }?.exception.as_ref(), "the applied exception")?;
        unsafe { write_out(out, exception.days_left, "out") }
    })
}

/// Copies the whole classification as JSON (string convention): the `posture` member of what
/// `notaverify verify -o json` prints with `--exceptions` or `--retired` (class, inPolicy,
/// underlying, check, reason, policy, signer, retired, exception, expiredExceptions,
/// uncoveredExceptions, signatures, logged).
#[unsafe(no_mangle)]
pub unsafe extern "C" fn notaverify_classification_json(
    classification: *const notaverify_classification,
    buf: *mut c_char,
    len: usize,
    out_len: *mut usize,
) -> notaverify_result {
    guard(|| {
        let handle = unsafe { try_ref(classification, "classification") }?;
        let json = match handle.json.get() {
            Some(json) => json,
            None => {
                let json = serde_json::to_string(&handle.inner)
                    .map_err(|e| Failure::new(notaverify_result::Panic, format!("the classification JSON: {e}")))?;
                handle.json.get_or_init(|| json)
            }
        };
        unsafe { write_string(json, buf, len, out_len) }
    })
}

/// Stores in `*out` a copy of the verification outcome the artifact was classified from (read it
/// with the `notaverify_outcome_*` accessors). The caller owns it and frees it with
/// `notaverify_outcome_free`, independently of the classification.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn notaverify_classification_outcome(
    classification: *const notaverify_classification,
    out: *mut *mut notaverify_outcome,
) -> notaverify_result {
    guard(|| {
        let out = unsafe { reset_out_handle(out, "out") }?;
        let handle = unsafe { try_ref(classification, "classification") }?;
        *out = into_handle(notaverify_outcome::new(handle.outcome.clone()));
        Ok(())
    })
}

/// Frees a classification. NULL is a no-op. The pointer must not be used afterwards.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn notaverify_classification_free(classification: *mut notaverify_classification) {
    guard_or((), || unsafe { free_handle(classification) })
}
