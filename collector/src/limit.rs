//! Per-key token buckets: each key may make `rate` requests per second, in bursts of up to
//! `rate` (at least one).

use std::collections::HashMap;
use std::sync::Mutex;

struct Bucket {
    tokens: f64,
    updated: f64,
}

/// The ingest rate limit.
pub struct RateLimiter {
    rate: f64,
    burst: f64,
    buckets: Mutex<HashMap<String, Bucket>>,
}

/// Keys tracked before idle full buckets are forgotten.
const MAX_KEYS: usize = 10_000;

impl RateLimiter {
    /// `rate` requests per second per key; 0 disables the limit.
    pub fn new(rate: f64) -> Self {
        Self {
            rate,
            burst: rate.max(1.0),
            buckets: Mutex::new(HashMap::new()),
        }
    }

    /// Takes one request of `key` at `now_s` seconds; `Err` holds the seconds until it would be
    /// allowed.
    pub fn take(&self, key: &str, now_s: f64) -> Result<(), f64> {
        if self.rate <= 0.0 {
            return Ok(());
        }
        let mut buckets = self.buckets.lock().unwrap_or_else(|p| p.into_inner());
        if buckets.len() >= MAX_KEYS && !buckets.contains_key(key) {
            let (rate, burst) = (self.rate, self.burst);
            buckets.retain(|_, b| b.tokens + (now_s - b.updated) * rate < burst);
        }
        let bucket = buckets.entry(key.to_string()).or_insert(Bucket {
            tokens: self.burst,
            updated: now_s,
        });
        bucket.tokens =
            (bucket.tokens + (now_s - bucket.updated).max(0.0) * self.rate).min(self.burst);
        bucket.updated = now_s;
        if bucket.tokens >= 1.0 {
            bucket.tokens -= 1.0;
            Ok(())
        } else {
            Err((1.0 - bucket.tokens) / self.rate)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_key_gets_its_burst_then_its_rate_and_other_keys_are_independent() {
        let limiter = RateLimiter::new(2.0);
        assert_eq!(limiter.take("a", 0.0), Ok(()));
        assert_eq!(limiter.take("a", 0.0), Ok(()));
        assert_eq!(limiter.take("a", 0.0), Err(0.5));
        assert_eq!(limiter.take("b", 0.0), Ok(()));
        assert_eq!(limiter.take("a", 0.5), Ok(()));
        assert_eq!(limiter.take("a", 0.5), Err(0.5));
        // Idle time refills up to the burst only.
        assert_eq!(limiter.take("a", 100.0), Ok(()));
        assert_eq!(limiter.take("a", 100.0), Ok(()));
        assert!(limiter.take("a", 100.0).is_err());
    }

    #[test]
    fn zero_means_unlimited_and_fractional_rates_wait_longer() {
        let unlimited = RateLimiter::new(0.0);
        assert!((0..1000).all(|_| unlimited.take("k", 0.0).is_ok()));
        let slow = RateLimiter::new(0.5);
        assert_eq!(slow.take("k", 0.0), Ok(()));
        assert_eq!(slow.take("k", 0.0), Err(2.0));
    }
}
