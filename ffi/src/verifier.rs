//! `notaverify_verifier`, `notaverify_verify` and `notaverify_verify_many`.

use crate::boundary::{
    Failure, Outcome, free_handle, guard, guard_or, into_handle, reset_out_handle, try_bytes, try_opt_str,
    try_out_slice, try_ref, try_slice, try_str,
};
use crate::outcome::notaverify_outcome;
use crate::policy::notaverify_policy;
use crate::result::notaverify_result;
use crate::store::notaverify_trust_store;
use notaverify_core::{BatchItem, BatchOptions, SignatureInput, Target, Time, Verifier, VerifyOptions};
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

/// One artifact of `notaverify_verify_many`: the arguments of `notaverify_verify`, with the same
/// meaning and rules.
#[repr(C)]
pub struct notaverify_batch_item {
    /// The envelope bytes.
    pub envelope: *const u8,
    /// The length of `envelope`.
    pub envelope_len: usize,
    /// `"application/jose+json"` or `"application/cose"`.
    pub media_type: *const c_char,
    /// `registry/repository@<digest>`.
    pub reference: *const c_char,
    /// The digest the signature must be bound to; NULL means the digest in `reference`.
    pub target_digest: *const c_char,
    /// Annotations the signed target must carry (NULL with 0 for none).
    pub user_metadata: *const notaverify_metadata_entry,
    /// The number of `user_metadata` entries.
    pub user_metadata_len: usize,
    /// The verification time in seconds since the Unix epoch; 0 means now.
    pub at_unix: i64,
}

impl notaverify_batch_item {
    /// The core request this item describes; an unusable pointer or a duplicate user-metadata key
    /// is an error of the C layer.
    ///
    /// # Safety
    /// The pointers are valid as `notaverify_verify` documents for its arguments.
    unsafe fn to_request(&self) -> Outcome<BatchItem> {
        let envelope = unsafe { try_bytes(self.envelope, self.envelope_len, "envelope") }?;
        let media_type = unsafe { try_str(self.media_type, "media_type") }?;
        let reference = unsafe { try_str(self.reference, "reference") }?;
        let target_digest = unsafe { try_opt_str(self.target_digest, "target_digest") }?;
        let entries = unsafe { try_slice(self.user_metadata, self.user_metadata_len, "user_metadata") }?;

        let mut options = VerifyOptions::default();
        for (i, entry) in entries.iter().enumerate() {
            let key = unsafe { try_str(entry.key, &format!("user_metadata[{i}].key")) }?;
            let value = unsafe { try_str(entry.value, &format!("user_metadata[{i}].value")) }?;
            if options.user_metadata.insert(key.to_owned(), value.to_owned()).is_some() {
                return Err(Failure::invalid(format!("user metadata key {key:?} is given twice")));
            }
        }
        if self.at_unix != 0 {
            options.at = Some(Time::from_unix(self.at_unix));
        }
        // The digest of the reference; one that does not parse is left for the verification to
        // report, as the core checks the reference there.
        let target = match target_digest {
            Some(digest) => Target::Digest(digest.to_owned()),
            None => Target::from_reference(reference).unwrap_or_else(|_| Target::Digest(String::new())),
        };
        let signature = SignatureInput::new(envelope, media_type);
        Ok(BatchItem::new(reference, target, vec![signature]).with_options(options))
    }
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
        let item = notaverify_batch_item {
            envelope,
            envelope_len,
            media_type,
            reference,
            target_digest,
            user_metadata,
            user_metadata_len,
            at_unix,
        };
        let request = unsafe { item.to_request() }?;
        let outcome = verifier.inner.verify_artifact(
            &request.reference,
            &request.target,
            &request.signatures,
            &request.options,
        )?;
        *out = into_handle(notaverify_outcome::new(outcome));
        Ok(())
    })
}

/// Verifies many artifacts, each exactly as `notaverify_verify` would, in parallel.
///
/// - `items`, `count`: the artifacts (NULL with 0 for none).
/// - `threads`: how many threads verify them; 0 means the library's shared pool (one thread per
///   CPU).
/// - `outcomes_out`: an array of `count` outcome pointers, filled in item order.
/// - `results_out`: an array of `count` results, filled in item order.
///
/// When the call returns `NOTAVERIFY_RESULT_OK`, `results_out[i]` is what `notaverify_verify`
/// would have returned for `items[i]`, and `outcomes_out[i]` its outcome when that is
/// `NOTAVERIFY_RESULT_OK`, else NULL. An item that cannot be evaluated (no applicable policy
/// statement, a reference without a digest, ...) fails alone: the other items still verify. Its
/// message is not kept; verify it alone with `notaverify_verify` to read it.
///
/// An item with an unusable pointer (NULL where a value is required, invalid UTF-8) or a
/// duplicate user-metadata key fails the whole call before anything is verified: the result is
/// that item's, the last error names it (`items[2]: reference is NULL`), and `results_out` is
/// unspecified. Whenever the call fails, every `outcomes_out[i]` is NULL (if `outcomes_out` is
/// usable).
///
/// The caller owns every non-NULL `outcomes_out[i]` and frees each with `notaverify_outcome_free`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn notaverify_verify_many(
    verifier: *const notaverify_verifier,
    items: *const notaverify_batch_item,
    count: usize,
    threads: usize,
    outcomes_out: *mut *mut notaverify_outcome,
    results_out: *mut notaverify_result,
) -> notaverify_result {
    guard(|| {
        let outcomes_out = unsafe { try_out_slice(outcomes_out, count, "outcomes_out") }?;
        for slot in outcomes_out.iter_mut() {
            slot.write(std::ptr::null_mut());
        }
        let results_out = unsafe { try_out_slice(results_out, count, "results_out") }?;
        let verifier = unsafe { try_ref(verifier, "verifier") }?;
        let items = unsafe { try_slice(items, count, "items") }?;
        let requests = items
            .iter()
            .enumerate()
            .map(|(i, item)| {
                unsafe { item.to_request() }.map_err(|f| Failure::new(f.result, format!("items[{i}]: {}", f.message)))
            })
            .collect::<Outcome<Vec<_>>>()?;
        let options = BatchOptions { threads: (threads != 0).then_some(threads), ..BatchOptions::default() };
        let verified = verifier.inner.verify_many_with(&requests, &options);
        for ((result, outcome), verified) in results_out.iter_mut().zip(outcomes_out).zip(verified) {
            match verified {
                Ok(o) => {
                    outcome.write(into_handle(notaverify_outcome::new(o)));
                    result.write(notaverify_result::Ok);
                }
                Err(e) => {
                    result.write(notaverify_result::from_kind(e.kind()));
                }
            }
        }
        Ok(())
    })
}
