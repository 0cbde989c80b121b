//! What a signature says about itself, read without a trust policy or trust store: the inventory
//! of the sign-only rollout phase ("who signs what") and `notation inspect`.
//!
//! Nothing here is verified: the envelope's header rules are applied (an envelope that breaks
//! them is reported as unreadable, with the reason), but no signature, chain, trust anchor or
//! time is checked. A signer named here is the signer the envelope *claims*; only
//! [`crate::Verifier`] says whether to believe it.

use crate::Error;
use crate::SignatureInput;
use crate::envelope::{Descriptor, Envelope};
use crate::loader::{OciLayout, TagOrDigest};
use crate::timestamp::TimestampToken;
use crate::x509::Certificate;
use crate::{SigningScheme, Time};
use serde::Serialize;
use std::collections::BTreeMap;
use std::path::Path;

/// Every signature of one artifact, in the order given.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct ArtifactInspection {
    /// The artifact reference, when known: `<dir>@<digest>` for a layout, or what the caller
    /// named (`registry/repository@digest`).
    pub reference: Option<String>,
    /// One entry per signature.
    pub signatures: Vec<SignatureInspection>,
}

impl ArtifactInspection {
    /// Reads each of `signatures`; one that cannot be read is listed with its error.
    pub fn new(reference: Option<String>, signatures: &[SignatureInput]) -> Self {
        Self { reference, signatures: signatures.iter().map(inspect).collect() }
    }

    /// The inspection as the JSON document `notaverify inspect -o json` prints.
    pub fn to_json(&self) -> String {
        serde_json::to_string(self)
            .unwrap_or_else(|e| format!("{{\"error\":{{\"code\":\"INTERNAL\",\"message\":{:?}}}}}", e.to_string()))
    }
}

/// Every notation signature of the artifact `reference` (a tag or a digest) of the OCI layout at
/// `dir`, found as verification finds them (`index.json`, nested indexes, every signature form),
/// with no trust policy. The reported reference is `<dir>@<digest>`.
pub fn inspect_oci_layout(dir: &Path, reference: &TagOrDigest) -> Result<ArtifactInspection, Error> {
    let layout = OciLayout::open(dir)?;
    let target = layout.resolve(reference)?;
    let signatures = layout.signatures_for(&target)?;
    Ok(ArtifactInspection::new(Some(format!("{}@{}", dir.display(), target.digest)), &signatures))
}

/// What one signature claims. The envelope's members are `None` when it could not be read, and
/// `error` says why.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct SignatureInspection {
    /// The digest of the signature manifest (or envelope), when known.
    pub digest: Option<String>,
    /// The envelope media type.
    pub media_type: String,
    /// `notary.x509` or `notary.x509.signingAuthority`.
    pub signing_scheme: Option<SigningScheme>,
    /// `io.cncf.notary.signingTime` (scheme `notary.x509`).
    pub signing_time: Option<Time>,
    /// `io.cncf.notary.authenticSigningTime` (scheme `notary.x509.signingAuthority`).
    pub authentic_signing_time: Option<Time>,
    /// `io.cncf.notary.expiry`.
    pub expiry: Option<Time>,
    /// The envelope's signature algorithm, as notation names it (e.g. `ECDSA-SHA-256`).
    pub signature_algorithm: Option<String>,
    /// The leaf certificate (the claimed signer).
    pub signer: Option<CertificateSummary>,
    /// The whole certificate chain, leaf first.
    pub certificate_chain: Vec<CertificateSummary>,
    /// The signed target descriptor.
    pub target: Option<Descriptor>,
    /// The signed user metadata (the target descriptor's annotations).
    pub user_metadata: BTreeMap<String, String>,
    /// `io.cncf.notary.signingAgent`, as written (unsigned, informational).
    pub signing_agent: Option<String>,
    /// The RFC 3161 timestamp countersignature, if any.
    pub timestamp: Option<TimestampSummary>,
    /// Why the signature could not be read.
    pub error: Option<String>,
}

/// One certificate as people identify it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct CertificateSummary {
    /// The subject DN, as notation prints it.
    pub subject: String,
    /// The issuer DN.
    pub issuer: String,
    /// SHA-256 of the DER certificate, lowercase hex (what trust stores and `retired.json` name).
    pub sha256_fingerprint: String,
    /// The serial number, lowercase hex.
    pub serial_number: String,
    /// Start of validity.
    pub not_before: Time,
    /// End of validity.
    pub not_after: Time,
}

impl CertificateSummary {
    fn of(certificate: &Certificate) -> Self {
        Self {
            subject: certificate.subject(),
            issuer: certificate.issuer(),
            sha256_fingerprint: certificate.sha256_fingerprint(),
            serial_number: certificate.serial_hex(),
            not_before: certificate.not_before(),
            not_after: certificate.not_after(),
        }
    }
}

/// What a timestamp token claims: the time and who asserts it. `error` says why the token (or a
/// part of it) could not be read.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct TimestampSummary {
    /// The TSA's signing certificate's subject DN, when the token carries that certificate.
    pub tsa_subject: Option<String>,
    /// The TSTInfo `genTime`.
    pub gen_time: Option<Time>,
    /// Why the token could not be read.
    pub error: Option<String>,
}

fn inspect(input: &SignatureInput) -> SignatureInspection {
    let mut inspection = SignatureInspection {
        digest: input.digest.clone(),
        media_type: input.media_type.clone(),
        signing_scheme: None,
        signing_time: None,
        authentic_signing_time: None,
        expiry: None,
        signature_algorithm: None,
        signer: None,
        certificate_chain: Vec::new(),
        target: None,
        user_metadata: BTreeMap::new(),
        signing_agent: None,
        timestamp: None,
        error: input.delivery_error.clone(),
    };
    if inspection.error.is_some() {
        return inspection;
    }
    let envelope = match Envelope::parse(&input.media_type, &input.envelope) {
        Ok(envelope) => envelope,
        Err(e) => {
            inspection.error = Some(e.to_string());
            return inspection;
        }
    };
    let signed = &envelope.signed;
    inspection.signing_scheme = Some(signed.signing_scheme);
    inspection.signing_time = signed.signing_time;
    inspection.authentic_signing_time = signed.authentic_signing_time;
    inspection.expiry = signed.expiry;
    inspection.signature_algorithm = Some(signed.algorithm.to_string());
    inspection.signing_agent = envelope.unsigned.signing_agent.clone();
    inspection.timestamp = envelope.unsigned.timestamp_signature.as_deref().map(timestamp_summary);
    let mut problems = Vec::new();
    for (index, der) in envelope.unsigned.certificate_chain.iter().enumerate() {
        match Certificate::from_der(der) {
            Ok(certificate) => {
                let summary = CertificateSummary::of(&certificate);
                if index == 0 {
                    inspection.signer = Some(summary.clone());
                }
                inspection.certificate_chain.push(summary);
            }
            Err(e) => problems.push(format!("certificate {index} of the chain: {e}")),
        }
    }
    match envelope.target() {
        Ok(target) => {
            inspection.user_metadata = target.annotations.clone();
            inspection.target = Some(target);
        }
        Err(e) => problems.push(format!("payload: {e}")),
    }
    if !problems.is_empty() {
        inspection.error = Some(problems.join("; "));
    }
    inspection
}

fn timestamp_summary(token: &[u8]) -> TimestampSummary {
    let token = match TimestampToken::parse(token) {
        Ok(token) => token,
        Err(e) => return TimestampSummary { tsa_subject: None, gen_time: None, error: Some(e.to_string()) },
    };
    // The certificate the (first) SignerInfo names; verification requires exactly one.
    let signer = token.signer_infos.first().and_then(|s| token.certificate_by_issuer_serial(&s.issuer, &s.serial));
    let tsa_subject = signer.map(Certificate::subject);
    match token.tst_info() {
        Ok(info) => TimestampSummary { tsa_subject, gen_time: Some(info.gen_time), error: None },
        Err(e) => TimestampSummary { tsa_subject, gen_time: None, error: Some(e.to_string()) },
    }
}
