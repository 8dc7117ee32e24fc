// End-to-end delivery guarantees: a real collector behind a fault-injecting proxy, Playwright's
// offline mode, reloads, page exits and hostile storage. Every assertion is about exact
// delivery: which event arrived, and whether an acknowledged event was ever sent again.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { startFaultProxy } from '../support/faults.mjs';
import { openPage, useEnvironment } from '../support/harness.mjs';

const env = useEnvironment();
const sleep = (ms) => new Promise((done) => setTimeout(done, ms));

/** Fast retries so faults resolve in seconds; the breaker stays closed unless a test lowers it. */
const FAST = { flushIntervalMs: 100, maxBufferSize: 25, retryBaseMs: 50, retryMaxMs: 400, breakerThreshold: 50, breakerCooldownMs: 500 };

async function withProxy(work) {
  const proxy = await startFaultProxy(env.collector.url);
  try {
    await work(proxy);
  } finally {
    await proxy.close();
  }
}

const start = (page, config) =>
  page.evaluate((config) => {
    window.c = new window.sdk.TelemetryCollector(config);
  }, config);

const track = (page, type, from, to, pauseEvery = 25) =>
  page.evaluate(
    async ({ type, from, to, pauseEvery }) => {
      for (let n = from; n < to; n++) {
        window.c.track({ type, data: { n } });
        if ((n + 1) % pauseEvery === 0) await new Promise((done) => setTimeout(done, 20));
      }
    },
    { type, from, to, pauseEvery },
  );

const status = (page) => page.evaluate(() => window.c.getBufferStatus());

async function until(check, ms = 15000) {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    if (await check()) return true;
    await sleep(50);
  }
  return false;
}

const numbers = (events) => events.map((e) => e.data.n).sort((a, b) => a - b);
const range = (n) => [...Array(n).keys()];

describe('delivery under faults', () => {
  test('500 events through 500s, 429 + Retry-After, a dropped connection, a slow answer, 2 s offline, a reload and a collector restart: all arrive, none acknowledged is resent', async () => {
    await withProxy(async (proxy) => {
      const type = 'e2e.faults';
      const context = await env.browser.newContext();
      const url = `${env.pages.url}/pages/sdk.html`;
      let page = await openPage(context, url);
      const config = { ...FAST, endpoint: proxy.endpoint };

      proxy.plan.push({ status: 500 }, { status: 500 }, { status: 429, retryAfter: 1 }, { drop: true }, { delayMs: 1500 });
      await start(page, config);
      await track(page, type, 0, 150);
      assert.ok(await until(async () => (await env.collector.events(type)).length >= 150), 'phase 1 delivered');
      assert.equal(proxy.faultsServed, 5);

      await context.setOffline(true);
      await track(page, type, 150, 250);
      await sleep(2000);
      assert.equal((await status(page)).online, false);
      await context.setOffline(false);
      assert.ok(await until(async () => (await env.collector.events(type)).length >= 250), 'delivered after the offline spell');

      proxy.dead = true;
      await track(page, type, 250, 350);
      assert.ok(await until(async () => (await status(page)).persisted >= 100), 'undelivered events are journaled');
      await page.reload();
      await page.waitForFunction(() => window.sdkReady === true);
      proxy.dead = false;
      await start(page, config);
      assert.ok(await until(async () => (await env.collector.events(type)).length >= 350), 'journaled events recovered after the reload');

      await track(page, type, 350, 420);
      await env.collector.restart();
      await track(page, type, 420, 500);
      assert.ok(await until(async () => (await env.collector.events(type)).length >= 500, 30000), 'all 500 delivered');

      const stored = await env.collector.events(type);
      assert.deepEqual(numbers(stored), range(500));
      assert.deepEqual(proxy.resentAfterAck, [], 'no acknowledged event was sent again');
      const final = await status(page);
      assert.equal(final.size + final.inFlight, 0);
      assert.ok(final.recovered >= 100);
      await context.close();
    });
  });

  test('a 503 whose Retry-After is an HTTP date 3 s ahead: the retry waits until that date, then the event arrives', async () => {
    await withProxy(async (proxy) => {
      const type = 'e2e.retry-after-date';
      const context = await env.browser.newContext();
      const page = await openPage(context, `${env.pages.url}/pages/sdk.html`);
      proxy.plan.push({ status: 503, retryAfterDateMs: 3000 });
      await start(page, { ...FAST, endpoint: proxy.endpoint });
      await track(page, type, 0, 1);
      assert.ok(await until(async () => (await env.collector.events(type)).length === 1), 'delivered');
      const [refused, retried] = proxy.ingestTimes;
      // The date has whole seconds, so it lies 2 to 3 s ahead; the backoff alone waits ≤ 400 ms.
      assert.ok(retried - refused >= 1900, `retried after ${retried - refused} ms`);
      await context.close();
    });
  });

  test('20 events tracked and the page left at once: all 20 arrive, no body over 60 KB', async () => {
    await withProxy(async (proxy) => {
      const type = 'e2e.exit';
      const context = await env.browser.newContext();
      const page = await openPage(context, `${env.pages.url}/pages/sdk.html`);
      await start(page, { endpoint: proxy.endpoint, flushIntervalMs: 60000, maxBufferSize: 50 });
      await page.evaluate((type) => {
        for (let n = 0; n < 20; n++) window.c.track({ type, data: { n, note: 'x'.repeat(2000) } });
      }, type);
      await page.goto('about:blank');
      assert.ok(await until(async () => (await env.collector.events(type)).length >= 20), 'all 20 arrived');
      assert.deepEqual(numbers(await env.collector.events(type)), range(20));
      assert.ok(Math.max(...proxy.bodySizes) <= 60 * 1024, `largest body ${Math.max(...proxy.bodySizes)}`);
      await context.close();
    });
  });

  test('garbage under the SDK keys and a full localStorage: no exception, events still flow', async () => {
    const type = 'e2e.storage';
    const context = await env.browser.newContext();
    await context.addInitScript(() => {
      if (sessionStorage.getItem('filled')) return;
      sessionStorage.setItem('filled', '1');
      localStorage.setItem('telemetry-queue:00000000-dead-4bad-8bad-000000000000', '\u0000garbage\n12 {"id":"x"}\n[1,2');
      localStorage.setItem('telemetry-consent', '{not json');
      localStorage.setItem('telemetry-events', 'not an array');
            // Fill storage to the last character: big chunks, then ever smaller ones.
      let i = 0;
      for (let size = 1024 * 1024; size >= 1; size = Math.floor(size / 2)) {
        const chunk = 'f'.repeat(size);
        try {
          for (;;) localStorage.setItem(`filler-${i++}`, chunk);
        } catch {
          // this size no longer fits; try a smaller one
        }
      }
    });
    const page = await openPage(context, `${env.pages.url}/pages/sdk.html`);
    await start(page, { ...FAST, endpoint: env.collector.endpoint });
    await track(page, type, 0, 30);
    await page.evaluate(() => window.c.flush());
    assert.ok(await until(async () => (await env.collector.events(type)).length >= 30), 'events flowed');
    const after = await status(page);
    assert.equal(after.corrupt, 3, 'the garbage journal lines were counted');
    assert.ok(after.persistFailures >= 1, 'the full storage was noticed');
    assert.equal(await page.evaluate(() => window.c.getConsent()), 'granted');
    assert.deepEqual(page.errors, []);
    await context.close();
  });

  test('the breaker opens while the endpoint is dead and closes after it recovers', async () => {
    await withProxy(async (proxy) => {
      const type = 'e2e.breaker';
      const context = await env.browser.newContext();
      const page = await openPage(context, `${env.pages.url}/pages/sdk.html`);
      proxy.dead = true;
      await start(page, { ...FAST, endpoint: proxy.endpoint, breakerThreshold: 3, breakerCooldownMs: 800 });
      await track(page, type, 0, 10);
      assert.ok(await until(async () => (await status(page)).breaker === 'open'), 'breaker opened');
      const dead = await status(page);
      assert.match(dead.lastError, /HTTP 503/);
      const attempts = proxy.bodySizes.length;
      await sleep(400);
      assert.equal(proxy.bodySizes.length, attempts, 'no request while open');
      proxy.dead = false;
      assert.ok(await until(async () => (await status(page)).breaker === 'closed' && (await status(page)).sent === 10), 'closed after recovery');
      assert.deepEqual(numbers(await env.collector.events(type)), range(10));
      assert.equal((await status(page)).lastError, null);
      await context.close();
    });
  });
});

describe('two tabs', () => {
  test('a live tab keeps its journal; a tab opened after it closes sends it, once', async () => {
    await withProxy(async (proxy) => {
      const type = 'e2e.tabs';
      const context = await env.browser.newContext();
      const url = `${env.pages.url}/pages/sdk.html`;
      const first = await openPage(context, url);
      proxy.dead = true;
      await start(first, { ...FAST, endpoint: proxy.endpoint });
      await track(first, type, 0, 40);
      assert.ok(await until(async () => (await status(first)).persisted === 40), 'the first tab journaled its events');

      const second = await openPage(context, url);
      await start(second, { ...FAST, endpoint: proxy.endpoint });
      await sleep(300);
      assert.equal((await status(second)).recovered, 0, 'a live tab\'s journal is not taken');

      await first.close();
      const third = await openPage(context, url);
      proxy.dead = false;
      await start(third, { ...FAST, endpoint: proxy.endpoint });
      assert.ok(await until(async () => (await env.collector.events(type)).length >= 40), 'the closed tab\'s events arrived');
      assert.equal((await status(third)).recovered, 40);
      assert.equal((await status(second)).recovered, 0);
      assert.deepEqual(numbers(await env.collector.events(type)), range(40));
      assert.deepEqual(proxy.resentAfterAck, []);
      await context.close();
    });
  });
});
