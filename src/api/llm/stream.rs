//! `StreamCore`: the usage of one streamed response, fed chunk by chunk as JSON, as the JS class
//! `LlmStream` (js/llm-telemetry.js) uses it.

use crate::core::llm::stream::StreamAccumulator;
use crate::core::llm::usage::Provider;
use alloc::string::String;
use wasm_bindgen::prelude::*;

/// The usage of one streamed response. Internal: the package's JS class `LlmStream` wraps it.
#[wasm_bindgen]
pub struct StreamCore {
    accumulator: StreamAccumulator,
}

#[wasm_bindgen]
impl StreamCore {
    /// An accumulator for a stream from `provider`.
    #[wasm_bindgen(constructor)]
    pub fn new(provider: &str) -> StreamCore {
        StreamCore {
            accumulator: StreamAccumulator::new(Provider::parse(provider)),
        }
    }

    /// Takes one chunk or event (JSON): an OpenAI Chat Completions chunk, a Responses API event,
    /// an Anthropic event or a Gemini `GenerateContentResponse` chunk.
    pub fn push(&mut self, chunk_json: &str) {
        self.accumulator.push_json(chunk_json);
    }

    /// The normalised usage so far (JSON), or `undefined` if none was reported.
    pub fn usage(&self) -> Option<String> {
        self.accumulator.usage_json()
    }

    /// Whether the stream ended before its final usage.
    #[wasm_bindgen(js_name = isPartial)]
    pub fn is_partial(&self) -> bool {
        self.accumulator.is_partial()
    }
}
