//! One certificate (DER) and certificate files (PEM/DER bundles): parse and read every field;
//! add to a trust store.
#![no_main]

use libfuzzer_sys::fuzz_target;
use notaverify::{Certificate, StoreType, TrustStore};

fuzz_target!(|data: &[u8]| {
    if let Ok(c) = Certificate::from_der(data) {
        let _ =
            (c.subject(), c.issuer(), c.not_before(), c.not_after(), c.serial_hex(), c.is_ca(), c.sha256_fingerprint());
        let _ = notaverify::x509::validate_code_signing_chain(std::slice::from_ref(&c));
        let _ = notaverify::x509::validate_timestamping_chain(std::slice::from_ref(&c));
    }
    let _ = notaverify::x509::parse_certificates(data);
    let _ = TrustStore::new().add(StoreType::Ca, "fuzz", data);
});
