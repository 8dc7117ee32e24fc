//! One telemetry event: validation of what the application passed and its wire encoding.

use alloc::string::String;
use wasm_telemetry_rules::events::PERFORMANCE_EVENT;

use crate::core::json::{round_non_negative, write_integer};
use crate::core::json_object::Object;
use crate::core::trace::context::TraceContext;
use thiserror::Error;

pub use wasm_telemetry_rules::events::LLM_CALL_EVENT;

/// Longest accepted event `type`, in bytes.
pub const MAX_TYPE_BYTES: usize = 256;
/// Largest accepted encoded event, in bytes. Any single event must fit in one request body
/// (see [`crate::core::batch::MAX_BODY_BYTES`]) with room for the batch wrapper.
pub const MAX_EVENT_BYTES: usize = 48 * 1024;

/// Why an event was refused. Refused events are dropped and counted, never thrown.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
#[error("{}", self.message())]
pub enum EventError {
    /// The event is not an object.
    NotAnObject,
    /// `type` is missing, empty or not a string.
    MissingType,
    /// `type` is longer than [`MAX_TYPE_BYTES`].
    TypeTooLong,
    /// `timestamp` is present but not a finite, non-negative number of milliseconds.
    BadTimestamp,
    /// `data` is present but is not a plain object (or could not be serialised).
    BadData,
    /// The encoded event is larger than [`MAX_EVENT_BYTES`].
    TooLarge,
    /// A method's argument is not of its documented type (an id that is not a string, …).
    BadArgument,
}

impl EventError {
    /// The rule the input broke.
    pub fn message(&self) -> &'static str {
        match self {
            Self::NotAnObject => "event must be an object with a string type",
            Self::MissingType => "event type must be a non-empty string",
            Self::TypeTooLong => "event type must be at most 256 bytes",
            Self::BadTimestamp => {
                "event timestamp must be a finite, non-negative number of milliseconds"
            }
            Self::BadData => "event data must be a plain, serialisable object",
            Self::TooLarge => "event must serialise to at most 48 KB",
            Self::BadArgument => "ids, names and roles must be strings, and counts numbers",
        }
    }
}

/// An event as the application described it, after the platform layer read it from JS.
#[derive(Debug, Clone, PartialEq)]
pub struct EventInput {
    /// Event type, e.g. `page.view`.
    pub kind: String,
    /// Milliseconds since the epoch chosen by the application, if any.
    pub timestamp_ms: Option<f64>,
    /// `data` serialised as a JSON object, if any.
    pub data_json: Option<String>,
}

/// What the collector adds to every event.
#[derive(Debug, Clone, Copy)]
pub struct Envelope<'a> {
    /// Random UUID, kept across retries so servers can drop duplicates.
    pub id: &'a str,
    /// Session this event belongs to.
    pub session_id: &'a str,
    /// Salted hash of the identified user, if any.
    pub user_id: Option<&'a str>,
    /// Time of `track()`, used when the application gave no timestamp.
    pub now_ms: f64,
    /// Page context serialised as a JSON object.
    pub context_json: &'a str,
    /// The trace and the span active when the event happened, if the page is traced.
    pub trace: Option<TraceContext>,
}

/// Checks the rules of an application event: a non-empty `type` of at most 256 bytes, a
/// timestamp (if any) in milliseconds since the epoch, and `data` (if any) a JSON object.
pub fn check_input(input: &EventInput) -> Result<(), EventError> {
    if input.kind.chars().all(char::is_whitespace) {
        return Err(EventError::MissingType);
    }
    if input.kind.len() > MAX_TYPE_BYTES {
        return Err(EventError::TypeTooLong);
    }
    if input
        .timestamp_ms
        .is_some_and(|t| !(0.0..1e15).contains(&t))
    {
        return Err(EventError::BadTimestamp);
    }
    let data = input.data_json.as_deref().unwrap_or("{}");
    if !(data.starts_with('{') && data.ends_with('}')) {
        return Err(EventError::BadData);
    }
    Ok(())
}

/// Validates `input` and encodes it as one wire-format event object:
/// `{ id, type, timestamp, sessionId, userId?, data, context }`.
pub fn encode_event(input: &EventInput, envelope: Envelope<'_>) -> Result<String, EventError> {
    check_input(input)?;
    let timestamp = input.timestamp_ms.unwrap_or(envelope.now_ms);
    let data = input.data_json.as_deref().unwrap_or("{}");
    if data.len() + envelope.context_json.len() > MAX_EVENT_BYTES {
        return Err(EventError::TooLarge);
    }
    let mut event = Object::with_capacity(160 + input.kind.len() + data.len());
    event
        .text("id", envelope.id)
        .text("type", &input.kind)
        .whole("timestamp", round_non_negative(timestamp))
        .text("sessionId", envelope.session_id);
    if let Some(user_id) = envelope.user_id {
        event.text("userId", user_id);
    }
    #[cfg(feature = "tracing")]
    if let Some(trace) = &envelope.trace {
        event
            .text("traceId", &crate::core::hex::hex(&trace.trace_id))
            .text("spanId", &crate::core::hex::hex(&trace.span_id));
    }
    let out = event
        .raw("data", Some(data))
        .raw("context", Some(envelope.context_json))
        .finish();
    if out.len() > MAX_EVENT_BYTES {
        return Err(EventError::TooLarge);
    }
    Ok(out)
}

/// A performance measurement `{ name, value, unit? }` (a JSON object) as a `performance`
/// event: `name` a non-empty string, `value` a finite number, `unit` absent or a string.
pub fn metric_input(metric_json: &str) -> Result<EventInput, EventError> {
    let metric = crate::core::json_value::parse(metric_json).ok_or(EventError::BadData)?;
    let named = metric
        .get("name")
        .and_then(|n| n.as_str())
        .is_some_and(|n| !n.is_empty());
    let valued = metric
        .get("value")
        .and_then(|v| v.as_f64())
        .is_some_and(f64::is_finite);
    let unit_ok = metric.get("unit").is_none_or(|u| u.as_str().is_some());
    if !matches!(metric, crate::core::json_value::Value::Object(_)) {
        return Err(EventError::NotAnObject);
    }
    if !named || !valued || !unit_ok {
        return Err(EventError::BadData);
    }
    Ok(EventInput {
        kind: PERFORMANCE_EVENT.into(),
        timestamp_ms: None,
        data_json: Some(metric_json.into()),
    })
}

/// A whole number used as an id, as its decimal digits (what `String(42)` gives); `None` for
/// a fraction or a number beyond the safe integers.
pub fn whole_number_id(number: f64) -> Option<String> {
    let whole = number.abs() <= 9_007_199_254_740_991.0 && number == (number as i64) as f64;
    whole.then(|| {
        let mut digits = String::new();
        write_integer(&mut digits, number as i64);
        digits
    })
}

/// Longest error message kept, in bytes.
pub const MAX_MESSAGE_BYTES: usize = 2048;
/// Longest stack trace kept, in bytes.
pub const MAX_STACK_BYTES: usize = 16 * 1024;

/// What `trackError` knows about an error value.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ErrorInput {
    /// `error.name`, e.g. `TypeError`; `Error` for non-Error values.
    pub name: String,
    /// `error.message`, or the thrown value as text.
    pub message: String,
    /// `error.stack`, if any.
    pub stack: Option<String>,
    /// The application's context object, serialised, if any.
    pub context_json: Option<String>,
}

/// Encodes the `data` object of an error event: `{ name, message, stack?, context? }`, with
/// message and stack truncated to their limits on character boundaries.
pub fn error_data_json(error: &ErrorInput) -> String {
    let mut data = Object::default();
    data.text("name", truncate(&error.name, MAX_TYPE_BYTES))
        .text("message", truncate(&error.message, MAX_MESSAGE_BYTES));
    if let Some(stack) = &error.stack {
        data.text("stack", truncate(stack, MAX_STACK_BYTES));
    }
    if let Some(context) = error.context_json.as_deref().filter(|c| c.starts_with('{')) {
        data.raw("context", Some(context));
    }
    data.finish()
}

/// The longest prefix of `text` of at most `max` bytes that ends on a character boundary.
pub fn truncate(text: &str, max: usize) -> &str {
    if text.len() <= max {
        return text;
    }
    let mut end = max;
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    // `get`, not indexing: indexing a `str` links its panic message, with Unicode tables.
    text.get(..end).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    const ENVELOPE: Envelope<'static> = Envelope {
        id: "6f1c2b1e-8d3a-4c55-9a0e-3b8f1d2c4e5f",
        session_id: "0b7c9a2e-1f3d-4e6a-8b5c-7d9e1f2a3b4c",
        user_id: None,
        now_ms: 1_700_000_000_123.4,
        context_json: "{\"url\":\"https://app.example/a\"}",
        trace: None,
    };

    fn input(kind: &str) -> EventInput {
        EventInput {
            kind: kind.into(),
            timestamp_ms: None,
            data_json: None,
        }
    }

    #[test]
    fn encodes_all_wire_fields_in_order() {
        let event = EventInput {
            data_json: Some("{\"n\":1}".into()),
            ..input("page.view")
        };
        assert_eq!(
            encode_event(&event, ENVELOPE).unwrap(),
            "{\"id\":\"6f1c2b1e-8d3a-4c55-9a0e-3b8f1d2c4e5f\",\"type\":\"page.view\",\
             \"timestamp\":1700000000123,\"sessionId\":\"0b7c9a2e-1f3d-4e6a-8b5c-7d9e1f2a3b4c\",\
             \"data\":{\"n\":1},\"context\":{\"url\":\"https://app.example/a\"}}"
        );
    }

    #[test]
    fn an_identified_user_is_written_after_the_session() {
        let envelope = Envelope {
            user_id: Some("ab12"),
            ..ENVELOPE
        };
        let encoded = encode_event(&input("x"), envelope).unwrap();
        assert!(encoded.contains(
            "\"sessionId\":\"0b7c9a2e-1f3d-4e6a-8b5c-7d9e1f2a3b4c\",\"userId\":\"ab12\",\"data\""
        ));
    }

    #[cfg(feature = "tracing")]
    #[test]
    fn a_traced_event_names_its_trace_and_span_after_the_user() {
        let envelope = Envelope {
            trace: Some(TraceContext {
                trace_id: [0xab; 16],
                span_id: [0x01; 8],
                flags: 1,
            }),
            ..ENVELOPE
        };
        let encoded = encode_event(&input("x"), envelope).unwrap();
        assert!(encoded.contains(
            "\"traceId\":\"abababababababababababababababab\",\"spanId\":\"0101010101010101\",\"data\""
        ));
    }

    #[test]
    fn application_timestamp_wins_and_is_rounded_to_milliseconds() {
        let event = EventInput {
            timestamp_ms: Some(1000.6),
            ..input("x")
        };
        assert!(encode_event(&event, ENVELOPE)
            .unwrap()
            .contains("\"timestamp\":1001,"));
    }

    #[test]
    fn type_is_escaped_not_trusted() {
        let encoded = encode_event(&input("a\"},\"evil\":{"), ENVELOPE).unwrap();
        assert!(encoded.contains("\"type\":\"a\\\"},\\\"evil\\\":{\""));
    }

    #[test]
    fn malformed_input_is_refused_with_a_reason() {
        assert_eq!(
            encode_event(&input(""), ENVELOPE),
            Err(EventError::MissingType)
        );
        assert_eq!(
            encode_event(&input("   "), ENVELOPE),
            Err(EventError::MissingType)
        );
        let long = "t".repeat(MAX_TYPE_BYTES + 1);
        assert_eq!(
            encode_event(&input(&long), ENVELOPE),
            Err(EventError::TypeTooLong)
        );
        for bad in [f64::NAN, f64::INFINITY, -1.0, 1e16] {
            let event = EventInput {
                timestamp_ms: Some(bad),
                ..input("x")
            };
            assert_eq!(
                encode_event(&event, ENVELOPE),
                Err(EventError::BadTimestamp)
            );
        }
        for bad in ["[1,2]", "\"text\"", "42", "null"] {
            let event = EventInput {
                data_json: Some(bad.into()),
                ..input("x")
            };
            assert_eq!(
                encode_event(&event, ENVELOPE),
                Err(EventError::BadData),
                "{bad}"
            );
        }
        let huge = format!("{{\"s\":\"{}\"}}", "x".repeat(MAX_EVENT_BYTES));
        let event = EventInput {
            data_json: Some(huge),
            ..input("x")
        };
        assert_eq!(encode_event(&event, ENVELOPE), Err(EventError::TooLarge));
        let just_over = format!("{{\"s\":\"{}\"}}", "x".repeat(MAX_EVENT_BYTES - 100));
        let event = EventInput {
            data_json: Some(just_over),
            ..input("x")
        };
        assert_eq!(encode_event(&event, ENVELOPE), Err(EventError::TooLarge));
    }

    #[test]
    fn missing_data_becomes_an_empty_object() {
        assert!(encode_event(&input("x"), ENVELOPE)
            .unwrap()
            .contains("\"data\":{},"));
    }

    #[test]
    fn error_data_carries_name_message_stack_and_context() {
        let error = ErrorInput {
            name: "TypeError".into(),
            message: "x is \"undefined\"".into(),
            stack: Some("TypeError: x\n    at f (app.js:1:2)".into()),
            context_json: Some("{\"op\":\"save\"}".into()),
        };
        assert_eq!(
            error_data_json(&error),
            "{\"name\":\"TypeError\",\"message\":\"x is \\\"undefined\\\"\",\
             \"stack\":\"TypeError: x\\n    at f (app.js:1:2)\",\"context\":{\"op\":\"save\"}}"
        );
    }

    #[test]
    fn error_data_omits_absent_parts_and_non_object_context() {
        let error = ErrorInput {
            name: "Error".into(),
            message: "boom".into(),
            stack: None,
            context_json: Some("\"text\"".into()),
        };
        assert_eq!(
            error_data_json(&error),
            "{\"name\":\"Error\",\"message\":\"boom\"}"
        );
    }

    #[test]
    fn truncation_respects_character_boundaries() {
        let text = "é".repeat(10); // 20 bytes
        assert_eq!(truncate(&text, 5), "éé");
        assert_eq!(truncate(&text, 100), text);
        let long = ErrorInput {
            message: "€".repeat(MAX_MESSAGE_BYTES),
            ..ErrorInput::default()
        };
        let encoded = error_data_json(&long);
        assert!(encoded.len() < MAX_MESSAGE_BYTES + 64);
    }
}
