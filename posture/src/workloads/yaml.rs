//! YAML streams (documents separated by `---`) to `serde_json::Value`, one document at a time,
//! built from saphyr-parser's event stream within [`Limits`].
//!
//! Why events and not a YAML tree: the limits are enforced as the events arrive, before
//! anything is built — nesting depth (the parser keeps an explicit stack, so depth costs no
//! native stack, and the walk is cut at the limit), documents, nodes kept, and alias expansion
//! (a "billion laughs" file is stopped at the node limit) — and subtrees under mapping keys the
//! caller never reads (`status`, `managedFields`, `env`, `volumes`, ...) are skipped without
//! being built, so a `kubectl get pods -A -o yaml` of a large cluster costs memory only for the
//! fields the workload model reads.
//!
//! Scalars follow the YAML 1.2 core schema: plain `null`/`~`/empty, `true`/`false`, integers
//! and floats are typed; quoted and block scalars, and `!!str`, are strings. Mapping keys are
//! scalars (a collection as key is an error), unique within their mapping, and `<<` merges
//! mappings as Kubernetes' YAML reader does. Anchored nodes are kept whole wherever they are,
//! since an alias may use them anywhere.

use super::Problem;
use saphyr_parser::{Event, Parser, ScalarStyle, Tag};
use serde_json::{Map, Number, Value};
use std::borrow::Cow;
use std::collections::HashMap;

/// The bounds of one YAML file.
pub(super) struct Limits {
    /// Most documents.
    pub max_documents: usize,
    /// Deepest nesting of collections.
    pub max_depth: usize,
    /// Most nodes built (kept nodes, and every node an alias copies).
    pub max_nodes: usize,
}

/// A collection being built, or skipped.
enum Node {
    Seq(Vec<Value>),
    Map {
        map: Map<String, Value>,
        key: Option<String>,
        merges: Vec<Value>,
    },
    /// Not kept and not anchored: its events are only counted for depth.
    Skip,
}

struct Frame {
    node: Node,
    anchor: usize,
    /// Kept whole: the node or an ancestor is anchored.
    whole: bool,
    role: Role,
}

/// What a node is to its parent.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Role {
    /// The document's root.
    Root,
    /// A mapping key.
    Key,
    /// A sequence item or a mapping value; `attach` when the parent keeps it.
    Value { attach: bool },
    /// Inside a skipped collection.
    Skipped,
}

struct Builder<'k> {
    limits: &'k Limits,
    keep: &'k dyn Fn(&str) -> bool,
    stack: Vec<Frame>,
    anchors: HashMap<usize, (Value, usize)>,
    root: Option<Value>,
    nodes: usize,
}

/// Calls `each` with every document of `text` (1-based index, value; an empty document is
/// `null`). `keep(key)` says whether the value under a mapping key is read by the caller;
/// other values are skipped (sequence items are always kept). Errors carry the index of the
/// document they are in.
pub(super) fn for_each_document(
    text: &str,
    limits: &Limits,
    keep: &dyn Fn(&str) -> bool,
    each: &mut dyn FnMut(usize, Value) -> Result<(), Problem>,
) -> Result<(), (usize, Problem)> {
    let mut builder = Builder { limits, keep, stack: Vec::new(), anchors: HashMap::new(), root: None, nodes: 0 };
    let mut document = 0usize;
    for event in Parser::new_from_str(text) {
        let (event, _) = event.map_err(|e| (document.max(1), Problem::Yaml(e.to_string())))?;
        match event {
            Event::DocumentStart(_) => {
                document += 1;
                if document > limits.max_documents {
                    return Err((document, Problem::TooMany { what: "documents", limit: limits.max_documents }));
                }
                builder.anchors.clear();
                builder.root = None;
            }
            Event::DocumentEnd => {
                let value = builder.root.take().unwrap_or(Value::Null);
                each(document, value).map_err(|p| (document, p))?;
            }
            other => builder.event(other).map_err(|p| (document, p))?,
        }
    }
    Ok(())
}

impl Builder<'_> {
    fn event(&mut self, event: Event<'_>) -> Result<(), Problem> {
        match event {
            Event::Scalar(text, style, anchor, tag) => {
                let role = self.role();
                let value = if role == Role::Key || self.builds(role, anchor) {
                    self.count(1)?;
                    Some(scalar(text, style, tag.as_deref()))
                } else {
                    None
                };
                self.complete(value, anchor, role)
            }
            Event::Alias(id) => {
                let role = self.role();
                let value = if role == Role::Key || self.builds(role, 0) {
                    let (value, size) = self
                        .anchors
                        .get(&id)
                        .ok_or_else(|| Problem::Yaml("an alias to an anchor that is not complete".into()))?;
                    let (value, size) = (value.clone(), *size);
                    self.count(size)?;
                    Some(value)
                } else {
                    None
                };
                self.complete(value, 0, role)
            }
            Event::SequenceStart(anchor, _) | Event::MappingStart(anchor, _) => {
                let is_seq = matches!(event, Event::SequenceStart(..));
                if self.stack.len() >= self.limits.max_depth {
                    return Err(Problem::TooMany { what: "levels of nesting", limit: self.limits.max_depth });
                }
                let role = self.role();
                if role == Role::Key {
                    return Err(Problem::Yaml("a mapping key is a collection; only scalar keys are read".into()));
                }
                let whole = anchor != 0 || self.stack.last().is_some_and(|f| f.whole);
                let node = if self.builds(role, anchor) {
                    self.count(1)?;
                    if is_seq {
                        Node::Seq(Vec::new())
                    } else {
                        Node::Map { map: Map::new(), key: None, merges: Vec::new() }
                    }
                } else {
                    Node::Skip
                };
                self.stack.push(Frame { node, anchor, whole, role });
                Ok(())
            }
            Event::SequenceEnd | Event::MappingEnd => {
                let frame = self.stack.pop().ok_or_else(|| Problem::Yaml("unbalanced collection".into()))?;
                let value = match frame.node {
                    Node::Skip => None,
                    Node::Seq(items) => Some(Value::Array(items)),
                    Node::Map { mut map, merges, .. } => {
                        merge(&mut map, merges)?;
                        Some(Value::Object(map))
                    }
                };
                self.complete(value, frame.anchor, frame.role)
            }
            Event::StreamStart | Event::StreamEnd | Event::Nothing | Event::DocumentStart(_) | Event::DocumentEnd => {
                Ok(())
            }
        }
    }

    /// The role of the next node, from the collection it is in.
    fn role(&self) -> Role {
        let Some(top) = self.stack.last() else { return Role::Root };
        match &top.node {
            Node::Skip => Role::Skipped,
            Node::Seq(_) => Role::Value { attach: true },
            Node::Map { key: None, .. } => Role::Key,
            Node::Map { key: Some(k), .. } => Role::Value { attach: top.whole || k == "<<" || (self.keep)(k) },
        }
    }

    /// Whether a node in `role` with `anchor` is built: kept by its parent, or anchored (an
    /// alias may copy it anywhere), or inside an anchored node.
    fn builds(&self, role: Role, anchor: usize) -> bool {
        matches!(role, Role::Root | Role::Value { attach: true })
            || anchor != 0
            || (role != Role::Skipped && self.stack.last().is_some_and(|f| f.whole))
    }

    fn count(&mut self, nodes: usize) -> Result<(), Problem> {
        self.nodes = self.nodes.saturating_add(nodes);
        if self.nodes > self.limits.max_nodes {
            return Err(Problem::TooMany { what: "YAML nodes kept", limit: self.limits.max_nodes });
        }
        Ok(())
    }

    /// A finished node: remembered under its anchor, then given to its parent.
    fn complete(&mut self, value: Option<Value>, anchor: usize, role: Role) -> Result<(), Problem> {
        if anchor != 0
            && let Some(v) = &value
        {
            self.anchors.insert(anchor, (v.clone(), size(v)));
        }
        match role {
            Role::Root => self.root = value,
            Role::Skipped => {}
            Role::Key => {
                let key = match value {
                    Some(Value::String(s)) => s,
                    Some(Value::Null) => String::new(),
                    Some(v @ (Value::Bool(_) | Value::Number(_))) => v.to_string(),
                    _ => return Err(Problem::Yaml("a mapping key is a collection; only scalar keys are read".into())),
                };
                if let Some(Frame { node: Node::Map { key: slot, .. }, .. }) = self.stack.last_mut() {
                    *slot = Some(key);
                }
            }
            Role::Value { attach } => match self.stack.last_mut().map(|f| &mut f.node) {
                Some(Node::Seq(items)) => items.extend(value),
                Some(Node::Map { map, key, merges }) => {
                    let key = key.take().unwrap_or_default();
                    if let (true, Some(value)) = (attach, value) {
                        if key == "<<" {
                            merges.push(value);
                        } else if map.insert(key.clone(), value).is_some() {
                            return Err(Problem::Yaml(format!("duplicate mapping key {key:?}")));
                        }
                    }
                }
                _ => {}
            },
        }
        Ok(())
    }
}

/// Applies `<<` merge keys: the keys of the merged mappings that the mapping does not have
/// itself (the first merged mapping wins over later ones).
fn merge(map: &mut Map<String, Value>, merges: Vec<Value>) -> Result<(), Problem> {
    for merged in merges {
        let sources = match merged {
            Value::Object(m) => vec![m],
            Value::Array(items) => items
                .into_iter()
                .map(|i| match i {
                    Value::Object(m) => Ok(m),
                    _ => Err(Problem::Yaml("a << merge names something that is not a mapping".into())),
                })
                .collect::<Result<_, _>>()?,
            _ => return Err(Problem::Yaml("a << merge names something that is not a mapping".into())),
        };
        for source in sources {
            for (k, v) in source {
                map.entry(k).or_insert(v);
            }
        }
    }
    Ok(())
}

/// Nodes in a value (what copying it through an alias costs).
fn size(value: &Value) -> usize {
    match value {
        Value::Array(items) => 1 + items.iter().map(size).sum::<usize>(),
        Value::Object(map) => 1 + map.values().map(size).sum::<usize>(),
        _ => 1,
    }
}

/// A scalar by the YAML 1.2 core schema.
fn scalar(text: Cow<'_, str>, style: ScalarStyle, tag: Option<&Tag>) -> Value {
    let core_tag = tag.filter(|t| t.is_yaml_core_schema()).map(|t| t.suffix.as_str());
    if style != ScalarStyle::Plain || core_tag == Some("str") {
        return Value::String(text.into_owned());
    }
    match text.as_ref() {
        "" | "~" | "null" | "Null" | "NULL" => return Value::Null,
        "true" | "True" | "TRUE" => return Value::Bool(true),
        "false" | "False" | "FALSE" => return Value::Bool(false),
        _ => {}
    }
    number(&text).unwrap_or_else(|| Value::String(text.into_owned()))
}

/// `[-+]?[0-9]+`, `0o[0-7]+`, `0x[0-9a-fA-F]+`, or a decimal float; `None` for anything else
/// (and for `.inf`/`.nan`, which JSON cannot hold: they stay strings).
fn number(text: &str) -> Option<Value> {
    let digits = text.strip_prefix(['-', '+']).unwrap_or(text);
    if !digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit()) {
        return text.parse::<i64>().ok().map(Value::from).or_else(|| text.parse::<f64>().ok().and_then(float));
    }
    if let Some(octal) = text.strip_prefix("0o") {
        return i64::from_str_radix(octal, 8).ok().map(Value::from);
    }
    if let Some(hex) = text.strip_prefix("0x") {
        return i64::from_str_radix(hex, 16).ok().map(Value::from);
    }
    let float_chars = digits.bytes().all(|b| b.is_ascii_digit() || b"eE.-+".contains(&b));
    if float_chars && digits.bytes().next().is_some_and(|b| b.is_ascii_digit() || b == b'.') && digits != "." {
        return text.parse::<f64>().ok().and_then(float);
    }
    None
}

fn float(f: f64) -> Option<Value> {
    Number::from_f64(f).map(Value::Number)
}

#[cfg(test)]
mod tests {
    use super::*;

    const LIMITS: Limits = Limits { max_documents: 10, max_depth: 8, max_nodes: 1000 };

    fn docs(text: &str, keep: &dyn Fn(&str) -> bool) -> Result<Vec<Value>, (usize, Problem)> {
        let mut out = Vec::new();
        for_each_document(text, &LIMITS, keep, &mut |_, v| {
            out.push(v);
            Ok(())
        })?;
        Ok(out)
    }

    #[test]
    fn documents_scalars_and_pruning() {
        let text = "a: 1\nb: [x, 'y', ~, true, 0x1f, 1.5, .inf]\nskip: {deep: [1, 2]}\n---\n---\nc: d\n";
        let all = docs(text, &|k| k != "skip").unwrap();
        assert_eq!(all.len(), 3);
        assert_eq!(all[0], serde_json::json!({"a": 1, "b": ["x", "y", null, true, 31, 1.5, ".inf"]}));
        assert_eq!(all[1], Value::Null);
        assert_eq!(all[2], serde_json::json!({"c": "d"}));
    }

    #[test]
    fn anchors_merges_and_aliases() {
        let text = "x-base: &base {image: app:1, name: base}\nc:\n  <<: *base\n  name: mine\nd: *base\n";
        let all = docs(text, &|k| k != "x-base").unwrap();
        assert_eq!(
            all[0],
            serde_json::json!({"c": {"image": "app:1", "name": "mine"}, "d": {"image": "app:1", "name": "base"}})
        );
    }

    #[test]
    fn limits_and_malformed_input() {
        let deep = format!("{}1{}", "[".repeat(9), "]".repeat(9));
        assert!(matches!(docs(&deep, &|_| true), Err((1, Problem::TooMany { what: "levels of nesting", .. }))));
        let many = "---\na: 1\n".repeat(11);
        assert!(matches!(docs(&many, &|_| true), Err((11, Problem::TooMany { what: "documents", .. }))));
        let laughs = "a: &a [x, x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a, *a]\nc: [*b, *b, *b, *b, *b, *b, *b, *b, *b, *b]\n";
        assert!(matches!(docs(laughs, &|_| true), Err((1, Problem::TooMany { what: "YAML nodes kept", .. }))));
        assert!(matches!(docs("a: 1\na: 2\n", &|_| true), Err((1, Problem::Yaml(_)))));
        assert!(matches!(docs("? [a]\n: 1\n", &|_| true), Err((1, Problem::Yaml(_)))));
        assert!(matches!(docs("a: [1\n", &|_| true), Err((1, Problem::Yaml(_)))));
        // Skipped subtrees are not built, so they cost no nodes.
        let wide = format!("skip: [{}]\nk: v\n", vec!["1"; 5000].join(", "));
        assert_eq!(docs(&wide, &|k| k != "skip").unwrap()[0], serde_json::json!({"k": "v"}));
    }
}
