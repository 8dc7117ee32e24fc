//! What the query APIs compute from stored events: time buckets, Web Vitals p75, error groups,
//! LLM costs with rolling averages. Pure functions over rows, independent of HTTP and SQLite.

use crate::store::Row;
use serde_json::{json, Map, Value};
use std::collections::{BTreeMap, HashSet};

/// One minute, hour and day in ms.
pub const MINUTE_MS: i64 = 60_000;
/// One hour in ms.
pub const HOUR_MS: i64 = 3_600_000;
/// One day in ms.
pub const DAY_MS: i64 = 86_400_000;

/// The nearest-rank percentile of `values` (sorted here), or `None` when empty.
pub fn percentile(values: &mut [f64], percent: f64) -> Option<f64> {
    values.sort_by(f64::total_cmp);
    let rank = ((percent / 100.0) * values.len() as f64).ceil().max(1.0) as usize;
    values.get(rank - 1).copied()
}

/// The Core Web Vitals thresholds (good up to the first, poor above the second).
pub fn vital_thresholds(name: &str) -> Option<(f64, f64)> {
    Some(match name {
        "LCP" => (2500.0, 4000.0),
        "INP" => (200.0, 500.0),
        "CLS" => (0.1, 0.25),
        "FCP" => (1800.0, 3000.0),
        "TTFB" => (800.0, 1800.0),
        _ => return None,
    })
}

/// `good`, `needs-improvement` or `poor`, as web-vitals rates a value.
pub fn vital_rating(name: &str, value: f64) -> &'static str {
    match vital_thresholds(name) {
        Some((good, _)) if value <= good => "good",
        Some((_, poor)) if value <= poor => "needs-improvement",
        Some(_) => "poor",
        None => "unknown",
    }
}

/// p75 of each vital in `web-vital` rows: `{ LCP: { p75, rating, count }, … }`.
pub fn vitals_p75(rows: &[Row]) -> Value {
    let mut by_name: BTreeMap<String, Vec<f64>> = BTreeMap::new();
    for row in rows.iter().filter(|r| r.kind == "web-vital") {
        let (Some(name), Some(value)) = (row.data["name"].as_str(), row.data["value"].as_f64())
        else {
            continue;
        };
        if vital_thresholds(name).is_some() && value.is_finite() {
            by_name.entry(name.into()).or_default().push(value);
        }
    }
    let mut result = Map::new();
    for (name, mut values) in by_name {
        let count = values.len();
        if let Some(p75) = percentile(&mut values, 75.0) {
            result.insert(
                name.clone(),
                json!({ "p75": p75, "rating": vital_rating(&name, p75), "count": count }),
            );
        }
    }
    Value::Object(result)
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
    /// Cost in USD (unpriced counts as 0 here).
    pub cost: f64,
    /// Whether the call succeeded.
    pub success: bool,
    /// Latency in ms.
    pub latency_ms: Option<f64>,
}

impl LlmCall {
    /// Reads a `gen_ai.call` row; `None` for other rows.
    pub fn from_row(row: &Row) -> Option<Self> {
        if row.kind != "gen_ai.call" {
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
            cost: d["cost"]["totalCost"]
                .as_f64()
                .filter(|c| c.is_finite())
                .unwrap_or(0.0),
            success: d["success"].as_bool().unwrap_or(true),
            latency_ms: d["latencyMs"].as_f64(),
        })
    }
}

/// Bucket sizes of `/api/metrics/historical`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Aggregation {
    /// One-minute buckets.
    Minute,
    /// One-hour buckets.
    Hour,
    /// One-day (UTC) buckets.
    Day,
}

impl Aggregation {
    /// Parses `minute`, `hour` or `day`.
    pub fn parse(name: &str) -> Option<Self> {
        Some(match name {
            "minute" => Self::Minute,
            "hour" => Self::Hour,
            "day" => Self::Day,
            _ => return None,
        })
    }

    /// The bucket length in ms.
    pub fn ms(self) -> i64 {
        match self {
            Self::Minute => MINUTE_MS,
            Self::Hour => HOUR_MS,
            Self::Day => DAY_MS,
        }
    }
}

/// How a bucket's values become its value.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Reduce {
    /// How many rows.
    Count,
    /// Sum of the values.
    Sum,
    /// Mean of the values.
    Mean,
    /// 75th percentile of the values.
    P75,
}

/// A historical series: which rows it reads and how it reduces them.
pub struct Series {
    /// Event types read (empty: all).
    pub kinds: Vec<String>,
    /// The value a row contributes, if any.
    pub value: fn(&Row) -> Option<f64>,
    /// The reduction.
    pub reduce: Reduce,
}

fn one(_: &Row) -> Option<f64> {
    Some(1.0)
}

fn vital_name(metric: &str) -> Option<&str> {
    metric
        .strip_prefix("vital.")
        .filter(|name| vital_thresholds(name).is_some())
}

/// The series named `metric`: `events`, `errors`, `llm.requests`, `llm.cost`, `llm.tokens`,
/// `llm.latency`, `llm.errorRate`, `vital.<LCP|INP|CLS|FCP|TTFB>`, or any event type (counted).
pub fn series(metric: &str) -> Series {
    let llm = |value: fn(&Row) -> Option<f64>, reduce| Series {
        kinds: vec!["gen_ai.call".into()],
        value,
        reduce,
    };
    match metric {
        "events" => Series {
            kinds: Vec::new(),
            value: one,
            reduce: Reduce::Count,
        },
        "errors" => Series {
            kinds: vec!["error".into()],
            value: one,
            reduce: Reduce::Count,
        },
        "llm.requests" => llm(one, Reduce::Count),
        "llm.cost" => llm(|r| LlmCall::from_row(r).map(|c| c.cost), Reduce::Sum),
        "llm.tokens" => llm(
            |r| LlmCall::from_row(r).map(|c| c.input_tokens.saturating_add(c.output_tokens) as f64),
            Reduce::Sum,
        ),
        "llm.latency" => llm(|r| LlmCall::from_row(r)?.latency_ms, Reduce::Mean),
        "llm.errorRate" => llm(
            |r| LlmCall::from_row(r).map(|c| if c.success { 0.0 } else { 1.0 }),
            Reduce::Mean,
        ),
        _ if vital_name(metric).is_some() => Series {
            kinds: vec!["web-vital".into()],
            value: |r| r.data["value"].as_f64(),
            reduce: Reduce::P75,
        },
        kind => Series {
            kinds: vec![kind.into()],
            value: one,
            reduce: Reduce::Count,
        },
    }
}

/// The buckets covering `[start, end)`: the first one's start, and how many there are.
pub fn bucket_span(start: i64, end: i64, aggregation: Aggregation) -> (i64, usize) {
    let size = aggregation.ms();
    let first = start.div_euclid(size) * size;
    let count = ((end - first) + size - 1).div_euclid(size).max(0) as usize;
    (first, count)
}

/// What [`buckets`] gives for a counted series (`series(metric).reduce` is `Count`), from the
/// number of rows in each bucket, `(index, rows)`, as the store counts them.
pub fn counted_buckets(
    counts: &[(i64, u64)],
    start: i64,
    end: i64,
    aggregation: Aggregation,
) -> Vec<Value> {
    let (first, count) = bucket_span(start, end, aggregation);
    let mut totals = vec![0u64; count];
    for &(index, rows) in counts {
        if let Some(total) = usize::try_from(index).ok().and_then(|i| totals.get_mut(i)) {
            *total += rows;
        }
    }
    let size = aggregation.ms();
    totals
        .into_iter()
        .enumerate()
        .map(|(i, n)| json!({ "start": first + i as i64 * size, "count": n, "value": n as f64 }))
        .collect()
}

/// `[{ start, count, value }]` for every bucket of `[start, end)`, empty ones included (value
/// `null` when a mean or percentile has nothing to reduce).
pub fn buckets(
    metric: &str,
    rows: &[Row],
    start: i64,
    end: i64,
    aggregation: Aggregation,
) -> Vec<Value> {
    let series = series(metric);
    let size = aggregation.ms();
    let (first, count) = bucket_span(start, end, aggregation);
    let mut values: Vec<Vec<f64>> = vec![Vec::new(); count];
    let vital = vital_name(metric);
    for row in rows {
        if vital.is_some() && row.data["name"].as_str() != vital {
            continue;
        }
        let index = (row.timestamp - first).div_euclid(size);
        if let (Some(slot), Some(value)) = (
            usize::try_from(index).ok().and_then(|i| values.get_mut(i)),
            (series.value)(row),
        ) {
            if value.is_finite() {
                slot.push(value);
            }
        }
    }
    values
        .into_iter()
        .enumerate()
        .map(|(i, mut v)| {
            let n = v.len();
            let value = match series.reduce {
                Reduce::Count => Some(n as f64),
                // An empty f64 sum is -0.0; adding 0.0 makes it 0.
                Reduce::Sum => Some(v.iter().sum::<f64>() + 0.0),
                Reduce::Mean => (n > 0).then(|| v.iter().sum::<f64>() / n as f64),
                Reduce::P75 => percentile(&mut v, 75.0),
            };
            json!({ "start": first + i as i64 * size, "count": n, "value": value })
        })
        .collect()
}

/// Error events grouped by fingerprint (or name and message), most frequent first:
/// `[{ fingerprint, name, message, severity, count, users, sessions, firstSeen, lastSeen }]`.
pub fn error_groups(rows: &[Row], limit: usize) -> Vec<Value> {
    struct Group<'r> {
        sample: &'r Row,
        count: u64,
        users: HashSet<&'r str>,
        sessions: HashSet<&'r str>,
        first: i64,
        last: i64,
    }
    let mut groups: BTreeMap<String, Group<'_>> = BTreeMap::new();
    for row in rows.iter().filter(|r| r.kind == "error") {
        let d = &row.data;
        let key = d["fingerprint"]
            .as_str()
            .map(String::from)
            .unwrap_or_else(|| {
                format!(
                    "{}: {}",
                    d["name"].as_str().unwrap_or("Error"),
                    d["message"].as_str().unwrap_or("")
                )
            });
        let group = groups.entry(key).or_insert_with(|| Group {
            sample: row,
            count: 0,
            users: HashSet::new(),
            sessions: HashSet::new(),
            first: row.timestamp,
            last: row.timestamp,
        });
        // Client-supplied counts: saturate rather than overflow.
        group.count = group
            .count
            .saturating_add(d["repeats"].as_u64().unwrap_or(1).max(1));
        group.users.extend(row.user_id.as_deref());
        group.sessions.insert(&row.session_id);
        group.first = group.first.min(row.timestamp);
        group.last = group.last.max(row.timestamp);
    }
    let mut list: Vec<(String, Group<'_>)> = groups.into_iter().collect();
    list.sort_by(|a, b| b.1.count.cmp(&a.1.count).then(b.1.last.cmp(&a.1.last)));
    list.into_iter()
        .take(limit)
        .map(|(key, g)| {
            let d = &g.sample.data;
            json!({
                "fingerprint": key,
                "name": d["name"].as_str().unwrap_or("Error"),
                "message": d["message"].as_str().unwrap_or(""),
                "severity": d["severity"].as_str().unwrap_or("error"),
                "count": g.count,
                "users": g.users.len(),
                "sessions": g.sessions.len(),
                "firstSeen": g.first,
                "lastSeen": g.last,
            })
        })
        .collect()
}

/// The UTC date of a day number (days since 1970-01-01), as `YYYY-MM-DD`.
pub fn date_of_day(day: i64) -> String {
    // Howard Hinnant's civil_from_days.
    let z = day + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(m <= 2);
    format!("{y:04}-{m:02}-{d:02}")
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
    /// Cost in USD in the range.
    pub cost: f64,
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
            "cost": self.cost,
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
    // Howard Hinnant's days_from_civil.
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    Some(era * 146_097 + doe - 719_468)
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
            rolling: [0.0; 3],
        }
    }
}

/// The rows as CSV with a header, the same fields as the JSON.
pub fn costs_csv(rows: &[CostRow]) -> String {
    let mut out =
        String::from("key,requests,errors,inputTokens,outputTokens,cost,avg7d,avg30d,avg90d\n");
    for row in rows {
        let key = if row.key.contains([',', '"', '\n', '\r']) {
            format!("\"{}\"", row.key.replace('"', "\"\""))
        } else {
            row.key.clone()
        };
        out.push_str(&format!(
            "{key},{},{},{},{},{},{},{},{}\n",
            row.requests,
            row.errors,
            row.input_tokens,
            row.output_tokens,
            row.cost,
            row.rolling[0],
            row.rolling[1],
            row.rolling[2]
        ));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(kind: &str, timestamp: i64, data: Value) -> Row {
        Row {
            timestamp,
            kind: kind.into(),
            session_id: "s".into(),
            user_id: None,
            data,
        }
    }

    fn call(timestamp: i64, model: &str, cost: f64, success: bool) -> LlmCall {
        LlmCall {
            timestamp,
            provider: "openai".into(),
            model: model.into(),
            user: None,
            space: None,
            input_tokens: 10,
            output_tokens: 5,
            cost,
            success,
            latency_ms: Some(100.0),
        }
    }

    #[test]
    fn vitals_are_reported_at_p75_with_web_vitals_ratings() {
        let rows: Vec<Row> = [1000.0, 2000.0, 3000.0, 5000.0]
            .iter()
            .map(|v| row("web-vital", 0, json!({ "name": "LCP", "value": v })))
            .chain([row("web-vital", 0, json!({ "name": "CLS", "value": 0.3 }))])
            .chain([row("web-vital", 0, json!({ "name": "BOGUS", "value": 1 }))])
            .collect();
        let vitals = vitals_p75(&rows);
        assert_eq!(
            vitals["LCP"],
            json!({ "p75": 3000.0, "rating": "needs-improvement", "count": 4 })
        );
        assert_eq!(vitals["CLS"]["rating"], "poor");
        assert!(vitals.get("BOGUS").is_none());
        assert_eq!(vital_rating("INP", 200.0), "good");
    }

    #[test]
    fn buckets_cover_the_range_including_empty_ones() {
        let rows = vec![
            row(
                "gen_ai.call",
                30_000,
                json!({ "cost": { "totalCost": 0.5 }, "success": false }),
            ),
            row(
                "gen_ai.call",
                50_000,
                json!({ "cost": { "totalCost": 0.25 } }),
            ),
            row(
                "gen_ai.call",
                150_000,
                json!({ "cost": { "totalCost": 1.0 } }),
            ),
        ];
        let cost = buckets("llm.cost", &rows, 0, 180_000, Aggregation::Minute);
        let values: Vec<String> = cost.iter().map(|b| b["value"].to_string()).collect();
        assert_eq!(values, ["0.75", "0.0", "1.0"]);
        let errors = buckets("llm.errorRate", &rows, 0, 180_000, Aggregation::Minute);
        assert_eq!(errors[0]["value"], 0.5);
        assert_eq!(errors[1]["value"], Value::Null);
        assert_eq!(
            buckets("gen_ai.call", &rows, 0, 180_000, Aggregation::Minute)[2]["count"],
            1
        );
        assert_eq!(buckets("events", &rows, 0, 1, Aggregation::Day).len(), 1);
    }

    #[test]
    fn counted_buckets_equal_buckets_of_the_rows_they_count() {
        let kinds = ["error", "gen_ai.call", "page.view"];
        let mut seed = 7u64;
        let mut next = move |n: u64| {
            seed = seed
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            (seed >> 33) % n
        };
        for round in 0..200 {
            let aggregation = [Aggregation::Minute, Aggregation::Hour, Aggregation::Day][round % 3];
            let start = next(10 * DAY_MS as u64) as i64;
            let end = start + 1 + next(40 * aggregation.ms() as u64) as i64;
            let rows: Vec<Row> = (0..next(300))
                .map(|_| {
                    let at = start + next((end - start) as u64) as i64;
                    row(kinds[next(3) as usize], at, json!({}))
                })
                .collect();
            let (first, _) = bucket_span(start, end, aggregation);
            for metric in ["events", "errors", "llm.requests", "page.view"] {
                let wanted = series(metric);
                let read: Vec<Row> = rows
                    .iter()
                    .filter(|r| wanted.kinds.is_empty() || wanted.kinds.contains(&r.kind))
                    .cloned()
                    .collect();
                let counts: Vec<(i64, u64)> = read
                    .iter()
                    .map(|r| ((r.timestamp - first) / aggregation.ms(), 1))
                    .collect();
                assert_eq!(
                    counted_buckets(&counts, start, end, aggregation),
                    buckets(metric, &read, start, end, aggregation),
                    "{metric} round {round}"
                );
            }
        }
    }

    #[test]
    fn errors_group_by_fingerprint_and_count_repeats() {
        let mut rows = vec![
            row(
                "error",
                5,
                json!({ "fingerprint": "f1", "name": "TypeError", "message": "x", "repeats": 3 }),
            ),
            row(
                "error",
                9,
                json!({ "fingerprint": "f1", "name": "TypeError", "message": "x" }),
            ),
            row("error", 7, json!({ "name": "RangeError", "message": "y" })),
        ];
        rows[1].session_id = "t".into();
        let groups = error_groups(&rows, 10);
        assert_eq!(groups[0]["fingerprint"], "f1");
        assert_eq!(groups[0]["count"], 4);
        assert_eq!(
            (groups[0]["sessions"].clone(), groups[0]["lastSeen"].clone()),
            (json!(2), json!(9))
        );
        assert_eq!(groups[1]["fingerprint"], "RangeError: y");
        assert_eq!(error_groups(&rows, 1).len(), 1);
    }

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
            "key,requests,errors,inputTokens,outputTokens,cost,avg7d,avg30d,avg90d"
        );
        assert_eq!(
            lines[1],
            "\"a,\"\"b\"\"\",1,0,10,5,1.5,0.21428571428571427,0.05,0.016666666666666666"
        );
    }
}
