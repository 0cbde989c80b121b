//! The rollout options of the verify methods (`exceptions`, `retired`, `warnOnly`) and the
//! `classification` an outcome carries when any is given. Loading, when to classify,
//! classification, the JSON document and the exit status are the posture crate's
//! (`notaverify_posture::rollout`), exactly as `notaverify verify --exceptions F --retired F
//! [--warn-only]`; this module converts.

use crate::errors::{Error, Result, error, guarded, invalid_input, thrown};
use napi::ValueType;
use napi::bindgen_prelude::{
    ClassInstance, Either3, Env, FromNapiValue, Object, TypeName, Uint8Array, ValidateNapiValue, sys,
};
use napi_derive::napi;
use notaverify::{ArtifactOutcome, SignatureInput, Time, VerifyOptions};
use notaverify_posture::document::{self, Verdict};
/// The exit status `notaverify verify` gives an outcome without rollout options.
pub(crate) use notaverify_posture::rollout::plain_exit_status;
use notaverify_posture::{self as posture, LoadError, rollout};
use serde::Serialize;
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// A rollout file's error, with the code of the core error inside and the file named.
fn load_err(e: &LoadError) -> Error {
    error(e.error.kind(), e.to_string())
}

/// A validated exceptions file (version 1): each exception names a repository or an artifact,
/// has an owner, a reason and a deadline, and excuses only the classes it lists, before then.
#[napi]
pub struct Exceptions {
    inner: Arc<posture::Exceptions>,
}

#[napi]
impl Exceptions {
    /// Parses and validates an exceptions document: JSON text, UTF-8 bytes, or a parsed object.
    #[napi(factory)]
    pub fn from_json(env: Env, document: Either3<String, Uint8Array, Object<'_>>) -> napi::Result<Self> {
        let parsed = crate::api::json_bytes(&env, document).and_then(|data| {
            guarded(|| posture::Exceptions::from_json(&data).map_err(|e| crate::errors::core_err(&e)))
        });
        Ok(Self { inner: Arc::new(thrown(&env, parsed)?) })
    }

    /// Reads and validates an exceptions file (as `notaverify verify --exceptions FILE`).
    #[napi(factory)]
    pub fn from_file(env: Env, path: String) -> napi::Result<Self> {
        let parsed = guarded(|| rollout::read_exceptions(Path::new(&path)).map_err(|e| load_err(&e)));
        Ok(Self { inner: Arc::new(thrown(&env, parsed)?) })
    }

    /// How many exceptions it holds.
    #[napi(getter)]
    pub fn size(&self) -> u32 {
        u32::try_from(self.inner.entries().len()).unwrap_or(u32::MAX)
    }
}

/// Retired trust material: stores (`ca:<name>`, resolved from a configuration directory's trust
/// store folders) or certificate fingerprints, with the date retired. Never trusted; a signature
/// anchored there is a `retiredSigner`.
#[napi]
pub struct RetiredMaterial {
    inner: Arc<posture::RetiredMaterial>,
}

#[napi]
impl RetiredMaterial {
    /// Parses a retired trust material document (JSON text, UTF-8 bytes or a parsed object);
    /// retired stores are read from `configDir`'s trust store folders (default: notation's
    /// directory).
    #[napi(factory)]
    pub fn from_json(
        env: Env,
        document: Either3<String, Uint8Array, Object<'_>>,
        config_dir: Option<String>,
    ) -> napi::Result<Self> {
        let parsed = crate::api::json_bytes(&env, document).and_then(|data| {
            guarded(|| {
                rollout::retired_from_json(&data, config_dir.as_deref().map(Path::new)).map_err(|e| load_err(&e))
            })
        });
        Ok(Self { inner: Arc::new(thrown(&env, parsed)?) })
    }

    /// Reads a retired trust material file (as `notaverify verify --retired FILE`), its stores
    /// from `configDir` (default: notation's directory).
    #[napi(factory)]
    pub fn from_file(env: Env, path: String, config_dir: Option<String>) -> napi::Result<Self> {
        let config_dir = config_dir.map(PathBuf::from);
        let parsed =
            guarded(|| rollout::read_retired(Path::new(&path), config_dir.as_deref()).map_err(|e| load_err(&e)));
        Ok(Self { inner: Arc::new(thrown(&env, parsed)?) })
    }

    /// How many declarations it holds.
    #[napi(getter)]
    pub fn size(&self) -> u32 {
        u32::try_from(self.inner.declarations().len()).unwrap_or(u32::MAX)
    }
}

/// A rollout class in an options object: the instance's shared value, or why it is not one
/// (reported as `INVALID_INPUT` when the options are used).
pub struct Arg<T>(std::result::Result<Arc<T>, String>);

/// `Arg` for the class `$class` wrapping `$inner`, the option `$option`.
macro_rules! class_arg {
    ($class:ident, $inner:ty, $option:literal) => {
        impl TypeName for Arg<$inner> {
            fn type_name() -> &'static str {
                stringify!($class)
            }
            fn value_type() -> ValueType {
                ValueType::Object
            }
        }

        impl ValidateNapiValue for Arg<$inner> {}

        impl FromNapiValue for Arg<$inner> {
            unsafe fn from_napi_value(env: sys::napi_env, value: sys::napi_value) -> napi::Result<Self> {
                // SAFETY: the caller passes a live value of `env` (the FromNapiValue contract);
                // the class instance is checked (unwrap + type tag) before it is read.
                let instance = unsafe { ClassInstance::<$class>::from_napi_value(env, value) };
                Ok(Self(
                    instance
                        .map(|c| Arc::clone(&c.inner))
                        .map_err(|_| concat!($option, " must be ", stringify!($class)).to_owned()),
                ))
            }
        }
    };
}
class_arg!(Exceptions, posture::Exceptions, "exceptions");
class_arg!(RetiredMaterial, posture::RetiredMaterial, "retired");

/// The rollout options of one verify call, converted to the posture crate's (which decides
/// when and how an outcome is classified).
#[derive(Default)]
pub(crate) struct RolloutOptions(posture::RolloutOptions);

impl RolloutOptions {
    pub(crate) fn convert(
        exceptions: Option<Arg<posture::Exceptions>>,
        retired: Option<Arg<posture::RetiredMaterial>>,
        warn_only: Option<bool>,
    ) -> Result<Self> {
        Ok(Self(posture::RolloutOptions {
            exceptions: exceptions.map(|a| a.0.map_err(invalid_input)).transpose()?,
            retired: retired.map(|a| a.0.map_err(invalid_input)).transpose()?,
            warn_only: warn_only.unwrap_or(false),
        }))
    }

    /// The posture crate's options (a scan classifies with them).
    pub(crate) fn into_posture(self) -> posture::RolloutOptions {
        self.0
    }

    /// `options` as classification needs them.
    pub(crate) fn verify_options(&self, options: VerifyOptions) -> VerifyOptions {
        self.0.verify_options(options)
    }

    /// What a verified artifact carries, classified at the verification time; `None` when no
    /// rollout option was given.
    pub(crate) fn classify(
        &self,
        outcome: &ArtifactOutcome,
        signatures: &[SignatureInput],
        at: Option<Time>,
    ) -> Option<Rollout> {
        let classified = self.0.classify(outcome, signatures, at)?;
        Some(Rollout {
            document: classified.document(outcome).to_string(),
            exit_status: classified.exit_status(outcome),
            classification: Classification::new(&classified.classification, classified.warn_only),
        })
    }
}

/// What a classified outcome carries: its classification, the CLI's document and exit status.
pub(crate) struct Rollout {
    pub(crate) classification: Classification,
    pub(crate) document: String,
    pub(crate) exit_status: u8,
}

/// An exception as reported.
#[napi(object, object_from_js = false, object_to_js = false, use_nullable = true)]
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub struct AppliedException {
    /// The scope (`registry/repository` or `registry/repository@sha256:...`).
    pub scope: String,
    /// Why it exists.
    pub reason: String,
    /// Who owns it.
    pub owner: String,
    /// The deadline as written.
    pub expires: String,
    /// Whole days left (negative: days since it expired).
    pub days_left: i64,
    /// The classes it excuses.
    #[napi(
        ts_type = "Array<'verified' | 'unsigned' | 'unknownSigner' | 'retiredSigner' | 'invalidSignature' | 'expired' | 'failed' | 'excepted' | 'skippedByPolicy'>"
    )]
    pub classes: Vec<String>,
}

impl From<&posture::AppliedException> for AppliedException {
    fn from(e: &posture::AppliedException) -> Self {
        Self {
            scope: e.scope.clone(),
            reason: e.reason.clone(),
            owner: e.owner.clone(),
            expires: e.expires.clone(),
            days_left: e.days_left,
            classes: e.classes.iter().map(|c| c.as_str().to_owned()).collect(),
        }
    }
}

/// The retired certificate a signature's chain reaches.
#[napi(object, object_from_js = false, object_to_js = false, use_nullable = true)]
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub struct RetiredMatch {
    /// Lower-case hex SHA-256 of the retired certificate.
    pub sha256_fingerprint: String,
    /// Its subject, when known.
    pub subject: Option<String>,
    /// The declaration that retired it: `ca:<name>` or `sha256:<hex>`.
    pub declared_by: String,
    /// When it was retired, as declared.
    pub retired: String,
    /// The declaration's note.
    pub note: Option<String>,
}

/// One failure enforcement would block on.
#[napi(object, object_from_js = false, object_to_js = false, use_nullable = true)]
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub struct WouldFail {
    /// The artifact.
    pub reference: String,
    /// The class (of the artifact, or of the signature).
    #[napi(
        ts_type = "'verified' | 'unsigned' | 'unknownSigner' | 'retiredSigner' | 'invalidSignature' | 'expired' | 'failed' | 'excepted' | 'skippedByPolicy'"
    )]
    pub class: String,
    /// The signature, when the failure is a signature's.
    pub signature: Option<String>,
    /// The check, failure kind or error code.
    pub check: Option<String>,
    /// Why.
    pub reason: Option<String>,
}

/// A check that failed with action `log`.
#[napi(object, object_from_js = false, object_to_js = false, use_nullable = true)]
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub struct LoggedFailure {
    /// The signature's digest.
    pub signature: Option<String>,
    /// The check.
    #[napi(ts_type = "'integrity' | 'authenticity' | 'authenticTimestamp' | 'expiry' | 'revocation'")]
    pub check: String,
    /// Why it failed.
    pub error: Option<String>,
}

/// The class of one artifact under the rollout options, with what decided it.
#[napi(object, object_from_js = false, object_to_js = false, use_nullable = true)]
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Classification {
    /// `verified`, `unsigned`, `unknownSigner`, `retiredSigner`, `invalidSignature`, `expired`,
    /// `failed`, `excepted` or `skippedByPolicy`.
    #[napi(
        js_name = "class",
        ts_type = "'verified' | 'unsigned' | 'unknownSigner' | 'retiredSigner' | 'invalidSignature' | 'expired' | 'failed' | 'excepted' | 'skippedByPolicy'"
    )]
    pub class: String,
    /// Whether the artifact passes (verified, excepted or skippedByPolicy).
    pub in_policy: bool,
    /// For `excepted`: the class it had.
    #[napi(
        ts_type = "'verified' | 'unsigned' | 'unknownSigner' | 'retiredSigner' | 'invalidSignature' | 'expired' | 'failed' | 'excepted' | 'skippedByPolicy'"
    )]
    pub underlying: Option<String>,
    /// The check, failure kind or error code behind the class.
    pub check: Option<String>,
    /// Why, for people.
    pub reason: Option<String>,
    /// The exception in force, for `excepted`.
    pub exception: Option<AppliedException>,
    /// Exceptions that name this artifact but have expired (never applied).
    pub expired_exceptions: Vec<AppliedException>,
    /// The retired certificate, for `retiredSigner`.
    pub retired: Option<RetiredMatch>,
    /// What enforcement would block on (empty when in policy).
    pub would_fail: Vec<WouldFail>,
    /// Checks that failed with action `log`.
    pub logged: Vec<LoggedFailure>,
    /// Whether the verification ran in warn mode (`warnOnly: true`).
    pub warn_only: bool,
}

impl Classification {
    pub(crate) fn new(c: &posture::Classification, warn_only: bool) -> Self {
        let report = posture::warn_report(c);
        Self {
            class: c.class.as_str().to_owned(),
            in_policy: c.in_policy,
            underlying: c.underlying.map(|u| u.as_str().to_owned()),
            check: c.check.clone(),
            reason: c.reason.clone(),
            exception: c.exception.as_ref().map(AppliedException::from),
            expired_exceptions: c.expired_exceptions.iter().map(AppliedException::from).collect(),
            retired: c.retired.as_ref().map(|m| RetiredMatch {
                sha256_fingerprint: m.sha256_fingerprint.clone(),
                subject: m.subject.clone(),
                declared_by: m.declared_by.clone(),
                retired: m.retired.clone(),
                note: m.note.clone(),
            }),
            would_fail: report
                .would_fail
                .iter()
                .map(|w| WouldFail {
                    reference: w.reference.clone(),
                    class: w.class.as_str().to_owned(),
                    signature: w.signature.clone(),
                    check: w.check.clone(),
                    reason: w.reason.clone(),
                })
                .collect(),
            logged: report
                .logged
                .iter()
                .map(|l| LoggedFailure {
                    signature: l.signature.clone(),
                    check: l.check.as_str().to_owned(),
                    error: l.error.clone(),
                })
                .collect(),
            warn_only,
        }
    }
}

/// An error a verify method threw, as `notEvaluatedDocument` takes it.
#[napi(object, object_to_js = false)]
pub struct ThrownError {
    /// Its `code` (`LOAD`, `POLICY`, ...).
    pub code: String,
    /// Its `message`.
    pub message: String,
}

/// The document `notaverify verify -o json` prints, with the same rollout options, when the
/// request could not be evaluated: `error` is what a verify method threw. Its exit status is
/// `EXIT_NOT_EVALUATED`.
#[napi]
pub fn not_evaluated_document(reference: String, error: ThrownError, warn_only: Option<bool>) -> String {
    let verdict = Verdict::NotEvaluated { reference: &reference, code: &error.code, message: &error.message };
    document::verify_document(&verdict, warn_only.unwrap_or(false)).to_string()
}

/// Exit status: in policy (verified, excepted, skipped by policy), or any evaluated verdict
/// with `warnOnly`.
#[napi]
pub const EXIT_IN_POLICY: u8 = document::EXIT_IN_POLICY;
/// Exit status: out of policy (without rollout options: not verified).
#[napi]
pub const EXIT_OUT_OF_POLICY: u8 = document::EXIT_OUT_OF_POLICY;
/// Exit status: the request could not be evaluated (also with `warnOnly`).
#[napi]
pub const EXIT_NOT_EVALUATED: u8 = document::EXIT_NOT_EVALUATED;
