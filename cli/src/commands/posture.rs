//! Rollout options shared by `verify` and `scan`: `--warn-only`, `--exceptions FILE` and
//! `--retired FILE`, and `verify` with them. Every decision, the loading of the files and the
//! JSON document are the posture crate's (`notaverify_posture`); this module passes the options.

use crate::args::{CommonArgs, PostureArgs, VerifyArgs};
use crate::render;
use crate::render::posture::classification_warnings;
use crate::verdict::{Failure, Report, Verdict};
use notaverify::Time;
use notaverify::Verifier;
use notaverify_posture::{self as posture, Exceptions, LoadError, PostureContext, RetiredMaterial, Rollout};

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

impl From<LoadError> for Failure {
    fn from(e: LoadError) -> Self {
        Self { error: e.error, context: Some(e.context) }
    }
}

/// Loads `--exceptions` and `--retired` ([`Rollout::load`]); retired stores come from the
/// configuration directory's trust store folders. `verifier` (its OCI policy and trust store, as
/// loaded) is used to warn about retired certificates still trusted.
pub fn load(args: &PostureArgs, common: &CommonArgs, verifier: Option<&Verifier>) -> Result<Loaded, Failure> {
    let rollout = Rollout::load(args.exceptions.as_deref(), args.retired.as_deref(), common.config_dir.as_deref())?;
    let warnings = verifier.map(|v| rollout.configuration_warnings(v)).unwrap_or_default();
    Ok(Loaded { exceptions: rollout.exceptions, retired: rollout.retired, warnings })
}

/// `verify` with posture options: the usual verification, then classification, exceptions and
/// warn mode.
pub fn verify(args: &VerifyArgs) -> Report {
    let at = args.verification.at.unwrap_or_else(Time::now);
    let warn_only = args.posture.warn_only;
    let output = args.common.output;
    // A file that cannot be loaded is a verdict that was not evaluated, like a failed request.
    let (verdict, inputs, loaded) = match load(&args.posture, &args.common, None) {
        Ok(loaded) => {
            let ctx = loaded.context(at);
            let (verdict, inputs) = super::verify::run_with(args, |options| ctx.verify_options(options));
            (verdict, inputs, loaded)
        }
        Err(failure) => {
            let verdict = Verdict { reference: args.reference.clone(), result: Err(failure), warnings: Vec::new() };
            (verdict, Vec::new(), Loaded::default())
        }
    };
    match &verdict.result {
        Err(failure) => render::posture::unclassified_verdict(&verdict, failure, output, warn_only),
        Ok(outcome) => {
            let classification =
                posture::classify(&outcome.reference, &Ok(outcome.clone()), &inputs, &loaded.context(at));
            let mut warnings = loaded.warnings.clone();
            warnings.extend(classification_warnings(&classification));
            render::posture::classified_verdict(&verdict, outcome, &classification, &warnings, warn_only, output)
        }
    }
}
