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
    let dir = config_dir(common)?;
    let path = match &common.trust_policy {
        Some(path) => path.clone(),
        None => {
            let choice = loader::choose_oci_policy(&dir)?.ok_or_else(|| Error::Load {
                path: dir.display().to_string(),
                reason: format!(
                    "no OCI trust policy found ({} or {})",
                    loader::LEGACY_OCI_POLICY_FILE,
                    loader::OCI_POLICY_FILE
                ),
            })?;
            warnings.extend(choice.warning);
            choice.path
        }
    };
    let policy = loader::read_trust_policy(&path).context(|| format!("trust policy {}", path.display()))?;
    let store = loader::load_trust_store(&dir, &loader::named_stores(Some(&policy), None))?;
    Ok(Verifier::new(store).with_oci_policy(policy))
}
