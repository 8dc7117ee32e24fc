// Package entry `wasm-telemetry/collector`: TelemetryCollector and redact only, the smallest
// wasm.
import initWasm from './wasm_telemetry_collector.js';
import { initOnce } from './entry.js';

export { TelemetryCollector, redact } from './wasm_telemetry_collector.js';
export { replayQueue } from './queue.js';

/**
 * Loads and instantiates this entry's WebAssembly module. Idempotent.
 * @type {(source?: string | URL | Request | Response | BufferSource | WebAssembly.Module) => Promise<void>}
 */
export const init = initOnce(initWasm);

export default init;
