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
