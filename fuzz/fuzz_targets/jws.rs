#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    if let Ok(envelope) = notaverify::Envelope::parse("application/jose+json", data) {
        let _ = envelope.verify_signature();
        let _ = envelope.target();
    }
});
