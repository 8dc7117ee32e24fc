//! Usage of a streamed response: OpenAI sends it in a last chunk (`stream_options.include_usage`),
//! Anthropic in `message_start` and cumulative `message_delta` events (keep the latest value,
//! never add). A stream cut short yields what was seen, flagged partial.

use crate::core::llm::usage::{Provider, Usage};

/// Accumulates the usage of one streamed response.
#[derive(Debug, Clone)]
pub struct StreamAccumulator {
    provider: Provider,
    usage: Usage,
    seen: bool,
    complete: bool,
}

fn latest(current: Option<u64>, update: Option<u64>) -> Option<u64> {
    update.or(current)
}

impl StreamAccumulator {
    /// An accumulator for a stream from `provider`.
    pub fn new(provider: Provider) -> Self {
        Self {
            provider,
            usage: Usage::default(),
            seen: false,
            complete: false,
        }
    }

    /// Takes one chunk or event: its type (Anthropic's `type`, empty for OpenAI chunks) and the
    /// usage it carries, if any.
    pub fn push(&mut self, kind: &str, usage: Option<Usage>) {
        if let Some(update) = usage {
            self.seen = true;
            let current = self.usage;
            self.usage = Usage {
                input: latest(current.input, update.input),
                output: latest(current.output, update.output),
                cache_read: latest(current.cache_read, update.cache_read),
                cache_write_5m: latest(current.cache_write_5m, update.cache_write_5m),
                cache_write_1h: latest(current.cache_write_1h, update.cache_write_1h),
                reasoning: latest(current.reasoning, update.reasoning),
            };
            // OpenAI sends usage once, in the final chunk.
            if self.provider != Provider::Anthropic {
                self.complete = true;
            }
        }
        if kind == "message_stop" {
            self.complete = true;
        }
    }

    /// The usage seen so far, or `None` when the stream reported none (unknown, never 0).
    pub fn usage(&self) -> Option<Usage> {
        self.seen.then_some(self.usage)
    }

    /// Whether the stream ended before its usage was final.
    pub fn is_partial(&self) -> bool {
        !self.complete
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn output(n: u64) -> Usage {
        Usage {
            output: Some(n),
            ..Usage::default()
        }
    }

    #[test]
    fn anthropic_cumulative_deltas_are_kept_not_summed() {
        let mut stream = StreamAccumulator::new(Provider::Anthropic);
        let start = Usage {
            input: Some(1200),
            output: Some(1),
            cache_read: Some(1000),
            ..Usage::default()
        };
        stream.push("message_start", Some(start));
        for n in [10, 55, 120] {
            stream.push("message_delta", Some(output(n)));
        }
        assert!(stream.is_partial());
        stream.push("message_stop", None);
        let usage = stream.usage().unwrap();
        assert_eq!(
            (usage.input, usage.output, usage.cache_read),
            (Some(1200), Some(120), Some(1000))
        );
        assert!(!stream.is_partial());
    }

    #[test]
    fn a_stream_cut_short_yields_what_was_seen_flagged_partial() {
        let mut stream = StreamAccumulator::new(Provider::Anthropic);
        stream.push(
            "message_start",
            Some(Usage {
                input: Some(50),
                output: Some(1),
                ..Usage::default()
            }),
        );
        stream.push("message_delta", Some(output(30)));
        assert_eq!(stream.usage().unwrap().output, Some(30));
        assert!(stream.is_partial());
    }

    #[test]
    fn openai_usage_arrives_in_the_last_chunk_and_its_absence_is_unknown() {
        let mut stream = StreamAccumulator::new(Provider::OpenAi);
        for _ in 0..5 {
            stream.push("", None);
        }
        assert_eq!(stream.usage(), None);
        assert!(stream.is_partial());
        stream.push(
            "",
            Some(Usage {
                input: Some(20),
                output: Some(40),
                ..Usage::default()
            }),
        );
        assert_eq!(stream.usage().unwrap().output, Some(40));
        assert!(!stream.is_partial());
    }
}
