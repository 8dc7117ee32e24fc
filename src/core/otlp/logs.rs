//! Events and errors as OTLP log records: the event type as `eventName`, its data as the body,
//! the event id, session and hashed user as attributes, errors with `exception.*` attributes
//! and their severity.

use super::{
    any_attribute, request, string_attribute, write_any_value, write_nanos, Event, List, Resource,
};
use crate::core::json::{write_integer, write_string};
use crate::core::json_value::Value;
use crate::core::text::concat;
use crate::core::trace::span::SPAN_EVENT;
use alloc::string::String;
use wasm_telemetry_rules::events::{AI_OPERATION_EVENT, ERROR_EVENT, WEB_VITAL_EVENT};

/// Event types that are not log records: metrics only, and spans (exported as traces).
pub const NOT_LOGGED: [&str; 3] = [WEB_VITAL_EVENT, AI_OPERATION_EVENT, SPAN_EVENT];

/// OTLP severity number and text of an event.
fn severity(event: &Event) -> (i64, &'static str) {
    if event.kind != ERROR_EVENT {
        return (9, "INFO");
    }
    match event.data("severity").and_then(Value::as_str) {
        Some("debug") => (5, "DEBUG"),
        Some("info") => (9, "INFO"),
        Some("warning") => (13, "WARN"),
        Some("critical") => (21, "FATAL"),
        _ => (17, "ERROR"),
    }
}

/// Context members and the attribute names they are exported under.
const CONTEXT_ATTRIBUTES: [(&str, &str); 2] =
    [("url", "url.full"), ("userAgent", "user_agent.original")];

fn write_record(out: &mut String, event: &Event, now_ms: i64) {
    let (number, text) = severity(event);
    out.push_str("{\"timeUnixNano\":");
    write_nanos(out, event.timestamp_ms);
    out.push_str(",\"observedTimeUnixNano\":");
    write_nanos(out, now_ms);
    out.push_str(",\"severityNumber\":");
    write_integer(out, number);
    out.push_str(",\"severityText\":");
    write_string(out, text);
    out.push_str(",\"eventName\":");
    write_string(out, &event.kind);
    // The trace and span it happened in (web and full entries), as OTLP/JSON writes ids: hex.
    for (member, key) in [("traceId", ",\"traceId\":"), ("spanId", ",\"spanId\":")] {
        if let Some(id) = event.value.get(member).and_then(Value::as_str) {
            out.push_str(key);
            write_string(out, id);
        }
    }
    out.push_str(",\"body\":");
    write_any_value(out, event.value.get("data").unwrap_or(&Value::Null));
    out.push_str(",\"attributes\":[");
    let mut list = List::default();
    for (member, key) in [
        ("id", "log.record.uid"),
        ("sessionId", "session.id"),
        ("userId", "user.id"),
    ] {
        if let Some(value) = event.value.get(member).and_then(Value::as_str) {
            list.item(out);
            string_attribute(out, key, value);
        }
    }
    if event.kind == ERROR_EVENT {
        for (member, key) in [
            ("name", "exception.type"),
            ("message", "exception.message"),
            ("stack", "exception.stacktrace"),
        ] {
            if let Some(value) = event.data(member).and_then(Value::as_str) {
                list.item(out);
                string_attribute(out, key, value);
            }
        }
    }
    if let Some(Value::Object(context)) = event.value.get("context") {
        for (member, value) in context {
            let key = CONTEXT_ATTRIBUTES
                .iter()
                .find(|(m, _)| m == member)
                .map(|(_, k)| String::from(*k))
                .unwrap_or_else(|| concat(&["browser.context.", member]));
            list.item(out);
            any_attribute(out, &key, value);
        }
    }
    out.push_str("]}");
}

/// The `ExportLogsServiceRequest` of `events`, or `None` when none of them is a log record.
pub(crate) fn encode(events: &[&Event], resource: &Resource, now_ms: i64) -> Option<String> {
    request("Logs", "logRecords", resource, |out| {
        let mut list = List::default();
        for event in events
            .iter()
            .filter(|e| !NOT_LOGGED.contains(&e.kind.as_str()))
        {
            list.item(out);
            write_record(out, event, now_ms);
        }
        list.any()
    })
}
