//! OCSP response parsing: never panics, whatever the input.
#![no_main]

use libfuzzer_sys::fuzz_target;
use notaverify::revocation::{OcspResponse, RevocationEvidence};

fuzz_target!(|data: &[u8]| {
    let _ = OcspResponse::from_der(data);
    let _ = RevocationEvidence::new().add_ocsp_response(data);
});
