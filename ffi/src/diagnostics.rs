//! What a C caller asks about results: the names of result codes, check types and actions, and
//! the message of the last failed call.

use crate::boundary::{guard_or, with_last_error, write_string};
use crate::result::{notaverify_action, notaverify_check_type, notaverify_result};
use std::ffi::{CStr, c_char};

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
    use notaverify_core::{Action, CheckType, ErrorKind};

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
}
