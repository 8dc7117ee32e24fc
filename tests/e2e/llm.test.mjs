// End-to-end: LLM cost telemetry in a page, with raw provider usage objects; what the
// collector stored.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { openPage, useEnvironment } from '../support/harness.mjs';

const env = useEnvironment();
/** A normalised usage with every count unknown. */
const NO_USAGE = Object.fromEntries(['inputTokens', 'outputTokens', 'cacheReadTokens', 'cacheWrite5mTokens', 'cacheWrite1hTokens', 'reasoningTokens',
  'audioInputTokens', 'audioCacheReadTokens', 'audioOutputTokens', 'imageInputTokens', 'imageCacheReadTokens', 'imageOutputTokens'].map((key) => [key, null]));
const close = (actual, expected, what) => assert.ok(Math.abs(actual - expected) < 1e-9, `${what}: ${actual} vs ${expected}`);

test('costs from raw provider usage are exact, streams are costed once, and a $1 budget alerts once per level', async () => {
  const context = await env.browser.newContext();
  const page = await openPage(context, `${env.pages.url}/pages/sdk.html`);
  const result = await page.evaluate(async (endpoint) => {
    const { TelemetryCollector, LlmTelemetry } = window.sdk;
    const collector = new TelemetryCollector({ endpoint, flushIntervalMs: 0 });
    const alerts = [];
    const llm = new LlmTelemetry(collector, { budgets: { session: 1 }, onAlert: (a) => alerts.push(`${a.budget}:${a.level}`) });
    const anthropic = {
      input_tokens: 100, output_tokens: 200, cache_read_input_tokens: 1000, cache_creation_input_tokens: 300,
      cache_creation: { ephemeral_5m_input_tokens: 100, ephemeral_1h_input_tokens: 200 },
    };
    const openai = { prompt_tokens: 1000, completion_tokens: 500, prompt_tokens_details: { cached_tokens: 400 }, completion_tokens_details: { reasoning_tokens: 300 } };
    const costs = {
      anthropic: llm.estimateCost('anthropic', 'claude-sonnet-4-5-20250929', anthropic),
      openai: llm.estimateCost('openai', 'openai/gpt-4o', openai),
      long: llm.estimateCost('anthropic', 'claude-sonnet-4-5', { input_tokens: 250000, output_tokens: 1000 }),
      batch: llm.estimateCost('openai', 'gpt-4o-mini', { prompt_tokens: 10000, completion_tokens: 2000 }, { batch: true }),
      unknown: llm.estimateCost('acme', 'mystery-9', { inputTokens: 10, outputTokens: 10 }),
    };
    const stream = llm.createStreamAccumulator('anthropic');
    stream.push({ type: 'message_start', message: { usage: { input_tokens: 1000, output_tokens: 1 } } });
    for (const n of [40, 90, 150]) stream.push({ type: 'message_delta', usage: { output_tokens: n } });
    const partial = stream.isPartial();
    stream.push({ type: 'message_stop' });
    const streamed = { usage: stream.usage(), partial, done: !stream.isPartial() };
    // Gemini: cumulative usageMetadata in every chunk, final in the chunk with a finishReason.
    const gemini = llm.createStreamAccumulator('gemini');
    const chunk = (output, finishReason) => ({
      candidates: [{ content: { role: 'model', parts: [{ text: '…' }] }, index: 0, ...(finishReason && { finishReason }) }],
      usageMetadata: { promptTokenCount: 800, candidatesTokenCount: output, cachedContentTokenCount: 300, ...(finishReason && { thoughtsTokenCount: 40 }) },
      modelVersion: 'gemini-2.5-flash',
    });
    gemini.push(chunk(12));
    gemini.push(chunk(64));
    const geminiCut = { usage: gemini.usage(), partial: gemini.isPartial() };
    gemini.push(chunk(210, 'STOP'));
    // OpenAI Responses API: usage only in response.completed.
    const responses = llm.createStreamAccumulator('openai');
    responses.push({ type: 'response.created', response: { id: 'resp_1', status: 'in_progress', usage: null } });
    responses.push({ type: 'response.output_text.delta', delta: 'Hi' });
    const responsesBefore = { usage: responses.usage(), partial: responses.isPartial() };
    responses.push({ type: 'response.completed', response: { id: 'resp_1', status: 'completed', usage: {
      input_tokens: 300, input_tokens_details: { cached_tokens: 100 }, output_tokens: 90, output_tokens_details: { reasoning_tokens: 40 }, total_tokens: 390 } } });
    const streams = {
      geminiCut,
      gemini: { usage: gemini.usage(), partial: gemini.isPartial(), cost: llm.estimateCost('gemini', 'gemini-2.5-flash', gemini.usage()).totalCost },
      responsesBefore,
      responses: { usage: responses.usage(), partial: responses.isPartial(), cost: llm.estimateCost('openai', 'o4-mini', responses.usage()).totalCost },
    };
    // Successive calls of $0.30 each against the $1 session budget.
    for (let i = 0; i < 6; i++) {
      llm.trackCall({ provider: 'openai', model: 'gpt-4o', usage: { prompt_tokens: 0, completion_tokens: 30000 }, latencyMs: 800, success: true });
    }
    await collector.flush();
    return { costs, streamed, streams, alerts, status: llm.getBudgetStatus() };
  }, env.collector.endpoint);

  const { anthropic, openai, long, batch, unknown } = result.costs;
  close(anthropic.totalCost, (100 * 3 + 1000 * 0.3 + 100 * 3.75 + 200 * 6 + 200 * 15) / 1e6, 'anthropic total');
  close(anthropic.cacheWriteCost, (100 * 3.75 + 200 * 6) / 1e6, 'anthropic cache writes');
  close(openai.inputCost, (600 * 2.5) / 1e6, 'openai uncached input');
  close(openai.cacheReadCost, (400 * 1.25) / 1e6, 'openai cached input');
  close(openai.outputCost, (500 * 10) / 1e6, 'openai output with reasoning');
  close(long.totalCost, (250000 * 6 + 1000 * 22.5) / 1e6, '> 200k sonnet');
  close(batch.totalCost, ((10000 * 0.15 + 2000 * 0.6) / 1e6) * 0.5, 'batch');
  assert.deepEqual([unknown.priced, unknown.totalCost], [false, null]);

  assert.deepEqual(result.streamed, {
    usage: { ...NO_USAGE, inputTokens: 1000, outputTokens: 150 },
    partial: true,
    done: true,
  });

  const { geminiCut, gemini, responsesBefore, responses } = result.streams;
  assert.deepEqual([geminiCut.usage.inputTokens, geminiCut.usage.outputTokens, geminiCut.partial], [800, 64, true], 'a Gemini stream cut short');
  assert.deepEqual(gemini.usage, { ...NO_USAGE, inputTokens: 800, outputTokens: 250, cacheReadTokens: 300, reasoningTokens: 40 });
  assert.equal(gemini.partial, false);
  // 2.5 Flash reads its cache at 0.03 per million (0.075 was an older rate).
  close(gemini.cost, (500 * 0.3 + 300 * 0.03 + 250 * 2.5) / 1e6, 'gemini stream cost');
  assert.deepEqual(responsesBefore, { usage: null, partial: true });
  assert.deepEqual(responses.usage, { ...NO_USAGE, inputTokens: 300, outputTokens: 90, cacheReadTokens: 100, reasoningTokens: 40 });
  assert.equal(responses.partial, false);
  close(responses.cost, (200 * 1.1 + 100 * 0.275 + 90 * 4.4) / 1e6, 'responses stream cost');

  assert.deepEqual(result.alerts, ['session:0.8', 'session:0.95', 'session:1']);
  close(result.status.session.spent, 1.8, 'session spend');
  const calls = await env.collector.waitForEvents('gen_ai.call', 6);
  assert.equal(calls.length, 6);
  assert.equal(calls[0].data['gen_ai.provider.name'], 'openai');
  assert.equal(calls[0].data['gen_ai.request.model'], 'gpt-4o');
  assert.equal(calls[0].data['gen_ai.usage.output_tokens'], 30000);
  close(calls[0].data.cost.totalCost, 0.3, 'call cost');
  assert.equal((await env.collector.waitForEvents('llm.budget_alert', 3)).length, 3);
  await context.close();
});

test('alert rules need consecutive violations, summaries add up by every dimension, and budgets forecast their exhaustion', async () => {
  const context = await env.browser.newContext();
  const page = await openPage(context, `${env.pages.url}/pages/sdk.html`);
  const result = await page.evaluate(async (endpoint) => {
    const { TelemetryCollector, LlmTelemetry } = window.sdk;
    const collector = new TelemetryCollector({ endpoint, flushIntervalMs: 0, userIdSalt: 'pepper' });
    const rule = { name: 'errors', metric: 'errorRate', operator: '>', threshold: 0.1, consecutive: 3 };
    const llm = new LlmTelemetry(collector, { alertRules: [rule], alertIntervalMs: 0, budgets: { session: 10, daily: 100 } });
    const calls = [
      { provider: 'openai', model: 'gpt-4o', usage: { prompt_tokens: 1000, completion_tokens: 100, prompt_tokens_details: { cached_tokens: 500 } }, latencyMs: 300, success: true, userId: 'ann@example.com', space: 'docs' },
      { provider: 'openai', model: 'gpt-4o', usage: { prompt_tokens: 2000, completion_tokens: 200 }, latencyMs: 900, success: false, errorType: 'timeout', userId: 'bob', space: 'docs' },
      { provider: 'anthropic', model: 'claude-haiku-4-5', usage: { input_tokens: 100, output_tokens: 50, cache_read_input_tokens: 900 }, latencyMs: 600, success: true, userId: 'ann@example.com' },
      { provider: 'anthropic', model: 'claude-haiku-4-5', usage: { input_tokens: 10, output_tokens: 0 }, latencyMs: 100, success: false, errorType: 'rate_limit' },
      { provider: 'acme', model: 'mystery-9', usage: undefined, latencyMs: 50, success: true, space: 'chat' },
    ];
    const costs = [];
    for (const c of calls) {
      costs.push(llm.trackCall(c));
      await new Promise((resolve) => setTimeout(resolve, 20)); // spend spread over time, for the forecast's fit
    }
    const checks = [llm.checkAlerts(), llm.checkAlerts(), llm.checkAlerts(), llm.checkAlerts()].map((a) => a.map((x) => x.rule));
    const byModel = llm.getSummary({ groupBy: 'model' });
    const byUser = llm.getSummary({ groupBy: 'user' });
    const bySpace = llm.getSummary({ groupBy: 'space', windowMs: 60000 });
    for (let i = 0; i < 30; i++) llm.trackCall({ provider: 'openai', model: 'gpt-4o-mini', usage: { prompt_tokens: 10, completion_tokens: 10 }, latencyMs: 10, success: true });
    const afterRecovery = llm.checkAlerts().length;
    const forecast = llm.forecastBudgetExhaustion();
    const errors = [];
    for (const bad of [() => new LlmTelemetry(collector, { alertRules: [{ metric: 'vibes', operator: '>', threshold: 1 }] }), () => llm.getSummary({ groupBy: 'planet' })]) {
      try { bad(); errors.push(null); } catch (e) { errors.push(`${e.name}: ${e.message}`); }
    }
    const triggered = llm.getTriggeredAlerts();
    await collector.flush();
    return { costs, checks, byModel, byUser, bySpace, afterRecovery, forecast, errors, triggered, now: Date.now() };
  }, env.collector.endpoint);

  // Three violating evaluations fire once; the fourth does not fire again.
  assert.deepEqual(result.checks, [[], [], ['errors'], []]);
  assert.equal(result.afterRecovery, 0);
  assert.equal(result.triggered.length, 1);
  assert.deepEqual([result.triggered[0].metric, result.triggered[0].value, result.triggered[0].threshold], ['errorRate', 2 / 5, 0.1]);

  const { total, groups } = result.byModel;
  assert.deepEqual([total.requests, total.errors, total.errorRate, total.unknownUsage, total.unpriced], [5, 2, 0.4, 1, 1]);
  assert.deepEqual(total.errorsByType, { rate_limit: 1, timeout: 1 });
  assert.equal(total.inputTokens, 1000 + 2000 + 1000 + 10);
  assert.equal(total.totalTokens, total.inputTokens + total.outputTokens);
  assert.deepEqual([total.cacheHits, total.cacheMisses, total.cacheHitRate], [2, 3, 0.4]);
  assert.deepEqual([total.latency.p50, total.latency.p95, total.latency.avg], [300, 900, 390]);
  assert.deepEqual(Object.keys(groups), ['gpt-4o', 'claude-haiku-4-5', 'mystery-9']);
  const gpt = groups['gpt-4o'];
  close(gpt.totalCost, (500 * 2.5 + 500 * 1.25 + 100 * 10 + 2000 * 2.5 + 200 * 10) / 1e6, 'gpt-4o cost');
  assert.deepEqual([gpt.requests, gpt.errorRate, gpt.cachedTokens], [2, 0.5, 500]);
  close(total.totalCost, result.costs.reduce((sum, c) => sum + (c.totalCost ?? 0), 0), 'total cost');
  for (const summary of [result.byModel, result.byUser, result.bySpace]) {
    const parts = Object.values(summary.groups);
    for (const field of ['requests', 'inputTokens', 'outputTokens', 'errors', 'cacheHits']) {
      assert.equal(parts.reduce((sum, g) => sum + g[field], 0), summary.total[field], `${summary.groupBy} ${field}`);
    }
  }
  assert.deepEqual(Object.keys(result.byUser.groups).sort(), ['(none)', 'ann@example.com', 'bob']);
  assert.equal(result.bySpace.windowMs, 60000);
  assert.equal(result.bySpace.total.requestsPerMinute, 5);

  // The session budget has no end; the daily one ends at the next UTC midnight.
  const { session, daily, monthly } = result.forecast;
  assert.equal(monthly, null);
  assert.equal(session.periodEnd, null);
  assert.ok(session.ratePerHour > 0 && session.remainingMs > 0, JSON.stringify(session));
  assert.ok(Math.abs(session.exhaustsAt - session.remainingMs - result.now) < 1000, JSON.stringify(session));
  const midnight = Math.floor(result.now / 86400000 + 1) * 86400000;
  assert.equal(daily.periodEnd, midnight);
  assert.ok(daily.projectedSpend >= daily.spent);

  assert.deepEqual(result.errors.map((e) => e?.split(':')[0]), ['TypeError', 'RangeError']);

  const stored = await env.collector.waitForEvents('gen_ai.call', 35);
  const text = JSON.stringify(stored);
  assert.ok(!text.includes('ann@example.com') && !text.includes('"bob"'), 'raw user ids never leave the page');
  const users = new Set(stored.map((e) => e.data['user.id']).filter(Boolean));
  assert.equal(users.size, 2);
  assert.ok([...users].every((hash) => /^[0-9a-f]{64}$/.test(hash)));
  assert.equal((await env.collector.waitForEvents('llm.alert', 1))[0].data.rule, 'errors');
  await context.close();
});

test('default rules run on their own timer: a slow p95 fires high_latency after three evaluations', async () => {
  const context = await env.browser.newContext();
  const page = await openPage(context, `${env.pages.url}/pages/sdk.html`);
  const result = await page.evaluate(async (endpoint) => {
    const { TelemetryCollector, LlmTelemetry } = window.sdk;
    const collector = new TelemetryCollector({ endpoint, flushIntervalMs: 0 });
    const started = performance.now();
    const fired = new Promise((resolve) => {
      const llm = new LlmTelemetry(collector, { alertIntervalMs: 40, onAlert: (a) => resolve({ alert: a, elapsed: performance.now() - started }) });
      for (let i = 0; i < 20; i++) llm.trackCall({ provider: 'openai', model: 'gpt-4o', usage: { prompt_tokens: 10, completion_tokens: 10 }, latencyMs: i < 18 ? 800 : 7000, success: true });
      window.keep = llm;
    });
    return fired;
  }, env.collector.endpoint);
  assert.equal(result.alert.rule, 'high_latency');
  assert.equal(result.alert.value, 7000);
  assert.ok(result.elapsed >= 3 * 40 - 5, `fired after ${result.elapsed} ms`);
  await context.close();
});

test('a stream cut short is tracked with what it reported, its cost marked as a lower bound', async () => {
  const context = await env.browser.newContext();
  const page = await openPage(context, `${env.pages.url}/pages/sdk.html`);
  const cost = await page.evaluate(async (endpoint) => {
    const { TelemetryCollector, LlmTelemetry } = window.sdk;
    const collector = new TelemetryCollector({ endpoint, flushIntervalMs: 0 });
    const llm = new LlmTelemetry(collector, {});
    const stream = llm.createStreamAccumulator('anthropic');
    stream.push({ type: 'message_start', message: { usage: { input_tokens: 2000, output_tokens: 1 } } });
    stream.push({ type: 'message_delta', usage: { output_tokens: 120 } });
    // The connection drops here: no message_stop.
    const result = llm.trackCall({ provider: 'anthropic', model: 'claude-haiku-4-5', usage: stream.usage(), usagePartial: stream.isPartial(),
      latencyMs: 3000, success: false, errorType: 'stream_interrupted', space: 'partial-stream' });
    await collector.flush();
    return result.totalCost;
  }, env.collector.endpoint);
  close(cost, (2000 * 1 + 120 * 5) / 1e6, 'the tokens that were reported are paid for, not 0');
  const stored = (await env.collector.waitForEvents('gen_ai.call', 1)).filter((e) => e.data.space === 'partial-stream');
  assert.equal(stored.length, 1);
  assert.equal(stored[0].data.usagePartial, true);
  assert.equal(stored[0].data['gen_ai.usage.output_tokens'], 120);
  close(stored[0].data.cost.totalCost, cost, 'stored cost');
  await context.close();
});

test('the collector recomputes every call with its own table, flags a stale client table, and takes a fresher table at run time', async () => {
  // The collector learns a model the bundled table lacks, as a LiteLLM entry.
  const house = { 'house-llm': { mode: 'chat', input_cost_per_token: 1e-6, output_cost_per_token: 4e-6, litellm_provider: 'openai' } };
  const put = await fetch(`${env.collector.url}/api/pricing`, { method: 'PUT', body: JSON.stringify(house) });
  assert.equal(put.status, 200);
  assert.equal((await put.json()).data.added, 1);
  const context = await env.browser.newContext();
  const page = await openPage(context, `${env.pages.url}/pages/sdk.html`);
  const client = await page.evaluate(async ({ endpoint, house }) => {
    const { TelemetryCollector, LlmTelemetry } = window.sdk;
    const collector = new TelemetryCollector({ endpoint, flushIntervalMs: 0 });
    // This client still prices gpt-4o at an old 5 and 15 per million tokens.
    const llm = new LlmTelemetry(collector, { pricing: { 'gpt-4o': { input: 5, output: 15 } } });
    llm.setPricing(house);
    const usage = { prompt_tokens: 10000, completion_tokens: 2000 };
    const costs = ['gpt-4o', 'house-llm', 'gpt-4o-mini'].map((model) =>
      llm.trackCall({ provider: 'openai', model, usage, latencyMs: 100, success: true, space: 'stale-table' }).totalCost);
    let refused;
    try {
      llm.setPricing({ 'gpt-4o': { input: 'cheap', output: 1 } });
    } catch (error) {
      refused = `${error.name}: ${error.message}`;
    }
    await collector.flush();
    return { costs, refused };
  }, { endpoint: env.collector.endpoint, house });
  assert.equal(client.refused, 'TypeError: pricing.gpt-4o.input must be a non-negative number');
  close(client.costs[0], (10000 * 5 + 2000 * 15) / 1e6, 'the stale client cost');
  close(client.costs[1], (10000 * 1 + 2000 * 4) / 1e6, 'the client cost with the LiteLLM entry');

  const stored = (await env.collector.waitForEvents('gen_ai.call', 3)).filter((e) => e.data.space === 'stale-table');
  assert.equal(stored.length, 3);
  const byModel = Object.fromEntries(stored.map((e) => [e.data['gen_ai.request.model'], e.data]));
  const gpt4o = (10000 * 2.5 + 2000 * 10) / 1e6;
  const mini = (10000 * 0.15 + 2000 * 0.6) / 1e6;
  close(byModel['gpt-4o'].collectorCost.totalCost, gpt4o, 'the collector prices gpt-4o with its own table');
  close(byModel['gpt-4o'].cost.totalCost, client.costs[0], 'the client cost is kept');
  assert.equal(byModel['gpt-4o'].costMismatch, true);
  for (const model of ['house-llm', 'gpt-4o-mini']) {
    close(byModel[model].collectorCost.totalCost, byModel[model].cost.totalCost, `${model}: both tables agree`);
    assert.equal(byModel[model].costMismatch, undefined, model);
  }
  assert.equal(byModel['gpt-4o'].usage.inputTokens, 10000, 'the normalised usage travels with the call');

  const costs = await env.collector.api('/api/llm/costs?groupBy=space');
  const row = costs.rows.find((r) => r.key === 'stale-table');
  close(row.cost, gpt4o + 0.018 + mini, 'costs use the collector figure');
  close(row.clientCost, client.costs[0] + 0.018 + mini, 'the clients figure beside it');
  assert.equal(row.costMismatches, 1);
  assert.ok(costs.costMismatches >= 1);

  // The dashboard shows the collector's figures and flags the stale call.
  const dashboard = await context.newPage();
  await dashboard.goto(`${env.collector.url}/`);
  await dashboard.waitForFunction(() => document.querySelector('#cost-mismatch').textContent !== '');
  const shown = await dashboard.evaluate(() => ({
    warning: document.querySelector('#cost-mismatch').textContent,
    models: [...document.querySelectorAll('#cost-model svg title')].map((t) => t.textContent),
  }));
  assert.match(shown.warning, /priced differently by the client's table/);
  assert.ok(shown.models.some((m) => m.startsWith('gpt-4o:') && m.includes('priced differently by the client')), `models: ${shown.models}`);
  await context.close();

  // The table loaded at run time survives a restart.
  await env.collector.restart();
  assert.equal((await env.collector.api('/api/pricing')).data.loaded, 1);
  const call = { id: 'after-restart', type: 'gen_ai.call', timestamp: Date.now(), sessionId: 's', context: {},
    data: { 'gen_ai.provider.name': 'openai', 'gen_ai.request.model': 'house-llm', usage: { inputTokens: 1000, outputTokens: 0 }, cost: { totalCost: 0.001 } } };
  const sent = await fetch(env.collector.endpoint, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ events: [call] }) });
  assert.equal(sent.status, 200);
  const [after] = (await env.collector.events('gen_ai.call')).filter((e) => e.id === 'after-restart');
  close(after.data.collectorCost.totalCost, 0.001, 'priced with the kept table');
  assert.equal(after.data.costMismatch, undefined);
});
