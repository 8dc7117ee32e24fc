// End-to-end: HealthCheck in a real page, its status changes delivered to the collector.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { openPage, useEnvironment } from '../support/harness.mjs';

const env = useEnvironment();

test('three failures in a row turn a service unhealthy, one success heals it, and a hanging check fails', async () => {
  const context = await env.browser.newContext();
  const page = await openPage(context, `${env.pages.url}/pages/sdk.html`);
  const result = await page.evaluate(async (endpoint) => {
    const { TelemetryCollector, HealthCheck, HealthStatus } = window.sdk;
    const collector = new TelemetryCollector({ endpoint, flushIntervalMs: 0 });
    const health = new HealthCheck(collector, { checkIntervalMs: 0, failureThreshold: 3, timeoutMs: 100 });
    let failing = true;
    health.registerService('api', async () => {
      if (failing) throw new Error('connection refused');
      return { status: HealthStatus.HEALTHY, responseTime: 12 };
    });
    const steps = [];
    for (let i = 0; i < 3; i++) {
      const report = await health.runChecks();
      steps.push(report.services[0].status);
    }
    const unhealthy = { system: health.getHealthReport().status, isHealthy: health.isHealthy() };
    failing = false;
    const healed = await health.runChecks();

    health.registerService('slow', () => new Promise(() => {}), false);
    const started = performance.now();
    const hung = await health.runChecks();
    const waited = performance.now() - started;
    await collector.flush();
    return { steps, unhealthy, healed: healed.services[0], hung: hung.services[1], system: hung.status, waited };
  }, env.collector.endpoint);

  assert.deepEqual(result.steps, ['degraded', 'degraded', 'unhealthy']);
  assert.deepEqual(result.unhealthy, { system: 'unhealthy', isHealthy: false });
  assert.equal(result.healed.status, 'healthy');
  assert.equal(result.healed.consecutiveFailures, 0);
  assert.equal(result.healed.responseTime, 12);
  assert.equal(result.hung.consecutiveFailures, 1);
  assert.equal(result.hung.message, 'timed out');
  assert.equal(result.system, 'degraded', 'a non-critical failing service degrades the system');
  assert.ok(result.waited >= 95 && result.waited < 2000, `waited ${result.waited} ms`);

  const changes = await env.collector.waitForEvents('health.status', 4);
  assert.deepEqual(
    changes.map((e) => [e.data.service, e.data.status]),
    [['api', 'degraded'], ['api', 'unhealthy'], ['api', 'healthy'], ['slow', 'degraded']],
  );
  assert.equal(changes[0].data.message, 'connection refused');
  await context.close();
});

test('checks run every checkIntervalMs until destroy, bad options and registrations throw, and odd answers are failures', async () => {
  const context = await env.browser.newContext();
  const page = await openPage(context, `${env.pages.url}/pages/sdk.html`);
  const result = await page.evaluate(async () => {
    const { TelemetryCollector, HealthCheck } = window.sdk;
    const collector = new TelemetryCollector({ transport: 'custom', customTransport: () => {}, flushIntervalMs: 0 });
    const thrown = (run) => {
      try {
        run();
        return null;
      } catch (error) {
        return `${error.constructor.name}: ${error.message}`;
      }
    };
    const refused = [
      thrown(() => new HealthCheck(collector, { timeoutMs: 0 })),
      thrown(() => new HealthCheck(collector, { checkIntervalMs: '10' })),
      thrown(() => new HealthCheck(collector, { failureThreshold: null })),
      thrown(() => new HealthCheck({}, {})),
    ];
    const health = new HealthCheck(collector, { checkIntervalMs: 50, failureThreshold: 1 });
    const registrations = [
      thrown(() => health.registerService('', () => ({ status: 'healthy' }))),
      thrown(() => health.registerService('db', 'not a function')),
    ];
    let runs = 0;
    health.registerService('timer', () => {
      runs += 1;
      return { status: 'healthy', responseTime: 7 };
    });
    await new Promise((resolve) => setTimeout(resolve, 180));
    health.destroy();
    const timed = runs;
    await new Promise((resolve) => setTimeout(resolve, 150));
    const afterDestroy = runs - timed;
    health.registerService('number', () => 42, false);
    health.registerService('string', () => Promise.reject('no route'), false);
    health.registerService('trap', () => new Proxy({}, { get() { throw new Error('page trap'); } }), false);
    const report = await health.runChecks();
    health.unregisterService('timer');
    const disabled = new HealthCheck(collector, { enabled: false, checkIntervalMs: 10 });
    disabled.registerService('never', () => { throw new Error('ran'); });
    const idle = await disabled.runChecks();
    return {
      refused,
      registrations,
      timed,
      afterDestroy,
      services: report.services.map((s) => [s.name, s.status, s.message]),
      timer: report.services[0].responseTime,
      left: health.getHealthReport().services.map((s) => s.name),
      idle: idle.services[0],
    };
  });

  assert.deepEqual(result.refused, [
    'RangeError: timeoutMs must be between 1 and 600000',
    'RangeError: checkIntervalMs must be between 0 and 86400000',
    'RangeError: failureThreshold must be between 1 and 1000',
    'TypeError: expected an instance of TelemetryCollector',
  ]);
  assert.deepEqual(result.registrations, [
    'TypeError: registerService: name must be a non-empty string',
    'TypeError: registerService: check must be a function',
  ]);
  assert.ok(result.timed >= 2 && result.timed <= 4, `the timer ran the checks ${result.timed} times`);
  assert.equal(result.afterDestroy, 0);
  assert.deepEqual(result.services, [
    ['timer', 'healthy', null],
    ['number', 'unhealthy', 'no status in the answer'],
    ['string', 'unhealthy', 'no route'],
    ['trap', 'unhealthy', 'page trap'], // resolving with it reads its `then`, which throws
  ]);
  assert.equal(result.timer, 7);
  assert.deepEqual(result.left, ['number', 'string', 'trap']);
  assert.equal(result.idle.lastChecked, null);
  assert.deepEqual(page.errors, []);
  await context.close();
});
