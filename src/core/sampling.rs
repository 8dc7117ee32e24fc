//! Sampling and throttling decisions.

use crate::core::config::{Config, SamplingStrategy};
use crate::core::trace::span::SPAN_EVENT;
use wasm_telemetry_rules::events::ERROR_EVENT;

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

/// A fixed throttling window: the first N events of each window pass.
#[derive(Debug, Clone, Default)]
struct Window {
    start_ms: Option<f64>,
    kept: u32,
}

impl Window {
    fn admit(&mut self, now_ms: f64, length_ms: f64, limit: u32) -> Admission {
        // The first event opens a window; a clock that went backwards also starts a new one
        // rather than blocking forever.
        let expired = self
            .start_ms
            .is_none_or(|start| now_ms - start >= length_ms || now_ms < start);
        if expired {
            self.start_ms = Some(now_ms);
            self.kept = 0;
        }
        if self.kept < limit {
            self.kept += 1;
            Admission::Keep
        } else {
            Admission::Throttled
        }
    }
}

/// Sampling state: one throttling window for errors and one for everything else, so an error
/// storm cannot use up the budget of other events (nor the reverse).
#[derive(Debug, Clone, Default)]
pub struct Sampler {
    events: Window,
    errors: Window,
}

impl Sampler {
    /// Decides whether to keep an event of type `kind` seen at `now_ms`, given a uniform
    /// `draw` in `[0, 1)`. Errors have their own rate and window; a span was sampled with its
    /// trace ([`keeps_trace`]), so a probabilistic draw does not drop it again.
    pub fn admit(&mut self, config: &Config, now_ms: f64, draw: f64, kind: &str) -> Admission {
        let is_error = kind == ERROR_EVENT;
        let rate = if is_error {
            config.error_sampling_rate
        } else {
            config.sampling_rate
        };
        let window = f64::from(config.throttle_window_ms);
        match config.sampling {
            SamplingStrategy::Always => Admission::Keep,
            SamplingStrategy::Never => Admission::Sampled,
            SamplingStrategy::Probabilistic
                if draw < rate || (cfg!(feature = "tracing") && kind == SPAN_EVENT) =>
            {
                Admission::Keep
            }
            SamplingStrategy::Probabilistic => Admission::Sampled,
            SamplingStrategy::Throttled if is_error => {
                self.errors
                    .admit(now_ms, window, config.max_errors_per_window)
            }
            SamplingStrategy::Throttled => {
                self.events
                    .admit(now_ms, window, config.max_events_per_window)
            }
        }
    }
}

/// Whether a new trace is kept, decided once at its head given a uniform `draw` in `[0, 1)`:
/// with probability `tracesSampleRate`. Its spans then pass as events do, except that a
/// probabilistic draw does not drop them again (see [`Sampler::admit`]).
pub fn keeps_trace(config: &Config, draw: f64) -> bool {
    draw < config.traces_sample_rate
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
            sampler.admit(&config(SamplingStrategy::Always), 0.0, 0.99, "x"),
            Admission::Keep
        );
        assert_eq!(
            sampler.admit(&config(SamplingStrategy::Never), 0.0, 0.0, "x"),
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
            .filter(|_| sampler.admit(&config, 0.0, rng.next_f64(), "x") == Admission::Keep)
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
        assert_eq!(sampler.admit(&zero, 0.0, 0.0, "x"), Admission::Sampled);
        assert_eq!(sampler.admit(&one, 0.0, 0.999_999, "x"), Admission::Keep);
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
            .map(|i| sampler.admit(&config, 10.0 + f64::from(i), 0.0, "x"))
            .collect();
        assert_eq!(first.iter().filter(|a| **a == Admission::Keep).count(), 3);
        assert_eq!(first[3], Admission::Throttled);
        assert_eq!(
            sampler.admit(&config, 1009.0, 0.0, "x"),
            Admission::Throttled
        );
        assert_eq!(sampler.admit(&config, 1010.0, 0.0, "x"), Admission::Keep);
    }

    #[test]
    fn a_clock_that_goes_backwards_does_not_block_throttling() {
        let config = Config {
            max_events_per_window: 1,
            ..config(SamplingStrategy::Throttled)
        };
        let mut sampler = Sampler::default();
        assert_eq!(sampler.admit(&config, 50_000.0, 0.0, "x"), Admission::Keep);
        assert_eq!(
            sampler.admit(&config, 50_001.0, 0.0, "x"),
            Admission::Throttled
        );
        assert_eq!(sampler.admit(&config, 10.0, 0.0, "x"), Admission::Keep);
    }

    #[test]
    fn errors_have_their_own_throttling_budget_and_sampling_rate() {
        let budgets = Config {
            max_events_per_window: 2,
            max_errors_per_window: 3,
            ..config(SamplingStrategy::Throttled)
        };
        let mut sampler = Sampler::default();
        let errors = (0..10)
            .filter(|_| sampler.admit(&budgets, 1.0, 0.0, "error") == Admission::Keep)
            .count();
        let events = (0..10)
            .filter(|_| sampler.admit(&budgets, 1.0, 0.0, "x") == Admission::Keep)
            .count();
        assert_eq!((errors, events), (3, 2));

        let rates = Config {
            sampling_rate: 0.0,
            error_sampling_rate: 1.0,
            ..config(SamplingStrategy::Probabilistic)
        };
        assert_eq!(sampler.admit(&rates, 1.0, 0.5, "x"), Admission::Sampled);
        assert_eq!(sampler.admit(&rates, 1.0, 0.5, "error"), Admission::Keep);
    }

    #[cfg(feature = "tracing")]
    #[test]
    fn a_trace_is_sampled_at_its_head_and_its_spans_are_not_drawn_again() {
        let rate = Config {
            sampling_rate: 0.3,
            traces_sample_rate: 0.3,
            ..config(SamplingStrategy::Probabilistic)
        };
        assert!(keeps_trace(&rate, 0.29) && !keeps_trace(&rate, 0.3));
        assert!(
            !keeps_trace(&Config::default(), 0.0),
            "by default no trace is kept"
        );
        let all = Config {
            traces_sample_rate: 1.0,
            ..Config::default()
        };
        assert!(keeps_trace(&all, 0.999_999));
        let mut sampler = Sampler::default();
        assert_eq!(sampler.admit(&rate, 1.0, 0.9, SPAN_EVENT), Admission::Keep);
        assert_eq!(sampler.admit(&rate, 1.0, 0.9, "x"), Admission::Sampled);
        let never = config(SamplingStrategy::Never);
        assert_eq!(
            sampler.admit(&never, 1.0, 0.0, SPAN_EVENT),
            Admission::Sampled
        );
    }
}
