//! One scanned artifact: where it came from, its class and who signed it.

use crate::{Class, Classification};
use notaverify::{ArtifactOutcome, CheckType, Error, SignatureOutcome, Signer};

/// One scanned artifact.
#[derive(Clone, Debug)]
pub struct ScannedArtifact {
    /// The repository it belongs to (the layout's scope, or the reference's repository).
    pub repository: String,
    /// Where it came from: the layout directory, or `batch-file:line`.
    pub source: String,
    /// Its tags: those the layout's `index.json` gives it, or the batch line's `tags`.
    pub tags: Vec<String>,
    /// Its class.
    pub classification: Classification,
    /// The signer of each of `classification.signatures`, in order (`None` unless the
    /// signature's integrity check passed).
    pub signers: Vec<Option<Signer>>,
}

impl ScannedArtifact {
    /// Each signature's class with its signer, for the signatures whose signer is known.
    pub fn signed_by(&self) -> impl Iterator<Item = (Class, &Signer)> {
        self.classification
            .signatures
            .iter()
            .zip(&self.signers)
            .filter_map(|(s, signer)| Some((s.class, signer.as_ref()?)))
    }

    /// Signed by both a retired and a current signer: re-signed during a rotation (a signature
    /// anchored in retired material beside one that verified).
    pub fn dual_signed(&self) -> bool {
        let has = |class: Class| self.classification.signatures.iter().any(|s| s.class == class);
        has(Class::RetiredSigner) && has(Class::Verified)
    }
}

/// The signer of each signature of a verification, in order; `None` unless integrity passed: the
/// certificate of an envelope whose signature does not verify with its key proves nothing.
pub(crate) fn signers(result: &Result<ArtifactOutcome, Error>) -> Vec<Option<Signer>> {
    let signer = |s: &SignatureOutcome| {
        s.check(CheckType::Integrity).is_some_and(|c| c.passed).then(|| s.signer.clone()).flatten()
    };
    result.as_ref().map_or_else(|_| Vec::new(), |o| o.signatures.iter().map(signer).collect())
}
