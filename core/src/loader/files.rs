//! Reading one file the way every loader function does: no symlinks, regular files only, a size
//! limit checked before and while reading, and errors that name the path.

use crate::Error;
use std::fs;
use std::io::Read;
use std::path::Path;

/// An [`Error::Load`] for `path`.
pub(crate) fn load_error(path: &Path, reason: impl Into<String>) -> Error {
    Error::Load { path: path.display().to_string(), reason: reason.into() }
}

/// What is at a path, without following a symlink there.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum EntryKind {
    /// Nothing.
    Missing,
    /// A regular file.
    File,
    /// A directory.
    Directory,
    /// A symlink, socket, device, ...
    Other,
}

/// Looks at `path` with `lstat`.
pub(crate) fn entry_kind(path: &Path) -> Result<EntryKind, Error> {
    match fs::symlink_metadata(path) {
        Ok(m) if m.file_type().is_file() => Ok(EntryKind::File),
        Ok(m) if m.file_type().is_dir() => Ok(EntryKind::Directory),
        Ok(_) => Ok(EntryKind::Other),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(EntryKind::Missing),
        Err(e) => Err(load_error(path, format!("cannot be inspected: {e}"))),
    }
}

/// Reads a regular file (not a symlink) of at most `limit` bytes; `what` names the file in errors.
pub(crate) fn read_regular_file(path: &Path, what: &'static str, limit: usize) -> Result<Vec<u8>, Error> {
    match entry_kind(path)? {
        EntryKind::File => {}
        EntryKind::Missing => return Err(load_error(path, format!("{what} does not exist"))),
        EntryKind::Directory | EntryKind::Other => {
            return Err(load_error(
                path,
                format!("{what} is not a regular file (directories and symlinks are not supported)"),
            ));
        }
    }
    let file = fs::File::open(path).map_err(|e| load_error(path, format!("{what} cannot be read: {e}")))?;
    let declared = file.metadata().map(|m| m.len()).unwrap_or(0);
    if declared > limit as u64 {
        return Err(Error::LimitExceeded { what, limit, actual: usize::try_from(declared).unwrap_or(usize::MAX) });
    }
    let mut bytes = Vec::new();
    // Read one byte past the limit so a file that grew after the check is still caught.
    file.take((limit as u64).saturating_add(1))
        .read_to_end(&mut bytes)
        .map_err(|e| load_error(path, format!("{what} cannot be read: {e}")))?;
    if bytes.len() > limit {
        return Err(Error::LimitExceeded { what, limit, actual: bytes.len() });
    }
    Ok(bytes)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn refuses_missing_directories_and_oversized_files() {
        let dir = std::env::temp_dir().join(format!("notaverify-files-{}", std::process::id()));
        fs::create_dir_all(&dir).unwrap();
        let file = dir.join("f");
        fs::write(&file, b"12345").unwrap();
        assert_eq!(read_regular_file(&file, "test file", 5).unwrap(), b"12345");
        assert!(matches!(read_regular_file(&file, "test file", 4), Err(Error::LimitExceeded { limit: 4, .. })));
        assert!(matches!(read_regular_file(&dir, "test file", 4), Err(Error::Load { .. })));
        assert!(matches!(read_regular_file(&dir.join("nope"), "test file", 4), Err(Error::Load { .. })));
        #[cfg(unix)]
        {
            let link = dir.join("link");
            let _ = fs::remove_file(&link);
            std::os::unix::fs::symlink(&file, &link).unwrap();
            assert_eq!(entry_kind(&link).unwrap(), EntryKind::Other);
            assert!(read_regular_file(&link, "test file", 5).is_err());
        }
        fs::remove_dir_all(&dir).unwrap();
    }
}
