//! The event types that the SDK writes and the collector reads by name.

/// An LLM call (`LlmTelemetry.trackCall` and the stream accumulators).
pub const LLM_CALL_EVENT: &str = "gen_ai.call";

/// An ended span of the page's trace.
pub const SPAN_EVENT: &str = "span";
