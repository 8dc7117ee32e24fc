// End-to-end: the demo page sends to a collector that requires an ingest key, an admin token
// and an allowed origin; the collector's dashboard then renders that live data as charts in
// headless Chromium, with no console errors. Saves a screenshot to test-results/.
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { serveStatic } from '../../scripts/serve.mjs';
import { ROOT, launchChromium, openPage, startCollector } from '../support/harness.mjs';

const KEY = 'e2e-ingest-key';
const ADMIN = 'e2e-admin-token';
let collector;
let site;
let browser;

before(async () => {
  [site, browser] = await Promise.all([
    serveStatic({ mounts: { '/': join(ROOT, 'www'), '/pkg/': join(ROOT, 'pkg') } }),
    launchChromium(),
  ]);
  collector = await startCollector({
    args: ['--ingest-key', KEY, '--admin-token', ADMIN, '--allowed-origins', site.url],
    adminToken: ADMIN,
  });
});

after(async () => {
  await browser?.close();
  await site?.close();
  await collector?.stop();
});

test('the dashboard renders live data from the demo page as charts, with no console errors', async () => {
  const context = await browser.newContext({ viewport: { width: 1280, height: 1400 } });
  const demo = await openPage(context, `${site.url}/?collector=${collector.url}&key=${KEY}&admin=${ADMIN}`);
  await demo.click('#allow');
  for (const id of ['#track', '#track', '#llm-openai', '#llm-openai', '#llm-stream', '#llm-fail', '#error', '#crash']) {
    await demo.click(id);
  }
  await demo.evaluate(() => window.modules.health.runChecks());
  // Hiding the page reports the Web Vitals seen so far and flushes.
  await demo.evaluate(() => {
    Object.defineProperty(document, 'visibilityState', { configurable: true, get: () => 'hidden' });
    document.dispatchEvent(new Event('visibilitychange', { bubbles: true }));
  });
  await demo.evaluate(() => window.telemetry.flush());
  assert.equal((await collector.waitForEvents('gen_ai.call', 4)).length, 4);
  assert.ok((await collector.waitForEvents('web-vital', 1)).length >= 1);
  assert.equal((await collector.waitForEvents('health.status', 1))[0].data.status, 'healthy');
  assert.equal((await collector.waitForEvents('error', 2)).length, 2);
  assert.deepEqual(demo.errors.map((e) => e.message), ['Demo: cannot read properties of undefined']);

  // Without the token the APIs refuse; the dashboard asks for it.
  const refused = await fetch(`${collector.url}/api/metrics/current`);
  assert.equal(refused.status, 401);

  const page = await context.newPage();
  const consoleErrors = [];
  page.on('console', (message) => message.type() === 'error' && consoleErrors.push(message.text()));
  page.on('pageerror', (error) => consoleErrors.push(error.message));
  await page.goto(`${collector.url}/#token=${ADMIN}`);
  await page.waitForFunction(() => document.querySelector('#updated').textContent.startsWith('updated'));
  await page.waitForFunction(() => document.querySelectorAll('#stream li:not(.empty)').length >= 10);

  const shown = await page.evaluate(() => ({
    tiles: [...document.querySelectorAll('#tiles .tile')].map((t) => [t.querySelector('span').textContent, t.querySelector('b').textContent]),
    eventBars: document.querySelectorAll('#events-chart rect').length,
    vitals: [...document.querySelectorAll('#vitals svg > text')].map((t) => t.textContent),
    errorRows: [...document.querySelectorAll('#errors svg title')].map((t) => t.textContent),
    models: [...document.querySelectorAll('#cost-model svg title')].map((t) => t.textContent),
    dayCharts: document.querySelectorAll('#cost-day svg').length,
    system: document.querySelector('#system').textContent,
    health: document.querySelector('#health').textContent,
    streamTypes: [...document.querySelectorAll('#stream .type')].map((t) => t.textContent),
    tokenInUrl: location.href.includes('token'),
  }));
  const tiles = Object.fromEntries(shown.tiles);
  assert.equal(tiles['LLM error rate (1 h)'], '25.0 %');
  assert.notEqual(tiles['LLM cost today'], '$0.0000');
  assert.equal(shown.eventBars, 60, 'one bar per minute of the last hour');
  assert.ok(shown.vitals.some((t) => ['FCP', 'TTFB', 'LCP'].includes(t)), `vitals: ${shown.vitals}`);
  assert.ok(shown.errorRows.some((t) => t.includes('Demo error')), `errors: ${shown.errorRows}`);
  assert.ok(shown.errorRows.some((t) => t.includes('cannot read properties of undefined')), `errors: ${shown.errorRows}`);
  assert.ok(shown.models.some((m) => m.startsWith('claude-sonnet')), `models: ${shown.models}`);
  // The streamed Anthropic call is priced from its accumulated usage: 2,100 fresh and 8,000
  // cached input tokens, 910 output tokens (the last cumulative delta).
  const costs = await collector.api('/api/llm/costs?groupBy=model');
  const sonnet = costs.rows.find((r) => r.key === 'claude-sonnet-4-5-20250929');
  assert.ok(Math.abs(sonnet.cost - (2100 * 3 + 8000 * 0.3 + 910 * 15) / 1e6) < 1e-9, `sonnet cost ${sonnet.cost}`);
  assert.equal(shown.dayCharts, 2, 'daily cost and monthly burn');
  assert.equal(shown.system, 'healthy');
  assert.match(shown.health, /collector/);
  assert.ok(shown.streamTypes.includes('gen_ai.call'));
  assert.equal(shown.tokenInUrl, false, 'the token leaves the address bar');
  assert.deepEqual(consoleErrors, []);

  mkdirSync(join(ROOT, 'test-results'), { recursive: true });
  await page.screenshot({ path: join(ROOT, 'test-results/dashboard.png'), fullPage: true });
  await context.close();
});

test('erasing a user over the API leaves none of their events', async () => {
  const [call] = (await collector.events('gen_ai.call')).filter((e) => e.userId);
  assert.ok(call, 'the demo sends LLM calls with a hashed user');
  assert.match(call.userId, /^[0-9a-f]{64}$/);
  const before = await collector.api(`/api/users/${call.userId}`);
  assert.ok(before.count >= 3);
  const erased = await fetch(`${collector.url}/api/users/${call.userId}`, { method: 'DELETE', headers: { Authorization: `Bearer ${ADMIN}` } });
  assert.equal((await erased.json()).data.deleted, before.count);
  assert.equal((await collector.api(`/api/users/${call.userId}`)).count, 0);
  assert.equal((await collector.events()).filter((e) => e.userId === call.userId).length, 0);
});
