//! Distinguished names as notation understands them: go-ldap's RFC 4514 parser plus notation's
//! rules (no `=#`, single-valued RDNs, unique types, `S` = `ST`, mandatory `C`, `ST`, `O`).

use super::error::{DnProblem, PolicyError};
use std::collections::BTreeMap;
use std::fmt;

const MANDATORY_ATTRIBUTES: [&str; 3] = ["C", "ST", "O"];

/// A distinguished name reduced to notation's attribute map: type → value, with types kept
/// verbatim (so case-sensitive: `c=US` is not `C=US`) and values unescaped.
///
/// Both sides of an `x509.subject` match are built with [`DistinguishedName::parse`]: the trusted
/// identity from the policy, and the signing certificate's subject as Go's `pkix.Name.String()`
/// renders it.
///
/// ```
/// use notaverify::DistinguishedName;
///
/// let identity = DistinguishedName::parse("C=US, ST=WA, O=Notary")?;
/// let leaf = DistinguishedName::parse("CN=Notation Test Root,O=Notary,L=Seattle,ST=WA,C=US")?;
/// assert!(identity.is_subset_of(&leaf));
/// assert!(!leaf.is_subset_of(&identity));
/// # Ok::<(), notaverify::PolicyError>(())
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct DistinguishedName {
    attributes: BTreeMap<String, String>,
}

impl DistinguishedName {
    /// Parses `dn` and applies notation's rules.
    ///
    /// Errors: [`PolicyError::InvalidDistinguishedName`] naming the DN and the rule it breaks.
    pub fn parse(dn: &str) -> Result<Self, PolicyError> {
        parse_attributes(dn)
            .map(|attributes| Self { attributes })
            .map_err(|problem| PolicyError::InvalidDistinguishedName { dn: dn.to_owned(), problem })
    }

    /// Whether every attribute of `self` has an equal value in `other` (byte comparison after
    /// unescaping). As in notation, an attribute that `other` lacks counts as an empty value, so
    /// an identity attribute with an empty value (`OU=`) also matches a subject without it.
    pub fn is_subset_of(&self, other: &Self) -> bool {
        self.attributes.iter().all(|(kind, value)| other.get(kind).unwrap_or_default() == value.as_str())
    }

    /// The value of attribute type `kind` (exact, case-sensitive type name; `S` is stored as
    /// `ST`).
    pub fn get(&self, kind: &str) -> Option<&str> {
        self.attributes.get(kind).map(String::as_str)
    }

    /// The attributes as (type, value) pairs, sorted by type.
    pub fn attributes(&self) -> impl Iterator<Item = (&str, &str)> {
        self.attributes.iter().map(|(k, v)| (k.as_str(), v.as_str()))
    }
}

/// RFC 4514 text that [`DistinguishedName::parse`] turns back into the same attribute map.
impl fmt::Display for DistinguishedName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (index, (kind, value)) in self.attributes.iter().enumerate() {
            if index > 0 {
                f.write_str(",")?;
            }
            write_escaped(f, kind)?;
            f.write_str("=")?;
            write_escaped(f, value)?;
        }
        Ok(())
    }
}

fn write_escaped(f: &mut fmt::Formatter<'_>, text: &str) -> fmt::Result {
    let last = text.chars().count().saturating_sub(1);
    for (index, c) in text.chars().enumerate() {
        let escape = match c {
            // `#` anywhere, so that no `=#` appears in the text.
            ',' | '+' | '"' | '\\' | '<' | '>' | ';' | '=' | '#' => true,
            ' ' => index == 0 || index == last,
            _ => false,
        };
        if escape {
            f.write_str("\\")?;
        }
        write!(f, "{c}")?;
    }
    Ok(())
}

fn parse_attributes(dn: &str) -> Result<BTreeMap<String, String>, DnProblem> {
    if dn.contains("=#") {
        return Err(DnProblem::HexValue);
    }
    let mut attributes = BTreeMap::new();
    for rdn in parse_rdns(dn)? {
        let [(kind, value)]: [(String, String); 1] = rdn.try_into().map_err(|_| DnProblem::MultiValuedRdn)?;
        let kind = if kind == "S" { "ST".to_owned() } else { kind };
        if attributes.contains_key(&kind) {
            return Err(DnProblem::DuplicateAttribute { attribute: kind });
        }
        attributes.insert(kind, value);
    }
    for attribute in MANDATORY_ATTRIBUTES {
        if attributes.get(attribute).is_none_or(String::is_empty) {
            return Err(DnProblem::MissingMandatory { attribute });
        }
    }
    Ok(attributes)
}

type Rdn = Vec<(String, String)>;

/// go-ldap's `ParseDN`: RDNs separated by `,` or `;`, attributes inside an RDN by `+`, the first
/// unescaped `=` of an attribute separating type and value.
fn parse_rdns(dn: &str) -> Result<Vec<Rdn>, DnProblem> {
    let mut rdns = Vec::new();
    if dn.trim().is_empty() {
        return Ok(rdns);
    }
    let mut rdn: Rdn = Vec::new();
    let mut kind: Option<String> = None;
    let mut start = 0;
    let mut escaping = false;
    for (index, byte) in dn.bytes().enumerate() {
        if escaping {
            escaping = false;
            continue;
        }
        match byte {
            b'\\' => escaping = true,
            b'=' if kind.is_none() => {
                let decoded = decode(slice(dn, start, index))?;
                if decoded.is_empty() {
                    return Err(DnProblem::EmptyAttributeType);
                }
                kind = Some(decoded);
                start = index.saturating_add(1);
            }
            b',' | b';' | b'+' => {
                let Some(attribute_type) = kind.take() else {
                    return Err(DnProblem::Syntax { reason: "incomplete type, value pair" });
                };
                rdn.push((attribute_type, decode(slice(dn, start, index))?));
                start = index.saturating_add(1);
                if byte != b'+' {
                    rdns.push(std::mem::take(&mut rdn));
                }
            }
            _ => {}
        }
    }
    let Some(attribute_type) = kind else {
        return Err(DnProblem::Syntax { reason: "DN ended with incomplete type, value pair" });
    };
    rdn.push((attribute_type, decode(dn.get(start..).unwrap_or_default())?));
    rdns.push(rdn);
    Ok(rdns)
}

/// `dn[start..end]`; both ends sit next to ASCII delimiters, so they are char boundaries.
fn slice(dn: &str, start: usize, end: usize) -> &str {
    dn.get(start..end).unwrap_or_default()
}

/// Trims unescaped leading and trailing spaces and resolves `\<special>` and `\XX` escapes.
fn decode(raw: &str) -> Result<String, DnProblem> {
    let text = trim_unescaped_spaces(raw);
    let mut bytes = Vec::with_capacity(text.len());
    let mut chars = text.chars();
    while let Some(c) = chars.next() {
        if c != '\\' {
            let mut buffer = [0; 4];
            bytes.extend_from_slice(c.encode_utf8(&mut buffer).as_bytes());
            continue;
        }
        match chars.next() {
            None => return Err(DnProblem::Syntax { reason: "got corrupted escaped character" }),
            Some(special @ (' ' | '"' | '#' | '+' | ',' | ';' | '<' | '=' | '>' | '\\')) => {
                bytes.push(special as u8);
            }
            Some(high) => {
                let low = chars.next();
                let byte = hex_value(high)
                    .zip(low.and_then(hex_value))
                    .map(|(h, l)| h << 4 | l)
                    .ok_or(DnProblem::Syntax { reason: "failed to decode escaped character" })?;
                bytes.push(byte);
            }
        }
    }
    String::from_utf8(bytes).map_err(|_| DnProblem::InvalidUtf8)
}

fn hex_value(c: char) -> Option<u8> {
    c.to_digit(16).and_then(|d| u8::try_from(d).ok())
}

/// Spaces are trimmed on both ends, but a trailing space stays when it is escaped, that is
/// preceded by an odd number of backslashes.
fn trim_unescaped_spaces(raw: &str) -> &str {
    let trimmed = raw.trim_matches(' ');
    if trimmed.is_empty() || !raw.ends_with(' ') {
        return trimmed;
    }
    let backslashes = trimmed.bytes().rev().take_while(|&b| b == b'\\').count();
    if backslashes % 2 == 1 {
        let start = raw.len().saturating_sub(raw.trim_start_matches(' ').len());
        raw.get(start..start.saturating_add(trimmed.len()).saturating_add(1)).unwrap_or(trimmed)
    } else {
        trimmed
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn attrs(dn: &str) -> Vec<(String, String)> {
        DistinguishedName::parse(dn)
            .unwrap_or_else(|e| panic!("{dn}: {e}"))
            .attributes()
            .map(|(k, v)| (k.to_owned(), v.to_owned()))
            .collect()
    }

    fn problem(dn: &str) -> DnProblem {
        match DistinguishedName::parse(dn) {
            Err(PolicyError::InvalidDistinguishedName { problem, .. }) => problem,
            other => panic!("{dn}: expected an invalid DN, got {other:?}"),
        }
    }

    fn pairs(list: &[(&str, &str)]) -> Vec<(String, String)> {
        list.iter().map(|(k, v)| ((*k).to_owned(), (*v).to_owned())).collect()
    }

    #[test]
    fn parses_what_go_renders() {
        assert_eq!(
            attrs("CN=Notation Test Root,O=Notary,L=Seattle,ST=WA,C=US"),
            pairs(&[("C", "US"), ("CN", "Notation Test Root"), ("L", "Seattle"), ("O", "Notary"), ("ST", "WA")])
        );
        assert_eq!(
            attrs(r"CN=a\,b\+c\\d\<e\>f\;g\22,O=\ Acme\ ,ST=WA,C=US"),
            pairs(&[("C", "US"), ("CN", "a,b+c\\d<e>f;g\""), ("O", " Acme "), ("ST", "WA")])
        );
        assert_eq!(attrs("C=US,ST=WA,O=Zürich GmbH").get(1), Some(&("O".to_owned(), "Zürich GmbH".to_owned())));
    }

    #[test]
    fn trims_unescaped_spaces_and_accepts_semicolons() {
        assert_eq!(attrs(" C = US ; ST=WA,  O=x  "), pairs(&[("C", "US"), ("O", "x"), ("ST", "WA")]));
        assert_eq!(attrs(r"C=US,ST=WA,O=x\ "), pairs(&[("C", "US"), ("O", "x "), ("ST", "WA")]));
        assert_eq!(attrs(r"C=US,ST=WA,O=x\\ "), pairs(&[("C", "US"), ("O", "x\\"), ("ST", "WA")]));
        assert_eq!(attrs("C=US,ST=WA,O=a=b"), pairs(&[("C", "US"), ("O", "a=b"), ("ST", "WA")]));
        assert_eq!(attrs(r"C=US,ST=WA,O=\41\c3\bc"), pairs(&[("C", "US"), ("O", "Aü"), ("ST", "WA")]));
    }

    #[test]
    fn s_is_an_alias_of_st() {
        assert_eq!(attrs("C=US,S=WA,O=x"), pairs(&[("C", "US"), ("O", "x"), ("ST", "WA")]));
        assert_eq!(problem("C=US,S=WA,ST=WA,O=x"), DnProblem::DuplicateAttribute { attribute: "ST".into() });
    }

    #[test]
    fn applies_notation_rules() {
        assert_eq!(problem("C=US,ST=WA,O=x,CN=#0101"), DnProblem::HexValue);
        assert_eq!(problem("C=US,ST=WA,O=x+OU=y"), DnProblem::MultiValuedRdn);
        assert_eq!(problem("C=US,ST=WA,O=x,O=y"), DnProblem::DuplicateAttribute { attribute: "O".into() });
        assert_eq!(problem("C=US,ST=WA"), DnProblem::MissingMandatory { attribute: "O" });
        assert_eq!(problem("C=US,ST=,O=x"), DnProblem::MissingMandatory { attribute: "ST" });
        assert_eq!(problem("c=US,ST=WA,O=x"), DnProblem::MissingMandatory { attribute: "C" });
        assert_eq!(problem("   "), DnProblem::MissingMandatory { attribute: "C" });
    }

    #[test]
    fn rejects_bad_syntax() {
        assert!(matches!(problem("C=US,ST"), DnProblem::Syntax { .. }));
        assert!(matches!(problem("C=US,ST=WA,O"), DnProblem::Syntax { .. }));
        assert!(matches!(problem(r"C=US,ST=WA,O=x\"), DnProblem::Syntax { .. }));
        assert!(matches!(problem(r"C=US,ST=WA,O=x\zz"), DnProblem::Syntax { .. }));
        assert!(matches!(problem(r"C=US,ST=WA,O=x\é"), DnProblem::Syntax { .. }));
        assert_eq!(problem(r"C=US,ST=WA,O=\ff"), DnProblem::InvalidUtf8);
        assert_eq!(problem("=US,ST=WA,O=x"), DnProblem::EmptyAttributeType);
    }

    #[test]
    fn subset_compares_exact_values() {
        let leaf = DistinguishedName::parse("CN=a,O=Notary,L=Seattle,ST=WA,C=US").unwrap_or_else(|e| panic!("{e}"));
        let parse = |s: &str| DistinguishedName::parse(s).unwrap_or_else(|e| panic!("{e}"));
        assert!(parse("C=US,ST=WA,O=Notary").is_subset_of(&leaf));
        assert!(parse("C=US,ST=WA,O=Notary,OU=").is_subset_of(&leaf));
        assert!(!parse("C=US,ST=WA,O=notary").is_subset_of(&leaf));
        assert!(!parse("C=US,ST=WA,O=Notary,OU=x").is_subset_of(&leaf));
    }

    /// Attribute maps that satisfy notation's rules: `C`, `ST`, `O` non-empty, no `S`.
    fn valid_map() -> impl Strategy<Value = BTreeMap<String, String>> {
        (
            proptest::collection::btree_map(".{1,6}".prop_filter("S is an alias", |k| k != "S"), ".{0,12}", 0..5),
            ".{1,8}",
            ".{1,8}",
            ".{1,8}",
        )
            .prop_map(|(mut map, c, st, o)| {
                map.insert("C".into(), c);
                map.insert("ST".into(), st);
                map.insert("O".into(), o);
                map
            })
    }

    fn rendered(attributes: BTreeMap<String, String>) -> String {
        DistinguishedName { attributes }.to_string()
    }

    proptest! {
        #[test]
        fn parse_never_panics(text in "\\PC{0,60}") {
            let _ = DistinguishedName::parse(&text);
        }

        #[test]
        fn parse_never_panics_on_dn_like_text(text in "([A-Z]{1,2} ?= ?[a-z\\\\,;+=# \"<>0-9A-F]{0,6}[,;+]?){0,6}") {
            let _ = DistinguishedName::parse(&text);
        }

        #[test]
        fn rendering_then_parsing_gives_the_map_back(map in valid_map()) {
            let parsed = DistinguishedName::parse(&rendered(map.clone()));
            prop_assert_eq!(parsed, Ok(DistinguishedName { attributes: map }));
        }

        #[test]
        fn a_dn_is_a_subset_of_itself(map in valid_map()) {
            let dn = DistinguishedName { attributes: map };
            prop_assert!(dn.is_subset_of(&dn));
        }

        #[test]
        fn extra_attributes_keep_subsets(
            map in valid_map(),
            extra in proptest::collection::btree_map("[A-Za-z]{1,4}", ".{1,8}", 1..4),
        ) {
            let mut superset = map.clone();
            for (kind, value) in extra {
                if kind != "S" {
                    superset.entry(kind).or_insert(value);
                }
            }
            let subset = DistinguishedName::parse(&rendered(map)).map_err(|e| TestCaseError::fail(e.to_string()))?;
            let superset = DistinguishedName::parse(&rendered(superset)).map_err(|e| TestCaseError::fail(e.to_string()))?;
            prop_assert!(subset.is_subset_of(&superset));
        }
    }

    #[test]
    fn display_round_trips() {
        let dn = DistinguishedName::parse(r"C=US,ST=WA,O=\ a\,b=\#c\ ,CN=\#x").unwrap_or_else(|e| panic!("{e}"));
        let rendered = dn.to_string();
        assert_eq!(DistinguishedName::parse(&rendered), Ok(dn));
    }
}
