// End-to-end: the example React app (examples/react-app) with the packed package installed
// from its tarball, built by Vite, in headless Chromium, delivering events from the provider,
// the hooks and the error boundary to the collector.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { serveStatic } from '../../scripts/serve.mjs';
import { installExampleApp, viteBuildApp } from '../support/example-app.mjs';
import { launchChromium, startCollector } from '../support/harness.mjs';

const work = mkdtempSync(join(tmpdir(), 'wt-react-'));
let app;
let collector;
let site;
let browser;

before(async () => {
  app = installExampleApp(work);
  // A development build: React's StrictMode then mounts, unmounts and remounts every effect.
  viteBuildApp(app, ['--mode', 'development', '--minify', 'false'], { NODE_ENV: 'development' });
  [collector, site, browser] = await Promise.all([
    startCollector(),
    serveStatic({ mounts: { '/': join(app, 'dist') } }),
    launchChromium(),
  ]);
});

after(async () => {
  await browser?.close();
  await site?.close();
  await collector?.stop();
  rmSync(work, { recursive: true, force: true });
});

test('the provider, the hooks and the error boundary deliver to the collector, once each under StrictMode', async () => {
  const page = await browser.newPage();
  const errors = [];
  page.on('pageerror', (error) => errors.push(error.message));
  await page.goto(`${site.url}/?endpoint=${encodeURIComponent(collector.endpoint)}`);
  await page.waitForFunction(() => document.querySelector('#status')?.textContent === 'telemetry ready');
  await page.click('#buy');
  await page.click('#assistant');
  await page.click('#explode');
  await page.waitForSelector('#reset');
  await page.click('#reset');
  await page.click('#flush');

  const mounts = await collector.waitForEvents('cart.viewed', 2);
  const checkout = await collector.waitForEvents('cart.checkout', 1);
  const asked = await collector.waitForEvents('assistant.asked', 1);
  const calls = await collector.waitForEvents('gen_ai.call', 1);
  const [crash] = await collector.waitForEvents('error', 1);
  // StrictMode ran each effect twice; the first mount and the remount after the boundary's
  // reset are tracked once each.
  assert.equal(mounts.length, 2, 'first mount and the remount after reset');
  assert.deepEqual(checkout.map((e) => e.data.items), [2]);
  assert.equal(asked[0].data.cost, (800 * 0.15 + 200 * 0.6) / 1e6);
  assert.equal(calls[0].data['gen_ai.request.model'], 'gpt-4o-mini');
  assert.equal(crash.data.message, 'Cart failed to render');
  assert.equal(crash.data.context.boundary, 'cart');
  assert.match(crash.data.context.componentStack, /at Cart/);
  const sessions = new Set((await collector.events()).map((e) => e.sessionId));
  assert.equal(sessions.size, 1, 'one collector for the page');
  assert.deepEqual(errors.filter((m) => !m.includes('Cart failed to render')), []);
  await page.close();
});
