// `npm run bench`: track() cost of this SDK and posthog-js capture(), side by side in the same
// headless Chromium run. Prints numbers; asserts nothing.
import { join } from 'node:path';
import { serveStatic } from '../scripts/serve.mjs';
import { ROOT, launchChromium, openPage } from '../tests/support/harness.mjs';

const N = Number(process.env.BENCH_EVENTS ?? 10000);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 7);

const site = await serveStatic({
  mounts: {
    '/': join(ROOT, 'bench'),
    '/pkg/': join(ROOT, 'pkg'),
    '/node_modules/': join(ROOT, 'node_modules'),
    '/tests/': join(ROOT, 'tests'),
  },
});
const browser = await launchChromium();
try {
  const page = await openPage(browser, `${site.url}/index.html`);
  const version = await browser.version();
  const result = await page.evaluate((options) => window.runBench(options), { n: N, rounds: ROUNDS });
  const expected = 2000 + N * ROUNDS;
  if (result.ourAccepted !== expected || !result.peerCaptured) {
    throw new Error(`invalid run: wasm-telemetry accepted ${result.ourAccepted}/${expected}, posthog captured: ${result.peerCaptured}`);
  }
  const fmt = (x) => x.toFixed(2).padStart(7);
  console.log(`track() cost, ${N} events x ${ROUNDS} rounds, headless Chromium ${version}`);
  console.log('                          median µs/event   (min … max)');
  console.log(`  wasm-telemetry track()      ${fmt(result.wasm.median)}      (${result.wasm.min.toFixed(2)} … ${result.wasm.max.toFixed(2)})`);
  console.log(`  posthog-js capture()        ${fmt(result.posthog.median)}      (${result.posthog.min.toFixed(2)} … ${result.posthog.max.toFixed(2)})`);
  console.log(`  ratio wasm-telemetry / posthog-js: ${(result.wasm.median / result.posthog.median).toFixed(3)} (budget ≤ 0.5)`);

  const records = Number(process.env.BENCH_RECORDS ?? 2000);
  const redaction = await page.evaluate((options) => window.runRedactionBench(options), { records, rounds: 5 });
  const pct = (x) => `${(x * 100).toFixed(2)} %`.padStart(9);
  console.log();
  console.log(`PII redaction, ${records} generated records (${(redaction.ours.bytes / 1024).toFixed(0)} KB of text) x 5 rounds, same page`);
  console.log('                                      MB/s    PII removed   benign kept');
  for (const [name, r] of [['wasm-telemetry redact()', redaction.ours], ["seed 000 PrivacyFilter (6 regexes)", redaction.seed]]) {
    console.log(`  ${name.padEnd(34)} ${r.mbPerSecond.toFixed(1).padStart(6)}  ${pct(r.recall)}     ${pct(r.benignSurvival)}`);
  }
  if (page.errors.length) console.log('page errors:', page.errors.map(String));
} finally {
  await browser.close();
  await site.close();
}
