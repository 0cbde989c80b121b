//! Authentic timestamp from an RFC 3161 countersignature (§8.4–§8.5 of the digest): the token
//! must cover the envelope's signature, verify to a root of the policy's `tsa` stores at its own
//! time, have a TSA chain that passes notation's timestamping rules and is not revoked, and its
//! time range must lie inside every signing certificate's validity.

use super::context::Context;
use super::revocation::check_timestamping_chain;
use crate::StoreType;
use crate::envelope::Envelope;
use crate::timestamp::TimestampToken;
use crate::x509::{self, Certificate};

/// Called when the policy requires a timestamp (a `tsa` store is configured and
/// `verifyTimestamp` asks for it).
pub(crate) fn check(ctx: &Context<'_>, envelope: &Envelope, chain: &[Certificate]) -> Result<(), String> {
    let bytes = match &envelope.unsigned.timestamp_signature {
        Some(t) if !t.is_empty() => t,
        _ => return Err("no timestamp countersignature was found in the signature envelope".into()),
    };
    let token = TimestampToken::parse(bytes)
        .map_err(|e| format!("failed to parse timestamp countersignature with error: {e}"))?;
    let info = token.tst_info().map_err(|e| format!("failed to get the timestamp TSTInfo with error: {e}"))?;
    let timestamp = info
        .validate(&envelope.signature)
        .map_err(|e| format!("failed to get timestamp from timestamp countersignature with error: {e}"))?;

    let names =
        ctx.named_stores(StoreType::Tsa).map_err(|e| format!("failed to load tsa trust store with error: {e}"))?;
    let roots: Vec<Certificate> =
        names.iter().flat_map(|name| ctx.store.certificates(StoreType::Tsa, name)).cloned().collect();
    if roots.is_empty() {
        return Err("no trusted TSA certificate found in trust store".into());
    }
    let tsa_chain = token.verify_at(&roots, timestamp.gen_time).map_err(|e| {
        format!("failed to verify the timestamp countersignature with error: failed to verify signed token: {e}")
    })?;
    x509::validate_timestamping_chain(&tsa_chain)
        .map_err(|e| format!("failed to validate the timestamping certificate chain with error: {e}"))?;

    for cert in chain {
        if !timestamp.bounded_after(cert.not_before()) {
            return Err(format!(
                "timestamp can be before certificate {:?} validity period, it will be valid from {:?}",
                cert.subject(),
                cert.not_before().to_rfc1123z()
            ));
        }
        if !timestamp.bounded_before(cert.not_after()) {
            return Err(format!(
                "timestamp can be after certificate {:?} validity period, it was expired at {:?}",
                cert.subject(),
                cert.not_after().to_rfc1123z()
            ));
        }
    }
    check_timestamping_chain(&tsa_chain, ctx.revocation, ctx.at)
}
