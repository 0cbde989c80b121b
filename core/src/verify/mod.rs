//! The verification workflow and its outcome.

mod batch;
mod cache;
mod context;
mod layout;
mod link_cache;
mod outcome;
mod revocation;
mod target;
mod timestamp;
mod verifier;
mod workflow;

pub use batch::{BatchItem, BatchOptions, WorkerPool};
pub use cache::ChainCacheStats;
pub use outcome::{ArtifactError, ArtifactOutcome, CheckResult, FailureKind, PolicySummary, SignatureOutcome, Signer};
pub use verifier::Verifier;
