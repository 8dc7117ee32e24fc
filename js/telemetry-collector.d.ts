// Types of the TelemetryCollector class (telemetry-collector.js), shared by every entry.

/** How events are selected for collection. */
export type SamplingStrategy = 'always' | 'never' | 'probabilistic' | 'throttled';
/** Where batches go. `'otlp'` is only in the full entry (`wasm-telemetry`); the collector and
 * web entries throw a TypeError for it. */
export type TransportBackend = 'http' | 'beacon' | 'localStorage' | 'console' | 'custom' | 'otlp';
/** One wire-format event as delivered to a custom transport or an endpoint. */
export interface WireEvent {
  id: string;
  type: string;
  timestamp: number;
  sessionId: string;
  userId?: string;
  /** The page's trace (web and full entries): 32 hex digits. */
  traceId?: string;
  /** The span active when the event happened: 16 hex digits. */
  spanId?: string;
  data: Record<string, unknown>;
  context: { url: string; release?: string; dist?: string } & Record<string, unknown>;
}
/** Receives each batch's events; a returned promise must fulfil for the batch to count as sent. */
export type TransportFunction = (events: WireEvent[]) => void | Promise<unknown>;
/** TelemetryCollector configuration. Every field is optional. */
export interface TelemetryConfig {
  /** Kill switch (default true). */
  enabled?: boolean;
  /** Sampling strategy (default 'always'). */
  sampling?: SamplingStrategy;
  /** Probability of keeping an event with 'probabilistic', 0 to 1 (default 1). */
  samplingRate?: number;
  /** Events buffered before a batch is sent, 1 to 1000 (default 50). */
  maxBufferSize?: number;
  /** Timed flush interval in ms, 0 for none (default 30000). */
  flushIntervalMs?: number;
  /** Transport (default 'http' when an endpoint is given, else 'console'); 'otlp' in the full entry only. */
  transport?: TransportBackend;
  /** Absolute http(s) URL, or a path starting with '/'; with 'otlp', the OpenTelemetry Collector's base URL. */
  endpoint?: string;
  /** Ingest key: `Authorization: Bearer` for fetch, `?key=` for beacons. */
  apiKey?: string;
  /** Required with transport 'custom'. */
  customTransport?: TransportFunction;
  /** Pattern-based PII redaction (default true). */
  redactPII?: boolean;
  /** Keys whose values are redacted. */
  redactFields?: string[];
  /** Log dropped input and failures to the console (default false). */
  debug?: boolean;
  /** Throttling window in ms (default 60000). */
  throttleWindowMs?: number;
  /** Events kept per throttling window (default 100). */
  maxEventsPerWindow?: number;
  /** Wait for `setConsent('granted')` before sending or storing anything (default false). */
  requireConsent?: boolean;
  /** Treat Global Privacy Control / Do-Not-Track as "denied" until consent is granted (default true). */
  respectDoNotTrack?: boolean;
  /** Extra patterns to redact: RegExp, regular-expression source, or { pattern, type } for `[REDACTED_<TYPE>]`. */
  redactPatterns?: Array<RegExp | string | { pattern: RegExp | string; type?: string }>;
  /** Query parameters whose values survive URL minimisation (default none). */
  allowedQueryParams?: string[];
  /** Last chance to edit or drop an event (return null); exceptions drop the event. */
  beforeSend?: (event: WireEvent) => Partial<Pick<WireEvent, 'type' | 'data'>> | null | undefined;
  /** Salt of the SHA-256 hash `identify` sends instead of the user id; set your own. */
  userIdSalt?: string;
  /** The application's release, sent as every event's `context.release` (1 to 200 characters). */
  release?: string;
  /** The release's distribution (build variant), sent as `context.dist` (1 to 200 characters). */
  dist?: string;
  /**
   * Where fetch and XHR requests carry `traceparent` (web and full entries): origins
   * (`'https://api.example.com'`), URL prefixes (`'https://api.example.com/v1/'`, `'/api/'`) and
   * RegExps tested on the absolute URL. Absent: the page's own origin. `[]`: nowhere.
   */
  tracePropagationTargets?: (string | RegExp)[];
  /**
   * Probability that the page view's trace is kept and its spans sent (web and full entries),
   * decided once when the collector is made (default 0: no span is sent, and requests carry
   * `traceparent` with the sampled flag off).
   */
  tracesSampleRate?: number;
  /** `service.name` of the OTLP export (default 'unknown_service'). */
  serviceName?: string;
  /** Probability of keeping an error event under 'probabilistic' sampling (default 1). */
  errorSamplingRate?: number;
    /** Error events kept per throttling window under 'throttled' sampling (default 100). */
  maxErrorsPerWindow?: number;
  /** Ceiling of the first retry's wait in ms; doubles per retry, full jitter (default 1000). */
  retryBaseMs?: number;
  /** Largest retry wait in ms (default 60000). */
  retryMaxMs?: number;
  /** Consecutive failed sends that open the circuit breaker (default 5). */
  breakerThreshold?: number;
  /** How long an open breaker waits before probing the endpoint, in ms (default 30000). */
  breakerCooldownMs?: number;
}
/** The configuration in force, with defaults filled in. */
export type ResolvedTelemetryConfig = Required<
  Omit<TelemetryConfig, 'endpoint' | 'apiKey' | 'customTransport' | 'beforeSend' | 'redactPatterns' | 'release' | 'dist' | 'tracePropagationTargets'>
> &
  Pick<TelemetryConfig, 'endpoint' | 'apiKey' | 'customTransport' | 'beforeSend' | 'release' | 'dist' | 'tracePropagationTargets'>;
/** The user's consent state. */
export type ConsentState = 'pending' | 'granted' | 'denied';
/** An application event. */
export interface TelemetryEvent {
  type: string;
  timestamp?: number;
  data?: Record<string, unknown>;
}
/** A performance measurement. */
export interface PerformanceMetric {
  name: string;
  value: number;
  unit?: string;
  [extra: string]: unknown;
}
/** Buffer and delivery counters. */
export interface BufferStatus {
  size: number;
  maxSize: number;
  bytes: number;
  inFlight: number;
  accepted: number;
  sent: number;
  failedAttempts: number;
  /** Events held in this page's write-ahead journal in localStorage. */
  persisted: number;
  /** Journal writes that failed (storage full or blocked); events stayed in memory. */
  persistFailures: number;
  /** Events the endpoint acknowledged. */
  acknowledged: number;
  /** Failed send attempts that were retried. */
  retries: number;
  /** The circuit breaker. */
  breaker: 'closed' | 'open' | 'half-open';
  /** Whether the browser is online. */
  online: boolean;
  /** What went wrong with the last send, or null. */
  lastError: string | null;
  /** Events recovered from journals of earlier loads or closed tabs. */
  recovered: number;
  /** Journal lines found corrupt and dropped. */
  corrupt: number;
  /** Journal events older than seven days, dropped. */
  expired: number;
  consent: ConsentState;
  dropped: {
    disabled: number;
    sampled: number;
    throttled: number;
    consent: number;
    invalid: number;
    beforeSend: number;
    overflow: number;
    rejected: number;
  };
}

/** The link a collector gives the modules built on it (internal). */
export interface CollectorLink {
  submit(type: string | undefined, dataJson: string | undefined): boolean;
  endpoint(): string | undefined;
  mayStore(): boolean;
  userHash(id: string): string;
}

/**
 * Collects events, redacts them, buffers them and sends them in batches to the configured
 * transport, as far as the user's consent allows.
 */
export declare class TelemetryCollector {
  /** Throws a TypeError or RangeError naming the field and the rule when the configuration is invalid. */
  constructor(config?: TelemetryConfig);
  /** Records an event; returns whether it was accepted (invalid, sampled, throttled or unconsented input is dropped and counted). */
  track(event: TelemetryEvent): boolean;
  /** Records a performance measurement as a `performance` event. */
  trackPerformance(metric: PerformanceMetric): boolean;
  /** Records an error (an `Error` or any thrown value) with optional context as an `error` event. */
  trackError(error: unknown, context?: Record<string, unknown>): boolean;
  /** Identifies the user: only a salted SHA-256 of `userId` is sent; `traits` go, redacted, in an `identify` event. */
  identify(userId: string, traits?: Record<string, unknown>): boolean;
  /** Forgets the identified user. */
  resetUser(): void;
  /** Records the user's choice in localStorage (shared with other tabs); denying purges everything. */
  setConsent(consent: ConsentState): boolean;
  /** The consent state. */
  getConsent(): ConsentState;
  /** Sends everything accepted so far; resolves with the number of events delivered meanwhile. */
  flush(): Promise<number>;
  /** Stops the timers and listeners, sends what is buffered (keepalive) and refuses further events. */
  destroy(): void;
  /** The configuration in force, defaults included. */
  getConfig(): ResolvedTelemetryConfig;
  /** Changes some fields, validated as a whole: on a TypeError or RangeError nothing changes. */
  updateConfig(patch: Partial<TelemetryConfig>): void;
  /** Buffer size, delivery counters and discards by reason. */
  getBufferStatus(): BufferStatus;
  /**
   * Runs `fn` in a span named `name` (web and full entries; the collector entry just runs it):
   * requests, errors, events and spans started while `fn` runs belong to it, and a returned
   * promise ends it when it settles. A throw or rejection ends it as an error and is passed on.
   */
  startSpan<T>(name: string, fn: () => T, attributes?: Record<string, unknown>): T;
}

/** The TelemetryCollector class over an entry's wasm core, tracing and OTLP sender (internal). */
export function collectorClass(core: unknown, extras?: { sendOtlp?: unknown; tracing?: unknown }): {
  TelemetryCollector: typeof TelemetryCollector;
  linkOf(collector: TelemetryCollector): CollectorLink;
};
