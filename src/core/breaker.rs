//! A circuit breaker: stop hammering a dead endpoint, probe it after a cool-down.

named_enum! {
    /// The breaker's state, as `getBufferStatus().breaker` reports it.
    #[derive(Debug, Clone, Copy, PartialEq, Eq)]
    pub enum BreakerState {
        /// Sending normally.
        Closed = "closed",
        /// Too many consecutive failures: nothing is sent until the cool-down ends.
        Open = "open",
        /// Cool-down over: one probe is allowed; its success closes the breaker, its failure
        /// opens it again.
        HalfOpen = "half-open",
    }
}

/// Counts consecutive failures and opens after `threshold` of them for `cooldown_ms`.
#[derive(Debug, Clone)]
pub struct Breaker {
    threshold: u32,
    cooldown_ms: f64,
    failures: u32,
    opened_at_ms: Option<f64>,
}

impl Breaker {
    /// A closed breaker.
    pub fn new(threshold: u32, cooldown_ms: f64) -> Self {
        Self {
            threshold: threshold.max(1),
            cooldown_ms,
            failures: 0,
            opened_at_ms: None,
        }
    }

    /// The state at `now_ms`.
    pub fn state(&self, now_ms: f64) -> BreakerState {
        match self.opened_at_ms {
            None => BreakerState::Closed,
            Some(at) if now_ms - at >= self.cooldown_ms || now_ms < at => BreakerState::HalfOpen,
            Some(_) => BreakerState::Open,
        }
    }

    /// Whether a send may start at `now_ms`.
    pub fn allows(&self, now_ms: f64) -> bool {
        self.state(now_ms) != BreakerState::Open
    }

    /// Milliseconds until a probe is allowed (0 when sending is allowed now).
    pub fn wait_ms(&self, now_ms: f64) -> f64 {
        match (self.state(now_ms), self.opened_at_ms) {
            (BreakerState::Open, Some(at)) => (at + self.cooldown_ms - now_ms).max(0.0),
            _ => 0.0,
        }
    }

    /// A send succeeded: close.
    pub fn record_success(&mut self) {
        self.failures = 0;
        self.opened_at_ms = None;
    }

    /// A send failed at `now_ms`: a failed probe reopens, enough failures open.
    pub fn record_failure(&mut self, now_ms: f64) {
        self.failures = self.failures.saturating_add(1);
        if self.opened_at_ms.is_some() || self.failures >= self.threshold {
            self.opened_at_ms = Some(now_ms);
        }
    }

    /// Consecutive failures so far.
    pub fn failures(&self) -> u32 {
        self.failures
    }
}

#[cfg(test)]
mod tests {
    use super::BreakerState::*;
    use super::*;

    #[test]
    fn opens_after_the_threshold_and_half_opens_after_the_cool_down() {
        let mut breaker = Breaker::new(3, 1000.0);
        breaker.record_failure(0.0);
        breaker.record_failure(1.0);
        assert_eq!(breaker.state(2.0), Closed);
        breaker.record_failure(2.0);
        assert_eq!(breaker.state(3.0), Open);
        assert!(!breaker.allows(500.0));
        assert_eq!(breaker.wait_ms(502.0), 500.0);
        assert_eq!(breaker.state(1002.0), HalfOpen);
        assert!(breaker.allows(1002.0));
    }

    #[test]
    fn a_failed_probe_reopens_and_a_success_closes() {
        let mut breaker = Breaker::new(1, 1000.0);
        breaker.record_failure(0.0);
        breaker.record_failure(1500.0);
        assert_eq!(breaker.state(1600.0), Open);
        assert_eq!(breaker.state(2500.0), HalfOpen);
        breaker.record_success();
        assert_eq!((breaker.state(2501.0), breaker.failures()), (Closed, 0));
    }

    #[test]
    fn successes_reset_the_count_of_consecutive_failures() {
        let mut breaker = Breaker::new(2, 1000.0);
        breaker.record_failure(0.0);
        breaker.record_success();
        breaker.record_failure(1.0);
        assert_eq!(breaker.state(2.0), Closed);
    }
}
