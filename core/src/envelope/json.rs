//! Strict JSON for envelopes and payloads: duplicate member names are rejected at every level
//! (Go's `encoding/json` keeps the last one; RFC 7515 §4 allows rejecting), and nesting is
//! limited to [`MAX_NESTING_DEPTH`], and the items of one object or array to
//! [`MAX_JSON_CONTAINER_ITEMS`] while parsing, so memory stays flat whatever the counts.

use super::{EnvelopeError, EnvelopePart};
use crate::limits::{MAX_JSON_CONTAINER_ITEMS, MAX_NESTING_DEPTH};
use serde::de::{self, DeserializeSeed, Error as _, MapAccess, SeqAccess, Visitor};
use serde_json::{Map, Value};
use std::cell::RefCell;
use std::fmt;

/// Why strict parsing stopped, recorded beside serde's string error so it can be reported
/// precisely.
enum Violation {
    Duplicate(String),
    TooDeep,
    TooManyItems,
}

/// Parses `bytes` as one JSON value with no duplicate member names anywhere.
pub(super) fn parse(part: EnvelopePart, bytes: &[u8]) -> Result<Value, EnvelopeError> {
    let violation = RefCell::new(None);
    let mut deserializer = serde_json::Deserializer::from_slice(bytes);
    let result = StrictValue { depth: 0, violation: &violation }
        .deserialize(&mut deserializer)
        .and_then(|value| deserializer.end().map(|()| value));
    result.map_err(|e| match violation.into_inner() {
        Some(Violation::Duplicate(name)) => EnvelopeError::DuplicateMember { part, name },
        Some(Violation::TooDeep) => EnvelopeError::LimitExceeded {
            what: "JSON nesting depth",
            limit: MAX_NESTING_DEPTH,
            actual: MAX_NESTING_DEPTH.saturating_add(1),
        },
        Some(Violation::TooManyItems) => EnvelopeError::LimitExceeded {
            what: "items of one JSON object or array",
            limit: MAX_JSON_CONTAINER_ITEMS,
            actual: MAX_JSON_CONTAINER_ITEMS.saturating_add(1),
        },
        None => EnvelopeError::MalformedJson { part, reason: e.to_string() },
    })
}

/// Parses `bytes` as a strict JSON object.
pub(super) fn parse_object(part: EnvelopePart, bytes: &[u8]) -> Result<Map<String, Value>, EnvelopeError> {
    match parse(part, bytes)? {
        Value::Object(map) => Ok(map),
        _ => Err(EnvelopeError::NotAnObject(part)),
    }
}

struct StrictValue<'v> {
    depth: usize,
    violation: &'v RefCell<Option<Violation>>,
}

impl StrictValue<'_> {
    fn nested<E: de::Error>(&self) -> Result<Self, E> {
        let depth = self.depth.saturating_add(1);
        if depth > MAX_NESTING_DEPTH {
            *self.violation.borrow_mut() = Some(Violation::TooDeep);
            return Err(E::custom("nesting too deep"));
        }
        Ok(StrictValue { depth, violation: self.violation })
    }

    fn check_count<E: de::Error>(&self, count: usize) -> Result<(), E> {
        if count >= MAX_JSON_CONTAINER_ITEMS {
            *self.violation.borrow_mut() = Some(Violation::TooManyItems);
            return Err(E::custom("too many items"));
        }
        Ok(())
    }
}

impl<'de> DeserializeSeed<'de> for StrictValue<'_> {
    type Value = Value;

    fn deserialize<D: de::Deserializer<'de>>(self, deserializer: D) -> Result<Value, D::Error> {
        deserializer.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for StrictValue<'_> {
    type Value = Value;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a JSON value")
    }

    fn visit_bool<E>(self, v: bool) -> Result<Value, E> {
        Ok(Value::Bool(v))
    }

    fn visit_i64<E>(self, v: i64) -> Result<Value, E> {
        Ok(Value::from(v))
    }

    fn visit_u64<E>(self, v: u64) -> Result<Value, E> {
        Ok(Value::from(v))
    }

    fn visit_f64<E>(self, v: f64) -> Result<Value, E> {
        Ok(Value::from(v))
    }

    fn visit_str<E>(self, v: &str) -> Result<Value, E> {
        Ok(Value::String(v.to_owned()))
    }

    fn visit_string<E>(self, v: String) -> Result<Value, E> {
        Ok(Value::String(v))
    }

    fn visit_unit<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Value, A::Error> {
        let mut items = Vec::new();
        while let Some(item) = seq.next_element_seed(self.nested()?)? {
            self.check_count(items.len())?;
            items.push(item);
        }
        Ok(Value::Array(items))
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Value, A::Error> {
        let mut object = Map::new();
        while let Some(name) = map.next_key::<String>()? {
            let value = map.next_value_seed(self.nested()?)?;
            if object.contains_key(&name) {
                *self.violation.borrow_mut() = Some(Violation::Duplicate(name));
                return Err(A::Error::custom("duplicate member"));
            }
            self.check_count(object.len())?;
            object.insert(name, value);
        }
        Ok(Value::Object(object))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn duplicates_are_rejected_at_every_level() {
        let part = EnvelopePart::Payload;
        assert_eq!(parse(part, br#"{"a":1,"a":2}"#), Err(EnvelopeError::DuplicateMember { part, name: "a".into() }));
        assert_eq!(
            parse(part, br#"{"x":[{"b":{"c":1,"c":1}}]}"#),
            Err(EnvelopeError::DuplicateMember { part, name: "c".into() })
        );
        assert!(parse(part, br#"{"a":1,"A":2,"b":{"a":3}}"#).is_ok());
    }

    #[test]
    fn items_per_object_and_array_are_limited_while_parsing() {
        let array = |n: usize| format!("[{}]", vec!["0"; n].join(","));
        let object = |n: usize| format!("{{{}}}", (0..n).map(|i| format!("\"k{i}\":0")).collect::<Vec<_>>().join(","));
        for (at_limit, beyond) in [
            (array(MAX_JSON_CONTAINER_ITEMS), array(MAX_JSON_CONTAINER_ITEMS + 1)),
            (object(MAX_JSON_CONTAINER_ITEMS), object(MAX_JSON_CONTAINER_ITEMS + 1)),
        ] {
            assert!(parse(EnvelopePart::Payload, at_limit.as_bytes()).is_ok());
            assert!(matches!(
                parse(EnvelopePart::Payload, beyond.as_bytes()),
                Err(EnvelopeError::LimitExceeded { limit: MAX_JSON_CONTAINER_ITEMS, .. })
            ));
        }
    }

    #[test]
    fn depth_is_limited_and_trailing_data_rejected() {
        let deep = |n: usize| format!("{}{}", "[".repeat(n), "]".repeat(n));
        assert!(parse(EnvelopePart::Payload, deep(MAX_NESTING_DEPTH).as_bytes()).is_ok());
        assert!(matches!(
            parse(EnvelopePart::Payload, deep(MAX_NESTING_DEPTH + 1).as_bytes()),
            Err(EnvelopeError::LimitExceeded { what: "JSON nesting depth", .. })
        ));
        assert!(matches!(parse(EnvelopePart::Payload, b"{} x"), Err(EnvelopeError::MalformedJson { .. })));
        assert_eq!(parse_object(EnvelopePart::Payload, b"[]"), Err(EnvelopeError::NotAnObject(EnvelopePart::Payload)));
    }
}
