//! `notaverify inspect`: what every signature of an artifact claims, read with no trust policy or
//! trust store — the inventory of the sign-only phase, like `notation inspect`. Nothing is
//! verified; the core's `inspect` module reads, this module only loads and hands over.

use crate::args::InspectArgs;
use crate::verdict::Failure;
use notaverify::inspect::{self, ArtifactInspection};
use notaverify::loader;

/// Reads the signatures `args` names: those of a layout's artifact, or envelope files.
pub fn run(args: &InspectArgs) -> Result<ArtifactInspection, Failure> {
    if let Some(raw) = &args.oci_layout {
        let (dir, reference) = loader::parse_layout_reference(raw)?;
        return Ok(inspect::inspect_oci_layout(&dir, &reference)?);
    }
    let signatures =
        args.signatures.iter().map(|path| loader::read_signature_file(path)).collect::<Result<Vec<_>, _>>()?;
    Ok(ArtifactInspection::new(args.reference.clone(), &signatures))
}
