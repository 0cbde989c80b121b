//! Rollout options shared by `verify` and `scan` (`--warn-only`, `--exceptions FILE`,
//! `--retired FILE`, see `args::PostureArgs`): loading their files, and `verify` with them.
//! Every decision is the core's (`notaverify::posture`).

use super::config_dir;
use crate::args::{CommonArgs, Output, PostureArgs, VerifyArgs};
use crate::render;
use crate::render::posture::{add_posture_fields, classification_warnings};
use crate::render::printable::Printable as P;
use crate::verdict::{Context, EXIT_ERROR, EXIT_FAILED, EXIT_VERIFIED, Failure, Report, Verdict};
use notaverify::Time;
use notaverify::limits::MAX_EXCEPTIONS_BYTES;
use notaverify::loader;
use notaverify::policy::TrustPolicyDocument;
use notaverify::posture::{self, Class, Exceptions, PostureContext, RetiredMaterial};
use serde_json::Value;
use std::fmt::Write as _;

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
/// trust store folders. `policy` is used to warn about retired certificates still trusted.
pub fn load(args: &PostureArgs, common: &CommonArgs, policy: Option<&TrustPolicyDocument>) -> Result<Loaded, Failure> {
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
        if let Some(policy) = policy {
            let named = loader::named_stores(Some(policy), None);
            if let Ok(dir) = config_dir(common)
                && let Ok(trusted) = loader::load_trust_store(&dir, &named)
            {
                for (store, m) in retired.still_in(&trusted, &named) {
                    loaded.warnings.push(format!(
                        "the retired certificate {} ({}) is still in the trust store {store} that the policy names; it is not trusted, remove it",
                        m.subject.as_deref().unwrap_or("?"),
                        m.sha256_fingerprint
                    ));
                }
            }
        }
        loaded.retired = Some(retired);
    }
    Ok(loaded)
}

/// `verify` with posture options: the usual verification, then classification, exceptions and
/// warn mode.
pub fn verify(args: &VerifyArgs) -> Report {
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
    let exit_status = if classification.in_policy || warn_only { EXIT_VERIFIED } else { EXIT_FAILED };
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
            Report { stdout: format!("{doc}\n"), stderr, exit_status }
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
            Report { stdout, stderr, exit_status }
        }
    }
}

/// Renders a verdict that could not be classified (exit 2 stays exit 2, also in warn mode).
fn render_plain(verdict: &Verdict, output: Output, warn_only: bool) -> Report {
    let exit_status = match &verdict.result {
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
            let stderr = verdict.warnings.iter().map(|w| format!("Warning: {}\n", P(w))).collect();
            Report { stdout: format!("{doc}\n"), stderr, exit_status }
        }
        Output::Text => {
            let (stdout, stderr) = render::text::verdict(verdict);
            Report { stdout, stderr, exit_status }
        }
    }
}
