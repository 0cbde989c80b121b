//! `inspectOciLayout` and `inspect` (and their `...Async` forms): what an artifact's signatures
//! claim, read with no trust policy or trust store (`notaverify inspect`). The results are plain
//! objects whose members are the core's document in its order: `JSON.stringify(inspection)` is
//! `ArtifactInspection::to_json`, what `notaverify inspect -o json` prints without its `error`.

use crate::convert::signature_inputs;
use crate::errors::{Result, error, guarded, or_throw, thrown, to_js};
use napi::Task;
use napi::bindgen_prelude::{AbortSignal, AsyncTask, Env, Uint8Array};
use napi_derive::napi;
use notaverify::inspect::{self, ArtifactInspection};
use notaverify::loader::TagOrDigest;
use notaverify::{ErrorKind, SignatureInput};
use std::collections::BTreeMap;
use std::path::PathBuf;

/// One certificate as people identify it (as the envelope carries it: not verified).
#[napi(object, object_from_js = false, use_nullable = true)]
pub struct CertificateSummary {
    /// The subject DN, as notation prints it.
    pub subject: String,
    /// The issuer DN.
    pub issuer: String,
    /// Lower-case hex SHA-256 of the certificate's DER (what trust stores name).
    pub sha256_fingerprint: String,
    /// The serial number, lower-case hex.
    pub serial_number: String,
    /// Start of validity (RFC 3339).
    pub not_before: String,
    /// End of validity (RFC 3339).
    pub not_after: String,
}

/// What an RFC 3161 timestamp countersignature claims (not verified).
#[napi(object, object_from_js = false, use_nullable = true)]
pub struct TimestampSummary {
    /// The subject DN of the TSA's signing certificate, when the token carries it.
    pub tsa_subject: Option<String>,
    /// The time the TSA asserts (`genTime`, RFC 3339).
    pub gen_time: Option<String>,
    /// Why the token (or a part of it) could not be read.
    pub error: Option<String>,
}

/// The signed target descriptor; `annotations` is absent when there are none, as in the core's
/// document.
#[napi(object, object_from_js = false)]
pub struct SignedTarget {
    pub media_type: String,
    /// `<algorithm>:<hex>`.
    pub digest: String,
    /// The size in bytes.
    pub size: i64,
    pub annotations: Option<BTreeMap<String, String>>,
}

/// What one signature claims. Nothing is verified: the signer is the one the envelope names.
/// When the signature (or a part of it) cannot be read, `error` says why and the members it
/// could not read are `null` or empty.
#[napi(object, object_from_js = false, use_nullable = true)]
pub struct SignatureInspection {
    /// The signature manifest's digest in an OCI layout, the sha256 of the envelope otherwise.
    pub digest: Option<String>,
    /// `application/jose+json` or `application/cose`.
    pub media_type: String,
    /// The signing scheme.
    #[napi(ts_type = "'notary.x509' | 'notary.x509.signingAuthority'")]
    pub signing_scheme: Option<String>,
    /// `io.cncf.notary.signingTime` (scheme `notary.x509`; RFC 3339).
    pub signing_time: Option<String>,
    /// `io.cncf.notary.authenticSigningTime` (scheme `notary.x509.signingAuthority`).
    pub authentic_signing_time: Option<String>,
    /// `io.cncf.notary.expiry`.
    pub expiry: Option<String>,
    /// The signature algorithm, as notation names it (`ES256`, `PS384`, ...).
    pub signature_algorithm: Option<String>,
    /// The leaf certificate: the signer the envelope claims.
    pub signer: Option<CertificateSummary>,
    /// The whole certificate chain, leaf first.
    pub certificate_chain: Vec<CertificateSummary>,
    /// The signed target descriptor.
    pub target: Option<SignedTarget>,
    /// The signed user metadata (the target's annotations).
    pub user_metadata: BTreeMap<String, String>,
    /// `io.cncf.notary.signingAgent` (unsigned, informational).
    pub signing_agent: Option<String>,
    /// The timestamp countersignature, if any.
    pub timestamp: Option<TimestampSummary>,
    /// Why the signature (or a part of it) could not be read.
    pub error: Option<String>,
}

/// Every signature of one artifact and what each claims; nothing in it is verified.
/// `JSON.stringify(inspection)` is what `notaverify inspect -o json` prints, without its `error`.
#[napi(object, object_from_js = false, use_nullable = true)]
pub struct Inspection {
    /// `<dir>@<digest>` for a layout, else the reference given.
    pub reference: Option<String>,
    /// One entry per signature, in the order of the layout or of the envelopes given.
    pub signatures: Vec<SignatureInspection>,
}

impl From<&inspect::CertificateSummary> for CertificateSummary {
    fn from(c: &inspect::CertificateSummary) -> Self {
        Self {
            subject: c.subject.clone(),
            issuer: c.issuer.clone(),
            sha256_fingerprint: c.sha256_fingerprint.clone(),
            serial_number: c.serial_number.clone(),
            not_before: c.not_before.to_rfc3339(),
            not_after: c.not_after.to_rfc3339(),
        }
    }
}

impl From<&inspect::SignatureInspection> for SignatureInspection {
    fn from(s: &inspect::SignatureInspection) -> Self {
        Self {
            digest: s.digest.clone(),
            media_type: s.media_type.clone(),
            signing_scheme: s.signing_scheme.map(|scheme| scheme.as_str().to_owned()),
            signing_time: s.signing_time.map(|t| t.to_rfc3339()),
            authentic_signing_time: s.authentic_signing_time.map(|t| t.to_rfc3339()),
            expiry: s.expiry.map(|t| t.to_rfc3339()),
            signature_algorithm: s.signature_algorithm.clone(),
            signer: s.signer.as_ref().map(CertificateSummary::from),
            certificate_chain: s.certificate_chain.iter().map(CertificateSummary::from).collect(),
            target: s.target.as_ref().map(|t| SignedTarget {
                media_type: t.media_type.clone(),
                digest: t.digest.clone(),
                size: t.size,
                annotations: (!t.annotations.is_empty()).then(|| t.annotations.clone()),
            }),
            user_metadata: s.user_metadata.clone(),
            signing_agent: s.signing_agent.clone(),
            timestamp: s.timestamp.as_ref().map(|t| TimestampSummary {
                tsa_subject: t.tsa_subject.clone(),
                gen_time: t.gen_time.map(|g| g.to_rfc3339()),
                error: t.error.clone(),
            }),
            error: s.error.clone(),
        }
    }
}

impl From<&ArtifactInspection> for Inspection {
    fn from(i: &ArtifactInspection) -> Self {
        Self {
            reference: i.reference.clone(),
            signatures: i.signatures.iter().map(SignatureInspection::from).collect(),
        }
    }
}

/// Options of `inspect`.
#[napi(object, object_to_js = false)]
#[derive(Default)]
pub struct InspectOptions {
    /// The artifact the envelopes belong to (`registry/repository@<digest>`), reported as given;
    /// not checked against the envelopes.
    pub reference: Option<String>,
    /// The envelope media type of every envelope (`application/jose+json`, `application/cose`,
    /// or `jws` / `cose`); by default inferred from the bytes, as the verify methods do.
    pub media_type: Option<String>,
}

/// One inspection, converted and ready to run on any thread.
enum Job {
    Layout { dir: PathBuf, reference: TagOrDigest },
    Envelopes { reference: Option<String>, signatures: Vec<SignatureInput> },
}

impl Job {
    fn layout(dir: String, reference: &str) -> Result<Self> {
        Ok(Self::Layout { dir: PathBuf::from(dir), reference: or_throw(TagOrDigest::parse(reference))? })
    }

    fn envelopes(envelopes: &[Uint8Array], options: Option<InspectOptions>) -> Result<Self> {
        let o = options.unwrap_or_default();
        Ok(Self::Envelopes {
            reference: o.reference,
            signatures: signature_inputs(envelopes, o.media_type.as_deref())?,
        })
    }

    fn run(&self) -> Result<ArtifactInspection> {
        guarded(|| match self {
            Self::Layout { dir, reference } => or_throw(inspect::inspect_oci_layout(dir, reference)),
            Self::Envelopes { reference, signatures } => Ok(ArtifactInspection::new(reference.clone(), signatures)),
        })
    }
}

/// An inspection on the libuv thread pool; its Promise resolves to the inspection, or rejects
/// with the same coded error the synchronous function throws.
pub struct InspectTask {
    /// The converted request (or why it could not be converted), taken when it runs.
    job: Option<Result<Job>>,
}

#[napi]
impl Task for InspectTask {
    type Output = Result<ArtifactInspection>;
    type JsValue = Inspection;

    fn compute(&mut self) -> napi::Result<Self::Output> {
        Ok(match self.job.take() {
            Some(job) => job.and_then(|job| job.run()),
            None => Err(error(ErrorKind::Internal, "the inspection ran twice")),
        })
    }

    fn resolve(&mut self, env: Env, output: Self::Output) -> napi::Result<Inspection> {
        output.map(|i| Inspection::from(&i)).map_err(|e| to_js(&env, e))
    }
}

fn spawn(job: Result<Job>, signal: Option<AbortSignal>) -> AsyncTask<InspectTask> {
    AsyncTask::with_optional_signal(InspectTask { job: Some(job) }, signal)
}

/// Lists every notation signature of the artifact `reference` (a tag, or a `sha256:...` digest)
/// of the OCI image layout in the directory `dir`, found as `Verifier.verifyOciLayout` finds them;
/// none is verified. A signature that cannot be read is listed with its `error`. Throws `LOAD`
/// when the layout cannot be read or does not hold `reference`, `INVALID_INPUT` for a malformed
/// tag or digest.
#[napi]
pub fn inspect_oci_layout(env: Env, dir: String, reference: String) -> napi::Result<Inspection> {
    thrown(&env, Job::layout(dir, &reference).and_then(|job| job.run()).map(|i| Inspection::from(&i)))
}

/// `inspectOciLayout` on the libuv thread pool (the layout is read there too).
#[napi]
pub fn inspect_oci_layout_async(dir: String, reference: String, signal: Option<AbortSignal>) -> AsyncTask<InspectTask> {
    spawn(Job::layout(dir, &reference), signal)
}

/// Lists what each of `envelopes` claims, as `notaverify inspect --signature FILE...` does. An
/// envelope that cannot be parsed is listed with its `error`; bytes that look like neither a JWS
/// nor a COSE envelope, with no `mediaType`, throw `ENVELOPE` as the verify methods do.
#[napi(js_name = "inspect")]
pub fn inspect_envelopes(
    env: Env,
    envelopes: Vec<Uint8Array>,
    options: Option<InspectOptions>,
) -> napi::Result<Inspection> {
    thrown(&env, Job::envelopes(&envelopes, options).and_then(|job| job.run()).map(|i| Inspection::from(&i)))
}

/// `inspect` on the libuv thread pool.
#[napi]
pub fn inspect_async(
    envelopes: Vec<Uint8Array>,
    options: Option<InspectOptions>,
    signal: Option<AbortSignal>,
) -> AsyncTask<InspectTask> {
    spawn(Job::envelopes(&envelopes, options), signal)
}

/// Hidden, for tests: the core's own JSON of a layout inspection (`ArtifactInspection::to_json`),
/// to compare with `JSON.stringify` of the inspection object.
#[napi(skip_typescript)]
#[cfg_attr(test, allow(dead_code))] // called from JavaScript only
pub fn inspect_core_json(dir: String, reference: String) -> Result<String> {
    Job::layout(dir, &reference)?.run().map(|i| i.to_json())
}
