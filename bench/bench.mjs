// `npm run bench`: track() cost of this SDK and posthog-js capture(), side by side in the same
// headless Chromium run, PII redaction throughput, and the wasm memory of each package entry
// while it delivers events to a real collector. Prints numbers; asserts nothing.
import { join } from 'node:path';
import { serveStatic } from '../scripts/serve.mjs';
import { ROOT, launchChromium, openPage, startCollector } from '../tests/support/harness.mjs';

const N = Number(process.env.BENCH_EVENTS ?? 10000);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 7);
const MEMORY_EVENTS = Number(process.env.BENCH_MEMORY_EVENTS ?? 100000);
const MB = 1048576;

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
  // Delivery is asynchronous, so during the synchronous loop the buffer stays full and each
  // accepted event evicts the oldest: the figure includes that eviction.
  console.log(`  wasm-telemetry accepted ${result.ourAccepted}; ${result.ourEvicted} of them were evicted by newer ones while the loop kept the page busy`);

  const records = Number(process.env.BENCH_RECORDS ?? 2000);
  const redactionRounds = 11;
  const redaction = await page.evaluate((options) => window.runRedactionBench(options), { records, rounds: redactionRounds });
  const pct = (x) => `${(x * 100).toFixed(2)} %`.padStart(9);
  for (const [kind, title] of [['records', 'generated records, dense with PII'], ['prose', 'prose-heavy records, one PII value each']]) {
    const { ours, seed, ratio } = redaction[kind];
    console.log();
    console.log(`PII redaction, ${records} ${title} (${(ours.bytes / 1024).toFixed(0)} KB of text), ${redactionRounds} alternating rounds, same page`);
    console.log('                                      MB/s (median)  PII removed   benign kept');
    for (const [name, r] of [['wasm-telemetry redact()', ours], ['naive PrivacyFilter (6 regexes)', seed]]) {
      console.log(`  ${name.padEnd(34)} ${r.mbPerSecond.toFixed(1).padStart(6)}         ${pct(r.recall)}     ${pct(r.benignSurvival)}`);
    }
    console.log(`  throughput ratio, median of the rounds' paired ratios: ${ratio.toFixed(2)} (budget ≥ 3)`);
  }
  if (page.errors.length) console.log('page errors:', page.errors.map(String));

  await memoryBench();
} finally {
  await browser.close();
  await site.close();
}

/**
 * Wasm memory of each entry, loaded in a fresh page, after init and after 10,000 and
 * MEMORY_EVENTS events delivered to a real collector (its ingest rate limit off: this measures
 * the SDK, not back-off). Throws if an event was dropped or not delivered.
 */
async function memoryBench() {
  const collector = await startCollector({ args: ['--rate-limit', '0'] });
  try {
    const checkpoint = Math.min(10000, MEMORY_EVENTS);
    const rows = [];
    for (const entry of ['collector', 'web', 'index']) {
      const memoryPage = await openPage(browser, `${site.url}/memory.html`);
      const result = await memoryPage.evaluate((options) => window.runMemoryBench(options), {
        entry: `/pkg/${entry}.js`,
        endpoint: collector.endpoint,
        n: MEMORY_EVENTS,
      });
      const dropped = Object.entries(result.status.dropped).filter(([, count]) => count !== 0);
      if (result.delivered !== MEMORY_EVENTS || result.status.accepted !== MEMORY_EVENTS || dropped.length || memoryPage.errors.length) {
        throw new Error(`invalid memory run of ${entry}.js: delivered ${result.delivered}/${MEMORY_EVENTS}, accepted ${result.status.accepted}, dropped ${JSON.stringify(Object.fromEntries(dropped))}, page errors: ${memoryPage.errors.map(String)}`);
      }
      const at = (delivered) => result.samples.find((s) => s.delivered >= delivered).bytes;
      rows.push({ entry, init: result.samples[0].bytes, checkpoint: at(checkpoint), end: at(MEMORY_EVENTS), delivered: result.delivered });
      await memoryPage.close();
    }
    const count = (x) => x.toLocaleString('en-US');
    const columns = ['MB after init', `after ${count(checkpoint)}`, `after ${count(MEMORY_EVENTS)}`, 'delivered'];
    const line = (name, cells) => `  ${name.padEnd(14)}${cells.map((cell, i) => String(cell).padStart(columns[i].length + 3)).join('')}`;
    console.log();
    console.log(`Wasm memory, ${count(MEMORY_EVENTS)} events per entry sent to a live collector (budget 1.5 MB, flat from 10k to 100k)`);
    console.log(line('entry', columns));
    const mb = (bytes) => (bytes / MB).toFixed(2);
    for (const r of rows) console.log(line(`${r.entry}.js`, [mb(r.init), mb(r.checkpoint), mb(r.end), count(r.delivered)]));
  } finally {
    await collector.stop();
  }
}
