// An application of the `wasm-telemetry/web` entry: it constructs that entry's classes, tracks
// one event to `?endpoint=` and flushes. `window.app` tells the test what it did.
import init, { ErrorTracking, HealthCheck, PerformanceMetrics, TelemetryCollector, redact } from 'wasm-telemetry/web';

const endpoint = new URLSearchParams(location.search).get('endpoint') ?? undefined;
window.app = init().then(async () => {
  const collector = new TelemetryCollector({ endpoint, flushIntervalMs: 0 });
  const modules = [
    new PerformanceMetrics(collector, {}),
    new ErrorTracking(collector, {}),
    new HealthCheck(collector, { checkIntervalMs: 0 }),
  ];
  collector.track({ type: 'app.entry', data: { entry: 'web', note: redact('mail me at a@b.co') } });
  const sent = await collector.flush();
  return { entry: 'web', constructed: 1 + modules.length, sent };
});
