//! `AnalyticsCore`: the rules of UsageAnalytics (feature adoption, conversations, provider
//! requests, proactive suggestions) for the JS class `UsageAnalytics`
//! (js/usage-analytics.js). Arguments come in as the page passed them; each call answers with
//! the event to send, as `"<type>\n<data JSON>"`, `""` for an invalid call (counted by the
//! collector), or nothing.

use crate::api::collector::read_id;
use crate::core::analytics::Analytics;
use crate::core::json_value;
use crate::core::usage_report as report;
use alloc::string::String;
use wasm_bindgen::prelude::*;

/// An event for the JS class: its type and data.
fn event(kind: &str, data: String) -> Option<String> {
    Some([kind, "\n", &data].concat())
}

/// An invalid call: the collector counts it.
fn invalid() -> Option<String> {
    Some(String::new())
}

/// A count argument: a finite, non-negative number, else 0.
fn count(value: &JsValue) -> u64 {
    match value.as_f64() {
        Some(n) if n.is_finite() && n >= 0.0 => n as u64,
        _ => 0,
    }
}

/// The rules of one `UsageAnalytics`. Internal: the package's JS class wraps it.
#[wasm_bindgen]
pub struct AnalyticsCore {
    analytics: Analytics,
    features: bool,
    conversations: bool,
    providers: bool,
    proactive: bool,
}

#[wasm_bindgen]
impl AnalyticsCore {
    /// Options (JSON): `trackFeatures`, `trackConversations`, `trackProviders`,
    /// `trackProactive`, each on unless `false`.
    #[wasm_bindgen(constructor)]
    pub fn new(options_json: Option<String>) -> AnalyticsCore {
        let options = options_json.as_deref().and_then(json_value::parse);
        let flag = |key: &str| {
            options
                .as_ref()
                .and_then(|o| o.get(key))
                .and_then(|v| v.as_bool())
                != Some(false)
        };
        AnalyticsCore {
            analytics: Analytics::default(),
            features: flag("trackFeatures"),
            conversations: flag("trackConversations"),
            providers: flag("trackProviders"),
            proactive: flag("trackProactive"),
        }
    }

    /// A feature was used; `meta_json` is the serialised `meta` object, if any.
    #[wasm_bindgen(js_name = trackFeature)]
    pub fn track_feature(
        &mut self,
        #[wasm_bindgen(unchecked_param_type = "unknown")] feature_id: JsValue,
        #[wasm_bindgen(unchecked_param_type = "unknown")] action: JsValue,
        meta_json: Option<String>,
        now: f64,
    ) -> Option<String> {
        if !self.features {
            return None;
        }
        let (Some(feature_id), Some(action)) = (read_id(&feature_id), action.as_string()) else {
            return invalid();
        };
        self.analytics.feature(&feature_id, &action, now);
        let data = report::feature_used(&feature_id, &action, meta_json.as_deref());
        event("feature.used", data)
    }

    /// A conversation started with `provider`.
    #[wasm_bindgen(js_name = startConversation)]
    pub fn start_conversation(
        &mut self,
        #[wasm_bindgen(unchecked_param_type = "unknown")] id: JsValue,
        #[wasm_bindgen(unchecked_param_type = "unknown")] provider: JsValue,
        now: f64,
    ) -> Option<String> {
        if !self.conversations {
            return None;
        }
        let (Some(id), Some(provider)) = (read_id(&id), provider.as_string()) else {
            return invalid();
        };
        self.analytics
            .start_conversation(&id, &provider, now)
            .then(|| report::conversation_started(&id, &provider))
            .and_then(|data| event("conversation.started", data))
    }

    /// A message of `length` characters by `role` (never its content).
    #[wasm_bindgen(js_name = trackMessage)]
    pub fn track_message(
        &mut self,
        #[wasm_bindgen(unchecked_param_type = "unknown")] id: JsValue,
        #[wasm_bindgen(unchecked_param_type = "unknown")] length: JsValue,
        #[wasm_bindgen(unchecked_param_type = "unknown")] role: JsValue,
    ) -> Option<String> {
        if !self.conversations {
            return None;
        }
        let (Some(id), true, Some(role)) =
            (read_id(&id), length.as_f64().is_some(), role.as_string())
        else {
            return invalid();
        };
        let length = count(&length);
        self.analytics
            .message(&id, length, &role)
            .then(|| report::conversation_message(&id, length, &role))
            .and_then(|data| event("conversation.message", data))
    }

    /// A conversation ended.
    #[wasm_bindgen(js_name = endConversation)]
    pub fn end_conversation(
        &mut self,
        #[wasm_bindgen(unchecked_param_type = "unknown")] id: JsValue,
        #[wasm_bindgen(unchecked_param_type = "unknown")] success: JsValue,
        now: f64,
    ) -> Option<String> {
        if !self.conversations {
            return None;
        }
        let Some(id) = read_id(&id) else {
            return invalid();
        };
        let success = success.is_truthy();
        self.analytics
            .end_conversation(&id, success, now)
            .then(|| report::conversation_ended(&id, success))
            .and_then(|data| event("conversation.ended", data))
    }

    /// A request to `provider` took `latencyMs` and used `tokens`.
    #[wasm_bindgen(js_name = trackProviderRequest)]
    pub fn track_provider_request(
        &mut self,
        #[wasm_bindgen(unchecked_param_type = "unknown")] provider: JsValue,
        #[wasm_bindgen(unchecked_param_type = "unknown")] latency_ms: JsValue,
        #[wasm_bindgen(unchecked_param_type = "unknown")] success: JsValue,
        #[wasm_bindgen(unchecked_param_type = "unknown")] tokens: JsValue,
    ) -> Option<String> {
        if !self.providers {
            return None;
        }
        let (Some(provider), Some(latency_ms)) = (provider.as_string(), latency_ms.as_f64()) else {
            return invalid();
        };
        let (success, tokens) = (success.is_truthy(), count(&tokens));
        self.analytics
            .provider_request(&provider, latency_ms, success, tokens);
        let data = report::provider_request(&provider, latency_ms, success, tokens);
        event("provider.request", data)
    }

    /// A proactive suggestion was shown; `meta_json` is the serialised `meta`, if any.
    #[wasm_bindgen(js_name = trackProactiveSuggestion)]
    pub fn track_proactive_suggestion(
        &mut self,
        #[wasm_bindgen(unchecked_param_type = "unknown")] id: JsValue,
        meta_json: Option<String>,
    ) -> Option<String> {
        if !self.proactive {
            return None;
        }
        let Some(id) = read_id(&id) else {
            return invalid();
        };
        self.analytics.suggested(&id);
        event(
            "proactive.suggested",
            report::suggested(&id, meta_json.as_deref()),
        )
    }

    /// A suggestion was accepted after `timeToAcceptMs`.
    #[wasm_bindgen(js_name = trackProactiveAcceptance)]
    pub fn track_proactive_acceptance(
        &mut self,
        #[wasm_bindgen(unchecked_param_type = "unknown")] id: JsValue,
        #[wasm_bindgen(unchecked_param_type = "unknown")] time_to_accept_ms: JsValue,
    ) -> Option<String> {
        if !self.proactive {
            return None;
        }
        let (Some(id), Some(time)) = (read_id(&id), time_to_accept_ms.as_f64()) else {
            return invalid();
        };
        self.analytics
            .accepted(&id, time)
            .then(|| report::accepted(&id, time))
            .and_then(|data| event("proactive.accepted", data))
    }

    /// A suggestion was dismissed.
    #[wasm_bindgen(js_name = trackProactiveDismissal)]
    pub fn track_proactive_dismissal(
        &mut self,
        #[wasm_bindgen(unchecked_param_type = "unknown")] id: JsValue,
    ) -> Option<String> {
        if !self.proactive {
            return None;
        }
        let Some(id) = read_id(&id) else {
            return invalid();
        };
        self.analytics
            .dismissed(&id)
            .then(|| report::dismissed(&id))
            .and_then(|data| event("proactive.dismissed", data))
    }

    /// `getFeatureAdoptionStats()` as JSON.
    #[wasm_bindgen(js_name = featureStats)]
    pub fn feature_stats(&self) -> String {
        report::feature_stats(&self.analytics)
    }

    /// `getConversationStats()` as JSON.
    #[wasm_bindgen(js_name = conversationStats)]
    pub fn conversation_stats(&self) -> String {
        report::conversation_stats(&self.analytics)
    }

    /// `getProactiveMetrics()` as JSON.
    #[wasm_bindgen(js_name = proactiveMetrics)]
    pub fn proactive_metrics(&self) -> String {
        report::proactive_metrics(&self.analytics)
    }
}
