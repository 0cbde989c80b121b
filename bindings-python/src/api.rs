//! `TrustPolicy`, `BlobTrustPolicy`, `TrustStore` and `Verifier`: each wraps the core type and
//! only converts arguments; every decision is the core's.

use crate::convert::{self, Data, content_or_path, envelope_media_type, string_map, text_or_bytes};
use crate::errors::{Exc, core_err, detached, invalid_input};
use crate::outcome::Outcome;
use crate::revocation::{EvidenceRecipe, RevocationEvidence};
use crate::rollout::{self, Exceptions, RetiredMaterial};
use notaverify::limits::{MAX_POLICY_BYTES, MAX_TRUST_STORE_FILE_BYTES};
use notaverify::loader::{OciLayout, TagOrDigest};
use notaverify::{BatchItem, BatchOptions, BlobOptions, SignatureInput, StoreType, Target, VerifyOptions};
use notaverify_posture::RolloutOptions;
use pyo3::exceptions::{PyDeprecationWarning, PyTypeError};
use pyo3::prelude::*;
use pyo3::pybacked::PyBackedStr;
use pyo3::types::{PyBytes, PyList, PyMapping, PyTuple, PyType};
use std::path::PathBuf;
use std::sync::Arc;

type CoreResult<T> = Result<T, notaverify::Error>;

fn or_raise<T>(py: Python<'_>, r: CoreResult<T>) -> PyResult<T> {
    r.map_err(|e| core_err(py, &e))
}

/// An OCI trust policy document (`trustpolicy.oci.json`), validated when parsed.
#[pyclass(module = "notaverify", name = "TrustPolicy", frozen)]
pub struct TrustPolicy {
    pub(crate) inner: notaverify::TrustPolicyDocument,
    /// The document it was parsed from: what it pickles as.
    source: Arc<[u8]>,
}

#[pymethods]
impl TrustPolicy {
    /// Parses and validates a trust policy from JSON text, bytes, or an already parsed mapping.
    #[classmethod]
    fn from_json(_cls: &Bound<'_, PyType>, document: &Bound<'_, PyAny>) -> PyResult<Self> {
        let py = document.py();
        let data = text_or_bytes(document, "document")?;
        Self::parse(py, data.into_vec())
    }

    /// Reads and validates a trust policy file.
    #[classmethod]
    fn from_file(_cls: &Bound<'_, PyType>, path: &Bound<'_, PyAny>) -> PyResult<Self> {
        let py = path.py();
        let p = convert::path(path, "path")?;
        let read = detached(py, || notaverify::loader::read_file(&p, "trust policy file", MAX_POLICY_BYTES))?;
        Self::parse(py, or_raise(py, read)?)
    }

    /// Pickles as the document it was parsed from.
    fn __reduce__<'py>(slf: &Bound<'py, Self>) -> PyResult<(Bound<'py, PyAny>, (Bound<'py, PyBytes>,))> {
        Ok((slf.get_type().getattr("from_json")?, (PyBytes::new(slf.py(), &slf.get().source),)))
    }

    fn __repr__(&self) -> String {
        "TrustPolicy(...)".to_owned()
    }
}

impl TrustPolicy {
    fn parse(py: Python<'_>, source: Vec<u8>) -> PyResult<Self> {
        let parsed = notaverify::TrustPolicyDocument::from_json(&source).map_err(notaverify::Error::from);
        Ok(Self { inner: or_raise(py, parsed)?, source: source.into() })
    }
}

/// A blob trust policy document (`trustpolicy.blob.json`), validated when parsed.
#[pyclass(module = "notaverify", name = "BlobTrustPolicy", frozen)]
pub struct BlobTrustPolicy {
    pub(crate) inner: notaverify::BlobTrustPolicyDocument,
    /// The document it was parsed from: what it pickles as.
    source: Arc<[u8]>,
}

impl BlobTrustPolicy {
    fn parse(py: Python<'_>, source: Vec<u8>) -> PyResult<Self> {
        let parsed = notaverify::BlobTrustPolicyDocument::from_json(&source).map_err(notaverify::Error::from);
        Ok(Self { inner: or_raise(py, parsed)?, source: source.into() })
    }
}

#[pymethods]
impl BlobTrustPolicy {
    /// Parses and validates a blob trust policy from JSON text, bytes, or a parsed mapping.
    #[classmethod]
    fn from_json(_cls: &Bound<'_, PyType>, document: &Bound<'_, PyAny>) -> PyResult<Self> {
        let py = document.py();
        let data = text_or_bytes(document, "document")?;
        Self::parse(py, data.into_vec())
    }

    /// Reads and validates a blob trust policy file.
    #[classmethod]
    fn from_file(_cls: &Bound<'_, PyType>, path: &Bound<'_, PyAny>) -> PyResult<Self> {
        let py = path.py();
        let p = convert::path(path, "path")?;
        let read = detached(py, || notaverify::loader::read_file(&p, "blob trust policy file", MAX_POLICY_BYTES))?;
        Self::parse(py, or_raise(py, read)?)
    }

    /// Pickles as the document it was parsed from.
    fn __reduce__<'py>(slf: &Bound<'py, Self>) -> PyResult<(Bound<'py, PyAny>, (Bound<'py, PyBytes>,))> {
        Ok((slf.get_type().getattr("from_json")?, (PyBytes::new(slf.py(), &slf.get().source),)))
    }

    fn __repr__(&self) -> String {
        "BlobTrustPolicy(...)".to_owned()
    }
}

/// Named trust stores of X.509 certificates (`ca`, `signingAuthority`, `tsa`).
#[pyclass(module = "notaverify", name = "TrustStore")]
pub struct TrustStore {
    pub(crate) inner: notaverify::TrustStore,
    /// How it was built: what it pickles as.
    pub(crate) recipe: StoreRecipe,
}

/// How a `TrustStore` was built: the configuration directory it was loaded from, then the
/// certificates added (`type`, `name`, content), in order.
#[derive(Clone, Default)]
pub(crate) struct StoreRecipe {
    config_dir: Option<PathBuf>,
    added: Vec<(String, String, Vec<u8>)>,
}

impl StoreRecipe {
    fn build(&self, py: Python<'_>) -> PyResult<TrustStore> {
        let mut store = match &self.config_dir {
            Some(dir) => TrustStore::load(py, dir.clone())?,
            None => TrustStore::new(),
        };
        for (t, name, content) in &self.added {
            store.add_content(py, t, name, content.clone())?;
        }
        Ok(store)
    }
}

impl TrustStore {
    fn load(py: Python<'_>, dir: PathBuf) -> PyResult<Self> {
        let loaded = detached(py, || notaverify::loader::load_all_trust_stores(&dir))?;
        Ok(Self { inner: or_raise(py, loaded)?, recipe: StoreRecipe { config_dir: Some(dir), added: Vec::new() } })
    }

    fn add_content(&mut self, py: Python<'_>, r#type: &str, name: &str, content: Vec<u8>) -> PyResult<usize> {
        let t = store_type(py, r#type)?;
        let added = or_raise(py, self.inner.add(t, name, &content).map_err(notaverify::Error::from))?;
        self.recipe.added.push((r#type.to_owned(), name.to_owned(), content));
        Ok(added)
    }
}

/// Hidden, for pickle: a `TrustStore` from its recipe.
#[pyfunction]
pub fn _trust_store(
    py: Python<'_>,
    config_dir: Option<PathBuf>,
    added: Vec<(String, String, Vec<u8>)>,
) -> PyResult<TrustStore> {
    StoreRecipe { config_dir, added }.build(py)
}

fn store_type(py: Python<'_>, name: &str) -> PyResult<StoreType> {
    StoreType::from_name(name).ok_or_else(|| {
        Exc::TrustStore.err(
            py,
            format!("unknown trust store type {name:?} (expected \"ca\", \"signingAuthority\" or \"tsa\")"),
            "TRUST_STORE",
        )
    })
}

#[pymethods]
impl TrustStore {
    /// An empty trust store.
    #[new]
    fn new() -> Self {
        Self { inner: notaverify::TrustStore::new(), recipe: StoreRecipe::default() }
    }

    /// Adds the PEM or DER certificates in `certificates` (bytes, or a file path) to the store
    /// `type:name`; returns how many were added.
    #[pyo3(signature = (r#type, name, certificates))]
    fn add(&mut self, py: Python<'_>, r#type: &str, name: &str, certificates: &Bound<'_, PyAny>) -> PyResult<usize> {
        store_type(py, r#type)?;
        let input =
            content_or_path(certificates, "certificates", "trust store certificate file", MAX_TRUST_STORE_FILE_BYTES)?;
        self.add_content(py, r#type, name, input.into_vec())
    }

    /// Loads every named store of the notation configuration directory `path` (the directory
    /// that holds `truststore/`: `<path>/truststore/x509/<ca|signingAuthority|tsa>/<name>/`),
    /// with notation's file rules.
    #[classmethod]
    fn from_config_dir(_cls: &Bound<'_, PyType>, path: &Bound<'_, PyAny>) -> PyResult<Self> {
        let py = path.py();
        Self::load(py, convert::path(path, "path")?)
    }

    /// Deprecated alias of `from_config_dir` (it takes the configuration directory, not a
    /// trust store folder). Warns with `DeprecationWarning`.
    #[classmethod]
    fn from_dir(cls: &Bound<'_, PyType>, path: &Bound<'_, PyAny>) -> PyResult<Self> {
        let py = path.py();
        PyErr::warn(
            py,
            &py.get_type::<PyDeprecationWarning>(),
            c"TrustStore.from_dir is deprecated; use TrustStore.from_config_dir (it takes the same configuration directory)",
            1,
        )?;
        Self::from_config_dir(cls, path)
    }

    /// Pickles as how it was built: the configuration directory it was loaded from (read
    /// again where it is unpickled) and the certificates added since.
    #[allow(clippy::type_complexity)]
    fn __reduce__<'py>(
        slf: &Bound<'py, Self>,
    ) -> PyResult<(Bound<'py, PyAny>, (Option<PathBuf>, Vec<(String, String, Bound<'py, PyBytes>)>))> {
        let py = slf.py();
        let recipe = &slf.borrow().recipe;
        let added = recipe.added.iter().map(|(t, n, c)| (t.clone(), n.clone(), PyBytes::new(py, c))).collect();
        Ok((py.import("notaverify._notaverify")?.getattr("_trust_store")?, (recipe.config_dir.clone(), added)))
    }

    fn __repr__(&self) -> String {
        "TrustStore(...)".to_owned()
    }
}

/// The options shared by the verify methods, converted.
#[derive(Clone)]
struct Options {
    user_metadata: std::collections::BTreeMap<String, String>,
    at: Option<notaverify::Time>,
    revocation: Option<notaverify::revocation::RevocationEvidence>,
    all_signatures: bool,
}

impl Options {
    fn convert(
        user_metadata: Option<&Bound<'_, PyAny>>,
        at: Option<&Bound<'_, PyAny>>,
        revocation: Option<&Bound<'_, RevocationEvidence>>,
        all_signatures: bool,
    ) -> PyResult<Self> {
        Ok(Self {
            user_metadata: string_map(user_metadata, "user_metadata")?,
            at: convert::time(at)?,
            revocation: revocation.map(|r| r.borrow().inner.clone()),
            all_signatures,
        })
    }

    fn verify_options(self, max_signatures: Option<usize>) -> VerifyOptions {
        let defaults = VerifyOptions::default();
        VerifyOptions {
            user_metadata: self.user_metadata,
            at: self.at,
            max_signatures: max_signatures.unwrap_or(defaults.max_signatures),
            revocation: self.revocation,
            all_signatures: self.all_signatures,
        }
    }
}

/// Which notation file rules apply to an envelope given as a path.
#[derive(Clone, Copy)]
pub(crate) enum EnvelopeFile {
    /// `notation verify --signature`: media type from the name, else the content.
    Artifact,
    /// `notation blob verify --signature`: the name must end in `.jws.sig` or `.cose.sig`.
    Blob,
}

/// An envelope from bytes (media type given or inferred from the content; no digest is
/// reported) or from a file (read by the core's loader with notation's file rules, which also
/// reports the file's sha256 as the signature digest, as the CLI does; an explicit `media_type`
/// wins).
pub(crate) fn signature_input(
    obj: &Bound<'_, PyAny>,
    media_type: Option<&str>,
    kind: EnvelopeFile,
) -> PyResult<SignatureInput> {
    let py = obj.py();
    if let Some(data) = convert::bytes_like(obj)? {
        let media_type = envelope_media_type(py, media_type, &data)?;
        return Ok(SignatureInput::new(data.into_vec(), media_type));
    }
    let path = convert::path(obj, "envelope")?;
    let explicit = media_type.map(|m| envelope_media_type(py, Some(m), &[])).transpose()?;
    let read = detached(py, || match (kind, &explicit) {
        (EnvelopeFile::Blob, None) => notaverify::loader::read_blob_signature_file(&path),
        _ => notaverify::loader::read_signature_file(&path),
    })?;
    let mut input = or_raise(py, read)?;
    if let Some(m) = explicit {
        input.media_type = m;
    }
    Ok(input)
}

/// The target: the descriptor when given, else the digest of `reference` (a reference that does
/// not parse is left for the verification to report, as the core checks it there).
fn target(reference: &str, descriptor: Option<&Bound<'_, PyAny>>) -> PyResult<Target> {
    match descriptor {
        Some(d) if !d.is_none() => Ok(Target::Descriptor(convert::descriptor(d)?)),
        _ => Ok(Target::from_reference(reference).unwrap_or_else(|_| Target::Digest(String::new()))),
    }
}

/// The core request of `verify_artifact` (and of each `verify_many` item).
fn artifact_request(
    reference: &str,
    envelopes: &Bound<'_, PyAny>,
    descriptor: Option<&Bound<'_, PyAny>>,
    media_type: Option<&str>,
    options: VerifyOptions,
) -> PyResult<BatchItem> {
    if convert::is_single_input(envelopes) {
        return Err(PyTypeError::new_err(
            "envelopes must be a sequence of envelopes (bytes or paths), not a single one; use verify()",
        ));
    }
    let signatures = envelopes
        .try_iter()?
        .map(|e| signature_input(&e?, media_type, EnvelopeFile::Artifact))
        .collect::<PyResult<Vec<_>>>()?;
    let target = target(reference, descriptor)?;
    Ok(BatchItem { reference: reference.to_owned(), target, signatures, options })
}

/// The keys of a `verify_many` item: the per-artifact arguments of `verify_artifact`.
const BATCH_ITEM_KEYS: [&str; 6] =
    ["reference", "envelopes", "descriptor", "media_type", "user_metadata", "max_signatures"];

/// A `verify_many` item as its core request, with the batch's `at` and `revocation` in `shared`.
/// A wrong shape (not a mapping, a missing or unknown key, a value of the wrong type) is a
/// `TypeError`; otherwise it raises what `verify_artifact` would raise for these arguments.
fn batch_request<'py>(item: &Bound<'py, PyAny>, shared: &Options) -> PyResult<BatchItem> {
    let py = item.py();
    let mapping = item.cast::<PyMapping>().map_err(|_| convert::type_error(item, "an item", "a mapping"))?;
    for key in mapping.keys()?.iter() {
        if !key.extract::<PyBackedStr>().is_ok_and(|k| BATCH_ITEM_KEYS.contains(&&*k)) {
            let expected = BATCH_ITEM_KEYS.join(", ");
            return Err(PyTypeError::new_err(format!("unknown key {} (the keys are {expected})", key.repr()?)));
        }
    }
    let value = |key: &str| -> PyResult<Bound<'py, PyAny>> {
        if mapping.contains(key)? { mapping.get_item(key) } else { Ok(py.None().into_bound(py)) }
    };
    let required = |key: &str| -> PyResult<Bound<'py, PyAny>> {
        let v = value(key)?;
        if v.is_none() { Err(PyTypeError::new_err(format!("'{key}' is required"))) } else { Ok(v) }
    };
    let wrong_type = |key: &str, expected: &str| PyTypeError::new_err(format!("{key} must be {expected}"));

    let reference: PyBackedStr = required("reference")?.extract().map_err(|_| wrong_type("reference", "a str"))?;
    let envelopes = required("envelopes")?;
    let media_type: Option<PyBackedStr> =
        value("media_type")?.extract().map_err(|_| wrong_type("media_type", "a str or None"))?;
    let max_signatures: Option<usize> =
        value("max_signatures")?.extract().map_err(|_| wrong_type("max_signatures", "a non-negative int or None"))?;
    let options =
        Options { user_metadata: string_map(Some(&value("user_metadata")?), "user_metadata")?, ..shared.clone() };
    let descriptor = value("descriptor")?;
    artifact_request(
        &reference,
        &envelopes,
        Some(&descriptor),
        media_type.as_deref(),
        options.verify_options(max_signatures),
    )
}

/// `error` with the index of the item it is about in front of its message (`items[3]: ...`).
fn in_item(py: Python<'_>, index: usize, error: PyErr) -> PyErr {
    let value = error.value(py);
    let message = format!("items[{index}]: {value}");
    match value.setattr("args", (message,)) {
        Ok(()) => error,
        Err(e) => e,
    }
}

/// The outcome of a verification, classified under the rollout options when any was given
/// (`signatures`: the envelopes verified, in order; `at`: the verification time).
fn outcome(
    py: Python<'_>,
    result: CoreResult<notaverify::ArtifactOutcome>,
    rollout: &RolloutOptions,
    signatures: &[SignatureInput],
    at: Option<notaverify::Time>,
) -> PyResult<Outcome> {
    let inner = or_raise(py, result)?;
    let rollout = rollout.classify(&inner, signatures, at);
    Ok(Outcome { inner, rollout })
}

/// Verifies notation signatures against a trust policy and trust store, offline.
///
/// Build it once and share it: it is immutable, and every verification releases the GIL, so one
/// `Verifier` can serve many threads.
#[pyclass(module = "notaverify", name = "Verifier", frozen)]
pub struct Verifier {
    pub(crate) inner: Arc<notaverify::Verifier>,
    /// How it was built: what it pickles as.
    recipe: VerifierRecipe,
}

/// How a `Verifier` was built.
#[derive(Clone)]
enum VerifierRecipe {
    /// `from_config_dir`: the directory (resolved) and the evidence given.
    ConfigDir { dir: PathBuf, revocation: Option<EvidenceRecipe> },
    /// `Verifier(policy, trust_store, ...)`: the recipes of its parts when it was built (adding to
    /// the store or the evidence afterwards does not change the verifier, nor its pickle).
    Parts {
        policy: Option<Arc<[u8]>>,
        store: StoreRecipe,
        blob_policy: Option<Arc<[u8]>>,
        revocation: Option<EvidenceRecipe>,
    },
}

impl Verifier {
    fn load(
        py: Python<'_>,
        dir: Option<PathBuf>,
        revocation: Option<&Bound<'_, RevocationEvidence>>,
    ) -> PyResult<Self> {
        let evidence = revocation.map(|r| r.borrow().inner.clone());
        let loaded = detached(py, move || -> CoreResult<(notaverify::Verifier, PathBuf)> {
            let dir = match dir {
                Some(d) => d,
                None => notaverify::loader::default_config_dir()?,
            };
            let verifier = notaverify::loader::load_verifier(&dir)?;
            let verifier = match evidence {
                Some(e) => verifier.with_revocation_evidence(e),
                None => verifier,
            };
            Ok((verifier, dir))
        })?;
        let (verifier, dir) = or_raise(py, loaded)?;
        let revocation = revocation.map(|r| r.borrow().recipe.clone());
        Ok(Self { inner: Arc::new(verifier), recipe: VerifierRecipe::ConfigDir { dir, revocation } })
    }
}

/// Hidden, for pickle: a `Verifier` from a configuration directory or from its parts.
#[pyfunction]
#[pyo3(signature = (config_dir, policy, trust_store, blob_policy, revocation))]
pub fn _verifier(
    py: Python<'_>,
    config_dir: Option<PathBuf>,
    policy: Option<&Bound<'_, TrustPolicy>>,
    trust_store: Option<&Bound<'_, TrustStore>>,
    blob_policy: Option<&Bound<'_, BlobTrustPolicy>>,
    revocation: Option<&Bound<'_, RevocationEvidence>>,
) -> PyResult<Verifier> {
    match (config_dir, trust_store) {
        (Some(dir), _) => Verifier::load(py, Some(dir), revocation),
        (None, Some(store)) => Ok(Verifier::new(policy, store, blob_policy, revocation)),
        (None, None) => Err(invalid_input(py, "a pickled Verifier names a configuration directory or a trust store")),
    }
}

#[pymethods]
impl Verifier {
    #[new]
    #[pyo3(signature = (policy, trust_store, *, blob_policy = None, revocation = None))]
    fn new(
        policy: Option<&Bound<'_, TrustPolicy>>,
        trust_store: &Bound<'_, TrustStore>,
        blob_policy: Option<&Bound<'_, BlobTrustPolicy>>,
        revocation: Option<&Bound<'_, RevocationEvidence>>,
    ) -> Self {
        let mut v = notaverify::Verifier::new(trust_store.borrow().inner.clone());
        if let Some(r) = revocation {
            v = v.with_revocation_evidence(r.borrow().inner.clone());
        }
        if let Some(p) = policy {
            v = v.with_oci_policy(p.get().inner.clone());
        }
        if let Some(p) = blob_policy {
            v = v.with_blob_policy(p.get().inner.clone());
        }
        let recipe = VerifierRecipe::Parts {
            policy: policy.map(|p| Arc::clone(&p.get().source)),
            store: trust_store.borrow().recipe.clone(),
            blob_policy: blob_policy.map(|p| Arc::clone(&p.get().source)),
            revocation: revocation.map(|r| r.borrow().recipe.clone()),
        };
        Self { inner: Arc::new(v), recipe }
    }

    /// A verifier from a notation configuration directory (`trustpolicy.oci.json` or
    /// `trustpolicy.json`, `trustpolicy.blob.json`, `truststore/`); `None` is notation's default
    /// (`$NOTATION_CONFIG`, `$XDG_CONFIG_HOME/notation`, `~/.config/notation`).
    #[classmethod]
    #[pyo3(signature = (path = None, *, revocation = None))]
    fn from_config_dir(
        _cls: &Bound<'_, PyType>,
        py: Python<'_>,
        path: Option<&Bound<'_, PyAny>>,
        revocation: Option<&Bound<'_, RevocationEvidence>>,
    ) -> PyResult<Self> {
        let dir: Option<PathBuf> = path.filter(|p| !p.is_none()).map(|p| convert::path(p, "path")).transpose()?;
        Self::load(py, dir, revocation)
    }

    /// Pickles as how it was built: the configuration directory (read again where it is
    /// unpickled), or its policies' documents, its trust store's and its evidence's recipes.
    fn __reduce__<'py>(slf: &Bound<'py, Self>) -> PyResult<(Bound<'py, PyAny>, Bound<'py, PyTuple>)> {
        let py = slf.py();
        let me = slf.get();
        let revocation = |recipe: &Option<EvidenceRecipe>| -> PyResult<Option<Bound<'py, RevocationEvidence>>> {
            recipe.as_ref().map(|r| Bound::new(py, r.build(py)?)).transpose()
        };
        let args = match &me.recipe {
            VerifierRecipe::ConfigDir { dir, revocation: r } => PyTuple::new(
                py,
                [
                    dir.into_pyobject(py)?.into_any(),
                    py.None().into_bound(py),
                    py.None().into_bound(py),
                    py.None().into_bound(py),
                    revocation(r)?.into_pyobject(py)?.into_any(),
                ],
            )?,
            VerifierRecipe::Parts { policy, store, blob_policy, revocation: r } => {
                let policy = policy.as_ref().map(|s| TrustPolicy::parse(py, s.to_vec())).transpose()?;
                let blob = blob_policy.as_ref().map(|s| BlobTrustPolicy::parse(py, s.to_vec())).transpose()?;
                PyTuple::new(
                    py,
                    [
                        py.None().into_bound(py),
                        policy.into_pyobject(py)?.into_any(),
                        store.build(py)?.into_pyobject(py)?.into_any(),
                        blob.into_pyobject(py)?.into_any(),
                        revocation(r)?.into_pyobject(py)?.into_any(),
                    ],
                )?
            }
        };
        Ok((py.import("notaverify._notaverify")?.getattr("_verifier")?, args))
    }

    /// Verifies one signature envelope of the artifact `reference` (`registry/repo@sha256:...`).
    ///
    /// Returns the outcome whether or not it verified; raises when the request cannot be
    /// evaluated (bad reference, no applicable policy statement, ...).
    #[pyo3(signature = (envelope, *, reference, descriptor = None, media_type = None, user_metadata = None, at = None, revocation = None, all_signatures = false, exceptions = None, retired = None, warn_only = false))]
    #[allow(clippy::too_many_arguments)]
    fn verify(
        &self,
        py: Python<'_>,
        envelope: &Bound<'_, PyAny>,
        reference: &str,
        descriptor: Option<&Bound<'_, PyAny>>,
        media_type: Option<&str>,
        user_metadata: Option<&Bound<'_, PyAny>>,
        at: Option<&Bound<'_, PyAny>>,
        revocation: Option<&Bound<'_, RevocationEvidence>>,
        all_signatures: bool,
        exceptions: Option<&Bound<'_, Exceptions>>,
        retired: Option<&Bound<'_, RetiredMaterial>>,
        warn_only: bool,
    ) -> PyResult<Outcome> {
        let signature = signature_input(envelope, media_type, EnvelopeFile::Artifact)?;
        let target = target(reference, descriptor)?;
        let rollout = rollout::options(exceptions, retired, warn_only);
        let options = rollout
            .verify_options(Options::convert(user_metadata, at, revocation, all_signatures)?.verify_options(None));
        let verifier = &*self.inner;
        let result = detached(py, || verifier.verify(reference, &target, &signature, &options))?;
        outcome(py, result, &rollout, std::slice::from_ref(&signature), options.at)
    }

    /// `verify(...)`, then raise `VerificationError` (carrying the outcome) unless it verified.
    #[pyo3(signature = (envelope, *, reference, descriptor = None, media_type = None, user_metadata = None, at = None, revocation = None, all_signatures = false))]
    #[allow(clippy::too_many_arguments)]
    fn require_verified<'py>(
        &self,
        py: Python<'py>,
        envelope: &Bound<'py, PyAny>,
        reference: &str,
        descriptor: Option<&Bound<'py, PyAny>>,
        media_type: Option<&str>,
        user_metadata: Option<&Bound<'py, PyAny>>,
        at: Option<&Bound<'py, PyAny>>,
        revocation: Option<&Bound<'py, RevocationEvidence>>,
        all_signatures: bool,
    ) -> PyResult<Bound<'py, Outcome>> {
        let outcome = Bound::new(
            py,
            self.verify(
                py,
                envelope,
                reference,
                descriptor,
                media_type,
                user_metadata,
                at,
                revocation,
                all_signatures,
                None,
                None,
                false,
            )?,
        )?;
        Outcome::raise_unless_verified(&outcome)?;
        Ok(outcome)
    }

    /// Verifies an artifact with several envelopes, as `notation verify` does: they are tried
    /// in order (at most `max_signatures`) until one verifies. With `all_signatures=True`
    /// every one is evaluated and listed with its checks; the verdict is the same.
    #[pyo3(signature = (reference, envelopes, *, descriptor = None, media_type = None, user_metadata = None, at = None, max_signatures = None, revocation = None, all_signatures = false, exceptions = None, retired = None, warn_only = false))]
    #[allow(clippy::too_many_arguments)]
    fn verify_artifact(
        &self,
        py: Python<'_>,
        reference: &str,
        envelopes: &Bound<'_, PyAny>,
        descriptor: Option<&Bound<'_, PyAny>>,
        media_type: Option<&str>,
        user_metadata: Option<&Bound<'_, PyAny>>,
        at: Option<&Bound<'_, PyAny>>,
        max_signatures: Option<usize>,
        revocation: Option<&Bound<'_, RevocationEvidence>>,
        all_signatures: bool,
        exceptions: Option<&Bound<'_, Exceptions>>,
        retired: Option<&Bound<'_, RetiredMaterial>>,
        warn_only: bool,
    ) -> PyResult<Outcome> {
        let rollout = rollout::options(exceptions, retired, warn_only);
        let options = rollout.verify_options(
            Options::convert(user_metadata, at, revocation, all_signatures)?.verify_options(max_signatures),
        );
        let request = artifact_request(reference, envelopes, descriptor, media_type, options)?;
        let verifier = &*self.inner;
        let result = detached(py, || {
            verifier.verify_artifact(&request.reference, &request.target, &request.signatures, &request.options)
        })?;
        outcome(py, result, &rollout, &request.signatures, request.options.at)
    }

    /// `verify_artifact` for many artifacts at once, verified in parallel with the GIL released.
    ///
    /// Each item is a mapping of `verify_artifact`'s per-artifact arguments: `reference`,
    /// `envelopes`, and optionally `descriptor`, `media_type`, `user_metadata`, `max_signatures`;
    /// `at` and `revocation` apply to every item. `threads` is the number of worker threads
    /// (default: one per CPU). Returns one result per item, in order: its `Outcome`, or the
    /// `NotaverifyError` `verify_artifact` would raise for it (returned, not raised; the other
    /// items still verify). An item of the wrong shape raises `TypeError` naming it, before
    /// anything is verified.
    #[pyo3(signature = (items, *, threads = None, at = None, revocation = None, all_signatures = false))]
    fn verify_many<'py>(
        &self,
        py: Python<'py>,
        items: &Bound<'py, PyAny>,
        threads: Option<usize>,
        at: Option<&Bound<'py, PyAny>>,
        revocation: Option<&Bound<'py, RevocationEvidence>>,
        all_signatures: bool,
    ) -> PyResult<Bound<'py, PyList>> {
        if threads == Some(0) {
            return Err(invalid_input(py, "threads must be at least 1 (None: one per CPU)"));
        }
        let shared = Options::convert(None, at, revocation, all_signatures)?;
        let request_error = Exc::Base.class(py)?;
        // Per item, in order: None when its request is in `batch`, else the error its conversion
        // raised.
        let mut conversion_errors = Vec::new();
        let mut batch = Vec::new();
        for (index, item) in items.try_iter()?.enumerate() {
            match batch_request(&item?, &shared) {
                Ok(request) => {
                    batch.push(request);
                    conversion_errors.push(None);
                }
                Err(e) if e.is_instance(py, request_error) => conversion_errors.push(Some(e)),
                Err(e) => return Err(in_item(py, index, e)),
            }
        }
        let options = BatchOptions { threads, ..BatchOptions::default() };
        let verifier = &*self.inner;
        let mut verified = detached(py, || verifier.verify_many_with(&batch, &options))?.into_iter();
        let results = conversion_errors
            .into_iter()
            .map(|conversion_error| {
                let result = match conversion_error {
                    Some(e) => Err(e),
                    None => {
                        verified.next().expect("the core returns one result per item").map_err(|e| core_err(py, &e))
                    }
                };
                match result {
                    Ok(inner) => Ok(Bound::new(py, Outcome::from(inner))?.into_any()),
                    Err(e) => Ok(e.into_value(py).into_bound(py).into_any()),
                }
            })
            .collect::<PyResult<Vec<_>>>()?;
        PyList::new(py, results)
    }

    /// Scans OCI layouts and JSON-lines batch files as `notaverify scan` does: every artifact
    /// verified with every signature evaluated, classified under `exceptions` and `retired` at
    /// `at` (default: now), on `threads` worker threads (default: one per CPU). `layouts` are
    /// `(dir, scope)` pairs, `batches` paths; `only` keeps the artifacts of those repositories,
    /// `tagged_only` the layouts' tagged manifests; `warn_only` is `scan --warn-only` (the
    /// summary says so, its exit status is 0). Every input is checked first (a bad one raises
    /// here, before anything is verified); the returned iterator yields each artifact as its
    /// chunk is classified, and calls `on_progress(done, total)` as they verify. `workloads`
    /// are `(path, source)` pairs, `scan --workloads FILE --workloads-source NAME` (`None`: the
    /// file name); `previous` is `scan --previous OLD.jsonl`.
    #[pyo3(signature = (layouts = Vec::new(), batches = Vec::new(), *, exceptions = None, retired = None, at = None, threads = None, on_progress = None, only = Vec::new(), tagged_only = false, warn_only = false, workloads = Vec::new(), previous = None))]
    #[allow(clippy::too_many_arguments)]
    fn scan(
        &self,
        py: Python<'_>,
        layouts: Vec<(PathBuf, String)>,
        batches: Vec<PathBuf>,
        exceptions: Option<&Bound<'_, Exceptions>>,
        retired: Option<&Bound<'_, RetiredMaterial>>,
        at: Option<&Bound<'_, PyAny>>,
        threads: Option<usize>,
        on_progress: Option<Py<PyAny>>,
        only: Vec<String>,
        tagged_only: bool,
        warn_only: bool,
        workloads: Vec<(PathBuf, Option<String>)>,
        previous: Option<PathBuf>,
    ) -> PyResult<crate::scan::ScanIterator> {
        let request = crate::scan::ScanRequest {
            layouts,
            batches,
            only,
            tagged_only,
            at: convert::time(at)?,
            threads,
            warn_only,
            workloads,
            previous,
        };
        crate::scan::start(
            py,
            Arc::clone(&self.inner),
            request,
            exceptions,
            retired,
            on_progress.filter(|f| !f.is_none(py)),
        )
    }

    /// Verifies a target inside an OCI image layout directory: `reference` is a tag or a
    /// digest in the layout, `scope` the `registry/repository` that selects the policy
    /// statement. The signatures are the layout's notation signature manifests whose subject is
    /// the target.
    #[pyo3(signature = (path, *, reference, scope, user_metadata = None, at = None, max_signatures = None, revocation = None, all_signatures = false, exceptions = None, retired = None, warn_only = false))]
    #[allow(clippy::too_many_arguments)]
    fn verify_oci_layout(
        &self,
        py: Python<'_>,
        path: &Bound<'_, PyAny>,
        reference: &str,
        scope: &str,
        user_metadata: Option<&Bound<'_, PyAny>>,
        at: Option<&Bound<'_, PyAny>>,
        max_signatures: Option<usize>,
        revocation: Option<&Bound<'_, RevocationEvidence>>,
        all_signatures: bool,
        exceptions: Option<&Bound<'_, Exceptions>>,
        retired: Option<&Bound<'_, RetiredMaterial>>,
        warn_only: bool,
    ) -> PyResult<Outcome> {
        let dir = convert::path(path, "path")?;
        let rollout = rollout::options(exceptions, retired, warn_only);
        let options = rollout.verify_options(
            Options::convert(user_metadata, at, revocation, all_signatures)?.verify_options(max_signatures),
        );
        let verifier = &*self.inner;
        // The layout's envelopes are kept: classification re-reads them to recognise retired
        // material.
        let result = detached(py, || -> CoreResult<_> {
            let layout = OciLayout::open(&dir)?;
            let item = verifier.oci_layout_item(&layout, &TagOrDigest::parse(reference)?, scope, &options)?;
            let outcome = verifier.verify_artifact(&item.reference, &item.target, &item.signatures, &item.options)?;
            Ok((outcome, item.signatures))
        })?;
        let (result, signatures) = match result {
            Ok((outcome, signatures)) => (Ok(outcome), signatures),
            Err(e) => (Err(e), Vec::new()),
        };
        outcome(py, result, &rollout, &signatures, options.at)
    }

    /// Verifies a detached blob signature as `notation blob verify` does. `blob` is bytes or a
    /// file path; `policy_name` picks the blob policy statement (default: the global one);
    /// `blob_media_type`, when given, must be the media type the signature names.
    #[pyo3(signature = (blob, envelope, *, name = None, policy_name = None, blob_media_type = None, media_type = None, user_metadata = None, at = None, revocation = None, all_signatures = false))]
    #[allow(clippy::too_many_arguments)]
    fn verify_blob(
        &self,
        py: Python<'_>,
        blob: &Bound<'_, PyAny>,
        envelope: &Bound<'_, PyAny>,
        name: Option<String>,
        policy_name: Option<String>,
        blob_media_type: Option<String>,
        media_type: Option<&str>,
        user_metadata: Option<&Bound<'_, PyAny>>,
        at: Option<&Bound<'_, PyAny>>,
        revocation: Option<&Bound<'_, RevocationEvidence>>,
        all_signatures: bool,
    ) -> PyResult<Outcome> {
        let (data, blob_path) = match convert::bytes_like(blob)? {
            Some(data) => (data, None),
            None => {
                let p = convert::path(blob, "blob")?;
                let read = detached(py, || notaverify::loader::read_blob_file(&p))?;
                (Data::Owned(or_raise(py, read)?), Some(p))
            }
        };
        let signature = signature_input(envelope, media_type, EnvelopeFile::Blob)?;
        let name =
            name.or_else(|| blob_path.as_ref().map(|p| p.display().to_string())).unwrap_or_else(|| "blob".to_owned());
        let options = BlobOptions {
            policy_name,
            media_type: blob_media_type,
            verify: Options::convert(user_metadata, at, revocation, all_signatures)?.verify_options(None),
        };
        let data: &[u8] = &data;
        let verifier = &*self.inner;
        let result = detached(py, || verifier.verify_blob(&name, data, &signature, &options))?;
        Ok(Outcome::from(or_raise(py, result)?))
    }

    fn __repr__(&self) -> String {
        "Verifier(...)".to_owned()
    }
}

/// Hidden, for `bench/`: verifies the same envelope `n` times in a Rust loop (no Python in
/// between) and returns the seconds taken, to compare with `n` calls of `Verifier.verify`.
#[pyfunction]
#[pyo3(signature = (verifier, envelope, *, reference, n, at = None))]
pub fn _bench_verify_native(
    py: Python<'_>,
    verifier: &Bound<'_, Verifier>,
    envelope: &Bound<'_, PyAny>,
    reference: &str,
    n: usize,
    at: Option<&Bound<'_, PyAny>>,
) -> PyResult<f64> {
    let signature = signature_input(envelope, None, EnvelopeFile::Artifact)?;
    let target = target(reference, None)?;
    let options = Options::convert(None, at, None, false)?.verify_options(None);
    let verifier = &*verifier.get().inner;
    let elapsed = detached(py, || -> CoreResult<f64> {
        let start = std::time::Instant::now();
        for _ in 0..n {
            let outcome = verifier.verify(reference, &target, &signature, &options)?;
            std::hint::black_box(&outcome);
        }
        Ok(start.elapsed().as_secs_f64())
    })?;
    or_raise(py, elapsed)
}

/// Hidden, for tests: panics inside the same guard the verify methods use, to show that an
/// internal failure surfaces as `NotaverifyError(code="INTERNAL")`.
#[pyfunction]
pub fn _fault_injection_panic(py: Python<'_>) -> PyResult<()> {
    detached(py, || -> () { panic!("fault injection") })
}
