//! Code-signing and timestamping chain validation over chains cut from the input: the first
//! byte is the number of certificates, then each one is `u16 length || DER`. Fixture
//! certificates as seeds give real chains; mutations give hostile orders, links and extensions.
#![no_main]

use libfuzzer_sys::fuzz_target;
use notaverify::Certificate;

fuzz_target!(|data: &[u8]| {
    let Some((&count, mut rest)) = data.split_first() else { return };
    let mut chain = Vec::new();
    for _ in 0..(count % 20) {
        if rest.len() < 2 {
            break;
        }
        let len = u16::from_be_bytes([rest[0], rest[1]]) as usize;
        rest = &rest[2..];
        let (der, tail) = rest.split_at(len.min(rest.len()));
        rest = tail;
        if let Ok(c) = Certificate::from_der(der) {
            chain.push(c);
        }
    }
    let _ = notaverify::x509::validate_code_signing_chain(&chain);
    let _ = notaverify::x509::validate_timestamping_chain(&chain);
});
