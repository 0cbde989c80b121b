//! `scan` output: one line per artifact (JSON or text) and the summary (counts per class and per
//! repository, exceptions with days left), shared by the text, JSON and HTML renderings.

use crate::commands::posture::{Loaded, days_phrase};
use crate::render::printable::Printable as P;
use notaverify::Time;
use notaverify::posture::{Class, Classification};
use serde_json::{Value, json};
use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::time::Duration;

/// One scanned artifact.
#[derive(Clone, Debug)]
pub struct Line {
    /// The repository it belongs to (the layout's scope, or the reference's repository).
    pub repository: String,
    /// Where it came from: the layout directory, or `batch-file:line`.
    pub source: String,
    /// Tags index.json gives it (layouts).
    pub tags: Vec<String>,
    /// Its class.
    pub classification: Classification,
}

/// Counts for one repository.
#[derive(Clone, Debug, Default)]
pub struct RepositoryRow {
    /// The repository.
    pub repository: String,
    /// Count per class, in [`Class::ALL`] order.
    pub counts: [usize; 9],
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
    /// Count per class, in [`Class::ALL`] order.
    pub counts: [usize; 9],
    /// Per repository, sorted by name.
    pub repositories: Vec<RepositoryRow>,
    /// Every exception of the file, soonest deadline first.
    pub exceptions: Vec<ExceptionRow>,
    /// Retired declarations: (what, retired date).
    pub retired: Vec<(String, String)>,
    /// The scan time (exceptions are judged at it).
    pub at: Time,
    /// Wall-clock time of the verification phase.
    pub elapsed: Duration,
    /// Worker threads.
    pub jobs: usize,
    /// `--warn-only`.
    pub warn_only: bool,
}

fn class_index(class: Class) -> usize {
    Class::ALL.iter().position(|c| *c == class).unwrap_or(Class::ALL.len() - 1)
}

impl ScanSummary {
    /// Counts `lines`.
    pub fn new(lines: &[Line], loaded: &Loaded, at: Time, elapsed: Duration, jobs: usize, warn_only: bool) -> Self {
        let mut counts = [0usize; 9];
        let mut repos: BTreeMap<String, RepositoryRow> = BTreeMap::new();
        let mut applied: BTreeMap<String, usize> = BTreeMap::new();
        let mut expired_hits: BTreeMap<String, usize> = BTreeMap::new();
        let mut out_of_policy = 0;
        for line in lines {
            let c = &line.classification;
            let i = class_index(c.class);
            counts[i] += 1;
            let row = repos
                .entry(line.repository.clone())
                .or_insert_with(|| RepositoryRow { repository: line.repository.clone(), ..Default::default() });
            row.counts[i] += 1;
            row.total += 1;
            if !c.in_policy {
                out_of_policy += 1;
                row.out_of_policy += 1;
            }
            if let Some(e) = &c.exception {
                *applied.entry(e.scope.clone()).or_default() += 1;
            }
            for e in &c.expired_exceptions {
                *expired_hits.entry(e.scope.clone()).or_default() += 1;
            }
        }
        let mut exceptions: Vec<ExceptionRow> = loaded
            .exceptions
            .iter()
            .flat_map(|e| e.entries())
            .map(|e| {
                let scope = e.scope.as_string();
                ExceptionRow {
                    applied: applied.get(&scope).copied().unwrap_or(0),
                    expired_hits: expired_hits.get(&scope).copied().unwrap_or(0),
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
        let retired = loaded
            .retired
            .iter()
            .flat_map(|r| r.declarations())
            .map(|d| (d.source.label(), d.retired.clone()))
            .collect();
        ScanSummary {
            total: lines.len(),
            in_policy: lines.len() - out_of_policy,
            out_of_policy,
            counts,
            repositories: repos.into_values().collect(),
            exceptions,
            retired,
            at,
            elapsed,
            jobs,
            warn_only,
        }
    }

    /// Microseconds of wall-clock time per artifact.
    pub fn micros_per_artifact(&self) -> f64 {
        if self.total == 0 { 0.0 } else { self.elapsed.as_secs_f64() * 1e6 / self.total as f64 }
    }

    /// The summary as JSON (the last line of `scan -o json`).
    pub fn to_json(&self) -> Value {
        let counts: serde_json::Map<String, Value> =
            Class::ALL.iter().zip(self.counts).map(|(c, n)| (c.as_str().to_owned(), json!(n))).collect();
        json!({
            "total": self.total,
            "inPolicy": self.in_policy,
            "outOfPolicy": self.out_of_policy,
            "counts": counts,
            "repositories": self.repositories.iter().map(|r| {
                let counts: serde_json::Map<String, Value> = Class::ALL.iter().zip(r.counts).filter(|(_, n)| *n > 0).map(|(c, n)| (c.as_str().to_owned(), json!(n))).collect();
                json!({"repository": r.repository, "total": r.total, "outOfPolicy": r.out_of_policy, "counts": counts})
            }).collect::<Vec<_>>(),
            "exceptions": self.exceptions.iter().map(|e| json!({
                "scope": e.scope, "owner": e.owner, "reason": e.reason, "expires": e.expires,
                "daysLeft": e.days_left, "active": e.active, "applied": e.applied, "expiredHits": e.expired_hits,
            })).collect::<Vec<_>>(),
            "retired": self.retired.iter().map(|(what, when)| json!({"declaredBy": what, "retired": when})).collect::<Vec<_>>(),
            "at": self.at.to_rfc3339(),
            "elapsedSeconds": self.elapsed.as_secs_f64(),
            "microsecondsPerArtifact": self.micros_per_artifact(),
            "jobs": self.jobs,
            "warnOnly": self.warn_only,
        })
    }

    /// The summary tables for a terminal.
    pub fn to_text(&self) -> String {
        let mut out = String::new();
        let _ = writeln!(
            out,
            "Scanned {} artifacts at {} in {:.3} s ({:.1} µs per artifact, {} threads): {} in policy, {} out of policy{}",
            self.total,
            self.at.to_rfc3339(),
            self.elapsed.as_secs_f64(),
            self.micros_per_artifact(),
            self.jobs,
            self.in_policy,
            self.out_of_policy,
            if self.warn_only { " (warn only: nothing blocked)" } else { "" }
        );
        let _ = writeln!(out, "\n{:<18} {:>8}", "CLASS", "COUNT");
        for (c, n) in Class::ALL.iter().zip(self.counts) {
            let _ = writeln!(out, "{:<18} {:>8}", c.as_str(), n);
        }
        let used: Vec<usize> = (0..Class::ALL.len()).filter(|i| self.counts[*i] > 0).collect();
        let width =
            self.repositories.iter().map(|r| r.repository.chars().count()).max().unwrap_or(0).max("REPOSITORY".len());
        let _ = write!(out, "\n{:<width$} {:>7} {:>7}", "REPOSITORY", "TOTAL", "FAILING");
        for i in &used {
            let _ = write!(out, " {:>w$}", Class::ALL[*i].as_str(), w = Class::ALL[*i].as_str().len().max(5));
        }
        out.push('\n');
        for r in &self.repositories {
            let _ = write!(out, "{:<width$} {:>7} {:>7}", P(&r.repository), r.total, r.out_of_policy);
            for i in &used {
                let _ = write!(out, " {:>w$}", r.counts[*i], w = Class::ALL[*i].as_str().len().max(5));
            }
            out.push('\n');
        }
        if !self.exceptions.is_empty() {
            let _ = writeln!(out, "\nEXCEPTIONS (soonest deadline first)");
            for e in &self.exceptions {
                let _ = writeln!(
                    out,
                    "  {:<8} {}  expires {} ({})  owner {}  applied to {}  ({})",
                    if e.active { "active" } else { "EXPIRED" },
                    P(&e.scope),
                    P(&e.expires),
                    days_phrase(e.days_left),
                    P(&e.owner),
                    e.applied,
                    P(&e.reason)
                );
            }
        }
        if !self.retired.is_empty() {
            let _ = writeln!(out, "\nRETIRED TRUST MATERIAL");
            for (what, when) in &self.retired {
                let _ = writeln!(out, "  {}  retired {}", P(what), P(when));
            }
        }
        out
    }
}

/// One artifact as a JSON line: the classification plus where it came from.
pub fn json_line(line: &Line) -> Value {
    let mut v = serde_json::to_value(&line.classification)
        .unwrap_or_else(|_| json!({"reference": line.classification.reference, "class": "failed", "inPolicy": false}));
    if let Some(obj) = v.as_object_mut() {
        obj.insert("repository".into(), json!(line.repository));
        obj.insert("source".into(), json!(line.source));
        if !line.tags.is_empty() {
            obj.insert("tags".into(), json!(line.tags));
        }
    }
    v
}

/// One artifact as a text line.
pub fn text_line(line: &Line) -> String {
    let c = &line.classification;
    let mut detail = String::new();
    if let Some(u) = c.underlying {
        let _ = write!(detail, " was {u}");
    }
    if let Some(check) = &c.check {
        let _ = write!(detail, " [{}]", P(check));
    }
    if let Some(e) = &c.exception {
        let _ = write!(detail, " excepted until {} ({})", e.expires, days_phrase(e.days_left));
    } else if let Some(reason) = &c.reason {
        let _ = write!(detail, " {}", P(reason));
    }
    let tags = if line.tags.is_empty() { String::new() } else { format!(" ({})", P(&line.tags.join(", "))) };
    format!("{:<17} {}{tags}{detail}\n", c.class.as_str(), P(&c.reference))
}
