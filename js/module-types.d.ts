// TypeScript declarations of the options, inputs and reports of UsageAnalytics and
// LlmTelemetry (the other classes' are in their own .d.ts files).
import type { CollectorLink } from './telemetry-collector.js';
import type { TimingSummary } from './performance-metrics.js';
/** UsageAnalytics options: which kinds of usage are recorded (all default true). */
export interface AnalyticsOptions { trackFeatures?: boolean; trackConversations?: boolean; trackProviders?: boolean; trackProactive?: boolean }
/** Adoption of one feature. */
export interface FeatureAdoption { featureId: string; uses: number; actions: Record<string, number>; firstUsed: number; lastUsed: number }
/** Conversations: counts, success rate, averages (null when unknown). */
export interface ConversationStats {
  started: number;
  active: number;
  ended: number;
  successRate: number | null;
  avgMessages: number | null;
  avgDurationMs: number | null;
  avgLengthByRole: Record<string, number>;
  byProvider: Record<string, number>;
  providers: Record<string, { requests: number; errors: number; tokens: number; avgLatencyMs: number }>;
}
/** Proactive suggestions: shown, accepted, dismissed, acceptance rate, median time to accept. */
export interface ProactiveMetrics { shown: number; accepted: number; dismissed: number; acceptanceRate: number | null; medianTimeToAcceptMs: number | null }


/** Rates of one model in USD per million tokens; a rate left out falls back (audio and image to
 * text, cache reads and writes to input, 1-hour writes to 5-minute writes). */
export interface ModelRates {
  input: number; output: number; cacheRead?: number; cacheWrite5m?: number; cacheWrite1h?: number;
  audioInput?: number; audioCacheRead?: number; audioOutput?: number; imageInput?: number; imageOutput?: number;
}
/** The SDK's own table: rates per model, with other names, long-context tiers (every token of a
 * request with more than `above` input tokens, default 200000) and batch rates. */
export type OwnPricing = Record<string, ModelRates & {
  aliases?: string[];
  longContext?: Partial<ModelRates> & { above?: number } | Array<Partial<ModelRates> & { above?: number }>;
  batch?: Partial<ModelRates>;
}>;
/** A price table: the SDK's own format, entries of LiteLLM's
 * `model_prices_and_context_window.json` (USD per token), or genai-prices data (its providers
 * array, one provider, or a list of its models). */
export type Pricing = OwnPricing | Record<string, Record<string, unknown>> | Array<Record<string, unknown>>;
/** A metric an alert rule watches. */
export type AlertMetric = 'errorRate' | 'latencyAvg' | 'latencyP95' | 'requests' | 'tokens' | 'cost' | 'budgetUsage';
/** An alert rule: fires after `consecutive` violating evaluations in a row. */
export interface AlertRule { name: string; metric: AlertMetric; operator: '>' | '>=' | '<' | '<='; threshold: number; consecutive?: number; windowMs?: number }
/** A budget alert (80, 95 and 100 % of a budget, once per period). */
export interface BudgetAlert { type: 'budget'; budget: 'session' | 'daily' | 'monthly'; level: number; spent: number; limit: number; triggeredAt: number }
/** An alert rule that fired. */
export interface RuleAlert { type: 'rule'; rule: string; metric: AlertMetric; operator: string; threshold: number; value: number; consecutive: number; windowMs: number; triggeredAt: number }
/** Any alert. */
export type LlmAlert = BudgetAlert | RuleAlert;
/** LlmTelemetry options. */
export interface LlmTelemetryOptions {
  /** Extra or overriding model rates. */
  pricing?: Pricing;
  /** Budgets in USD. */
  budgets?: { session?: number; daily?: number; monthly?: number };
  /** Called for each alert. */
  onAlert?: (alert: LlmAlert) => void;
  /** Replaces the default rules (error rate > 10 %, p95 latency > 5 s, spend > 120 % of a budget); [] for none. */
  alertRules?: AlertRule[];
  /** How often rules are evaluated, in ms (default 30000; 0: only on checkAlerts()). */
  alertIntervalMs?: number;
}
/** Token usage, normalised: input includes cached tokens, output includes reasoning; null when unknown. */
export interface NormalizedUsage {
  inputTokens: number | null;
  outputTokens: number | null;
  cacheReadTokens: number | null;
  cacheWrite5mTokens: number | null;
  cacheWrite1hTokens: number | null;
  reasoningTokens: number | null;
  audioInputTokens: number | null;
  audioCacheReadTokens: number | null;
  audioOutputTokens: number | null;
  imageInputTokens: number | null;
  imageCacheReadTokens: number | null;
  imageOutputTokens: number | null;
}
/** Raw usage of an OpenAI, Anthropic or Gemini response, or normalised usage. */
export type RawUsage = Record<string, unknown> | Partial<NormalizedUsage>;
/** A call's cost in USD; null costs when the model or usage is unknown. */
export interface Cost {
  inputCost: number | null;
  cacheReadCost: number | null;
  cacheWriteCost: number | null;
  outputCost: number | null;
  totalCost: number | null;
  currency: 'USD';
  priced: boolean;
}
/** One LLM call. */
export interface LlmCall {
  provider: string;
  model: string;
  usage?: RawUsage | null;
  latencyMs?: number;
  timeToFirstTokenMs?: number;
  success?: boolean;
  errorType?: string;
  /** Kept in memory for getSummary; sent only as its salted hash. */
  userId?: string;
  space?: string;
  promptCategory?: string;
  batch?: boolean;
  /** The usage is what a stream cut short reported (`stream.isPartial()`): the cost is a lower bound. */
  usagePartial?: boolean;
}
/** Spend of one budget. */
export interface BudgetState { limit: number; spent: number; ratio: number }
/** Every budget's spend (null when not configured). */
export interface BudgetStatus { session: BudgetState | null; daily: BudgetState | null; monthly: BudgetState | null }
/** When one budget runs out at the current rate. */
export interface BudgetForecast { limit: number; spent: number; ratePerHour: number | null; exhaustsAt: number | null; remainingMs: number | null; periodEnd: number | null; projectedSpend: number | null }
/** Every budget's forecast. */
export interface BudgetForecasts { session: BudgetForecast | null; daily: BudgetForecast | null; monthly: BudgetForecast | null }
/** Aggregates of a set of calls. */
export interface CallSummary {
  requests: number;
  requestsPerMinute: number;
  inputTokens: number;
  outputTokens: number;
  totalTokens: number;
  cachedTokens: number;
  unknownUsage: number;
  totalCost: number;
  unpriced: number;
  latency: TimingSummary | null;
  errors: number;
  errorRate: number;
  errorsByType: Record<string, number>;
  cacheHits: number;
  cacheMisses: number;
  cacheHitRate: number;
}
/** Options of getSummary. */
export interface SummaryOptions { groupBy?: 'model' | 'provider' | 'user' | 'space'; windowMs?: number }
/** getSummary's result. */
export interface LlmSummary { groupBy: string; windowMs: number | null; total: CallSummary; groups: Record<string, CallSummary> }
/** An OpenAI Chat Completions chunk, an OpenAI Responses API event, an Anthropic event or a Gemini chunk. */
export type StreamChunk = {
  type?: string;
  usage?: RawUsage | null;
  message?: { usage?: RawUsage };
  response?: { usage?: RawUsage | null };
  usageMetadata?: RawUsage;
  candidates?: Array<{ finishReason?: string } & Record<string, unknown>>;
} & Record<string, unknown>;
