// Replays what the loader stub (loader.js) queued before the SDK loaded, then routes the stub's
// methods straight to the SDK.

/**
 * Replays the calls and errors queued by the loader stub, in order, into `collector` (and
 * `errors`, an ErrorTracking, for errors when given), keeping each call's original time; then
 * makes `window.wasmTelemetry` call the SDK directly (`startSpan` included). Returns how many entries were replayed
 * (0 when there is no stub).
 */
export function replayQueue({ collector, errors } = {}) {
  const stub = typeof window === 'undefined' ? undefined : window.wasmTelemetry;
  if (!stub || !Array.isArray(stub.q) || !collector) return 0;
  stub.detach?.();
  const capture = (error, at, mechanism) =>
    errors
      ? errors.captureError(error, { context: { queuedAt: at, mechanism } })
      : collector.trackError(error, { queuedAt: at, mechanism });
  const routes = {
    track: (event) => collector.track(event),
    trackError: (error, context) => collector.trackError(error, context),
    captureError: (error, options) => (errors ? errors.captureError(error, options) : collector.trackError(error, options?.context)),
    identify: (id, traits) => collector.identify(id, traits),
    setConsent: (state) => collector.setConsent(state),
  };
  const queued = stub.q.splice(0);
  for (const [method, args, at] of queued) {
    try {
      if (method === 'track') {
        const [event] = args;
        routes.track(event && typeof event === 'object' && event.timestamp === undefined ? { ...event, timestamp: at } : event);
      } else if (method === 'onerror' || method === 'onunhandledrejection') {
        capture(args[0], at, method);
      } else {
        routes[method]?.(...args);
      }
    } catch {
      // A bad queued call must not stop the others.
    }
  }
  for (const [method, route] of Object.entries(routes)) {
    stub[method] = (...args) => {
      try {
        return route(...args);
      } catch {
        return undefined;
      }
    };
  }
  // startSpan passes on what its function throws, as the collector's does.
  stub.startSpan = (name, fn, attributes) => collector.startSpan(name, fn, attributes);
  stub.ready = true;
  return queued.length;
}
