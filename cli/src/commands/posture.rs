//! Rollout options shared by `verify` and `scan`: `--warn-only`, `--exceptions FILE` and
//! `--retired FILE`, and `verify` with them. Every decision is the core's
//! (`notaverify_posture`); this module loads the files and renders.

use super::config_dir;
use crate::args::{CommonArgs, Output, VerifyArgs};
use crate::render;
use crate::render::printable::Printable as P;
use crate::verdict::{Context, EXIT_ERROR, EXIT_FAILED, EXIT_VERIFIED, Failure, Verdict};
use clap::Args;
use notaverify::Time;
use notaverify::Verifier;
use notaverify::limits::MAX_EXCEPTIONS_BYTES;
use notaverify::loader;
use notaverify_posture::{self as posture, Class, Classification, Exceptions, PostureContext, RetiredMaterial};
use serde_json::{Value, json};
use std::fmt::Write as _;
use std::path::PathBuf;

/// `--warn-only`, `--exceptions`, `--retired`.
#[derive(Debug, Args)]
pub struct PostureArgs {
    /// Evaluate the policy as written, report what enforcement would fail (JSON: "warnOnly",
    /// "wouldFail"), and exit 0 unless nothing could be evaluated (exit 2 stays).
    #[arg(long)]
    pub warn_only: bool,
    /// Exceptions file (version 1, see docs/rollout.md): a failing artifact it names passes
    /// (with a warning naming the deadline) until the exception expires.
    #[arg(long, value_name = "FILE")]
    pub exceptions: Option<PathBuf>,
    /// Retired trust material file (version 1, see docs/rollout.md): signatures anchored there
    /// are "retired signer", never trusted.
    #[arg(long, value_name = "FILE")]
    pub retired: Option<PathBuf>,
}

impl PostureArgs {
    /// True when any posture option is given.
    pub fn requested(&self) -> bool {
        self.warn_only || self.exceptions.is_some() || self.retired.is_some()
    }
}

/// The loaded posture files.
#[derive(Debug, Default)]
pub struct Loaded {
    /// The exceptions, if `--exceptions` was given.
    pub exceptions: Option<Exceptions>,
    /// The retired material, if `--retired` was given.
    pub retired: Option<RetiredMaterial>,
    /// Warnings about the configuration (retired material still in a trusted store).
    pub warnings: Vec<String>,
}

impl Loaded {
    /// The context classification reads.
    pub fn context(&self, at: Time) -> PostureContext<'_> {
        PostureContext { retired: self.retired.as_ref(), exceptions: self.exceptions.as_ref(), at }
    }
}

/// Loads `--exceptions` and `--retired`; retired stores come from the configuration directory's
/// trust store folders. `verifier` (its OCI policy and trust store, as loaded) is used to warn about
/// retired certificates still trusted.
pub fn load(args: &PostureArgs, common: &CommonArgs, verifier: Option<&Verifier>) -> Result<Loaded, Failure> {
    let mut loaded = Loaded::default();
    if let Some(path) = &args.exceptions {
        let bytes = loader::read_file(path, "exceptions file", MAX_EXCEPTIONS_BYTES)?;
        loaded.exceptions =
            Some(Exceptions::from_json(&bytes).context(|| format!("exceptions file {}", path.display()))?);
    }
    if let Some(path) = &args.retired {
        let bytes = loader::read_file(path, "retired trust material file", MAX_EXCEPTIONS_BYTES)?;
        let mut retired =
            RetiredMaterial::from_json(&bytes).context(|| format!("retired trust material file {}", path.display()))?;
        let stores = retired.stores();
        if !stores.is_empty() {
            let dir = config_dir(common)?;
            let store = loader::load_trust_store(&dir, &stores).context(|| "retired trust stores".into())?;
            retired.resolve_stores(&store).context(|| format!("retired trust material file {}", path.display()))?;
        }
        if let Some(verifier) = verifier
            && let Some(policy) = verifier.oci_policy()
        {
            let named = loader::named_stores(Some(policy), None);
            for (store, m) in retired.still_in(verifier.trust_store(), &named) {
                loaded.warnings.push(format!(
                    "the retired certificate {} ({}) is still in the trust store {store} that the policy names; it is not trusted, remove it",
                    m.subject.as_deref().unwrap_or("?"),
                    m.sha256_fingerprint
                ));
            }
        }
        loaded.retired = Some(retired);
    }
    Ok(loaded)
}

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

/// `verify` with posture options: the usual verification, then classification, exceptions and
/// warn mode. Returns (stdout, stderr, exit status).
pub fn verify(args: &VerifyArgs) -> (String, String, u8) {
    let at = args.verification.at.unwrap_or_else(Time::now);
    let warn_only = args.posture.warn_only;
    let loaded = load(&args.posture, &args.common, None);
    let loaded = match loaded {
        Ok(l) => l,
        Err(failure) => {
            let verdict = Verdict { reference: args.reference.clone(), result: Err(failure), warnings: Vec::new() };
            return render_plain(&verdict, args.common.output, warn_only);
        }
    };
    let ctx = loaded.context(at);
    let (verdict, inputs) = super::verify::run_with(args, |options| ctx.verify_options(options));
    let (reference, result) = match &verdict.result {
        Ok(outcome) => (outcome.reference.clone(), Ok(outcome.clone())),
        Err(_) => return render_plain(&verdict, args.common.output, warn_only),
    };
    let classification = posture::classify(&reference, &result, &inputs, &ctx);
    let mut warnings = loaded.warnings.clone();
    warnings.extend(classification_warnings(&classification));
    let status = if classification.in_policy || warn_only { EXIT_VERIFIED } else { EXIT_FAILED };
    match args.common.output {
        Output::Json => {
            let mut doc = render::json::verdict(&verdict);
            add_posture_fields(&mut doc, &classification, warn_only);
            let mut stderr: String =
                verdict.warnings.iter().chain(&warnings).map(|w| format!("Warning: {}\n", P(w))).collect();
            if warn_only && !classification.in_policy {
                let _ = writeln!(
                    stderr,
                    "Warning: --warn-only: enforcement would fail {} ({})",
                    P(&classification.reference),
                    classification.class
                );
            }
            (format!("{doc}\n"), stderr, status)
        }
        Output::Text => {
            let verified = verdict.result.as_ref().is_ok_and(|o| o.verified);
            let (mut stdout, mut stderr) = match classification.class {
                // The verifier accepted it only because retired material is still trusted
                // somewhere: never report "Successfully verified".
                Class::RetiredSigner if verified => (String::new(), String::new()),
                // The failure is excused: say what failed as a warning, never as `Error:` (the
                // exception and its deadline follow among the warnings).
                Class::Excepted => {
                    let mut stderr: String = verdict.warnings.iter().map(|w| format!("Warning: {}\n", P(w))).collect();
                    let _ = writeln!(
                        stderr,
                        "Warning: {} fails verification ({}): {}",
                        P(&classification.reference),
                        classification.underlying.map_or("failed", Class::as_str),
                        P(classification.reason.as_deref().unwrap_or("no reason given"))
                    );
                    (String::new(), stderr)
                }
                _ => render::text::verdict(&verdict),
            };
            if classification.class == Class::RetiredSigner {
                let _ = writeln!(
                    stderr,
                    "Error: {} is a retiredSigner: {}",
                    P(&classification.reference),
                    P(classification.reason.as_deref().unwrap_or_default())
                );
            }
            for w in &warnings {
                let _ = writeln!(stderr, "Warning: {}", P(w));
            }
            if classification.class == Class::Excepted {
                let _ = writeln!(
                    stdout,
                    "Excepted: {} passes under an exception until {}",
                    P(&classification.reference),
                    classification.exception.as_ref().map_or("", |e| e.expires.as_str())
                );
            }
            if warn_only && !classification.in_policy {
                let _ = writeln!(
                    stderr,
                    "Warning: --warn-only: enforcement would fail {} ({}{}); exiting 0",
                    P(&classification.reference),
                    classification.class,
                    classification.check.as_deref().map(|c| format!(": {c}")).unwrap_or_default()
                );
            }
            (stdout, stderr, status)
        }
    }
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

/// Renders a verdict that could not be classified (exit 2 stays exit 2, also in warn mode).
fn render_plain(verdict: &Verdict, output: Output, warn_only: bool) -> (String, String, u8) {
    let status = match &verdict.result {
        Err(_) => EXIT_ERROR,
        Ok(_) => EXIT_FAILED,
    };
    match output {
        Output::Json => {
            let mut doc = render::json::verdict(verdict);
            if warn_only && let Some(obj) = doc.as_object_mut() {
                // Nothing was evaluated: `wouldFail` is not an empty list a script could take
                // for a pass.
                obj.insert("warnOnly".into(), Value::Bool(true));
                obj.insert("evaluated".into(), Value::Bool(false));
                obj.insert("wouldFail".into(), Value::Null);
            }
            let warnings: String = verdict.warnings.iter().map(|w| format!("Warning: {}\n", P(w))).collect();
            (format!("{doc}\n"), warnings, status)
        }
        Output::Text => {
            let (out, err) = render::text::verdict(verdict);
            (out, err, status)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use notaverify_posture::days_until;

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
