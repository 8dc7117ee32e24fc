// Package entry `wasm-telemetry/collector`: TelemetryCollector and redact only, the smallest
// wasm.
import initWasm, { CollectorCore } from './wasm_telemetry_collector.js';
import { initOnce } from './entry.js';
import { collectorClass } from './telemetry-collector.js';

export { redact } from './wasm_telemetry_collector.js';
export { replayQueue } from './queue.js';

export const { TelemetryCollector } = collectorClass(CollectorCore);

/**
 * Loads and instantiates this entry's WebAssembly module. Idempotent.
 * @type {(source?: string | URL | Request | Response | BufferSource | WebAssembly.Module) => Promise<void>}
 */
export const init = initOnce(initWasm);

export default init;
