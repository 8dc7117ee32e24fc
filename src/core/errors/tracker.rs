//! One ErrorTracking's state: its options, the breadcrumb trail, the groups and the counts. It
//! turns what the JS class read (an error's name, message and stack; a click, a request, a
//! navigation) into breadcrumbs and finished event data.

use crate::core::config::is_own_request;
use crate::core::errors::breadcrumbs::{Breadcrumb, Trail};
use crate::core::errors::fingerprint::{fingerprint, normalize_message};
use crate::core::errors::groups::{Groups, Occurrence};
use crate::core::errors::options::Options;
use crate::core::errors::stack::{frames_json, parse_stack};
use crate::core::event::{truncate, MAX_MESSAGE_BYTES, MAX_STACK_BYTES, MAX_TYPE_BYTES};
use crate::core::json::write_integer;
use crate::core::json_object::{objects, Object};
use crate::core::json_value;
use crate::core::text::concat;
use crate::core::trace::request::method_name;
use alloc::string::String;

/// Severities, lowest first (`ErrorSeverity` in JavaScript).
pub const SEVERITIES: [&str; 5] = ["debug", "info", "warning", "error", "critical"];
/// The severity of an error captured without a valid one.
pub const DEFAULT_SEVERITY: &str = "error";
/// Longest breadcrumb message kept, in bytes.
pub const MAX_BREADCRUMB_MESSAGE_BYTES: usize = 512;

/// One error as the JS class read it.
#[derive(Debug, Clone, Copy, Default)]
pub struct Captured<'a> {
    /// `error.name`, `Error` for a value that is not an `Error`.
    pub name: &'a str,
    /// `error.message`, or the thrown value as text.
    pub message: &'a str,
    /// `error.stack`, if it is a string.
    pub stack: Option<&'a str>,
    /// The `context` option, serialised, if it was a plain object.
    pub context_json: Option<&'a str>,
    /// The `severity` option, if it was a string.
    pub severity: Option<&'a str>,
    /// The `user` option, serialised, if it was a plain object.
    pub user_json: Option<&'a str>,
    /// How it was caught: `captureError`, `onerror` or `onunhandledrejection`.
    pub mechanism: &'a str,
}

#[derive(Debug, Default)]
struct Stats {
    total: u64,
    by_severity: [u64; 5],
    recoveries: u64,
    recovered: u64,
    next_id: u64,
}

/// The rules of one ErrorTracking.
#[derive(Debug)]
pub struct Tracker {
    options: Options,
    /// The collector's endpoint: requests to it are the SDK's own, not breadcrumbs.
    endpoint: Option<String>,
    trail: Trail,
    groups: Groups,
    stats: Stats,
    /// Path and hash of the last navigation breadcrumb (one navigation can fire both
    /// `popstate` and `hashchange`).
    last_location: String,
    /// The data of the last captured error, when it is to be sent.
    pending: Option<String>,
}

/// Adds member `key` when `json` is a JSON object.
fn object_member(data: &mut Object, key: &str, json: Option<&str>) {
    if let Some(json) = json.filter(|j| j.starts_with('{')) {
        data.raw(key, Some(json));
    }
}

impl Tracker {
    /// A tracker for the options in `options_json` (see [`Options::from_json`]), reporting
    /// through a collector whose endpoint is `endpoint`; the error is a RangeError's message.
    pub fn new(options_json: &str, endpoint: Option<String>) -> Result<Tracker, &'static str> {
        let options = Options::from_json(options_json)?;
        Ok(Tracker {
            trail: Trail::new(options.max_breadcrumbs),
            options,
            endpoint,
            groups: Groups::default(),
            stats: Stats::default(),
            last_location: String::new(),
            pending: None,
        })
    }

    /// The options in force.
    pub fn options(&self) -> &Options {
        &self.options
    }

    /// Captures one error at `now_ms`: counts it, groups it and returns its id (also when a
    /// repeat is only counted), or `None` when disabled. When it is to be sent, its event data
    /// waits in [`Tracker::take_event`].
    pub fn capture(&mut self, error: &Captured, now_ms: f64) -> Option<String> {
        self.pending = None;
        if !self.options.enabled {
            return None;
        }
        let position = |name: &str| SEVERITIES.iter().position(|known| *known == name);
        let severity = error
            .severity
            .and_then(position)
            .or_else(|| position(DEFAULT_SEVERITY))
            .unwrap_or_default();
        let frames = error.stack.map(parse_stack).unwrap_or_default();
        let fingerprint = fingerprint(error.name, error.message, &frames);
        let occurrence = self.groups.record(
            &fingerprint,
            error.name,
            &normalize_message(error.message),
            now_ms,
            self.options.deduplicate,
        );
        let stats = &mut self.stats;
        stats.total += 1;
        if let Some(slot) = stats.by_severity.get_mut(severity) {
            *slot += 1;
        }
        stats.next_id += 1;
        let mut id = String::from("err-");
        write_integer(&mut id, now_ms as i64);
        id.push('-');
        write_integer(&mut id, stats.next_id as i64);
        let Occurrence::Send { repeats } = occurrence else {
            return Some(id);
        };
        let mut data = Object::default();
        data.text("errorId", &id)
            .text("name", truncate(error.name, MAX_TYPE_BYTES))
            .text("message", truncate(error.message, MAX_MESSAGE_BYTES));
        if let Some(stack) = error.stack {
            data.text("stack", truncate(stack, MAX_STACK_BYTES));
        }
        data.raw("frames", Some(&frames_json(&frames)))
            .text("fingerprint", &fingerprint)
            .text(
                "severity",
                SEVERITIES.get(severity).copied().unwrap_or_default(),
            )
            .text("mechanism", error.mechanism)
            .count("repeats", repeats);
        object_member(&mut data, "context", error.context_json);
        object_member(&mut data, "user", error.user_json);
        data.raw("breadcrumbs", Some(&self.trail.to_json()));
        let data = data.finish();
        self.pending = Some(data);
        Some(id)
    }

    /// The `error` event data of the last capture, if it is to be sent (once).
    pub fn take_event(&mut self) -> Option<String> {
        self.pending.take()
    }

    /// Adds a breadcrumb; absent fields are `custom`, `''` and `info`, `data_json` (a JSON
    /// object) `{}`. The message is cut to [`MAX_BREADCRUMB_MESSAGE_BYTES`].
    pub fn breadcrumb(
        &mut self,
        category: Option<&str>,
        message: Option<&str>,
        level: Option<&str>,
        data_json: Option<String>,
        now_ms: f64,
    ) {
        self.trail.push(Breadcrumb {
            timestamp_ms: now_ms as i64,
            category: category.unwrap_or("custom").into(),
            message: truncate(message.unwrap_or_default(), MAX_BREADCRUMB_MESSAGE_BYTES).into(),
            level: level.unwrap_or("info").into(),
            data_json: data_json.unwrap_or_else(|| String::from("{}")),
        });
    }

    /// An `http` breadcrumb for a finished request to `url` (as the page passed it; `absolute`
    /// resolved against the page's address), unless it went to the collector's own endpoint.
    /// The method is upper-cased (`GET` when absent); no status (a network error) or one of 400
    /// or more is an `error`.
    pub fn http(
        &mut self,
        method: Option<&str>,
        url: &str,
        absolute: &str,
        status: Option<f64>,
        duration_ms: f64,
        now_ms: f64,
    ) {
        if is_own_request(self.endpoint.as_deref(), url, absolute) {
            return;
        }
        let method = method_name(method);
        let data = Object::default()
            .text("method", &method)
            .text("url", absolute)
            .maybe("status", status)
            .number("durationMs", duration_ms)
            .finish();
        let failed = status.is_none_or(|s| s >= 400.0);
        let message = concat(&[method.as_str(), " ", absolute]);
        let level = if failed { "error" } else { "info" };
        self.breadcrumb(
            Some("http"),
            Some(&message),
            Some(level),
            Some(data),
            now_ms,
        );
    }

    /// A `navigation` breadcrumb to `path`, once per distinct path and hash (one navigation
    /// can fire several events); `via` names the event or history method.
    pub fn navigated(&mut self, via: &str, path: &str, hash: &str, now_ms: f64) {
        let location = concat(&[path, hash]);
        if location == self.last_location {
            return;
        }
        self.last_location = location;
        let data = Object::default().text("via", via).finish();
        self.breadcrumb(
            Some("navigation"),
            Some(path),
            Some("info"),
            Some(data),
            now_ms,
        );
    }

    /// Records a recovery attempt from error `error_id`; returns the `error.recovery` event
    /// data. `strategy_json` and `attempts_json` are JSON values (left out when absent or not
    /// JSON).
    pub fn recovery(
        &mut self,
        error_id: &str,
        success: bool,
        strategy_json: Option<&str>,
        attempts_json: Option<&str>,
    ) -> String {
        self.stats.recoveries += 1;
        self.stats.recovered += u64::from(success);
        let mut data = Object::default();
        data.text("errorId", error_id).flag("success", success);
        for (key, json) in [("strategy", strategy_json), ("attempts", attempts_json)] {
            if let Some(json) = json.filter(|j| json_value::parse(j).is_some()) {
                data.raw(key, Some(json));
            }
        }
        data.finish()
    }

    /// `getErrorGroups()`: the groups, most frequent first.
    pub fn groups_json(&self) -> String {
        objects(self.groups.by_count(), |object, group| {
            object
                .text("fingerprint", &group.fingerprint)
                .text("type", &group.kind)
                .text("message", &group.message)
                .count("count", group.count)
                .number("firstSeen", group.first_seen_ms)
                .number("lastSeen", group.last_seen_ms);
        })
    }

    /// `getStats()`: `{ totalErrors, uniqueGroups, recoveryRate, bySeverity }`; the rate is
    /// `null` before any recovery.
    pub fn stats_json(&self) -> String {
        let stats = &self.stats;
        let mut by_severity = Object::default();
        for (name, count) in SEVERITIES.iter().zip(stats.by_severity) {
            by_severity.count(name, count);
        }
        let rate = (stats.recoveries > 0).then(|| stats.recovered as f64 / stats.recoveries as f64);
        Object::default()
            .count("totalErrors", stats.total)
            .count("uniqueGroups", self.groups.len() as u64)
            .maybe("recoveryRate", rate)
            .raw("bySeverity", Some(&by_severity.finish()))
            .finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::json_value::{parse, Value};

    const NOW: f64 = 1_700_000_000_000.0;

    fn tracker(options: &str) -> Tracker {
        Tracker::new(options, Some("https://collector.example/v1/events".into())).unwrap()
    }

    fn error<'a>(message: &'a str) -> Captured<'a> {
        Captured {
            name: "TypeError",
            message,
            stack: Some("TypeError: x\n    at checkout (https://app.example/app.js:10:5)"),
            mechanism: "captureError",
            ..Captured::default()
        }
    }

    fn text<'a>(value: &'a Value, key: &str) -> &'a str {
        value.get(key).and_then(Value::as_str).unwrap_or_default()
    }

    #[test]
    fn a_captured_error_is_finished_event_data_with_frames_and_breadcrumbs() {
        let mut t = tracker("{}");
        t.breadcrumb(Some("auth"), Some("signed in"), None, None, NOW - 5.0);
        let captured = Captured {
            severity: Some("warning"),
            context_json: Some("{\"op\":\"save\"}"),
            user_json: Some("[1]"),
            ..error("Order 1 failed")
        };
        let id = t.capture(&captured, NOW).unwrap();
        assert_eq!(id, "err-1700000000000-1");
        let event = t.take_event().unwrap();
        let data = parse(&event).unwrap();
        assert_eq!(t.take_event(), None, "taken once");
        assert_eq!(text(&data, "errorId"), id);
        assert_eq!(text(&data, "severity"), "warning");
        assert_eq!(text(&data, "mechanism"), "captureError");
        assert_eq!(data.get("repeats").and_then(Value::as_f64), Some(0.0));
        assert!(data.get("context").and_then(|c| c.get("op")).is_some());
        assert!(data.get("user").is_none(), "not an object");
        let Some(Value::Array(frames)) = data.get("frames") else {
            panic!("frames")
        };
        assert_eq!(text(&frames[0], "function"), "checkout");
        let Some(Value::Array(crumbs)) = data.get("breadcrumbs") else {
            panic!("breadcrumbs")
        };
        assert_eq!(
            (text(&crumbs[0], "category"), text(&crumbs[0], "level")),
            ("auth", "info")
        );
    }

    #[test]
    fn repeats_are_counted_and_disabled_tracking_captures_nothing() {
        let mut t = tracker("{}");
        for n in 0..10 {
            let message = std::format!("Order {n} failed");
            assert!(t.capture(&error(&message), NOW + f64::from(n)).is_some());
            assert_eq!(t.take_event().is_some(), n == 0);
        }
        t.capture(
            &Captured {
                severity: Some("fatal"),
                ..error("other")
            },
            NOW,
        );
        let stats = t.stats_json();
        let stats = parse(&stats).unwrap();
        assert_eq!(stats.get("totalErrors").and_then(Value::as_f64), Some(11.0));
        assert_eq!(stats.get("uniqueGroups").and_then(Value::as_f64), Some(2.0));
        assert_eq!(stats.get("recoveryRate"), Some(&Value::Null));
        let by = stats.get("bySeverity").unwrap();
        assert_eq!(by.get("error").and_then(Value::as_f64), Some(11.0));
        let groups = t.groups_json();
        let groups = parse(&groups).unwrap();
        let Value::Array(groups) = groups else {
            panic!("groups")
        };
        assert_eq!(text(&groups[0], "message"), "Order <n> failed");
        assert_eq!(groups[0].get("count").and_then(Value::as_f64), Some(10.0));
        assert_eq!(
            groups[0].get("firstSeen").and_then(Value::as_f64),
            Some(NOW)
        );

        let mut off = tracker("{\"enabled\":false}");
        assert_eq!(off.capture(&error("x"), NOW), None);
        assert_eq!(off.take_event(), None);
    }

    #[test]
    fn http_navigation_and_custom_breadcrumbs() {
        let mut t = tracker("{\"maxBreadcrumbs\":3}");
        t.http(
            Some("post"),
            "https://collector.example/v1/events",
            "https://collector.example/v1/events",
            Some(200.0),
            3.0,
            NOW,
        );
        t.http(None, "/a?q=1", "https://app.example/a?q=1", None, 2.5, NOW);
        t.navigated("popstate", "/b", "#x", NOW);
        t.navigated("hashchange", "/b", "#x", NOW);
        t.http(
            Some("get"),
            "/c",
            "https://app.example/c",
            Some(200.0),
            1.0,
            NOW,
        );
        let trail = t.trail.to_json();
        let Some(Value::Array(crumbs)) = parse(&trail) else {
            panic!("trail")
        };
        assert_eq!(
            crumbs.len(),
            3,
            "the SDK's own request and the repeat are left out"
        );
        assert_eq!(text(&crumbs[0], "message"), "GET https://app.example/a?q=1");
        assert_eq!(text(&crumbs[0], "level"), "error");
        let data = crumbs[0].get("data").unwrap();
        assert_eq!(data.get("status"), Some(&Value::Null));
        assert_eq!(data.get("durationMs").and_then(Value::as_f64), Some(2.5));
        assert_eq!(text(&crumbs[1], "message"), "/b");
        assert_eq!(text(crumbs[1].get("data").unwrap(), "via"), "popstate");
        assert_eq!(text(&crumbs[2], "level"), "info");

        t.breadcrumb(
            None,
            Some(&"é".repeat(400)),
            None,
            Some("{\"a\":1}".into()),
            NOW,
        );
        let trail = t.trail.to_json();
        let Some(Value::Array(crumbs)) = parse(&trail) else {
            panic!("trail")
        };
        assert_eq!(text(&crumbs[2], "category"), "custom");
        assert_eq!(text(&crumbs[2], "message").len(), 512);
    }

    #[test]
    fn recoveries_make_the_rate_and_keep_only_json_details() {
        let mut t = tracker("{}");
        let data = t.recovery("err-1", true, Some("\"retry\""), Some("2"));
        assert_eq!(
            data,
            r#"{"errorId":"err-1","success":true,"strategy":"retry","attempts":2}"#
        );
        let data = t.recovery("err-2", false, Some("{oops"), None);
        assert_eq!(data, r#"{"errorId":"err-2","success":false}"#);
        t.recovery("err-3", false, None, None);
        let stats = t.stats_json();
        let stats = parse(&stats).unwrap();
        let rate = stats.get("recoveryRate").and_then(Value::as_f64).unwrap();
        assert!((rate - 1.0 / 3.0).abs() < 1e-9);
    }
}
