// The module classes of the web and full entries, over an entry's wasm classes: each takes
// the collector it reports through, and hands the wasm class that collector's link.
import { llmTelemetryClass } from './llm-telemetry.js';

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
  return { UsageAnalytics, LlmTelemetry: llmTelemetryClass(wasm, linkOf) };
}
