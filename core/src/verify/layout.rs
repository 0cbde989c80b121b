//! OCI layouts as `notation verify --oci-layout` verifies them: the request for one artifact of
//! an opened layout (the loader reads; the decision whether signatures are needed is made here).

use super::batch::BatchItem;
use super::outcome::ArtifactOutcome;
use super::verifier::Verifier;
use crate::loader::{OciLayout, TagOrDigest};
use crate::request::{Target, VerifyOptions};
use crate::{Error, LevelName};
use std::path::Path;

impl Verifier {
    /// True unless the statement that applies to `reference` (`registry/repository@<digest>`)
    /// has level `skip`, at which notation reads no signature.
    pub fn wants_signatures(&self, reference: &str) -> Result<bool, Error> {
        Ok(self.statement_for(reference)?.level().name() != LevelName::Skip)
    }

    /// The verification request of the artifact `reference` of an opened layout, for
    /// [`Verifier::verify_artifact`] or [`Verifier::verify_many`]: reference `<scope>@<digest>`,
    /// the target's descriptor, and its signatures with `options`.
    ///
    /// As in notation, the target is resolved first, then at level `skip` (of the statement
    /// `scope` selects) no signature is read. At most `options.max_signatures` envelopes are
    /// read: the verifier tries no more than that many and reports the limit when that many
    /// failed.
    pub fn oci_layout_item(
        &self,
        layout: &OciLayout,
        reference: &TagOrDigest,
        scope: &str,
        options: &VerifyOptions,
    ) -> Result<BatchItem, Error> {
        let descriptor = layout.resolve(reference)?;
        let artifact = format!("{scope}@{}", descriptor.digest);
        let signatures = if self.wants_signatures(&artifact)? {
            layout
                .signature_manifests(&descriptor)?
                .iter()
                .take(options.max_signatures)
                .map(|manifest| layout.read_signature(manifest))
                .collect::<Result<_, _>>()?
        } else {
            Vec::new()
        };
        Ok(BatchItem::new(artifact, Target::Descriptor(descriptor), signatures).with_options(options.clone()))
    }

    /// Verifies the artifact `reference` (a tag or a digest) of the OCI layout at `dir`, selecting
    /// the policy statement with `scope` (`registry/repository`), as
    /// `notation verify --oci-layout --scope <scope> <dir>:<tag>|@<digest>` does: opens the
    /// layout, builds the request with [`Verifier::oci_layout_item`] and verifies it. The
    /// outcome's reference is `<scope>@<digest>`.
    pub fn verify_oci_layout(
        &self,
        dir: &Path,
        reference: &str,
        scope: &str,
        options: &VerifyOptions,
    ) -> Result<ArtifactOutcome, Error> {
        let layout = OciLayout::open(dir)?;
        let item = self.oci_layout_item(&layout, &TagOrDigest::parse(reference)?, scope, options)?;
        self.verify_artifact(&item.reference, &item.target, &item.signatures, &item.options)
    }
}
