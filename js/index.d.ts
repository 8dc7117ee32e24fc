export * from './wasm_telemetry.js';

/** Severities accepted by ErrorTracking.captureError. */
export declare const ErrorSeverity: Readonly<{ DEBUG: 'debug'; INFO: 'info'; WARNING: 'warning'; ERROR: 'error'; CRITICAL: 'critical' }>;

/** Service and system statuses reported by HealthCheck. */
export declare const HealthStatus: Readonly<{ HEALTHY: 'healthy'; DEGRADED: 'degraded'; UNHEALTHY: 'unhealthy' }>;

/**
 * Loads and instantiates the WebAssembly module. Idempotent: every call returns the same
 * promise. By default the `.wasm` is resolved next to the package entry.
 */
export function init(
  source?: string | URL | Request | Response | BufferSource | WebAssembly.Module,
): Promise<void>;
export default init;
