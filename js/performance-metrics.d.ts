// Types of the PerformanceMetrics class (performance-metrics.js), shared by the web and full
// entries.
import type { TelemetryCollector } from './telemetry-collector.js';

/** PerformanceMetrics options. */
export interface PerformanceOptions {
  /** Observe LCP, INP, CLS, FCP and TTFB (default true). */
  trackCoreWebVitals?: boolean;
  /** Observe resource timing and long tasks (default true). */
  trackResources?: boolean;
  /** AI operations kept for summaries (default 1000). */
  maxTimings?: number;
  /** Report every change of a vital, not only the final value (default false). */
  reportAllChanges?: boolean;
  /** Shortest interaction considered for INP, in ms (default 40). */
  durationThreshold?: number;
}
/** Core Web Vitals known so far (ms; CLS unitless). */
export interface CoreWebVitals { lcp?: number; fcp?: number; ttfb?: number; cls?: number; inp?: number }
/** One AI operation's timings. */
export interface AIOperation {
  contextGatheringMs?: number;
  contextCompressionMs?: number;
  apiCallMs?: number;
  totalMs?: number;
  tokens?: number;
  contextSizeBytes?: number;
  [extra: string]: unknown;
}
/** Exact summary of a window of values (nearest-rank percentiles). */
export interface TimingSummary { count: number; avg: number; min: number; max: number; p50: number; p95: number; p99: number }
/** `totalMs` summarised, and each field under `fields` (null while empty). */
export type AIOperationsSummary = (TimingSummary | { count: 0 }) & {
  fields: Record<'totalMs' | 'contextGatheringMs' | 'contextCompressionMs' | 'apiCallMs' | 'tokens' | 'contextSizeBytes', TimingSummary | null>;
};
/** Resource timing, long tasks and memory. */
export interface ResourceMetrics {
  resources: { count: number; transferBytes: number; slowest?: { url: string; duration: number } };
  longTasks: { count: number; totalBlockingTime: number };
  memory: { wasmBytes: number; jsHeapBytes?: number };
}

/** Core Web Vitals, resource timing, long tasks and AI-operation timings, reported through `collector`. */
export declare class PerformanceMetrics {
  /**
   * Starts observing. Throws a TypeError for anything but a collector, a RangeError for a
   * `maxTimings` that is not an integer between 1 and 100000.
   */
  constructor(collector: TelemetryCollector, options?: PerformanceOptions);
  /** The current values: `{ lcp, fcp, ttfb, cls, inp }` (absent until known). */
  getCoreWebVitals(): CoreWebVitals;
  /** `performance.mark(name)`. */
  mark(name: string): void;
  /** `performance.measure(name, start, end)`: the duration in ms, or `undefined` when a mark is missing. */
  measure(name: string, start: string, end?: string): number | undefined;
  /** Records one AI operation and reports it as an `ai.operation` event; returns whether it was accepted. */
  trackAIOperation(operation: AIOperation): boolean;
  /** `totalMs` over the last `maxTimings` operations (exact, nearest-rank percentiles), and each field under `fields`. */
  getAIOperationsSummary(): AIOperationsSummary;
  /** Resource timing (count, transfer bytes, slowest), long tasks (count, total blocking time) and memory. */
  getResourceMetrics(): ResourceMetrics;
  /** Stops observing. */
  destroy(): void;
}
