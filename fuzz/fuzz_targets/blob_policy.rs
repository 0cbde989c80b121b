//! Blob trust policy documents: parse, list problems, select the global and a named statement.
#![no_main]

use libfuzzer_sys::fuzz_target;
use notaverify::BlobTrustPolicyDocument;

fuzz_target!(|data: &[u8]| {
    let _ = BlobTrustPolicyDocument::problems(data);
    if let Ok(doc) = BlobTrustPolicyDocument::from_json(data) {
        let _ = doc.statement_named(None);
        let _ = doc.statement_named(Some("test-strict"));
    }
});
