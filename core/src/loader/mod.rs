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
pub use files::read_file;
pub use layout::{
    ENVELOPE_MEDIA_TYPES, LayoutManifest, MEDIA_TYPE_ARTIFACT_MANIFEST, MEDIA_TYPE_EMPTY_JSON, MEDIA_TYPE_IMAGE_INDEX,
    MEDIA_TYPE_IMAGE_MANIFEST, NOTATION_SIGNATURE, OciLayout, SignatureManifest, TagOrDigest, parse_layout_reference,
};
pub use signature_file::{read_blob_file, read_blob_signature_file, read_signature_file};
pub use truststore::{list_trust_stores, load_all_trust_stores, load_trust_store, trust_store_dir};

use crate::policy::{BlobTrustPolicyDocument, TrustPolicyDocument};
use crate::verify::{ArtifactOutcome, BatchItem, Target, Verifier, VerifyOptions};
use crate::{Error, LevelName, StoreType};
use files::load_error;
use std::path::Path;

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

/// A verifier for everything `config_dir` configures: the OCI policy (`trustpolicy.json`, else
/// `trustpolicy.oci.json`: [`choose_oci_policy`], whose warning about two differing files is not
/// reported here) and the blob policy (`trustpolicy.blob.json`), whichever exist, with the trust
/// stores they name. At least one policy must exist.
pub fn load_verifier(config_dir: &Path) -> Result<Verifier, Error> {
    let oci = oci_policy_path(config_dir)?.map(|p| read_trust_policy(&p)).transpose()?;
    let blob = blob_policy_path(config_dir)?.map(|p| read_blob_trust_policy(&p)).transpose()?;
    if oci.is_none() && blob.is_none() {
        return Err(load_error(
            config_dir,
            format!("no trust policy found ({OCI_POLICY_FILE}, {LEGACY_OCI_POLICY_FILE} or {BLOB_POLICY_FILE})"),
        ));
    }
    let store = load_trust_store(config_dir, &named_stores(oci.as_ref(), blob.as_ref()))?;
    let mut verifier = Verifier::new(store);
    if let Some(oci) = oci {
        verifier = verifier.with_oci_policy(oci);
    }
    if let Some(blob) = blob {
        verifier = verifier.with_blob_policy(blob);
    }
    Ok(verifier)
}

/// Verifies the artifact `reference` (a tag or a digest) of the OCI layout at `dir`, selecting
/// the policy statement with `scope` (`registry/repository`), as
/// `notation verify --oci-layout --scope <scope> <dir>:<tag>|@<digest>` does: opens the layout,
/// builds the request with [`oci_layout_item`] and verifies it. The outcome's reference is
/// `<scope>@<digest>`.
pub fn verify_oci_layout(
    verifier: &Verifier,
    dir: &Path,
    reference: &str,
    scope: &str,
    options: &VerifyOptions,
) -> Result<ArtifactOutcome, Error> {
    let layout = OciLayout::open(dir)?;
    let item = oci_layout_item(verifier, &layout, &TagOrDigest::parse(reference)?, scope, options)?;
    verifier.verify_artifact(&item.reference, &item.target, &item.signatures, &item.options)
}

/// The verification request of the artifact `reference` of an opened layout, for
/// [`Verifier::verify_artifact`] or [`Verifier::verify_many`]: reference `<scope>@<digest>`, the
/// target's descriptor, and its signatures with `options`.
///
/// As in notation, the target is resolved first, then at level `skip` (of the statement `scope`
/// selects) no signature is read. At most `options.max_signatures` envelopes are read: the
/// verifier tries no more than that many and reports the limit when that many failed.
pub fn oci_layout_item(
    verifier: &Verifier,
    layout: &OciLayout,
    reference: &TagOrDigest,
    scope: &str,
    options: &VerifyOptions,
) -> Result<BatchItem, Error> {
    let descriptor = layout.resolve(reference)?;
    let artifact = format!("{scope}@{}", descriptor.digest);
    let signatures = if verifier.statement_for(&artifact)?.level().name() == LevelName::Skip {
        Vec::new()
    } else {
        layout
            .signature_manifests(&descriptor)?
            .iter()
            .take(options.max_signatures)
            .map(|manifest| layout.read_signature(manifest))
            .collect::<Result<_, _>>()?
    };
    Ok(BatchItem::new(artifact, Target::Descriptor(descriptor), signatures).with_options(options.clone()))
}
