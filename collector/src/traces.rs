//! `GET /api/traces/{traceId}`: one trace as the SDK sent it, its spans in start order with
//! their parent links, and the events that happened in it (errors, application events), each
//! naming the span it happened in.

use crate::ingest::is_trace_id;
use crate::routes::{failure, with_store, App};
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde_json::{json, Value};
use std::sync::Arc;

/// The start of a span (its data's `startTime`), for ordering.
fn start_of(span: &Value) -> f64 {
    span.get("startTime").and_then(Value::as_f64).unwrap_or(0.0)
}

/// Splits a trace's stored events into its spans (their data, with the event's id and session)
/// in start order, and its other events as stored.
pub fn assemble(trace_id: &str, events: Vec<Value>) -> Value {
    let mut spans = Vec::new();
    let mut others = Vec::new();
    for event in events {
        if event.get("type").and_then(Value::as_str) == Some("span") {
            let mut span = event.get("data").cloned().unwrap_or_else(|| json!({}));
            span["eventId"] = event["id"].clone();
            span["sessionId"] = event["sessionId"].clone();
            spans.push(span);
        } else {
            others.push(event);
        }
    }
    spans.sort_by(|a, b| start_of(a).total_cmp(&start_of(b)));
    json!({ "traceId": trace_id, "spans": spans, "events": others })
}

/// `GET /api/traces/{traceId}` (admin token): 400 for an id that is not 32 lower-case hex
/// digits, 404 when nothing of that trace is stored.
pub async fn trace(State(app): State<Arc<App>>, Path(trace_id): Path<String>) -> Response {
    if !is_trace_id(&trace_id, 32) {
        return failure(
            StatusCode::BAD_REQUEST,
            "INVALID_FIELD",
            "must be 32 lower-case hex digits",
            "traceId",
        );
    }
    let id = trace_id.clone();
    match with_store(&app, move |store| store.trace(&id)).await {
        Ok(events) if events.is_empty() => failure(
            StatusCode::NOT_FOUND,
            "NOT_FOUND",
            "no span or event of that trace is stored",
            "traceId",
        ),
        Ok(events) => Json(assemble(&trace_id, events)).into_response(),
        Err(response) => response,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spans_come_in_start_order_and_other_events_beside_them() {
        let events = vec![
            json!({"id": "e1", "type": "span", "sessionId": "s", "data": {"spanId": "b", "startTime": 20.0}}),
            json!({"id": "e2", "type": "error", "sessionId": "s", "spanId": "b", "data": {}}),
            json!({"id": "e3", "type": "span", "sessionId": "s", "data": {"spanId": "a", "startTime": 10.0}}),
        ];
        let trace = assemble("t", events);
        let spans = trace["spans"].as_array().unwrap();
        assert_eq!(spans[0]["spanId"], "a");
        assert_eq!(spans[1]["eventId"], "e1");
        assert_eq!(trace["events"][0]["id"], "e2");
        assert_eq!(trace["traceId"], "t");
    }
}
