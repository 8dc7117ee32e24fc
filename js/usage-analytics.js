// UsageAnalytics: feature adoption, conversations (lengths only, never content), provider
// requests and proactive suggestions. The rules and the JSON are the wasm core's
// (`AnalyticsCore`); this class hands it the page's arguments and sends what it answers
// through the collector.
import { submitEvent } from './module-io.js';
import { recordJson } from './read.js';

/** The UsageAnalytics class over an entry's `AnalyticsCore`. */
export function usageAnalyticsClass(AnalyticsCore, linkOf) {
  return class UsageAnalytics {
    #core;
    #link;

    /** Options: `trackFeatures`, `trackConversations`, `trackProviders`, `trackProactive`
     * (all true). */
    constructor(collector, options) {
      this.#link = linkOf(collector);
      this.#core = new AnalyticsCore(recordJson(options));
    }

    #send(event) {
      submitEvent(this.#link, event);
    }

    /** A feature was used (`action`: `opened`, `enabled`, …); `meta` goes with the event. */
    trackFeature(featureId, action, meta) {
      this.#send(this.#core.trackFeature(featureId, action, recordJson(meta), Date.now()));
    }

    /** A conversation started with `provider`. */
    startConversation(id, provider) {
      this.#send(this.#core.startConversation(id, provider, Date.now()));
    }

    /** A message of `length` characters by `role`. The content itself is never taken. */
    trackMessage(id, length, role) {
      this.#send(this.#core.trackMessage(id, length, role));
    }

    /** A conversation ended. */
    endConversation(id, success) {
      this.#send(this.#core.endConversation(id, success, Date.now()));
    }

    /** A request to `provider` took `latencyMs` and used `tokens`. */
    trackProviderRequest(provider, latencyMs, success, tokens) {
      this.#send(this.#core.trackProviderRequest(provider, latencyMs, success, tokens));
    }

    /** A proactive suggestion was shown; `meta` (e.g. `{ intrusionLevel }`) goes with it. */
    trackProactiveSuggestion(id, meta) {
      this.#send(this.#core.trackProactiveSuggestion(id, recordJson(meta)));
    }

    /** A suggestion was accepted after `timeToAcceptMs`. */
    trackProactiveAcceptance(id, timeToAcceptMs) {
      this.#send(this.#core.trackProactiveAcceptance(id, timeToAcceptMs));
    }

    /** A suggestion was dismissed. */
    trackProactiveDismissal(id) {
      this.#send(this.#core.trackProactiveDismissal(id));
    }

    /** `[{ featureId, uses, actions, firstUsed, lastUsed }]`, most used first. */
    getFeatureAdoptionStats() {
      return JSON.parse(this.#core.featureStats());
    }

    /** `{ started, active, ended, successRate, avgMessages, avgDurationMs, avgLengthByRole,
     * byProvider, providers }`. */
    getConversationStats() {
      return JSON.parse(this.#core.conversationStats());
    }

    /** `{ shown, accepted, dismissed, acceptanceRate, medianTimeToAcceptMs }`. */
    getProactiveMetrics() {
      return JSON.parse(this.#core.proactiveMetrics());
    }
  };
}
