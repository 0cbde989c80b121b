//! The blob a signature must be bound to: its digest under the signing key's hash, from its bytes
//! or streamed.

use crate::Error;
use crate::crypto::{self, HashAlgorithm};
use std::io::Read;

/// True when `digest` is the digest of `blob` under the signing key's hash, as notation requires
/// for blob signatures.
pub(crate) fn digest_matches_blob(hash: HashAlgorithm, digest: &str, blob: &[u8]) -> bool {
    match hash.oci_name() {
        Some(name) => *digest == format!("{name}:{}", crypto::hex(&crypto::digest(hash, blob))),
        None => false,
    }
}

/// Bytes read from a blob at a time: the only buffer streaming a blob needs.
const BLOB_READ_BUFFER_BYTES: usize = 64 * 1024;

/// A blob hashed while it was read: what the blob check needs in place of its bytes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct HashedBlob {
    /// How many bytes were read.
    pub size: i64,
    /// The hash used and the OCI digest under it; `None` when no usable hash was known (the
    /// envelope does not parse, so the signature fails integrity before the blob is compared).
    pub digest: Option<(HashAlgorithm, String)>,
}

impl HashedBlob {
    /// True when the blob has `size` bytes and `digest` is its digest under `hash` (the signing
    /// key's hash): the same answer as [`digest_matches_blob`] over the bytes.
    pub(crate) fn matches(&self, hash: HashAlgorithm, size: i64, digest: &str) -> bool {
        self.size == size && self.digest.as_ref().is_some_and(|(alg, d)| *alg == hash && d == digest)
    }
}

/// Reads `reader` to its end through a fixed buffer, hashing with `hash` (when it has an OCI name)
/// and counting the bytes; memory use does not depend on the blob's size. An I/O error, or more
/// than `i64::MAX` bytes (the largest size a descriptor can name), is an [`Error::Load`] naming
/// `blob_name`.
pub(crate) fn hash_blob(
    blob_name: &str,
    mut reader: impl Read,
    hash: Option<HashAlgorithm>,
) -> Result<HashedBlob, Error> {
    let error = |reason: String| Error::Load { path: blob_name.to_owned(), reason };
    let hash = hash.and_then(|h| Some((h, h.oci_name()?)));
    let mut context = hash.map(|(h, _)| crypto::StreamingDigest::new(h));
    let mut buffer = vec![0_u8; BLOB_READ_BUFFER_BYTES];
    let mut size: i64 = 0;
    loop {
        let n = match reader.read(&mut buffer) {
            Ok(0) => break,
            Ok(n) => n,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(error(format!("the blob cannot be read: {e}"))),
        };
        size = i64::try_from(n)
            .ok()
            .and_then(|n| size.checked_add(n))
            .ok_or_else(|| error(format!("the blob is larger than {} bytes", i64::MAX)))?;
        if let Some(context) = &mut context {
            context.update(&buffer[..n]);
        }
    }
    let digest = match (hash, context) {
        (Some((alg, name)), Some(context)) => Some((alg, format!("{name}:{}", crypto::hex(&context.finish())))),
        _ => None,
    };
    Ok(HashedBlob { size, digest })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::digest_of;

    #[test]
    fn blob_digest_uses_the_key_hash() {
        let d = digest_of("sha384", b"example blob").unwrap();
        assert!(digest_matches_blob(HashAlgorithm::Sha384, &d, b"example blob"));
        assert!(!digest_matches_blob(HashAlgorithm::Sha256, &d, b"example blob"));
        assert!(!digest_matches_blob(HashAlgorithm::Sha384, &d, b"example blob!"));
    }

    #[test]
    fn a_streamed_blob_matches_exactly_when_its_bytes_do() {
        let blob: Vec<u8> = (0..200_000_u32).map(|i| (i % 251) as u8).collect();
        for hash in [HashAlgorithm::Sha256, HashAlgorithm::Sha384, HashAlgorithm::Sha512] {
            let name = hash.oci_name().unwrap();
            let d = digest_of(name, &blob).unwrap();
            // A reader that returns short reads and is interrupted once.
            struct Chunky<'a>(&'a [u8], bool);
            impl Read for Chunky<'_> {
                fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
                    if !self.1 {
                        self.1 = true;
                        return Err(std::io::ErrorKind::Interrupted.into());
                    }
                    let n = buf.len().min(self.0.len()).min(7_001);
                    buf[..n].copy_from_slice(&self.0[..n]);
                    self.0 = &self.0[n..];
                    Ok(n)
                }
            }
            let hashed = hash_blob("b", Chunky(&blob, false), Some(hash)).unwrap();
            assert_eq!(hashed, HashedBlob { size: blob.len() as i64, digest: Some((hash, d.clone())) });
            assert!(hashed.matches(hash, blob.len() as i64, &d));
            assert!(digest_matches_blob(hash, &d, &blob));
            assert!(!hashed.matches(hash, blob.len() as i64 + 1, &d));
            assert!(!hashed.matches(HashAlgorithm::Sha256, blob.len() as i64, &digest_of("sha256", b"x").unwrap()));
        }
        let d = digest_of("sha256", b"").unwrap();
        let empty = hash_blob("b", &b""[..], Some(HashAlgorithm::Sha256)).unwrap();
        assert!(empty.matches(HashAlgorithm::Sha256, 0, &d));
        // No usable hash: counted, never matches.
        for hash in [None, Some(HashAlgorithm::Sha1)] {
            let unhashed = hash_blob("b", &b"abc"[..], hash).unwrap();
            assert_eq!(unhashed, HashedBlob { size: 3, digest: None });
            assert!(!unhashed.matches(HashAlgorithm::Sha256, 3, &digest_of("sha256", b"abc").unwrap()));
        }
    }

    #[test]
    fn a_read_error_names_the_blob() {
        struct Failing;
        impl Read for Failing {
            fn read(&mut self, _: &mut [u8]) -> std::io::Result<usize> {
                Err(std::io::Error::other("disk on fire"))
            }
        }
        match hash_blob("my.bin", Failing, Some(HashAlgorithm::Sha256)) {
            Err(e @ Error::Load { .. }) => {
                assert_eq!(e.to_string(), "my.bin: the blob cannot be read: disk on fire");
                assert_eq!(e.code(), "LOAD");
            }
            other => panic!("{other:?}"),
        }
    }
}
