//! The collector's own LLM price table: every stored `gen_ai.call` keeps the client's cost and
//! gets the collector's (`collectorCost`), computed with the same rules as the SDK
//! (`wasm_telemetry_prices`) from the call's token counts. `PUT /api/pricing` updates the table
//! at run time, in any of the three table formats; the tables loaded are kept in the store and
//! loaded again at the next start.

use crate::ingest::response;
use crate::log::{log, Level};
use crate::routes::{failure, now_ms, with_store, App};
use crate::store::Store;
use axum::body::{to_bytes, Body};
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde_json::{json, Map, Value};
use std::sync::{Arc, RwLock};
use wasm_telemetry_prices::bundled::bundled;
use wasm_telemetry_prices::cost::{cost, Cost, CURRENCY};
use wasm_telemetry_prices::json::usage_field;
use wasm_telemetry_prices::price::{find, merge, Price};
use wasm_telemetry_prices::read::{iso_date, read};
use wasm_telemetry_prices::table::SOURCE;
use wasm_telemetry_prices::usage::{Provider, Usage};

/// Largest accepted table (LiteLLM's whole file is about 1.6 MB).
const MAX_TABLE_BYTES: usize = 16 * 1024 * 1024;

/// Two costs further apart than this (USD) mean the client priced with another table.
pub const COST_TOLERANCE: f64 = 1e-9;

/// The collector's price table.
pub struct PriceTable {
    state: RwLock<Prices>,
}

/// The prices, and how many models were loaded into them since the bundled table.
struct Prices {
    table: Vec<Price>,
    loaded: usize,
}

impl Default for PriceTable {
    fn default() -> Self {
        Self {
            state: RwLock::new(Prices {
                table: bundled(),
                loaded: 0,
            }),
        }
    }
}

/// The usage of a stored call: its normalised `usage` object, or for a client that sent none,
/// its OpenTelemetry attributes (cache writes then count as 5-minute writes).
fn usage_of(data: &Map<String, Value>) -> Usage {
    if let Some(usage @ Value::Object(_)) = data.get("usage") {
        let field = |path: &str| usage_field(usage, path);
        return Usage::from_raw(Provider::Other, &field);
    }
    let count = |key: &str| data.get(key).and_then(Value::as_u64);
    Usage {
        input: count("gen_ai.usage.input_tokens"),
        output: count("gen_ai.usage.output_tokens"),
        cache_read: count("gen_ai.usage.cache_read_input_tokens"),
        cache_write_5m: count("gen_ai.usage.cache_creation_input_tokens"),
        reasoning: count("gen_ai.usage.reasoning_tokens"),
        ..Usage::default()
    }
}

/// A cost as the SDK writes it.
fn cost_json(c: &Cost) -> Value {
    let figures = Cost::KEYS.iter().zip(c.figures());
    let mut object: Map<String, Value> = figures
        .map(|(key, figure)| ((*key).into(), json!(figure)))
        .collect();
    object.insert("currency".into(), json!(CURRENCY));
    object.insert("priced".into(), json!(c.priced));
    Value::Object(object)
}

impl PriceTable {
    /// Adds `collectorCost` to the data of a `gen_ai.call`, and `costMismatch: true` when the
    /// client's total differs from it by more than [`COST_TOLERANCE`] (or only one is known).
    pub fn reprice(&self, data: &mut Map<String, Value>) {
        let text = |key: &str| data.get(key).and_then(Value::as_str).unwrap_or_default();
        let provider = Provider::parse(text("gen_ai.provider.name"));
        let model = text("gen_ai.request.model").to_string();
        let batch = data.get("batch").and_then(Value::as_bool) == Some(true);
        let usage = usage_of(data);
        let ours = {
            let prices = self.state.read().unwrap_or_else(|e| e.into_inner());
            cost(find(&prices.table, &model), &usage, provider, batch)
        };
        let theirs = data
            .get("cost")
            .and_then(|c| c.get("totalCost"))
            .and_then(Value::as_f64);
        let differs = match (theirs, ours.total) {
            (Some(a), Some(b)) => (a - b).abs() > COST_TOLERANCE,
            (None, None) => false,
            _ => true,
        };
        data.insert("collectorCost".into(), cost_json(&ours));
        if differs {
            data.insert("costMismatch".into(), Value::Bool(true));
        }
    }

    /// Adds or replaces the models of `table`, read on `today`; how many it held.
    pub fn load(&self, table: &Value, today: &str) -> Result<usize, String> {
        let additions = read(table, today).map_err(|e| e.message())?;
        let count = additions.len();
        let mut prices = self.state.write().unwrap_or_else(|e| e.into_inner());
        merge(&mut prices.table, additions);
        prices.loaded += count;
        Ok(count)
    }

    /// Loads the tables `store` kept, oldest first, each on the day it was first loaded. A
    /// table that no longer reads is logged and left out.
    pub fn restore(&self, store: &Store) {
        let tables = store.price_tables().unwrap_or_else(|error| {
            log(
                Level::Error,
                "pricing.unreadable",
                json!({ "message": error.to_string() }),
            );
            Vec::new()
        });
        for (loaded_at, body) in tables {
            let table = serde_json::from_str(&body).unwrap_or(Value::Null);
            if let Err(message) = self.load(&table, &iso_date(loaded_at as f64)) {
                log(
                    Level::Error,
                    "pricing.skipped",
                    json!({ "loadedAt": loaded_at, "message": message }),
                );
            }
        }
    }

    /// `{ source, version, date, models, loaded }`.
    pub fn status(&self) -> Value {
        let prices = self.state.read().unwrap_or_else(|e| e.into_inner());
        let (source, version, date) = SOURCE;
        json!({ "source": source, "version": version, "date": date, "models": prices.table.len(), "loaded": prices.loaded })
    }
}

/// `PUT /api/pricing`: adds or replaces models of the collector's table from a body in the
/// SDK's own format, LiteLLM's or genai-prices'; a bad entry gets a 400 naming it.
pub async fn put(State(app): State<Arc<App>>, body: Body) -> Response {
    let Ok(body) = to_bytes(body, MAX_TABLE_BYTES).await else {
        let message = format!("a price table is at most {} MB", MAX_TABLE_BYTES >> 20);
        return failure(
            StatusCode::PAYLOAD_TOO_LARGE,
            "PAYLOAD_TOO_LARGE",
            &message,
            "body",
        );
    };
    let Ok(table) = serde_json::from_slice::<Value>(&body) else {
        return failure(
            StatusCode::BAD_REQUEST,
            "VALIDATION_ERROR",
            "the body must be JSON",
            "body",
        );
    };
    let now = now_ms();
    let count = match app.prices.load(&table, &iso_date(now as f64)) {
        Ok(count) => count,
        Err(message) => {
            return failure(
                StatusCode::BAD_REQUEST,
                "VALIDATION_ERROR",
                &message,
                "body",
            )
        }
    };
    // Kept, so that a restart loads it again.
    let body = table.to_string();
    if let Err(response) = with_store(&app, move |store| store.add_price_table(&body, now)).await {
        return response;
    }
    let mut data = app.prices.status();
    data["added"] = json!(count);
    Json(response(true, data, &[])).into_response()
}

/// `GET /api/pricing`: the table's source and size.
pub async fn status(State(app): State<Arc<App>>) -> Response {
    Json(response(true, app.prices.status(), &[])).into_response()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn call(data: Value) -> Map<String, Value> {
        let mut data = data.as_object().unwrap().clone();
        PriceTable::default().reprice(&mut data);
        data
    }

    #[test]
    fn a_call_gets_the_collectors_cost_and_a_stale_client_is_flagged() {
        let usage = json!({ "inputTokens": 10_000, "outputTokens": 1000, "cacheReadTokens": 4000 });
        let expected = (6000.0 * 2.5 + 4000.0 * 1.25 + 1000.0 * 10.0) / 1e6;
        let agreeing = call(
            json!({ "gen_ai.provider.name": "openai", "gen_ai.request.model": "gpt-4o",
            "usage": usage, "cost": { "totalCost": expected } }),
        );
        let total = agreeing["collectorCost"]["totalCost"].as_f64().unwrap();
        assert!((total - expected).abs() < 1e-12);
        assert_eq!(agreeing.get("costMismatch"), None);
        let stale = call(
            json!({ "gen_ai.provider.name": "openai", "gen_ai.request.model": "gpt-4o",
            "usage": usage, "cost": { "totalCost": expected + 2e-9 } }),
        );
        assert_eq!(stale["costMismatch"], json!(true));
        // A client that could not price the model is flagged too; an unknown model is not.
        let unpriced = call(
            json!({ "gen_ai.request.model": "gpt-4o", "usage": usage, "cost": { "totalCost": null } }),
        );
        assert_eq!(unpriced["costMismatch"], json!(true));
        let unknown = call(
            json!({ "gen_ai.request.model": "mystery", "usage": usage, "cost": { "totalCost": null } }),
        );
        assert_eq!(
            (
                unknown.get("costMismatch"),
                &unknown["collectorCost"]["priced"]
            ),
            (None, &json!(false))
        );
    }

    #[test]
    fn older_clients_are_priced_from_their_attributes_and_batches_from_the_flag() {
        let data = call(
            json!({ "gen_ai.provider.name": "anthropic", "gen_ai.request.model": "claude-opus-4-7",
            "gen_ai.usage.input_tokens": 2000, "gen_ai.usage.output_tokens": 100,
            "gen_ai.usage.cache_read_input_tokens": 1000, "gen_ai.usage.cache_creation_input_tokens": 500,
            "batch": true }),
        );
        let expected = (500.0 * 5.0 + 1000.0 * 0.5 + 500.0 * 6.25 + 100.0 * 25.0) / 1e6 / 2.0;
        let total = data["collectorCost"]["totalCost"].as_f64().unwrap();
        assert!((total - expected).abs() < 1e-12, "{total} vs {expected}");
    }

    #[test]
    fn the_kept_tables_are_loaded_again_in_order_and_an_unreadable_one_is_left_out() {
        let store = Store::in_memory().unwrap();
        store
            .add_price_table(r#"{"m":{"input":1,"output":1}}"#, 0)
            .unwrap();
        store.add_price_table("not json", 1).unwrap();
        store
            .add_price_table(r#"{"m":{"input":2,"output":2}}"#, 2)
            .unwrap();
        let table = PriceTable::default();
        table.restore(&store);
        assert_eq!(table.status()["loaded"], 2);
        let mut data = json!({ "gen_ai.request.model": "m", "usage": { "inputTokens": 1_000_000, "outputTokens": 0 } })
            .as_object()
            .unwrap()
            .clone();
        table.reprice(&mut data);
        assert_eq!(data["collectorCost"]["totalCost"], json!(2.0));
    }

    #[test]
    fn a_loaded_table_replaces_the_bundled_rates() {
        let table = PriceTable::default();
        let before = table.status()["models"].as_u64().unwrap();
        let added = table
            .load(&json!({ "gpt-4o": { "mode": "chat", "input_cost_per_token": 1e-05, "output_cost_per_token": 1e-05 } }), "2026-12-02")
            .unwrap();
        assert_eq!(
            (added, table.status()["models"].as_u64().unwrap()),
            (1, before)
        );
        let mut data = json!({ "gen_ai.request.model": "gpt-4o", "usage": { "inputTokens": 1000, "outputTokens": 0 } })
            .as_object()
            .unwrap()
            .clone();
        table.reprice(&mut data);
        assert!((data["collectorCost"]["totalCost"].as_f64().unwrap() - 0.01).abs() < 1e-12);
        assert_eq!(
            table.load(&json!({ "m": { "input": -1, "output": 1 } }), "2026-12-02"),
            Err("pricing.m.input must be a non-negative number".into())
        );
    }
}
