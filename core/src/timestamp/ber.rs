//! BER to DER, as tspclient-go's `ber.ConvertToDER` does before parsing a token: every length
//! becomes definite and minimal (indefinite-length constructed values are closed by their
//! end-of-contents octets); tags and contents are kept as they are. Exactly one element, no
//! trailing bytes, nesting bounded by [`crate::limits::MAX_ASN1_NESTING_DEPTH`].

use crate::limits::MAX_ASN1_NESTING_DEPTH;

/// Why BER input could not be converted.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum BerError {
    Truncated,
    TrailingData,
    InvalidLength,
    PrimitiveIndefinite,
    TooDeep,
}

/// Converts one BER element to DER.
pub(crate) fn to_der(input: &[u8]) -> Result<Vec<u8>, BerError> {
    let mut out = Vec::with_capacity(input.len());
    let rest = convert(input, &mut out, 0)?;
    if !rest.is_empty() {
        return Err(BerError::TrailingData);
    }
    Ok(out)
}

enum Length {
    Definite(usize),
    Indefinite,
}

/// Converts the element at the start of `input` into `out`; returns the bytes after it.
fn convert<'a>(input: &'a [u8], out: &mut Vec<u8>, depth: usize) -> Result<&'a [u8], BerError> {
    if depth > MAX_ASN1_NESTING_DEPTH {
        return Err(BerError::TooDeep);
    }
    let (tag, after_tag) = read_tag(input)?;
    let constructed = tag.first().is_some_and(|b| b & 0x20 != 0);
    let (length, mut rest) = read_length(after_tag)?;
    out.extend_from_slice(tag);
    match length {
        Length::Definite(len) => {
            let (content, after) = rest.split_at_checked(len).ok_or(BerError::Truncated)?;
            if constructed {
                let mut inner = Vec::with_capacity(len);
                let mut cursor = content;
                while !cursor.is_empty() {
                    cursor = convert(cursor, &mut inner, depth + 1)?;
                }
                write_length(out, inner.len());
                out.extend_from_slice(&inner);
            } else {
                write_length(out, len);
                out.extend_from_slice(content);
            }
            Ok(after)
        }
        Length::Indefinite => {
            if !constructed {
                return Err(BerError::PrimitiveIndefinite);
            }
            let mut inner = Vec::new();
            loop {
                if let Some(after_eoc) = rest.strip_prefix(&[0x00, 0x00]) {
                    write_length(out, inner.len());
                    out.extend_from_slice(&inner);
                    return Ok(after_eoc);
                }
                if rest.is_empty() {
                    return Err(BerError::Truncated);
                }
                rest = convert(rest, &mut inner, depth + 1)?;
            }
        }
    }
}

/// The identifier octets (low- or high-tag-number form).
fn read_tag(input: &[u8]) -> Result<(&[u8], &[u8]), BerError> {
    let first = *input.first().ok_or(BerError::Truncated)?;
    let mut len = 1;
    if first & 0x1f == 0x1f {
        loop {
            let b = *input.get(len).ok_or(BerError::Truncated)?;
            len += 1;
            if b & 0x80 == 0 {
                break;
            }
            if len > 6 {
                return Err(BerError::InvalidLength);
            }
        }
    }
    Ok(input.split_at(len))
}

fn read_length(input: &[u8]) -> Result<(Length, &[u8]), BerError> {
    let (&first, rest) = input.split_first().ok_or(BerError::Truncated)?;
    if first < 0x80 {
        return Ok((Length::Definite(usize::from(first)), rest));
    }
    if first == 0x80 {
        return Ok((Length::Indefinite, rest));
    }
    let count = usize::from(first & 0x7f);
    if count > 8 || first == 0xff {
        return Err(BerError::InvalidLength);
    }
    let (bytes, rest) = rest.split_at_checked(count).ok_or(BerError::Truncated)?;
    let value = bytes.iter().fold(0u64, |acc, b| (acc << 8) | u64::from(*b));
    let len = usize::try_from(value).map_err(|_| BerError::InvalidLength)?;
    if len > rest.len() {
        return Err(BerError::Truncated);
    }
    Ok((Length::Definite(len), rest))
}

fn write_length(out: &mut Vec<u8>, len: usize) {
    if len < 0x80 {
        out.push(len as u8);
        return;
    }
    let bytes = len.to_be_bytes();
    let skip = bytes.iter().take_while(|b| **b == 0).count();
    let significant = &bytes[skip..];
    out.push(0x80 | significant.len() as u8);
    out.extend_from_slice(significant);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn indefinite_and_long_lengths_become_minimal() {
        // SEQUENCE (indefinite) { INTEGER 5 with a non-minimal long-form length }
        let ber = [0x30, 0x80, 0x02, 0x81, 0x01, 0x05, 0x00, 0x00];
        assert_eq!(to_der(&ber), Ok(vec![0x30, 0x03, 0x02, 0x01, 0x05]));
        assert_eq!(to_der(&[0x02, 0x01, 0x05]), Ok(vec![0x02, 0x01, 0x05]));
    }

    #[test]
    fn rejects_what_cannot_be_converted() {
        assert_eq!(to_der(&[0x30, 0x80, 0x02, 0x01, 0x05]), Err(BerError::Truncated));
        assert_eq!(to_der(&[0x04, 0x80, 0x00, 0x00]), Err(BerError::PrimitiveIndefinite));
        assert_eq!(to_der(&[0x02, 0x01, 0x05, 0x00]), Err(BerError::TrailingData));
        assert_eq!(to_der(&[]), Err(BerError::Truncated));
        let deep: Vec<u8> = std::iter::repeat_n([0x30u8, 0x80], 100).flatten().collect();
        assert_eq!(to_der(&deep), Err(BerError::TooDeep));
    }

    #[test]
    fn long_values_get_long_form_lengths() {
        let mut ber = vec![0x04, 0x82, 0x01, 0x00];
        ber.extend(std::iter::repeat_n(7u8, 256));
        let der = to_der(&ber).unwrap();
        assert_eq!(&der[..4], &[0x04, 0x82, 0x01, 0x00]);
    }
}
