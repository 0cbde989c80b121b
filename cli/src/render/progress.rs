//! The roll-up of `scan` (per source, and with `--previous` the progress since the previous
//! scan) as text after the summary tables (its JSON is `notaverify_posture::rollup`'s).

use crate::render::printable::Printable as P;
use notaverify_posture::rollup::{Change, ChangeKind, Comparison, RollUp, Row, Seen, Tally, WorkloadKey};
use std::fmt::Write as _;

/// Most changes listed in the text output (the JSON lists up to `MAX_CHANGES_KEPT`).
const MAX_TEXT_CHANGES: usize = 1000;

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
