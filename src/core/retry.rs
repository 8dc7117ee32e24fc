//! When to try again: exponential backoff with full jitter, and `Retry-After`.

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

/// A `Retry-After` value in milliseconds from `now_ms`: delay-seconds, or else an HTTP date,
/// which the page has read as `date_ms` (milliseconds since the epoch, as `Date.parse` reads
/// it; NaN when it is no date). A date in the past means now.
pub fn parse_retry_after(value: &str, date_ms: f64, now_ms: f64) -> Option<f64> {
    let value = value.trim_ascii();
    if !value.is_empty() && value.bytes().all(|b| b.is_ascii_digit()) {
        let seconds: f64 = value
            .bytes()
            .take(9)
            .fold(0.0, |n, b| n * 10.0 + f64::from(b - b'0'));
        return Some(seconds * 1000.0);
    }
    date_ms.is_finite().then(|| (date_ms - now_ms).max(0.0))
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
        let now = 784_111_777_000.0;
        assert_eq!(parse_retry_after("120", f64::NAN, 0.0), Some(120_000.0));
        assert_eq!(parse_retry_after(" 0 ", f64::NAN, 0.0), Some(0.0));
        // Date.parse reads a number as a year: delay-seconds are never taken for a date.
        assert_eq!(
            parse_retry_after("120", -58_285_324_800_000.0, now),
            Some(120_000.0)
        );
        let date = "Sun, 06 Nov 1994 08:49:47 GMT";
        assert_eq!(parse_retry_after(date, now + 10_000.0, now), Some(10_000.0));
        assert_eq!(parse_retry_after(date, now - 10_000.0, now), Some(0.0));
        for bad in ["", "soon", "-5", "1.5"] {
            assert_eq!(parse_retry_after(bad, f64::NAN, now), None, "{bad}");
        }
    }
}
