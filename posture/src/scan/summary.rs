//! The summary of a scan: counts per class and per repository, the exceptions with what they
//! did, the retired material declared, every signer, the artifacts dual-signed in a rotation.
//! Counted artifact by artifact ([`SummaryBuilder`]): nothing here keeps the artifacts.

use super::ScannedArtifact;
use crate::{Class, PostureContext};
use notaverify::{Signer, Time};
use std::collections::{BTreeMap, BTreeSet};
use std::time::Duration;

/// Counts per class, in [`Class::ALL`] order.
pub type ClassCounts = [usize; Class::ALL.len()];

/// One signer of the scanned artifacts.
#[derive(Clone, Debug)]
pub struct SignerRow {
    /// The signing certificate.
    pub signer: Signer,
    /// Artifacts with at least one signature by it.
    pub artifacts: usize,
    /// Its signatures per class.
    pub counts: ClassCounts,
}

/// Counts for one repository.
#[derive(Clone, Debug, Default)]
pub struct RepositoryRow {
    /// The repository.
    pub repository: String,
    /// Count per class.
    pub counts: ClassCounts,
    /// All artifacts.
    pub total: usize,
    /// Out of policy.
    pub out_of_policy: usize,
}

/// An exception's status in the scan.
#[derive(Clone, Debug)]
pub struct ExceptionRow {
    /// Its scope.
    pub scope: String,
    /// Its owner.
    pub owner: String,
    /// Its reason.
    pub reason: String,
    /// Its deadline as written.
    pub expires: String,
    /// Days left at the scan time (negative once expired).
    pub days_left: i64,
    /// In force at the scan time.
    pub active: bool,
    /// Artifacts it excepted in this scan.
    pub applied: usize,
    /// Failing artifacts it names but could not except because it expired.
    pub expired_hits: usize,
}

/// The summary of a scan.
#[derive(Clone, Debug)]
pub struct ScanSummary {
    /// Artifacts scanned.
    pub total: usize,
    /// In policy (verified, excepted, skipped by policy).
    pub in_policy: usize,
    /// Out of policy.
    pub out_of_policy: usize,
    /// Count per class.
    pub counts: ClassCounts,
    /// Per repository, sorted by name.
    pub repositories: Vec<RepositoryRow>,
    /// Every exception of the file, soonest deadline first.
    pub exceptions: Vec<ExceptionRow>,
    /// Retired declarations: (what, retired date).
    pub retired: Vec<(String, String)>,
    /// The scan time (exceptions are judged at it).
    pub at: Time,
    /// Wall-clock time of the verification (building the requests, verifying, classifying).
    pub elapsed: Duration,
    /// Worker threads.
    pub jobs: usize,
    /// Every signer of the scanned artifacts (by certificate fingerprint), most artifacts first.
    pub signers: Vec<SignerRow>,
    /// Artifacts signed by both a retired and a current signer
    /// ([`ScannedArtifact::dual_signed`]).
    pub dual_signed: usize,
}

impl ScanSummary {
    /// Microseconds of wall-clock time per artifact.
    pub fn micros_per_artifact(&self) -> f64 {
        if self.total == 0 { 0.0 } else { self.elapsed.as_secs_f64() * 1e6 / self.total as f64 }
    }

    /// The exit status of `notaverify scan` (without `--warn-only` or workloads): in policy when
    /// every artifact is.
    pub fn exit_status(&self) -> u8 {
        if self.out_of_policy == 0 { crate::document::EXIT_IN_POLICY } else { crate::document::EXIT_OUT_OF_POLICY }
    }
}

/// The index of `class` in [`Class::ALL`].
fn class_index(class: Class) -> usize {
    Class::ALL.iter().position(|c| *c == class).unwrap_or(Class::ALL.len() - 1)
}

/// A [`ScanSummary`] counted one artifact at a time: its memory grows with the repositories,
/// signers and exceptions, not with the artifacts.
#[derive(Debug, Default)]
pub struct SummaryBuilder {
    total: usize,
    out_of_policy: usize,
    counts: ClassCounts,
    repositories: BTreeMap<String, RepositoryRow>,
    /// Artifacts excepted, per exception scope.
    applied: BTreeMap<String, usize>,
    /// Failing artifacts named by an expired exception, per exception scope.
    expired_hits: BTreeMap<String, usize>,
    /// By certificate fingerprint.
    signers: BTreeMap<String, SignerRow>,
    dual_signed: usize,
}

impl SummaryBuilder {
    /// Nothing counted yet.
    pub fn new() -> Self {
        Self::default()
    }

    /// Counts one artifact.
    pub fn add(&mut self, artifact: &ScannedArtifact) {
        let mut seen: BTreeSet<&str> = BTreeSet::new();
        for (class, signer) in artifact.signed_by() {
            let fingerprint = signer.sha256_fingerprint.as_str();
            let row = self.signers.entry(fingerprint.to_owned()).or_insert_with(|| SignerRow {
                signer: signer.clone(),
                artifacts: 0,
                counts: [0; Class::ALL.len()],
            });
            row.counts[class_index(class)] += 1;
            if seen.insert(fingerprint) {
                row.artifacts += 1;
            }
        }
        self.dual_signed += usize::from(artifact.dual_signed());
        let c = &artifact.classification;
        let i = class_index(c.class);
        self.total += 1;
        self.counts[i] += 1;
        let row = self
            .repositories
            .entry(artifact.repository.clone())
            .or_insert_with(|| RepositoryRow { repository: artifact.repository.clone(), ..Default::default() });
        row.counts[i] += 1;
        row.total += 1;
        if !c.in_policy {
            self.out_of_policy += 1;
            row.out_of_policy += 1;
        }
        if let Some(e) = &c.exception {
            *self.applied.entry(e.scope.clone()).or_default() += 1;
        }
        for e in &c.expired_exceptions {
            *self.expired_hits.entry(e.scope.clone()).or_default() += 1;
        }
    }

    /// The summary of the artifacts counted, classified in `ctx` (its exceptions and retired
    /// material are listed), verified in `elapsed` on `jobs` threads.
    pub fn finish(self, ctx: &PostureContext<'_>, elapsed: Duration, jobs: usize) -> ScanSummary {
        let at = ctx.at;
        let mut exceptions: Vec<ExceptionRow> = ctx
            .exceptions
            .iter()
            .flat_map(|e| e.entries())
            .map(|e| {
                let scope = e.scope.as_string();
                ExceptionRow {
                    applied: self.applied.get(&scope).copied().unwrap_or(0),
                    expired_hits: self.expired_hits.get(&scope).copied().unwrap_or(0),
                    days_left: e.days_left(at),
                    active: e.in_force(at),
                    scope,
                    owner: e.owner.clone(),
                    reason: e.reason.clone(),
                    expires: e.expires.clone(),
                }
            })
            .collect();
        exceptions.sort_by_key(|e| e.days_left);
        let retired =
            ctx.retired.iter().flat_map(|r| r.declarations()).map(|d| (d.source.label(), d.retired.clone())).collect();
        let mut signers: Vec<SignerRow> = self.signers.into_values().collect();
        signers.sort_by(|a, b| b.artifacts.cmp(&a.artifacts).then_with(|| a.signer.subject.cmp(&b.signer.subject)));
        ScanSummary {
            total: self.total,
            in_policy: self.total - self.out_of_policy,
            out_of_policy: self.out_of_policy,
            counts: self.counts,
            repositories: self.repositories.into_values().collect(),
            exceptions,
            retired,
            at,
            elapsed,
            jobs,
            signers,
            dual_signed: self.dual_signed,
        }
    }
}
