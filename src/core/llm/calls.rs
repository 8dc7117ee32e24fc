//! The recent LLM calls of a page and their aggregates by model, provider, user or space.

use crate::core::grouping::group;
use crate::core::llm::usage::Usage;
use crate::core::recent::Recent;
use crate::core::stats::{summarize, Summary};
use alloc::string::String;
use alloc::vec;
use alloc::vec::Vec;

/// Calls kept for aggregates, alert rules and forecasts; older ones are forgotten.
pub const CALL_LOG_CAPACITY: usize = 10_000;

/// One recorded LLM call.
#[derive(Debug, Clone, PartialEq)]
pub struct Call {
    /// When it was recorded, in ms since the epoch.
    pub at_ms: f64,
    /// Provider name (`openai`, `anthropic`, `gemini` or the caller's).
    pub provider: String,
    /// Model id as given.
    pub model: String,
    /// The application's user id (kept in memory only, never sent).
    pub user: Option<String>,
    /// The application's space, workspace or tenant.
    pub space: Option<String>,
    /// Normalised usage.
    pub usage: Usage,
    /// End-to-end latency.
    pub latency_ms: Option<f64>,
    /// Whether the call succeeded.
    pub success: bool,
    /// The error's type when it failed.
    pub error_type: Option<String>,
    /// Total cost in USD; `None` when unpriced or usage unknown.
    pub cost: Option<f64>,
}

named_enum! {
    /// The dimension `getSummary` groups by.
    #[derive(Debug, Clone, Copy, PartialEq, Eq)]
    pub enum GroupBy {
        /// The model id.
        Model = "model",
        /// The provider name.
        Provider = "provider",
        /// The application's user id.
        User = "user",
        /// The application's space.
        Space = "space",
    }
}

/// Group key of calls without a user or space.
pub const NO_KEY: &str = "(none)";

impl GroupBy {
    fn key(self, call: &Call) -> &str {
        match self {
            Self::Model => &call.model,
            Self::Provider => &call.provider,
            Self::User => call.user.as_deref().unwrap_or(NO_KEY),
            Self::Space => call.space.as_deref().unwrap_or(NO_KEY),
        }
    }
}

/// Aggregates of a set of calls.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct CallSummary {
    /// Calls.
    pub requests: u64,
    /// Calls per minute over the summarised span.
    pub requests_per_minute: f64,
    /// Input tokens, cached ones included.
    pub input_tokens: u64,
    /// Output tokens, reasoning included.
    pub output_tokens: u64,
    /// `input_tokens + output_tokens`.
    pub total_tokens: u64,
    /// Input tokens read from a cache.
    pub cache_read_tokens: u64,
    /// Calls whose usage was not reported (their tokens are unknown, not zero).
    pub unknown_usage: u64,
    /// Cost in USD of the priced calls.
    pub total_cost: f64,
    /// Calls that could not be priced (unknown model or usage).
    pub unpriced: u64,
    /// Latency summary of the calls that reported one.
    pub latency: Option<Summary>,
    /// Failed calls.
    pub errors: u64,
    /// `errors / requests`.
    pub error_rate: f64,
    /// Failed calls by error type (`unknown` when none was given), in order of first appearance.
    pub errors_by_type: Vec<(String, u64)>,
    /// Calls that read tokens from a prompt cache.
    pub cache_hits: u64,
    /// Calls that did not.
    pub cache_misses: u64,
    /// `cache_hits / requests`.
    pub cache_hit_rate: f64,
}

fn ratio(part: u64, whole: u64) -> f64 {
    if whole == 0 {
        0.0
    } else {
        part as f64 / whole as f64
    }
}

impl CallSummary {
    // One copy, however many callers: this is the bulk of the aggregation code.
    #[inline(never)]
    fn of(calls: &mut dyn Iterator<Item = &Call>, span_ms: f64) -> Self {
        let mut s = Self::default();
        let mut latencies = Vec::new();
        for call in calls {
            s.requests += 1;
            let usage = &call.usage;
            // Counts come from the application: saturate rather than wrap.
            s.input_tokens = s.input_tokens.saturating_add(usage.input.unwrap_or(0));
            s.output_tokens = s.output_tokens.saturating_add(usage.output.unwrap_or(0));
            s.cache_read_tokens = s
                .cache_read_tokens
                .saturating_add(usage.cache_read.unwrap_or(0));
            s.unknown_usage += u64::from(usage.is_unknown());
            match call.cost {
                Some(cost) => s.total_cost += cost,
                None => s.unpriced += 1,
            }
            latencies.extend(call.latency_ms.filter(|ms| ms.is_finite()));
            if !call.success {
                s.errors += 1;
                let kind = call.error_type.as_deref().unwrap_or("unknown");
                match s.errors_by_type.iter_mut().find(|(k, _)| k == kind) {
                    Some((_, n)) => *n += 1,
                    None => s.errors_by_type.push((kind.into(), 1)),
                }
            }
            if usage.cache_read.unwrap_or(0) > 0 {
                s.cache_hits += 1;
            }
        }
        s.total_tokens = s.input_tokens.saturating_add(s.output_tokens);
        s.cache_misses = s.requests - s.cache_hits;
        s.error_rate = ratio(s.errors, s.requests);
        s.cache_hit_rate = ratio(s.cache_hits, s.requests);
        s.requests_per_minute = if span_ms > 0.0 {
            s.requests as f64 / (span_ms / 60_000.0)
        } else {
            0.0
        };
        s.latency = summarize(latencies);
        s
    }
}

/// The latest calls, oldest first.
#[derive(Debug, Clone)]
pub struct CallLog {
    calls: Recent<Call>,
}

impl Default for CallLog {
    fn default() -> Self {
        Self {
            calls: Recent::new(CALL_LOG_CAPACITY),
        }
    }
}

impl CallLog {
    /// Records a call, forgetting the oldest beyond `CALL_LOG_CAPACITY`.
    pub fn push(&mut self, call: Call) {
        self.calls.push(call);
    }

    /// The calls, oldest first.
    pub fn iter(&self) -> impl Iterator<Item = &Call> {
        self.calls.iter()
    }

    /// The calls recorded in the last `window_ms` before `now_ms`, summarised.
    pub fn total(&self, window_ms: f64, now_ms: f64) -> CallSummary {
        let start = now_ms - window_ms;
        CallSummary::of(
            &mut self.calls.iter().filter(|c| c.at_ms > start),
            window_ms,
        )
    }

    /// Calls recorded in the last `window_ms` before `now_ms`, or since `since_ms` when no window
    /// is given (a call made at `since_ms` itself included), summarised in total and per key of
    /// `group_by`, keys in order of first appearance.
    pub fn summary(
        &self,
        group_by: GroupBy,
        window_ms: Option<f64>,
        since_ms: f64,
        now_ms: f64,
    ) -> (CallSummary, Vec<(String, CallSummary)>) {
        let start = window_ms.map_or(since_ms, |w| now_ms - w);
        let span = now_ms - start;
        let (mut recent, mut keys) = (Vec::new(), Vec::new());
        let counted = |call: &&Call| match window_ms {
            Some(_) => call.at_ms > start,
            None => call.at_ms >= start,
        };
        for call in self.calls.iter().filter(counted) {
            recent.push(call);
            keys.push(group_by.key(call));
        }
        let grouped = group(&keys);
        // The calls ordered by group (a counting sort), each group's calls one slice.
        // Every group index is in range; `get` keeps bounds-check panics out of the wasm.
        let mut ends = vec![0usize; grouped.keys.len()];
        for &index in &grouped.group_of {
            if let Some(end) = ends.get_mut(index as usize) {
                *end += 1;
            }
        }
        let mut next = 0;
        for end in ends.iter_mut() {
            next += *end;
            *end = next;
        }
        let mut ordered = recent.clone();
        for (call, &index) in recent.iter().zip(&grouped.group_of).rev() {
            if let Some(end) = ends.get_mut(index as usize) {
                *end -= 1;
                if let Some(slot) = ordered.get_mut(*end) {
                    *slot = call;
                }
            }
        }
        // `ends` now holds each group's start.
        let mut groups = Vec::with_capacity(grouped.keys.len());
        for (index, key) in grouped.keys.iter().enumerate() {
            let stop = ends.get(index + 1).copied().unwrap_or(ordered.len());
            let start = ends.get(index).copied().unwrap_or(stop);
            let calls = ordered.get(start..stop).unwrap_or_default();
            groups.push((
                String::from(*key),
                CallSummary::of(&mut calls.iter().copied(), span),
            ));
        }
        (CallSummary::of(&mut recent.iter().copied(), span), groups)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::random::Rng;

    fn random_call(rng: &mut Rng, at_ms: f64) -> Call {
        let pick = |rng: &mut Rng, options: &[&str]| {
            String::from(options[(rng.next_f64() * options.len() as f64) as usize])
        };
        let tokens = |rng: &mut Rng| (rng.next_f64() > 0.1).then(|| rng.next_u64() % 5_000);
        let success = rng.next_f64() > 0.2;
        let usage = Usage {
            input: tokens(rng),
            output: tokens(rng),
            cache_read: (rng.next_f64() > 0.5).then(|| rng.next_u64() % 100),
            ..Usage::default()
        };
        Call {
            at_ms,
            provider: pick(rng, &["openai", "anthropic", "gemini"]),
            model: pick(rng, &["gpt-4o", "claude-haiku-4-5", "gemini-2.5-pro", "o3"]),
            user: (rng.next_f64() > 0.3).then(|| pick(rng, &["u1", "u2", "u3", "u4", "u5"])),
            space: (rng.next_f64() > 0.3).then(|| pick(rng, &["docs", "chat"])),
            usage,
            latency_ms: (rng.next_f64() > 0.1).then(|| rng.next_f64() * 8_000.0),
            success,
            error_type: (!success && rng.next_f64() > 0.3)
                .then(|| pick(rng, &["timeout", "rate_limit", "server"])),
            cost: (rng.next_f64() > 0.2).then(|| rng.next_f64() / 10.0),
        }
    }

    #[test]
    fn a_known_set_of_calls_is_summarised_exactly() {
        let mut log = CallLog::default();
        let call = |model: &str, input, output, cached, ok, latency, cost| Call {
            at_ms: 1_000.0,
            provider: "openai".into(),
            model: model.into(),
            user: None,
            space: None,
            usage: Usage {
                input: Some(input),
                output: Some(output),
                cache_read: Some(cached),
                ..Usage::default()
            },
            latency_ms: Some(latency),
            success: ok,
            error_type: (!ok).then(|| "timeout".into()),
            cost: Some(cost),
        };
        log.push(call("gpt-4o", 100, 10, 50, true, 200.0, 0.5));
        log.push(call("gpt-4o", 300, 30, 0, false, 400.0, 0.25));
        log.push(call("o3", 1000, 100, 0, true, 900.0, 1.0));
        let (total, groups) = log.summary(GroupBy::Model, None, 0.0, 60_000.0);
        assert_eq!((total.requests, total.total_tokens), (3, 1540));
        assert_eq!(total.requests_per_minute, 3.0);
        assert_eq!((total.errors, total.error_rate), (1, 1.0 / 3.0));
        assert_eq!(total.errors_by_type, [("timeout".into(), 1)]);
        assert_eq!((total.cache_hits, total.cache_misses), (1, 2));
        assert_eq!(total.total_cost, 1.75);
        let latency = total.latency.unwrap();
        assert_eq!(
            (latency.p50, latency.p99, latency.avg),
            (400.0, 900.0, 500.0)
        );
        assert_eq!(groups.len(), 2);
        assert_eq!(groups[0].0, "gpt-4o");
        assert_eq!((groups[0].1.requests, groups[0].1.input_tokens), (2, 400));
        assert_eq!(groups[0].1.error_rate, 0.5);
        assert_eq!(groups[1].1.cache_hit_rate, 0.0);
        // Since a start: calls made at the start itself count (an LlmTelemetry's first call can
        // fall in the millisecond it was created). A window ends just after its oldest edge.
        let (since, _) = log.summary(GroupBy::Model, None, 1_000.0, 61_000.0);
        assert_eq!(since.requests, 3);
        let (windowed, _) = log.summary(GroupBy::Model, Some(60_000.0), 0.0, 61_000.0);
        assert_eq!(windowed.requests, 0);
        let (windowed, _) = log.summary(GroupBy::Model, Some(60_000.0), 0.0, 60_999.0);
        assert_eq!(windowed.requests, 3);
    }

    #[test]
    fn unknown_usage_and_unpriced_calls_are_counted_not_zeroed() {
        let mut log = CallLog::default();
        log.push(Call {
            at_ms: 5.0,
            provider: "acme".into(),
            model: "mystery".into(),
            user: None,
            space: None,
            usage: Usage::default(),
            latency_ms: None,
            success: true,
            error_type: None,
            cost: None,
        });
        let (total, groups) = log.summary(GroupBy::User, None, 0.0, 10.0);
        assert_eq!((total.unknown_usage, total.unpriced), (1, 1));
        assert_eq!(total.latency, None);
        assert_eq!(groups[0].0, NO_KEY);
    }

    #[test]
    fn absurd_token_counts_saturate_instead_of_wrapping() {
        let mut log = CallLog::default();
        for _ in 0..2 {
            log.push(Call {
                at_ms: 1.0,
                provider: "p".into(),
                model: "m".into(),
                user: None,
                space: None,
                usage: Usage {
                    input: Some(u64::MAX),
                    output: Some(u64::MAX),
                    ..Usage::default()
                },
                latency_ms: None,
                success: true,
                error_type: None,
                cost: None,
            });
        }
        let total = log.total(10.0, 2.0);
        assert_eq!(
            (total.input_tokens, total.total_tokens),
            (u64::MAX, u64::MAX)
        );
    }

    #[test]
    fn the_log_keeps_only_the_latest_calls() {
        let mut rng = Rng::from_seed([3; 32]);
        let mut log = CallLog::default();
        for i in 0..CALL_LOG_CAPACITY + 5 {
            log.push(random_call(&mut rng, i as f64));
        }
        assert_eq!(log.iter().count(), CALL_LOG_CAPACITY);
        assert_eq!(log.iter().next().unwrap().at_ms, 5.0);
    }

    /// The aggregation invariants on random calls: sums by every dimension equal the totals, total
    /// tokens = input + output, error rate = errors / requests, errors by type add up to errors,
    /// cache hits + misses = requests, and a window counts exactly the calls inside it.
    #[test]
    fn aggregates_keep_the_seed_invariants_on_random_calls() {
        let mut rng = Rng::from_seed([17; 32]);
        for round in 0..300 {
            let mut log = CallLog::default();
            let n = (rng.next_f64() * 200.0) as usize;
            let mut at = 0.0;
            for _ in 0..n {
                at += rng.next_f64() * 10_000.0;
                log.push(random_call(&mut rng, at));
            }
            let now = at + 1.0;
            let window = (round % 2 == 0).then(|| rng.next_f64() * now);
            let start = window.map_or(0.0, |w| now - w);
            let inside: Vec<&Call> = log.iter().filter(|c| c.at_ms > start).collect();
            for group_by in [
                GroupBy::Model,
                GroupBy::Provider,
                GroupBy::User,
                GroupBy::Space,
            ] {
                let (total, groups) = log.summary(group_by, window, 0.0, now);
                assert_eq!(total.requests as usize, inside.len());
                let sum =
                    |f: fn(&CallSummary) -> u64| groups.iter().map(|(_, g)| f(g)).sum::<u64>();
                assert_eq!(sum(|g| g.requests), total.requests);
                assert_eq!(sum(|g| g.input_tokens), total.input_tokens);
                assert_eq!(sum(|g| g.output_tokens), total.output_tokens);
                assert_eq!(sum(|g| g.cache_read_tokens), total.cache_read_tokens);
                assert_eq!(sum(|g| g.errors), total.errors);
                assert_eq!(sum(|g| g.cache_hits), total.cache_hits);
                let cost: f64 = groups.iter().map(|(_, g)| g.total_cost).sum();
                assert!((cost - total.total_cost).abs() < 1e-9);
                for (key, g) in groups
                    .iter()
                    .map(|(k, g)| (k, g))
                    .chain([(&String::new(), &total)])
                {
                    assert_eq!(g.total_tokens, g.input_tokens + g.output_tokens, "{key}");
                    assert_eq!(g.error_rate, g.errors as f64 / g.requests.max(1) as f64);
                    assert_eq!(
                        g.errors_by_type.iter().map(|(_, n)| n).sum::<u64>(),
                        g.errors
                    );
                    assert_eq!(g.cache_hits + g.cache_misses, g.requests);
                    assert_eq!(
                        g.cache_hit_rate,
                        g.cache_hits as f64 / g.requests.max(1) as f64
                    );
                }
                // Each group is, by definition, the summary of its key's calls; keys are listed
                // in order of first appearance.
                let mut keys: Vec<&str> = Vec::new();
                for call in &inside {
                    if !keys.contains(&group_by.key(call)) {
                        keys.push(group_by.key(call));
                    }
                }
                let listed: Vec<&str> = groups.iter().map(|(k, _)| k.as_str()).collect();
                assert_eq!(listed, keys);
                for (key, group) in &groups {
                    let mut members = inside.iter().copied().filter(|c| group_by.key(c) == key);
                    assert_eq!(*group, CallSummary::of(&mut members, now - start), "{key}");
                }
                let expected_input: u64 = inside.iter().map(|c| c.usage.input.unwrap_or(0)).sum();
                assert_eq!(total.input_tokens, expected_input);
                let failed = inside.iter().filter(|c| !c.success).count() as u64;
                assert_eq!(total.errors, failed);
            }
        }
    }
}
