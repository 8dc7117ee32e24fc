//! LLM calls read from stored `gen_ai.call` events, and their costs per key with rolling
//! daily averages, as JSON or CSV, for `/api/llm/costs`.

use super::time::{date_of_day, DAY_MS};
use crate::store::Row;
use serde_json::{json, Value};
use std::collections::BTreeMap;
use wasm_telemetry_rules::calendar::days_from_civil;
use wasm_telemetry_rules::events::LLM_CALL_EVENT;

/// The `totalCost` of a cost object, if known.
fn total(cost: &Value) -> Option<f64> {
    cost["totalCost"].as_f64().filter(|c| c.is_finite())
}

/// One LLM call read from a `gen_ai.call` row.
#[derive(Debug, Clone, PartialEq)]
pub struct LlmCall {
    /// Client timestamp.
    pub timestamp: i64,
    /// `gen_ai.provider.name`.
    pub provider: String,
    /// `gen_ai.request.model`.
    pub model: String,
    /// Hashed user id.
    pub user: Option<String>,
    /// The application's space.
    pub space: Option<String>,
    /// Input tokens (unknown counts as 0 here).
    pub input_tokens: u64,
    /// Output tokens.
    pub output_tokens: u64,
    /// Cost in USD as the collector's table prices it (unpriced counts as 0 here); the client's
    /// for calls stored before the collector priced calls.
    pub cost: f64,
    /// Cost in USD as the client's table priced it.
    pub client_cost: f64,
    /// Whether the two costs differ: the client's table is stale, or another one.
    pub mismatch: bool,
    /// Whether the call succeeded.
    pub success: bool,
    /// Latency in ms.
    pub latency_ms: Option<f64>,
}

impl LlmCall {
    /// Reads a `gen_ai.call` row; `None` for other rows.
    pub fn from_row(row: &Row) -> Option<Self> {
        if row.kind != LLM_CALL_EVENT {
            return None;
        }
        let d = &row.data;
        let text = |key: &str| d[key].as_str().map(String::from);
        Some(Self {
            timestamp: row.timestamp,
            provider: text("gen_ai.provider.name").unwrap_or_else(|| "unknown".into()),
            model: text("gen_ai.request.model").unwrap_or_else(|| "unknown".into()),
            user: row.user_id.clone(),
            space: text("space"),
            input_tokens: d["gen_ai.usage.input_tokens"].as_u64().unwrap_or(0),
            output_tokens: d["gen_ai.usage.output_tokens"].as_u64().unwrap_or(0),
            cost: total(&d["collectorCost"])
                .or(total(&d["cost"]))
                .unwrap_or(0.0),
            client_cost: total(&d["cost"]).unwrap_or(0.0),
            mismatch: d["costMismatch"] == Value::Bool(true),
            success: d["success"].as_bool().unwrap_or(true),
            latency_ms: d["latencyMs"].as_f64(),
        })
    }
}

/// Dimensions of `/api/llm/costs`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CostGroup {
    /// By model id.
    Model,
    /// By provider.
    Provider,
    /// By hashed user.
    User,
    /// By space.
    Space,
    /// By UTC day.
    Day,
}

impl CostGroup {
    /// Parses `model`, `provider`, `user`, `space` or `day`.
    pub fn parse(name: &str) -> Option<Self> {
        Some(match name {
            "model" => Self::Model,
            "provider" => Self::Provider,
            "user" => Self::User,
            "space" => Self::Space,
            "day" => Self::Day,
            _ => return None,
        })
    }

    fn key(self, call: &LlmCall) -> String {
        match self {
            Self::Model => call.model.clone(),
            Self::Provider => call.provider.clone(),
            Self::User => call.user.clone().unwrap_or_else(|| "(none)".into()),
            Self::Space => call.space.clone().unwrap_or_else(|| "(none)".into()),
            Self::Day => date_of_day(call.timestamp.div_euclid(DAY_MS)),
        }
    }
}

/// Rolling-average spans, in days.
pub const ROLLING_DAYS: [i64; 3] = [7, 30, 90];

/// One row of `/api/llm/costs`.
#[derive(Debug, Clone, PartialEq)]
pub struct CostRow {
    /// The model, provider, user, space or date.
    pub key: String,
    /// Calls in the range.
    pub requests: u64,
    /// Failed calls in the range.
    pub errors: u64,
    /// Input tokens in the range.
    pub input_tokens: u64,
    /// Output tokens in the range.
    pub output_tokens: u64,
    /// Cost in USD in the range, as the collector prices it.
    pub cost: f64,
    /// Cost in USD in the range, as the clients priced it.
    pub client_cost: f64,
    /// Calls in the range whose client cost differs from the collector's.
    pub mismatches: u64,
    /// Mean daily cost over the 7, 30 and 90 days ending with the range (for a day: ending with
    /// that day).
    pub rolling: [f64; 3],
}

impl CostRow {
    /// The row as JSON.
    pub fn to_json(&self) -> Value {
        json!({
            "key": self.key, "requests": self.requests, "errors": self.errors,
            "inputTokens": self.input_tokens, "outputTokens": self.output_tokens,
            "cost": self.cost, "clientCost": self.client_cost, "costMismatches": self.mismatches,
            "avg7d": self.rolling[0], "avg30d": self.rolling[1], "avg90d": self.rolling[2],
        })
    }
}

/// Costs of the calls in `[start, end)` grouped by `group`, costliest first (by date for days),
/// with rolling daily averages read from `calls` (which should reach 90 days before `end`).
pub fn llm_costs(calls: &[LlmCall], group: CostGroup, start: i64, end: i64) -> Vec<CostRow> {
    let mut rows: BTreeMap<String, CostRow> = BTreeMap::new();
    if group == CostGroup::Day {
        let mut day = start.div_euclid(DAY_MS);
        while day * DAY_MS < end {
            let key = date_of_day(day);
            rows.insert(key.clone(), CostRow::empty(key));
            day += 1;
        }
    }
    for call in calls
        .iter()
        .filter(|c| c.timestamp >= start && c.timestamp < end)
    {
        let key = group.key(call);
        let row = rows
            .entry(key.clone())
            .or_insert_with(|| CostRow::empty(key));
        row.requests += 1;
        row.errors += u64::from(!call.success);
        row.input_tokens = row.input_tokens.saturating_add(call.input_tokens);
        row.output_tokens = row.output_tokens.saturating_add(call.output_tokens);
        row.cost += call.cost;
        row.client_cost += call.client_cost;
        row.mismatches += u64::from(call.mismatch);
    }
    // Cost per key and day, summed once: each row's three windows then read a range of days
    // instead of scanning every call. Grouped by day, all calls share one key.
    let mut daily: BTreeMap<(String, i64), f64> = BTreeMap::new();
    for call in calls {
        let key = match group {
            CostGroup::Day => String::new(),
            _ => group.key(call),
        };
        *daily
            .entry((key, call.timestamp.div_euclid(DAY_MS)))
            .or_default() += call.cost;
    }
    let last_day = (end - 1).div_euclid(DAY_MS);
    let mut list: Vec<CostRow> = rows.into_values().collect();
    for row in &mut list {
        // A day's window ends with that day; any other key's window ends with the range.
        row.rolling = match group {
            CostGroup::Day => rolling(&daily, "", list_day(&row.key).unwrap_or(last_day)),
            _ => rolling(&daily, &row.key, last_day),
        };
    }
    if group != CostGroup::Day {
        list.sort_by(|a, b| b.cost.total_cmp(&a.cost).then_with(|| a.key.cmp(&b.key)));
    }
    list
}

/// Mean daily cost of `key` over the 7, 30 and 90 days ending with `last_day`.
fn rolling(daily: &BTreeMap<(String, i64), f64>, key: &str, last_day: i64) -> [f64; 3] {
    ROLLING_DAYS.map(|days| {
        let span = (key.to_string(), last_day - days + 1)..=(key.to_string(), last_day);
        let total = daily.range(span).map(|(_, cost)| cost).sum::<f64>() + 0.0;
        total / days as f64
    })
}

/// The day number of a `YYYY-MM-DD` key made by [`date_of_day`].
fn list_day(key: &str) -> Option<i64> {
    let mut parts = key.split('-').map(|p| p.parse::<i64>().ok());
    let (y, m, d) = (parts.next()??, parts.next()??, parts.next()??);
    Some(days_from_civil(y, m, d))
}

impl CostRow {
    fn empty(key: String) -> Self {
        Self {
            key,
            requests: 0,
            errors: 0,
            input_tokens: 0,
            output_tokens: 0,
            cost: 0.0,
            client_cost: 0.0,
            mismatches: 0,
            rolling: [0.0; 3],
        }
    }
}

/// The rows as CSV with a header, the same fields as the JSON.
pub fn costs_csv(rows: &[CostRow]) -> String {
    let mut out =
        String::from("key,requests,errors,inputTokens,outputTokens,cost,avg7d,avg30d,avg90d,clientCost,costMismatches\n");
    for row in rows {
        let key = if row.key.contains([',', '"', '\n', '\r']) {
            format!("\"{}\"", row.key.replace('"', "\"\""))
        } else {
            row.key.clone()
        };
        out.push_str(&format!(
            "{key},{},{},{},{},{},{},{},{},{},{}\n",
            row.requests,
            row.errors,
            row.input_tokens,
            row.output_tokens,
            row.cost,
            row.rolling[0],
            row.rolling[1],
            row.rolling[2],
            row.client_cost,
            row.mismatches
        ));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::metrics::fixtures::call;
    #[test]
    fn dates_round_trip_and_daily_costs_carry_trailing_averages() {
        assert_eq!(date_of_day(0), "1970-01-01");
        assert_eq!(date_of_day(19_782), "2024-02-29");
        for day in -1000..30_000 {
            assert_eq!(list_day(&date_of_day(day)), Some(day));
        }
        // $7 a day for 10 days, then one $77 day.
        let mut calls: Vec<LlmCall> = (0..10)
            .map(|d| call(d * DAY_MS + 5, "a", 7.0, true))
            .collect();
        calls.push(call(10 * DAY_MS, "b", 77.0, false));
        let days = llm_costs(&calls, CostGroup::Day, 8 * DAY_MS, 11 * DAY_MS);
        assert_eq!(
            days.iter().map(|r| r.key.as_str()).collect::<Vec<_>>(),
            ["1970-01-09", "1970-01-10", "1970-01-11"]
        );
        assert_eq!(days[0].rolling[0], 7.0);
        assert_eq!(days[2].rolling[0], (6.0 * 7.0 + 77.0) / 7.0);
        assert_eq!(days[2].rolling[1], (10.0 * 7.0 + 77.0) / 30.0);
        let models = llm_costs(&calls, CostGroup::Model, 0, 11 * DAY_MS);
        assert_eq!(
            (models[0].key.as_str(), models[0].cost, models[0].errors),
            ("b", 77.0, 1)
        );
        assert_eq!(models[1].rolling[0], 6.0 * 7.0 / 7.0);
        let total: f64 = models.iter().map(|r| r.cost).sum();
        let by_day: f64 = llm_costs(&calls, CostGroup::Day, 0, 11 * DAY_MS)
            .iter()
            .map(|r| r.cost)
            .sum();
        assert_eq!(total, by_day);
    }

    #[test]
    fn csv_carries_the_same_rows_and_quotes_awkward_keys() {
        let rows = llm_costs(
            &[call(0, "a,\"b\"", 1.5, true)],
            CostGroup::Model,
            0,
            DAY_MS,
        );
        let csv = costs_csv(&rows);
        let lines: Vec<&str> = csv.lines().collect();
        assert_eq!(
            lines[0],
            "key,requests,errors,inputTokens,outputTokens,cost,avg7d,avg30d,avg90d,clientCost,costMismatches"
        );
        assert_eq!(
            lines[1],
            "\"a,\"\"b\"\"\",1,0,10,5,1.5,0.21428571428571427,0.05,0.016666666666666666,1.5,0"
        );
    }
}
