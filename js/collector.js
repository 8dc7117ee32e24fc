// Package entry `wasm-telemetry/collector`: TelemetryCollector and redact only, the smallest
// wasm.
import { boundary } from './wasm.js';
import { initOnce, redactOf } from './entry.js';
import { collectorClass } from './telemetry-collector.js';

/** The boundary functions of this entry's wasm, which every class goes through. */
const wasm = boundary();

export { replayQueue } from './queue.js';

export const { TelemetryCollector } = collectorClass(wasm);

/**
 * Loads and instantiates this entry's WebAssembly module. Idempotent.
 * @type {(source?: string | URL | Request | Response | BufferSource | WebAssembly.Module) => Promise<void>}
 */
export const init = initOnce(wasm, new URL('collector.wasm', import.meta.url));

/** Replaces the PII in `text` with `[REDACTED_<TYPE>]` markers (see the README); anything but a
 * string gives `''`. */
export const redact = redactOf(wasm);

export default init;
