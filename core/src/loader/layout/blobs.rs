//! Content-addressed reads from `blobs/<algorithm>/<hex>`: the digest is validated before it
//! becomes a path, the declared size is checked against the limit before reading, and the
//! content is checked against the digest and size after reading.

use super::super::files::{EntryKind, entry_kind, load_error};
use crate::Error;
use crate::verify::digest_of;
use std::fs;
use std::io::Read;
use std::path::{Path, PathBuf};

/// Checks `<alg>:<hex>` (sha256, sha384 or sha512 with lower-case hex of the right length) and
/// returns the algorithm and hex parts.
pub(crate) fn split_digest(digest: &str) -> Option<(&str, &str)> {
    let (alg, hex) = digest.split_once(':')?;
    let hex_len = match alg {
        "sha256" => 64,
        "sha384" => 96,
        "sha512" => 128,
        _ => return None,
    };
    let lower_hex = hex.bytes().all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b));
    (hex.len() == hex_len && lower_hex).then_some((alg, hex))
}

/// Why a blob's content cannot be trusted.
#[derive(Debug)]
pub(crate) enum BlobProblem {
    /// The blob could not be read at all (missing, not a file, too large, bad digest syntax).
    Unreadable(Error),
    /// The bytes were read but do not match the descriptor's digest or size.
    Mismatch { bytes: Vec<u8>, reason: String },
}

impl BlobProblem {
    /// The problem as an [`Error`] (a mismatch becomes [`Error::Load`] on `path`).
    pub fn into_error(self, path: &Path) -> Error {
        match self {
            BlobProblem::Unreadable(e) => e,
            BlobProblem::Mismatch { reason, .. } => load_error(path, reason),
        }
    }
}

/// The path of a blob inside the layout at `root`, for a digest that passed [`split_digest`].
pub(crate) fn blob_path(root: &Path, digest: &str) -> Option<PathBuf> {
    let (alg, hex) = split_digest(digest)?;
    Some(root.join("blobs").join(alg).join(hex))
}

/// Reads the blob `digest` of declared `size` (at most `limit` bytes) and checks it.
pub(crate) fn read_blob(
    root: &Path,
    what: &'static str,
    digest: &str,
    size: i64,
    limit: usize,
) -> Result<Vec<u8>, BlobProblem> {
    let path = blob_path(root, digest).ok_or_else(|| {
        BlobProblem::Unreadable(load_error(
            root,
            format!("{what} has an invalid digest {:?}", digest.chars().take(160).collect::<String>()),
        ))
    })?;
    let size = usize::try_from(size)
        .map_err(|_| BlobProblem::Unreadable(load_error(&path, format!("{what} has a negative size {size}"))))?;
    if size > limit {
        return Err(BlobProblem::Unreadable(Error::LimitExceeded { what, limit, actual: size }));
    }
    match entry_kind(&path).map_err(BlobProblem::Unreadable)? {
        EntryKind::File => {}
        EntryKind::Missing => {
            return Err(BlobProblem::Unreadable(load_error(
                &path,
                format!("{what} {digest} is missing from the layout"),
            )));
        }
        _ => {
            return Err(BlobProblem::Unreadable(load_error(
                &path,
                format!("{what} is not a regular file (directories and symlinks are not supported)"),
            )));
        }
    }
    let file = fs::File::open(&path)
        .map_err(|e| BlobProblem::Unreadable(load_error(&path, format!("{what} cannot be read: {e}"))))?;
    let mut bytes = Vec::new();
    // One byte more than declared reveals a blob longer than its descriptor says.
    file.take((size as u64).saturating_add(1))
        .read_to_end(&mut bytes)
        .map_err(|e| BlobProblem::Unreadable(load_error(&path, format!("{what} cannot be read: {e}"))))?;
    let (alg, _) = split_digest(digest).unwrap_or(("sha256", ""));
    let actual = digest_of(alg, &bytes).map_err(BlobProblem::Unreadable)?;
    if bytes.len() != size {
        let reason =
            format!("{what} content does not match its digest {digest} (its size is not the declared {size} bytes)");
        return Err(BlobProblem::Mismatch { bytes, reason });
    }
    if actual != digest {
        let reason = format!("{what} content does not match its digest {digest} (the content's digest is {actual})");
        return Err(BlobProblem::Mismatch { bytes, reason });
    }
    Ok(bytes)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn digests_are_validated_before_becoming_paths() {
        let good = format!("sha256:{}", "a".repeat(64));
        assert_eq!(
            blob_path(Path::new("/l"), &good),
            Some(PathBuf::from(format!("/l/blobs/sha256/{}", "a".repeat(64))))
        );
        for bad in [
            "sha256:../../etc/passwd".to_owned(),
            format!("sha256:{}", "A".repeat(64)),
            format!("sha384:{}", "a".repeat(64)),
            format!("md5:{}", "a".repeat(32)),
            "sha256".to_owned(),
        ] {
            assert_eq!(blob_path(Path::new("/l"), &bad), None, "{bad}");
        }
    }
}
