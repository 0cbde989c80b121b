//! `TrustPolicy`, `BlobTrustPolicy`, `TrustStore` and `Verifier`: each wraps the core type and
//! only converts arguments; every decision is the core's.

use crate::convert::{self, Descriptor, StringMap, Text, TimeArg, signature_input, signature_inputs};
use crate::errors::{Error, ErrorValue, Result, core_err, error, guarded, invalid_input, or_throw, thrown, to_js};
use crate::outcome::Outcome;
use crate::revocation::{EvidenceArg, RevocationEvidence, evidence};
use crate::rollout::{Arg, RolloutOptions};
use napi::Task;
use napi::bindgen_prelude::{
    AbortSignal, AsyncTask, ClassInstance, Either, Either3, Env, Function, JsObjectValue, Object, Uint8Array,
    Uint8ArraySlice,
};
use napi_derive::napi;
use notaverify::loader::{OciLayout, TagOrDigest};
use notaverify::{ArtifactOutcome, BlobOptions, ErrorKind, SignatureInput, StoreType, VerifyOptions};
use notaverify_posture as posture;
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// A JSON document: text, UTF-8 bytes, or an already parsed object (serialized with
/// `JSON.stringify`).
pub(crate) fn json_bytes(env: &Env, document: Either3<String, Uint8Array, Object<'_>>) -> Result<Vec<u8>> {
    match document {
        Either3::A(text) => Ok(text.into_bytes()),
        Either3::B(bytes) => Ok(bytes.to_vec()),
        Either3::C(object) => {
            let stringify = || -> napi::Result<String> {
                let json: Object<'_> = env.get_global()?.get_named_property("JSON")?;
                let f: Function<'_, Object<'_>, String> = json.get_named_property("stringify")?;
                f.call(object)
            };
            stringify()
                .map(String::into_bytes)
                .map_err(|e| error(ErrorKind::InvalidInput, format!("document: {}", e.reason)))
        }
    }
}

/// An OCI trust policy document (`trustpolicy.oci.json`), validated when parsed.
#[napi]
pub struct TrustPolicy {
    pub(crate) inner: notaverify::TrustPolicyDocument,
}

#[napi]
impl TrustPolicy {
    /// Parses and validates a trust policy from JSON text, UTF-8 bytes, or a parsed object.
    /// Throws `POLICY` when it is invalid.
    #[napi(factory)]
    pub fn from_json(env: Env, document: Either3<String, Uint8Array, Object<'_>>) -> napi::Result<Self> {
        let parsed = json_bytes(&env, document).and_then(|data| {
            guarded(|| or_throw(notaverify::TrustPolicyDocument::from_json(&data).map_err(notaverify::Error::from)))
        });
        Ok(Self { inner: thrown(&env, parsed)? })
    }

    /// Reads and validates a trust policy file (a regular file; `LOAD` otherwise).
    #[napi(factory)]
    pub fn from_file(env: Env, path: String) -> napi::Result<Self> {
        let parsed = guarded(|| or_throw(notaverify::loader::read_trust_policy(Path::new(&path))));
        Ok(Self { inner: thrown(&env, parsed)? })
    }
}

/// A blob trust policy document (`trustpolicy.blob.json`), validated when parsed.
#[napi]
pub struct BlobTrustPolicy {
    pub(crate) inner: notaverify::BlobTrustPolicyDocument,
}

#[napi]
impl BlobTrustPolicy {
    /// Parses and validates a blob trust policy from JSON text, UTF-8 bytes, or a parsed object.
    #[napi(factory)]
    pub fn from_json(env: Env, document: Either3<String, Uint8Array, Object<'_>>) -> napi::Result<Self> {
        let parsed = json_bytes(&env, document).and_then(|data| {
            guarded(|| or_throw(notaverify::BlobTrustPolicyDocument::from_json(&data).map_err(notaverify::Error::from)))
        });
        Ok(Self { inner: thrown(&env, parsed)? })
    }

    /// Reads and validates a blob trust policy file.
    #[napi(factory)]
    pub fn from_file(env: Env, path: String) -> napi::Result<Self> {
        let parsed = guarded(|| or_throw(notaverify::loader::read_blob_trust_policy(Path::new(&path))));
        Ok(Self { inner: thrown(&env, parsed)? })
    }
}

/// Named trust stores of X.509 certificates (`ca`, `signingAuthority`, `tsa`).
#[napi]
pub struct TrustStore {
    pub(crate) inner: notaverify::TrustStore,
}

#[napi]
impl TrustStore {
    /// An empty trust store.
    #[napi(constructor)]
    #[allow(clippy::new_without_default)]
    pub fn new() -> Self {
        Self { inner: notaverify::TrustStore::new() }
    }

    /// Adds the PEM or DER certificates in `certificates` to the store `type:name`; returns how
    /// many were added. Throws `TRUST_STORE` for an unknown type or a bad certificate.
    #[napi(ts_args_type = "type: 'ca' | 'signingAuthority' | 'tsa', name: string, certificates: Uint8Array")]
    pub fn add(&mut self, env: Env, r#type: String, name: String, certificates: Uint8Array) -> napi::Result<u32> {
        let inner = &mut self.inner;
        let added = StoreType::from_name(&r#type)
            .ok_or_else(|| {
                error(
                    ErrorKind::TrustStore,
                    format!("unknown trust store type {type:?} (expected \"ca\", \"signingAuthority\" or \"tsa\")"),
                )
            })
            .and_then(|store_type| {
                guarded(|| or_throw(inner.add(store_type, &name, &certificates).map_err(notaverify::Error::from)))
            });
        Ok(u32::try_from(thrown(&env, added)?).unwrap_or(u32::MAX))
    }

    /// Loads every named store of the notation configuration directory `path` (the directory
    /// that holds `truststore/`: `<path>/truststore/x509/<ca|signingAuthority|tsa>/<name>/`),
    /// with notation's file rules.
    #[napi(factory)]
    pub fn from_config_dir(env: Env, path: String) -> napi::Result<Self> {
        let loaded = guarded(|| or_throw(notaverify::loader::load_all_trust_stores(Path::new(&path))));
        Ok(Self { inner: thrown(&env, loaded)? })
    }

    /// The same as `fromConfigDir`, which names what it takes: the configuration directory, not
    /// a trust store folder.
    ///
    /// @deprecated Use `TrustStore.fromConfigDir`; `fromDir` is removed in the next release.
    #[napi(factory)]
    pub fn from_dir(env: Env, path: String) -> napi::Result<Self> {
        Self::from_config_dir(env, path)
    }
}

/// Options of `Verifier.fromConfigDir`.
#[napi(object, object_to_js = false)]
#[derive(Default)]
pub struct ConfigDirOptions {
    /// Revocation evidence used for every verification.
    #[napi(ts_type = "RevocationEvidence")]
    pub revocation: Option<EvidenceArg>,
}

/// Options of `verify`.
#[napi(object, object_to_js = false, js_name = "VerifyOptions")]
#[derive(Default)]
pub struct SingleOptions {
    /// The artifact's descriptor (media type, digest and size are all compared); by default only
    /// the reference's digest is.
    pub descriptor: Option<Descriptor>,
    /// The envelope media type (`application/jose+json`, `application/cose`, or `jws` / `cose`);
    /// by default inferred from the bytes.
    pub media_type: Option<String>,
    /// Annotations the signed target must carry with these values (notation's `--user-metadata`).
    #[napi(ts_type = "Record<string, string>")]
    pub user_metadata: Option<StringMap>,
    /// The verification time; default now.
    #[napi(ts_type = "Date | string")]
    pub at: Option<TimeArg>,
    /// Revocation evidence for this call, added to the verifier's.
    #[napi(ts_type = "RevocationEvidence")]
    pub revocation: Option<EvidenceArg>,
    /// Evaluate every signature even after one verified, so the outcome lists each one's
    /// checks; the verdict is the same. Default false.
    pub all_signatures: Option<bool>,
    /// Exceptions that excuse known gaps (as `notaverify verify --exceptions`): the outcome is
    /// then classified (`classification`, `exitStatus`, and the CLI's document as its JSON).
    #[napi(ts_type = "Exceptions")]
    pub exceptions: Option<Arg<posture::Exceptions>>,
    /// Retired trust material (as `--retired`); classifies the outcome too.
    #[napi(ts_type = "RetiredMaterial")]
    pub retired: Option<Arg<posture::RetiredMaterial>>,
    /// Verify-warn (as `--warn-only`): classifies the outcome, whose `exitStatus` is then 0 for
    /// any evaluated verdict and whose `classification.wouldFail` is what enforcement would
    /// block. Default false.
    pub warn_only: Option<bool>,
}

/// Options of `verifyArtifact`.
#[napi(object, object_to_js = false)]
#[derive(Default)]
pub struct ArtifactOptions {
    /// As in `VerifyOptions`.
    pub descriptor: Option<Descriptor>,
    /// As in `VerifyOptions`; applies to every envelope.
    pub media_type: Option<String>,
    /// As in `VerifyOptions`.
    #[napi(ts_type = "Record<string, string>")]
    pub user_metadata: Option<StringMap>,
    /// As in `VerifyOptions`.
    #[napi(ts_type = "Date | string")]
    pub at: Option<TimeArg>,
    /// Most signatures tried (notation's `--max-signatures`, default 100).
    pub max_signatures: Option<u32>,
    /// Revocation evidence for this call, added to the verifier's.
    #[napi(ts_type = "RevocationEvidence")]
    pub revocation: Option<EvidenceArg>,
    /// Evaluate every signature (at most `maxSignatures`) even after one verified, so the
    /// outcome lists each one's checks; the verdict is the same. Default false.
    pub all_signatures: Option<bool>,
    /// Exceptions that excuse known gaps (as `notaverify verify --exceptions`): the outcome is
    /// then classified (`classification`, `exitStatus`, and the CLI's document as its JSON).
    #[napi(ts_type = "Exceptions")]
    pub exceptions: Option<Arg<posture::Exceptions>>,
    /// Retired trust material (as `--retired`); classifies the outcome too.
    #[napi(ts_type = "RetiredMaterial")]
    pub retired: Option<Arg<posture::RetiredMaterial>>,
    /// Verify-warn (as `--warn-only`): classifies the outcome, whose `exitStatus` is then 0 for
    /// any evaluated verdict and whose `classification.wouldFail` is what enforcement would
    /// block. Default false.
    pub warn_only: Option<bool>,
}

/// Options of `verifyOciLayout`.
#[napi(object, object_to_js = false)]
pub struct OciLayoutOptions {
    /// A tag or a digest (`sha256:...`) in the layout.
    pub reference: String,
    /// The `registry/repository` that selects the policy statement (notation's `--scope`).
    pub scope: String,
    /// As in `VerifyOptions`.
    #[napi(ts_type = "Record<string, string>")]
    pub user_metadata: Option<StringMap>,
    /// As in `VerifyOptions`.
    #[napi(ts_type = "Date | string")]
    pub at: Option<TimeArg>,
    /// As in `ArtifactOptions`.
    pub max_signatures: Option<u32>,
    /// Revocation evidence for this call, added to the verifier's.
    #[napi(ts_type = "RevocationEvidence")]
    pub revocation: Option<EvidenceArg>,
    /// As in `ArtifactOptions`.
    pub all_signatures: Option<bool>,
    /// Exceptions that excuse known gaps (as `notaverify verify --exceptions`): the outcome is
    /// then classified (`classification`, `exitStatus`, and the CLI's document as its JSON).
    #[napi(ts_type = "Exceptions")]
    pub exceptions: Option<Arg<posture::Exceptions>>,
    /// Retired trust material (as `--retired`); classifies the outcome too.
    #[napi(ts_type = "RetiredMaterial")]
    pub retired: Option<Arg<posture::RetiredMaterial>>,
    /// Verify-warn (as `--warn-only`): classifies the outcome, whose `exitStatus` is then 0 for
    /// any evaluated verdict and whose `classification.wouldFail` is what enforcement would
    /// block. Default false.
    pub warn_only: Option<bool>,
}

/// Options of `verifyBlob`.
#[napi(object, object_to_js = false)]
#[derive(Default)]
pub struct BlobVerifyOptions {
    /// The name reported as the outcome's `reference` (default `blob`).
    pub name: Option<String>,
    /// The blob policy statement to use (default: the global one).
    pub policy_name: Option<String>,
    /// The media type the signature must name for the blob (notation's `--media-type`).
    pub blob_media_type: Option<String>,
    /// The envelope media type, as in `VerifyOptions`.
    pub media_type: Option<String>,
    /// As in `VerifyOptions`.
    #[napi(ts_type = "Record<string, string>")]
    pub user_metadata: Option<StringMap>,
    /// As in `VerifyOptions`.
    #[napi(ts_type = "Date | string")]
    pub at: Option<TimeArg>,
    /// Revocation evidence for this call, added to the verifier's.
    #[napi(ts_type = "RevocationEvidence")]
    pub revocation: Option<EvidenceArg>,
    /// As in `VerifyOptions`.
    pub all_signatures: Option<bool>,
}

/// The core request of `verifyArtifact` (and of each `verifyMany` item).
fn artifact_request(
    reference: String,
    envelopes: &[Uint8Array],
    descriptor: Option<Descriptor>,
    media_type: Option<&str>,
    options: VerifyOptions,
) -> Result<notaverify::BatchItem> {
    let signatures = signature_inputs(envelopes, media_type)?;
    let target = convert::target(&reference, descriptor);
    Ok(notaverify::BatchItem { reference, target, signatures, options })
}

/// One verification, converted and ready to run on any thread.
struct Job {
    kind: JobKind,
    /// Its rollout options (none for blobs).
    rollout: RolloutOptions,
}

enum JobKind {
    Artifact(notaverify::BatchItem),
    Layout { dir: PathBuf, reference: String, scope: String, options: VerifyOptions },
    Blob { name: String, blob: Uint8Array, signature: SignatureInput, options: BlobOptions },
}

impl JobKind {
    /// Verifies; for a layout, also returns the envelopes read from it.
    fn verify(&self, verifier: &notaverify::Verifier) -> Result<(ArtifactOutcome, Option<Vec<SignatureInput>>)> {
        match self {
            Self::Artifact(request) => {
                let outcome = verifier.verify_artifact(
                    &request.reference,
                    &request.target,
                    &request.signatures,
                    &request.options,
                );
                Ok((or_throw(outcome)?, None))
            }
            Self::Layout { dir, reference, scope, options } => {
                let item = or_throw(OciLayout::open(dir).and_then(|layout| {
                    verifier.oci_layout_item(&layout, &TagOrDigest::parse(reference)?, scope, options)
                }))?;
                let outcome = verifier.verify_artifact(&item.reference, &item.target, &item.signatures, &item.options);
                Ok((or_throw(outcome)?, Some(item.signatures)))
            }
            Self::Blob { name, blob, signature, options } => {
                Ok((or_throw(verifier.verify_blob(name, blob, signature, options))?, None))
            }
        }
    }
}

impl Job {
    /// Verifies, then classifies under the rollout options (classification reads the
    /// envelopes verified and the verification time).
    fn run(&self, verifier: &notaverify::Verifier) -> Result<Outcome> {
        guarded(|| {
            let (outcome, layout_signatures) = self.kind.verify(verifier)?;
            let (signatures, at) = match &self.kind {
                JobKind::Artifact(request) => (request.signatures.as_slice(), request.options.at),
                JobKind::Layout { options, .. } => (layout_signatures.as_deref().unwrap_or_default(), options.at),
                JobKind::Blob { .. } => (&[][..], None),
            };
            Ok(Outcome::classified(&outcome, self.rollout.classify(&outcome, signatures, at)))
        })
    }

    fn artifact(reference: String, envelopes: &[Uint8Array], options: Option<ArtifactOptions>) -> Result<Self> {
        let o = options.unwrap_or_default();
        let rollout = RolloutOptions::convert(o.exceptions, o.retired, o.warn_only)?;
        let options = rollout.verify_options(convert::verify_options(
            o.user_metadata,
            convert::time(o.at)?,
            o.max_signatures,
            evidence(o.revocation)?,
            o.all_signatures,
        ));
        let request = artifact_request(reference, envelopes, o.descriptor, o.media_type.as_deref(), options)?;
        Ok(Self { kind: JobKind::Artifact(request), rollout })
    }

    fn single(reference: String, envelope: &[u8], options: Option<SingleOptions>) -> Result<Self> {
        let o = options.unwrap_or_default();
        let rollout = RolloutOptions::convert(o.exceptions, o.retired, o.warn_only)?;
        let signatures = vec![signature_input(envelope, o.media_type.as_deref())?];
        let options = rollout.verify_options(convert::verify_options(
            o.user_metadata,
            convert::time(o.at)?,
            None,
            evidence(o.revocation)?,
            o.all_signatures,
        ));
        let target = convert::target(&reference, o.descriptor);
        Ok(Self { kind: JobKind::Artifact(notaverify::BatchItem { reference, target, signatures, options }), rollout })
    }

    fn layout(path: String, o: OciLayoutOptions) -> Result<Self> {
        let rollout = RolloutOptions::convert(o.exceptions, o.retired, o.warn_only)?;
        let options = rollout.verify_options(convert::verify_options(
            o.user_metadata,
            convert::time(o.at)?,
            o.max_signatures,
            evidence(o.revocation)?,
            o.all_signatures,
        ));
        let kind = JobKind::Layout { dir: PathBuf::from(path), reference: o.reference, scope: o.scope, options };
        Ok(Self { kind, rollout })
    }

    fn blob(blob: Uint8Array, envelope: &[u8], options: Option<BlobVerifyOptions>) -> Result<Self> {
        let o = options.unwrap_or_default();
        let signature = signature_input(envelope, o.media_type.as_deref())?;
        let options = BlobOptions {
            policy_name: o.policy_name,
            media_type: o.blob_media_type,
            verify: convert::verify_options(
                o.user_metadata,
                convert::time(o.at)?,
                None,
                evidence(o.revocation)?,
                o.all_signatures,
            ),
        };
        let name = o.name.unwrap_or_else(|| "blob".to_owned());
        Ok(Self { kind: JobKind::Blob { name, blob, signature, options }, rollout: RolloutOptions::default() })
    }
}

/// A verification on the libuv thread pool; its Promise resolves to the outcome, or rejects
/// with the same coded error the synchronous method throws.
pub struct VerifyTask {
    verifier: Arc<notaverify::Verifier>,
    /// The converted request, or why it could not be converted (the Promise then rejects with
    /// that error: the `...Async` methods never throw for a bad request, only for bad types).
    /// It stays here until the task is dropped on the JavaScript thread.
    job: Result<Job>,
}

#[napi]
impl Task for VerifyTask {
    type Output = Result<Outcome>;
    type JsValue = Outcome;

    fn compute(&mut self) -> napi::Result<Self::Output> {
        Ok(match &mut self.job {
            Ok(job) => job.run(&self.verifier),
            Err(e) => Err(std::mem::replace(e, error(ErrorKind::Internal, "the verification ran twice"))),
        })
    }

    fn resolve(&mut self, env: Env, output: Self::Output) -> napi::Result<Outcome> {
        output.map_err(|e| to_js(&env, e))
    }
}

/// One artifact of `verifyMany`: the arguments of `verifyArtifact`.
#[napi(object, object_to_js = false)]
pub struct BatchItem {
    /// `registry/repository@<digest>`.
    pub reference: String,
    /// The artifact's signature envelopes, tried in order.
    pub envelopes: Vec<Uint8Array>,
    /// As in `ArtifactOptions`.
    pub descriptor: Option<Descriptor>,
    /// As in `ArtifactOptions`.
    pub media_type: Option<String>,
    /// As in `ArtifactOptions`.
    #[napi(ts_type = "Record<string, string>")]
    pub user_metadata: Option<StringMap>,
    /// As in `ArtifactOptions`.
    pub max_signatures: Option<u32>,
}

/// Options of `verifyMany`.
#[napi(object, object_to_js = false)]
#[derive(Default)]
pub struct BatchOptions {
    /// Worker threads (default: one per CPU).
    pub threads: Option<i64>,
    /// The verification time of every item; default now.
    #[napi(ts_type = "Date | string")]
    pub at: Option<TimeArg>,
    /// Revocation evidence for every item, added to the verifier's.
    #[napi(ts_type = "RevocationEvidence")]
    pub revocation: Option<EvidenceArg>,
    /// As in `ArtifactOptions`, for every item.
    pub all_signatures: Option<bool>,
}

/// The result of a `verifyMany` item that could be evaluated.
#[napi(object, object_from_js = false)]
pub struct BatchOutcome {
    /// What `verifyArtifact` returns for the item.
    pub outcome: Outcome,
}

/// The result of a `verifyMany` item that could not be evaluated.
#[napi(object, object_from_js = false)]
pub struct BatchError {
    /// What `verifyArtifact` throws for the item: an `Error` with a `code` (and the deprecated
    /// `legacyCode`).
    #[napi(ts_type = "Error & { code: string, legacyCode: string }")]
    pub error: ErrorValue,
}

/// One result of `verifyMany`: `{ outcome }` or `{ error }`.
#[napi]
pub type BatchResult = Either<BatchOutcome, BatchError>;

/// A `verifyMany` call, converted and ready to run on any thread.
struct Batch {
    /// The items that converted, verified as one core batch.
    requests: Vec<notaverify::BatchItem>,
    /// Per item, in order: `None` when its request is in `requests`, else the error
    /// `verifyArtifact` throws for it.
    conversion_errors: Vec<Option<Error>>,
    threads: Option<usize>,
}

impl Batch {
    fn new(items: Vec<BatchItem>, options: Option<BatchOptions>) -> Result<Self> {
        let o = options.unwrap_or_default();
        let threads = o
            .threads
            .map(|n| {
                usize::try_from(n)
                    .ok()
                    .filter(|&n| n >= 1)
                    .ok_or_else(|| invalid_input("threads must be at least 1 (default: one per CPU)"))
            })
            .transpose()?;
        let at = convert::time(o.at)?;
        let revocation = evidence(o.revocation)?;
        let all_signatures = o.all_signatures;
        let mut requests = Vec::with_capacity(items.len());
        let mut conversion_errors = Vec::with_capacity(items.len());
        for item in items {
            let options = convert::verify_options(
                item.user_metadata,
                at,
                item.max_signatures,
                revocation.clone(),
                all_signatures,
            );
            match artifact_request(
                item.reference,
                &item.envelopes,
                item.descriptor,
                item.media_type.as_deref(),
                options,
            ) {
                Ok(request) => {
                    requests.push(request);
                    conversion_errors.push(None);
                }
                Err(e) => conversion_errors.push(Some(e)),
            }
        }
        Ok(Self { requests, conversion_errors, threads })
    }

    fn run(self, verifier: &notaverify::Verifier) -> Result<Vec<BatchResult>> {
        guarded(|| {
            let options = notaverify::BatchOptions { threads: self.threads, ..notaverify::BatchOptions::default() };
            let mut verified = verifier.verify_many_with(&self.requests, &options).into_iter();
            let results = self.conversion_errors.into_iter().map(|conversion_error| {
                let result = match conversion_error {
                    Some(e) => Err(e),
                    None => verified.next().expect("the core returns one result per item").map_err(|e| core_err(&e)),
                };
                match result {
                    Ok(outcome) => Either::A(BatchOutcome { outcome: Outcome::from(&outcome) }),
                    Err(error) => Either::B(BatchError { error: ErrorValue(error) }),
                }
            });
            Ok(results.collect())
        })
    }
}

/// A `verifyMany` batch on the libuv thread pool (its items spread over the batch's threads); its
/// Promise resolves to the results, or rejects with the error the synchronous method throws.
pub struct VerifyManyTask {
    verifier: Arc<notaverify::Verifier>,
    /// The converted call, taken when it runs.
    batch: Option<Result<Batch>>,
}

#[napi]
impl Task for VerifyManyTask {
    type Output = Result<Vec<BatchResult>>;
    type JsValue = Vec<BatchResult>;

    fn compute(&mut self) -> napi::Result<Self::Output> {
        Ok(match self.batch.take() {
            Some(batch) => batch.and_then(|b| b.run(&self.verifier)),
            None => Err(error(ErrorKind::Internal, "the verification ran twice")),
        })
    }

    fn resolve(&mut self, env: Env, output: Self::Output) -> napi::Result<Vec<BatchResult>> {
        output.map_err(|e| to_js(&env, e))
    }
}

/// Verifies notation signatures against a trust policy and a trust store, offline.
///
/// Build it once and share it: it is immutable. Every method has a synchronous form and an
/// `...Async` form that runs on the libuv thread pool and returns a Promise. A failed
/// verification is an outcome with `verified: false`; an exception means the request could not
/// be evaluated. Its `code` is the core's (`LOAD`, `POLICY`, ...), as in the CLI's JSON, Python
/// and C; `legacyCode` is the deprecated 0.1 spelling (`NOTAVERIFY_LOAD`), removed in the next
/// release.
#[napi]
pub struct Verifier {
    pub(crate) inner: Arc<notaverify::Verifier>,
}

#[napi]
impl Verifier {
    /// A verifier over `trustStore` with the OCI trust `policy` (may be `null` for blob-only use)
    /// and, in `options`, a blob trust policy and revocation evidence (copied) used for every
    /// verification.
    #[napi(
        constructor,
        ts_args_type = "policy: TrustPolicy | null | undefined, trustStore: TrustStore, options?: { blobPolicy?: BlobTrustPolicy, revocation?: RevocationEvidence }"
    )]
    pub fn new(
        env: Env,
        policy: Option<&TrustPolicy>,
        trust_store: &TrustStore,
        options: Option<Object<'_>>,
    ) -> napi::Result<Self> {
        let (blob_policy, revocation) = match options {
            Some(o) => (
                o.get::<ClassInstance<'_, BlobTrustPolicy>>("blobPolicy").map_err(|_| {
                    to_js(&env, error(ErrorKind::InvalidInput, "options.blobPolicy must be a BlobTrustPolicy"))
                })?,
                o.get::<ClassInstance<'_, RevocationEvidence>>("revocation").map_err(|_| {
                    to_js(&env, error(ErrorKind::InvalidInput, "options.revocation must be a RevocationEvidence"))
                })?,
            ),
            None => (None, None),
        };
        let mut v = notaverify::Verifier::new(trust_store.inner.clone());
        if let Some(p) = policy {
            v = v.with_oci_policy(p.inner.clone());
        }
        if let Some(p) = blob_policy {
            v = v.with_blob_policy(p.inner.clone());
        }
        if let Some(e) = revocation {
            v = v.with_revocation_evidence(e.inner.clone());
        }
        Ok(Self { inner: Arc::new(v) })
    }

    /// A verifier from a notation configuration directory (`trustpolicy.oci.json` or
    /// `trustpolicy.json`, `trustpolicy.blob.json`, `truststore/`); without `path`, notation's
    /// default (`$NOTATION_CONFIG`, `$XDG_CONFIG_HOME/notation`, `~/.config/notation`).
    /// `options.revocation` is evidence (copied) used for every verification.
    #[napi(factory)]
    pub fn from_config_dir(env: Env, path: Option<String>, options: Option<ConfigDirOptions>) -> napi::Result<Self> {
        let loaded = evidence(options.and_then(|o| o.revocation)).and_then(|revocation| {
            let verifier = guarded(|| {
                let dir = match path {
                    Some(p) => PathBuf::from(p),
                    None => or_throw(notaverify::loader::default_config_dir())?,
                };
                or_throw(notaverify::loader::load_verifier(&dir))
            })?;
            Ok(match revocation {
                Some(e) => verifier.with_revocation_evidence(e),
                None => verifier,
            })
        });
        Ok(Self { inner: Arc::new(thrown(&env, loaded)?) })
    }

    fn run(&self, env: &Env, job: Result<Job>) -> napi::Result<Outcome> {
        thrown(env, job.and_then(|job| job.run(&self.inner)))
    }

    fn spawn(&self, job: Result<Job>, signal: Option<AbortSignal>) -> AsyncTask<VerifyTask> {
        AsyncTask::with_optional_signal(VerifyTask { verifier: Arc::clone(&self.inner), job }, signal)
    }

    /// Verifies one signature envelope of the artifact `reference` (`registry/repo@sha256:...`).
    // Natively, the members of `options` (`SingleOptions`, in its order) are positional
    // arguments, which `outcome.js` reads from the object: napi reading them by name cost about
    // 1 µs a call, 5% of an RSA-2048 verification (docs/node.md, "Cost").
    #[napi(ts_args_type = "reference: string, envelope: Uint8Array, options?: VerifyOptions | undefined | null")]
    #[allow(clippy::too_many_arguments, reason = "the members of VerifyOptions, in its order")]
    pub fn verify(
        &self,
        env: Env,
        reference: Text,
        envelope: Uint8ArraySlice<'_>,
        descriptor: Option<Descriptor>,
        media_type: Option<String>,
        user_metadata: Option<StringMap>,
        at: Option<TimeArg>,
        revocation: Option<EvidenceArg>,
        all_signatures: Option<bool>,
        exceptions: Option<Arg<posture::Exceptions>>,
        retired: Option<Arg<posture::RetiredMaterial>>,
        warn_only: Option<bool>,
    ) -> napi::Result<Outcome> {
        let options = SingleOptions {
            descriptor,
            media_type,
            user_metadata,
            at,
            revocation,
            all_signatures,
            exceptions,
            retired,
            warn_only,
        };
        self.run(&env, Job::single(reference.0, &envelope, Some(options)))
    }

    /// `verify` on the libuv thread pool.
    #[napi(
        ts_args_type = "reference: string, envelope: Uint8Array, options?: VerifyOptions | undefined | null, signal?: AbortSignal | undefined | null"
    )]
    #[allow(clippy::too_many_arguments, reason = "the members of VerifyOptions, in its order")]
    pub fn verify_async(
        &self,
        reference: Text,
        envelope: Uint8ArraySlice<'_>,
        descriptor: Option<Descriptor>,
        media_type: Option<String>,
        user_metadata: Option<StringMap>,
        at: Option<TimeArg>,
        revocation: Option<EvidenceArg>,
        all_signatures: Option<bool>,
        exceptions: Option<Arg<posture::Exceptions>>,
        retired: Option<Arg<posture::RetiredMaterial>>,
        warn_only: Option<bool>,
        signal: Option<AbortSignal>,
    ) -> AsyncTask<VerifyTask> {
        let options = SingleOptions {
            descriptor,
            media_type,
            user_metadata,
            at,
            revocation,
            all_signatures,
            exceptions,
            retired,
            warn_only,
        };
        self.spawn(Job::single(reference.0, &envelope, Some(options)), signal)
    }

    /// Verifies an artifact with several envelopes, as `notation verify` does: they are tried in
    /// order (at most `maxSignatures`) until one verifies.
    #[napi]
    pub fn verify_artifact(
        &self,
        env: Env,
        reference: String,
        envelopes: Vec<Uint8Array>,
        options: Option<ArtifactOptions>,
    ) -> napi::Result<Outcome> {
        self.run(&env, Job::artifact(reference, &envelopes, options))
    }

    /// `verifyArtifact` on the libuv thread pool.
    #[napi]
    pub fn verify_artifact_async(
        &self,
        reference: String,
        envelopes: Vec<Uint8Array>,
        options: Option<ArtifactOptions>,
        signal: Option<AbortSignal>,
    ) -> AsyncTask<VerifyTask> {
        self.spawn(Job::artifact(reference, &envelopes, options), signal)
    }

    /// `verifyArtifact` for many artifacts at once, verified in parallel on `options.threads`
    /// threads (default: one per CPU); `options.at` and `options.revocation` apply to every item.
    /// Returns one result per item, in order: `{ outcome }`, or `{ error }` with the error
    /// `verifyArtifact` throws for that item (the other items still verify). Throws only for the
    /// call itself: wrong argument types, a bad `at`, `revocation` or `threads`. Blocks the event
    /// loop until the whole batch is verified; `verifyManyAsync` does not.
    #[napi(ts_return_type = "Array<BatchResult>")]
    pub fn verify_many(
        &self,
        env: Env,
        items: Vec<BatchItem>,
        options: Option<BatchOptions>,
    ) -> napi::Result<Vec<BatchResult>> {
        thrown(&env, Batch::new(items, options).and_then(|batch| batch.run(&self.inner)))
    }

    /// `verifyMany` on the libuv thread pool; rejects where `verifyMany` throws.
    #[napi(ts_return_type = "Promise<Array<BatchResult>>")]
    pub fn verify_many_async(
        &self,
        items: Vec<BatchItem>,
        options: Option<BatchOptions>,
        signal: Option<AbortSignal>,
    ) -> AsyncTask<VerifyManyTask> {
        let task = VerifyManyTask { verifier: Arc::clone(&self.inner), batch: Some(Batch::new(items, options)) };
        AsyncTask::with_optional_signal(task, signal)
    }

    /// Verifies a target of the OCI image layout directory `path`, as
    /// `notation verify --oci-layout --scope <scope> <path>:<tag>|@<digest>` does.
    #[napi]
    pub fn verify_oci_layout(&self, env: Env, path: String, options: OciLayoutOptions) -> napi::Result<Outcome> {
        self.run(&env, Job::layout(path, options))
    }

    /// `verifyOciLayout` on the libuv thread pool (the layout is read there too).
    #[napi]
    pub fn verify_oci_layout_async(
        &self,
        path: String,
        options: OciLayoutOptions,
        signal: Option<AbortSignal>,
    ) -> AsyncTask<VerifyTask> {
        self.spawn(Job::layout(path, options), signal)
    }

    /// Verifies a detached blob signature, as `notation blob verify` does.
    #[napi]
    pub fn verify_blob(
        &self,
        env: Env,
        blob: Uint8Array,
        envelope: Uint8Array,
        options: Option<BlobVerifyOptions>,
    ) -> napi::Result<Outcome> {
        self.run(&env, Job::blob(blob, &envelope, options))
    }

    /// `verifyBlob` on the libuv thread pool (the blob is hashed there, without a copy).
    #[napi]
    pub fn verify_blob_async(
        &self,
        blob: Uint8Array,
        envelope: Uint8Array,
        options: Option<BlobVerifyOptions>,
        signal: Option<AbortSignal>,
    ) -> AsyncTask<VerifyTask> {
        self.spawn(Job::blob(blob, &envelope, options), signal)
    }
}

/// Hidden, for `bench/`: `n` times, builds the core request from `envelope` (copied, and hashed
/// for the digest the outcome reports, as `verify` does) and verifies it, in a Rust loop (no
/// JavaScript in between); returns the seconds taken. What `verify` costs beyond this is the
/// conversion of its arguments and of the outcome.
#[napi(skip_typescript)]
#[cfg_attr(test, allow(dead_code))] // called from JavaScript only
pub fn bench_verify_native(
    verifier: &Verifier,
    reference: String,
    envelope: Uint8Array,
    n: u32,
    at: Option<TimeArg>,
) -> Result<f64> {
    let start = std::time::Instant::now();
    for _ in 0..n {
        let options = SingleOptions { at: at.clone(), ..SingleOptions::default() };
        let job = Job::single(reference.clone(), &envelope, Some(options))?;
        std::hint::black_box(job.run(&verifier.inner)?);
    }
    Ok(start.elapsed().as_secs_f64())
}

/// Hidden, for tests: the core's own JSON of a verification (`ArtifactOutcome::to_json`, what
/// the CLI prints), to compare with `JSON.stringify` of the outcome object.
#[napi(skip_typescript)]
#[cfg_attr(test, allow(dead_code))] // called from JavaScript only
pub fn verify_core_json(
    verifier: &Verifier,
    reference: String,
    envelope: Uint8Array,
    options: Option<SingleOptions>,
) -> Result<String> {
    let job = Job::single(reference, &envelope, options)?;
    guarded(|| job.kind.verify(&verifier.inner)).map(|(o, _)| o.to_json())
}

/// Hidden, for tests: a panic inside the guard every verification uses, to show that it
/// surfaces as an error with code `INTERNAL`.
#[napi(skip_typescript)]
#[cfg_attr(test, allow(dead_code))] // called from JavaScript only
pub fn fault_injection_panic(env: Env) -> napi::Result<()> {
    thrown(&env, guarded(|| -> Result<()> { panic!("fault injection") }))
}
