//! UTCTime and GeneralizedTime as Go reads them (cryptobyte's `ReadASN1UTCTime` and
//! `ReadASN1GeneralizedTime`; `encoding/asn1` has the same rules): a `Z` or a non-zero `±hhmm`
//! offset, seconds optional in UTCTime, fractional seconds without trailing zeros in
//! GeneralizedTime, and the text must be exactly what Go would print back.

use crate::Time;

/// `YYMMDDhhmm[ss]` + zone; years 50–99 are 19xx, 00–49 are 20xx.
pub(crate) fn parse_utc_time(text: &str) -> Option<Time> {
    let yy = digits(text, 0, 2)?;
    let year = if yy >= 50 { 1900 + yy } else { 2000 + yy };
    let (second, zone_at) = match digits(text, 10, 2) {
        Some(s) => (s, 12),
        None => (0, 10),
    };
    let offset = zone(text.get(zone_at..)?)?;
    let fields = Fields {
        year,
        month: digits(text, 2, 2)?,
        day: digits(text, 4, 2)?,
        hour: digits(text, 6, 2)?,
        minute: digits(text, 8, 2)?,
        second,
        nanos: 0,
    };
    fields.to_time(offset)
}

/// `YYYYMMDDhhmmss[.f{1,9}]` + zone, the fraction without trailing zeros.
pub(crate) fn parse_generalized_time(text: &str) -> Option<Time> {
    let rest = text.get(14..)?;
    let (nanos, zone_text) = match rest.strip_prefix('.') {
        Some(fraction) => {
            let len = fraction.bytes().take_while(u8::is_ascii_digit).count();
            let digits_text = fraction.get(..len)?;
            if len == 0 || len > 9 || digits_text.ends_with('0') {
                return None;
            }
            let value: u32 = digits_text.parse().ok()?;
            (value.checked_mul(10u32.checked_pow(u32::try_from(9 - len).ok()?)?)?, fraction.get(len..)?)
        }
        None => (0, rest),
    };
    let offset = zone(zone_text)?;
    let fields = Fields {
        year: digits(text, 0, 4)?,
        month: digits(text, 4, 2)?,
        day: digits(text, 6, 2)?,
        hour: digits(text, 8, 2)?,
        minute: digits(text, 10, 2)?,
        second: digits(text, 12, 2)?,
        nanos,
    };
    fields.to_time(offset)
}

/// `Z`, or `±hhmm` that Go would print back identically (so never `+0000`).
fn zone(text: &str) -> Option<i32> {
    if text == "Z" {
        return Some(0);
    }
    let sign = match text.as_bytes().first()? {
        b'+' => 1,
        b'-' => -1,
        _ => return None,
    };
    if text.len() != 5 {
        return None;
    }
    let (hours, minutes) = (digits(text, 1, 2)?, digits(text, 3, 2)?);
    if hours > 24 || minutes > 59 || (hours == 0 && minutes == 0) {
        return None;
    }
    i32::try_from(hours * 3600 + minutes * 60).ok().map(|s| s * sign)
}

/// The decimal number in `text[start..start + len]`, all ASCII digits.
fn digits(text: &str, start: usize, len: usize) -> Option<u32> {
    let part = text.get(start..start.checked_add(len)?)?;
    if part.bytes().all(|b| b.is_ascii_digit()) { part.parse().ok() } else { None }
}

struct Fields {
    year: u32,
    month: u32,
    day: u32,
    hour: u32,
    minute: u32,
    second: u32,
    nanos: u32,
}

impl Fields {
    fn to_time(&self, offset_seconds: i32) -> Option<Time> {
        let month = time::Month::try_from(u8::try_from(self.month).ok()?).ok()?;
        let date =
            time::Date::from_calendar_date(i32::try_from(self.year).ok()?, month, u8::try_from(self.day).ok()?).ok()?;
        let clock = time::Time::from_hms_nano(
            u8::try_from(self.hour).ok()?,
            u8::try_from(self.minute).ok()?,
            u8::try_from(self.second).ok()?,
            self.nanos,
        )
        .ok()?;
        let offset = time::UtcOffset::from_whole_seconds(offset_seconds).ok()?;
        let instant = time::PrimitiveDateTime::new(date, clock).assume_offset(offset);
        Time::from_unix_nanos(instant.unix_timestamp(), instant.nanosecond())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn utc(s: &str) -> Option<String> {
        parse_utc_time(s).map(|t| t.to_rfc3339())
    }

    fn generalized(s: &str) -> Option<String> {
        parse_generalized_time(s).map(|t| t.to_rfc3339())
    }

    #[test]
    fn utc_time_forms_go_accepts() {
        assert_eq!(utc("220630192003Z").as_deref(), Some("2022-06-30T19:20:03Z"));
        assert_eq!(utc("500101000000Z").as_deref(), Some("1950-01-01T00:00:00Z"));
        assert_eq!(utc("4912312359Z").as_deref(), Some("2049-12-31T23:59:00Z"));
        assert_eq!(utc("220630192003+0100").as_deref(), Some("2022-06-30T18:20:03Z"));
    }

    #[test]
    fn utc_time_forms_go_rejects() {
        for bad in [
            "220630192003+0000",
            "220631192003Z",
            "220630242003Z",
            "220630192060Z",
            "2206301920Z0",
            "220630192003",
            "22063019200aZ",
        ] {
            assert_eq!(utc(bad), None, "{bad}");
        }
    }

    #[test]
    fn generalized_time_fractions() {
        assert_eq!(generalized("30211031192003Z").as_deref(), Some("3021-10-31T19:20:03Z"));
        assert_eq!(generalized("20240229120000.5Z").as_deref(), Some("2024-02-29T12:00:00.5Z"));
        assert_eq!(generalized("20240101000000.50Z"), None);
        assert_eq!(generalized("20240101000000.Z"), None);
        assert_eq!(generalized("20230229120000Z"), None);
        assert_eq!(generalized("20240101000000.1234567891Z"), None);
    }
}
