//! `notaverify_verifier` and `notaverify_verify`.

use crate::boundary::{
    Failure, free_handle, guard, guard_or, into_handle, reset_out_handle, try_bytes, try_opt_str, try_ref, try_slice,
    try_str,
};
use crate::outcome::notaverify_outcome;
use crate::policy::notaverify_policy;
use crate::result::notaverify_result;
use crate::store::notaverify_trust_store;
use notaverify_core::{SignatureInput, Target, Time, Verifier, VerifyOptions};
use std::ffi::c_char;
use std::path::Path;

/// A verifier: a trust policy and a trust store, built once and used for many verifications.
/// Owned by the caller; free it with `notaverify_verifier_free` once no thread uses it.
/// Thread-safe: `notaverify_verify` may be called on one verifier from many threads at once
/// (`notaverify_verifier_set_revocation` changes it, and must come before it is shared).
pub struct notaverify_verifier {
    pub(crate) inner: Verifier,
}

/// One user-metadata requirement: the signed annotation `key` must have the value `value`
/// (notation's `--user-metadata key=value`). Both are NUL-terminated UTF-8.
#[repr(C)]
pub struct notaverify_metadata_entry {
    /// The annotation key.
    pub key: *const c_char,
    /// The value it must have.
    pub value: *const c_char,
}

/// Creates a verifier from an OCI trust policy and a trust store, into `*out`. Both are copied:
/// the caller still owns `policy` and `store` and may free them at once.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn notaverify_verifier_new(
    policy: *const notaverify_policy,
    store: *const notaverify_trust_store,
    out: *mut *mut notaverify_verifier,
) -> notaverify_result {
    guard(|| {
        let out = unsafe { reset_out_handle(out, "out") }?;
        let policy = unsafe { try_ref(policy, "policy") }?;
        let store = unsafe { try_ref(store, "store") }?;
        let inner = Verifier::new(store.inner.clone()).with_oci_policy(policy.inner.clone());
        *out = into_handle(notaverify_verifier { inner });
        Ok(())
    })
}

/// Creates a verifier from a notation configuration directory (what `NOTATION_CONFIG` names:
/// `trustpolicy.oci.json` or `trustpolicy.json`, `trustpolicy.blob.json`, `truststore/x509/...`),
/// into `*out`. `config_dir` is a NUL-terminated UTF-8 path. Unreadable files are
/// `NOTAVERIFY_RESULT_LOAD`; invalid contents the code of what is wrong.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn notaverify_verifier_from_config_dir(
    config_dir: *const c_char,
    out: *mut *mut notaverify_verifier,
) -> notaverify_result {
    guard(|| {
        let out = unsafe { reset_out_handle(out, "out") }?;
        let dir = unsafe { try_str(config_dir, "config_dir") }?;
        let inner = notaverify_core::loader::load_verifier(Path::new(dir))?;
        *out = into_handle(notaverify_verifier { inner });
        Ok(())
    })
}

/// Frees a verifier. NULL is a no-op. No other thread may be using it; the pointer must not be
/// used afterwards. Outcomes it produced stay valid.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn notaverify_verifier_free(verifier: *mut notaverify_verifier) {
    guard_or((), || unsafe { free_handle(verifier) })
}

/// Verifies one signature envelope of an OCI artifact as `notation verify` does, into `*out`.
///
/// - `envelope`, `envelope_len`: the envelope bytes.
/// - `media_type`: `"application/jose+json"` or `"application/cose"`.
/// - `reference`: `registry/repository@<digest>`; it selects the trust policy statement.
/// - `target_digest`: the digest of the artifact the signature must be bound to
///   (`sha256:<hex>`...); NULL means the digest in `reference`.
/// - `user_metadata`, `user_metadata_len`: annotations the signed target must carry (NULL with 0
///   for none). A key given twice is `NOTAVERIFY_RESULT_INVALID_ARGUMENT`.
/// - `at_unix`: the verification time in seconds since the Unix epoch; 0 means now.
///
/// A signature that does not verify is `NOTAVERIFY_RESULT_OK` with an outcome whose verified
/// flag is false; the outcome says which check failed. Other results mean the request could not
/// be evaluated (no applicable policy statement, a reference without a digest, ...) and `*out`
/// is NULL. On success the caller owns `*out` and frees it with `notaverify_outcome_free`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn notaverify_verify(
    verifier: *const notaverify_verifier,
    envelope: *const u8,
    envelope_len: usize,
    media_type: *const c_char,
    reference: *const c_char,
    target_digest: *const c_char,
    user_metadata: *const notaverify_metadata_entry,
    user_metadata_len: usize,
    at_unix: i64,
    out: *mut *mut notaverify_outcome,
) -> notaverify_result {
    guard(|| {
        let out = unsafe { reset_out_handle(out, "out") }?;
        let verifier = unsafe { try_ref(verifier, "verifier") }?;
        let envelope = unsafe { try_bytes(envelope, envelope_len, "envelope") }?;
        let media_type = unsafe { try_str(media_type, "media_type") }?;
        let reference = unsafe { try_str(reference, "reference") }?;
        let target_digest = unsafe { try_opt_str(target_digest, "target_digest") }?;
        let entries = unsafe { try_slice(user_metadata, user_metadata_len, "user_metadata") }?;

        let mut options = VerifyOptions::default();
        for (i, entry) in entries.iter().enumerate() {
            let key = unsafe { try_str(entry.key, &format!("user_metadata[{i}].key")) }?;
            let value = unsafe { try_str(entry.value, &format!("user_metadata[{i}].value")) }?;
            if options.user_metadata.insert(key.to_owned(), value.to_owned()).is_some() {
                return Err(Failure::invalid(format!("user metadata key {key:?} is given twice")));
            }
        }
        if at_unix != 0 {
            options.at = Some(Time::from_unix(at_unix));
        }
        // The digest part of the reference; the core checks it and reports a missing one.
        let digest = target_digest.unwrap_or_else(|| reference.rsplit_once('@').map_or("", |(_, d)| d));
        let target = Target::Digest(digest.to_owned());
        let signature = SignatureInput::new(envelope, media_type);
        let outcome = verifier.inner.verify(reference, &target, &signature, &options)?;
        *out = into_handle(notaverify_outcome::new(outcome));
        Ok(())
    })
}
