//! The one DER reader of the crate, with the acceptance rules of Go's parsers: definite, minimal
//! lengths of at most four bytes, minimal INTEGERs, OID arcs below 2³¹, BIT STRINGs with zero
//! padding. Certificates, CRLs, CMS timestamp tokens and OCSP responses must be accepted and
//! rejected exactly as notation-go does, so the tolerances (and the strictness) are Go's, not a
//! generic parser's.
//!
//! Go reads these structures with two parsers that differ in one rule, so [`Rules`] is the
//! reader's only option: `cryptobyte` (certificates, CRLs) takes single-octet identifiers only,
//! `encoding/asn1` (tspclient-go's CMS, x/crypto's OCSP) also takes the high-tag-number form.
//!
//! Structures are declared as types implementing [`FromDer`], each with its ASN.1 module text
//! above it, and read whole with [`read_all`]; extensions of every kind go through
//! [`read_extensions`], which decides unknown critical extensions in one place.

mod time;

pub(crate) use time::{parse_generalized_time, parse_utc_time};

use crate::Time;
use const_oid::ObjectIdentifier;
use std::fmt;
use std::ops::Range;

/// Universal and context-specific identifier octets.
pub(crate) mod tag {
    pub(crate) const BOOLEAN: u8 = 0x01;
    pub(crate) const INTEGER: u8 = 0x02;
    pub(crate) const BIT_STRING: u8 = 0x03;
    pub(crate) const OCTET_STRING: u8 = 0x04;
    pub(crate) const NULL: u8 = 0x05;
    pub(crate) const OID: u8 = 0x06;
    pub(crate) const ENUMERATED: u8 = 0x0a;
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

    /// `[n]` primitive, context-specific (every IMPLICIT tag of a primitive type).
    pub(crate) const fn context(n: u8) -> u8 {
        0x80 | n
    }

    /// `[n]` constructed, context-specific (every EXPLICIT tag, and IMPLICIT tags of SEQUENCE
    /// or SET types).
    pub(crate) const fn context_constructed(n: u8) -> u8 {
        0xa0 | n
    }
}

/// Which Go parser's identifier rule the input must satisfy.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Rules {
    /// `golang.org/x/crypto/cryptobyte`, behind `x509.ParseCertificate` and
    /// `x509.ParseRevocationList`: single-octet identifiers only (tag numbers up to 30).
    Cryptobyte,
    /// `encoding/asn1`, behind tspclient-go's CMS parser and x/crypto's `ocsp.ParseResponse`:
    /// the high-tag-number form is accepted as well (minimal base-128, below 2³¹, at least 31).
    /// Such an element never matches a tag the caller asks for ([`Element::tag`] is its first
    /// octet), so it can only stand where any element may, e.g. in algorithm parameters.
    EncodingAsn1,
}

/// A structure that does not decode, named by the part that failed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Malformed(pub(crate) &'static str);

/// A type read from DER (webpki's `FromDer`): each declared structure implements it with its
/// ASN.1 module text above the type, so a reviewer can hold the two side by side.
pub(crate) trait FromDer<'a>: Sized {
    /// What the structure is called when it, as a whole, does not decode.
    const WHAT: &'static str;

    /// Reads one value (its outer element included) from `reader`.
    fn from_der(reader: &mut Reader<'a>) -> Result<Self, Malformed>;
}

/// Reads `input` as exactly one `T`, with no trailing bytes.
pub(crate) fn read_all<'a, T: FromDer<'a>>(input: &'a [u8], rules: Rules) -> Result<T, Malformed> {
    let mut reader = Reader::with_rules(input, rules);
    let value = T::from_der(&mut reader)?;
    if reader.is_empty() { Ok(value) } else { Err(Malformed(T::WHAT)) }
}

/// Any one element (`ANY`).
impl<'a> FromDer<'a> for Element<'a> {
    const WHAT: &'static str = "element";

    fn from_der(reader: &mut Reader<'a>) -> Result<Self, Malformed> {
        reader.read_any().ok_or(Malformed(Self::WHAT))
    }
}

/// RFC 5280 §4.1: `Time ::= CHOICE { utcTime UTCTime, generalTime GeneralizedTime }`.
impl<'a> FromDer<'a> for Time {
    const WHAT: &'static str = "time";

    fn from_der(reader: &mut Reader<'a>) -> Result<Self, Malformed> {
        reader.read_time().ok_or(Malformed(Self::WHAT))
    }
}

/// One TLV element and where it sits in the outermost input.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Element<'a> {
    /// The first identifier octet (the whole identifier unless it is in high-tag-number form).
    pub(crate) tag: u8,
    /// Tag, length and value.
    pub(crate) whole: &'a [u8],
    /// The value only.
    pub(crate) value: &'a [u8],
    offset: usize,
    header_len: usize,
    rules: Rules,
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

    /// A reader over the value, with the same rules, keeping offsets relative to the outermost
    /// input.
    pub(crate) fn reader(&self) -> Reader<'a> {
        Reader { rest: self.value, offset: self.offset.saturating_add(self.header_len), rules: self.rules }
    }

    /// The value read as an INTEGER, whatever the tag (for IMPLICIT tags); `None` unless it
    /// is minimal and fits in an `i64`.
    pub(crate) fn implicit_i64(&self) -> Option<i64> {
        let bytes = self.value;
        if !is_minimal_integer(bytes) || bytes.len() > 8 {
            return None;
        }
        let negative = bytes.first().is_some_and(|b| b & 0x80 != 0);
        let init: i64 = if negative { -1 } else { 0 };
        Some(bytes.iter().fold(init, |acc, b| (acc << 8) | i64::from(*b)))
    }

    /// The value as a `Time`, when this is a UTCTime or GeneralizedTime Go accepts.
    pub(crate) fn time(&self) -> Option<Time> {
        let text = std::str::from_utf8(self.value).ok()?;
        match self.tag {
            tag::UTC_TIME => parse_utc_time(text),
            tag::GENERALIZED_TIME => parse_generalized_time(text),
            _ => None,
        }
    }
}

/// A cursor over DER input. Every read returns `None` on malformed input and then the reader
/// must be abandoned (as with cryptobyte).
#[derive(Clone, Debug)]
pub(crate) struct Reader<'a> {
    rest: &'a [u8],
    offset: usize,
    rules: Rules,
}

impl<'a> Reader<'a> {
    /// A reader with cryptobyte's rules.
    pub(crate) fn new(input: &'a [u8]) -> Self {
        Self::with_rules(input, Rules::Cryptobyte)
    }

    pub(crate) fn with_rules(input: &'a [u8], rules: Rules) -> Self {
        Reader { rest: input, offset: 0, rules }
    }

    pub(crate) fn is_empty(&self) -> bool {
        self.rest.is_empty()
    }

    pub(crate) fn peek_tag(&self) -> Option<u8> {
        self.rest.first().copied()
    }

    /// Reads the next element, whatever its tag.
    pub(crate) fn read_any(&mut self) -> Option<Element<'a>> {
        let (&tag, mut after_tag) = self.rest.split_first()?;
        if tag & 0x1f == 0x1f {
            match self.rules {
                Rules::Cryptobyte => return None,
                Rules::EncodingAsn1 => {
                    if read_base128(&mut after_tag)? < 0x1f {
                        return None; // not the shortest form
                    }
                }
            }
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
        let element = Element { tag, whole, value, offset: self.offset, header_len, rules: self.rules };
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

    /// Reads a `T` if the next element has tag `tag`.
    pub(crate) fn read_optional_value<T: FromDer<'a>>(&mut self, tag: u8) -> Result<Option<T>, Malformed> {
        if self.peek_tag() == Some(tag) { T::from_der(self).map(Some) } else { Ok(None) }
    }

    /// Reads a `T`.
    pub(crate) fn read_value<T: FromDer<'a>>(&mut self) -> Result<T, Malformed> {
        T::from_der(self)
    }

    /// Reads every remaining element as a `T`.
    pub(crate) fn read_all_values<T: FromDer<'a>>(&mut self) -> Result<Vec<T>, Malformed> {
        let mut out = Vec::new();
        while !self.is_empty() {
            out.push(T::from_der(self)?);
        }
        Ok(out)
    }

    /// Reads an EXPLICIT `[n]` wrapper and returns a reader over what it wraps.
    pub(crate) fn read_explicit(&mut self, n: u8) -> Option<Self> {
        self.read_element(tag::context_constructed(n)).map(|e| e.reader())
    }

    /// Reads an EXPLICIT `[n]` wrapper if it is next: `Some(None)` when absent, `None` when
    /// malformed.
    pub(crate) fn read_explicit_optional(&mut self, n: u8) -> Option<Option<Self>> {
        Some(self.read_optional(tag::context_constructed(n))?.map(|e| e.reader()))
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
        self.read_element(tag::INTEGER)?.implicit_i64()
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

    /// A `Time` (UTCTime or GeneralizedTime).
    pub(crate) fn read_time(&mut self) -> Option<Time> {
        self.read_any()?.time()
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

impl<'a> BitString<'a> {
    /// Bit `i`, counting from the most significant bit of the first byte (X.690 numbering).
    pub(crate) fn bit(&self, i: usize) -> bool {
        self.bytes.get(i / 8).is_some_and(|b| b & (0x80 >> (i % 8)) != 0)
    }

    /// The bytes, when the string is a whole number of bytes (as signatures and keys are).
    pub(crate) fn whole_bytes(&self) -> Option<&'a [u8]> {
        (self.unused == 0).then_some(self.bytes)
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

    /// Whether this is `known` (one of [`crate::oid`]).
    pub(crate) fn is(&self, known: &ObjectIdentifier) -> bool {
        self.0 == known.as_bytes()
    }

    /// Dotted-decimal form, as Go's `ObjectIdentifier.String`.
    pub(crate) fn to_dotted(self) -> String {
        arcs(self.0).map(|a| a.iter().map(u32::to_string).collect::<Vec<_>>().join(".")).unwrap_or_default()
    }

    /// An owned copy, for parsed structures that outlive their input.
    pub(crate) fn to_owned(self) -> OidBuf {
        OidBuf(self.0.to_vec())
    }
}

/// An owned [`Oid`].
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub(crate) struct OidBuf(Vec<u8>);

impl OidBuf {
    /// Whether this is `known` (one of [`crate::oid`]).
    pub(crate) fn is(&self, known: &ObjectIdentifier) -> bool {
        self.0 == known.as_bytes()
    }

    pub(crate) fn as_oid(&self) -> Oid<'_> {
        Oid(&self.0)
    }
}

impl fmt::Display for OidBuf {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.as_oid().to_dotted())
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

/// One minimal base-128 number below 2³¹ (OID arcs, high tag numbers).
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

/// RFC 5280 §4.1 (also used by CRLs, CRL entries and OCSP single responses):
///
/// ```asn1
/// Extensions  ::=  SEQUENCE SIZE (1..MAX) OF Extension
///
/// Extension  ::=  SEQUENCE  {
///      extnID      OBJECT IDENTIFIER,
///      critical    BOOLEAN DEFAULT FALSE,
///      extnValue   OCTET STRING
///                  -- contains the DER encoding of an ASN.1 value
///                  -- corresponding to the extension type identified
///                  -- by extnID
///      }
/// ```
#[derive(Clone, Copy, Debug)]
pub(crate) struct Extension<'a> {
    pub(crate) oid: Oid<'a>,
    pub(crate) critical: bool,
    pub(crate) value: &'a [u8],
}

/// Why an Extensions SEQUENCE does not decode: the field that failed, or the error the
/// caller's handler returned for an extension's value.
#[derive(Debug)]
pub(crate) enum ExtensionError<E> {
    Malformed(Malformed),
    Value(E),
}

/// Reads the `Extensions` SEQUENCE `list` and hands each extension to `remember`, which
/// returns whether the structure understands it. Unknown critical extensions are decided here,
/// once (RFC 5280 §4.2: a critical extension that is not recognised makes the structure
/// unusable): the first critical extension not understood is returned for the caller to
/// refuse when it uses the structure, as Go does.
pub(crate) fn read_extensions<'a, E>(
    list: Element<'a>,
    mut remember: impl FnMut(&Extension<'a>) -> Result<bool, E>,
) -> Result<Option<Oid<'a>>, ExtensionError<E>> {
    let malformed = |what| ExtensionError::Malformed(Malformed(what));
    if list.tag != tag::SEQUENCE {
        return Err(malformed("extensions"));
    }
    let mut unknown_critical = None;
    let mut items = list.reader();
    while !items.is_empty() {
        let mut fields = items.read_element(tag::SEQUENCE).ok_or_else(|| malformed("extension"))?.reader();
        let oid = fields.read_oid().ok_or_else(|| malformed("extension OID field"))?;
        let critical = match fields.peek_tag() {
            Some(tag::BOOLEAN) => fields.read_boolean().ok_or_else(|| malformed("extension critical field"))?,
            _ => false,
        };
        let value = fields.read(tag::OCTET_STRING).ok_or_else(|| malformed("extension value field"))?;
        let extension = Extension { oid, critical, value };
        let understood = remember(&extension).map_err(ExtensionError::Value)?;
        if critical && !understood && unknown_critical.is_none() {
            unknown_critical = Some(oid);
        }
    }
    Ok(unknown_critical)
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
    fn high_tag_numbers_only_under_encoding_asn1_rules() {
        let asn1 = |input: &'static [u8]| Reader::with_rules(input, Rules::EncodingAsn1).read_any().map(|e| e.value);
        assert_eq!(asn1(&[0x9f, 0x22, 0x01, 0xaa]), Some(&[0xaa][..]), "[34] primitive");
        assert_eq!(asn1(&[0xbf, 0x81, 0x00, 0x00]), Some(&[][..]), "[128] constructed, two octets");
        assert!(asn1(&[0x9f, 0x1e, 0x00]).is_none(), "tag number 30 in the long form");
        assert!(asn1(&[0x9f, 0x80, 0x22, 0x00]).is_none(), "leading 0x80 in the tag number");
        assert!(asn1(&[0x9f, 0x88, 0x80, 0x80, 0x80, 0x00, 0x00]).is_none(), "tag number of 2³¹");
        assert!(Reader::new(&[0x9f, 0x22, 0x01, 0xaa]).read_any().is_none(), "cryptobyte refuses it");
    }

    #[test]
    fn read_all_refuses_trailing_bytes() {
        struct Null;
        impl FromDer<'_> for Null {
            const WHAT: &'static str = "null";
            fn from_der(reader: &mut Reader<'_>) -> Result<Self, Malformed> {
                reader.read(tag::NULL).filter(|v| v.is_empty()).map(|_| Self).ok_or(Malformed(Self::WHAT))
            }
        }
        assert!(read_all::<Null>(&[0x05, 0x00], Rules::Cryptobyte).is_ok());
        assert_eq!(read_all::<Null>(&[0x05, 0x00, 0x00], Rules::Cryptobyte).err(), Some(Malformed("null")));
        assert_eq!(read_all::<Null>(&[0x04, 0x00], Rules::Cryptobyte).err(), Some(Malformed("null")));
    }

    #[test]
    fn extensions_decide_unknown_critical_ones_once() {
        // { 2.5.29.19 critical, 1.2.3 critical, 1.2.4 } with empty values.
        let list = [
            0x30, 0x1f, 0x30, 0x0a, 0x06, 0x03, 0x55, 0x1d, 0x13, 0x01, 0x01, 0xff, 0x04, 0x00, 0x30, 0x09, 0x06, 0x02,
            0x2a, 0x03, 0x01, 0x01, 0xff, 0x04, 0x00, 0x30, 0x06, 0x06, 0x02, 0x2a, 0x04, 0x04, 0x00,
        ];
        let list = Reader::new(&list[..]).read_any().unwrap();
        let mut seen = Vec::new();
        let unknown = read_extensions::<()>(list, |e| {
            seen.push((e.oid.to_dotted(), e.critical));
            Ok(e.oid.is(&crate::oid::BASIC_CONSTRAINTS))
        })
        .unwrap();
        assert_eq!(unknown.map(Oid::to_dotted).as_deref(), Some("1.2.3"));
        assert_eq!(seen, [("2.5.29.19".into(), true), ("1.2.3".into(), true), ("1.2.4".into(), false)]);
        let refused = read_extensions(list, |_| Err("bad value"));
        assert!(matches!(refused, Err(ExtensionError::Value("bad value"))));
        let bad_critical = [0x30, 0x0b, 0x30, 0x09, 0x06, 0x02, 0x2a, 0x03, 0x01, 0x01, 0x01, 0x04, 0x00];
        let bad_critical = Reader::new(&bad_critical[..]).read_any().unwrap();
        assert!(matches!(
            read_extensions::<()>(bad_critical, |_| Ok(true)),
            Err(ExtensionError::Malformed(Malformed("extension critical field")))
        ));
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
