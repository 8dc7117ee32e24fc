// TelemetryCollector: the browser side of a collector. Its rules (validation, sampling,
// redaction, consent, batching, the journal, retry and the breaker) are in the wasm core
// (kind `collector`); this class reads the page's arguments, keeps the timers and listeners,
// reads and writes storage and sends the requests the core prepares. Nothing it does after
// construction throws into the page.
import {
  CONSENT_KEY,
  JOURNAL_PREFIX,
  LOCAL_EVENTS_KEY,
  beacon,
  debugLog,
  hasLocks,
  holdLock,
  keys,
  listen,
  offline,
  pageUrl,
  post,
  privacySignal,
  read,
  remove,
  seed,
  withFreeLock,
  write,
} from './platform.js';
import { ask, checked, count, openCore, run, setPatterns } from './core.js';
import { isRecord, readError } from './read.js';
import * as op from './ops.js';

/** The core's answers to an event: dropped, buffered, or held for `beforeSend`; `FULL` more
 * when a full batch waits to be sent. */
const BUFFERED = 1;
const HELD = 2;
const FULL = 10;

/** `data` as the core takes it: `undefined` for none, the JSON of a plain object, or `false`
 * for anything else. Throws when serialising throws (cycles, BigInt, getters). */
const serialise = (value) => (value === undefined || value === null ? undefined : isRecord(value) ? JSON.stringify(value) : false);


const must = (field, what) => new TypeError(`${field} must be ${what}`);

const PATTERNS_EXPECTED = 'an array of RegExp, regular-expression strings or { pattern, type } objects';

/** A global copy of one `redactPatterns` entry and its marker. */
function compilePattern(entry) {
  let pattern = entry;
  let type = 'CUSTOM';
  if (!(entry instanceof RegExp) && typeof entry !== 'string') {
    if (entry === null || typeof entry !== 'object') throw must('redactPatterns', PATTERNS_EXPECTED);
    pattern = entry.pattern;
    if (typeof entry.type === 'string') type = entry.type;
  }
  const [source, flags] = pattern instanceof RegExp ? [pattern.source, pattern.flags] : [pattern, ''];
  if (typeof source !== 'string' || typeof flags !== 'string') throw must('redactPatterns', PATTERNS_EXPECTED);
  return [new RegExp(source, flags.includes('g') ? flags : `${flags}g`), `[REDACTED_${type.toUpperCase()}]`];
}

/** `redactPatterns` as the function the core calls on every string: the redacted text, or
 * `undefined` when nothing matched. */
function compilePatterns(value) {
  let compiled;
  try {
    if (!Array.isArray(value)) throw 0;
    compiled = Array.from(value, compilePattern);
  } catch {
    throw must('redactPatterns', PATTERNS_EXPECTED);
  }
  if (compiled.length === 0) return undefined;
  return (text) => {
    let out = text;
    for (const [regex, marker] of compiled) out = out.replace(regex, marker);
    return out === text ? undefined : out;
  };
}

/**
 * Splits a configuration object into what the core validates (as JSON) and the functions and
 * patterns this class keeps. Throws a TypeError for an object that cannot be read.
 */
function readConfig(config) {
  if (config === undefined || config === null) return { json: '{}' };
  let fields;
  try {
    if (!isRecord(config)) throw 0;
    fields = { ...config };
  } catch {
    throw must('config', 'an object');
  }
  const { customTransport, beforeSend, redactPatterns, tracePropagationTargets: targets } = fields;
  for (const [field, value] of [['customTransport', customTransport], ['beforeSend', beforeSend]]) {
    if (value !== undefined && typeof value !== 'function') throw must(field, 'a function');
  }
  const patterns = redactPatterns === undefined ? undefined : compilePatterns(redactPatterns);
  delete fields.beforeSend;
  delete fields.redactPatterns;
  if (customTransport !== undefined) fields.customTransport = true;
  // RegExp targets are tested here; the core checks the strings and everything else.
  let regexps;
  if (Array.isArray(targets)) {
    regexps = targets.filter((target) => target instanceof RegExp);
    fields.tracePropagationTargets = targets.filter((target) => !(target instanceof RegExp));
  }
  let json;
  try {
    // A value JSON cannot hold keeps a place, so the core names the field it is wrong for.
    json = JSON.stringify(fields, (key, value) => (['function', 'symbol', 'bigint'].includes(typeof value) ? {} : value));
  } catch {
    throw must('config', 'an object');
  }
  return { json, customTransport, beforeSend, redactPatterns, patterns, targets: regexps && [...targets], regexps };
}

/**
 * The `TelemetryCollector` class of an entry, over that entry's wasm (its `collector` core),
 * with what the entry adds: in the web and full entries the page's trace (`tracing`,
 * js/tracing.js), in the full entry the OTLP sender (`sendOtlp`, js/otlp.js). `linkOf` gives a
 * collector's link for the modules (PerformanceMetrics, …), and throws a TypeError for anything
 * that is not a collector of this class.
 */
export function collectorClass(wasm, { sendOtlp, tracing } = {}) {
  let linkOf;

  class TelemetryCollector {
    #core;
    #config;
    #custom;
    #beforeSend;
    #journalKey;
    #destroyed = false;
    #pump;
    #timer;
    #retry;
    #unlisten = [];
    #targets;
    #regexps = [];
    #persistScheduled = false;
    #recovering = false;
    #link;

    static {
      linkOf = (collector) => {
        try {
          return collector.#link;
        } catch {
          throw new TypeError('expected an instance of TelemetryCollector');
        }
      };
    }

    /**
     * Creates a collector. Throws a TypeError or RangeError naming the field and the rule when
     * the configuration is invalid.
     */
    constructor(config) {
      const parsed = readConfig(config);
      const [texts, timeOrigin] = tracing?.traceStart() ?? [[]];
      const core = openCore(wasm, this, 'collector', [parsed.json, pageUrl(), read(CONSENT_KEY), privacySignal(), ...texts], [...seed(), timeOrigin]);
      this.#core = core;
      this.#setTargets(parsed);
      setPatterns(core, parsed.patterns);
      this.#custom = parsed.customTransport;
      this.#beforeSend = parsed.beforeSend;
      this.#config = JSON.parse(run(this.#core, op.config));
      this.#journalKey = JOURNAL_PREFIX + run(this.#core, op.sessionId);
      this.#link = {
        submit: (kind, data) => this.#accept((hold) => count(core, op.submit, [kind, hold], [Date.now()], data)),
        endpoint: () => this.#config.endpoint,
        mayStore: () => ask(core, op.mayRecover),
        userHash: (id) => run(this.#core, op.userHash, [id]),
      };
      this.#restartTimer();
      this.#watch();
      this.#recover();
      if (tracing) this.#unlisten.push(...tracing.traceRequests(core, () => this.#regexps));
    }

    /** Keeps the RegExp `tracePropagationTargets` of a configuration (or patch) that has them. */
    #setTargets(parsed) {
      if (!parsed.targets) return;
      this.#targets = parsed.targets;
      this.#regexps = parsed.regexps;
    }

    /**
     * Runs `fn` in a span named `name` with `attributes` (web and full entries; elsewhere `fn`
     * just runs): see the README's tracing section.
     */
    startSpan(name, fn, attributes) {
      if (tracing) return tracing.startSpan(this.#core, name, fn, attributes);
      if (typeof fn !== 'function') throw new TypeError('startSpan: fn must be a function');
      return fn();
    }

    /** Records an event `{ type, timestamp?, data? }`; returns whether it was accepted. */
    track(event) {
      return this.#accept((hold) => {
        let shape = 0;
        let kind;
        let timestamp;
        let data;
        try {
          if (isRecord(event)) {
            kind = event.type;
            timestamp = event.timestamp;
            data = serialise(event.data);
          } else shape = 1;
        } catch {
          shape = 2;
        }
        const stamped = timestamp !== undefined && timestamp !== null;
        const texts = [typeof kind === 'string' ? kind : undefined, data !== false, hold, stamped];
        const numbers = [shape, Date.now(), typeof timestamp === 'number' ? timestamp : NaN];
        return count(this.#core, op.track, texts, numbers, data || undefined);
      });
    }

    /** Records a measurement `{ name, value, unit? }` as a `performance` event. */
    trackPerformance(metric) {
      return this.#accept((hold) => {
        let json;
        try {
          if (isRecord(metric)) json = JSON.stringify(metric);
        } catch {
          // Counted as invalid by the core.
        }
        return count(this.#core, op.trackMetric, [hold], [Date.now()], json);
      });
    }

    /** Records an error (an `Error` or any thrown value) with optional context. */
    trackError(error, context) {
      return this.#accept((hold) => count(this.#core, op.trackError, [...readError(error, context), hold], [Date.now()]));
    }

    /**
     * Identifies the user: only a salted SHA-256 of `userId` is sent (as `userId` on later
     * events); `traits` go, redacted, in an `identify` event. Returns whether it was accepted.
     */
    identify(userId, traits) {
      const id = typeof userId === 'string' || typeof userId === 'number' ? userId : undefined;
      if (!ask(this.#core, op.identify, [id])) return false;
      return this.#accept((hold) => {
        let shape = 0;
        let data;
        try {
          data = serialise(traits);
        } catch {
          shape = 2;
        }
        return count(this.#core, op.track, ['identify', data !== false, hold, false], [shape, Date.now()], data || undefined);
      });
    }

    /** Forgets the identified user. */
    resetUser() {
      run(this.#core, op.resetUser);
    }

    /**
     * Records the user's choice, `'granted'` or `'denied'`, in `localStorage` (other tabs follow
     * it). Denying purges everything buffered or stored. Returns false for any other value.
     */
    setConsent(consent) {
      const applied = run(this.#core, op.setConsent, [typeof consent === 'string' ? consent : undefined]);
      if (!applied) return false;
      write(CONSENT_KEY, applied);
      this.#consentApplied(applied);
      return true;
    }

    /** `'pending'`, `'granted'` or `'denied'`. */
    getConsent() {
      return run(this.#core, op.consent);
    }

    /**
     * Sends everything accepted so far, including what is already on its way. Resolves with
     * the number of events delivered meanwhile; a failed send keeps its events.
     */
    flush() {
      if (!this.#pump) {
        this.#pump = this.#deliver(false).then((delivered) => {
          this.#pump = undefined;
          return delivered;
        });
      }
      return this.#pump;
    }

    /** Stops the timers and listeners, sends what is buffered (keepalive) and refuses further
     * events. */
    destroy() {
      if (this.#destroyed) return;
      this.#destroyed = true;
      run(this.#core, op.destroy);
      clearInterval(this.#timer);
      clearTimeout(this.#retry);
      for (const unlisten of this.#unlisten.splice(0)) unlisten();
      this.#deliver(true);
    }

    /** The configuration in force, defaults included. */
    getConfig() {
      const config = { ...JSON.parse(run(this.#core, op.config)), customTransport: this.#custom, beforeSend: this.#beforeSend };
      if (this.#targets) config.tracePropagationTargets = [...this.#targets];
      return config;
    }

    /**
     * Changes some fields, validated as a whole: on a TypeError or RangeError nothing changes.
     * Consent settings are read once, at construction.
     */
    updateConfig(patch) {
      const parsed = readConfig(patch === undefined || patch === null ? {} : patch);
      const custom = (parsed.customTransport ?? this.#custom) !== undefined;
      const intervalChanged = checked(run(this.#core, op.updateConfig, [parsed.json, custom])) === '1';
      if (parsed.customTransport !== undefined) this.#custom = parsed.customTransport;
      if (parsed.beforeSend !== undefined) this.#beforeSend = parsed.beforeSend;
      if (parsed.redactPatterns !== undefined) setPatterns(this.#core, parsed.patterns);
      this.#setTargets(parsed);
      this.#config = JSON.parse(run(this.#core, op.config));
      if (intervalChanged && !this.#destroyed) this.#restartTimer();
    }

    /** Buffer size, delivery counters and discards by reason. */
    getBufferStatus() {
      return JSON.parse(run(this.#core, op.status, [], [Date.now()]));
    }

    /** Runs one event through the core (`read(hold)` hands it over) and `beforeSend`, then
     * journals it and starts a delivery when a batch is full. */
    #accept(read) {
      const hook = this.#beforeSend;
      let answer = read(hook !== undefined);
      if (answer % FULL === HELD) answer = this.#runHook(hook);
      const code = answer % FULL;
      if (code === BUFFERED) this.#schedulePersist();
      else if (this.#config.debug) debugLog(`event dropped ${run(this.#core, op.lastRefusal)}`);
      if (answer >= FULL) this.flush();
      return code === BUFFERED;
    }

    /** Shows the held event to `beforeSend` and hands back what it returned. */
    #runHook(hook) {
      const core = this.#core;
      const preview = run(core, op.preview);
      if (preview === undefined) return 0;
      let result;
      try {
        result = hook(JSON.parse(preview));
      } catch {
        return count(core, op.dropHeld); // it threw: the event is dropped, the page is not disturbed
      }
      let shape = 1;
      let kind;
      let data;
      try {
        if (isRecord(result)) {
          shape = 0;
          kind = result.type;
          data = serialise(result.data);
        }
      } catch {
        shape = 2;
      }
      return count(core, op.revise, [typeof kind === 'string' ? kind : undefined, data !== false], [shape], data || undefined);
    }

    /** Writes the journal if it changed and consent allows storing. A failed write removes
     * this page's stale copy; the events stay in memory. */
    #persist() {
      const text = run(this.#core, op.takeJournal);
      if (text === undefined) return;
      const written = text !== '' && write(this.#journalKey, text);
      if (!written) remove(this.#journalKey);
      run(this.#core, op.journalWritten, [written || text === '']);
    }

    /** Writes the journal once the current burst of calls is over. */
    #schedulePersist() {
      if (this.#persistScheduled) return;
      this.#persistScheduled = true;
      queueMicrotask(() => {
        this.#persistScheduled = false;
        this.#persist();
      });
    }

    /** Sends batches until none may go or one fails (then a retry is scheduled); resolves with
     * the number of events delivered. `keepalive` sends go beside the running delivery. */
    async #deliver(keepalive) {
      const core = this.#core;
      let delivered = 0;
      // Start after the current task's calls, so events tracked right after a delivery was
      // started (by consent, say) go with it.
      await null;
      try {
        for (;;) {
          this.#persist();
          const id = run(core, op.nextBatch, [], [Date.now()]);
          if (id === undefined) {
            const wait = count(core, op.waitMs, [], [Date.now()]);
            if (wait > 0) this.#scheduleRetry(wait);
            break;
          }
          const events = count(core, op.batchLength, [id]);
          const [status, retryAfter, error] = await this.#send(id, keepalive);
          const outcome = count(core, op.settle, [id, retryAfter, error], [status, Date.now(), Date.parse(retryAfter)]);
          this.#persist();
          if (outcome >= 0) {
            if (this.#config.debug) debugLog(`batch of ${events} events not delivered: will retry`);
            this.#scheduleRetry(outcome);
            break;
          }
          if (outcome === -1) delivered += events;
        }
      } catch {
        // A delivery never throws into the page; what was not settled stays journaled.
      }
      return delivered;
    }

    /** Sends batch `id` over the configured transport: `[status, retryAfter?, error?]`. */
    async #send(id, keepalive) {
      const core = this.#core;
      const { transport, endpoint, apiKey } = this.#config;
      const body = (part = 0, stored) => run(core, op.body, [id], [part, Date.now()], stored);
      switch (transport) {
        case 'http':
          return post(endpoint, body(), apiKey, keepalive);
        case 'beacon':
          return beacon(endpoint, body(), apiKey);
        case 'console':
          debugLog('batch', JSON.parse(body()));
          return [200];
        case 'localStorage':
          return write(LOCAL_EVENTS_KEY, body(0, read(LOCAL_EVENTS_KEY))) ? [200] : [0, undefined, 'localStorage is full or unavailable'];
        case 'custom':
          try {
            await this.#custom(JSON.parse(body()));
            return [200];
          } catch {
            return [0, undefined, 'customTransport failed'];
          }
        default:
          // 'otlp', which only the full entry's core accepts.
          return sendOtlp(core, id, endpoint, apiKey, keepalive);
      }
    }

    /** Tries delivery again after `delay` ms. */
    #scheduleRetry(delay) {
      clearTimeout(this.#retry);
      if (!this.#destroyed) this.#retry = setTimeout(() => this.flush(), delay);
    }

    /** (Re)starts the timed flush at the current `flushIntervalMs`. */
    #restartTimer() {
      clearInterval(this.#timer);
      const interval = this.#config.flushIntervalMs;
      if (interval > 0) {
        this.#timer = setInterval(() => {
          if (count(this.#core, op.buffered) > 0) this.flush();
        }, interval);
      }
    }

    /** What a consent state means for storage and delivery: denied purges what the SDK stored;
     * granted takes over closed pages' journals and sends what waited. */
    #consentApplied(consent) {
      if (consent === 'denied') {
        for (const key of keys(JOURNAL_PREFIX)) remove(key);
        remove(LOCAL_EVENTS_KEY);
        run(this.#core, op.storagePurged);
      } else if (consent === 'granted' && !this.#destroyed) {
        this.#recover();
        this.flush();
      }
    }

    /** Follows consent chosen in other tabs, the network state and the page's lifecycle:
     * when the page is hidden or left, the journal is written and a keepalive delivery goes. */
    #watch() {
      const core = this.#core;
      const hide = () => {
        this.#persist();
        if (!offline()) this.#deliver(true);
      };
      run(core, op.setOnline, [!offline()]);
      this.#unlisten.push(
        listen(globalThis, 'storage', (event) => {
          if (event.key === CONSENT_KEY) this.#consentApplied(run(core, op.followConsent, [event.newValue ?? undefined]));
        }),
        listen(globalThis, 'online', () => {
          run(core, op.setOnline, [true]);
          clearTimeout(this.#retry);
          this.flush();
        }),
        listen(globalThis, 'offline', () => run(core, op.setOnline, [false])),
        listen(globalThis, 'pagehide', hide),
      );
      const document = globalThis.document;
      if (document) {
        this.#unlisten.push(
          listen(document, 'visibilitychange', () => {
            if (document.visibilityState === 'hidden') hide();
          }),
        );
      }
    }

    /** Takes over the journals of pages that are gone. Under Web Locks a journal is taken
     * only when its page no longer holds its lock, so two live tabs never send the same
     * persisted event. */
    #recover() {
      const core = this.#core;
      if (!ask(core, op.mayRecover) || this.#recovering) return;
      this.#recovering = true;
      const locked = hasLocks() && holdLock(this.#journalKey);
      for (const key of keys(JOURNAL_PREFIX)) {
        if (key === this.#journalKey) continue;
        withFreeLock(key, () => {
          const text = read(key);
          if (text === undefined) return;
          run(core, op.adopt, [], [Date.now()], text);
          // Our journal holds the adopted events before theirs goes: a crash in between can
          // duplicate them (the collector stores each id once), never lose them.
          this.#persist();
          remove(key);
          this.flush();
        }, locked);
      }
    }
  }

  return { TelemetryCollector, linkOf };
}
