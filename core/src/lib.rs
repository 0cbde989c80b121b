//! notaverify: an offline verifier for Notary Project (notation) signatures.
//!
//! It verifies JWS and COSE signature envelopes against a notation trust policy and trust store,
//! with verdict parity with notation-go v1.3 (deliberate differences are listed in
//! `docs/divergences.md`). It never opens a socket and reads files only in [`loader`].
//!
//! ```no_run
//! use notaverify::{SignatureInput, Target, VerifyOptions};
//! # fn main() -> Result<(), notaverify::Error> {
//! let verifier = notaverify::loader::load_verifier(std::path::Path::new("/home/me/.config/notation"))?;
//! let reference = "registry.example/app@sha256:2c26b46b68ffc68ff99b453c1d30413413422d706483bfa0f98a5e886266e7ae";
//! let target = Target::from_reference(reference)?;
//! let envelope = SignatureInput::new(std::fs::read("signature.jws").unwrap(), "application/jose+json");
//! let outcome = verifier.verify(reference, &target, &envelope, &VerifyOptions::default())?;
//! if !outcome.verified {
//!     eprintln!("{}", outcome.to_json());
//!     std::process::exit(1);
//! }
//! # Ok(()) }
//! ```
//!
//! # Features
//!
//! | Feature | Default | What it does |
//! |---|---|---|
//! | `aws-lc` | yes | aws-lc-rs crypto backend (fastest here; every algorithm incl. P-521) |
//! | `ring` | no | ring + RustCrypto `p521` backend (used when `aws-lc` is off) |
//! | `parallel` | no | [`Verifier::verify_many`] runs on rayon's threads |
//!
//! # Resource limits
//!
//! Every input is bounded before it is processed; beyond a limit the input is rejected with a
//! typed error ([`Error::LimitExceeded`] or the area's `LimitExceeded`/`TooLarge` variant, which
//! inside a verification is an integrity failure). Nothing is truncated.
//!
//! | Limit | Value | Applies to |
//! |---|---|---|
//! | [`limits::MAX_ENVELOPE_BYTES`] | 32 MiB | a signature envelope (notation-go's own limit) |
//! | [`limits::MAX_PAYLOAD_BYTES`] | 1 MiB | the signed payload |
//! | [`limits::MAX_CHAIN_CERTIFICATES`] | 16 | certificates in `x5c` / `x5chain` or a timestamp token |
//! | [`limits::MAX_CERTIFICATE_BYTES`] | 64 KiB | one DER certificate |
//! | [`limits::MAX_HEADER_MEMBERS`] | 64 | members of one protected or unprotected header |
//! | [`limits::MAX_CRITICAL_ENTRIES`] | 64 | entries of `crit` |
//! | [`limits::MAX_NESTING_DEPTH`] | 32 | JSON/CBOR nesting in envelopes, payloads, policies |
//! | [`limits::MAX_ANNOTATIONS`] | 1024 | payload annotations; required user-metadata entries |
//! | [`limits::MAX_JSON_CONTAINER_ITEMS`] | 2048 | members of one JSON object / items of one array, while parsing |
//! | [`limits::MAX_POLICY_BYTES`] | 16 MiB | a trust policy document |
//! | [`limits::MAX_POLICY_STATEMENTS`] | 100 000 | statements in a policy |
//! | [`limits::MAX_STATEMENT_ENTRIES`] | 1024 | scopes, stores or identities in one statement |
//! | [`limits::MAX_TRUST_STORE_FILE_BYTES`] | 16 MiB | one trust-store certificate file |
//! | [`limits::MAX_TRUST_STORE_CERTIFICATES`] | 100 000 | certificates in a trust store |
//! | [`limits::DEFAULT_MAX_SIGNATURES`] / [`limits::MAX_SIGNATURES`] | 100 / 10 000 | signatures tried per artifact |
//! | [`limits::MAX_TIMESTAMP_TOKEN_BYTES`] | 1 MiB | an RFC 3161 token |
//! | [`limits::MAX_CRL_BYTES`] / [`limits::MAX_OCSP_RESPONSE_BYTES`] | 32 MiB / 20 KiB | revocation evidence |
//! | [`limits::MAX_BATCH_THREADS`] | 256 | threads started by one [`Verifier::verify_many_with`] call |
//! | [`limits::CHAIN_CACHE_ENTRIES`] / [`limits::MAX_CACHE_BYTES`] | 4096 / 32 MiB | a verifier's chain-result cache ([`Verifier::with_chain_cache`]) |
//! | [`limits::MAX_CACHED_CHAIN_BYTES`] | 64 KiB | the largest chain the cache keeps (larger ones are verified, not cached) |
//! | [`limits::LINK_CACHE_ENTRIES`] / [`limits::MAX_LINK_CACHE_BYTES`] | 4096 / 16 MiB | a verifier's cache of verified certificate links ([`Verifier::with_link_cache`]) |
//! | [`limits::MAX_CACHED_LINK_BYTES`] | 32 KiB | the largest link (issuer + subject DER) the link cache keeps |
//! | [`limits::MAX_ASN1_NESTING_DEPTH`] | 64 | BER/DER nesting in timestamp tokens, CRLs, OCSP responses |
//! | [`limits::MAX_PATH_SIGNATURE_CHECKS`] | 100 | signature checks while building one timestamping chain |
//! | [`limits::MAX_REVOCATION_EVIDENCE_ITEMS`] | 10 000 | CRLs, and OCSP responses, in one evidence set |
//! | [`limits::MAX_CRL_CACHE_FILES`] / [`limits::MAX_CRL_CACHE_FILE_BYTES`] | 10 000 / 64 MiB | notation's CRL cache directory |
//! | [`limits::MAX_BLOB_BYTES`] | 2 GiB | a blob file read into memory (`loader::read_blob_file`); `Verifier::verify_blob_reader` streams without a limit |
//! | [`limits::MAX_MANIFEST_BYTES`] / [`limits::MAX_OCI_LAYOUT_FILE_BYTES`] | 4 MiB / 64 KiB | OCI layout manifests and indexes / the `oci-layout` file |
//! | [`limits::MAX_INDEX_ENTRIES`] / [`limits::MAX_INDEX_DEPTH`] / [`limits::MAX_LAYOUT_MANIFESTS`] | 10 000 / 8 / 100 000 | OCI layout index entries, nested-index depth, manifests visited |
//! | [`limits::MAX_TRUST_STORE_FILES`] | 10 000 | files in one named trust-store folder |
//! | [`limits::MAX_EXCEPTIONS`] / [`limits::MAX_EXCEPTIONS_BYTES`] / [`limits::MAX_EXCEPTION_FIELD_CHARS`] | 10 000 / 4 MiB / 4096 | an exceptions file: entries, size (also of a retired-material file), characters per field |
//! | [`limits::MAX_RETIRED_DECLARATIONS`] | 10 000 | declarations in a retired-material file |
//!
//! Work is bounded too: a chain is validated in the order given (no path search), trust lookups
//! are hash lookups, and statement selection is a hash lookup.
#![forbid(unsafe_code)]
#![deny(missing_docs)]

mod asn1;
mod certificate_encoding;
mod check;
mod crypto;
pub mod envelope;
mod error;
pub mod inspect;
pub mod limits;
pub mod loader;
mod oid;
pub mod policy;
pub mod reference;
mod request;
pub mod revocation;
mod time;
pub mod timestamp;
pub mod trust;
mod verify;
pub mod x509;

pub use certificate_encoding::CertificateEncoding;
pub use check::{Action, CheckType, LevelName, StoreType};
pub use crypto::{CryptoError, backend_name};
pub use envelope::{
    Descriptor, Envelope, EnvelopeFormat, ExtendedAttribute, SignatureAlgorithm, SignedAttributes, SigningScheme,
    UnsignedAttributes,
};
pub use error::{CertificateError, EnvelopeError, Error, ErrorKind, PolicyError, TrustStoreError};
pub use policy::{
    BlobTrustPolicyDocument, DistinguishedName, TrustPolicyDocument, TrustPolicyStatement, TrustedIdentities,
    VerificationLevel, VerifyTimestamp,
};
pub use reference::{ArtifactReference, Digest, DigestAlgorithm, NameError, Repository, digest_of};
pub use request::{BlobOptions, SignatureInput, Target, VerifyOptions};
pub use time::{Time, TimeParseError};
pub use trust::TrustStore;
pub use verify::{
    ArtifactError, ArtifactOutcome, BatchItem, BatchOptions, ChainCacheStats, CheckResult, FailureKind, PolicySummary,
    SignatureOutcome, Signer, Verifier, WorkerPool,
};
pub use x509::Certificate;
