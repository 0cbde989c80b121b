//! The workload lines as `notaverify scan -o json` prints them, one JSON object per line after
//! the artifact lines.

use super::WorkloadLine;
use super::json::first_special;
use crate::Class;

/// One workload container as a JSON line: `{"workload": {"source", "kind", "namespace", "name",
/// "container"}, "containerType", "image", "reference", "resolvedBy", "normalised", "class",
/// "inPolicy", "underlying", "check", "reason"}`, appended to `out`: written member by member,
/// in that order, as serde_json writes it compactly (no intermediate JSON tree or string per
/// line: a scan may have a million of them).
fn json_line(line: &WorkloadLine, out: &mut Vec<u8>) {
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

/// Bytes a line takes without escapes, rounded up for its member names and punctuation (the
/// fixed text is under 256 bytes): a buffer of the lines' sum is written without growing,
/// unless strings need escaping (and the room not written is never touched).
fn json_line_size_hint(line: &WorkloadLine) -> usize {
    let w = &line.workload;
    let strings = [&w.source, &w.kind, &w.namespace, &w.name, &w.container, &line.image];
    let optional = [&line.reference, &line.check, &line.reason];
    256 + strings.iter().map(|s| s.len()).sum::<usize>()
        + optional.iter().map(|s| s.as_ref().map_or(0, String::len)).sum::<usize>()
}

/// A JSON string as serde_json writes it (compact): between quotes, `"` and `\\` escaped with a
/// backslash, control characters below U+0020 as `\b \t \n \f \r` or `\u00xx`, everything else
/// as it is.
fn json_str(out: &mut Vec<u8>, s: &str) {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    out.push(b'"');
    let mut rest = s.as_bytes();
    while let Some(i) = first_special(rest) {
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
pub fn json_lines(lines: &[WorkloadLine], jobs: usize, out: &mut String) {
    let per_thread = lines.len().div_ceil(jobs.max(1)).max(4096);
    let parts: Vec<String> = std::thread::scope(|s| {
        let handles: Vec<_> = lines
            .chunks(per_thread)
            .map(|part| {
                s.spawn(move || {
                    let mut text = Vec::with_capacity(part.iter().map(json_line_size_hint).sum());
                    for line in part {
                        json_line(line, &mut text);
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::workloads::{ContainerType, ResolvedBy, WorkloadClass, WorkloadId};

    /// The line as serde_json writes it from a struct: what `json_line` must write.
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
        json_lines(&lines, 3, &mut out);
        let expected: String = lines.iter().map(|l| reference(l) + "\n").collect();
        assert_eq!(out, expected);
    }
}
