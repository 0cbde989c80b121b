//! `notaverify verify`: an OCI artifact, from an OCI layout or from envelope files.

use super::{config_dir, verify_options};
use crate::args::VerifyArgs;
use crate::verdict::{Context, Failure, Verdict};
use notaverify::Error;
use notaverify::loader::{self, TagOrDigest};
use notaverify::{ArtifactOutcome, Target, Verifier};

/// Runs `verify`.
pub fn run(args: &VerifyArgs) -> Verdict {
    let mut warnings = Vec::new();
    let result = verify(args, &mut warnings);
    Verdict { reference: args.reference.clone(), result, warnings }
}

fn verify(args: &VerifyArgs, warnings: &mut Vec<String>) -> Result<ArtifactOutcome, Failure> {
    let options = verify_options(&args.verification)?;
    if !args.oci_layout && args.signatures.is_empty() {
        return Err(Error::InvalidInput(
            "give the signature envelopes with --signature FILE, or verify an OCI layout with --oci-layout".into(),
        )
        .into());
    }
    let verifier = oci_verifier(args)?;
    if args.oci_layout {
        let scope = args.scope.as_deref().unwrap_or_default();
        let (dir, reference) = loader::parse_layout_reference(&args.reference)?;
        let reference = match reference {
            TagOrDigest::Tag(tag) => {
                warnings.push(format!(
                    "Always verify the artifact using digest(@sha256:...) rather than a tag(:{tag}) because resolved digest may not point to the same signed artifact, as tags are mutable."
                ));
                tag
            }
            TagOrDigest::Digest(digest) => digest,
        };
        return Ok(loader::verify_oci_layout(&verifier, &dir, &reference, scope, &options)?);
    }
    let digest = match args.reference.rsplit_once('@') {
        Some((_, digest)) => digest.to_owned(),
        None => {
            return Err(Error::InvalidInput(format!(
                "reference {:?} has no digest: expected registry/repository@sha256:<hex> (tags cannot be resolved offline)",
                args.reference
            ))
            .into());
        }
    };
    let mut signatures = Vec::new();
    for path in &args.signatures {
        signatures.push(loader::read_signature_file(path)?);
    }
    Ok(verifier.verify_artifact(&args.reference, &Target::Digest(digest), &signatures, &options)?)
}

/// The OCI trust policy (`--trust-policy`, else the configuration directory's) and the trust
/// stores it names.
fn oci_verifier(args: &VerifyArgs) -> Result<Verifier, Failure> {
    let config_dir = config_dir(&args.common)?;
    let path = match &args.common.trust_policy {
        Some(path) => path.clone(),
        None => loader::oci_policy_path(&config_dir)?.ok_or_else(|| Error::Load {
            path: config_dir.display().to_string(),
            reason: format!(
                "no OCI trust policy found ({} or {})",
                loader::OCI_POLICY_FILE,
                loader::LEGACY_OCI_POLICY_FILE
            ),
        })?,
    };
    let policy = loader::read_trust_policy(&path).context(|| format!("trust policy {}", path.display()))?;
    let store = loader::load_trust_store(&config_dir, &loader::named_stores(Some(&policy), None))?;
    Ok(Verifier::new(store).with_oci_policy(policy))
}
