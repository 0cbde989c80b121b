//! Rendering: the JSON document of the contract, text like `notation verify`, and `scan`'s
//! text lines and summary (its JSON summary and HTML report are `notaverify_posture::report`'s). Nothing here decides or loads anything; it never imports
//! `crate::commands`.

pub mod inspect;
pub mod json;
pub mod posture;
pub mod printable;
pub mod progress;
pub mod summary;
pub mod text;

use crate::args::Output;
use crate::verdict::{Report, Verdict};

/// What `verify` and `blob verify` print for `verdict`, and its exit status.
pub fn verdict(verdict: &Verdict, output: Output) -> Report {
    let exit_status = verdict.exit_status();
    match output {
        Output::Json => {
            // Only the warnings go to stderr in JSON mode; the document carries the rest.
            let stderr = verdict.warnings.iter().map(|w| format!("Warning: {}\n", printable::Printable(w))).collect();
            Report { stdout: format!("{}\n", json::verdict(verdict)), stderr, exit_status }
        }
        Output::Text => {
            let (stdout, stderr) = text::verdict(verdict);
            Report { stdout, stderr, exit_status }
        }
    }
}
