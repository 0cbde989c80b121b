//! The roll-up as JSON: the `sources` and `progress` members of the summary line of
//! `notaverify scan -o json`.

use super::{Change, ChangeKind, Comparison, Progress, RollUp, Row, Seen, Tally, WorkloadKey};
use serde_json::{Map, Value, json};

/// Counts as JSON: `{"total", "inPolicy", "outOfPolicy", "counts": {class: n}}`.
fn tally_json(t: &Tally) -> Value {
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
fn workload_json(k: &WorkloadKey) -> Value {
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
fn progress_json(p: &Progress) -> Value {
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

impl RollUp {
    /// Adds the roll-up to the members of a summary line: `sources` (artifacts per source) and,
    /// compared with a previous scan, `progress`.
    pub fn add_json(&self, summary: &mut Map<String, Value>) {
        let sources: Vec<Value> = self
            .sources
            .iter()
            .map(|(name, t)| {
                let mut v = tally_json(t);
                v["source"] = json!(name);
                v
            })
            .collect();
        summary.insert("sources".into(), sources.into());
        if let Some(p) = &self.progress {
            summary.insert("progress".into(), progress_json(p));
        }
    }
}
