export * from './wasm_telemetry.js';

/**
 * Loads and instantiates the WebAssembly module. Idempotent: every call returns the same
 * promise. By default the `.wasm` is resolved next to the package entry.
 */
export function init(
  source?: string | URL | Request | Response | BufferSource | WebAssembly.Module,
): Promise<void>;
export default init;
