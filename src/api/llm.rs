//! `LlmTelemetry`: token usage, costs and budgets of LLM calls, reported through the collector
//! with OpenTelemetry GenAI attribute names.

use crate::api::collector::TelemetryCollector;
use crate::api::runtime::Shared;
use crate::core::event::EventInput;
use crate::core::llm::budget::{day_of, month_of, Budget};
use crate::core::llm::pricing::{bundled, cost, find, Cost, Price, Rates};
use crate::core::llm::stream::StreamAccumulator;
use crate::core::llm::usage::{Provider, Usage};
use crate::platform::{get, is_plain_object, now_ms, option, set, storage, stringify};
use alloc::rc::Rc;
use alloc::vec::Vec;
use core::cell::RefCell;
use js_sys::{Function, Object};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

/// `localStorage` key of the daily and monthly spend (`day month spentDay spentMonth`).
const SPEND_KEY: &str = "telemetry-llm-spend";

/// Reads a dotted path (`prompt_tokens_details.cached_tokens`) of a JS object as a number.
fn field_of(object: &JsValue) -> impl Fn(&str) -> Option<f64> + '_ {
    move |path: &str| {
        path.split('.')
            .fold(object.clone(), |value, key| get(&value, key))
            .as_f64()
    }
}

fn usage_of(provider: Provider, value: &JsValue) -> Usage {
    if !is_plain_object(value) {
        return Usage::default();
    }
    Usage::from_raw(provider, &field_of(value))
}

fn cost_to_js(c: &Cost) -> JsValue {
    let result = Object::new();
    let or_null = |v: Option<f64>| v.map_or(JsValue::NULL, JsValue::from);
    set(&result, "inputCost", or_null(c.input));
    set(&result, "cacheReadCost", or_null(c.cache_read));
    set(&result, "cacheWriteCost", or_null(c.cache_write));
    set(&result, "outputCost", or_null(c.output));
    set(&result, "totalCost", or_null(c.total));
    set(&result, "currency", "USD");
    set(&result, "priced", c.priced);
    result.into()
}

struct Budgets {
    session: Option<Budget>,
    daily: Option<Budget>,
    monthly: Option<Budget>,
}

struct Inner {
    collector: Rc<Shared>,
    prices: RefCell<Vec<Price>>,
    budgets: RefCell<Budgets>,
    on_alert: Option<Function>,
}

fn read_rates(value: &JsValue) -> Option<Rates> {
    let number = |key: &str| {
        get(value, key)
            .as_f64()
            .filter(|n| n.is_finite() && *n >= 0.0)
    };
    Some(Rates {
        input: number("input")?,
        output: number("output")?,
        cache_read: number("cacheRead"),
        cache_write_5m: number("cacheWrite5m"),
        cache_write_1h: number("cacheWrite1h"),
    })
}

/// `{ model: { input, output, cacheRead?, cacheWrite5m?, cacheWrite1h?, longContext? } }`.
fn read_pricing(value: &JsValue) -> Result<Vec<Price>, JsValue> {
    let mut prices = Vec::new();
    if !is_plain_object(value) {
        return Err(js_sys::TypeError::new("pricing must be an object of model rates").into());
    }
    for key in Object::keys(value.unchecked_ref::<Object>()).iter() {
        let model = key.as_string().unwrap_or_default();
        let entry = get(value, &model);
        let rates = read_rates(&entry).ok_or_else(|| {
            JsValue::from(js_sys::TypeError::new(
                &["pricing.", &model, " needs numeric input and output rates"].concat(),
            ))
        })?;
        let long = get(&entry, "longContext");
        prices.push(Price {
            model,
            rates,
            long_context: is_plain_object(&long).then(|| read_rates(&long)).flatten(),
        });
    }
    Ok(prices)
}

impl Inner {
    fn persist_spend(&self, budgets: &Budgets) {
        let may_store = self
            .collector
            .state
            .try_borrow()
            .is_ok_and(|s| s.pipeline.may_deliver());
        if !may_store {
            return;
        }
        let value = Object::new();
        if let Some(daily) = &budgets.daily {
            set(&value, "day", daily.period() as f64);
            set(&value, "daySpent", daily.spent);
        }
        if let Some(monthly) = &budgets.monthly {
            set(&value, "month", monthly.period() as f64);
            set(&value, "monthSpent", monthly.spent);
        }
        if let Some(text) = stringify(&value.into()) {
            storage::write(SPEND_KEY, &text);
        }
    }

    fn record_spend(&self, amount: f64) {
        let now = now_ms();
        let mut alerts: Vec<(&'static str, f64, f64, f64)> = Vec::new();
        if let Ok(mut guard) = self.budgets.try_borrow_mut() {
            let budgets = &mut *guard;
            for (name, budget, period) in [
                ("session", budgets.session.as_mut(), 0),
                ("daily", budgets.daily.as_mut(), day_of(now)),
                ("monthly", budgets.monthly.as_mut(), month_of(now)),
            ] {
                if let Some(budget) = budget {
                    for level in budget.add(amount, period) {
                        alerts.push((name, level, budget.spent, budget.limit));
                    }
                }
            }
            self.persist_spend(budgets);
        }
        for (name, level, spent, limit) in alerts {
            let alert = Object::new();
            set(&alert, "budget", name);
            set(&alert, "level", level);
            set(&alert, "spent", spent);
            set(&alert, "limit", limit);
            if let Some(callback) = &self.on_alert {
                let _ = callback.call1(&JsValue::UNDEFINED, &alert);
            }
            let data_json = stringify(&alert.into());
            self.collector.accept(Ok(EventInput {
                kind: "llm.budget_alert".into(),
                timestamp_ms: None,
                data_json,
            }));
        }
    }
}

/// LLM token usage, costs and budgets, reported through a `TelemetryCollector`.
#[wasm_bindgen]
pub struct LlmTelemetry {
    inner: Rc<Inner>,
}

#[wasm_bindgen]
impl LlmTelemetry {
    /// Options: `pricing` (extra or overriding model rates), `budgets: { session?, daily?,
    /// monthly? }` in USD, `onAlert(alert)`.
    #[wasm_bindgen(constructor)]
    pub fn new(collector: &TelemetryCollector, options: JsValue) -> Result<LlmTelemetry, JsValue> {
        let setting = |key: &str| option(&options, key);
        let mut prices = bundled();
        let pricing = setting("pricing");
        if !pricing.is_undefined() {
            for price in read_pricing(&pricing)? {
                prices.retain(|p| p.model != price.model);
                prices.push(price);
            }
        }
        let limits = setting("budgets");
        let limit = |key: &str| {
            get(&limits, key)
                .as_f64()
                .filter(|n| n.is_finite() && *n > 0.0)
        };
        let now = now_ms();
        let stored = storage::read(SPEND_KEY)
            .map(|text| crate::platform::parse(&text))
            .unwrap_or(JsValue::UNDEFINED);
        let resumed = |limit: f64, period: i64, period_key: &str, spent_key: &str| {
            let same = get(&stored, period_key).as_f64() == Some(period as f64);
            let spent = if same {
                get(&stored, spent_key).as_f64().unwrap_or(0.0)
            } else {
                0.0
            };
            Budget::resumed(limit, period, spent)
        };
        let budgets = Budgets {
            session: limit("session").map(|l| Budget::new(l, 0)),
            daily: limit("daily").map(|l| resumed(l, day_of(now), "day", "daySpent")),
            monthly: limit("monthly").map(|l| resumed(l, month_of(now), "month", "monthSpent")),
        };
        let on_alert = setting("onAlert").dyn_into::<Function>().ok();
        Ok(LlmTelemetry {
            inner: Rc::new(Inner {
                collector: collector.shared(),
                prices: RefCell::new(prices),
                budgets: RefCell::new(budgets),
                on_alert,
            }),
        })
    }

    /// `{ inputCost, cacheReadCost, cacheWriteCost, outputCost, totalCost, currency, priced }`
    /// for a raw or normalised `usage`; an unpriced model or unknown usage gives `null` costs.
    #[wasm_bindgen(js_name = estimateCost)]
    pub fn estimate_cost(
        &self,
        provider: &str,
        model: &str,
        usage: &JsValue,
        options: JsValue,
    ) -> JsValue {
        let usage = usage_of(Provider::parse(provider), usage);
        let batch = is_plain_object(&options) && get(&options, "batch").as_bool() == Some(true);
        match self.inner.prices.try_borrow() {
            Ok(prices) => cost_to_js(&cost(find(&prices, model), &usage, batch)),
            Err(_) => JsValue::NULL,
        }
    }

    /// Records a call `{ provider, model, usage, latencyMs, timeToFirstTokenMs?, success,
    /// errorType?, space?, promptCategory?, batch? }` as a `gen_ai.call` event with OTel GenAI
    /// attribute names, adds its cost to the budgets, and returns the cost.
    #[wasm_bindgen(js_name = trackCall)]
    pub fn track_call(&self, call: &JsValue) -> JsValue {
        if !is_plain_object(call) {
            return JsValue::NULL;
        }
        let provider_name = get(call, "provider").as_string().unwrap_or_default();
        let provider = Provider::parse(&provider_name);
        let model = get(call, "model").as_string().unwrap_or_default();
        let usage = usage_of(provider, &get(call, "usage"));
        let batch = get(call, "batch").as_bool() == Some(true);
        let Ok(price_cost) = self
            .inner
            .prices
            .try_borrow()
            .map(|prices| cost(find(&prices, &model), &usage, batch))
        else {
            return JsValue::NULL;
        };
        let data = Object::new();
        let count = |v: Option<u64>| v.map_or(JsValue::NULL, |n| JsValue::from(n as f64));
        set(
            &data,
            "gen_ai.provider.name",
            if provider == Provider::Other {
                provider_name.as_str()
            } else {
                provider.name()
            },
        );
        set(&data, "gen_ai.request.model", model.as_str());
        set(&data, "gen_ai.usage.input_tokens", count(usage.input));
        set(&data, "gen_ai.usage.output_tokens", count(usage.output));
        set(
            &data,
            "gen_ai.usage.cache_read_input_tokens",
            count(usage.cache_read),
        );
        set(
            &data,
            "gen_ai.usage.cache_creation_input_tokens",
            count(match (usage.cache_write_5m, usage.cache_write_1h) {
                (None, None) => None,
                (a, b) => Some(a.unwrap_or(0) + b.unwrap_or(0)),
            }),
        );
        set(
            &data,
            "gen_ai.usage.reasoning_tokens",
            count(usage.reasoning),
        );
        for key in [
            "latencyMs",
            "timeToFirstTokenMs",
            "success",
            "errorType",
            "space",
            "promptCategory",
        ] {
            let value = get(call, key);
            if !value.is_undefined() {
                set(&data, key, value);
            }
        }
        set(&data, "batch", batch);
        set(&data, "cost", cost_to_js(&price_cost));
        let data_json = stringify(&data.into());
        self.inner.collector.accept(Ok(EventInput {
            kind: "gen_ai.call".into(),
            timestamp_ms: None,
            data_json,
        }));
        if let Some(total) = price_cost.total {
            self.inner.record_spend(total);
        }
        cost_to_js(&price_cost)
    }

    /// Adds or replaces model rates: `{ model: { input, output, cacheRead?, … } }`.
    #[wasm_bindgen(js_name = setPricing)]
    pub fn set_pricing(&self, pricing: &JsValue) -> Result<(), JsValue> {
        let additions = read_pricing(pricing)?;
        let mut prices = self
            .inner
            .prices
            .try_borrow_mut()
            .map_err(|_| JsValue::from(js_sys::Error::new("setPricing called re-entrantly")))?;
        for price in additions {
            prices.retain(|p| p.model != price.model);
            prices.push(price);
        }
        Ok(())
    }

    /// `{ session, daily, monthly }`, each `{ limit, spent, ratio }` or `null`.
    #[wasm_bindgen(js_name = getBudgetStatus)]
    pub fn get_budget_status(&self) -> JsValue {
        let result = Object::new();
        if let Ok(budgets) = self.inner.budgets.try_borrow() {
            for (name, budget) in [
                ("session", &budgets.session),
                ("daily", &budgets.daily),
                ("monthly", &budgets.monthly),
            ] {
                let value = budget.as_ref().map_or(JsValue::NULL, |b| {
                    let entry = Object::new();
                    set(&entry, "limit", b.limit);
                    set(&entry, "spent", b.spent);
                    set(&entry, "ratio", b.ratio());
                    entry.into()
                });
                set(&result, name, value);
            }
        }
        result.into()
    }

    /// An accumulator for a streamed response from `provider` (`push`, `usage`, `isPartial`).
    #[wasm_bindgen(js_name = createStreamAccumulator)]
    pub fn create_stream_accumulator(&self, provider: &str) -> LlmStream {
        let provider = Provider::parse(provider);
        LlmStream {
            provider,
            accumulator: StreamAccumulator::new(provider),
        }
    }
}

/// The usage of one streamed response, fed chunk by chunk.
#[wasm_bindgen]
pub struct LlmStream {
    provider: Provider,
    accumulator: StreamAccumulator,
}

#[wasm_bindgen]
impl LlmStream {
    /// Takes one OpenAI chunk or Anthropic event.
    pub fn push(&mut self, chunk: &JsValue) {
        let kind = get(chunk, "type").as_string().unwrap_or_default();
        let raw = match kind.as_str() {
            "message_start" => get(&get(chunk, "message"), "usage"),
            _ => get(chunk, "usage"),
        };
        let usage = is_plain_object(&raw).then(|| usage_of(self.provider, &raw));
        self.accumulator.push(&kind, usage);
    }

    /// The normalised usage so far (`{ inputTokens, outputTokens, … }`), or `null` if none was
    /// reported.
    pub fn usage(&self) -> JsValue {
        let Some(usage) = self.accumulator.usage() else {
            return JsValue::NULL;
        };
        let result = Object::new();
        let count = |v: Option<u64>| v.map_or(JsValue::NULL, |n| JsValue::from(n as f64));
        set(&result, "inputTokens", count(usage.input));
        set(&result, "outputTokens", count(usage.output));
        set(&result, "cacheReadTokens", count(usage.cache_read));
        set(&result, "cacheWrite5mTokens", count(usage.cache_write_5m));
        set(&result, "cacheWrite1hTokens", count(usage.cache_write_1h));
        set(&result, "reasoningTokens", count(usage.reasoning));
        result.into()
    }

    /// Whether the stream ended before its final usage.
    #[wasm_bindgen(js_name = isPartial)]
    pub fn is_partial(&self) -> bool {
        self.accumulator.is_partial()
    }
}
