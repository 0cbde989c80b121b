//! Batch verification: many artifacts through one [`Verifier`], in parallel with the `parallel`
//! feature (rayon's global pool, or the pool of an enclosing `ThreadPool::install`), in order
//! otherwise. Results keep the order of the items.

use super::outcome::ArtifactOutcome;
use super::request::{SignatureInput, Target, VerifyOptions};
use super::verifier::Verifier;
use crate::Error;

/// One artifact of [`Verifier::verify_many`]: the arguments of [`Verifier::verify_artifact`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BatchItem {
    /// `registry/repository@<digest>`.
    pub reference: String,
    /// What the signatures must be bound to.
    pub target: Target,
    /// The artifact's signatures, tried in order.
    pub signatures: Vec<SignatureInput>,
    /// Options of this verification.
    pub options: VerifyOptions,
}

impl BatchItem {
    /// An item with default options.
    pub fn new(reference: impl Into<String>, target: Target, signatures: Vec<SignatureInput>) -> Self {
        BatchItem { reference: reference.into(), target, signatures, options: VerifyOptions::default() }
    }
}

impl Verifier {
    /// [`Verifier::verify_artifact`] for every item; the `i`-th result belongs to `items[i]`.
    ///
    /// With the `parallel` feature the items are spread over rayon's threads (the global pool,
    /// or the pool whose `install` this runs in); without it they are verified one after the
    /// other. The verdicts are the same either way. The chain-result cache is shared by all
    /// threads.
    pub fn verify_many(&self, items: &[BatchItem]) -> Vec<Result<ArtifactOutcome, Error>> {
        let one =
            |item: &BatchItem| self.verify_artifact(&item.reference, &item.target, &item.signatures, &item.options);
        #[cfg(feature = "parallel")]
        {
            use rayon::prelude::*;
            items.par_iter().with_max_len(1).map(one).collect()
        }
        #[cfg(not(feature = "parallel"))]
        {
            items.iter().map(one).collect()
        }
    }
}
