// What every package entry (collector.js, web.js, index.js) shares: its `init`, and the
// constants of the modules.

/** Compiles the wasm module from a URL, a `Request` or `Response` (streaming when it is served
 * as `application/wasm`), the module's bytes or the module itself. */
async function compile(source) {
  if (source instanceof WebAssembly.Module) return source;
  if (typeof source === 'string' || source instanceof URL || (typeof Request === 'function' && source instanceof Request)) {
    source = fetch(source);
  }
  source = await source;
  if (typeof Response === 'function' && source instanceof Response) {
    if (!source.ok) throw new Error(`failed to fetch the wasm module: ${source.status} ${source.url}`);
    if (source.headers.get('Content-Type') === 'application/wasm') return WebAssembly.compileStreaming(source);
    source = await source.arrayBuffer();
  }
  return WebAssembly.compile(source);
}

/**
 * Makes an entry's `init` from its boundary (js/wasm.js) and the URL of its `.wasm` (which
 * the entry writes as `new URL('…', import.meta.url)`, the form bundlers such as Vite and
 * webpack understand): idempotent, every call returns the same promise, and a failed load can
 * be retried.
 */
export function initOnce(wasm, url) {
  let ready;
  return function init(source = url) {
    ready ??= compile(source)
      .then((module) => wasm.instantiate(module))
      .catch((error) => {
        ready = undefined;
        throw error;
      });
    return ready;
  };
}

/** The `redact` function of an entry's wasm: anything but a string gives `''`. */
export function redactOf(wasm) {
  return (text) => (typeof text === 'string' ? wasm.redact(text) : '');
}
