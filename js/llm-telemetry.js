// LlmTelemetry: the browser side of LLM cost telemetry. Its rules (usage normalisation,
// pricing, budgets, alert rules, forecasts and summaries) are in the wasm cores (kinds `llm` and `stream`);
// this class reads the application's values as JSON, keeps the alert timer, calls `onAlert`,
// persists the daily and monthly spend, and submits the events the core writes. Nothing it
// does after construction throws into the page, but a clear TypeError or RangeError.
import { read, write } from './platform.js';
import { ask, checked, count, openCore, run } from './core.js';
import { isRecord } from './read.js';
import * as op from './ops.js';

/** `localStorage` key of the daily and monthly spend. */
const SPEND_KEY = 'telemetry-llm-spend';

/** Whether `value` is an array (a revoked proxy is not one). */
function isList(value) {
  try {
    return Array.isArray(value);
  } catch {
    return false;
  }
}

/** `value` as JSON, or `fallback` when it cannot be serialised (cycles, BigInt, traps). A
 * function, symbol or BigInt keeps a place (`{}`), so the core sees a value of the wrong kind. */
function json(value, fallback) {
  try {
    return JSON.stringify(value, (key, v) => (['function', 'symbol', 'bigint'].includes(typeof v) ? {} : v)) ?? fallback;
  } catch {
    return fallback;
  }
}

/** `object[key]`, or `undefined` when reading it throws. */
function field(object, key) {
  try {
    return object[key];
  } catch {
    return undefined;
  }
}

/** The JSON object of the `keys` of `object` that are present and serialisable. */
function members(object, keys, fallbacks = {}) {
  const parts = [];
  for (const key of keys) {
    const value = field(object, key);
    if (value === undefined) continue;
    const text = json(value, fallbacks[key]);
    if (text !== undefined) parts.push(`${JSON.stringify(key)}:${text}`);
  }
  return `{${parts.join(',')}}`;
}

/** The call fields the core reads. */
const CALL_FIELDS = ['provider', 'model', 'usage', 'latencyMs', 'timeToFirstTokenMs', 'success', 'errorType', 'userId', 'space', 'promptCategory', 'batch', 'usagePartial'];

/** `pricing` as the core reads it: `null` (refused) for anything but a serialisable object or
 * array (genai-prices data is an array of providers). */
const pricingJson = (pricing) => (pricing !== null && typeof pricing === 'object' ? json(pricing, 'null') : 'null');

/** The chunk fields the core reads usage from. */
const CHUNK_FIELDS = ['type', 'usage', 'usageMetadata', 'message', 'response', 'candidates'];

/** The `LlmTelemetry` class of an entry, over that entry's wasm (its `llm` and `stream` cores). */
export function llmTelemetryClass(wasm, linkOf) {
  /** The usage of one streamed response, fed chunk by chunk (`createStreamAccumulator`). */
  class LlmStream {
    #core;

    constructor(provider) {
      this.#core = openCore(wasm, this, 'stream', [typeof provider === 'string' ? provider : '']);
    }

    /** Takes one chunk or event: an OpenAI Chat Completions chunk, a Responses API event, an
     * Anthropic event or a Gemini `GenerateContentResponse` chunk. */
    push(chunk) {
      run(this.#core, op.push, [chunk !== null && typeof chunk === 'object' ? members(chunk, CHUNK_FIELDS) : '{}']);
    }

    /** The normalised usage so far (`{ inputTokens, outputTokens, … }`), or `null` if none was
     * reported. */
    usage() {
      const usage = run(this.#core, op.usage);
      return usage === undefined ? null : JSON.parse(usage);
    }

    /** Whether the stream ended before its final usage. */
    isPartial() {
      return ask(this.#core, op.isPartial);
    }
  }

  class LlmTelemetry {
    #core;
    #link;
    #onAlert;
    #timer;

    /**
     * Options: `pricing` (extra or overriding model rates), `budgets: { session?, daily?,
     * monthly? }` in USD, `onAlert(alert)`, `alertRules` (replacing the default rules; `[]` for
     * none) and `alertIntervalMs` (30 000; 0 evaluates only on `checkAlerts()`). Throws a
     * TypeError or RangeError for a bad option.
     */
    constructor(collector, options) {
      this.#link = linkOf(collector);
      let text = '{}';
      if (isRecord(options)) {
        // A pricing table or rule list that cannot be read is refused (null), as a wrong one is.
        text = members(options, ['budgets', 'alertIntervalMs'], { alertIntervalMs: 'null' });
        const pricing = field(options, 'pricing');
        const rules = field(options, 'alertRules');
        const extra = [];
        if (pricing !== undefined) extra.push(`"pricing":${pricingJson(pricing)}`);
        if (rules !== undefined) extra.push(`"alertRules":${isList(rules) ? json(rules, 'null') : 'null'}`);
        if (extra.length) text = `{${[text.slice(1, -1), ...extra].filter(Boolean).join(',')}}`;
        const onAlert = field(options, 'onAlert');
        if (typeof onAlert === 'function') this.#onAlert = onAlert;
      }
      this.#core = openCore(wasm, this, 'llm', [text, read(SPEND_KEY)], [Date.now()]);
      const interval = count(this.#core, op.alertIntervalMs);
      if (interval > 0) {
        // The timer does not keep an instance the application dropped.
        const self = new WeakRef(this);
        const timer = setInterval(() => {
          const llm = self.deref();
          if (llm) llm.checkAlerts();
          else clearInterval(timer);
        }, interval);
        this.#timer = timer;
      }
    }

    /** Submits `[type, dataJson, …]`; alerts go to `onAlert` first. */
    #report(events) {
      for (let i = 0; i + 1 < events.length; i += 2) {
        const [kind, data] = [events[i], events[i + 1]];
        if (kind !== 'gen_ai.call' && this.#onAlert) {
          try {
            this.#onAlert(JSON.parse(data));
          } catch {
            // The application's callback may throw; that must not reach the caller.
          }
        }
        this.#link.submit(kind, data);
      }
    }

    /** The events the core raised since the last call, `[type, dataJson, …]`. */
    #takeEvents() {
      return JSON.parse(run(this.#core, op.takeEvents));
    }

    /** Writes the spend the core changed, when the collector may store. */
    #persist() {
      const spend = run(this.#core, op.takeSpend);
      if (spend !== undefined && this.#link.mayStore()) write(SPEND_KEY, spend);
    }

    /** `{ inputCost, cacheReadCost, cacheWriteCost, outputCost, totalCost, currency, priced }`
     * for a raw or normalised `usage`; an unpriced model or unknown usage gives `null` costs. */
    estimateCost(provider, model, usage, options) {
      const batch = isRecord(options) && field(options, 'batch') === true;
      const text = (value) => (typeof value === 'string' ? value : '');
      return JSON.parse(run(this.#core, op.estimateCost, [text(provider), text(model), isRecord(usage) ? json(usage, '{}') : '{}', batch]));
    }

    /**
     * Records a call `{ provider, model, usage, latencyMs, timeToFirstTokenMs?, success,
     * errorType?, userId?, space?, promptCategory?, batch? }` as a `gen_ai.call` event with OTel
     * GenAI attribute names (the user only as its salted hash), adds its cost to the budgets and
     * aggregates, and returns the cost (`null` for a call that is not an object).
     */
    trackCall(call) {
      if (!isRecord(call)) return null;
      const user = field(call, 'userId');
      const hash = typeof user === 'string' ? this.#link.userHash(user) : undefined;
      const usage = field(call, 'usage');
      const text = members(call, CALL_FIELDS.filter((key) => key !== 'usage'));
      // Usage that is not a plain, readable object is unknown usage.
      const usageText = isRecord(usage) ? json(usage, '{}') : undefined;
      const callJson = usageText === undefined ? text : `{"usage":${usageText}${text.length > 2 ? `,${text.slice(1)}` : '}'}`;
      const cost = run(this.#core, op.trackCall, [callJson, hash], [Date.now()]);
      // The call is submitted, then the spend persisted, then its budget alerts reported.
      const events = this.#takeEvents();
      this.#report(events.slice(0, 2));
      this.#persist();
      this.#report(events.slice(2));
      return cost === undefined ? null : JSON.parse(cost);
    }

    /** Adds or replaces model rates, from a table in the SDK's own format (`{ model: { input,
     * output, cacheRead?, … } }`), LiteLLM's or genai-prices'; a bad entry throws a TypeError
     * naming the model and the field. */
    setPricing(pricing) {
      checked(run(this.#core, op.setPricing, [pricingJson(pricing)], [Date.now()]));
    }

    /** `{ session, daily, monthly }`, each `{ limit, spent, ratio }` or `null`. */
    getBudgetStatus() {
      return JSON.parse(run(this.#core, op.budgetStatus));
    }

    /** When each budget runs out at the current rate: `{ session, daily, monthly }`, each
     * `null` (no budget) or `{ limit, spent, ratePerHour, exhaustsAt, remainingMs, periodEnd,
     * projectedSpend }`. */
    forecastBudgetExhaustion() {
      return JSON.parse(run(this.#core, op.forecast, [], [Date.now()]));
    }

    /** Evaluates the alert rules now (they are also evaluated every `alertIntervalMs`);
     * returns the alerts fired by this evaluation. */
    checkAlerts() {
      const fired = run(this.#core, op.checkAlerts, [], [Date.now()]);
      this.#report(this.#takeEvents());
      return JSON.parse(fired);
    }

    /** The latest alerts (budget and rule), oldest first, at most 100. */
    getTriggeredAlerts() {
      return JSON.parse(run(this.#core, op.triggeredAlerts));
    }

    /** Aggregates of the recent calls (the last 10 000 at most): `{ groupBy, windowMs, total,
     * groups }`. Options: `groupBy` (`'model'`), `windowMs` (default: since creation). */
    getSummary(options) {
      const groupBy = isRecord(options) ? field(options, 'groupBy') : undefined;
      const windowMs = isRecord(options) ? field(options, 'windowMs') : undefined;
      const texts = [typeof groupBy === 'string' ? groupBy : undefined];
      return JSON.parse(checked(run(this.#core, op.summary, texts, [typeof windowMs === 'number' ? windowMs : NaN, Date.now()])));
    }

    /** An accumulator for a streamed response from `provider` (`push`, `usage`, `isPartial`). */
    createStreamAccumulator(provider) {
      return new LlmStream(provider);
    }

    /** Stops evaluating alert rules on a timer. */
    destroy() {
      clearInterval(this.#timer);
      this.#timer = undefined;
    }
  }
  return LlmTelemetry;
}
