//! `notaverify_trust_store`: certificates by store type and name, built in memory.

use crate::boundary::{
    Failure, free_handle, guard, guard_or, into_handle, reset_out_handle, try_bytes, try_mut, try_str,
};
use crate::result::notaverify_result;
use notaverify_core::{StoreType, TrustStore};
use std::ffi::c_char;

/// A trust store: named sets of certificates of the types `ca`, `signingAuthority` and `tsa`, as
/// under notation's `truststore/x509/<type>/<name>/`. Owned by the caller; free it with
/// `notaverify_trust_store_free`. Not synchronized: do not use one store from two threads at once.
/// A verifier built from it keeps its own copy, so the store may be freed right after.
pub struct notaverify_trust_store {
    pub(crate) inner: TrustStore,
}

/// Creates an empty trust store in `*out`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn notaverify_trust_store_new(out: *mut *mut notaverify_trust_store) -> notaverify_result {
    guard(|| {
        let out = unsafe { reset_out_handle(out, "out") }?;
        *out = into_handle(notaverify_trust_store { inner: TrustStore::new() });
        Ok(())
    })
}

/// Adds the certificates in `certs` (`len` bytes of PEM, possibly several certificates, or one DER
/// certificate) to the store named `name` of type `store_type` (`"ca"`, `"signingAuthority"` or
/// `"tsa"`, the directory names notation uses). Both strings are NUL-terminated UTF-8.
/// An unknown store type is `NOTAVERIFY_RESULT_INVALID_ARGUMENT`; unusable certificates are
/// `NOTAVERIFY_RESULT_TRUST_STORE` or `NOTAVERIFY_RESULT_CERTIFICATE`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn notaverify_trust_store_add(
    store: *mut notaverify_trust_store,
    store_type: *const c_char,
    name: *const c_char,
    certs: *const u8,
    len: usize,
) -> notaverify_result {
    guard(|| {
        let store = unsafe { try_mut(store, "store") }?;
        let type_name = unsafe { try_str(store_type, "store_type") }?;
        let name = unsafe { try_str(name, "name") }?;
        let certs = unsafe { try_bytes(certs, len, "certs") }?;
        let kind = StoreType::from_name(type_name).ok_or_else(|| {
            Failure::invalid(format!(
                "unknown trust store type {type_name:?} (expected \"ca\", \"signingAuthority\" or \"tsa\")"
            ))
        })?;
        store.inner.add(kind, name, certs).map(drop).map_err(|e| Failure::from(notaverify_core::Error::from(e)))
    })
}

/// Frees a trust store. NULL is a no-op. The pointer must not be used afterwards.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn notaverify_trust_store_free(store: *mut notaverify_trust_store) {
    guard_or((), || unsafe { free_handle(store) })
}
