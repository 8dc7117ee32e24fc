// End-to-end: UsageAnalytics with the seed API in a page; lengths and categories reach the
// collector, message content never does.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { openPage, useEnvironment } from '../support/harness.mjs';

const env = useEnvironment();

test('features, conversations, providers and proactive suggestions are measured, never their content', async () => {
  const context = await env.browser.newContext();
  const page = await openPage(context, `${env.pages.url}/pages/sdk.html`);
  const result = await page.evaluate(async (endpoint) => {
    const { TelemetryCollector, UsageAnalytics } = window.sdk;
    const collector = new TelemetryCollector({ endpoint, flushIntervalMs: 0 });
    const analytics = new UsageAnalytics(collector, { trackFeatures: true, trackConversations: true, trackProviders: true, trackProactive: true });
    analytics.trackFeature('proactive-suggestions', 'enabled', { plan: 'pro' });
    analytics.trackFeature('proactive-suggestions', 'used');
    analytics.trackFeature('export', 'used');
    const secret = 'my password is hunter2';
    analytics.startConversation('conv-1', 'openai');
    analytics.trackMessage('conv-1', secret.length, 'user');
    analytics.trackMessage('conv-1', 200, 'assistant');
    analytics.endConversation('conv-1', true);
    analytics.trackProviderRequest('openai', 150, true, 500);
    analytics.trackProviderRequest('openai', 450, false, 0);
    for (const id of ['s1', 's2', 's3']) analytics.trackProactiveSuggestion(id, { intrusionLevel: 'low' });
    analytics.trackProactiveAcceptance('s1', 5000);
    analytics.trackProactiveAcceptance('s2', 3000);
    analytics.trackProactiveDismissal('s3');
    await collector.flush();
    return {
      features: analytics.getFeatureAdoptionStats(),
      conversations: analytics.getConversationStats(),
      proactive: analytics.getProactiveMetrics(),
    };
  }, env.collector.endpoint);

  assert.deepEqual(result.features.map((f) => [f.featureId, f.uses]), [['proactive-suggestions', 2], ['export', 1]]);
  assert.deepEqual(result.features[0].actions, { enabled: 1, used: 1 });
  assert.equal(result.conversations.successRate, 1);
  assert.equal(result.conversations.avgMessages, 2);
  assert.deepEqual(result.conversations.avgLengthByRole, { assistant: 200, user: 22 });
  assert.deepEqual(result.conversations.providers.openai, { requests: 2, errors: 1, tokens: 500, avgLatencyMs: 300 });
  assert.deepEqual(result.proactive, { shown: 3, accepted: 2, dismissed: 1, acceptanceRate: 2 / 3, medianTimeToAcceptMs: 4000 });

  const stored = await env.collector.events();
  const types = new Set(stored.map((e) => e.type));
  for (const type of ['feature.used', 'conversation.started', 'conversation.message', 'conversation.ended', 'provider.request',
    'proactive.suggested', 'proactive.accepted', 'proactive.dismissed']) {
    assert.ok(types.has(type), type);
  }
  assert.ok(!JSON.stringify(stored).includes('hunter2'), 'no message content was sent');
  await context.close();
});
