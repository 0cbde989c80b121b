//! The HTML report (`notaverify scan --report FILE.html`): one self-contained page (inline CSS and SVG, no script, no
//! external resource; a Content-Security-Policy of `default-src 'none'` makes sure of it) with
//! the counts per class as a bar chart, per-repository stacked bars, the per-source breakdown,
//! with `--previous` the progress since the previous scan (an inline-SVG trend bar per
//! repository: the share in policy then and now; the artifacts and workloads that changed,
//! newly out of policy first), the exceptions with the days left to their deadlines, the retired
//! material with the artifacts dual-signed during the rotation, every signer with its signatures
//! per class, and the artifacts out of policy with their signers. Every value from the inputs is
//! HTML-escaped.

use super::{MAX_LISTED, OutOfPolicy, Summary};
use crate::hash::{HashMap, HashMapExt};
use crate::rollup::{Change, ChangeKind, Comparison, NOT_SCANNED, Progress, RollUp, Row, Seen, Tally};
use crate::scan::{ScanSummary, SignerRow};
use crate::workloads::{ContainerType, WorkloadClass, WorkloadLine, WorkloadSummary};
use crate::{Class, days_phrase};
use std::fmt::Write as _;
/// Most workload containers listed per source (out of policy first).
const MAX_WORKLOADS_LISTED: usize = 500;

/// The colour of a class.
fn colour(class: Class) -> &'static str {
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
fn escape(text: &str) -> String {
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
            escape(&days_phrase(e.days_left, e.active)),
            if e.active { "in force" } else { "expired, not applied" },
            e.applied
        );
    }
    html.push_str("</tbody></table>");
    html
}

fn failing_table(failing: &OutOfPolicy) -> String {
    if failing.total() == 0 {
        return "<p>Every artifact is in policy.</p>".into();
    }
    let mut html = String::from(
        "<table><thead><tr><th>Class</th><th>Artifact</th><th>Check</th><th>Reason</th><th>Signers</th></tr></thead><tbody>",
    );
    for l in failing.listed() {
        let c = &l.classification;
        let signers: Vec<String> = l
            .signed_by()
            .map(|(class, signer)| {
                format!(
                    "<span class=\"dot\" style=\"background:{}\"></span>{} <span class=\"meta\">({})</span>",
                    colour(class),
                    escape(&signer.subject),
                    class.as_str()
                )
            })
            .collect();
        let _ = write!(
            html,
            "<tr><td><span class=\"dot\" style=\"background:{}\"></span>{}</td><td class=\"mono\">{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
            colour(c.class),
            c.class.as_str(),
            escape(&c.reference),
            escape(c.check.as_deref().unwrap_or("")),
            escape(c.reason.as_deref().unwrap_or("")),
            signers.join("<br>")
        );
    }
    html.push_str("</tbody></table>");
    if failing.total() > failing.listed().len() {
        let _ = write!(html, "<p>… and {} more (see the JSON lines).</p>", failing.total() - failing.listed().len());
    }
    html
}

/// Every signer of the scanned artifacts: the certificate, the artifacts it signs, and its
/// signatures per class as a stacked bar (at most [`MAX_LISTED`] signers).
fn signers_table(signers: &[SignerRow]) -> String {
    if signers.is_empty() {
        return "<p>No signature of the scanned artifacts names a signer.</p>".into();
    }
    let mut html = String::from(
        "<table class=\"repos\"><thead><tr><th>Signer</th><th>Issuer</th><th>Artifacts</th><th class=\"wide\">Signatures per class</th></tr></thead><tbody>",
    );
    for r in signers.iter().take(MAX_LISTED) {
        let total: usize = r.counts.iter().sum();
        let mut bar = String::from(r#"<div class="stack">"#);
        for (class, n) in Class::ALL.iter().zip(r.counts).filter(|(_, n)| *n > 0) {
            let pct = 100.0 * n as f64 / total.max(1) as f64;
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
            "<tr><td>{}<br><span class=\"mono\">sha256:{}</span></td><td>{}</td><td class=\"num\">{}</td><td>{bar}</td></tr>",
            escape(&r.signer.subject),
            escape(&r.signer.sha256_fingerprint),
            escape(&r.signer.issuer),
            r.artifacts
        );
    }
    html.push_str("</tbody></table>");
    if signers.len() > MAX_LISTED {
        let _ = write!(html, "<p>&hellip; and {} more (see the JSON summary).</p>", signers.len() - MAX_LISTED);
    }
    html
}

/// The colour of a class name: an artifact class, or `notScanned` (workloads).
fn colour_of(name: &str) -> &'static str {
    Class::from_name(name).map_or("#0277bd", colour)
}

/// A stacked bar of the classes of `t`.
fn tally_stack(t: &Tally) -> String {
    let mut bar = String::from(r#"<div class="stack">"#);
    for (class, n) in t.counts() {
        let pct = 100.0 * n as f64 / t.total.max(1) as f64;
        let _ = write!(
            bar,
            r#"<span style="width:{pct:.2}%;background:{}" title="{class}: {n}"></span>"#,
            colour_of(class)
        );
    }
    bar.push_str("</div>");
    bar
}

fn share_text(t: &Tally) -> String {
    t.share().map_or_else(|| "&ndash;".to_owned(), |s| format!("{:.0}%", s * 100.0))
}

fn tally_rows<'a>(rows: impl Iterator<Item = (&'a String, &'a Tally)>) -> String {
    let mut html = String::new();
    for (name, t) in rows {
        let _ = write!(
            html,
            "<tr><td class=\"mono\">{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td><td class=\"num{}\">{}</td><td class=\"num\">{}</td><td>{}</td></tr>",
            escape(name),
            t.total,
            t.in_policy,
            if t.out_of_policy() > 0 { " bad" } else { "" },
            t.out_of_policy(),
            share_text(t),
            tally_stack(t)
        );
    }
    html
}

/// The per-source breakdown: artifacts per input, workload containers per `--workloads-source`.
fn sources_section(rollup: &RollUp) -> String {
    let head = |what: &str| {
        format!(
            "<table class=\"repos\"><thead><tr><th>{what}</th><th>Total</th><th>In policy</th><th>Out of policy</th><th>Share in policy</th><th class=\"wide\">Classes</th></tr></thead><tbody>"
        )
    };
    let mut html = String::from("<h2 id=\"sources\">Per source</h2>");
    html.push_str(&head("Artifact source (layout or batch file)"));
    html.push_str(&tally_rows(rollup.sources.iter().map(|(n, t)| (n, t))));
    html.push_str("</tbody></table>");
    if !rollup.workload_sources.is_empty() {
        html.push_str(&head("Workload source (cluster, subscription)"));
        html.push_str(&tally_rows(rollup.workload_sources.iter().map(|(n, t)| (n, t))));
        html.push_str("</tbody></table>");
    }
    html
}

fn containers(n: usize) -> String {
    if n == 1 { "1 container".to_owned() } else { format!("{n} containers") }
}

/// The "Deployed workloads" section: per source (command-line order), per namespace (those
/// with a container out of policy first, then by name), the containers out of policy first;
/// at most [`MAX_WORKLOADS_LISTED`] containers per source.
fn workloads_section(w: &WorkloadSummary) -> String {
    let mut html = format!(
        "<h2 id=\"workloads\">Deployed workloads</h2><div class=\"tiles\"><div class=\"tile\"><b>{}</b>workload containers</div><div class=\"tile good\"><b>{}</b>in policy</div><div class=\"tile bad\"><b>{}</b>out of policy</div><div class=\"tile\"><b>{}</b>not scanned</div></div><p class=\"legend\"><span><span class=\"dot\" style=\"background:{}\"></span>{NOT_SCANNED}</span>: no scanned input holds the image (out of policy)</p>",
        w.total,
        w.in_policy,
        w.out_of_policy,
        w.counts[WorkloadClass::NotScanned.index()],
        colour_of(NOT_SCANNED),
    );
    for row in &w.sources {
        let tally = Tally::of_workloads(row.total, row.out_of_policy, &row.counts);
        let lines: Vec<&WorkloadLine> = w.lines.iter().filter(|l| *l.workload.source == *row.source).collect();
        let _ = write!(
            html,
            "<h3>{} &middot; {}, <span class=\"{}\">{} out of policy</span></h3>{}",
            escape(&row.source),
            containers(row.total),
            if row.out_of_policy > 0 { "up" } else { "down" },
            row.out_of_policy,
            tally_stack(&tally)
        );
        if lines.is_empty() {
            html.push_str("<p>No workload container.</p>");
            continue;
        }
        let mut failing: HashMap<&str, usize> = HashMap::new();
        let mut per_namespace: HashMap<&str, usize> = HashMap::new();
        for l in &lines {
            *per_namespace.entry(&*l.workload.namespace).or_default() += 1;
            if !l.in_policy {
                *failing.entry(&*l.workload.namespace).or_default() += 1;
            }
        }
        // The namespaces in their order (those with a container out of policy first, then by
        // name), so that the containers are sorted by a number, not by comparing names.
        let mut namespaces: Vec<&str> = per_namespace.keys().copied().collect();
        namespaces.sort_unstable_by_key(|ns| (!failing.contains_key(ns), *ns));
        let rank: HashMap<&str, usize> = namespaces.iter().enumerate().map(|(i, ns)| (*ns, i)).collect();
        // Only the first [`MAX_WORKLOADS_LISTED`] are listed: those are found, then sorted (in
        // the order of a stable sort: the line's index last).
        let mut order: Vec<(Option<usize>, bool, usize)> = lines
            .iter()
            .enumerate()
            .map(|(i, l)| (rank.get(&*l.workload.namespace).copied(), l.in_policy, i))
            .collect();
        if order.len() > MAX_WORKLOADS_LISTED {
            order.select_nth_unstable(MAX_WORKLOADS_LISTED);
            order.truncate(MAX_WORKLOADS_LISTED);
        }
        order.sort_unstable();
        let order: Vec<&WorkloadLine> = order.into_iter().map(|(_, _, i)| lines[i]).collect();
        html.push_str(
            "<table class=\"workloads\"><thead><tr><th>Class</th><th>Workload</th><th>Container</th><th>Image</th><th>Runs (scanned artifact)</th><th>Reason</th></tr></thead><tbody>",
        );
        let mut namespace: Option<&str> = None;
        for l in order {
            let ns = &*l.workload.namespace;
            if namespace != Some(ns) {
                let bad = failing.get(ns).copied().unwrap_or(0);
                let _ = write!(
                    html,
                    "<tr class=\"ns\"><th colspan=\"6\">namespace {} &middot; {}, {bad} out of policy</th></tr>",
                    if ns.is_empty() { "&ndash;".to_owned() } else { escape(ns) },
                    containers(per_namespace.get(ns).copied().unwrap_or(0))
                );
                namespace = Some(ns);
            }
            let list = match l.container_type {
                ContainerType::Container => String::new(),
                other => format!(" <span class=\"meta\">({})</span>", other.as_str()),
            };
            let runs = match (&l.reference, l.resolved_by) {
                (Some(r), Some(by)) => format!("{} <span class=\"meta\">(by {})</span>", escape(r), by.as_str()),
                (Some(r), None) => escape(r),
                (None, _) => "&ndash;".to_owned(),
            };
            let _ = write!(
                html,
                "<tr{}><td class=\"nw\"><span class=\"dot\" style=\"background:{}\"></span>{}</td><td class=\"wl\"><span class=\"meta\">{}</span><br>{}</td><td class=\"wl\">{}{list}</td><td class=\"mono\">{}</td><td class=\"mono\">{runs}</td><td>{}</td></tr>",
                if l.in_policy { "" } else { " class=\"worse\"" },
                colour_of(l.class.as_str()),
                l.class.as_str(),
                escape(&l.workload.kind),
                escape(&l.workload.name),
                escape(&l.workload.container),
                escape(&l.image),
                escape(l.reason.as_deref().unwrap_or(""))
            );
        }
        html.push_str("</tbody></table>");
        if lines.len() > MAX_WORKLOADS_LISTED {
            let _ = write!(
                html,
                "<p>&hellip; and {} more containers of this source (see the JSON lines).</p>",
                lines.len() - MAX_WORKLOADS_LISTED
            );
        }
    }
    html
}

/// A small trend bar: the share in policy then (upper bar) and now (lower bar).
fn trend_svg(r: &Row) -> String {
    let (w, bar_h) = (140.0, 10.0);
    let mut svg = format!(
        r#"<svg xmlns="http://www.w3.org/2000/svg" class="trend" width="{tw}" height="28" viewBox="0 0 {tw} 28" role="img" aria-label="share in policy then and now"><title>in policy then {} of {} ({}), now {} of {} ({})</title>"#,
        r.then.in_policy,
        r.then.total,
        share_text(&r.then).replace("&ndash;", "none"),
        r.now.in_policy,
        r.now.total,
        share_text(&r.now).replace("&ndash;", "none"),
        tw = w + 64.0,
    );
    for (i, (t, fill)) in [(&r.then, "#81c784"), (&r.now, "#2e7d32")].into_iter().enumerate() {
        let y = 3.0 + i as f64 * (bar_h + 4.0);
        let (back, filled) = match t.share() {
            Some(s) => ("#ef9a9a", w * s),
            None => ("#e0e0e0", 0.0),
        };
        let _ = write!(
            svg,
            r##"<rect x="0" y="{y}" width="{w}" height="{bar_h}" fill="{back}"/><rect x="0" y="{y}" width="{filled:.1}" height="{bar_h}" fill="{fill}"/><text x="{tx}" y="{ty}" font-size="10" fill="#333">{label} {share}</text>"##,
            tx = w + 4.0,
            ty = y + bar_h - 1.0,
            label = if i == 0 { "then" } else { "now" },
            share = share_text(t),
        );
    }
    svg.push_str("</svg>");
    svg
}

fn delta(now: usize, then: usize) -> String {
    match now.cmp(&then) {
        std::cmp::Ordering::Greater => format!("<span class=\"up\">+{}</span>", now - then),
        std::cmp::Ordering::Less => format!("<span class=\"down\">&minus;{}</span>", then - now),
        std::cmp::Ordering::Equal => "&plusmn;0".to_owned(),
    }
}

fn trend_table(what: &str, rows: &[Row]) -> String {
    let mut html = format!(
        "<table class=\"repos\"><thead><tr><th>{what}</th><th>Then (in policy / total)</th><th>Now (in policy / total)</th><th>Out of policy then &rarr; now</th><th class=\"trendcol\">Trend (share in policy)</th></tr></thead><tbody>"
    );
    for r in rows {
        let _ = write!(
            html,
            "<tr><td class=\"mono\">{}</td><td class=\"num\">{} / {}</td><td class=\"num\">{} / {}</td><td class=\"num\">{} &rarr; {} ({})</td><td>{}</td></tr>",
            escape(&r.name),
            r.then.in_policy,
            r.then.total,
            r.now.in_policy,
            r.now.total,
            r.then.out_of_policy(),
            r.now.out_of_policy(),
            delta(r.now.out_of_policy(), r.then.out_of_policy()),
            trend_svg(r)
        );
    }
    html.push_str("</tbody></table>");
    html
}

fn class_cell(s: &Option<Seen>) -> String {
    match s {
        None => "&ndash;".to_owned(),
        Some(s) => {
            format!("<span class=\"dot\" style=\"background:{}\"></span>{}", colour_of(s.state.class), s.state.class)
        }
    }
}

/// The changes of a comparison, newly out of policy first; `subject` renders the artifact or
/// workload cell (escaped).
fn changes_table<K>(what: &str, c: &Comparison<K>, subject: impl Fn(&Change<K>) -> String) -> String {
    let counts: Vec<String> = ChangeKind::ALL
        .iter()
        .zip(c.changes.counts)
        .filter(|(_, n)| *n > 0)
        .map(|(k, n)| format!("{n} {}", k.label()))
        .collect();
    if counts.is_empty() {
        return format!("<p>No {what} changed class, appeared or disappeared.</p>");
    }
    let mut html = format!(
        "<p class=\"note\">Changed {what}: {}.</p><table><thead><tr><th>Change</th><th>Then</th><th>Now</th><th>{}</th><th>Source</th></tr></thead><tbody>",
        counts.join(", "),
        if what == "artifacts" { "Artifact" } else { "Workload container" }
    );
    for ch in c.changes.listed.iter().take(MAX_LISTED) {
        let row_class = match ch.kind {
            ChangeKind::NewlyOutOfPolicy => " class=\"worse\"",
            ChangeKind::NewlyInPolicy => " class=\"better\"",
            _ => "",
        };
        let _ = write!(
            html,
            "<tr{row_class}><td class=\"nw\">{}</td><td class=\"nw\">{}</td><td class=\"nw\">{}</td><td class=\"mono\">{}</td><td class=\"mono\">{}</td></tr>",
            ch.kind.label(),
            class_cell(&ch.then),
            class_cell(&ch.now),
            subject(ch),
            escape(&ch.source)
        );
    }
    html.push_str("</tbody></table>");
    let listed = c.changes.listed.len().min(MAX_LISTED);
    if c.changes.total() > listed {
        let _ = write!(html, "<p>&hellip; and {} more (see the JSON summary).</p>", c.changes.total() - listed);
    }
    html
}

fn progress_section(p: &Progress) -> String {
    let a = &p.artifacts;
    let mut html = format!(
        "<h2 id=\"progress\">Progress since the previous scan</h2><div class=\"meta\">compared with <code>{}</code>{}</div>",
        escape(&p.previous),
        p.previous_at.as_deref().map(|at| format!(" (scan at {})", escape(at))).unwrap_or_default()
    );
    let _ = write!(
        html,
        "<div class=\"tiles\"><div class=\"tile\"><b>{} &rarr; {}</b>artifacts in policy</div><div class=\"tile bad\"><b>{} &rarr; {}</b>artifacts out of policy</div><div class=\"tile bad\"><b>{}</b>newly out of policy</div><div class=\"tile good\"><b>{}</b>newly in policy</div></div>",
        share_text(&a.total.then),
        share_text(&a.total.now),
        a.total.then.out_of_policy(),
        a.total.now.out_of_policy(),
        a.changes.counts[0],
        a.changes.counts[1],
    );
    html.push_str("<h3>Per repository</h3>");
    html.push_str(&trend_table("Repository", &a.repositories));
    html.push_str("<h3>Per source</h3>");
    html.push_str(&trend_table("Source", &a.sources));
    html.push_str("<h3>Artifacts that changed</h3>");
    html.push_str(&changes_table("artifacts", a, |c| escape(&c.key)));
    if let Some(w) = &p.workloads {
        html.push_str("<h3>Deployed workloads per source</h3>");
        html.push_str(&trend_table("Workload source", &w.sources));
        html.push_str("<h3>Workloads that changed</h3>");
        html.push_str(&changes_table("workloads", w, |c| {
            let k = &c.key;
            let image = |s: &Option<Seen>| s.as_ref().and_then(|s| s.image.clone());
            let images = match (image(&c.then), image(&c.now)) {
                (Some(t), Some(n)) if t != n => format!("<br>{} &rarr; {}", escape(&t), escape(&n)),
                (_, Some(i)) | (Some(i), None) => format!("<br>{}", escape(&i)),
                (None, None) => String::new(),
            };
            format!(
                "{} {}{}{} [{}]{images}",
                escape(&k.kind),
                if k.namespace.is_empty() { String::new() } else { escape(&k.namespace) },
                if k.namespace.is_empty() { "" } else { "/" },
                escape(&k.name),
                escape(&k.container)
            )
        }));
    }
    html
}

/// The page: `shown` with the artifacts out of policy listed in `failing`.
pub fn page(shown: &Summary<'_>, failing: &OutOfPolicy) -> String {
    // The workloads section looks at every workload line (tens of thousands): it is built on a
    // thread of its own meanwhile, since the scan's lines are written only once the report is.
    std::thread::scope(|s| {
        let workloads = shown.workloads.map(|w| s.spawn(move || workloads_section(w)));
        let workloads =
            move || workloads.map(|h| h.join().unwrap_or_else(|e| std::panic::resume_unwind(e))).unwrap_or_default();
        page_with(shown, failing, workloads)
    })
}

/// [`page`] with its workloads section given by `workloads`.
fn page_with(shown: &Summary<'_>, failing: &OutOfPolicy, workloads: impl FnOnce() -> String) -> String {
    let summary = shown.scan;
    // The other sections first: the workloads section is the last one waited for.
    let chart = bar_chart(summary);
    let repos = repository_bars(summary);
    let sources = sources_section(shown.rollup);
    let progress = shown.rollup.progress.as_ref().map(progress_section).unwrap_or_default();
    let exceptions = exceptions_table(summary);
    let signers = signers_table(&summary.signers);
    let failing = failing_table(failing);
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
        format!(
            "<h2>Retired trust material</h2><ul>{items}</ul><p class=\"note\"><b>{}</b> artifacts dual-signed: a retired and a current signer (re-signed during the rotation).</p>",
            summary.dual_signed
        )
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
h3{{font-size:15px;margin:18px 0 6px}} tr.worse td{{background:#fdecea}} tr.better td{{background:#edf7ee}}
.up{{color:#c62828;font-weight:bold}} .down{{color:#2e7d32;font-weight:bold}} svg.trend{{display:block}} td.nw{{white-space:nowrap}} th.trendcol{{width:220px}} p.note{{font-size:14px;margin:6px 0}} tr.ns th{{background:#e8eaf6;font-weight:normal}} td.wl{{overflow-wrap:normal;word-break:normal}} h3 .up,h3 .down{{font-weight:normal}} h3+.stack{{margin-bottom:8px}} table.repos+table.repos{{margin-top:12px}}
</style></head><body>
<h1>Signature posture</h1>
<div class="meta">notaverify scan at {at}{warn} &middot; {total} artifacts in {secs:.2} s ({us:.0} µs per artifact, {jobs} threads)</div>
<div class="tiles"><div class="tile"><b>{total}</b>artifacts</div><div class="tile good"><b>{good}</b>in policy</div><div class="tile bad"><b>{bad}</b>out of policy</div><div class="tile"><b>{exc}</b>excepted</div></div>
<h2>Artifacts per class</h2>
<div class="chart">{chart}</div>
<h2>Per repository</h2>
<p class="legend">{legend}</p>
{repos}
{sources}
{workloads}
{progress}
<h2 id="exceptions">Exceptions and their deadlines</h2>
{exceptions}
{retired}
<h2 id="signers">Signers</h2>
{signers}
<h2>Out of policy</h2>
{failing}
</body></html>
"#,
        total = summary.total,
        bad = summary.out_of_policy,
        good = summary.in_policy,
        exc = summary.counts[Class::ALL.iter().position(|c| *c == Class::Excepted).unwrap_or(0)],
        at = escape(&summary.at.to_rfc3339()),
        warn = if shown.warn_only { " (warn only)" } else { "" },
        secs = summary.elapsed.as_secs_f64(),
        us = summary.micros_per_artifact(),
        jobs = summary.jobs,
        chart = chart,
        repos = repos,
        sources = sources,
        workloads = workloads(),
        progress = progress,
        exceptions = exceptions,
        signers = signers,
        failing = failing,
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
