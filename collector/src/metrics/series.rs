//! Historical series of `/api/metrics/historical`: which rows a series reads, its buckets
//! and how a bucket's rows become its value.

use super::costs::LlmCall;
use super::stats::percentile;
use super::time::{DAY_MS, HOUR_MS, MINUTE_MS};
use super::vitals::vital_thresholds;
use crate::store::Row;
use serde_json::{json, Value};
use wasm_telemetry_rules::events::{ERROR_EVENT, LLM_CALL_EVENT, WEB_VITAL_EVENT};

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
        kinds: vec![LLM_CALL_EVENT.into()],
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
            kinds: vec![ERROR_EVENT.into()],
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
            kinds: vec![WEB_VITAL_EVENT.into()],
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
                Reduce::P75 => percentile(&mut v, 75),
            };
            json!({ "start": first + i as i64 * size, "count": n, "value": value })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::metrics::fixtures::row;
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
}
