// Package entry `wasm-telemetry/collector`: TelemetryCollector and redact only, the smallest
// wasm.
import initWasm, * as wasm from './wasm_telemetry_collector.js';
import { initOnce, redactOf } from './entry.js';
import { collectorClass } from './telemetry-collector.js';

export { replayQueue } from './queue.js';

export const { TelemetryCollector } = collectorClass(wasm);

/**
 * Loads and instantiates this entry's WebAssembly module. Idempotent.
 * @type {(source?: string | URL | Request | Response | BufferSource | WebAssembly.Module) => Promise<void>}
 */
export const init = initOnce(initWasm);

/** Replaces the PII in `text` with `[REDACTED_<TYPE>]` markers (see the README); anything but a
 * string gives `''`. */
export const redact = redactOf(wasm);

export default init;
