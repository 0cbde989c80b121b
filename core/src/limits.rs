//! Every size and count limit the verifier applies, in one place. Input beyond a limit is
//! rejected with [`crate::Error::LimitExceeded`] (or a check failure naming the limit), never
//! truncated or processed partially. The table in the crate documentation lists them.

/// Largest signature envelope accepted (notation-go's limit for an envelope blob).
pub const MAX_ENVELOPE_BYTES: usize = 32 * 1024 * 1024;
/// Largest notation payload (the signed JSON with the target descriptor).
pub const MAX_PAYLOAD_BYTES: usize = 1024 * 1024;
/// Most certificates in an envelope's chain (`x5c` / `x5chain`) or a timestamp token.
pub const MAX_CHAIN_CERTIFICATES: usize = 16;
/// Largest single DER certificate.
pub const MAX_CERTIFICATE_BYTES: usize = 64 * 1024;
/// Most members in one protected or unprotected header.
pub const MAX_HEADER_MEMBERS: usize = 64;
/// Most entries in `crit`.
pub const MAX_CRITICAL_ENTRIES: usize = 64;
/// Deepest JSON or CBOR nesting accepted in envelopes, payloads and policy documents.
pub const MAX_NESTING_DEPTH: usize = 32;
/// Most members of one JSON object or items of one JSON array in an envelope or payload, checked
/// while parsing (the specific counts below are checked after).
pub const MAX_JSON_CONTAINER_ITEMS: usize = 2 * MAX_ANNOTATIONS;
/// Most annotations in a payload's target descriptor and most user-metadata requirements.
pub const MAX_ANNOTATIONS: usize = 1024;
/// Largest trust policy document.
pub const MAX_POLICY_BYTES: usize = 16 * 1024 * 1024;
/// Most statements in one trust policy document.
pub const MAX_POLICY_STATEMENTS: usize = 100_000;
/// Most registry scopes, trust stores or trusted identities in one statement (the identity
/// overlap rule is quadratic in this number).
pub const MAX_STATEMENT_ENTRIES: usize = 1024;
/// Largest certificate file read into a trust store.
pub const MAX_TRUST_STORE_FILE_BYTES: usize = 16 * 1024 * 1024;
/// Most certificates in one trust store (all types and names together).
pub const MAX_TRUST_STORE_CERTIFICATES: usize = 100_000;
/// Default number of signatures tried per artifact (notation's `--max-signatures`).
pub const DEFAULT_MAX_SIGNATURES: usize = 100;
/// Largest `max_signatures` a caller may ask for.
pub const MAX_SIGNATURES: usize = 10_000;
/// Largest blob file the loader reads into memory (`loader::read_blob_file`); streamed blobs
/// (`Verifier::verify_blob_reader`, the CLI's `blob verify`) have no size limit.
pub const MAX_BLOB_BYTES: usize = 2 * 1024 * 1024 * 1024;
/// Largest RFC 3161 timestamp token.
pub const MAX_TIMESTAMP_TOKEN_BYTES: usize = 1024 * 1024;
/// Largest CRL accepted as revocation evidence (notation-go's download limit).
pub const MAX_CRL_BYTES: usize = 32 * 1024 * 1024;
/// Largest OCSP response accepted as revocation evidence (notation-go's download limit).
pub const MAX_OCSP_RESPONSE_BYTES: usize = 20 * 1024;
/// Most worker threads one [`crate::Verifier::verify_many_with`] call or [`crate::WorkerPool`] starts
/// (more are capped).
pub const MAX_BATCH_THREADS: usize = 256;
/// Most validated chains a verifier remembers.
pub const CHAIN_CACHE_ENTRIES: usize = 4096;
/// Largest chain (sum of its DER certificates) the chain cache stores.
pub const MAX_CACHED_CHAIN_BYTES: usize = 64 * 1024;
/// Most DER bytes held by one verifier's chain cache (all entries together).
pub const MAX_CACHE_BYTES: usize = 32 * 1024 * 1024;
/// Most verified certificate links (issuer and subject) a verifier remembers.
pub const LINK_CACHE_ENTRIES: usize = 4096;
/// Largest link (the DER of its two certificates) the link cache stores.
pub const MAX_CACHED_LINK_BYTES: usize = 32 * 1024;
/// Most DER bytes held by one verifier's link cache (all links together).
pub const MAX_LINK_CACHE_BYTES: usize = 16 * 1024 * 1024;
/// Largest OCI manifest or image index read from an OCI image layout (notation-go's limit).
pub const MAX_MANIFEST_BYTES: usize = 4 * 1024 * 1024;
/// Largest `oci-layout` marker file.
pub const MAX_OCI_LAYOUT_FILE_BYTES: usize = 64 * 1024;
/// Most entries in one image index (`index.json` or a nested index) of an OCI image layout.
pub const MAX_INDEX_ENTRIES: usize = 10_000;
/// Deepest nesting of image indexes followed in an OCI image layout (`index.json` is depth 1).
pub const MAX_INDEX_DEPTH: usize = 8;
/// Most manifests (and nested indexes) visited in one OCI image layout.
pub const MAX_LAYOUT_MANIFESTS: usize = 100_000;
/// Most files in one named trust-store folder.
pub const MAX_TRUST_STORE_FILES: usize = 10_000;
/// Deepest nesting of BER/DER elements accepted in a timestamp token, CRL or OCSP response.
pub const MAX_ASN1_NESTING_DEPTH: usize = 64;
/// Most CRLs and most OCSP responses added to one `RevocationEvidence` (each kind counted apart; a
/// merge of two sets keeps everything, since dropping evidence could hide a revocation).
pub const MAX_REVOCATION_EVIDENCE_ITEMS: usize = 10_000;
/// Most files read from one CRL cache directory.
pub const MAX_CRL_CACHE_FILES: usize = 10_000;
/// Largest CRL cache file (JSON with a base64 base CRL and an optional delta CRL).
pub const MAX_CRL_CACHE_FILE_BYTES: usize = 2 * MAX_CRL_BYTES;
/// Most signature checks spent building one timestamping chain (Go's `maxChainSignatureChecks`).
pub const MAX_PATH_SIGNATURE_CHECKS: usize = 100;
/// Most entries in one exceptions file (`notaverify --exceptions`).
pub const MAX_EXCEPTIONS: usize = 10_000;
/// Largest exceptions file or retired-material file.
pub const MAX_EXCEPTIONS_BYTES: usize = 4 * 1024 * 1024;
/// Longest text field (scope, reason, owner) of an exception.
pub const MAX_EXCEPTION_FIELD_CHARS: usize = 4096;
/// Most declarations in one retired-material file.
pub const MAX_RETIRED_DECLARATIONS: usize = 10_000;
