// Types of the ErrorTracking class (error-tracking.js), shared by the web and full entries.
import type { CollectorLink, TelemetryCollector } from './telemetry-collector.js';

/** ErrorTracking options. */
export interface ErrorTrackingOptions {
  enabled?: boolean;
  /** window 'error' events (default true). */
  captureUnhandled?: boolean;
  /** 'unhandledrejection' events (default true). */
  captureUnhandledRejections?: boolean;
  /** Breadcrumbs kept, a whole number from 0 to 1000 (default 50). */
  maxBreadcrumbs?: number;
  /** Count repeats of the same error instead of sending each (default true). */
  deduplicate?: boolean;
  /** Automatic breadcrumbs (all default true). */
  breadcrumbs?: { clicks?: boolean; navigation?: boolean; http?: boolean; console?: boolean };
}
/** Error severities. */
export type Severity = 'debug' | 'info' | 'warning' | 'error' | 'critical';

/** Options of `captureError`. */
export interface CaptureOptions { severity?: Severity; context?: Record<string, unknown>; user?: Record<string, unknown> }
/** A breadcrumb. */
export interface Breadcrumb { category?: string; message?: string; level?: Severity; data?: Record<string, unknown> }
/** One group of identical errors. */
export interface ErrorGroup { fingerprint: string; type: string; message: string; count: number; firstSeen: number; lastSeen: number }
/** Error counts. */
export interface ErrorStats { totalErrors: number; uniqueGroups: number; recoveryRate: number | null; bySeverity: Record<Severity, number> }
/** Details of a recovery attempt. */
export interface RecoveryDetails { strategy?: string; attempts?: number }

/** Error capture with parsed stacks, breadcrumbs and grouping, reported through `collector`. */
export declare class ErrorTracking {
  /** Throws a TypeError when `collector` is not a TelemetryCollector, a RangeError for a bad `maxBreadcrumbs`. */
  constructor(collector: TelemetryCollector, options?: ErrorTrackingOptions);
  /** Captures an error (any thrown value); returns its id (also when a repeat is only counted), or `undefined` when disabled. */
  captureError(error: unknown, options?: CaptureOptions): string | undefined;
  /** Adds a breadcrumb. */
  addBreadcrumb(crumb: Breadcrumb): void;
  /** The error groups, most frequent first. */
  getErrorGroups(): ErrorGroup[];
  /** Records whether recovering from `errorId` worked; returns whether the event was accepted. */
  trackRecovery(errorId: string, success: boolean, details?: RecoveryDetails): boolean;
  /** Error counts. */
  getStats(): ErrorStats;
  /** Removes the global handlers and automatic breadcrumbs (wrapped methods are restored). */
  destroy(): void;
}

/** The ErrorTracking class over an entry's wasm core (internal). */
export function errorTrackingClass(wasm: unknown, linkOf: (collector: TelemetryCollector) => CollectorLink): typeof ErrorTracking;
