//! Distinguished names as Go's `crypto/x509` parses them and `pkix.Name.String()` prints them.
//!
//! notation matches trusted identities against `cert.Subject.String()`, so the rendering has to
//! be Go's, quirks included: the string is rebuilt from the named fields in a fixed order (not in
//! the certificate's RDN order), several values of one type become one multi-valued RDN, only
//! the last CN and SERIALNUMBER survive, an empty CN disappears, and every other attribute type
//! is printed as `OID=#hex` of Go's own re-encoding of its value.

use crate::asn1::{Oid, Reader, tag};
use crate::oid;
use const_oid::ObjectIdentifier;
use std::borrow::Cow;

/// The attribute types Go parses into named fields, in the order `ToRDNSequence` emits them.
const NAMED: [(ObjectIdentifier, &str); 9] = [
    (oid::COUNTRY, "C"),
    (oid::STATE_OR_PROVINCE, "ST"),
    (oid::LOCALITY, "L"),
    (oid::STREET_ADDRESS, "STREET"),
    (oid::POSTAL_CODE, "POSTALCODE"),
    (oid::ORGANIZATION, "O"),
    (oid::ORGANIZATIONAL_UNIT, "OU"),
    (oid::COMMON_NAME, "CN"),
    (oid::SERIAL_NUMBER, "SERIALNUMBER"),
];

/// Go keeps only the last value of these (single-valued fields of `pkix.Name`), and drops it
/// when it is empty.
const SINGLE_VALUED: [&str; 2] = ["CN", "SERIALNUMBER"];

/// One attribute of a name, value already decoded to a Go string: borrowed from the DER when
/// its bytes are that string (every string type but T.61 beyond ASCII and BMP).
struct Attribute<'a> {
    oid: Oid<'a>,
    value: Cow<'a, str>,
}

const INVALID: &str = "invalid RDNSequence";

/// Fails where Go's `parseName` fails (then the certificate does not parse in Go). Every
/// certificate parse validates two names, so this keeps nothing it reads.
pub(crate) fn validate(raw: &[u8]) -> Result<(), &'static str> {
    for_each_attribute(raw, |_| ()).ok_or(INVALID)
}

/// Renders the DER `Name` element `raw` exactly as Go's `pkix.Name.String()` does for a parsed
/// certificate. Fails where [`validate`] fails.
///
/// `pkix.Name.String` builds its RDN sequence from the attributes without a named field (each
/// its own RDN) followed by the named fields, and prints that sequence in reverse: so the named
/// fields come first here, last field first, then the others, last attribute first.
pub(crate) fn render(raw: &[u8]) -> Result<String, &'static str> {
    let mut attributes = Vec::with_capacity(TYPICAL_ATTRIBUTES);
    for_each_attribute(raw, |attribute| attributes.push(attribute)).ok_or(INVALID)?;
    let mut out = String::with_capacity(raw.len());
    let start_rdn = |out: &mut String| {
        if !out.is_empty() {
            out.push(',');
        }
    };
    for (oid, label) in NAMED.iter().rev() {
        let mut values = attributes.iter().filter(|a| a.oid.is(oid)).map(|a| a.value.as_ref()).peekable();
        if SINGLE_VALUED.contains(label) {
            if let Some(value) = values.last().filter(|v| !v.is_empty()) {
                start_rdn(&mut out);
                push_attribute(&mut out, label, value);
            }
        } else if values.peek().is_some() {
            start_rdn(&mut out);
            for (i, value) in values.enumerate() {
                if i > 0 {
                    out.push('+');
                }
                push_attribute(&mut out, label, value);
            }
        }
    }
    for attribute in attributes.iter().rev().filter(|a| !NAMED.iter().any(|(oid, _)| a.oid.is(oid))) {
        start_rdn(&mut out);
        out.push_str(&attribute.oid.to_dotted());
        out.push('=');
        out.push_str(&hex_value(&attribute.value));
    }
    Ok(out)
}

fn push_attribute(out: &mut String, label: &str, value: &str) {
    out.push_str(label);
    out.push('=');
    escape_into(out, value);
}

/// Attributes in a certificate's name, for the capacity of the list rendering collects (most
/// names have up to six: C, ST, L, O, OU, CN).
const TYPICAL_ATTRIBUTES: usize = 8;

/// Go's `parseName`: SEQUENCE OF SET OF SEQUENCE { OID, string }, flattened; `each` gets the
/// attributes in order. None where Go fails.
fn for_each_attribute<'a>(raw: &'a [u8], mut each: impl FnMut(Attribute<'a>)) -> Option<()> {
    let mut outer = Reader::new(raw);
    let mut rdns = outer.read_element(tag::SEQUENCE)?.reader();
    while !rdns.is_empty() {
        let mut set = rdns.read_element(tag::SET)?.reader();
        while !set.is_empty() {
            let mut atv = set.read_element(tag::SEQUENCE)?.reader();
            let oid = atv.read_oid()?;
            let value = atv.read_any()?;
            each(Attribute { oid, value: decode_string(value.tag, value.value)? });
        }
    }
    Some(())
}

/// Go's `parseASN1String`: the string types a name may use, and how each becomes UTF-8.
fn decode_string(tag: u8, value: &[u8]) -> Option<Cow<'_, str>> {
    match tag {
        // T.61 is read as Latin-1, like Go and BoringSSL.
        tag::T61_STRING => ascii(value).or_else(|| Some(Cow::Owned(value.iter().map(|&b| char::from(b)).collect()))),
        tag::PRINTABLE_STRING => value.iter().all(|&b| is_printable(b, true)).then(|| ascii(value)).flatten(),
        tag::UTF8_STRING => std::str::from_utf8(value).ok().map(Cow::Borrowed),
        tag::BMP_STRING => decode_bmp(value).map(Cow::Owned),
        tag::IA5_STRING => ascii(value),
        tag::NUMERIC_STRING => value.iter().all(|&b| b.is_ascii_digit() || b == b' ').then(|| ascii(value)).flatten(),
        _ => None,
    }
}

/// ASCII bytes as the text they are.
fn ascii(value: &[u8]) -> Option<Cow<'_, str>> {
    std::str::from_utf8(value).ok().filter(|text| text.is_ascii()).map(Cow::Borrowed)
}

/// UCS-2, with an optional trailing NUL pair stripped, surrogates and non-characters rejected.
fn decode_bmp(value: &[u8]) -> Option<String> {
    if !value.len().is_multiple_of(2) {
        return None;
    }
    let value = value.strip_suffix(&[0, 0]).unwrap_or(value);
    value
        .chunks_exact(2)
        .map(|pair| match pair {
            [hi, lo] => {
                let unit = u16::from_be_bytes([*hi, *lo]);
                let forbidden = matches!(unit, 0xfffe | 0xffff | 0xfdd0..=0xfdef | 0xd800..=0xdfff);
                if forbidden { None } else { char::from_u32(u32::from(unit)) }
            }
            _ => None,
        })
        .collect()
}

/// The PrintableString alphabet. `lenient` adds `*` and `&`, which Go's certificate parser
/// tolerates but its encoder does not produce.
fn is_printable(b: u8, lenient: bool) -> bool {
    b.is_ascii_alphanumeric()
        || matches!(b, b'\'' | b'(' | b')' | b'+' | b',' | b'-' | b'.' | b'/' | b' ' | b':' | b'=' | b'?')
        || (lenient && matches!(b, b'*' | b'&'))
}

/// `#` followed by the hex of Go's `asn1.Marshal(value)`: a PrintableString when every character
/// allows it, otherwise a UTF8String.
fn hex_value(value: &str) -> String {
    let tag = if value.bytes().all(|b| is_printable(b, false)) { tag::PRINTABLE_STRING } else { tag::UTF8_STRING };
    let mut der = vec![tag];
    let len = value.len();
    if len < 0x80 {
        der.extend(u8::try_from(len).ok());
    } else {
        let bytes = len.to_be_bytes();
        let significant: Vec<u8> = bytes.iter().copied().skip_while(|b| *b == 0).collect();
        der.extend(u8::try_from(significant.len()).ok().map(|n| 0x80 | n));
        der.extend(significant);
    }
    der.extend_from_slice(value.as_bytes());
    format!("#{}", crate::crypto::hex(&der))
}

/// Go's value escaping: `,+"\<>;` anywhere, a space at either end, `#` at the start.
fn escape_into(out: &mut String, value: &str) {
    let last = value.len().saturating_sub(1);
    for (i, c) in value.char_indices() {
        let needs_escape = match c {
            ',' | '+' | '"' | '\\' | '<' | '>' | ';' => true,
            ' ' => i == 0 || i == last,
            '#' => i == 0,
            _ => false,
        };
        if needs_escape {
            out.push('\\');
        }
        out.push(c);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// (OID content bytes, string tag, value bytes)
    type Atv<'a> = (&'a [u8], u8, &'a [u8]);

    /// DER for a Name, one slice of attributes per RDN.
    fn name(rdns: &[&[Atv<'_>]]) -> Vec<u8> {
        fn tlv(tag: u8, value: &[u8]) -> Vec<u8> {
            let mut out = vec![tag];
            if value.len() < 0x80 {
                out.push(value.len() as u8);
            } else {
                out.extend([0x81, value.len() as u8]);
            }
            out.extend_from_slice(value);
            out
        }
        let mut seq = Vec::new();
        for rdn in rdns {
            let mut set = Vec::new();
            for (oid, t, v) in *rdn {
                let mut atv = tlv(tag::OID, oid);
                atv.extend(tlv(*t, v));
                set.extend(tlv(tag::SEQUENCE, &atv));
            }
            seq.extend(tlv(tag::SET, &set));
        }
        tlv(tag::SEQUENCE, &seq)
    }

    const CN: &[u8] = &[0x55, 0x04, 0x03];
    const C: &[u8] = &[0x55, 0x04, 0x06];
    const O: &[u8] = &[0x55, 0x04, 0x0a];
    const OU: &[u8] = &[0x55, 0x04, 0x0b];
    const ST: &[u8] = &[0x55, 0x04, 0x08];
    const EMAIL: &[u8] = &[0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x09, 0x01];
    const P: u8 = tag::PRINTABLE_STRING;
    const U: u8 = tag::UTF8_STRING;

    #[test]
    fn renders_in_go_field_order_not_certificate_order() {
        let der = name(&[&[(O, P, b"SomeOrg")], &[(CN, U, b"Bad=#CN")], &[(ST, P, b"WA")], &[(C, P, b"US")]]);
        assert_eq!(render(&der).unwrap(), "CN=Bad=#CN,O=SomeOrg,ST=WA,C=US");
    }

    #[test]
    fn repeated_types_become_one_multi_valued_rdn_and_last_cn_wins() {
        let der = name(&[&[(OU, U, b"a")], &[(CN, U, b"first")], &[(OU, U, b"b"), (CN, U, b"second")]]);
        assert_eq!(render(&der).unwrap(), "CN=second,OU=a+OU=b");
    }

    #[test]
    fn empty_common_name_is_dropped() {
        let der = name(&[&[(CN, U, b"")], &[(O, U, b"")]]);
        assert_eq!(render(&der).unwrap(), "O=");
    }

    #[test]
    fn escapes_like_go() {
        let der = name(&[&[(CN, U, b" a,b+c\"d\\e<f>g;h#i ")], &[(O, U, b"#x y")]]);
        assert_eq!(render(&der).unwrap(), r#"CN=\ a\,b\+c\"d\\e\<f\>g\;h#i\ ,O=\#x y"#);
    }

    #[test]
    fn unknown_types_are_hex_of_go_reencoding_and_come_last() {
        // emailAddress as IA5String; '@' is not printable so Go re-encodes it as UTF8String.
        let der = name(&[&[(EMAIL, tag::IA5_STRING, b"a@b")], &[(CN, P, b"x")]]);
        assert_eq!(render(&der).unwrap(), "CN=x,1.2.840.113549.1.9.1=#0c03614062");
        let der = name(&[&[(EMAIL, tag::IA5_STRING, b"ab")]]);
        assert_eq!(render(&der).unwrap(), "1.2.840.113549.1.9.1=#13026162");
    }

    #[test]
    fn decodes_legacy_string_types() {
        let der =
            name(&[&[(CN, tag::BMP_STRING, &[0x00, 0xe9, 0x00, 0x41, 0x00, 0x00])], &[(O, tag::T61_STRING, &[0xe9])]]);
        assert_eq!(render(&der).unwrap(), "CN=éA,O=é");
    }

    #[test]
    fn rejects_what_go_rejects() {
        assert!(render(&name(&[&[(CN, P, b"a@b")]])).is_err(), "@ is not printable");
        assert!(render(&name(&[&[(CN, 0x04, b"x")]])).is_err(), "OCTET STRING is not a string type");
        assert!(render(&name(&[&[(CN, tag::BMP_STRING, &[0xd8, 0x00])]])).is_err(), "surrogate");
        assert!(render(&name(&[&[(CN, U, &[0xff])]])).is_err(), "invalid UTF-8");
        assert!(render(&[0x31, 0x00]).is_err(), "not a SEQUENCE");
    }
}
