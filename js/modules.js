// The module classes of the web and full entries, over an entry's wasm classes: each takes
// the collector it reports through, and hands the wasm class that collector's link. HealthCheck
// is a JS class over the wasm's HealthCore (health-check.js).
import { healthCheckClass } from './health-check.js';

/** PerformanceMetrics, ErrorTracking and HealthCheck over the wasm classes of `wasm`. */
export function webModules(wasm, linkOf) {
  class PerformanceMetrics extends wasm.PerformanceMetrics {
    constructor(collector, options) {
      super(linkOf(collector), options);
    }
  }
  class ErrorTracking extends wasm.ErrorTracking {
    constructor(collector, options) {
      super(linkOf(collector), options);
    }
  }
  const HealthCheck = healthCheckClass(wasm, linkOf);
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
