//! The one helper set every exported function goes through: the panic boundary ([`guard`],
//! [`guard_or`]), the thread-local last-error message, and the null-checked conversions of
//! pointers, byte slices, strings and out-parameters. No exported function dereferences a raw
//! pointer except through these helpers.

use crate::result::notaverify_result;
use std::any::Any;
use std::cell::RefCell;
use std::ffi::{CStr, c_char};
use std::mem::MaybeUninit;
use std::panic::{AssertUnwindSafe, catch_unwind};

/// An error on its way out of the library: its result code and the message kept for
/// `notaverify_last_error`.
#[derive(Debug)]
pub(crate) struct Failure {
    pub(crate) result: notaverify_result,
    pub(crate) message: String,
}

impl Failure {
    pub(crate) fn new(result: notaverify_result, message: impl Into<String>) -> Self {
        Self { result, message: message.into() }
    }

    pub(crate) fn null(what: &str) -> Self {
        Self::new(notaverify_result::NullParameter, format!("{what} is NULL"))
    }

    pub(crate) fn invalid(message: impl Into<String>) -> Self {
        Self::new(notaverify_result::InvalidArgument, message)
    }

    /// The same failure, its message prefixed with the argument it is about (`items[2]: ...`).
    pub(crate) fn within(self, what: &str) -> Self {
        Self { message: format!("{what}: {}", self.message), ..self }
    }
}

impl From<notaverify_core::Error> for Failure {
    fn from(error: notaverify_core::Error) -> Self {
        Self::new(notaverify_result::from_kind(error.kind()), error.to_string())
    }
}

pub(crate) type Outcome<T = ()> = Result<T, Failure>;

thread_local! {
    static LAST_ERROR: RefCell<String> = const { RefCell::new(String::new()) };
}

fn set_last_error(message: String) {
    // `try_with`: during thread teardown the slot may be gone; the message is then dropped.
    let _ = LAST_ERROR.try_with(|slot| {
        if let Ok(mut slot) = slot.try_borrow_mut() {
            *slot = message;
        }
    });
}

/// The message of the last failed call on this thread ("" when the last call succeeded).
pub(crate) fn with_last_error<R>(f: impl FnOnce(&str) -> R) -> R {
    let mut f = Some(f);
    let found =
        LAST_ERROR.try_with(|slot| slot.try_borrow().ok().map(|s| (f.take().expect("called once"))(&s))).ok().flatten();
    match found {
        Some(r) => r,
        None => (f.take().expect("called once"))(""),
    }
}

fn panic_message(payload: &(dyn Any + Send)) -> &str {
    if let Some(s) = payload.downcast_ref::<&'static str>() {
        s
    } else if let Some(s) = payload.downcast_ref::<String>() {
        s
    } else {
        "(no message)"
    }
}

/// The panic boundary for functions that return a [`notaverify_result`]: clears this thread's
/// last error, runs `body`, and turns an error or a caught panic into its result code and message.
pub(crate) fn guard(body: impl FnOnce() -> Outcome) -> notaverify_result {
    set_last_error(String::new());
    let failure = match catch_unwind(AssertUnwindSafe(body)) {
        Ok(Ok(())) => return notaverify_result::Ok,
        Ok(Err(failure)) => failure,
        Err(payload) => Failure::new(
            notaverify_result::Panic,
            format!(
                "internal error (a panic was stopped at the library boundary): {}",
                panic_message(payload.as_ref())
            ),
        ),
    };
    set_last_error(failure.message);
    failure.result
}

/// The panic boundary for functions that return something else (the free functions, the static
/// strings): a caught panic yields `default`. The last error is left alone.
pub(crate) fn guard_or<T>(default: T, body: impl FnOnce() -> T) -> T {
    catch_unwind(AssertUnwindSafe(body)).unwrap_or(default)
}

/// A shared reference to the handle behind `ptr`.
///
/// # Safety
/// `ptr` is NULL or was returned by this library for a `T` and not yet freed.
pub(crate) unsafe fn try_ref<'a, T>(ptr: *const T, what: &str) -> Outcome<&'a T> {
    // SAFETY: the caller guarantees a non-NULL `ptr` points to a live `T`.
    unsafe { ptr.as_ref() }.ok_or_else(|| Failure::null(what))
}

/// An exclusive reference to the handle behind `ptr`.
///
/// # Safety
/// As [`try_ref`], and no other reference to the handle is in use during the call.
pub(crate) unsafe fn try_mut<'a, T>(ptr: *mut T, what: &str) -> Outcome<&'a mut T> {
    // SAFETY: the caller guarantees a non-NULL `ptr` points to a live `T` used by nobody else.
    unsafe { ptr.as_mut() }.ok_or_else(|| Failure::null(what))
}

/// The `len` bytes at `ptr`; NULL is accepted only with `len == 0`.
///
/// # Safety
/// A non-NULL `ptr` points to `len` readable bytes that stay unchanged during the call.
pub(crate) unsafe fn try_bytes<'a>(ptr: *const u8, len: usize, what: &str) -> Outcome<&'a [u8]> {
    if ptr.is_null() {
        return if len == 0 { Ok(&[]) } else { Err(Failure::null(what)) };
    }
    if len > isize::MAX as usize {
        return Err(Failure::invalid(format!("{what}: length {len} is too large")));
    }
    // SAFETY: non-NULL, at most isize::MAX bytes, readable per the caller's guarantee.
    Ok(unsafe { std::slice::from_raw_parts(ptr, len) })
}

/// The NUL-terminated UTF-8 string at `ptr`.
///
/// # Safety
/// A non-NULL `ptr` points to a NUL-terminated string that stays unchanged during the call.
pub(crate) unsafe fn try_str<'a>(ptr: *const c_char, what: &str) -> Outcome<&'a str> {
    if ptr.is_null() {
        return Err(Failure::null(what));
    }
    // SAFETY: non-NULL and NUL-terminated per the caller's guarantee.
    let bytes = unsafe { CStr::from_ptr(ptr) }.to_bytes();
    std::str::from_utf8(bytes).map_err(|e| {
        Failure::new(notaverify_result::InvalidUtf8, format!("{what} is not valid UTF-8 (at byte {})", e.valid_up_to()))
    })
}

/// As [`try_str`], with NULL meaning "not given".
///
/// # Safety
/// As [`try_str`].
pub(crate) unsafe fn try_opt_str<'a>(ptr: *const c_char, what: &str) -> Outcome<Option<&'a str>> {
    if ptr.is_null() { Ok(None) } else { unsafe { try_str(ptr, what) }.map(Some) }
}

/// Whether an array of `len` `T`s given as a pointer (`is_null`) and a count has items to read
/// or write: false for the empty array (NULL with 0), an error for NULL with a count or a count
/// too large for memory.
fn array_present<T>(is_null: bool, len: usize, what: &str) -> Outcome<bool> {
    if is_null {
        return if len == 0 { Ok(false) } else { Err(Failure::null(what)) };
    }
    if len.checked_mul(size_of::<T>()).is_none_or(|n| n > isize::MAX as usize) {
        return Err(Failure::invalid(format!("{what}: count {len} is too large")));
    }
    Ok(true)
}

/// The `len` items at `ptr`; NULL is accepted only with `len == 0`.
///
/// # Safety
/// A non-NULL `ptr` points to `len` initialized, properly aligned `T`s.
pub(crate) unsafe fn try_slice<'a, T>(ptr: *const T, len: usize, what: &str) -> Outcome<&'a [T]> {
    if !array_present::<T>(ptr.is_null(), len, what)? {
        return Ok(&[]);
    }
    // SAFETY: non-NULL, size checked, valid per the caller's guarantee.
    Ok(unsafe { std::slice::from_raw_parts(ptr, len) })
}

/// The `len` slots at `ptr` of an out-parameter array, which C may leave uninitialized; NULL is
/// accepted only with `len == 0`.
///
/// # Safety
/// A non-NULL `ptr` points to `len` writable, properly aligned `T`s that nothing else accesses
/// during the call.
pub(crate) unsafe fn try_out_slice<'a, T>(ptr: *mut T, len: usize, what: &str) -> Outcome<&'a mut [MaybeUninit<T>]> {
    if !array_present::<T>(ptr.is_null(), len, what)? {
        return Ok(&mut []);
    }
    // SAFETY: non-NULL, size checked, writable and unaliased per the caller's guarantee;
    // `MaybeUninit` makes no claim about the current contents.
    Ok(unsafe { std::slice::from_raw_parts_mut(ptr.cast::<MaybeUninit<T>>(), len) })
}

/// Stores `value` through the out-parameter `out`.
///
/// # Safety
/// A non-NULL `out` points to writable, properly aligned storage for a `T`.
pub(crate) unsafe fn write_out<T>(out: *mut T, value: T, what: &str) -> Outcome {
    if out.is_null() {
        return Err(Failure::null(what));
    }
    // SAFETY: non-NULL and writable per the caller's guarantee.
    unsafe { out.write(value) };
    Ok(())
}

/// Checks a handle out-parameter and sets it to NULL, so it is NULL whenever the call fails.
///
/// # Safety
/// As [`write_out`].
pub(crate) unsafe fn reset_out_handle<'a, T>(out: *mut *mut T, what: &str) -> Outcome<&'a mut *mut T> {
    // SAFETY: the caller guarantees a non-NULL `out` is writable.
    let slot = unsafe { out.as_mut() }.ok_or_else(|| Failure::null(what))?;
    *slot = std::ptr::null_mut();
    Ok(slot)
}

/// Moves `value` to the heap and hands it to C as a handle.
pub(crate) fn into_handle<T>(value: T) -> *mut T {
    Box::into_raw(Box::new(value))
}

/// Frees a handle made by [`into_handle`]; NULL is a no-op.
///
/// # Safety
/// `ptr` is NULL or came from [`into_handle`] for a `T` and is not used afterwards.
pub(crate) unsafe fn free_handle<T>(ptr: *mut T) {
    if !ptr.is_null() {
        // SAFETY: `ptr` came from Box::into_raw and is freed exactly once, per the caller.
        drop(unsafe { Box::from_raw(ptr) });
    }
}

/// Copies `s` into the caller's buffer by the library's string convention: `*out_len` receives
/// the full length in bytes (without the terminating NUL); if `buf` has room for it and the NUL,
/// the string is written and the call succeeds; otherwise the longest prefix that fits (cut at a
/// character boundary) is written, NUL-terminated when `len > 0`, and the result is
/// `NOTAVERIFY_RESULT_BUFFER_TOO_SMALL`. `buf` may be NULL only with `len == 0` (a size query).
///
/// # Safety
/// A non-NULL `buf` points to `len` writable bytes; a non-NULL `out_len` is writable.
pub(crate) unsafe fn write_string(s: &str, buf: *mut c_char, len: usize, out_len: *mut usize) -> Outcome {
    unsafe { write_out(out_len, s.len(), "out_len") }?;
    if buf.is_null() && len != 0 {
        return Err(Failure::null("buf"));
    }
    if len == 0 {
        return Err(Failure::new(
            notaverify_result::BufferTooSmall,
            format!("the string needs {} bytes plus a NUL", s.len()),
        ));
    }
    let mut n = s.len().min(len - 1);
    while !s.is_char_boundary(n) {
        n -= 1;
    }
    // SAFETY: `buf` has `len` writable bytes and n + 1 <= len; the source is a distinct Rust string.
    unsafe {
        std::ptr::copy_nonoverlapping(s.as_ptr(), buf.cast::<u8>(), n);
        buf.add(n).write(0);
    }
    if n < s.len() {
        Err(Failure::new(
            notaverify_result::BufferTooSmall,
            format!("the string needs {} bytes plus a NUL; the buffer has {len}", s.len()),
        ))
    } else {
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::ptr::{null, null_mut};

    #[test]
    fn a_panic_becomes_a_result_and_a_message() {
        let r = guard(|| panic!("boom"));
        assert_eq!(r, notaverify_result::Panic);
        assert!(with_last_error(|m| m.contains("boom")));
        assert_eq!(guard(|| Ok(())), notaverify_result::Ok);
        assert!(with_last_error(str::is_empty));
        assert_eq!(guard_or(7, || panic!("again")), 7);
    }

    #[test]
    fn null_and_utf8_are_errors() {
        assert_eq!(unsafe { try_str(null(), "x") }.unwrap_err().result, notaverify_result::NullParameter);
        let bad = [0xffu8, 0xfe, 0];
        assert_eq!(unsafe { try_str(bad.as_ptr().cast(), "x") }.unwrap_err().result, notaverify_result::InvalidUtf8);
        assert!(unsafe { try_bytes(null(), 0, "x") }.unwrap().is_empty());
        assert_eq!(unsafe { try_bytes(null(), 1, "x") }.unwrap_err().result, notaverify_result::NullParameter);
        assert_eq!(unsafe { try_ref::<u8>(null(), "x") }.unwrap_err().result, notaverify_result::NullParameter);
    }

    #[test]
    fn arrays_are_null_only_when_empty() {
        assert!(unsafe { try_slice::<u32>(null(), 0, "x") }.unwrap().is_empty());
        assert_eq!(unsafe { try_slice::<u32>(null(), 2, "x") }.unwrap_err().result, notaverify_result::NullParameter);
        assert!(unsafe { try_out_slice::<u32>(null_mut(), 0, "x") }.unwrap().is_empty());
        assert_eq!(
            unsafe { try_out_slice::<u32>(null_mut(), 2, "x") }.unwrap_err().result,
            notaverify_result::NullParameter
        );
        let mut slots = [0u32; 3];
        let e = unsafe { try_out_slice(slots.as_mut_ptr(), usize::MAX / 2, "x") }.unwrap_err();
        assert_eq!(e.result, notaverify_result::InvalidArgument);
        for (i, slot) in unsafe { try_out_slice(slots.as_mut_ptr(), 3, "x") }.unwrap().iter_mut().enumerate() {
            slot.write(i as u32 + 7);
        }
        assert_eq!(slots, [7, 8, 9]);
    }

    #[test]
    fn strings_are_copied_whole_or_truncated_at_a_char_boundary() {
        let mut out_len = 0usize;
        let mut buf: [c_char; 8] = [0x55; 8];
        assert!(unsafe { write_string("héllo", buf.as_mut_ptr(), buf.len(), &mut out_len) }.is_ok());
        assert_eq!(out_len, 6);
        assert_eq!(unsafe { CStr::from_ptr(buf.as_ptr()) }.to_str().unwrap(), "héllo");
        let e = unsafe { write_string("héllo", buf.as_mut_ptr(), 3, &mut out_len) }.unwrap_err();
        assert_eq!(e.result, notaverify_result::BufferTooSmall);
        assert_eq!(unsafe { CStr::from_ptr(buf.as_ptr()) }.to_str().unwrap(), "h");
        let e = unsafe { write_string("abc", null_mut(), 0, &mut out_len) }.unwrap_err();
        assert_eq!((e.result, out_len), (notaverify_result::BufferTooSmall, 3));
        let e = unsafe { write_string("abc", null_mut(), 4, &mut out_len) }.unwrap_err();
        assert_eq!(e.result, notaverify_result::NullParameter);
        let e = unsafe { write_string("abc", buf.as_mut_ptr(), 8, null_mut()) }.unwrap_err();
        assert_eq!(e.result, notaverify_result::NullParameter);
    }
}
