//! `notaverify blob verify`: a detached signature over a blob file.

use super::{blob_verifier, verify_options};
use crate::args::BlobVerifyArgs;
use crate::render;
use crate::verdict::{Failure, Report, Verdict};
use notaverify::loader;
use notaverify::{ArtifactOutcome, BlobOptions};

/// Runs `blob verify`.
pub fn run(args: &BlobVerifyArgs) -> Report {
    let reference = args.blob.display().to_string();
    render::verdict(&Verdict { reference, result: verify(args), warnings: Vec::new() }, args.common.output)
}

fn verify(args: &BlobVerifyArgs) -> Result<ArtifactOutcome, Failure> {
    let verify = verify_options(&args.verification)?;
    let verifier = blob_verifier(&args.common)?;
    let signature = loader::read_blob_signature_file(&args.signature)?;
    // Opened by the loader's rule for every file; not read here.
    let blob = loader::open_file(&args.blob, "blob file")?;
    let options = BlobOptions { policy_name: args.policy_name.clone(), media_type: args.media_type.clone(), verify };
    // Streamed: the blob is hashed while it is read, never held in memory.
    Ok(verifier.verify_blob_reader(&args.blob.display().to_string(), blob, &signature, &options)?)
}
