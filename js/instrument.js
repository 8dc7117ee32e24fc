// Method wrapping for automatic breadcrumbs. It lives in JavaScript because wrappers must pass
// every argument through unchanged (rest parameters), which a Rust closure cannot express.

/**
 * Replaces `target[name]` with a wrapper that calls the original and then
 * `observer(args, result, thisArg)`; the observer can never disturb the call. Returns a
 * function that restores the original (if nobody wrapped it again since).
 */
export function wrapMethod(target, name, observer) {
  const original = target == null ? undefined : target[name];
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
  target[name] = wrapped;
  return () => {
    if (target[name] === wrapped) target[name] = original;
  };
}
