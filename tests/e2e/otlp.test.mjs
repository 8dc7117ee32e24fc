// End-to-end: `transport: 'otlp'` in a page sends OTLP/HTTP JSON to an OTLP receiver on
// 127.0.0.1; every body is then parsed by the official OpenTelemetry protobuf definitions
// (opentelemetry-proto, protobuf's strict JSON parser, in Python), not by this project's code.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import http from 'node:http';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { gunzipSync } from 'node:zlib';
import { ROOT, openPage, useEnvironment } from '../support/harness.mjs';

const env = useEnvironment();
const TOKEN_BOUNDS = [1, 4, 16, 64, 256, 1024, 4096, 16384, 65536, 262144, 1048576, 4194304, 16777216, 67108864];
const DURATION_BOUNDS = [0.01, 0.02, 0.04, 0.08, 0.16, 0.32, 0.64, 1.28, 2.56, 5.12, 10.24, 20.48, 40.96, 81.92];

/** An OTLP/HTTP receiver: records what arrives on /v1/logs and /v1/metrics, answers `{}`. */
let receiver;
const received = [];
/** Paths whose next requests are refused with 503, and how many of them. */
const refuse = new Map();
before(async () => {
  receiver = http.createServer((request, response) => {
    const cors = {
      'Access-Control-Allow-Origin': '*',
      'Access-Control-Allow-Headers': 'Content-Type, Content-Encoding, Authorization',
      'Access-Control-Allow-Methods': 'POST, OPTIONS',
    };
    if (request.method === 'OPTIONS') return response.writeHead(204, cors).end();
    const chunks = [];
    request.on('data', (chunk) => chunks.push(chunk));
    request.on('end', () => {
      let body = Buffer.concat(chunks);
      if (request.headers['content-encoding'] === 'gzip') body = gunzipSync(body);
      if (refuse.get(request.url) > 0) {
        refuse.set(request.url, refuse.get(request.url) - 1);
        received.push({ path: request.url, body: body.toString(), headers: request.headers, refused: true });
        return response.writeHead(503, { ...cors, 'Retry-After': '0' }).end();
      }
      received.push({ path: request.url, body: body.toString(), headers: request.headers });
      response.writeHead(200, { ...cors, 'Content-Type': 'application/json' }).end('{}');
    });
  });
  await new Promise((done) => receiver.listen(0, '127.0.0.1', done));
});
after(() => receiver?.close());

/** Parses bodies with the official definitions; returns MessageToDict output or `{ error }`. */
function parseOfficially(items) {
  const python = join(ROOT, 'target/otlp-venv/bin/python');
  const run = spawnSync(python, [join(ROOT, 'tests/support/otlp_parse.py')], { input: JSON.stringify(items), encoding: 'utf8' });
  assert.equal(run.status, 0, run.stderr);
  return JSON.parse(run.stdout);
}

const attributes = (list = []) => Object.fromEntries(list.map((a) => [a.key, Object.values(a.value)[0]]));

test('events, errors, vitals, AI timings and LLM usage arrive as valid OTLP logs and metrics', async () => {
  const endpoint = `http://127.0.0.1:${receiver.address().port}`;
  const context = await env.browser.newContext();
  const page = await openPage(context, `${env.pages.url}/pages/sdk.html`);
  await page.evaluate(async (endpoint) => {
    const { TelemetryCollector, LlmTelemetry, PerformanceMetrics } = window.sdk;
    const collector = new TelemetryCollector({ transport: 'otlp', endpoint, apiKey: 'otlp-key', serviceName: 'e2e-shop', flushIntervalMs: 0 });
    const performanceMetrics = new PerformanceMetrics(collector, {});
    const llm = new LlmTelemetry(collector, {});
    collector.track({ type: 'e2e.view', data: { path: '/checkout', items: 3, total: 19.99, tags: ['a', 'b'], gift: false, note: null } });
    collector.trackError(new TypeError('x is undefined'), { area: 'cart' });
    llm.trackCall({ provider: 'openai', model: 'gpt-4o', usage: { prompt_tokens: 1200, completion_tokens: 300 }, latencyMs: 850, success: true });
    llm.trackCall({ provider: 'openai', model: 'gpt-4o', usage: { prompt_tokens: 50, completion_tokens: 3 }, latencyMs: 120, success: true });
    llm.trackCall({ provider: 'anthropic', model: 'claude-haiku-4-5', usage: null, latencyMs: 15000, success: false, errorType: 'timeout' });
    performanceMetrics.trackAIOperation({ totalMs: 900, apiCallMs: 640, contextGatheringMs: 120 });
    Object.defineProperty(document, 'visibilityState', { configurable: true, get: () => 'hidden' });
    document.dispatchEvent(new Event('visibilitychange', { bubbles: true }));
    await collector.flush();
  }, endpoint);
  await page.waitForFunction(() => true);
  const deadline = Date.now() + 10000;
  while (Date.now() < deadline && !(received.some((r) => r.path === '/v1/logs') && received.some((r) => r.path === '/v1/metrics'))) {
    await new Promise((done) => setTimeout(done, 50));
  }
  const logs = received.filter((r) => r.path === '/v1/logs');
  const metrics = received.filter((r) => r.path === '/v1/metrics');
  assert.ok(logs.length >= 1 && metrics.length >= 1, `received ${received.map((r) => r.path)}`);
  assert.ok(received.every((r) => r.headers.authorization === 'Bearer otlp-key'));
  assert.ok(received.every((r) => r.headers['content-type'] === 'application/json'));

  const parsed = parseOfficially([...logs.map((r) => ({ signal: 'logs', body: r.body })), ...metrics.map((r) => ({ signal: 'metrics', body: r.body }))]);
  assert.deepEqual(parsed.filter((p) => p.error), [], 'every body parses with the official definitions');
  const parsedLogs = parsed.slice(0, logs.length);
  const parsedMetrics = parsed.slice(logs.length);

  const resource = attributes(parsedLogs[0].resourceLogs[0].resource.attributes);
  assert.equal(resource['service.name'], 'e2e-shop');
  assert.equal(resource['telemetry.sdk.name'], 'wasm-telemetry');
  assert.equal(resource['telemetry.sdk.language'], 'webjs');
  assert.match(resource['telemetry.sdk.version'], /^\d+\.\d+\.\d+/);
  const records = parsedLogs.flatMap((p) => p.resourceLogs[0].scopeLogs[0].logRecords);
  const byName = Object.fromEntries(records.map((r) => [r.eventName, r]));
  assert.ok(!('web-vital' in byName) && !('ai.operation' in byName), 'vitals and AI timings are metrics only');
  const view = byName['e2e.view'];
  assert.equal(view.severityNumber, 'SEVERITY_NUMBER_INFO');
  assert.equal(BigInt(view.timeUnixNano) % 1_000_000n, 0n);
  const body = Object.fromEntries(view.body.kvlistValue.values.map((v) => [v.key, v.value]));
  assert.deepEqual(body.items, { intValue: '3' });
  assert.deepEqual(body.total, { doubleValue: 19.99 });
  assert.deepEqual(body.tags, { arrayValue: { values: [{ stringValue: 'a' }, { stringValue: 'b' }] } });
  assert.deepEqual(body.gift, { boolValue: false });
  const viewAttributes = attributes(view.attributes);
  assert.match(viewAttributes['log.record.uid'], /^[0-9a-f-]{36}$/);
  assert.ok(viewAttributes['session.id']);
  assert.match(viewAttributes['url.full'], /sdk\.html$/);
  const error = byName.error;
  assert.equal(error.severityNumber, 'SEVERITY_NUMBER_ERROR');
  assert.equal(attributes(error.attributes)['exception.type'], 'TypeError');
  assert.equal(attributes(error.attributes)['exception.message'], 'x is undefined');
  assert.ok(byName['gen_ai.call'], 'LLM calls are also log records, with their cost');

  const all = parsedMetrics.flatMap((p) => p.resourceMetrics[0].scopeMetrics[0].metrics);
  const metric = (name) => all.filter((m) => m.name === name);
  const [tokens] = metric('gen_ai.client.token.usage');
  assert.equal(tokens.unit, '{token}');
  assert.equal(tokens.histogram.aggregationTemporality, 'AGGREGATION_TEMPORALITY_DELTA');
  const tokenPoints = tokens.histogram.dataPoints.map((p) => ({ ...attributes(p.attributes), count: p.count, sum: p.sum, bounds: p.explicitBounds, buckets: p.bucketCounts }));
  assert.deepEqual(tokenPoints.map((p) => [p['gen_ai.token.type'], p['gen_ai.operation.name'], p['gen_ai.provider.name'], p['gen_ai.request.model'], p.count, p.sum]), [
    ['input', 'chat', 'openai', 'gpt-4o', '2', 1250],
    ['output', 'chat', 'openai', 'gpt-4o', '2', 303],
  ], 'a call with unknown usage records no tokens');
  assert.deepEqual(tokenPoints[0].bounds, TOKEN_BOUNDS);
  assert.equal(tokenPoints[0].buckets.reduce((sum, n) => sum + Number(n), 0), 2);
  const [duration] = metric('gen_ai.client.operation.duration');
  assert.equal(duration.unit, 's');
  assert.deepEqual(duration.histogram.dataPoints[0].explicitBounds, DURATION_BOUNDS);
  const failed = duration.histogram.dataPoints.find((p) => attributes(p.attributes)['error.type']);
  assert.equal(attributes(failed.attributes)['error.type'], 'timeout');
  assert.equal(failed.sum, 15);
  const [ai] = metric('ai.operation.duration');
  assert.deepEqual(ai.histogram.dataPoints.map((p) => [attributes(p.attributes)['ai.operation.phase'], p.sum]).sort(), [['api_call', 0.64], ['context_gathering', 0.12], ['total', 0.9]]);
  const vitals = all.filter((m) => m.name.startsWith('browser.web_vital.'));
  assert.ok(vitals.length >= 2, `vitals: ${vitals.map((m) => m.name)}`);
  assert.ok(vitals.every((m) => m.gauge.dataPoints.every((p) => typeof p.asDouble === 'number')));

  // The parser is strict: a field OTLP does not define is refused.
  const tampered = JSON.parse(logs[0].body);
  tampered.resourceLogs[0].scopeLogs[0].logRecords[0].bogus = 1;
  const [refused] = parseOfficially([{ signal: 'logs', body: JSON.stringify(tampered) }]);
  assert.match(refused.error, /bogus/);
  await context.close();
});

test('when the logs are accepted and the metrics are not, the retry sends only the metrics', async () => {
  const endpoint = `http://127.0.0.1:${receiver.address().port}`;
  const service = 'e2e-partial';
  const mine = (r) => r.body.includes(`"${service}"`);
  refuse.set('/v1/metrics', 2);
  const context = await env.browser.newContext();
  const page = await openPage(context, `${env.pages.url}/pages/sdk.html`);
  await page.evaluate(async ({ endpoint, service }) => {
    const { TelemetryCollector, LlmTelemetry } = window.sdk;
    const collector = new TelemetryCollector({ transport: 'otlp', endpoint, serviceName: service, flushIntervalMs: 0 });
    const llm = new LlmTelemetry(collector, {});
    collector.track({ type: 'e2e.partial', data: { step: 1 } });
    llm.trackCall({ provider: 'openai', model: 'gpt-4o', usage: { prompt_tokens: 700, completion_tokens: 70 }, latencyMs: 400, success: true });
    window.partial = collector;
    await collector.flush();
  }, { endpoint, service });
  const deadline = Date.now() + 15000;
  while (Date.now() < deadline && !received.some((r) => mine(r) && r.path === '/v1/metrics' && !r.refused)) {
    await new Promise((done) => setTimeout(done, 50));
  }
  const requests = received.filter(mine);
  assert.deepEqual(requests.map((r) => `${r.path}${r.refused ? ' 503' : ''}`),
    ['/v1/logs', '/v1/metrics 503', '/v1/metrics 503', '/v1/metrics'], 'logs once, then metrics until accepted');
  const parsed = parseOfficially(requests.map((r) => ({ signal: r.path === '/v1/logs' ? 'logs' : 'metrics', body: r.body })));
  assert.deepEqual(parsed.filter((p) => p.error), []);
  const uids = parsed[0].resourceLogs[0].scopeLogs[0].logRecords.map((r) => attributes(r.attributes)['log.record.uid']);
  assert.equal(uids.length, 2);
  assert.equal(new Set(uids).size, 2);
  const [tokens] = parsed[3].resourceMetrics[0].scopeMetrics[0].metrics.filter((m) => m.name === 'gen_ai.client.token.usage');
  assert.deepEqual(tokens.histogram.dataPoints.map((p) => p.sum), [700, 70]);
  const status = await page.evaluate(() => window.partial.getBufferStatus());
  assert.equal(status.size + status.inFlight, 0, 'the batch is settled');
  assert.equal(status.sent, 2, 'each event counted as sent once');
  await context.close();
});

test('spans arrive at /v1/traces, parse with the official definitions, and the pageload, fetch and chat spans link as parent and child', async () => {
  const endpoint = `http://127.0.0.1:${receiver.address().port}`;
  received.length = 0;
  const context = await env.browser.newContext();
  const page = await openPage(context, `${env.pages.url}/pages/sdk.html`);
  await page.evaluate(async (endpoint) => {
    const { TelemetryCollector, LlmTelemetry } = window.sdk;
    const collector = new TelemetryCollector({ transport: 'otlp', endpoint, serviceName: 'e2e-traces', flushIntervalMs: 0, tracesSampleRate: 1 });
    const llm = new LlmTelemetry(collector, {});
    await fetch('/pages/sdk.html?traced');
    llm.trackCall({ provider: 'openai', model: 'gpt-4o', usage: { prompt_tokens: 1200, completion_tokens: 300 }, latencyMs: 850, success: true });
    collector.trackError(new TypeError('in the trace'));
    await new Promise((done) => setTimeout(done, 100));
    await collector.flush();
  }, endpoint);
  const deadline = Date.now() + 10000;
  while (Date.now() < deadline && !received.some((r) => r.path === '/v1/traces')) await new Promise((done) => setTimeout(done, 50));
  const traces = received.filter((r) => r.path === '/v1/traces');
  const logs = received.filter((r) => r.path === '/v1/logs');
  assert.ok(traces.length >= 1, `received ${received.map((r) => r.path)}`);
  const parsed = parseOfficially([...traces.map((r) => ({ signal: 'traces', body: r.body })), ...logs.map((r) => ({ signal: 'logs', body: r.body }))]);
  assert.deepEqual(parsed.filter((p) => p.error), [], 'every body parses with the official definitions');
  const spans = parsed.slice(0, traces.length).flatMap((p) => p.resourceSpans[0].scopeSpans[0].spans);
  const byName = Object.fromEntries(spans.map((s) => [s.name, s]));
  const pageload = byName.pageload;
  const fetched = byName.GET;
  const chat = byName['chat gpt-4o'];
  assert.ok(pageload && fetched && chat, JSON.stringify(spans.map((s) => s.name)));
  assert.equal(pageload.parentSpanId, undefined);
  assert.equal(fetched.parentSpanId, pageload.spanId);
  assert.equal(chat.parentSpanId, pageload.spanId);
  assert.ok(spans.every((s) => s.traceId === pageload.traceId && s.traceId.length === 32 && s.spanId.length === 16));
  assert.equal(fetched.kind, 'SPAN_KIND_CLIENT');
  assert.equal(pageload.kind, 'SPAN_KIND_INTERNAL');
  assert.ok(pageload.events.some((e) => e.name === 'loadEventEnd'));
  const chatAttributes = attributes(chat.attributes);
  assert.equal(chatAttributes['gen_ai.operation.name'], 'chat');
  assert.equal(chatAttributes['gen_ai.request.model'], 'gpt-4o');
  assert.equal(chatAttributes['gen_ai.usage.input_tokens'], '1200');
  assert.ok(chatAttributes['gen_ai.usage.cost'] > 0);
  assert.equal(BigInt(chat.endTimeUnixNano) - BigInt(chat.startTimeUnixNano), 850_000_000n, 'the call took its latency');
  assert.equal(attributes(fetched.attributes)['http.response.status_code'], '200');
  const records = parsed.slice(traces.length).flatMap((p) => p.resourceLogs[0].scopeLogs[0].logRecords);
  const error = records.find((r) => r.eventName === 'error');
  assert.equal(error.traceId, pageload.traceId, 'a log record names its trace');
  assert.ok(!records.some((r) => r.eventName === 'span'), 'a span is not a log record');
  await context.close();
});
