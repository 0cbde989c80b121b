//! RFC 3161 token parsing (BER to DER, CMS SignedData, TSTInfo) and verification against an
//! empty and a one-root pool: never panics, whatever the input.
#![no_main]

use libfuzzer_sys::fuzz_target;
use notaverify::timestamp::TimestampToken;

fuzz_target!(|data: &[u8]| {
    if let Ok(token) = TimestampToken::parse(data) {
        if let Ok(info) = token.tst_info() {
            let _ = info.validate(data);
        }
        let _ = token.verify(&[]);
        let _ = token.verify(token.certificates());
    }
});
