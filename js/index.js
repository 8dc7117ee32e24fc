// Package entry of wasm-telemetry. Importing it has no side effects: nothing touches `window`
// or `document` until `init()` is called and a class is constructed.
import initWasm from './wasm_telemetry.js';

export {
  ErrorTracking,
  HealthCheck,
  LlmTelemetry,
  PerformanceMetrics,
  TelemetryCollector,
  UsageAnalytics,
  redact,
} from './wasm_telemetry.js';
export { replayQueue } from './queue.js';

/** Severities accepted by ErrorTracking.captureError. */
export const ErrorSeverity = Object.freeze({ DEBUG: 'debug', INFO: 'info', WARNING: 'warning', ERROR: 'error', CRITICAL: 'critical' });

/** Service and system statuses reported by HealthCheck. */
export const HealthStatus = Object.freeze({ HEALTHY: 'healthy', DEGRADED: 'degraded', UNHEALTHY: 'unhealthy' });

let ready;

/**
 * Loads and instantiates the WebAssembly module. Idempotent: every call returns the same
 * promise, and a failed load can be retried. By default the `.wasm` is resolved next to this
 * file through `new URL(..., import.meta.url)`, which bundlers (Vite, webpack) understand.
 * @param {string | URL | Request | Response | BufferSource | WebAssembly.Module} [source]
 * @returns {Promise<void>}
 */
export function init(source) {
  if (!ready) {
    ready = initWasm(source === undefined ? undefined : { module_or_path: source }).then(
      () => undefined,
      (error) => {
        ready = undefined;
        throw error;
      },
    );
  }
  return ready;
}

export default init;
