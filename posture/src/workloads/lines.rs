//! The workload lines as `notaverify scan -o json` prints them, one JSON object per line after
//! the artifact lines.

use super::json::first_special;
use super::{WorkloadId, WorkloadLine};
use crate::Class;
use std::sync::Arc;
use std::sync::mpsc::{channel, sync_channel};

/// One workload container as a JSON line: `{"workload": {"source", "kind", "namespace", "name",
/// "container"}, "containerType", "image", "reference", "resolvedBy", "normalised", "class",
/// "inPolicy", "underlying", "check", "reason"}`, appended to `out`: written member by member,
/// in that order, as serde_json writes it compactly (no intermediate JSON tree or string per
/// line: a scan may have a million of them).
fn json_line(line: &WorkloadLine, out: &mut String) {
    workload_start(&line.workload, out);
    json_line_rest(line, out);
}

/// The start of a line, what the lines of one workload's containers share: up to
/// `"container":`.
fn workload_start(w: &WorkloadId, out: &mut String) {
    out.push_str("{\"workload\":{\"source\":");
    json_str(out, &w.source);
    out.push_str(",\"kind\":");
    json_str(out, &w.kind);
    out.push_str(",\"namespace\":");
    json_str(out, &w.namespace);
    out.push_str(",\"name\":");
    json_str(out, &w.name);
    out.push_str(",\"container\":");
}

/// Whether two containers' lines start alike because they are of one workload: the lines of a
/// workload's containers share its strings ([`WorkloadId`]), so this compares no text.
fn same_workload(a: &WorkloadId, b: &WorkloadId) -> bool {
    Arc::ptr_eq(&a.source, &b.source)
        && Arc::ptr_eq(&a.kind, &b.kind)
        && Arc::ptr_eq(&a.namespace, &b.namespace)
        && Arc::ptr_eq(&a.name, &b.name)
}

/// The rest of a line, after [`workload_start`].
fn json_line_rest(line: &WorkloadLine, out: &mut String) {
    json_str(out, &line.workload.container);
    out.push_str("},\"containerType\":");
    json_str(out, line.container_type.as_str());
    out.push_str(",\"image\":");
    json_str(out, &line.image);
    out.push_str(",\"reference\":");
    json_opt_str(out, line.reference.as_deref());
    out.push_str(",\"resolvedBy\":");
    json_opt_str(out, line.resolved_by.map(|r| r.as_str()));
    out.push_str(if line.normalised { ",\"normalised\":true" } else { ",\"normalised\":false" });
    out.push_str(",\"class\":");
    json_str(out, line.class.as_str());
    out.push_str(if line.in_policy { ",\"inPolicy\":true" } else { ",\"inPolicy\":false" });
    out.push_str(",\"underlying\":");
    json_opt_str(out, line.underlying.map(Class::as_str));
    out.push_str(",\"check\":");
    json_opt_str(out, line.check.as_deref());
    out.push_str(",\"reason\":");
    json_opt_str(out, line.reason.as_deref());
    out.push('}');
}

/// Bytes a line takes without escapes, rounded up for its member names and punctuation (the
/// fixed text is under 256 bytes): a buffer of the lines' sum is written without growing,
/// unless strings need escaping (and the room not written is never touched).
fn json_line_size_hint(line: &WorkloadLine) -> usize {
    let w = &line.workload;
    let strings = [&*w.source, &*w.kind, &*w.namespace, &*w.name, &*w.container, &*line.image];
    let optional = [&line.reference, &line.check, &line.reason];
    256 + strings.iter().map(|s| s.len()).sum::<usize>()
        + optional.iter().map(|s| s.as_deref().map_or(0, str::len)).sum::<usize>()
}

impl WorkloadLine {
    /// Its line of `notaverify scan -o json` (without the newline).
    pub fn json_line(&self) -> String {
        let mut text = String::with_capacity(json_line_size_hint(self));
        json_line(self, &mut text);
        text
    }
}

/// A JSON string as serde_json writes it (compact): between quotes, `"` and `\\` escaped with a
/// backslash, control characters below U+0020 as `\b \t \n \f \r` or `\u00xx`, everything else
/// as it is.
fn json_str(out: &mut String, s: &str) {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    out.push('"');
    let mut rest = s;
    // The special bytes are ASCII: the text before one, and after it, are whole characters.
    while let Some(i) = first_special(rest.as_bytes()) {
        out.push_str(&rest[..i]);
        let byte = rest.as_bytes()[i];
        match byte {
            b'"' => out.push_str("\\\""),
            b'\\' => out.push_str("\\\\"),
            0x08 => out.push_str("\\b"),
            b'\t' => out.push_str("\\t"),
            b'\n' => out.push_str("\\n"),
            0x0c => out.push_str("\\f"),
            b'\r' => out.push_str("\\r"),
            _ => {
                out.push_str("\\u00");
                out.push(char::from(HEX[usize::from(byte >> 4)]));
                out.push(char::from(HEX[usize::from(byte & 0xf)]));
            }
        }
        rest = &rest[i + 1..];
    }
    out.push_str(rest);
    out.push('"');
}

/// A JSON string, or `null`.
fn json_opt_str(out: &mut String, s: Option<&str>) {
    match s {
        Some(s) => json_str(out, s),
        None => out.push_str("null"),
    }
}

/// Each line as JSON, one per line, appended to `out`. The lines of one workload's containers
/// come one after the other: the start they share is rendered once for them.
fn append_json_lines(lines: &[WorkloadLine], out: &mut String) {
    let mut start = String::new();
    let mut started: Option<&WorkloadId> = None;
    for line in lines {
        if !started.is_some_and(|w| same_workload(w, &line.workload)) {
            start.clear();
            workload_start(&line.workload, &mut start);
            started = Some(&line.workload);
        }
        out.push_str(&start);
        json_line_rest(line, out);
        out.push('\n');
    }
}

/// Workload lines rendered into one buffer at a time (see [`write_json_lines`]).
const LINES_PER_BLOCK: usize = 1024;

/// Writes every workload line as JSON, one per line, to `out`, in order. A scan may have
/// hundreds of thousands of them, tens of megabytes: they are rendered a block of
/// [`LINES_PER_BLOCK`] lines at a time on `jobs` threads (thread `t` renders blocks `t`,
/// `t + jobs`, ...) while this thread writes the blocks rendered, in order, so that rendering
/// and writing (a pipe's reader takes its time) overlap. Each thread renders into two buffers
/// taking turns, each reused once it is written: the output is never held whole (fresh memory
/// costs a page fault every 4 KiB).
pub fn write_json_lines(lines: &[WorkloadLine], jobs: usize, out: &mut dyn std::io::Write) -> std::io::Result<()> {
    let blocks = lines.len().div_ceil(LINES_PER_BLOCK);
    let jobs = jobs.clamp(1, blocks.max(1));
    std::thread::scope(|s| {
        let renderers: Vec<_> = (0..jobs)
            .map(|first| {
                let (rendered, written) = (sync_channel::<String>(1), channel::<String>());
                let (send_rendered, take_written) = (rendered.0, written.1);
                s.spawn(move || {
                    for block in lines.chunks(LINES_PER_BLOCK).skip(first).step_by(jobs) {
                        // Ends when the writer stops (its channels are dropped).
                        let Ok(mut buffer) = take_written.recv() else { return };
                        render_block(block, &mut buffer);
                        if send_rendered.send(buffer).is_err() {
                            return;
                        }
                    }
                });
                let give_back = written.0;
                for _ in 0..2 {
                    let _ = give_back.send(String::new());
                }
                (rendered.1, give_back)
            })
            .collect();
        for n in 0..blocks {
            let (take_rendered, give_back) = &renderers[n % jobs];
            // A renderer that ended early panicked: the scope raises its panic.
            let Ok(buffer) = take_rendered.recv() else { break };
            out.write_all(buffer.as_bytes())?;
            let _ = give_back.send(buffer);
        }
        Ok(())
    })
}

/// `block` as JSON lines into `buffer` (emptied first, with room for them all).
fn render_block(block: &[WorkloadLine], buffer: &mut String) {
    buffer.clear();
    buffer.reserve(block.iter().map(json_line_size_hint).sum());
    append_json_lines(block, buffer);
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
                source: format!("cluster {text}").into(),
                kind: "Deployment".into(),
                namespace: text.into(),
                name: format!("web-{text}").into(),
                container: "app".into(),
            },
            container_type: if resolved { ContainerType::Container } else { ContainerType::Sidecar },
            image: format!("registry.example/app:{text}"),
            reference: resolved.then(|| format!("registry.example/app@sha256:{text}").into()),
            resolved_by: resolved.then_some(ResolvedBy::Tag),
            normalised: resolved,
            class: if resolved { WorkloadClass::Artifact(Class::ALL[0]) } else { WorkloadClass::NotScanned },
            in_policy: resolved,
            underlying: resolved.then_some(Class::ALL[1]),
            check: resolved.then(|| format!("check {text}").into()),
            reason: Some(format!("because {text}").into()),
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
        let expected: String = lines.iter().map(|l| reference(l) + "\n").collect();
        for jobs in [1, 3] {
            let mut out = Vec::new();
            write_json_lines(&lines, jobs, &mut out).unwrap();
            assert_eq!(String::from_utf8(out).unwrap(), expected, "{jobs} jobs");
        }
        for line in &lines {
            assert_eq!(line.json_line(), reference(line));
        }
        // Several blocks per thread (each thread's buffers reused), the last one partial; runs of
        // containers of one workload (its strings shared: the start of their lines is rendered
        // once), some across blocks, and workloads alike but not shared.
        let many: Vec<WorkloadLine> = (0..LINES_PER_BLOCK * 2 * 3 + 5)
            .scan(None::<WorkloadLine>, |previous, i| {
                let mut next = line(&(i / 8).to_string(), i % 3 == 0);
                if let Some(previous) = previous.as_ref().filter(|_| i % 4 != 0) {
                    next.workload = WorkloadId { container: format!("c{i}"), ..previous.workload.clone() };
                }
                *previous = Some(next.clone());
                Some(next)
            })
            .collect();
        assert!(same_workload(&many[1].workload, &many[2].workload));
        assert!(!same_workload(&many[3].workload, &many[4].workload));
        let expected: String = many.iter().map(|l| reference(l) + "\n").collect();
        for jobs in [1, 2, 3] {
            let mut out = Vec::new();
            write_json_lines(&many, jobs, &mut out).unwrap();
            assert_eq!(String::from_utf8(out).unwrap(), expected, "{jobs} jobs");
        }
        // A write that fails ends the rendering: the error is returned, nothing waits for ever.
        struct Fails(usize);
        impl std::io::Write for Fails {
            fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
                self.0 = self.0.checked_sub(1).ok_or_else(|| std::io::Error::other("closed"))?;
                Ok(buf.len())
            }
            fn flush(&mut self) -> std::io::Result<()> {
                Ok(())
            }
        }
        for (jobs, writes) in [(1, 0), (2, 1), (3, 4)] {
            let failed = write_json_lines(&many, jobs, &mut Fails(writes)).unwrap_err();
            assert_eq!(failed.to_string(), "closed");
        }
    }
}
