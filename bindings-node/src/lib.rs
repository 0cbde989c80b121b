//! The Node.js addon of notaverify: a thin napi-rs layer over the `notaverify` crate. It
//! converts JavaScript arguments to core inputs and core outcomes to plain objects (built by the
//! embedded `outcome.js`, see `outcome`); every verification rule lives in the core. The
//! generated `index.js` / `index.d.ts` are the package.
#![deny(clippy::all)]
#![allow(
    unreachable_pub,
    reason = "classes and functions reach JavaScript through napi registration, not Rust visibility"
)]

mod api;
pub mod convert;
pub mod errors;
pub mod inspect;
mod json;
mod outcome;
mod revocation;
pub mod rollout;
mod scan;

use napi::bindgen_prelude::{Env, Object};
use napi_derive::napi;

/// The package version (the crate's).
#[napi]
pub const VERSION: &str = env!("CARGO_PKG_VERSION");

/// The crypto backend compiled in (`aws-lc-rs`, or `ring+p521`).
#[napi]
pub fn crypto_backend() -> String {
    notaverify::backend_name().to_owned()
}

/// When the addon loads: the embedded scripts that build outcomes (`outcome.js`) and make scans
/// iterable (`scan.js`) wrap the classes they serve.
#[napi(module_exports)]
#[cfg_attr(test, allow(dead_code))] // called by Node when the addon loads
pub fn install_scripts(exports: Object<'_>, env: Env) -> napi::Result<()> {
    outcome::install(&env, &exports)?;
    scan::install(&env, &exports)
}
