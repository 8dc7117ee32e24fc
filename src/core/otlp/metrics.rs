//! Web Vitals, AI operation timings and LLM usage as OTLP metrics. LLM calls follow the
//! OpenTelemetry GenAI semantic conventions: `gen_ai.client.token.usage` and
//! `gen_ai.client.operation.duration` histograms with the recommended bucket boundaries, delta
//! temporality, one data point per attribute set in the batch.

use super::{request, string_attribute, write_nanos, Event, List, Resource};
use crate::core::event::LLM_CALL_EVENT;
use crate::core::json::{write_decimal, write_integer, write_string};
use crate::core::json_value::Value;
use alloc::string::String;
use alloc::vec::Vec;
use wasm_telemetry_rules::events::{AI_OPERATION_EVENT, WEB_VITAL_EVENT};

/// Recommended boundaries of `gen_ai.client.token.usage` (`{token}`).
pub const TOKEN_BOUNDS: [f64; 14] = [
    1.0, 4.0, 16.0, 64.0, 256.0, 1024.0, 4096.0, 16384.0, 65536.0, 262144.0, 1048576.0, 4194304.0,
    16777216.0, 67108864.0,
];

/// Recommended boundaries of `gen_ai.client.operation.duration` (`s`), also used for AI
/// operation timings.
pub const DURATION_BOUNDS: [f64; 14] = [
    0.01, 0.02, 0.04, 0.08, 0.16, 0.32, 0.64, 1.28, 2.56, 5.12, 10.24, 20.48, 40.96, 81.92,
];

/// One data point of a histogram: the values recorded under one attribute set.
#[derive(Debug, Clone, PartialEq)]
pub struct Point {
    /// The attributes, rendered as the members of a JSON array.
    pub attributes: String,
    /// Earliest value's time, ms.
    pub start_ms: i64,
    /// Latest value's time, ms.
    pub end_ms: i64,
    /// Values recorded.
    pub count: u64,
    /// Their sum.
    pub sum: f64,
    /// Smallest value.
    pub min: f64,
    /// Largest value.
    pub max: f64,
    /// Values per bucket: `(bounds[i-1], bounds[i]]`, the last one above every bound.
    pub buckets: Vec<u64>,
}

/// A histogram being filled.
#[derive(Debug, Clone, PartialEq)]
pub struct Histogram {
    name: &'static str,
    description: &'static str,
    unit: &'static str,
    bounds: &'static [f64],
    /// Its data points, in order of first value.
    pub points: Vec<Point>,
}

impl Histogram {
    /// An empty histogram.
    pub fn new(
        name: &'static str,
        description: &'static str,
        unit: &'static str,
        bounds: &'static [f64],
    ) -> Self {
        Self {
            name,
            description,
            unit,
            bounds,
            points: Vec::new(),
        }
    }

    /// Records `value` at `at_ms` under `attributes`; non-finite values are skipped.
    pub fn record(&mut self, attributes: String, value: f64, at_ms: i64) {
        if !value.is_finite() {
            return;
        }
        let bucket = self
            .bounds
            .iter()
            .take_while(|bound| value > **bound)
            .count();
        let index = match self.points.iter().position(|p| p.attributes == attributes) {
            Some(index) => index,
            None => {
                self.points.push(Point {
                    attributes,
                    start_ms: at_ms,
                    end_ms: at_ms,
                    count: 0,
                    sum: 0.0,
                    min: value,
                    max: value,
                    buckets: alloc::vec![0; self.bounds.len() + 1],
                });
                self.points.len() - 1
            }
        };
        if let Some(point) = self.points.get_mut(index) {
            point.start_ms = point.start_ms.min(at_ms);
            point.end_ms = point.end_ms.max(at_ms);
            point.count += 1;
            point.sum += value;
            point.min = point.min.min(value);
            point.max = point.max.max(value);
            if let Some(slot) = point.buckets.get_mut(bucket) {
                *slot += 1;
            }
        }
    }

    fn write(&self, out: &mut String) {
        write_header(out, self.name, self.description, self.unit);
        out.push_str(",\"histogram\":{\"aggregationTemporality\":1,\"dataPoints\":[");
        for (i, p) in self.points.iter().enumerate() {
            if i > 0 {
                out.push(',');
            }
            out.push_str("{\"attributes\":[");
            out.push_str(&p.attributes);
            out.push_str("],\"startTimeUnixNano\":");
            write_nanos(out, p.start_ms);
            out.push_str(",\"timeUnixNano\":");
            write_nanos(out, p.end_ms);
            out.push_str(",\"count\":\"");
            write_integer(out, p.count as i64);
            out.push_str("\",\"sum\":");
            write_decimal(out, p.sum);
            out.push_str(",\"min\":");
            write_decimal(out, p.min);
            out.push_str(",\"max\":");
            write_decimal(out, p.max);
            out.push_str(",\"bucketCounts\":[");
            for (j, n) in p.buckets.iter().enumerate() {
                if j > 0 {
                    out.push(',');
                }
                out.push('"');
                write_integer(out, *n as i64);
                out.push('"');
            }
            out.push_str("],\"explicitBounds\":[");
            for (j, bound) in self.bounds.iter().enumerate() {
                if j > 0 {
                    out.push(',');
                }
                write_decimal(out, *bound);
            }
            out.push_str("]}");
        }
        out.push_str("]}}");
    }
}

fn write_header(out: &mut String, name: &str, description: &str, unit: &str) {
    out.push_str("{\"name\":");
    write_string(out, name);
    out.push_str(",\"description\":");
    write_string(out, description);
    out.push_str(",\"unit\":");
    write_string(out, unit);
}

/// Renders string attributes as the members of a JSON array.
fn attributes(pairs: &[(&str, &str)]) -> String {
    let mut out = String::new();
    for (i, (key, value)) in pairs.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        string_attribute(&mut out, key, value);
    }
    out
}

/// The Web Vitals exported, their metric names and units.
const VITALS: [(&str, &str, &str); 5] = [
    ("LCP", "browser.web_vital.lcp", "ms"),
    ("INP", "browser.web_vital.inp", "ms"),
    ("CLS", "browser.web_vital.cls", "1"),
    ("FCP", "browser.web_vital.fcp", "ms"),
    ("TTFB", "browser.web_vital.ttfb", "ms"),
];

/// AI operation fields and the phase each is exported as.
const AI_PHASES: [(&str, &str); 4] = [
    ("totalMs", "total"),
    ("contextGatheringMs", "context_gathering"),
    ("contextCompressionMs", "context_compression"),
    ("apiCallMs", "api_call"),
];

/// All metrics of a batch, filled from its events.
pub(crate) struct Metrics {
    tokens: Histogram,
    duration: Histogram,
    ai: Histogram,
    /// `(vital index, attributes, time, raw value)` per vital event.
    vitals: Vec<(usize, String, i64, String)>,
}

impl Metrics {
    fn new() -> Self {
        Self {
            tokens: Histogram::new(
                "gen_ai.client.token.usage",
                "Number of input and output tokens used.",
                "{token}",
                &TOKEN_BOUNDS,
            ),
            duration: Histogram::new(
                "gen_ai.client.operation.duration",
                "GenAI operation duration.",
                "s",
                &DURATION_BOUNDS,
            ),
            ai: Histogram::new(
                "ai.operation.duration",
                "Duration of the application's AI operations, by phase.",
                "s",
                &DURATION_BOUNDS,
            ),
            vitals: Vec::new(),
        }
    }

    fn add(&mut self, event: &Event) {
        let text = |key: &str| event.data(key).and_then(Value::as_str);
        let number = |key: &str| event.data(key).and_then(Value::as_f64);
        let at = event.timestamp_ms;
        match event.kind.as_str() {
            LLM_CALL_EVENT => {
                let operation = text("operation").unwrap_or("chat");
                let provider = text("gen_ai.provider.name").unwrap_or("_OTHER");
                let model = text("gen_ai.request.model").unwrap_or("unknown");
                let common = [
                    ("gen_ai.operation.name", operation),
                    ("gen_ai.provider.name", provider),
                    ("gen_ai.request.model", model),
                ];
                for (field, kind) in [
                    ("gen_ai.usage.input_tokens", "input"),
                    ("gen_ai.usage.output_tokens", "output"),
                ] {
                    if let Some(tokens) = number(field) {
                        let mut pairs = Vec::from(common);
                        pairs.push(("gen_ai.token.type", kind));
                        self.tokens.record(attributes(&pairs), tokens, at);
                    }
                }
                if let Some(ms) = number("latencyMs") {
                    let mut pairs = Vec::from(common);
                    let failed = event.data("success").and_then(Value::as_bool) == Some(false);
                    if failed {
                        pairs.push(("error.type", text("errorType").unwrap_or("_OTHER")));
                    }
                    self.duration.record(attributes(&pairs), ms / 1000.0, at);
                }
            }
            AI_OPERATION_EVENT => {
                for (field, phase) in AI_PHASES {
                    if let Some(ms) = number(field) {
                        let pairs = [("ai.operation.phase", phase)];
                        self.ai.record(attributes(&pairs), ms / 1000.0, at);
                    }
                }
            }
            WEB_VITAL_EVENT => {
                let index = text("name").and_then(|name| VITALS.iter().position(|v| v.0 == name));
                if let (Some(index), Some(Value::Number(raw))) = (index, event.data("value")) {
                    let mut pairs = Vec::new();
                    if let Some(rating) = text("rating") {
                        pairs.push(("web_vital.rating", rating));
                    }
                    if let Some(navigation) = text("navigationType") {
                        pairs.push(("web_vital.navigation_type", navigation));
                    }
                    self.vitals
                        .push((index, attributes(&pairs), at, String::from(*raw)));
                }
            }
            _ => {}
        }
    }

    fn write(&self, out: &mut String) -> bool {
        let mut list = List::default();
        for histogram in [&self.tokens, &self.duration, &self.ai] {
            if !histogram.points.is_empty() {
                list.item(out);
                histogram.write(out);
            }
        }
        for (index, (_, name, unit)) in VITALS.iter().enumerate() {
            let mut points = self.vitals.iter().filter(|v| v.0 == index).peekable();
            if points.peek().is_none() {
                continue;
            }
            list.item(out);
            write_header(out, name, "Web Vital reported by the page.", unit);
            out.push_str(",\"gauge\":{\"dataPoints\":[");
            for (i, (_, attributes, at, raw)) in points.enumerate() {
                if i > 0 {
                    out.push(',');
                }
                out.push_str("{\"attributes\":[");
                out.push_str(attributes);
                out.push_str("],\"timeUnixNano\":");
                write_nanos(out, *at);
                out.push_str(",\"asDouble\":");
                out.push_str(raw);
                out.push('}');
            }
            out.push_str("]}}");
        }
        list.any()
    }
}

/// The `ExportMetricsServiceRequest` of `events`, or `None` when none of them is a metric.
pub(crate) fn encode(events: &[Event], resource: &Resource) -> Option<String> {
    let mut metrics = Metrics::new();
    for event in events {
        metrics.add(event);
    }
    request("Metrics", "metrics", resource, |out| metrics.write(out))
}
