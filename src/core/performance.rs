//! `PerformanceMetrics`' rules besides the vitals ([`crate::core::vitals::page`]): its options,
//! the AI-operation timings (a window of the last `maxTimings` of each field, summarised
//! exactly), long tasks (count and total blocking time) and the resource figures.

use crate::core::json_object::Object;
use crate::core::json_value::{parse, Value};
use crate::core::pii::{redact, Rules};
use crate::core::stats::{Summary, TimingWindow};
use crate::core::vitals::page::{Navigation, Page};
use alloc::string::String;
use alloc::vec::Vec;

/// AI operation fields summarised by `getAIOperationsSummary()`.
const AI_FIELDS: [&str; 6] = [
    "totalMs",
    "contextGatheringMs",
    "contextCompressionMs",
    "apiCallMs",
    "tokens",
    "contextSizeBytes",
];

/// The part of a long task beyond this counts as blocking time, in ms.
const BLOCKING_AFTER_MS: f64 = 50.0;

/// The message of the RangeError a bad `maxTimings` throws.
pub const MAX_TIMINGS_ERROR: &str = "maxTimings must be an integer between 1 and 100000";

/// `PerformanceMetrics` options, as read from their JSON.
#[derive(Debug, Clone, PartialEq)]
pub struct Options {
    /// `trackCoreWebVitals` (true).
    pub track_vitals: bool,
    /// `trackResources` (true): long tasks.
    pub track_resources: bool,
    /// `maxTimings` (1000).
    pub max_timings: usize,
    /// `reportAllChanges` (false).
    pub report_all_changes: bool,
    /// `durationThreshold` (40 ms, clamped to 16–1000).
    pub duration_threshold: f64,
}

/// A number option: a JSON number, or the name of a number JSON cannot hold (`NaN`,
/// `Infinity`, `-Infinity`), as the JS side writes those.
fn number(value: Option<&Value>) -> Option<f64> {
    match value? {
        Value::String(name) => match name.as_ref() {
            "Infinity" => Some(f64::INFINITY),
            "-Infinity" => Some(f64::NEG_INFINITY),
            _ => Some(f64::NAN),
        },
        value => value.as_f64(),
    }
}

impl Options {
    /// Reads the options' JSON (booleans and numbers; anything else, or text that is not an
    /// object, means the defaults). A bad `maxTimings` is [`MAX_TIMINGS_ERROR`].
    pub fn from_json(text: &str) -> Result<Self, &'static str> {
        let options = parse(text).unwrap_or(Value::Null);
        let flag =
            |key: &str, default: bool| options.get(key).and_then(Value::as_bool).unwrap_or(default);
        let max_timings = match number(options.get("maxTimings")) {
            None => 1000,
            Some(n) if (1.0..=100_000.0).contains(&n) && n == f64::from(n as u32) => n as usize,
            Some(_) => return Err(MAX_TIMINGS_ERROR),
        };
        Ok(Options {
            track_vitals: flag("trackCoreWebVitals", true),
            track_resources: flag("trackResources", true),
            max_timings,
            report_all_changes: flag("reportAllChanges", false),
            duration_threshold: number(options.get("durationThreshold"))
                .unwrap_or(40.0)
                .clamp(16.0, 1000.0),
        })
    }
}

/// One `PerformanceMetrics`' state.
pub struct Performance {
    /// The options in force.
    pub options: Options,
    /// The vitals.
    pub page: Page,
    long_tasks: u32,
    blocking_ms: f64,
    ai: Vec<TimingWindow>,
}

/// Adds the members `count, avg, min, max, p50, p95, p99` of `s`.
fn summary_members(object: &mut Object, s: &Summary) {
    object.count("count", s.count as u64);
    for (name, value) in [
        ("avg", s.avg),
        ("min", s.min),
        ("max", s.max),
        ("p50", s.p50),
        ("p95", s.p95),
        ("p99", s.p99),
    ] {
        object.number(name, value);
    }
}

impl Performance {
    /// Starts with `options` on a page loaded as `navigation`; `now_ms` (epoch) makes the ids.
    pub fn new(options: Options, navigation: &Navigation, now_ms: f64) -> Self {
        Performance {
            page: Page::new(navigation, options.report_all_changes, now_ms),
            ai: {
                let mut windows = Vec::with_capacity(AI_FIELDS.len());
                for _ in AI_FIELDS {
                    windows.push(TimingWindow::new(options.max_timings));
                }
                windows
            },
            options,
            long_tasks: 0,
            blocking_ms: 0.0,
        }
    }

    /// Records the fields of one AI operation (its JSON; fields that are not numbers are left
    /// out of the summaries).
    pub fn track_ai(&mut self, operation_json: &str) {
        let Some(operation) = parse(operation_json) else {
            return;
        };
        for (window, field) in self.ai.iter_mut().zip(AI_FIELDS) {
            if let Some(value) = operation.get(field).and_then(Value::as_f64) {
                window.push(value);
            }
        }
    }

    /// `getAIOperationsSummary()`: the `totalMs` summary (`{ count: 0 }` while empty) and each
    /// field's under `fields`, as JSON.
    pub fn ai_summary_json(&self) -> String {
        let mut out = Object::default();
        let mut fields = Object::default();
        let mut field_summary = Object::default();
        for (window, field) in self.ai.iter().zip(AI_FIELDS) {
            let summary = window.summary();
            if field == "totalMs" {
                match &summary {
                    Some(s) => summary_members(&mut out, s),
                    None => {
                        out.count("count", 0);
                    }
                }
            }
            let json = summary.as_ref().map(|s| {
                summary_members(&mut field_summary, s);
                field_summary.finish()
            });
            fields.raw(field, json.as_deref());
        }
        out.raw("fields", Some(&fields.finish())).finish()
    }

    /// One long task of `duration` ms.
    pub fn long_task(&mut self, duration: f64) {
        self.long_tasks += 1;
        self.blocking_ms += (duration - BLOCKING_AFTER_MS).max(0.0);
    }

    /// `getResourceMetrics()` as JSON: the resource entries (their `transferSize`s,
    /// `duration`s, and the `name` of the entry at an index), the long tasks, the wasm memory
    /// and the JS heap (when the browser tells it).
    pub fn resources_json<'a>(
        &self,
        sizes: &[f64],
        durations: &[f64],
        name_of: impl Fn(usize) -> Option<&'a str>,
        wasm_bytes: f64,
        js_heap_bytes: Option<f64>,
    ) -> String {
        let mut slowest: Option<(f64, usize)> = None;
        for (index, duration) in durations.iter().enumerate() {
            if slowest.is_none_or(|(d, _)| *duration > d) {
                slowest = Some((*duration, index));
            }
        }
        let mut resources = Object::default();
        resources
            .count("count", durations.len() as u64)
            .number("transferBytes", sizes.iter().sum());
        if let Some((duration, index)) = slowest {
            let name = name_of(index).unwrap_or_default();
            let url = redact(name, &Rules::default());
            let slowest = Object::default()
                .text("url", url.as_deref().unwrap_or(name))
                .number("duration", duration)
                .finish();
            resources.raw("slowest", Some(&slowest));
        }
        let long_tasks = Object::default()
            .count("count", u64::from(self.long_tasks))
            .number("totalBlockingTime", self.blocking_ms)
            .finish();
        let mut memory = Object::default();
        memory.number("wasmBytes", wasm_bytes);
        if let Some(heap) = js_heap_bytes {
            memory.number("jsHeapBytes", heap);
        }
        Object::default()
            .raw("resources", Some(&resources.finish()))
            .raw("longTasks", Some(&long_tasks))
            .raw("memory", Some(&memory.finish()))
            .finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn performance(options: &str) -> Performance {
        Performance::new(
            Options::from_json(options).unwrap(),
            &Navigation::default(),
            0.0,
        )
    }

    #[test]
    fn options_default_clamp_and_refuse_a_bad_max_timings() {
        let defaults = Options::from_json("{}").unwrap();
        assert_eq!(Options::from_json("not json"), Ok(defaults.clone()));
        assert_eq!(
            (
                defaults.track_vitals,
                defaults.track_resources,
                defaults.max_timings,
                defaults.report_all_changes,
                defaults.duration_threshold
            ),
            (true, true, 1000, false, 40.0)
        );
        let set = Options::from_json(
            r#"{"trackCoreWebVitals":false,"reportAllChanges":true,"maxTimings":5,"durationThreshold":2}"#,
        )
        .unwrap();
        assert_eq!(
            (
                set.track_vitals,
                set.report_all_changes,
                set.max_timings,
                set.duration_threshold
            ),
            (false, true, 5, 16.0)
        );
        assert_eq!(
            Options::from_json(r#"{"durationThreshold":"Infinity"}"#)
                .unwrap()
                .duration_threshold,
            1000.0
        );
        for bad in ["0", "1.5", "100001", "-3", "\"NaN\"", "\"Infinity\""] {
            let text = ["{\"maxTimings\":", bad, "}"].concat();
            assert_eq!(Options::from_json(&text), Err(MAX_TIMINGS_ERROR), "{bad}");
        }
    }

    #[test]
    fn ai_summaries_keep_the_last_max_timings_values() {
        let mut p = performance(r#"{"maxTimings":100}"#);
        assert_eq!(
            p.ai_summary_json(),
            "{\"count\":0,\"fields\":{\"totalMs\":null,\"contextGatheringMs\":null,\
             \"contextCompressionMs\":null,\"apiCallMs\":null,\"tokens\":null,\"contextSizeBytes\":null}}"
        );
        for i in 1..=150 {
            let op = Object::default()
                .whole("totalMs", i)
                .text("tokens", "many")
                .finish();
            p.track_ai(&op);
        }
        let summary = p.ai_summary_json();
        let summary = parse(&summary).unwrap();
        let n = |key: &str| summary.get(key).and_then(Value::as_f64);
        assert_eq!(
            [n("count"), n("min"), n("max"), n("p50"), n("p95"), n("p99")],
            [
                Some(100.0),
                Some(51.0),
                Some(150.0),
                Some(100.0),
                Some(145.0),
                Some(149.0)
            ]
        );
        assert_eq!(
            summary.get("fields").and_then(|f| f.get("tokens")),
            Some(&Value::Null)
        );
    }

    #[test]
    fn resources_long_tasks_and_memory() {
        let mut p = performance("{}");
        p.long_task(180.0);
        p.long_task(40.0);
        let names = [
            String::from("https://a.test/x.js?token=1"),
            String::from("b"),
        ];
        let json = p.resources_json(
            &[100.0, 20.0],
            &[30.0, 12.0],
            |i| names.get(i).map(String::as_str),
            65536.0,
            None,
        );
        let value = parse(&json).unwrap();
        let at = |path: &[&str]| path.iter().try_fold(&value, |v, k| v.get(k)).cloned();
        assert_eq!(at(&["resources", "count"]), Some(Value::Number("2")));
        assert_eq!(
            at(&["resources", "transferBytes"]),
            Some(Value::Number("120"))
        );
        assert_eq!(
            at(&["resources", "slowest", "duration"]),
            Some(Value::Number("30"))
        );
        let url = at(&["resources", "slowest", "url"]).unwrap();
        assert!(!url.as_str().unwrap().contains("token=1"), "{url:?}");
        assert_eq!(at(&["longTasks", "count"]), Some(Value::Number("2")));
        assert_eq!(
            at(&["longTasks", "totalBlockingTime"]),
            Some(Value::Number("130"))
        );
        assert_eq!(at(&["memory", "jsHeapBytes"]), None);
        let empty = p.resources_json(&[], &[], |_| None, 0.0, Some(5.0));
        assert!(empty.starts_with("{\"resources\":{\"count\":0,\"transferBytes\":0},"));
        assert!(empty.ends_with("\"jsHeapBytes\":5}}"));
    }
}
