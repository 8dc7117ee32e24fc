//! `LlmCore`: the rules of `LlmTelemetry` ([`crate::core::llm::tracker`]) as the JS class
//! (js/llm-telemetry.js) uses them, through plain values and JSON text. The JS class reads the
//! application's values, keeps the alert timer, calls `onAlert`, persists the spend and
//! submits the events this one writes.

mod stream;

pub use stream::StreamCore;

use crate::api::args::Args;
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

    /// Runs the operation `op` with its [`Args`]; `undefined` where there is no answer:
    ///
    /// - `takeSpend`: the spend to persist (JSON), when it changed since the last call.
    /// - `estimateCost` (texts `provider, model, usageJson, batch`): the cost (JSON) of a
    ///   usage object of `provider` on `model`.
    /// - `trackCall` (`callJson, userHash`; numbers `now`): records a call whose user hashes to
    ///   `userHash`; answers its cost (JSON), or `undefined` when the call is not an object.
    /// - `budgetStatus`: every budget's spend, as JSON. `forecast` (`now`): every budget's
    ///   forecast. `checkAlerts` (`now`): evaluates the alert rules; the alerts fired, as a
    ///   JSON array. `triggeredAlerts`: the latest alerts, as a JSON array.
    pub fn call(&mut self, op: &str, texts: &str, numbers: &[f64]) -> Option<String> {
        let args = Args::new(texts, numbers)?;
        let tracker = &mut self.tracker;
        match op {
            "takeSpend" => tracker.take_spend(),
            "estimateCost" => Some(tracker.estimate_cost(
                args.text(0)?,
                args.text(1)?,
                args.text(2)?,
                args.flag(3),
            )),
            "trackCall" => tracker.track_call(args.text(0)?, args.text(1), args.number(0)),
            "budgetStatus" => Some(tracker.budget_status()),
            "forecast" => Some(tracker.forecast(args.number(0))),
            "checkAlerts" => Some(tracker.check_alerts(args.number(0))),
            "triggeredAlerts" => Some(tracker.triggered_alerts()),
            _ => None,
        }
    }

    /// Adds or replaces model rates (JSON); throws a `T…` string.
    #[wasm_bindgen(js_name = setPricing)]
    pub fn set_pricing(&mut self, pricing_json: &str) -> Result<(), String> {
        self.tracker.set_pricing(pricing_json).map_err(option_error)
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
