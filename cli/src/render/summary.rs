//! `scan` output as text: one line per artifact (with every signer of the artifact) and the
//! summary tables (counts per class and per repository, exceptions with days left, every signer,
//! the artifacts signed by both a retired and a current signer); with `--workloads`, the
//! "DEPLOYED WORKLOADS" section and the workload counts per class and per source. The JSON lines
//! and summary, and the HTML report, are the posture crate's (`notaverify_posture::report`).

use crate::render::printable::Printable as P;
use notaverify_posture::days_phrase;
use notaverify_posture::report::Summary;
/// One artifact as a JSON line: the posture crate's, so the bindings write the same line.
pub use notaverify_posture::scan::json_line;
use notaverify_posture::workloads::{ContainerType, WorkloadClass, WorkloadLine, WorkloadSummary};
use notaverify_posture::{Class, ScannedArtifact};
use std::collections::HashMap;
use std::fmt::Write as _;

/// The summary tables for a terminal.
pub fn summary_text(shown: &Summary<'_>) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "Scanned {} artifacts at {} in {:.3} s ({:.1} µs per artifact, {} threads): {} in policy, {} out of policy{}",
        shown.scan.total,
        shown.scan.at.to_rfc3339(),
        shown.scan.elapsed.as_secs_f64(),
        shown.scan.micros_per_artifact(),
        shown.scan.jobs,
        shown.scan.in_policy,
        shown.scan.out_of_policy,
        if shown.warn_only { " (warn only: nothing blocked)" } else { "" }
    );
    let _ = writeln!(out, "\n{:<18} {:>8}", "CLASS", "COUNT");
    for (c, n) in Class::ALL.iter().zip(shown.scan.counts) {
        let _ = writeln!(out, "{:<18} {:>8}", c.as_str(), n);
    }
    let used: Vec<usize> = (0..Class::ALL.len()).filter(|i| shown.scan.counts[*i] > 0).collect();
    let width =
        shown.scan.repositories.iter().map(|r| r.repository.chars().count()).max().unwrap_or(0).max("REPOSITORY".len());
    let _ = write!(out, "\n{:<width$} {:>7} {:>7}", "REPOSITORY", "TOTAL", "FAILING");
    for i in &used {
        let _ = write!(out, " {:>w$}", Class::ALL[*i].as_str(), w = Class::ALL[*i].as_str().len().max(5));
    }
    out.push('\n');
    for r in &shown.scan.repositories {
        let _ = write!(out, "{:<width$} {:>7} {:>7}", P(&r.repository), r.total, r.out_of_policy);
        for i in &used {
            let _ = write!(out, " {:>w$}", r.counts[*i], w = Class::ALL[*i].as_str().len().max(5));
        }
        out.push('\n');
    }
    if !shown.scan.exceptions.is_empty() {
        let _ = writeln!(out, "\nEXCEPTIONS (soonest deadline first)");
        for e in &shown.scan.exceptions {
            let _ = writeln!(
                out,
                "  {:<8} {}  expires {} ({})  owner {}  applied to {}  ({})",
                if e.active { "active" } else { "EXPIRED" },
                P(&e.scope),
                P(&e.expires),
                days_phrase(e.days_left, e.active),
                P(&e.owner),
                e.applied,
                P(&e.reason)
            );
        }
    }
    if !shown.scan.retired.is_empty() {
        let _ = writeln!(out, "\nRETIRED TRUST MATERIAL");
        for (what, when) in &shown.scan.retired {
            let _ = writeln!(out, "  {}  retired {}", P(what), P(when));
        }
        let _ = writeln!(out, "  artifacts dual-signed (a retired and a current signer): {}", shown.scan.dual_signed);
    }
    if !shown.scan.signers.is_empty() {
        let _ = writeln!(out, "\n{:>9}  SIGNER (signatures per class)", "ARTIFACTS");
        for r in &shown.scan.signers {
            let classes: Vec<String> = Class::ALL
                .iter()
                .zip(r.counts)
                .filter(|(_, n)| *n > 0)
                .map(|(c, n)| format!("{} {n}", c.as_str()))
                .collect();
            let _ = writeln!(
                out,
                "{:>9}  {} sha256:{} ({})",
                r.artifacts,
                P(&r.signer.subject),
                P(&r.signer.sha256_fingerprint),
                classes.join(", ")
            );
        }
    }
    if let Some(w) = shown.workloads {
        workloads_table(&mut out, w);
    }
    out
}

/// The summary's workload tables: per class, then per source with the classes present.
fn workloads_table(out: &mut String, w: &WorkloadSummary) {
    let _ = writeln!(
        out,
        "\nDeployed: {} workload containers from {} sources: {} in policy, {} out of policy",
        w.total,
        w.sources.len(),
        w.in_policy,
        w.out_of_policy
    );
    let _ = writeln!(out, "\n{:<18} {:>8}", "WORKLOAD CLASS", "COUNT");
    for (c, n) in WorkloadClass::all().into_iter().zip(w.counts) {
        let _ = writeln!(out, "{:<18} {:>8}", c.as_str(), n);
    }
    let used: Vec<usize> = (0..WorkloadClass::COUNT).filter(|i| w.counts[*i] > 0).collect();
    let names = WorkloadClass::all();
    let width = w.sources.iter().map(|s| P(&s.source).escaped().chars().count()).max().unwrap_or(0).max("SOURCE".len());
    let _ = write!(out, "\n{:<width$} {:>7} {:>7}", "SOURCE", "TOTAL", "FAILING");
    for i in &used {
        let _ = write!(out, " {:>w$}", names[*i].as_str(), w = names[*i].as_str().len().max(5));
    }
    out.push('\n');
    for s in &w.sources {
        let _ = write!(out, "{:<width$} {:>7} {:>7}", P(&s.source), s.total, s.out_of_policy);
        for i in &used {
            let _ = write!(out, " {:>w$}", s.counts[*i], w = names[*i].as_str().len().max(5));
        }
        out.push('\n');
    }
}

/// One artifact as a text line, then one indented line per signature whose signer is known.
pub fn text_line(line: &ScannedArtifact) -> String {
    let c = &line.classification;
    let mut detail = String::new();
    if let Some(u) = c.underlying {
        let _ = write!(detail, " was {u}");
    }
    if let Some(check) = &c.check {
        let _ = write!(detail, " [{}]", P(check));
    }
    if let Some(e) = &c.exception {
        let _ = write!(detail, " excepted until {} ({})", e.expires, days_phrase(e.days_left, true));
    } else if let Some(reason) = &c.reason {
        let _ = write!(detail, " {}", P(reason));
    }
    let tags = if line.tags.is_empty() { String::new() } else { format!(" ({})", P(&line.tags.join(", "))) };
    let mut out = format!("{:<17} {}{tags}{detail}\n", c.class.as_str(), P(&c.reference));
    for (class, signer) in line.signed_by() {
        let _ = writeln!(
            out,
            "{:18}signed by {} ({class}, sha256:{})",
            "",
            P(&signer.subject),
            P(&signer.sha256_fingerprint)
        );
    }
    out
}

/// The text "DEPLOYED WORKLOADS" section: per source (command-line order), per namespace (those
/// with a container out of policy first, then by name), out-of-policy containers first (then in
/// file order).
pub fn workloads_text(w: &WorkloadSummary) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "DEPLOYED WORKLOADS ({} containers: {} out of policy, {} in policy)",
        w.total, w.out_of_policy, w.in_policy
    );
    let source_rank = |s: &str| w.sources.iter().position(|r| r.source == s).unwrap_or(usize::MAX);
    // Out-of-policy containers per (source, namespace).
    let mut failing: HashMap<(&str, &str), usize> = HashMap::new();
    for l in w.lines.iter().filter(|l| !l.in_policy) {
        *failing.entry((&*l.workload.source, &*l.workload.namespace)).or_default() += 1;
    }
    let mut order: Vec<&WorkloadLine> = w.lines.iter().collect();
    order.sort_by_key(|l| {
        let (source, namespace) = (&*l.workload.source, &*l.workload.namespace);
        (source_rank(source), !failing.contains_key(&(source, namespace)), namespace, l.in_policy)
    });
    let mut current: Option<(&str, &str)> = None;
    for l in order {
        let (source, namespace) = (&*l.workload.source, &*l.workload.namespace);
        if current.map(|c| c.0) != Some(source)
            && let Some(row) = w.sources.iter().find(|r| r.source == source)
        {
            let _ =
                writeln!(out, "source {} ({} containers, {} out of policy)", P(source), row.total, row.out_of_policy);
        }
        if current != Some((source, namespace)) {
            let bad = failing.get(&(source, namespace)).copied().unwrap_or(0);
            let _ = writeln!(out, "  namespace {} ({bad} out of policy)", P(namespace));
            current = Some((source, namespace));
        }
        out.push_str(&workload_text_line(l));
    }
    for row in w.sources.iter().filter(|r| r.total == 0) {
        let _ = writeln!(out, "source {} (no workload container)", P(&row.source));
    }
    out
}

/// One workload container as a text line (indented under its namespace).
fn workload_text_line(l: &WorkloadLine) -> String {
    let w = &l.workload;
    let list = match l.container_type {
        ContainerType::Container => String::new(),
        other => format!(" ({})", other.as_str()),
    };
    let mut detail = String::new();
    if let Some(reference) = &l.reference {
        let _ = write!(detail, " -> {}", P(reference));
    }
    if let Some(u) = l.underlying {
        let _ = write!(detail, " was {}", u.as_str());
    }
    if let Some(check) = &l.check {
        let _ = write!(detail, " [{}]", P(check));
    }
    if let Some(reason) = &l.reason {
        let _ = write!(detail, " {}", P(reason));
    }
    format!(
        "    {:<17} {}/{} {}{list} {}{detail}\n",
        l.class.as_str(),
        P(&w.kind),
        P(&w.name),
        P(&w.container),
        P(&l.image)
    )
}
