// `npm run size`: gzipped (level 9) bytes of what a page loads from pkg/, next to the peer SDKs.
// posthog-js is measured as it ships its browser bundle; Sentry and web-vitals ship modules, so
// a minimal application entry of each is bundled and minified here with rolldown, the way an
// application's bundler would.
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { build } from 'rolldown';

const root = join(import.meta.dirname, '..');
const gzBytes = (text) => gzipSync(text, { level: 9 }).length;
const kb = (bytes) => `${(bytes / 1024).toFixed(1)} KB`.padStart(9);
const row = (name, rawBytes, gzipBytes, note = '') =>
  console.log(`  ${name.padEnd(44)} ${rawBytes === null ? ' '.repeat(9) : kb(rawBytes)}  ${kb(gzipBytes)}${note}`);
const file = (path) => readFileSync(join(root, path));

const ours = ['pkg/wasm_telemetry_bg.wasm', 'pkg/wasm_telemetry.js', 'pkg/index.js', 'pkg/queue.js'];
// Loaded only by pages that use them.
const optional = ['pkg/loader.js', 'pkg/react.js'];

console.log('gzipped size (level 9)                             raw        gzip');
let total = 0;
for (const path of ours) {
  const bytes = file(path);
  total += gzBytes(bytes);
  row(path, bytes.length, gzBytes(bytes));
}
row('wasm-telemetry total (wasm + JS)', null, total, '   (budget 40 KB)');
for (const path of optional) row(`${path} (optional)`, file(path).length, gzBytes(file(path)));

console.log('peers');
const measured = {};
const posthog = 'node_modules/posthog-js/dist/array.no-external.js';
if (existsSync(join(root, posthog))) {
  measured.posthog = gzBytes(file(posthog));
  row('posthog-js browser bundle (no-external)', file(posthog).length, measured.posthog);
}

/** Bundles and minifies `source` as an application entry; returns the output's text. */
async function bundle(source) {
  const dir = mkdtempSync(join(tmpdir(), 'wt-size-'));
  try {
    const entry = join(dir, 'entry.js');
    writeFileSync(entry, source);
    const output = await build({
      input: entry,
      cwd: root,
      resolve: { modules: [join(root, 'node_modules')] },
      platform: 'browser',
      logLevel: 'silent',
      output: { format: 'esm', minify: true, dir: join(dir, 'out') },
      write: false,
    });
    return output.output.filter((chunk) => chunk.type === 'chunk').map((chunk) => chunk.code).join('\n');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const entries = [
  ['@sentry/browser: init + captureException', 'sentryErrors', `import { init, captureException } from '@sentry/browser';
init({ dsn: 'https://key@o0.ingest.sentry.io/0' });
window.report = captureException;`],
  ['@sentry/browser: + browserTracingIntegration', 'sentryTracing', `import { init, captureException, browserTracingIntegration } from '@sentry/browser';
init({ dsn: 'https://key@o0.ingest.sentry.io/0', integrations: [browserTracingIntegration()], tracesSampleRate: 1 });
window.report = captureException;`],
  ['web-vitals: onLCP, onINP, onCLS, onFCP, onTTFB', 'webVitals', `import { onLCP, onINP, onCLS, onFCP, onTTFB } from 'web-vitals';
for (const on of [onLCP, onINP, onCLS, onFCP, onTTFB]) on((metric) => console.log(metric));`],
];
for (const [name, key, source] of entries) {
  try {
    const code = await bundle(source);
    measured[key] = gzBytes(code);
    row(name, Buffer.byteLength(code), measured[key]);
  } catch (error) {
    console.log(`  ${name.padEnd(44)} (not measured: ${error.message.split('\n')[0]})`);
  }
}
const { posthog: p, sentryTracing: s, webVitals: w } = measured;
if (p && s && w) {
  row('posthog-js + Sentry (tracing) + web-vitals', null, p + s + w, `   (wasm-telemetry: ${kb(total).trim()})`);
}
