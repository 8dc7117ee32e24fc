// PerformanceMetrics: the browser side of the Core Web Vitals, marks and measures, AI-operation
// timings and resource figures. Its rules (which entries count, CLS session windows, INP, when
// LCP stops, ratings, deltas and ids, the restart after a bfcache restore, the AI summaries,
// total blocking time, the options) are in the wasm core (kind `vitals`); this class keeps the
// PerformanceObservers and listeners, reads each entry into numbers and strings for the core,
// and submits the `web-vital` events the core writes. Nothing it does after construction throws
// into the page.
import { listen } from './platform.js';
import { openCore, run } from './core.js';
import { isRecord, selector } from './read.js';
import * as op from './ops.js';

/** A number read from the browser, 0 for anything else. */
const num = (value) => (typeof value === 'number' ? value : 0);

/** A string read from the browser, `undefined` for anything else. */
const str = (value) => (typeof value === 'string' ? value : undefined);

/** The option names and the type each takes; a value of another type reads as absent. */
const OPTIONS = {
  trackCoreWebVitals: 'boolean',
  trackResources: 'boolean',
  maxTimings: 'number',
  reportAllChanges: 'boolean',
  durationThreshold: 'number',
};

/** The options as the core reads them: JSON of the booleans and numbers given, with `NaN` and
 * the infinities (which JSON cannot hold) by name. */
function optionsJson(options) {
  const picked = {};
  let record = false;
  try {
    record = isRecord(options);
  } catch {
    // Options that cannot be read are the defaults.
  }
  for (const [key, type] of Object.entries(OPTIONS)) {
    try {
      const value = record ? options[key] : undefined;
      if (typeof value === type) picked[key] = type === 'number' && !Number.isFinite(value) ? String(value) : value;
    } catch {
      // An option that cannot be read is its default.
    }
  }
  return JSON.stringify(picked);
}

const perf = () => globalThis.performance;

/** `performance.interactionCount`, 0 where the browser has none. */
const interactionCount = () => num(perf()?.interactionCount);

/** `performance.getEntriesByType(type)`, `[]` where that fails. */
function entriesOf(type) {
  try {
    return Array.from(perf().getEntriesByType(type));
  } catch {
    return [];
  }
}

/** Observes `type` (buffered, with `extra` options) and calls `read` with each list of entries;
 * `undefined` where the browser cannot observe that type. */
function observe(type, read, extra) {
  try {
    const Observer = globalThis.PerformanceObserver;
    if (!Observer.supportedEntryTypes.includes(type)) return undefined;
    const observer = new Observer((list) => {
      try {
        read(list.getEntries());
      } catch {
        // An entry that cannot be read is left out.
      }
    });
    observer.observe({ type, buffered: true, ...extra });
    return observer;
  } catch {
    return undefined;
  }
}

function disconnect(observer) {
  try {
    observer?.disconnect();
  } catch {
    // Already gone.
  }
}

/** The `PerformanceMetrics` class of an entry, over that entry's wasm (its `vitals` core). */
export function performanceMetricsClass(wasm, linkOf) {
  return class PerformanceMetrics {
    #core;
    /** What to observe: `{ vitals, resources, durationThreshold }`. */
    #wiring;
    #link;
    #observers = [];
    /** Observes LCP until the first input, which makes it final. */
    #lcp;
    #unlisten = [];
    /** Cancels the pending read of INP, if one is scheduled. */
    #cancelEvents;

    /**
     * Starts observing. Options: `trackCoreWebVitals` (true), `trackResources` (true),
     * `maxTimings` (1000), `reportAllChanges` (false), `durationThreshold` (40 ms). Throws a
     * TypeError for anything but a collector, a RangeError for a bad `maxTimings`.
     */
    constructor(collector, options) {
      this.#link = linkOf(collector);
      const json = optionsJson(options);
      const navigation = entriesOf('navigation')[0];
      const document = globalThis.document;
      let prerendering = false;
      let hidden = false;
      try {
        prerendering = document?.prerendering === true;
        hidden = document?.visibilityState === 'hidden';
      } catch {
        // A document that cannot be read is visible and loaded normally.
      }
      this.#core = openCore(wasm, this, 'vitals', [json, str(navigation?.type), prerendering, hidden], [num(navigation?.activationStart), Date.now()]);
      this.#wiring = JSON.parse(run(this.#core, op.wiring));
      if (this.#wiring.vitals) this.#startVitals();
      if (this.#wiring.resources) {
        this.#observe('longtask', (entries) => {
          for (const entry of entries) run(this.#core, op.longTask, [], [num(entry.duration)]);
        });
      }
    }

    /** Submits each `web-vital` event of the core's answer (one JSON per line). */
    #submit(reports) {
      for (const data of (reports ?? '').split('\n')) if (data) this.#link.submit('web-vital', data);
    }

    #observe(type, read, extra) {
      const observer = observe(type, read, extra);
      if (observer) this.#observers.push({ observer, read });
      return observer;
    }

    /** Reads INP from the entries handed over so far in the next idle period (at most a second
     * away), as web-vitals does: by then the `event` entries of an interaction presented in one
     * frame have all arrived, and its `first-input` entry no longer stands alone. */
    #scheduleEvents() {
      if (this.#cancelEvents) return;
      const read = () => {
        this.#cancelEvents = undefined;
        this.#readEvents();
      };
      try {
        if (typeof requestIdleCallback === 'function') {
          const handle = requestIdleCallback(read, { timeout: 1000 });
          this.#cancelEvents = () => cancelIdleCallback(handle);
        } else {
          const handle = setTimeout(read, 0);
          this.#cancelEvents = () => clearTimeout(handle);
        }
      } catch {
        read();
      }
    }

    /** Reads INP now if a read is pending (the page is being hidden). */
    #eventsNow() {
      const cancel = this.#cancelEvents;
      if (!cancel) return;
      this.#cancelEvents = undefined;
      try {
        cancel();
      } catch {
        // The pending read is read here instead.
      }
      this.#readEvents();
    }

    /** INP from the entries handed over so far, with `performance.interactionCount`. */
    #readEvents() {
      this.#submit(run(this.#core, op.eventsDone, [], [interactionCount()]));
    }

    /** The page is hidden or left: what the observers still hold is read, then the values
     * are final. */
    #hidden(event) {
      this.#drain();
      this.#eventsNow();
      this.#submit(run(this.#core, op.hidden, [], [num(event.timeStamp)]));
    }

    /** Reads the entries every observer holds but has not delivered yet, as web-vitals does
     * when the page is hidden: an interaction's click can still be queued behind its paint. */
    #drain() {
      for (const { observer, read } of this.#observers) {
        try {
          const records = observer.takeRecords();
          if (records.length > 0) read(records);
        } catch {
          // Nothing more to read.
        }
      }
    }

    #onLcp(entries) {
      const entry = entries.at(-1);
      if (entry) this.#submit(run(this.#core, op.lcp, [selector(entry.element), str(entry.url)], [num(entry.startTime)]));
    }

    /** Stops observing LCP, reading what the observer holds. */
    #takeLcp() {
      const observer = this.#lcp;
      this.#lcp = undefined;
      if (!observer) return;
      let records = [];
      try {
        records = observer.takeRecords();
      } catch {
        // Nothing more to read.
      }
      disconnect(observer);
      this.#onLcp(records);
    }

    #startVitals() {
      const core = this.#core;
      this.#observe('paint', (entries) => {
        for (const entry of entries) this.#submit(run(core, op.paint, [str(entry.name) ?? ''], [num(entry.startTime)]));
      });
      this.#lcp = observe('largest-contentful-paint', (entries) => this.#onLcp(entries));
      this.#observe('layout-shift', (entries) => {
        for (const entry of entries) {
          let target;
          try {
            target = selector(entry.sources?.[0]?.node);
          } catch {
            // No source to name.
          }
          run(core, op.shift, [target, entry.hadRecentInput === true], [num(entry.startTime), num(entry.value)]);
        }
        this.#submit(run(core, op.shiftsDone));
      });
      for (const type of ['event', 'first-input']) {
        this.#observe(type, (entries) => {
          for (const entry of entries) {
            const timing = [entry.interactionId, entry.duration, entry.startTime, entry.processingStart, entry.processingEnd];
            run(core, op.event, [str(entry.name) ?? '', selector(entry.target)], timing.map(num));
          }
          this.#scheduleEvents();
        }, { durationThreshold: this.#wiring.durationThreshold });
      }
      // LCP stops at the first trusted key press or click.
      for (const type of ['keydown', 'click']) {
        this.#listen(globalThis, type, (event) => {
          if (event.isTrusted !== true) return;
          this.#takeLcp();
          this.#submit(run(core, op.stopLcp));
        });
      }
      const document = globalThis.document;
      this.#listen(document, 'visibilitychange', (event) => {
        if (document.visibilityState !== 'hidden') return;
        this.#takeLcp();
        this.#hidden(event);
      });
      this.#listen(globalThis, 'pagehide', (event) => this.#hidden(event));
      this.#listen(globalThis, 'pageshow', (event) => {
        if (event.persisted !== true) return;
        const restoredAt = num(event.timeStamp);
        this.#eventsNow();
        this.#submit(run(core, op.restore, [], [interactionCount(), Date.now()]));
        // FCP and LCP after a restore: the time to the next frame, read two frames later.
        try {
          requestAnimationFrame(() => requestAnimationFrame(() => {
            this.#submit(run(core, op.restoredFrame, [], [num(perf()?.now()), restoredAt]));
          }));
        } catch {
          // Without frames there is no paint to time.
        }
      });
      // TTFB once the navigation entry is complete (after load).
      const ttfb = () => {
        const navigation = entriesOf('navigation')[0];
        if (navigation) this.#submit(run(core, op.ttfb, [], [num(navigation.requestStart), num(navigation.responseStart)]));
      };
      let complete = false;
      try {
        complete = document?.readyState === 'complete';
      } catch {
        // Read as still loading.
      }
      if (complete) ttfb();
      else this.#listen(globalThis, 'load', ttfb);
    }

    /** Listens to `type` on `target` until `destroy()`; what the handler throws stays here. */
    #listen(target, type, handler) {
      if (!target) return;
      this.#unlisten.push(
        listen(target, type, (event) => {
          try {
            handler(event);
          } catch {
            // A page event that cannot be read is ignored.
          }
        }),
      );
    }

    /** The current values: `{ lcp, fcp, ttfb, cls, inp }` (absent until known). */
    getCoreWebVitals() {
      return JSON.parse(run(this.#core, op.vitals));
    }

    /** `performance.mark(name)`. */
    mark(name) {
      if (typeof name !== 'string') return;
      try {
        perf().mark(name);
      } catch {
        // A mark the browser refuses is not made.
      }
    }

    /** `performance.measure(name, start, end)`; returns the duration in ms, or `undefined` when
     * a mark is missing or a name is not a string. */
    measure(name, start, end) {
      if (typeof name !== 'string' || typeof start !== 'string' || !(typeof end === 'string' || end === undefined)) return undefined;
      try {
        const measured = end === undefined ? perf().measure(name, start) : perf().measure(name, start, end);
        return typeof measured?.duration === 'number' ? measured.duration : undefined;
      } catch {
        return undefined;
      }
    }

    /** Records one AI operation `{ contextGatheringMs, contextCompressionMs, apiCallMs, totalMs,
     * tokens, contextSizeBytes }` and reports it as an `ai.operation` event. */
    trackAIOperation(operation) {
      try {
        if (!isRecord(operation)) return false;
      } catch {
        return false;
      }
      let json;
      try {
        json = JSON.stringify(operation);
      } catch {
        // Cycles, BigInt, throwing getters: sent without data.
      }
      if (json !== undefined) run(this.#core, op.trackAI, [json]);
      return this.#link.submit('ai.operation', json);
    }

    /** `{ count, avg, min, max, p50, p95, p99 }` of `totalMs` over the last `maxTimings`
     * operations (exact, nearest-rank percentiles), with the same for each field under
     * `fields`. */
    getAIOperationsSummary() {
      return JSON.parse(run(this.#core, op.aiSummary));
    }

    /** Resource timing (count, transfer bytes, slowest), long tasks (count, total blocking
     * time) and memory (wasm memory; JS heap where the browser exposes it). */
    getResourceMetrics() {
      const entries = entriesOf('resource');
      // The JS heap first, then each entry's transfer size and duration.
      const numbers = [NaN];
      const names = [];
      try {
        for (const entry of entries) {
          const [size, duration, name] = [num(entry.transferSize), num(entry.duration), str(entry.name) ?? ''];
          numbers.push(size, duration);
          names.push(name);
        }
        const heap = perf().memory?.usedJSHeapSize;
        if (typeof heap === 'number') numbers[0] = heap;
      } catch {
        // What could not be read is left out.
      }
      return JSON.parse(run(this.#core, op.resources, names, numbers));
    }

    /** Stops observing. */
    destroy() {
      try {
        this.#cancelEvents?.();
      } catch {
        // Nothing was pending.
      }
      this.#cancelEvents = undefined;
      for (const { observer } of this.#observers.splice(0)) disconnect(observer);
      disconnect(this.#lcp);
      this.#lcp = undefined;
      for (const unlisten of this.#unlisten.splice(0)) unlisten();
    }
  };
}
