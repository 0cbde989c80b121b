//! Signature envelope files and blob files given on the command line.

use super::files::{load_error, read_regular_file};
use crate::Error;
use crate::limits::MAX_ENVELOPE_BYTES;
use crate::verify::{SignatureInput, digest_of};
use std::path::Path;

/// `application/jose+json`.
const JWS: &str = "application/jose+json";
/// `application/cose`.
const COSE: &str = "application/cose";

/// Reads an envelope file for an OCI artifact. The media type comes from the name
/// (`.jws`, `.jws.sig`, `.json` → JWS; `.cose`, `.cose.sig` → COSE), else from the content (a
/// JSON object is JWS, anything else COSE). The input's digest is the sha256 of the bytes.
pub fn read_signature_file(path: &Path) -> Result<SignatureInput, Error> {
    let bytes = read_regular_file(path, "signature file", MAX_ENVELOPE_BYTES)?;
    let name = path.file_name().map(|n| n.to_string_lossy().to_ascii_lowercase()).unwrap_or_default();
    let media_type = if [".jws", ".jws.sig", ".json"].iter().any(|s| name.ends_with(s)) {
        JWS
    } else if [".cose", ".cose.sig"].iter().any(|s| name.ends_with(s)) {
        COSE
    } else if bytes.iter().find(|b| !b.is_ascii_whitespace()) == Some(&b'{') {
        JWS
    } else {
        COSE
    };
    let digest = digest_of("sha256", &bytes)?;
    Ok(SignatureInput::new(bytes, media_type).with_digest(digest))
}

/// Reads a blob signature file as `notation blob verify` does: the name must end in `.sig`
/// (any case) and its second-to-last dot-separated part, lower-cased, must be `jws` or `cose`.
pub fn read_blob_signature_file(path: &Path) -> Result<SignatureInput, Error> {
    let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    let parts: Vec<&str> = name.split('.').collect();
    let media_type = match parts.as_slice() {
        [.., format, ext] if ext.eq_ignore_ascii_case("sig") => match format.to_ascii_lowercase().as_str() {
            "jws" => JWS,
            "cose" => COSE,
            _ => return Err(load_error(path, "the signature file name must end in .jws.sig or .cose.sig")),
        },
        _ => return Err(load_error(path, "the signature file name must end in .jws.sig or .cose.sig")),
    };
    let bytes = read_regular_file(path, "signature file", MAX_ENVELOPE_BYTES)?;
    let digest = digest_of("sha256", &bytes)?;
    Ok(SignatureInput::new(bytes, media_type).with_digest(digest))
}

/// Reads a blob to verify (a regular file; no size limit beyond memory, as notation streams it).
pub fn read_blob_file(path: &Path) -> Result<Vec<u8>, Error> {
    read_regular_file(path, "blob file", crate::limits::MAX_BLOB_BYTES)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn blob_signature_names_follow_notation() {
        let dir = std::env::temp_dir().join(format!("notaverify-sigfile-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        for (name, media_type) in [
            ("a.txt.jws.sig", Some(JWS)),
            ("a.COSE.SIG", Some(COSE)),
            ("a.jws", None),
            ("a.x.sig", None),
            ("sig", None),
        ] {
            let path = dir.join(name);
            std::fs::write(&path, b"{}").unwrap();
            let got = read_blob_signature_file(&path).ok().map(|s| s.media_type);
            assert_eq!(got.as_deref(), media_type, "{name}");
        }
        let sniffed = dir.join("envelope");
        std::fs::write(&sniffed, b"  {\"payload\":1}").unwrap();
        assert_eq!(read_signature_file(&sniffed).unwrap().media_type, JWS);
        std::fs::write(&sniffed, [0xd2, 0x84]).unwrap();
        assert_eq!(read_signature_file(&sniffed).unwrap().media_type, COSE);
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
