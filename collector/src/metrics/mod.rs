//! What the query APIs compute from stored events: time buckets, Web Vitals p75, error groups,
//! LLM costs with rolling averages. Pure functions over rows, independent of HTTP and SQLite;
//! one concept per module.

pub mod costs;
pub mod errors;
pub mod series;
pub mod stats;
pub mod time;
pub mod vitals;

pub use costs::{costs_csv, llm_costs, CostGroup, CostRow, LlmCall, ROLLING_DAYS};
pub use errors::{error_group, error_groups};
pub use series::{bucket_span, buckets, counted_buckets, series, Aggregation, Reduce, Series};
pub use stats::percentile;
pub use time::{date_of_day, DAY_MS, HOUR_MS, MINUTE_MS};
pub use vitals::{vital_rating, vital_thresholds, vitals_p75};

/// Rows and calls the tests of these modules are built from.
#[cfg(test)]
pub(crate) mod fixtures {
    use super::LlmCall;
    use crate::store::Row;
    use serde_json::Value;

    pub fn row(kind: &str, timestamp: i64, data: Value) -> Row {
        Row {
            timestamp,
            kind: kind.into(),
            session_id: "s".into(),
            user_id: None,
            data,
            id: format!("{kind}-{timestamp}"),
            release: None,
            trace_id: None,
        }
    }

    pub fn call(timestamp: i64, model: &str, cost: f64, success: bool) -> LlmCall {
        LlmCall {
            timestamp,
            provider: "openai".into(),
            model: model.into(),
            user: None,
            space: None,
            input_tokens: 10,
            output_tokens: 5,
            cost,
            client_cost: cost,
            mismatch: false,
            success,
            latency_ms: Some(100.0),
        }
    }
}
