import type { ErrorTracking, TelemetryCollector, TelemetryEvent } from './wasm_telemetry.js';

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

/** One queued call of the loader stub: method, arguments, and when it was made (ms). */
export type QueuedCall = [method: string, args: unknown[], at: number];

/** What the loader stub (`wasm-telemetry/loader`) puts on `window.wasmTelemetry`. */
export interface LoaderStub {
  q: QueuedCall[];
  dropped: number;
  ready?: boolean;
  track(event: TelemetryEvent): void;
  trackError(error: unknown, context?: Record<string, unknown>): void;
  captureError(error: unknown, options?: { severity?: string; context?: Record<string, unknown> }): void;
  identify(userId: string, traits?: Record<string, unknown>): void;
  setConsent(state: 'granted' | 'denied'): void;
  detach?(): void;
}

declare global {
  interface Window {
    /** The loader stub, when the page put it first. */
    wasmTelemetry?: LoaderStub;
  }
}

/**
 * Replays what the loader stub queued before the SDK loaded, in order and with the original
 * times, then routes the stub's methods straight to the SDK. Returns how many entries were
 * replayed (0 without a stub).
 */
export function replayQueue(targets: { collector: TelemetryCollector; errors?: ErrorTracking }): number;
