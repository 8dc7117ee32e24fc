// End-to-end: the built package in a real page in headless Chromium, sending across origins to
// a real collector process on 127.0.0.1, asserting what the collector stored.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { openPage, useEnvironment } from '../support/harness.mjs';

const env = useEnvironment();

const sdkPage = () => openPage(env.browser, `${env.pages.url}/pages/sdk.html`);

describe('TelemetryCollector in a page, delivering to the collector', () => {
  test('25 tracked events reach the collector with type, data and unique ids intact', async () => {
    const page = await sdkPage();
    const result = await page.evaluate(async (endpoint) => {
      const c = new window.sdk.TelemetryCollector({ endpoint, flushIntervalMs: 0 });
      for (let n = 0; n < 25; n++) {
        c.track({ type: 'e2e.twenty-five', data: { n, label: `item-${n}`, nested: { ok: true } } });
      }
      const sent = await c.flush();
      return { sent, status: c.getBufferStatus() };
    }, env.collector.endpoint);
    assert.equal(result.sent, 25);
    assert.equal(result.status.size, 0);
    assert.equal(result.status.sent, 25);

    const stored = await env.collector.events('e2e.twenty-five');
    assert.equal(stored.length, 25);
    assert.equal(new Set(stored.map((e) => e.id)).size, 25);
    for (const e of stored) assert.match(e.id, /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    assert.deepEqual(stored.map((e) => e.data.n).sort((a, b) => a - b), [...Array(25).keys()]);
    assert.deepEqual(stored[3].data, { n: stored[3].data.n, label: `item-${stored[3].data.n}`, nested: { ok: true } });
    assert.equal(new Set(stored.map((e) => e.sessionId)).size, 1);
    assert.equal(stored[0].context.url, `${env.pages.url}/pages/sdk.html`);
    assert.ok(Math.abs(stored[0].timestamp - Date.now()) < 60000);
    assert.deepEqual(page.errors, []);
    await page.close();
  });

  test('release and dist ride in every event context, and a bad release is a RangeError naming the rule', async () => {
    const page = await sdkPage();
    const result = await page.evaluate(async (endpoint) => {
      const c = new window.sdk.TelemetryCollector({ endpoint, flushIntervalMs: 0, release: 'shop@1.4.2' });
      c.track({ type: 'e2e.release', data: { n: 1 } });
      c.updateConfig({ dist: 'ios' });
      c.track({ type: 'e2e.release', data: { n: 2 } });
      let refused;
      try {
        c.updateConfig({ release: 'a\nb' });
      } catch (error) {
        refused = `${error.constructor.name}: ${error.message}`;
      }
      return { sent: await c.flush(), refused, release: c.getConfig().release };
    }, env.collector.endpoint);
    assert.equal(result.sent, 2);
    assert.equal(result.refused, 'RangeError: release must be 1 to 200 characters without control characters');
    assert.equal(result.release, 'shop@1.4.2');
    const stored = (await env.collector.events('e2e.release')).sort((a, b) => a.data.n - b.data.n);
    assert.deepEqual(stored.map((e) => [e.context.release, e.context.dist]), [['shop@1.4.2', undefined], ['shop@1.4.2', 'ios']]);
    await page.close();
  });

  test('texts of every size and script cross into the wasm and back whole', async () => {
    const page = await sdkPage();
    const result = await page.evaluate(async (endpoint) => {
      const c = new window.sdk.TelemetryCollector({ endpoint, flushIntervalMs: 0 });
      // Multi-byte text, and text long enough to be encoded before it is written (over 64 KB
      // as UTF-8 at worst).
      const long = 'Grüße, 東京 🚀 '.repeat(2000);
      const accepted = [
        c.track({ type: 'e2e.sizes', data: { text: 'Grüße 東京 🚀', n: 1 } }),
        c.track({ type: 'e2e.sizes', data: { text: long, n: 2 } }),
        c.track({ type: 'e2e.sizes', data: { text: 'after', n: 3 } }),
      ];
      const redacted = window.sdk.redact(`${'x '.repeat(40000)}mail ann@example.com`);
      // Through the views of a memory that has grown meanwhile.
      const after = window.sdk.redact(`${'y '.repeat(100)}call +1 415 555 2671`);
      return { accepted, redacted: redacted.slice(-21), size: redacted.length, after: after.slice(-21), sent: await c.flush(), long };
    }, env.collector.endpoint);
    assert.deepEqual(result.accepted, [true, true, true]);
    assert.equal(result.redacted, 'mail [REDACTED_EMAIL]');
    assert.equal(result.size, 80000 + 'mail [REDACTED_EMAIL]'.length);
    assert.equal(result.after, 'call [REDACTED_PHONE]');
    assert.equal(result.sent, 3);
    const stored = await env.collector.events('e2e.sizes');
    const byN = Object.fromEntries(stored.map((e) => [e.data.n, e.data.text]));
    assert.deepEqual(byN, { 1: 'Grüße 東京 🚀', 2: result.long, 3: 'after' });
    assert.deepEqual(page.errors, []);
    await page.close();
  });

  test('a full buffer is sent on its own, without flush()', async () => {
    const page = await sdkPage();
    await page.evaluate((endpoint) => {
      window.c = new window.sdk.TelemetryCollector({ endpoint, maxBufferSize: 10, flushIntervalMs: 0 });
      for (let n = 0; n < 10; n++) window.c.track({ type: 'e2e.auto', data: { n } });
    }, env.collector.endpoint);
    const stored = await env.collector.waitForEvents('e2e.auto', 10);
    assert.equal(stored.length, 10);
    await page.close();
  });

  test('the flush interval delivers on its own', async () => {
    const page = await sdkPage();
    await page.evaluate((endpoint) => {
      window.c = new window.sdk.TelemetryCollector({ endpoint, flushIntervalMs: 200 });
      window.c.track({ type: 'e2e.timed' });
    }, env.collector.endpoint);
    const stored = await env.collector.waitForEvents('e2e.timed', 1);
    assert.equal(stored.length, 1);
    await page.close();
  });

  test('the beacon transport delivers text/plain bodies', async () => {
    const page = await sdkPage();
    const sent = await page.evaluate(async (endpoint) => {
      const c = new window.sdk.TelemetryCollector({ endpoint, transport: 'beacon', flushIntervalMs: 0 });
      c.track({ type: 'e2e.beacon', data: { via: 'sendBeacon' } });
      return c.flush();
    }, env.collector.endpoint);
    assert.equal(sent, 1);
    const stored = await env.collector.waitForEvents('e2e.beacon', 1);
    assert.deepEqual(stored[0].data, { via: 'sendBeacon' });
    await page.close();
  });

  test('destroy() delivers what is buffered', async () => {
    const page = await sdkPage();
    await page.evaluate((endpoint) => {
      const c = new window.sdk.TelemetryCollector({ endpoint, flushIntervalMs: 0 });
      c.track({ type: 'e2e.destroy' });
      c.track({ type: 'e2e.destroy' });
      c.destroy();
    }, env.collector.endpoint);
    assert.equal((await env.collector.waitForEvents('e2e.destroy', 2)).length, 2);
    await page.close();
  });

  test('events survive an unreachable endpoint and are delivered later with the same ids', async () => {
    const page = await sdkPage();
    const first = await page.evaluate(async () => {
      // Port 9 (discard) on loopback refuses connections: a network error. The automatic retry
      // waits a random time up to retryBaseMs; a long one keeps it from starting (towards port
      // 9) before the flush below, which would then share its result.
      window.c = new window.sdk.TelemetryCollector({
        endpoint: 'http://127.0.0.1:9/v1/events',
        flushIntervalMs: 0,
        retryBaseMs: 600000,
        retryMaxMs: 600000,
      });
      window.c.track({ type: 'e2e.retry', data: { n: 1 } });
      window.c.track({ type: 'e2e.retry', data: { n: 2 } });
      const sent = await window.c.flush();
      return { sent, status: window.c.getBufferStatus() };
    });
    assert.equal(first.sent, 0);
    assert.equal(first.status.size, 2);
    assert.equal(first.status.failedAttempts, 1);
    const second = await page.evaluate(async (endpoint) => {
      window.c.updateConfig({ endpoint });
      return window.c.flush();
    }, env.collector.endpoint);
    assert.equal(second, 2);
    const stored = await env.collector.events('e2e.retry');
    assert.deepEqual(stored.map((e) => e.data.n), [1, 2]);
    await page.close();
  });

  test('the collector stores a resent batch once and reports the duplicates', async () => {
    const page = await sdkPage();
    const events = await page.evaluate(async () => {
      const captured = [];
      const c = new window.sdk.TelemetryCollector({
        transport: 'custom',
        customTransport: (batch) => { captured.push(...batch); },
      });
      c.track({ type: 'e2e.dedupe' });
      c.track({ type: 'e2e.dedupe' });
      await c.flush();
      return captured;
    });
    const post = () => fetch(env.collector.endpoint, { method: 'POST', body: JSON.stringify({ events }) }).then((r) => r.json());
    assert.deepEqual((await post()).data, { accepted: 2, duplicates: 0, recordIds: events.map((e) => e.id) });
    assert.deepEqual((await post()).data, { accepted: 0, duplicates: 2, recordIds: [] });
    assert.equal((await env.collector.events('e2e.dedupe')).length, 2);
    await page.close();
  });
});

describe('configuration and robustness in the page', () => {
  test('samplingRate: 5 throws a RangeError naming samplingRate', async () => {
    const page = await sdkPage();
    const error = await page.evaluate(() => {
      try {
        new window.sdk.TelemetryCollector({ sampling: 'probabilistic', samplingRate: 5 });
        return null;
      } catch (e) {
        return { name: e.name, message: e.message, isRangeError: e instanceof RangeError };
      }
    });
    assert.deepEqual(error, { name: 'RangeError', message: 'samplingRate must be between 0 and 1', isRangeError: true });
    await page.close();
  });

  test('init() is idempotent: every call shares one promise and one instance', async () => {
    const page = await sdkPage();
    const result = await page.evaluate(async () => {
      const { init, TelemetryCollector } = window.sdk;
      const a = init();
      const b = init();
      await Promise.all([a, b, init()]);
      const c = new TelemetryCollector({ transport: 'console', flushIntervalMs: 0 });
      return { same: a === b, tracked: c.track({ type: 'x' }) };
    });
    assert.deepEqual(result, { same: true, tracked: true });
    await page.close();
  });

  test('malformed input never throws into the page and is counted', async () => {
    const page = await sdkPage();
    const status = await page.evaluate(() => {
      const c = new window.sdk.TelemetryCollector({ transport: 'console', flushIntervalMs: 0 });
      const cyclic = {};
      cyclic.self = cyclic;
      const inputs = [undefined, null, 42, 'text', [], {}, { type: '' }, { type: 'x', data: cyclic },
        { type: 'x', data: { big: 10n } }, { type: 'x', timestamp: NaN }, { type: 'x', data: [1] },
        { get type() { throw new Error('hostile getter'); } }, new Proxy({}, { get() { throw new Error('trap'); } })];
      for (const input of inputs) c.track(input);
      c.trackPerformance({ name: 'x', value: Infinity });
      c.trackError(undefined);
      c.trackError(Symbol('weird'));
      return c.getBufferStatus();
    });
    assert.equal(status.dropped.invalid, 14);
    assert.equal(status.accepted, 2);
    assert.deepEqual(page.errors, []);
    await page.close();
  });
});
