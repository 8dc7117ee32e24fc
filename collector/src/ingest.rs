//! Validation of incoming batches, independent of HTTP and storage.

use serde::Serialize;
use serde_json::{Map, Value};
use wasm_telemetry_rules::events::SPAN_EVENT;

/// One validation problem, as the API's error shape lists it: `{ code, message, field }`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FieldError {
    /// Machine-readable code, e.g. `VALIDATION_ERROR`.
    pub code: &'static str,
    /// What is wrong.
    pub message: String,
    /// Path of the offending field, e.g. `events[3].type`.
    pub field: String,
}

/// An event that passed validation, ready to store.
#[derive(Debug, Clone, PartialEq)]
pub struct ValidEvent {
    /// Client-generated unique id.
    pub id: String,
    /// Event type.
    pub kind: String,
    /// Milliseconds since the epoch.
    pub timestamp: i64,
    /// Session id.
    pub session_id: String,
    /// Hashed user id, if any.
    pub user_id: Option<String>,
    /// `data`, which the collector may add to (a call's recomputed cost) before it is stored.
    pub data: Map<String, Value>,
    /// `context` as JSON text.
    pub context: String,
    /// The page's trace: the event's `traceId`, or a span's own (in its data).
    pub trace_id: Option<String>,
    /// The span it happened in, or a span's own id.
    pub span_id: Option<String>,
}

/// A trace or span id as W3C Trace Context writes it: `digits` lower-case hex digits.
pub fn is_trace_id(text: &str, digits: usize) -> bool {
    text.len() == digits
        && text
            .bytes()
            .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
}

/// A validated batch.
#[derive(Debug, Clone, PartialEq)]
pub struct ValidBatch {
    /// Batch id, if the client sent one.
    pub batch_id: Option<String>,
    /// The events, in order.
    pub events: Vec<ValidEvent>,
}

/// Most events accepted in one batch.
pub const MAX_EVENTS_PER_BATCH: usize = 1000;

fn invalid(field: impl Into<String>, message: impl Into<String>) -> FieldError {
    FieldError {
        code: "VALIDATION_ERROR",
        message: message.into(),
        field: field.into(),
    }
}

/// Parses and validates a request body. All-or-nothing: any invalid event rejects the batch,
/// and every problem found is reported.
pub fn parse_batch(body: &[u8]) -> Result<ValidBatch, Vec<FieldError>> {
    let value: Value = serde_json::from_slice(body).map_err(|e| {
        vec![FieldError {
            code: "INVALID_JSON",
            message: e.to_string(),
            field: String::new(),
        }]
    })?;
    let Value::Object(root) = value else {
        return Err(vec![invalid("", "body must be a JSON object")]);
    };
    let batch_id = match root.get("batchId") {
        None | Some(Value::Null) => None,
        Some(Value::String(id)) if !id.is_empty() && id.len() <= 64 => Some(id.clone()),
        Some(_) => {
            return Err(vec![invalid(
                "batchId",
                "must be a string of 1 to 64 characters",
            )])
        }
    };
    let Some(Value::Array(events)) = root.get("events") else {
        return Err(vec![invalid("events", "must be an array")]);
    };
    if events.is_empty() || events.len() > MAX_EVENTS_PER_BATCH {
        return Err(vec![invalid(
            "events",
            format!("must hold 1 to {MAX_EVENTS_PER_BATCH} events"),
        )]);
    }
    let mut errors = Vec::new();
    let mut valid = Vec::with_capacity(events.len());
    for (index, event) in events.iter().enumerate() {
        match parse_event(event, index) {
            Ok(event) => valid.push(event),
            Err(error) => errors.push(error),
        }
    }
    if errors.is_empty() {
        Ok(ValidBatch {
            batch_id,
            events: valid,
        })
    } else {
        Err(errors)
    }
}

fn parse_event(value: &Value, index: usize) -> Result<ValidEvent, FieldError> {
    let at = |name: &str| format!("events[{index}].{name}");
    let Value::Object(event) = value else {
        return Err(invalid(format!("events[{index}]"), "must be an object"));
    };
    let text = |name: &str, max: usize| -> Result<String, FieldError> {
        match event.get(name) {
            Some(Value::String(s)) if !s.trim().is_empty() && s.len() <= max => Ok(s.clone()),
            _ => Err(invalid(
                at(name),
                format!("must be a non-empty string of at most {max} bytes"),
            )),
        }
    };
    let id = text("id", 64)?;
    let kind = text("type", 256)?;
    let session_id = text("sessionId", 64)?;
    let timestamp = match event.get("timestamp") {
        Some(Value::Number(n)) => n
            .as_f64()
            .filter(|t| t.is_finite() && *t >= 0.0 && *t < 1e15)
            .map(|t| t.round() as i64)
            .ok_or_else(|| invalid(at("timestamp"), "must be milliseconds since the epoch"))?,
        _ => {
            return Err(invalid(
                at("timestamp"),
                "must be milliseconds since the epoch",
            ))
        }
    };
    let user_id = match event.get("userId") {
        None | Some(Value::Null) => None,
        Some(Value::String(s)) if s.len() <= 128 => Some(s.clone()),
        Some(_) => {
            return Err(invalid(
                at("userId"),
                "must be a string of at most 128 bytes",
            ))
        }
    };
    let object = |name: &str| -> Result<Map<String, Value>, FieldError> {
        match event.get(name) {
            None | Some(Value::Null) => Ok(Map::new()),
            Some(Value::Object(map)) => Ok(map.clone()),
            Some(_) => Err(invalid(at(name), "must be an object")),
        }
    };
    // LLM calls name their user (hashed) in the data, with the OpenTelemetry attribute.
    let user_id = user_id.or_else(|| match event.get("data").and_then(|d| d.get("user.id")) {
        Some(Value::String(s)) if !s.is_empty() && s.len() <= 128 => Some(s.clone()),
        _ => None,
    });
    let data = object("data")?;
    // A span names its ids in its data; other events beside their session.
    let ids = if kind == SPAN_EVENT { &data } else { event };
    let id_of = |name: &str, digits: usize| -> Result<Option<String>, FieldError> {
        match ids.get(name) {
            None | Some(Value::Null) => Ok(None),
            Some(Value::String(s)) if is_trace_id(s, digits) => Ok(Some(s.clone())),
            Some(_) => Err(invalid(
                at(name),
                format!("must be {digits} lower-case hex digits"),
            )),
        }
    };
    Ok(ValidEvent {
        trace_id: id_of("traceId", 32)?,
        span_id: id_of("spanId", 16)?,
        id,
        kind,
        timestamp,
        session_id,
        user_id,
        data,
        context: Value::Object(object("context")?).to_string(),
    })
}

/// Builds the API's response envelope: `{ success, data, errors }`.
pub fn response(success: bool, data: Value, errors: &[FieldError]) -> Value {
    let mut body = Map::new();
    body.insert("success".into(), Value::Bool(success));
    body.insert("data".into(), data);
    body.insert(
        "errors".into(),
        serde_json::to_value(errors).unwrap_or(Value::Array(vec![])),
    );
    Value::Object(body)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn event(id: &str) -> Value {
        serde_json::json!({
            "id": id, "type": "page.view", "timestamp": 1_700_000_000_000u64,
            "sessionId": "s-1", "data": {"n": 1}, "context": {"url": "http://x/"}
        })
    }

    #[test]
    fn a_valid_batch_is_parsed_in_order() {
        let body = serde_json::json!({"batchId": "b", "events": [event("a"), event("b")]});
        let batch = parse_batch(body.to_string().as_bytes()).unwrap();
        assert_eq!(batch.batch_id.as_deref(), Some("b"));
        assert_eq!(
            batch
                .events
                .iter()
                .map(|e| e.id.as_str())
                .collect::<Vec<_>>(),
            ["a", "b"]
        );
        assert_eq!(
            Value::Object(batch.events[0].data.clone()),
            serde_json::json!({"n": 1})
        );
        assert_eq!(batch.events[0].timestamp, 1_700_000_000_000);
    }

    #[test]
    fn every_bad_field_is_named() {
        let mut bad = event("x");
        bad["type"] = Value::from(5);
        let mut worse = event("y");
        worse["data"] = Value::from("text");
        let body = serde_json::json!({"events": [event("ok"), bad, worse]});
        let errors = parse_batch(body.to_string().as_bytes()).unwrap_err();
        let fields: Vec<&str> = errors.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(fields, ["events[1].type", "events[2].data"]);
        assert!(errors.iter().all(|e| e.code == "VALIDATION_ERROR"));
    }

    #[test]
    fn non_json_and_wrong_shapes_are_refused() {
        assert_eq!(
            parse_batch(b"not json").unwrap_err()[0].code,
            "INVALID_JSON"
        );
        assert_eq!(
            parse_batch(b"[1]").unwrap_err()[0].message,
            "body must be a JSON object"
        );
        assert_eq!(parse_batch(b"{}").unwrap_err()[0].field, "events");
        assert_eq!(
            parse_batch(b"{\"events\":[]}").unwrap_err()[0].field,
            "events"
        );
        assert_eq!(
            parse_batch(b"{\"events\":[1]}").unwrap_err()[0].field,
            "events[0]"
        );
    }

    #[test]
    fn missing_and_out_of_range_values_are_refused() {
        for (name, value) in [
            ("id", Value::Null),
            ("id", Value::from("x".repeat(65))),
            ("sessionId", Value::from("")),
            ("timestamp", Value::from(-1)),
            ("timestamp", Value::from("now")),
            ("userId", Value::from(7)),
            ("context", Value::from(vec![1])),
        ] {
            let mut bad = event("a");
            bad[name] = value;
            let body = serde_json::json!({"events": [bad]});
            let errors = parse_batch(body.to_string().as_bytes()).unwrap_err();
            assert_eq!(errors[0].field, format!("events[0].{name}"));
        }
    }
}
