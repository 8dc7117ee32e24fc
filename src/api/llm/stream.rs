//! `StreamCore`: the usage of one streamed response, fed chunk by chunk as JSON, as the JS class
//! `LlmStream` (js/llm-telemetry.js) uses it.

use crate::api::args::Args;
use crate::api::collector::yes;
use crate::api::cores::Core;
use crate::api::op::Op;
use crate::core::llm::stream::StreamAccumulator;
use crate::core::llm::usage::Provider;
use alloc::string::String;

/// The usage of one streamed response (the core kind `stream`).
pub struct StreamCore {
    accumulator: StreamAccumulator,
}

impl StreamCore {
    /// An accumulator for a stream from the provider of texts `provider`.
    pub fn open(args: &Args<'_>) -> StreamCore {
        StreamCore {
            accumulator: StreamAccumulator::new(Provider::parse(args.text(0).unwrap_or_default())),
        }
    }
}

impl Core for StreamCore {
    /// Runs the operation `op` with its [`Args`]:
    ///
    /// - `push` (texts `chunkJson`): takes one chunk or event: an OpenAI Chat Completions
    ///   chunk, a Responses API event, an Anthropic event or a Gemini
    ///   `GenerateContentResponse` chunk.
    /// - `usage`: the normalised usage so far (JSON), or `undefined` if none was reported.
    /// - `isPartial`: whether the stream ended before its final usage.
    fn call(&mut self, op: Op, args: &Args<'_>) -> Option<String> {
        match op {
            Op::Push => {
                self.accumulator.push_json(args.text(0)?);
                None
            }
            Op::Usage => self.accumulator.usage_json(),
            Op::IsPartial => yes(self.accumulator.is_partial()),
            _ => None,
        }
    }
}
