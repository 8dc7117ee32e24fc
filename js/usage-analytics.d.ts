// Types of the UsageAnalytics class (usage-analytics.js).
import type { AnalyticsOptions, ConversationStats, FeatureAdoption, ProactiveMetrics } from './module-types.js';
import type { CollectorLink, TelemetryCollector } from './telemetry-collector.js';

/** Feature adoption, conversations, provider requests and suggestions, reported through `collector`. */
export declare class UsageAnalytics {
  /** Options: `trackFeatures`, `trackConversations`, `trackProviders`, `trackProactive` (all true). */
  constructor(collector: TelemetryCollector, options?: AnalyticsOptions);
  /** A feature was used (`action`: `opened`, `enabled`, …); `meta` goes with the event. */
  trackFeature(featureId: string, action: string, meta?: Record<string, unknown>): void;
  /** A conversation started with `provider`. */
  startConversation(id: string, provider: string): void;
  /** A message of `length` characters by `role`. The content itself is never taken. */
  trackMessage(id: string, length: number, role: string): void;
  /** A conversation ended. */
  endConversation(id: string, success: boolean): void;
  /** A request to `provider` took `latencyMs` and used `tokens`. */
  trackProviderRequest(provider: string, latencyMs: number, success: boolean, tokens: number): void;
  /** A proactive suggestion was shown; `meta` (e.g. `{ intrusionLevel }`) goes with the event. */
  trackProactiveSuggestion(id: string, meta?: Record<string, unknown>): void;
  /** A suggestion was accepted after `timeToAcceptMs`. */
  trackProactiveAcceptance(id: string, timeToAcceptMs: number): void;
  /** A suggestion was dismissed. */
  trackProactiveDismissal(id: string): void;
  /** `[{ featureId, uses, actions, firstUsed, lastUsed }]`, most used first. */
  getFeatureAdoptionStats(): FeatureAdoption[];
  /** `{ started, active, ended, successRate, avgMessages, avgDurationMs, avgLengthByRole, byProvider, providers }`. */
  getConversationStats(): ConversationStats;
  /** `{ shown, accepted, dismissed, acceptanceRate, medianTimeToAcceptMs }`. */
  getProactiveMetrics(): ProactiveMetrics;
}

/** The UsageAnalytics class over an entry's wasm core (internal). */
export function usageAnalyticsClass(core: unknown, linkOf: (collector: TelemetryCollector) => CollectorLink): typeof UsageAnalytics;
