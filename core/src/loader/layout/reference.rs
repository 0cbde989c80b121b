//! `<dir>:<tag>` and `<dir>@<digest>`, the references `notation verify --oci-layout` takes.

use crate::Error;
use crate::reference::Digest;
use std::path::PathBuf;

/// What names the target inside a layout.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum TagOrDigest {
    /// A tag (`org.opencontainers.image.ref.name` in `index.json`); tags are mutable.
    Tag(String),
    /// A manifest digest `<alg>:<hex>`.
    Digest(String),
}

impl TagOrDigest {
    /// Parses what follows `:` or `@`: a digest if it looks like `<alg>:<hex>`, else a tag
    /// (`[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}`).
    pub fn parse(reference: &str) -> Result<Self, Error> {
        if reference.contains(':') {
            return match reference.parse::<Digest>() {
                Ok(_) => Ok(Self::Digest(reference.to_owned())),
                Err(_) => Err(Error::InvalidInput(format!(
                    "{:?} is not a valid digest (expected sha256, sha384 or sha512 with lower-case hex)",
                    clip(reference)
                ))),
            };
        }
        let bytes = reference.as_bytes();
        let word = |b: &u8| b.is_ascii_alphanumeric() || *b == b'_';
        let valid = !bytes.is_empty()
            && bytes.len() <= 128
            && word(&bytes[0])
            && bytes.iter().all(|b| word(b) || matches!(b, b'.' | b'-'));
        if valid {
            Ok(Self::Tag(reference.to_owned()))
        } else {
            Err(Error::InvalidInput(format!("{:?} is not a valid tag", clip(reference))))
        }
    }
}

fn clip(s: &str) -> String {
    s.chars().take(160).collect()
}

/// Splits `<dir>@<digest>` (at the last `@`) or `<dir>:<tag>` (at the last `:`) as notation does.
pub fn parse_layout_reference(raw: &str) -> Result<(PathBuf, TagOrDigest), Error> {
    let (dir, reference, separator) = if let Some((dir, digest)) = raw.rsplit_once('@') {
        (dir, digest, '@')
    } else if let Some((dir, tag)) = raw.rsplit_once(':') {
        (dir, tag, ':')
    } else {
        return Err(Error::InvalidInput(format!(
            "OCI layout reference {:?} names no tag or digest (expected <dir>:<tag> or <dir>@<digest>)",
            clip(raw)
        )));
    };
    if dir.is_empty() {
        return Err(Error::InvalidInput(format!("OCI layout reference {:?} has an empty directory", clip(raw))));
    }
    let parsed = TagOrDigest::parse(reference)?;
    if separator == '@' && !matches!(parsed, TagOrDigest::Digest(_)) {
        return Err(Error::InvalidInput(format!("{:?} after '@' is not a digest", clip(reference))));
    }
    Ok((PathBuf::from(dir), parsed))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_like_notation() {
        let d = format!("sha256:{}", "0".repeat(64));
        assert_eq!(
            parse_layout_reference(&format!("a/b@{d}")).unwrap(),
            (PathBuf::from("a/b"), TagOrDigest::Digest(d.clone()))
        );
        assert_eq!(
            parse_layout_reference("x:y/l:v1").unwrap(),
            (PathBuf::from("x:y/l"), TagOrDigest::Tag("v1".into()))
        );
        assert!(parse_layout_reference("layout").is_err());
        assert!(parse_layout_reference(":v1").is_err());
        assert!(parse_layout_reference("l:").is_err());
        assert!(parse_layout_reference("l@v1").is_err());
        assert!(parse_layout_reference("l@sha256:abc").is_err());
        assert!(parse_layout_reference("l:-x").is_err());
        assert!(parse_layout_reference(&format!("l:{}", "a".repeat(129))).is_err());
    }
}
