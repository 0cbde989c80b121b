//! How posture results read, whichever command shows them: an exception's deadline as a
//! phrase, the warnings a classification gives people, and the posture members of a `verify`
//! JSON document.

use notaverify::posture::{self, Class, Classification};
use serde_json::{Value, json};

/// Human sentence for an exception's remaining time: `days_left` whole days (see
/// `posture::days_until`; negative once expired) of an exception that is `in_force` or not. Exact
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

/// Warnings for people about a classification (excepted passes, expired exceptions).
pub fn classification_warnings(c: &Classification) -> Vec<String> {
    let mut out = Vec::new();
    if let (Class::Excepted, Some(e)) = (c.class, &c.exception) {
        out.push(format!(
            "{} is out of policy ({}{}) but is excepted until {} ({}) by the exception for {} (owner: {}; reason: {})",
            c.reference,
            c.underlying.map_or("failed", Class::as_str),
            c.check.as_deref().map(|k| format!(": {k}")).unwrap_or_default(),
            e.expires,
            days_phrase(e.days_left, true),
            e.scope,
            e.owner,
            e.reason
        ));
    }
    for e in &c.expired_exceptions {
        out.push(format!(
            "the exception for {} (owner: {}) expired on {} ({}) and was not applied to {}",
            e.scope,
            e.owner,
            e.expires,
            days_phrase(e.days_left, false),
            c.reference
        ));
    }
    for e in &c.uncovered_exceptions {
        let names: Vec<&str> = e.classes.iter().map(|k| k.as_str()).collect();
        out.push(format!(
            "the exception for {} (owner: {}) excuses only {} and was not applied to {} ({})",
            e.scope,
            e.owner,
            names.join(", "),
            c.reference,
            c.class
        ));
    }
    out
}

/// Adds the posture members to a `verify` JSON document.
pub fn add_posture_fields(doc: &mut Value, c: &Classification, warn_only: bool) {
    let Some(obj) = doc.as_object_mut() else {
        return;
    };
    if c.class == Class::RetiredSigner {
        // Never report a retired signer as verified.
        obj.insert("verified".into(), Value::Bool(false));
    }
    obj.insert("class".into(), json!(c.class));
    obj.insert("inPolicy".into(), json!(c.in_policy));
    obj.insert("excepted".into(), json!(c.class == Class::Excepted));
    obj.insert("exception".into(), json!(c.exception));
    obj.insert("expiredExceptions".into(), json!(c.expired_exceptions));
    obj.insert("posture".into(), json!(c));
    if warn_only {
        let report = posture::warn_report(c);
        obj.insert("warnOnly".into(), Value::Bool(true));
        obj.insert("wouldFail".into(), json!(report.would_fail));
        obj.insert("logged".into(), json!(report.logged));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use notaverify::Time;
    use notaverify::posture::days_until;

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
