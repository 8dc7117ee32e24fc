// End-to-end: LLM cost telemetry in a page, with raw provider usage objects; what the
// collector stored.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { openPage, useEnvironment } from '../support/harness.mjs';

const env = useEnvironment();
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
    // Successive calls of $0.30 each against the $1 session budget.
    for (let i = 0; i < 6; i++) {
      llm.trackCall({ provider: 'openai', model: 'gpt-4o', usage: { prompt_tokens: 0, completion_tokens: 30000 }, latencyMs: 800, success: true });
    }
    await collector.flush();
    return { costs, streamed, alerts, status: llm.getBudgetStatus() };
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
    usage: { inputTokens: 1000, outputTokens: 150, cacheReadTokens: null, cacheWrite5mTokens: null, cacheWrite1hTokens: null, reasoningTokens: null },
    partial: true,
    done: true,
  });

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
