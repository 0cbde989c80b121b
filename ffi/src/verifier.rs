//! `notaverify_verifier` and the verify calls: one envelope (`notaverify_verify`), a batch
//! (`notaverify_verify_many`), an artifact with several envelopes, an artifact in an OCI image
//! layout, and a blob.

use crate::boundary::{
    Outcome, free_handle, guard, guard_or, into_handle, reset_out_handle, try_bytes, try_mut, try_opt_str,
    try_out_slice, try_ref, try_slice, try_str,
};
use crate::outcome::notaverify_outcome;
use crate::policy::{notaverify_blob_policy, notaverify_policy};
use crate::request::{
    notaverify_envelope, notaverify_metadata_entry, notaverify_verify_options, signature_inputs, verify_options,
};
use crate::result::notaverify_result;
use crate::store::notaverify_trust_store;
use notaverify_core::{
    ArtifactOutcome, BatchItem, BatchOptions, BlobOptions, SignatureInput, Target, TrustStore, Verifier,
};
use std::ffi::c_char;
use std::path::Path;

/// A verifier: a trust policy and a trust store, built once and used for many verifications.
/// Owned by the caller; free it with `notaverify_verifier_free` once no thread uses it.
/// Thread-safe: the verify calls may be made on one verifier from many threads at once
/// (`notaverify_verifier_set_revocation` and `notaverify_verifier_set_blob_policy` change it, and
/// must come before it is shared).
pub struct notaverify_verifier {
    pub(crate) inner: Verifier,
}

impl notaverify_verifier {
    /// Replaces the verifier by `change` of it (the core's builder methods take it by value).
    pub(crate) fn change(&mut self, change: impl FnOnce(Verifier) -> Verifier) {
        let current = std::mem::replace(&mut self.inner, Verifier::new(TrustStore::new()));
        self.inner = change(current);
    }
}

/// Creates a verifier from an OCI trust policy and a trust store, into `*out`. Both are copied:
/// the caller still owns `policy` and `store` and may free them at once. `policy` may be NULL for
/// a verifier of blobs only (give it a blob policy with `notaverify_verifier_set_blob_policy`);
/// its OCI verifications are then `NOTAVERIFY_RESULT_INVALID_INPUT`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn notaverify_verifier_new(
    policy: *const notaverify_policy,
    store: *const notaverify_trust_store,
    out: *mut *mut notaverify_verifier,
) -> notaverify_result {
    guard(|| {
        let out = unsafe { reset_out_handle(out, "out") }?;
        // SAFETY: a non-NULL `policy` is a live handle, per the header's pointer rules.
        let policy = unsafe { policy.as_ref() };
        let store = unsafe { try_ref(store, "store") }?;
        let mut inner = Verifier::new(store.inner.clone());
        if let Some(policy) = policy {
            inner = inner.with_oci_policy(policy.inner.clone());
        }
        *out = into_handle(notaverify_verifier { inner });
        Ok(())
    })
}

/// Makes `verifier` use a copy of `policy` for blobs, replacing the blob policy it had (from its
/// configuration directory, or set before); the caller still owns `policy` and may free it at
/// once. This changes the verifier: call it before sharing the verifier with other threads, never
/// while another thread uses it.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn notaverify_verifier_set_blob_policy(
    verifier: *mut notaverify_verifier,
    policy: *const notaverify_blob_policy,
) -> notaverify_result {
    guard(|| {
        let verifier = unsafe { try_mut(verifier, "verifier") }?;
        let policy = unsafe { try_ref(policy, "policy") }?;
        verifier.change(|v| v.with_blob_policy(policy.inner.clone()));
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
        let options = notaverify_verify_options {
            user_metadata: self.user_metadata,
            user_metadata_len: self.user_metadata_len,
            at_unix: self.at_unix,
            max_signatures: 0,
            all_signatures: false,
        };
        let options = unsafe { options.to_core() }?;
        let target = match target_digest {
            Some(digest) => Target::Digest(digest.to_owned()),
            None => reference_target(reference),
        };
        let signature = SignatureInput::new(envelope, media_type);
        Ok(BatchItem::new(reference, target, vec![signature]).with_options(options))
    }
}

/// The digest `reference` names; one that does not parse is left for the verification to
/// report (the core checks the reference there), as an empty digest.
pub(crate) fn reference_target(reference: &str) -> Target {
    Target::from_reference(reference).unwrap_or_else(|_| Target::Digest(String::new()))
}

/// Stores the outcome of a verify call in `*out` (already reset to NULL).
fn hand_out(out: &mut *mut notaverify_outcome, verified: Result<ArtifactOutcome, notaverify_core::Error>) -> Outcome {
    *out = into_handle(notaverify_outcome::new(verified?));
    Ok(())
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
        hand_out(
            out,
            verifier.inner.verify_artifact(&request.reference, &request.target, &request.signatures, &request.options),
        )
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
            .map(|(i, item)| unsafe { item.to_request() }.map_err(|f| f.within(&format!("items[{i}]"))))
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

/// Verifies the signatures of an OCI artifact as `notation verify` does, into `*out`: they are
/// tried in order (at most `options->max_signatures`) until one verifies, or all of them with
/// `options->all_signatures`.
///
/// - `reference`: `registry/repository@<digest>`; it selects the trust policy statement, and the
///   signatures must be bound to its digest.
/// - `envelopes`, `count`: the envelopes (NULL with 0 for none: the outcome is then not verified,
///   with the error code `NO_SIGNATURE`, unless the policy level is `skip`). An unusable envelope
///   fails the call; the last error names it (`envelopes[1]: media_type is NULL`).
/// - `options`: NULL for the defaults.
///
/// The results are those of `notaverify_verify`; the outcome lists every signature tried.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn notaverify_verify_artifact(
    verifier: *const notaverify_verifier,
    reference: *const c_char,
    envelopes: *const notaverify_envelope,
    count: usize,
    options: *const notaverify_verify_options,
    out: *mut *mut notaverify_outcome,
) -> notaverify_result {
    guard(|| {
        let out = unsafe { reset_out_handle(out, "out") }?;
        let verifier = unsafe { try_ref(verifier, "verifier") }?;
        let reference = unsafe { try_str(reference, "reference") }?;
        let signatures = unsafe { signature_inputs(envelopes, count) }?;
        let options = unsafe { verify_options(options) }?;
        let target = reference_target(reference);
        hand_out(out, verifier.inner.verify_artifact(reference, &target, &signatures, &options))
    })
}

/// Verifies an artifact of the OCI image layout in the directory `layout_dir`, as
/// `notation verify --oci-layout --scope <scope> <layout_dir>:<tag>` (or `@<digest>`) does, into
/// `*out`. The signatures are the layout's notation signature manifests whose subject is the
/// artifact; they are tried as `notaverify_verify_artifact` tries its envelopes.
///
/// - `layout_dir`: the layout's directory (NUL-terminated UTF-8).
/// - `reference`: a tag (`v1`) or a manifest digest (`sha256:<hex>`) in the layout.
/// - `scope`: the `registry/repository` that selects the trust policy statement; the outcome's
///   reference is `<scope>@<digest>`.
/// - `options`: NULL for the defaults.
///
/// A layout that cannot be read (a missing directory, a file too large, a symlink) or does not
/// hold `reference` is `NOTAVERIFY_RESULT_LOAD`; a malformed tag or digest
/// `NOTAVERIFY_RESULT_INVALID_INPUT`; otherwise the results are those of `notaverify_verify`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn notaverify_verify_oci_layout(
    verifier: *const notaverify_verifier,
    layout_dir: *const c_char,
    reference: *const c_char,
    scope: *const c_char,
    options: *const notaverify_verify_options,
    out: *mut *mut notaverify_outcome,
) -> notaverify_result {
    guard(|| {
        let out = unsafe { reset_out_handle(out, "out") }?;
        let verifier = unsafe { try_ref(verifier, "verifier") }?;
        let dir = unsafe { try_str(layout_dir, "layout_dir") }?;
        let reference = unsafe { try_str(reference, "reference") }?;
        let scope = unsafe { try_str(scope, "scope") }?;
        let options = unsafe { verify_options(options) }?;
        let verified = verifier.inner.verify_oci_layout(Path::new(dir), reference, scope, &options);
        hand_out(out, verified)
    })
}

/// Verifies a detached blob signature as `notation blob verify` does, into `*out`.
///
/// - `blob`, `blob_len`: the blob's bytes.
/// - `blob_name`: the name the outcome reports as its reference; NULL means `"blob"`.
/// - `envelope`: the signature envelope.
/// - `policy_name`: the blob trust policy statement to use (`--policy-name`); NULL means the
///   global statement.
/// - `blob_media_type`: the media type the signature must name for the blob (`--media-type`);
///   NULL accepts any.
/// - `options`: NULL for the defaults (`max_signatures` and `all_signatures` have no effect on
///   the one signature).
///
/// The verifier needs a blob trust policy (`trustpolicy.blob.json` in its configuration
/// directory, or `notaverify_verifier_set_blob_policy`), else the result is
/// `NOTAVERIFY_RESULT_INVALID_INPUT`; an unknown `policy_name` or no global statement is
/// `NOTAVERIFY_RESULT_NO_APPLICABLE_POLICY`. Otherwise the results are those of
/// `notaverify_verify`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn notaverify_verify_blob(
    verifier: *const notaverify_verifier,
    blob: *const u8,
    blob_len: usize,
    blob_name: *const c_char,
    envelope: *const notaverify_envelope,
    policy_name: *const c_char,
    blob_media_type: *const c_char,
    options: *const notaverify_verify_options,
    out: *mut *mut notaverify_outcome,
) -> notaverify_result {
    guard(|| {
        let out = unsafe { reset_out_handle(out, "out") }?;
        let verifier = unsafe { try_ref(verifier, "verifier") }?;
        let blob = unsafe { try_bytes(blob, blob_len, "blob") }?;
        let blob_name = unsafe { try_opt_str(blob_name, "blob_name") }?.unwrap_or("blob");
        let envelope = unsafe { try_ref(envelope, "envelope") }?;
        let signature = unsafe { envelope.to_input() }.map_err(|f| f.within("envelope"))?;
        let blob_options = BlobOptions {
            policy_name: unsafe { try_opt_str(policy_name, "policy_name") }?.map(str::to_owned),
            media_type: unsafe { try_opt_str(blob_media_type, "blob_media_type") }?.map(str::to_owned),
            verify: unsafe { verify_options(options) }?,
        };
        hand_out(out, verifier.inner.verify_blob(blob_name, blob, &signature, &blob_options))
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use notaverify_core::{CheckType, FailureKind};
    use std::ffi::CString;
    use std::path::PathBuf;
    use std::ptr::{null, null_mut};

    /// When the CLI tests verify its fixture layouts: 2025-07-01T00:00:00Z.
    const JULY_2025: i64 = 1_751_328_000;

    fn cli_fixture(rel: &str) -> PathBuf {
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../cli/tests/fixtures").join(rel)
    }

    /// The C call's outcome is the core loader's, whether the layout verifies, has a tampered
    /// signature, or has several signatures (also all evaluated).
    #[test]
    fn oci_layout_outcomes_are_the_loaders() {
        let verifier = notaverify_verifier {
            inner: notaverify_core::loader::load_verifier(&cli_fixture("config"))
                .expect("the CLI fixture config loads"),
        };
        for (layout, all_signatures) in [("good", false), ("tampered", false), ("multi", false), ("multi", true)] {
            let options = notaverify_verify_options {
                user_metadata: null(),
                user_metadata_len: 0,
                at_unix: JULY_2025,
                max_signatures: 0,
                all_signatures,
            };
            let dir = cli_fixture(&format!("layouts/{layout}"));
            let c_dir = CString::new(dir.to_str().expect("a UTF-8 path")).unwrap();
            let mut out = null_mut();
            let rc = unsafe {
                notaverify_verify_oci_layout(
                    &verifier,
                    c_dir.as_ptr(),
                    c"v1".as_ptr(),
                    c"example.com/app".as_ptr(),
                    &options,
                    &mut out,
                )
            };
            assert_eq!(rc, notaverify_result::Ok, "{layout}");
            let from_c = unsafe { Box::from_raw(out) };
            let core_options = unsafe { options.to_core() }.unwrap();
            let from_core = verifier.inner.verify_oci_layout(&dir, "v1", "example.com/app", &core_options).unwrap();
            assert_eq!(from_c.inner, from_core, "{layout}");
            if layout == "tampered" {
                assert_eq!(from_core.signatures[0].failure, Some(FailureKind::Check(CheckType::Integrity)));
            }
        }
    }
}
