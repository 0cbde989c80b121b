//! Authentic timestamp from an RFC 3161 countersignature (§8.4–§8.5 of the digest).

use super::workflow::Context;
use crate::envelope::Envelope;
use crate::x509::Certificate;

/// Called when the policy requires a timestamp (a `tsa` store is configured and
/// `verifyTimestamp` asks for it).
pub(crate) fn check(_ctx: &Context<'_>, envelope: &Envelope, _chain: &[Certificate]) -> Result<(), String> {
    match &envelope.unsigned.timestamp_signature {
        None => Err("no timestamp countersignature was found in the signature envelope".into()),
        Some(t) if t.is_empty() => Err("no timestamp countersignature was found in the signature envelope".into()),
        Some(_) => Err("timestamp countersignature verification is not supported yet".into()),
    }
}
