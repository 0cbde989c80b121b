//! Text output shows signed content — user metadata, certificate subjects, annotations, and
//! error messages that quote them. A signer must not be able to paint a line of its own (a fake
//! `Successfully verified ...`, a cursor move, a terminal title), so every value from outside
//! is written through [`Printable`]: control characters (C0, DEL, C1), the Unicode line and
//! paragraph separators and the bidirectional controls are shown as escapes (`\x1b`,
//! `\u{202e}`). Backslashes stay as they are: Go's distinguished names use them (`CN=a\,b`),
//! and a literal `\x1b` paints nothing.

use std::fmt;

/// A value written with its control characters escaped (padding applies to the escaped text).
pub struct Printable<'a>(pub &'a str);

fn needs_escape(c: char) -> bool {
    c.is_control()
        || matches!(c, '\u{2028}' | '\u{2029}' | '\u{200e}' | '\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
}

impl Printable<'_> {
    /// The escaped text.
    pub fn escaped(&self) -> std::borrow::Cow<'_, str> {
        if !self.0.chars().any(needs_escape) {
            return std::borrow::Cow::Borrowed(self.0);
        }
        let mut out = String::with_capacity(self.0.len() + 8);
        for c in self.0.chars() {
            match c {
                c if needs_escape(c) && u32::from(c) < 0x100 => out.push_str(&format!("\\x{:02x}", u32::from(c))),
                c if needs_escape(c) => out.push_str(&format!("\\u{{{:x}}}", u32::from(c))),
                c => out.push(c),
            }
        }
        std::borrow::Cow::Owned(out)
    }
}

impl fmt::Display for Printable<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.pad(&self.escaped())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn control_characters_cannot_paint_a_line() {
        let painted = "x\r\u{1b}[2KSuccessfully verified signature for y\n\u{202e}z\\x1b\u{85}";
        let shown = Printable(painted).to_string();
        assert_eq!(shown, "x\\x0d\\x1b[2KSuccessfully verified signature for y\\x0a\\u{202e}z\\x1b\\x85");
        assert!(!shown.chars().any(needs_escape));
        assert_eq!(format!("{:<6}|", Printable("ab")), "ab    |");
        assert_eq!(Printable("CN=a\\,b, O=Acme").to_string(), "CN=a\\,b, O=Acme");
    }
}
