//! JavaScript values to core inputs: times, descriptors, option objects, envelope media types.

use crate::errors::{Result, error, invalid_input, or_throw};
use napi::bindgen_prelude::{FromNapiValue, TypeName, Uint8Array, ValidateNapiValue, sys};
use napi::{JsDate, Unknown, ValueType, check_status};
use notaverify::{EnvelopeFormat, ErrorKind, SignatureInput, Target, Time, VerifyOptions};
use std::collections::{BTreeMap, HashMap};

/// A JavaScript string read as UTF-16 (lone surrogates replaced by U+FFFD, as napi's UTF-8
/// reading does): the engine copies its characters, where napi's UTF-8 reading measures and then
/// encodes the string (together ~1,600 instructions a `verify` call for the reference and the
/// time).
pub struct Text(pub String);

impl TypeName for Text {
    fn type_name() -> &'static str {
        "string"
    }
    fn value_type() -> ValueType {
        ValueType::String
    }
}

impl ValidateNapiValue for Text {}

impl FromNapiValue for Text {
    unsafe fn from_napi_value(env: sys::napi_env, value: sys::napi_value) -> napi::Result<Self> {
        let mut len = 0;
        // SAFETY: the caller passes a live value of `env` (the FromNapiValue contract); the buffer
        // holds `len + 1` units, as the second call is told.
        unsafe {
            check_status!(
                sys::napi_get_value_string_utf16(env, value, std::ptr::null_mut(), 0, &mut len),
                "expected a string"
            )?;
            let mut units = vec![0u16; len + 1];
            let mut written = 0;
            check_status!(sys::napi_get_value_string_utf16(env, value, units.as_mut_ptr(), units.len(), &mut written))?;
            let units = &units[..written];
            // ASCII, nearly every string here, is narrowed whole (`from_utf16_lossy` goes a
            // character at a time); checked and narrowed without an early exit, many units at a
            // time.
            if units.iter().fold(0, |any, &u| any | u) < 0x80
                && let Ok(text) = String::from_utf8(units.iter().map(|&u| u as u8).collect())
            {
                return Ok(Self(text));
            }
            Ok(Self(String::from_utf16_lossy(units)))
        }
    }
}

/// A map of strings given as a plain object (`{ name: 'value' }`): `userMetadata`, a descriptor's
/// `annotations`. Anything else is refused as napi refuses a value of the wrong type, because
/// napi reads a number, a boolean, a `Map` or a `Date` as an empty map (and a string as its
/// characters): user metadata given by mistake would then require nothing.
pub struct StringMap(HashMap<String, String>);

impl StringMap {
    pub(crate) fn into_inner(self) -> HashMap<String, String> {
        self.0
    }
}

impl TypeName for StringMap {
    fn type_name() -> &'static str {
        "Record<string, string>"
    }
    fn value_type() -> ValueType {
        ValueType::Object
    }
}

impl ValidateNapiValue for StringMap {}

impl FromNapiValue for StringMap {
    unsafe fn from_napi_value(env: sys::napi_env, value: sys::napi_value) -> napi::Result<Self> {
        // SAFETY: the caller passes a live value of `env` (the FromNapiValue contract).
        if !unsafe { is_plain_object(env, value) }? {
            return Err(napi::Error::new(
                napi::Status::ObjectExpected,
                "expected a plain object mapping names to strings ({ name: 'value' })".to_owned(),
            ));
        }
        unsafe { HashMap::from_napi_value(env, value) }.map(Self)
    }
}

/// Whether `value` is an object whose prototype is `Object.prototype` or `null`: not an array,
/// a `Map`, a `Date`, a boxed primitive.
///
/// # Safety
/// `value` is a live value of `env`.
unsafe fn is_plain_object(env: sys::napi_env, value: sys::napi_value) -> napi::Result<bool> {
    if unsafe { Unknown::from_napi_value(env, value) }?.get_type()? != ValueType::Object {
        return Ok(false);
    }
    let mut prototype = std::ptr::null_mut();
    let mut global = std::ptr::null_mut();
    let mut object = std::ptr::null_mut();
    let mut object_prototype = std::ptr::null_mut();
    let mut null = std::ptr::null_mut();
    let (mut is_object_prototype, mut is_null) = (false, false);
    // SAFETY: every value passed is live in `env` (given, or returned by the call before).
    unsafe {
        check_status!(sys::napi_get_prototype(env, value, &mut prototype))?;
        check_status!(sys::napi_get_global(env, &mut global))?;
        check_status!(sys::napi_get_named_property(env, global, c"Object".as_ptr(), &mut object))?;
        check_status!(sys::napi_get_named_property(env, object, c"prototype".as_ptr(), &mut object_prototype))?;
        check_status!(sys::napi_get_null(env, &mut null))?;
        check_status!(sys::napi_strict_equals(env, prototype, object_prototype, &mut is_object_prototype))?;
        check_status!(sys::napi_strict_equals(env, prototype, null, &mut is_null))?;
    }
    Ok(is_object_prototype || is_null)
}

/// A verification time given as a `Date` or an RFC 3339 string.
#[derive(Clone)]
pub struct TimeArg(std::result::Result<Time, String>);

impl TypeName for TimeArg {
    fn type_name() -> &'static str {
        "Date | string"
    }
    fn value_type() -> ValueType {
        ValueType::Unknown
    }
}

impl ValidateNapiValue for TimeArg {}

impl FromNapiValue for TimeArg {
    unsafe fn from_napi_value(env: sys::napi_env, value: sys::napi_value) -> napi::Result<Self> {
        // SAFETY: the caller passes a live value of `env` (the FromNapiValue contract).
        let unknown = unsafe { Unknown::from_napi_value(env, value) }?;
        let parsed = match unknown.get_type()? {
            ValueType::String => {
                let Text(s) = unsafe { Text::from_napi_value(env, value) }?;
                Time::parse_rfc3339(&s).map_err(|e| format!("at: {e}"))
            }
            ValueType::Object if unsafe { <JsDate<'_> as ValidateNapiValue>::validate(env, value) }.is_ok() => {
                let ms = unsafe { JsDate::from_napi_value(env, value) }?.value_of()?;
                time_from_millis(ms)
            }
            _ => Err("at must be a Date or an RFC 3339 string".to_owned()),
        };
        Ok(Self(parsed))
    }
}

/// A `Date`'s milliseconds since the epoch; an invalid `Date` (NaN) is refused.
fn time_from_millis(ms: f64) -> std::result::Result<Time, String> {
    if !ms.is_finite() {
        return Err("at is an invalid Date".to_owned());
    }
    let secs = (ms / 1000.0).floor();
    let nanos = ((ms - secs * 1000.0) * 1_000_000.0).round().clamp(0.0, 999_999_999.0) as u32;
    // A valid Date is within ±8.64e15 ms of the epoch, so the cast cannot overflow.
    Time::from_unix_nanos(secs as i64, nanos).ok_or_else(|| "at is out of range".to_owned())
}

pub(crate) fn time(at: Option<TimeArg>) -> Result<Option<Time>> {
    at.map(|t| t.0.map_err(invalid_input)).transpose()
}

/// The envelope media type: given (full name, or the aliases `jws` / `cose`:
/// [`EnvelopeFormat::from_alias`]; any other name is passed on for the core to refuse), else
/// inferred by [`EnvelopeFormat::sniff`]; bytes it does not recognise are an error here.
pub(crate) fn envelope_media_type(given: Option<&str>, envelope: &[u8]) -> Result<String> {
    match given {
        Some(m) => Ok(EnvelopeFormat::from_alias(m).map_or(m, |f| f.media_type()).to_owned()),
        None => match EnvelopeFormat::sniff(envelope) {
            Some(format) => Ok(format.media_type().to_owned()),
            None => Err(error(
                ErrorKind::Envelope,
                "cannot infer the signature envelope format (neither a JWS JSON object nor a tagged COSE_Sign1); pass mediaType",
            )),
        },
    }
}

/// An envelope as the core takes it; its digest is the sha256 of the bytes, as the CLI reports.
pub(crate) fn signature_input(envelope: &[u8], media_type: Option<&str>) -> Result<SignatureInput> {
    let media_type = envelope_media_type(media_type, envelope)?;
    let mut input = SignatureInput::new(envelope.to_vec(), media_type);
    input.digest = Some(or_throw(notaverify::digest_of("sha256", envelope))?);
    Ok(input)
}

pub(crate) fn signature_inputs(envelopes: &[Uint8Array], media_type: Option<&str>) -> Result<Vec<SignatureInput>> {
    envelopes.iter().map(|e| signature_input(e, media_type)).collect()
}

/// An OCI content descriptor, as in JSON.
#[napi_derive::napi(object, object_to_js = false)]
pub struct Descriptor {
    pub media_type: String,
    /// `<algorithm>:<hex>`.
    pub digest: String,
    /// The size in bytes.
    pub size: i64,
    #[napi(ts_type = "Record<string, string>")]
    pub annotations: Option<StringMap>,
}

/// The target: the descriptor when given, else the digest of `reference` (the core checks the
/// reference and reports a missing digest).
pub(crate) fn target(reference: &str, descriptor: Option<Descriptor>) -> Target {
    match descriptor {
        Some(d) => Target::Descriptor(notaverify::Descriptor {
            media_type: d.media_type,
            digest: d.digest,
            size: d.size,
            annotations: d.annotations.map(StringMap::into_inner).unwrap_or_default().into_iter().collect(),
        }),
        // A reference that does not parse is left for the verification to report.
        None => Target::from_reference(reference).unwrap_or_else(|_| Target::Digest(String::new())),
    }
}

/// The options every verification shares.
pub(crate) fn verify_options(
    user_metadata: Option<StringMap>,
    at: Option<Time>,
    max_signatures: Option<u32>,
    revocation: Option<notaverify::revocation::RevocationEvidence>,
    all_signatures: Option<bool>,
) -> VerifyOptions {
    let mut o = VerifyOptions {
        user_metadata: user_metadata
            .map(StringMap::into_inner)
            .unwrap_or_default()
            .into_iter()
            .collect::<BTreeMap<_, _>>(),
        at,
        revocation,
        all_signatures: all_signatures.unwrap_or(false),
        ..VerifyOptions::default()
    };
    if let Some(n) = max_signatures {
        o.max_signatures = n as usize;
    }
    o
}
