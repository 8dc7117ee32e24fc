// The page's trace, for the web and full entries' TelemetryCollector. The core (the
// collector's trace, src/core/collector/traced.rs) keeps the spans, decides which requests carry
// `traceparent` and writes every span; this file reads the page's `<meta name="traceparent">`,
// puts the headers the core answers on fetch and XHR requests before they go, tells the core
// when they end and when the page has loaded, tests the application's RegExp targets and runs
// `startSpan`. A request that already has a `traceparent` keeps it, a `no-cors` one gets none;
// nothing here can disturb the page's call.
import { absolute, guarded, urlOf } from './instrument.js';
import { listen } from './platform.js';
import { run } from './core.js';
import { text } from './read.js';
import * as op from './ops.js';

const global = globalThis;

/** The `content` of the page's `<meta name="…">`, if any. */
const meta = (name) => text(global.document?.querySelector(`meta[name="${name}"]`)?.content);

/** What opening a traced collector core adds: texts `origin, traceparent, tracestate` and the
 * page's time origin. */
export function traceStart() {
  return [[text(global.location?.origin) ?? '', meta('traceparent'), meta('tracestate')], global.performance?.timeOrigin ?? Date.now()];
}

/** The name of a thrown value (`Error` for one without), as a span's `error.type`. */
const errorName = (error) => text(error?.name) || 'Error';

/**
 * Traces the page for the collector core `core`: request spans and headers (`regexps()` gives
 * the application's RegExp targets), and the `pageload` span. Returns the functions that undo
 * it.
 */
export function traceRequests(core, regexps) {
  const undo = [];
  /** Starts a request's span: `{ id, url }` and the headers to add, or nothing. */
  const start = (method, url) => {
    const full = absolute(url);
    const matched = regexps().some((pattern) => {
      pattern.lastIndex = 0;
      return pattern.test(full);
    });
    const answer = run(core, op.requestStart, [method, url, full], [matched, Date.now()]);
    if (!answer) return undefined;
    const [id, traceparent, tracestate] = answer.split('\n');
    return { span: { id, url: full }, traceparent, tracestate };
  };
  // Never throws: it runs in the page's promise callbacks and listeners.
  const end = guarded((span, status, error) => run(core, op.requestEnd, [span.id, span.url, error], [status, Date.now()]));

  const fetch = global.fetch;
  if (typeof fetch === 'function') {
    const traced = function (input, init) {
      let started;
      try {
        const request = typeof Request === 'function' && input instanceof Request ? input : undefined;
        started = start(text(init?.method) ?? request?.method, urlOf(input));
        // A `no-cors` request may carry only the headers CORS safelists: fetch would throw.
        // An `init` that is no object is fetch's to refuse, as it is.
        const plain = init === undefined || init === null || typeof init === 'object';
        if (started?.traceparent && plain && (init?.mode ?? request?.mode) !== 'no-cors') {
          const headers = new Headers(init?.headers ?? request?.headers);
          if (!headers.has('traceparent')) {
            headers.set('traceparent', started.traceparent);
            if (started.tracestate && !headers.has('tracestate')) headers.set('tracestate', started.tracestate);
            init = { ...init, headers };
          }
        }
      } catch {
        // Telemetry must never break the page.
      }
      const result = fetch.call(this, input, init);
      // A replaced fetch may answer something that is no promise.
      if (started && typeof result?.then === 'function') {
        result.then(
          // An opaque (`no-cors`) answer has no status to tell.
          (response) => end(started.span, response.type === 'opaque' ? undefined : response.status),
          (error) => end(started.span, undefined, errorName(error)),
        );
      }
      return result;
    };
    global.fetch = traced;
    undo.push(() => {
      if (global.fetch === traced) global.fetch = fetch;
    });
  }

  const prototype = global.XMLHttpRequest?.prototype;
  if (prototype) {
    const requests = new WeakMap();
    const { open, send, setRequestHeader } = prototype;
    const wrapped = {
      open(method, url, ...rest) {
        requests.set(this, { method: text(method), url: urlOf(url), own: false });
        return open.call(this, method, url, ...rest);
      },
      setRequestHeader(name, value) {
        const request = requests.get(this);
        if (request && String(name).toLowerCase() === 'traceparent') request.own = true;
        return setRequestHeader.call(this, name, value);
      },
      send(body) {
        try {
          const request = requests.get(this);
          const started = request && start(request.method, request.url);
          if (started) {
            if (started.traceparent && !request.own) {
              setRequestHeader.call(this, 'traceparent', started.traceparent);
              if (started.tracestate) setRequestHeader.call(this, 'tracestate', started.tracestate);
            }
            this.addEventListener('loadend', () => {
              const status = this.status;
              end(started.span, status > 0 ? status : undefined, status > 0 ? undefined : 'Error');
            }, { once: true });
          }
        } catch {
          // Telemetry must never break the page.
        }
        return send.call(this, body);
      },
    };
    for (const name of Object.keys(wrapped)) prototype[name] = wrapped[name];
    undo.push(() => {
      for (const [name, original] of Object.entries({ open, send, setRequestHeader })) {
        if (prototype[name] === wrapped[name]) prototype[name] = original;
      }
    });
  }

  // `loadEventEnd` is set once the `load` handlers have run.
  const loaded = () =>
    setTimeout(guarded(() => {
      let navigation;
      try {
        navigation = JSON.stringify(global.performance.getEntriesByType('navigation')[0]);
      } catch {
        // No navigation timing: the span ends now.
      }
      run(core, op.pageLoaded, [], [0, Date.now()], navigation);
    }));
  if (global.document?.readyState === 'complete') loaded();
  else undo.push(listen(global, 'load', loaded));
  return undo;
}

/**
 * Runs `fn` in a new span of `core` named `name` with `attributes` (a plain object): spans,
 * requests, errors and events started while `fn` runs belong to it. Its result is `fn`'s; a
 * span whose `fn` returns a promise ends when that settles. A throw or rejection ends it as an
 * error and goes on to the caller. Browsers have no async context, so what an async `fn` starts
 * after its first `await` belongs to the page's span, not to this one; concurrent spans stay
 * siblings.
 */
export function startSpan(core, name, fn, attributes) {
  if (typeof fn !== 'function') throw new TypeError('startSpan: fn must be a function');
  let id;
  try {
    id = run(core, op.spanStart, [String(name)], [0, Date.now()]);
    if (id) run(core, op.spanEnter, [id]);
  } catch {
    // Telemetry must never break the page: `fn` runs untraced.
  }
  // Never throws: it may run in the callbacks of the page's promise.
  const end = guarded((error) => {
    if (!id) return;
    let json;
    try {
      json = attributes && typeof attributes === 'object' ? JSON.stringify(attributes) : undefined;
    } catch {
      // Attributes that cannot be serialised are left out.
    }
    run(core, op.spanEnd, [id, error], [0, Date.now()], json);
  });
  let result;
  try {
    result = fn();
  } catch (error) {
    end(errorName(error));
    throw error;
  } finally {
    if (id) run(core, op.spanLeave, [id]);
  }
  if (result instanceof Promise) {
    return result.then(
      (value) => {
        end();
        return value;
      },
      (error) => {
        end(errorName(error));
        throw error;
      },
    );
  }
  end();
  return result;
}
