//! A span: one timed operation of a trace (the page load, a request, an LLM call, the
//! application's own work), and the data of the `span` event it becomes when it ends.

use crate::core::hex::hex;
use crate::core::json_object::Object;
use crate::core::trace::context::TraceContext;
use alloc::string::String;

pub use wasm_telemetry_rules::events::SPAN_EVENT;

/// The `status` of a span event that failed (one that completed is `ok`).
pub const ERROR_STATUS: &str = "error";

/// What a span stands for, as OpenTelemetry names its kinds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SpanKind {
    /// Work inside the page: the page load, the application's own spans.
    Internal,
    /// A request the page makes: fetch, XHR, an LLM call.
    Client,
}

impl SpanKind {
    /// The name in a `span` event.
    pub fn name(self) -> &'static str {
        match self {
            SpanKind::Internal => "internal",
            SpanKind::Client => "client",
        }
    }

    /// OTLP's `SpanKind` number.
    pub fn otlp(self) -> i64 {
        match self {
            SpanKind::Internal => 1,
            SpanKind::Client => 3,
        }
    }
}

/// A span that has started and not yet ended.
#[derive(Debug, Clone, PartialEq)]
pub struct Span {
    /// Its trace and its own id.
    pub context: TraceContext,
    /// The span it is a child of, if any.
    pub parent: Option<[u8; 8]>,
    /// Its name (`pageload`, `GET`, `chat gpt-4o`, the application's).
    pub name: String,
    /// Its kind.
    pub kind: SpanKind,
    /// When it started, ms since the epoch.
    pub start_ms: f64,
}

/// How a span ended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    /// It completed.
    Ok,
    /// It failed; the `error.type` attribute (an exception name, an HTTP status).
    Error(String),
}

impl Span {
    /// The data of the `span` event of this span, ended at `end_ms` with `outcome`, the
    /// attributes `attributes` (a JSON object text, or `None`) and the timed `events`:
    /// `{ traceId, spanId, parentSpanId?, name, kind, startTime, endTime, durationMs, status,
    /// error.type?, attributes, events? }`, ids in lower-case hex, times in ms since the epoch,
    /// each event `{ name, time }`.
    pub fn finish(
        &self,
        end_ms: f64,
        outcome: &Outcome,
        attributes: Option<&str>,
        events: &[(&str, f64)],
    ) -> String {
        let end_ms = end_ms.max(self.start_ms);
        let mut data = Object::default();
        data.text("traceId", &hex(&self.context.trace_id))
            .text("spanId", &hex(&self.context.span_id));
        if let Some(parent) = &self.parent {
            data.text("parentSpanId", &hex(parent));
        }
        data.text("name", &self.name)
            .text("kind", self.kind.name())
            .number("startTime", self.start_ms)
            .number("endTime", end_ms)
            .number("durationMs", end_ms - self.start_ms);
        match outcome {
            Outcome::Ok => data.text("status", "ok"),
            Outcome::Error(kind) => data.text("status", ERROR_STATUS).text("error.type", kind),
        };
        data.raw("attributes", Some(attributes.unwrap_or("{}")));
        if !events.is_empty() {
            let mut list = String::from("[");
            for (at, (name, time)) in events.iter().enumerate() {
                if at > 0 {
                    list.push(',');
                }
                let mut event = Object::default();
                event.text("name", name).number("time", *time);
                list.push_str(&event.finish());
            }
            list.push(']');
            data.raw("events", Some(&list));
        }
        data.finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::json_value::parse;
    use crate::core::random::Rng;

    #[test]
    fn an_ended_span_is_an_event_of_its_ids_times_status_and_attributes() {
        let mut rng = Rng::from_seed([3; 32]);
        let root = TraceContext::root(&mut rng, true);
        let child = root.child(&mut rng);
        let span = Span {
            context: child,
            parent: Some(root.span_id),
            name: "GET".into(),
            kind: SpanKind::Client,
            start_ms: 1000.0,
        };
        let data = span.finish(
            1250.5,
            &Outcome::Error("500".into()),
            Some(r#"{"http.response.status_code":500}"#),
            &[("responseStart", 1100.0)],
        );
        let data = parse(&data).unwrap();
        let text = |key: &str| {
            data.get(key)
                .and_then(|v| v.as_str())
                .unwrap_or_default()
                .to_string()
        };
        assert_eq!(text("traceId"), hex(&root.trace_id));
        assert_eq!(text("spanId"), hex(&child.span_id));
        assert_eq!(text("parentSpanId"), hex(&root.span_id));
        assert_eq!(
            (text("kind"), text("status"), text("error.type")),
            ("client".into(), "error".into(), "500".into())
        );
        assert_eq!(data.get("durationMs").and_then(|v| v.as_f64()), Some(250.5));
        let marks = match data.get("events") {
            Some(crate::core::json_value::Value::Array(events)) => events.first(),
            _ => None,
        };
        assert_eq!(
            marks.and_then(|m| m.get("name")).and_then(|v| v.as_str()),
            Some("responseStart")
        );
        assert_eq!(
            marks.and_then(|m| m.get("time")).and_then(|v| v.as_f64()),
            Some(1100.0)
        );
        assert_eq!(
            data.get("attributes")
                .and_then(|a| a.get("http.response.status_code"))
                .and_then(|v| v.as_f64()),
            Some(500.0)
        );
        // A root has no parent; a clock that went backwards gives a span of 0 ms.
        let root_span = Span {
            context: root,
            parent: None,
            kind: SpanKind::Internal,
            ..span
        };
        let data = root_span.finish(900.0, &Outcome::Ok, None, &[]);
        let data = parse(&data).unwrap();
        assert_eq!(data.get("parentSpanId"), None);
        assert_eq!(data.get("events"), None, "no events, no member");
        assert_eq!(data.get("durationMs").and_then(|v| v.as_f64()), Some(0.0));
        assert_eq!(
            data.get("attributes").map(|a| a == &parse("{}").unwrap()),
            Some(true)
        );
    }
}
