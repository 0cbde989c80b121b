//! `notaverify_outcome` and its accessors.

use crate::boundary::{Failure, Outcome, free_handle, guard, guard_or, try_ref, write_out, write_string};
use crate::result::{notaverify_action, notaverify_check_type, notaverify_result};
use notaverify_core::{ArtifactOutcome, CheckResult, SignatureOutcome, Signer};
use std::cell::OnceCell;
use std::ffi::c_char;

/// The outcome of one `notaverify_verify` call: the artifact verdict, the signature tried, its
/// checks in notation-go's order, its signer. Owned by the caller; free it with
/// `notaverify_outcome_free`. Not synchronized: use one outcome from one thread at a time (it may
/// be handed to another thread).
pub struct notaverify_outcome {
    pub(crate) inner: ArtifactOutcome,
    json: OnceCell<String>,
}

impl notaverify_outcome {
    pub(crate) fn new(inner: ArtifactOutcome) -> Self {
        Self { inner, json: OnceCell::new() }
    }
}

unsafe fn get_outcome<'a>(ptr: *const notaverify_outcome) -> Outcome<&'a ArtifactOutcome> {
    unsafe { try_ref(ptr, "outcome") }.map(|o| &o.inner)
}

unsafe fn get_signature<'a>(ptr: *const notaverify_outcome, index: usize) -> Outcome<&'a SignatureOutcome> {
    let o = unsafe { get_outcome(ptr) }?;
    o.signatures.get(index).ok_or_else(|| {
        Failure::invalid(format!("signature index {index} is out of range (the outcome has {})", o.signatures.len()))
    })
}

unsafe fn get_check<'a>(ptr: *const notaverify_outcome, sig: usize, index: usize) -> Outcome<&'a CheckResult> {
    let s = unsafe { get_signature(ptr, sig) }?;
    s.checks.get(index).ok_or_else(|| {
        Failure::invalid(format!("check index {index} is out of range (signature {sig} has {} checks)", s.checks.len()))
    })
}

unsafe fn get_signer<'a>(ptr: *const notaverify_outcome, sig: usize) -> Outcome<&'a Signer> {
    unsafe { get_signature(ptr, sig) }?.signer.as_ref().ok_or_else(|| {
        Failure::new(
            notaverify_result::NotPresent,
            format!("signature {sig} has no signer (its certificate chain did not parse)"),
        )
    })
}

fn present<'a>(value: Option<&'a str>, what: &str) -> Outcome<&'a str> {
    value.ok_or_else(|| Failure::new(notaverify_result::NotPresent, format!("{what} is absent")))
}

/// Sets `*out` to true when the artifact verified: one signature verified, or the policy level
/// is `skip` (then no signature was tried). This is the verdict; everything else explains it.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn notaverify_outcome_verified(
    outcome: *const notaverify_outcome,
    out: *mut bool,
) -> notaverify_result {
    guard(|| unsafe { write_out(out, get_outcome(outcome)?.verified, "out") })
}

/// Copies the whole outcome as the JSON document `notaverify verify -o json` prints (string
/// convention).
#[unsafe(no_mangle)]
pub unsafe extern "C" fn notaverify_outcome_json(
    outcome: *const notaverify_outcome,
    buf: *mut c_char,
    len: usize,
    out_len: *mut usize,
) -> notaverify_result {
    guard(|| {
        let handle = unsafe { try_ref(outcome, "outcome") }?;
        let json = handle.json.get_or_init(|| handle.inner.to_json());
        unsafe { write_string(json, buf, len, out_len) }
    })
}

/// Copies the code of the artifact-level error (`NO_SIGNATURE`, `MAX_SIGNATURES_EXCEEDED`,
/// `VERIFICATION_FAILED`); `NOTAVERIFY_RESULT_NOT_PRESENT` when the artifact verified.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn notaverify_outcome_error_code(
    outcome: *const notaverify_outcome,
    buf: *mut c_char,
    len: usize,
    out_len: *mut usize,
) -> notaverify_result {
    guard(|| {
        let code = present(unsafe { get_outcome(outcome) }?.error.as_ref().map(|e| e.code), "the artifact error")?;
        unsafe { write_string(code, buf, len, out_len) }
    })
}

/// Copies the message of the artifact-level error; `NOTAVERIFY_RESULT_NOT_PRESENT` when the
/// artifact verified.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn notaverify_outcome_error_message(
    outcome: *const notaverify_outcome,
    buf: *mut c_char,
    len: usize,
    out_len: *mut usize,
) -> notaverify_result {
    guard(|| {
        let message =
            present(unsafe { get_outcome(outcome) }?.error.as_ref().map(|e| e.message.as_str()), "the artifact error")?;
        unsafe { write_string(message, buf, len, out_len) }
    })
}

/// Sets `*out` to the number of signatures tried (0 at policy level `skip`, else 1 for
/// `notaverify_verify`). Signature indexes below run from 0 to this count minus 1.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn notaverify_outcome_signature_count(
    outcome: *const notaverify_outcome,
    out: *mut usize,
) -> notaverify_result {
    guard(|| unsafe { write_out(out, get_outcome(outcome)?.signatures.len(), "out") })
}

/// Sets `*out` to true when signature `sig` verified.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn notaverify_outcome_signature_verified(
    outcome: *const notaverify_outcome,
    sig: usize,
    out: *mut bool,
) -> notaverify_result {
    guard(|| unsafe { write_out(out, get_signature(outcome, sig)?.verified, "out") })
}

/// Copies what made signature `sig` fail: a check type name (`"integrity"`, ...),
/// `"verificationPlugin"` (the envelope requires a plugin, which notaverify never runs) or
/// `"userMetadata"` (a required annotation is missing or differs). `NOTAVERIFY_RESULT_NOT_PRESENT`
/// when it verified.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn notaverify_outcome_signature_failure(
    outcome: *const notaverify_outcome,
    sig: usize,
    buf: *mut c_char,
    len: usize,
    out_len: *mut usize,
) -> notaverify_result {
    guard(|| {
        let failure =
            present(unsafe { get_signature(outcome, sig) }?.failure.map(|f| f.as_str()), "the signature failure")?;
        unsafe { write_string(failure, buf, len, out_len) }
    })
}

/// Copies the message of signature `sig`'s failure; `NOTAVERIFY_RESULT_NOT_PRESENT` when it
/// verified.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn notaverify_outcome_signature_error(
    outcome: *const notaverify_outcome,
    sig: usize,
    buf: *mut c_char,
    len: usize,
    out_len: *mut usize,
) -> notaverify_result {
    guard(|| {
        let message = present(unsafe { get_signature(outcome, sig) }?.error.as_deref(), "the signature error")?;
        unsafe { write_string(message, buf, len, out_len) }
    })
}

/// Sets `*out` to the number of checks that ran for signature `sig`, in notation-go's order
/// (integrity, authenticity, expiry, authenticTimestamp, revocation); skipped checks and checks
/// never reached are absent.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn notaverify_outcome_check_count(
    outcome: *const notaverify_outcome,
    sig: usize,
    out: *mut usize,
) -> notaverify_result {
    guard(|| unsafe { write_out(out, get_signature(outcome, sig)?.checks.len(), "out") })
}

/// Sets `*out` to the type of check `index` of signature `sig`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn notaverify_outcome_check_type(
    outcome: *const notaverify_outcome,
    sig: usize,
    index: usize,
    out: *mut notaverify_check_type,
) -> notaverify_result {
    guard(|| unsafe { write_out(out, get_check(outcome, sig, index)?.check.into(), "out") })
}

/// Sets `*out` to the action the policy gives check `index` of signature `sig`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn notaverify_outcome_check_action(
    outcome: *const notaverify_outcome,
    sig: usize,
    index: usize,
    out: *mut notaverify_action,
) -> notaverify_result {
    guard(|| unsafe { write_out(out, get_check(outcome, sig, index)?.action.into(), "out") })
}

/// Sets `*out` to true when check `index` of signature `sig` passed.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn notaverify_outcome_check_passed(
    outcome: *const notaverify_outcome,
    sig: usize,
    index: usize,
    out: *mut bool,
) -> notaverify_result {
    guard(|| unsafe { write_out(out, get_check(outcome, sig, index)?.passed, "out") })
}

/// Copies why check `index` of signature `sig` failed; `NOTAVERIFY_RESULT_NOT_PRESENT` when it
/// passed.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn notaverify_outcome_check_error(
    outcome: *const notaverify_outcome,
    sig: usize,
    index: usize,
    buf: *mut c_char,
    len: usize,
    out_len: *mut usize,
) -> notaverify_result {
    guard(|| {
        let message = present(unsafe { get_check(outcome, sig, index) }?.error.as_deref(), "the check error")?;
        unsafe { write_string(message, buf, len, out_len) }
    })
}

/// Copies the subject DN of signature `sig`'s signing certificate, as notation prints it;
/// `NOTAVERIFY_RESULT_NOT_PRESENT` when its chain did not parse.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn notaverify_outcome_signer_subject(
    outcome: *const notaverify_outcome,
    sig: usize,
    buf: *mut c_char,
    len: usize,
    out_len: *mut usize,
) -> notaverify_result {
    guard(|| unsafe { write_string(&get_signer(outcome, sig)?.subject, buf, len, out_len) })
}

/// Copies the issuer DN of signature `sig`'s signing certificate; `NOTAVERIFY_RESULT_NOT_PRESENT`
/// when its chain did not parse.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn notaverify_outcome_signer_issuer(
    outcome: *const notaverify_outcome,
    sig: usize,
    buf: *mut c_char,
    len: usize,
    out_len: *mut usize,
) -> notaverify_result {
    guard(|| unsafe { write_string(&get_signer(outcome, sig)?.issuer, buf, len, out_len) })
}

/// Copies the lower-case hex SHA-256 fingerprint of signature `sig`'s signing certificate (64
/// characters); `NOTAVERIFY_RESULT_NOT_PRESENT` when its chain did not parse.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn notaverify_outcome_signer_fingerprint(
    outcome: *const notaverify_outcome,
    sig: usize,
    buf: *mut c_char,
    len: usize,
    out_len: *mut usize,
) -> notaverify_result {
    guard(|| unsafe { write_string(&get_signer(outcome, sig)?.sha256_fingerprint, buf, len, out_len) })
}

/// Frees an outcome. NULL is a no-op. The pointer must not be used afterwards.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn notaverify_outcome_free(outcome: *mut notaverify_outcome) {
    guard_or((), || unsafe { free_handle(outcome) })
}
