// What the module classes written in JS share: reading the page's options and records for
// their wasm cores, and sending what the cores answer through the collector's link.

/** A plain object's JSON, or `undefined` for anything else or when serialising throws. */
export function serialiseRecord(value) {
  try {
    if (value !== null && typeof value === 'object' && !Array.isArray(value)) return JSON.stringify(value);
  } catch {
    // Left out, as a value that is not a plain object.
  }
  return undefined;
}

/** A module's options as its core reads them (JSON, or `undefined` for none). */
export const optionsJson = serialiseRecord;

/**
 * Sends what a module core answered: `"<type>\n<data JSON>"` an event, `""` an invalid call
 * (the collector counts it), `undefined` nothing.
 */
export function submitEvent(link, event) {
  if (event === undefined) return;
  const split = event.indexOf('\n');
  if (split < 0) link.submit(undefined, undefined);
  else link.submit(event.slice(0, split), event.slice(split + 1));
}
