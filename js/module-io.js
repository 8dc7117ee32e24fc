// How a JS module class sends what its wasm core answered through the collector's link.

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
