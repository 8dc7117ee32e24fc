// End-to-end: the example React app (examples/react-app) with the packed package installed
// from its tarball, built by Vite, in headless Chromium, delivering events from the provider,
// the hooks and the error boundary to the collector.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { cpSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { serveStatic } from '../../scripts/serve.mjs';
import { ROOT, launchChromium, startCollector } from '../support/harness.mjs';

const work = mkdtempSync(join(tmpdir(), 'wt-react-'));
const app = join(work, 'app');
let collector;
let site;
let browser;

before(async () => {
  cpSync(join(ROOT, 'examples/react-app'), app, { recursive: true, filter: (path) => !path.includes('node_modules') && !path.includes('/dist') });
  // Install the package as a user would: from the tarball `npm pack` makes.
  execFileSync('npm', ['pack', join(ROOT, 'pkg'), '--pack-destination', work, '--silent'], { stdio: ['ignore', 'ignore', 'inherit'] });
  const tarball = readdirSync(work).find((name) => name.endsWith('.tgz'));
  execFileSync('npm', ['install', '--prefer-offline', '--no-audit', '--no-fund', '--loglevel=error', join(work, tarball)], { cwd: app, stdio: ['ignore', 'ignore', 'inherit'] });
  // A development build: React's StrictMode then mounts, unmounts and remounts every effect.
  execFileSync(join(app, 'node_modules/.bin/vite'), ['build', '--mode', 'development', '--minify', 'false', '--logLevel', 'warn'], {
    cwd: app,
    env: { ...process.env, NODE_ENV: 'development' },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
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
