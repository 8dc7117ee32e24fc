// UsageAnalytics: feature adoption, conversations (lengths only, never content), provider
// requests and proactive suggestions. The rules and the JSON are the wasm core's (kind
// `analytics`); this class hands it the page's arguments and sends what it answers through the
// collector.
import { openCore, run } from './core.js';
import { submitEvent } from './module-io.js';
import { recordJson, text } from './read.js';
import * as op from './ops.js';

/** An id as the core takes it: a string or a number; `undefined` for anything else. */
const id = (value) => (typeof value === 'string' || typeof value === 'number' ? value : undefined);
/** A number argument; NaN for anything else. */
const num = (value) => (typeof value === 'number' ? value : NaN);

/** The UsageAnalytics class over an entry's wasm (its `analytics` core). */
export function usageAnalyticsClass(wasm, linkOf) {
  return class UsageAnalytics {
    #core;
    #link;

    /** Options: `trackFeatures`, `trackConversations`, `trackProviders`, `trackProactive`
     * (all true). */
    constructor(collector, options) {
      this.#link = linkOf(collector);
      this.#core = openCore(wasm, this, 'analytics', [recordJson(options)]);
    }

    /** Runs one operation and sends the event it answers. */
    #send(operation, texts, numbers) {
      submitEvent(this.#link, run(this.#core, operation, texts, numbers));
    }

    /** A feature was used (`action`: `opened`, `enabled`, …); `meta` goes with the event. */
    trackFeature(featureId, action, meta) {
      this.#send(op.trackFeature, [id(featureId), text(action), recordJson(meta)], [Date.now()]);
    }

    /** A conversation started with `provider`. */
    startConversation(conversationId, provider) {
      this.#send(op.startConversation, [id(conversationId), text(provider)], [Date.now()]);
    }

    /** A message of `length` characters by `role`. The content itself is never taken. */
    trackMessage(conversationId, length, role) {
      this.#send(op.trackMessage, [id(conversationId), text(role)], [num(length)]);
    }

    /** A conversation ended. */
    endConversation(conversationId, success) {
      this.#send(op.endConversation, [id(conversationId), Boolean(success)], [Date.now()]);
    }

    /** A request to `provider` took `latencyMs` and used `tokens`. */
    trackProviderRequest(provider, latencyMs, success, tokens) {
      this.#send(op.trackProviderRequest, [text(provider), Boolean(success)], [num(latencyMs), num(tokens)]);
    }

    /** A proactive suggestion was shown; `meta` (e.g. `{ intrusionLevel }`) goes with it. */
    trackProactiveSuggestion(suggestionId, meta) {
      this.#send(op.trackProactiveSuggestion, [id(suggestionId), recordJson(meta)]);
    }

    /** A suggestion was accepted after `timeToAcceptMs`. */
    trackProactiveAcceptance(suggestionId, timeToAcceptMs) {
      this.#send(op.trackProactiveAcceptance, [id(suggestionId)], [num(timeToAcceptMs)]);
    }

    /** A suggestion was dismissed. */
    trackProactiveDismissal(suggestionId) {
      this.#send(op.trackProactiveDismissal, [id(suggestionId)]);
    }

    /** `[{ featureId, uses, actions, firstUsed, lastUsed }]`, most used first. */
    getFeatureAdoptionStats() {
      return JSON.parse(run(this.#core, op.featureStats));
    }

    /** `{ started, active, ended, successRate, avgMessages, avgDurationMs, avgLengthByRole,
     * byProvider, providers }`. */
    getConversationStats() {
      return JSON.parse(run(this.#core, op.conversationStats));
    }

    /** `{ shown, accepted, dismissed, acceptanceRate, medianTimeToAcceptMs }`. */
    getProactiveMetrics() {
      return JSON.parse(run(this.#core, op.proactiveMetrics));
    }
  };
}
