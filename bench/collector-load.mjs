// Load generator for the reference collector: starts the release binary on 127.0.0.1 with a
// fresh SQLite file, then keeps CONCURRENCY keep-alive connections posting batches for SECONDS
// per scenario, and prints events/s, requests/s and latency percentiles.
//   node bench/collector-load.mjs [seconds=10] [concurrency=32]
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import http from 'node:http';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { randomUUID } from 'node:crypto';

const ROOT = resolve(import.meta.dirname, '..');
const SECONDS = Number(process.argv[2] ?? 10);
const CONCURRENCY = Number(process.argv[3] ?? 32);
const KEY = 'load-key';

function start(db) {
  const child = spawn(join(ROOT, 'target/release/wasm-telemetry-collector'),
    ['--port', '0', '--db', db, '--ingest-key', KEY, '--rate-limit', '0', '--log-level', 'error'],
    { stdio: ['ignore', 'pipe', 'inherit'] });
  return new Promise((done, fail) => {
    let seen = '';
    child.stdout.on('data', (chunk) => {
      seen += chunk;
      const match = /listening on http:\/\/(\S+):(\d+)/.exec(seen);
      if (match) done({ child, host: match[1], port: Number(match[2]) });
    });
    child.on('exit', (code) => fail(new Error(`collector exited with ${code}`)));
  });
}

/** A batch shaped like the SDK's: page views and clicks with context, ~330 bytes per event. */
function batch(size) {
  const now = Date.now();
  const events = Array.from({ length: size }, (_, i) => ({
    id: randomUUID(), type: i % 3 ? 'ui.click' : 'page.view', timestamp: now, sessionId: 'load-session',
    data: { target: 'button#buy', index: i }, context: { url: 'https://shop.example/checkout', referrer: 'https://shop.example/', viewport: '1280x720', userAgent: 'Mozilla/5.0 (X11; Linux x86_64) Chrome/131' },
  }));
  return JSON.stringify({ batchId: randomUUID(), sentAt: now, sdk: { name: 'wasm-telemetry', version: '0.1.0' }, events });
}

async function scenario(target, eventsPerRequest) {
  const agent = new http.Agent({ keepAlive: true, maxSockets: CONCURRENCY });
  const latencies = [];
  let events = 0;
  let failures = 0;
  const deadline = performance.now() + SECONDS * 1000;
  const post = (body) => new Promise((done) => {
    const started = performance.now();
    const request = http.request({ host: target.host, port: target.port, path: '/v1/events', method: 'POST', agent,
      headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${KEY}`, 'Content-Length': Buffer.byteLength(body) } },
    (response) => {
      response.resume();
      response.on('end', () => {
        latencies.push(performance.now() - started);
        if (response.statusCode === 200) events += eventsPerRequest; else failures++;
        done();
      });
    });
    request.on('error', () => { failures++; done(); });
    request.end(body);
  });
  const started = performance.now();
  await Promise.all(Array.from({ length: CONCURRENCY }, async () => {
    while (performance.now() < deadline) await post(batch(eventsPerRequest));
  }));
  const elapsed = (performance.now() - started) / 1000;
  agent.destroy();
  latencies.sort((a, b) => a - b);
  const at = (p) => latencies[Math.max(0, Math.ceil((p / 100) * latencies.length) - 1)];
  return { eventsPerRequest, events, requests: latencies.length, failures, elapsed, p50: at(50), p99: at(99) };
}

const dir = mkdtempSync(join(tmpdir(), 'wt-load-'));
const db = join(dir, 'load.db');
const target = await start(db);
console.log(`collector load, 127.0.0.1, ${CONCURRENCY} connections, ${SECONDS} s per scenario, SQLite WAL file`);
console.log('events/request   events/s   requests/s   p50 ms   p99 ms   non-200');
try {
  for (const size of [1, 10, 50]) {
    const r = await scenario(target, size);
    console.log(`${String(size).padStart(14)} ${String(Math.round(r.events / r.elapsed)).padStart(10)} ${String(Math.round(r.requests / r.elapsed)).padStart(12)} ${r.p50.toFixed(2).padStart(8)} ${r.p99.toFixed(2).padStart(8)} ${String(r.failures).padStart(9)}`);
  }
  console.log(`database after the run: ${(statSync(db).size / 1e6).toFixed(1)} MB`);
} finally {
  target.child.kill('SIGTERM');
  await new Promise((done) => target.child.on('exit', done));
  rmSync(dir, { recursive: true, force: true });
}
