//! Token usage from OpenAI, Anthropic and Gemini responses, normalised to one shape following
//! the OpenTelemetry GenAI rule: input includes cached tokens, output includes reasoning tokens.
//! A count the provider did not report stays unknown (`None`), never 0.

use wasm_telemetry_rules::find::contains;

/// The providers whose usage shapes and batch terms are understood.
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

macro_rules! usage {
    ($($field:ident: $key:literal, $doc:literal;)*) => {
        /// Normalised usage. `input` includes cache reads and writes and every modality;
        /// `output` includes reasoning and every modality.
        #[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
        pub struct Usage {
            $(#[doc = $doc] pub $field: Option<u64>,)*
        }

        impl Usage {
            /// The keys of the normalised form (`{ inputTokens, … }`), in the order of
            /// [`Usage::counts`].
            pub const KEYS: [&'static str; [$($key),*].len()] = [$($key),*];

            /// Every count, in the order of [`Usage::KEYS`].
            pub fn counts(&self) -> [Option<u64>; Self::KEYS.len()] {
                [$(self.$field),*]
            }

            /// Usage from counts in the order of [`Usage::KEYS`].
            pub fn from_counts(counts: [Option<u64>; Self::KEYS.len()]) -> Self {
                let [$($field),*] = counts;
                Usage { $($field),* }
            }

            /// Each count of `self` combined with the same count of `other` by `combine`.
            pub fn zip_with(&self, other: &Usage, combine: fn(Option<u64>, Option<u64>) -> Option<u64>) -> Self {
                Usage { $($field: combine(self.$field, other.$field)),* }
            }
        }
    };
}

usage! {
    input: "inputTokens", "All input tokens, cached ones and every modality included.";
    output: "outputTokens", "All output tokens, reasoning and every modality included.";
    cache_read: "cacheReadTokens", "Input tokens read from the cache.";
    cache_write_5m: "cacheWrite5mTokens", "Input tokens written to a 5-minute cache.";
    cache_write_1h: "cacheWrite1hTokens", "Input tokens written to a 1-hour cache.";
    reasoning: "reasoningTokens", "Output tokens spent on reasoning.";
    audio_input: "audioInputTokens", "Input tokens of audio, cached ones included.";
    audio_cache_read: "audioCacheReadTokens", "Audio input tokens read from the cache.";
    audio_output: "audioOutputTokens", "Output tokens of audio.";
    image_input: "imageInputTokens", "Input tokens of images, cached ones included.";
    image_cache_read: "imageCacheReadTokens", "Image input tokens read from the cache.";
    image_output: "imageOutputTokens", "Output tokens of images.";
}

/// Reads a numeric field at a dotted path (`prompt_tokens_details.cached_tokens`) of the raw
/// usage object; `None` when absent or not a number. A path step into an array of
/// `{ modality, tokenCount }` (Gemini's `promptTokensDetails`) takes the `tokenCount` of the
/// entry whose modality is that step (`promptTokensDetails.AUDIO`).
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
        let at = |path: &str| count(field, path);
        match provider {
            Provider::OpenAi if has("prompt_tokens") || has("completion_tokens") => Usage {
                input: at("prompt_tokens"),
                output: at("completion_tokens"),
                cache_read: at("prompt_tokens_details.cached_tokens"),
                reasoning: at("completion_tokens_details.reasoning_tokens"),
                audio_input: at("prompt_tokens_details.audio_tokens"),
                audio_output: at("completion_tokens_details.audio_tokens"),
                ..Usage::default()
            },
            Provider::OpenAi => Usage {
                input: at("input_tokens"),
                output: at("output_tokens"),
                cache_read: at("input_tokens_details.cached_tokens"),
                reasoning: at("output_tokens_details.reasoning_tokens"),
                ..Usage::default()
            },
            Provider::Anthropic => {
                // Anthropic's input_tokens excludes cache reads and writes.
                let read = at("cache_read_input_tokens");
                let created = at("cache_creation_input_tokens");
                let w5 = at("cache_creation.ephemeral_5m_input_tokens");
                let w1 = at("cache_creation.ephemeral_1h_input_tokens");
                let (w5, w1) = if w5.is_none() && w1.is_none() {
                    (created, None)
                } else {
                    (w5, w1)
                };
                Usage {
                    input: add(add(at("input_tokens"), read), add(w5, w1)),
                    output: at("output_tokens"),
                    cache_read: read,
                    cache_write_5m: w5,
                    cache_write_1h: w1,
                    ..Usage::default()
                }
            }
            Provider::Gemini => {
                // Gemini's candidatesTokenCount excludes thinking tokens; its promptTokenCount
                // includes the cached content.
                let thoughts = at("thoughtsTokenCount");
                Usage {
                    input: at("promptTokenCount"),
                    output: add(at("candidatesTokenCount"), thoughts),
                    cache_read: at("cachedContentTokenCount"),
                    reasoning: thoughts,
                    audio_input: at("promptTokensDetails.AUDIO"),
                    audio_cache_read: at("cacheTokensDetails.AUDIO"),
                    audio_output: at("candidatesTokensDetails.AUDIO"),
                    image_input: at("promptTokensDetails.IMAGE"),
                    image_cache_read: at("cacheTokensDetails.IMAGE"),
                    image_output: at("candidatesTokensDetails.IMAGE"),
                    ..Usage::default()
                }
            }
            Provider::Other => Usage::from_counts(Usage::KEYS.map(at)),
        }
    }

    /// Whether nothing at all is known.
    pub fn is_unknown(&self) -> bool {
        self.input.is_none() && self.output.is_none()
    }
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
    fn openai_chat_includes_cached_reasoning_and_audio_tokens_already() {
        let fields = raw(&[
            ("prompt_tokens", 1000.0),
            ("completion_tokens", 500.0),
            ("prompt_tokens_details.cached_tokens", 400.0),
            ("prompt_tokens_details.audio_tokens", 120.0),
            ("completion_tokens_details.reasoning_tokens", 300.0),
            ("completion_tokens_details.audio_tokens", 80.0),
        ]);
        let usage = Usage::from_raw(Provider::OpenAi, &fields);
        assert_eq!(
            (usage.input, usage.output, usage.cache_read, usage.reasoning),
            (Some(1000), Some(500), Some(400), Some(300))
        );
        assert_eq!(
            (usage.audio_input, usage.audio_output),
            (Some(120), Some(80))
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
    fn gemini_output_gains_thinking_tokens_and_modalities_are_split() {
        let fields = raw(&[
            ("promptTokenCount", 800.0),
            ("candidatesTokenCount", 100.0),
            ("thoughtsTokenCount", 50.0),
            ("cachedContentTokenCount", 200.0),
            ("promptTokensDetails.AUDIO", 300.0),
            ("cacheTokensDetails.AUDIO", 40.0),
            ("candidatesTokensDetails.IMAGE", 60.0),
        ]);
        let usage = Usage::from_raw(Provider::Other, &fields);
        assert_eq!(
            (usage.input, usage.output, usage.cache_read, usage.reasoning),
            (Some(800), Some(150), Some(200), Some(50))
        );
        assert_eq!(
            (
                usage.audio_input,
                usage.audio_cache_read,
                usage.image_output
            ),
            (Some(300), Some(40), Some(60))
        );
    }

    #[test]
    fn normalised_usage_passes_through_and_missing_counts_stay_unknown() {
        let fields = raw(&[
            ("inputTokens", 7.0),
            ("outputTokens", 3.0),
            ("audioInputTokens", 2.0),
        ]);
        let usage = Usage::from_raw(Provider::Other, &fields);
        assert_eq!(
            (
                usage.input,
                usage.output,
                usage.cache_read,
                usage.audio_input
            ),
            (Some(7), Some(3), None, Some(2))
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

    #[test]
    fn counts_round_trip_in_key_order() {
        let usage = Usage {
            input: Some(1),
            image_output: Some(11),
            ..Usage::default()
        };
        assert_eq!(Usage::from_counts(usage.counts()), usage);
        assert_eq!(Usage::KEYS[0], "inputTokens");
        assert_eq!(usage.counts()[Usage::KEYS.len() - 1], Some(11));
    }
}
