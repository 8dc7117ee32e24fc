// Types of the LlmTelemetry class (llm-telemetry.js), in the entry `wasm-telemetry`.
import type {
  BudgetForecasts,
  BudgetStatus,
  Cost,
  LlmAlert,
  LlmCall,
  LlmSummary,
  LlmTelemetryOptions,
  Pricing,
  RawUsage,
  RuleAlert,
  StreamChunk,
  SummaryOptions,
  NormalizedUsage,
} from './module-types.js';
import type { TelemetryCollector } from './telemetry-collector.js';

/** The usage of one streamed response, fed chunk by chunk (`createStreamAccumulator`). */
export declare class LlmStream {
  private constructor();
  /** Takes one chunk or event: an OpenAI Chat Completions chunk, a Responses API event, an Anthropic event or a Gemini chunk. */
  push(chunk: StreamChunk): void;
  /** The normalised usage so far, or `null` if none was reported. */
  usage(): NormalizedUsage | null;
  /** Whether the stream ended before its final usage. */
  isPartial(): boolean;
}

/** LLM cost and token telemetry with budgets, alerts and forecasts, reported through `collector`. */
export declare class LlmTelemetry {
  /**
   * Options: `pricing` (extra or overriding model rates), `budgets: { session?, daily?,
   * monthly? }` in USD, `onAlert(alert)`, `alertRules` (replacing the default rules; `[]` for
   * none) and `alertIntervalMs` (30 000; 0 evaluates only on `checkAlerts()`). Throws a
   * TypeError or RangeError for a bad option.
   */
  constructor(collector: TelemetryCollector, options?: LlmTelemetryOptions);
  /** The cost of a raw or normalised `usage`; an unpriced model or unknown usage gives `null` costs. */
  estimateCost(provider: string, model: string, usage: RawUsage | null | undefined, options?: { batch?: boolean }): Cost;
  /**
   * Records a call as a `gen_ai.call` event with OTel GenAI attribute names (the user only as
   * its salted hash), adds its cost to the budgets and aggregates, and returns the cost.
   */
  trackCall(call: LlmCall): Cost | null;
  /**
   * Adds or replaces model rates from a table in the SDK's own format, LiteLLM's or
   * genai-prices'; a bad entry throws a TypeError naming the model and the field.
   */
  setPricing(pricing: Pricing): void;
  /** Every budget's spend. */
  getBudgetStatus(): BudgetStatus;
  /** When each budget runs out at the current rate. */
  forecastBudgetExhaustion(): BudgetForecasts;
  /** Evaluates the alert rules now; returns the alerts fired by this evaluation. */
  checkAlerts(): RuleAlert[];
  /** The latest alerts (budget and rule), oldest first, at most 100. */
  getTriggeredAlerts(): LlmAlert[];
  /** Aggregates of the recent calls, grouped by model, provider, user or space. */
  getSummary(options?: SummaryOptions): LlmSummary;
  /** An accumulator for a streamed response from `provider` (`push`, `usage`, `isPartial`). */
  createStreamAccumulator(provider: string): LlmStream;
  /** Stops evaluating alert rules on a timer. */
  destroy(): void;
}
