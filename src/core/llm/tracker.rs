//! One `LlmTelemetry`'s state and rules, sans IO: prices, budgets and their persisted spend,
//! the call log, alert rules and the alerts they raised. It reads the application's values as
//! JSON and answers with finished JSON: results, and the events to submit.

use crate::core::event::LLM_CALL_EVENT;
use crate::core::json_object::Object;
use crate::core::json_value::{parse, Value};
use crate::core::llm::alerts::Rule;
use crate::core::llm::budget::{day_of, day_start_ms, month_of, month_start_ms, Budget};
use crate::core::llm::calls::{Call, CallLog, CallSummary, GroupBy};
use crate::core::llm::forecast::forecast;
use crate::core::llm::options::{read_pricing, read_rules, OptionError};
use crate::core::llm::usage::{normalised_json, usage_of, Provider, Usage};
use crate::core::recent::Recent;
use crate::core::stats::Summary;
use alloc::string::String;
use alloc::vec::Vec;
use wasm_telemetry_prices::bundled::bundled;
use wasm_telemetry_prices::cost::{cost, Cost, CURRENCY};
use wasm_telemetry_prices::price::{find, merge, Price};

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

    /// When `period` started (a session: when the tracker was created).
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

/// An event for the collector: its type and its data as JSON.
pub type Outgoing = (&'static str, String);

/// The state of one `LlmTelemetry`.
pub struct Tracker {
    prices: Vec<Price>,
    budgets: Budgets,
    calls: CallLog,
    rules: Vec<Rule>,
    triggered: Recent<String>,
    created_ms: f64,
    interval_ms: f64,
    outbox: Vec<Outgoing>,
    spend_changed: bool,
}

/// A value's text, or `None`.
fn text_of(value: Option<&Value>) -> Option<String> {
    value.and_then(Value::as_str).map(String::from)
}

/// A token count as a JSON number, `None` when unknown.
pub fn count(value: Option<u64>) -> Option<f64> {
    value.map(|n| n as f64)
}

/// Writes the OpenTelemetry GenAI usage attributes of `usage`.
fn write_usage_attributes(target: &mut Object, usage: &Usage) {
    let writes = match (usage.cache_write_5m, usage.cache_write_1h) {
        (None, None) => None,
        (a, b) => Some(a.unwrap_or(0) + b.unwrap_or(0)),
    };
    target
        .maybe("gen_ai.usage.input_tokens", count(usage.input))
        .maybe("gen_ai.usage.output_tokens", count(usage.output))
        .maybe(
            "gen_ai.usage.cache_read_input_tokens",
            count(usage.cache_read),
        )
        .maybe("gen_ai.usage.cache_creation_input_tokens", count(writes))
        .maybe("gen_ai.usage.reasoning_tokens", count(usage.reasoning));
}

/// `{ inputCost, cacheReadCost, cacheWriteCost, outputCost, totalCost, currency, priced }`.
fn cost_json(c: &Cost) -> String {
    let [input, cache_read, cache_write, output, total] = Cost::KEYS;
    Object::default()
        .maybe(input, c.input)
        .maybe(cache_read, c.cache_read)
        .maybe(cache_write, c.cache_write)
        .maybe(output, c.output)
        .maybe(total, c.total)
        .text("currency", CURRENCY)
        .flag("priced", c.priced)
        .finish()
}

/// `{ count, avg, min, max, p50, p95, p99 }`.
fn timing_json(s: &Summary) -> String {
    Object::default()
        .number("count", s.count as f64)
        .number("avg", s.avg)
        .number("min", s.min)
        .number("max", s.max)
        .number("p50", s.p50)
        .number("p95", s.p95)
        .number("p99", s.p99)
        .finish()
}

/// One group of `getSummary()`.
fn call_summary_json(s: &CallSummary) -> String {
    let mut by_type = Object::default();
    for (kind, n) in &s.errors_by_type {
        by_type.number(kind, *n as f64);
    }
    Object::default()
        .number("requests", s.requests as f64)
        .number("requestsPerMinute", s.requests_per_minute)
        .number("inputTokens", s.input_tokens as f64)
        .number("outputTokens", s.output_tokens as f64)
        .number("totalTokens", s.total_tokens as f64)
        .number("cachedTokens", s.cache_read_tokens as f64)
        .number("unknownUsage", s.unknown_usage as f64)
        .number("totalCost", s.total_cost)
        .number("unpriced", s.unpriced as f64)
        .raw("latency", s.latency.as_ref().map(timing_json).as_deref())
        .number("errors", s.errors as f64)
        .number("errorRate", s.error_rate)
        .raw("errorsByType", Some(&by_type.finish()))
        .number("cacheHits", s.cache_hits as f64)
        .number("cacheMisses", s.cache_misses as f64)
        .number("cacheHitRate", s.cache_hit_rate)
        .finish()
}

/// The call fields copied into a `gen_ai.call` event as the application gave them.
const COPIED: [&str; 5] = [
    "latencyMs",
    "timeToFirstTokenMs",
    "errorType",
    "space",
    "promptCategory",
];

impl Tracker {
    /// A tracker for `options` (JSON: `pricing`, `budgets`, `alertRules`, `alertIntervalMs`),
    /// resuming the daily and monthly spend of `stored` (the persisted JSON), created at `now_ms`.
    pub fn new(options: &str, stored: Option<&str>, now_ms: f64) -> Result<Self, OptionError> {
        let options = parse(options).unwrap_or(Value::Null);
        let setting = |key: &str| options.get(key);
        let mut prices = bundled();
        if let Some(pricing) = setting("pricing") {
            merge(&mut prices, read_pricing(pricing, now_ms)?);
        }
        let rules = match setting("alertRules") {
            None => Rule::defaults(),
            Some(v) => read_rules(v)?,
        };
        let interval_ms = match setting("alertIntervalMs") {
            None => DEFAULT_ALERT_INTERVAL_MS,
            Some(v) => v
                .as_f64()
                .filter(|n| *n >= 0.0 && n.is_finite())
                .ok_or_else(|| {
                    OptionError::Range("alertIntervalMs must be a number of ms ≥ 0".into())
                })?,
        };
        let limits = setting("budgets");
        let stored = stored.and_then(parse).unwrap_or(Value::Null);
        let stored_number = |key: &str| stored.get(key).and_then(Value::as_f64);
        let budget = |name: &str, period: Period, keys: Option<(&str, &str)>| {
            let limit = limits
                .and_then(|l| l.get(name))
                .and_then(Value::as_f64)
                .filter(|n| n.is_finite() && *n > 0.0)?;
            let current = period.of(now_ms);
            let spent = keys
                .filter(|(period_key, _)| stored_number(period_key) == Some(current as f64))
                .and_then(|(_, spent_key)| stored_number(spent_key))
                .unwrap_or(0.0);
            Some(Budget::resumed(limit, current, spent))
        };
        let budgets = [
            budget("session", Period::Session, None),
            budget("daily", Period::Day, Some(("day", "daySpent"))),
            budget("monthly", Period::Month, Some(("month", "monthSpent"))),
        ];
        let interval_ms = if rules.is_empty() { 0.0 } else { interval_ms };
        Ok(Self {
            prices,
            budgets,
            calls: CallLog::default(),
            rules,
            triggered: Recent::new(ALERT_HISTORY),
            created_ms: now_ms,
            interval_ms,
            outbox: Vec::new(),
            spend_changed: false,
        })
    }

    /// How often the alert rules are evaluated on a timer, in ms; 0 for never.
    pub fn alert_interval_ms(&self) -> f64 {
        self.interval_ms
    }

    /// The events raised since the last call, oldest first.
    pub fn take_events(&mut self) -> Vec<Outgoing> {
        core::mem::take(&mut self.outbox)
    }

    /// The daily and monthly spend to persist, when it changed since the last call.
    pub fn take_spend(&mut self) -> Option<String> {
        if !core::mem::take(&mut self.spend_changed) {
            return None;
        }
        let mut value = Object::default();
        if let Some(daily) = &self.budgets[1] {
            value
                .number("day", daily.period() as f64)
                .number("daySpent", daily.spent);
        }
        if let Some(monthly) = &self.budgets[2] {
            value
                .number("month", monthly.period() as f64)
                .number("monthSpent", monthly.spent);
        }
        Some(value.finish())
    }

    /// The cost of `usage` (JSON) of `provider` on `model`, as JSON.
    pub fn estimate_cost(&self, provider: &str, model: &str, usage: &str, batch: bool) -> String {
        let usage = parse(usage);
        let provider = Provider::parse(provider);
        let usage = usage_of(provider, usage.as_ref());
        cost_json(&cost(find(&self.prices, model), &usage, provider, batch))
    }

    /// Adds or replaces model rates (JSON, in any of the three table formats) on the day of
    /// `now_ms`; all or none.
    pub fn set_pricing(&mut self, pricing: &str, now_ms: f64) -> Result<(), OptionError> {
        let additions = read_pricing(&parse(pricing).unwrap_or(Value::Null), now_ms)?;
        merge(&mut self.prices, additions);
        Ok(())
    }

    /// Records a call (JSON), whose user id hashes to `user_hash`, at `now_ms`: queues its
    /// `gen_ai.call` event and any budget alerts, and returns its cost as JSON; `None` when
    /// `call` is not an object.
    pub fn track_call(
        &mut self,
        call: &str,
        user_hash: Option<&str>,
        now_ms: f64,
    ) -> Option<String> {
        let call = parse(call)?;
        if !matches!(call, Value::Object(_)) {
            return None;
        }
        let provider_name = text_of(call.get("provider")).unwrap_or_default();
        let provider = Provider::parse(&provider_name);
        let model = text_of(call.get("model")).unwrap_or_default();
        let usage = usage_of(provider, call.get("usage"));
        let flag = |key: &str| call.get(key).and_then(Value::as_bool);
        let batch = flag("batch") == Some(true);
        let price_cost = cost(find(&self.prices, &model), &usage, provider, batch);
        let error_type = text_of(call.get("errorType"));
        let success = flag("success").unwrap_or(error_type.is_none());
        let user = text_of(call.get("userId"));
        let provider_name = if provider == Provider::Other {
            provider_name
        } else {
            String::from(provider.name())
        };
        let cost_text = cost_json(&price_cost);

        let mut data = Object::default();
        data.text("gen_ai.provider.name", &provider_name)
            .text("gen_ai.request.model", &model);
        write_usage_attributes(&mut data, &usage);
        data.raw("usage", Some(&normalised_json(&usage, false)));
        if user.is_some() {
            data.text("user.id", user_hash.unwrap_or_default());
        }
        for key in COPIED {
            if let Some(value) = call.get(key) {
                data.value(key, value);
            }
        }
        data.flag("success", success).flag("batch", batch);
        if flag("usagePartial") == Some(true) {
            data.flag("usagePartial", true);
        }
        data.raw("cost", Some(&cost_text));
        self.outbox.push((LLM_CALL_EVENT, data.finish()));

        self.calls.push(Call {
            at_ms: now_ms,
            provider: provider_name,
            model,
            user,
            space: text_of(call.get("space")),
            usage,
            latency_ms: call
                .get("latencyMs")
                .and_then(Value::as_f64)
                .filter(|ms| ms.is_finite() && *ms >= 0.0),
            success,
            error_type,
            cost: price_cost.total,
        });
        if let Some(total) = price_cost.total {
            self.record_spend(total, now_ms);
        }
        Some(cost_text)
    }

    /// Reports an alert (the JSON object `alert` not yet closed): to `getTriggeredAlerts()` and
    /// as a `kind` event.
    fn raise(&mut self, kind: &'static str, alert: &mut Object, now_ms: f64) -> String {
        let text = alert.number("triggeredAt", now_ms).finish();
        self.triggered.push(text.clone());
        self.outbox.push((kind, text.clone()));
        text
    }

    fn record_spend(&mut self, amount: f64, now_ms: f64) {
        let mut alerts = Vec::new();
        for ((name, period), budget) in PERIODS.iter().zip(self.budgets.iter_mut()) {
            if let Some(budget) = budget {
                for level in budget.add(amount, period.of(now_ms)) {
                    let mut alert = Object::default();
                    alert
                        .text("type", "budget")
                        .text("budget", name)
                        .number("level", level)
                        .number("spent", budget.spent)
                        .number("limit", budget.limit);
                    alerts.push(alert);
                }
            }
        }
        self.spend_changed = true;
        for mut alert in alerts {
            self.raise("llm.budget_alert", &mut alert, now_ms);
        }
    }

    /// The largest share spent of any budget in its current period.
    fn budget_usage(&self, now_ms: f64) -> Option<f64> {
        PERIODS
            .iter()
            .zip(self.budgets.iter())
            .filter_map(|((_, period), budget)| {
                let budget = budget.as_ref()?;
                Some(if budget.period() == period.of(now_ms) {
                    budget.ratio()
                } else {
                    0.0
                })
            })
            .reduce(f64::max)
    }

    /// Evaluates every rule once at `now_ms`; queues and returns (a JSON array) the alerts fired.
    pub fn check_alerts(&mut self, now_ms: f64) -> String {
        let budget_usage = self.budget_usage(now_ms);
        let mut fired = Vec::new();
        // Rules usually share a window (the defaults all do): summarise each window once.
        let mut windows: Vec<(f64, CallSummary)> = Vec::new();
        for rule in self.rules.iter_mut() {
            let index = match windows.iter().position(|(w, _)| *w == rule.window_ms) {
                Some(index) => index,
                None => {
                    windows.push((rule.window_ms, self.calls.total(rule.window_ms, now_ms)));
                    windows.len() - 1
                }
            };
            let Some((_, summary)) = windows.get(index) else {
                continue;
            };
            let value = rule.metric.value(summary, budget_usage);
            if rule.evaluate(value) {
                let mut alert = Object::default();
                alert
                    .text("type", "rule")
                    .text("rule", &rule.name)
                    .text("metric", rule.metric.name())
                    .text("operator", rule.operator.symbol())
                    .number("threshold", rule.threshold)
                    .maybe("value", value)
                    .number("consecutive", f64::from(rule.consecutive))
                    .number("windowMs", rule.window_ms);
                fired.push(alert);
            }
        }
        let mut result = String::from("[");
        for mut alert in fired {
            if result.len() > 1 {
                result.push(',');
            }
            result.push_str(&self.raise("llm.alert", &mut alert, now_ms));
        }
        result.push(']');
        result
    }

    /// The latest alerts (budget and rule), oldest first, as a JSON array.
    pub fn triggered_alerts(&self) -> String {
        let mut result = String::from("[");
        for (i, alert) in self.triggered.iter().enumerate() {
            if i > 0 {
                result.push(',');
            }
            result.push_str(alert);
        }
        result.push(']');
        result
    }

    /// `{ session, daily, monthly }`, each `{ limit, spent, ratio }` or `null`, as JSON.
    pub fn budget_status(&self) -> String {
        let mut result = Object::default();
        for ((name, _), budget) in PERIODS.iter().zip(self.budgets.iter()) {
            let entry = budget.as_ref().map(|b| {
                Object::default()
                    .number("limit", b.limit)
                    .number("spent", b.spent)
                    .number("ratio", b.ratio())
                    .finish()
            });
            result.raw(name, entry.as_deref());
        }
        result.finish()
    }

    /// The cumulative spend points of the budget's period, starting from the spend it had before
    /// the first call seen in it.
    fn spend_points(&self, period: Period, budget: &Budget) -> Vec<(f64, f64)> {
        let start = period
            .start_ms(budget.period(), self.created_ms)
            .max(self.created_ms);
        let mut costs: Vec<(f64, f64)> = Vec::new();
        for call in self.calls.iter() {
            if let Some(cost) = call.cost {
                if call.at_ms >= start && period.of(call.at_ms) == budget.period() {
                    costs.push((call.at_ms, cost));
                }
            }
        }
        let mut spent = budget.spent - costs.iter().map(|(_, c)| c).sum::<f64>();
        let mut points = Vec::with_capacity(costs.len() + 1);
        points.push((start, spent));
        for (at, cost) in costs {
            spent += cost;
            points.push((at, spent));
        }
        points
    }

    /// When each budget runs out at the current rate, as JSON: `{ session, daily, monthly }`,
    /// each `null` or `{ limit, spent, ratePerHour, exhaustsAt, remainingMs, periodEnd,
    /// projectedSpend }`.
    pub fn forecast(&self, now_ms: f64) -> String {
        let mut result = Object::default();
        for ((name, period), budget) in PERIODS.iter().zip(self.budgets.iter()) {
            let Some(budget) = budget else {
                result.raw(name, None);
                continue;
            };
            let current = period.of(now_ms);
            // A budget last touched in an earlier period has spent nothing in this one.
            let (spent, points) = if budget.period() == current {
                (budget.spent, self.spend_points(*period, budget))
            } else {
                (0.0, Vec::new())
            };
            let end = period.end_ms(current);
            let projection = forecast(&points, budget.limit, spent, now_ms, end);
            let exhausts = projection.and_then(|f| f.exhausts_at_ms);
            let entry = Object::default()
                .number("limit", budget.limit)
                .number("spent", spent)
                .maybe(
                    "ratePerHour",
                    projection.map(|f| f.rate_per_ms * 3_600_000.0),
                )
                .maybe("exhaustsAt", exhausts)
                .maybe("remainingMs", exhausts.map(|at| at - now_ms))
                .maybe("periodEnd", end)
                .maybe(
                    "projectedSpend",
                    projection.and_then(|f| f.spend_at_period_end),
                )
                .finish();
            result.raw(name, Some(&entry));
        }
        result.finish()
    }

    /// Aggregates of the recent calls grouped by `group_by` (`model` when `None`), over the last
    /// `window_ms` (since creation when `None` or not positive), as JSON.
    pub fn summary(
        &self,
        group_by: Option<&str>,
        window_ms: Option<f64>,
        now_ms: f64,
    ) -> Result<String, OptionError> {
        let group_name = group_by.unwrap_or("model");
        let group = GroupBy::parse(group_name).ok_or_else(|| {
            OptionError::Range("groupBy must be 'model', 'provider', 'user' or 'space'".into())
        })?;
        let window = window_ms.filter(|w| w.is_finite() && *w > 0.0);
        let (total, groups) = self.calls.summary(group, window, self.created_ms, now_ms);
        let mut by_key = Object::default();
        for (key, summary) in &groups {
            by_key.raw(key, Some(&call_summary_json(summary)));
        }
        Ok(Object::default()
            .text("groupBy", group_name)
            .maybe("windowMs", window)
            .raw("total", Some(&call_summary_json(&total)))
            .raw("groups", Some(&by_key.finish()))
            .finish())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const NOW: f64 = 1_764_547_200_000.0; // 2025-12-01T00:00:00Z

    fn number(json: &str, path: &[&str]) -> Option<f64> {
        let value = parse(json)?;
        path.iter()
            .try_fold(&value, |v, key| v.get(key))
            .and_then(Value::as_f64)
    }

    #[test]
    fn a_call_is_priced_sent_with_otel_names_and_the_users_hash_and_spends_the_budget() {
        let mut tracker =
            Tracker::new(r#"{"budgets":{"session":1,"daily":10}}"#, None, NOW).unwrap();
        let call = r#"{"provider":"openai","model":"gpt-4o","usage":{"prompt_tokens":0,"completion_tokens":90000},"latencyMs":800.5,"userId":"ann"}"#;
        let cost = tracker.track_call(call, Some("h4sh"), NOW + 1.0).unwrap();
        assert_eq!(number(&cost, &["totalCost"]), Some(0.9));
        let events = tracker.take_events();
        let kinds: Vec<&str> = events.iter().map(|(k, _)| *k).collect();
        assert_eq!(kinds, ["gen_ai.call", "llm.budget_alert"]);
        let (_, data) = &events[0];
        assert!(data.starts_with(r#"{"gen_ai.provider.name":"openai","gen_ai.request.model":"gpt-4o","gen_ai.usage.input_tokens":0,"gen_ai.usage.output_tokens":90000"#), "{data}");
        assert!(data.contains(
            r#""user.id":"h4sh","latencyMs":800.5,"success":true,"batch":false,"cost":{"#
        ));
        assert!(!data.contains("ann"));
        assert_eq!(number(&events[1].1, &["level"]), Some(0.8));
        let spend = tracker.take_spend().unwrap();
        assert_eq!(number(&spend, &["daySpent"]), Some(0.9));
        assert_eq!(tracker.take_spend(), None);
        assert_eq!(
            number(&tracker.budget_status(), &["session", "ratio"]),
            Some(0.9)
        );
        assert!(tracker.budget_status().contains(r#""monthly":null"#));
        assert_eq!(tracker.track_call("[1]", None, NOW), None);
    }

    #[test]
    fn stored_spend_of_the_current_day_is_resumed() {
        let stored = r#"{"day":20423,"daySpent":4}"#;
        let tracker = Tracker::new(r#"{"budgets":{"daily":10}}"#, Some(stored), NOW).unwrap();
        assert_eq!(
            number(&tracker.budget_status(), &["daily", "spent"]),
            Some(4.0)
        );
        let stale = Tracker::new(
            r#"{"budgets":{"daily":10}}"#,
            Some(r#"{"day":1,"daySpent":4}"#),
            NOW,
        )
        .unwrap();
        assert_eq!(
            number(&stale.budget_status(), &["daily", "spent"]),
            Some(0.0)
        );
    }

    #[test]
    fn bad_options_are_type_or_range_errors() {
        assert!(matches!(
            Tracker::new(r#"{"alertIntervalMs":null}"#, None, NOW),
            Err(OptionError::Range(_))
        ));
        assert!(matches!(
            Tracker::new(r#"{"pricing":null}"#, None, NOW),
            Err(OptionError::Type(_))
        ));
        assert!(matches!(
            Tracker::new(r#"{"alertRules":{}}"#, None, NOW),
            Err(OptionError::Type(_))
        ));
        assert_eq!(
            Tracker::new("{}", None, NOW).unwrap().alert_interval_ms(),
            30_000.0
        );
        assert_eq!(
            Tracker::new(r#"{"alertRules":[]}"#, None, NOW)
                .unwrap()
                .alert_interval_ms(),
            0.0
        );
        let tracker = Tracker::new("{}", None, NOW).unwrap();
        assert!(matches!(
            tracker.summary(Some("planet"), None, NOW),
            Err(OptionError::Range(_))
        ));
    }

    #[test]
    fn rules_fire_after_consecutive_violations_and_are_kept() {
        let rule = r#"{"alertRules":[{"name":"errors","metric":"errorRate","operator":">","threshold":0.1,"consecutive":2}]}"#;
        let mut tracker = Tracker::new(rule, None, NOW).unwrap();
        tracker.track_call(
            r#"{"provider":"x","model":"m","success":false}"#,
            None,
            NOW + 0.5,
        );
        tracker.take_events();
        assert_eq!(tracker.check_alerts(NOW + 1.0), "[]");
        let fired = tracker.check_alerts(NOW + 2.0);
        assert!(fired.starts_with(r#"[{"type":"rule","rule":"errors","metric":"errorRate","operator":">","threshold":0.1,"value":1,"consecutive":2,"windowMs":300000,"triggeredAt":"#), "{fired}");
        assert_eq!(tracker.take_events()[0].0, "llm.alert");
        assert_eq!(tracker.triggered_alerts(), fired);
        let summary = tracker.summary(Some("provider"), None, NOW + 3.0).unwrap();
        assert_eq!(number(&summary, &["groups", "x", "errors"]), Some(1.0));
        assert!(summary.contains(r#""windowMs":null"#));
    }

    #[test]
    fn estimates_and_forecasts_are_json() {
        let mut tracker = Tracker::new(r#"{"budgets":{"session":1}}"#, None, NOW).unwrap();
        let unknown = tracker.estimate_cost("acme", "mystery", "{}", false);
        assert!(
            unknown.ends_with(r#""totalCost":null,"currency":"USD","priced":false}"#),
            "{unknown}"
        );
        tracker
            .set_pricing(r#"{"mystery":{"input":1,"output":1}}"#, NOW)
            .unwrap();
        let priced = tracker.estimate_cost("acme", "mystery", r#"{"inputTokens":1000000}"#, false);
        assert_eq!(number(&priced, &["inputCost"]), Some(1.0));
        // A later table wins over the bundled one, by alias too.
        tracker
            .set_pricing(
                r#"{"gpt-4o":{"input":100,"output":100,"aliases":["house-4o"]}}"#,
                NOW,
            )
            .unwrap();
        let repriced =
            tracker.estimate_cost("openai", "house-4o", r#"{"prompt_tokens":10000}"#, false);
        assert_eq!(number(&repriced, &["inputCost"]), Some(1.0));
        assert_eq!(
            tracker.set_pricing(r#""gpt-4o""#, NOW).unwrap_err(),
            OptionError::Type(
                "pricing must be an object of model rates, a LiteLLM table or genai-prices data"
                    .into()
            )
        );
        let forecast = tracker.forecast(NOW);
        assert!(
            forecast.contains(r#""daily":null"#) && forecast.contains(r#""periodEnd":null"#),
            "{forecast}"
        );
    }
}
