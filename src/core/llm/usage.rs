//! Token usage from OpenAI, Anthropic and Gemini responses, normalised to one shape following
//! the OpenTelemetry GenAI rule: input includes cached tokens, output includes reasoning tokens.
//! A count the provider did not report stays unknown (`None`), never 0.

use crate::core::find::{self, contains};
use crate::core::json_value::Value;

/// The providers whose usage shapes are understood.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Provider {
    /// OpenAI Chat Completions (`prompt_tokens`) or Responses (`input_tokens`).
    OpenAi,
    /// Anthropic Messages.
    Anthropic,
    /// Google Gemini (`usageMetadata`).
    Gemini,
    /// Already normalised (`inputTokens`, …), or anything else.
    Other,
}

impl Provider {
    /// Parses a provider name (`openai`, `azure.openai`, `anthropic`, `gemini`, `google`, …).
    pub fn parse(name: &str) -> Self {
        let name = name.to_ascii_lowercase();
        let any = |needles: &[&str]| needles.iter().any(|needle| contains(&name, needle));
        if any(&["openai"]) {
            Self::OpenAi
        } else if any(&["anthropic", "claude"]) {
            Self::Anthropic
        } else if any(&["gemini", "google", "vertex"]) {
            Self::Gemini
        } else {
            Self::Other
        }
    }

    /// The `gen_ai.provider.name` value.
    pub fn name(self) -> &'static str {
        match self {
            Self::OpenAi => "openai",
            Self::Anthropic => "anthropic",
            Self::Gemini => "gcp.gemini",
            Self::Other => "other",
        }
    }
}

/// Normalised usage. `input` includes cache reads and writes; `output` includes reasoning.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Usage {
    /// All input tokens, cached ones included.
    pub input: Option<u64>,
    /// All output tokens, reasoning included.
    pub output: Option<u64>,
    /// Input tokens read from the cache.
    pub cache_read: Option<u64>,
    /// Input tokens written to a 5-minute cache.
    pub cache_write_5m: Option<u64>,
    /// Input tokens written to a 1-hour cache.
    pub cache_write_1h: Option<u64>,
    /// Output tokens spent on reasoning.
    pub reasoning: Option<u64>,
}

/// Reads a numeric field at a dotted path (`prompt_tokens_details.cached_tokens`) of the raw
/// usage object; `None` when absent or not a non-negative number.
pub type Field<'a> = &'a dyn Fn(&str) -> Option<f64>;

fn count(field: Field<'_>, path: &str) -> Option<u64> {
    field(path)
        .filter(|v| v.is_finite() && *v >= 0.0)
        .map(|v| v as u64)
}

fn add(a: Option<u64>, b: Option<u64>) -> Option<u64> {
    match (a, b) {
        (None, None) => None,
        (a, b) => Some(a.unwrap_or(0).saturating_add(b.unwrap_or(0))),
    }
}

impl Usage {
    /// Normalises a raw usage object of `provider` (detected from its fields when `Other`). An
    /// already normalised object (`inputTokens`, `outputTokens`, …) is taken as it is, whatever
    /// the provider, as a stream accumulator's `usage()` returns it.
    pub fn from_raw(provider: Provider, field: Field<'_>) -> Self {
        let has = |path: &str| field(path).is_some();
        let normalised = has("inputTokens") || has("outputTokens");
        let provider = match provider {
            _ if normalised => Provider::Other,
            Provider::Other
                if has("prompt_tokens") || has("input_tokens_details.cached_tokens") =>
            {
                Provider::OpenAi
            }
            Provider::Other
                if has("cache_read_input_tokens") || has("cache_creation_input_tokens") =>
            {
                Provider::Anthropic
            }
            Provider::Other if has("promptTokenCount") || has("candidatesTokenCount") => {
                Provider::Gemini
            }
            other => other,
        };
        match provider {
            Provider::OpenAi if has("prompt_tokens") || has("completion_tokens") => Usage {
                input: count(field, "prompt_tokens"),
                output: count(field, "completion_tokens"),
                cache_read: count(field, "prompt_tokens_details.cached_tokens"),
                reasoning: count(field, "completion_tokens_details.reasoning_tokens"),
                ..Usage::default()
            },
            Provider::OpenAi => Usage {
                input: count(field, "input_tokens"),
                output: count(field, "output_tokens"),
                cache_read: count(field, "input_tokens_details.cached_tokens"),
                reasoning: count(field, "output_tokens_details.reasoning_tokens"),
                ..Usage::default()
            },
            Provider::Anthropic => {
                // Anthropic's input_tokens excludes cache reads and writes.
                let read = count(field, "cache_read_input_tokens");
                let created = count(field, "cache_creation_input_tokens");
                let w5 = count(field, "cache_creation.ephemeral_5m_input_tokens");
                let w1 = count(field, "cache_creation.ephemeral_1h_input_tokens");
                let (w5, w1) = if w5.is_none() && w1.is_none() {
                    (created, None)
                } else {
                    (w5, w1)
                };
                let writes = add(w5, w1);
                Usage {
                    input: add(add(count(field, "input_tokens"), read), writes),
                    output: count(field, "output_tokens"),
                    cache_read: read,
                    cache_write_5m: w5,
                    cache_write_1h: w1,
                    reasoning: None,
                }
            }
            Provider::Gemini => {
                // Gemini's candidatesTokenCount excludes thinking tokens.
                let thoughts = count(field, "thoughtsTokenCount");
                Usage {
                    input: count(field, "promptTokenCount"),
                    output: add(count(field, "candidatesTokenCount"), thoughts),
                    cache_read: count(field, "cachedContentTokenCount"),
                    reasoning: thoughts,
                    ..Usage::default()
                }
            }
            Provider::Other => Usage {
                input: count(field, "inputTokens"),
                output: count(field, "outputTokens"),
                cache_read: count(field, "cacheReadTokens"),
                cache_write_5m: count(field, "cacheWrite5mTokens"),
                cache_write_1h: count(field, "cacheWrite1hTokens"),
                reasoning: count(field, "reasoningTokens"),
            },
        }
    }

    /// Whether nothing at all is known.
    pub fn is_unknown(&self) -> bool {
        self.input.is_none() && self.output.is_none()
    }
}

/// Normalises a raw or normalised usage object; anything else is unknown usage.
pub fn usage_of(provider: Provider, value: Option<&Value>) -> Usage {
    let Some(value @ Value::Object(_)) = value else {
        return Usage::default();
    };
    let field = |path: &str| {
        find::split(path, ".")
            .try_fold(value, |v, key| v.get(key))
            .and_then(Value::as_f64)
    };
    Usage::from_raw(provider, &field)
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use std::collections::HashMap;

    /// A raw usage object as dotted paths.
    pub(crate) fn raw<'a>(pairs: &'a [(&'a str, f64)]) -> impl Fn(&str) -> Option<f64> + 'a {
        let map: HashMap<&str, f64> = pairs.iter().copied().collect();
        move |path: &str| map.get(path).copied()
    }

    #[test]
    fn openai_chat_includes_cached_and_reasoning_tokens_already() {
        let fields = raw(&[
            ("prompt_tokens", 1000.0),
            ("completion_tokens", 500.0),
            ("prompt_tokens_details.cached_tokens", 400.0),
            ("completion_tokens_details.reasoning_tokens", 300.0),
        ]);
        let usage = Usage::from_raw(Provider::OpenAi, &fields);
        assert_eq!(
            (usage.input, usage.output, usage.cache_read, usage.reasoning),
            (Some(1000), Some(500), Some(400), Some(300))
        );
    }

    #[test]
    fn openai_responses_shape() {
        let fields = raw(&[
            ("input_tokens", 50.0),
            ("output_tokens", 20.0),
            ("input_tokens_details.cached_tokens", 10.0),
        ]);
        let usage = Usage::from_raw(Provider::OpenAi, &fields);
        assert_eq!(
            (usage.input, usage.output, usage.cache_read),
            (Some(50), Some(20), Some(10))
        );
    }

    #[test]
    fn anthropic_input_gains_cache_reads_and_both_write_durations() {
        let fields = raw(&[
            ("input_tokens", 100.0),
            ("output_tokens", 200.0),
            ("cache_read_input_tokens", 1000.0),
            ("cache_creation_input_tokens", 300.0),
            ("cache_creation.ephemeral_5m_input_tokens", 100.0),
            ("cache_creation.ephemeral_1h_input_tokens", 200.0),
        ]);
        let usage = Usage::from_raw(Provider::Anthropic, &fields);
        assert_eq!(usage.input, Some(1400));
        assert_eq!(
            (usage.cache_read, usage.cache_write_5m, usage.cache_write_1h),
            (Some(1000), Some(100), Some(200))
        );
        let older = raw(&[
            ("input_tokens", 10.0),
            ("output_tokens", 5.0),
            ("cache_creation_input_tokens", 30.0),
        ]);
        let usage = Usage::from_raw(Provider::Anthropic, &older);
        assert_eq!(
            (usage.input, usage.cache_write_5m, usage.cache_write_1h),
            (Some(40), Some(30), None)
        );
    }

    #[test]
    fn gemini_output_gains_thinking_tokens() {
        let fields = raw(&[
            ("promptTokenCount", 800.0),
            ("candidatesTokenCount", 100.0),
            ("thoughtsTokenCount", 50.0),
            ("cachedContentTokenCount", 200.0),
        ]);
        let usage = Usage::from_raw(Provider::Other, &fields);
        assert_eq!(
            (usage.input, usage.output, usage.cache_read, usage.reasoning),
            (Some(800), Some(150), Some(200), Some(50))
        );
    }

    #[test]
    fn normalised_usage_passes_through_and_missing_counts_stay_unknown() {
        let fields = raw(&[("inputTokens", 7.0), ("outputTokens", 3.0)]);
        let usage = Usage::from_raw(Provider::Other, &fields);
        assert_eq!(
            (usage.input, usage.output, usage.cache_read),
            (Some(7), Some(3), None)
        );
        // A stream accumulator's normalised usage, tracked under its provider, stays as it is.
        let streamed = raw(&[
            ("inputTokens", 10_100.0),
            ("outputTokens", 910.0),
            ("cacheReadTokens", 8_000.0),
        ]);
        for provider in [Provider::Anthropic, Provider::OpenAi, Provider::Gemini] {
            let usage = Usage::from_raw(provider, &streamed);
            assert_eq!(
                (usage.input, usage.output, usage.cache_read),
                (Some(10_100), Some(910), Some(8_000))
            );
        }
        let nothing = raw(&[]);
        assert!(Usage::from_raw(Provider::Anthropic, &nothing).is_unknown());
        assert_eq!(Provider::parse("azure.openai"), Provider::OpenAi);
        assert_eq!(Provider::parse("Google"), Provider::Gemini);
    }
}
