//! Python values to core inputs and back: bytes or paths, datetimes, mappings, descriptors.

use crate::errors::{Exc, core_err, detached, invalid_input};
use notaverify::{EnvelopeFormat, Time};
use pyo3::prelude::*;
use pyo3::pybacked::PyBackedBytes;
use pyo3::sync::PyOnceLock;
use pyo3::types::{PyByteArray, PyBytes, PyDict, PyMapping, PyString};
use std::collections::BTreeMap;
use std::ops::Deref;
use std::path::PathBuf;

/// Bytes from Python: `bytes` borrowed without a copy, anything else copied once.
pub(crate) enum Data {
    Py(PyBackedBytes),
    Owned(Vec<u8>),
}

impl Deref for Data {
    type Target = [u8];
    fn deref(&self) -> &[u8] {
        match self {
            Self::Py(b) => b,
            Self::Owned(v) => v,
        }
    }
}

impl Data {
    pub(crate) fn into_vec(self) -> Vec<u8> {
        match self {
            Self::Py(b) => b.to_vec(),
            Self::Owned(v) => v,
        }
    }
}

fn is_path_like(obj: &Bound<'_, PyAny>) -> bool {
    obj.is_instance_of::<PyString>() || obj.hasattr("__fspath__").unwrap_or(false)
}

/// A bytes-like value (`bytes`, `bytearray`, `memoryview`), if `obj` is one.
pub(crate) fn bytes_like(obj: &Bound<'_, PyAny>) -> PyResult<Option<Data>> {
    if let Ok(b) = obj.cast::<PyBytes>() {
        return Ok(Some(Data::Py(PyBackedBytes::from(b.clone()))));
    }
    if let Ok(b) = obj.cast::<PyByteArray>() {
        return Ok(Some(Data::Owned(b.to_vec())));
    }
    if obj.hasattr("__buffer__").unwrap_or(false) || obj.get_type().name()?.to_cow()? == "memoryview" {
        // No buffer protocol under abi3-py39: let Python copy it into `bytes`.
        let b = obj.py().import("builtins")?.getattr("bytes")?.call1((obj,))?;
        return Ok(Some(Data::Py(PyBackedBytes::from(b.cast_into::<PyBytes>()?))));
    }
    Ok(None)
}

/// `bytes`-like content, or a file named by `str` / `os.PathLike`, read with the GIL released by
/// the core's loader ([`notaverify::loader::read_file`]: a regular file, not a symlink, refused
/// before reading when larger than `limit`; `file` names it in errors).
pub(crate) fn content_or_path(obj: &Bound<'_, PyAny>, what: &str, file: &'static str, limit: usize) -> PyResult<Data> {
    let py = obj.py();
    if let Some(data) = bytes_like(obj)? {
        return Ok(data);
    }
    if is_path_like(obj) {
        let path: PathBuf = obj.extract()?;
        let read = detached(py, || notaverify::loader::read_file(&path, file, limit))?;
        return read.map(Data::Owned).map_err(|e| core_err(py, &e));
    }
    Err(type_error(obj, what, "bytes, bytearray, memoryview, str (a path) or os.PathLike"))
}

/// A JSON document: `str`, `bytes`-like, or a mapping (serialized with `json.dumps`).
pub(crate) fn text_or_bytes(obj: &Bound<'_, PyAny>, what: &str) -> PyResult<Data> {
    if let Ok(s) = obj.cast::<PyString>() {
        return Ok(Data::Owned(s.to_cow()?.as_bytes().to_vec()));
    }
    if let Some(data) = bytes_like(obj)? {
        return Ok(data);
    }
    if obj.is_instance_of::<PyMapping>() || obj.is_instance_of::<PyDict>() {
        let json = obj.py().import("json")?.getattr("dumps")?.call1((obj,))?;
        return Ok(Data::Owned(json.cast::<PyString>()?.to_cow()?.as_bytes().to_vec()));
    }
    Err(type_error(obj, what, "str, bytes or a mapping"))
}

/// `TypeError("<what> must be <expected>, not <type>")`.
pub(crate) fn type_error(obj: &Bound<'_, PyAny>, what: &str, expected: &str) -> PyErr {
    let got = obj.get_type().name().map(|n| n.to_string()).unwrap_or_else(|_| "?".into());
    pyo3::exceptions::PyTypeError::new_err(format!("{what} must be {expected}, not {got}"))
}

/// True for a single envelope (bytes-like, `str` or `os.PathLike`) where a sequence is expected.
pub(crate) fn is_single_input(obj: &Bound<'_, PyAny>) -> bool {
    is_path_like(obj)
        || obj.is_instance_of::<PyBytes>()
        || obj.is_instance_of::<PyByteArray>()
        || obj.hasattr("tobytes").unwrap_or(false)
}

/// A path from `str` or `os.PathLike`.
pub(crate) fn path(obj: &Bound<'_, PyAny>, what: &str) -> PyResult<PathBuf> {
    if is_path_like(obj) { obj.extract() } else { Err(type_error(obj, what, "str or os.PathLike")) }
}

/// The envelope media type: given (full name, or the aliases `jws` / `cose`:
/// [`EnvelopeFormat::from_alias`]; any other name is passed on for the core to refuse), else
/// inferred by [`EnvelopeFormat::sniff`]; bytes it does not recognise are an error here.
pub(crate) fn envelope_media_type(py: Python<'_>, given: Option<&str>, envelope: &[u8]) -> PyResult<String> {
    match given {
        Some(m) => Ok(EnvelopeFormat::from_alias(m).map_or(m, |f| f.media_type()).to_owned()),
        None => match EnvelopeFormat::sniff(envelope) {
            Some(format) => Ok(format.media_type().to_owned()),
            None => Err(Exc::EnvelopeFormat.err(
                py,
                "cannot infer the signature envelope format (neither a JWS JSON object nor a tagged COSE_Sign1); pass media_type",
                "ENVELOPE",
            )),
        },
    }
}

/// `Mapping[str, str]` to an ordered map.
pub(crate) fn string_map(obj: Option<&Bound<'_, PyAny>>, what: &str) -> PyResult<BTreeMap<String, String>> {
    let mut map = BTreeMap::new();
    let Some(obj) = obj else { return Ok(map) };
    if obj.is_none() {
        return Ok(map);
    }
    let mapping = obj.cast::<PyMapping>().map_err(|_| type_error(obj, what, "a mapping of str to str"))?;
    for item in mapping.items()?.iter() {
        let (k, v): (String, String) =
            item.extract().map_err(|_| invalid_input(obj.py(), format!("{what} must map str to str")))?;
        map.insert(k, v);
    }
    Ok(map)
}

/// An OCI descriptor mapping (`mediaType`, `digest`, `size`, optional `annotations`).
pub(crate) fn descriptor(obj: &Bound<'_, PyAny>) -> PyResult<notaverify::Descriptor> {
    let py = obj.py();
    let mapping = obj
        .cast::<PyMapping>()
        .map_err(|_| type_error(obj, "descriptor", "a mapping with mediaType, digest and size"))?;
    let get = |key: &str| -> PyResult<Bound<'_, PyAny>> {
        mapping.get_item(key).map_err(|_| invalid_input(py, format!("descriptor has no {key:?}")))
    };
    let media_type: String =
        get("mediaType")?.extract().map_err(|_| invalid_input(py, "descriptor mediaType must be a str"))?;
    let digest: String = get("digest")?.extract().map_err(|_| invalid_input(py, "descriptor digest must be a str"))?;
    let size = get("size")?;
    if size.is_instance_of::<pyo3::types::PyBool>() {
        return Err(invalid_input(py, "descriptor size must be an int"));
    }
    let size: i64 = size.extract().map_err(|_| invalid_input(py, "descriptor size must be an int"))?;
    let annotations = match mapping.get_item("annotations") {
        Ok(a) => string_map(Some(&a), "descriptor annotations")?,
        Err(_) => BTreeMap::new(),
    };
    Ok(notaverify::Descriptor { media_type, digest, size, annotations })
}

struct DateTimeApi {
    epoch: Py<PyAny>,
    timedelta: Py<PyAny>,
}

static DATETIME: PyOnceLock<DateTimeApi> = PyOnceLock::new();

fn datetime_api(py: Python<'_>) -> PyResult<&DateTimeApi> {
    DATETIME.get_or_try_init(py, || {
        let m = py.import("datetime")?;
        let utc = m.getattr("timezone")?.getattr("utc")?;
        let kwargs = PyDict::new(py);
        kwargs.set_item("tzinfo", utc)?;
        let epoch = m.getattr("datetime")?.call((1970, 1, 1), Some(&kwargs))?;
        Ok(DateTimeApi { epoch: epoch.unbind(), timedelta: m.getattr("timedelta")?.unbind() })
    })
}

/// The verification time: a timezone-aware `datetime` or an RFC 3339 `str`; `None` is "now".
pub(crate) fn time(obj: Option<&Bound<'_, PyAny>>) -> PyResult<Option<Time>> {
    let Some(obj) = obj else { return Ok(None) };
    let py = obj.py();
    if obj.is_none() {
        return Ok(None);
    }
    if let Ok(s) = obj.cast::<PyString>() {
        return Time::parse_rfc3339(&s.to_cow()?).map(Some).map_err(|e| invalid_input(py, format!("at: {e}")));
    }
    let api = datetime_api(py)?;
    let datetime_type = py.import("datetime")?.getattr("datetime")?;
    if !obj.is_instance(&datetime_type)? {
        return Err(type_error(obj, "at", "a datetime, an RFC 3339 str or None"));
    }
    if obj.call_method0("utcoffset")?.is_none() {
        return Err(invalid_input(
            py,
            "at must be timezone-aware (e.g. datetime.now(timezone.utc)); a naive datetime is ambiguous",
        ));
    }
    let delta = obj.sub(api.epoch.bind(py))?;
    let days: i64 = delta.getattr("days")?.extract()?;
    let seconds: i64 = delta.getattr("seconds")?.extract()?;
    let micros: u32 = delta.getattr("microseconds")?.extract()?;
    let secs = days.saturating_mul(86_400).saturating_add(seconds);
    Ok(Time::from_unix_nanos(secs, micros * 1_000))
}

/// A core time as an aware UTC `datetime` (microsecond precision, as `datetime` has).
pub(crate) fn to_datetime<'py>(py: Python<'py>, t: Time) -> PyResult<Bound<'py, PyAny>> {
    let api = datetime_api(py)?;
    let kwargs = PyDict::new(py);
    kwargs.set_item("seconds", t.unix_seconds())?;
    kwargs.set_item("microseconds", t.subsec_nanos() / 1_000)?;
    let delta = api.timedelta.bind(py).call((), Some(&kwargs))?;
    api.epoch.bind(py).add(delta)
}
