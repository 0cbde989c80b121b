//! What a command produced: a verification's verdict and the exit status that follows from it,
//! and the [`Report`] every command returns for `main` to write out.

use notaverify::ArtifactOutcome;
use notaverify::Error;
use notaverify_posture::document;
use notaverify_posture::workloads::WorkloadsError;

// The exit statuses are the posture crate's, which the bindings report too.
/// Exit status: verified (or skipped, or only logged failures).
pub const EXIT_VERIFIED: u8 = document::EXIT_IN_POLICY;
/// Exit status: verification failed.
pub const EXIT_FAILED: u8 = document::EXIT_OUT_OF_POLICY;
/// Exit status: the request could not be evaluated.
pub const EXIT_ERROR: u8 = document::EXIT_NOT_EVALUATED;

/// What a command prints and its exit status: every command returns one, `main` writes it out.
#[derive(Debug)]
pub struct Report {
    /// stdout.
    pub stdout: String,
    /// stderr.
    pub stderr: String,
    /// [`EXIT_VERIFIED`], [`EXIT_FAILED`] or [`EXIT_ERROR`].
    pub exit_status: u8,
}

/// An error with the context the command knows (which file, which option).
#[derive(Debug)]
pub struct Failure {
    /// The core's error; its `code()` is reported.
    pub error: Box<Error>,
    /// What was being done, prefixed to the message (e.g. `trust policy /x/trustpolicy.json`).
    pub context: Option<String>,
}

impl Failure {
    /// The message printed and put in JSON.
    pub fn message(&self) -> String {
        match &self.context {
            Some(context) => format!("{context}: {}", self.error),
            None => self.error.to_string(),
        }
    }
}

impl From<Error> for Failure {
    fn from(error: Error) -> Self {
        Self { error: Box::new(error), context: None }
    }
}

impl From<WorkloadsError> for Failure {
    fn from(e: WorkloadsError) -> Self {
        let (error, context) = e.into_core();
        Self { error: Box::new(error), context }
    }
}

/// Adds context to errors.
pub trait Context<T> {
    /// Prefixes the error message with `context`.
    fn context(self, context: impl FnOnce() -> String) -> Result<T, Failure>;
}

impl<T> Context<T> for Result<T, Error> {
    fn context(self, context: impl FnOnce() -> String) -> Result<T, Failure> {
        self.map_err(|error| Failure { error: Box::new(error), context: Some(context()) })
    }
}

/// The result of `verify` or `blob verify`.
#[derive(Debug)]
pub struct Verdict {
    /// The reference as the user gave it (used when there is no outcome).
    pub reference: String,
    /// The outcome, or why there is none.
    pub result: Result<ArtifactOutcome, Failure>,
    /// Warnings printed on stderr whatever the result (e.g. a mutable tag was used).
    pub warnings: Vec<String>,
}

impl Verdict {
    /// 0 when verified, 1 when verification failed, 2 when it could not be evaluated.
    pub fn exit_status(&self) -> u8 {
        match &self.result {
            Ok(outcome) if outcome.verified => EXIT_VERIFIED,
            Ok(_) => EXIT_FAILED,
            Err(_) => EXIT_ERROR,
        }
    }
}
