//! The fast path for workloads JSON: a strict reader of a JSON stream that implements serde's
//! `Deserializer` for the typed model of `read` (the same structs, so the same fields, the same
//! duplicate-field and type checks), and skips the values the model does not read with a
//! validating scan, a word at a time, instead of serde_json's byte-by-byte walk. A `kubectl get
//! -o json` export is mostly indentation and fields nobody reads (`status`, `env`,
//! `managedFields`, ...), so this is where the time of a large file goes. It reads its input in
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
    let mut words = bytes.chunks_exact(8);
    let mut at = 0;
    for chunk in &mut words {
        let found = special_bytes(u64::from_le_bytes(chunk.try_into().unwrap_or_default()));
        if found != 0 {
            return Some(at + found.trailing_zeros() as usize / 8);
        }
        at += 8;
    }
    words.remainder().iter().position(|&b| is_special(b)).map(|i| at + i)
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
    /// Read, not yet consumed: `buf[at..end]` (the rest of `buf` is room to read into).
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
    pub fn new(head: Vec<u8>, source: &'s mut dyn Read, chunk: usize) -> Self {
        let end = head.len();
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
        if self.buf.len() - self.end < room {
            self.buf.resize(self.end + room, 0);
        }
        loop {
            match self.source.read(&mut self.buf[self.end..]) {
                Ok(0) => break,
                Ok(n) => {
                    self.end += n;
                    self.read += n as u64;
                    return true;
                }
                Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
                Err(_) => {
                    self.failed = true;
                    break;
                }
            }
        }
        self.eof = true;
        false
    }

    /// The bytes read and not yet consumed are `data()[at..]`.
    #[inline]
    fn data(&self) -> &[u8] {
        &self.buf[..self.end]
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
    #[inline]
    fn skip_ws(&mut self) -> Option<u8> {
        loop {
            let Some(&b) = self.data().get(self.at) else {
                if self.refill(self.at) {
                    continue;
                }
                return None;
            };
            if !matches!(b, b' ' | b'\n' | b'\t' | b'\r') {
                return Some(b);
            }
            self.at += 1;
            // Indentation: the spaces that follow, a word at a time.
            while let Some(word) = self.word(self.at) {
                let other = word ^ SPACES;
                if other != 0 {
                    self.at += other.trailing_zeros() as usize / 8;
                    break;
                }
                self.at += 8;
            }
        }
    }

    /// The eight bytes at `at`, as a little-endian word.
    #[inline]
    fn word(&self, at: usize) -> Option<u64> {
        let bytes: [u8; 8] = self.data().get(at..at.checked_add(8)?)?.try_into().ok()?;
        Some(u64::from_le_bytes(bytes))
    }

    /// The byte at the position, reading more if needed.
    #[inline]
    fn peek(&mut self) -> Option<u8> {
        if self.at == self.end && !self.refill(self.at) {
            return None;
        }
        self.data().get(self.at).copied()
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
        if self.ensure(word.len()) && self.data().get(self.at..self.at + word.len()) == Some(word) {
            self.at += word.len();
            Ok(())
        } else {
            Err(GiveUp)
        }
    }

    /// Moves to the first `"`, `\` or control character at or after the position, reading more
    /// as needed (keeping the bytes from `*keep` on, when given: `*keep` follows them); returns
    /// it, or `None` at the end. Most strings of an export (keys, short values) end within the
    /// first eight bytes: that word is looked at here, inline, the rest by a call.
    #[inline(always)]
    fn seek_special(&mut self, keep: Option<&mut usize>) -> Option<u8> {
        if let Some(word) = self.word(self.at) {
            let found = special_bytes(word);
            if found != 0 {
                self.at += found.trailing_zeros() as usize / 8;
                return Some(self.data()[self.at]);
            }
            self.at += 8;
        }
        self.seek_special_further(keep)
    }

    /// [`Reader::seek_special`] beyond the first word.
    #[inline(never)]
    fn seek_special_further(&mut self, mut keep: Option<&mut usize>) -> Option<u8> {
        loop {
            while let Some(word) = self.word(self.at) {
                let found = special_bytes(word);
                if found != 0 {
                    self.at += found.trailing_zeros() as usize / 8;
                    return Some(self.data()[self.at]);
                }
                self.at += 8;
            }
            while let Some(&b) = self.data().get(self.at) {
                if is_special(b) {
                    return Some(b);
                }
                self.at += 1;
            }
            let from = keep.as_deref().copied().unwrap_or(self.at);
            if !self.refill(from) {
                return None;
            }
            if let Some(k) = keep.as_deref_mut() {
                *k = 0;
            }
        }
    }

    /// The text of a string without escapes or control characters, its opening quote consumed
    /// (valid until the reader reads on).
    #[inline]
    fn plain_str(&mut self) -> Result<&[u8], GiveUp> {
        let mut start = self.at;
        match self.seek_special(Some(&mut start)) {
            Some(b'"') => {
                self.at += 1;
                Ok(&self.data()[start..self.at - 1])
            }
            _ => Err(GiveUp),
        }
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
    #[inline]
    fn read_key(&mut self) -> Result<&[u8], GiveUp> {
        let key = self.plain_str()?;
        if !key.is_ascii() {
            std::str::from_utf8(key).map_err(|_| GiveUp)?;
        }
        Ok(key)
    }

    /// Skips a string of a skipped value, its opening quote consumed (as serde_json does: the
    /// escapes are checked, the text is not decoded). A string that ends within its first eight
    /// bytes (most keys) is skipped here, inline; the others by a call.
    #[inline(always)]
    fn skip_str(&mut self) -> Result<(), GiveUp> {
        if let Some(word) = self.word(self.at) {
            let found = special_bytes(word);
            let at = self.at + found.trailing_zeros() as usize / 8;
            if found != 0 && self.data()[at] == b'"' {
                self.at = at + 1;
                return Ok(());
            }
        }
        self.skip_str_further()
    }

    /// [`Reader::skip_str`] of a string that does not end within its first eight bytes.
    #[inline(never)]
    fn skip_str_further(&mut self) -> Result<(), GiveUp> {
        loop {
            match self.seek_special(None) {
                Some(b'"') => {
                    self.at += 1;
                    return Ok(());
                }
                Some(b'\\') => {
                    if !self.ensure(2) {
                        return Err(GiveUp);
                    }
                    match self.data()[self.at + 1] {
                        b'"' | b'\\' | b'/' | b'b' | b'f' | b'n' | b'r' | b't' => self.at += 2,
                        b'u' => {
                            if !self.ensure(6)
                                || !self.data()[self.at + 2..self.at + 6].iter().all(u8::is_ascii_hexdigit)
                            {
                                return Err(GiveUp);
                            }
                            self.at += 6;
                        }
                        _ => return Err(GiveUp),
                    }
                }
                _ => return Err(GiveUp),
            }
        }
    }

    /// Skips a number of a skipped value.
    #[inline]
    fn skip_number(&mut self) -> Result<(), GiveUp> {
        if self.peek() == Some(b'-') {
            self.at += 1;
        }
        match self.peek() {
            Some(b'0') => self.at += 1,
            Some(b'1'..=b'9') => {
                self.at += 1;
                self.digits();
            }
            _ => return Err(GiveUp),
        }
        if self.peek() == Some(b'.') {
            self.at += 1;
            if self.digits() == 0 {
                return Err(GiveUp);
            }
        }
        if let Some(b'e' | b'E') = self.peek() {
            self.at += 1;
            if let Some(b'+' | b'-') = self.peek() {
                self.at += 1;
            }
            if self.digits() == 0 {
                return Err(GiveUp);
            }
        }
        Ok(())
    }

    /// Skips ASCII digits; how many.
    #[inline]
    fn digits(&mut self) -> usize {
        let mut n = 0;
        while let Some(b'0'..=b'9') = self.peek() {
            self.at += 1;
            n += 1;
        }
        n
    }

    /// Skips a value the model does not read, checking its syntax. Iterative: the open objects
    /// and arrays are bits of a word (1 for an object), within [`MAX_DEPTH`] in all.
    fn skip_value(&mut self) -> Result<(), GiveUp> {
        let mut open: u128 = 0;
        let mut len = 0usize;
        'value: loop {
            // A value.
            match self.skip_ws().ok_or(GiveUp)? {
                b'"' => {
                    self.at += 1;
                    self.skip_str()?;
                }
                b'{' | b'[' => {
                    let object = self.data()[self.at] == b'{';
                    self.at += 1;
                    if self.depth + len + 1 > MAX_DEPTH {
                        return Err(GiveUp);
                    }
                    open = (open << 1) | u128::from(object);
                    len += 1;
                    let close = if object { b'}' } else { b']' };
                    if self.skip_ws() == Some(close) {
                        self.at += 1;
                        open >>= 1;
                        len -= 1;
                    } else {
                        if object {
                            self.key()?;
                        }
                        continue 'value;
                    }
                }
                b't' => self.literal(b"true")?,
                b'f' => self.literal(b"false")?,
                b'n' => self.literal(b"null")?,
                b'-' | b'0'..=b'9' => self.skip_number()?,
                _ => return Err(GiveUp),
            }
            // After a value: a comma, or the end of the objects and arrays it closes.
            loop {
                if len == 0 {
                    return Ok(());
                }
                let object = open & 1 == 1;
                match self.skip_ws().ok_or(GiveUp)? {
                    b',' => {
                        self.at += 1;
                        if object {
                            self.key()?;
                        }
                        continue 'value;
                    }
                    b'}' if object => {}
                    b']' if !object => {}
                    _ => return Err(GiveUp),
                }
                self.at += 1;
                open >>= 1;
                len -= 1;
            }
        }
    }

    /// Skips an object key of a skipped value and its colon.
    #[inline(always)]
    fn key(&mut self) -> Result<(), GiveUp> {
        self.expect(b'"')?;
        self.skip_str()?;
        self.expect(b':')
    }

    /// An object or array the model reads: one level deeper.
    fn enter(&mut self) -> Result<(), GiveUp> {
        self.at += 1;
        self.depth += 1;
        if self.depth > MAX_DEPTH { Err(GiveUp) } else { Ok(()) }
    }
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
