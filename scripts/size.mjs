// `npm run size`: the bytes a page actually loads, per package entry and for peer SDKs.
// Each entry's app (tests/apps/<entry>) is built with Vite against the packed package, served,
// and opened in headless Chromium; every .js and .wasm it receives (status 200) is summed,
// gzip -9 and brotli -11. A budget is that gzip sum. The peers (Sentry, posthog-js, web-vitals)
// are minimal Vite apps written into the temporary directory and measured the same way.
// Being over budget is reported, not failed; a failed build, or an app of ours that loads no
// wasm, exits non-zero.
import { mkdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';
import { ENTRIES, buildApp, installPackedPackage, viteBuild } from '../tests/support/entry-apps.mjs';
import { launchChromium } from '../tests/support/harness.mjs';
import { serveStatic } from './serve.mjs';

const ROOT = join(import.meta.dirname, '..');
const SENTRY = `init({ dsn: 'https://key@o0.ingest.sentry.io/0'`;

/** Peer apps' main.js; `inSum` marks the peers added up in the last row. */
const PEERS = [
  {
    name: '@sentry/browser: init + captureException',
    source: `import { init, captureException } from '@sentry/browser';
${SENTRY} });
window.report = captureException;`,
  },
  {
    name: '@sentry/browser: + browserTracingIntegration',
    inSum: true,
    source: `import { init, captureException, browserTracingIntegration } from '@sentry/browser';
${SENTRY}, integrations: [browserTracingIntegration()], tracesSampleRate: 1 });
window.report = captureException;`,
  },
  {
    name: 'posthog-js (init, autocapture)',
    inSum: true,
    source: `import posthog from 'posthog-js';
posthog.init('phc_test', { api_host: location.origin, autocapture: true });
window.ph = posthog;`,
  },
  {
    name: 'web-vitals: onLCP, onINP, onCLS, onFCP, onTTFB',
    inSum: true,
    source: `import { onLCP, onINP, onCLS, onFCP, onTTFB } from 'web-vitals';
for (const on of [onLCP, onINP, onCLS, onFCP, onTTFB]) on((m) => console.log(m));`,
  },
];

/** Writes a peer app into `<work>/peers/<index>`, where node_modules is the workspace's. */
function writePeerApp(work, index, source) {
  const peers = join(work, 'peers');
  const root = join(peers, String(index));
  mkdirSync(root, { recursive: true });
  if (index === 0) symlinkSync(join(ROOT, 'node_modules'), join(peers, 'node_modules'), 'dir');
  writeFileSync(join(root, 'main.js'), `${source}\n`);
  writeFileSync(join(root, 'index.html'), '<!doctype html>\n<script type="module" src="./main.js"></script>\n');
  return root;
}

/**
 * Serves `dist`, opens it, waits for `window.app` to settle (if `awaitApp`) and the network to
 * go idle; returns each loaded .js and .wasm with its compressed sizes.
 */
async function measure(browser, dist, awaitApp) {
  const site = await serveStatic({ mounts: { '/': dist } });
  const page = await browser.newPage();
  try {
    const loads = [];
    page.on('response', (response) => {
      const { pathname } = new URL(response.url());
      if (response.status() === 200 && /\.(js|wasm)$/.test(pathname)) {
        loads.push(response.body().then((body) => ({ file: basename(pathname), body })));
      }
    });
    await page.goto(`${site.url}/index.html`, { waitUntil: 'networkidle' });
    if (awaitApp) await page.evaluate(() => window.app).catch(() => {});
    await page.waitForLoadState('networkidle');
    return (await Promise.all(loads)).map(({ file, body }) => ({
      file,
      gzip: gzipSync(body, { level: 9 }).length,
      brotli: brotliCompressSync(body, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }).length,
    }));
  } finally {
    await page.close();
    await site.close();
  }
}

const kb = (bytes) => (bytes / 1024).toFixed(1);
const total = (files) => ({
  gzip: files.reduce((sum, f) => sum + f.gzip, 0),
  brotli: files.reduce((sum, f) => sum + f.brotli, 0),
});
const row = (label, { gzip, brotli }, note = '') =>
  console.log(`${label.padEnd(52)}${kb(gzip).padStart(6)}${kb(brotli).padStart(10)}${note}`);

const work = installPackedPackage();
let browser;
try {
  const ours = [];
  for (const entry of ENTRIES) ours.push({ ...entry, dist: await buildApp(work, entry.name) });
  const peers = [];
  for (const [index, peer] of PEERS.entries()) peers.push({ ...peer, dist: await viteBuild(writePeerApp(work, index, peer.source)) });

  browser = await launchChromium();
  for (const app of ours) {
    app.files = await measure(browser, app.dist, true);
    if (!app.files.some((f) => f.file.endsWith('.wasm'))) throw new Error(`${app.specifier}: the page loaded no .wasm`);
  }
  for (const peer of peers) peer.files = await measure(browser, peer.dist, false);

  console.log('gzip -9 / brotli -11 of the .js and .wasm a Vite-built page loads (KB = 1024 B)');
  console.log(`${''.padEnd(52)}${'gzip'.padStart(6)}${'brotli'.padStart(10)}   budget`);
  for (const { specifier, budgetKb, files } of ours) {
    const sums = total(files);
    const over = sums.gzip / 1024 - budgetKb;
    row(`  ${specifier}`, sums, `${String(budgetKb).padStart(9)}   ${over > 0 ? `OVER by ${over.toFixed(1)}` : 'ok'}`);
    for (const f of files) row(`      ${f.file}`, f);
  }
  console.log('peers');
  for (const { name, files } of peers) row(`  ${name}`, total(files));
  row('  posthog-js + Sentry (tracing) + web-vitals (sum)', total(peers.filter((p) => p.inSum).flatMap((p) => p.files)));
} finally {
  await browser?.close();
  rmSync(work, { recursive: true, force: true });
}
