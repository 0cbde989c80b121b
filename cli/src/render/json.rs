//! The JSON document `-o json` prints on stdout, for every exit status (see `--help`). The
//! documents themselves are the posture crate's (one definition for the CLI and the bindings).

use crate::verdict::Verdict;
pub use notaverify_posture::document::error_document;
use notaverify_posture::document::outcome_document;
use serde_json::Value;

/// The document for a verdict.
pub fn verdict(verdict: &Verdict) -> Value {
    match &verdict.result {
        Ok(outcome) => outcome_document(outcome),
        Err(failure) => error_document(&verdict.reference, failure.error.code(), &failure.message()),
    }
}
