//! Batch verification: many artifacts through one [`Verifier`], in parallel with the `parallel`
//! feature, in order otherwise. Results keep the order of the items.

use super::outcome::ArtifactOutcome;
use super::verifier::Verifier;
use crate::Error;
#[cfg(feature = "parallel")]
use crate::limits::MAX_BATCH_THREADS;
use crate::request::{SignatureInput, Target, VerifyOptions};
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::sync::atomic::{AtomicUsize, Ordering};

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
        Self { reference: reference.into(), target, signatures, options: VerifyOptions::default() }
    }

    /// The same item with these options.
    pub fn with_options(self, options: VerifyOptions) -> Self {
        Self { options, ..self }
    }
}

/// How [`Verifier::verify_many_with`] runs a batch.
#[derive(Clone, Copy, Default)]
pub struct BatchOptions<'a> {
    /// Worker threads, at least 1 and at most [`crate::limits::MAX_BATCH_THREADS`]; they are started for the
    /// call and have ended when it returns. `None`: rayon's current pool (the global one, or the
    /// pool whose `install` this runs in). Without the `parallel` feature the items always run one
    /// after the other on the calling thread.
    pub threads: Option<usize>,
    /// Called after each item with the number of items finished so far (from the worker threads,
    /// in no particular order of items).
    pub on_progress: Option<&'a (dyn Fn(usize) + Sync)>,
}

impl std::fmt::Debug for BatchOptions<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("BatchOptions")
            .field("threads", &self.threads)
            .field("on_progress", &self.on_progress.is_some())
            .finish()
    }
}

impl Verifier {
    /// [`Verifier::verify_artifact`] for every item; the `i`-th result belongs to `items[i]`.
    ///
    /// With the `parallel` feature the items are spread over rayon's current pool; without it they
    /// are verified one after the other. The verdicts are the same either way. The chain-result
    /// cache is shared by all threads.
    pub fn verify_many(&self, items: &[BatchItem]) -> Vec<Result<ArtifactOutcome, Error>> {
        self.verify_many_with(items, &BatchOptions::default())
    }

    /// [`Verifier::verify_many`] on `options.threads` threads, reporting progress.
    ///
    /// A verification that panics (a bug) fails its own item with [`Error::Internal`]; the other
    /// items are unaffected and nothing passes by it.
    pub fn verify_many_with(
        &self,
        items: &[BatchItem],
        options: &BatchOptions<'_>,
    ) -> Vec<Result<ArtifactOutcome, Error>> {
        let finished = AtomicUsize::new(0);
        let one = |item: &BatchItem| {
            let result = catch_unwind(AssertUnwindSafe(|| {
                self.verify_artifact(&item.reference, &item.target, &item.signatures, &item.options)
            }))
            .unwrap_or_else(|_| Err(Error::Internal(format!("the verification of {} panicked", item.reference))));
            let done = finished.fetch_add(1, Ordering::Relaxed) + 1;
            if let Some(report) = options.on_progress {
                report(done);
            }
            result
        };
        run(items, options.threads, one)
    }
}

#[cfg(feature = "parallel")]
fn run<T, F>(items: &[BatchItem], threads: Option<usize>, one: F) -> Vec<T>
where
    T: Send,
    F: Fn(&BatchItem) -> T + Sync + Send,
{
    use rayon::prelude::*;
    let all = || items.par_iter().with_max_len(1).map(&one).collect();
    let Some(threads) = threads else { return all() };
    let scoped = rayon::ThreadPoolBuilder::new()
        .num_threads(threads.clamp(1, MAX_BATCH_THREADS))
        .build_scoped(|thread| thread.run(), |pool| pool.install(all));
    // A pool that cannot be built (no threads left) runs the batch on the current pool instead.
    scoped.unwrap_or_else(|_| all())
}

#[cfg(not(feature = "parallel"))]
fn run<T, F>(items: &[BatchItem], _threads: Option<usize>, one: F) -> Vec<T>
where
    F: Fn(&BatchItem) -> T,
{
    items.iter().map(one).collect()
}
