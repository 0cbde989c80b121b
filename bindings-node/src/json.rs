//! JSON text of the outcome types, written by hand for one reason: a string with nothing to
//! escape — nearly every string of an outcome — is copied whole, where serde_json looks at it
//! byte by byte (some 4,000 instructions an RSA-2048 `verify` call, the largest part of what
//! the call adds to the verification; bench/bench.mjs). The escapes written are serde_json's
//! (`tests` compares the two), so the text is what serde_json would write.

use std::collections::BTreeMap;

/// A value written as JSON text.
pub(crate) trait WriteJson {
    fn write_json(&self, out: &mut Vec<u8>);
}

/// Whether `b` must be escaped in a JSON string (RFC 8259, section 7: the quotation mark, the
/// reverse solidus and the control characters).
fn needs_escape(b: u8) -> bool {
    b < 0x20 || b == b'"' || b == b'\\'
}

/// Whether any byte of `bytes` needs an escape. A fixed-length inner loop without an early exit
/// is one the compiler turns into a few vector instructions for 16 bytes.
fn has_escape(bytes: &[u8]) -> bool {
    let mut chunks = bytes.chunks_exact(16);
    for chunk in &mut chunks {
        if chunk.iter().fold(0u8, |escape, &b| escape | u8::from(needs_escape(b))) != 0 {
            return true;
        }
    }
    chunks.remainder().iter().any(|&b| needs_escape(b))
}

impl WriteJson for str {
    fn write_json(&self, out: &mut Vec<u8>) {
        out.push(b'"');
        if !has_escape(self.as_bytes()) {
            out.extend_from_slice(self.as_bytes());
        } else {
            for b in self.bytes() {
                match b {
                    b'"' => out.extend_from_slice(b"\\\""),
                    b'\\' => out.extend_from_slice(b"\\\\"),
                    b'\n' => out.extend_from_slice(b"\\n"),
                    b'\r' => out.extend_from_slice(b"\\r"),
                    b'\t' => out.extend_from_slice(b"\\t"),
                    0x08 => out.extend_from_slice(b"\\b"),
                    0x0c => out.extend_from_slice(b"\\f"),
                    b if b < 0x20 => {
                        const HEX: &[u8; 16] = b"0123456789abcdef";
                        out.extend_from_slice(b"\\u00");
                        out.extend_from_slice(&[HEX[usize::from(b >> 4)], HEX[usize::from(b & 0xf)]]);
                    }
                    b => out.push(b),
                }
            }
        }
        out.push(b'"');
    }
}

impl WriteJson for String {
    fn write_json(&self, out: &mut Vec<u8>) {
        self.as_str().write_json(out);
    }
}

impl WriteJson for bool {
    fn write_json(&self, out: &mut Vec<u8>) {
        out.extend_from_slice(if *self { b"true" } else { b"false" });
    }
}

impl<T: WriteJson> WriteJson for Option<T> {
    fn write_json(&self, out: &mut Vec<u8>) {
        match self {
            Some(value) => value.write_json(out),
            None => out.extend_from_slice(b"null"),
        }
    }
}

impl<T: WriteJson> WriteJson for [T] {
    fn write_json(&self, out: &mut Vec<u8>) {
        out.push(b'[');
        for (i, value) in self.iter().enumerate() {
            if i > 0 {
                out.push(b',');
            }
            value.write_json(out);
        }
        out.push(b']');
    }
}

impl<T: WriteJson> WriteJson for Vec<T> {
    fn write_json(&self, out: &mut Vec<u8>) {
        self.as_slice().write_json(out);
    }
}

impl WriteJson for BTreeMap<String, String> {
    fn write_json(&self, out: &mut Vec<u8>) {
        out.push(b'{');
        for (i, (name, value)) in self.iter().enumerate() {
            if i > 0 {
                out.push(b',');
            }
            name.write_json(out);
            out.push(b':');
            value.write_json(out);
        }
        out.push(b'}');
    }
}

/// Writes each type as the JSON array of the given fields, in that order: the positional form
/// `outcome.js` reads (cheaper to parse than members with names).
macro_rules! positional {
    ($type:ty: $first:ident $(, $field:ident)*) => {
        impl $crate::json::WriteJson for $type {
            fn write_json(&self, out: &mut Vec<u8>) {
                out.push(b'[');
                $crate::json::WriteJson::write_json(&self.$first, out);
                $(
                    out.push(b',');
                    $crate::json::WriteJson::write_json(&self.$field, out);
                )*
                out.push(b']');
            }
        }
    };
}
pub(crate) use positional;

#[cfg(test)]
mod tests {
    use super::WriteJson;
    use std::collections::BTreeMap;

    fn text<T: WriteJson + ?Sized>(value: &T) -> String {
        let mut out = Vec::new();
        value.write_json(&mut out);
        String::from_utf8(out).expect("JSON text is UTF-8")
    }

    #[test]
    fn strings_are_written_as_serde_json_writes_them() {
        let every_ascii: String = (0u8..0x80).map(char::from).collect();
        let strings = [
            "",
            "CN=rsa2048 leaf,O=Notaverify Test,L=Seattle,ST=WA,C=US",
            "\"",
            "\\",
            "a\"b\\c\nd\re\tf\u{8}g\u{c}h\u{0}i\u{1f}j\u{7f}",
            "ünïcodé ✓ \u{2028}\u{2029} 𝄞",
            every_ascii.as_str(),
        ];
        for s in strings {
            assert_eq!(text(s), serde_json::to_string(s).unwrap(), "{s:?}");
        }
    }

    #[test]
    fn an_escape_is_found_at_any_position() {
        for len in 0..40 {
            for at in 0..len {
                for b in 0u8..=0x7f {
                    let mut bytes = vec![b'a'; len];
                    bytes[at] = b;
                    assert_eq!(super::has_escape(&bytes), super::needs_escape(b), "{b:#04x} at {at} of {len}");
                }
            }
        }
    }

    #[test]
    fn containers_are_written_as_serde_json_writes_them() {
        let map: BTreeMap<String, String> = [("b\"".into(), "1\n".into()), ("a".into(), "2".into())].into();
        assert_eq!(text(&map), serde_json::to_string(&map).unwrap());
        assert_eq!(text(&BTreeMap::<String, String>::new()), "{}");
        let list = vec![Some("x".to_owned()), None];
        assert_eq!(text(&list), serde_json::to_string(&list).unwrap());
        assert_eq!(text(&Vec::<bool>::new()), "[]");
        assert_eq!(text(&[true, false][..]), "[true,false]");
    }
}
