// The module classes of the web and full entries, over an entry's wasm classes: each takes
// the collector it reports through, and hands the wasm class that collector's link. The
// modules written in JS over their wasm cores come from their own files.
import { errorTrackingClass } from './error-tracking.js';
import { healthCheckClass } from './health-check.js';
import { performanceMetricsClass } from './performance-metrics.js';
import { usageAnalyticsClass } from './usage-analytics.js';

/** PerformanceMetrics, ErrorTracking and HealthCheck over the wasm classes of `wasm`. */
export function webModules(wasm, linkOf) {
  const PerformanceMetrics = performanceMetricsClass(wasm, linkOf);
  const ErrorTracking = errorTrackingClass(wasm, linkOf);
  const HealthCheck = healthCheckClass(wasm, linkOf);
  return { PerformanceMetrics, ErrorTracking, HealthCheck };
}

/** UsageAnalytics and LlmTelemetry over the wasm classes of `wasm`. */
export function fullModules(wasm, linkOf) {
  const UsageAnalytics = usageAnalyticsClass(wasm.AnalyticsCore, linkOf);
  class LlmTelemetry extends wasm.LlmTelemetry {
    constructor(collector, options) {
      super(linkOf(collector), options);
    }
  }
  return { UsageAnalytics, LlmTelemetry };
}
