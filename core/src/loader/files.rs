//! The one way the loader reads from the filesystem: beneath a root directory that it never leaves.
//!
//! A [`Root`] is a directory the caller named (an OCI layout, notation's configuration directory,
//! or the directory of a file given on the command line); the root path itself may be a symlink,
//! since it is the caller's own choice. Everything beneath it is opened through a `cap_std`
//! directory handle, which resolves every path component inside that directory and never above it,
//! and must be real: **no component beneath the root may be a symlink**, whether it would stay
//! inside the root or leave it (a symlinked `blobs/`, `blobs/sha256/`, `truststore/`, store
//! folder or file is an [`Error::Load`] naming the link). This is the rule the loader already had
//! for files (notation-go refuses symlinked policy and trust-store files too), now applied to
//! every directory as well. The check looks at each component with `lstat` before opening;
//! should an entry be swapped for a link between that look and the open, the `cap_std` handle
//! still keeps the open beneath the root, and the opened file is compared with what was looked
//! at (device and inode), so the swap is reported instead of read.
//!
//! Files must be regular files, are read with a size limit checked before and while reading, and
//! every error names the path and says what was wrong.

use crate::Error;
use cap_std::fs::{Dir, Metadata};
use std::ffi::OsString;
use std::fs;
use std::io::Read;
use std::path::{Component, Path, PathBuf};

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

impl EntryKind {
    fn of(metadata: &Metadata) -> Self {
        if metadata.is_file() {
            Self::File
        } else if metadata.is_dir() {
            Self::Directory
        } else {
            Self::Other
        }
    }
}

/// Looks at `path` with `lstat` (for a path that is not beneath a [`Root`]).
pub(crate) fn entry_kind(path: &Path) -> Result<EntryKind, Error> {
    match fs::symlink_metadata(path) {
        Ok(m) if m.file_type().is_file() => Ok(EntryKind::File),
        Ok(m) if m.file_type().is_dir() => Ok(EntryKind::Directory),
        Ok(_) => Ok(EntryKind::Other),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(EntryKind::Missing),
        Err(e) => Err(load_error(path, format!("cannot be inspected: {e}"))),
    }
}

/// A directory the loader reads beneath and never leaves (see the module documentation). It
/// holds the directory open; callers keep it only as long as they read.
#[derive(Debug)]
pub(crate) struct Root {
    dir: Dir,
    /// The path the caller named, for messages.
    path: PathBuf,
    /// What the root is, for messages ("OCI layout", "configuration directory", ...).
    name: &'static str,
}

impl Root {
    /// Opens the directory at `path` (following a symlink there: the root is the caller's
    /// choice). `Ok(None)` when nothing is there.
    pub(super) fn open(path: &Path, name: &'static str) -> Result<Option<Self>, Error> {
        let at = if path.as_os_str().is_empty() { Path::new(".") } else { path };
        match Dir::open_ambient_dir(at, cap_std::ambient_authority()) {
            Ok(dir) => Ok(Some(Self { dir, path: path.to_path_buf(), name })),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
            Err(e) => Err(load_error(path, format!("the {name} cannot be opened: {e}"))),
        }
    }

    /// The path of `rel` for messages: the root's path joined with it.
    pub(super) fn display_path(&self, rel: &Path) -> PathBuf {
        self.path.join(rel)
    }

    /// What is at `rel` (relative, without `..`), looking at every component with `lstat`: an
    /// intermediate component that is a symlink or not a directory is an error; the last
    /// component is reported as it is ([`EntryKind::Other`] for a symlink).
    pub(super) fn entry_kind(&self, rel: &Path) -> Result<EntryKind, Error> {
        Ok(self.inspect(rel)?.0)
    }

    fn inspect(&self, rel: &Path) -> Result<(EntryKind, Option<Metadata>), Error> {
        let mut prefix = PathBuf::new();
        let mut components = rel.components().peekable();
        if components.peek().is_none() {
            return Ok((EntryKind::Directory, None));
        }
        while let Some(component) = components.next() {
            let Component::Normal(part) = component else {
                return Err(load_error(
                    &self.display_path(rel),
                    format!("the path does not stay beneath the {} {}", self.name, self.path.display()),
                ));
            };
            prefix.push(part);
            let metadata = match self.dir.symlink_metadata(&prefix) {
                Ok(m) => m,
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok((EntryKind::Missing, None)),
                Err(e) => return Err(load_error(&self.display_path(&prefix), format!("cannot be inspected: {e}"))),
            };
            let kind = EntryKind::of(&metadata);
            if components.peek().is_none() {
                return Ok((kind, Some(metadata)));
            }
            if metadata.file_type().is_symlink() {
                return Err(self.symlink_error(&prefix));
            }
            if kind != EntryKind::Directory {
                return Err(load_error(&self.display_path(&prefix), "is not a directory"));
            }
        }
        unreachable!("the loop returns at the last component")
    }

    /// The error for a symlinked directory beneath the root, naming where the link points.
    fn symlink_error(&self, rel: &Path) -> Error {
        let target = self.dir.read_link_contents(rel).map(|t| format!(" (to {})", t.display())).unwrap_or_default();
        load_error(
            &self.display_path(rel),
            format!(
                "is a symlink{target}: nothing beneath the {} {} may be a symlink, so that nothing is read from outside it",
                self.name,
                self.path.display()
            ),
        )
    }

    /// The directory `rel` beneath this root as a root of its own (still beneath this one);
    /// `Ok(None)` when it does not exist. A symlink or anything else that is not a directory is
    /// an error; `what` names the directory in it.
    pub(super) fn open_dir(&self, rel: &Path, what: &str) -> Result<Option<Self>, Error> {
        match self.inspect(rel)? {
            (EntryKind::Missing, _) => return Ok(None),
            (EntryKind::Directory, _) => {}
            (_, Some(metadata)) if metadata.file_type().is_symlink() => return Err(self.symlink_error(rel)),
            (EntryKind::File | EntryKind::Other, _) => {
                return Err(load_error(&self.display_path(rel), format!("{what} is not a directory")));
            }
        }
        let dir = self
            .dir
            .open_dir(rel)
            .map_err(|e| load_error(&self.display_path(rel), format!("{what} cannot be opened: {e}")))?;
        Ok(Some(Self { dir, path: self.display_path(rel), name: self.name }))
    }

    /// The names in this root directory, sorted.
    pub(super) fn names(&self, what: &str) -> Result<Vec<OsString>, Error> {
        let cannot = |e: std::io::Error| load_error(&self.path, format!("{what} cannot be read: {e}"));
        let mut names = Vec::new();
        for entry in self.dir.entries().map_err(cannot)? {
            names.push(entry.map_err(cannot)?.file_name());
        }
        names.sort();
        Ok(names)
    }

    /// Opens the regular file `rel`; `Ok(None)` when nothing is there. A directory, a symlink or
    /// anything else is an error; `what` names the file in it.
    pub(super) fn open_file(&self, rel: &Path, what: &str) -> Result<Option<(fs::File, u64)>, Error> {
        let path = self.display_path(rel);
        let looked_at = match self.inspect(rel)? {
            (EntryKind::Missing, _) => return Ok(None),
            (EntryKind::File, metadata) => metadata,
            (EntryKind::Directory | EntryKind::Other, _) => {
                return Err(load_error(
                    &path,
                    format!("{what} is not a regular file (directories and symlinks are not supported)"),
                ));
            }
        };
        let file = self.dir.open(rel).map_err(|e| load_error(&path, format!("{what} cannot be read: {e}")))?;
        let opened = file.metadata().map_err(|e| load_error(&path, format!("{what} cannot be read: {e}")))?;
        if !opened.is_file() || !same_file(looked_at.as_ref(), &opened) {
            return Err(load_error(&path, format!("{what} changed while it was being opened")));
        }
        Ok(Some((file.into_std(), opened.len())))
    }

    /// Reads the regular file `rel` of at most `limit` bytes; `what` names the file in errors.
    pub(super) fn read_file(&self, rel: &Path, what: &'static str, limit: usize) -> Result<Vec<u8>, Error> {
        let path = self.display_path(rel);
        let Some((file, declared)) = self.open_file(rel, what)? else {
            return Err(load_error(&path, format!("{what} does not exist")));
        };
        read_limited(file, declared, &path, what, limit)
    }
}

/// True when the file opened is the one looked at (same device and inode where the platform
/// tells them).
#[cfg(unix)]
fn same_file(looked_at: Option<&Metadata>, opened: &Metadata) -> bool {
    use cap_std::fs::MetadataExt;
    looked_at.is_some_and(|l| l.dev() == opened.dev() && l.ino() == opened.ino())
}

#[cfg(not(unix))]
fn same_file(looked_at: Option<&Metadata>, _opened: &Metadata) -> bool {
    looked_at.is_some()
}

/// Reads an opened file of `declared` bytes, refusing more than `limit`.
fn read_limited(
    file: fs::File,
    declared: u64,
    path: &Path,
    what: &'static str,
    limit: usize,
) -> Result<Vec<u8>, Error> {
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

/// Reads a file the caller named (a signature, blob, policy, CRL or OCSP file, or a file the CLI
/// or a binding names, such as an exceptions file): the file must be a regular file, not a
/// symlink, of at most `limit` bytes (a constant of [`crate::limits`]); `what` names it in errors.
/// Its directory is the root it is read beneath (and may itself be reached through a symlink).
///
/// Errors: [`Error::Load`] naming the path (missing, not a regular file, unreadable) and
/// [`Error::LimitExceeded`] for a file larger than `limit`. This is the loader's one reading rule;
/// nothing outside the loader opens files.
pub fn read_file(path: &Path, what: &'static str, limit: usize) -> Result<Vec<u8>, Error> {
    let (file, declared) = open_named_file(path, what)?;
    read_limited(file, declared, path, what, limit)
}

/// Opens a file the caller named, by the rule of [`read_file`], for a caller that streams it
/// (a blob hashed while it is read): a regular file, not a symlink, checked again once opened.
/// It is not read here and no size limit applies.
///
/// Errors: [`Error::Load`] naming the path (missing, not a regular file, unreadable).
pub fn open_file(path: &Path, what: &str) -> Result<fs::File, Error> {
    open_named_file(path, what).map(|(file, _)| file)
}

/// The regular file `path` opened beneath its directory, with its length.
fn open_named_file(path: &Path, what: &str) -> Result<(fs::File, u64), Error> {
    let (Some(parent), Some(name)) = (path.parent(), path.file_name()) else {
        // `/`, `..`, `.`: never a regular file.
        return Err(match entry_kind(path)? {
            EntryKind::Missing => load_error(path, format!("{what} does not exist")),
            _ => load_error(path, format!("{what} is not a regular file (directories and symlinks are not supported)")),
        });
    };
    let Some(root) = Root::open(parent, "directory")? else {
        return Err(load_error(path, format!("{what} does not exist")));
    };
    let opened = root.open_file(Path::new(name), what).map_err(|e| match e {
        // Name the file as the caller did.
        Error::Load { reason, .. } => load_error(path, reason),
        other => other,
    })?;
    opened.ok_or_else(|| load_error(path, format!("{what} does not exist")))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn scratch(name: &str) -> PathBuf {
        let dir = std::env::temp_dir().join(format!("notaverify-files-{name}-{}", std::process::id()));
        let _ = fs::remove_dir_all(&dir);
        fs::create_dir_all(&dir).unwrap();
        dir
    }

    #[test]
    fn open_file_follows_the_read_file_rule_without_reading() {
        use std::io::Read;
        let dir = scratch("open");
        let file = dir.join("blob");
        fs::write(&file, b"bytes").unwrap();
        let mut read = String::new();
        open_file(&file, "blob file").unwrap().read_to_string(&mut read).unwrap();
        assert_eq!(read, "bytes");
        assert_eq!(
            open_file(&dir.join("nope"), "blob file").unwrap_err(),
            load_error(&dir.join("nope"), "blob file does not exist")
        );
        assert!(matches!(open_file(&dir, "blob file"), Err(Error::Load { .. })));
        #[cfg(unix)]
        {
            let link = dir.join("link");
            std::os::unix::fs::symlink(&file, &link).unwrap();
            let refused =
                load_error(&link, "blob file is not a regular file (directories and symlinks are not supported)");
            assert_eq!(open_file(&link, "blob file").unwrap_err(), refused);
        }
        fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn refuses_missing_directories_and_oversized_files() {
        let dir = scratch("basic");
        let file = dir.join("f");
        fs::write(&file, b"12345").unwrap();
        assert_eq!(read_file(&file, "test file", 5).unwrap(), b"12345");
        assert!(matches!(read_file(&file, "test file", 4), Err(Error::LimitExceeded { limit: 4, .. })));
        assert!(matches!(read_file(&dir, "test file", 4), Err(Error::Load { .. })));
        assert!(matches!(read_file(&dir.join("nope"), "test file", 4), Err(Error::Load { .. })));
        assert!(matches!(read_file(&dir.join("nope/f"), "test file", 4), Err(Error::Load { .. })));
        #[cfg(unix)]
        {
            let link = dir.join("link");
            std::os::unix::fs::symlink(&file, &link).unwrap();
            assert_eq!(entry_kind(&link).unwrap(), EntryKind::Other);
            let e = read_file(&link, "test file", 5).unwrap_err();
            assert_eq!(
                e,
                load_error(&link, "test file is not a regular file (directories and symlinks are not supported)")
            );
        }
        fs::remove_dir_all(&dir).unwrap();
    }

    #[cfg(unix)]
    #[test]
    fn no_component_beneath_a_root_may_be_a_symlink() {
        let dir = scratch("root");
        let outside = scratch("outside");
        fs::create_dir_all(dir.join("real/sub")).unwrap();
        fs::write(dir.join("real/sub/f"), b"inside").unwrap();
        fs::create_dir_all(outside.join("sub")).unwrap();
        fs::write(outside.join("sub/f"), b"outside").unwrap();
        std::os::unix::fs::symlink(&outside, dir.join("out")).unwrap();
        std::os::unix::fs::symlink("real", dir.join("in")).unwrap();
        let root = Root::open(&dir, "test root").unwrap().unwrap();
        assert_eq!(root.read_file(Path::new("real/sub/f"), "test file", 10).unwrap(), b"inside");
        for linked in ["out", "in"] {
            let e = root.read_file(&Path::new(linked).join("sub/f"), "test file", 10).unwrap_err();
            let Error::Load { path, reason } = &e else { panic!("{e:?}") };
            assert_eq!(path, &dir.join(linked).display().to_string());
            assert!(reason.starts_with("is a symlink"), "{reason}");
            assert!(root.open_dir(Path::new(linked), "test dir").is_err());
            assert!(root.open_dir(&Path::new(linked).join("sub"), "test dir").is_err());
        }
        assert!(root.read_file(Path::new("../outside/sub/f"), "test file", 10).is_err());
        assert_eq!(root.entry_kind(Path::new("real/missing/f")).unwrap(), EntryKind::Missing);
        let sub = root.open_dir(Path::new("real/sub"), "test dir").unwrap().unwrap();
        assert_eq!(sub.names("test dir").unwrap(), vec![OsString::from("f")]);
        assert!(root.open_dir(Path::new("real/nope"), "test dir").unwrap().is_none());
        fs::remove_dir_all(&dir).unwrap();
        fs::remove_dir_all(&outside).unwrap();
    }
}
