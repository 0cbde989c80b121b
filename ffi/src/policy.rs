//! `notaverify_policy` and `notaverify_blob_policy`: the OCI and blob trust policy documents.

use crate::boundary::{Failure, free_handle, guard, guard_or, into_handle, reset_out_handle, try_bytes};
use crate::result::notaverify_result;
use notaverify_core::{BlobTrustPolicyDocument, TrustPolicyDocument};

/// A parsed and validated OCI trust policy document (notation's `trustpolicy.json` /
/// `trustpolicy.oci.json`). Owned by the caller; free it with `notaverify_policy_free`. Immutable
/// once built: it may be read from several threads at once. A verifier built from it keeps its own
/// copy, so the policy may be freed right after.
pub struct notaverify_policy {
    pub(crate) inner: TrustPolicyDocument,
}

/// Parses and validates a trust policy document from `len` bytes of JSON at `json`, as notation
/// does, into `*out`. An invalid document is `NOTAVERIFY_RESULT_POLICY` (or
/// `NOTAVERIFY_RESULT_LIMIT_EXCEEDED`); `notaverify_last_error` says why.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn notaverify_policy_from_json(
    json: *const u8,
    len: usize,
    out: *mut *mut notaverify_policy,
) -> notaverify_result {
    guard(|| {
        let out = unsafe { reset_out_handle(out, "out") }?;
        let json = unsafe { try_bytes(json, len, "json") }?;
        let inner = TrustPolicyDocument::from_json(json).map_err(|e| Failure::from(notaverify_core::Error::from(e)))?;
        *out = into_handle(notaverify_policy { inner });
        Ok(())
    })
}

/// Frees a policy. NULL is a no-op. The pointer must not be used afterwards.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn notaverify_policy_free(policy: *mut notaverify_policy) {
    guard_or((), || unsafe { free_handle(policy) })
}

/// A parsed and validated blob trust policy document (notation's `trustpolicy.blob.json`), for
/// `notaverify_verify_blob`. Owned by the caller; free it with `notaverify_blob_policy_free`.
/// Immutable once built, like `notaverify_policy`; a verifier given it keeps its own copy.
pub struct notaverify_blob_policy {
    pub(crate) inner: BlobTrustPolicyDocument,
}

/// Parses and validates a blob trust policy document from `len` bytes of JSON at `json`, as
/// notation does, into `*out`. An invalid document is `NOTAVERIFY_RESULT_POLICY` (or
/// `NOTAVERIFY_RESULT_LIMIT_EXCEEDED`); `notaverify_last_error` says why.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn notaverify_blob_policy_from_json(
    json: *const u8,
    len: usize,
    out: *mut *mut notaverify_blob_policy,
) -> notaverify_result {
    guard(|| {
        let out = unsafe { reset_out_handle(out, "out") }?;
        let json = unsafe { try_bytes(json, len, "json") }?;
        let inner =
            BlobTrustPolicyDocument::from_json(json).map_err(|e| Failure::from(notaverify_core::Error::from(e)))?;
        *out = into_handle(notaverify_blob_policy { inner });
        Ok(())
    })
}

/// Frees a blob policy. NULL is a no-op. The pointer must not be used afterwards.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn notaverify_blob_policy_free(policy: *mut notaverify_blob_policy) {
    guard_or((), || unsafe { free_handle(policy) })
}
