//! `notaverify_revocation`: CRLs and OCSP responses supplied by the caller, and
//! `notaverify_verifier_set_revocation`. Which evidence applies to which certificate, and what it
//! says, is the core's decision.

use crate::boundary::{
    Failure, free_handle, guard, guard_or, into_handle, reset_out_handle, try_bytes, try_mut, try_opt_str, try_ref,
};
use crate::result::notaverify_result;
use crate::verifier::notaverify_verifier;
use notaverify_core::revocation::RevocationEvidence;
use std::ffi::c_char;

/// Revocation evidence: CRLs and OCSP responses the caller fetched, used instead of a network.
/// Without evidence for a certificate that names an OCSP responder or a CRL distribution point,
/// its revocation status is unknown, which fails the revocation check (as notation offline).
/// Owned by the caller; free it with `notaverify_revocation_free`. Not synchronized while being
/// filled: use it from one thread at a time. A verifier given it keeps its own copy.
pub struct notaverify_revocation {
    inner: RevocationEvidence,
}

/// Creates empty revocation evidence in `*out`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn notaverify_revocation_new(out: *mut *mut notaverify_revocation) -> notaverify_result {
    guard(|| {
        let out = unsafe { reset_out_handle(out, "out") }?;
        *out = into_handle(notaverify_revocation { inner: RevocationEvidence::new() });
        Ok(())
    })
}

/// Adds the CRLs in `crl` (`len` bytes: one DER CRL, or PEM with one or more `X509 CRL` blocks).
/// With `url` (NUL-terminated UTF-8), they are the base CRL and optional delta CRL fetched from
/// that distribution point; with NULL, base CRLs matched to certificates by issuer and
/// distribution point. Data that is not a usable CRL is `NOTAVERIFY_RESULT_INVALID_INPUT` (or
/// `NOTAVERIFY_RESULT_LIMIT_EXCEEDED`), and the evidence is left as it was.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn notaverify_revocation_add_crl(
    evidence: *mut notaverify_revocation,
    url: *const c_char,
    crl: *const u8,
    len: usize,
) -> notaverify_result {
    guard(|| {
        let evidence = unsafe { try_mut(evidence, "evidence") }?;
        let url = unsafe { try_opt_str(url, "url") }?;
        let crl = unsafe { try_bytes(crl, len, "crl") }?;
        let added = match url {
            Some(url) => evidence.inner.add_crl(url, crl),
            None => evidence.inner.add_crls(crl),
        };
        added.map_err(|e| Failure::from(notaverify_core::Error::from(e)))
    })
}

/// Adds the DER OCSP response in `response` (`len` bytes). One that does not parse is
/// `NOTAVERIFY_RESULT_INVALID_INPUT` (or `NOTAVERIFY_RESULT_LIMIT_EXCEEDED`).
#[unsafe(no_mangle)]
pub unsafe extern "C" fn notaverify_revocation_add_ocsp_response(
    evidence: *mut notaverify_revocation,
    response: *const u8,
    len: usize,
) -> notaverify_result {
    guard(|| {
        let evidence = unsafe { try_mut(evidence, "evidence") }?;
        let response = unsafe { try_bytes(response, len, "response") }?;
        evidence.inner.add_ocsp_response(response).map_err(|e| Failure::from(notaverify_core::Error::from(e)))
    })
}

/// Frees revocation evidence. NULL is a no-op. The pointer must not be used afterwards.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn notaverify_revocation_free(evidence: *mut notaverify_revocation) {
    guard_or((), || unsafe { free_handle(evidence) })
}

/// Makes `verifier` use a copy of `evidence` for every verification, replacing evidence set
/// before; the caller still owns `evidence` and may free it at once. This changes the verifier:
/// call it before sharing the verifier with other threads, never while another thread uses it.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn notaverify_verifier_set_revocation(
    verifier: *mut notaverify_verifier,
    evidence: *const notaverify_revocation,
) -> notaverify_result {
    guard(|| {
        let verifier = unsafe { try_mut(verifier, "verifier") }?;
        let evidence = unsafe { try_ref(evidence, "evidence") }?;
        verifier.change(|v| v.with_revocation_evidence(evidence.inner.clone()));
        Ok(())
    })
}
