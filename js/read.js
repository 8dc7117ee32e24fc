// Reading what the application passes, for the classes to hand the wasm core plain values and
// JSON text. The page's values may run its code (getters, proxies) or refuse to serialise
// (cycles, BigInt): nothing here throws.

/** `value` when it is a string; `undefined` for anything else. */
export const text = (value) => (typeof value === 'string' ? value : undefined);

/** A non-null object that is not an array; a revoked proxy is not one (reading a record may
 * still throw). */
export function isRecord(value) {
  try {
    return value !== null && typeof value === 'object' && !Array.isArray(value);
  } catch {
    return false;
  }
}

/** `value[key]` of a plain object; `undefined` for anything else and when reading throws. */
export function member(value, key) {
  try {
    return isRecord(value) ? value[key] : undefined;
  } catch {
    return undefined;
  }
}

/** The JSON of a value; `undefined` when it has none or serialising throws. */
export function jsonOf(value) {
  try {
    return JSON.stringify(value);
  } catch {
    return undefined;
  }
}

/** The JSON of a plain object; `undefined` for anything else and when serialising throws. */
export function recordJson(value) {
  try {
    return isRecord(value) ? JSON.stringify(value) : undefined;
  } catch {
    return undefined;
  }
}

/**
 * A thrown value as the core takes it: `[name, message, stack, contextJson]`. An `Error` gives
 * its name (`Error` if not a string), message (`''` if not a string) and stack (if a string);
 * any other value is an `Error` whose message is its text or JSON. `context` is serialised
 * when it is a plain object.
 */
export function readError(error, context) {
  let name = 'Error';
  let message = '[unserialisable value]';
  let stack;
  try {
    if (error instanceof Error) {
      name = typeof error.name === 'string' ? error.name : 'Error';
      message = typeof error.message === 'string' ? error.message : '';
      stack = typeof error.stack === 'string' ? error.stack : undefined;
    } else {
      message = typeof error === 'string' ? error : (JSON.stringify(error) ?? message);
    }
  } catch {
    // The text stays the placeholder.
  }
  return [name, message, stack, recordJson(context)];
}

/** A short CSS selector of an element, `tag#id` or `tag.class` (never its text); `undefined`
 * for anything that is not an element. */
export function selector(node) {
  try {
    const tag = text(node?.tagName);
    if (tag === undefined) return undefined;
    const out = tag.replace(/[A-Z]+/g, (upper) => upper.toLowerCase());
    const id = text(node.id);
    if (id) return `${out}#${id}`;
    const first = text(node.className)?.split(/[\t\n\f\r ]+/).find(Boolean);
    return first ? `${out}.${first}` : out;
  } catch {
    return undefined;
  }
}
