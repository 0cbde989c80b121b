//! The roll-up of `scan` (per source, and with `--previous` the progress since the previous
//! scan) as JSON members of the summary line and as text after the summary tables.

use crate::progress::{Change, ChangeKind, Comparison, Progress, RollUp, Row, Seen, Tally, WorkloadKey};
use crate::render::printable::Printable as P;
use serde_json::{Map, Value, json};
use std::fmt::Write as _;

/// Most changes listed in the text output (the JSON lists up to `MAX_CHANGES_KEPT`).
const MAX_TEXT_CHANGES: usize = 1000;

/// Counts as JSON: `{"total", "inPolicy", "outOfPolicy", "counts": {class: n}}`.
pub fn tally_json(t: &Tally) -> Value {
    let counts: Map<String, Value> = t.counts().into_iter().map(|(c, n)| (c.to_owned(), json!(n))).collect();
    json!({"total": t.total, "inPolicy": t.in_policy, "outOfPolicy": t.out_of_policy(), "counts": counts})
}

fn row_json(name_key: &str, r: &Row) -> Value {
    let mut v = json!({"then": tally_json(&r.then), "now": tally_json(&r.now)});
    v[name_key] = json!(r.name);
    v
}

fn seen_json(s: &Option<Seen>) -> Value {
    match s {
        None => Value::Null,
        Some(s) => {
            let mut v = json!({"class": s.state.class, "inPolicy": s.state.in_policy});
            if let Some(image) = &s.image {
                v["image"] = json!(image);
            }
            v
        }
    }
}

/// The JSON of a workload key.
pub fn workload_json(k: &WorkloadKey) -> Value {
    json!({"source": k.source, "kind": k.kind, "namespace": k.namespace, "name": k.name, "container": k.container})
}

fn comparison_json<K>(
    c: &Comparison<K>,
    with_repositories: bool,
    key: impl Fn(&Change<K>) -> (&'static str, Value),
) -> Value {
    let counts: Map<String, Value> =
        ChangeKind::ALL.iter().zip(c.changes.counts).map(|(k, n)| (k.as_str().to_owned(), json!(n))).collect();
    let changed: Vec<Value> = c
        .changes
        .listed
        .iter()
        .map(|ch| {
            let mut v = json!({"change": ch.kind.as_str()});
            let (name, value) = key(ch);
            v[name] = value;
            if with_repositories {
                v["repository"] = json!(ch.repository);
            }
            v["source"] = json!(ch.source);
            v["then"] = seen_json(&ch.then);
            v["now"] = seen_json(&ch.now);
            v
        })
        .collect();
    let mut v = json!({
        "total": {"then": tally_json(&c.total.then), "now": tally_json(&c.total.now)},
        "sources": c.sources.iter().map(|r| row_json("source", r)).collect::<Vec<_>>(),
        "changes": counts,
        "changed": changed,
        "changedOmitted": c.changes.omitted(),
    });
    if with_repositories {
        v["repositories"] = c.repositories.iter().map(|r| row_json("repository", r)).collect::<Vec<_>>().into();
    }
    v
}

/// `progress` of the summary line.
pub fn progress_json(p: &Progress) -> Value {
    let mut v = json!({
        "previous": p.previous,
        "previousAt": p.previous_at,
        "artifacts": comparison_json(&p.artifacts, true, |c| ("reference", json!(c.key))),
    });
    if let Some(w) = &p.workloads {
        v["workloads"] = comparison_json(w, false, |c| ("workload", workload_json(&c.key)));
    }
    v
}

/// The summary JSON with the roll-up added: `sources` (artifacts per source) and, with
/// `--previous`, `progress`.
pub fn summary_json(mut summary: Value, rollup: &RollUp) -> Value {
    if let Some(obj) = summary.as_object_mut() {
        let sources: Vec<Value> = rollup
            .sources
            .iter()
            .map(|(name, t)| {
                let mut v = tally_json(t);
                v["source"] = json!(name);
                v
            })
            .collect();
        obj.insert("sources".into(), sources.into());
        if let Some(p) = &rollup.progress {
            obj.insert("progress".into(), progress_json(p));
        }
    }
    summary
}

fn percent(t: &Tally) -> String {
    t.share().map_or_else(|| "-".to_owned(), |s| format!("{:.0}%", s * 100.0))
}

fn signed(now: usize, then: usize) -> String {
    match now.cmp(&then) {
        std::cmp::Ordering::Greater => format!("+{}", now - then),
        std::cmp::Ordering::Less => format!("-{}", then - now),
        std::cmp::Ordering::Equal => "±0".to_owned(),
    }
}

/// "in/total (share)".
fn fraction(t: &Tally) -> String {
    format!("{}/{} ({})", t.in_policy, t.total, percent(t))
}

fn rows_text(out: &mut String, title: &str, rows: &[Row]) {
    let width = rows.iter().map(|r| P(&r.name).escaped().chars().count()).max().unwrap_or(0).max(title.len());
    let _ = writeln!(
        out,
        "{title:<width$} {:>20} {:>20} {:>9} {:>9} {:>7}",
        "IN POLICY THEN", "IN POLICY NOW", "OUT THEN", "OUT NOW", "CHANGE"
    );
    for r in rows {
        let _ = writeln!(
            out,
            "{:<width$} {:>20} {:>20} {:>9} {:>9} {:>7}",
            P(&r.name),
            fraction(&r.then),
            fraction(&r.now),
            r.then.out_of_policy(),
            r.now.out_of_policy(),
            signed(r.now.out_of_policy(), r.then.out_of_policy())
        );
    }
}

fn seen_text(s: &Option<Seen>) -> String {
    match s {
        None => "-".to_owned(),
        Some(s) => s.state.class.to_owned(),
    }
}

fn comparison_text<K>(out: &mut String, what: &str, c: &Comparison<K>, key: impl Fn(&Change<K>) -> String) {
    let (t, n) = (&c.total.then, &c.total.now);
    let _ = writeln!(
        out,
        "{what}: {} then, {} now; in policy {} -> {}; out of policy {} -> {} ({})",
        t.total,
        n.total,
        fraction(t),
        fraction(n),
        t.out_of_policy(),
        n.out_of_policy(),
        signed(n.out_of_policy(), t.out_of_policy())
    );
    if !c.repositories.is_empty() {
        out.push('\n');
        rows_text(out, "REPOSITORY", &c.repositories);
    }
    if !c.sources.is_empty() {
        out.push('\n');
        rows_text(out, "SOURCE", &c.sources);
    }
    let counts: Vec<String> = ChangeKind::ALL
        .iter()
        .zip(c.changes.counts)
        .filter(|(_, n)| *n > 0)
        .map(|(k, n)| format!("{n} {}", k.label()))
        .collect();
    if counts.is_empty() {
        let _ = writeln!(out, "\nNo {what} changed class.");
        return;
    }
    let _ = writeln!(out, "\nCHANGED {} (newly out of policy first): {}", what.to_uppercase(), counts.join(", "));
    for ch in c.changes.listed.iter().take(MAX_TEXT_CHANGES) {
        let _ = writeln!(
            out,
            "  {:<20} {:<17} -> {:<17} {}",
            ch.kind.label(),
            seen_text(&ch.then),
            seen_text(&ch.now),
            P(&key(ch))
        );
    }
    let shown = c.changes.listed.len().min(MAX_TEXT_CHANGES);
    if c.changes.total() > shown {
        let _ = writeln!(out, "  ... and {} more", c.changes.total() - shown);
    }
}

/// The workload key for people: `source kind namespace/name container`.
pub fn workload_text(k: &WorkloadKey) -> String {
    let ns = if k.namespace.is_empty() { String::new() } else { format!("{}/", k.namespace) };
    format!("{} {} {ns}{} [{}]", k.source, k.kind, k.name, k.container)
}

/// The text after the summary tables: per source and, with `--previous`, the progress.
pub fn text(rollup: &RollUp) -> String {
    let mut out = String::new();
    if !rollup.sources.is_empty() {
        let width =
            rollup.sources.iter().map(|(n, _)| P(n).escaped().chars().count()).max().unwrap_or(0).max("SOURCE".len());
        let _ = writeln!(out, "\n{:<width$} {:>7} {:>9} {:>7}", "SOURCE", "TOTAL", "IN POLICY", "FAILING");
        for (name, t) in &rollup.sources {
            let _ = writeln!(out, "{:<width$} {:>7} {:>9} {:>7}", P(name), t.total, t.in_policy, t.out_of_policy());
        }
    }
    if let Some(p) = &rollup.progress {
        let _ = writeln!(
            out,
            "\nPROGRESS SINCE THE PREVIOUS SCAN ({}{})",
            P(&p.previous),
            p.previous_at.as_deref().map(|at| format!(", at {}", P(at))).unwrap_or_default()
        );
        comparison_text(&mut out, "artifacts", &p.artifacts, |c| c.key.clone());
        if let Some(w) = &p.workloads {
            out.push('\n');
            comparison_text(&mut out, "workloads", w, |c| {
                let image = |s: &Option<Seen>| s.as_ref().and_then(|s| s.image.clone());
                match (image(&c.then), image(&c.now)) {
                    (Some(t), Some(n)) if t != n => format!("{} {t} -> {n}", workload_text(&c.key)),
                    (_, Some(i)) | (Some(i), None) => format!("{} {i}", workload_text(&c.key)),
                    (None, None) => workload_text(&c.key),
                }
            });
        }
    }
    out
}
