//! Strict JSON for envelopes and payloads: duplicate member names are rejected at every level
//! (Go's `encoding/json` keeps the last one; RFC 7515 §4 allows rejecting), and nesting is
//! limited to [`MAX_NESTING_DEPTH`], and the items of one object or array to
//! [`MAX_JSON_CONTAINER_ITEMS`] while parsing, so memory stays flat whatever the counts.
//!
//! [`fast`] reads the JSON envelopes hold in practice, and decodes the base64 members of a JWS on
//! the way; serde_json reads whatever it does not, and reports what is wrong.

mod fast;

use super::base64_text::Base64;
use super::names;
use super::{EnvelopeError, EnvelopePart};
use crate::limits::{MAX_JSON_CONTAINER_ITEMS, MAX_NESTING_DEPTH};
use serde::de::{self, DeserializeSeed, Error as _, MapAccess, SeqAccess, Visitor};
use serde_json::{Number, Value};
use std::borrow::Cow;
use std::cell::RefCell;
use std::collections::BTreeMap;
use std::fmt;

/// A JSON value.
#[derive(Clone, Debug, PartialEq)]
pub(super) enum Json<'a> {
    Null,
    Bool(bool),
    Number(Number),
    String(JsonString<'a>),
    Array(Vec<Self>),
    Object(Object<'a>),
}

/// The members of an object, ordered by name as `serde_json::Map` orders them; names are unique.
#[derive(Clone, Debug, Default, PartialEq)]
pub(super) struct Object<'a>(Vec<(Cow<'a, str>, Json<'a>)>);

/// A JSON string.
#[derive(Clone, Debug, PartialEq)]
pub(super) enum JsonString<'a> {
    Text(Cow<'a, str>),
    /// Base64 text a [`Base64Members`] schema names, decoded while parsing.
    Base64(Decoded<'a>),
}

/// Base64 text as written in the input and the bytes it encodes.
#[derive(Clone, Debug, PartialEq)]
pub(super) struct Decoded<'a> {
    base64: Base64,
    /// Only characters of the encoding, so the JSON string is exactly this text.
    text: &'a [u8],
    bytes: Vec<u8>,
}

impl Json<'_> {
    /// The text of a string.
    pub(super) fn as_str(&self) -> Option<&str> {
        match self {
            Json::String(string) => Some(string.as_str()),
            _ => None,
        }
    }

    /// This value as a `serde_json::Value`.
    pub(super) fn to_value(&self) -> Value {
        match self {
            Json::Null => Value::Null,
            Json::Bool(b) => Value::Bool(*b),
            Json::Number(n) => Value::Number(n.clone()),
            Json::String(string) => Value::String(string.as_str().to_owned()),
            Json::Array(items) => Value::Array(items.iter().map(Json::to_value).collect()),
            Json::Object(members) => {
                Value::Object(members.iter().map(|(name, value)| (name.to_owned(), value.to_value())).collect())
            }
        }
    }
}

impl<'a> Object<'a> {
    /// The object with these members, whose names are unique.
    fn from_members(mut members: Vec<(Cow<'a, str>, Json<'a>)>) -> Self {
        members.sort_unstable_by(|(a, _), (b, _)| a.cmp(b));
        Object(members)
    }

    pub(super) fn len(&self) -> usize {
        self.0.len()
    }

    pub(super) fn get(&self, name: &str) -> Option<&Json<'a>> {
        self.iter().find(|(member, _)| *member == name).map(|(_, value)| value)
    }

    pub(super) fn contains_key(&self, name: &str) -> bool {
        self.get(name).is_some()
    }

    pub(super) fn remove(&mut self, name: &str) -> Option<Json<'a>> {
        self.remove_where(|member| member == name).map(|(_, value)| value)
    }

    /// Removes the first member, in name order, whose name `matches`.
    pub(super) fn remove_where(&mut self, matches: impl Fn(&str) -> bool) -> Option<(Cow<'a, str>, Json<'a>)> {
        let position = self.0.iter().position(|(name, _)| matches(name))?;
        Some(self.0.remove(position))
    }

    /// The members in name order.
    pub(super) fn iter(&self) -> impl Iterator<Item = (&str, &Json<'a>)> {
        self.0.iter().map(|(name, value)| (name.as_ref(), value))
    }

    pub(super) fn keys(&self) -> impl Iterator<Item = &str> {
        self.iter().map(|(name, _)| name)
    }
}

impl JsonString<'_> {
    pub(super) fn as_str(&self) -> &str {
        match self {
            JsonString::Text(text) => text,
            // Base64 text is ASCII.
            JsonString::Base64(decoded) => std::str::from_utf8(decoded.text).unwrap_or_default(),
        }
    }

    pub(super) fn as_bytes(&self) -> &[u8] {
        match self {
            JsonString::Text(text) => text.as_bytes(),
            JsonString::Base64(decoded) => decoded.text,
        }
    }

    /// The bytes this string encodes in `base64`.
    pub(super) fn into_base64_bytes(self, base64: Base64) -> Option<Vec<u8>> {
        match self {
            JsonString::Base64(decoded) if decoded.base64 == base64 => Some(decoded.bytes),
            other => base64.decode(other.as_bytes()),
        }
    }
}

/// Members whose values are base64 text a caller decodes anyway.
pub(super) struct Base64Members {
    /// Whether names match ignoring case as Go does ([`names::same_ignoring_case`]), as the
    /// caller looks them up.
    pub(super) ignore_case: bool,
    pub(super) members: &'static [(&'static str, Base64Member)],
}

/// What a member of a [`Base64Members`] schema holds.
pub(super) enum Base64Member {
    Text(Base64),
    /// An array of texts.
    Array(Base64),
    /// An object with base64 members of its own.
    Object(&'static Base64Members),
}

impl Base64Members {
    fn find(&self, name: &str) -> Option<&Base64Member> {
        let matches =
            |member: &str| if self.ignore_case { names::same_ignoring_case(name, member) } else { member == name };
        self.members.iter().find(|(member, _)| matches(member)).map(|(_, kind)| kind)
    }
}

/// Parses `bytes` as one JSON value with no duplicate member names anywhere.
pub(super) fn parse(part: EnvelopePart, bytes: &[u8]) -> Result<Json<'_>, EnvelopeError> {
    read(part, bytes, None)
}

/// Parses `bytes` as a strict JSON object.
pub(super) fn parse_object(part: EnvelopePart, bytes: &[u8]) -> Result<Object<'_>, EnvelopeError> {
    into_object(part, parse(part, bytes)?)
}

/// Parses `bytes` as a strict JSON object; the strings `members` names may come as
/// [`JsonString::Base64`].
pub(super) fn parse_object_decoding<'a>(
    part: EnvelopePart,
    bytes: &'a [u8],
    members: &'static Base64Members,
) -> Result<Object<'a>, EnvelopeError> {
    into_object(part, read(part, bytes, Some(members))?)
}

fn read<'a>(
    part: EnvelopePart,
    bytes: &'a [u8],
    base64: Option<&'static Base64Members>,
) -> Result<Json<'a>, EnvelopeError> {
    match fast::parse(bytes, base64) {
        Some(value) => Ok(value),
        None => read_strictly(part, bytes),
    }
}

fn into_object(part: EnvelopePart, value: Json<'_>) -> Result<Object<'_>, EnvelopeError> {
    match value {
        Json::Object(members) => Ok(members),
        _ => Err(EnvelopeError::NotAnObject(part)),
    }
}

/// Why strict parsing stopped, recorded beside serde's string error so it can be reported
/// precisely.
enum Violation {
    Duplicate(String),
    TooDeep,
    TooManyItems,
}

/// Parses any input with serde_json, applying every rule as it goes.
fn read_strictly(part: EnvelopePart, bytes: &[u8]) -> Result<Json<'_>, EnvelopeError> {
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
    type Value = Json<'de>;

    fn deserialize<D: de::Deserializer<'de>>(self, deserializer: D) -> Result<Json<'de>, D::Error> {
        deserializer.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for StrictValue<'_> {
    type Value = Json<'de>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a JSON value")
    }

    fn visit_bool<E>(self, v: bool) -> Result<Json<'de>, E> {
        Ok(Json::Bool(v))
    }

    fn visit_i64<E>(self, v: i64) -> Result<Json<'de>, E> {
        Ok(Json::Number(v.into()))
    }

    fn visit_u64<E>(self, v: u64) -> Result<Json<'de>, E> {
        Ok(Json::Number(v.into()))
    }

    fn visit_f64<E>(self, v: f64) -> Result<Json<'de>, E> {
        Ok(Number::from_f64(v).map_or(Json::Null, Json::Number))
    }

    fn visit_borrowed_str<E>(self, v: &'de str) -> Result<Json<'de>, E> {
        Ok(Json::String(JsonString::Text(Cow::Borrowed(v))))
    }

    fn visit_str<E>(self, v: &str) -> Result<Json<'de>, E> {
        Ok(Json::String(JsonString::Text(Cow::Owned(v.to_owned()))))
    }

    fn visit_unit<E>(self) -> Result<Json<'de>, E> {
        Ok(Json::Null)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Json<'de>, A::Error> {
        let mut items = Vec::new();
        while let Some(item) = seq.next_element_seed(self.nested()?)? {
            self.check_count(items.len())?;
            items.push(item);
        }
        Ok(Json::Array(items))
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Json<'de>, A::Error> {
        let mut object = BTreeMap::new();
        while let Some(name) = map.next_key::<String>()? {
            let value = map.next_value_seed(self.nested()?)?;
            if object.contains_key(name.as_str()) {
                *self.violation.borrow_mut() = Some(Violation::Duplicate(name));
                return Err(A::Error::custom("duplicate member"));
            }
            self.check_count(object.len())?;
            object.insert(Cow::Owned(name), value);
        }
        Ok(Json::Object(Object::from_members(object.into_iter().collect())))
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

    #[test]
    fn strings_borrow_unless_escaped_and_convert_to_values() {
        let text = br#"{"b":"esc\"aped","a":"plain","c":[1,-2,0.5,true,null,{}]}"#;
        let object = parse_object(EnvelopePart::Payload, text).unwrap();
        assert_eq!(object.keys().collect::<Vec<_>>(), ["a", "b", "c"]);
        assert!(matches!(object.get("a"), Some(Json::String(JsonString::Text(Cow::Borrowed("plain"))))));
        assert!(matches!(object.get("b"), Some(Json::String(JsonString::Text(Cow::Owned(s)))) if s == "esc\"aped"));
        let value: Value = serde_json::from_slice(text).unwrap();
        assert_eq!(Json::Object(object).to_value(), value);
    }

    #[test]
    fn members_are_found_and_removed_by_name() {
        let mut object = parse_object(EnvelopePart::Payload, br#"{"b":1,"A":2,"a":3}"#).unwrap();
        assert_eq!(object.len(), 3);
        assert!(object.contains_key("a") && !object.contains_key("B"));
        let (name, _) = object.remove_where(|name| name.eq_ignore_ascii_case("a")).unwrap();
        assert_eq!(name, "A");
        assert_eq!(object.remove("a"), Some(Json::Number(3.into())));
        assert_eq!(object.keys().collect::<Vec<_>>(), ["b"]);
    }

    const MEMBERS: Base64Members =
        Base64Members { ignore_case: false, members: &[("t", Base64Member::Text(Base64::UrlUnpadded))] };

    #[test]
    fn named_base64_members_decode_alike_either_way() {
        let decoded = parse_object_decoding(EnvelopePart::Envelope, br#"{"t":"AQI"}"#, &MEMBERS).unwrap();
        let escaped = parse_object_decoding(EnvelopePart::Envelope, br#"{"t":"A\u0051I"}"#, &MEMBERS).unwrap();
        for object in [decoded, escaped] {
            let Some(Json::String(t)) = object.get("t").cloned() else { panic!("{object:?}") };
            assert_eq!(t.as_str(), "AQI");
            assert_eq!(t.as_bytes(), b"AQI");
            assert_eq!(t.clone().into_base64_bytes(Base64::UrlUnpadded), Some(vec![1, 2]));
            assert_eq!(t.into_base64_bytes(Base64::Standard), None);
        }
        assert_eq!(
            parse_object_decoding(EnvelopePart::Envelope, br#"{"t":"AQI","t":"AQI"}"#, &MEMBERS),
            Err(EnvelopeError::DuplicateMember { part: EnvelopePart::Envelope, name: "t".into() })
        );
    }
}
