//! The dashboard's read APIs (admin token): events, current and historical metrics, alerts,
//! error groups and LLM costs.

use crate::metrics::{
    bucket_span, buckets, costs_csv, counted_buckets, error_group as group_detail,
    error_groups as group_errors, llm_costs as cost_rows, vitals_p75, Aggregation, CostGroup,
    LlmCall, Reduce, DAY_MS, HOUR_MS, MINUTE_MS,
};
use crate::routes::{failure, now_ms, with_store, App};
use crate::store::{EventQuery, Row};
use crate::symbolicate::{resolve_events, resolve_rows};
use axum::extract::{Path, Query, State};
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde_json::{json, Map, Value};
use std::collections::HashMap;
use std::sync::Arc;
use wasm_telemetry_prices::cost::CURRENCY;
use wasm_telemetry_rules::events::{
    ERROR_EVENT, HEALTH_STATUS_EVENT, LLM_CALL_EVENT, WEB_VITAL_EVENT,
};

type Params = Query<HashMap<String, String>>;

/// Most buckets one historical query may ask for.
pub const MAX_BUCKETS: i64 = 10_000;

fn bad_request(field: &str, message: &str) -> Response {
    failure(StatusCode::BAD_REQUEST, "VALIDATION_ERROR", message, field)
}

/// A query parameter that does not follow its rule: the parameter and the rule.
struct Invalid(&'static str, &'static str);

impl IntoResponse for Invalid {
    fn into_response(self) -> Response {
        bad_request(self.0, self.1)
    }
}

/// Reads an optional integer parameter.
fn integer(params: &HashMap<String, String>, name: &'static str) -> Result<Option<i64>, Invalid> {
    params
        .get(name)
        .map(|v| {
            v.parse::<i64>()
                .map_err(|_| Invalid(name, "must be a whole number"))
        })
        .transpose()
}

/// Latest time a query may name: ms since the epoch, as ingest accepts them.
const MAX_TIME_MS: i64 = 1_000_000_000_000_000;

/// `start` and `end` (ms since the epoch, 0 to 10^15, so no arithmetic on them can overflow),
/// defaulting to the `default_span_ms` before now.
fn range(params: &HashMap<String, String>, default_span_ms: i64) -> Result<(i64, i64), Invalid> {
    let time = |name: &'static str| -> Result<Option<i64>, Invalid> {
        match integer(params, name)? {
            Some(t) if !(0..=MAX_TIME_MS).contains(&t) => {
                Err(Invalid(name, "must be milliseconds since the epoch"))
            }
            t => Ok(t),
        }
    };
    let end = time("end")?.unwrap_or_else(now_ms);
    let start = time("start")?.unwrap_or((end - default_span_ms).max(0));
    if start >= end {
        return Err(Invalid("start", "must be before end"));
    }
    Ok((start, end))
}

/// `GET /api/events?type&sessionId&limit`: stored events, oldest first (at most `limit`, the
/// newest ones); the frames of error events are resolved with their release's source maps.
pub async fn events(State(app): State<Arc<App>>, Query(params): Params) -> Response {
    let limit = match integer(&params, "limit") {
        Ok(limit) => limit.map(|l| l.clamp(0, 10_000) as u32),
        Err(invalid) => return invalid.into_response(),
    };
    let query = EventQuery {
        kind: params.get("type").cloned(),
        session_id: params.get("sessionId").cloned(),
        limit,
    };
    let symbolicator = app.symbolicator.clone();
    let listed = with_store(&app, move |store| {
        let mut events = store.list(&query)?;
        resolve_events(&symbolicator, store, &mut events);
        Ok(events)
    });
    match listed.await {
        Ok(events) => Json(json!({ "count": events.len(), "events": events })).into_response(),
        Err(response) => response,
    }
}

/// `GET /api/metrics/current`: events per minute (last 5 minutes), LLM request rate and error
/// rate (last hour), errors (last hour), Web Vitals p75 (last 24 hours), LLM cost today (UTC),
/// and the latest health status of each service.
pub async fn current(State(app): State<Arc<App>>) -> Response {
    let now = now_ms();
    let since = now - DAY_MS;
    // Client clocks run a little ahead sometimes.
    let until = now + HOUR_MS;
    let loaded = with_store(&app, move |store| {
        let recent = store.count_between(now - 5 * MINUTE_MS, until)?;
        let rows = store.rows(
            &[
                WEB_VITAL_EVENT,
                LLM_CALL_EVENT,
                ERROR_EVENT,
                HEALTH_STATUS_EVENT,
            ],
            since,
            until,
        )?;
        Ok((recent, rows))
    })
    .await;
    let (recent, rows) = match loaded {
        Ok(loaded) => loaded,
        Err(response) => return response,
    };
    let hour_ago = now - HOUR_MS;
    let today = now.div_euclid(DAY_MS) * DAY_MS;
    let calls: Vec<LlmCall> = rows.iter().filter_map(LlmCall::from_row).collect();
    let last_hour: Vec<&LlmCall> = calls.iter().filter(|c| c.timestamp >= hour_ago).collect();
    let failed = last_hour.iter().filter(|c| !c.success).count();
    let todays: Vec<&LlmCall> = calls.iter().filter(|c| c.timestamp >= today).collect();
    let mut services = Map::new();
    let mut system = Value::Null;
    for row in rows.iter().filter(|r| r.kind == HEALTH_STATUS_EVENT) {
        if let Some(name) = row.data["service"].as_str() {
            services.insert(name.into(), row.data["status"].clone());
        }
        system = row.data["system"].clone();
    }
    Json(json!({
        "timestamp": now,
        "eventsPerMinute": recent as f64 / 5.0,
        "requestRate": last_hour.len() as f64 / 60.0,
        "errorRate": if last_hour.is_empty() { 0.0 } else { failed as f64 / last_hour.len() as f64 },
        "errors": rows.iter().filter(|r| r.kind == ERROR_EVENT && r.timestamp >= hour_ago).count(),
        "vitals": vitals_p75(&rows),
        "llm": {
            "costToday": todays.iter().map(|c| c.cost).sum::<f64>() + 0.0,
            "requestsToday": todays.len(),
            "tokensToday": todays
                .iter()
                .fold(0u64, |sum, c| sum.saturating_add(c.input_tokens).saturating_add(c.output_tokens)),
        },
        "health": { "system": system, "services": services },
    }))
    .into_response()
}

/// `GET /api/metrics/historical?type&start&end&aggregation`: one value per minute, hour or day
/// bucket. `type` is `events`, `errors`, `llm.requests`, `llm.cost`, `llm.tokens`,
/// `llm.latency`, `llm.errorRate`, `vital.<name>` (p75), or an event type (counted).
pub async fn historical(State(app): State<Arc<App>>, Query(params): Params) -> Response {
    let Some(metric) = params.get("type").filter(|t| !t.is_empty()).cloned() else {
        return bad_request(
            "type",
            "is required: events, errors, llm.cost, vital.LCP, …",
        );
    };
    let aggregation_name = params.get("aggregation").map_or("minute", String::as_str);
    let Some(aggregation) = Aggregation::parse(aggregation_name) else {
        return bad_request("aggregation", "must be minute, hour or day");
    };
    let (start, end) = match range(&params, HOUR_MS) {
        Ok(range) => range,
        Err(invalid) => return invalid.into_response(),
    };
    if (end - start) / aggregation.ms() > MAX_BUCKETS {
        return bad_request("start", "asks for more than 10000 buckets");
    }
    let series = crate::metrics::series(&metric);
    let kinds = series.kinds;
    // A count needs no row: SQLite counts per bucket. Other series reduce the rows' values.
    let values = if series.reduce == Reduce::Count {
        let (first, _) = bucket_span(start, end, aggregation);
        let size = aggregation.ms();
        with_store(&app, move |store| {
            let kinds: Vec<&str> = kinds.iter().map(String::as_str).collect();
            store.bucket_counts(&kinds, (start, end), first, size)
        })
        .await
        .map(|counts| counted_buckets(&counts, start, end, aggregation))
    } else {
        let name = metric.clone();
        with_store(&app, move |store| {
            let kinds: Vec<&str> = kinds.iter().map(String::as_str).collect();
            store.rows(&kinds, start, end)
        })
        .await
        .map(|rows| buckets(&name, &rows, start, end, aggregation))
    };
    match values {
        Ok(values) => Json(json!({
            "type": metric,
            "aggregation": aggregation_name,
            "start": start,
            "end": end,
            "buckets": values,
        }))
        .into_response(),
        Err(response) => response,
    }
}

/// `GET /api/metrics/alerts?limit`: alerts the SDK raised (budget and rule alerts), newest
/// first, from the last 30 days.
pub async fn alerts(State(app): State<Arc<App>>, Query(params): Params) -> Response {
    let limit = match integer(&params, "limit") {
        Ok(limit) => limit.unwrap_or(100).clamp(1, 1000) as usize,
        Err(invalid) => return invalid.into_response(),
    };
    let now = now_ms();
    let rows = with_store(&app, move |store| {
        store.rows(
            &["llm.alert", "llm.budget_alert"],
            now - 30 * DAY_MS,
            now + HOUR_MS,
        )
    })
    .await;
    match rows {
        Ok(rows) => {
            let alerts: Vec<Value> = rows
                .iter()
                .rev()
                .take(limit)
                .map(|r| {
                    json!({ "type": r.kind, "timestamp": r.timestamp, "sessionId": r.session_id, "alert": r.data })
                })
                .collect();
            Json(json!({ "count": alerts.len(), "alerts": alerts })).into_response()
        }
        Err(response) => response,
    }
}

/// The error rows of `start..end`, their frames resolved with their releases' source maps.
async fn resolved_errors(app: &Arc<App>, start: i64, end: i64) -> Result<Vec<Row>, Response> {
    let symbolicator = app.symbolicator.clone();
    with_store(app, move |store| {
        let mut rows = store.rows(&[ERROR_EVENT], start, end)?;
        resolve_rows(&symbolicator, store, &mut rows);
        Ok(rows)
    })
    .await
}

/// `GET /api/errors/groups?start&end&limit`: error events grouped (by their original frames
/// where source maps resolve them, else by fingerprint), most frequent first (default: the last
/// 7 days).
pub async fn error_groups(State(app): State<Arc<App>>, Query(params): Params) -> Response {
    let (start, end) = match range(&params, 7 * DAY_MS) {
        Ok(range) => range,
        Err(invalid) => return invalid.into_response(),
    };
    let limit = match integer(&params, "limit") {
        Ok(limit) => limit.unwrap_or(50).clamp(1, 1000) as usize,
        Err(invalid) => return invalid.into_response(),
    };
    match resolved_errors(&app, start, end).await {
        Ok(rows) => {
            let groups = group_errors(&rows, limit);
            Json(json!({ "count": groups.len(), "groups": groups })).into_response()
        }
        Err(response) => response,
    }
}

/// `GET /api/errors/groups/{fingerprint}?start&end`: one group (default: the last 7 days) with
/// its newest error's resolved frames and breadcrumbs; 404 when no error of the range is in it.
pub async fn error_group(
    State(app): State<Arc<App>>,
    Path(key): Path<String>,
    Query(params): Params,
) -> Response {
    let (start, end) = match range(&params, 7 * DAY_MS) {
        Ok(range) => range,
        Err(invalid) => return invalid.into_response(),
    };
    match resolved_errors(&app, start, end).await {
        Ok(rows) => match group_detail(&rows, &key) {
            Some(group) => Json(group).into_response(),
            None => failure(
                StatusCode::NOT_FOUND,
                "NOT_FOUND",
                "no error of that group in the range",
                "fingerprint",
            ),
        },
        Err(response) => response,
    }
}

/// `GET /api/llm/costs?groupBy&start&end&format`: LLM cost by model, provider, user, space or
/// day (default: model, the last 30 days), as the collector's price table computes it, with
/// 7-, 30- and 90-day rolling daily averages, the clients' own figure and how many calls the
/// clients priced differently; as JSON, or as CSV with `format=csv`.
pub async fn llm_costs(State(app): State<Arc<App>>, Query(params): Params) -> Response {
    let group_name = params
        .get("groupBy")
        .map_or("model", String::as_str)
        .to_string();
    let Some(group) = CostGroup::parse(&group_name) else {
        return bad_request("groupBy", "must be model, provider, user, space or day");
    };
    let format = params.get("format").map_or("json", String::as_str);
    if format != "json" && format != "csv" {
        return bad_request("format", "must be json or csv");
    }
    let (start, end) = match range(&params, 30 * DAY_MS) {
        Ok(range) => range,
        Err(invalid) => return invalid.into_response(),
    };
    if (end - start) / DAY_MS > MAX_BUCKETS {
        return bad_request("start", "asks for more than 10000 days");
    }
    let from = (start.div_euclid(DAY_MS) - 90) * DAY_MS;
    let rows = match with_store(&app, move |store| store.rows(&[LLM_CALL_EVENT], from, end)).await {
        Ok(rows) => rows,
        Err(response) => return response,
    };
    let calls: Vec<LlmCall> = rows.iter().filter_map(LlmCall::from_row).collect();
    let costs = cost_rows(&calls, group, start, end);
    if format == "csv" {
        return (
            [
                (header::CONTENT_TYPE, "text/csv; charset=utf-8"),
                (
                    header::CONTENT_DISPOSITION,
                    "attachment; filename=\"llm-costs.csv\"",
                ),
            ],
            costs_csv(&costs),
        )
            .into_response();
    }
    let total = costs.iter().map(|r| r.cost).sum::<f64>() + 0.0;
    let mismatches: u64 = costs.iter().map(|r| r.mismatches).sum();
    Json(json!({
        "groupBy": group_name,
        "start": start,
        "end": end,
        "currency": CURRENCY,
        "totalCost": total,
        "costMismatches": mismatches,
        "rows": costs.iter().map(|r| r.to_json()).collect::<Vec<_>>(),
    }))
    .into_response()
}
