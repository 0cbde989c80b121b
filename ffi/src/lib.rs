//! `libnotaverify`: the C ABI of notaverify.
//!
//! This crate only converts and guards: it turns C pointers and strings into Rust values (through
//! the one helper set in [`boundary`]), calls the `notaverify` crate, and turns its results back
//! into result codes, handles and copied strings. It decides nothing about verification.
//! The header `include/notaverify.h` is generated from this source by cbindgen (`make header`)
//! and committed; `make check-header` fails when it is stale.
#![allow(non_camel_case_types)]
#![allow(clippy::missing_safety_doc)] // the header's preamble states the pointer contract once
#![deny(unsafe_op_in_unsafe_fn)]
#![allow(
    unreachable_pub,
    reason = "the C functions are `pub` for cbindgen and exported by `no_mangle` from private modules"
)]

// Declared in the order the header presents them.
mod boundary;
mod classification;
mod diagnostics;
mod inspection;
mod outcome;
mod policy;
mod posture;
mod request;
mod result;
mod revocation;
mod store;
mod verifier;

pub use classification::notaverify_classification;
pub use inspection::notaverify_inspection;
pub use outcome::notaverify_outcome;
pub use policy::{notaverify_blob_policy, notaverify_policy};
pub use posture::{notaverify_exceptions, notaverify_retired};
pub use request::{notaverify_envelope, notaverify_metadata_entry, notaverify_verify_options};
pub use result::{notaverify_action, notaverify_check_type, notaverify_result};
pub use revocation::notaverify_revocation;
pub use store::notaverify_trust_store;
pub use verifier::{notaverify_batch_item, notaverify_verifier};

use std::ffi::{CString, c_char};
use std::sync::OnceLock;

/// The library version and crypto backend, `"notaverify/<version>/<backend>"` (e.g.
/// `"notaverify/0.1.0/aws-lc-rs"`). The string is static: never free it.
#[unsafe(no_mangle)]
pub extern "C" fn notaverify_version() -> *const c_char {
    static VERSION: OnceLock<CString> = OnceLock::new();
    boundary::guard_or(std::ptr::null(), || {
        VERSION
            .get_or_init(|| {
                let text = format!("notaverify/{}/{}", env!("CARGO_PKG_VERSION"), notaverify_core::backend_name());
                CString::new(text).unwrap_or_default()
            })
            .as_ptr()
    })
}

#[cfg(test)]
mod tests {
    use std::ffi::CStr;

    #[test]
    fn version_names_the_crate_and_backend() {
        let v = unsafe { CStr::from_ptr(super::notaverify_version()) }.to_str().unwrap();
        assert_eq!(v, format!("notaverify/{}/{}", env!("CARGO_PKG_VERSION"), notaverify_core::backend_name()));
    }

    #[test]
    fn header_version_defines_match_the_crate() {
        let header = include_str!("../include/notaverify.h");
        for (name, value) in [
            ("MAJOR", env!("CARGO_PKG_VERSION_MAJOR")),
            ("MINOR", env!("CARGO_PKG_VERSION_MINOR")),
            ("PATCH", env!("CARGO_PKG_VERSION_PATCH")),
        ] {
            let line = format!("#define NOTAVERIFY_VERSION_{name} {value}\n");
            assert!(
                header.contains(&line),
                "the header lacks {line:?}: update ffi/cbindgen.toml and run `make header`"
            );
        }
        assert!(header.contains(&format!("#define NOTAVERIFY_VERSION \"{}\"\n", env!("CARGO_PKG_VERSION"))));
    }
}
