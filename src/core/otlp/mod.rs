//! OTLP/HTTP JSON export: a batch becomes an `ExportLogsServiceRequest` (events and errors as
//! log records) and an `ExportMetricsServiceRequest` (Web Vitals, AI operation timings and LLM
//! usage as metrics, with the OpenTelemetry GenAI semantic conventions); `span` events can
//! be encoded as an `ExportTraceServiceRequest` (`traces`, with the `tracing` feature).

pub mod logs;
pub mod metrics;
#[cfg(feature = "tracing")]
pub mod traces;

use crate::core::batch::{SDK_NAME, SDK_VERSION};
use crate::core::journal::Entry;
use crate::core::json::{write_integer, write_string};
use crate::core::json_value::{parse, Value};
use crate::core::trace::span::SPAN_EVENT;
use alloc::string::String;
use alloc::vec::Vec;

/// What describes the page's application in every export.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Resource {
    /// `service.name`.
    pub service_name: String,
}

impl Resource {
    /// `{"resource":{"attributes":[…]}` members, without braces around them.
    fn write(&self, out: &mut String) {
        out.push_str("\"resource\":{\"attributes\":[");
        let attributes = [
            ("service.name", self.service_name.as_str()),
            ("telemetry.sdk.name", SDK_NAME),
            ("telemetry.sdk.version", SDK_VERSION),
            ("telemetry.sdk.language", "webjs"),
        ];
        for (i, (key, value)) in attributes.iter().enumerate() {
            if i > 0 {
                out.push(',');
            }
            string_attribute(out, key, value);
        }
        out.push_str("]}");
    }
}

/// The instrumentation scope of everything this SDK exports.
fn write_scope(out: &mut String) {
    out.push_str("\"scope\":{\"name\":");
    write_string(out, SDK_NAME);
    out.push_str(",\"version\":");
    write_string(out, SDK_VERSION);
    out.push('}');
}

/// The items of a JSON list written one at a time: a `,` before each but the first.
#[derive(Default)]
pub(crate) struct List {
    any: bool,
}

impl List {
    /// Starts an item.
    pub(crate) fn item(&mut self, out: &mut String) {
        if core::mem::replace(&mut self.any, true) {
            out.push(',');
        }
    }

    /// Whether an item was written.
    pub(crate) fn any(&self) -> bool {
        self.any
    }
}

/// An `Export<Signal>ServiceRequest` of the page's resource and this SDK's scope:
/// `{"resource<Signal>":[{"resource":…,"scope<Signal>":[{"scope":…,"<list>":[…]}]}]}`, the
/// list written by `write_list`; `None` when it writes no item.
fn request(
    signal: &str,
    list: &str,
    resource: &Resource,
    write_list: impl FnOnce(&mut String) -> bool,
) -> Option<String> {
    let mut out = String::from("{\"resource");
    out.push_str(signal);
    out.push_str("\":[{");
    resource.write(&mut out);
    out.push_str(",\"scope");
    out.push_str(signal);
    out.push_str("\":[{");
    write_scope(&mut out);
    out.push_str(",\"");
    out.push_str(list);
    out.push_str("\":[");
    write_list(&mut out).then(|| {
        out.push_str("]}]}]}");
        out
    })
}

/// Writes milliseconds since the epoch as OTLP's nanoseconds (a decimal string).
pub(crate) fn write_nanos(out: &mut String, ms: i64) {
    out.push('"');
    write_integer(out, ms.max(0));
    if ms > 0 {
        out.push_str("000000");
    }
    out.push('"');
}

/// `{"key":…,"value":{"stringValue":…}}`.
pub(crate) fn string_attribute(out: &mut String, key: &str, value: &str) {
    out.push_str("{\"key\":");
    write_string(out, key);
    out.push_str(",\"value\":{\"stringValue\":");
    write_string(out, value);
    out.push_str("}}");
}

/// `{"key":…,"value":<AnyValue>}`.
pub(crate) fn any_attribute(out: &mut String, key: &str, value: &Value) {
    out.push_str("{\"key\":");
    write_string(out, key);
    out.push_str(",\"value\":");
    write_any_value(out, value);
    out.push('}');
}

/// A JSON value as an OTLP `AnyValue`: strings, booleans, integers (as decimal strings) and
/// doubles, arrays as `arrayValue`, objects as `kvlistValue`; `null` as an empty value.
pub(crate) fn write_any_value(out: &mut String, value: &Value) {
    match value {
        Value::Null => out.push_str("{}"),
        Value::Bool(b) => out.push_str(if *b {
            "{\"boolValue\":true}"
        } else {
            "{\"boolValue\":false}"
        }),
        Value::String(text) => {
            out.push_str("{\"stringValue\":");
            write_string(out, text);
            out.push('}');
        }
        Value::Number(raw) => {
            let integer = !raw.contains(['.', 'e', 'E']) && raw.trim_start_matches('-').len() <= 15;
            if integer {
                out.push_str("{\"intValue\":\"");
                out.push_str(raw);
                out.push_str("\"}");
            } else {
                out.push_str("{\"doubleValue\":");
                out.push_str(raw);
                out.push('}');
            }
        }
        Value::Array(items) => {
            out.push_str("{\"arrayValue\":{\"values\":[");
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                write_any_value(out, item);
            }
            out.push_str("]}}");
        }
        Value::Object(members) => {
            out.push_str("{\"kvlistValue\":{\"values\":[");
            for (i, (key, member)) in members.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                any_attribute(out, key, member);
            }
            out.push_str("]}}");
        }
    }
}

/// One event read back from the journal.
pub(crate) struct Event<'a> {
    /// The whole wire-format event.
    pub value: Value<'a>,
    /// Its `type`.
    pub kind: String,
    /// Its `timestamp`, in ms.
    pub timestamp_ms: i64,
}

impl<'a> Event<'a> {
    fn read(entry: &'a Entry) -> Option<Self> {
        let value = parse(&entry.event)?;
        let kind = value.get("type")?.as_str()?.into();
        let timestamp_ms = value.get("timestamp")?.as_f64()? as i64;
        Some(Self {
            value,
            kind,
            timestamp_ms,
        })
    }

    /// A member of the event's `data`.
    pub fn data(&self, key: &str) -> Option<&Value<'a>> {
        self.value.get("data")?.get(key)
    }
}

/// The request bodies of one batch; `None` when that signal has nothing to send.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Export {
    /// Body for `<endpoint>/v1/logs`.
    pub logs: Option<String>,
    /// Body for `<endpoint>/v1/traces`.
    #[cfg(feature = "tracing")]
    pub traces: Option<String>,
    /// Body for `<endpoint>/v1/metrics`.
    pub metrics: Option<String>,
}

/// Encodes a batch's events for OTLP/HTTP JSON, leaving out the log records and spans of
/// events in `logged`. Events that cannot be read are skipped (the journal only holds events the core
/// encoded, so none are expected).
pub fn encode(entries: &[Entry], resource: &Resource, now_ms: i64, logged: &Logged) -> Export {
    let mut events = Vec::with_capacity(entries.len());
    let mut to_log = Vec::with_capacity(entries.len());
    for entry in entries {
        if let Some(event) = Event::read(entry) {
            if !entry.id().is_some_and(|id| logged.contains(id)) {
                to_log.push(events.len());
            }
            events.push(event);
        }
    }
    let unlogged: Vec<&Event> = to_log.iter().map(|&index| &events[index]).collect();
    Export {
        logs: logs::encode(&unlogged, resource, now_ms),
        #[cfg(feature = "tracing")]
        traces: traces::encode(&unlogged, resource),
        metrics: metrics::encode(&events, resource),
    }
}

/// The most ids [`Logged`] remembers; past it the oldest are forgotten (at worst, their log
/// records are sent twice).
pub const MAX_LOGGED: usize = 10_000;

/// Ids of events whose log records (or spans) an OTLP endpoint accepted while the rest of
/// their batch was not: a retry sends the rest again, but not those.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Logged {
    ids: Vec<String>,
}

impl Logged {
    /// Remembers that the log records of `entries` (or, with `spans`, their spans) were
    /// accepted.
    pub fn record(&mut self, entries: &[Entry], spans: bool) {
        let sent = entries
            .iter()
            .filter(|entry| entry.is_of(SPAN_EVENT) == spans);
        for id in sent.filter_map(Entry::id) {
            if !self.contains(id) {
                self.ids.push(id.into());
            }
        }
        let excess = self.ids.len().saturating_sub(MAX_LOGGED);
        self.ids.drain(..excess);
    }

    /// Forgets `entries`, once their batch is settled.
    pub fn forget(&mut self, entries: &[Entry]) {
        if !self.ids.is_empty() {
            self.ids
                .retain(|id| !entries.iter().any(|entry| entry.id() == Some(id)));
        }
    }

    /// Whether the log record of event `id` was accepted.
    pub fn contains(&self, id: &str) -> bool {
        self.ids.iter().any(|known| known == id)
    }

    /// How many ids are remembered.
    pub fn len(&self) -> usize {
        self.ids.len()
    }

    /// Whether no id is remembered.
    pub fn is_empty(&self) -> bool {
        self.ids.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::metrics::{Histogram, DURATION_BOUNDS};
    use super::*;
    use crate::core::random::Rng;
    use alloc::format;
    use alloc::vec;

    fn entry(kind: &str, at: i64, data: &str) -> Entry {
        Entry {
            stored_at_ms: at,
            event: format!(
                r#"{{"id":"id-{at}","type":"{kind}","timestamp":{at},"sessionId":"s1","userId":"u-hash","data":{data},"context":{{"url":"https://app.test/a","userAgent":"UA","viewport":"800x600"}}}}"#
            ),
        }
    }

    fn resource() -> Resource {
        Resource {
            service_name: "shop".into(),
        }
    }

    fn attribute<'v>(list: &'v Value<'v>, key: &str) -> Option<&'v Value<'v>> {
        match list {
            Value::Array(items) => items
                .iter()
                .find(|a| a.get("key").and_then(Value::as_str) == Some(key))?
                .get("value"),
            _ => None,
        }
    }

    fn metric<'v>(metrics: &'v Value<'v>, name: &str) -> &'v Value<'v> {
        let Some(Value::Array(list)) = metrics
            .get("resourceMetrics")
            .and_then(|r| match r {
                Value::Array(r) => r[0].get("scopeMetrics"),
                _ => None,
            })
            .and_then(|s| match s {
                Value::Array(s) => s[0].get("metrics"),
                _ => None,
            })
        else {
            panic!("no metrics")
        };
        list.iter()
            .find(|m| m.get("name").and_then(Value::as_str) == Some(name))
            .unwrap_or_else(|| panic!("no {name}"))
    }

    #[test]
    fn events_and_errors_become_log_records_with_semantic_attributes() {
        let entries = [
            entry(
                "page.view",
                1_700_000_000_123,
                r#"{"title":"Home","n":3,"ratio":0.5,"tags":["a"],"empty":null}"#,
            ),
            entry(
                "error",
                1_700_000_000_200,
                r#"{"name":"TypeError","message":"x is undefined","stack":"at f (app.js:1:2)","severity":"critical"}"#,
            ),
            entry(
                "web-vital",
                1_700_000_000_300,
                r#"{"name":"LCP","value":1234.5,"rating":"good"}"#,
            ),
        ];
        let export = encode(&entries, &resource(), 1_700_000_001_000, &Logged::default());
        let logs = parse(export.logs.as_deref().unwrap()).unwrap();
        let Some(Value::Array(resource_logs)) = logs.get("resourceLogs") else {
            panic!()
        };
        let resource_attributes = resource_logs[0]
            .get("resource")
            .unwrap()
            .get("attributes")
            .unwrap();
        assert_eq!(
            attribute(resource_attributes, "service.name")
                .unwrap()
                .get("stringValue")
                .unwrap()
                .as_str(),
            Some("shop")
        );
        assert_eq!(
            attribute(resource_attributes, "telemetry.sdk.language")
                .unwrap()
                .get("stringValue")
                .unwrap()
                .as_str(),
            Some("webjs")
        );
        let Some(Value::Array(scopes)) = resource_logs[0].get("scopeLogs") else {
            panic!()
        };
        let Some(Value::Array(records)) = scopes[0].get("logRecords") else {
            panic!()
        };
        assert_eq!(records.len(), 2, "the web vital is a metric only");
        let view = &records[0];
        assert_eq!(
            view.get("timeUnixNano").unwrap().as_str(),
            Some("1700000000123000000")
        );
        assert_eq!(view.get("eventName").unwrap().as_str(), Some("page.view"));
        assert_eq!(view.get("severityNumber").unwrap().as_f64(), Some(9.0));
        let body = write_body(view);
        assert_eq!(
            body,
            r#"{"kvlistValue":{"values":[{"key":"title","value":{"stringValue":"Home"}},{"key":"n","value":{"intValue":"3"}},{"key":"ratio","value":{"doubleValue":0.5}},{"key":"tags","value":{"arrayValue":{"values":[{"stringValue":"a"}]}}},{"key":"empty","value":{}}]}}"#
        );
        let attributes = view.get("attributes").unwrap();
        assert_eq!(
            attribute(attributes, "log.record.uid")
                .unwrap()
                .get("stringValue")
                .unwrap()
                .as_str(),
            Some("id-1700000000123")
        );
        assert_eq!(
            attribute(attributes, "user.id")
                .unwrap()
                .get("stringValue")
                .unwrap()
                .as_str(),
            Some("u-hash")
        );
        assert_eq!(
            attribute(attributes, "url.full")
                .unwrap()
                .get("stringValue")
                .unwrap()
                .as_str(),
            Some("https://app.test/a")
        );
        assert!(attribute(attributes, "browser.context.viewport").is_some());
        let error = &records[1];
        assert_eq!(
            (
                error.get("severityNumber").unwrap().as_f64(),
                error.get("severityText").unwrap().as_str()
            ),
            (Some(21.0), Some("FATAL"))
        );
        let attributes = error.get("attributes").unwrap();
        assert_eq!(
            attribute(attributes, "exception.type")
                .unwrap()
                .get("stringValue")
                .unwrap()
                .as_str(),
            Some("TypeError")
        );
        assert!(attribute(attributes, "exception.stacktrace").is_some());
    }

    fn write_body(record: &Value) -> String {
        let mut out = String::new();
        // Re-encode the AnyValue the body was read back as.
        fn write(out: &mut String, v: &Value) {
            match v {
                Value::Null => out.push_str("null"),
                Value::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
                Value::Number(raw) => out.push_str(raw),
                Value::String(s) => crate::core::json::write_string(out, s),
                Value::Array(items) => {
                    out.push('[');
                    for (i, item) in items.iter().enumerate() {
                        if i > 0 {
                            out.push(',');
                        }
                        write(out, item);
                    }
                    out.push(']');
                }
                Value::Object(members) => {
                    out.push('{');
                    for (i, (k, item)) in members.iter().enumerate() {
                        if i > 0 {
                            out.push(',');
                        }
                        crate::core::json::write_string(out, k);
                        out.push(':');
                        write(out, item);
                    }
                    out.push('}');
                }
            }
        }
        write(&mut out, record.get("body").unwrap());
        out
    }

    #[test]
    fn llm_calls_fill_the_gen_ai_histograms_and_vitals_become_gauges() {
        let call = |input: u64, output: u64, ms: u64, ok: bool| {
            format!(
                r#"{{"gen_ai.provider.name":"openai","gen_ai.request.model":"gpt-4o","gen_ai.usage.input_tokens":{input},"gen_ai.usage.output_tokens":{output},"latencyMs":{ms},"success":{ok},"errorType":"timeout"}}"#
            )
        };
        let entries = [
            entry("gen_ai.call", 1000, &call(100, 4, 300, true)),
            entry("gen_ai.call", 2000, &call(5000, 16, 1500, true)),
            entry("gen_ai.call", 3000, &call(10, 0, 15000, false)),
            entry(
                "web-vital",
                4000,
                r#"{"name":"CLS","value":0.125,"rating":"needs-improvement","navigationType":"navigate"}"#,
            ),
            entry("ai.operation", 5000, r#"{"totalMs":900,"apiCallMs":600}"#),
        ];
        let export = encode(&entries, &resource(), 6000, &Logged::default());
        let metrics = parse(export.metrics.as_deref().unwrap()).unwrap();
        let tokens = metric(&metrics, "gen_ai.client.token.usage");
        assert_eq!(tokens.get("unit").unwrap().as_str(), Some("{token}"));
        let Some(Value::Array(points)) = tokens.get("histogram").unwrap().get("dataPoints") else {
            panic!()
        };
        assert_eq!(points.len(), 2, "input and output");
        let input = &points[0];
        assert_eq!(
            attribute(input.get("attributes").unwrap(), "gen_ai.token.type")
                .unwrap()
                .get("stringValue")
                .unwrap()
                .as_str(),
            Some("input")
        );
        assert_eq!(input.get("count").unwrap().as_str(), Some("3"));
        assert_eq!(input.get("sum").unwrap().as_f64(), Some(5110.0));
        assert_eq!(
            input.get("startTimeUnixNano").unwrap().as_str(),
            Some("1000000000")
        );
        assert_eq!(
            input.get("timeUnixNano").unwrap().as_str(),
            Some("3000000000")
        );
        // 10 ≤ 16, 100 ≤ 256, 5000 ≤ 16384.
        let counts: Vec<&str> = match input.get("bucketCounts").unwrap() {
            Value::Array(c) => c.iter().map(|v| v.as_str().unwrap()).collect(),
            _ => panic!(),
        };
        assert_eq!(
            counts,
            ["0", "0", "1", "0", "1", "0", "0", "1", "0", "0", "0", "0", "0", "0", "0"]
        );
        // Output 4 falls in the (1, 4] bucket and 0 in the first.
        let duration = metric(&metrics, "gen_ai.client.operation.duration");
        let Some(Value::Array(points)) = duration.get("histogram").unwrap().get("dataPoints")
        else {
            panic!()
        };
        assert_eq!(points.len(), 2, "successes, and failures with error.type");
        assert_eq!(points[0].get("sum").unwrap().as_f64(), Some(1.8));
        assert_eq!(
            attribute(points[1].get("attributes").unwrap(), "error.type")
                .unwrap()
                .get("stringValue")
                .unwrap()
                .as_str(),
            Some("timeout")
        );
        let cls = metric(&metrics, "browser.web_vital.cls");
        let Some(Value::Array(points)) = cls.get("gauge").unwrap().get("dataPoints") else {
            panic!()
        };
        assert_eq!(points[0].get("asDouble"), Some(&Value::Number("0.125")));
        let ai = metric(&metrics, "ai.operation.duration");
        let Some(Value::Array(points)) = ai.get("histogram").unwrap().get("dataPoints") else {
            panic!()
        };
        assert_eq!(points.len(), 2);
        assert!(
            export.logs.is_some(),
            "LLM calls are also log records, with their cost"
        );
        assert_eq!(
            encode(
                &[entry("page.view", 1, "{}")],
                &resource(),
                2,
                &Logged::default()
            )
            .metrics,
            None
        );
        let empty = encode(&[], &resource(), 2, &Logged::default());
        assert_eq!((empty.logs, empty.metrics), (None, None));
        #[cfg(feature = "tracing")]
        assert_eq!(empty.traces, None);
    }

    /// OTLP JSON of ordinary events is two to three times their wire size, so a batch filled
    /// to a third of the 60 KB budget (what the pipeline takes for OTLP) still fits a closing
    /// page's request.
    #[test]
    fn a_third_budget_batch_of_typical_events_fits_sixty_kilobytes() {
        let mut entries = Vec::new();
        let mut bytes = crate::core::batch::WRAPPER_BYTES;
        let mut n = 0i64;
        while bytes < crate::core::batch::MAX_BODY_BYTES / 3 {
            let at = 1_700_000_000_000 + n;
            // The SDK's context is the page's origin and path.
            let e = Entry {
                stored_at_ms: at,
                event: format!(
                    r#"{{"id":"6f1c2b9e-8d4a-4c1e-9f7b-2a3d4e5f6a7b","type":"ui.click","timestamp":{at},"sessionId":"0b7e5c1a-3f2d-4e6a-8b9c-1d2e3f4a5b6c","userId":"9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08","data":{{"target":"button#checkout","label":"Buy now","x":120,"y":348,"section":"cart"}},"context":{{"url":"https://shop.example/checkout"}}}}"#
                ),
            };
            bytes += e.event.len() + 1;
            entries.push(e);
            n += 1;
        }
        let logs = encode(&entries, &resource(), 1_700_000_010_000, &Logged::default())
            .logs
            .unwrap();
        let ratio = logs.len() as f64 / bytes as f64;
        assert!(
            logs.len() <= crate::core::batch::MAX_BODY_BYTES,
            "{} bytes, ratio {ratio}",
            logs.len()
        );
        assert!(ratio > 2.0, "the budget is cut for a reason: ratio {ratio}");
    }

    #[test]
    fn a_retry_after_the_logs_were_accepted_sends_only_the_metrics() {
        let with_uuid = |n: u32, kind: &str, data: &str| Entry {
            stored_at_ms: 1000,
            event: format!(
                r#"{{"id":"00000000-0000-4000-8000-{n:012}","type":"{kind}","timestamp":1000,"sessionId":"s1","data":{data}}}"#
            ),
        };
        let call = r#"{"operation":"chat","gen_ai.provider.name":"openai","gen_ai.request.model":"gpt-4o","gen_ai.usage.input_tokens":10,"gen_ai.usage.output_tokens":2,"latencyMs":300,"success":true}"#;
        let first = [
            with_uuid(1, "page.view", "{}"),
            with_uuid(2, "gen_ai.call", call),
        ];
        let mut logged = Logged::default();
        let before = encode(&first, &resource(), 2000, &logged);
        assert_eq!(
            before
                .logs
                .as_deref()
                .map(|l| l.matches("\"logRecords\"").count()),
            Some(1)
        );
        assert_eq!(before.logs.unwrap().matches("log.record.uid").count(), 2);
        logged.record(&first, false);
        assert_eq!(logged.len(), 2);
        let retry = encode(&first, &resource(), 3000, &logged);
        assert_eq!(retry.logs, None, "both log records were accepted");
        assert_eq!(
            retry.metrics, before.metrics,
            "the metrics are sent again, unchanged"
        );

        // Restored events batched with a new one: only the new one's record is sent.
        let mixed = [
            first[0].clone(),
            first[1].clone(),
            with_uuid(3, "page.view", "{}"),
        ];
        let logs = encode(&mixed, &resource(), 3000, &logged).logs.unwrap();
        assert_eq!(logs.matches("log.record.uid").count(), 1);
        assert!(logs.contains("00000000-0000-4000-8000-000000000003"));

        logged.forget(&first);
        assert!(logged.is_empty());
        for n in 0..(MAX_LOGGED as u32 + 5) {
            logged.record(&[with_uuid(n, "page.view", "{}")], false);
        }
        assert_eq!(logged.len(), MAX_LOGGED);
        assert!(
            !logged.contains("00000000-0000-4000-8000-000000000000"),
            "the oldest go first"
        );
        assert!(logged.contains(&format!("00000000-0000-4000-8000-{:012}", MAX_LOGGED + 4)));
    }

    /// On random values: every histogram point's buckets add up to its count, its sum is the
    /// sum of what was recorded, and each value sits in the first bucket whose bound is ≥ it.
    #[test]
    fn histogram_points_add_up_on_random_values() {
        let mut rng = Rng::from_seed([8; 32]);
        for _ in 0..500 {
            let mut histogram = Histogram::new("h", "", "s", &DURATION_BOUNDS);
            let mut recorded: Vec<(usize, f64)> = vec![];
            for _ in 0..(rng.next_u64() % 60) {
                let key = (rng.next_u64() % 3) as usize;
                let value = match rng.next_u64() % 4 {
                    0 => DURATION_BOUNDS[(rng.next_u64() % 14) as usize],
                    _ => rng.next_f64() * 100.0,
                };
                histogram.record(format!("k{key}"), value, 0);
                recorded.push((key, value));
            }
            for point in &histogram.points {
                let key: usize = point.attributes[1..].parse().unwrap();
                let mine: Vec<f64> = recorded
                    .iter()
                    .filter(|r| r.0 == key)
                    .map(|r| r.1)
                    .collect();
                assert_eq!(point.count as usize, mine.len());
                assert_eq!(point.buckets.iter().sum::<u64>(), point.count);
                assert!((point.sum - mine.iter().sum::<f64>()).abs() < 1e-9);
                for (i, n) in point.buckets.iter().enumerate() {
                    let low = if i == 0 {
                        f64::NEG_INFINITY
                    } else {
                        DURATION_BOUNDS[i - 1]
                    };
                    let high = DURATION_BOUNDS.get(i).copied().unwrap_or(f64::INFINITY);
                    let expected = mine.iter().filter(|v| **v > low && **v <= high).count() as u64;
                    assert_eq!(*n, expected);
                }
            }
        }
    }
}
