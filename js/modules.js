// The module classes of the web and full entries, over an entry's wasm classes: each takes
// the collector it reports through, and hands the wasm class that collector's link.
import { usageAnalyticsClass } from './usage-analytics.js';
import { errorTrackingClass } from './error-tracking.js';

/** PerformanceMetrics, ErrorTracking and HealthCheck over the wasm classes of `wasm`. */
export function webModules(wasm, linkOf) {
  class PerformanceMetrics extends wasm.PerformanceMetrics {
    constructor(collector, options) {
      super(linkOf(collector), options);
    }
  }
  const ErrorTracking = errorTrackingClass(wasm, linkOf);
  class HealthCheck extends wasm.HealthCheck {
    constructor(collector, options) {
      super(linkOf(collector), options);
    }
  }
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
