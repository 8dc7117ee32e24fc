// End-to-end: the demo page, served the way `npm run demo` serves it, sends to the collector.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { serveStatic } from '../../scripts/serve.mjs';
import { ROOT, launchChromium, openPage, startCollector } from '../support/harness.mjs';

let collector;
let site;
let browser;

before(async () => {
  [collector, site, browser] = await Promise.all([
    startCollector(),
    serveStatic({ mounts: { '/': join(ROOT, 'www'), '/pkg/': join(ROOT, 'pkg') } }),
    launchChromium(),
  ]);
});

after(async () => {
  await browser?.close();
  await site?.close();
  await collector?.stop();
});

test('the demo page sends a page view and button clicks that the collector stores and lists', async () => {
  const page = await openPage(browser, `${site.url}/?collector=${collector.url}`);
  for (let i = 0; i < 3; i++) await page.click('#track');
  await page.click('#error');
  await page.click('#flush');
  const clicks = await collector.waitForEvents('demo.click', 3);
  assert.deepEqual(clicks.map((e) => e.data.clicks), [1, 2, 3]);
  assert.equal((await collector.waitForEvents('page.view', 1))[0].data.title, 'wasm-telemetry demo');
  const [error] = await collector.waitForEvents('error', 1);
  assert.equal(error.data.message, 'Demo error');
  assert.deepEqual(error.data.context, { button: 'error' });
  await page.waitForFunction(() => document.querySelectorAll('#stored tr').length >= 5);
  assert.deepEqual(page.errors, []);
  await page.close();
});
