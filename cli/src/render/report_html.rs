//! `scan --report FILE.html`: one self-contained page (inline CSS and SVG, no script, no
//! external resource; a Content-Security-Policy of `default-src 'none'` makes sure of it) with
//! the counts per class as a bar chart, per-repository stacked bars, the exceptions with the
//! days left to their deadlines, and the artifacts out of policy.

use super::summary::{Line, ScanSummary};
use crate::commands::posture::days_phrase;
use notaverify::posture::Class;
use std::fmt::Write as _;

/// Most out-of-policy artifacts listed in the page.
const MAX_LISTED: usize = 500;

/// The colour of a class (also used in the text legend).
pub fn colour(class: Class) -> &'static str {
    match class {
        Class::Verified => "#2e7d32",
        Class::Excepted => "#f9a825",
        Class::SkippedByPolicy => "#9e9e9e",
        Class::Unsigned => "#c62828",
        Class::UnknownSigner => "#6a1b9a",
        Class::RetiredSigner => "#ef6c00",
        Class::InvalidSignature => "#ad1457",
        Class::Expired => "#5d4037",
        Class::Failed => "#37474f",
    }
}

/// HTML-escapes text.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for ch in text.chars() {
        match ch {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

fn bar_chart(summary: &ScanSummary) -> String {
    let max = summary.counts.iter().copied().max().unwrap_or(0).max(1);
    let (label_w, bar_w, row_h) = (150.0, 640.0, 30.0);
    let height = row_h * Class::ALL.len() as f64 + 10.0;
    let mut svg = format!(
        r#"<svg xmlns="http://www.w3.org/2000/svg" role="img" aria-label="artifacts per class" width="{w}" height="{height}" viewBox="0 0 {w} {height}">"#,
        w = label_w + bar_w + 80.0
    );
    for (i, (class, n)) in Class::ALL.iter().zip(summary.counts).enumerate() {
        let y = 5.0 + i as f64 * row_h;
        let width = if n == 0 { 0.0 } else { (bar_w * n as f64 / max as f64).max(2.0) };
        let _ = write!(
            svg,
            r##"<text x="{tx}" y="{ty}" text-anchor="end" font-size="14" fill="#222">{name}</text><rect x="{label_w}" y="{y}" width="{width:.1}" height="{h}" rx="3" fill="{c}"><title>{name}: {n}</title></rect><text x="{vx:.1}" y="{ty}" font-size="14" fill="#222">{n}</text>"##,
            tx = label_w - 8.0,
            ty = y + 17.0,
            name = class.as_str(),
            h = row_h - 8.0,
            c = colour(*class),
            vx = label_w + width + 6.0,
        );
    }
    svg.push_str("</svg>");
    svg
}

fn repository_bars(summary: &ScanSummary) -> String {
    let mut html = String::from(
        r#"<table class="repos"><thead><tr><th>Repository</th><th>Artifacts</th><th>Out of policy</th><th class="wide">Classes</th></tr></thead><tbody>"#,
    );
    for r in &summary.repositories {
        let mut bar = String::from(r#"<div class="stack">"#);
        for (i, class) in Class::ALL.iter().enumerate() {
            let n = r.counts[i];
            if n == 0 {
                continue;
            }
            let pct = 100.0 * n as f64 / r.total.max(1) as f64;
            let _ = write!(
                bar,
                r#"<span style="width:{pct:.2}%;background:{}" title="{}: {n}"></span>"#,
                colour(*class),
                class.as_str()
            );
        }
        bar.push_str("</div>");
        let _ = write!(
            html,
            "<tr><td>{}</td><td class=\"num\">{}</td><td class=\"num{}\">{}</td><td>{bar}</td></tr>",
            escape(&r.repository),
            r.total,
            if r.out_of_policy > 0 { " bad" } else { "" },
            r.out_of_policy
        );
    }
    html.push_str("</tbody></table>");
    html
}

fn exceptions_table(summary: &ScanSummary) -> String {
    if summary.exceptions.is_empty() {
        return "<p>No exceptions file was given.</p>".into();
    }
    let mut html = String::from(
        "<table><thead><tr><th>Scope</th><th>Owner</th><th>Reason</th><th>Expires</th><th>Days left</th><th>Status</th><th>Applied</th></tr></thead><tbody>",
    );
    for e in &summary.exceptions {
        let class = if !e.active {
            "expired"
        } else if e.days_left <= 14 {
            "soon"
        } else {
            "ok"
        };
        let width = (e.days_left.clamp(0, 90) as f64 / 90.0 * 100.0).max(if e.active { 2.0 } else { 0.0 });
        let _ = write!(
            html,
            "<tr class=\"{class}\"><td class=\"mono\">{}</td><td>{}</td><td>{}</td><td>{}</td><td><div class=\"days\"><span style=\"width:{width:.0}%\"></span></div>{}</td><td>{}</td><td class=\"num\">{}</td></tr>",
            escape(&e.scope),
            escape(&e.owner),
            escape(&e.reason),
            escape(&e.expires),
            escape(&days_phrase(e.days_left)),
            if e.active { "in force" } else { "expired, not applied" },
            e.applied
        );
    }
    html.push_str("</tbody></table>");
    html
}

fn failing_table(lines: &[Line]) -> String {
    let failing: Vec<&Line> = lines.iter().filter(|l| !l.classification.in_policy).collect();
    if failing.is_empty() {
        return "<p>Every artifact is in policy.</p>".into();
    }
    let mut html = String::from(
        "<table><thead><tr><th>Class</th><th>Artifact</th><th>Check</th><th>Reason</th></tr></thead><tbody>",
    );
    for l in failing.iter().take(MAX_LISTED) {
        let c = &l.classification;
        let _ = write!(
            html,
            "<tr><td><span class=\"dot\" style=\"background:{}\"></span>{}</td><td class=\"mono\">{}</td><td>{}</td><td>{}</td></tr>",
            colour(c.class),
            c.class.as_str(),
            escape(&c.reference),
            escape(c.check.as_deref().unwrap_or("")),
            escape(c.reason.as_deref().unwrap_or(""))
        );
    }
    html.push_str("</tbody></table>");
    if failing.len() > MAX_LISTED {
        let _ = write!(html, "<p>… and {} more (see the JSON lines).</p>", failing.len() - MAX_LISTED);
    }
    html
}

/// The page.
pub fn page(summary: &ScanSummary, lines: &[Line]) -> String {
    let mut legend = String::new();
    for class in Class::ALL {
        let _ = write!(
            legend,
            "<span><span class=\"dot\" style=\"background:{}\"></span>{}</span> ",
            colour(class),
            class.as_str()
        );
    }
    let retired = if summary.retired.is_empty() {
        String::new()
    } else {
        let items: String = summary
            .retired
            .iter()
            .map(|(w, d)| format!("<li><code>{}</code> retired {}</li>", escape(w), escape(d)))
            .collect();
        format!("<h2>Retired trust material</h2><ul>{items}</ul>")
    };
    format!(
        r#"<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">
<title>notaverify scan: {total} artifacts, {bad} out of policy</title>
<style>
body{{font-family:system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;margin:24px 32px;color:#222;background:#fafafa}}
h1{{font-size:22px;margin:0 0 4px}} h2{{font-size:17px;margin:28px 0 8px}}
.meta{{color:#555;font-size:13px}}
.tiles{{display:flex;gap:12px;margin:16px 0}} .tile{{background:#fff;border:1px solid #ddd;border-radius:6px;padding:10px 16px;min-width:120px}}
.tile b{{display:block;font-size:24px}} .tile.bad b{{color:#c62828}} .tile.good b{{color:#2e7d32}}
table{{border-collapse:collapse;background:#fff;font-size:13px;width:100%;table-layout:auto}} td{{overflow-wrap:anywhere}} th,td{{border:1px solid #e0e0e0;padding:4px 8px;text-align:left;vertical-align:top}}
th{{background:#f0f0f0}} td.num{{text-align:right}} td.bad{{color:#c62828;font-weight:bold}} th.wide{{width:45%}}
.stack{{display:flex;height:14px;border-radius:3px;overflow:hidden;background:#eee}} .stack span{{display:block;height:100%}}
.dot{{display:inline-block;width:10px;height:10px;border-radius:50%;margin-right:5px;vertical-align:middle}}
.legend span{{margin-right:10px;font-size:13px}} .mono{{font-family:ui-monospace,monospace;font-size:12px;word-break:break-all}}
.days{{display:inline-block;width:80px;height:8px;background:#eee;margin-right:6px;vertical-align:middle}} .days span{{display:block;height:100%;background:#2e7d32}}
tr.soon .days span{{background:#f9a825}} tr.expired td{{color:#c62828}}
.chart{{background:#fff;border:1px solid #ddd;border-radius:6px;padding:8px;display:inline-block}}
</style></head><body>
<h1>Signature posture</h1>
<div class="meta">notaverify scan at {at}{warn} &middot; {total} artifacts in {secs:.2} s ({us:.0} µs per artifact, {jobs} threads)</div>
<div class="tiles"><div class="tile"><b>{total}</b>artifacts</div><div class="tile good"><b>{good}</b>in policy</div><div class="tile bad"><b>{bad}</b>out of policy</div><div class="tile"><b>{exc}</b>excepted</div></div>
<h2>Artifacts per class</h2>
<div class="chart">{chart}</div>
<h2>Per repository</h2>
<p class="legend">{legend}</p>
{repos}
<h2>Exceptions and their deadlines</h2>
{exceptions}
{retired}
<h2>Out of policy</h2>
{failing}
</body></html>
"#,
        total = summary.total,
        bad = summary.out_of_policy,
        good = summary.in_policy,
        exc = summary.counts[Class::ALL.iter().position(|c| *c == Class::Excepted).unwrap_or(0)],
        at = escape(&summary.at.to_rfc3339()),
        warn = if summary.warn_only { " (warn only)" } else { "" },
        secs = summary.elapsed.as_secs_f64(),
        us = summary.micros_per_artifact(),
        jobs = summary.jobs,
        chart = bar_chart(summary),
        repos = repository_bars(summary),
        exceptions = exceptions_table(summary),
        failing = failing_table(lines),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escaping() {
        assert_eq!(escape(r#"<a href="x">&'"#), "&lt;a href=&quot;x&quot;&gt;&amp;&#39;");
    }
}
