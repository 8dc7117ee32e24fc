//! `UsageAnalytics`: feature adoption, conversations, provider requests and proactive
//! suggestions, reported through the collector. Message content is never taken: lengths only.

use crate::api::input::read_id;
use crate::api::sink::Sink;
use crate::core::analytics::Analytics;
use crate::core::event::{EventError, EventInput};
use crate::platform::{dictionary, get, is_plain_object, now_ms, set, stringify};
use core::cell::RefCell;
use js_sys::{Array, Object};
use wasm_bindgen::prelude::*;

/// Feature, conversation, provider and proactive-suggestion analytics.
#[wasm_bindgen]
pub struct UsageAnalytics {
    collector: Sink,
    analytics: RefCell<Analytics>,
    features: bool,
    conversations: bool,
    providers: bool,
    proactive: bool,
}

impl UsageAnalytics {
    fn emit(&self, kind: &str, data: Object) {
        let data_json = stringify(&data.into());
        self.collector.accept(Ok(EventInput {
            kind: kind.into(),
            timestamp_ms: None,
            data_json,
        }));
    }

    /// Drops a call whose arguments are not of their documented types, counting it.
    fn refuse(&self) {
        self.collector.accept(Err(EventError::BadArgument));
    }

    fn with<T>(&self, work: impl FnOnce(&mut Analytics) -> T) -> Option<T> {
        self.analytics
            .try_borrow_mut()
            .ok()
            .map(|mut a| work(&mut a))
    }
}

fn object(pairs: &[(&str, JsValue)]) -> Object {
    let object = Object::new();
    for (key, value) in pairs {
        set(&object, key, value.clone());
    }
    object
}

#[wasm_bindgen]
impl UsageAnalytics {
    /// Options: `trackFeatures`, `trackConversations`, `trackProviders`, `trackProactive` (all
    /// true).
    #[wasm_bindgen(constructor)]
    pub fn new(
        #[wasm_bindgen(unchecked_param_type = "CollectorLink")] collector: JsValue,
        #[wasm_bindgen(unchecked_optional_param_type = "AnalyticsOptions")] options: JsValue,
    ) -> UsageAnalytics {
        let flag =
            |key: &str| !is_plain_object(&options) || get(&options, key).as_bool() != Some(false);
        UsageAnalytics {
            collector: Sink::new(collector),
            analytics: RefCell::new(Analytics::default()),
            features: flag("trackFeatures"),
            conversations: flag("trackConversations"),
            providers: flag("trackProviders"),
            proactive: flag("trackProactive"),
        }
    }

    /// A feature was used (`action`: `opened`, `enabled`, …); `meta` goes with the event.
    #[wasm_bindgen(js_name = trackFeature)]
    pub fn track_feature(
        &self,
        #[wasm_bindgen(unchecked_param_type = "string")] feature_id: JsValue,
        #[wasm_bindgen(unchecked_param_type = "string")] action: JsValue,
        #[wasm_bindgen(unchecked_optional_param_type = "Record<string, unknown>")] meta: JsValue,
    ) {
        if !self.features {
            return;
        }
        let (Some(feature_id), Some(action)) = (read_id(&feature_id), action.as_string()) else {
            return self.refuse();
        };
        self.with(|a| a.feature(&feature_id, &action, now_ms()));
        let data = object(&[("featureId", feature_id.into()), ("action", action.into())]);
        if is_plain_object(&meta) {
            set(&data, "meta", meta);
        }
        self.emit("feature.used", data);
    }

    /// A conversation started with `provider`.
    #[wasm_bindgen(js_name = startConversation)]
    pub fn start_conversation(
        &self,
        #[wasm_bindgen(unchecked_param_type = "string")] id: JsValue,
        #[wasm_bindgen(unchecked_param_type = "string")] provider: JsValue,
    ) {
        if !self.conversations {
            return;
        }
        let (Some(id), Some(provider)) = (read_id(&id), provider.as_string()) else {
            return self.refuse();
        };
        if self.with(|a| a.start_conversation(&id, &provider, now_ms())) == Some(true) {
            self.emit(
                "conversation.started",
                object(&[("conversationId", id.into()), ("provider", provider.into())]),
            );
        }
    }

    /// A message of `length` characters by `role`. The content itself is never taken.
    #[wasm_bindgen(js_name = trackMessage)]
    pub fn track_message(
        &self,
        #[wasm_bindgen(unchecked_param_type = "string")] id: JsValue,
        #[wasm_bindgen(unchecked_param_type = "number")] length: JsValue,
        #[wasm_bindgen(unchecked_param_type = "string")] role: JsValue,
    ) {
        if !self.conversations {
            return;
        }
        let (Some(id), Some(length), Some(role)) =
            (read_id(&id), length.as_f64(), role.as_string())
        else {
            return self.refuse();
        };
        let length = if length.is_finite() && length >= 0.0 {
            length as u64
        } else {
            0
        };
        if self.with(|a| a.message(&id, length, &role)) == Some(true) {
            let data = object(&[
                ("conversationId", id.into()),
                ("length", (length as f64).into()),
                ("role", role.into()),
            ]);
            self.emit("conversation.message", data);
        }
    }

    /// A conversation ended.
    #[wasm_bindgen(js_name = endConversation)]
    pub fn end_conversation(
        &self,
        #[wasm_bindgen(unchecked_param_type = "string")] id: JsValue,
        #[wasm_bindgen(unchecked_param_type = "boolean")] success: JsValue,
    ) {
        if !self.conversations {
            return;
        }
        let Some(id) = read_id(&id) else {
            return self.refuse();
        };
        let success = success.is_truthy();
        if self.with(|a| a.end_conversation(&id, success, now_ms())) == Some(true) {
            self.emit(
                "conversation.ended",
                object(&[("conversationId", id.into()), ("success", success.into())]),
            );
        }
    }

    /// A request to `provider` took `latencyMs` and used `tokens`.
    #[wasm_bindgen(js_name = trackProviderRequest)]
    pub fn track_provider_request(
        &self,
        #[wasm_bindgen(unchecked_param_type = "string")] provider: JsValue,
        #[wasm_bindgen(unchecked_param_type = "number")] latency_ms: JsValue,
        #[wasm_bindgen(unchecked_param_type = "boolean")] success: JsValue,
        #[wasm_bindgen(unchecked_param_type = "number")] tokens: JsValue,
    ) {
        if !self.providers {
            return;
        }
        let (Some(provider), Some(latency_ms)) = (provider.as_string(), latency_ms.as_f64()) else {
            return self.refuse();
        };
        let success = success.is_truthy();
        let tokens = match tokens.as_f64() {
            Some(tokens) if tokens.is_finite() && tokens >= 0.0 => tokens as u64,
            _ => 0,
        };
        self.with(|a| a.provider_request(&provider, latency_ms, success, tokens));
        let data = object(&[
            ("provider", provider.into()),
            ("latencyMs", latency_ms.into()),
            ("success", success.into()),
            ("tokens", (tokens as f64).into()),
        ]);
        self.emit("provider.request", data);
    }

    /// A proactive suggestion was shown; `meta` (e.g. `{ intrusionLevel }`) goes with the event.
    #[wasm_bindgen(js_name = trackProactiveSuggestion)]
    pub fn track_proactive_suggestion(
        &self,
        #[wasm_bindgen(unchecked_param_type = "string")] id: JsValue,
        #[wasm_bindgen(unchecked_optional_param_type = "Record<string, unknown>")] meta: JsValue,
    ) {
        if !self.proactive {
            return;
        }
        let Some(id) = read_id(&id) else {
            return self.refuse();
        };
        self.with(|a| a.suggested(&id));
        let data = object(&[("suggestionId", id.into())]);
        if is_plain_object(&meta) {
            set(&data, "meta", meta);
        }
        self.emit("proactive.suggested", data);
    }

    /// A suggestion was accepted after `timeToAcceptMs`.
    #[wasm_bindgen(js_name = trackProactiveAcceptance)]
    pub fn track_proactive_acceptance(
        &self,
        #[wasm_bindgen(unchecked_param_type = "string")] id: JsValue,
        #[wasm_bindgen(unchecked_param_type = "number")] time_to_accept_ms: JsValue,
    ) {
        if !self.proactive {
            return;
        }
        let (Some(id), Some(time_to_accept_ms)) = (read_id(&id), time_to_accept_ms.as_f64()) else {
            return self.refuse();
        };
        if self.with(|a| a.accepted(&id, time_to_accept_ms)) == Some(true) {
            let data = object(&[
                ("suggestionId", id.into()),
                ("timeToAcceptMs", time_to_accept_ms.into()),
            ]);
            self.emit("proactive.accepted", data);
        }
    }

    /// A suggestion was dismissed.
    #[wasm_bindgen(js_name = trackProactiveDismissal)]
    pub fn track_proactive_dismissal(
        &self,
        #[wasm_bindgen(unchecked_param_type = "string")] id: JsValue,
    ) {
        if !self.proactive {
            return;
        }
        let Some(id) = read_id(&id) else {
            return self.refuse();
        };
        if self.with(|a| a.dismissed(&id)) == Some(true) {
            self.emit(
                "proactive.dismissed",
                object(&[("suggestionId", id.into())]),
            );
        }
    }

    /// `[{ featureId, uses, actions, firstUsed, lastUsed }]`, most used first.
    #[wasm_bindgen(
        js_name = getFeatureAdoptionStats,
        unchecked_return_type = "FeatureAdoption[]"
    )]
    pub fn get_feature_adoption_stats(&self) -> Array {
        let list = Array::new();
        if let Ok(analytics) = self.analytics.try_borrow() {
            for (feature, usage) in analytics.features() {
                let actions = dictionary();
                for (action, count) in &usage.actions {
                    set(&actions, action, *count as f64);
                }
                list.push(&object(&[
                    ("featureId", feature.into()),
                    ("uses", (usage.uses as f64).into()),
                    ("actions", actions.into()),
                    ("firstUsed", usage.first_used_ms.into()),
                    ("lastUsed", usage.last_used_ms.into()),
                ]));
            }
        }
        list
    }

    /// `{ started, active, ended, successRate, avgMessages, avgDurationMs, avgLengthByRole,
    /// byProvider, providers }`.
    #[wasm_bindgen(js_name = getConversationStats, unchecked_return_type = "ConversationStats")]
    pub fn get_conversation_stats(&self) -> JsValue {
        let Ok(analytics) = self.analytics.try_borrow() else {
            return JsValue::NULL;
        };
        let s = analytics.conversation_stats();
        let or_null = |v: Option<f64>| v.map_or(JsValue::NULL, JsValue::from);
        let lengths = dictionary();
        for (role, average) in &s.avg_length_by_role {
            set(&lengths, role, *average);
        }
        let by_provider = dictionary();
        for (provider, count) in &s.by_provider {
            set(&by_provider, provider, *count as f64);
        }
        let providers = dictionary();
        for (name, p) in analytics.providers() {
            let average = if p.requests > 0 {
                p.total_latency_ms / p.requests as f64
            } else {
                0.0
            };
            set(
                &providers,
                name,
                object(&[
                    ("requests", (p.requests as f64).into()),
                    ("errors", (p.errors as f64).into()),
                    ("tokens", (p.tokens as f64).into()),
                    ("avgLatencyMs", average.into()),
                ]),
            );
        }
        object(&[
            ("started", (s.started as f64).into()),
            ("active", (s.active as f64).into()),
            ("ended", (s.ended as f64).into()),
            ("successRate", or_null(s.success_rate)),
            ("avgMessages", or_null(s.avg_messages)),
            ("avgDurationMs", or_null(s.avg_duration_ms)),
            ("avgLengthByRole", lengths.into()),
            ("byProvider", by_provider.into()),
            ("providers", providers.into()),
        ])
        .into()
    }

    /// `{ shown, accepted, dismissed, acceptanceRate, medianTimeToAcceptMs }`.
    #[wasm_bindgen(js_name = getProactiveMetrics, unchecked_return_type = "ProactiveMetrics")]
    pub fn get_proactive_metrics(&self) -> JsValue {
        let Ok(analytics) = self.analytics.try_borrow() else {
            return JsValue::NULL;
        };
        let m = analytics.proactive();
        let or_null = |v: Option<f64>| v.map_or(JsValue::NULL, JsValue::from);
        object(&[
            ("shown", (m.shown as f64).into()),
            ("accepted", (m.accepted as f64).into()),
            ("dismissed", (m.dismissed as f64).into()),
            ("acceptanceRate", or_null(m.acceptance_rate)),
            ("medianTimeToAcceptMs", or_null(m.median_time_to_accept_ms)),
        ])
        .into()
    }
}
