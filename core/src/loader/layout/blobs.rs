//! Content-addressed reads from `blobs/<algorithm>/<hex>`: the digest is validated before it
//! becomes a path, the declared size is checked against the limit before reading, and the
//! content is checked against the digest and size after reading.
//!
//! Every file of a layout is read beneath the layout root ([`Root`]), and no component beneath
//! it may be a symlink: `blobs/` and `blobs/<algorithm>/` are checked when the layout is opened
//! (so a linked blob folder is an error before anything is verified) and again at every read.
//! No directory handle is kept between reads, so a scan of many layouts holds no file
//! descriptors open.

use super::super::files::{Root, load_error};
use crate::Error;
use crate::reference::{Digest, DigestAlgorithm};
use std::io::Read;
use std::path::{Path, PathBuf};

/// The files of an opened layout, read beneath its directory.
#[derive(Clone, Debug)]
pub(crate) struct LayoutFiles {
    dir: PathBuf,
}

impl LayoutFiles {
    /// Checks the layout directory `dir` (which must exist) and its blob folders: a symlinked
    /// `blobs/` or `blobs/<algorithm>/`, or one that is not a directory, is an error.
    pub(super) fn open(dir: &Path) -> Result<Self, Error> {
        let files = Self { dir: dir.to_path_buf() };
        if let Some(blobs) = files.root()?.open_dir(Path::new("blobs"), "the blob directory")? {
            for algorithm in DigestAlgorithm::ALL {
                blobs.open_dir(Path::new(algorithm.name()), "the blob directory")?;
            }
        }
        Ok(files)
    }

    /// The layout directory as the [`Root`] everything is read beneath.
    fn root(&self) -> Result<Root, Error> {
        Root::open(&self.dir, "OCI layout")?
            .ok_or_else(|| load_error(&self.dir, "the OCI layout cannot be opened: it does not exist"))
    }

    /// A file at the top of the layout (`oci-layout`, `index.json`).
    pub(super) fn read_file(&self, name: &str, what: &'static str, limit: usize) -> Result<Vec<u8>, Error> {
        self.root()?.read_file(Path::new(name), what, limit)
    }

    /// Opens the blob `digest`; `Ok(None)` when it is absent.
    fn open_blob(&self, digest: &Digest, what: &str) -> Result<Option<(std::fs::File, u64)>, Error> {
        self.root()?.open_file(&blob_file(Path::new(""), digest), what)
    }

    /// The size of the regular file holding blob `digest`, `None` when there is none.
    pub(super) fn blob_len(&self, digest: &str, what: &str) -> Result<Option<u64>, Error> {
        let Ok(digest) = digest.parse::<Digest>() else { return Ok(None) };
        Ok(self.open_blob(&digest, what)?.map(|(_, len)| len))
    }
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
    pub(super) fn into_error(self, path: &Path) -> Error {
        match self {
            Self::Unreadable(e) => e,
            Self::Mismatch { reason, .. } => load_error(path, reason),
        }
    }
}

/// The path of the blob `digest` inside the layout at `root`; `None` when it is not a valid
/// digest (a digest is validated before it becomes a path).
pub(crate) fn blob_path(root: &Path, digest: &str) -> Option<PathBuf> {
    Some(blob_file(root, &digest.parse().ok()?))
}

/// `<root>/blobs/<algorithm>/<hex>`.
fn blob_file(root: &Path, digest: &Digest) -> PathBuf {
    root.join("blobs").join(digest.algorithm().name()).join(digest.hex())
}

/// Reads the blob `digest` of declared `size` (at most `limit` bytes) of the layout at `root`
/// and checks it.
pub(crate) fn read_blob(
    files: &LayoutFiles,
    root: &Path,
    what: &'static str,
    digest: &str,
    size: i64,
    limit: usize,
) -> Result<Vec<u8>, BlobProblem> {
    let Ok(parsed) = digest.parse::<Digest>() else {
        return Err(BlobProblem::Unreadable(load_error(
            root,
            format!("{what} has an invalid digest {:?}", digest.chars().take(160).collect::<String>()),
        )));
    };
    let path = blob_file(root, &parsed);
    let size = usize::try_from(size)
        .map_err(|_| BlobProblem::Unreadable(load_error(&path, format!("{what} has a negative size {size}"))))?;
    if size > limit {
        return Err(BlobProblem::Unreadable(Error::LimitExceeded { what, limit, actual: size }));
    }
    let Some((file, _)) = files.open_blob(&parsed, what).map_err(BlobProblem::Unreadable)? else {
        return Err(BlobProblem::Unreadable(load_error(&path, format!("{what} {digest} is missing from the layout"))));
    };
    let mut bytes = Vec::new();
    // One byte more than declared reveals a blob longer than its descriptor says.
    file.take((size as u64).saturating_add(1))
        .read_to_end(&mut bytes)
        .map_err(|e| BlobProblem::Unreadable(load_error(&path, format!("{what} cannot be read: {e}"))))?;
    let actual = Digest::of(parsed.algorithm(), &bytes);
    if bytes.len() != size {
        let reason =
            format!("{what} content does not match its digest {digest} (its size is not the declared {size} bytes)");
        return Err(BlobProblem::Mismatch { bytes, reason });
    }
    if actual != parsed {
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
