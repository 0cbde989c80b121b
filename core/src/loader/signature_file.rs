//! Signature envelope files and blob files given on the command line.

use super::files::{load_error, read_file};
use crate::limits::MAX_ENVELOPE_BYTES;
use crate::reference::{Digest, DigestAlgorithm};
use crate::request::SignatureInput;
use crate::{EnvelopeFormat, Error};
use std::path::Path;

/// Reads an envelope file for an OCI artifact. The media type comes from the name
/// (`.jws`, `.jws.sig`, `.json` → JWS; `.cose`, `.cose.sig` → COSE), else from the content
/// ([`EnvelopeFormat::sniff`]; unlike the bindings, which refuse to guess, anything that does not
/// look like a JWS is read as COSE, so the parser reports what is wrong with it). The input's
/// digest is the sha256 of the bytes.
pub fn read_signature_file(path: &Path) -> Result<SignatureInput, Error> {
    let bytes = read_file(path, "signature file", MAX_ENVELOPE_BYTES)?;
    let name = path.file_name().map(|n| n.to_string_lossy().to_ascii_lowercase()).unwrap_or_default();
    let format = if [".jws", ".jws.sig", ".json"].iter().any(|s| name.ends_with(s)) {
        EnvelopeFormat::Jws
    } else if [".cose", ".cose.sig"].iter().any(|s| name.ends_with(s)) {
        EnvelopeFormat::Cose
    } else {
        EnvelopeFormat::sniff(&bytes).unwrap_or(EnvelopeFormat::Cose)
    };
    let digest = Digest::of(DigestAlgorithm::Sha256, &bytes).to_string();
    Ok(SignatureInput::new(bytes, format.media_type()).with_digest(digest))
}

/// Reads a blob signature file as `notation blob verify` does: the name must end in `.sig`
/// (any case) and its second-to-last dot-separated part, lower-cased, must be `jws` or `cose`.
pub fn read_blob_signature_file(path: &Path) -> Result<SignatureInput, Error> {
    let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    let parts: Vec<&str> = name.split('.').collect();
    // A file name part never contains `/`, so of the aliases only `jws` and `cose` can match.
    let format = match parts.as_slice() {
        [.., format, ext] if ext.eq_ignore_ascii_case("sig") => {
            EnvelopeFormat::from_alias(&format.to_ascii_lowercase())
        }
        _ => None,
    };
    let Some(format) = format else {
        return Err(load_error(path, "the signature file name must end in .jws.sig or .cose.sig"));
    };
    let bytes = read_file(path, "signature file", MAX_ENVELOPE_BYTES)?;
    let digest = Digest::of(DigestAlgorithm::Sha256, &bytes).to_string();
    Ok(SignatureInput::new(bytes, format.media_type()).with_digest(digest))
}

/// Reads a blob to verify (a regular file; no size limit beyond memory, as notation streams it).
pub fn read_blob_file(path: &Path) -> Result<Vec<u8>, Error> {
    read_file(path, "blob file", crate::limits::MAX_BLOB_BYTES)
}

#[cfg(test)]
mod tests {
    use super::*;

    const JWS: &str = "application/jose+json";
    const COSE: &str = "application/cose";

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
