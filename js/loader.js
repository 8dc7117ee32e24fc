// wasm-telemetry loader stub: put it first in the page (inline, or as a classic <script>).
// Until the SDK has loaded it queues calls to window.wasmTelemetry (track, trackError,
// captureError, identify, setConsent) and the page's uncaught errors and unhandled
// rejections, each with the time it happened, and runs startSpan's function untraced;
// replayQueue() from the package then replays them in order and routes later calls straight to
// the SDK. It does nothing outside a browser.
(function (w) {
  if (typeof w === 'undefined' || typeof w.addEventListener !== 'function' || w.wasmTelemetry) return;
  var q = [];
  var max = 1000;
  var stub = { q: q, dropped: 0 };
  function push(method, args) {
    if (q.length < max) q.push([method, Array.prototype.slice.call(args), Date.now()]);
    else stub.dropped++;
  }
  ['track', 'trackError', 'captureError', 'identify', 'setConsent'].forEach(function (method) {
    stub[method] = function () { push(method, arguments); };
  });
  stub.startSpan = function (name, fn) { return fn(); };
  function onError(event) { push('onerror', [event.error !== undefined && event.error !== null ? event.error : event.message]); }
  function onRejection(event) { push('onunhandledrejection', [event.reason]); }
  w.addEventListener('error', onError);
  w.addEventListener('unhandledrejection', onRejection);
  stub.detach = function () {
    w.removeEventListener('error', onError);
    w.removeEventListener('unhandledrejection', onRejection);
  };
  w.wasmTelemetry = stub;
})(typeof window === 'undefined' ? undefined : window);
