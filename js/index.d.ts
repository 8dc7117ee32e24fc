// Types of the package entry `wasm-telemetry`: every class.
import type * as wasm from './wasm_telemetry.js';
import type { AnalyticsOptions, ErrorTrackingOptions, HealthCheckOptions, PerformanceOptions } from './wasm_telemetry.js';
import type { TelemetryCollector } from './telemetry-collector.js';
import type { Init } from './entry.js';

export * from './wasm_telemetry.js';
export { TelemetryCollector } from './telemetry-collector.js';
export type {
  BufferStatus,
  ConsentState,
  PerformanceMetric,
  ResolvedTelemetryConfig,
  SamplingStrategy,
  TelemetryConfig,
  TelemetryEvent,
  TransportBackend,
  TransportFunction,
  WireEvent,
} from './telemetry-collector.js';
export type { LoaderStub, QueuedCall } from './entry.js';
export { ErrorSeverity, HealthStatus } from './entry.js';

/** Core Web Vitals, resource timing, long tasks and AI-operation timings, reported through `collector`. */
export declare class PerformanceMetrics extends wasm.PerformanceMetrics {
  constructor(collector: TelemetryCollector, options?: PerformanceOptions);
}
/** Error capture with parsed stacks, breadcrumbs and grouping, reported through `collector`. */
export declare class ErrorTracking extends wasm.ErrorTracking {
  constructor(collector: TelemetryCollector, options?: ErrorTrackingOptions);
}
/** Service health checks, reported through `collector`. */
export declare class HealthCheck extends wasm.HealthCheck {
  constructor(collector: TelemetryCollector, options?: HealthCheckOptions);
}
/** Feature adoption, conversations, provider requests and suggestions, reported through `collector`. */
export declare class UsageAnalytics extends wasm.UsageAnalytics {
  constructor(collector: TelemetryCollector, options?: AnalyticsOptions);
}
export { LlmTelemetry } from './llm-telemetry.js';
export type { LlmStream } from './llm-telemetry.js';

/** Loads and instantiates this entry's WebAssembly module. */
export declare const init: Init;
export default init;

/**
 * Replays what the loader stub queued before the SDK loaded, in order and with the original
 * times, then routes the stub's methods straight to the SDK. Returns how many entries were
 * replayed (0 without a stub).
 */
export function replayQueue(targets: { collector: TelemetryCollector; errors?: ErrorTracking }): number;
