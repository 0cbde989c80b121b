//! Outcomes for JavaScript. The objects a caller gets have the outcome document
//! (docs/schema/outcome.schema.json) as their enumerable own members: `JSON.stringify(outcome)` is
//! what `notaverify verify -o json` prints for the same input, absent values `null` as in JSON.
//! The conveniences the document does not carry (`skipped`, `loggedFailures`, `exitStatus`,
//! `classification`, `policy.custom`) are read-only and not enumerable, so `JSON.stringify`,
//! spreading and `structuredClone` leave them out.
//!
//! The types below say what those objects are (they are `index.d.ts`'s). They cross the boundary
//! as one string of fields (`Outcome::write`), and `outcome.js` (evaluated when the addon loads)
//! builds the objects from it: building them member by member through Node-API cost about 10 µs
//! an outcome, half an RSA-2048 verification (bench/bench.mjs; docs/node.md, "Cost").

use crate::json::{WriteJson, positional};
use crate::rollout::{Classification, Rollout, plain_exit_status};
use napi::bindgen_prelude::{Env, Function, JsObjectValue, Object, ToNapiValue, Unknown, sys};
use napi_derive::napi;
use std::collections::BTreeMap;
use std::io::Write;

/// The result of one check of one signature.
#[napi(object, object_from_js = false, object_to_js = false, use_nullable = true)]
pub struct CheckResult {
    /// Which check.
    #[napi(
        js_name = "type",
        ts_type = "'integrity' | 'authenticity' | 'authenticTimestamp' | 'expiry' | 'revocation'"
    )]
    pub check: String,
    /// What the policy does with a failure of this check.
    #[napi(ts_type = "'enforce' | 'log' | 'skip'")]
    pub action: String,
    /// Whether the check passed.
    pub passed: bool,
    /// Why it failed.
    pub error: Option<String>,
}

/// The signing (leaf) certificate of a signature.
#[napi(object, object_from_js = false, object_to_js = false, use_nullable = true)]
pub struct Signer {
    /// Subject DN, as notation prints it.
    pub subject: String,
    /// Issuer DN.
    pub issuer: String,
    /// Lower-case hex SHA-256 of the certificate's DER.
    pub sha256_fingerprint: String,
}

/// The outcome of one signature envelope.
#[napi(object, object_from_js = false, object_to_js = false, use_nullable = true)]
pub struct SignatureOutcome {
    /// The sha256 digest of the envelope (or of its signature manifest in an OCI layout).
    pub digest: Option<String>,
    /// `application/jose+json` or `application/cose`.
    pub media_type: String,
    /// True when no enforced check failed and nothing else failed.
    pub verified: bool,
    /// The checks that ran, in notation's order; skipped checks are absent.
    pub checks: Vec<CheckResult>,
    /// The leaf certificate, once the chain parsed.
    pub signer: Option<Signer>,
    /// The signing time (RFC 3339), from the signed attributes.
    pub signing_time: Option<String>,
    /// The signed annotations of the target.
    pub user_metadata: BTreeMap<String, String>,
    /// What made the signature fail: a check name, `verificationPlugin` or `userMetadata`.
    #[napi(
        ts_type = "'integrity' | 'authenticity' | 'authenticTimestamp' | 'expiry' | 'revocation' | 'verificationPlugin' | 'userMetadata'"
    )]
    pub failure: Option<String>,
    /// The message of that failure.
    pub error: Option<String>,
    /// The checks that failed with action `log`: what enforcement would have blocked.
    /// Non-enumerable: not in the JSON document (where they are the `checks` with action `log`
    /// and `passed: false`).
    #[napi(readonly)]
    pub logged_failures: Vec<CheckResult>,
}

/// The trust policy statement that applied.
#[napi(object, object_from_js = false, object_to_js = false, use_nullable = true)]
pub struct PolicySummary {
    /// The statement's name.
    pub name: String,
    /// Its verification level.
    #[napi(ts_type = "'strict' | 'permissive' | 'audit' | 'skip'")]
    pub level: String,
    /// True when the statement overrides actions of its level. Non-enumerable: not in the JSON
    /// document.
    #[napi(readonly)]
    pub custom: bool,
}

/// Why an artifact as a whole failed.
#[napi(object, object_from_js = false, object_to_js = false, use_nullable = true)]
pub struct ArtifactError {
    /// A stable code.
    #[napi(ts_type = "'NO_SIGNATURE' | 'MAX_SIGNATURES_EXCEEDED' | 'VERIFICATION_FAILED'")]
    pub code: String,
    /// A sentence for people.
    pub message: String,
}

/// The outcome of verifying an artifact or a blob with its signatures. A failed verification is
/// an outcome with `verified: false`, not an exception; check `verified`.
///
/// `JSON.stringify(outcome)` is the outcome document (docs/schema/outcome.schema.json), the
/// same the CLI prints with `-o json`; `skipped` and `loggedFailures` are not part of it.
#[napi(object, object_from_js = false, object_to_js = false, use_nullable = true)]
pub struct Outcome {
    /// The artifact reference (or blob name) verified.
    pub reference: String,
    /// True when one signature verified, or the policy level is `skip`.
    pub verified: bool,
    /// The statement that applied.
    pub policy: Option<PolicySummary>,
    /// Every signature tried, in order; verification stops at the first that verifies.
    pub signatures: Vec<SignatureOutcome>,
    /// Why the artifact failed; `null` when it verified.
    pub error: Option<ArtifactError>,
    /// True when the policy level is `skip`: nothing was verified, by configuration
    /// (`verified` is true). Non-enumerable: not in the JSON document.
    #[napi(readonly)]
    pub skipped: bool,
    /// The `loggedFailures` of the signature that verified, else of the last one tried.
    /// Non-enumerable: not in the JSON document.
    #[napi(readonly)]
    pub logged_failures: Vec<CheckResult>,
    /// The class under the rollout options (`exceptions`, `retired`, `warnOnly`); `null` when
    /// the verification was given none. With it, `JSON.stringify(outcome)` is the document
    /// `notaverify verify -o json` prints with the same rollout flags. Non-enumerable.
    #[napi(readonly)]
    pub classification: Option<Classification>,
    /// The exit status `notaverify verify` gives this outcome: with rollout options, 0 in policy
    /// (or any evaluated verdict with `warnOnly`) and 1 out of policy; without, 0 verified and
    /// 1 not. Non-enumerable.
    #[napi(readonly)]
    pub exit_status: u8,
    /// With rollout options, the CLI's document (what `toJSON` returns, parsed).
    #[napi(skip_typescript)]
    pub document: Option<String>,
}

positional!(CheckResult: check, action, passed, error);
positional!(Signer: subject, issuer, sha256_fingerprint);
positional!(SignatureOutcome: digest, media_type, verified, checks, signer, signing_time, user_metadata, failure, error, logged_failures);
positional!(ArtifactError: code, message);

/// The separator of the fields of an outcome's text: JSON text escapes it, and [`write_text`]
/// writes a field that contains it as JSON, so it only separates.
const SEPARATOR: u8 = 0;

/// A string field of an outcome's text: as is, unless it contains the separator or starts with
/// a quotation mark; then as a JSON string, which `outcome.js` recognises by that first mark.
fn write_text(out: &mut Vec<u8>, s: &str) {
    if s.as_bytes().contains(&SEPARATOR) || s.starts_with('"') {
        s.write_json(out);
    } else {
        out.extend_from_slice(s.as_bytes());
    }
}

/// An outcome crosses to JavaScript as one string of six fields separated by NUL, read by
/// `outcome.js`, which builds the documented object from it:
///
/// 1. flags: `verified` (`1`/`0`), `skipped` (`1`/`0`), the policy (`-` none, else its
///    `custom` as `1`/`0`), then `exitStatus` in decimal;
/// 2. to 4. the reference, the policy's name and its level ([`write_text`]);
/// 5. empty when there is no artifact error, no logged failure and no rollout, else the
///    positional JSON (each struct as the array of its fields in declaration order) of
///    `[error, loggedFailures, rollout]`, `rollout` being `null` or `[classification,
///    document]` (the classification with its members named);
/// 6. the positional JSON of `signatures`, parsed on first access only.
///
/// The common outcome thus needs no `JSON.parse` to be built, which costs more than the rest of
/// the object (bench/bench.mjs).
impl ToNapiValue for Outcome {
    unsafe fn to_napi_value(env: sys::napi_env, o: Self) -> napi::Result<sys::napi_value> {
        let mut text = Vec::with_capacity(1024);
        o.write(&mut text).map_err(|e| napi::Error::from_reason(format!("outcome: {e}")))?;
        if text.is_ascii() {
            // Most outcomes are ASCII: as Latin-1 the engine copies the bytes, where UTF-8 it
            // decodes them.
            let mut value = std::ptr::null_mut();
            // SAFETY: `env` is live (the ToNapiValue contract) and `text` outlives the call,
            // which copies it.
            let status =
                unsafe { sys::napi_create_string_latin1(env, text.as_ptr().cast(), text.len() as isize, &mut value) };
            return match status {
                sys::Status::napi_ok => Ok(value),
                _ => Err(napi::Error::from_reason("outcome: cannot create the string")),
            };
        }
        let text = String::from_utf8(text).map_err(|e| napi::Error::from_reason(format!("outcome: {e}")))?;
        unsafe { String::to_napi_value(env, text) }
    }
}

impl Outcome {
    /// Writes the text [`Outcome`] crosses as.
    fn write(&self, out: &mut Vec<u8>) -> serde_json::Result<()> {
        let flag = |b: bool| if b { b'1' } else { b'0' };
        out.extend_from_slice(&[
            flag(self.verified),
            flag(self.skipped),
            self.policy.as_ref().map_or(b'-', |p| flag(p.custom)),
        ]);
        write!(out, "{}", self.exit_status).map_err(serde_json::Error::io)?;
        out.push(SEPARATOR);
        write_text(out, &self.reference);
        out.push(SEPARATOR);
        write_text(out, self.policy.as_ref().map_or("", |p| &p.name));
        out.push(SEPARATOR);
        write_text(out, self.policy.as_ref().map_or("", |p| &p.level));
        out.push(SEPARATOR);
        let rollout = self.classification.as_ref().zip(self.document.as_ref());
        if self.error.is_some() || !self.logged_failures.is_empty() || rollout.is_some() {
            out.push(b'[');
            self.error.write_json(out);
            out.push(b',');
            self.logged_failures.write_json(out);
            out.push(b',');
            // The classification, with its members named, is serde's.
            serde_json::to_writer(&mut *out, &rollout)?;
            out.push(b']');
        }
        out.push(SEPARATOR);
        self.signatures.write_json(out);
        Ok(())
    }
}

/// The checks of `s` that failed with action `log`.
fn logged_failures(s: &notaverify::SignatureOutcome) -> Vec<CheckResult> {
    s.logged_failures().map(CheckResult::from).collect()
}

impl From<&notaverify::CheckResult> for CheckResult {
    fn from(r: &notaverify::CheckResult) -> Self {
        Self {
            check: r.check.as_str().to_owned(),
            action: r.action.as_str().to_owned(),
            passed: r.passed,
            error: r.error.clone(),
        }
    }
}

impl From<&notaverify::SignatureOutcome> for SignatureOutcome {
    fn from(s: &notaverify::SignatureOutcome) -> Self {
        Self {
            digest: s.digest.clone(),
            media_type: s.media_type.clone(),
            verified: s.verified,
            checks: s.checks.iter().map(CheckResult::from).collect(),
            signer: s.signer.as_ref().map(|x| Signer {
                subject: x.subject.clone(),
                issuer: x.issuer.clone(),
                sha256_fingerprint: x.sha256_fingerprint.clone(),
            }),
            signing_time: s.signing_time.map(|t| t.to_rfc3339()),
            user_metadata: s.user_metadata.clone(),
            failure: s.failure.map(|f| f.as_str().to_owned()),
            error: s.error.clone(),
            logged_failures: logged_failures(s),
        }
    }
}

impl From<&notaverify::ArtifactOutcome> for Outcome {
    fn from(o: &notaverify::ArtifactOutcome) -> Self {
        Self {
            reference: o.reference.clone(),
            verified: o.verified,
            policy: o.policy.as_ref().map(|p| PolicySummary {
                name: p.name.clone(),
                level: p.level.as_str().to_owned(),
                custom: p.custom,
            }),
            signatures: o.signatures.iter().map(SignatureOutcome::from).collect(),
            error: o.error.as_ref().map(|e| ArtifactError { code: e.code.to_owned(), message: e.message.clone() }),
            skipped: o.skipped(),
            logged_failures: o.verified_signature().or(o.signatures.last()).map(logged_failures).unwrap_or_default(),
            classification: None,
            exit_status: plain_exit_status(o),
            document: None,
        }
    }
}

impl Outcome {
    /// The outcome of `o`, classified when rollout options were given.
    pub(crate) fn classified(o: &notaverify::ArtifactOutcome, rollout: Option<Rollout>) -> Self {
        let mut outcome = Self::from(o);
        if let Some(r) = rollout {
            outcome.classification = Some(r.classification);
            outcome.exit_status = r.exit_status;
            outcome.document = Some(r.document);
        }
        outcome
    }
}

/// When the addon loads: `outcome.js` wraps the `Verifier` methods that return outcomes (their
/// native forms return the text [`Outcome`] converts to), so every caller gets the objects.
pub(crate) fn install(env: &Env, exports: &Object<'_>) -> napi::Result<()> {
    let install: Function<'_, Unknown<'_>, Unknown<'_>> = env.run_script(include_str!("outcome.js"))?;
    install.call(exports.get_named_property("Verifier")?)?;
    Ok(())
}
