//! Trust-store folders: `truststore/x509/<ca|signingAuthority|tsa>/<name>/<certificate files>`
//! with notation's rules (§6 of the digest).
//!
//! Only the stores a policy names are read. A named store whose folder does not exist (or holds
//! no file) is left out, so verification reports it in the authenticity check as notation does
//! ("the trust store ... does not exist"; notation says "no x509 certificates were found" for
//! an empty folder, with the same verdict). Inside a named store every entry is read and must be a regular file: a
//! sub-directory or a symlink is an error, as in notation-go.

use super::files::{EntryKind, entry_kind, load_error, read_regular_file};
use crate::limits::{MAX_TRUST_STORE_FILE_BYTES, MAX_TRUST_STORE_FILES};
use crate::trust::TrustStore;
use crate::{Error, StoreType};
use std::collections::BTreeSet;
use std::fs;
use std::path::{Path, PathBuf};

/// The folder of a named store: `<config_dir>/truststore/x509/<type>/<name>`.
pub fn trust_store_dir(config_dir: &Path, store_type: StoreType, name: &str) -> PathBuf {
    config_dir.join("truststore").join("x509").join(store_type.as_str()).join(name)
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
    for (store_type, name) in unique {
        let dir = trust_store_dir(config_dir, store_type, name);
        if !is_valid_store_name(name) {
            return Err(load_error(&dir, format!("trust store name {name:?} is invalid; names match [a-zA-Z0-9_.-]+")));
        }
        match entry_kind(&dir)? {
            EntryKind::Missing => continue,
            EntryKind::Directory => {}
            EntryKind::File | EntryKind::Other => {
                return Err(load_error(&dir, "trust store is not a regular directory (symlinks are not supported)"));
            }
        }
        for file in store_files(&dir)? {
            let bytes = read_regular_file(&file, "trust store certificate file", MAX_TRUST_STORE_FILE_BYTES)?;
            store.add(store_type, name, &bytes).map_err(|e| {
                load_error(&file, format!("trust store certificate file is invalid: {}", Error::from(e)))
            })?;
        }
    }
    Ok(store)
}

/// The entries of a store folder, sorted by name; each must be a regular file.
fn store_files(dir: &Path) -> Result<Vec<PathBuf>, Error> {
    let entries = fs::read_dir(dir).map_err(|e| load_error(dir, format!("trust store cannot be read: {e}")))?;
    let mut files = Vec::new();
    for entry in entries {
        let entry = entry.map_err(|e| load_error(dir, format!("trust store cannot be read: {e}")))?;
        let path = entry.path();
        match entry_kind(&path)? {
            EntryKind::File => files.push(path),
            _ => {
                return Err(load_error(
                    &path,
                    "is not a regular file (directories or symlinks are not supported in a trust store)",
                ));
            }
        }
        if files.len() > MAX_TRUST_STORE_FILES {
            return Err(Error::LimitExceeded {
                what: "files in a trust store",
                limit: MAX_TRUST_STORE_FILES,
                actual: files.len(),
            });
        }
    }
    files.sort();
    Ok(files)
}

#[cfg(test)]
mod tests {
    use super::*;

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
}
