//! notation's CRL file cache as revocation evidence: a directory (by default
//! `{NOTATION_CACHE}/crl`) whose files are named `hex(sha256(url))` and hold JSON
//! `{"baseCRL": "<base64 DER>", "deltaCRL": "<base64 DER>"}` (`deltaCRL` optional). CRLs that
//! notation fetched can so be used offline; freshness is still judged at verification time, and
//! a cached CRL is one candidate among all evidence, not an answer that hides the others.

use super::files::{load_error, read_file};
use crate::Error;
use crate::limits::{MAX_CRL_CACHE_FILE_BYTES, MAX_CRL_CACHE_FILES};
use crate::revocation::RevocationEvidence;
use base64::Engine;
use std::path::Path;

#[derive(serde::Deserialize)]
struct CacheEntry {
    #[serde(rename = "baseCRL")]
    base_crl: String,
    #[serde(rename = "deltaCRL", default)]
    delta_crl: Option<String>,
}

/// Reads every cache file of `dir` into [`RevocationEvidence`]. Files whose names are not 64
/// hex digits are not cache entries and are skipped (notation writes temporary files there); a
/// cache entry that cannot be read or parsed is an error naming the file.
pub fn read_crl_cache(dir: &Path) -> Result<RevocationEvidence, Error> {
    let entries =
        std::fs::read_dir(dir).map_err(|e| load_error(dir, format!("CRL cache directory cannot be read: {e}")))?;
    let mut evidence = RevocationEvidence::new();
    let mut names = Vec::new();
    for entry in entries {
        let entry = entry.map_err(|e| load_error(dir, format!("CRL cache directory cannot be read: {e}")))?;
        let name = entry.file_name().to_string_lossy().into_owned();
        if name.len() == 64 && name.bytes().all(|b| b.is_ascii_hexdigit()) {
            names.push(name);
        }
        if names.len() > MAX_CRL_CACHE_FILES {
            return Err(Error::LimitExceeded {
                what: "CRL cache files",
                limit: MAX_CRL_CACHE_FILES,
                actual: names.len(),
            });
        }
    }
    names.sort();
    for name in names {
        let path = dir.join(&name);
        let bytes = read_file(&path, "CRL cache file", MAX_CRL_CACHE_FILE_BYTES)?;
        let entry: CacheEntry = serde_json::from_slice(&bytes)
            .map_err(|e| load_error(&path, format!("CRL cache file is not valid JSON: {e}")))?;
        let decode = |field: &str, value: &str| {
            base64::engine::general_purpose::STANDARD
                .decode(value.as_bytes())
                .map_err(|e| load_error(&path, format!("{field} is not valid base64: {e}")))
        };
        let base = decode("baseCRL", &entry.base_crl)?;
        let delta = entry.delta_crl.as_deref().filter(|d| !d.is_empty()).map(|d| decode("deltaCRL", d)).transpose()?;
        evidence
            .add_crl_bundle_for_key(&name, &base, delta.as_deref())
            .map_err(|e| load_error(&path, format!("CRL cache file holds an unusable CRL: {e}")))?;
    }
    Ok(evidence)
}
