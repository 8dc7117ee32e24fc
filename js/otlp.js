// The OTLP transport of the full entry: a batch's log records to `/v1/logs`, its spans to
// `/v1/traces`, then its metrics to `/v1/metrics`, every body written by the core. The smaller entries have no OTLP and do
// not load this module.
import { ask, run } from './core.js';
import { post } from './platform.js';
import * as op from './ops.js';

/** Sends batch `id` of `core` to the OpenTelemetry Collector at `endpoint`:
 * `[status, retryAfter?, error?]` of the last request. The log records and spans an endpoint
 * accepted are not sent again when the batch is retried. */
export async function sendOtlp(core, id, endpoint, apiKey, keepalive) {
  const base = endpoint.replace(/\/+$/, '');
  let result = [200];
  // Parts: 0 logs, 2 traces, 1 metrics (last: nothing is remembered of it).
  for (const [part, path] of [[0, 'logs'], [2, 'traces'], [1, 'metrics']]) {
    const body = run(core, op.body, [id], [part, Date.now()]);
    if (body === undefined) continue;
    result = await post(`${base}/v1/${path}`, body, apiKey, keepalive);
    if (part !== 1 && !ask(core, op.otlpSent, [id], [result[0], part])) return result;
  }
  return result;
}
