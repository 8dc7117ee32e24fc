// The browser side of the SDK: storage, privacy signals, the page's address, entropy, Web
// Locks, listeners and requests. Every function here works in a window and, where the API
// exists, in a worker; none throws: a missing or blocked API reads as empty and fails quietly.

/** `localStorage` keys: one journal per page (`telemetry-queue:<session>`), the consent choice,
 * and the events of the `localStorage` transport. */
export const JOURNAL_PREFIX = 'telemetry-queue:';
export const CONSENT_KEY = 'telemetry-consent';
export const LOCAL_EVENTS_KEY = 'telemetry-events';

/** How long a fetch may take before it is abandoned and retried, in ms. */
const REQUEST_TIMEOUT_MS = 15000;
/** Bodies shorter than this are sent as they are; longer ones are gzipped when that saves at
 * least a fifth. */
const MIN_GZIP_BYTES = 1024;

function storage() {
  try {
    return globalThis.localStorage ?? null;
  } catch {
    // Reading `localStorage` itself throws in sandboxed frames.
    return null;
  }
}

/** The value under `key`, or `undefined`. */
export function read(key) {
  try {
    return storage()?.getItem(key) ?? undefined;
  } catch {
    return undefined;
  }
}

/** Stores `value` under `key`; returns whether it was written. */
export function write(key, value) {
  try {
    const store = storage();
    store?.setItem(key, value);
    return !!store;
  } catch {
    return false;
  }
}

/** Removes `key`. */
export function remove(key) {
  try {
    storage()?.removeItem(key);
  } catch {
    // Nothing to remove from a storage that cannot be used.
  }
}

/** Every stored key that starts with `prefix`. */
export function keys(prefix) {
  const found = [];
  try {
    const store = storage();
    for (let i = 0; store && i < store.length; i++) {
      const key = store.key(i);
      if (key?.startsWith(prefix)) found.push(key);
    }
  } catch {
    // A storage that cannot be listed holds nothing we can use.
  }
  return found;
}

/** True when the browser sends Global Privacy Control or Do-Not-Track. */
export function privacySignal() {
  const nav = globalThis.navigator;
  const dnt = (value) => value === '1' || value === 'yes';
  return nav?.globalPrivacyControl === true || dnt(nav?.doNotTrack) || dnt(globalThis.doNotTrack);
}

/** The page's origin and path: never its query or fragment. */
export function pageUrl() {
  const location = globalThis.location;
  return location ? `${location.origin}${location.pathname}` : '';
}

/** 32 random bytes, from `crypto.getRandomValues` where it exists. */
export function seed() {
  const bytes = new Uint8Array(32);
  try {
    globalThis.crypto.getRandomValues(bytes);
  } catch {
    for (let i = 0; i < bytes.length; i++) bytes[i] = Math.random() * 256;
  }
  return bytes;
}

/** Whether the browser says it is offline. */
export function offline() {
  return globalThis.navigator?.onLine === false;
}

/** `target.addEventListener(type, handler, capture)`; returns the function that removes it. */
export function listen(target, type, handler, capture = false) {
  try {
    target.addEventListener(type, handler, capture);
    return () => target.removeEventListener(type, handler, capture);
  } catch {
    return () => {};
  }
}

function locks() {
  return globalThis.navigator?.locks;
}

/** Holds the Web Lock `name` for as long as the page lives; returns whether it could. */
export function holdLock(name) {
  try {
    locks().request(name, () => new Promise(() => {}));
    return true;
  } catch {
    return false;
  }
}

/** Runs `taken` while holding the lock `name` if no other page holds it; with no Web Locks,
 * runs it at once. */
export function withFreeLock(name, taken, hasLocks) {
  if (!hasLocks) return taken();
  try {
    locks().request(name, { ifAvailable: true }, (lock) => {
      if (lock) taken();
    });
  } catch {
    // Without the lock the journal is left for another load.
  }
}

/** Whether the browser has Web Locks. */
export function hasLocks() {
  return typeof locks()?.request === 'function';
}

/** `body` gzipped with `CompressionStream`, when the browser has it and that saves at least a
 * fifth; otherwise `undefined`. */
async function gzip(body) {
  if (body.length < MIN_GZIP_BYTES || typeof CompressionStream !== 'function') return undefined;
  try {
    const stream = new Blob([body]).stream().pipeThrough(new CompressionStream('gzip'));
    const bytes = new Uint8Array(await new Response(stream).arrayBuffer());
    return bytes.length <= body.length * 0.8 ? bytes : undefined;
  } catch {
    return undefined;
  }
}

/**
 * POSTs `body` as JSON: CORS, no credentials, the key as a bearer token, gzipped when that
 * pays (not with `keepalive`: a page going away cannot wait), abandoned after 15 s (not with
 * `keepalive`). Resolves with `[status, retryAfter, error]`; status 0 when there was no answer.
 */
export async function post(url, body, apiKey, keepalive) {
  const compressed = keepalive ? undefined : await gzip(body);
  const headers = { 'Content-Type': 'application/json' };
  if (compressed) headers['Content-Encoding'] = 'gzip';
  if (apiKey !== undefined) headers.Authorization = `Bearer ${apiKey}`;
  const init = { method: 'POST', mode: 'cors', credentials: 'omit', keepalive, headers, body: compressed ?? body };
  try {
    if (!keepalive && typeof AbortSignal.timeout === 'function') init.signal = AbortSignal.timeout(REQUEST_TIMEOUT_MS);
    const response = await fetch(url, init);
    return [response.status, response.headers.get('Retry-After') ?? undefined];
  } catch {
    return [0, undefined, 'network error or timeout'];
  }
}

/** `navigator.sendBeacon` of `body` to `url` (the key as `?key=`, since a beacon cannot set
 * headers); resolves like `post`. */
export function beacon(url, body, apiKey) {
  const target = apiKey === undefined ? url : `${url}${url.includes('?') ? '&' : '?'}key=${encodeURIComponent(apiKey)}`;
  try {
    if (globalThis.navigator.sendBeacon(target, body)) return [200];
  } catch {
    // Counted as refused below.
  }
  return [0, undefined, 'sendBeacon refused the body'];
}

/** Writes `[wasm-telemetry] message` and an optional value to the console at debug level. */
export function debugLog(message, value) {
  try {
    console.debug(`[wasm-telemetry] ${message}`, value);
  } catch {
    // A console that throws cannot be told.
  }
}
