//! The event types that the SDK writes and the collector reads by name. The JS classes that
//! submit `web-vital`, `ai.operation`, `health.status` and `error` events spell them too.

/// An LLM call (`LlmTelemetry.trackCall` and the stream accumulators).
pub const LLM_CALL_EVENT: &str = "gen_ai.call";

/// An ended span of the page's trace.
pub const SPAN_EVENT: &str = "span";

/// A captured or tracked error (`ErrorTracking`, `TelemetryCollector.trackError`).
pub const ERROR_EVENT: &str = "error";

/// A Web Vital report (`PerformanceMetrics`).
pub const WEB_VITAL_EVENT: &str = "web-vital";

/// The timing of an AI operation (`PerformanceMetrics.trackAIOperation`).
pub const AI_OPERATION_EVENT: &str = "ai.operation";

/// A service's changed health (`HealthCheck`).
pub const HEALTH_STATUS_EVENT: &str = "health.status";

/// A measurement (`TelemetryCollector.trackPerformance`).
pub const PERFORMANCE_EVENT: &str = "performance";
