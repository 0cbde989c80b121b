//! The numbered result codes, the check and action enums, their names, and the last-error call.

use crate::boundary::{guard_or, with_last_error, write_string};
use notaverify_core::ErrorKind;
use std::ffi::{CStr, c_char};

/// The result of every call that can fail.
///
/// `NOTAVERIFY_RESULT_OK` is 0, so `if (rc) { ... }` tests for failure; every other code is in
/// 7000..7999, so it is never mistaken for an errno value. The codes are stable: new ones may be
/// added, existing ones never change meaning. After a failure, `notaverify_last_error` gives the
/// message. A verification that ran but did not verify is `NOTAVERIFY_RESULT_OK` with an outcome
/// whose verified flag is false; the codes below mean the request could not be evaluated.
#[repr(u32)]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[allow(non_camel_case_types)]
pub enum notaverify_result {
    /// Success.
    Ok = 0,
    /// A required pointer argument was NULL.
    NullParameter = 7001,
    /// A string argument was not valid UTF-8.
    InvalidUtf8 = 7002,
    /// An argument was unusable for the C layer: an unknown trust store type, an index out of
    /// range, a duplicate user-metadata key, a length too large.
    InvalidArgument = 7003,
    /// The caller's buffer was too small; `*out_len` holds the needed length (without the NUL)
    /// and a truncated, NUL-terminated prefix was written when the buffer was not empty.
    BufferTooSmall = 7004,
    /// The optional value asked for is absent (no signer, no error message, ...).
    NotPresent = 7005,
    /// An internal error (a Rust panic) was stopped at the library boundary, or inside the core
    /// (core error code `INTERNAL`). The handles passed to the call are still valid and must still
    /// be freed.
    Panic = 7006,
    /// The signature envelope is malformed (core error code `ENVELOPE`).
    Envelope = 7100,
    /// A certificate does not parse or a chain breaks notation's rules (`CERTIFICATE`).
    Certificate = 7101,
    /// The trust store could not be built or has no usable certificate (`TRUST_STORE`).
    TrustStore = 7102,
    /// The trust policy document is invalid (`POLICY`).
    Policy = 7103,
    /// No trust policy statement applies to the reference (`NO_APPLICABLE_POLICY`).
    NoApplicablePolicy = 7104,
    /// An argument of the request is unusable: a reference without a digest, a bad digest, a
    /// target digest that differs from the reference's (`INVALID_INPUT`).
    InvalidInput = 7105,
    /// A file or directory of the configuration could not be read (`LOAD`).
    Load = 7106,
    /// An input is larger or has more items than a documented limit (`LIMIT_EXCEEDED`).
    LimitExceeded = 7107,
    /// An error of a kind this version of the C layer does not know by name.
    Other = 7199,
}

impl notaverify_result {
    /// The result for a core error kind (`notaverify::Error::kind()`). Exhaustive on purpose: a
    /// kind added to the core must be given its result here (`Other` stays for C callers built
    /// against an older header).
    pub(crate) fn from_kind(kind: ErrorKind) -> Self {
        match kind {
            ErrorKind::Envelope => Self::Envelope,
            ErrorKind::Certificate => Self::Certificate,
            ErrorKind::TrustStore => Self::TrustStore,
            ErrorKind::Policy => Self::Policy,
            ErrorKind::NoApplicablePolicy => Self::NoApplicablePolicy,
            ErrorKind::InvalidInput => Self::InvalidInput,
            ErrorKind::Load => Self::Load,
            ErrorKind::LimitExceeded => Self::LimitExceeded,
            ErrorKind::Internal => Self::Panic,
        }
    }

    const ALL: [(Self, &'static CStr); 16] = [
        (Self::Ok, c"NOTAVERIFY_RESULT_OK"),
        (Self::NullParameter, c"NOTAVERIFY_RESULT_NULL_PARAMETER"),
        (Self::InvalidUtf8, c"NOTAVERIFY_RESULT_INVALID_UTF8"),
        (Self::InvalidArgument, c"NOTAVERIFY_RESULT_INVALID_ARGUMENT"),
        (Self::BufferTooSmall, c"NOTAVERIFY_RESULT_BUFFER_TOO_SMALL"),
        (Self::NotPresent, c"NOTAVERIFY_RESULT_NOT_PRESENT"),
        (Self::Panic, c"NOTAVERIFY_RESULT_PANIC"),
        (Self::Envelope, c"NOTAVERIFY_RESULT_ENVELOPE"),
        (Self::Certificate, c"NOTAVERIFY_RESULT_CERTIFICATE"),
        (Self::TrustStore, c"NOTAVERIFY_RESULT_TRUST_STORE"),
        (Self::Policy, c"NOTAVERIFY_RESULT_POLICY"),
        (Self::NoApplicablePolicy, c"NOTAVERIFY_RESULT_NO_APPLICABLE_POLICY"),
        (Self::InvalidInput, c"NOTAVERIFY_RESULT_INVALID_INPUT"),
        (Self::Load, c"NOTAVERIFY_RESULT_LOAD"),
        (Self::LimitExceeded, c"NOTAVERIFY_RESULT_LIMIT_EXCEEDED"),
        (Self::Other, c"NOTAVERIFY_RESULT_OTHER"),
    ];
}

/// One of notation's five validation checks.
#[repr(u32)]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[allow(non_camel_case_types)]
pub enum notaverify_check_type {
    /// `integrity`: envelope signature, headers, chain structure, payload and target match.
    Integrity = 1,
    /// `authenticity`: chain anchored in a trust store of the right type, trusted identity.
    Authenticity = 2,
    /// `authenticTimestamp`: certificate validity at an authentic time.
    AuthenticTimestamp = 3,
    /// `expiry`: the signature's own expiry.
    Expiry = 4,
    /// `revocation`: certificate revocation status.
    Revocation = 5,
}

impl From<notaverify_core::CheckType> for notaverify_check_type {
    fn from(check: notaverify_core::CheckType) -> Self {
        use notaverify_core::CheckType as C;
        match check {
            C::Integrity => Self::Integrity,
            C::Authenticity => Self::Authenticity,
            C::AuthenticTimestamp => Self::AuthenticTimestamp,
            C::Expiry => Self::Expiry,
            C::Revocation => Self::Revocation,
        }
    }
}

/// What the trust policy does with a failure of a check.
#[repr(u32)]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[allow(non_camel_case_types)]
pub enum notaverify_action {
    /// `enforce`: a failure fails the verification.
    Enforce = 1,
    /// `log`: a failure is reported and verification continues.
    Log = 2,
    /// `skip`: the check is not performed.
    Skip = 3,
}

impl From<notaverify_core::Action> for notaverify_action {
    fn from(action: notaverify_core::Action) -> Self {
        use notaverify_core::Action as A;
        match action {
            A::Enforce => Self::Enforce,
            A::Log => Self::Log,
            A::Skip => Self::Skip,
        }
    }
}

const CHECK_NAMES: [(u32, &CStr); 5] = [
    (notaverify_check_type::Integrity as u32, c"integrity"),
    (notaverify_check_type::Authenticity as u32, c"authenticity"),
    (notaverify_check_type::AuthenticTimestamp as u32, c"authenticTimestamp"),
    (notaverify_check_type::Expiry as u32, c"expiry"),
    (notaverify_check_type::Revocation as u32, c"revocation"),
];

const ACTION_NAMES: [(u32, &CStr); 3] = [
    (notaverify_action::Enforce as u32, c"enforce"),
    (notaverify_action::Log as u32, c"log"),
    (notaverify_action::Skip as u32, c"skip"),
];

fn lookup<T: Copy + PartialEq>(table: &[(T, &'static CStr)], key: T) -> *const c_char {
    table.iter().find(|(k, _)| *k == key).map_or(std::ptr::null(), |(_, name)| name.as_ptr())
}

/// The symbolic name of a result code (`"NOTAVERIFY_RESULT_NULL_PARAMETER"`), or NULL for a value
/// that is not a result code. The string is static: never free it.
#[unsafe(no_mangle)]
pub extern "C" fn notaverify_result_name(result: u32) -> *const c_char {
    guard_or(std::ptr::null(), || {
        notaverify_result::ALL
            .iter()
            .find(|(r, _)| *r as u32 == result)
            .map_or(std::ptr::null(), |(_, name)| name.as_ptr())
    })
}

/// notation's name of a check type (`"authenticTimestamp"`), or NULL for a value that is not a
/// `notaverify_check_type`. The string is static: never free it.
#[unsafe(no_mangle)]
pub extern "C" fn notaverify_check_type_name(check: u32) -> *const c_char {
    guard_or(std::ptr::null(), || lookup(&CHECK_NAMES, check))
}

/// notation's name of an action (`"enforce"`, `"log"`, `"skip"`), or NULL for a value that is not
/// a `notaverify_action`. The string is static: never free it.
#[unsafe(no_mangle)]
pub extern "C" fn notaverify_action_name(action: u32) -> *const c_char {
    guard_or(std::ptr::null(), || lookup(&ACTION_NAMES, action))
}

/// Copies the message of the last failed call made by this thread into `buf` (string
/// convention: see the top of this header); the message is "" when that call succeeded. This
/// call does not change the stored message, so it can be repeated (e.g. a size query, then the
/// copy). Returns `NOTAVERIFY_RESULT_OK`, `NOTAVERIFY_RESULT_BUFFER_TOO_SMALL` or
/// `NOTAVERIFY_RESULT_NULL_PARAMETER` (`out_len` NULL, or `buf` NULL with `len > 0`).
#[unsafe(no_mangle)]
pub unsafe extern "C" fn notaverify_last_error(buf: *mut c_char, len: usize, out_len: *mut usize) -> notaverify_result {
    // Not through `guard`: that would clear the message being read.
    guard_or(notaverify_result::Panic, || {
        with_last_error(|message| match unsafe { write_string(message, buf, len, out_len) } {
            Ok(()) => notaverify_result::Ok,
            Err(failure) => failure.result,
        })
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use notaverify_core::{Action, CheckType};

    #[test]
    fn names_match_the_core() {
        for check in CheckType::ALL {
            let name = notaverify_check_type_name(notaverify_check_type::from(check) as u32);
            assert_eq!(unsafe { CStr::from_ptr(name) }.to_str().unwrap(), check.as_str());
        }
        for action in [Action::Enforce, Action::Log, Action::Skip] {
            let name = notaverify_action_name(notaverify_action::from(action) as u32);
            assert_eq!(unsafe { CStr::from_ptr(name) }.to_str().unwrap(), action.as_str());
        }
        // Every core error kind but INTERNAL (a caught panic) has the result named after its
        // code, in 7100..7199.
        for kind in ErrorKind::ALL {
            let result = notaverify_result::from_kind(kind);
            let name = unsafe { CStr::from_ptr(notaverify_result_name(result as u32)) }.to_str().unwrap();
            if kind == ErrorKind::Internal {
                assert_eq!(result, notaverify_result::Panic);
            } else {
                assert_eq!(name, format!("NOTAVERIFY_RESULT_{}", kind.as_str()), "{kind}");
                assert!((7100..7199).contains(&(result as u32)), "{kind}");
            }
        }
        assert!(notaverify_check_type_name(0).is_null());
        assert!(notaverify_action_name(99).is_null());
        assert!(notaverify_result_name(1).is_null());
        assert_eq!(unsafe { CStr::from_ptr(notaverify_result_name(7001)) }, c"NOTAVERIFY_RESULT_NULL_PARAMETER");
    }

    #[test]
    fn core_error_kinds_map_to_results() {
        let e = notaverify_core::Error::InvalidInput("x".into());
        assert_eq!(notaverify_result::from_kind(e.kind()), notaverify_result::InvalidInput);
        let e = notaverify_core::Error::LimitExceeded { what: "x", limit: 1, actual: 2 };
        assert_eq!(notaverify_result::from_kind(e.kind()), notaverify_result::LimitExceeded);
        let e = notaverify_core::Error::Load { path: "p".into(), reason: "r".into() };
        assert_eq!(notaverify_result::from_kind(e.kind()), notaverify_result::Load);
        let e = notaverify_core::Error::Internal("a bug".into());
        assert_eq!(notaverify_result::from_kind(e.kind()), notaverify_result::Panic);
        // Every result in 7100..7199 (all but OTHER) is the result of exactly one kind.
        for (r, name) in notaverify_result::ALL {
            if (7100..7199).contains(&(r as u32)) {
                let code = name.to_str().unwrap().trim_start_matches("NOTAVERIFY_RESULT_");
                let kinds: Vec<_> =
                    ErrorKind::ALL.into_iter().filter(|k| notaverify_result::from_kind(*k) == r).collect();
                assert_eq!(kinds.len(), 1, "{code}");
                assert_eq!(kinds[0].as_str(), code);
            }
        }
    }
}
