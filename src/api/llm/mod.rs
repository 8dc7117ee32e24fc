//! `LlmCore`: the rules of `LlmTelemetry` ([`crate::core::llm::tracker`]) as the JS class
//! (js/llm-telemetry.js) uses them, through plain values and JSON text. The JS class reads the
//! application's values, keeps the alert timer, calls `onAlert`, persists the spend and
//! submits the events this one writes.

mod stream;

pub use stream::StreamCore;

use crate::api::collector::thrown;
use crate::core::llm::options::OptionError;
use crate::core::llm::tracker::Tracker;
use alloc::string::String;
use alloc::vec::Vec;
use wasm_bindgen::prelude::*;

/// An option error as the JS class throws it (see [`thrown`]).
fn option_error(error: OptionError) -> String {
    match error {
        OptionError::Type(message) => thrown(false, &message),
        OptionError::Range(message) => thrown(true, &message),
    }
}

/// The rules of one `LlmTelemetry`. Internal: the package's JS class wraps it.
#[wasm_bindgen]
pub struct LlmCore {
    tracker: Tracker,
}

#[wasm_bindgen]
impl LlmCore {
    /// A tracker for the options `options_json` (`pricing`, `budgets`, `alertRules`,
    /// `alertIntervalMs`), resuming the persisted spend `stored`; throws `R…`/`T…` strings.
    #[wasm_bindgen(constructor)]
    pub fn new(options_json: &str, stored: Option<String>, now_ms: f64) -> Result<LlmCore, String> {
        Tracker::new(options_json, stored.as_deref(), now_ms)
            .map(|tracker| LlmCore { tracker })
            .map_err(option_error)
    }

    /// How often the alert rules are evaluated on a timer, in ms; 0 for never.
    #[wasm_bindgen(js_name = alertIntervalMs)]
    pub fn alert_interval_ms(&self) -> f64 {
        self.tracker.alert_interval_ms()
    }

    /// The events raised since the last call, as `[type, dataJson, type, dataJson, …]`.
    #[wasm_bindgen(js_name = takeEvents)]
    pub fn take_events(&mut self) -> Vec<String> {
        let mut flat = Vec::new();
        for (kind, data) in self.tracker.take_events() {
            flat.push(String::from(kind));
            flat.push(data);
        }
        flat
    }

    /// The spend to persist (JSON), when it changed since the last call.
    #[wasm_bindgen(js_name = takeSpend)]
    pub fn take_spend(&mut self) -> Option<String> {
        self.tracker.take_spend()
    }

    /// The cost (JSON) of `usage_json` of `provider` on `model`.
    #[wasm_bindgen(js_name = estimateCost)]
    pub fn estimate_cost(
        &self,
        provider: &str,
        model: &str,
        usage_json: &str,
        batch: bool,
    ) -> String {
        self.tracker
            .estimate_cost(provider, model, usage_json, batch)
    }

    /// Records a call (JSON) whose user hashes to `user_hash`; returns its cost (JSON), or
    /// `undefined` when the call is not an object.
    #[wasm_bindgen(js_name = trackCall)]
    pub fn track_call(
        &mut self,
        call_json: &str,
        user_hash: Option<String>,
        now_ms: f64,
    ) -> Option<String> {
        self.tracker
            .track_call(call_json, user_hash.as_deref(), now_ms)
    }

    /// Adds or replaces model rates (JSON); throws a `T…` string.
    #[wasm_bindgen(js_name = setPricing)]
    pub fn set_pricing(&mut self, pricing_json: &str) -> Result<(), String> {
        self.tracker.set_pricing(pricing_json).map_err(option_error)
    }

    /// Every budget's spend, as JSON.
    #[wasm_bindgen(js_name = budgetStatus)]
    pub fn budget_status(&self) -> String {
        self.tracker.budget_status()
    }

    /// Every budget's forecast at `now_ms`, as JSON.
    pub fn forecast(&self, now_ms: f64) -> String {
        self.tracker.forecast(now_ms)
    }

    /// Evaluates the alert rules at `now_ms`; the alerts fired, as a JSON array.
    #[wasm_bindgen(js_name = checkAlerts)]
    pub fn check_alerts(&mut self, now_ms: f64) -> String {
        self.tracker.check_alerts(now_ms)
    }

    /// The latest alerts, as a JSON array.
    #[wasm_bindgen(js_name = triggeredAlerts)]
    pub fn triggered_alerts(&self) -> String {
        self.tracker.triggered_alerts()
    }

    /// The aggregates of the recent calls, as JSON; throws an `R…` string for an unknown
    /// `group_by`.
    pub fn summary(
        &self,
        group_by: Option<String>,
        window_ms: Option<f64>,
        now_ms: f64,
    ) -> Result<String, String> {
        self.tracker
            .summary(group_by.as_deref(), window_ms, now_ms)
            .map_err(option_error)
    }
}
