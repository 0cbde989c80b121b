//! `notaverify blob verify`: a detached signature over a blob file.

use super::{blob_verifier, verify_options};
use crate::args::BlobVerifyArgs;
use crate::verdict::{Failure, Verdict};
use notaverify::Error;
use notaverify::loader;
use notaverify::{ArtifactOutcome, BlobOptions};
use std::fs::File;
use std::path::Path;

/// Runs `blob verify`.
pub fn run(args: &BlobVerifyArgs) -> Verdict {
    let reference = args.blob.display().to_string();
    Verdict { reference, result: verify(args), warnings: Vec::new() }
}

fn verify(args: &BlobVerifyArgs) -> Result<ArtifactOutcome, Failure> {
    let verify = verify_options(&args.verification)?;
    let verifier = blob_verifier(&args.common)?;
    let signature = loader::read_blob_signature_file(&args.signature)?;
    let blob = open_blob_file(&args.blob)?;
    let options = BlobOptions { policy_name: args.policy_name.clone(), media_type: args.media_type.clone(), verify };
    // Streamed: the blob is hashed while it is read, never held in memory.
    Ok(verifier.verify_blob_reader(&args.blob.display().to_string(), blob, &signature, &options)?)
}

/// Opens the blob as the loader opens every file: a regular file, not a symlink (checked with
/// `lstat` before opening and on the opened file), errors naming the path. It is not read here.
fn open_blob_file(path: &Path) -> Result<File, Error> {
    let error = |reason: String| Error::Load { path: path.display().to_string(), reason };
    let not_regular = || error("blob file is not a regular file (directories and symlinks are not supported)".into());
    match std::fs::symlink_metadata(path) {
        Ok(m) if m.file_type().is_file() => {}
        Ok(_) => return Err(not_regular()),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Err(error("blob file does not exist".into())),
        Err(e) => return Err(error(format!("cannot be inspected: {e}"))),
    }
    let file = File::open(path).map_err(|e| error(format!("blob file cannot be read: {e}")))?;
    match file.metadata() {
        Ok(m) if m.file_type().is_file() => Ok(file),
        Ok(_) => Err(not_regular()),
        Err(e) => Err(error(format!("blob file cannot be read: {e}"))),
    }
}
