//! PEM blocks found exactly as Go's `encoding/pem.Decode` finds them: a `-----BEGIN X-----` line
//! (at the start of the input or of a line), optional `Key: value` headers, base64 with spaces
//! and tabs removed, and a matching `-----END X-----` line. Candidates that do not form a block are
//! skipped. The block type is not checked; notation parses every block as a certificate.

use base64::Engine;
use base64::engine::{DecodePaddingMode, GeneralPurpose, GeneralPurposeConfig};

const BEGIN: &[u8] = b"\n-----BEGIN ";
const END: &[u8] = b"\n-----END ";
const DASHES: &[u8] = b"-----";

/// Go's `base64.StdEncoding`: padding required, non-zero trailing bits tolerated.
const GO_STD_BASE64: GeneralPurpose = GeneralPurpose::new(
    &base64::alphabet::STANDARD,
    GeneralPurposeConfig::new()
        .with_decode_padding_mode(DecodePaddingMode::RequireCanonical)
        .with_decode_allow_trailing_bits(true),
);

/// The bytes of the first PEM block in `data`, and the input after it; `None` when there is no
/// block.
pub(crate) fn decode(data: &[u8]) -> Option<(Vec<u8>, &[u8])> {
    let mut rest = data;
    loop {
        rest = match rest.strip_prefix(BEGIN.get(1..)?) {
            Some(after) => after,
            None => rest.get(find(rest, BEGIN)?.checked_add(BEGIN.len())?..)?,
        };
        let (type_line, after_type) = line(rest);
        rest = after_type;
        let Some(block_type) = type_line.strip_suffix(DASHES) else { continue };

        let mut has_headers = false;
        loop {
            if rest.is_empty() {
                return None;
            }
            let (header, next) = line(rest);
            if !header.contains(&b':') {
                break;
            }
            has_headers = true;
            rest = next;
        }

        // Without headers the END line may follow at once, without a newline before it.
        let (body_end, trailer_start) = match rest.strip_prefix(END.get(1..)?) {
            Some(_) if !has_headers => (0, END.len() - 1),
            _ => match find(rest, END) {
                Some(i) => (i, i.saturating_add(END.len())),
                None => continue,
            },
        };
        let Some(trailer) = rest.get(trailer_start..) else { continue };
        let Some((end_type, after_end)) = trailer.split_at_checked(block_type.len().saturating_add(DASHES.len()))
        else {
            continue;
        };
        if !end_type.starts_with(block_type) || !end_type.ends_with(DASHES) || !line(after_end).0.is_empty() {
            continue;
        }
        let body: Vec<u8> =
            rest.get(..body_end)?.iter().copied().filter(|b| !matches!(b, b' ' | b'\t' | b'\r' | b'\n')).collect();
        let Ok(bytes) = GO_STD_BASE64.decode(body) else { continue };
        let (_, remaining) = line(rest.get(body_end.saturating_add(END.len() - 1)..).unwrap_or_default());
        return Some((bytes, remaining));
    }
}

/// Go's `getLine`: up to the next `\n` (a `\r` before it dropped), trailing spaces and tabs
/// trimmed, and the input after the `\n`.
fn line(data: &[u8]) -> (&[u8], &[u8]) {
    let (content, rest) = match data.iter().position(|&b| b == b'\n') {
        Some(i) => {
            let (content, newline_and_rest) = data.split_at(i);
            (content.strip_suffix(b"\r").unwrap_or(content), newline_and_rest.get(1..).unwrap_or_default())
        }
        None => (data, &[][..]),
    };
    let trimmed_len = content.iter().rposition(|b| !matches!(b, b' ' | b'\t')).map_or(0, |i| i.saturating_add(1));
    (content.get(..trimmed_len).unwrap_or_default(), rest)
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn blocks(mut data: &[u8]) -> Vec<Vec<u8>> {
        let mut out = Vec::new();
        while let Some((block, rest)) = decode(data) {
            out.push(block);
            data = rest;
        }
        out
    }

    #[test]
    fn finds_blocks_between_text() {
        let data = b"preamble\n-----BEGIN CERTIFICATE-----\nYWJj\n-----END CERTIFICATE-----\ntext\r\n-----BEGIN X-----\r\nZA==\r\n-----END X-----  \n";
        assert_eq!(blocks(data), vec![b"abc".to_vec(), b"d".to_vec()]);
    }

    #[test]
    fn headers_and_inline_spaces_are_allowed() {
        let data = b"-----BEGIN C-----\nProc-Type: 4\n\nYW Jj\n\tZGVm\n-----END C-----";
        assert_eq!(blocks(data), vec![b"abcdef".to_vec()]);
    }

    #[test]
    fn rejects_what_go_rejects() {
        assert!(decode(b"-----BEGIN C-----\nYWJj\n-----END D-----\n").is_none(), "type mismatch");
        assert!(decode(b"-----BEGIN C-----\nYWJ\n-----END C-----\n").is_none(), "missing padding");
        assert!(decode(b"-----BEGIN C-----\nYWJj\n-----END C----- x\n").is_none(), "text after END");
        assert!(decode(b"x-----BEGIN C-----\nYWJj\n-----END C-----\n").is_none(), "BEGIN not at line start");
        assert!(decode(b"-----BEGIN C-----\nYWJj\n").is_none(), "no END");
        assert!(decode(b"").is_none());
    }

    #[test]
    fn empty_block_without_newline() {
        assert_eq!(blocks(b"-----BEGIN C-----\n-----END C-----\n"), vec![Vec::<u8>::new()]);
    }
}
