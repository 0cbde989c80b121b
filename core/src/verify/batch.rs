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
    /// Threads started beforehand and kept across calls: the batch runs on them and `threads` is
    /// not used (unless the pool could not start its threads).
    pub workers: Option<&'a WorkerPool>,
}

/// Worker threads started once and kept for many [`Verifier::verify_many_with`] calls (through
/// [`BatchOptions::workers`]), for a caller that verifies batch after batch — a scan, chunk by
/// chunk. With [`BatchOptions::threads`] each call starts its threads and ends them; a long scan
/// would start thousands, each with fresh thread-local state for the allocator to set up and
/// tear down. The threads end when the pool is dropped. Without the `parallel` feature it holds
/// no thread and batches run on the calling thread.
pub struct WorkerPool {
    #[cfg(feature = "parallel")]
    pool: Option<rayon::ThreadPool>,
}

impl WorkerPool {
    /// A pool of `threads` threads (at least 1, at most [`crate::limits::MAX_BATCH_THREADS`]). A
    /// pool that cannot start its threads holds none: batches given it run as if it were not given.
    pub fn new(threads: usize) -> Self {
        #[cfg(feature = "parallel")]
        {
            let pool = rayon::ThreadPoolBuilder::new().num_threads(threads.clamp(1, MAX_BATCH_THREADS)).build().ok();
            Self { pool }
        }
        #[cfg(not(feature = "parallel"))]
        {
            let _ = threads;
            Self {}
        }
    }
}

impl std::fmt::Debug for WorkerPool {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let mut d = f.debug_struct("WorkerPool");
        #[cfg(feature = "parallel")]
        d.field("threads", &self.pool.as_ref().map(rayon::ThreadPool::current_num_threads));
        d.finish()
    }
}

impl std::fmt::Debug for BatchOptions<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("BatchOptions")
            .field("threads", &self.threads)
            .field("on_progress", &self.on_progress.is_some())
            .field("workers", &self.workers)
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
        run(items, options, one)
    }
}

#[cfg(feature = "parallel")]
fn run<T, F>(items: &[BatchItem], options: &BatchOptions<'_>, one: F) -> Vec<T>
where
    T: Send,
    F: Fn(&BatchItem) -> T + Sync + Send,
{
    use rayon::prelude::*;
    let all = || items.par_iter().with_max_len(1).map(&one).collect();
    if let Some(pool) = options.workers.and_then(|w| w.pool.as_ref()) {
        return pool.install(all);
    }
    let Some(threads) = options.threads else { return all() };
    let scoped = rayon::ThreadPoolBuilder::new()
        .num_threads(threads.clamp(1, MAX_BATCH_THREADS))
        .build_scoped(|thread| thread.run(), |pool| pool.install(all));
    // A pool that cannot be built (no threads left) runs the batch on the current pool instead.
    scoped.unwrap_or_else(|_| all())
}

#[cfg(not(feature = "parallel"))]
fn run<T, F>(items: &[BatchItem], _options: &BatchOptions<'_>, one: F) -> Vec<T>
where
    F: Fn(&BatchItem) -> T,
{
    items.iter().map(one).collect()
}
