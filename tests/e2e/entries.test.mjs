// End-to-end: each package entry in an app that installs the packed package and is built by
// Vite. Each app constructs its entry's classes and tracks one event, which must reach a real
// collector; each page loads its own entry's wasm and no other.
import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import { after, before, test } from 'node:test';
import { serveStatic } from '../../scripts/serve.mjs';
import { ENTRIES, buildApp, installPackedPackage } from '../support/entry-apps.mjs';
import { launchChromium, startCollector } from '../support/harness.mjs';

const CLASSES = { collector: 1, web: 4, full: 6 };
const WASM = { collector: /\/collector-[^/]*\.wasm$/, web: /\/web-[^/]*\.wasm$/, full: /\/full-[^/]*\.wasm$/ };

let work;
let collector;
let browser;
const sites = {};

before(async () => {
  work = installPackedPackage();
  for (const name of [...ENTRIES.map((entry) => entry.name), 'react-web']) {
    sites[name] = await serveStatic({ mounts: { '/': await buildApp(work, name) } });
  }
  [collector, browser] = await Promise.all([startCollector(), launchChromium()]);
});

after(async () => {
  await browser?.close();
  for (const site of Object.values(sites)) await site.close();
  await collector?.stop();
  rmSync(work, { recursive: true, force: true });
});

/** Opens app `name` against the collector: the page, its errors, the wasm files it loaded and
 * what `window.app` resolved with. */
async function openApp(name) {
  const page = await browser.newPage();
  const errors = [];
  const wasm = [];
  page.on('pageerror', (error) => errors.push(error.message));
  page.on('response', (response) => {
    if (response.url().endsWith('.wasm')) wasm.push(new URL(response.url()).pathname);
  });
  await page.goto(`${sites[name].url}/index.html?endpoint=${encodeURIComponent(collector.endpoint)}`);
  const result = await page.evaluate(() => window.app);
  return { page, errors, wasm, result };
}

for (const { name, specifier } of ENTRIES) {
  test(`${specifier}: a Vite app constructs its classes and its event reaches the collector`, async () => {
    const { page, errors, wasm, result } = await openApp(name);
    assert.equal(result.entry, name);
    assert.equal(result.constructed, CLASSES[name]);
    // The modules may send their own events (TTFB, for one) in the same flush.
    assert.ok(result.sent >= 1, `sent ${result.sent}`);
    const stored = (await collector.events('app.entry')).filter((e) => e.data.entry === name);
    assert.equal(stored.length, 1);
    assert.equal(stored[0].data.note, 'mail me at [REDACTED_EMAIL]');
    assert.equal(wasm.length, 1, `wasm loaded: ${wasm}`);
    assert.match(wasm[0], WASM[name]);
    assert.deepEqual(errors, []);
    await page.close();
  });
}

test('a React app that passes wasm-telemetry/web as sdk loads that entry only, and its provider builds its modules', async () => {
  const { page, errors, wasm, result } = await openApp('react-web');
  assert.deepEqual(result.modules, ['performance', 'errors', 'health'], 'no analytics or llm in the web entry');
  assert.ok(result.sent >= 1, `sent ${result.sent}`);
  const stored = (await collector.events('app.entry')).filter((e) => e.data.entry === 'react-web');
  assert.equal(stored.length, 1);
  assert.deepEqual(wasm.length, 1, `wasm loaded: ${wasm}`);
  assert.match(wasm[0], WASM.web);
  assert.deepEqual(errors, []);
  await page.close();
});
