//! Names that differ from a notation name only in letter case.
//!
//! Go's `encoding/json` matches a JSON member name to a struct field ignoring case, and takes the
//! last of several spellings. So notation-go reads `IO.CNCF.NOTARY.EXPIRY` in a JWS protected
//! header as the expiry, and `TargetArtifact` in a payload as the signed target. A reader that
//! matched names exactly would ignore such a member (and a signature its signer meant to expire
//! would never expire) or bind to a different spelling than notation does. In signed content, an
//! envelope that readers can read in two ways is rejected, never read one way. That covers the JWS
//! top level and protected header, the COSE protected text labels (go-cose reads labels exactly,
//! but the signer's intent is just as unclear), and the payload. The JWS unprotected header is read
//! as Go reads it, and two spellings of one member there are rejected (see `jws.rs`).

use super::{EnvelopeError, EnvelopePart};

/// Whether `name` is `notation_name` as Go's `encoding/json` matches member names to struct
/// fields: equal after simple Unicode case folding (`bytes.EqualFold`). Every notation name is
/// ASCII, and the only non-ASCII characters whose fold set holds an ASCII letter are U+017F (ſ,
/// folds with `s`) and U+212A (the Kelvin sign, folds with `k`), so Go reads
/// `io.cncf.notary.ſigningScheme` as the signing scheme too.
pub(super) fn same_ignoring_case(name: &str, notation_name: &str) -> bool {
    let mut name = name.chars();
    let mut notation = notation_name.chars();
    loop {
        match (name.next(), notation.next()) {
            (None, None) => return true,
            (Some(a), Some(b)) if folds_to(a, b) => {}
            _ => return false,
        }
    }
}

/// Whether `c` is in the fold set of `ascii`, for an ASCII `ascii`.
fn folds_to(c: char, ascii: char) -> bool {
    c.eq_ignore_ascii_case(&ascii)
        || match c {
            '\u{017F}' => ascii.eq_ignore_ascii_case(&'s'),
            '\u{212A}' => ascii.eq_ignore_ascii_case(&'k'),
            _ => false,
        }
}

/// The first of `names` that is not one of `notation_names` but differs from one of them only in
/// letter case, with that notation name.
pub(super) fn find_case_variant<'n>(
    names: impl IntoIterator<Item = &'n str>,
    notation_names: &[&'static str],
) -> Option<(&'n str, &'static str)> {
    names.into_iter().find_map(|name| {
        if notation_names.contains(&name) {
            return None;
        }
        notation_names.iter().find(|notation| same_ignoring_case(name, notation)).map(|notation| (name, *notation))
    })
}

/// Fails with [`EnvelopeError::AmbiguousName`] when one of the member names of `part` differs
/// from one of `notation_names` only in letter case.
pub(super) fn reject_case_variants<'n>(
    part: EnvelopePart,
    names: impl IntoIterator<Item = &'n str>,
    notation_names: &[&'static str],
) -> Result<(), EnvelopeError> {
    match find_case_variant(names, notation_names) {
        None => Ok(()),
        Some((name, notation_name)) => Err(ambiguous(part, name, notation_name)),
    }
}

/// The error for `name`, which differs from `notation_name` only in letter case.
pub(super) fn ambiguous(part: EnvelopePart, name: &str, notation_name: &str) -> EnvelopeError {
    EnvelopeError::AmbiguousName { part, name: name.to_owned(), notation_name: notation_name.to_owned() }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn matches_as_go_encoding_json_does() {
        for (name, notation_name, same) in [
            ("io.cncf.notary.expiry", "io.cncf.notary.expiry", true),
            ("IO.CNCF.NOTARY.EXPIRY", "io.cncf.notary.expiry", true),
            ("Io.Cncf.Notary.SigningScheme", "io.cncf.notary.signingScheme", true),
            ("io.cncf.notary.\u{17F}igningScheme", "io.cncf.notary.signingScheme", true),
            ("\u{17F}ize", "size", true),
            ("\u{212A}ey", "key", true),
            ("\u{212A}ey", "Key", true),
            // Punctuation and digits are not letters; other characters never fold into ASCII.
            ("io_cncf.notary.expiry", "io.cncf.notary.expiry", false),
            ("X5C", "x5c", true),
            ("x5\u{0421}", "x5c", false),
            ("\u{0130}ssuer", "issuer", false),
            ("\u{0131}ssuer", "issuer", false),
            ("io.cncf.notary.expiry2", "io.cncf.notary.expiry", false),
            ("io.cncf.notary.expir", "io.cncf.notary.expiry", false),
            ("", "", true),
        ] {
            assert_eq!(same_ignoring_case(name, notation_name), same, "{name:?} vs {notation_name:?}");
        }
    }

    #[test]
    fn only_variants_are_reported() {
        const NAMES: &[&str] = &["alg", "io.cncf.notary.expiry"];
        assert_eq!(find_case_variant(["alg", "io.cncf.notary.expiry", "Algorithm", "x.alg"], NAMES), None);
        assert_eq!(find_case_variant(["alg", "ALG"], NAMES), Some(("ALG", "alg")));
        assert_eq!(
            reject_case_variants(EnvelopePart::ProtectedHeader, ["IO.CNCF.NOTARY.EXPIRY"], NAMES)
                .unwrap_err()
                .to_string(),
            "protected header name \"IO.CNCF.NOTARY.EXPIRY\" differs from the notation name \
             \"io.cncf.notary.expiry\" only in letter case"
        );
    }
}
