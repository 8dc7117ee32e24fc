// End-to-end: the page's trace. A real page fetches from an API server on another port of
// 127.0.0.1 and from a third origin; the servers record the headers that arrive, and the
// collector stores the spans, the error and the trace its API and dashboard show.
import assert from 'node:assert/strict';
import http from 'node:http';
import { after, before, test } from 'node:test';
import { openPage, useEnvironment } from '../support/harness.mjs';

const env = useEnvironment();
const TRACEPARENT = /^00-([0-9a-f]{32})-([0-9a-f]{16})-0[01]$/;
const SERVER_TRACE = '4bf92f3577b34da6a3ce929d0e0e4736';
const SERVER_SPAN = '00f067aa0ba902b7';

/** A server that records every request's method, path and headers and answers JSON; `api`
 * allows the trace headers across origins, the third origin allows only simple requests. */
function recorder(allowTraceHeaders) {
  const seen = [];
  const server = http.createServer((request, response) => {
    seen.push({ method: request.method, path: request.url, headers: request.headers });
    const cors = { 'Access-Control-Allow-Origin': '*' };
    if (allowTraceHeaders) {
      cors['Access-Control-Allow-Headers'] = 'traceparent, tracestate, content-type';
      cors['Access-Control-Allow-Methods'] = 'GET, POST';
    }
    if (request.method === 'OPTIONS') return response.writeHead(204, cors).end();
    response.writeHead(request.url === '/missing' ? 404 : 200, { ...cors, 'Content-Type': 'application/json' });
    response.end(JSON.stringify({ path: request.url }));
  });
  return { server, seen, url: () => `http://127.0.0.1:${server.address().port}` };
}

const api = recorder(true);
const third = recorder(false);
before(async () => {
  await Promise.all([api, third].map(({ server }) => new Promise((done) => server.listen(0, '127.0.0.1', done))));
});
after(() => {
  api.server.close();
  third.server.close();
});

const requestTo = (server, path) => server.seen.find((r) => r.path === path && r.method !== 'OPTIONS');

test('a fetch to a target carries the traceparent of its span; a third origin gets none; an error in its then names the trace; the collector serves the trace and the dashboard draws it', async () => {
  const context = await env.browser.newContext();
  const page = await openPage(context, `${env.pages.url}/pages/sdk.html`);
  const answer = await page.evaluate(async ({ endpoint, api, third }) => {
    const { TelemetryCollector, ErrorTracking } = window.sdk;
    const collector = new TelemetryCollector({ endpoint, flushIntervalMs: 0, tracesSampleRate: 1, tracePropagationTargets: [api] });
    window.errors = new ErrorTracking(collector);
    const body = await (await fetch(`${api}/items`)).json();
    await (await fetch(`${third}/lib`)).text();
    fetch(`${api}/then`).then(() => {
      throw new Error('failed after the API answered');
    });
    await new Promise((done) => setTimeout(done, 300));
    await new Promise((done) => {
      const xhr = new XMLHttpRequest();
      xhr.open('GET', `${api}/missing`);
      xhr.addEventListener('loadend', done);
      xhr.send();
    });
    // What fetch refuses, it still refuses.
    const refused = await fetch(`${api}/refused`, 'not an init').then(() => 'sent', (error) => error.name);
    const opaque = await fetch(`${api}/no-cors`, { mode: 'no-cors' });
    if (opaque.type !== 'opaque') throw new Error(`no-cors answered ${opaque.type}`);
    const own = await fetch(`${api}/own`, { headers: { traceparent: '00-11111111111111111111111111111111-2222222222222222-01' } });
    const result = await collector.startSpan('checkout', async () => {
      const paid = await fetch(`${api}/pay`, { method: 'POST', body: '{}' });
      return paid.status;
    }, { cart: 3 });
    await collector.flush();
    return { body, result, own: own.status, refused };
  }, { endpoint: env.collector.endpoint, api: api.url(), third: third.url() });
  assert.deepEqual(answer, { body: { path: '/items' }, result: 200, own: 200, refused: 'TypeError' }, 'the page gets what it asked for');

  const items = requestTo(api, '/items');
  const [, traceId, parentId] = TRACEPARENT.exec(items.headers.traceparent) ?? assert.fail(`traceparent ${items.headers.traceparent}`);
  assert.ok(items.headers.traceparent.endsWith('-01'), 'sampled, as the SDK decided');
  assert.equal(items.headers.tracestate, undefined, 'a trace of its own has no tracestate');
  assert.equal(requestTo(third, '/lib').headers.traceparent, undefined, 'a third origin gets no header');
  assert.equal(third.seen.filter((r) => r.method === 'OPTIONS').length, 0, 'and no preflight');
  assert.equal(requestTo(api, '/own').headers.traceparent, '00-11111111111111111111111111111111-2222222222222222-01', 'a request that has one keeps it');
  assert.match(requestTo(api, '/missing').headers.traceparent, TRACEPARENT, 'XHR too');
  assert.equal(requestTo(api, '/no-cors').headers.traceparent, undefined, 'a no-cors request may not carry it');

  const spans = (await env.collector.waitForEvents('span', 10)).map((e) => e.data);
  const bySpan = (id) => spans.find((s) => s.spanId === id);
  const fetched = bySpan(parentId);
  assert.ok(fetched, `the header's parent is the span of that fetch: ${JSON.stringify(spans.map((s) => s.name))}`);
  assert.equal(fetched.traceId, traceId);
  assert.equal(fetched.name, 'GET');
  assert.equal(fetched.kind, 'client');
  assert.equal(fetched.attributes['http.request.method'], 'GET');
  assert.equal(fetched.attributes['url.full'], `${api.url()}/items`);
  assert.equal(fetched.attributes['server.address'], '127.0.0.1');
  assert.equal(fetched.attributes['http.response.status_code'], 200);
  const pageload = spans.find((s) => s.name === 'pageload');
  assert.equal(pageload.traceId, traceId);
  assert.equal(pageload.parentSpanId, undefined, 'the page started the trace');
  assert.equal(fetched.parentSpanId, pageload.spanId);
  assert.ok(pageload.events.some((e) => e.name === 'responseStart'), JSON.stringify(pageload.events));
  const lib = spans.find((s) => s.attributes['url.full'] === `${third.url()}/lib`);
  assert.equal(lib.traceId, traceId, 'a request without the header still has its span');
  const missing = spans.find((s) => s.attributes['url.full'] === `${api.url()}/missing`);
  assert.equal(missing.status, 'error');
  assert.equal(missing['error.type'], '404');
  const checkout = spans.find((s) => s.name === 'checkout');
  const pay = spans.find((s) => s.name === 'POST');
  assert.equal(pay.parentSpanId, checkout.spanId, 'a request inside startSpan is its child');
  assert.equal(TRACEPARENT.exec(requestTo(api, '/pay').headers.traceparent)[2], pay.spanId);
  assert.equal(checkout.attributes.cart, 3);
  assert.ok(checkout.endTime >= pay.endTime, 'an async span ends when its promise settles');
  assert.equal(spans.filter((s) => s.attributes['url.full']?.includes('/v1/events')).length, 0, 'the SDK\'s own requests have no span');

  const [error] = await env.collector.waitForEvents('error', 1);
  assert.equal(error.data.message, 'failed after the API answered');
  assert.equal(error.traceId, traceId, 'the error names the trace');
  assert.match(error.spanId, /^[0-9a-f]{16}$/);

  const trace = await env.collector.api(`/api/traces/${traceId}`);
  assert.equal(trace.spans.length, spans.length);
  assert.deepEqual(trace.spans.map((s) => s.startTime), [...trace.spans.map((s) => s.startTime)].sort((a, b) => a - b));
  assert.ok(trace.events.some((e) => e.id === error.id), 'the error is in its trace');
  assert.equal((await env.collector.api('/api/traces/not-a-trace')).errors[0].field, 'traceId');

  const dashboard = await context.newPage();
  await dashboard.goto(`${env.collector.url}/`);
  const row = dashboard.locator('#errors g.row').first();
  await row.waitFor();
  await row.click();
  await dashboard.locator('#error-trace-link').click();
  await dashboard.locator('#trace-waterfall .span').first().waitFor();
  const drawn = await dashboard.locator('#trace-waterfall .span').count();
  assert.equal(drawn, spans.length, 'one waterfall row per span');
  assert.match(await dashboard.locator('#trace-title').innerText(), new RegExp(traceId));
  assert.equal(await dashboard.locator('#trace-waterfall .tick.marked').count(), 1, 'the error is marked on its span');
  await context.close();
});

test('a page rendered with <meta name="traceparent"> loads as a child of the server\'s span and passes its tracestate on', async () => {
  const context = await env.browser.newContext();
  const page = await openPage(context, `${env.pages.url}/pages/traced.html`);
  await page.evaluate(async ({ endpoint, api }) => {
    // tracesSampleRate 0: the server's sampled flag decides.
    const collector = new window.sdk.TelemetryCollector({ endpoint, flushIntervalMs: 0, tracePropagationTargets: [api] });
    await fetch(`${api}/from-traced`);
    await new Promise((done) => setTimeout(done, 100));
    await collector.flush();
  }, { endpoint: env.collector.endpoint, api: api.url() });
  const request = requestTo(api, '/from-traced');
  assert.equal(TRACEPARENT.exec(request.headers.traceparent)[1], SERVER_TRACE);
  assert.ok(request.headers.traceparent.endsWith('-01'));
  assert.equal(request.headers.tracestate, 'vendor=abc');
  const trace = await env.collector.api(`/api/traces/${SERVER_TRACE}`);
  const pageload = trace.spans.find((s) => s.name === 'pageload');
  assert.equal(pageload.traceId, SERVER_TRACE);
  assert.equal(pageload.parentSpanId, SERVER_SPAN);
  await context.close();
});

test('with tracePropagationTargets: [] no request gets a header, and the page sees the same answers', async () => {
  const context = await env.browser.newContext();
  const page = await openPage(context, `${env.pages.url}/pages/sdk.html`);
  const answers = await page.evaluate(async ({ endpoint, api }) => {
    const read = async () => {
      const same = await fetch('/pages/sdk.html?same');
      const other = await fetch(`${api}/off`, { method: 'POST', body: 'x' });
      const xhr = await new Promise((done) => {
        const request = new XMLHttpRequest();
        request.open('GET', `${api}/off-xhr`);
        request.addEventListener('loadend', () => done([request.status, request.responseText]));
        request.send();
      });
      return [same.status, (await same.text()).length, other.status, await other.json(), xhr];
    };
    const without = await read();
    const collector = new window.sdk.TelemetryCollector({ endpoint, flushIntervalMs: 0, tracesSampleRate: 1, tracePropagationTargets: [] });
    const traced = await read();
    await collector.flush();
    return { without, traced };
  }, { endpoint: env.collector.endpoint, api: api.url() });
  assert.deepEqual(answers.traced, answers.without);
  const off = api.seen.filter((r) => r.path.startsWith('/off'));
  assert.equal(off.length, 4);
  assert.ok(off.every((r) => r.headers.traceparent === undefined && r.headers.tracestate === undefined));
  await context.close();
});
