//! Artifact references and digests.

use crate::Error;
use crate::crypto::{self, HashAlgorithm};

/// Splits `registry/repository@<digest>` into the scope and a validated digest.
pub(crate) fn split_reference(reference: &str) -> Result<(&str, &str), Error> {
    let (scope, digest) = reference.rsplit_once('@').ok_or_else(|| {
        Error::InvalidInput(format!(
            "artifact reference {reference:?} has no digest (expected registry/repository@sha256:<hex>)"
        ))
    })?;
    parse_digest(digest)?;
    Ok((scope, digest))
}

/// Checks an OCI digest `<algorithm>:<lower-case hex>` of sha256, sha384 or sha512 and returns
/// its algorithm.
pub(crate) fn parse_digest(digest: &str) -> Result<HashAlgorithm, Error> {
    let bad = |why: &str| {
        Error::InvalidInput(format!("digest {:?} is invalid: {why}", digest.chars().take(160).collect::<String>()))
    };
    let (name, hex) = digest.split_once(':').ok_or_else(|| bad("missing ':'"))?;
    let alg = match name {
        "sha256" => HashAlgorithm::Sha256,
        "sha384" => HashAlgorithm::Sha384,
        "sha512" => HashAlgorithm::Sha512,
        _ => return Err(bad("unsupported algorithm")),
    };
    if hex.len() != alg.output_len() * 2 || !hex.bytes().all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b)) {
        return Err(bad("wrong length or not lower-case hex"));
    }
    Ok(alg)
}

/// The OCI digest of `data` with `alg`.
pub fn digest_of(alg_name: &str, data: &[u8]) -> Result<String, Error> {
    let alg = match alg_name {
        "sha256" => HashAlgorithm::Sha256,
        "sha384" => HashAlgorithm::Sha384,
        "sha512" => HashAlgorithm::Sha512,
        other => return Err(Error::InvalidInput(format!("unsupported digest algorithm {other:?}"))),
    };
    Ok(format!("{alg_name}:{}", crypto::hex(&crypto::digest(alg, data))))
}

/// True when `digest` is the digest of `blob` under the signing key's hash, as notation requires
/// for blob signatures.
pub(crate) fn digest_matches_blob(hash: HashAlgorithm, digest: &str, blob: &[u8]) -> bool {
    match hash.oci_name() {
        Some(name) => *digest == format!("{name}:{}", crypto::hex(&crypto::digest(hash, blob))),
        None => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn references_need_a_valid_digest() {
        let d = format!("sha256:{}", "a".repeat(64));
        assert_eq!(split_reference(&format!("r.io/a/b@{d}")).unwrap(), ("r.io/a/b", d.as_str()));
        assert!(split_reference("r.io/a/b:v1").is_err());
        assert!(split_reference("r.io/a/b@sha256:ABC").is_err());
        assert!(split_reference(&format!("r.io/a/b@md5:{}", "a".repeat(32))).is_err());
        assert!(parse_digest(&format!("sha512:{}", "0".repeat(128))).is_ok());
        assert!(parse_digest(&format!("sha512:{}", "0".repeat(127))).is_err());
    }

    #[test]
    fn blob_digest_uses_the_key_hash() {
        let d = digest_of("sha384", b"example blob").unwrap();
        assert!(digest_matches_blob(HashAlgorithm::Sha384, &d, b"example blob"));
        assert!(!digest_matches_blob(HashAlgorithm::Sha256, &d, b"example blob"));
        assert!(!digest_matches_blob(HashAlgorithm::Sha384, &d, b"example blob!"));
    }
}
