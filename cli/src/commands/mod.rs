//! One module per command. Each turns arguments into core calls and returns what to render.

pub mod blob;
pub mod inspect;
pub mod policy;
pub mod posture;
pub mod scan;
pub mod verify;

use crate::args::{CommonArgs, VerificationArgs};
use crate::verdict::{Context, Failure};
use notaverify::Error;
use notaverify::loader;
use notaverify::{Verifier, VerifyOptions};
use std::collections::BTreeMap;
use std::path::PathBuf;

/// The configuration directory: `--config-dir`, else notation's default.
pub fn config_dir(common: &CommonArgs) -> Result<PathBuf, Failure> {
    match &common.config_dir {
        Some(dir) => Ok(dir.clone()),
        None => loader::default_config_dir().context(|| "notation configuration directory".into()),
    }
}

/// The options of one verification; a repeated user-metadata key is a usage error.
pub fn verify_options(args: &VerificationArgs) -> Result<VerifyOptions, Failure> {
    let mut user_metadata = BTreeMap::new();
    for (key, value) in &args.user_metadata {
        if user_metadata.insert(key.clone(), value.clone()).is_some() {
            return Err(Error::InvalidInput(format!("--user-metadata key {key:?} is given more than once")).into());
        }
    }
    let files = loader::EvidenceFiles {
        crls: args.crls.clone(),
        ocsp_responses: args.ocsp_responses.clone(),
        crl_cache: args.crl_cache.clone(),
    };
    let revocation = if files.is_empty() { None } else { Some(loader::read_revocation_evidence(&files)?) };
    Ok(VerifyOptions {
        user_metadata,
        at: args.at,
        max_signatures: args.max_signatures,
        revocation,
        ..VerifyOptions::default()
    })
}

/// The OCI trust policy (`--trust-policy`, else the configuration directory's, with a warning
/// in `warnings` when it holds two differing policy files) and its stores.
pub fn oci_verifier(common: &CommonArgs, warnings: &mut Vec<String>) -> Result<Verifier, Failure> {
    let files = loader::VerifierFiles { oci_policy: policy_source(common), ..Default::default() };
    verifier(common, &files, warnings)
}

/// The blob trust policy (`--trust-policy`, else the configuration directory's) and its stores.
pub fn blob_verifier(common: &CommonArgs) -> Result<Verifier, Failure> {
    let files = loader::VerifierFiles { blob_policy: policy_source(common), ..Default::default() };
    verifier(common, &files, &mut Vec::new())
}

/// `--trust-policy`, else the configuration directory's file.
fn policy_source(common: &CommonArgs) -> loader::PolicySource {
    match &common.trust_policy {
        Some(path) => loader::PolicySource::File(path.clone()),
        None => loader::PolicySource::ConfigDir,
    }
}

/// The loader's one recipe over the configuration directory; an error names the policy file it
/// concerns.
fn verifier(
    common: &CommonArgs,
    files: &loader::VerifierFiles,
    warnings: &mut Vec<String>,
) -> Result<Verifier, Failure> {
    let loaded = loader::load_verifier_with(&config_dir(common)?, files)
        .map_err(|e| Failure { error: e.error, context: e.reading })?;
    warnings.extend(loaded.warnings);
    Ok(loaded.verifier)
}
