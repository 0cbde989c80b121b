//! A small CBOR (RFC 8949) decoder with the restrictions go-cose applies to COSE_Sign1: definite
//! lengths only, no duplicate map keys, optionally no tags, nesting limited to
//! [`MAX_NESTING_DEPTH`], no trailing bytes. Nothing is allocated from a declared length.

use crate::limits::MAX_NESTING_DEPTH;

/// A decoded CBOR data item borrowing strings from the input.
#[derive(Clone, Debug, PartialEq)]
pub(super) enum Value<'a> {
    /// Major type 0.
    Unsigned(u64),
    /// Major type 1: the value is `-1 - n`.
    Negative(u64),
    Bytes(&'a [u8]),
    Text(&'a str),
    Array(Vec<Self>),
    Map(Vec<(Self, Self)>),
    Tag(u64, Box<Self>),
    Bool(bool),
    Null,
    Undefined,
    Simple(u8),
    Float(f64),
}

impl Value<'_> {
    /// The value of an integer item.
    pub(super) fn as_integer(&self) -> Option<i128> {
        match self {
            Value::Unsigned(n) => Some(i128::from(*n)),
            Value::Negative(n) => Some(-1 - i128::from(*n)),
            _ => None,
        }
    }

    /// Whether `other` has the same preferred encoding, which writes a float by its bits.
    fn same_encoding(&self, other: &Value<'_>) -> bool {
        match (self, other) {
            (Value::Float(a), Value::Float(b)) => a.to_bits() == b.to_bits(),
            (Value::Array(a), Value::Array(b)) => {
                a.len() == b.len() && a.iter().zip(b).all(|(x, y)| x.same_encoding(y))
            }
            (Value::Map(a), Value::Map(b)) => {
                a.len() == b.len() && a.iter().zip(b).all(|((k, v), (l, w))| k.same_encoding(l) && v.same_encoding(w))
            }
            (Value::Tag(t, a), Value::Tag(u, b)) => t == u && a.same_encoding(b),
            _ => self == other,
        }
    }

    /// The shortest ("preferred") encoding of this value; two map keys are duplicates when
    /// these are equal, so non-shortest encodings of the same number still collide.
    fn preferred_encoding(&self, out: &mut Vec<u8>) {
        match self {
            Value::Unsigned(n) => write_head(out, 0, *n),
            Value::Negative(n) => write_head(out, 1, *n),
            Value::Bytes(b) => {
                write_head(out, 2, len_u64(b.len()));
                out.extend_from_slice(b);
            }
            Value::Text(t) => {
                write_head(out, 3, len_u64(t.len()));
                out.extend_from_slice(t.as_bytes());
            }
            Value::Array(items) => {
                write_head(out, 4, len_u64(items.len()));
                items.iter().for_each(|i| i.preferred_encoding(out));
            }
            Value::Map(entries) => {
                write_head(out, 5, len_u64(entries.len()));
                for (k, v) in entries {
                    k.preferred_encoding(out);
                    v.preferred_encoding(out);
                }
            }
            Value::Tag(tag, inner) => {
                write_head(out, 6, *tag);
                inner.preferred_encoding(out);
            }
            Value::Bool(false) => out.push(0xf4),
            Value::Bool(true) => out.push(0xf5),
            Value::Null => out.push(0xf6),
            Value::Undefined => out.push(0xf7),
            Value::Simple(n) => write_head(out, 7, u64::from(*n)),
            Value::Float(f) => {
                out.push(0xfb);
                out.extend_from_slice(&f.to_bits().to_be_bytes());
            }
        }
    }
}

fn len_u64(len: usize) -> u64 {
    u64::try_from(len).unwrap_or(u64::MAX)
}

/// Appends a CBOR head (major type and argument) in its shortest form.
pub(super) fn write_head(out: &mut Vec<u8>, major: u8, argument: u64) {
    let major = major << 5;
    if let Ok(small @ 0..=23) = u8::try_from(argument) {
        out.push(major | small);
    } else if let Ok(n) = u8::try_from(argument) {
        out.extend_from_slice(&[major | 24, n]);
    } else if let Ok(n) = u16::try_from(argument) {
        out.push(major | 25);
        out.extend_from_slice(&n.to_be_bytes());
    } else if let Ok(n) = u32::try_from(argument) {
        out.push(major | 26);
        out.extend_from_slice(&n.to_be_bytes());
    } else {
        out.push(major | 27);
        out.extend_from_slice(&argument.to_be_bytes());
    }
}

/// Most keys of a map whose duplicates are found by comparing each key with the ones before.
const FEW_KEYS: u64 = 16;

/// Items of an array or map made room for up front: an envelope's are this few (a chain of
/// certificates, a header's members); a declared count is not trusted for more, so memory
/// follows what is read, not what is declared.
const PREALLOCATED_ITEMS: u64 = 8;

fn with_room_for<T>(count: u64) -> Vec<T> {
    Vec::with_capacity(usize::try_from(count.min(PREALLOCATED_ITEMS)).unwrap_or_default())
}

/// Why decoding failed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum DecodeError {
    /// Malformed or forbidden CBOR at `offset`.
    Malformed { offset: usize, reason: &'static str },
    /// Nesting deeper than [`MAX_NESTING_DEPTH`].
    TooDeep,
}

/// Decodes exactly one data item filling all of `input`.
pub(super) fn decode(input: &[u8], allow_tags: bool) -> Result<Value<'_>, DecodeError> {
    let mut decoder = Decoder { input, pos: 0, allow_tags };
    let value = decoder.item(0)?;
    if decoder.pos != input.len() {
        return Err(decoder.malformed("trailing bytes after the data item"));
    }
    Ok(value)
}

struct Decoder<'a> {
    input: &'a [u8],
    pos: usize,
    allow_tags: bool,
}

impl<'a> Decoder<'a> {
    fn malformed(&self, reason: &'static str) -> DecodeError {
        DecodeError::Malformed { offset: self.pos, reason }
    }

    fn take(&mut self, n: u64) -> Result<&'a [u8], DecodeError> {
        let end = usize::try_from(n).ok().and_then(|n| self.pos.checked_add(n));
        let bytes = end
            .and_then(|end| self.input.get(self.pos..end))
            .ok_or_else(|| self.malformed("unexpected end of input"))?;
        self.pos = self.pos.saturating_add(bytes.len());
        Ok(bytes)
    }

    fn uint_be(&mut self, n: u64) -> Result<u64, DecodeError> {
        Ok(self.take(n)?.iter().fold(0u64, |acc, b| (acc << 8) | u64::from(*b)))
    }

    /// Each element needs at least one byte, so a count beyond what is left is malformed; this
    /// also bounds the work for hostile counts.
    fn check_count(&self, count: u64, bytes_per_item: u64) -> Result<(), DecodeError> {
        let left = len_u64(self.input.len().saturating_sub(self.pos));
        if count.saturating_mul(bytes_per_item) > left {
            return Err(self.malformed("declared length exceeds the input"));
        }
        Ok(())
    }

    fn item(&mut self, depth: usize) -> Result<Value<'a>, DecodeError> {
        if depth > MAX_NESTING_DEPTH {
            return Err(DecodeError::TooDeep);
        }
        let start = self.pos;
        let initial = *self.take(1)?.first().ok_or_else(|| self.malformed("unexpected end of input"))?;
        let major = initial >> 5;
        let info = initial & 0x1f;
        if major == 7 {
            return self.simple_or_float(info, start);
        }
        let argument = match info {
            0..=23 => u64::from(info),
            24 => self.uint_be(1)?,
            25 => self.uint_be(2)?,
            26 => self.uint_be(4)?,
            27 => self.uint_be(8)?,
            31 => {
                return Err(DecodeError::Malformed {
                    offset: start,
                    reason: "indefinite-length items are not allowed",
                });
            }
            _ => return Err(DecodeError::Malformed { offset: start, reason: "reserved additional information value" }),
        };
        Ok(match major {
            0 => Value::Unsigned(argument),
            1 => Value::Negative(argument),
            2 => Value::Bytes(self.take(argument)?),
            3 => Value::Text(
                std::str::from_utf8(self.take(argument)?)
                    .map_err(|_| DecodeError::Malformed { offset: start, reason: "text string is not UTF-8" })?,
            ),
            4 => {
                self.check_count(argument, 1)?;
                let mut items = with_room_for(argument);
                for _ in 0..argument {
                    items.push(self.item(depth.saturating_add(1))?);
                }
                Value::Array(items)
            }
            5 => {
                self.check_count(argument, 2)?;
                let mut entries: Vec<(Value<'a>, Value<'a>)> = with_room_for(argument);
                // Comparing each key with the ones before is quadratic, so a large map keeps a set
                // of the encodings instead.
                let mut encodings = (argument > FEW_KEYS).then(std::collections::BTreeSet::new);
                for _ in 0..argument {
                    let key_offset = self.pos;
                    let key = self.item(depth.saturating_add(1))?;
                    let duplicate = match &mut encodings {
                        Some(encodings) => {
                            let mut encoded = Vec::new();
                            key.preferred_encoding(&mut encoded);
                            !encodings.insert(encoded)
                        }
                        None => entries.iter().any(|(seen, _)| seen.same_encoding(&key)),
                    };
                    if duplicate {
                        return Err(DecodeError::Malformed { offset: key_offset, reason: "duplicate map key" });
                    }
                    let value = self.item(depth.saturating_add(1))?;
                    entries.push((key, value));
                }
                Value::Map(entries)
            }
            _ => {
                if !self.allow_tags {
                    return Err(DecodeError::Malformed { offset: start, reason: "tags are not allowed here" });
                }
                Value::Tag(argument, Box::new(self.item(depth.saturating_add(1))?))
            }
        })
    }

    fn simple_or_float(&mut self, info: u8, start: usize) -> Result<Value<'a>, DecodeError> {
        Ok(match info {
            20 => Value::Bool(false),
            21 => Value::Bool(true),
            22 => Value::Null,
            23 => Value::Undefined,
            0..=19 => Value::Simple(info),
            24 => match self.uint_be(1)? {
                n @ 32..=255 => Value::Simple(u8::try_from(n).unwrap_or(u8::MAX)),
                _ => return Err(DecodeError::Malformed { offset: start, reason: "invalid simple value encoding" }),
            },
            25 => Value::Float(half_to_f64(u16::try_from(self.uint_be(2)?).unwrap_or(0))),
            26 => Value::Float(f64::from(f32::from_bits(u32::try_from(self.uint_be(4)?).unwrap_or(0)))),
            27 => Value::Float(f64::from_bits(self.uint_be(8)?)),
            31 => return Err(DecodeError::Malformed { offset: start, reason: "unexpected break code" }),
            _ => return Err(DecodeError::Malformed { offset: start, reason: "reserved additional information value" }),
        })
    }
}

/// IEEE 754 binary16 to f64 (RFC 8949 Appendix D).
fn half_to_f64(half: u16) -> f64 {
    let exponent = i32::from((half >> 10) & 0x1f);
    let mantissa = f64::from(half & 0x3ff);
    let magnitude = match exponent {
        0 => mantissa * 2f64.powi(-24),
        31 if mantissa == 0.0 => f64::INFINITY,
        31 => f64::NAN,
        _ => (mantissa + 1024.0) * 2f64.powi(exponent - 25),
    };
    if half & 0x8000 != 0 { -magnitude } else { magnitude }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn hex(s: &str) -> Vec<u8> {
        (0..s.len()).step_by(2).map(|i| u8::from_str_radix(&s[i..i + 2], 16).unwrap()).collect()
    }

    #[test]
    fn decodes_rfc8949_examples() {
        assert_eq!(decode(&hex("1903e8"), false), Ok(Value::Unsigned(1000)));
        assert_eq!(decode(&hex("3903e7"), false).unwrap().as_integer(), Some(-1000));
        assert_eq!(decode(&hex("3bffffffffffffffff"), false).unwrap().as_integer(), Some(-18446744073709551616));
        assert_eq!(decode(&hex("f93c00"), false), Ok(Value::Float(1.0)));
        assert_eq!(decode(&hex("f9c400"), false), Ok(Value::Float(-4.0)));
        assert_eq!(decode(&hex("f90001"), false), Ok(Value::Float(5.960464477539063e-8)));
        assert_eq!(decode(&hex("fa47c35000"), false), Ok(Value::Float(100000.0)));
        assert_eq!(decode(&hex("fb3ff199999999999a"), false), Ok(Value::Float(1.1)));
        assert_eq!(decode(&hex("6449455446"), false), Ok(Value::Text("IETF")));
        assert_eq!(
            decode(&hex("a201020304"), false),
            Ok(Value::Map(vec![(Value::Unsigned(1), Value::Unsigned(2)), (Value::Unsigned(3), Value::Unsigned(4))]))
        );
        assert_eq!(decode(&hex("c11a514b67b0"), true), Ok(Value::Tag(1, Box::new(Value::Unsigned(1363896240)))));
    }

    #[test]
    fn rejects_what_go_cose_rejects() {
        let reason = |bytes: &str, tags| match decode(&hex(bytes), tags) {
            Err(DecodeError::Malformed { reason, .. }) => reason,
            other => panic!("{bytes}: {other:?}"),
        };
        assert_eq!(reason("5f42010243030405ff", true), "indefinite-length items are not allowed");
        assert_eq!(reason("9fff", true), "indefinite-length items are not allowed");
        assert_eq!(reason("a201020103", true), "duplicate map key");
        // 1 and the non-shortest 0x18 0x01 are the same key.
        assert_eq!(reason("a20102180103", true), "duplicate map key");
        assert_eq!(reason("c11a514b67b0", false), "tags are not allowed here");
        assert_eq!(reason("0101", true), "trailing bytes after the data item");
        assert_eq!(reason("5a ffffffff 00".replace(' ', "").as_str(), true), "unexpected end of input");
        assert_eq!(reason("9bffffffffffffffff", true), "declared length exceeds the input");
        assert_eq!(reason("62c328", true), "text string is not UTF-8");
        assert_eq!(reason("1c", true), "reserved additional information value");
        assert_eq!(reason("f801", true), "invalid simple value encoding");
        assert!(matches!(decode(&[], true), Err(DecodeError::Malformed { reason: "unexpected end of input", .. })));
    }

    fn value() -> impl Strategy<Value = Value<'static>> {
        let leaf = prop_oneof![
            (0u64..30).prop_map(Value::Unsigned),
            (0u64..30).prop_map(Value::Negative),
            proptest::sample::select(vec![&b""[..], b"a", b"ab"]).prop_map(Value::Bytes),
            proptest::sample::select(&["", "a", "ab"][..]).prop_map(Value::Text),
            proptest::sample::select(&[0.0, -0.0, 1.0, f64::NAN, -f64::NAN, f64::INFINITY][..]).prop_map(Value::Float),
            any::<bool>().prop_map(Value::Bool),
            prop_oneof![Just(Value::Null), Just(Value::Undefined), (0u8..20).prop_map(Value::Simple)],
        ];
        leaf.prop_recursive(3, 16, 3, |inner| {
            prop_oneof![
                proptest::collection::vec(inner.clone(), 0..3).prop_map(Value::Array),
                proptest::collection::vec((inner.clone(), inner.clone()), 0..3).prop_map(Value::Map),
                (0u64..3, inner).prop_map(|(tag, inner)| Value::Tag(tag, Box::new(inner))),
            ]
        })
    }

    proptest! {
        #[test]
        fn same_encoding_compares_preferred_encodings(a in value(), b in value()) {
            let encode = |v: &Value<'_>| {
                let mut out = Vec::new();
                v.preferred_encoding(&mut out);
                out
            };
            prop_assert_eq!(a.same_encoding(&b), encode(&a) == encode(&b));
            prop_assert!(a.same_encoding(&a));
        }
    }

    #[test]
    fn duplicate_keys_are_found_in_small_and_large_maps() {
        for count in [2, FEW_KEYS + 1] {
            let mut map = vec![0xb8, u8::try_from(count).unwrap()];
            for key in 0..count - 1 {
                map.extend_from_slice(&[u8::try_from(key).unwrap(), 0x00]);
            }
            // The last key repeats the first one in a longer form.
            map.extend_from_slice(&[0x18, 0x00, 0x00]);
            assert!(matches!(decode(&map, true), Err(DecodeError::Malformed { reason: "duplicate map key", .. })));
            let last = map.len() - 3;
            map[last + 1] = u8::try_from(count).unwrap();
            assert!(decode(&map, true).is_ok());
        }
    }

    #[test]
    fn nesting_is_limited() {
        let nested = |n: usize| [vec![0x81; n], vec![0x00]].concat();
        assert!(decode(&nested(MAX_NESTING_DEPTH), false).is_ok());
        assert_eq!(decode(&nested(MAX_NESTING_DEPTH + 1), false), Err(DecodeError::TooDeep));
    }

    #[test]
    fn head_encoding_is_shortest() {
        for (n, expected) in [(0u64, "40"), (23, "57"), (24, "5818"), (256, "590100"), (65536, "5a00010000")] {
            let mut out = Vec::new();
            write_head(&mut out, 2, n);
            assert_eq!(out, hex(expected), "{n}");
        }
    }
}
