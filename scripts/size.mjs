// `npm run size`: gzipped (level 9) bytes of what a page loads from pkg/, next to posthog-js.
import { readFileSync, existsSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { join } from 'node:path';

const root = join(import.meta.dirname, '..');
const gz = (file) => gzipSync(readFileSync(join(root, file)), { level: 9 }).length;
const raw = (file) => readFileSync(join(root, file)).length;
const kb = (bytes) => `${(bytes / 1024).toFixed(1)} KB`.padStart(9);

const ours = ['pkg/wasm_telemetry_bg.wasm', 'pkg/wasm_telemetry.js', 'pkg/index.js', 'pkg/queue.js'];
// Loaded only by pages that use them.
const optional = ['pkg/loader.js', 'pkg/react.js'];
console.log('gzipped size (level 9)                     raw        gzip');
let total = 0;
for (const file of ours) {
  total += gz(file);
  console.log(`  ${file.padEnd(38)} ${kb(raw(file))}  ${kb(gz(file))}`);
}
console.log(`  ${'wasm-telemetry total (wasm + JS)'.padEnd(38)} ${' '.repeat(9)}  ${kb(total)}   (budget 40 KB)`);
for (const file of optional) {
  console.log(`  ${`${file} (optional)`.padEnd(38)} ${kb(raw(file))}  ${kb(gz(file))}`);
}
const peer = 'node_modules/posthog-js/dist/array.no-external.js';
if (existsSync(join(root, peer))) {
  console.log(`  ${'posthog-js browser bundle (no-external)'.padEnd(38)} ${kb(raw(peer))}  ${kb(gz(peer))}`);
}
