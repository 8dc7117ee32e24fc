// An application of the `wasm-telemetry/collector` entry: it constructs that entry's class,
// tracks one event to `?endpoint=` and flushes. `window.app` tells the test what it did.
import init, { TelemetryCollector, redact } from 'wasm-telemetry/collector';

const endpoint = new URLSearchParams(location.search).get('endpoint') ?? undefined;
window.app = init().then(async () => {
  const collector = new TelemetryCollector({ endpoint, flushIntervalMs: 0 });
  collector.track({ type: 'app.entry', data: { entry: 'collector', note: redact('mail me at a@b.co') } });
  return { entry: 'collector', constructed: 1, sent: await collector.flush() };
});
