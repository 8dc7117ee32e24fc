// Types of the package entry `wasm-telemetry`: the web entry's, with UsageAnalytics and
// LlmTelemetry.
import type { TelemetryCollector } from './telemetry-collector.js';
import type { ErrorTracking } from './error-tracking.js';
import type { Init } from './entry.js';

export * from './web.js';
export { UsageAnalytics } from './usage-analytics.js';
export { LlmTelemetry } from './llm-telemetry.js';
export type { LlmStream } from './llm-telemetry.js';
export type {
  AlertMetric,
  AlertRule,
  AnalyticsOptions,
  BudgetAlert,
  BudgetForecast,
  BudgetForecasts,
  BudgetState,
  BudgetStatus,
  CallSummary,
  ConversationStats,
  Cost,
  FeatureAdoption,
  LlmAlert,
  LlmCall,
  LlmSummary,
  LlmTelemetryOptions,
  ModelRates,
  OwnPricing,
  NormalizedUsage,
  Pricing,
  ProactiveMetrics,
  RawUsage,
  RuleAlert,
  StreamChunk,
  SummaryOptions,
} from './module-types.js';

/** Loads and instantiates this entry's WebAssembly module. */
export declare const init: Init;
export default init;

/**
 * Replays what the loader stub queued before the SDK loaded, in order and with the original
 * times, then routes the stub's methods straight to the SDK. Returns how many entries were
 * replayed (0 without a stub).
 */
export function replayQueue(targets: { collector: TelemetryCollector; errors?: ErrorTracking }): number;
