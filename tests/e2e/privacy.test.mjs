// End-to-end privacy and volume control: what leaves the page and what stays in storage,
// observed on the wire (every request Chromium makes) and in localStorage, against a real
// env.collector.
import assert from 'node:assert/strict';
import { gunzipSync } from 'node:zlib';
import { describe, test } from 'node:test';
import { generateCorpus } from '../support/corpus.mjs';
import { openPage, useEnvironment } from '../support/harness.mjs';

const env = useEnvironment();

/** A fresh browser context (its own localStorage) with a page that records every request. */
async function isolatedPage({ initScript } = {}) {
  const context = await env.browser.newContext();
  if (initScript) await context.addInitScript(initScript);
  const page = await openPage(context, `${env.pages.url}/pages/sdk.html`);
  page.sent = [];
    page.on('request', (request) => {
    if (!request.url().startsWith(env.collector.url)) return;
    // What left the page, decompressed when the SDK gzipped it.
    const body = request.postDataBuffer() ?? Buffer.alloc(0);
    const gzipped = request.headers()['content-encoding'] === 'gzip';
    page.sent.push((gzipped ? gunzipSync(body) : body).toString('utf8'));
  });
  page.dispose = () => context.close();
  return page;
}

const storageDump = (page) =>
  page.evaluate(() => Object.fromEntries(Object.keys(localStorage).map((key) => [key, localStorage.getItem(key)])));

describe('PII redaction', () => {
  test('generated PII is absent from request bodies and localStorage; benign strings survive', async () => {
    const { records, pii, benign } = generateCorpus(2026, 200);
    const page = await isolatedPage();
    const result = await page.evaluate(
      async ({ endpoint, records }) => {
        const { TelemetryCollector } = window.sdk;
        const http = new TelemetryCollector({ endpoint, flushIntervalMs: 0 });
        const stored = new TelemetryCollector({ transport: 'localStorage', flushIntervalMs: 0 });
        for (const record of records) {
          for (const c of [http, stored]) {
            c.track({ type: 'e2e.pii.nested', data: record.data });
            c.track({ type: 'e2e.pii.text', data: { text: record.text } });
            c.trackError(new Error(`failed for ${record.pii[0]}`), { note: record.text });
          }
        }
        await Promise.all([http.flush(), stored.flush()]);
        return { http: http.getBufferStatus(), stored: stored.getBufferStatus() };
      },
      { endpoint: env.collector.endpoint, records },
    );
    for (const status of [result.http, result.stored]) {
      assert.equal(status.sent, records.length * 3);
      assert.equal(status.size, 0);
    }

    const wire = page.sent.join('\n');
    const storage = JSON.stringify(await storageDump(page));
    assert.ok(wire.length > 100000 && storage.length > 100000, 'payloads were captured');
    const leaked = pii.filter((value) => wire.includes(value) || storage.includes(value));
    assert.deepEqual(leaked, [], `${leaked.length} of ${pii.length} PII strings leaked`);

    const lost = benign.filter((value) => !wire.includes(value) || !storage.includes(value));
    assert.deepEqual(lost, [], `${lost.length} of ${benign.length} benign strings were redacted`);

    const stored = await env.collector.events('e2e.pii.nested');
    assert.equal(stored.length, records.length);
    assert.match(stored[0].data.contact.primary, /^\[REDACTED_EMAIL\]$/);
    await page.dispose();
  });

  test("the application's redactPatterns run on keys and values after the built-in ones, and can be changed or removed", async () => {
    const page = await isolatedPage();
    const result = await page.evaluate(async (endpoint) => {
      const c = new window.sdk.TelemetryCollector({
        endpoint,
        flushIntervalMs: 0,
        redactPatterns: [/ORD-\d+/, { pattern: 'tk_[a-z]+', type: 'token' }],
      });
      const data = { note: 'order ORD-1234 for ann@example.com', 'ref ORD-9': 'tk_abc and 東京', kept: 'ORD-x' };
      c.track({ type: 'e2e.patterns', data: { ...data, n: 1 } });
      c.updateConfig({ redactPatterns: ['東京'] });
      c.track({ type: 'e2e.patterns', data: { ...data, n: 2 } });
      c.updateConfig({ redactPatterns: [] });
      c.track({ type: 'e2e.patterns', data: { ...data, n: 3 } });
      return c.flush();
    }, env.collector.endpoint);
    assert.equal(result, 3);
    const byN = Object.fromEntries((await env.collector.events('e2e.patterns')).map((e) => [e.data.n, e.data]));
    assert.deepEqual(byN[1], {
      note: 'order [REDACTED_CUSTOM] for [REDACTED_EMAIL]',
      'ref [REDACTED_CUSTOM]': '[REDACTED_TOKEN] and 東京',
      kept: 'ORD-x',
      n: 1,
    });
    assert.deepEqual(byN[2], {
      note: 'order ORD-1234 for [REDACTED_EMAIL]',
      'ref ORD-9': 'tk_abc and [REDACTED_CUSTOM]',
      kept: 'ORD-x',
      n: 2,
    });
    assert.deepEqual(byN[3], { note: 'order ORD-1234 for [REDACTED_EMAIL]', 'ref ORD-9': 'tk_abc and 東京', kept: 'ORD-x', n: 3 });
    assert.deepEqual(page.errors, []);
    await page.dispose();
  });
});

describe('consent', () => {
  test('requireConsent: nothing is sent or stored until granted; denied purges; the choice survives a reload', async () => {
    const page = await isolatedPage();
    await page.evaluate((url) => { window.collectorUrl = url; }, env.collector.url);
    const pending = await page.evaluate(async () => {
      window.c = new window.sdk.TelemetryCollector({
        endpoint: new URL('/v1/events', window.collectorUrl).href,
        requireConsent: true,
        flushIntervalMs: 50,
        maxBufferSize: 2,
      });
      for (let n = 0; n < 5; n++) window.c.track({ type: 'e2e.consent', data: { n } });
      await window.c.flush();
      await new Promise((done) => setTimeout(done, 200));
      return { consent: window.c.getConsent(), status: window.c.getBufferStatus() };
    });
    assert.equal(pending.consent, 'pending');
    assert.equal(pending.status.size, 5);
    assert.deepEqual(page.sent, [], 'no request while consent is pending');
    assert.deepEqual(await storageDump(page), {}, 'nothing written to storage while pending');

    await page.evaluate(() => window.c.setConsent('granted'));
    const granted = await env.collector.waitForEvents('e2e.consent', 5);
    assert.deepEqual(granted.map((e) => e.data.n), [0, 1, 2, 3, 4]);
    assert.deepEqual(await storageDump(page), { 'telemetry-consent': 'granted' });

    const denied = await page.evaluate(async () => {
      const stored = new window.sdk.TelemetryCollector({ transport: 'localStorage', flushIntervalMs: 0 });
      stored.track({ type: 'e2e.consent.stored' });
      await stored.flush();
      window.c.track({ type: 'e2e.consent.late' });
      const hadEvents = localStorage.getItem('telemetry-events') !== null;
      window.c.setConsent('denied');
      window.c.track({ type: 'e2e.consent.after' });
      return { hadEvents, status: window.c.getBufferStatus() };
    });
    assert.ok(denied.hadEvents);
    assert.deepEqual(await storageDump(page), { 'telemetry-consent': 'denied' }, 'storage holds no events after denial');
    assert.equal(denied.status.size, 0);
    assert.equal(denied.status.dropped.consent, 2);

    await page.reload();
    await page.waitForFunction(() => window.sdkReady === true);
    const reloaded = await page.evaluate(() => {
      const c = new window.sdk.TelemetryCollector({ transport: 'console', requireConsent: true });
      return { consent: c.getConsent(), accepted: c.track({ type: 'e2e.consent.reloaded' }) };
    });
    assert.deepEqual(reloaded, { consent: 'denied', accepted: false });
    assert.equal((await env.collector.events('e2e.consent.late')).length, 0);
    await page.dispose();
  });

  test('a choice made in one tab applies in the other tabs of the origin', async () => {
    const context = await env.browser.newContext();
    const [first, second] = await Promise.all([
      openPage(context, `${env.pages.url}/pages/sdk.html`),
      openPage(context, `${env.pages.url}/pages/sdk.html`),
    ]);
    await second.evaluate(() => {
      window.c = new window.sdk.TelemetryCollector({ transport: 'console', requireConsent: true, flushIntervalMs: 0 });
      window.c.track({ type: 'waiting' });
    });
    await first.evaluate(() => new window.sdk.TelemetryCollector({ transport: 'console' }).setConsent('denied'));
    await second.waitForFunction(() => window.c.getConsent() === 'denied');
    assert.equal(await second.evaluate(() => window.c.getBufferStatus().size), 0);
    await first.evaluate(() => new window.sdk.TelemetryCollector({ transport: 'console' }).setConsent('granted'));
    await second.waitForFunction(() => window.c.getConsent() === 'granted');
    await context.close();
  });

  test('Global Privacy Control means no request until the app grants consent', async () => {
    const page = await isolatedPage({
      initScript: () => Object.defineProperty(Navigator.prototype, 'globalPrivacyControl', { get: () => true }),
    });
    const result = await page.evaluate(async (endpoint) => {
      window.c = new window.sdk.TelemetryCollector({ endpoint, flushIntervalMs: 0 });
      const accepted = window.c.track({ type: 'e2e.gpc' });
      await window.c.flush();
      return { gpc: navigator.globalPrivacyControl, consent: window.c.getConsent(), accepted };
    }, env.collector.endpoint);
    assert.deepEqual(result, { gpc: true, consent: 'denied', accepted: false });
    assert.deepEqual(page.sent, []);
    const sent = await page.evaluate(async () => {
      window.c.setConsent('granted');
      window.c.track({ type: 'e2e.gpc' });
      return window.c.flush();
    });
    assert.equal(sent, 1);
    assert.equal(page.sent.length, 1);
    await page.dispose();
  });
});

describe('sampling and throttling', () => {
  const run = (page, config, count, type) =>
    page.evaluate(
      async ({ endpoint, config, count, type }) => {
        const c = new window.sdk.TelemetryCollector({ endpoint, flushIntervalMs: 0, maxBufferSize: 500, ...config });
        for (let n = 0; n < count; n++) {
          c.track({ type, data: { n } });
          // Events arrive over time in a real page; yielding lets batches go out meanwhile.
          if (n % 250 === 249) await new Promise((done) => setTimeout(done, 0));
        }
        await c.flush();
        return c.getBufferStatus();
      },
      { endpoint: env.collector.endpoint, config, count, type },
    );

  test("sampling: 'never' sends nothing", async () => {
    const page = await isolatedPage();
    const status = await run(page, { sampling: 'never' }, 100, 'e2e.never');
    assert.equal(status.dropped.sampled, 100);
    assert.deepEqual(page.sent, []);
    await page.dispose();
  });

  test("sampling: 'probabilistic' at 0.5 sends 45-55 % of 2,000 events", async () => {
    const page = await isolatedPage();
    const status = await run(page, { sampling: 'probabilistic', samplingRate: 0.5 }, 2000, 'e2e.half');
    const stored = await env.collector.events('e2e.half');
    assert.ok(stored.length >= 900 && stored.length <= 1100, `${stored.length} of 2000`);
    assert.equal(status.dropped.overflow, 0, JSON.stringify(status));
    assert.equal(stored.length + status.dropped.sampled, 2000, JSON.stringify(status));
    await page.dispose();
  });

  test("sampling: 'throttled' at 10 per 60 s sends exactly 10 of 50 and reports 40 throttled", async () => {
    const page = await isolatedPage();
    const status = await run(page, { sampling: 'throttled', maxEventsPerWindow: 10, throttleWindowMs: 60000 }, 50, 'e2e.throttled');
    assert.equal((await env.collector.events('e2e.throttled')).length, 10);
    assert.equal(status.dropped.throttled, 40);
    await page.dispose();
  });
});
