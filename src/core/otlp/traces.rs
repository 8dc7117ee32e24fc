//! `span` events as an OTLP `ExportTraceServiceRequest`: ids in hex, as OTLP/JSON writes them,
//! times in nanoseconds, the span's attributes with the event's session and hashed user, and
//! its status.

use super::{any_attribute, request, string_attribute, write_nanos, Event, List, Resource};
use crate::core::json::{write_integer, write_string};
use crate::core::json_value::Value;
use crate::core::trace::span::{SpanKind, ERROR_STATUS, SPAN_EVENT};
use alloc::string::String;

fn write_span(out: &mut String, event: &Event) {
    let text = |key: &str| event.data(key).and_then(Value::as_str).unwrap_or_default();
    let time = |key: &str| event.data(key).and_then(Value::as_f64).unwrap_or(0.0) as i64;
    out.push_str("{\"traceId\":");
    write_string(out, text("traceId"));
    out.push_str(",\"spanId\":");
    write_string(out, text("spanId"));
    if let Some(parent) = event.data("parentSpanId").and_then(Value::as_str) {
        out.push_str(",\"parentSpanId\":");
        write_string(out, parent);
    }
    out.push_str(",\"name\":");
    write_string(out, text("name"));
    let kind = if text("kind") == SpanKind::Client.name() {
        SpanKind::Client
    } else {
        SpanKind::Internal
    };
    out.push_str(",\"kind\":");
    write_integer(out, kind.otlp());
    out.push_str(",\"startTimeUnixNano\":");
    write_nanos(out, time("startTime"));
    out.push_str(",\"endTimeUnixNano\":");
    write_nanos(out, time("endTime"));
    out.push_str(",\"attributes\":[");
    let mut list = List::default();
    for (member, key) in [("sessionId", "session.id"), ("userId", "user.id")] {
        if let Some(value) = event.value.get(member).and_then(Value::as_str) {
            list.item(out);
            string_attribute(out, key, value);
        }
    }
    if let Some(error) = event.data("error.type").and_then(Value::as_str) {
        list.item(out);
        string_attribute(out, "error.type", error);
    }
    if let Some(Value::Object(attributes)) = event.data("attributes") {
        for (key, value) in attributes {
            list.item(out);
            any_attribute(out, key, value);
        }
    }
    out.push(']');
    if let Some(Value::Array(events)) = event.data("events") {
        out.push_str(",\"events\":[");
        let mut list = List::default();
        for mark in events {
            list.item(out);
            out.push_str("{\"timeUnixNano\":");
            write_nanos(
                out,
                mark.get("time").and_then(Value::as_f64).unwrap_or(0.0) as i64,
            );
            out.push_str(",\"name\":");
            write_string(
                out,
                mark.get("name").and_then(Value::as_str).unwrap_or_default(),
            );
            out.push('}');
        }
        out.push(']');
    }
    // Status codes: 1 OK, 2 ERROR.
    out.push_str(",\"status\":{\"code\":");
    out.push(if text("status") == ERROR_STATUS {
        '2'
    } else {
        '1'
    });
    out.push_str("}}");
}

/// The `ExportTraceServiceRequest` of the `span` events among `events`, or `None` when there
/// are none.
pub(crate) fn encode(events: &[&Event], resource: &Resource) -> Option<String> {
    request("Spans", "spans", resource, |out| {
        let mut list = List::default();
        for event in events.iter().filter(|e| e.kind == SPAN_EVENT) {
            list.item(out);
            write_span(out, event);
        }
        list.any()
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::journal::Entry;
    use crate::core::json_value::parse;
    use crate::core::random::Rng;
    use crate::core::trace::span::Outcome;
    use crate::core::trace::tracer::Tracer;
    use alloc::format;
    use alloc::vec::Vec;

    fn entry(id: &str, kind: &str, data: &str) -> Entry {
        Entry {
            stored_at_ms: 0,
            event: format!(
                r#"{{"id":"{id}","type":"{kind}","timestamp":1000,"sessionId":"s1","userId":"u-hash","data":{data},"context":{{}}}}"#
            ),
        }
    }

    #[test]
    fn spans_become_one_request_with_parent_links_kinds_times_and_statuses() {
        let mut page = Tracer::new(Rng::from_seed([1; 32]), None, None, true, 1000.0);
        let root = page.root();
        let request = page.start("GET", SpanKind::Client, None, 1100.0);
        let fetched = page
            .end(
                request,
                1150.0,
                &Outcome::Error("500".into()),
                Some(r#"{"http.request.method":"GET","http.response.status_code":500}"#),
                &[],
            )
            .unwrap();
        let pageload = page
            .end(
                root.span_id,
                2000.0,
                &Outcome::Ok,
                None,
                &[("responseStart", 1040.0)],
            )
            .unwrap();
        let entries = [
            entry("a", SPAN_EVENT, &fetched),
            entry("c", "click", "{}"),
            entry("b", SPAN_EVENT, &pageload),
        ];
        let events: Vec<Event> = entries.iter().filter_map(Event::read).collect();
        let read: Vec<&Event> = events.iter().collect();
        let body = encode(
            &read,
            &Resource {
                service_name: "shop".into(),
            },
        )
        .unwrap();
        let value = parse(&body).unwrap();
        let spans = value.get("resourceSpans").and_then(|r| match r {
            Value::Array(items) => items[0].get("scopeSpans"),
            _ => None,
        });
        let Some(Value::Array(scopes)) = spans else {
            panic!("{body}")
        };
        let Some(Value::Array(spans)) = scopes[0].get("spans") else {
            panic!("{body}")
        };
        assert_eq!(spans.len(), 2, "only the span events");
        let text = |span: &Value, key: &str| {
            span.get(key)
                .and_then(Value::as_str)
                .unwrap_or_default()
                .to_string()
        };
        let (get, load) = (&spans[0], &spans[1]);
        assert_eq!(text(get, "traceId"), text(load, "traceId"));
        assert_eq!(text(get, "parentSpanId"), text(load, "spanId"));
        assert_eq!(load.get("parentSpanId"), None);
        let Some(Value::Array(marks)) = load.get("events") else {
            panic!("{body}")
        };
        assert_eq!(text(&marks[0], "name"), "responseStart");
        assert_eq!(text(&marks[0], "timeUnixNano"), "1040000000");
        assert_eq!(get.get("events"), None);
        assert_eq!(text(get, "traceId").len(), 32);
        assert_eq!(text(get, "startTimeUnixNano"), "1100000000");
        assert_eq!(text(get, "endTimeUnixNano"), "1150000000");
        assert_eq!(get.get("kind").and_then(Value::as_f64), Some(3.0));
        assert_eq!(load.get("kind").and_then(Value::as_f64), Some(1.0));
        assert_eq!(
            get.get("status")
                .and_then(|s| s.get("code"))
                .and_then(Value::as_f64),
            Some(2.0)
        );
        assert_eq!(
            load.get("status")
                .and_then(|s| s.get("code"))
                .and_then(Value::as_f64),
            Some(1.0)
        );
        let Some(Value::Array(attributes)) = get.get("attributes") else {
            panic!()
        };
        let keys: Vec<&str> = attributes
            .iter()
            .filter_map(|a| a.get("key").and_then(Value::as_str))
            .collect();
        assert_eq!(
            keys,
            [
                "session.id",
                "user.id",
                "error.type",
                "http.request.method",
                "http.response.status_code"
            ]
        );
        assert_eq!(
            encode(
                &read[1..2],
                &Resource {
                    service_name: "shop".into()
                }
            ),
            None
        );
    }
}
