//! `notaverify verify`: an OCI artifact, from an OCI layout or from envelope files.

use super::{oci_verifier, verify_options};
use crate::args::VerifyArgs;
use crate::render;
use crate::verdict::{Failure, Report, Verdict};
use notaverify::loader::{self, OciLayout, TagOrDigest};
use notaverify::{ArtifactOutcome, SignatureInput, Target, VerifyOptions};
use notaverify::{Error, NameError};

/// Runs `verify`.
pub fn run(args: &VerifyArgs) -> Report {
    render::verdict(&run_with(args, |options| options).0, args.common.output)
}

/// Runs `verify` with `adjust` applied to the verification options; returns the verdict and
/// the envelopes that were verified (each input is read once, so whatever classifies the verdict
/// reads exactly the bytes that were verified).
pub fn run_with(
    args: &VerifyArgs,
    adjust: impl FnOnce(VerifyOptions) -> VerifyOptions,
) -> (Verdict, Vec<SignatureInput>) {
    let mut warnings = Vec::new();
    let mut signatures = Vec::new();
    let result = verify(args, adjust, &mut warnings, &mut signatures);
    (Verdict { reference: args.reference.clone(), result, warnings }, signatures)
}

fn verify(
    args: &VerifyArgs,
    adjust: impl FnOnce(VerifyOptions) -> VerifyOptions,
    warnings: &mut Vec<String>,
    signatures: &mut Vec<SignatureInput>,
) -> Result<ArtifactOutcome, Failure> {
    let options = adjust(VerifyOptions { all_signatures: args.all_signatures, ..verify_options(&args.verification)? });
    if !args.oci_layout && args.signatures.is_empty() {
        return Err(Error::InvalidInput(
            "give the signature envelopes with --signature FILE, or verify an OCI layout with --oci-layout".into(),
        )
        .into());
    }
    let verifier = oci_verifier(&args.common, warnings)?;
    if args.oci_layout {
        let scope = args.scope.as_deref().unwrap_or_default();
        let (dir, reference) = loader::parse_layout_reference(&args.reference)?;
        if let TagOrDigest::Tag(tag) = &reference {
            warnings.push(format!(
                "Always verify the artifact using digest(@sha256:...) rather than a tag(:{tag}) because resolved digest may not point to the same signed artifact, as tags are mutable."
            ));
        }
        let layout = OciLayout::open(&dir)?;
        let item = verifier.oci_layout_item(&layout, &reference, scope, &options)?;
        let outcome = verifier.verify_artifact(&item.reference, &item.target, &item.signatures, &item.options)?;
        *signatures = item.signatures;
        return Ok(outcome);
    }
    let target = match Target::from_reference(&args.reference) {
        Ok(target) => target,
        Err(NameError::NoDigest { .. }) => {
            return Err(Error::InvalidInput(format!(
                "reference {:?} has no digest: expected registry/repository@sha256:<hex> (tags cannot be resolved offline)",
                args.reference
            ))
            .into());
        }
        Err(e) => return Err(Error::from(e).into()),
    };
    for path in &args.signatures {
        signatures.push(loader::read_signature_file(path)?);
    }
    Ok(verifier.verify_artifact(&args.reference, &target, signatures, &options)?)
}
