//! notation's configuration directory: where it is, and which trust policy files it holds
//! (§7.1 of the digest).

use super::files::{EntryKind, entry_kind, load_error, read_regular_file};
use crate::Error;
use crate::limits::MAX_POLICY_BYTES;
use crate::policy::{BlobTrustPolicyDocument, TrustPolicyDocument};
use std::ffi::OsString;
use std::path::{Path, PathBuf};

/// The OCI trust policy file notation reads first.
pub const OCI_POLICY_FILE: &str = "trustpolicy.oci.json";
/// The OCI trust policy file notation falls back to when [`OCI_POLICY_FILE`] is absent.
pub const LEGACY_OCI_POLICY_FILE: &str = "trustpolicy.json";
/// The blob trust policy file.
pub const BLOB_POLICY_FILE: &str = "trustpolicy.blob.json";

/// notation's default configuration directory: `$NOTATION_CONFIG`, else
/// `$XDG_CONFIG_HOME/notation`, else `$HOME/.config/notation`. Empty variables count as unset;
/// a relative `$XDG_CONFIG_HOME` is refused, as Go's `os.UserConfigDir` does.
pub fn default_config_dir() -> Result<PathBuf, Error> {
    default_config_dir_from(|name| std::env::var_os(name))
}

/// [`default_config_dir`] with the environment supplied by the caller (for tests and embedders).
pub fn default_config_dir_from(env: impl Fn(&str) -> Option<OsString>) -> Result<PathBuf, Error> {
    let set = |name: &str| env(name).filter(|v| !v.is_empty());
    if let Some(dir) = set("NOTATION_CONFIG") {
        return Ok(PathBuf::from(dir));
    }
    if let Some(xdg) = set("XDG_CONFIG_HOME") {
        let xdg = PathBuf::from(xdg);
        if !xdg.is_absolute() {
            return Err(load_error(&xdg, "XDG_CONFIG_HOME is a relative path; it must be absolute"));
        }
        return Ok(xdg.join("notation"));
    }
    match set("HOME") {
        Some(home) => Ok(PathBuf::from(home).join(".config").join("notation")),
        None => Err(Error::InvalidInput(
            "no notation configuration directory: none of NOTATION_CONFIG, XDG_CONFIG_HOME and HOME is set".into(),
        )),
    }
}

/// The OCI trust policy file of `config_dir`: `trustpolicy.oci.json` if anything exists under
/// that name, else `trustpolicy.json` if anything exists there, else `None`. (What is found
/// must still be a regular file; [`read_trust_policy`] checks that.)
pub fn oci_policy_path(config_dir: &Path) -> Result<Option<PathBuf>, Error> {
    for name in [OCI_POLICY_FILE, LEGACY_OCI_POLICY_FILE] {
        let path = config_dir.join(name);
        if entry_kind(&path)? != EntryKind::Missing {
            return Ok(Some(path));
        }
    }
    Ok(None)
}

/// The blob trust policy file of `config_dir`, if anything exists under that name.
pub fn blob_policy_path(config_dir: &Path) -> Result<Option<PathBuf>, Error> {
    let path = config_dir.join(BLOB_POLICY_FILE);
    Ok((entry_kind(&path)? != EntryKind::Missing).then_some(path))
}

/// Reads and validates an OCI trust policy file (a regular file, not a symlink).
pub fn read_trust_policy(path: &Path) -> Result<TrustPolicyDocument, Error> {
    let bytes = read_regular_file(path, "trust policy file", MAX_POLICY_BYTES)?;
    TrustPolicyDocument::from_json(&bytes).map_err(Error::from)
}

/// Reads and validates a blob trust policy file (a regular file, not a symlink).
pub fn read_blob_trust_policy(path: &Path) -> Result<BlobTrustPolicyDocument, Error> {
    let bytes = read_regular_file(path, "blob trust policy file", MAX_POLICY_BYTES)?;
    BlobTrustPolicyDocument::from_json(&bytes).map_err(Error::from)
}

/// Reads a trust policy file's bytes with the same file rules, for callers that want every
/// problem of the document (`policy check`) rather than the first.
pub fn read_policy_bytes(path: &Path) -> Result<Vec<u8>, Error> {
    read_regular_file(path, "trust policy file", MAX_POLICY_BYTES)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    fn env(vars: &[(&str, &str)]) -> impl Fn(&str) -> Option<OsString> {
        let map: HashMap<String, OsString> = vars.iter().map(|(k, v)| (k.to_string(), OsString::from(v))).collect();
        move |name| map.get(name).cloned()
    }

    #[test]
    fn default_dir_follows_notation_precedence() {
        let all = [("NOTATION_CONFIG", "/n"), ("XDG_CONFIG_HOME", "/x"), ("HOME", "/h")];
        assert_eq!(default_config_dir_from(env(&all)).unwrap(), PathBuf::from("/n"));
        assert_eq!(default_config_dir_from(env(&all[1..])).unwrap(), PathBuf::from("/x/notation"));
        assert_eq!(default_config_dir_from(env(&all[2..])).unwrap(), PathBuf::from("/h/.config/notation"));
        assert_eq!(
            default_config_dir_from(env(&[("NOTATION_CONFIG", ""), ("XDG_CONFIG_HOME", ""), ("HOME", "/h")])).unwrap(),
            PathBuf::from("/h/.config/notation")
        );
        assert!(default_config_dir_from(env(&[("XDG_CONFIG_HOME", "rel")])).is_err());
        assert!(default_config_dir_from(env(&[])).is_err());
    }

    #[test]
    fn oci_policy_prefers_the_oci_file() {
        let dir = std::env::temp_dir().join(format!("notaverify-config-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        assert_eq!(oci_policy_path(&dir).unwrap(), None);
        std::fs::write(dir.join(LEGACY_OCI_POLICY_FILE), b"{}").unwrap();
        assert_eq!(oci_policy_path(&dir).unwrap(), Some(dir.join(LEGACY_OCI_POLICY_FILE)));
        std::fs::create_dir_all(dir.join(OCI_POLICY_FILE)).unwrap();
        // A directory under the preferred name is found, and then refused when read.
        let found = oci_policy_path(&dir).unwrap().unwrap();
        assert_eq!(found, dir.join(OCI_POLICY_FILE));
        assert!(matches!(read_trust_policy(&found), Err(Error::Load { .. })));
        assert_eq!(blob_policy_path(&dir).unwrap(), None);
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
