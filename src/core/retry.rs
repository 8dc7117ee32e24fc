//! When to try again: exponential backoff with full jitter, and `Retry-After`.

use crate::core::find;
use wasm_telemetry_rules::calendar::days_from_civil;

/// Exponential backoff with full jitter: the n-th retry waits a uniform random time in
/// `[0, min(max, initial × 2ⁿ)]`, unless the server said when (`Retry-After`).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Backoff {
    /// Ceiling of the first wait, in milliseconds.
    pub initial_ms: f64,
    /// Largest ceiling, in milliseconds.
    pub max_ms: f64,
}

impl Default for Backoff {
    fn default() -> Self {
        Self {
            initial_ms: 1000.0,
            max_ms: 60_000.0,
        }
    }
}

/// The longest `Retry-After` honoured: a server asking for more is waited for this long.
pub const MAX_RETRY_AFTER_MS: f64 = 3_600_000.0;

impl Backoff {
    /// The wait before retry number `attempt` (0 for the first), given a uniform `draw` in
    /// `[0, 1)` and the server's `Retry-After` in milliseconds, if any.
    pub fn delay_ms(&self, attempt: u32, draw: f64, retry_after_ms: Option<f64>) -> f64 {
        if let Some(wait) = retry_after_ms {
            return wait.clamp(0.0, MAX_RETRY_AFTER_MS);
        }
        let ceiling = (self.initial_ms * f64::from(1u32 << attempt.min(20))).min(self.max_ms);
        draw.clamp(0.0, 1.0) * ceiling
    }
}

/// Parses a `Retry-After` value, delay-seconds or an HTTP date, into milliseconds from `now_ms`.
pub fn parse_retry_after(value: &str, now_ms: f64) -> Option<f64> {
    let value = value.trim_ascii();
    if !value.is_empty() && value.bytes().all(|b| b.is_ascii_digit()) {
        let seconds: f64 = value
            .bytes()
            .take(9)
            .fold(0.0, |n, b| n * 10.0 + f64::from(b - b'0'));
        return Some(seconds * 1000.0);
    }
    http_date_ms(value).map(|at| (at - now_ms).max(0.0))
}

/// A field of one to four ASCII digits (the integer parser of `str` would cost more wasm than
/// this whole date reader).
fn digits(field: &str) -> Option<i64> {
    let valid = (1..=4).contains(&field.len()) && field.bytes().all(|b| b.is_ascii_digit());
    valid.then(|| field.bytes().fold(0, |n, b| n * 10 + i64::from(b - b'0')))
}

/// Month names as HTTP dates spell them.
const MONTHS: [&str; 12] = [
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
];

/// Milliseconds since the epoch of an IMF-fixdate (`Sun, 06 Nov 1994 08:49:37 GMT`).
pub fn http_date_ms(value: &str) -> Option<f64> {
    let mut parts = find::split(value, " ").filter(|p| !p.is_empty());
    let _weekday = parts.next()?;
    let day = digits(parts.next()?)?;
    let name = parts.next()?;
    let month = MONTHS.iter().position(|m| *m == name)? as i64 + 1;
    let year = digits(parts.next()?)?;
    let mut clock = find::split(parts.next()?, ":");
    let (h, m, s) = (
        digits(clock.next()?)?,
        digits(clock.next()?)?,
        digits(clock.next()?)?,
    );
    if parts.next()? != "GMT" || !(1..=31).contains(&day) || h > 23 || m > 59 || s > 60 {
        return None;
    }
    let days = days_from_civil(year, month, day);
    Some(((days * 86_400 + h * 3600 + m * 60 + s) * 1000) as f64)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ceilings_double_from_one_second_up_to_the_cap() {
        let backoff = Backoff::default();
        let ceilings: std::vec::Vec<f64> = (0..8)
            .map(|n| backoff.delay_ms(n, 0.999_999_9, None).round())
            .collect();
        assert_eq!(
            ceilings,
            [1000.0, 2000.0, 4000.0, 8000.0, 16000.0, 32000.0, 60000.0, 60000.0]
        );
        assert_eq!(backoff.delay_ms(40, 0.5, None), 30_000.0);
    }

    #[test]
    fn full_jitter_spreads_waits_over_the_whole_range() {
        let backoff = Backoff::default();
        assert_eq!(backoff.delay_ms(3, 0.0, None), 0.0);
        assert_eq!(backoff.delay_ms(3, 0.25, None), 2000.0);
    }

    #[test]
    fn retry_after_wins_and_is_bounded() {
        let backoff = Backoff::default();
        assert_eq!(backoff.delay_ms(0, 0.9, Some(5000.0)), 5000.0);
        assert_eq!(backoff.delay_ms(0, 0.9, Some(1e12)), MAX_RETRY_AFTER_MS);
    }

    #[test]
    fn retry_after_in_seconds_and_as_an_http_date() {
        assert_eq!(parse_retry_after("120", 0.0), Some(120_000.0));
        assert_eq!(parse_retry_after(" 0 ", 0.0), Some(0.0));
        let date = http_date_ms("Sun, 06 Nov 1994 08:49:37 GMT").unwrap();
        assert_eq!(date, 784_111_777_000.0);
        assert_eq!(
            parse_retry_after("Sun, 06 Nov 1994 08:49:47 GMT", date),
            Some(10_000.0)
        );
        assert_eq!(
            parse_retry_after("Sun, 06 Nov 1994 08:49:27 GMT", date),
            Some(0.0)
        );
        assert_eq!(http_date_ms("Thu, 01 Jan 1970 00:00:00 GMT"), Some(0.0));
        assert_eq!(
            http_date_ms("Tue, 29 Feb 2028 12:00:00 GMT"),
            Some(1_835_438_400_000.0)
        );
        for bad in [
            "",
            "soon",
            "-5",
            "1.5",
            "Sun, 06 Nov 1994 08:49:37 PST",
            "Sun, 32 Nov 1994 08:49:37 GMT",
            "Sun, +6 Nov 1994 08:49:37 GMT",
            "Sun, 06 Nov 19945 08:49:37 GMT",
            "Sun, 06 Nov 1994 08:4a:37 GMT",
        ] {
            assert_eq!(parse_retry_after(bad, 0.0), None, "{bad}");
        }
    }
}
