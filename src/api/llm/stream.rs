//! `LlmStream`: the usage of one streamed response, fed chunk by chunk.

use super::convert::{usage_of, usage_to_js};
use crate::core::llm::stream::StreamAccumulator;
use crate::core::llm::usage::Provider;
use crate::platform::{array_items, get, is_plain_object};
use wasm_bindgen::prelude::*;

/// The usage of one streamed response, fed chunk by chunk.
#[wasm_bindgen]
pub struct LlmStream {
    provider: Provider,
    accumulator: StreamAccumulator,
}

impl LlmStream {
    /// An accumulator for a stream from `provider`.
    pub fn new(provider: Provider) -> Self {
        Self {
            provider,
            accumulator: StreamAccumulator::new(provider),
        }
    }
}

#[wasm_bindgen]
impl LlmStream {
    /// Takes one chunk or event: an OpenAI Chat Completions chunk, a Responses API event, an
    /// Anthropic event or a Gemini `GenerateContentResponse` chunk.
    pub fn push(&mut self, #[wasm_bindgen(unchecked_param_type = "StreamChunk")] chunk: &JsValue) {
        let kind = get(chunk, "type").as_string().unwrap_or_default();
        let raw = match kind.as_str() {
            "message_start" => get(&get(chunk, "message"), "usage"),
            _ if kind.starts_with("response.") => get(&get(chunk, "response"), "usage"),
            _ => match get(chunk, "usage") {
                usage if is_plain_object(&usage) => usage,
                _ => get(chunk, "usageMetadata"),
            },
        };
        let usage = is_plain_object(&raw).then(|| usage_of(self.provider, &raw));
        let finished = array_items(&get(chunk, "candidates")).is_some_and(|candidates| {
            candidates
                .iter()
                .any(|candidate| get(&candidate, "finishReason").is_string())
        });
        self.accumulator.push(&kind, usage, finished);
    }

    /// The normalised usage so far (`{ inputTokens, outputTokens, … }`), or `null` if none was
    /// reported.
    #[wasm_bindgen(unchecked_return_type = "NormalizedUsage | null")]
    pub fn usage(&self) -> JsValue {
        self.accumulator
            .usage()
            .map_or(JsValue::NULL, |usage| usage_to_js(&usage))
    }

    /// Whether the stream ended before its final usage.
    #[wasm_bindgen(js_name = isPartial)]
    pub fn is_partial(&self) -> bool {
        self.accumulator.is_partial()
    }
}
