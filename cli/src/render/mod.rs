//! Rendering verdicts: the JSON document of the contract, and text like `notation verify`.

pub mod json;
pub mod printable;
pub mod progress;
pub mod report_html;
pub mod summary;
pub mod text;
