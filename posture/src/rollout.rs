//! The rollout inputs of one run: an exceptions file and a retired trust material file, read
//! the way `notaverify verify --exceptions F --retired F` reads them. Every front end (the CLI,
//! the bindings) loads them here, so a file means the same everywhere and its errors name it
//! the same way.

use super::classify::PostureContext;
use super::exceptions::Exceptions;
use super::retired::RetiredMaterial;
use notaverify::limits::MAX_EXCEPTIONS_BYTES;
use notaverify::{Error, Time, Verifier, loader};
use std::fmt;
use std::path::{Path, PathBuf};

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
