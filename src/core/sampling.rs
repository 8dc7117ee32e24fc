//! Sampling and throttling decisions.

use crate::core::config::{Config, SamplingStrategy};

/// Why an event was or was not admitted.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Admission {
    /// Keep the event.
    Keep,
    /// Dropped by the sampling strategy (`never`, or a probabilistic miss).
    Sampled,
    /// Dropped because the throttling window is full.
    Throttled,
}

/// Tracks the current throttling window.
#[derive(Debug, Clone, Default)]
pub struct Sampler {
    window_start_ms: Option<f64>,
    kept_in_window: u32,
}

impl Sampler {
    /// Decides whether to keep an event seen at `now_ms`, given a uniform `draw` in `[0, 1)`.
    pub fn admit(&mut self, config: &Config, now_ms: f64, draw: f64) -> Admission {
        match config.sampling {
            SamplingStrategy::Always => Admission::Keep,
            SamplingStrategy::Never => Admission::Sampled,
            SamplingStrategy::Probabilistic if draw < config.sampling_rate => Admission::Keep,
            SamplingStrategy::Probabilistic => Admission::Sampled,
            SamplingStrategy::Throttled => self.admit_throttled(config, now_ms),
        }
    }

    fn admit_throttled(&mut self, config: &Config, now_ms: f64) -> Admission {
        let window = f64::from(config.throttle_window_ms);
        // The first event opens a window; a clock that went backwards also starts a new one
        // rather than blocking forever.
        let expired = self
            .window_start_ms
            .is_none_or(|start| now_ms - start >= window || now_ms < start);
        if expired {
            self.window_start_ms = Some(now_ms);
            self.kept_in_window = 0;
        }
        if self.kept_in_window < config.max_events_per_window {
            self.kept_in_window += 1;
            Admission::Keep
        } else {
            Admission::Throttled
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::random::Rng;

    fn config(sampling: SamplingStrategy) -> Config {
        Config {
            sampling,
            ..Config::default()
        }
    }

    #[test]
    fn always_keeps_and_never_drops() {
        let mut sampler = Sampler::default();
        assert_eq!(
            sampler.admit(&config(SamplingStrategy::Always), 0.0, 0.99),
            Admission::Keep
        );
        assert_eq!(
            sampler.admit(&config(SamplingStrategy::Never), 0.0, 0.0),
            Admission::Sampled
        );
    }

    #[test]
    fn probabilistic_keeps_about_the_configured_share() {
        let config = Config {
            sampling_rate: 0.25,
            ..config(SamplingStrategy::Probabilistic)
        };
        let mut sampler = Sampler::default();
        let mut rng = Rng::from_seed([11; 32]);
        let kept = (0..40_000)
            .filter(|_| sampler.admit(&config, 0.0, rng.next_f64()) == Admission::Keep)
            .count();
        assert!((9_500..10_500).contains(&kept), "kept {kept}");
    }

    #[test]
    fn probabilistic_rate_zero_keeps_nothing_and_one_keeps_everything() {
        let mut sampler = Sampler::default();
        let zero = Config {
            sampling_rate: 0.0,
            ..config(SamplingStrategy::Probabilistic)
        };
        let one = Config {
            sampling_rate: 1.0,
            ..config(SamplingStrategy::Probabilistic)
        };
        assert_eq!(sampler.admit(&zero, 0.0, 0.0), Admission::Sampled);
        assert_eq!(sampler.admit(&one, 0.0, 0.999_999), Admission::Keep);
    }

    #[test]
    fn throttling_caps_each_window_and_reopens_after_it() {
        let config = Config {
            throttle_window_ms: 1000,
            max_events_per_window: 3,
            ..config(SamplingStrategy::Throttled)
        };
        let mut sampler = Sampler::default();
        let first: Vec<_> = (0..5)
            .map(|i| sampler.admit(&config, 10.0 + f64::from(i), 0.0))
            .collect();
        assert_eq!(first.iter().filter(|a| **a == Admission::Keep).count(), 3);
        assert_eq!(first[3], Admission::Throttled);
        assert_eq!(sampler.admit(&config, 1009.0, 0.0), Admission::Throttled);
        assert_eq!(sampler.admit(&config, 1010.0, 0.0), Admission::Keep);
    }

    #[test]
    fn a_clock_that_goes_backwards_does_not_block_throttling() {
        let config = Config {
            max_events_per_window: 1,
            ..config(SamplingStrategy::Throttled)
        };
        let mut sampler = Sampler::default();
        assert_eq!(sampler.admit(&config, 50_000.0, 0.0), Admission::Keep);
        assert_eq!(sampler.admit(&config, 50_001.0, 0.0), Admission::Throttled);
        assert_eq!(sampler.admit(&config, 10.0, 0.0), Admission::Keep);
    }
}
