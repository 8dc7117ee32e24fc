// The module classes of the web and full entries, each a JS class over its wasm core (in its
// own file), built for an entry's wasm and collector class.
import { errorTrackingClass } from './error-tracking.js';
import { healthCheckClass } from './health-check.js';
import { llmTelemetryClass } from './llm-telemetry.js';
import { performanceMetricsClass } from './performance-metrics.js';
import { usageAnalyticsClass } from './usage-analytics.js';

/** PerformanceMetrics, ErrorTracking and HealthCheck over the cores of the entry's wasm `wasm`. */
export function webModules(wasm, linkOf) {
  const PerformanceMetrics = performanceMetricsClass(wasm, linkOf);
  const ErrorTracking = errorTrackingClass(wasm, linkOf);
  const HealthCheck = healthCheckClass(wasm, linkOf);
  return { PerformanceMetrics, ErrorTracking, HealthCheck };
}

/** UsageAnalytics and LlmTelemetry over the cores of the entry's wasm `wasm`. */
export function fullModules(wasm, linkOf) {
  const UsageAnalytics = usageAnalyticsClass(wasm, linkOf);
  const LlmTelemetry = llmTelemetryClass(wasm, linkOf);
  return { UsageAnalytics, LlmTelemetry };
}
