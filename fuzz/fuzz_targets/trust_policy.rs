//! OCI trust policy documents: parse, list problems, and select statements for a few references.
#![no_main]

use libfuzzer_sys::fuzz_target;
use notaverify::TrustPolicyDocument;

fuzz_target!(|data: &[u8]| {
    let _ = TrustPolicyDocument::problems(data);
    if let Ok(doc) = TrustPolicyDocument::from_json(data) {
        for reference in [
            "registry.example/app@sha256:0000000000000000000000000000000000000000000000000000000000000000",
            "a/b@sha256:x",
            "*",
        ] {
            let _ = doc.statement_for_reference(reference);
        }
    }
    if let Ok(s) = std::str::from_utf8(data) {
        let _ = notaverify::DistinguishedName::parse(s);
    }
});
