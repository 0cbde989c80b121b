//! What a caller hands to the verify calls: user-metadata entries, envelopes and the options
//! struct, and their conversion into the core's `VerifyOptions` and `SignatureInput`.

use crate::boundary::{Failure, Outcome, try_bytes, try_slice, try_str};
use notaverify_core::{SignatureInput, Time, VerifyOptions};
use std::ffi::c_char;

/// One user-metadata requirement: the signed annotation `key` must have the value `value`
/// (notation's `--user-metadata key=value`). Both are NUL-terminated UTF-8.
#[repr(C)]
pub struct notaverify_metadata_entry {
    /// The annotation key.
    pub key: *const c_char,
    /// The value it must have.
    pub value: *const c_char,
}

/// One signature envelope.
#[repr(C)]
pub struct notaverify_envelope {
    /// The envelope bytes.
    pub data: *const u8,
    /// The length of `data`.
    pub len: usize,
    /// `"application/jose+json"` or `"application/cose"`.
    pub media_type: *const c_char,
}

impl notaverify_envelope {
    /// The core's input for this envelope.
    ///
    /// # Safety
    /// `data` and `media_type` are valid as the header's pointer rules require.
    pub(crate) unsafe fn to_input(&self) -> Outcome<SignatureInput> {
        let data = unsafe { try_bytes(self.data, self.len, "data") }?;
        let media_type = unsafe { try_str(self.media_type, "media_type") }?;
        Ok(SignatureInput::new(data, media_type))
    }
}

/// The options of `notaverify_verify_artifact`, `notaverify_verify_oci_layout` and
/// `notaverify_verify_blob`; a NULL options pointer means all defaults. A zero-initialized struct
/// (`notaverify_verify_options o = {0};`) is the defaults too.
///
/// The struct is not versioned: while the library is 0.x, a field may be added in a minor release
/// (the SONAME stays `.so.0`), so rebuild against the header of the library you link.
#[repr(C)]
pub struct notaverify_verify_options {
    /// Annotations the signed target must carry (NULL with 0 for none). A key given twice is
    /// `NOTAVERIFY_RESULT_INVALID_ARGUMENT`.
    pub user_metadata: *const notaverify_metadata_entry,
    /// The number of `user_metadata` entries.
    pub user_metadata_len: usize,
    /// The verification time in seconds since the Unix epoch; 0 means now.
    pub at_unix: i64,
    /// Most signatures tried per artifact (notation's `--max-signatures`); 0 means notation's
    /// default, 100.
    pub max_signatures: usize,
    /// Evaluate every signature (at most `max_signatures`) even after one verified: the outcome
    /// then lists each signature's checks. The verdict is the same as without it.
    pub all_signatures: bool,
}

impl notaverify_verify_options {
    /// The core options these describe.
    ///
    /// # Safety
    /// `user_metadata` and its strings are valid as the header's pointer rules require.
    pub(crate) unsafe fn to_core(&self) -> Outcome<VerifyOptions> {
        let entries = unsafe { try_slice(self.user_metadata, self.user_metadata_len, "user_metadata") }?;
        let mut options = VerifyOptions { all_signatures: self.all_signatures, ..VerifyOptions::default() };
        for (i, entry) in entries.iter().enumerate() {
            let key = unsafe { try_str(entry.key, &format!("user_metadata[{i}].key")) }?;
            let value = unsafe { try_str(entry.value, &format!("user_metadata[{i}].value")) }?;
            if options.user_metadata.insert(key.to_owned(), value.to_owned()).is_some() {
                return Err(Failure::invalid(format!("user metadata key {key:?} is given twice")));
            }
        }
        if self.at_unix != 0 {
            options.at = Some(Time::from_unix(self.at_unix));
        }
        if self.max_signatures != 0 {
            options.max_signatures = self.max_signatures;
        }
        Ok(options)
    }
}

/// The core options `options` points to; NULL means the defaults.
///
/// # Safety
/// A non-NULL `options` points to a valid `notaverify_verify_options`.
pub(crate) unsafe fn verify_options(options: *const notaverify_verify_options) -> Outcome<VerifyOptions> {
    // SAFETY: the caller guarantees a non-NULL `options` points to a valid struct.
    match unsafe { options.as_ref() } {
        Some(o) => unsafe { o.to_core() },
        None => Ok(VerifyOptions::default()),
    }
}

/// The core inputs of `count` envelopes at `envelopes`; an error names the envelope
/// (`envelopes[1]: media_type is NULL`).
///
/// # Safety
/// A non-NULL `envelopes` points to `count` valid `notaverify_envelope`s.
pub(crate) unsafe fn signature_inputs(
    envelopes: *const notaverify_envelope,
    count: usize,
) -> Outcome<Vec<SignatureInput>> {
    let envelopes = unsafe { try_slice(envelopes, count, "envelopes") }?;
    envelopes
        .iter()
        .enumerate()
        .map(|(i, e)| unsafe { e.to_input() }.map_err(|f| f.within(&format!("envelopes[{i}]"))))
        .collect()
}
