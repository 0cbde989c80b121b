//! notation's configuration directory: where it is, and which trust policy files it holds
//! (§7.1 of the digest).
//!
//! The OCI policy file: notation-go v1.0–v1.3.2, the reference, read only `trustpolicy.json`;
//! notation-go main (notation 2) reads `trustpolicy.oci.json` and falls back to `trustpolicy.json`.
//! We read `trustpolicy.json` when it exists (as v1.3 does, so both agree whenever v1.3 finds a
//! policy), else `trustpolicy.oci.json` (as notation 2 does, where v1.3 would find none). When
//! both exist and differ, [`choose_oci_policy`] says which one is used: during a migration the
//! two notation versions would otherwise silently verify against different policies.

use super::files::{EntryKind, Root, load_error, read_file};
use crate::Error;
use crate::limits::MAX_POLICY_BYTES;
use crate::policy::{BlobTrustPolicyDocument, TrustPolicyDocument};
use std::ffi::OsString;
use std::path::{Path, PathBuf};

/// The OCI trust policy file of notation 2 (notation-go main), read when [`LEGACY_OCI_POLICY_FILE`]
/// is absent.
pub const OCI_POLICY_FILE: &str = "trustpolicy.oci.json";
/// The OCI trust policy file of notation 1.x (the only one notation-go v1.3 reads); read first.
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

/// Which OCI trust policy file of a configuration directory is used, and why one might care.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OciPolicyChoice {
    /// The file used.
    pub path: PathBuf,
    /// Set when `trustpolicy.json` and `trustpolicy.oci.json` both exist and differ: which one is
    /// used and which notation version reads the other (for the caller to show as a warning).
    pub warning: Option<String>,
}

/// The OCI trust policy file of `config_dir`: `trustpolicy.json` if anything exists under that
/// name (the only file notation-go v1.3 reads), else `trustpolicy.oci.json` if anything exists
/// there (notation 2's file), else `None`, with a warning when both exist and their contents
/// differ (as JSON values; a file that cannot be read counts as different). What is chosen must
/// still be a regular file; [`read_trust_policy`] checks that.
pub fn choose_oci_policy(config_dir: &Path) -> Result<Option<OciPolicyChoice>, Error> {
    let Some(root) = Root::open(config_dir, "configuration directory")? else {
        return Ok(None);
    };
    let present = |name: &str| -> Result<bool, Error> { Ok(root.entry_kind(Path::new(name))? != EntryKind::Missing) };
    let chosen = |name: &str, warning: Option<String>| Some(OciPolicyChoice { path: config_dir.join(name), warning });
    Ok(match (present(LEGACY_OCI_POLICY_FILE)?, present(OCI_POLICY_FILE)?) {
        (false, false) => None,
        (false, true) => chosen(OCI_POLICY_FILE, None),
        (true, false) => chosen(LEGACY_OCI_POLICY_FILE, None),
        (true, true) => {
            let read = |name: &str| root.read_file(Path::new(name), "trust policy file", MAX_POLICY_BYTES).ok();
            let same = match (read(LEGACY_OCI_POLICY_FILE), read(OCI_POLICY_FILE)) {
                (Some(a), Some(b)) => a == b || same_json(&a, &b),
                _ => false,
            };
            let warning = (!same).then(|| {
                format!(
                    "{} holds both {LEGACY_OCI_POLICY_FILE} and {OCI_POLICY_FILE} and they differ: using \
                     {LEGACY_OCI_POLICY_FILE}, the only one notation 1.x (notation-go v1.3) reads; notation 2 reads \
                     {OCI_POLICY_FILE} instead. Remove one or make them identical",
                    config_dir.display()
                )
            });
            chosen(LEGACY_OCI_POLICY_FILE, warning)
        }
    })
}

/// True when both are JSON and equal as values (formatting and member order aside).
fn same_json(a: &[u8], b: &[u8]) -> bool {
    match (serde_json::from_slice::<serde_json::Value>(a), serde_json::from_slice::<serde_json::Value>(b)) {
        (Ok(a), Ok(b)) => a == b,
        _ => false,
    }
}

/// The path of [`choose_oci_policy`]'s choice (its warning dropped).
pub fn oci_policy_path(config_dir: &Path) -> Result<Option<PathBuf>, Error> {
    Ok(choose_oci_policy(config_dir)?.map(|c| c.path))
}

/// The blob trust policy file of `config_dir`, if anything exists under that name.
pub fn blob_policy_path(config_dir: &Path) -> Result<Option<PathBuf>, Error> {
    let Some(root) = Root::open(config_dir, "configuration directory")? else {
        return Ok(None);
    };
    let present = root.entry_kind(Path::new(BLOB_POLICY_FILE))? != EntryKind::Missing;
    Ok(present.then(|| config_dir.join(BLOB_POLICY_FILE)))
}

/// Reads and validates an OCI trust policy file (a regular file, not a symlink).
pub fn read_trust_policy(path: &Path) -> Result<TrustPolicyDocument, Error> {
    let bytes = read_file(path, "trust policy file", MAX_POLICY_BYTES)?;
    TrustPolicyDocument::from_json(&bytes).map_err(Error::from)
}

/// Reads and validates a blob trust policy file (a regular file, not a symlink).
pub fn read_blob_trust_policy(path: &Path) -> Result<BlobTrustPolicyDocument, Error> {
    let bytes = read_file(path, "blob trust policy file", MAX_POLICY_BYTES)?;
    BlobTrustPolicyDocument::from_json(&bytes).map_err(Error::from)
}

/// Reads a trust policy file's bytes with the same file rules, for callers that want every
/// problem of the document (`policy check`) rather than the first.
pub fn read_policy_bytes(path: &Path) -> Result<Vec<u8>, Error> {
    read_file(path, "trust policy file", MAX_POLICY_BYTES)
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

    fn scratch(name: &str) -> PathBuf {
        let dir = std::env::temp_dir().join(format!("notaverify-config-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        dir
    }

    #[test]
    fn oci_policy_prefers_the_file_notation_1_reads() {
        let dir = scratch("choice");
        assert_eq!(oci_policy_path(&dir).unwrap(), None);
        assert_eq!(oci_policy_path(&dir.join("absent")).unwrap(), None);
        std::fs::write(dir.join(OCI_POLICY_FILE), b"{}").unwrap();
        assert_eq!(oci_policy_path(&dir).unwrap(), Some(dir.join(OCI_POLICY_FILE)));
        std::fs::create_dir_all(dir.join(LEGACY_OCI_POLICY_FILE)).unwrap();
        // A directory under the name notation 1.x reads is chosen, and then refused when read.
        let found = choose_oci_policy(&dir).unwrap().unwrap();
        assert_eq!(found.path, dir.join(LEGACY_OCI_POLICY_FILE));
        assert!(found.warning.is_some(), "a directory cannot be compared: it differs");
        assert!(matches!(read_trust_policy(&found.path), Err(Error::Load { .. })));
        assert_eq!(blob_policy_path(&dir).unwrap(), None);
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn both_policy_files_that_differ_warn_which_is_used() {
        let dir = scratch("both");
        let policy = br#"{"version":"1.0","trustPolicies":[{"name":"a","registryScopes":["*"],"signatureVerification":{"level":"strict"},"trustStores":["ca:a"],"trustedIdentities":["*"]}]}"#;
        std::fs::write(dir.join(LEGACY_OCI_POLICY_FILE), policy).unwrap();
        std::fs::write(dir.join(OCI_POLICY_FILE), policy).unwrap();
        let same = OciPolicyChoice { path: dir.join(LEGACY_OCI_POLICY_FILE), warning: None };
        assert_eq!(choose_oci_policy(&dir).unwrap(), Some(same.clone()));
        // The same document formatted differently: no warning either.
        let pretty = serde_json::to_vec_pretty(&serde_json::from_slice::<serde_json::Value>(policy).unwrap()).unwrap();
        std::fs::write(dir.join(OCI_POLICY_FILE), pretty).unwrap();
        assert_eq!(choose_oci_policy(&dir).unwrap(), Some(same));
        // Different documents: trustpolicy.json is used, and the warning says so.
        std::fs::write(dir.join(OCI_POLICY_FILE), String::from_utf8_lossy(policy).replace("strict", "audit")).unwrap();
        let choice = choose_oci_policy(&dir).unwrap().unwrap();
        assert_eq!(choice.path, dir.join(LEGACY_OCI_POLICY_FILE));
        let warning = choice.warning.unwrap();
        for part in ["differ", "using trustpolicy.json", "notation 1.x", "notation 2 reads trustpolicy.oci.json"] {
            assert!(warning.contains(part), "{part}: {warning}");
        }
        assert_eq!(oci_policy_path(&dir).unwrap(), Some(dir.join(LEGACY_OCI_POLICY_FILE)));
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
