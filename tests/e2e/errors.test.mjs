// End-to-end: ErrorTracking in a real page: global errors and rejections, parsed frames,
// breadcrumbs, grouping; what the collector stored.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { openPage, useEnvironment } from '../support/harness.mjs';

const env = useEnvironment();

test('a thrown error and an unhandled rejection arrive with frames and breadcrumbs; ten repeats are one group of 10', async () => {
  const context = await env.browser.newContext();
  const page = await openPage(context, `${env.pages.url}/pages/sdk.html`);
  await page.evaluate((endpoint) => {
    const { TelemetryCollector, ErrorTracking } = window.sdk;
    window.collector = new TelemetryCollector({ endpoint, flushIntervalMs: 0 });
    window.errors = new ErrorTracking(window.collector, { maxBreadcrumbs: 20 });
    window.errors.addBreadcrumb({ category: 'auth', message: 'signed in as ann@example.com', level: 'info' });
  }, env.collector.endpoint);
  await page.click('#buy');
  await page.evaluate(() => { location.hash = '#checkout'; });
  await page.waitForTimeout(50);
  await page.evaluate(async () => {
    await fetch('/pages/sdk.html?coupon=SECRET10');
    // fetch and XHR take URL objects as well as strings.
    await fetch(new URL('/pages/sdk.html?from=url', location.href));
    await new Promise((done) => {
      const xhr = new XMLHttpRequest();
      xhr.open('GET', new URL('/pages/missing', location.href));
      xhr.addEventListener('loadend', done);
      xhr.send();
    });
    console.warn('cart almost full', { items: 9 });
    history.pushState({}, '', '/pages/step-2');
  });

  await page.addScriptTag({ url: '/pages/errors.js' });
  await page.evaluate(() => window.failOrders());
  await page.waitForTimeout(300);
  const summary = await page.evaluate(async () => {
    await window.collector.flush();
    return { groups: window.errors.getErrorGroups(), stats: window.errors.getStats() };
  });

  const typeGroup = summary.groups.find((g) => g.type === 'TypeError');
  assert.equal(typeGroup.count, 10);
  assert.equal(typeGroup.message, 'Order <n> failed for <q>');
  assert.equal(summary.groups.length, 2);
  assert.equal(summary.stats.totalErrors, 11);
  assert.equal(summary.stats.uniqueGroups, 2);

  const stored = await env.collector.waitForEvents('error', 2);
  assert.equal(stored.length, 2, 'the repeats were counted, not sent again');
  const thrown = stored.find((e) => e.data.name === 'TypeError');
  assert.equal(thrown.data.mechanism, 'onerror');
  assert.equal(thrown.data.message, "Order 1 failed for 'ann'");
  assert.equal(thrown.data.frames[0].function, 'checkout');
  assert.match(thrown.data.frames[0].file, /^http:\/\/127\.0\.0\.1:\d+\/pages\/errors\.js$/);
  assert.equal(thrown.data.frames[0].inApp, true);
  assert.ok(thrown.data.frames[0].line > 0);
  const crumbs = thrown.data.breadcrumbs;
  assert.deepEqual(crumbs.map((c) => c.category), ['auth', 'ui.click', 'navigation', 'http', 'http', 'http', 'console', 'navigation']);
  assert.equal(crumbs[0].message, 'signed in as [REDACTED_EMAIL]');
  assert.equal(crumbs[1].message, 'button#buy');
  assert.match(crumbs[3].message, /^GET http:\/\/127\.0\.0\.1:\d+\/pages\/sdk\.html\?coupon=\[REDACTED\]$/);
  assert.equal(crumbs[3].data.status, 200);
  assert.ok(crumbs[3].data.durationMs >= 0);
  assert.match(crumbs[4].message, /^GET http:\/\/127\.0\.0\.1:\d+\/pages\/sdk\.html\?from=\[REDACTED\]$/);
  assert.equal(crumbs[4].data.status, 200);
  assert.match(crumbs[5].message, /^GET http:\/\/127\.0\.0\.1:\d+\/pages\/missing$/);
  assert.equal(crumbs[5].data.status, 404);
  assert.equal(crumbs[5].level, 'error');
  assert.equal(crumbs[6].message, 'cart almost full {"items":9}');
  assert.equal(crumbs[6].level, 'warning');
  assert.equal(crumbs[7].message, '/pages/step-2');
  assert.equal(crumbs.filter((c) => c.category === 'http' && c.message.includes('/v1/events')).length, 0, 'the SDK\'s own requests are not breadcrumbs');
  const rejection = stored.find((e) => e.data.mechanism === 'onunhandledrejection');
  assert.equal(rejection.data.message, 'payment service unavailable');
  assert.ok(rejection.data.frames.length > 0);
  await context.close();
});

test('captureError returns an id, recoveries are tracked, and the SDK\'s own failure does not recurse', async () => {
  const context = await env.browser.newContext();
  const page = await openPage(context, `${env.pages.url}/pages/sdk.html`);
  const result = await page.evaluate(() => {
    const { TelemetryCollector, ErrorTracking, ErrorSeverity } = window.sdk;
    const collector = new TelemetryCollector({ transport: 'console', flushIntervalMs: 0 });
    const errors = new ErrorTracking(collector);
    const id = errors.captureError(new Error('timeout calling /api/chat'), { severity: ErrorSeverity.WARNING, context: { endpoint: '/api/chat' } });
    const again = errors.captureError('a plain string');
    const weird = errors.captureError(null);
    errors.trackRecovery(id, true, { strategy: 'retry', attempts: 2 });
    errors.trackRecovery(again, false, { strategy: 'fallback', attempts: 1 });
    return { id, again, weird, stats: errors.getStats() };
  });
  assert.match(result.id, /^err-\d+-1$/);
  assert.notEqual(result.id, result.again);
  assert.equal(typeof result.weird, 'string');
  assert.equal(result.stats.totalErrors, 3);
  assert.equal(result.stats.recoveryRate, 0.5);
  assert.deepEqual(result.stats.bySeverity, { debug: 0, info: 0, warning: 1, error: 2, critical: 0 });
  await context.close();
});

test('the page\'s own handlers keep running, a capture while reporting is dropped, and destroy restores what was wrapped', async () => {
  const context = await env.browser.newContext();
  const page = await openPage(context, `${env.pages.url}/pages/sdk.html`);
  const result = await page.evaluate(async () => {
    const { TelemetryCollector, ErrorTracking } = window.sdk;
    const seen = [];
    window.onerror = () => { seen.push('onerror'); };
    window.addEventListener('error', () => seen.push('listener'));
    const originals = () => [window.fetch, console.warn, console.error, history.pushState, history.replaceState, XMLHttpRequest.prototype.open, XMLHttpRequest.prototype.send];
    const pristine = originals();
    const delivered = [];
    let errors;
    const nested = [];
    const collector = new TelemetryCollector({
      transport: 'custom',
      customTransport: (events) => { delivered.push(...events); },
      flushIntervalMs: 0,
      beforeSend: (event) => {
        if (event.type === 'error') nested.push(errors.captureError(new Error('inside beforeSend')));
        return event;
      },
    });
    // The collector's trace wraps fetch and XHR itself (web and full entries); ErrorTracking
    // wraps what it finds.
    const before = originals();
    errors = new ErrorTracking(collector);
    const wrapped = originals().every((f, i) => f !== before[i]);
    setTimeout(() => { throw new Error('from a timer'); });
    await new Promise((done) => setTimeout(done, 50));
    const invalidBefore = collector.getBufferStatus().dropped.invalid;
    const badRecovery = errors.trackRecovery(Symbol('id'), true);
    const invalid = collector.getBufferStatus().dropped.invalid - invalidBefore;
    errors.destroy();
    const restored = originals().every((f, i) => f === before[i]);
    setTimeout(() => { throw new Error('after destroy'); });
    await new Promise((done) => setTimeout(done, 50));
    await collector.flush();
    collector.destroy();
    const unwrapped = originals().every((f, i) => f === pristine[i]);
    return { seen, nested, wrapped, restored, unwrapped, badRecovery, invalid, stats: errors.getStats(), messages: delivered.filter((e) => e.type === 'error').map((e) => e.data.message) };
  });
  assert.deepEqual(result.seen, ['onerror', 'listener', 'onerror', 'listener'], 'the page\'s handlers run before and after');
  assert.deepEqual(result.nested, [undefined], 'captureError inside the report is dropped');
  assert.equal(result.wrapped, true);
  assert.equal(result.restored, true);
  assert.equal(result.unwrapped, true, 'destroying the collector restores what its trace wrapped');
  assert.equal(result.badRecovery, false);
  assert.equal(result.invalid, 1, 'a recovery without an id counts as invalid');
  assert.equal(result.stats.totalErrors, 1);
  assert.deepEqual(result.messages, ['from a timer']);
  await context.close();
});

test('options are validated as before, and trackError and captureError read thrown values alike', async () => {
  const context = await env.browser.newContext();
  const page = await openPage(context, `${env.pages.url}/pages/sdk.html`);
  const result = await page.evaluate(async () => {
    const { TelemetryCollector, ErrorTracking } = window.sdk;
    const delivered = [];
    const collector = new TelemetryCollector({ transport: 'custom', customTransport: (events) => { delivered.push(...events); }, flushIntervalMs: 0 });
    const quiet = { captureUnhandled: false, captureUnhandledRejections: false };
    const refusal = (options) => {
      try {
        new ErrorTracking(collector, { ...quiet, ...options }).destroy();
        return 'accepted';
      } catch (error) {
        return `${error.constructor.name}: ${error.message}`;
      }
    };
    const cyclic = { ...quiet, maxBreadcrumbs: 5000 };
    cyclic.self = cyclic;
    const refusals = [
      refusal({ maxBreadcrumbs: NaN }),
      refusal({ maxBreadcrumbs: 1.5 }),
      refusal({ maxBreadcrumbs: '5000', breadcrumbs: { clicks: false, deep: { x: 1n } } }),
      refusal(cyclic),
    ];
    const errors = new ErrorTracking(collector, { ...quiet, deduplicate: false });
    const getter = new Error('x');
    Object.defineProperty(getter, 'message', { get() { throw new Error('page getter'); } });
    const cycle = {};
    cycle.self = cycle;
    const values = [null, 'plain text', { code: 7 }, cycle, new TypeError('typed'), getter, 10n];
    for (const value of values) {
      collector.trackError(value);
      errors.captureError(value);
    }
    await collector.flush();
    const read = delivered.map((e) => [e.data.name, e.data.message, e.data.stack !== undefined]);
    const pairs = [];
    for (let i = 0; i < read.length; i += 2) pairs.push([read[i], read[i + 1]]);
    return { refusals, pairs };
  });
  const range = 'RangeError: maxBreadcrumbs must be an integer between 0 and 1000';
  assert.deepEqual(result.refusals, [range, range, 'accepted', range]);
  assert.equal(result.pairs.length, 7);
  for (const [tracked, captured] of result.pairs) assert.deepEqual(captured, tracked);
  assert.deepEqual(result.pairs.map(([tracked]) => tracked[1]), ['null', 'plain text', '{"code":7}', '[unserialisable value]', 'typed', '[unserialisable value]', '[unserialisable value]']);
  await context.close();
});
