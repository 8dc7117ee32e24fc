// Declarations shared by every package entry: the loader stub's shapes.

/** Loads and instantiates an entry's WebAssembly module. Idempotent: every call returns the
 * same promise. By default the `.wasm` is resolved next to the entry. */
export type Init = (
  source?: string | URL | Request | Response | BufferSource | WebAssembly.Module,
) => Promise<void>;

/** One queued call of the loader stub: method, arguments, and when it was made (ms). */
export type QueuedCall = [method: string, args: unknown[], at: number];

/** What the loader stub (`wasm-telemetry/loader`) puts on `window.wasmTelemetry`. */
export interface LoaderStub {
  q: QueuedCall[];
  dropped: number;
  ready?: boolean;
  track(event: { type: string; timestamp?: number; data?: unknown }): void;
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
