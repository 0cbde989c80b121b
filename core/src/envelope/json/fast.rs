//! A parser for the JSON envelopes hold in practice: objects of at most [`MAX_MEMBERS`] members,
//! arrays, strings without escapes, `true`, `false`, `null` and integers from 0 to 10^18 - 1.
//! Anything else, valid or not, is `None`, and serde_json parses the input instead. Whatever
//! this parser returns, the strict parser returns too.
//!
//! The strings a [`Base64Members`] schema names are decoded instead of validated: an encoding's
//! characters are valid JSON text without escapes, so text that decodes needs no other check.

use super::{Base64Member, Base64Members, Decoded, Json, JsonString, Object};
use crate::envelope::base64_text::Base64;
use crate::limits::{MAX_JSON_CONTAINER_ITEMS, MAX_NESTING_DEPTH};
use std::borrow::Cow;

/// Most members of an object this parser reads: it finds a duplicate name by comparing each name
/// with the ones before.
const MAX_MEMBERS: usize = 32;
/// Most digits of an integer this parser reads: serde_json reads these as a `u64`, without
/// overflow.
const MAX_DIGITS: usize = 18;

/// Parses `bytes` as one JSON value; `base64` names the base64 members if it is an object.
pub(super) fn parse<'a>(bytes: &'a [u8], base64: Option<&'static Base64Members>) -> Option<Json<'a>> {
    // Validating UTF-8 once is cheaper than string by string, but not across long base64 text,
    // which decoding validates.
    let document = match base64 {
        None => Some(std::str::from_utf8(bytes).ok()?),
        Some(_) => None,
    };
    let mut input = Input { bytes, document, pos: 0 };
    let value = input.value(0, base64)?;
    input.skip_whitespace();
    (input.pos == bytes.len()).then_some(value)
}

struct Input<'a> {
    bytes: &'a [u8],
    /// `bytes` as text, when validated as a whole.
    document: Option<&'a str>,
    pos: usize,
}

/// Where a string without escapes ends: the index of the first `"`, `\` or control character.
/// Eight bytes at a time, each test setting the high bit of the bytes that match, exactly up to
/// the first match (Mycroft's test for a zero byte, as serde_json uses it).
fn string_end(content: &[u8]) -> Option<usize> {
    const ONES: u64 = u64::MAX / 255;
    let below = |word: u64, bound: u8| word.wrapping_sub(ONES * u64::from(bound)) & !word;
    let equal = |word: u64, byte: u8| below(word ^ (ONES * u64::from(byte)), 1);
    let mut chunks = content.chunks_exact(8);
    for (index, chunk) in chunks.by_ref().enumerate() {
        let word = u64::from_le_bytes(chunk.try_into().unwrap_or_default());
        let stops = (below(word, 0x20) | equal(word, b'"') | equal(word, b'\\')) & (ONES << 7);
        if stops != 0 {
            return Some(index * 8 + stops.trailing_zeros() as usize / 8);
        }
    }
    let offset = content.len() - chunks.remainder().len();
    chunks.remainder().iter().position(|b| matches!(b, b'"' | b'\\' | 0..=0x1f)).map(|index| offset + index)
}

/// The depth of the items of a container at `depth`, if within the limit (the strict parser
/// checks it even for an empty array).
fn item_depth(depth: usize) -> Option<usize> {
    depth.checked_add(1).filter(|depth| *depth <= MAX_NESTING_DEPTH)
}

impl<'a> Input<'a> {
    fn rest(&self) -> &'a [u8] {
        self.bytes.get(self.pos..).unwrap_or_default()
    }

    fn skip_whitespace(&mut self) {
        while matches!(self.bytes.get(self.pos), Some(b' ' | b'\n' | b'\r' | b'\t')) {
            self.pos += 1;
        }
    }

    /// Consumes `byte` if it comes next after whitespace.
    fn eat(&mut self, byte: u8) -> bool {
        self.skip_whitespace();
        let next = self.bytes.get(self.pos) == Some(&byte);
        if next {
            self.pos += 1;
        }
        next
    }

    /// A value at `depth`; `base64` names the base64 members if it is an object.
    fn value(&mut self, depth: usize, base64: Option<&'static Base64Members>) -> Option<Json<'a>> {
        self.skip_whitespace();
        match self.rest().first()? {
            b'{' => self.object(depth, base64),
            b'[' => self.array(depth, |input, depth| input.value(depth, None)),
            b'"' => Some(Json::String(JsonString::Text(Cow::Borrowed(self.text()?)))),
            b't' => self.literal("true", Json::Bool(true)),
            b'f' => self.literal("false", Json::Bool(false)),
            b'n' => self.literal("null", Json::Null),
            _ => self.integer(),
        }
    }

    fn literal(&mut self, word: &str, value: Json<'a>) -> Option<Json<'a>> {
        self.rest().starts_with(word.as_bytes()).then(|| {
            self.pos += word.len();
            value
        })
    }

    fn integer(&mut self) -> Option<Json<'a>> {
        let rest = self.rest();
        let digits = rest.iter().take_while(|b| b.is_ascii_digit()).count();
        let leading_zero = digits > 1 && rest.first() == Some(&b'0');
        // A fraction or an exponent is left unread, and fails where `,`, a bracket or the end
        // has to follow the value.
        if digits == 0 || digits > MAX_DIGITS || leading_zero {
            return None;
        }
        self.pos += digits;
        let value = rest.iter().take(digits).fold(0u64, |value, digit| value * 10 + u64::from(digit - b'0'));
        Some(Json::Number(value.into()))
    }

    /// Where the content of a string starts and ends, when the first byte `find_end` finds after
    /// the opening quote is the closing one.
    fn string(&mut self, find_end: impl Fn(&[u8]) -> Option<usize>) -> Option<(usize, usize)> {
        if !self.eat(b'"') {
            return None;
        }
        let start = self.pos;
        let end = start + find_end(self.rest())?;
        (self.bytes.get(end) == Some(&b'"')).then(|| {
            self.pos = end + 1;
            (start, end)
        })
    }

    /// The text of a string without escapes or control characters.
    fn text(&mut self) -> Option<&'a str> {
        let (start, end) = self.string(string_end)?;
        match self.document {
            Some(document) => document.get(start..end),
            None => std::str::from_utf8(self.bytes.get(start..end)?).ok(),
        }
    }

    /// A string of `base64` text, decoded.
    fn base64_text(&mut self, base64: Base64) -> Option<Json<'a>> {
        let (start, end) = self.string(|content| memchr::memchr(b'"', content))?;
        let text = self.bytes.get(start..end)?;
        let bytes = base64.decode(text)?;
        Some(Json::String(JsonString::Base64(Decoded { base64, text, bytes })))
    }

    /// An array at `depth` whose items `item` reads at their depth.
    fn array(&mut self, depth: usize, item: impl Fn(&mut Self, usize) -> Option<Json<'a>>) -> Option<Json<'a>> {
        let depth = item_depth(depth)?;
        if !self.eat(b'[') {
            return None;
        }
        let mut items = Vec::new();
        self.sequence(b']', |input| {
            if items.len() >= MAX_JSON_CONTAINER_ITEMS {
                return None;
            }
            items.push(item(input, depth)?);
            Some(())
        })?;
        Some(Json::Array(items))
    }

    /// An object at `depth`; `base64` names its base64 members.
    fn object(&mut self, depth: usize, base64: Option<&'static Base64Members>) -> Option<Json<'a>> {
        let depth = item_depth(depth)?;
        if !self.eat(b'{') {
            return None;
        }
        let mut members: Vec<(Cow<'a, str>, Json<'a>)> = Vec::with_capacity(8);
        self.sequence(b'}', |input| {
            let name = input.text()?;
            if members.len() >= MAX_MEMBERS || members.iter().any(|(member, _)| member == name) || !input.eat(b':') {
                return None;
            }
            let value = match base64.and_then(|members| members.find(name)) {
                None => input.value(depth, None)?,
                Some(Base64Member::Object(members)) => input.value(depth, Some(members))?,
                Some(Base64Member::Text(base64)) => input.base64_text(*base64)?,
                Some(Base64Member::Array(base64)) => input.array(depth, |input, _| input.base64_text(*base64))?,
            };
            members.push((Cow::Borrowed(name), value));
            Some(())
        })?;
        Some(Json::Object(Object::from_members(members)))
    }

    /// The comma-separated items `item` reads, up to the `close` bracket.
    fn sequence(&mut self, close: u8, mut item: impl FnMut(&mut Self) -> Option<()>) -> Option<()> {
        if self.eat(close) {
            return Some(());
        }
        loop {
            item(self)?;
            if self.eat(close) {
                return Some(());
            }
            if !self.eat(b',') {
                return None;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::read_strictly;
    use super::*;
    use crate::envelope::EnvelopePart;
    use proptest::prelude::*;

    /// The value the strict parser gives for a value with decoded strings.
    fn as_strictly_read(value: Json<'_>) -> Json<'_> {
        match value {
            Json::String(JsonString::Base64(decoded)) => {
                assert_eq!(decoded.base64.decode(decoded.text).as_ref(), Some(&decoded.bytes));
                Json::String(JsonString::Text(Cow::Borrowed(std::str::from_utf8(decoded.text).unwrap())))
            }
            Json::Array(items) => Json::Array(items.into_iter().map(as_strictly_read).collect()),
            Json::Object(Object(members)) => {
                Json::Object(Object(members.into_iter().map(|(name, value)| (name, as_strictly_read(value))).collect()))
            }
            other => other,
        }
    }

    fn assert_strict_agrees(text: &[u8], base64: Option<&'static Base64Members>) -> bool {
        let Some(fast) = parse(text, base64) else { return false };
        assert_eq!(
            Ok(as_strictly_read(fast)),
            read_strictly(EnvelopePart::Payload, text),
            "{}",
            String::from_utf8_lossy(text)
        );
        true
    }

    const JWS: Base64Members = Base64Members {
        ignore_case: false,
        members: &[
            ("p", Base64Member::Text(Base64::UrlUnpadded)),
            (
                "h",
                Base64Member::Object(&Base64Members {
                    ignore_case: true,
                    members: &[("x", Base64Member::Array(Base64::Standard))],
                }),
            ),
        ],
    };

    #[test]
    fn reads_what_envelopes_hold_as_the_strict_parser_does() {
        for text in [
            r#"{"a":"text","b":[1,0,999999999999999999,true,false,null],"c":{},"d":[],"é":"ü"}"#,
            " \t\n\r{ \"a\" : [ { } , [ ] ] } \n",
            r#"{"p":"AQI","h":{"X":["AQ==","AAE="],"p":"AQI"},"P":"AQI"}"#,
        ] {
            assert!(assert_strict_agrees(text.as_bytes(), Some(&JWS)), "{text}");
        }
        let Some(Json::Object(object)) = parse(br#"{"p":"AQI","h":{"X":["AQ=="]}}"#, Some(&JWS)) else { panic!() };
        assert!(matches!(object.get("p"), Some(Json::String(JsonString::Base64(d))) if d.bytes == [1, 2]));
    }

    #[test]
    fn leaves_everything_else_to_the_strict_parser() {
        for text in [
            "",
            "x",
            r#""esc\"aped""#,
            "\"\u{1}\"",
            "\"a\t\"",
            "{\"a\t\":1}",
            "-1",
            "1.0",
            "1e3",
            "01",
            "1000000000000000000",
            "[1,]",
            "{\"a\":1,}",
            r#"{"a":1,"a":1}"#,
            "{} x",
            "tru",
            "[",
            r#"{"a" 1}"#,
            r#"{"p":"A"}"#,
            r#"{"p":5}"#,
            r#"{"h":{"x":"AQ=="}}"#,
            r#"{"h":{"x":["A"]}}"#,
        ] {
            assert!(parse(text.as_bytes(), Some(&JWS)).is_none(), "{text}");
        }
        let members = |n: usize| format!("{{{}}}", (0..n).map(|i| format!("\"k{i}\":0")).collect::<Vec<_>>().join(","));
        assert!(parse(members(MAX_MEMBERS).as_bytes(), None).is_some());
        assert!(parse(members(MAX_MEMBERS + 1).as_bytes(), None).is_none());
        let deep = |n: usize| format!("{}{}", "[".repeat(n), "]".repeat(n));
        assert!(parse(deep(MAX_NESTING_DEPTH).as_bytes(), None).is_some());
        assert!(parse(deep(MAX_NESTING_DEPTH + 1).as_bytes(), None).is_none());
    }

    #[test]
    fn reads_every_envelope_fixture() {
        let directory = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/envelopes");
        let mut read = 0;
        for entry in std::fs::read_dir(directory).unwrap() {
            let path = entry.unwrap().path();
            if path.extension().is_some_and(|extension| extension == "jws") {
                assert!(assert_strict_agrees(&std::fs::read(&path).unwrap(), Some(&JWS)), "{}", path.display());
                read += 1;
            }
        }
        assert!(read > 0);
    }

    /// JSON-like text written token by token: strings with raw bytes of every kind, numbers and
    /// literals of every form, whitespace between tokens; often valid, often not.
    fn json_text() -> impl Strategy<Value = Vec<u8>> {
        let string_parts: &[&str] = &[
            "a", "A", "Q", "I", "/", "+", "=", "==", " ", "é", "\\\"", "\\n", "\\u0041", "\t", "\n", "\u{1}", "\\",
            "\"",
        ];
        let string = proptest::collection::vec(proptest::sample::select(string_parts), 0..5)
            .prop_map(|parts| format!("\"{}\"", parts.concat()));
        let name =
            proptest::sample::select(&["\"a\"", "\"p\"", "\"h\"", "\"x\"", "\"X\"", "\"\\u0061\"", "\"\t\""][..]);
        let scalar = proptest::sample::select(
            &[
                "0",
                "7",
                "-0",
                "-1",
                "1.5",
                "1e3",
                "01",
                "999999999999999999",
                "1000000000000000000",
                "true",
                "null",
                "tru",
                "\"AQI\"",
                "\"AQ==\"",
            ][..],
        );
        let space = || proptest::sample::select(&["", "", "", " ", "\n", "\t", "\r", "\u{1}"][..]);
        let leaf = prop_oneof![string, scalar.prop_map(str::to_owned)];
        let value = leaf.prop_recursive(4, 32, 5, move |inner| {
            let member = (space(), name.clone(), space(), inner.clone(), space());
            prop_oneof![
                proptest::collection::vec((space(), inner, space()), 0..5).prop_map(|items| {
                    let items: Vec<String> = items.into_iter().map(|(a, item, b)| format!("{a}{item}{b}")).collect();
                    format!("[{}]", items.join(","))
                }),
                proptest::collection::vec(member, 0..5).prop_map(|members| {
                    let members: Vec<String> =
                        members.into_iter().map(|(a, name, b, value, c)| format!("{a}{name}{b}:{value}{c}")).collect();
                    format!("{{{}}}", members.join(","))
                }),
            ]
        });
        (space(), value, space()).prop_map(|(a, value, b)| format!("{a}{value}{b}").into_bytes())
    }

    proptest! {
        #[test]
        fn whatever_it_reads_the_strict_parser_reads_alike(text in json_text()) {
            assert_strict_agrees(&text, None);
            assert_strict_agrees(&text, Some(&JWS));
        }
    }
}
