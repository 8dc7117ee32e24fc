// End-to-end: the loader stub (calls and errors before the wasm loads are delivered in order),
// server-side imports and rendering (no window, no document), and a strict CSP.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { gzipSync } from 'node:zlib';
import { serveStatic } from '../../scripts/serve.mjs';
import { ROOT, openPage, useEnvironment } from '../support/harness.mjs';

const env = useEnvironment();

test('calls and errors made before the wasm loads are delivered in order once it has', async () => {
  const loader = readFileSync(join(ROOT, 'pkg/loader.js'));
  assert.ok(gzipSync(loader, { level: 9 }).length <= 2048, `loader.js is ${gzipSync(loader).length} bytes gzipped`);

  const context = await env.browser.newContext();
  const page = await openPage(context, `${env.pages.url}/pages/loader.html?endpoint=${encodeURIComponent(env.collector.endpoint)}`);
  const times = await page.evaluate(() => ({ beforeLoad: window.beforeLoad, loadedAt: window.loadedAt, replayed: window.replayed, spans: [window.earlySpan, window.lateSpan] }));
  assert.deepEqual(times.spans, ['ran untraced', 'ran in a span'], 'startSpan runs its function before and after the SDK loads');
  assert.equal(times.replayed, 6, 'three tracks, one captureError, one uncaught error, one rejection');
  const early = await env.collector.waitForEvents('early', 3);
  assert.deepEqual(early.map((e) => e.data.n), [1, 2, 3]);
  assert.ok(early.every((e) => e.timestamp <= times.beforeLoad), 'original times are kept');
  assert.ok(early[0].timestamp <= early[1].timestamp && early[1].timestamp <= early[2].timestamp);
  const [late] = await env.collector.waitForEvents('late', 1);
  assert.ok(late.timestamp >= times.loadedAt, 'later calls go straight to the SDK');
  const errors = await env.collector.waitForEvents('error', 3);
  const byMessage = Object.fromEntries(errors.map((e) => [e.data.message, e.data]));
  assert.equal(byMessage['early captured'].severity, 'warning');
  assert.equal(byMessage['early uncaught'].context.mechanism, 'onerror');
  assert.equal(byMessage['early rejection'].context.mechanism, 'onunhandledrejection');
  assert.ok(byMessage['early uncaught'].context.queuedAt <= times.beforeLoad + 50);
  await context.close();
});

test('importing the package and server-rendering the React provider touch no window or document', () => {
  const script = `
    import { createElement } from 'react';
    import { renderToString } from 'react-dom/server';
    if (typeof window !== 'undefined' || typeof document !== 'undefined') throw new Error('not a server');
    const sdk = await import('./pkg/index.js');
    const react = await import('./pkg/react.js');
    await import('./pkg/loader.js');
    function Status() {
      const { ready, collector } = react.useTelemetry();
      return createElement('p', null, ready ? 'ready' : 'loading', collector === null ? ' (no collector yet)' : '');
    }
    const html = renderToString(createElement(react.TelemetryProvider, { config: {} }, createElement(Status)));
    let outside = '';
    try { renderToString(createElement(Status)); } catch (error) { outside = error.message; }
    console.log(JSON.stringify({ html, outside, exports: Object.keys(sdk).sort(), hooks: Object.keys(react).sort() }));
  `;
  const run = spawnSync(process.execPath, ['--input-type=module', '-e', script], { cwd: ROOT, encoding: 'utf8' });
  assert.equal(run.status, 0, run.stderr);
  const result = JSON.parse(run.stdout);
  assert.equal(result.html, '<p>loading<!-- --> (no collector yet)</p>');
  assert.equal(result.outside, 'useTelemetry() must be used inside <TelemetryProvider>.');
  assert.ok(result.exports.includes('replayQueue') && result.exports.includes('TelemetryCollector'));
  assert.deepEqual(result.hooks, ['ErrorBoundary', 'TelemetryProvider', 'useTelemetry', 'useTrack', 'useTrackMount']);
});

/** Serves the pages and the package with `csp` as the Content-Security-Policy. */
function serveWithPolicy(csp) {
  const mounts = { '/pkg/': join(ROOT, 'pkg'), '/pages/': join(ROOT, 'tests/e2e/pages') };
  return serveStatic({ mounts, headers: { 'Content-Security-Policy': csp } });
}

test("a page served with script-src 'self' 'wasm-unsafe-eval' works, and without it init() fails cleanly", async () => {
  const collector = new URL(env.collector.url).origin;
  const strict = await serveWithPolicy(`script-src 'self' 'wasm-unsafe-eval'; connect-src 'self' ${collector}`);
  const noWasm = await serveWithPolicy(`script-src 'self'; connect-src 'self' ${collector}`);
  after(() => Promise.all([strict.close(), noWasm.close()]));
  const context = await env.browser.newContext();
  const query = `?endpoint=${encodeURIComponent(env.collector.endpoint)}`;
  const page = await openPage(context, `${strict.url}/pages/csp.html${query}`);
  const result = await page.evaluate(() => ({ sent: window.sent, initError: window.initError, violations: window.violations }));
  assert.deepEqual(result, { sent: 3, initError: undefined, violations: [] });
  assert.deepEqual((await env.collector.waitForEvents('e2e.csp', 3)).map((e) => e.data.n), [0, 1, 2]);
  assert.deepEqual(page.errors, []);

  const blocked = await openPage(context, `${noWasm.url}/pages/csp.html${query}`);
  const refused = await blocked.evaluate(() => ({ initError: window.initError, violations: window.violations }));
  assert.match(refused.initError, /WebAssembly|CompileError|unsafe-eval/i);
  assert.ok(refused.violations.some((v) => v.startsWith('script-src')), refused.violations.join());
  await context.close();
});
