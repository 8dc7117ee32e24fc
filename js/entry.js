// What every package entry (collector.js, web.js, index.js) shares: its `init`, and the
// constants of the modules.

/**
 * Makes an entry's `init` from its wasm-bindgen loader: idempotent, every call returns the same
 * promise, and a failed load can be retried. By default the `.wasm` is resolved next to the
 * entry through `new URL(..., import.meta.url)`, which bundlers (Vite, webpack) understand.
 */
export function initOnce(initWasm) {
  let ready;
  return function init(source) {
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
  };
}

/** The `redact` function of an entry's wasm: anything but a string gives `''`. */
export function redactOf(wasm) {
  return (text) => (typeof text === 'string' ? wasm.redact(text) : '');
}

/** Severities accepted by ErrorTracking.captureError. */
export const ErrorSeverity = Object.freeze({ DEBUG: 'debug', INFO: 'info', WARNING: 'warning', ERROR: 'error', CRITICAL: 'critical' });

/** Service and system statuses reported by HealthCheck. */
export const HealthStatus = Object.freeze({ HEALTHY: 'healthy', DEGRADED: 'degraded', UNHEALTHY: 'unhealthy' });
