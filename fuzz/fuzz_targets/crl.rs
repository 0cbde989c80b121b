//! CRL parsing (DER and PEM through the evidence builder): never panics, whatever the input.
#![no_main]

use libfuzzer_sys::fuzz_target;
use notaverify::revocation::{Crl, RevocationEvidence};

fuzz_target!(|data: &[u8]| {
    if let Ok(crl) = Crl::from_der(data) {
        let _ = (crl.is_delta(), crl.next_update(), crl.has_freshest_crl());
    }
    let _ = RevocationEvidence::new().add_crl("http://crl.test/fuzz.crl", data);
    let _ = RevocationEvidence::new().add_crls(data);
});
