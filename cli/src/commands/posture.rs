//! Rollout options shared by `verify` and `scan`: `--warn-only`, `--exceptions FILE` and
//! `--retired FILE`, and `verify` with them. Every decision is the core's
//! (`notaverify_posture`); this module loads the files and renders.

use super::config_dir;
use crate::args::{CommonArgs, PostureArgs, VerifyArgs};
use crate::render;
use crate::render::posture::classification_warnings;
use crate::verdict::{Context, Failure, Report, Verdict};
use notaverify::Time;
use notaverify::Verifier;
use notaverify::limits::MAX_EXCEPTIONS_BYTES;
use notaverify::loader;
use notaverify_posture::{self as posture, Exceptions, PostureContext, RetiredMaterial};

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
            return render::posture::unclassified_verdict(&verdict, args.common.output, warn_only);
        }
    };
    let ctx = loaded.context(at);
    let (verdict, inputs) = super::verify::run_with(args, |options| ctx.verify_options(options));
    let (reference, result) = match &verdict.result {
        Ok(outcome) => (outcome.reference.clone(), Ok(outcome.clone())),
        Err(_) => return render::posture::unclassified_verdict(&verdict, args.common.output, warn_only),
    };
    let classification = posture::classify(&reference, &result, &inputs, &ctx);
    let mut warnings = loaded.warnings.clone();
    warnings.extend(classification_warnings(&classification));
    render::posture::classified_verdict(&verdict, &classification, &warnings, warn_only, args.common.output)
}
