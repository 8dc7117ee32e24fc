//! `LlmTelemetry`: token usage, costs, budgets, alert rules, forecasts and aggregates of LLM
//! calls, reported through the collector with OpenTelemetry GenAI attribute names.

mod convert;
mod stream;

pub use stream::LlmStream;

use crate::api::sink::Sink;
use crate::core::event::EventInput;
use crate::core::llm::alerts::Rule;
use crate::core::llm::budget::{day_of, day_start_ms, month_of, month_start_ms, Budget};
use crate::core::llm::calls::{Call, CallLog, CallSummary, GroupBy};
use crate::core::llm::forecast::forecast;
use crate::core::llm::pricing::{bundled, cost, find, Cost, Price};
use crate::core::llm::usage::{Provider, Usage};
use crate::platform::timer::Timer;
use crate::platform::{dictionary, get, is_plain_object, now_ms, option, set, storage, stringify};
use alloc::rc::{Rc, Weak};
use alloc::string::String;
use alloc::vec::Vec;
use convert::{
    call_summary_to_js, cost_to_js, read_pricing, read_rules, usage_of, write_usage_attributes,
};
use core::cell::{Cell, RefCell};
use js_sys::{Array, Function, Object, RangeError};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

/// `localStorage` key of the daily and monthly spend.
const SPEND_KEY: &str = "telemetry-llm-spend";

/// Alerts kept for `getTriggeredAlerts()`.
const ALERT_HISTORY: usize = 100;

/// How often alert rules are evaluated unless `alertIntervalMs` says otherwise.
const DEFAULT_ALERT_INTERVAL_MS: f64 = 30_000.0;

/// The span a budget's spend accumulates over.
#[derive(Clone, Copy)]
enum Period {
    Session,
    Day,
    Month,
}

/// The three budgets, in the order of `Budgets`.
const PERIODS: [(&str, Period); 3] = [
    ("session", Period::Session),
    ("daily", Period::Day),
    ("monthly", Period::Month),
];

impl Period {
    /// The period containing `ms`.
    fn of(self, ms: f64) -> i64 {
        match self {
            Period::Session => 0,
            Period::Day => day_of(ms),
            Period::Month => month_of(ms),
        }
    }

    /// When `period` started (a session: when this `LlmTelemetry` was created).
    fn start_ms(self, period: i64, created_ms: f64) -> f64 {
        match self {
            Period::Session => created_ms,
            Period::Day => day_start_ms(period),
            Period::Month => month_start_ms(period),
        }
    }

    /// When `period` ends; a session never does.
    fn end_ms(self, period: i64) -> Option<f64> {
        match self {
            Period::Session => None,
            Period::Day => Some(day_start_ms(period + 1)),
            Period::Month => Some(month_start_ms(period + 1)),
        }
    }
}

/// Session, daily and monthly budgets, each optional.
type Budgets = [Option<Budget>; 3];

struct Inner {
    collector: Sink,
    prices: RefCell<Vec<Price>>,
    budgets: RefCell<Budgets>,
    calls: RefCell<CallLog>,
    rules: RefCell<Vec<Rule>>,
    triggered: RefCell<Vec<JsValue>>,
    on_alert: Option<Function>,
    created_ms: f64,
    timer: Cell<Option<Timer>>,
}

impl Inner {
    fn persist_spend(&self, budgets: &Budgets) {
        if !self.collector.may_store() {
            return;
        }
        let value = Object::new();
        if let Some(daily) = &budgets[1] {
            set(&value, "day", daily.period() as f64);
            set(&value, "daySpent", daily.spent);
        }
        if let Some(monthly) = &budgets[2] {
            set(&value, "month", monthly.period() as f64);
            set(&value, "monthSpent", monthly.spent);
        }
        if let Some(text) = stringify(&value.into()) {
            storage::write(SPEND_KEY, &text);
        }
    }

    /// Reports an alert: to `onAlert`, to `getTriggeredAlerts()` and as a `kind` event.
    fn raise(&self, kind: &str, alert: Object) {
        set(&alert, "triggeredAt", now_ms());
        let alert = JsValue::from(alert);
        if let Ok(mut triggered) = self.triggered.try_borrow_mut() {
            if triggered.len() == ALERT_HISTORY {
                triggered.remove(0);
            }
            triggered.push(alert.clone());
        }
        if let Some(callback) = &self.on_alert {
            // The application's callback may throw; that must not reach the caller.
            let _ = callback.call1(&JsValue::UNDEFINED, &alert);
        }
        self.collector.accept(Ok(EventInput {
            kind: kind.into(),
            timestamp_ms: None,
            data_json: stringify(&alert),
        }));
    }

    fn record_spend(&self, amount: f64) {
        let now = now_ms();
        let mut alerts = Vec::new();
        if let Ok(mut budgets) = self.budgets.try_borrow_mut() {
            for ((name, period), budget) in PERIODS.iter().zip(budgets.iter_mut()) {
                if let Some(budget) = budget {
                    for level in budget.add(amount, period.of(now)) {
                        let alert = Object::new();
                        set(&alert, "type", "budget");
                        set(&alert, "budget", *name);
                        set(&alert, "level", level);
                        set(&alert, "spent", budget.spent);
                        set(&alert, "limit", budget.limit);
                        alerts.push(alert);
                    }
                }
            }
            self.persist_spend(&budgets);
        }
        for alert in alerts {
            self.raise("llm.budget_alert", alert);
        }
    }

    /// The largest share spent of any budget in its current period.
    fn budget_usage(&self, now: f64) -> Option<f64> {
        let budgets = self.budgets.try_borrow().ok()?;
        PERIODS
            .iter()
            .zip(budgets.iter())
            .filter_map(|((_, period), budget)| {
                let budget = budget.as_ref()?;
                Some(if budget.period() == period.of(now) {
                    budget.ratio()
                } else {
                    0.0
                })
            })
            .reduce(f64::max)
    }

    /// Evaluates every rule once; returns the alerts fired.
    fn check_alerts(&self) -> Array {
        let now = now_ms();
        let budget_usage = self.budget_usage(now);
        let mut fired = Vec::new();
        if let (Ok(calls), Ok(mut rules)) = (self.calls.try_borrow(), self.rules.try_borrow_mut()) {
            // Rules usually share a window (the defaults all do): summarise each window once.
            let mut windows: Vec<(f64, CallSummary)> = Vec::new();
            for rule in rules.iter_mut() {
                let index = match windows.iter().position(|(w, _)| *w == rule.window_ms) {
                    Some(index) => index,
                    None => {
                        windows.push((rule.window_ms, calls.total(rule.window_ms, now)));
                        windows.len() - 1
                    }
                };
                let Some((_, summary)) = windows.get(index) else {
                    continue;
                };
                let value = rule.metric.value(summary, budget_usage);
                if rule.evaluate(value) {
                    let alert = Object::new();
                    set(&alert, "type", "rule");
                    set(&alert, "rule", rule.name.as_str());
                    set(&alert, "metric", rule.metric.name());
                    set(&alert, "operator", rule.operator.symbol());
                    set(&alert, "threshold", rule.threshold);
                    set(&alert, "value", value.unwrap_or(f64::NAN));
                    set(&alert, "consecutive", rule.consecutive);
                    set(&alert, "windowMs", rule.window_ms);
                    fired.push(alert);
                }
            }
        }
        let result = Array::new();
        for alert in fired {
            result.push(&alert);
            self.raise("llm.alert", alert);
        }
        result
    }

    /// The cumulative spend points of the budget's period, starting from the spend it had before
    /// the first call seen in it.
    fn spend_points(&self, period: Period, budget: &Budget) -> Vec<(f64, f64)> {
        let Ok(calls) = self.calls.try_borrow() else {
            return Vec::new();
        };
        let start = period
            .start_ms(budget.period(), self.created_ms)
            .max(self.created_ms);
        let costs: Vec<(f64, f64)> = calls
            .iter()
            .filter(|c| c.at_ms >= start && period.of(c.at_ms) == budget.period())
            .filter_map(|c| Some((c.at_ms, c.cost?)))
            .collect();
        let mut spent = budget.spent - costs.iter().map(|(_, c)| c).sum::<f64>();
        let mut points = Vec::with_capacity(costs.len() + 1);
        points.push((start, spent));
        for (at, cost) in costs {
            spent += cost;
            points.push((at, spent));
        }
        points
    }
}

/// LLM token usage, costs, budgets, alert rules and aggregates, reported through a
/// `TelemetryCollector`.
#[wasm_bindgen]
pub struct LlmTelemetry {
    inner: Rc<Inner>,
}

/// The cost of `usage` on `model` at the current prices (`None` while they are being changed).
fn price(prices: &RefCell<Vec<Price>>, model: &str, usage: &Usage, batch: bool) -> Option<Cost> {
    prices
        .try_borrow()
        .ok()
        .map(|prices| cost(find(&prices, model), usage, batch))
}

#[wasm_bindgen]
impl LlmTelemetry {
    /// Options: `pricing` (extra or overriding model rates), `budgets: { session?, daily?,
    /// monthly? }` in USD, `onAlert(alert)`, `alertRules` (replacing the default rules; `[]`
    /// for none) and `alertIntervalMs` (30 000; 0 evaluates only on `checkAlerts()`).
    #[wasm_bindgen(constructor)]
    pub fn new(
        #[wasm_bindgen(unchecked_param_type = "CollectorLink")] collector: JsValue,
        #[wasm_bindgen(unchecked_optional_param_type = "LlmTelemetryOptions")] options: JsValue,
    ) -> Result<LlmTelemetry, JsValue> {
        let setting = |key: &str| option(&options, key);
        let mut prices = bundled();
        let pricing = setting("pricing");
        if !pricing.is_undefined() {
            for price in read_pricing(&pricing)? {
                prices.retain(|p| p.model != price.model);
                prices.push(price);
            }
        }
        let rules = match setting("alertRules") {
            v if v.is_undefined() => Rule::defaults(),
            v => read_rules(&v)?,
        };
        let interval = match setting("alertIntervalMs") {
            v if v.is_undefined() => DEFAULT_ALERT_INTERVAL_MS,
            v => v
                .as_f64()
                .filter(|n| *n >= 0.0 && n.is_finite())
                .ok_or_else(|| {
                    JsValue::from(RangeError::new(
                        "alertIntervalMs must be a number of ms ≥ 0",
                    ))
                })?,
        };
        let limits = setting("budgets");
        let now = now_ms();
        let stored = storage::read(SPEND_KEY)
            .map(|text| crate::platform::parse(&text))
            .unwrap_or(JsValue::UNDEFINED);
        let budget = |name: &str, period: Period, keys: Option<(&str, &str)>| {
            let limit = get(&limits, name)
                .as_f64()
                .filter(|n| n.is_finite() && *n > 0.0)?;
            let current = period.of(now);
            let spent = keys
                .filter(|(period_key, _)| get(&stored, period_key).as_f64() == Some(current as f64))
                .and_then(|(_, spent_key)| get(&stored, spent_key).as_f64())
                .unwrap_or(0.0);
            Some(Budget::resumed(limit, current, spent))
        };
        let budgets = [
            budget("session", Period::Session, None),
            budget("daily", Period::Day, Some(("day", "daySpent"))),
            budget("monthly", Period::Month, Some(("month", "monthSpent"))),
        ];
        let evaluate = !rules.is_empty() && interval > 0.0;
        let inner = Rc::new(Inner {
            collector: Sink::new(collector),
            prices: RefCell::new(prices),
            budgets: RefCell::new(budgets),
            calls: RefCell::new(CallLog::default()),
            rules: RefCell::new(rules),
            triggered: RefCell::new(Vec::new()),
            on_alert: setting("onAlert").dyn_into::<Function>().ok(),
            created_ms: now,
            timer: Cell::new(None),
        });
        if evaluate {
            let weak: Weak<Inner> = Rc::downgrade(&inner);
            inner.timer.set(Some(Timer::interval(interval, move || {
                if let Some(inner) = weak.upgrade() {
                    inner.check_alerts();
                }
            })));
        }
        Ok(LlmTelemetry { inner })
    }

    /// `{ inputCost, cacheReadCost, cacheWriteCost, outputCost, totalCost, currency, priced }`
    /// for a raw or normalised `usage`; an unpriced model or unknown usage gives `null` costs.
    #[wasm_bindgen(js_name = estimateCost, unchecked_return_type = "Cost")]
    pub fn estimate_cost(
        &self,
        #[wasm_bindgen(unchecked_param_type = "string")] provider: JsValue,
        #[wasm_bindgen(unchecked_param_type = "string")] model: JsValue,
        #[wasm_bindgen(unchecked_param_type = "RawUsage | null | undefined")] usage: &JsValue,
        #[wasm_bindgen(unchecked_optional_param_type = "{ batch?: boolean }")] options: JsValue,
    ) -> JsValue {
        let provider = provider.as_string().unwrap_or_default();
        let model = model.as_string().unwrap_or_default();
        let usage = usage_of(Provider::parse(&provider), usage);
        let batch = is_plain_object(&options) && get(&options, "batch").as_bool() == Some(true);
        price(&self.inner.prices, &model, &usage, batch).map_or(JsValue::NULL, |c| cost_to_js(&c))
    }

    /// Records a call `{ provider, model, usage, latencyMs, timeToFirstTokenMs?, success,
    /// errorType?, userId?, space?, promptCategory?, batch? }` as a `gen_ai.call` event with OTel
    /// GenAI attribute names (the user only as its salted hash), adds its cost to the budgets and
    /// aggregates, and returns the cost.
    #[wasm_bindgen(js_name = trackCall, unchecked_return_type = "Cost | null")]
    pub fn track_call(
        &self,
        #[wasm_bindgen(unchecked_param_type = "LlmCall")] call: &JsValue,
    ) -> JsValue {
        if !is_plain_object(call) {
            return JsValue::NULL;
        }
        let text = |key: &str| get(call, key).as_string();
        let provider_name = text("provider").unwrap_or_default();
        let provider = Provider::parse(&provider_name);
        let model = text("model").unwrap_or_default();
        let usage = usage_of(provider, &get(call, "usage"));
        let batch = get(call, "batch").as_bool() == Some(true);
        let Some(price_cost) = price(&self.inner.prices, &model, &usage, batch) else {
            return JsValue::NULL;
        };
        let error_type = text("errorType");
        let success = get(call, "success")
            .as_bool()
            .unwrap_or(error_type.is_none());
        let user = text("userId");
        let provider_name = if provider == Provider::Other {
            provider_name
        } else {
            String::from(provider.name())
        };

        let data = Object::new();
        set(&data, "gen_ai.provider.name", provider_name.as_str());
        set(&data, "gen_ai.request.model", model.as_str());
        write_usage_attributes(&data, &usage);
        if let Some(user) = &user {
            set(&data, "user.id", self.inner.collector.user_hash(user));
        }
        for key in [
            "latencyMs",
            "timeToFirstTokenMs",
            "errorType",
            "space",
            "promptCategory",
        ] {
            let value = get(call, key);
            if !value.is_undefined() {
                set(&data, key, value);
            }
        }
        set(&data, "success", success);
        set(&data, "batch", batch);
        if get(call, "usagePartial").as_bool() == Some(true) {
            set(&data, "usagePartial", true);
        }
        set(&data, "cost", cost_to_js(&price_cost));
        self.inner.collector.accept(Ok(EventInput {
            kind: "gen_ai.call".into(),
            timestamp_ms: None,
            data_json: stringify(&data.into()),
        }));

        if let Ok(mut calls) = self.inner.calls.try_borrow_mut() {
            calls.push(Call {
                at_ms: now_ms(),
                provider: provider_name,
                model,
                user,
                space: text("space"),
                usage,
                latency_ms: get(call, "latencyMs")
                    .as_f64()
                    .filter(|ms| ms.is_finite() && *ms >= 0.0),
                success,
                error_type,
                cost: price_cost.total,
            });
        }
        if let Some(total) = price_cost.total {
            self.inner.record_spend(total);
        }
        cost_to_js(&price_cost)
    }

    /// Adds or replaces model rates: `{ model: { input, output, cacheRead?, … } }`.
    #[wasm_bindgen(js_name = setPricing)]
    pub fn set_pricing(
        &self,
        #[wasm_bindgen(unchecked_param_type = "Pricing")] pricing: &JsValue,
    ) -> Result<(), JsValue> {
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
    #[wasm_bindgen(js_name = getBudgetStatus, unchecked_return_type = "BudgetStatus")]
    pub fn get_budget_status(&self) -> JsValue {
        let result = Object::new();
        if let Ok(budgets) = self.inner.budgets.try_borrow() {
            for ((name, _), budget) in PERIODS.iter().zip(budgets.iter()) {
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

    /// When each budget runs out at the current rate: `{ session, daily, monthly }`, each `null`
    /// (no budget) or `{ limit, spent, ratePerHour, exhaustsAt, remainingMs, periodEnd,
    /// projectedSpend }`. The rate is the least-squares slope of the period's cumulative spend;
    /// `exhaustsAt` is `null` when the budget lasts the period (or there is no rate yet).
    #[wasm_bindgen(
        js_name = forecastBudgetExhaustion,
        unchecked_return_type = "BudgetForecasts"
    )]
    pub fn forecast_budget_exhaustion(&self) -> JsValue {
        let now = now_ms();
        let result = Object::new();
        let Ok(budgets) = self.inner.budgets.try_borrow() else {
            return result.into();
        };
        let or_null = |v: Option<f64>| v.map_or(JsValue::NULL, JsValue::from);
        for ((name, period), budget) in PERIODS.iter().zip(budgets.iter()) {
            let Some(budget) = budget else {
                set(&result, name, JsValue::NULL);
                continue;
            };
            let current = period.of(now);
            // A budget last touched in an earlier period has spent nothing in this one.
            let (spent, points) = if budget.period() == current {
                (budget.spent, self.inner.spend_points(*period, budget))
            } else {
                (0.0, Vec::new())
            };
            let end = period.end_ms(current);
            let projection = forecast(&points, budget.limit, spent, now, end);
            let entry = Object::new();
            set(&entry, "limit", budget.limit);
            set(&entry, "spent", spent);
            set(
                &entry,
                "ratePerHour",
                or_null(projection.map(|f| f.rate_per_ms * 3_600_000.0)),
            );
            let exhausts = projection.and_then(|f| f.exhausts_at_ms);
            set(&entry, "exhaustsAt", or_null(exhausts));
            set(&entry, "remainingMs", or_null(exhausts.map(|at| at - now)));
            set(&entry, "periodEnd", or_null(end));
            set(
                &entry,
                "projectedSpend",
                or_null(projection.and_then(|f| f.spend_at_period_end)),
            );
            set(&result, name, entry);
        }
        result.into()
    }

    /// Evaluates the alert rules now (they are also evaluated every `alertIntervalMs`); returns
    /// the alerts fired by this evaluation.
    #[wasm_bindgen(js_name = checkAlerts, unchecked_return_type = "RuleAlert[]")]
    pub fn check_alerts(&self) -> Array {
        self.inner.check_alerts()
    }

    /// The latest alerts (budget and rule), oldest first, at most 100.
    #[wasm_bindgen(js_name = getTriggeredAlerts, unchecked_return_type = "LlmAlert[]")]
    pub fn get_triggered_alerts(&self) -> Array {
        self.inner
            .triggered
            .try_borrow()
            .map(|alerts| alerts.iter().collect())
            .unwrap_or_default()
    }

    /// Aggregates of the recent calls (the last 10 000 at most): `{ groupBy, windowMs, total,
    /// groups }`, `groups` keyed by model, provider, user or space, each with requests, request
    /// rate, tokens, cost, latency percentiles, error rate and errors by type, and cache hit
    /// rate. Options: `groupBy` (`'model'`), `windowMs` (default: since creation).
    #[wasm_bindgen(js_name = getSummary, unchecked_return_type = "LlmSummary")]
    pub fn get_summary(
        &self,
        #[wasm_bindgen(unchecked_optional_param_type = "SummaryOptions")] options: JsValue,
    ) -> Result<JsValue, JsValue> {
        let group_name = option(&options, "groupBy")
            .as_string()
            .unwrap_or_else(|| "model".into());
        let group_by = GroupBy::parse(&group_name).ok_or_else(|| {
            JsValue::from(RangeError::new(
                "groupBy must be 'model', 'provider', 'user' or 'space'",
            ))
        })?;
        let window = option(&options, "windowMs")
            .as_f64()
            .filter(|w| w.is_finite() && *w > 0.0);
        let now = now_ms();
        let calls = self
            .inner
            .calls
            .try_borrow()
            .map_err(|_| JsValue::from(js_sys::Error::new("getSummary called re-entrantly")))?;
        let (total, groups) = calls.summary(group_by, window, self.inner.created_ms, now);
        let result = Object::new();
        set(&result, "groupBy", group_name);
        set(
            &result,
            "windowMs",
            window.map_or(JsValue::NULL, JsValue::from),
        );
        set(&result, "total", call_summary_to_js(&total));
        let by_key = dictionary();
        for (key, summary) in &groups {
            set(&by_key, key, call_summary_to_js(summary));
        }
        set(&result, "groups", by_key);
        Ok(result.into())
    }

    /// An accumulator for a streamed response from `provider` (`push`, `usage`, `isPartial`).
    #[wasm_bindgen(js_name = createStreamAccumulator)]
    pub fn create_stream_accumulator(
        &self,
        #[wasm_bindgen(unchecked_param_type = "string")] provider: JsValue,
    ) -> LlmStream {
        LlmStream::new(Provider::parse(&provider.as_string().unwrap_or_default()))
    }

    /// Stops evaluating alert rules on a timer.
    pub fn destroy(&self) {
        self.inner.timer.set(None);
    }
}
