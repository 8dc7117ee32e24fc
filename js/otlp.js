// The OTLP transport of the full entry: a batch's log records to `/v1/logs`, then its metrics
// to `/v1/metrics`, both bodies written by the core. The smaller entries have no OTLP and do
// not load this module.
import { ask, run } from './core.js';
import { post } from './platform.js';

/** Sends batch `id` of `core` to the OpenTelemetry Collector at `endpoint`:
 * `[status, retryAfter?, error?]` of the last request. When the logs are accepted and the
 * metrics are not, the retry sends only the metrics. */
export async function sendOtlp(core, id, endpoint, apiKey, keepalive) {
  const base = endpoint.replace(/\/+$/, '');
  const logs = run(core, 'body', [id], [0, Date.now()]);
  const metrics = run(core, 'body', [id], [1, Date.now()]);
  let result = [200];
  if (logs !== undefined) {
    result = await post(`${base}/v1/logs`, logs, apiKey, keepalive);
    if (!ask(core, 'otlpLogsSent', [id], [result[0]])) return result;
  }
  if (metrics !== undefined) result = await post(`${base}/v1/metrics`, metrics, apiKey, keepalive);
  return result;
}
