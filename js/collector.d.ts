// Types of the package entry `wasm-telemetry/collector`: TelemetryCollector, redact and the
// loader stub's replay. The web and full entries' typings build on these.
import type { TelemetryCollector } from './telemetry-collector.js';
import type { Init } from './entry.js';

export { TelemetryCollector } from './telemetry-collector.js';
export type {
  BufferStatus,
  ConsentState,
  PerformanceMetric,
  ResolvedTelemetryConfig,
  SamplingStrategy,
  TelemetryConfig,
  TelemetryEvent,
  TransportBackend,
  TransportFunction,
  WireEvent,
} from './telemetry-collector.js';
export type { LoaderStub, QueuedCall } from './entry.js';

/**
 * Replaces emails, phone numbers, SSNs, card numbers, IP addresses, IBANs, wallet addresses,
 * MAC addresses and secrets in `text` with `[REDACTED_<TYPE>]` markers, strips query values and
 * fragments from URLs and reduces absolute file paths to file names. Runs in linear time.
 * Anything but a string gives `''`.
 */
export function redact(text: string): string;

/** Loads and instantiates this entry's WebAssembly module. */
export declare const init: Init;
export default init;

/**
 * Replays what the loader stub queued before the SDK loaded, in order and with the original
 * times, then routes the stub's methods straight to the SDK. Returns how many entries were
 * replayed (0 without a stub).
 */
export function replayQueue(targets: { collector: TelemetryCollector; errors?: never }): number;
