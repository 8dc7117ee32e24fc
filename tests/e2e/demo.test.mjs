// End-to-end: the demo page, served the way `npm run demo` serves it, with its consent banner,
// sending to the collector only once the visitor allows it.
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

test('the demo asks for consent, then sends redacted events the collector stores and lists', async () => {
  const context = await browser.newContext();
  const page = await openPage(context, `${site.url}/?collector=${collector.url}`);
  assert.equal(await page.isVisible('#banner'), true);
  assert.equal(await page.textContent('#consent'), 'pending');

  for (let i = 0; i < 3; i++) await page.click('#track');
  await page.click('#flush');
  await page.waitForTimeout(300);
  assert.deepEqual(await page.evaluate(() => window.sentBodies), [], 'nothing leaves before consent');

  await page.click('#learn');
  assert.equal(await page.isVisible('#learn-more'), true);
  await page.click('#allow');
  assert.equal(await page.isVisible('#banner'), false);
  await page.click('#track-text');
  await page.click('#error');
  await page.click('#flush');

  const clicks = await collector.waitForEvents('demo.click', 3);
  assert.deepEqual(clicks.map((e) => e.data.clicks), [1, 2, 3]);
  assert.equal((await collector.waitForEvents('page.view', 1))[0].data.title, 'wasm-telemetry demo');
  const [text] = await collector.waitForEvents('demo.text', 1);
  assert.equal(text.data.text, 'Contact [REDACTED_EMAIL] or [REDACTED_PHONE], card [REDACTED_CREDIT_CARD]');
  const [error] = await collector.waitForEvents('error', 1);
  assert.equal(error.data.message, 'Demo error');
  await page.waitForFunction(() => document.querySelector('#sent').textContent.includes('REDACTED_EMAIL'));
  await page.waitForFunction(() => document.querySelectorAll('#stored tr').length >= 6);

  await page.click('#withdraw');
  assert.equal(await page.textContent('#consent'), 'denied');
  await page.reload();
  await page.waitForFunction(() => window.sdkReady === true);
  assert.equal(await page.textContent('#consent'), 'denied');
  assert.equal(await page.isVisible('#banner'), false);
  assert.deepEqual(page.errors, []);
  await context.close();
});
