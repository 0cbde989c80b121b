//! The numbered result codes and the check and action enums.

use notaverify_core::ErrorKind;
use std::ffi::CStr;

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

    pub(crate) const ALL: [(Self, &'static CStr); 16] = [
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

#[cfg(test)]
mod tests {
    use super::*;

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
