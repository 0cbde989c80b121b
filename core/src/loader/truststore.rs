//! Trust-store folders: `truststore/x509/<ca|signingAuthority|tsa>/<name>/<certificate files>`
//! with notation's rules (§6 of the digest).
//!
//! Only the stores a policy names are read. A named store whose folder does not exist (or holds
//! no file) is left out, so verification reports it in the authenticity check as notation does
//! ("the trust store ... does not exist"; notation says "no x509 certificates were found" for
//! an empty folder, with the same verdict). Inside a named store every entry is read and must be
//! a regular file: a sub-directory or a symlink is an error, as in notation-go.
//!
//! The configuration directory is a closed room ([`super::files::Root`]): none of `truststore/`,
//! `truststore/x509/`, `x509/<type>/`, the store folder or its files may be a symlink, whether it
//! points inside the configuration directory or outside it (an [`Error::Load`] naming the link).

use super::files::{EntryKind, Root, load_error};
use crate::limits::{MAX_TRUST_STORE_FILE_BYTES, MAX_TRUST_STORE_FILES};
use crate::trust::TrustStore;
use crate::{Error, StoreType};
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

/// The folder of a named store: `<config_dir>/truststore/x509/<type>/<name>`.
pub fn trust_store_dir(config_dir: &Path, store_type: StoreType, name: &str) -> PathBuf {
    config_dir.join(store_rel_path(store_type, name))
}

/// The folder of a named store relative to the configuration directory.
fn store_rel_path(store_type: StoreType, name: &str) -> PathBuf {
    Path::new("truststore").join("x509").join(store_type.as_str()).join(name)
}

/// True for the names notation accepts (`^[a-zA-Z0-9_.-]+$`), minus `.` and `..`, which would
/// leave the store folder.
fn is_valid_store_name(name: &str) -> bool {
    !name.is_empty()
        && name != "."
        && name != ".."
        && name.bytes().all(|b| b.is_ascii_alphanumeric() || matches!(b, b'_' | b'.' | b'-'))
}

/// Builds a trust store from the named stores under `config_dir` (duplicates are read once).
pub fn load_trust_store(config_dir: &Path, stores: &[(StoreType, String)]) -> Result<TrustStore, Error> {
    let mut store = TrustStore::new();
    let unique: BTreeSet<(StoreType, &str)> = stores.iter().map(|(t, n)| (*t, n.as_str())).collect();
    // A configuration directory that does not exist holds no store.
    let config = if unique.is_empty() { None } else { Root::open(config_dir, "configuration directory")? };
    for (store_type, name) in unique {
        if !is_valid_store_name(name) {
            return Err(load_error(
                &trust_store_dir(config_dir, store_type, name),
                format!("trust store name {name:?} is invalid; names match [a-zA-Z0-9_.-]+"),
            ));
        }
        let Some(config) = &config else { continue };
        let Some(folder) = config.open_dir(&store_rel_path(store_type, name), "trust store")? else {
            continue;
        };
        for file in store_files(&folder)? {
            let bytes = folder.read_file(&file, "trust store certificate file", MAX_TRUST_STORE_FILE_BYTES)?;
            store.add(store_type, name, &bytes).map_err(|e| {
                load_error(
                    &folder.display_path(&file),
                    format!("trust store certificate file is invalid: {}", Error::from(e)),
                )
            })?;
        }
    }
    Ok(store)
}

/// The store folders of `config_dir`: every directory `truststore/x509/<ca|signingAuthority|tsa>/<name>`,
/// as (type, name), sorted by type then name, empty ones included. Entries that are not directories
/// (files, symlinks) are not stores and are left out; a configuration directory or type folder that
/// does not exist holds none. Read through the same closed room as [`load_trust_store`]: a
/// symlinked `truststore/`, `x509/` or type folder is an error.
pub fn list_trust_stores(config_dir: &Path) -> Result<Vec<(StoreType, String)>, Error> {
    let Some(config) = Root::open(config_dir, "configuration directory")? else {
        return Ok(Vec::new());
    };
    let entries = type_folder_entries(&config)?.into_iter();
    Ok(entries.filter(|(_, _, kind)| *kind == EntryKind::Directory).map(|(t, name, _)| (t, name)).collect())
}

/// Every store of `config_dir` (`truststore/x509/<ca|signingAuthority|tsa>/<name>/`), read with
/// [`load_trust_store`]'s rules, as `TrustStore.from_dir` / `TrustStore.fromDir` in the bindings
/// load them. Every entry of a type folder is taken for a store folder and must be one: a file or
/// a symlink there (even one to a directory inside) is an [`Error::Load`] naming it, as it is when
/// a policy names it. Stores are read in order of type, then name, so the result never depends on
/// the order the filesystem lists them in. Unlike [`load_trust_store`], a configuration directory
/// that does not exist is an error: the caller named it to be read.
pub fn load_all_trust_stores(config_dir: &Path) -> Result<TrustStore, Error> {
    let Some(config) = Root::open(config_dir, "configuration directory")? else {
        return Err(load_error(config_dir, "the configuration directory does not exist"));
    };
    let stores: Vec<_> = type_folder_entries(&config)?.into_iter().map(|(t, name, _)| (t, name)).collect();
    load_trust_store(config_dir, &stores)
}

/// Every entry of the type folders `truststore/x509/<ca|signingAuthority|tsa>/` of the
/// configuration directory, as (type, name, what it is), sorted by type then name. A type folder
/// that does not exist holds none; a symlinked `truststore/`, `x509/` or type folder is an error.
fn type_folder_entries(config: &Root) -> Result<Vec<(StoreType, String, EntryKind)>, Error> {
    let mut entries = Vec::new();
    for store_type in StoreType::ALL {
        let rel = Path::new("truststore").join("x509").join(store_type.as_str());
        let Some(folder) = config.open_dir(&rel, "trust store type folder")? else {
            continue;
        };
        for name in folder.names("trust store type folder")? {
            let kind = folder.entry_kind(Path::new(&name))?;
            entries.push((store_type, name.to_string_lossy().into_owned(), kind));
        }
    }
    Ok(entries)
}

/// The entries of a store folder, sorted by name; each must be a regular file.
fn store_files(folder: &Root) -> Result<Vec<PathBuf>, Error> {
    let names = folder.names("trust store")?;
    if names.len() > MAX_TRUST_STORE_FILES {
        return Err(Error::LimitExceeded {
            what: "files in a trust store",
            limit: MAX_TRUST_STORE_FILES,
            actual: names.len(),
        });
    }
    let mut files = Vec::with_capacity(names.len());
    for name in names {
        let file = PathBuf::from(name);
        if folder.entry_kind(&file)? != EntryKind::File {
            return Err(load_error(
                &folder.display_path(&file),
                "is not a regular file (directories or symlinks are not supported in a trust store)",
            ));
        }
        files.push(file);
    }
    Ok(files)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::fs;

    #[test]
    fn store_names_follow_notation_and_stay_inside() {
        assert!(is_valid_store_name("test-roots_1.2"));
        for bad in ["", ".", "..", "a/b", "a b", "ä"] {
            assert!(!is_valid_store_name(bad), "{bad:?}");
        }
        assert_eq!(
            trust_store_dir(Path::new("/c"), StoreType::SigningAuthority, "x"),
            PathBuf::from("/c/truststore/x509/signingAuthority/x")
        );
    }

    #[test]
    fn missing_stores_are_skipped_and_bad_entries_refused() {
        let dir = std::env::temp_dir().join(format!("notaverify-ts-{}", std::process::id()));
        let _ = fs::remove_dir_all(&dir);
        let stores = [(StoreType::Ca, "roots".to_owned())];
        let store = load_trust_store(&dir, &stores).unwrap();
        assert!(!store.contains_store(StoreType::Ca, "roots"));
        let folder = trust_store_dir(&dir, StoreType::Ca, "roots");
        fs::create_dir_all(folder.join("sub")).unwrap();
        assert!(matches!(load_trust_store(&dir, &stores), Err(Error::Load { .. })));
        fs::remove_dir_all(folder.join("sub")).unwrap();
        fs::write(folder.join("not-a-cert.pem"), b"hello").unwrap();
        assert!(matches!(load_trust_store(&dir, &stores), Err(Error::Load { .. })));
        fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn store_folders_are_listed() {
        let dir = std::env::temp_dir().join(format!("notaverify-ts-list-{}", std::process::id()));
        let _ = fs::remove_dir_all(&dir);
        assert_eq!(list_trust_stores(&dir).unwrap(), Vec::new());
        fs::create_dir_all(dir.join("truststore/x509/tsa/stamps")).unwrap();
        fs::create_dir_all(dir.join("truststore/x509/ca/b")).unwrap();
        fs::create_dir_all(dir.join("truststore/x509/ca/a")).unwrap();
        fs::write(dir.join("truststore/x509/ca/not-a-store.pem"), b"x").unwrap();
        assert_eq!(
            list_trust_stores(&dir).unwrap(),
            vec![
                (StoreType::Ca, "a".to_owned()),
                (StoreType::Ca, "b".to_owned()),
                (StoreType::Tsa, "stamps".to_owned())
            ]
        );
        fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn every_store_folder_is_loaded() {
        let dir = std::env::temp_dir().join(format!("notaverify-ts-all-{}", std::process::id()));
        let _ = fs::remove_dir_all(&dir);
        assert!(matches!(load_all_trust_stores(&dir), Err(Error::Load { .. })));
        fs::create_dir_all(&dir).unwrap();
        assert!(!load_all_trust_stores(&dir).unwrap().contains_store(StoreType::Ca, "roots"));
        let root_pem = fs::read(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/pki/p256/root.pem")).unwrap();
        for (store_type, name) in [("ca", "roots"), ("tsa", "stamps"), ("signingAuthority", "empty")] {
            fs::create_dir_all(dir.join("truststore/x509").join(store_type).join(name)).unwrap();
        }
        fs::write(dir.join("truststore/x509/ca/roots/root.pem"), &root_pem).unwrap();
        fs::write(dir.join("truststore/x509/tsa/stamps/root.pem"), &root_pem).unwrap();
        let store = load_all_trust_stores(&dir).unwrap();
        assert!(store.contains_store(StoreType::Ca, "roots"));
        assert!(store.contains_store(StoreType::Tsa, "stamps"));
        // A file where a store folder belongs is refused, as it is when a policy names it.
        let stray = dir.join("truststore/x509/ca/stray.pem");
        fs::write(&stray, &root_pem).unwrap();
        let error = load_all_trust_stores(&dir).unwrap_err();
        assert!(matches!(&error, Error::Load { path, .. } if path == &stray.display().to_string()), "{error:?}");
        fs::remove_file(&stray).unwrap();
        #[cfg(unix)]
        {
            // So is a symlinked store folder, even one that stays inside.
            let link = dir.join("truststore/x509/ca/linked");
            std::os::unix::fs::symlink("roots", &link).unwrap();
            let error = load_all_trust_stores(&dir).unwrap_err();
            let Error::Load { path, reason } = &error else { panic!("{error:?}") };
            assert_eq!(path, &link.display().to_string());
            assert!(reason.contains("symlink"), "{reason}");
        }
        fs::remove_dir_all(&dir).unwrap();
    }

    #[cfg(unix)]
    #[test]
    fn a_symlinked_trust_store_folder_outside_the_config_dir_is_refused() {
        let base = std::env::temp_dir().join(format!("notaverify-ts-links-{}", std::process::id()));
        let _ = fs::remove_dir_all(&base);
        let root_pem = fs::read(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/pki/p256/root.pem")).unwrap();
        // Outside the configuration directory: a complete trust store tree.
        let outside = base.join("outside");
        fs::create_dir_all(outside.join("truststore/x509/ca/roots")).unwrap();
        fs::write(outside.join("truststore/x509/ca/roots/root.pem"), &root_pem).unwrap();
        let stores = [(StoreType::Ca, "roots".to_owned())];
        assert!(load_trust_store(&outside, &stores).unwrap().contains_store(StoreType::Ca, "roots"));
        // Each level of the tree, in turn, a symlink to the outside one.
        for (level, link, target) in [
            ("truststore", "truststore", "truststore"),
            ("x509", "truststore/x509", "truststore/x509"),
            ("type", "truststore/x509/ca", "truststore/x509/ca"),
            ("store", "truststore/x509/ca/roots", "truststore/x509/ca/roots"),
        ] {
            let config = base.join(level);
            let link = config.join(link);
            fs::create_dir_all(link.parent().unwrap()).unwrap();
            std::os::unix::fs::symlink(outside.join(target), &link).unwrap();
            let error = load_trust_store(&config, &stores).unwrap_err();
            let Error::Load { path, reason } = &error else { panic!("{level}: {error:?}") };
            assert_eq!(path, &link.display().to_string(), "{level}: {reason}");
            assert!(reason.contains("symlink"), "{level}: {reason}");
            // Any store read through the link is refused, not only the one it names.
            let other = load_trust_store(&config, &[(StoreType::Ca, "other".to_owned())]);
            assert_eq!(other.is_err(), level != "store", "{level}");
        }
        // A link that stays inside the configuration directory is refused too: no symlinks at all.
        let inside = base.join("inside");
        fs::create_dir_all(inside.join("truststore/x509/ca/real")).unwrap();
        fs::write(inside.join("truststore/x509/ca/real/root.pem"), &root_pem).unwrap();
        std::os::unix::fs::symlink("real", inside.join("truststore/x509/ca/roots")).unwrap();
        assert!(matches!(load_trust_store(&inside, &stores), Err(Error::Load { .. })));
        // ... and a linked certificate file.
        let file = base.join("file");
        fs::create_dir_all(file.join("truststore/x509/ca/roots")).unwrap();
        std::os::unix::fs::symlink(
            outside.join("truststore/x509/ca/roots/root.pem"),
            file.join("truststore/x509/ca/roots/root.pem"),
        )
        .unwrap();
        assert!(matches!(load_trust_store(&file, &stores), Err(Error::Load { .. })));
        // The configuration directory itself may be a symlink: it is the root the caller named.
        let linked_root = base.join("linked-root");
        std::os::unix::fs::symlink(&outside, &linked_root).unwrap();
        assert!(load_trust_store(&linked_root, &stores).unwrap().contains_store(StoreType::Ca, "roots"));
        fs::remove_dir_all(&base).unwrap();
    }
}
