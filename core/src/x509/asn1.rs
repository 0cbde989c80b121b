//! A small DER reader with the acceptance rules of Go's `golang.org/x/crypto/cryptobyte`, which
//! is what `crypto/x509.ParseCertificate` uses: definite, minimal lengths of at most four bytes,
//! single-byte tags only, OID arcs below 2³¹. Certificates must be accepted and rejected exactly
//! as notation-go does, so the tolerances (and the strictness) are Go's, not a generic parser's.

use std::ops::Range;

/// Universal and context-specific tag bytes used by certificates.
pub(crate) mod tag {
    pub(crate) const BOOLEAN: u8 = 0x01;
    pub(crate) const INTEGER: u8 = 0x02;
    pub(crate) const BIT_STRING: u8 = 0x03;
    pub(crate) const OCTET_STRING: u8 = 0x04;
    pub(crate) const NULL: u8 = 0x05;
    pub(crate) const OID: u8 = 0x06;
    pub(crate) const UTF8_STRING: u8 = 0x0c;
    pub(crate) const NUMERIC_STRING: u8 = 0x12;
    pub(crate) const PRINTABLE_STRING: u8 = 0x13;
    pub(crate) const T61_STRING: u8 = 0x14;
    pub(crate) const IA5_STRING: u8 = 0x16;
    pub(crate) const UTC_TIME: u8 = 0x17;
    pub(crate) const GENERALIZED_TIME: u8 = 0x18;
    pub(crate) const BMP_STRING: u8 = 0x1e;
    pub(crate) const SEQUENCE: u8 = 0x30;
    pub(crate) const SET: u8 = 0x31;

    /// `[n]` primitive, context-specific.
    pub(crate) const fn context(n: u8) -> u8 {
        0x80 | n
    }

    /// `[n]` constructed, context-specific (also every EXPLICIT tag).
    pub(crate) const fn context_constructed(n: u8) -> u8 {
        0xa0 | n
    }
}

/// One TLV element and where it sits in the outermost input.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Element<'a> {
    pub(crate) tag: u8,
    /// Tag, length and value.
    pub(crate) whole: &'a [u8],
    /// The value only.
    pub(crate) value: &'a [u8],
    offset: usize,
    header_len: usize,
}

impl<'a> Element<'a> {
    /// The range of the whole element in the outermost input.
    pub(crate) fn range(&self) -> Range<usize> {
        self.offset..self.offset.saturating_add(self.whole.len())
    }

    /// The range of the value in the outermost input.
    pub(crate) fn value_range(&self) -> Range<usize> {
        let start = self.offset.saturating_add(self.header_len);
        start..start.saturating_add(self.value.len())
    }

    /// A reader over the value, keeping offsets relative to the outermost input.
    pub(crate) fn reader(&self) -> Reader<'a> {
        Reader { rest: self.value, offset: self.offset.saturating_add(self.header_len) }
    }
}

/// A cursor over DER input. Every read returns `None` on malformed input and then the reader
/// must be abandoned (as with cryptobyte).
#[derive(Clone, Debug)]
pub(crate) struct Reader<'a> {
    rest: &'a [u8],
    offset: usize,
}

impl<'a> Reader<'a> {
    pub(crate) fn new(input: &'a [u8]) -> Self {
        Reader { rest: input, offset: 0 }
    }

    pub(crate) fn is_empty(&self) -> bool {
        self.rest.is_empty()
    }

    pub(crate) fn peek_tag(&self) -> Option<u8> {
        self.rest.first().copied()
    }

    /// Reads the next element, whatever its tag.
    pub(crate) fn read_any(&mut self) -> Option<Element<'a>> {
        let (&tag, after_tag) = self.rest.split_first()?;
        if tag & 0x1f == 0x1f {
            return None; // high tag numbers: unsupported by cryptobyte
        }
        let (&first, mut after_len) = after_tag.split_first()?;
        let len = if first & 0x80 == 0 {
            usize::from(first)
        } else {
            let count = usize::from(first & 0x7f);
            if count == 0 || count > 4 {
                return None; // indefinite, or longer than 32 bits
            }
            let (len_bytes, after) = after_len.split_at_checked(count)?;
            after_len = after;
            let len = len_bytes.iter().fold(0u32, |acc, b| (acc << 8) | u32::from(*b));
            if len < 0x80 || len_bytes.first() == Some(&0) {
                return None; // not the shortest form
            }
            usize::try_from(len).ok()?
        };
        let header_len = self.rest.len().checked_sub(after_len.len())?;
        let (value, rest) = after_len.split_at_checked(len)?;
        let whole = self.rest.get(..header_len.checked_add(len)?)?;
        let element = Element { tag, whole, value, offset: self.offset, header_len };
        self.offset = self.offset.saturating_add(whole.len());
        self.rest = rest;
        Some(element)
    }

    /// Reads the next element, which must have tag `tag`.
    pub(crate) fn read_element(&mut self, tag: u8) -> Option<Element<'a>> {
        if self.peek_tag()? != tag {
            return None;
        }
        self.read_any()
    }

    /// Reads the value of the next element, which must have tag `tag`.
    pub(crate) fn read(&mut self, tag: u8) -> Option<&'a [u8]> {
        self.read_element(tag).map(|e| e.value)
    }

    /// Reads an element with tag `tag` if it is next: `Some(None)` when absent, `None` when
    /// malformed.
    pub(crate) fn read_optional(&mut self, tag: u8) -> Option<Option<Element<'a>>> {
        if self.peek_tag() == Some(tag) { self.read_any().map(Some) } else { Some(None) }
    }

    /// A BOOLEAN: exactly one byte, 0x00 or 0xff.
    pub(crate) fn read_boolean(&mut self) -> Option<bool> {
        match self.read(tag::BOOLEAN)? {
            [0x00] => Some(false),
            [0xff] => Some(true),
            _ => None,
        }
    }

    /// The content bytes of a minimally encoded INTEGER, sign included.
    pub(crate) fn read_integer_bytes(&mut self) -> Option<&'a [u8]> {
        let bytes = self.read(tag::INTEGER)?;
        is_minimal_integer(bytes).then_some(bytes)
    }

    /// An INTEGER that fits in an `i64` (Go reads these into an `int`).
    pub(crate) fn read_i64(&mut self) -> Option<i64> {
        let bytes = self.read_integer_bytes()?;
        if bytes.len() > 8 {
            return None;
        }
        let negative = bytes.first().is_some_and(|b| b & 0x80 != 0);
        let init: i64 = if negative { -1 } else { 0 };
        Some(bytes.iter().fold(init, |acc, b| (acc << 8) | i64::from(*b)))
    }

    /// A BIT STRING with zero padding bits, as cryptobyte's `ReadASN1BitString`.
    pub(crate) fn read_bit_string(&mut self) -> Option<BitString<'a>> {
        let (&unused, bytes) = self.read(tag::BIT_STRING)?.split_first()?;
        let padding_clear = match bytes.last() {
            None => unused == 0,
            Some(last) => unused < 8 && last & ((1u8 << unused) - 1) == 0,
        };
        padding_clear.then_some(BitString { unused, bytes })
    }

    /// An OBJECT IDENTIFIER that Go accepts.
    pub(crate) fn read_oid(&mut self) -> Option<Oid<'a>> {
        let bytes = self.read(tag::OID)?;
        Oid::new(bytes)
    }
}

/// DER INTEGER content: non-empty and without a redundant leading byte.
fn is_minimal_integer(bytes: &[u8]) -> bool {
    match bytes {
        [] => false,
        [0x00, next, ..] => next & 0x80 != 0,
        [0xff, next, ..] => next & 0x80 == 0,
        _ => true,
    }
}

/// BIT STRING content.
#[derive(Clone, Copy, Debug)]
pub(crate) struct BitString<'a> {
    unused: u8,
    bytes: &'a [u8],
}

impl BitString<'_> {
    /// Bit `i`, counting from the most significant bit of the first byte (X.690 numbering).
    pub(crate) fn bit(&self, i: usize) -> bool {
        self.bytes.get(i / 8).is_some_and(|b| b & (0x80 >> (i % 8)) != 0)
    }

    /// The bits right-aligned into bytes (Go's `BitString.RightAlign`), for signature values.
    pub(crate) fn right_aligned(&self) -> Vec<u8> {
        if self.unused == 0 {
            return self.bytes.to_vec();
        }
        let shift = u32::from(self.unused);
        let mut out = Vec::with_capacity(self.bytes.len());
        let mut carry = 0u8;
        for b in self.bytes {
            out.push(carry | b.checked_shr(shift).unwrap_or(0));
            carry = b.checked_shl(8 - shift).unwrap_or(0);
        }
        out
    }
}

/// The content bytes of an OBJECT IDENTIFIER that satisfies Go's parser: at least one byte,
/// minimal base-128 arcs, each below 2³¹.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Oid<'a>(&'a [u8]);

impl<'a> Oid<'a> {
    fn new(bytes: &'a [u8]) -> Option<Self> {
        let mut rest = bytes;
        read_base128(&mut rest)?;
        while !rest.is_empty() {
            read_base128(&mut rest)?;
        }
        Some(Oid(bytes))
    }

    /// Whether this is `known`.
    pub(crate) fn is(&self, known: &const_oid::ObjectIdentifier) -> bool {
        self.0 == known.as_bytes()
    }

    /// Dotted-decimal form, as Go's `ObjectIdentifier.String`.
    pub(crate) fn to_dotted(self) -> String {
        arcs(self.0).map(|a| a.iter().map(u32::to_string).collect::<Vec<_>>().join(".")).unwrap_or_default()
    }
}

fn arcs(mut bytes: &[u8]) -> Option<Vec<u32>> {
    let first = read_base128(&mut bytes)?;
    let mut out = if first < 80 { vec![first / 40, first % 40] } else { vec![2, first - 80] };
    while !bytes.is_empty() {
        out.push(read_base128(&mut bytes)?);
    }
    Some(out)
}

fn read_base128(bytes: &mut &[u8]) -> Option<u32> {
    let mut value = 0u32;
    for i in 0..5 {
        let (&b, rest) = bytes.split_first()?;
        *bytes = rest;
        if value >= 1 << (31 - 7) || (i == 0 && b == 0x80) {
            return None;
        }
        value = (value << 7) | u32::from(b & 0x7f);
        if b & 0x80 == 0 {
            return Some(value);
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lengths_must_be_definite_and_minimal() {
        assert!(Reader::new(&[0x04, 0x01, 0xaa]).read_any().is_some());
        assert!(Reader::new(&[0x04, 0x81, 0x01, 0xaa]).read_any().is_none(), "long form for a short length");
        assert!(Reader::new(&[0x30, 0x80, 0x00, 0x00]).read_any().is_none(), "indefinite length");
        assert!(Reader::new(&[0x04, 0x82, 0x00, 0x81]).read_any().is_none(), "leading zero length byte");
        assert!(Reader::new(&[0x04, 0x02, 0xaa]).read_any().is_none(), "truncated");
        assert!(Reader::new(&[0x1f, 0x22, 0x00]).read_any().is_none(), "high tag number");
    }

    #[test]
    fn integers_and_booleans_follow_cryptobyte() {
        assert_eq!(Reader::new(&[0x02, 0x01, 0xff]).read_i64(), Some(-1));
        assert_eq!(Reader::new(&[0x02, 0x02, 0x00, 0x80]).read_i64(), Some(128));
        assert_eq!(Reader::new(&[0x02, 0x02, 0x00, 0x7f]).read_i64(), None);
        assert_eq!(Reader::new(&[0x01, 0x01, 0x01]).read_boolean(), None);
        assert_eq!(Reader::new(&[0x01, 0x01, 0x00]).read_boolean(), Some(false));
    }

    #[test]
    fn oids_render_and_reject_like_go() {
        let oid = Reader::new(&[0x06, 0x03, 0x55, 0x04, 0x03]).read_oid().unwrap();
        assert_eq!(oid.to_dotted(), "2.5.4.3");
        assert!(Reader::new(&[0x06, 0x02, 0x55, 0x80]).read_oid().is_none(), "truncated arc");
        assert!(Reader::new(&[0x06, 0x02, 0x80, 0x01]).read_oid().is_none(), "non-minimal arc");
        assert!(Reader::new(&[0x06, 0x00]).read_oid().is_none(), "empty");
    }

    #[test]
    fn bit_strings_need_zero_padding() {
        let bits = Reader::new(&[0x03, 0x02, 0x07, 0x80]).read_bit_string().unwrap();
        assert!(bits.bit(0) && !bits.bit(1));
        assert!(Reader::new(&[0x03, 0x02, 0x07, 0x81]).read_bit_string().is_none());
        assert!(Reader::new(&[0x03, 0x01, 0x01]).read_bit_string().is_none());
        let aligned = Reader::new(&[0x03, 0x03, 0x04, 0xab, 0xc0]).read_bit_string().unwrap();
        assert_eq!(aligned.right_aligned(), vec![0x0a, 0xbc]);
    }
}
