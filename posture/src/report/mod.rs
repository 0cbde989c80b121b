//! What `notaverify scan` shows at the end of a scan, for every front end: the summary line of
//! `scan -o json` ([`Summary::json_line`]) and the HTML report of `scan --report FILE.html`
//! ([`page`], [`write`]). The CLI and the bindings render both from here, so the same scan
//! gives the same bytes everywhere (but for its timing members).
//!
//! A report needs no artifact kept but the out-of-policy ones it lists ([`OutOfPolicy`], at
//! most [`MAX_LISTED`]); everything else comes from the scan's summary, its roll-up and, with
//! deployed workloads, their lines.

mod html;

pub use html::page;

use crate::ScannedArtifact;
use crate::rollup::RollUp;
use crate::scan::{ScanSummary, summary_json};
use crate::workloads::{WorkloadClass, WorkloadSummary};
use notaverify::Error;
use serde_json::{Map, Value, json};
use std::path::Path;

/// Most out-of-policy artifacts listed in the page (and most changes of each list).
pub const MAX_LISTED: usize = 500;

/// The summary of a scan as shown: the scan's counts, whether it is in warn mode, the deployed
/// workload containers (if any were read) and the roll-up.
#[derive(Clone, Copy, Debug)]
pub struct Summary<'a> {
    /// The scan's counts.
    pub scan: &'a ScanSummary,
    /// Warn mode (`--warn-only`): nothing is blocked.
    pub warn_only: bool,
    /// Every deployed workload container with its class, and the counts.
    pub workloads: Option<&'a WorkloadSummary>,
    /// Per source, and the progress since a previous scan.
    pub rollup: &'a RollUp,
}

impl Summary<'_> {
    /// The members of the summary line: the scan's, `warnOnly`, `sources` (and `progress`
    /// compared with a previous scan), and with deployed workloads `workloads`.
    pub fn to_json(&self) -> Map<String, Value> {
        let mut summary = summary_json(self.scan);
        summary.insert("warnOnly".into(), json!(self.warn_only));
        if let Some(w) = self.workloads {
            summary.insert("workloads".into(), workloads_json(w));
        }
        self.rollup.add_json(&mut summary);
        summary
    }

    /// Whether enforcement fails the scan: an artifact or a deployed workload container (one
    /// whose image no scanned input holds, too) is out of policy. Warn mode does not change it.
    pub fn out_of_policy(&self) -> bool {
        self.scan.out_of_policy > 0 || self.workloads.is_some_and(|w| w.out_of_policy > 0)
    }

    /// The last line of `notaverify scan -o json` (without its newline): `{"summary": {...}}`.
    pub fn json_line(&self) -> String {
        json!({ "summary": self.to_json() }).to_string()
    }

    /// The exit status of `notaverify scan`: out of policy ([`Summary::out_of_policy`]) and not
    /// in warn mode blocks.
    pub fn exit_status(&self) -> u8 {
        if self.out_of_policy() && !self.warn_only {
            crate::document::EXIT_OUT_OF_POLICY
        } else {
            crate::document::EXIT_IN_POLICY
        }
    }
}

/// The `workloads` member of the JSON summary: counts in total, per class (every class) and
/// per source (the classes present).
fn workloads_json(w: &WorkloadSummary) -> Value {
    let counts = |counts: &[usize; WorkloadClass::COUNT], all: bool| -> Map<String, Value> {
        WorkloadClass::all()
            .into_iter()
            .zip(counts)
            .filter(|(_, n)| all || **n > 0)
            .map(|(c, n)| (c.as_str().to_owned(), json!(n)))
            .collect()
    };
    json!({
        "total": w.total,
        "inPolicy": w.in_policy,
        "outOfPolicy": w.out_of_policy,
        "counts": counts(&w.counts, true),
        "sources": w.sources.iter().map(|s| json!({
            "source": s.source, "total": s.total, "outOfPolicy": s.out_of_policy, "counts": counts(&s.counts, false),
        })).collect::<Vec<_>>(),
    })
}

/// The out-of-policy artifacts of a scan as the report lists them: the first [`MAX_LISTED`] in
/// scan order, and how many there are. Fed every artifact as it is classified, it keeps at most
/// [`MAX_LISTED`] of them.
#[derive(Clone, Debug, Default)]
pub struct OutOfPolicy {
    listed: Vec<ScannedArtifact>,
    total: usize,
}

impl OutOfPolicy {
    /// Counts `artifact` if it is out of policy, and keeps it while fewer than [`MAX_LISTED`]
    /// are kept.
    pub fn add(&mut self, artifact: &ScannedArtifact) {
        if artifact.classification.in_policy {
            return;
        }
        self.total += 1;
        if self.listed.len() < MAX_LISTED {
            self.listed.push(artifact.clone());
        }
    }

    /// The artifacts listed, in scan order.
    pub fn listed(&self) -> &[ScannedArtifact] {
        &self.listed
    }

    /// Every out-of-policy artifact counted (also those not listed).
    pub fn total(&self) -> usize {
        self.total
    }
}

/// Writes the report [`page`] to `path` (replacing the file). An error names the file.
pub fn write(path: &Path, summary: &Summary<'_>, failing: &OutOfPolicy) -> Result<(), Error> {
    std::fs::write(path, page(summary, failing)).map_err(|e| Error::Load {
        path: path.display().to_string(),
        reason: format!("the report cannot be written: {e}"),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{Class, Classification};

    fn artifact(n: usize, class: Class) -> ScannedArtifact {
        ScannedArtifact {
            repository: "registry.example/app".into(),
            source: format!("batch.jsonl:{n}"),
            tags: Vec::new(),
            classification: Classification {
                reference: format!("registry.example/app@sha256:{n:064x}"),
                class,
                in_policy: class.in_policy(),
                underlying: None,
                check: None,
                reason: None,
                policy: None,
                signer: None,
                retired: None,
                exception: None,
                expired_exceptions: Vec::new(),
                uncovered_exceptions: Vec::new(),
                signatures: Vec::new(),
                logged: Vec::new(),
            },
            signers: Vec::new(),
        }
    }

    #[test]
    fn the_first_out_of_policy_artifacts_are_kept_and_every_one_counted() {
        let mut failing = OutOfPolicy::default();
        for n in 0..MAX_LISTED * 2 + 6 {
            failing.add(&artifact(n, if n % 2 == 0 { Class::Unsigned } else { Class::Verified }));
        }
        assert_eq!(failing.total(), MAX_LISTED + 3);
        let kept: Vec<&str> = failing.listed().iter().map(|a| a.source.as_str()).collect();
        assert_eq!(kept.len(), MAX_LISTED);
        let last = format!("batch.jsonl:{}", 2 * (MAX_LISTED - 1));
        assert_eq!((kept[0], kept[1], kept[MAX_LISTED - 1]), ("batch.jsonl:0", "batch.jsonl:2", last.as_str()));
        assert!(failing.listed().iter().all(|a| !a.classification.in_policy));
    }
}
