//! Batch files: JSON lines, one artifact each (`{"reference": "registry/repository@<digest>",
//! "descriptor": {"mediaType", "digest", "size"} (optional), "tags": [tag, ...] (optional),
//! "signatures": ["path", ...]}`, paths relative to the batch file, nothing else), read as a
//! stream of lines: a batch file is never held in memory whole. Blank lines are skipped; a line
//! is numbered from 1 in errors.
//!
//! `tags` are the artifact's tags in its repository (a deployed image `repository:tag` resolves
//! through them), checked here by [`check_tag`].

use notaverify::loader;
use notaverify::reference::split_reference;
use notaverify::{Descriptor, Error, Target};
use std::fs::File;
use std::io::{BufRead, BufReader, Read};
use std::path::{Path, PathBuf};

/// Longest batch line.
pub const MAX_BATCH_LINE_BYTES: usize = 1024 * 1024;
/// Longest tag the distribution spec allows.
const MAX_TAG_CHARS: usize = 128;

/// Checks a tag: `[A-Za-z0-9_][A-Za-z0-9._-]*`, at most 128 characters (the distribution
/// spec's grammar).
pub fn check_tag(tag: &str) -> Result<(), String> {
    // Bytes: a byte of a character that is not ASCII is not ASCII either.
    let mut bytes = tag.bytes();
    let first_ok = bytes.next().is_some_and(|b| b.is_ascii_alphanumeric() || b == b'_');
    if !first_ok || tag.len() > MAX_TAG_CHARS || !bytes.all(|b| b.is_ascii_alphanumeric() || b"._-".contains(&b)) {
        return Err(format!("not a tag ([A-Za-z0-9_][A-Za-z0-9._-]*, at most {MAX_TAG_CHARS} characters)"));
    }
    Ok(())
}

/// One line of a batch file, checked: the artifact and where its signature files are.
#[derive(Clone, Debug)]
pub(crate) struct BatchEntry {
    /// The line's number in its file.
    pub number: usize,
    /// `registry/repository@<digest>` as written.
    pub reference: String,
    /// The reference's repository.
    pub repository: String,
    /// What the signatures must be bound to: the descriptor when the line gives one.
    pub target: Target,
    /// The artifact's tags, each once, in the order written.
    pub tags: Vec<String>,
    /// The signature files, relative to the batch file's directory resolved.
    pub signatures: Vec<PathBuf>,
}

/// A batch file opened by the loader's rule, read one entry at a time.
pub(crate) struct BatchLines {
    path: PathBuf,
    /// The batch file's directory: signature paths are relative to it.
    base: PathBuf,
    reader: BufReader<File>,
    number: usize,
    raw: Vec<u8>,
}

impl BatchLines {
    /// Opens `path` (a regular file, not a symlink: [`loader::open_file`]).
    pub(super) fn open(path: &Path) -> Result<Self, Error> {
        let file = loader::open_file(path, "batch file")?;
        Ok(Self {
            path: path.to_path_buf(),
            base: path.parent().map(Path::to_path_buf).unwrap_or_default(),
            reader: BufReader::new(file),
            number: 0,
            raw: Vec::new(),
        })
    }

    /// An error about the file (`Error::Load` naming it).
    pub(super) fn error(&self, reason: String) -> Error {
        Error::Load { path: self.path.display().to_string(), reason }
    }

    /// An error about line `number`.
    pub(super) fn line_error(&self, number: usize, reason: String) -> Error {
        self.error(format!("line {number}: {reason}"))
    }

    /// The next entry, or `None` at the end of the file.
    pub(super) fn next_entry(&mut self) -> Result<Option<BatchEntry>, Error> {
        loop {
            self.raw.clear();
            let n = (&mut self.reader)
                .take(MAX_BATCH_LINE_BYTES as u64 + 1)
                .read_until(b'\n', &mut self.raw)
                .map_err(|e| self.error(format!("the batch file cannot be read: {e}")))?;
            if n == 0 {
                return Ok(None);
            }
            self.number += 1;
            if self.raw.len() > MAX_BATCH_LINE_BYTES {
                return Err(self.error(format!("line {} is longer than {MAX_BATCH_LINE_BYTES} bytes", self.number)));
            }
            let text = String::from_utf8_lossy(&self.raw);
            let text = text.trim();
            if text.is_empty() {
                continue;
            }
            return self.entry(text).map(Some).map_err(|reason| self.line_error(self.number, reason));
        }
    }

    /// The entry of the current line, `text`.
    fn entry(&self, text: &str) -> Result<BatchEntry, String> {
        let line = parse_line(text)
            .map_err(|e| format!("not a batch entry ({{reference, descriptor?, tags?, signatures}}): {e}"))?;
        let Some((repository, digest)) = split_reference(&line.reference) else {
            return Err(format!("reference {:?} has no digest (registry/repository@sha256:<hex>)", line.reference));
        };
        if repository.is_empty() || digest.is_empty() {
            return Err(format!("reference {:?} is not registry/repository@<digest>", line.reference));
        }
        let target = match line.descriptor {
            Some(d) if d.digest != digest => {
                return Err(format!("the descriptor's digest {} differs from the reference's {digest}", d.digest));
            }
            Some(d) => Target::Descriptor(d),
            None => Target::Digest(digest.to_owned()),
        };
        if line.signatures.len() > notaverify::limits::MAX_SIGNATURES {
            return Err(format!(
                "{} signatures, more than {}",
                line.signatures.len(),
                notaverify::limits::MAX_SIGNATURES
            ));
        }
        Ok(BatchEntry {
            number: self.number,
            repository: repository.to_owned(),
            reference: line.reference,
            target,
            tags: line.tags,
            signatures: line.signatures.iter().map(|s| self.base.join(s)).collect(),
        })
    }
}

/// A batch line's members, as written.
struct Line {
    reference: String,
    descriptor: Option<Descriptor>,
    tags: Vec<String>,
    signatures: Vec<String>,
}

/// The members of a batch line, nothing else.
fn parse_line(text: &str) -> Result<Line, String> {
    let value: serde_json::Value = serde_json::from_str(text).map_err(|e| e.to_string())?;
    let obj = value.as_object().ok_or("not a JSON object")?;
    const MEMBERS: [&str; 4] = ["reference", "descriptor", "tags", "signatures"];
    if let Some(unknown) = obj.keys().find(|k| !MEMBERS.contains(&k.as_str())) {
        return Err(format!("unknown member {unknown:?}"));
    }
    let reference = obj.get("reference").and_then(|v| v.as_str()).ok_or("reference (a string) is missing")?.to_owned();
    let descriptor = match obj.get("descriptor") {
        None | Some(serde_json::Value::Null) => None,
        Some(d) => {
            let get = |k: &str| {
                d.get(k)
                    .and_then(|v| v.as_str())
                    .map(str::to_owned)
                    .ok_or(format!("descriptor.{k} (a string) is missing"))
            };
            let size = d.get("size").and_then(|v| v.as_i64()).ok_or("descriptor.size (an integer) is missing")?;
            if d.as_object().is_some_and(|o| {
                o.keys().any(|k| !["mediaType", "digest", "size", "annotations", "artifactType"].contains(&k.as_str()))
            }) {
                return Err("descriptor has an unknown member".into());
            }
            Some(Descriptor { media_type: get("mediaType")?, digest: get("digest")?, size, ..Descriptor::default() })
        }
    };
    let signatures = obj
        .get("signatures")
        .and_then(|v| v.as_array())
        .ok_or("signatures (an array of paths) is missing")?
        .iter()
        .map(|s| s.as_str().map(str::to_owned).ok_or("signatures must be strings"))
        .collect::<Result<Vec<_>, _>>()?;
    let tags = match obj.get("tags") {
        None | Some(serde_json::Value::Null) => Vec::new(),
        Some(tags) => {
            let tags = tags.as_array().ok_or("tags must be an array of tags")?;
            let mut out: Vec<String> = Vec::with_capacity(tags.len());
            for tag in tags {
                let tag = tag.as_str().ok_or("tags must be strings")?;
                check_tag(tag).map_err(|e| format!("tag {tag:?}: {e}"))?;
                if !out.iter().any(|t| t == tag) {
                    out.push(tag.to_owned());
                }
            }
            out
        }
    };
    Ok(Line { reference, descriptor, tags, signatures })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tags() {
        assert!(check_tag("v1.2_3-rc").is_ok());
        assert!(check_tag("_x").is_ok());
        assert!(check_tag(&"a".repeat(128)).is_ok());
        assert!(check_tag(&"a".repeat(129)).is_err());
        assert!(check_tag(".x").is_err());
        assert!(check_tag("").is_err());
        assert!(check_tag("a b").is_err());
        assert!(check_tag("ü").is_err());
    }

    #[test]
    fn lines_and_their_members() {
        let digest = format!("sha256:{}", "a".repeat(64));
        let ok = parse_line(&format!(
            r#"{{"reference":"r.example/app@{digest}","tags":["v1","v1"],"signatures":["s.jws"]}}"#
        ))
        .unwrap();
        assert_eq!(ok.tags, ["v1"], "a tag once");
        assert_eq!(ok.signatures, ["s.jws"]);
        for bad in [
            "[]",
            r#"{"signatures":[]}"#,
            r#"{"reference":"r/a@sha256:00"}"#,
            r#"{"reference":"r/a@sha256:00","signatures":[1]}"#,
            r#"{"reference":"r/a@sha256:00","signatures":[],"extra":1}"#,
            r#"{"reference":"r/a@sha256:00","signatures":[],"tags":"v1"}"#,
            r#"{"reference":"r/a@sha256:00","signatures":[],"descriptor":{"digest":"sha256:00","size":1}}"#,
            r#"{"reference":"r/a@sha256:00","signatures":[],"descriptor":{"mediaType":"m","digest":"sha256:00","size":1,"x":1}}"#,
        ] {
            assert!(parse_line(bad).is_err(), "{bad}");
        }
    }
}
