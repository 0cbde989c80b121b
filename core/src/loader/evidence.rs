//! Revocation evidence from files: CRLs (DER or PEM, matched to certificates by issuer and
//! distribution point), DER OCSP responses, and notation's CRL cache directory.

use super::crl_cache::read_crl_cache;
use super::files::{load_error, read_file};
use crate::Error;
use crate::limits::{MAX_CRL_BYTES, MAX_OCSP_RESPONSE_BYTES};
use crate::revocation::RevocationEvidence;
use std::path::{Path, PathBuf};

/// Where revocation evidence lives on disk.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct EvidenceFiles {
    /// CRL files (base or delta, DER or PEM).
    pub crls: Vec<PathBuf>,
    /// DER OCSP response files.
    pub ocsp_responses: Vec<PathBuf>,
    /// A directory in notation's CRL cache format.
    pub crl_cache: Option<PathBuf>,
}

impl EvidenceFiles {
    /// True when no evidence is named.
    pub fn is_empty(&self) -> bool {
        self.crls.is_empty() && self.ocsp_responses.is_empty() && self.crl_cache.is_none()
    }
}

/// Reads all named evidence; a file that cannot be read or does not hold a CRL / OCSP response
/// is an error naming the file. The CRL cache and the files are merged: neither source ranks
/// above the other, and which evidence decides is chosen per certificate (see
/// [`crate::revocation`]).
pub fn read_revocation_evidence(files: &EvidenceFiles) -> Result<RevocationEvidence, Error> {
    let mut evidence = match &files.crl_cache {
        Some(dir) => read_crl_cache(dir)?,
        None => RevocationEvidence::new(),
    };
    for path in &files.crls {
        let bytes = read_file(path, "CRL file", MAX_CRL_BYTES)?;
        evidence.add_crls(&bytes).map_err(|e| unusable(path, "CRL", &e))?;
    }
    for path in &files.ocsp_responses {
        let bytes = read_file(path, "OCSP response file", MAX_OCSP_RESPONSE_BYTES)?;
        evidence.add_ocsp_response(&bytes).map_err(|e| unusable(path, "OCSP response", &e))?;
    }
    Ok(evidence)
}

fn unusable(path: &Path, what: &str, error: &dyn std::fmt::Display) -> Error {
    load_error(path, format!("not a usable {what}: {error}"))
}
