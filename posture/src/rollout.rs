//! The rollout inputs of one run: an exceptions file and a retired trust material file, read
//! the way `notaverify verify --exceptions F --retired F` reads them. Every front end (the CLI,
//! the bindings) loads them here, so a file means the same everywhere and its errors name it
//! the same way.
//!
//! [`RolloutOptions`] are the rollout options of one verify call of a binding (shared, loaded
//! once): an outcome is classified only when one is given, at the verification time, and
//! carries the document and exit status of `notaverify verify` with the same options
//! ([`Classified`]).

use super::classify::{Classification, PostureContext, classify};
use super::document::{self, Verdict};
use super::exceptions::Exceptions;
use super::retired::RetiredMaterial;
use notaverify::limits::MAX_EXCEPTIONS_BYTES;
use notaverify::{ArtifactOutcome, Error, SignatureInput, Time, Verifier, VerifyOptions, loader};
use serde_json::Value;
use std::fmt;
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// Exceptions and retired material, each optional.
#[derive(Clone, Debug, Default)]
pub struct Rollout {
    /// The exceptions (`--exceptions`).
    pub exceptions: Option<Exceptions>,
    /// The retired trust material (`--retired`), its stores resolved.
    pub retired: Option<RetiredMaterial>,
}

/// A rollout file that could not be used: the core's error and what was being read (prefixed to
/// the message, e.g. `exceptions file /x/exceptions.json`).
#[derive(Debug)]
pub struct LoadError {
    /// The core's error; its `code()` is reported.
    pub error: Box<Error>,
    /// What was being read.
    pub context: String,
}

impl fmt::Display for LoadError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.context, self.error)
    }
}

impl std::error::Error for LoadError {}

fn in_context<T>(result: Result<T, Error>, context: impl FnOnce() -> String) -> Result<T, LoadError> {
    result.map_err(|error| LoadError { error: Box::new(error), context: context() })
}

impl Rollout {
    /// Reads the files given (`exceptions`, `retired`); retired stores (`ca:<name>`, ...) are
    /// resolved against the trust store folders of `config_dir` (`None`: notation's default
    /// directory, looked up only when a store is declared).
    pub fn load(
        exceptions: Option<&Path>,
        retired: Option<&Path>,
        config_dir: Option<&Path>,
    ) -> Result<Self, LoadError> {
        Ok(Self {
            exceptions: exceptions.map(read_exceptions).transpose()?,
            retired: retired.map(|path| read_retired(path, config_dir)).transpose()?,
        })
    }

    /// The context classification reads, judged at `at`.
    pub fn context(&self, at: Time) -> PostureContext<'_> {
        PostureContext { retired: self.retired.as_ref(), exceptions: self.exceptions.as_ref(), at }
    }

    /// Warnings about the configuration: retired certificates still in a trust store that
    /// `verifier`'s OCI policy names (never trusted anyway, but the store should be cleaned up).
    pub fn configuration_warnings(&self, verifier: &Verifier) -> Vec<String> {
        let (Some(retired), Some(policy)) = (&self.retired, verifier.oci_policy()) else {
            return Vec::new();
        };
        let named = loader::named_stores(Some(policy), None);
        retired
            .still_in(verifier.trust_store(), &named)
            .into_iter()
            .map(|(store, m)| {
                format!(
                    "the retired certificate {} ({}) is still in the trust store {store} that the policy names; it is not trusted, remove it",
                    m.subject.as_deref().unwrap_or("?"),
                    m.sha256_fingerprint
                )
            })
            .collect()
    }
}

/// Reads and parses an exceptions file.
pub fn read_exceptions(path: &Path) -> Result<Exceptions, LoadError> {
    let context = || format!("exceptions file {}", path.display());
    let bytes = in_context(loader::read_file(path, "exceptions file", MAX_EXCEPTIONS_BYTES), context)?;
    in_context(Exceptions::from_json(&bytes), context)
}

/// Reads a retired trust material file and resolves its stores (see [`retired_from_json`]).
pub fn read_retired(path: &Path, config_dir: Option<&Path>) -> Result<RetiredMaterial, LoadError> {
    let context = || format!("retired trust material file {}", path.display());
    let bytes = in_context(loader::read_file(path, "retired trust material file", MAX_EXCEPTIONS_BYTES), context)?;
    let retired = in_context(RetiredMaterial::from_json(&bytes), context)?;
    resolve(retired, config_dir, context)
}

/// Parses a retired trust material document and resolves its stores against the trust store
/// folders of `config_dir` (`None`: notation's default directory, looked up only when a store
/// is declared). An error is in the context `retired trust material`.
pub fn retired_from_json(bytes: &[u8], config_dir: Option<&Path>) -> Result<RetiredMaterial, LoadError> {
    let context = || "retired trust material".to_owned();
    let retired = in_context(RetiredMaterial::from_json(bytes), context)?;
    resolve(retired, config_dir, context)
}

fn resolve(
    mut retired: RetiredMaterial,
    config_dir: Option<&Path>,
    context: impl Fn() -> String,
) -> Result<RetiredMaterial, LoadError> {
    let stores = retired.stores();
    if stores.is_empty() {
        return Ok(retired);
    }
    let dir: PathBuf = match config_dir {
        Some(dir) => dir.to_owned(),
        None => in_context(loader::default_config_dir(), || "notation configuration directory".into())?,
    };
    let store = in_context(loader::load_trust_store(&dir, &stores), || "retired trust stores".into())?;
    in_context(retired.resolve_stores(&store), context)?;
    Ok(retired)
}

/// The rollout options of one verification (`exceptions`, `retired`, `warn_only` of a binding's
/// verify call): the rollout files shared between calls, and warn mode.
#[derive(Clone, Debug, Default)]
pub struct RolloutOptions {
    /// The exceptions.
    pub exceptions: Option<Arc<Exceptions>>,
    /// The retired trust material.
    pub retired: Option<Arc<RetiredMaterial>>,
    /// Warn mode: an evaluated verdict exits 0.
    pub warn_only: bool,
}

impl RolloutOptions {
    /// Whether any option is given: only then is an outcome classified (without one, a binding
    /// returns the plain outcome, as `notaverify verify` prints it without rollout options).
    pub fn requested(&self) -> bool {
        self.exceptions.is_some() || self.retired.is_some() || self.warn_only
    }

    /// The context classification reads, judged at `at`.
    pub fn context(&self, at: Time) -> PostureContext<'_> {
        PostureContext { retired: self.retired.as_deref(), exceptions: self.exceptions.as_deref(), at }
    }

    /// `options` as classification needs them (see [`PostureContext::verify_options`]).
    pub fn verify_options(&self, options: VerifyOptions) -> VerifyOptions {
        // The time plays no part in the options.
        self.context(Time::UNIX_EPOCH).verify_options(options)
    }

    /// The classification of a verified artifact (`signatures`: the envelopes verified, in
    /// order), judged at the verification time `at` (`None`: now); `None` when no option is
    /// given.
    pub fn classify(
        &self,
        outcome: &ArtifactOutcome,
        signatures: &[SignatureInput],
        at: Option<Time>,
    ) -> Option<Classified> {
        if !self.requested() {
            return None;
        }
        let ctx = self.context(at.unwrap_or_else(Time::now));
        let classification = classify(&outcome.reference, &Ok(outcome.clone()), signatures, &ctx);
        Some(Classified { classification, warn_only: self.warn_only })
    }
}

/// A verification classified under rollout options: its classification and the mode.
#[derive(Clone, Debug)]
pub struct Classified {
    /// The classification.
    pub classification: Classification,
    /// Warn mode.
    pub warn_only: bool,
}

impl Classified {
    fn verdict<'a>(&'a self, outcome: &'a ArtifactOutcome) -> Verdict<'a> {
        Verdict::Classified { outcome, classification: &self.classification }
    }

    /// The document `notaverify verify -o json` prints for `outcome` with the same options.
    pub fn document(&self, outcome: &ArtifactOutcome) -> Value {
        document::verify_document(&self.verdict(outcome), self.warn_only)
    }

    /// The exit status `notaverify verify` gives `outcome` with the same options.
    pub fn exit_status(&self, outcome: &ArtifactOutcome) -> u8 {
        self.verdict(outcome).exit_status(self.warn_only)
    }
}

/// The exit status `notaverify verify` gives `outcome` without rollout options:
/// [`document::EXIT_IN_POLICY`] when verified, else [`document::EXIT_OUT_OF_POLICY`].
pub fn plain_exit_status(outcome: &ArtifactOutcome) -> u8 {
    if outcome.verified { document::EXIT_IN_POLICY } else { document::EXIT_OUT_OF_POLICY }
}
