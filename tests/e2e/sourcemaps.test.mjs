// End-to-end: releases and source maps. The example React app is built for production with
// hidden source maps under a release, its maps are uploaded with `wasm-telemetry-collector
// sourcemaps upload`, and an error thrown in its Cart component (src/App.jsx, line 9, at `Error`,
// column 26) is read
// back from the collector with its original file, line, column and function, also when the maps
// arrive after the error; two builds with different file hashes make one error group; and the
// dashboard's error detail shows the original stack.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { serveStatic } from '../../scripts/serve.mjs';
import { installExampleApp, viteBuildApp } from '../support/example-app.mjs';
import { COLLECTOR_BINARY, ROOT, launchChromium, startCollector } from '../support/harness.mjs';

const ADMIN = 'admin-token-e2e';
const work = mkdtempSync(join(tmpdir(), 'wt-sourcemaps-'));
const builds = {};
let collector;
let browser;

/** Builds the app for production under `release` into `dist-<release>`; returns the folder. */
function build(app, release) {
  const outDir = join(app, `dist-${release}`);
  viteBuildApp(app, ['--sourcemap', 'hidden', '--outDir', outDir], { VITE_RELEASE: release });
  return outDir;
}

function upload(release) {
  return execFileSync(COLLECTOR_BINARY, ['sourcemaps', 'upload', '--url', collector.url, '--token', ADMIN, '--release', release, builds[release].dir], { encoding: 'utf8' });
}

before(async () => {
  const app = installExampleApp(work);
  for (const release of ['shop@1.0.0', 'shop@1.0.1']) {
    const dir = build(app, release);
    builds[release] = { dir, site: await serveStatic({ mounts: { '/': dir } }) };
  }
  [collector, browser] = await Promise.all([startCollector({ args: ['--admin-token', ADMIN], adminToken: ADMIN }), launchChromium()]);
});

after(async () => {
  await browser?.close();
  for (const { site } of Object.values(builds)) await site.close();
  await collector?.stop();
  rmSync(work, { recursive: true, force: true });
});

/** Breaks the cart in `release`'s build and waits until the collector has `count` errors. */
async function breakTheCart(release, count) {
  const page = await browser.newPage();
  await page.goto(`${builds[release].site.url}/?endpoint=${encodeURIComponent(collector.endpoint)}`);
  await page.waitForFunction(() => document.querySelector('#status')?.textContent === 'telemetry ready');
  await page.click('#explode');
  await page.waitForSelector('#reset');
  await page.click('#reset');
  await page.click('#flush');
  const errors = await collector.waitForEvents('error', count);
  await page.close();
  assert.equal(errors.length, count);
  return errors.find((e) => e.context.release === release);
}

/** The frame that threw in Cart, by its original place. */
const cartFrame = (error) => error.data.frames.find((frame) => frame.original?.function === 'Cart');

test('a production build with hidden maps, uploaded by the CLI: the error names src/App.jsx, its line, column and Cart', async () => {
  const release = 'shop@1.0.0';
  const files = readdirSync(join(builds[release].dir, 'assets'));
  assert.ok(files.some((f) => f.endsWith('.js.map')), 'hidden maps are written beside the scripts');
  const printed = upload(release);
  assert.match(printed, /^uploaded \/assets\/index-[\w-]+\.js \(\d+ bytes\) to release shop@1\.0\.0$/m);
  assert.match(printed, /^uploaded \/assets\/index-[\w-]+\.js\.map \(\d+ bytes\) to release shop@1\.0\.0$/m);

  const error = await breakTheCart(release, 1);
  assert.equal(error.data.message, 'Cart failed to render');
  const frame = cartFrame(error);
  assert.ok(frame, JSON.stringify(error.data.frames, null, 1));
  assert.match(frame.file, /\/assets\/index-[\w-]+\.js$/, 'the minified place stays');
  assert.notEqual(frame.function, 'Cart', 'the minified name is not the original');
  const { file, line, column, context } = frame.original;
  assert.deepEqual({ file, line, column }, { file: 'src/App.jsx', line: 9, column: 26 });
  assert.equal(context.line, "  if (explode) throw new Error('Cart failed to render');");
  assert.equal(context.pre.length, 2);
});

test('maps uploaded after the error arrived still resolve it, and two builds with new file hashes make one group', async () => {
  const release = 'shop@1.0.1';
  const before = await breakTheCart(release, 2);
  assert.equal(cartFrame(before), undefined, 'no maps yet for this release');
  const [first, second] = ['shop@1.0.0', 'shop@1.0.1'].map((r) => readdirSync(join(builds[r].dir, 'assets')).find((f) => /^index-.*\.js$/.test(f)));
  assert.notEqual(first, second, 'the builds have different file hashes');

  upload(release);
  const after = (await collector.events('error')).find((e) => e.context.release === release);
  assert.deepEqual(
    (({ file, line, column }) => ({ file, line, column }))(cartFrame(after).original),
    { file: 'src/App.jsx', line: 9, column: 26 },
  );
  const { groups } = await collector.api('/api/errors/groups');
  const carts = groups.filter((g) => g.message === 'Cart failed to render');
  assert.equal(carts.length, 1, JSON.stringify(groups));
  assert.deepEqual(carts[0].releases, ['shop@1.0.0', 'shop@1.0.1']);
  assert.equal(carts[0].count, 2);
});

test('the dashboard opens an error group on the symbolicated stack, with context lines and breadcrumbs', async () => {
  const page = await browser.newPage({ viewport: { width: 1280, height: 1400 } });
  await page.goto(`${collector.url}/#token=${ADMIN}`);
  const row = page.locator('#errors g.row').first();
  await row.waitFor();
  await row.click();
  await page.locator('#error-detail').waitFor({ state: 'visible' });
  await page.locator('#error-stack .frame.resolved').first().waitFor();
  const detail = await page.locator('#error-detail').innerText();
  assert.match(detail, /Error: Cart failed to render/);
  assert.match(detail, /releases: shop@1\.0\.0, shop@1\.0\.1/);
  const top = await page.locator('#error-stack .frame.resolved').first().innerText();
  assert.match(top, /^Cart src\/App\.jsx:9:26/);
  assert.match(top, /9 {2}\s*if \(explode\) throw new Error\('Cart failed to render'\);/);
  assert.match(top, /minified: \S+ at http:\/\/127\.0\.0\.1:\d+\/assets\/index-/);
  // The click that broke the cart comes first: click breadcrumbs are read before React's handler.
  const crumbs = await page.locator('#error-breadcrumbs').innerText();
  assert.match(crumbs, /ui\.click button#explode[\s\S]*console Error: Cart failed to render/);
  const shots = join(ROOT, 'test-results');
  mkdirSync(shots, { recursive: true });
  const shot = join(shots, 'dashboard-error-detail.png');
  await page.locator('#error-detail').screenshot({ path: shot });
  assert.ok(statSync(shot).size > 10000, 'the detail view was drawn');
  await page.close();
});
