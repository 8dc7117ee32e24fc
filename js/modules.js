// The module classes of the web and full entries, over an entry's wasm classes: each takes
// the collector it reports through, and hands the wasm class that collector's link
// (PerformanceMetrics is a JS class over its wasm core, js/performance-metrics.js).
import { performanceMetricsClass } from './performance-metrics.js';

/** PerformanceMetrics, ErrorTracking and HealthCheck over the wasm classes of `wasm`. */
export function webModules(wasm, linkOf) {
  const PerformanceMetrics = performanceMetricsClass(wasm, linkOf);
  class ErrorTracking extends wasm.ErrorTracking {
    constructor(collector, options) {
      super(linkOf(collector), options);
    }
  }
  class HealthCheck extends wasm.HealthCheck {
    constructor(collector, options) {
      super(linkOf(collector), options);
    }
  }
  return { PerformanceMetrics, ErrorTracking, HealthCheck };
}

/** UsageAnalytics and LlmTelemetry over the wasm classes of `wasm`. */
export function fullModules(wasm, linkOf) {
  class UsageAnalytics extends wasm.UsageAnalytics {
    constructor(collector, options) {
      super(linkOf(collector), options);
    }
  }
  class LlmTelemetry extends wasm.LlmTelemetry {
    constructor(collector, options) {
      super(linkOf(collector), options);
    }
  }
  return { UsageAnalytics, LlmTelemetry };
}
