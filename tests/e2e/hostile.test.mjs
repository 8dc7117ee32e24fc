// End-to-end: every public method of every class, called with hostile arguments in a real page.
// The rule under test: bad input gets a clear TypeError or RangeError, or is dropped; it never
// leaks the page's own exceptions, never traps the wasm instance, and never loses events that
// were already accepted.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ENTRY, openPage, useEnvironment } from '../support/harness.mjs';

const env = useEnvironment();

test('every method survives hostile arguments, and accepted events are still delivered', async () => {
  const context = await env.browser.newContext();
  const page = await openPage(context, `${env.pages.url}/pages/sdk.html`);
  const result = await page.evaluate(async (endpoint) => {
    const sdk = window.sdk;
    const cyclic = { type: 'x' };
    cyclic.self = cyclic;
    cyclic.data = cyclic;
    const trap = new Proxy({}, {
      get() { throw new Error('page trap'); },
      ownKeys() { throw new Error('page trap'); },
      getOwnPropertyDescriptor() { throw new Error('page trap'); },
    });
    const trapArray = new Proxy([], { get() { throw new Error('page trap'); } });
    const { proxy: revoked, revoke } = Proxy.revocable({}, {});
    revoke();
    class HostileRegExp extends RegExp { get flags() { throw new Error('page getter'); } }
    const getters = { get type() { throw new Error('page getter'); }, get usage() { throw new Error('page getter'); } };
    const hostile = [
      undefined, null, NaN, -1, -0, 1e308, Infinity, 2 ** 53 + 1, '', 'x'.repeat(200_000), '\u0000\ud800',
      true, {}, [], [[[]]], cyclic, trap, getters, Symbol('s'), 10n, () => { throw new Error('page callback'); },
      new Date(NaN), /re/g, new Uint8Array(4), Object.create(null), { __proto__: { inherited: 1 } },
      { type: 'x', data: { value: 'a'.repeat(100_000) } }, { provider: trap, model: cyclic, usage: trap },
      trapArray, revoked, { redactPatterns: trapArray }, { redactFields: revoked }, { redactPatterns: [new HostileRegExp('a')] },
      { alertRules: trapArray }, { pricing: trap }, { budgets: trap }, { candidates: trapArray, usageMetadata: trap },
    ];

    // The collector whose accepted events must survive everything below.
    const delivered = [];
    const keeper = new sdk.TelemetryCollector({ transport: 'custom', customTransport: (events) => { delivered.push(...events); }, flushIntervalMs: 0 });
    keeper.track({ type: 'hostile.before', data: { n: 1 } });

    const collector = new sdk.TelemetryCollector({ endpoint, flushIntervalMs: 0 });
    // Every class of the entry under test (WT_ENTRY): the smaller entries have fewer.
    const modules = {
      PerformanceMetrics: {},
      ErrorTracking: { captureUnhandled: false },
      HealthCheck: { checkIntervalMs: 0 },
      LlmTelemetry: { budgets: { session: 1 } },
      UsageAnalytics: {},
    };
    const present = Object.keys(modules).filter((name) => sdk[name]);
    const instances = { TelemetryCollector: collector };
    for (const name of present) instances[name] = new sdk[name](collector, modules[name]);
    if (instances.LlmTelemetry) instances.LlmStream = instances.LlmTelemetry.createStreamAccumulator('anthropic');

    const skip = new Set(['constructor', 'free', 'destroy', '__destroy_into_raw']);
    const unexpected = [];
    let calls = 0;
    let clearErrors = 0;
    // `startSpan` runs the page's function and passes on what it throws, as its contract says.
    const passesOn = new Set(['TelemetryCollector.startSpan']);
    const attempt = async (label, run) => {
      calls += 1;
      try {
        const value = run();
        if (value && typeof value.then === 'function') await value;
      } catch (error) {
        if (passesOn.has(label.slice(0, label.indexOf('('))) && error?.message === 'page callback') return;
        const clear = (error instanceof TypeError || error instanceof RangeError) && error.message.length > 0
          && !/page (trap|getter|callback)/.test(error.message);
        if (clear) clearErrors += 1;
        else unexpected.push(`${label}: ${error?.constructor?.name} ${String(error?.message ?? error).slice(0, 120)}`);
      }
    };
    for (const [name, instance] of Object.entries(instances)) {
      // Every method along the prototype chain: the module classes extend their wasm classes.
      const methods = new Set();
      for (let proto = Object.getPrototypeOf(instance); proto && proto !== Object.prototype; proto = Object.getPrototypeOf(proto)) {
        for (const m of Object.getOwnPropertyNames(proto)) if (!skip.has(m) && typeof instance[m] === 'function') methods.add(m);
      }
      for (const method of methods) {
        for (const [i, value] of hostile.entries()) {
          await attempt(`${name}.${method}(#${i})`, () => instance[method](value));
          await attempt(`${name}.${method}(#${i}, #${i}, #${i})`, () => instance[method](value, value, value));
          await attempt(`${name}.${method}('openai', #${i}, #${i})`, () => instance[method]('openai', value, value));
        }
      }
    }
    // Constructors: a clear error or an instance, for every hostile config.
    for (const [name, Class] of Object.entries({ TelemetryCollector: sdk.TelemetryCollector })) {
      for (const [i, value] of hostile.entries()) await attempt(`new ${name}(#${i})`, () => new Class(value).destroy());
    }
    for (const name of present) {
      for (const [i, value] of hostile.entries()) {
        await attempt(`new ${name}(collector, #${i})`, () => new sdk[name](collector, value).destroy?.());
        await attempt(`new ${name}(#${i}, {})`, () => new sdk[name](value, {}).destroy?.());
      }
    }

    // Sloppy arguments: an id that is not a string is dropped and counted, a numeric id is kept.
    let sloppy = null;
    if (sdk.UsageAnalytics) {
      const analytics = new sdk.UsageAnalytics(keeper, {});
      const invalidBefore = keeper.getBufferStatus().dropped.invalid;
      analytics.trackFeature(undefined, 'opened');
      analytics.trackFeature({ id: 7 }, 'opened');
      analytics.trackFeature(42, 'opened');
      sloppy = { invalid: keeper.getBufferStatus().dropped.invalid - invalidBefore, features: analytics.getFeatureAdoptionStats().map((f) => f.featureId) };
    }

    // The wasm instance still works, and what the keeper accepted is delivered.
    keeper.track({ type: 'hostile.after', data: { n: 2 } });
    // The collector that took every hostile call still accepts and delivers.
    const survivor = collector.track({ type: 'hostile.survivor', data: { ok: true } });
    const survivorSent = await collector.flush();
    const survivorStatus = collector.getBufferStatus();
    const sent = await keeper.flush();
    const fresh = new sdk.TelemetryCollector({ transport: 'custom', customTransport: () => {}, flushIntervalMs: 0 });
    fresh.track({ type: 'hostile.fresh' });
    return {
      calls,
      clearErrors,
      unexpected,
      sent,
      sloppy,
      delivered: delivered.map((e) => e.type),
      fresh: (await fresh.flush()),
      summary: instances.LlmTelemetry ? instances.LlmTelemetry.getSummary({}).total.requests >= 0 : null,
      classes: Object.keys(instances).length,
      survivor: { accepted: survivor, sent: survivorSent, size: survivorStatus.size, inFlight: survivorStatus.inFlight },
    };
  }, env.collector.endpoint);

  assert.deepEqual(result.unexpected, [], `${result.unexpected.length} of ${result.calls} calls threw something other than a clear TypeError/RangeError`);
  assert.ok(result.calls > 700, `${result.calls} calls made`);
  assert.equal(result.fresh, 1);
  if (ENTRY === 'index') {
    assert.ok(result.calls > 2000, `${result.calls} calls made`);
    assert.equal(result.classes, 7, 'every class and the stream accumulator');
    assert.deepEqual(result.sloppy, { invalid: 2, features: ['42'] });
    assert.deepEqual(result.delivered, ['hostile.before', 'feature.used', 'hostile.after']);
    assert.equal(result.sent, 3);
    assert.equal(result.summary, true);
  } else {
    assert.equal(result.classes, ENTRY === 'web' ? 4 : 1, 'the classes of the entry');
    assert.deepEqual(result.delivered, ['hostile.before', 'hostile.after']);
    assert.equal(result.sent, 2);
  }
  assert.equal(result.survivor.accepted, true, JSON.stringify(result.survivor));
  assert.ok(result.survivor.sent >= 1 && result.survivor.size === 0 && result.survivor.inFlight === 0, JSON.stringify(result.survivor));
  assert.equal((await env.collector.waitForEvents('hostile.survivor', 1)).length, 1);
  assert.deepEqual(page.errors, [], 'nothing reached the page as an uncaught error');
  await context.close();
});
