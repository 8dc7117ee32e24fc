import type { Component, ErrorInfo, ReactElement, ReactNode } from 'react';
import type {
  AnalyticsOptions,
  ErrorTracking,
  ErrorTrackingOptions,
  HealthCheck,
  HealthCheckOptions,
  LlmTelemetry,
  LlmTelemetryOptions,
  PerformanceMetrics,
  PerformanceOptions,
  TelemetryCollector,
  TelemetryConfig,
  UsageAnalytics,
} from './index.js';

/** What `<TelemetryProvider>` creates: the collector, and each module unless set to `false`. */
export interface TelemetryProviderConfig {
  collector?: TelemetryConfig;
  performance?: PerformanceOptions | false;
  analytics?: AnalyticsOptions | false;
  errors?: ErrorTrackingOptions | false;
  health?: HealthCheckOptions | false;
  llm?: LlmTelemetryOptions | false;
}

/** The SDK instances of the nearest provider; `null` until the wasm has loaded. */
export interface Telemetry {
  ready: boolean;
  collector: TelemetryCollector | null;
  performance: PerformanceMetrics | null;
  analytics: UsageAnalytics | null;
  errors: ErrorTracking | null;
  health: HealthCheck | null;
  llm: LlmTelemetry | null;
}

/** Creates the SDK from `config` once the wasm has loaded and destroys it on unmount. */
export function TelemetryProvider(props: {
  config: TelemetryProviderConfig;
  children?: ReactNode;
  /** Where to load the `.wasm` from (default: next to the package entry). */
  wasm?: string | URL;
  /**
   * The package entry to use, as a module namespace (`import * as sdk from
   * 'wasm-telemetry/web'`); only its code is bundled. Default: `wasm-telemetry`, loaded on
   * demand. Modules the entry does not have stay `null`.
   */
  sdk?: typeof import('./index.js') | typeof import('./web.js') | typeof import('./collector.js');
}): ReactElement;

/** The nearest provider's SDK instances; throws outside a `<TelemetryProvider>`. */
export function useTelemetry(): Telemetry;

/** A stable `track(type, data?)`; calls made before the SDK is ready are sent once it is. */
export function useTrack(): (type: string, data?: Record<string, unknown>) => void;

/** Tracks `type` once when the component mounts (once under StrictMode too). */
export function useTrackMount(type: string, data?: Record<string, unknown>): void;

/** Props of `ErrorBoundary`. */
export interface ErrorBoundaryProps {
  children?: ReactNode;
  /** Rendered instead of the children after an error. */
  fallback?: ReactNode | ((props: { error: unknown; reset: () => void }) => ReactNode);
  /** Reported as the `boundary` of the error's context. */
  name?: string;
  /** Called after the error is reported. */
  onError?: (error: unknown, info: ErrorInfo) => void;
}

/** Reports render errors below it through ErrorTracking and renders `fallback`. */
export class ErrorBoundary extends Component<ErrorBoundaryProps, { error: unknown }> {}
