//! Usage of a streamed response. OpenAI Chat Completions sends it in a last chunk
//! (`stream_options.include_usage`); the Responses API in its `response.completed` event (or
//! `response.incomplete` / `response.failed`); Anthropic in `message_start` and cumulative
//! `message_delta` events; Gemini in the `usageMetadata` of its chunks, final in the chunk with a
//! `finishReason`. Counts are cumulative: keep the latest value, never add. A stream cut short
//! yields what was seen, flagged partial.

use crate::core::json_value::{parse, Value};
use crate::core::llm::usage::{normalised_json, usage_of, Provider, Usage};
use alloc::string::String;

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

    /// Takes one chunk or event: its `type` (Anthropic and Responses API events; empty for
    /// Chat Completions and Gemini chunks), the usage it carries, if any, and whether it ends
    /// the response (a Gemini chunk with a `finishReason`).
    pub fn push(&mut self, kind: &str, usage: Option<Usage>, finished: bool) {
        if let Some(update) = usage {
            self.seen = true;
            self.usage = self.usage.zip_with(&update, latest);
            // A Chat Completions stream sends its usage once, in the final chunk.
            let once = !matches!(self.provider, Provider::Anthropic | Provider::Gemini);
            if once && kind.is_empty() {
                self.complete = true;
            }
        }
        let last_event = matches!(
            kind,
            "message_stop" | "response.completed" | "response.incomplete" | "response.failed"
        );
        if last_event || finished {
            self.complete = true;
        }
    }

    /// Takes one chunk or event as JSON: its `type`, and its usage where each provider puts it
    /// (`message.usage` of `message_start`, `response.usage` of Responses API events, `usage`
    /// or Gemini's `usageMetadata`); a Gemini candidate with a `finishReason` ends the response.
    pub fn push_json(&mut self, chunk: &str) {
        let chunk = parse(chunk).unwrap_or(Value::Null);
        let kind = chunk.get("type").and_then(Value::as_str).unwrap_or("");
        let nested = |outer: &str| chunk.get(outer).and_then(|v| v.get("usage"));
        let raw = match kind {
            "message_start" => nested("message"),
            _ if kind.starts_with("response.") => nested("response"),
            _ => match chunk.get("usage") {
                Some(usage @ Value::Object(_)) => Some(usage),
                _ => chunk.get("usageMetadata"),
            },
        };
        let usage = matches!(raw, Some(Value::Object(_))).then(|| usage_of(self.provider, raw));
        let finished = matches!(chunk.get("candidates"), Some(Value::Array(candidates))
            if candidates.iter().any(|c| matches!(c.get("finishReason"), Some(Value::String(_)))));
        self.push(kind, usage, finished);
    }

    /// The usage seen so far in its normalised form ([`normalised_json`]), or `None` when the
    /// stream reported none.
    pub fn usage_json(&self) -> Option<String> {
        self.usage().map(|usage| normalised_json(&usage, true))
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
        stream.push("message_start", Some(start), false);
        for n in [10, 55, 120] {
            stream.push("message_delta", Some(output(n)), false);
        }
        assert!(stream.is_partial());
        stream.push("message_stop", None, false);
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
            false,
        );
        stream.push("message_delta", Some(output(30)), false);
        assert_eq!(stream.usage().unwrap().output, Some(30));
        assert!(stream.is_partial());
    }

    #[test]
    fn openai_usage_arrives_in_the_last_chunk_and_its_absence_is_unknown() {
        let mut stream = StreamAccumulator::new(Provider::OpenAi);
        for _ in 0..5 {
            stream.push("", None, false);
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
            false,
        );
        assert_eq!(stream.usage().unwrap().output, Some(40));
        assert!(!stream.is_partial());
    }

    #[test]
    fn gemini_usage_is_cumulative_and_final_in_the_chunk_that_finishes() {
        let mut stream = StreamAccumulator::new(Provider::Gemini);
        let so_far = |input, output| Usage {
            input: Some(input),
            output: Some(output),
            ..Usage::default()
        };
        stream.push("", Some(so_far(800, 12)), false);
        stream.push("", Some(so_far(800, 64)), false);
        assert!(
            stream.is_partial(),
            "usage in every chunk does not end the stream"
        );
        assert_eq!(stream.usage().unwrap().output, Some(64));
        stream.push("", Some(so_far(800, 210)), true);
        assert_eq!(stream.usage(), Some(so_far(800, 210)));
        assert!(!stream.is_partial());
    }

    #[test]
    fn responses_api_usage_arrives_with_the_last_event() {
        for last in [
            "response.completed",
            "response.incomplete",
            "response.failed",
        ] {
            let mut stream = StreamAccumulator::new(Provider::OpenAi);
            stream.push("response.created", None, false);
            for _ in 0..3 {
                stream.push("response.output_text.delta", None, false);
            }
            assert!(stream.is_partial());
            assert_eq!(stream.usage(), None);
            let usage = Usage {
                input: Some(300),
                output: Some(90),
                reasoning: Some(40),
                ..Usage::default()
            };
            stream.push(last, Some(usage), false);
            assert_eq!(stream.usage(), Some(usage), "{last}");
            assert!(!stream.is_partial(), "{last}");
        }
    }

    #[test]
    fn chunks_as_json_give_their_usage_where_each_provider_puts_it() {
        let mut gemini = StreamAccumulator::new(Provider::Gemini);
        gemini.push_json(r#"{"candidates":[{"index":0}],"usageMetadata":{"promptTokenCount":8,"candidatesTokenCount":2}}"#);
        assert!(gemini.is_partial());
        gemini.push_json(r#"{"candidates":[{"finishReason":"STOP"}],"usageMetadata":{"promptTokenCount":8,"candidatesTokenCount":5,"promptTokensDetails":[{"modality":"AUDIO","tokenCount":6}]}}"#);
        assert!(!gemini.is_partial());
        assert_eq!(
            gemini.usage_json().as_deref(),
            Some(
                r#"{"inputTokens":8,"outputTokens":5,"cacheReadTokens":null,"cacheWrite5mTokens":null,"cacheWrite1hTokens":null,"reasoningTokens":null,"audioInputTokens":6,"audioCacheReadTokens":null,"audioOutputTokens":null,"imageInputTokens":null,"imageCacheReadTokens":null,"imageOutputTokens":null}"#
            )
        );
        let mut responses = StreamAccumulator::new(Provider::OpenAi);
        responses.push_json(r#"{"type":"response.created","response":{"usage":null}}"#);
        responses.push_json("not json");
        assert_eq!(responses.usage_json(), None);
        responses.push_json(r#"{"type":"response.completed","response":{"usage":{"input_tokens":3,"output_tokens":4}}}"#);
        assert_eq!(responses.usage().and_then(|u| u.output), Some(4));
        assert!(!responses.is_partial());
    }
}
