// An application of the `wasm-telemetry` entry: it constructs every class, tracks one event to
// `?endpoint=` and flushes. `window.app` tells the test what it did.
import init, {
  ErrorTracking,
  HealthCheck,
  LlmTelemetry,
  PerformanceMetrics,
  TelemetryCollector,
  UsageAnalytics,
  redact,
} from 'wasm-telemetry';

const endpoint = new URLSearchParams(location.search).get('endpoint') ?? undefined;
window.app = init().then(async () => {
  const collector = new TelemetryCollector({ endpoint, flushIntervalMs: 0 });
  const modules = [
    new PerformanceMetrics(collector, {}),
    new ErrorTracking(collector, {}),
    new HealthCheck(collector, { checkIntervalMs: 0 }),
    new UsageAnalytics(collector, {}),
    new LlmTelemetry(collector, {}),
  ];
  collector.track({ type: 'app.entry', data: { entry: 'full', note: redact('mail me at a@b.co') } });
  const sent = await collector.flush();
  return { entry: 'full', constructed: 1 + modules.length, sent };
});
