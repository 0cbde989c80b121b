//! `RevocationEvidence`: CRLs and OCSP responses supplied by the caller, converted to the core's
//! `notaverify::revocation::RevocationEvidence`. Which evidence applies to which certificate,
//! and what it says, is decided by the core.

use crate::errors::{Result, guarded, invalid_input, or_throw, thrown};
use napi::ValueType;
use napi::bindgen_prelude::{ClassInstance, Env, FromNapiValue, TypeName, Uint8Array, ValidateNapiValue, sys};
use napi_derive::napi;
use std::path::Path;

/// Revocation evidence: CRLs and OCSP responses the caller fetched, used instead of a network.
///
/// Without evidence for a certificate that names an OCSP responder or a CRL distribution point,
/// its revocation status is unknown, which fails the revocation check (as notation offline).
/// A `Verifier` takes a copy when built or called; adding evidence afterwards does not change it.
#[napi]
pub struct RevocationEvidence {
    pub(crate) inner: notaverify::revocation::RevocationEvidence,
}

#[napi]
impl RevocationEvidence {
    /// No evidence.
    #[napi(constructor)]
    #[allow(clippy::new_without_default)]
    pub fn new() -> Self {
        Self { inner: notaverify::revocation::RevocationEvidence::new() }
    }

    /// Adds CRLs (DER, or PEM with one or more `X509 CRL` blocks). With `url`, they are the base
    /// CRL and optional delta CRL fetched from that distribution point; without, base CRLs
    /// matched to certificates by issuer and distribution point. Throws
    /// `INVALID_INPUT` for data that is not a usable CRL.
    #[napi]
    pub fn add_crl(&mut self, env: Env, crl: Uint8Array, url: Option<String>) -> napi::Result<()> {
        let inner = &mut self.inner;
        let added = guarded(|| {
            let added = match url.as_deref() {
                Some(url) => inner.add_crl(url, &crl),
                None => inner.add_crls(&crl),
            };
            or_throw(added.map_err(notaverify::Error::from))
        });
        thrown(&env, added)
    }

    /// Adds an OCSP response (DER). Throws `INVALID_INPUT` when it does not parse.
    #[napi]
    pub fn add_ocsp_response(&mut self, env: Env, response: Uint8Array) -> napi::Result<()> {
        let inner = &mut self.inner;
        thrown(&env, guarded(|| or_throw(inner.add_ocsp_response(&response).map_err(notaverify::Error::from))))
    }

    /// Reads notation's CRL file cache (a directory of `hex(sha256(url))` files, by default
    /// `{NOTATION_CACHE}/crl`). Throws `LOAD` when it cannot be read.
    #[napi(factory)]
    pub fn from_crl_cache(env: Env, dir: String) -> napi::Result<Self> {
        let inner = guarded(|| or_throw(notaverify::loader::read_crl_cache(Path::new(&dir))));
        Ok(Self { inner: thrown(&env, inner)? })
    }

    /// How many CRLs (per distribution point, and unkeyed) and OCSP responses it holds.
    #[napi(getter)]
    pub fn size(&self) -> u32 {
        let (urls, unkeyed, ocsp) = self.inner.counts();
        u32::try_from(urls + unkeyed + ocsp).unwrap_or(u32::MAX)
    }
}

/// A `RevocationEvidence` in an options object, copied when converted (anything else is
/// reported as `INVALID_INPUT` when the options are used).
pub struct EvidenceArg(std::result::Result<notaverify::revocation::RevocationEvidence, String>);

impl TypeName for EvidenceArg {
    fn type_name() -> &'static str {
        "RevocationEvidence"
    }
    fn value_type() -> ValueType {
        ValueType::Object
    }
}

impl ValidateNapiValue for EvidenceArg {}

impl FromNapiValue for EvidenceArg {
    unsafe fn from_napi_value(env: sys::napi_env, value: sys::napi_value) -> napi::Result<Self> {
        // SAFETY: the caller passes a live value of `env` (the FromNapiValue contract); the
        // class instance is checked (unwrap + type tag) before it is read.
        let instance = unsafe { ClassInstance::<RevocationEvidence>::from_napi_value(env, value) };
        Ok(Self(instance.map(|e| e.inner.clone()).map_err(|_| "revocation must be a RevocationEvidence".to_owned())))
    }
}

/// The evidence of an options object, if any.
pub(crate) fn evidence(arg: Option<EvidenceArg>) -> Result<Option<notaverify::revocation::RevocationEvidence>> {
    arg.map(|a| a.0.map_err(invalid_input)).transpose()
}
