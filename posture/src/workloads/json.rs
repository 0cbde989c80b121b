//! The fast path for workloads JSON: a strict reader of a JSON stream that implements serde's
//! `Deserializer` for the typed model of `read` (the same structs, so the same fields, the same
//! duplicate-field and type checks), and skips the values the model does not read with a
//! validating scan, a word at a time, instead of serde_json's byte-by-byte walk. A `kubectl get
//! -o json` export is mostly indentation and fields nobody reads (`status`, `env`,
//! `managedFields`, ...), so this is where the time of a large file goes: a skipped value is
//! scanned by one loop over the buffer ([`skip`]), its indentation and its strings a word at a
//! time (with no bounds check per word), and a zero byte after the data (the sentinel, [`PAD`]) stops every
//! scan at the data's end, so that only where a scan stops is it asked whether the data ended
//! there (the scan then goes on from where it stopped, once there is more). It reads its input in
//! chunks ([`CHUNK`]) into one buffer, not the whole file into memory: a file of hundreds of
//! megabytes costs a buffer that stays in the cache, not as many fresh pages.
//!
//! It accepts only a subset of what serde_json accepts, never more, and gives up ([`GiveUp`])
//! on anything outside it: any syntax error, an escape in a string the model reads (a name, an
//! image), a value of another type than the model's (which serde_json rejects too), a document
//! that is not an object or array, or nesting deeper than [`MAX_DEPTH`]. The caller then reads
//! the file with serde_json, whose answer — the value, or the error with its line and column —
//! is the file's: so the fast path changes the time a file takes and nothing else.
//!
//! The subset, as serde_json (1.0, `from_slice`) reads JSON:
//! - white space is space, tab, line feed and carriage return;
//! - strings the model reads have no escape and no control character and are UTF-8; strings of
//!   skipped values may have the escapes `\" \\ \/ \b \f \n \r \t \uXXXX` (a `\u` escape is not
//!   decoded, as serde_json does not decode what it skips) but no control character;
//! - numbers (only in skipped values) are `-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?`;
//! - objects and arrays have no trailing comma; object keys are strings;
//! - documents of the stream are objects or arrays.

use serde::de::value::BytesDeserializer;
use serde::de::{self, DeserializeSeed, Deserializer, MapAccess, SeqAccess, Visitor};
use std::io::Read;

/// Deepest nesting of objects and arrays the fast path reads (below serde_json's 128, so that
/// serde_json decides about anything deeper).
const MAX_DEPTH: usize = 100;
/// Bytes kept after the data in the buffer: the first is a zero byte (the sentinel), the rest
/// room to read a word that starts at or before it (scans read whole words). The sentinel is
/// neither white space nor allowed in a string nor the start of a token, so every scan stops at
/// the end of the data without counting: only where a scan stops is it asked whether that is
/// the end.
const PAD: usize = 8;
/// Eight spaces, as one word: indentation is skipped a word at a time.
const SPACES: u64 = u64::from_ne_bytes([b' '; 8]);
/// `0x0101...01`: a byte-wise constant.
const ONES: u64 = u64::MAX / 255;
/// The top bit of every byte.
const HIGHS: u64 = ONES << 7;

/// Whether a JSON string cannot hold `byte` as it is: `"`, `\`, or a control character below
/// U+0020.
#[inline]
fn is_special(byte: u8) -> bool {
    byte == b'"' || byte == b'\\' || byte < 0x20
}

/// The top bit of each byte of `word` that [`is_special`] (exact for the lowest one).
#[inline]
fn special_bytes(word: u64) -> u64 {
    let quote = word ^ (ONES * u64::from(b'"'));
    let backslash = word ^ (ONES * u64::from(b'\\'));
    ((word.wrapping_sub(ONES * 0x20) & !word)
        | (quote.wrapping_sub(ONES) & !quote)
        | (backslash.wrapping_sub(ONES) & !backslash))
        & HIGHS
}

/// Where the first byte of `bytes` that [`is_special`] is, eight bytes at a time (also for
/// writing JSON strings).
#[inline]
pub(super) fn first_special(bytes: &[u8]) -> Option<usize> {
    let (words, tail) = bytes.as_chunks::<8>();
    // Wrapping counts, as in `spaces_at`.
    let mut count = 0usize;
    for word in words {
        let found = special_bytes(u64::from_le_bytes(*word));
        if found != 0 {
            return Some(count.wrapping_add(found.trailing_zeros() as usize / 8));
        }
        count = count.wrapping_add(8);
    }
    tail.iter().position(|&b| is_special(b)).map(|i| count.wrapping_add(i))
}

/// The fast path does not read this input; serde_json decides about it.
#[derive(Debug)]
pub struct GiveUp;

impl std::fmt::Display for GiveUp {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("not read by the fast JSON path")
    }
}

impl std::error::Error for GiveUp {}

impl de::Error for GiveUp {
    fn custom<T: std::fmt::Display>(_: T) -> Self {
        Self
    }
}

/// Bytes read from the source at a time (more when one string is longer).
pub(super) const CHUNK: usize = 256 * 1024;

/// A JSON stream being read: values one after the other, from a source read in chunks. The
/// values own their strings (the buffer is reused).
pub struct Reader<'s> {
    source: &'s mut dyn Read,
    /// Read, not yet consumed: `buf[at..end]`; `buf[end]` is 0 and at least [`PAD`] bytes follow
    /// `end` (the rest is room to read into).
    buf: Vec<u8>,
    at: usize,
    end: usize,
    depth: usize,
    /// Bytes to read at a time.
    chunk: usize,
    /// The source is at its end (or failed).
    eof: bool,
    /// The source failed.
    failed: bool,
    /// Bytes read from the source.
    read: u64,
}

impl<'s> Reader<'s> {
    /// A reader of `head` (already read), then of `source`, `chunk` bytes at a time.
    pub fn new(mut head: Vec<u8>, source: &'s mut dyn Read, chunk: usize) -> Self {
        let end = head.len();
        head.resize(end + PAD, 0);
        Reader { source, buf: head, at: 0, end, depth: 0, chunk: chunk.max(1), eof: false, failed: false, read: 0 }
    }

    /// Bytes read from the source (not counting the head).
    pub fn bytes_read(&self) -> u64 {
        self.read
    }

    /// The next document of the stream (an object or an array), or `None` at its end. A source
    /// that fails is given up on.
    pub fn next<'de, T: de::Deserialize<'de>>(&mut self) -> Result<Option<T>, GiveUp> {
        match self.skip_ws() {
            None if self.failed => Err(GiveUp),
            None => Ok(None),
            Some(b'{' | b'[') => T::deserialize(&mut *self).map(Some),
            Some(_) => Err(GiveUp),
        }
    }

    /// Reads more: the bytes from `keep` on move to the start of the buffer (the position moves
    /// with them); `false` at the end of the source.
    #[cold]
    #[inline(never)]
    fn refill(&mut self, keep: usize) -> bool {
        if self.eof {
            return false;
        }
        self.buf.copy_within(keep..self.end, 0);
        self.end -= keep;
        self.at -= keep;
        // Room for a chunk (zeroed once, then reused); a string longer than the chunk doubles it.
        let room = self.chunk.max(self.end);
        if self.buf.len() - self.end < room + PAD {
            self.buf.resize(self.end + room + PAD, 0);
        }
        let limit = self.buf.len() - PAD;
        let read = loop {
            match self.source.read(&mut self.buf[self.end..limit]) {
                Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
                Err(_) => {
                    self.failed = true;
                    break 0;
                }
                Ok(n) => break n,
            }
        };
        self.end += read;
        self.read += read as u64;
        self.buf[self.end] = 0;
        self.eof = read == 0;
        !self.eof
    }

    /// The byte at `at` (at most `end`: the sentinel there).
    #[inline(always)]
    fn byte(&self, at: usize) -> u8 {
        self.buf.get(at).copied().unwrap_or(0)
    }

    /// At least `n` bytes from the position on are in the buffer (`false` at the end).
    #[inline]
    fn ensure(&mut self, n: usize) -> bool {
        while self.end - self.at < n {
            if !self.refill(self.at) {
                return false;
            }
        }
        true
    }

    /// Skips white space; the next byte, if any.
    #[inline(always)]
    fn skip_ws(&mut self) -> Option<u8> {
        loop {
            self.at = skip_white(&self.buf, self.at);
            if self.at != self.end {
                return Some(self.byte(self.at));
            }
            if !self.refill(self.at) {
                return None;
            }
        }
    }

    /// Skips white space and expects `byte`, which it consumes.
    #[inline]
    fn expect(&mut self, byte: u8) -> Result<(), GiveUp> {
        if self.skip_ws() == Some(byte) {
            self.at += 1;
            Ok(())
        } else {
            Err(GiveUp)
        }
    }

    /// Consumes `word` (`true`, `false`, `null`) at the reader's position.
    #[inline]
    fn literal(&mut self, word: &[u8]) -> Result<(), GiveUp> {
        if self.ensure(word.len()) && self.buf.get(self.at..self.at + word.len()) == Some(word) {
            self.at += word.len();
            Ok(())
        } else {
            Err(GiveUp)
        }
    }

    /// The text of a string without escapes or control characters, its opening quote consumed
    /// (valid until the reader reads on). The bytes from its start are kept when more is read.
    #[inline(always)]
    fn plain_str(&mut self) -> Result<&[u8], GiveUp> {
        let mut start = self.at;
        loop {
            // The sentinel is special: there is one.
            let found = first_special(self.buf.get(self.at..).unwrap_or_default()).ok_or(GiveUp)?;
            self.at += found;
            if self.at != self.end {
                break;
            }
            if !self.refill(start) {
                return Err(GiveUp);
            }
            start = 0;
        }
        if self.byte(self.at) != b'"' {
            return Err(GiveUp);
        }
        self.at += 1;
        Ok(self.buf.get(start..self.at - 1).unwrap_or_default())
    }

    /// A string the model reads, its opening quote consumed: no escape, no control character,
    /// UTF-8.
    #[inline]
    fn read_str(&mut self) -> Result<&str, GiveUp> {
        std::str::from_utf8(self.plain_str()?).map_err(|_| GiveUp)
    }

    /// An object key of an object the model reads, its opening quote consumed: as
    /// [`Reader::read_str`], as bytes (the model's keys are ASCII; others are checked to be
    /// UTF-8, as serde_json does, and match no field).
    #[inline(always)]
    fn read_key(&mut self) -> Result<&[u8], GiveUp> {
        let key = self.plain_str()?;
        if !key.is_ascii() {
            std::str::from_utf8(key).map_err(|_| GiveUp)?;
        }
        Ok(key)
    }

    /// Skips a value the model does not read, checking its syntax: [`skip`] over what is read,
    /// reading more until the value ends.
    fn skip_value(&mut self) -> Result<(), GiveUp> {
        let mut state = Skip { next: Next::Value, open: 0, len: 0 };
        loop {
            let (at, scanned) = skip(&self.buf, self.at, self.end, MAX_DEPTH.saturating_sub(self.depth), &mut state);
            self.at = at;
            match scanned {
                Scanned::Done => return Ok(()),
                Scanned::More if self.refill(at) => {}
                Scanned::More | Scanned::Invalid => return Err(GiveUp),
            }
        }
    }

    /// An object or array the model reads: one level deeper.
    fn enter(&mut self) -> Result<(), GiveUp> {
        self.at += 1;
        self.depth += 1;
        if self.depth > MAX_DEPTH { Err(GiveUp) } else { Ok(()) }
    }
}

/// What the scan of a skipped value expects next.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Next {
    /// A value.
    Value,
    /// A value or, right after `[`, the `]` of an empty array.
    FirstValue,
    /// The rest of a string value, its opening quote consumed.
    ValueText,
    /// A key.
    Key,
    /// A key or, right after `{`, the `}` of an empty object.
    FirstKey,
    /// The rest of a key, its opening quote consumed.
    KeyText,
    /// The colon after a key.
    Colon,
    /// A comma or a closing bracket, after a value.
    After,
}

/// The scan of a skipped value, between reads: what comes next and the objects and arrays open
/// (bits of a word, 1 for an object, `len` of them).
struct Skip {
    next: Next,
    open: u128,
    len: usize,
}

/// How a [`skip`] ended.
enum Scanned {
    /// The value ended.
    Done,
    /// The data ended first: the scan goes on from where it stopped once there is more.
    More,
    /// Not in the subset.
    Invalid,
}

/// The byte at `at` of `data` (0, as the sentinel, beyond it).
#[inline(always)]
fn byte_at(data: &[u8], at: usize) -> u8 {
    data.get(at).copied().unwrap_or(0)
}

/// How many spaces `data` has at `at`, a word at a time. (Counts of bytes within a buffer cannot
/// overflow: they wrap, which keeps the release profile's overflow checks out of the loop.)
#[inline(always)]
fn spaces_at(data: &[u8], at: usize) -> usize {
    let mut count = 0usize;
    for word in data.get(at..).unwrap_or_default().as_chunks::<8>().0 {
        let other = u64::from_le_bytes(*word) ^ SPACES;
        if other != 0 {
            return count.wrapping_add(other.trailing_zeros() as usize / 8);
        }
        count = count.wrapping_add(8);
    }
    count
}

/// The first byte at or after `at` of `data` that is not white space (the sentinel stops it).
#[inline(always)]
fn skip_white(data: &[u8], mut at: usize) -> usize {
    loop {
        match byte_at(data, at) {
            b' ' | b'\n' | b'\t' | b'\r' => at += 1,
            _ => return at,
        }
        // Indentation: the spaces that follow (a word at a time where there are some: one space,
        // as after a colon, is not worth the loop).
        if byte_at(data, at) == b' ' {
            at += spaces_at(data, at);
        }
    }
}

/// The end of the digits at or after `at` of `data`.
#[inline(always)]
fn skip_digits(data: &[u8], mut at: usize) -> usize {
    while byte_at(data, at).is_ascii_digit() {
        at += 1;
    }
    at
}

/// The end of the number at `at` of `data` (`-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?`),
/// or where it stops being one.
fn skip_number(data: &[u8], mut at: usize) -> Result<usize, usize> {
    if byte_at(data, at) == b'-' {
        at += 1;
    }
    at = match byte_at(data, at) {
        b'0' => at + 1,
        b'1'..=b'9' => skip_digits(data, at + 1),
        _ => return Err(at),
    };
    if byte_at(data, at) == b'.' {
        let digits = skip_digits(data, at + 1);
        if digits == at + 1 {
            return Err(digits);
        }
        at = digits;
    }
    if let b'e' | b'E' = byte_at(data, at) {
        at += 1;
        if let b'+' | b'-' = byte_at(data, at) {
            at += 1;
        }
        let digits = skip_digits(data, at);
        if digits == at {
            return Err(digits);
        }
        at = digits;
    }
    Ok(at)
}

/// The end of the string whose text starts at `at` of `data` (after its closing quote), or
/// where and why the scan stopped: `More` where the data ends (`end`) before the string does,
/// `Invalid` at a control character or a bad escape. The escapes are checked, the text is not
/// decoded (as serde_json skips a string).
#[inline(always)]
fn text_end(data: &[u8], mut at: usize, end: usize) -> Result<usize, (usize, Scanned)> {
    loop {
        // The sentinel is special: there is one.
        let Some(offset) = first_special(data.get(at..).unwrap_or_default()) else {
            return Err((at, Scanned::Invalid));
        };
        at += offset;
        match byte_at(data, at) {
            b'"' => return Ok(at + 1),
            b'\\' => at = escape_end(data, at, end)?,
            _ if at == end => return Err((at, Scanned::More)),
            _ => return Err((at, Scanned::Invalid)),
        }
    }
}

/// The end of the escape at `at` of `data`, as [`text_end`].
#[inline(never)]
fn escape_end(data: &[u8], at: usize, end: usize) -> Result<usize, (usize, Scanned)> {
    let len = match byte_at(data, at + 1) {
        _ if end - at < 2 => return Err((at, Scanned::More)),
        b'"' | b'\\' | b'/' | b'b' | b'f' | b'n' | b'r' | b't' => 2,
        b'u' if end - at < 6 => return Err((at, Scanned::More)),
        b'u' if (2..6).all(|i| byte_at(data, at + i).is_ascii_hexdigit()) => 6,
        _ => return Err((at, Scanned::Invalid)),
    };
    Ok(at + len)
}

/// Scans a skipped value in `data[at..end]` (`data[end]` is the sentinel, and a word can be read
/// at any position up to it), going on from `state`, at most `room` objects and arrays deep.
/// Returns where it stopped: after the value (`Done`); where to go on when the data ended
/// (`More`: the start of the token that did not end, or within a string); or anywhere
/// (`Invalid`). Tokens that end at `end` are scanned again with more data (a number or a
/// literal may go on), so the data's end decides nothing.
fn skip(data: &[u8], mut at: usize, end: usize, room: usize, state: &mut Skip) -> (usize, Scanned) {
    let Skip { mut next, mut open, mut len } = *state;
    // The rest of a string the last scan stopped in.
    if let Next::ValueText | Next::KeyText = next {
        match text_end(data, at, end) {
            Ok(after) => at = after,
            Err((stop, scanned)) => return (stop, scanned),
        }
        next = if next == Next::KeyText { Next::Colon } else { Next::After };
        if next == Next::After && len == 0 {
            return (at, Scanned::Done);
        }
    }
    let scanned = loop {
        at = skip_white(data, at);
        if at == end {
            break Scanned::More;
        }
        let b = byte_at(data, at);
        match next {
            Next::Value | Next::FirstValue => match b {
                b'"' => match text_end(data, at + 1, end) {
                    Ok(after) => at = after,
                    Err((stop, scanned)) => {
                        at = stop;
                        next = Next::ValueText;
                        break scanned;
                    }
                },
                b'{' | b'[' => {
                    if len >= room {
                        break Scanned::Invalid;
                    }
                    at += 1;
                    open = (open << 1) | u128::from(b == b'{');
                    len += 1;
                    next = if b == b'{' { Next::FirstKey } else { Next::FirstValue };
                    continue;
                }
                b']' if next == Next::FirstValue => {
                    at += 1;
                    open >>= 1;
                    len -= 1;
                }
                b't' | b'f' | b'n' => {
                    let literal: &[u8] = match b {
                        b't' => b"true",
                        b'f' => b"false",
                        _ => b"null",
                    };
                    if end - at < literal.len() {
                        break Scanned::More;
                    }
                    if data.get(at..at + literal.len()) != Some(literal) {
                        break Scanned::Invalid;
                    }
                    at += literal.len();
                }
                // A number that reaches the end of the data may go on.
                b'-' | b'0'..=b'9' => match skip_number(data, at) {
                    Ok(after) | Err(after) if after == end => break Scanned::More,
                    Ok(after) => at = after,
                    Err(_) => break Scanned::Invalid,
                },
                _ => break Scanned::Invalid,
            },
            Next::Key | Next::FirstKey => match b {
                b'"' => {
                    // The key, and the colon after it (most often right after it).
                    match text_end(data, at + 1, end) {
                        Ok(after) => at = after,
                        Err((stop, scanned)) => {
                            at = stop;
                            next = Next::KeyText;
                            break scanned;
                        }
                    }
                    next = Next::Colon;
                    at = skip_white(data, at);
                    if byte_at(data, at) == b':' {
                        at += 1;
                        next = Next::Value;
                    }
                    continue;
                }
                b'}' if next == Next::FirstKey => {
                    at += 1;
                    open >>= 1;
                    len -= 1;
                }
                _ => break Scanned::Invalid,
            },
            Next::Colon if b == b':' => {
                at += 1;
                next = Next::Value;
                continue;
            }
            Next::After => match b {
                b',' => {
                    at += 1;
                    next = if open & 1 == 1 { Next::Key } else { Next::Value };
                    continue;
                }
                b'}' | b']' if (b == b'}') == (open & 1 == 1) => {
                    at += 1;
                    open >>= 1;
                    len -= 1;
                }
                _ => break Scanned::Invalid,
            },
            _ => break Scanned::Invalid,
        }
        // A value ended: a comma or a closing bracket follows (most often right after it).
        if len == 0 {
            break Scanned::Done;
        }
        next = Next::After;
        if byte_at(data, at) == b',' {
            at += 1;
            next = if open & 1 == 1 { Next::Key } else { Next::Value };
        }
    };
    *state = Skip { next, open, len };
    (at, scanned)
}

/// The members of an object the model reads.
struct Members<'r, 's> {
    reader: &'r mut Reader<'s>,
    first: bool,
    ended: bool,
}

impl<'de> MapAccess<'de> for Members<'_, '_> {
    type Error = GiveUp;

    fn next_key_seed<K: DeserializeSeed<'de>>(&mut self, seed: K) -> Result<Option<K::Value>, GiveUp> {
        let r = &mut *self.reader;
        let mut b = r.skip_ws().ok_or(GiveUp)?;
        if b == b'}' {
            r.at += 1;
            self.ended = true;
            return Ok(None);
        }
        if !self.first {
            if b != b',' {
                return Err(GiveUp);
            }
            r.at += 1;
            b = r.skip_ws().ok_or(GiveUp)?;
        }
        self.first = false;
        if b != b'"' {
            return Err(GiveUp);
        }
        r.at += 1;
        // The key is matched before the colon is read: reading on may move the buffer.
        let key = seed.deserialize(BytesDeserializer::new(r.read_key()?))?;
        r.expect(b':')?;
        Ok(Some(key))
    }

    fn next_value_seed<V: DeserializeSeed<'de>>(&mut self, seed: V) -> Result<V::Value, GiveUp> {
        seed.deserialize(&mut *self.reader)
    }
}

/// The items of an array the model reads.
struct Items<'r, 's> {
    reader: &'r mut Reader<'s>,
    first: bool,
    ended: bool,
}

impl<'de> SeqAccess<'de> for Items<'_, '_> {
    type Error = GiveUp;

    fn next_element_seed<T: DeserializeSeed<'de>>(&mut self, seed: T) -> Result<Option<T::Value>, GiveUp> {
        let r = &mut *self.reader;
        let b = r.skip_ws().ok_or(GiveUp)?;
        if b == b']' {
            r.at += 1;
            self.ended = true;
            return Ok(None);
        }
        if !self.first {
            if b != b',' {
                return Err(GiveUp);
            }
            r.at += 1;
        }
        self.first = false;
        seed.deserialize(&mut *self.reader).map(Some)
    }
}

impl Reader<'_> {
    fn object<'de, V: Visitor<'de>>(&mut self, visitor: V) -> Result<V::Value, GiveUp> {
        if self.skip_ws() != Some(b'{') {
            return Err(GiveUp);
        }
        self.enter()?;
        let mut members = Members { reader: self, first: true, ended: false };
        let value = visitor.visit_map(&mut members)?;
        if !members.ended {
            return Err(GiveUp);
        }
        self.depth -= 1;
        Ok(value)
    }

    fn array<'de, V: Visitor<'de>>(&mut self, visitor: V) -> Result<V::Value, GiveUp> {
        if self.skip_ws() != Some(b'[') {
            return Err(GiveUp);
        }
        self.enter()?;
        let mut items = Items { reader: self, first: true, ended: false };
        let value = visitor.visit_seq(&mut items)?;
        if !items.ended {
            return Err(GiveUp);
        }
        self.depth -= 1;
        Ok(value)
    }
}

/// Deserializer methods for what the model never reads: the fast path gives up.
macro_rules! give_up {
    ($($method:ident)*) => {
        $(
            fn $method<V: Visitor<'de>>(self, _: V) -> Result<V::Value, GiveUp> {
                Err(GiveUp)
            }
        )*
    };
}

impl<'de> Deserializer<'de> for &mut Reader<'_> {
    type Error = GiveUp;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, GiveUp> {
        match self.skip_ws() {
            Some(b'{') => self.object(visitor),
            Some(b'[') => self.array(visitor),
            _ => Err(GiveUp),
        }
    }

    fn deserialize_map<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, GiveUp> {
        self.object(visitor)
    }

    fn deserialize_struct<V: Visitor<'de>>(
        self,
        _: &'static str,
        _: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, GiveUp> {
        self.object(visitor)
    }

    fn deserialize_seq<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, GiveUp> {
        self.array(visitor)
    }

    fn deserialize_str<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, GiveUp> {
        self.expect(b'"')?;
        visitor.visit_str(self.read_str()?)
    }

    fn deserialize_string<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, GiveUp> {
        self.deserialize_str(visitor)
    }

    fn deserialize_identifier<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, GiveUp> {
        self.deserialize_str(visitor)
    }

    fn deserialize_bool<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, GiveUp> {
        match self.skip_ws() {
            Some(b't') => self.literal(b"true").and_then(|()| visitor.visit_bool(true)),
            Some(b'f') => self.literal(b"false").and_then(|()| visitor.visit_bool(false)),
            _ => Err(GiveUp),
        }
    }

    fn deserialize_option<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, GiveUp> {
        if self.skip_ws() == Some(b'n') {
            self.literal(b"null")?;
            visitor.visit_none()
        } else {
            visitor.visit_some(self)
        }
    }

    fn deserialize_unit<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, GiveUp> {
        if self.skip_ws() != Some(b'n') {
            return Err(GiveUp);
        }
        self.literal(b"null")?;
        visitor.visit_unit()
    }

    fn deserialize_newtype_struct<V: Visitor<'de>>(self, _: &'static str, visitor: V) -> Result<V::Value, GiveUp> {
        visitor.visit_newtype_struct(self)
    }

    fn deserialize_ignored_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, GiveUp> {
        self.skip_value()?;
        visitor.visit_unit()
    }

    give_up! {
        deserialize_i8 deserialize_i16 deserialize_i32 deserialize_i64 deserialize_i128
        deserialize_u8 deserialize_u16 deserialize_u32 deserialize_u64 deserialize_u128
        deserialize_f32 deserialize_f64 deserialize_char deserialize_bytes deserialize_byte_buf
    }

    fn deserialize_unit_struct<V: Visitor<'de>>(self, _: &'static str, _: V) -> Result<V::Value, GiveUp> {
        Err(GiveUp)
    }

    fn deserialize_tuple<V: Visitor<'de>>(self, _: usize, _: V) -> Result<V::Value, GiveUp> {
        Err(GiveUp)
    }

    fn deserialize_tuple_struct<V: Visitor<'de>>(self, _: &'static str, _: usize, _: V) -> Result<V::Value, GiveUp> {
        Err(GiveUp)
    }

    fn deserialize_enum<V: Visitor<'de>>(
        self,
        _: &'static str,
        _: &'static [&'static str],
        _: V,
    ) -> Result<V::Value, GiveUp> {
        Err(GiveUp)
    }
}
