//! The only part of the core that touches the filesystem: notation's configuration directory
//! (trust policies and trust-store folders), signature files and OCI image layouts. It produces
//! bytes and in-memory types; nothing below it knows a path.
//!
//! Every file is read with the same rules ([`read_file`], the loader's one reader, which the CLI
//! and the bindings use for the files they are given too): regular files only (no symlinks, no
//! directories), a size limit from [`crate::limits`] checked before and while reading, and errors
//! ([`Error::Load`]) that name the path and say what was wrong.
//!
//! An OCI layout and the configuration directory are closed rooms: everything beneath them is
//! opened through a `cap_std` directory handle that never resolves a path above the directory,
//! and no file or directory beneath them may be a symlink, whether it points inside or outside
//! (a symlinked `blobs/`, `blobs/sha256/`, `truststore/`, `truststore/x509/`, `x509/ca/` or store
//! folder is an [`Error::Load`] naming the link). The directory the caller names may itself be a
//! symlink; so may the directories above a file named on the command line.

mod config;
mod crl_cache;
mod evidence;
mod files;
mod layout;
mod signature_file;
mod truststore;

pub use config::{
    BLOB_POLICY_FILE, LEGACY_OCI_POLICY_FILE, OCI_POLICY_FILE, OciPolicyChoice, blob_policy_path, choose_oci_policy,
    default_config_dir, default_config_dir_from, oci_policy_path, read_blob_trust_policy, read_policy_bytes,
    read_trust_policy,
};
pub use crl_cache::read_crl_cache;
pub use evidence::{EvidenceFiles, read_revocation_evidence};
pub use files::{open_file, read_file};
pub use layout::{
    ENVELOPE_MEDIA_TYPES, LayoutManifest, MEDIA_TYPE_ARTIFACT_MANIFEST, MEDIA_TYPE_EMPTY_JSON, MEDIA_TYPE_IMAGE_INDEX,
    MEDIA_TYPE_IMAGE_MANIFEST, NOTATION_SIGNATURE, OciLayout, SignatureManifest, TagOrDigest, parse_layout_reference,
};
pub use signature_file::{read_blob_file, read_blob_signature_file, read_signature_file};
pub use truststore::{list_trust_stores, load_all_trust_stores, load_trust_store, trust_store_dir};

use crate::policy::{BlobTrustPolicyDocument, TrustPolicyDocument};
use crate::verify::Verifier;
use crate::{Error, StoreType};
use files::load_error;
use std::path::{Path, PathBuf};

/// The trust stores a set of policy documents name, in order, without duplicates.
pub fn named_stores(
    oci: Option<&TrustPolicyDocument>,
    blob: Option<&BlobTrustPolicyDocument>,
) -> Vec<(StoreType, String)> {
    let mut stores: Vec<(StoreType, String)> = Vec::new();
    let oci_statements = oci.into_iter().flat_map(|d| d.statements().iter());
    let blob_statements = blob.into_iter().flat_map(|d| d.statements().iter());
    for statement in oci_statements.chain(blob_statements) {
        for entry in statement.trust_stores() {
            if !stores.contains(entry) {
                stores.push(entry.clone());
            }
        }
    }
    stores
}

/// Where a verifier's policy for one kind of artifact comes from.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub enum PolicySource {
    /// Nowhere: the verifier has no policy of this kind.
    #[default]
    None,
    /// The configuration directory's file, if it holds one (OCI: [`choose_oci_policy`], blob:
    /// [`BLOB_POLICY_FILE`]).
    ConfigDir,
    /// This file (`--trust-policy`).
    File(PathBuf),
}

/// The policy files [`load_verifier_with`] reads.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct VerifierFiles {
    /// The OCI trust policy.
    pub oci_policy: PolicySource,
    /// The blob trust policy.
    pub blob_policy: PolicySource,
}

/// A verifier, with what its user should be told about its configuration.
#[derive(Debug)]
pub struct LoadedVerifier {
    /// The verifier.
    pub verifier: Verifier,
    /// Warnings: the configuration directory holds two differing OCI policy files
    /// ([`choose_oci_policy`]).
    pub warnings: Vec<String>,
}

/// Why [`load_verifier_with`] failed.
#[derive(Debug)]
pub struct LoadVerifierError {
    /// The error (boxed: it is large and rare).
    pub error: Box<Error>,
    /// The policy file being read when it happened (`trust policy <path>` or
    /// `blob trust policy <path>`), for a message; `None` for everything else.
    pub reading: Option<String>,
}

impl From<Error> for LoadVerifierError {
    fn from(error: Error) -> Self {
        Self { error: Box::new(error), reading: None }
    }
}

/// The one recipe for a verifier from a configuration directory: the policies `files` asks for
/// and the trust stores (of `config_dir`) they name. A policy from [`PolicySource::ConfigDir`]
/// that the directory does not hold is left out, but at least one policy must be found.
pub fn load_verifier_with(config_dir: &Path, files: &VerifierFiles) -> Result<LoadedVerifier, LoadVerifierError> {
    let mut warnings = Vec::new();
    let oci_path = match &files.oci_policy {
        PolicySource::None => None,
        PolicySource::File(path) => Some(path.clone()),
        PolicySource::ConfigDir => choose_oci_policy(config_dir)?.map(|choice| {
            warnings.extend(choice.warning);
            choice.path
        }),
    };
    let oci = oci_path
        .map(|path| {
            read_trust_policy(&path).map_err(|error| LoadVerifierError {
                error: Box::new(error),
                reading: Some(format!("trust policy {}", path.display())),
            })
        })
        .transpose()?;
    let blob_path = match &files.blob_policy {
        PolicySource::None => None,
        PolicySource::File(path) => Some(path.clone()),
        PolicySource::ConfigDir => blob_policy_path(config_dir)?,
    };
    let blob = blob_path
        .map(|path| {
            read_blob_trust_policy(&path).map_err(|error| LoadVerifierError {
                error: Box::new(error),
                reading: Some(format!("blob trust policy {}", path.display())),
            })
        })
        .transpose()?;
    if oci.is_none() && blob.is_none() {
        let missing = match (&files.oci_policy, &files.blob_policy) {
            (PolicySource::ConfigDir, PolicySource::None) => {
                format!("no OCI trust policy found ({LEGACY_OCI_POLICY_FILE} or {OCI_POLICY_FILE})")
            }
            (PolicySource::None, PolicySource::ConfigDir) => format!("no blob trust policy found ({BLOB_POLICY_FILE})"),
            _ => format!("no trust policy found ({OCI_POLICY_FILE}, {LEGACY_OCI_POLICY_FILE} or {BLOB_POLICY_FILE})"),
        };
        return Err(load_error(config_dir, missing).into());
    }
    let store = load_trust_store(config_dir, &named_stores(oci.as_ref(), blob.as_ref()))?;
    let mut verifier = Verifier::new(store);
    if let Some(oci) = oci {
        verifier = verifier.with_oci_policy(oci);
    }
    if let Some(blob) = blob {
        verifier = verifier.with_blob_policy(blob);
    }
    Ok(LoadedVerifier { verifier, warnings })
}

/// [`load_verifier_with`] both policies of `config_dir` (the OCI policy's warning about two
/// differing files is not reported): a verifier for everything the directory configures.
pub fn load_verifier(config_dir: &Path) -> Result<Verifier, Error> {
    let files = VerifierFiles { oci_policy: PolicySource::ConfigDir, blob_policy: PolicySource::ConfigDir };
    load_verifier_with(config_dir, &files).map(|loaded| loaded.verifier).map_err(|e| *e.error)
}
