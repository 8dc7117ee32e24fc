// ErrorTracking: the browser side of error capture. Its rules (options, stack parsing,
// fingerprints, grouping and deduplication, the breadcrumb ring, severities, recoveries and
// counts) are in the wasm core (kind `errors`), which writes every event and answer as JSON;
// this class listens for the page's `error` and `unhandledrejection` events (beside the page's
// own handlers), installs the automatic breadcrumbs (instrument.js), reads thrown values and
// submits the events through the collector's link. Nothing it does after construction throws
// into the page.
import { guarded, instrument } from './instrument.js';
import { listen } from './platform.js';
import { openCore, run } from './core.js';
import { isRecord, jsonOf, member, readError, recordJson } from './read.js';
import * as op from './ops.js';

/**
 * The options as the core reads them: the JSON of a plain object and of the objects it holds
 * (the `breadcrumbs` switches), nothing deeper; `{}` when they cannot be read. A number JSON
 * cannot hold (NaN, ±Infinity) becomes -1, out of range like itself.
 */
function optionsJson(options) {
  try {
    if (!isRecord(options)) return '{}';
    let root = true;
    return JSON.stringify(options, function (key, value) {
      if (root) {
        root = false;
        return value;
      }
      if (typeof value === 'number' && !Number.isFinite(value)) return -1;
      if (typeof value === 'bigint') return undefined;
      const object = value !== null && typeof value === 'object';
      return object && (this !== options || value === options) ? undefined : value;
    });
  } catch {
    return '{}';
  }
}

/** The `ErrorTracking` class of an entry, over that entry's wasm (its `errors` core). */
export function errorTrackingClass(wasm, linkOf) {
  return class ErrorTracking {
    #core;
    #link;
    #capturing = false;
    #undo = [];

    /**
     * Captures errors reported through `collector`. Options: `enabled` (true),
     * `captureUnhandled` (true), `captureUnhandledRejections` (true), `maxBreadcrumbs` (50,
     * a RangeError unless a whole number from 0 to 1000), `deduplicate` (true),
     * `breadcrumbs: { clicks, navigation, http, console }` (all true).
     */
    constructor(collector, options) {
      this.#link = linkOf(collector);
      let endpoint;
      try {
        endpoint = this.#link.endpoint();
      } catch {
        // No endpoint: no request is the SDK's own.
      }
      this.#core = openCore(wasm, this, 'errors', [optionsJson(options), typeof endpoint === 'string' ? endpoint : undefined]);
      const wiring = JSON.parse(run(this.#core, op.wiring));
      if (wiring.error) {
        this.#undo.push(
          listen(globalThis, 'error', guarded((event) => {
            const error = event.error;
            this.#capture(error === undefined || error === null ? event.message : error, undefined, 'onerror');
          })),
        );
      }
      if (wiring.unhandledrejection) {
        this.#undo.push(listen(globalThis, 'unhandledrejection', guarded((event) => this.#capture(event.reason, undefined, 'onunhandledrejection'))));
      }
      this.#undo.push(...instrument(this.#core, wiring));
    }

    /**
     * Captures an error (any thrown value) with `{ severity, context, user }`; returns its id
     * (also when a repeat is only counted), or `undefined` when disabled.
     */
    captureError(error, options) {
      return this.#capture(error, options, 'captureError');
    }

    /** Adds a breadcrumb `{ category, message, level, data }`. */
    addBreadcrumb(crumb) {
      const text = (key) => {
        const value = member(crumb, key);
        return typeof value === 'string' ? value : undefined;
      };
      try {
        if (!isRecord(crumb)) return;
      } catch {
        return;
      }
      run(this.#core, op.breadcrumb, [text('category'), text('message'), text('level'), recordJson(member(crumb, 'data'))], [Date.now()]);
    }

    /** The error groups, most frequent first: `{ fingerprint, type, message, count, firstSeen,
     * lastSeen }`. */
    getErrorGroups() {
      return JSON.parse(run(this.#core, op.groups));
    }

    /** Records whether recovering from `errorId` worked, with `{ strategy, attempts }`;
     * returns whether the collector accepted the event. */
    trackRecovery(errorId, success, details) {
      const id = typeof errorId === 'string' || typeof errorId === 'number' ? errorId : undefined;
      const data = run(this.#core, op.recovery, [id, !!success, jsonOf(member(details, 'strategy')), jsonOf(member(details, 'attempts'))]);
      return this.#submit(data === undefined ? undefined : 'error.recovery', data);
    }

    /** `{ totalErrors, uniqueGroups, recoveryRate, bySeverity }`. */
    getStats() {
      return JSON.parse(run(this.#core, op.stats));
    }

    /** Removes the global handlers and automatic breadcrumbs (wrapped methods are restored). */
    destroy() {
      for (const undo of this.#undo.splice(0)) undo();
    }

    /** Captures one error and submits its event when the core says so. A capture while one is
     * being reported (the SDK's own failure) is dropped rather than recursed into. */
    #capture(error, options, mechanism) {
      if (this.#capturing) return undefined;
      this.#capturing = true;
      try {
        const severity = member(options, 'severity');
        const [name, message, stack, contextJson] = readError(error, member(options, 'context'));
        const core = this.#core;
        const texts = [name, message, stack, contextJson, typeof severity === 'string' ? severity : undefined, recordJson(member(options, 'user')), mechanism];
        const id = run(core, op.capture, texts, [Date.now()]);
        const data = run(core, op.takeEvent);
        if (data !== undefined) this.#submit('error', data);
        return id;
      } catch {
        return undefined; // the SDK's own failure is dropped
      } finally {
        this.#capturing = false;
      }
    }

    /** Submits an event through the link (no type: an invalid call, counted); returns whether
     * it was accepted. */
    #submit(kind, data) {
      try {
        return !!this.#link.submit(kind, data);
      } catch {
        return false;
      }
    }
  };
}
