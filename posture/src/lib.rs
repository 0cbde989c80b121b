//! Rollout and posture: what platform teams need beyond a single verdict while they move from
//! sign-only to verify-warn to verify-enforce.
//!
//! * [`exceptions`]: a documented exceptions file (version 1). Each exception names one
//!   repository or one artifact, has an owner, a reason and a mandatory deadline; it applies
//!   only to a failing artifact it names and only before its deadline.
//! * [`retired`]: retired trust material (stores or certificates, with the date retired). It
//!   is never trusted, but recognised, so a signature anchored there is a "retired signer"
//!   rather than an "unknown signer".
//! * [`classify()`]: one class per artifact (verified, unsigned, unknownSigner, retiredSigner,
//!   invalidSignature, expired, failed, excepted, skippedByPolicy) computed from an
//!   [`notaverify::ArtifactOutcome`], and the warn-mode report. The CLI's `verify --warn-only`,
//!   `verify --exceptions`, and `scan` all use these functions, and so can the bindings.
//! * [`rollout`]: reading the exceptions and retired files as `verify` does ([`Rollout`]), the
//!   rollout options of a binding's verify call ([`RolloutOptions`]), and
//!   [`document`]: `verify`'s JSON document with the rollout members, and its exit status.
//! * [`scan`]: layouts and batch files verified, classified and counted in chunks, handed over
//!   as they are classified ([`Scan`]): the engine of `notaverify scan`.
//! * [`workloads`]: what is deployed (Kubernetes, Container Apps, App Service exports), each
//!   workload container resolved to a scanned artifact and given its class.
//! * [`rollup`]: a scan per source, and its progress since a previous scan.
//! * [`report`]: the summary line of a scan and its HTML report, as every front end shows them.
//!
//! Nothing here changes how a signature is verified: the verdict is always the
//! [`notaverify::Verifier`]'s; classification only reads it (and re-reads a signature's certificate
//! chain to recognise retired material). The only way this module turns a failure into a pass is
//! an exception that is in force.

pub mod background;
mod class;
pub mod classify;
pub mod document;
pub mod exceptions;
mod hash;
pub mod report;
pub mod retired;
pub mod rollout;
pub mod rollup;
pub mod scan;
pub mod workloads;

pub use classify::{
    AppliedException, Class, Classification, LoggedFailure, PostureContext, WarnReport, WouldFail, classify,
    warn_report,
};
pub use exceptions::{Exception, ExceptionScope, Exceptions};
pub use retired::{RetiredDeclaration, RetiredMatch, RetiredMaterial, RetiredSource};
pub use rollout::{Classified, LoadError, Rollout, RolloutOptions};
pub use scan::{Scan, ScanError, ScanInputs, ScanOptions, ScanSummary, ScannedArtifact};

use notaverify::Time;

/// Seconds in a day.
const DAY: i64 = 86_400;

/// Parses a deadline or retirement date: `YYYY-MM-DD` (midnight UTC starting that day) or an
/// RFC 3339 date-time.
pub(crate) fn parse_date(value: &str) -> Option<Time> {
    let b = value.as_bytes();
    let is_date = b.len() == 10
        && b.iter().enumerate().all(|(i, c)| if i == 4 || i == 7 { *c == b'-' } else { c.is_ascii_digit() });
    if is_date {
        return Time::parse_rfc3339(&format!("{value}T00:00:00Z")).ok();
    }
    Time::parse_rfc3339(value).ok()
}

/// Whole days from `at` to `deadline`, rounded toward the deadline: while `at` is before it, the
/// whole days left (0 on its last day, down to one second before it); once it has passed, minus
/// the whole days since (0 on the day it passed). Exceptions report it as `daysLeft`.
pub fn days_until(at: Time, deadline: Time) -> i64 {
    let secs = deadline.unix_seconds().saturating_sub(at.unix_seconds());
    if secs > 0 { secs / DAY } else { -(secs.saturating_neg() / DAY) }
}

/// Human sentence for an exception's remaining time: `days_left` whole days (see
/// [`days_until`]; negative once expired) of an exception that is `in_force` or not. Exact
/// at the boundaries: one second before the deadline is "0 days left", the deadline itself
/// "expired today".
pub fn days_phrase(days_left: i64, in_force: bool) -> String {
    if in_force {
        return match days_left {
            1 => "1 day left".into(),
            d => format!("{d} days left"),
        };
    }
    match -days_left {
        d if d <= 0 => "expired today".into(),
        1 => "expired 1 day ago".into(),
        d => format!("expired {d} days ago"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_and_days() {
        let d = parse_date("2025-09-30").unwrap();
        assert_eq!(d.to_rfc3339(), "2025-09-30T00:00:00Z");
        assert!(parse_date("2025-9-30").is_none());
        assert!(parse_date("2025-13-01").is_none());
        assert!(parse_date("tomorrow").is_none());
        assert_eq!(parse_date("2025-09-30T12:00:00Z").unwrap().to_rfc3339(), "2025-09-30T12:00:00Z");
        let at = parse_date("2025-09-20").unwrap();
        assert_eq!(days_until(at, d), 10);
        assert_eq!(days_until(at.saturating_add_secs(1), d), 9);
        assert_eq!(days_until(d.saturating_add_secs(-1), d), 0, "23:59:59 on the last day");
        assert_eq!(days_until(d, d), 0, "the deadline itself");
        assert_eq!(days_until(d.saturating_add_secs(DAY - 1), d), 0);
        assert_eq!(days_until(d.saturating_add_secs(DAY), d), -1);
        assert_eq!(days_until(d.saturating_add_secs(3 * DAY), d), -3);
    }

    #[test]
    fn deadline_wording_is_exact_at_the_boundaries() {
        let deadline = Time::parse_rfc3339("2025-09-30T00:00:00Z").unwrap();
        let phrase = |at: &str| {
            let at = Time::parse_rfc3339(at).unwrap();
            days_phrase(days_until(at, deadline), at < deadline)
        };
        assert_eq!(phrase("2025-09-28T00:00:00Z"), "2 days left");
        assert_eq!(phrase("2025-09-28T00:00:01Z"), "1 day left");
        assert_eq!(phrase("2025-09-29T23:59:59Z"), "0 days left");
        assert_eq!(phrase("2025-09-30T00:00:00Z"), "expired today");
        assert_eq!(phrase("2025-09-30T23:59:59Z"), "expired today");
        assert_eq!(phrase("2025-10-01T00:00:00Z"), "expired 1 day ago");
        assert_eq!(phrase("2025-10-03T12:00:00Z"), "expired 3 days ago");
    }
}
