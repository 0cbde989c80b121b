//! Points in time. The core never reads the clock except in [`Time::now`], which the API edge
//! uses as the default verification time.

use std::fmt;

/// A point in time: seconds and nanoseconds since the Unix epoch, UTC.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Time {
    secs: i64,
    nanos: u32,
}

/// A time string that is not an RFC 3339 date-time as Go's `time.Time.UnmarshalJSON` accepts it.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{value:?} is not an RFC 3339 date-time")]
pub struct TimeParseError {
    value: String,
}

impl Time {
    /// The Unix epoch.
    pub const UNIX_EPOCH: Self = Self { secs: 0, nanos: 0 };

    /// The time `secs` seconds after the Unix epoch.
    ///
    /// ```
    /// let t = notaverify::Time::from_unix(1_700_000_000);
    /// assert_eq!(t.unix_seconds(), 1_700_000_000);
    /// ```
    pub const fn from_unix(secs: i64) -> Self {
        Self { secs, nanos: 0 }
    }

    /// The time `secs` seconds and `nanos` nanoseconds after the epoch; `None` if `nanos` ≥ 10⁹.
    pub const fn from_unix_nanos(secs: i64, nanos: u32) -> Option<Self> {
        if nanos >= 1_000_000_000 { None } else { Some(Self { secs, nanos }) }
    }

    /// The current wall-clock time.
    pub fn now() -> Self {
        match std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH) {
            Ok(d) => Self { secs: i64::try_from(d.as_secs()).unwrap_or(i64::MAX), nanos: d.subsec_nanos() },
            Err(e) => {
                let d = e.duration();
                let secs = -i64::try_from(d.as_secs()).unwrap_or(i64::MAX);
                match d.subsec_nanos() {
                    0 => Self { secs, nanos: 0 },
                    n => Self { secs: secs.saturating_sub(1), nanos: 1_000_000_000 - n },
                }
            }
        }
    }

    /// Whole seconds since the epoch (rounded down).
    pub const fn unix_seconds(&self) -> i64 {
        self.secs
    }

    /// The nanoseconds past [`Time::unix_seconds`].
    pub const fn subsec_nanos(&self) -> u32 {
        self.nanos
    }

    /// This time moved by `secs` seconds (negative moves back); saturates at the ends of `i64`.
    pub const fn saturating_add_secs(self, secs: i64) -> Self {
        Self { secs: self.secs.saturating_add(secs), nanos: self.nanos }
    }

    /// This time moved forward by a duration given in nanoseconds; saturates.
    pub fn saturating_add_nanos(self, nanos: i128) -> Self {
        let total = i128::from(self.secs) * 1_000_000_000 + i128::from(self.nanos) + nanos;
        Self::from_total_nanos(total)
    }

    fn from_total_nanos(total: i128) -> Self {
        let secs = total.div_euclid(1_000_000_000);
        let nanos = total.rem_euclid(1_000_000_000);
        let secs = i64::try_from(secs).unwrap_or(if secs < 0 { i64::MIN } else { i64::MAX });
        Self { secs, nanos: u32::try_from(nanos).unwrap_or(0) }
    }

    /// Parses an RFC 3339 date-time (`2024-01-02T03:04:05Z`, `...+08:00`, fractional seconds
    /// allowed), the format notation writes in JWS headers.
    ///
    /// ```
    /// let t = notaverify::Time::parse_rfc3339("2020-11-09T07:00:00-01:00").unwrap();
    /// assert_eq!(t.to_rfc3339(), "2020-11-09T08:00:00Z");
    /// ```
    pub fn parse_rfc3339(value: &str) -> Result<Self, TimeParseError> {
        let err = || TimeParseError { value: value.chars().take(64).collect() };
        // Go's strict parser wants upper-case 'T' and 'Z' and a four-digit year.
        if value.len() > 64 || value.contains(['t', 'z']) || value.as_bytes().get(10) != Some(&b'T') {
            return Err(err());
        }
        let parsed =
            time::OffsetDateTime::parse(value, &time::format_description::well_known::Rfc3339).map_err(|_| err())?;
        Ok(Self::from_total_nanos(parsed.unix_timestamp_nanos()))
    }

    fn to_offset_date_time(self) -> Option<time::OffsetDateTime> {
        time::OffsetDateTime::from_unix_timestamp(self.secs).ok().and_then(|t| t.replace_nanosecond(self.nanos).ok())
    }

    /// RFC 3339 in UTC with a `Z` suffix; fractional seconds only when non-zero.
    pub fn to_rfc3339(&self) -> String {
        match self.to_offset_date_time() {
            Some(t) => {
                t.format(&time::format_description::well_known::Rfc3339).unwrap_or_else(|_| format!("@{}", self.secs))
            }
            None => format!("@{}", self.secs),
        }
    }

    /// The RFC 1123 form with a numeric zone that notation uses in messages
    /// (`Fri, 29 Jul 2022 23:59:00 +0000`).
    pub fn to_rfc1123z(&self) -> String {
        const FORMAT: &[time::format_description::BorrowedFormatItem<'_>] = time::macros::format_description!(
            "[weekday repr:short], [day] [month repr:short] [year] [hour]:[minute]:[second] +0000"
        );
        match self.to_offset_date_time() {
            Some(t) => t.format(FORMAT).unwrap_or_else(|_| self.to_rfc3339()),
            None => self.to_rfc3339(),
        }
    }
}

impl fmt::Display for Time {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.to_rfc3339())
    }
}

impl serde::Serialize for Time {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.to_rfc3339())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rfc3339_round_trips_and_normalises_offsets() {
        let t = Time::parse_rfc3339("2023-01-19T00:21:36-08:00").unwrap();
        assert_eq!(t.to_rfc3339(), "2023-01-19T08:21:36Z");
        assert_eq!(t.unix_seconds(), 1_674_116_496);
        let f = Time::parse_rfc3339("2023-01-19T08:21:36.5Z").unwrap();
        assert_eq!(f.subsec_nanos(), 500_000_000);
        assert!(f > t);
    }

    #[test]
    fn rfc3339_rejects_what_go_rejects() {
        for bad in [
            "2023-01-19 08:21:36Z",
            "2023-01-19t08:21:36Z",
            "2023-01-19T08:21:36z",
            "2023-01-19",
            "",
            "2023-13-01T00:00:00Z",
        ] {
            assert!(Time::parse_rfc3339(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn rfc1123z_matches_notation_messages() {
        let t = Time::parse_rfc3339("2022-07-29T23:59:00Z").unwrap();
        assert_eq!(t.to_rfc1123z(), "Fri, 29 Jul 2022 23:59:00 +0000");
    }

    #[test]
    fn nanosecond_arithmetic_carries() {
        let t = Time::from_unix_nanos(10, 900_000_000).unwrap().saturating_add_nanos(200_000_000);
        assert_eq!((t.unix_seconds(), t.subsec_nanos()), (11, 100_000_000));
        let b = Time::from_unix(0).saturating_add_nanos(-1);
        assert_eq!((b.unix_seconds(), b.subsec_nanos()), (-1, 999_999_999));
    }
}
