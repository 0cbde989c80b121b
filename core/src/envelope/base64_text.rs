//! Base64 in envelopes, decoded the way Go's `encoding/base64` decodes it: no whitespace, the
//! padding each encoding requires, and non-zero trailing bits ignored.

use base64::Engine as _;
use base64::alphabet;
use base64::engine::general_purpose::{GeneralPurpose, NO_PAD, PAD};

/// base64url without padding, for the JWS `protected`, `payload` and `signature`.
pub(super) const BASE64URL: GeneralPurpose =
    GeneralPurpose::new(&alphabet::URL_SAFE, NO_PAD.with_decode_allow_trailing_bits(true));
/// Standard base64 with padding, as Go decodes a JSON string into `[]byte` (`x5c`,
/// `io.cncf.notary.timestampSignature`).
pub(super) const BASE64: GeneralPurpose =
    GeneralPurpose::new(&alphabet::STANDARD, PAD.with_decode_allow_trailing_bits(true));

/// A base64 encoding of the envelope formats.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Base64 {
    /// [`BASE64`].
    Standard,
    /// [`BASE64URL`].
    UrlUnpadded,
}

impl Base64 {
    /// The bytes `text` encodes, or `None` when it is not this encoding.
    pub(super) fn decode(self, text: &[u8]) -> Option<Vec<u8>> {
        self.canonical_simd().decode_to_vec(text).ok().or_else(|| self.decode_with_trailing_bits(text))
    }

    /// Decodes text that base64-simd rejects for non-zero trailing bits, where Go ignores them:
    /// base64-simd decodes every quantum but the last one, and the `base64` engine the last one,
    /// where padding and trailing bits can only be.
    fn decode_with_trailing_bits(self, text: &[u8]) -> Option<Vec<u8>> {
        let (quanta, last) = text.split_at(text.len().saturating_sub(1) / 4 * 4);
        let mut bytes = Vec::with_capacity(quanta.len() / 4 * 3 + 3);
        self.unpadded_simd().decode_append(quanta, &mut bytes).ok()?;
        let mut tail = [0; 3];
        let tail_len = self.engine().decode_slice(last, &mut tail).ok()?;
        bytes.extend_from_slice(tail.get(..tail_len)?);
        Some(bytes)
    }

    /// The `base64` engine for this encoding.
    fn engine(self) -> &'static GeneralPurpose {
        match self {
            Self::Standard => &BASE64,
            Self::UrlUnpadded => &BASE64URL,
        }
    }

    /// This encoding, with zero trailing bits.
    fn canonical_simd(self) -> &'static base64_simd::Base64 {
        match self {
            Self::Standard => &base64_simd::STANDARD,
            Self::UrlUnpadded => &base64_simd::URL_SAFE_NO_PAD,
        }
    }

    /// Whole quanta have no padding, so `=` among them is an invalid character.
    fn unpadded_simd(self) -> &'static base64_simd::Base64 {
        match self {
            Self::Standard => &base64_simd::STANDARD_NO_PAD,
            Self::UrlUnpadded => &base64_simd::URL_SAFE_NO_PAD,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn both() -> impl Strategy<Value = Base64> {
        prop_oneof![Just(Base64::Standard), Just(Base64::UrlUnpadded)]
    }

    /// Characters of both alphabets, padding, and bytes that are in neither.
    fn text() -> impl Strategy<Value = Vec<u8>> {
        let characters = b"AQgw/+_-=AZaz09 \n\r*.\0\x80\xff".to_vec();
        proptest::collection::vec(proptest::sample::select(characters), 0..200)
    }

    /// A valid encoding of random bytes with one character replaced, often near the end, where
    /// it may set trailing bits or break the padding.
    fn almost_valid(base64: Base64) -> impl Strategy<Value = Vec<u8>> {
        let bytes = proptest::collection::vec(any::<u8>(), 0..160);
        let replacement = proptest::sample::select(b"AQgw/+_-=Z9 *".to_vec());
        (bytes, any::<prop::sample::Index>(), any::<bool>(), replacement).prop_map(
            move |(bytes, index, near_end, replacement)| {
                let mut text = base64.engine().encode(bytes).into_bytes();
                if !text.is_empty() {
                    let at = if near_end {
                        text.len() - 1 - index.index(text.len().min(3))
                    } else {
                        index.index(text.len())
                    };
                    text[at] = replacement;
                }
                text
            },
        )
    }

    proptest! {
        #[test]
        fn decodes_exactly_as_the_base64_engines(base64 in both(), text in text()) {
            prop_assert_eq!(base64.decode(&text), base64.engine().decode(&text).ok());
        }

        #[test]
        fn decodes_near_valid_text_exactly_as_the_base64_engines(
            (base64, text) in both().prop_flat_map(|b| (Just(b), almost_valid(b)))
        ) {
            prop_assert_eq!(base64.decode(&text), base64.engine().decode(&text).ok());
        }

        #[test]
        fn decodes_what_the_engines_encode(base64 in both(), bytes in proptest::collection::vec(any::<u8>(), 0..300)) {
            prop_assert_eq!(base64.decode(base64.engine().encode(&bytes).as_bytes()), Some(bytes));
        }
    }

    #[test]
    fn trailing_bits_are_ignored_and_padding_is_per_encoding() {
        assert_eq!(Base64::Standard.decode(b"AB=="), Some(vec![0]));
        assert_eq!(Base64::UrlUnpadded.decode(b"AB"), Some(vec![0]));
        assert_eq!(Base64::Standard.decode(b"AA"), None);
        assert_eq!(Base64::UrlUnpadded.decode(b"AA=="), None);
        assert_eq!(Base64::Standard.decode(b"AA==AAAA"), None);
        assert_eq!(Base64::Standard.decode(b"-_8="), None);
        assert_eq!(Base64::UrlUnpadded.decode(b"+/8"), None);
        assert_eq!(Base64::Standard.decode(b""), Some(Vec::new()));
    }
}
