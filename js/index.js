// Package entry `wasm-telemetry`: every class. Importing it has no side effects: nothing
// touches `window` or `document` until `init()` is called and a class is constructed. Pages that
// need fewer classes import `wasm-telemetry/web` or `wasm-telemetry/collector` and load less.
import { boundary } from './wasm.js';
import { initOnce, redactOf } from './entry.js';
import { fullModules, webModules } from './modules.js';
import { sendOtlp } from './otlp.js';
import { collectorClass } from './telemetry-collector.js';
import * as tracing from './tracing.js';

/** The boundary functions of this entry's wasm, which every class goes through. */
const wasm = boundary();

export { ErrorSeverity } from './error-severity.js';
export { HealthStatus } from './health-status.js';
export { replayQueue } from './queue.js';

const { TelemetryCollector, linkOf } = collectorClass(wasm, { sendOtlp, tracing });
export { TelemetryCollector };
export const { PerformanceMetrics, ErrorTracking, HealthCheck } = webModules(wasm, linkOf);
export const { UsageAnalytics, LlmTelemetry } = fullModules(wasm, linkOf);

/**
 * Loads and instantiates this entry's WebAssembly module. Idempotent.
 * @type {(source?: string | URL | Request | Response | BufferSource | WebAssembly.Module) => Promise<void>}
 */
export const init = initOnce(wasm, new URL('full.wasm', import.meta.url));

/** Replaces the PII in `text` with `[REDACTED_<TYPE>]` markers (see the README); anything but a
 * string gives `''`. */
export const redact = redactOf(wasm);

export default init;
