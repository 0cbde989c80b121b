//! `scan` output: one line per artifact (JSON or text, with every signer of the artifact) and the
//! summary (counts per class and per repository, exceptions with days left, every signer, the
//! artifacts signed by both a retired and a current signer), shared by the text, JSON and HTML
//! renderings; with `--workloads`, one line per deployed workload container, the text "DEPLOYED
//! WORKLOADS" section and the workload counts per class and per source.

use crate::render::posture::days_phrase;
use crate::render::printable::Printable as P;
use crate::workloads::{ContainerType, WorkloadClass, WorkloadLine, WorkloadSummary};
/// One artifact as a JSON line: the posture crate's, so the bindings write the same line.
pub use notaverify_posture::scan::json_line;
use notaverify_posture::{Class, ScanSummary, ScannedArtifact};
use serde_json::{Value, json};
use std::collections::HashMap;
use std::fmt::Write as _;

/// The summary as `scan` shows it: the scan's counts, whether `--warn-only` was given, and with
/// `--workloads` the deployed workload containers.
#[derive(Clone, Copy, Debug)]
pub struct Summary<'a> {
    /// The scan's counts.
    pub scan: &'a ScanSummary,
    /// `--warn-only`.
    pub warn_only: bool,
    /// With `--workloads`: every deployed workload container with its class, and the counts.
    pub workloads: Option<&'a WorkloadSummary>,
}

impl Summary<'_> {
    /// The summary as JSON (the last line of `scan -o json`): the scan's members, `warnOnly`
    /// and with `--workloads` the `workloads` member.
    pub fn to_json(self) -> Value {
        let mut summary = notaverify_posture::scan::summary_json(self.scan);
        summary.insert("warnOnly".into(), json!(self.warn_only));
        if let Some(w) = self.workloads {
            summary.insert("workloads".into(), workloads_json(w));
        }
        Value::Object(summary)
    }

    /// The summary tables for a terminal.
    pub fn to_text(self) -> String {
        let mut out = String::new();
        let _ = writeln!(
            out,
            "Scanned {} artifacts at {} in {:.3} s ({:.1} µs per artifact, {} threads): {} in policy, {} out of policy{}",
            self.scan.total,
            self.scan.at.to_rfc3339(),
            self.scan.elapsed.as_secs_f64(),
            self.scan.micros_per_artifact(),
            self.scan.jobs,
            self.scan.in_policy,
            self.scan.out_of_policy,
            if self.warn_only { " (warn only: nothing blocked)" } else { "" }
        );
        let _ = writeln!(out, "\n{:<18} {:>8}", "CLASS", "COUNT");
        for (c, n) in Class::ALL.iter().zip(self.scan.counts) {
            let _ = writeln!(out, "{:<18} {:>8}", c.as_str(), n);
        }
        let used: Vec<usize> = (0..Class::ALL.len()).filter(|i| self.scan.counts[*i] > 0).collect();
        let width = self
            .scan
            .repositories
            .iter()
            .map(|r| r.repository.chars().count())
            .max()
            .unwrap_or(0)
            .max("REPOSITORY".len());
        let _ = write!(out, "\n{:<width$} {:>7} {:>7}", "REPOSITORY", "TOTAL", "FAILING");
        for i in &used {
            let _ = write!(out, " {:>w$}", Class::ALL[*i].as_str(), w = Class::ALL[*i].as_str().len().max(5));
        }
        out.push('\n');
        for r in &self.scan.repositories {
            let _ = write!(out, "{:<width$} {:>7} {:>7}", P(&r.repository), r.total, r.out_of_policy);
            for i in &used {
                let _ = write!(out, " {:>w$}", r.counts[*i], w = Class::ALL[*i].as_str().len().max(5));
            }
            out.push('\n');
        }
        if !self.scan.exceptions.is_empty() {
            let _ = writeln!(out, "\nEXCEPTIONS (soonest deadline first)");
            for e in &self.scan.exceptions {
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
        if !self.scan.retired.is_empty() {
            let _ = writeln!(out, "\nRETIRED TRUST MATERIAL");
            for (what, when) in &self.scan.retired {
                let _ = writeln!(out, "  {}  retired {}", P(what), P(when));
            }
            let _ =
                writeln!(out, "  artifacts dual-signed (a retired and a current signer): {}", self.scan.dual_signed);
        }
        if !self.scan.signers.is_empty() {
            let _ = writeln!(out, "\n{:>9}  SIGNER (signatures per class)", "ARTIFACTS");
            for r in &self.scan.signers {
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
        if let Some(w) = self.workloads {
            workloads_table(&mut out, w);
        }
        out
    }
}

/// The `workloads` member of the JSON summary: counts in total, per class (every class) and
/// per source (the classes present).
fn workloads_json(w: &WorkloadSummary) -> Value {
    let counts = |counts: &[usize; WorkloadClass::COUNT], all: bool| -> serde_json::Map<String, Value> {
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

/// One workload container as a JSON line: `{"workload": {"source", "kind", "namespace", "name",
/// "container"}, "containerType", "image", "reference", "resolvedBy", "normalised", "class",
/// "inPolicy", "underlying", "check", "reason"}`, appended to `out`: written member by member,
/// in that order, as serde_json writes it compactly (no intermediate JSON tree or string per
/// line: a scan may have a million of them).
fn workload_json_line(line: &WorkloadLine, out: &mut Vec<u8>) {
    let w = &line.workload;
    out.extend_from_slice(b"{\"workload\":{\"source\":");
    json_str(out, &w.source);
    out.extend_from_slice(b",\"kind\":");
    json_str(out, &w.kind);
    out.extend_from_slice(b",\"namespace\":");
    json_str(out, &w.namespace);
    out.extend_from_slice(b",\"name\":");
    json_str(out, &w.name);
    out.extend_from_slice(b",\"container\":");
    json_str(out, &w.container);
    out.extend_from_slice(b"},\"containerType\":");
    json_str(out, line.container_type.as_str());
    out.extend_from_slice(b",\"image\":");
    json_str(out, &line.image);
    out.extend_from_slice(b",\"reference\":");
    json_opt_str(out, line.reference.as_deref());
    out.extend_from_slice(b",\"resolvedBy\":");
    json_opt_str(out, line.resolved_by.map(|r| r.as_str()));
    out.extend_from_slice(if line.normalised { b",\"normalised\":true" } else { b",\"normalised\":false" });
    out.extend_from_slice(b",\"class\":");
    json_str(out, line.class.as_str());
    out.extend_from_slice(if line.in_policy { b",\"inPolicy\":true" } else { b",\"inPolicy\":false" });
    out.extend_from_slice(b",\"underlying\":");
    json_opt_str(out, line.underlying.map(Class::as_str));
    out.extend_from_slice(b",\"check\":");
    json_opt_str(out, line.check.as_deref());
    out.extend_from_slice(b",\"reason\":");
    json_opt_str(out, line.reason.as_deref());
    out.push(b'}');
}

/// A JSON string as serde_json writes it (compact): between quotes, `"` and `\\` escaped with a
/// backslash, control characters below U+0020 as `\b \t \n \f \r` or `\u00xx`, everything else
/// as it is.
fn json_str(out: &mut Vec<u8>, s: &str) {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    out.push(b'"');
    let mut rest = s.as_bytes();
    while let Some(i) = crate::workloads::first_special(rest) {
        out.extend_from_slice(&rest[..i]);
        let byte = rest[i];
        match byte {
            b'"' => out.extend_from_slice(b"\\\""),
            b'\\' => out.extend_from_slice(b"\\\\"),
            0x08 => out.extend_from_slice(b"\\b"),
            b'\t' => out.extend_from_slice(b"\\t"),
            b'\n' => out.extend_from_slice(b"\\n"),
            0x0c => out.extend_from_slice(b"\\f"),
            b'\r' => out.extend_from_slice(b"\\r"),
            _ => out.extend_from_slice(&[
                b'\\',
                b'u',
                b'0',
                b'0',
                HEX[usize::from(byte >> 4)],
                HEX[usize::from(byte & 0xf)],
            ]),
        }
        rest = &rest[i + 1..];
    }
    out.extend_from_slice(rest);
    out.push(b'"');
}

/// A JSON string, or `null`.
fn json_opt_str(out: &mut Vec<u8>, s: Option<&str>) {
    match s {
        Some(s) => json_str(out, s),
        None => out.extend_from_slice(b"null"),
    }
}

/// Every workload line as JSON, one per line, appended to `out` (rendered on `jobs` threads, in
/// order: a scan may have hundreds of thousands).
pub fn workload_json_lines(lines: &[WorkloadLine], jobs: usize, out: &mut String) {
    let per_thread = lines.len().div_ceil(jobs.max(1)).max(4096);
    let parts: Vec<String> = std::thread::scope(|s| {
        let handles: Vec<_> = lines
            .chunks(per_thread)
            .map(|part| {
                s.spawn(move || {
                    let mut text = Vec::with_capacity(part.len() * 400);
                    for line in part {
                        workload_json_line(line, &mut text);
                        text.push(b'\n');
                    }
                    // Strings and ASCII only.
                    String::from_utf8(text).unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned())
                })
            })
            .collect();
        handles.into_iter().map(|h| h.join().unwrap_or_else(|e| std::panic::resume_unwind(e))).collect()
    });
    out.reserve(parts.iter().map(String::len).sum());
    for part in parts {
        out.push_str(&part);
    }
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
        *failing.entry((l.workload.source.as_str(), l.workload.namespace.as_str())).or_default() += 1;
    }
    let mut order: Vec<&WorkloadLine> = w.lines.iter().collect();
    order.sort_by_key(|l| {
        let (source, namespace) = (l.workload.source.as_str(), l.workload.namespace.as_str());
        (source_rank(source), !failing.contains_key(&(source, namespace)), namespace, l.in_policy)
    });
    let mut current: Option<(&str, &str)> = None;
    for l in order {
        let (source, namespace) = (l.workload.source.as_str(), l.workload.namespace.as_str());
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::workloads::{ResolvedBy, WorkloadId};

    /// The line as serde_json writes it from a struct: what `workload_json_line` must write.
    fn reference(line: &WorkloadLine) -> String {
        #[derive(serde::Serialize)]
        #[serde(rename_all = "camelCase")]
        struct Json<'a> {
            workload: Id<'a>,
            container_type: &'static str,
            image: &'a str,
            reference: Option<&'a str>,
            resolved_by: Option<&'static str>,
            normalised: bool,
            class: &'static str,
            in_policy: bool,
            underlying: Option<&'static str>,
            check: Option<&'a str>,
            reason: Option<&'a str>,
        }
        #[derive(serde::Serialize)]
        struct Id<'a> {
            source: &'a str,
            kind: &'a str,
            namespace: &'a str,
            name: &'a str,
            container: &'a str,
        }
        let w = &line.workload;
        serde_json::to_string(&Json {
            workload: Id {
                source: &w.source,
                kind: &w.kind,
                namespace: &w.namespace,
                name: &w.name,
                container: &w.container,
            },
            container_type: line.container_type.as_str(),
            image: &line.image,
            reference: line.reference.as_deref(),
            resolved_by: line.resolved_by.map(|r| r.as_str()),
            normalised: line.normalised,
            class: line.class.as_str(),
            in_policy: line.in_policy,
            underlying: line.underlying.map(Class::as_str),
            check: line.check.as_deref(),
            reason: line.reason.as_deref(),
        })
        .unwrap()
    }

    #[test]
    fn workload_json_lines_are_what_serde_json_writes() {
        let line = |text: &str, resolved: bool| WorkloadLine {
            workload: WorkloadId {
                source: format!("cluster {text}"),
                kind: "Deployment".into(),
                namespace: text.into(),
                name: format!("web-{text}"),
                container: "app".into(),
            },
            container_type: if resolved { ContainerType::Container } else { ContainerType::Sidecar },
            image: format!("registry.example/app:{text}"),
            reference: resolved.then(|| format!("registry.example/app@sha256:{text}")),
            resolved_by: resolved.then_some(ResolvedBy::Tag),
            normalised: resolved,
            class: if resolved { WorkloadClass::Artifact(Class::ALL[0]) } else { WorkloadClass::NotScanned },
            in_policy: resolved,
            underlying: resolved.then_some(Class::ALL[1]),
            check: resolved.then(|| format!("check {text}")),
            reason: Some(format!("because {text}")),
        };
        let controls: String = (0u8..0x20).map(char::from).collect();
        let texts = [
            "plain",
            "",
            "quote \" and \\ backslash",
            "tab\there\nnew\u{1}line\u{7f}",
            "ünïcødé ✓ 🚀 \"ü\"",
            "</script>",
            &controls,
            "\"\"\"\"\"\"\"\"\"\\\\\\\\\\\\\\\\\\",
            "a long string whose special byte is far along the way: \u{1f}",
        ];
        let lines: Vec<WorkloadLine> = texts.iter().flat_map(|t| [line(t, true), line(t, false)]).collect();
        let mut out = String::new();
        workload_json_lines(&lines, 3, &mut out);
        let expected: String = lines.iter().map(|l| reference(l) + "\n").collect();
        assert_eq!(out, expected);
    }
}
