// End-to-end: the built package bundled by Vite (the .wasm resolved through
// `new URL(..., import.meta.url)`), served as static files, delivering to a real collector.
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { build } from 'vite';
import { serveStatic } from '../../scripts/serve.mjs';
import { ROOT, launchChromium, openPage, startCollector } from '../support/harness.mjs';

const outDir = mkdtempSync(join(tmpdir(), 'wt-vite-'));
let collector;
let site;
let browser;

before(async () => {
  await build({
    root: join(ROOT, 'tests/e2e/vite-app'),
    logLevel: 'warn',
    resolve: { alias: { 'wasm-telemetry': join(ROOT, 'pkg') } },
    build: { outDir, emptyOutDir: true },
  });
  [collector, site, browser] = await Promise.all([
    startCollector(),
    serveStatic({ mounts: { '/': outDir } }),
    launchChromium(),
  ]);
});

after(async () => {
  await browser?.close();
  await site?.close();
  await collector?.stop();
  rmSync(outDir, { recursive: true, force: true });
});

test('Vite emits the .wasm as a hashed asset and the bundled app delivers to the collector', async () => {
  const assets = readdirSync(join(outDir, 'assets'));
  assert.ok(assets.some((name) => /^full-.*\.wasm$/.test(name)), `assets: ${assets}`);

  const page = await openPage(browser, `${site.url}/index.html`);
  const sent = await page.evaluate(async (endpoint) => {
    const c = new window.sdk.TelemetryCollector({ endpoint, flushIntervalMs: 0 });
    for (let n = 0; n < 5; n++) c.track({ type: 'e2e.vite', data: { n } });
    return c.flush();
  }, collector.endpoint);
  assert.equal(sent, 5);
  const stored = await collector.events('e2e.vite');
  assert.deepEqual(stored.map((e) => e.data.n), [0, 1, 2, 3, 4]);
  assert.deepEqual(page.errors, []);
  await page.close();
});
