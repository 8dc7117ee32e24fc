// Types of the package entry `wasm-telemetry/web`: the collector entry's, with
// PerformanceMetrics, ErrorTracking and HealthCheck.
import type { TelemetryCollector } from './telemetry-collector.js';
import type { ErrorTracking } from './error-tracking.js';
import type { Init } from './entry.js';

export * from './collector.js';
export { PerformanceMetrics } from './performance-metrics.js';
export type {
  AIOperation,
  AIOperationsSummary,
  CoreWebVitals,
  PerformanceOptions,
  ResourceMetrics,
  TimingSummary,
} from './performance-metrics.js';
export { ErrorTracking } from './error-tracking.js';
export type { Breadcrumb, CaptureOptions, ErrorGroup, ErrorStats, ErrorTrackingOptions, RecoveryDetails, Severity } from './error-tracking.js';
export { HealthCheck } from './health-check.js';
export type { HealthCheckOptions, HealthReport, HealthState, ServiceCheck, ServiceCheckResult } from './health-check.js';
export { ErrorSeverity } from './error-severity.js';
export { HealthStatus } from './health-status.js';

/** Loads and instantiates this entry's WebAssembly module. */
export declare const init: Init;
export default init;

/**
 * Replays what the loader stub queued before the SDK loaded, in order and with the original
 * times, then routes the stub's methods straight to the SDK. Returns how many entries were
 * replayed (0 without a stub).
 */
export function replayQueue(targets: { collector: TelemetryCollector; errors?: ErrorTracking }): number;
