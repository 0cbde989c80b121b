//! Reading a previous scan: an earlier `notaverify scan -o json` output, checked line by line
//! (see the module documentation of [`super`] for what it must be).

use super::{
    MAX_PREVIOUS_BYTES, MAX_PREVIOUS_LINE_BYTES, MAX_PREVIOUS_LINES, NOT_SCANNED, Previous, Seen, Side, State,
    WorkloadKey, known_class, source_of,
};
use crate::Class;
use notaverify::{Error, loader};
use serde_json::{Map, Value};
use std::io::{BufRead, Read};
use std::path::Path;

/// Reads an earlier `scan -o json` output (see the module documentation for what it must be).
pub fn read_previous(path: &Path) -> Result<Previous, Error> {
    let shown = path.display().to_string();
    let fail = |reason: String| Error::Load { path: shown.clone(), reason };
    // Opened by the loader's one file rule (a regular file, not a symlink); read here line by line.
    let file = loader::open_file(path, "previous scan")?;
    let len = file.metadata().map_err(|e| fail(format!("the previous scan cannot be read: {e}")))?.len();
    if len > MAX_PREVIOUS_BYTES {
        return Err(fail(format!("the previous scan is larger than {MAX_PREVIOUS_BYTES} bytes ({len})")));
    }
    let mut reader = std::io::BufReader::new(file.take(MAX_PREVIOUS_BYTES + 1));
    let mut previous =
        Previous { path: shown.clone(), at: None, artifacts: Side::default(), workloads: Side::default() };
    // The summary line's number, and the artifact and workload totals it states.
    let mut summary: Option<(usize, Option<u64>, Option<u64>)> = None;
    let mut raw = Vec::new();
    let (mut number, mut read) = (0usize, 0u64);
    loop {
        raw.clear();
        let n = reader
            .by_ref()
            .take(MAX_PREVIOUS_LINE_BYTES as u64 + 1)
            .read_until(b'\n', &mut raw)
            .map_err(|e| fail(format!("the previous scan cannot be read: {e}")))?;
        if n == 0 {
            break;
        }
        number += 1;
        read += n as u64;
        if read > MAX_PREVIOUS_BYTES {
            return Err(fail(format!("the previous scan is larger than {MAX_PREVIOUS_BYTES} bytes")));
        }
        if raw.len() > MAX_PREVIOUS_LINE_BYTES {
            return Err(fail(format!("line {number} is longer than {MAX_PREVIOUS_LINE_BYTES} bytes")));
        }
        if number > MAX_PREVIOUS_LINES {
            return Err(fail(format!("more than {MAX_PREVIOUS_LINES} lines")));
        }
        let at_line = |reason: String| fail(format!("line {number}: {reason}"));
        let text = std::str::from_utf8(&raw).map_err(|_| at_line("not UTF-8".into()))?.trim();
        if text.is_empty() {
            continue;
        }
        if let Some((line, _, _)) = summary {
            return Err(at_line(format!("a line after the summary line (line {line})")));
        }
        let value: Value = serde_json::from_str(text).map_err(|e| at_line(format!("not JSON: {e}")))?;
        let obj = value.as_object().ok_or_else(|| at_line("not a JSON object".into()))?;
        if let Some(s) = obj.get("summary") {
            let s = s.as_object().ok_or_else(|| at_line("summary is not an object".into()))?;
            previous.at = match s.get("at") {
                None | Some(Value::Null) => None,
                Some(Value::String(at)) => Some(at.clone()),
                Some(_) => return Err(at_line("summary.at is not a string".into())),
            };
            let count = |v: Option<&Value>, what: &str| match v {
                None => Ok(None),
                Some(t) => t.as_u64().map(Some).ok_or_else(|| at_line(format!("{what} is not a count"))),
            };
            let total = count(s.get("total"), "summary.total")?;
            let workloads = count(s.get("workloads").and_then(|w| w.get("total")), "summary.workloads.total")?;
            summary = Some((number, total, workloads));
        } else if let Some(error) = obj.get("error") {
            let message = error.get("message").and_then(Value::as_str).unwrap_or("no message");
            return Err(at_line(format!("the previous scan failed (it has no result): {message}")));
        } else if let Some(w) = obj.get("workload") {
            let (key, seen) = workload_line(w, obj).map_err(at_line)?;
            let source = key.source.clone();
            previous.workloads.add(key, seen, None, &source);
        } else {
            let reference = string(obj, "reference").map_err(at_line)?;
            let state = state(obj).map_err(at_line)?;
            let repository = string(obj, "repository").map_err(at_line)?;
            let source = string(obj, "source").map_err(at_line)?;
            if Class::from_name(state.class).is_none() {
                return Err(at_line(format!("{NOT_SCANNED:?} is a workload class, not an artifact's")));
            }
            previous.artifacts.add(
                reference.to_owned(),
                Seen { state, image: None },
                Some(repository),
                source_of(source),
            );
        }
    }
    match summary {
        None if number == 0 || previous.artifacts.is_empty() && previous.workloads.is_empty() => {
            Err(fail("empty: not a `scan -o json` output".into()))
        }
        None => {
            Err(fail(format!("no summary line after line {number}: not a complete `scan -o json` output (truncated?)")))
        }
        Some((line, Some(total), _)) if total != previous.artifacts.total.total as u64 => Err(fail(format!(
            "line {line}: the summary counts {total} artifacts but the file has {} artifact lines (truncated or edited?)",
            previous.artifacts.total.total
        ))),
        Some((line, _, Some(total))) if total != previous.workloads.total.total as u64 => Err(fail(format!(
            "line {line}: the summary counts {total} workload containers but the file has {} workload lines \
             (truncated or edited?)",
            previous.workloads.total.total
        ))),
        Some(_) => Ok(previous),
    }
}

fn string<'a>(obj: &'a Map<String, Value>, key: &str) -> Result<&'a str, String> {
    obj.get(key).and_then(Value::as_str).ok_or_else(|| format!("{key} (a string) is missing"))
}

fn state(obj: &Map<String, Value>) -> Result<State, String> {
    let name = string(obj, "class")?;
    let (class, in_policy) = known_class(name).ok_or_else(|| format!("unknown class {name:?}"))?;
    let claimed = obj.get("inPolicy").and_then(Value::as_bool).ok_or("inPolicy (a boolean) is missing")?;
    if claimed != in_policy {
        return Err(format!("class {name:?} with inPolicy {claimed}: the class says otherwise"));
    }
    Ok(State { class, in_policy })
}

fn workload_line(w: &Value, obj: &Map<String, Value>) -> Result<(WorkloadKey, Seen), String> {
    let w = w.as_object().ok_or("workload is not an object")?;
    let member = |key: &str| string(w, key).map(str::to_owned).map_err(|e| format!("workload.{e}"));
    let namespace = match w.get("namespace") {
        None | Some(Value::Null) => String::new(),
        Some(Value::String(n)) => n.clone(),
        Some(_) => return Err("workload.namespace is not a string".into()),
    };
    let key = WorkloadKey {
        source: member("source")?,
        kind: member("kind")?,
        namespace,
        name: member("name")?,
        container: member("container")?,
    };
    let image = match obj.get("image") {
        None | Some(Value::Null) => None,
        Some(Value::String(i)) => Some(i.clone()),
        Some(_) => return Err("image is not a string".into()),
    };
    Ok((key, Seen { state: state(obj)?, image }))
}
