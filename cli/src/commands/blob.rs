//! `notaverify blob verify`: a detached signature over a blob file.

use super::{config_dir, verify_options};
use crate::args::BlobVerifyArgs;
use crate::verdict::{Context, Failure, Verdict};
use notaverify::Error;
use notaverify::loader;
use notaverify::{ArtifactOutcome, BlobOptions, Verifier};

/// Runs `blob verify`.
pub fn run(args: &BlobVerifyArgs) -> Verdict {
    let reference = args.blob.display().to_string();
    Verdict { reference, result: verify(args), warnings: Vec::new() }
}

fn verify(args: &BlobVerifyArgs) -> Result<ArtifactOutcome, Failure> {
    let verify = verify_options(&args.verification)?;
    let config_dir = config_dir(&args.common)?;
    let path = match &args.common.trust_policy {
        Some(path) => path.clone(),
        None => loader::blob_policy_path(&config_dir)?.ok_or_else(|| Error::Load {
            path: config_dir.display().to_string(),
            reason: format!("no blob trust policy found ({})", loader::BLOB_POLICY_FILE),
        })?,
    };
    let policy = loader::read_blob_trust_policy(&path).context(|| format!("blob trust policy {}", path.display()))?;
    let store = loader::load_trust_store(&config_dir, &loader::named_stores(None, Some(&policy)))?;
    let verifier = Verifier::new(store).with_blob_policy(policy);
    let signature = loader::read_blob_signature_file(&args.signature)?;
    let blob = loader::read_blob_file(&args.blob)?;
    let options = BlobOptions { policy_name: args.policy_name.clone(), media_type: args.media_type.clone(), verify };
    Ok(verifier.verify_blob(&args.blob.display().to_string(), &blob, &signature, &options)?)
}
