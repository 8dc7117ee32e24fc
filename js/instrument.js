// Automatic breadcrumbs: clicks, navigation (history API, popstate, hashchange), fetch and XHR,
// console warnings and errors. This file watches the page and reads what it did; the core
// decides what a request's breadcrumb says (method, level, whether it was the SDK's own request
// and is left out) and which navigations repeat the last one, and keeps the ring. Wrappers pass
// every argument and result through unchanged, and nothing they observe can disturb the page's
// call.
import { listen } from './platform.js';
import { run } from './core.js';
import { selector, text } from './read.js';
import * as op from './ops.js';

/**
 * Replaces `target[name]` with a wrapper that calls the original and then
 * `observer(args, result, thisArg)`; the observer can never disturb the call. Returns a
 * function that restores the original (if nobody wrapped it again since).
 */
export function wrapMethod(target, name, observer) {
  let original;
  try {
    original = target == null ? undefined : target[name];
  } catch {
    return () => {};
  }
  if (typeof original !== 'function') return () => {};
  const wrapped = function (...args) {
    const result = original.apply(this, args);
    try {
      observer(args, result, this);
    } catch {
      // Telemetry must never break the page.
    }
    return result;
  };
  try {
    target[name] = wrapped;
  } catch {
    return () => {};
  }
  return () => {
    try {
      if (target[name] === wrapped) target[name] = original;
    } catch {
      // A target that cannot be restored keeps the (harmless) wrapper.
    }
  };
}

/** `handler`, made unable to throw into the page (a listener's exception would reach the
 * page's `error` handlers, ours included). */
export const guarded = (handler) => (...args) => {
  try {
    handler(...args);
  } catch {
    // Telemetry must never break the page.
  }
};

/** A request's URL as fetch and XHR read it: a string as it is, anything else (a `URL`, a
 * `Request` for fetch) by its string form, '' when it has none. */
export function urlOf(input) {
  try {
    return text(input) ?? (typeof Request === 'function' && input instanceof Request ? input.url : String(input));
  } catch {
    return '';
  }
}

/** `url` resolved against the page's address, or `url` itself when it cannot be. */
export function absolute(url) {
  try {
    return new URL(url, globalThis.location?.href).href;
  } catch {
    return url;
  }
}

/** Console arguments as one line: strings as they are, errors as `Name: message`, anything else
 * as JSON or `?`. */
function consoleLine(args) {
  return args
    .map((arg) => {
      if (typeof arg === 'string') return arg;
      try {
        return (arg instanceof Error ? String(arg) : JSON.stringify(arg)) ?? '?';
      } catch {
        return '?';
      }
    })
    .join(' ');
}

/**
 * Installs the breadcrumbs `wiring` asks for (`{ clicks, navigation, http, console }`), each
 * reported to `core` (an `errors` core). Returns the functions that undo them.
 */
export function instrument(core, wiring) {
  const undo = [];
  const global = globalThis;
  const http = (method, url, status, started) => {
    const now = Date.now();
    run(core, op.http, [method, url, absolute(url)], [status, now - started, now]);
  };
  // Clicks are read in the capture phase, before the page's handlers run: a handler whose
  // update throws (React renders discrete updates at once) is then preceded by its click.
  if (wiring.clicks && global.document) {
    const click = guarded((event) => run(core, op.breadcrumb, ['ui.click', selector(event.target) ?? '', 'info'], [Date.now()]));
    undo.push(listen(global.document, 'click', click, true));
  }
  if (wiring.navigation) {
    const navigated = (via) => {
      const location = global.location;
      run(core, op.navigated, [via, text(location?.pathname) ?? '', text(location?.hash) ?? ''], [Date.now()]);
    };
    for (const kind of ['popstate', 'hashchange']) undo.push(listen(global, kind, guarded(() => navigated(kind))));
    for (const method of ['pushState', 'replaceState']) undo.push(wrapMethod(global.history, method, () => navigated(method)));
  }
  if (wiring.http) {
    undo.push(
      wrapMethod(global, 'fetch', ([input, init], result) => {
        const url = urlOf(input);
        const method = text(init?.method) ?? text(input?.method);
        const started = Date.now();
        if (!(result instanceof Promise)) return;
        result.then(
          guarded((response) => http(method, url, typeof response?.status === 'number' ? response.status : undefined, started)),
          guarded(() => http(method, url, undefined, started)),
        );
      }),
    );
    // `open` remembers method and URL and listens for `loadend` (before the page's own
    // listeners, which usually come after `open`); `send` starts the clock.
    const requests = new WeakMap();
    const prototype = global.XMLHttpRequest?.prototype;
    undo.push(
      wrapMethod(prototype, 'open', ([method, url], _, xhr) => {
        const known = requests.has(xhr);
        requests.set(xhr, { method: text(method), url: urlOf(url) });
        if (known) return;
        xhr.addEventListener(
          'loadend',
          guarded(() => {
            const request = requests.get(xhr);
            const status = xhr.status;
            http(request.method, request.url, typeof status === 'number' && status > 0 ? status : undefined, request.started ?? Date.now());
          }),
        );
      }),
      wrapMethod(prototype, 'send', (_, __, xhr) => {
        const request = requests.get(xhr);
        if (request) request.started = Date.now();
      }),
    );
  }
  if (wiring.console) {
    for (const [method, level] of [['warn', 'warning'], ['error', 'error']]) {
      undo.push(wrapMethod(global.console, method, (args) => run(core, op.breadcrumb, ['console', consoleLine(args), level], [Date.now()])));
    }
  }
  return undo;
}
