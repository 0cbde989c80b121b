//! `notaverify_inspection`: what an artifact's signatures claim, read with no trust policy or
//! trust store (`notaverify inspect`), its two constructors and its accessors.

use crate::boundary::{
    Failure, Outcome, free_handle, guard, guard_or, into_handle, reset_out_handle, try_opt_str, try_ref, try_str,
    write_out, write_string,
};
use crate::request::{notaverify_envelope, signature_inputs};
use crate::result::notaverify_result;
use notaverify_core::inspect::{self, ArtifactInspection, CertificateSummary, SignatureInspection};
use notaverify_core::loader::TagOrDigest;
use std::cell::OnceCell;
use std::ffi::c_char;
use std::path::Path;

/// Every signature of one artifact and what each claims: its signer, its times, its signed
/// target. Nothing in it is verified: a signer named here is the one the envelope claims, and
/// only the verify calls say whether to believe it. Owned by the caller; free it with
/// `notaverify_inspection_free`. Not synchronized: use one inspection from one thread at a time
/// (it may be handed to another thread).
pub struct notaverify_inspection {
    inner: ArtifactInspection,
    json: OnceCell<String>,
}

/// Stores `inspection` in `*out` (already reset to NULL).
fn hand_out(out: &mut *mut notaverify_inspection, inspection: ArtifactInspection) -> Outcome {
    *out = into_handle(notaverify_inspection { inner: inspection, json: OnceCell::new() });
    Ok(())
}

unsafe fn get_inspection<'a>(ptr: *const notaverify_inspection) -> Outcome<&'a ArtifactInspection> {
    unsafe { try_ref(ptr, "inspection") }.map(|i| &i.inner)
}

unsafe fn get_signature<'a>(ptr: *const notaverify_inspection, index: usize) -> Outcome<&'a SignatureInspection> {
    let i = unsafe { get_inspection(ptr) }?;
    i.signatures.get(index).ok_or_else(|| {
        Failure::invalid(format!("signature index {index} is out of range (the inspection has {})", i.signatures.len()))
    })
}

unsafe fn get_signer<'a>(ptr: *const notaverify_inspection, sig: usize) -> Outcome<&'a CertificateSummary> {
    unsafe { get_signature(ptr, sig) }?.signer.as_ref().ok_or_else(|| {
        Failure::new(
            notaverify_result::NotPresent,
            format!("signature {sig} names no signer (it or its leaf certificate could not be read)"),
        )
    })
}

/// Lists every notation signature of an artifact of the OCI image layout in the directory
/// `layout_dir`, as `notaverify inspect --oci-layout <layout_dir>:<tag>` (or `@<digest>`) does,
/// into `*out`. The signatures are found as `notaverify_verify_oci_layout` finds them; none is
/// verified.
///
/// - `layout_dir`: the layout's directory (NUL-terminated UTF-8).
/// - `reference`: a tag (`v1`) or a manifest digest (`sha256:<hex>`) in the layout.
///
/// The inspection's reference is `<layout_dir>@<digest>`. A signature that cannot be read is
/// listed with its error. A layout that cannot be read (a missing directory, a file too large, a
/// symlink) or does not hold `reference` is `NOTAVERIFY_RESULT_LOAD`; a malformed tag or digest
/// `NOTAVERIFY_RESULT_INVALID_INPUT`; on failure `*out` is NULL. On success the caller owns
/// `*out` and frees it with `notaverify_inspection_free`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn notaverify_inspect_oci_layout(
    layout_dir: *const c_char,
    reference: *const c_char,
    out: *mut *mut notaverify_inspection,
) -> notaverify_result {
    guard(|| {
        let out = unsafe { reset_out_handle(out, "out") }?;
        let dir = unsafe { try_str(layout_dir, "layout_dir") }?;
        let reference = TagOrDigest::parse(unsafe { try_str(reference, "reference") }?)?;
        hand_out(out, inspect::inspect_oci_layout(Path::new(dir), &reference)?)
    })
}

/// Lists what each of `count` envelopes claims, as `notaverify inspect --signature FILE...` does,
/// into `*out`.
///
/// - `reference`: the artifact the envelopes belong to, reported as given
///   (`registry/repository@<digest>`); NULL for none. It is not checked against the envelopes.
/// - `envelopes`, `count`: the envelopes (NULL with 0 for none). An envelope that cannot be read
///   is listed with its error; an unusable `notaverify_envelope` (NULL data with a length, NULL or
///   non-UTF-8 media type) fails the call, and the last error names it
///   (`envelopes[1]: media_type is NULL`).
///
/// On success the caller owns `*out` and frees it with `notaverify_inspection_free`; on failure
/// `*out` is NULL.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn notaverify_inspect_envelopes(
    reference: *const c_char,
    envelopes: *const notaverify_envelope,
    count: usize,
    out: *mut *mut notaverify_inspection,
) -> notaverify_result {
    guard(|| {
        let out = unsafe { reset_out_handle(out, "out") }?;
        let reference = unsafe { try_opt_str(reference, "reference") }?;
        let signatures = unsafe { signature_inputs(envelopes, count) }?;
        hand_out(out, ArtifactInspection::new(reference.map(str::to_owned), &signatures))
    })
}

/// Copies the whole inspection as the JSON document of `notaverify inspect -o json`, without its
/// `error` member (which the CLI adds: null there, since the inspection exists) (string
/// convention).
#[unsafe(no_mangle)]
pub unsafe extern "C" fn notaverify_inspection_json(
    inspection: *const notaverify_inspection,
    buf: *mut c_char,
    len: usize,
    out_len: *mut usize,
) -> notaverify_result {
    guard(|| {
        let handle = unsafe { try_ref(inspection, "inspection") }?;
        let json = handle.json.get_or_init(|| handle.inner.to_json());
        unsafe { write_string(json, buf, len, out_len) }
    })
}

/// Sets `*out` to the number of signatures listed (0 for an unsigned artifact). Signature
/// indexes below run from 0 to this count minus 1, in the order of the layout or of the
/// envelopes given.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn notaverify_inspection_signature_count(
    inspection: *const notaverify_inspection,
    out: *mut usize,
) -> notaverify_result {
    guard(|| unsafe { write_out(out, get_inspection(inspection)?.signatures.len(), "out") })
}

/// Copies why signature `sig` (or a part of it) could not be read; `NOTAVERIFY_RESULT_NOT_PRESENT`
/// when it was read whole.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn notaverify_inspection_signature_error(
    inspection: *const notaverify_inspection,
    sig: usize,
    buf: *mut c_char,
    len: usize,
    out_len: *mut usize,
) -> notaverify_result {
    guard(|| {
        let error = unsafe { get_signature(inspection, sig) }?.error.as_deref().ok_or_else(|| {
            Failure::new(notaverify_result::NotPresent, format!("signature {sig} was read whole: it has no error"))
        })?;
        unsafe { write_string(error, buf, len, out_len) }
    })
}

/// Copies the subject DN of the leaf certificate signature `sig` carries (the signer it claims),
/// as notation prints it; `NOTAVERIFY_RESULT_NOT_PRESENT` when the envelope or that certificate
/// could not be read.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn notaverify_inspection_signer_subject(
    inspection: *const notaverify_inspection,
    sig: usize,
    buf: *mut c_char,
    len: usize,
    out_len: *mut usize,
) -> notaverify_result {
    guard(|| unsafe { write_string(&get_signer(inspection, sig)?.subject, buf, len, out_len) })
}

/// Copies the lower-case hex SHA-256 fingerprint of the leaf certificate signature `sig` carries
/// (64 characters); `NOTAVERIFY_RESULT_NOT_PRESENT` when the envelope or that certificate could
/// not be read.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn notaverify_inspection_signer_fingerprint(
    inspection: *const notaverify_inspection,
    sig: usize,
    buf: *mut c_char,
    len: usize,
    out_len: *mut usize,
) -> notaverify_result {
    guard(|| unsafe { write_string(&get_signer(inspection, sig)?.sha256_fingerprint, buf, len, out_len) })
}

/// Frees an inspection. NULL is a no-op. The pointer must not be used afterwards.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn notaverify_inspection_free(inspection: *mut notaverify_inspection) {
    guard_or((), || unsafe { free_handle(inspection) })
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::ffi::CString;
    use std::ptr::{null, null_mut};

    fn scan_layout(name: &str) -> std::path::PathBuf {
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../cli/tests/fixtures/scan/layouts").join(name)
    }

    /// The C call's inspection is the core's, by tag, for a dual-signed and an unsigned artifact.
    #[test]
    fn oci_layout_inspections_are_the_cores() {
        for (layout, tag, signatures) in [("app", "dual", 2), ("legacy", "legacy-a", 0)] {
            let dir = scan_layout(layout);
            let c_dir = CString::new(dir.to_str().expect("a UTF-8 path")).unwrap();
            let c_tag = CString::new(tag).unwrap();
            let mut out = null_mut();
            let rc = unsafe { notaverify_inspect_oci_layout(c_dir.as_ptr(), c_tag.as_ptr(), &mut out) };
            assert_eq!(rc, notaverify_result::Ok, "{layout}:{tag}");
            let from_c = unsafe { Box::from_raw(out) };
            let from_core = inspect::inspect_oci_layout(&dir, &TagOrDigest::Tag(tag.into())).unwrap();
            assert_eq!(from_c.inner, from_core, "{layout}:{tag}");
            assert_eq!(from_core.signatures.len(), signatures, "{layout}:{tag}");
        }
    }

    #[test]
    fn unreadable_envelopes_are_listed_and_unusable_ones_fail() {
        let garbage = b"{\"protected\":";
        let envelope = notaverify_envelope {
            data: garbage.as_ptr(),
            len: garbage.len(),
            media_type: c"application/jose+json".as_ptr(),
        };
        let mut out = null_mut();
        let rc = unsafe { notaverify_inspect_envelopes(null(), &envelope, 1, &mut out) };
        assert_eq!(rc, notaverify_result::Ok);
        let inspection = unsafe { Box::from_raw(out) };
        assert_eq!(inspection.inner.reference, None);
        assert!(inspection.inner.signatures[0].error.is_some());
        let no_media_type = notaverify_envelope { media_type: null(), ..envelope };
        let rc = unsafe { notaverify_inspect_envelopes(null(), &no_media_type, 1, &mut out) };
        assert_eq!(rc, notaverify_result::NullParameter);
        assert!(out.is_null());
    }
}
