// HealthCheck: the browser side of service health monitoring. Its rules (the options, failure
// thresholds, healing, the system status, the events and the report) are in the wasm core
// (kind `health`); this class keeps the check functions and the timer, runs each check against
// the timeout and hands the core what came of it. Nothing it does after construction throws
// into the page, except registerService's TypeErrors.
import { ask, checked, openCore, run } from './core.js';
import * as op from './ops.js';

/** How a check ended, as the core reads it. */
const ANSWERED = 'answered';
const THREW = 'threw';
const TIMED_OUT = 'timedOut';

/** What the timeout resolves with; no check can answer with this object. */
const TIMEOUT = {};

/** `object[key]` if it is of type `type`; `undefined` otherwise and when reading throws. */
function field(object, key, type) {
  try {
    const value = object[key];
    return typeof value === type ? value : undefined;
  } catch {
    return undefined;
  }
}

/** The options object as JSON for the core: its own fields, where a value JSON cannot hold
 * (an object, a function, …) keeps its place as `{}` so the core refuses it. Options that are
 * not an object, or cannot be read, are none. */
function optionsJson(options) {
  const fields = {};
  try {
    if (options !== null && typeof options === 'object') {
      for (const [key, value] of Object.entries(options)) {
        fields[key] = ['number', 'boolean', 'string', 'undefined'].includes(typeof value) ? value : {};
      }
    }
  } catch {
    return '{}';
  }
  return JSON.stringify(fields);
}

/** Runs `check` against a `timeoutMs` timer: `[outcome, status, message, responseTime]`. */
async function runCheck(check, timeoutMs) {
  let timer;
  try {
    const answer = await Promise.race([
      check(),
      new Promise((resolve) => {
        timer = setTimeout(resolve, timeoutMs, TIMEOUT);
      }),
    ]);
    if (answer === TIMEOUT) return [TIMED_OUT];
    return [ANSWERED, field(answer, 'status', 'string'), field(answer, 'message', 'string'), field(answer, 'responseTime', 'number')];
  } catch (error) {
    return [THREW, undefined, field(error, 'message', 'string') ?? (typeof error === 'string' ? error : undefined)];
  } finally {
    clearTimeout(timer);
  }
}

/**
 * The `HealthCheck` class of an entry, over that entry's wasm (its `health` core); `linkOf` gives the link
 * of the collector it reports through.
 */
export function healthCheckClass(wasm, linkOf) {
  return class HealthCheck {
    #core;
    /** `{ enabled, timerMs, timeoutMs }`. */
    #wiring;
    #link;
    /** The check of each registered service, in the core's order. */
    #checks = new Map();
    #timer;

    /**
     * Options: `enabled` (true), `checkIntervalMs` (60000; 0 for on-demand only),
     * `failureThreshold` (3), `timeoutMs` (5000). Throws a RangeError naming the option and the
     * rule, and a TypeError when `collector` is not a TelemetryCollector.
     */
    constructor(collector, options) {
      this.#link = linkOf(collector);
      this.#core = openCore(wasm, this, 'health', [optionsJson(options)], [Date.now()]);
      this.#wiring = JSON.parse(run(this.#core, op.wiring));
      const interval = this.#wiring.timerMs;
      if (interval > 0) this.#timer = setInterval(() => this.#runAll(), interval);
    }

    /**
     * Registers (or replaces) a service check: `async () => ({ status, responseTime?, message? })`.
     * `critical` (default true) services make the whole system unhealthy when they fail.
     * Throws a TypeError when `name` is not a non-empty string or `check` not a function.
     */
    registerService(name, check, critical) {
      const text = typeof name === 'string' ? name : undefined;
      checked(run(this.#core, op.register, [text, typeof check === 'function', typeof critical === 'boolean' ? critical : undefined]));
      this.#checks.delete(text);
      this.#checks.set(text, check);
    }

    /** Removes a service. */
    unregisterService(name) {
      if (typeof name !== 'string') return;
      this.#checks.delete(name);
      run(this.#core, op.unregister, [name]);
    }

    /** Runs every check now; resolves with the health report. */
    async runChecks() {
      if (this.#wiring.enabled) await this.#runAll();
      return this.getHealthReport();
    }

    /** `{ status, services: [{ name, status, critical, consecutiveFailures, responseTime,
     * message, lastChecked }], uptime, timestamp }` as of the last checks. */
    getHealthReport() {
      return JSON.parse(run(this.#core, op.report, [], [Date.now()]));
    }

    /** Whether the system status is healthy. */
    isHealthy() {
      return ask(this.#core, op.isHealthy);
    }

    /** Stops the periodic checks. */
    destroy() {
      clearInterval(this.#timer);
    }

    /** Runs the checks one after the other and sends the `health.status` event of each
     * change. */
    async #runAll() {
      const core = this.#core;
      for (const [name, check] of [...this.#checks]) {
        const started = Date.now();
        const [outcome, status, message, responseTime] = await runCheck(check, this.#wiring.timeoutMs);
        const now = Date.now();
        const event = run(core, op.record, [name, outcome, status, message], [responseTime, now - started, now]);
        if (event === undefined) continue;
        try {
          this.#link.submit('health.status', event);
        } catch {
          // The collector counts what it refuses; nothing reaches the page.
        }
      }
    }
  };
}
