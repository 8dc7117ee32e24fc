// Shared helpers of the end-to-end tests: a real collector process, a static server for the
// built package and the test pages, and Debian's headless Chromium driven by playwright-core.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { after, before } from 'node:test';
import { chromium } from 'playwright-core';
import { serveStatic } from '../../scripts/serve.mjs';

export const ROOT = resolve(import.meta.dirname, '../..');

/** Chromium flags for this sandboxed, offline machine. */
export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-dev-shm-usage',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-quic',
  '--no-first-run',
];

/** The collector binary that `cargo build` makes, which the tests run. */
export const COLLECTOR_BINARY = join(ROOT, 'target/debug/wasm-telemetry-collector');

/** Spawns the collector binary and resolves with the process and its URL once it listens. */
async function spawnCollector(port, db, args) {
  const child = spawn(COLLECTOR_BINARY, ['--port', String(port), '--db', db, '--log-level', 'error', ...args], { stdio: ['ignore', 'pipe', 'inherit'] });
  const url = await new Promise((done, fail) => {
    let seen = '';
    const timer = setTimeout(() => fail(new Error(`collector did not start: ${seen}`)), 15000);
    child.stdout.on('data', (chunk) => {
      seen += chunk;
      const match = /listening on (http:\/\/\S+)/.exec(seen);
      if (match) {
        clearTimeout(timer);
        done(match[1]);
      }
    });
        child.on('exit', (code) => fail(new Error(`collector exited with ${code}: ${seen}`)));
  });
  return { child, url };
}

const stopProcess = (child) =>
  new Promise((done) => {
    if (child.exitCode !== null) return done();
    child.on('exit', done);
    child.kill('SIGTERM');
  });

/**
 * Starts `wasm-telemetry-collector` on a free port with a fresh database; `adminToken` is sent
 * on the read APIs when `args` set one.
 */
export async function startCollector({ args = [], adminToken } = {}) {
  const dir = mkdtempSync(join(tmpdir(), 'wt-collector-'));
  const db = join(dir, 'events.db');
  let { child, url } = await spawnCollector(0, db, args);
  const port = new URL(url).port;
  const headers = adminToken ? { Authorization: `Bearer ${adminToken}` } : {};
  return {
    url,
    /** Stops the process and starts it again on the same port and database. */
    async restart() {
      await stopProcess(child);
      ({ child } = await spawnCollector(port, db, args));
    },
    /** GET of an admin API path, parsed as JSON. */
    async api(path) {
      return (await fetch(`${url}${path}`, { headers })).json();
    },
    endpoint: `${url}/v1/events`,
    /** Stored events, oldest first, optionally of one type. */
    async events(type) {
      const query = `?limit=10000${type ? `&type=${encodeURIComponent(type)}` : ''}`;
      const response = await fetch(`${url}/api/events${query}`, { headers });
      return (await response.json()).events;
    },
        /** Polls until at least `count` events of `type` are stored (or gives up after `ms`). */
    async waitForEvents(type, count, ms = 10000) {
      const deadline = Date.now() + ms;
      let events = [];
      while (Date.now() < deadline) {
        events = await this.events(type);
        if (events.length >= count) return events;
        await new Promise((done) => setTimeout(done, 50));
      }
      return events;
    },
        async stop() {
      await stopProcess(child);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Serves the repository's pages and the built package from one origin. */
export function startPages(extraMounts = {}) {
  return serveStatic({
    mounts: {
      '/pkg/': join(ROOT, 'pkg'),
      '/pages/': join(ROOT, 'tests/e2e/pages'),
      '/www/': join(ROOT, 'www'),
      '/node_modules/': join(ROOT, 'node_modules'),
      ...extraMounts,
    },
  });
}

/** Launches Debian's Chromium headless (never a downloaded browser). */
export function launchChromium() {
  return chromium.launch({ executablePath: '/usr/bin/chromium', headless: true, args: CHROMIUM_ARGS });
}

/**
 * The package entry the test pages load: `WT_ENTRY=collector` or `WT_ENTRY=web` runs a suite
 * against that entry (pages/sdk.html and pages/traced.html read it from `?entry=`); the full entry
 * by default.
 */
export const ENTRY = process.env.WT_ENTRY ?? 'index';

/** `url` with the entry under test, for the test pages that take one. */
export function withEntry(url) {
  if (ENTRY === 'index' || !/\/pages\/(sdk|traced)\.html/.test(url)) return url;
  return `${url}${url.includes('?') ? '&' : '?'}entry=${ENTRY}`;
}

/** Opens `url` in a new page and collects uncaught page errors in `page.errors`. */
export async function openPage(browser, url) {
  const page = await browser.newPage();
  page.errors = [];
  page.on('pageerror', (error) => page.errors.push(error));
  await page.goto(withEntry(url));
  await page.waitForFunction(() => window.sdkReady === true);
  return page;
}

/**
 * Starts a collector, the page server and Chromium before a test file's tests and stops them
 * after; the returned object's fields are set once `before` has run.
 */
export function useEnvironment() {
  const env = {};
  before(async () => {
    [env.collector, env.pages, env.browser] = await Promise.all([startCollector(), startPages(), launchChromium()]);
  });
  after(async () => {
    await env.browser?.close();
    await env.pages?.close();
    await env.collector?.stop();
  });
  return env;
}
