//! `ErrorTracking`: global error capture, breadcrumbs, grouping with deduplication, recovery
//! tracking; errors are reported through the collector as `error` events.

use crate::api::input::{read_error, read_id};
use crate::api::sink::Sink;
use crate::core::errors::breadcrumbs::{Breadcrumb, Trail};
use crate::core::errors::fingerprint::{fingerprint, normalize_message};
use crate::core::errors::groups::{Groups, Occurrence};
use crate::core::errors::stack::{parse_stack, Frame};
use crate::core::event::{truncate, EventError, EventInput, MAX_MESSAGE_BYTES, MAX_STACK_BYTES};
use crate::core::json::{write_integer, write_string};
use crate::platform::listener::Listener;
use crate::platform::{
    absolute_url, css_selector, get, is_plain_object, now_ms, option, set, stringify,
};
use alloc::rc::{Rc, Weak};
use alloc::string::String;
use alloc::vec::Vec;
use core::cell::{Cell, RefCell};
use js_sys::{Array, Object};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

#[wasm_bindgen(module = "/js/instrument.js")]
extern "C" {
    /// Wraps `target[name]`; returns a function restoring the original.
    #[wasm_bindgen(js_name = wrapMethod)]
    fn wrap_method(target: &JsValue, name: &str, observer: &js_sys::Function) -> js_sys::Function;
}

/// Severities, lowest first (`ErrorSeverity` in JavaScript).
const SEVERITIES: [&str; 5] = ["debug", "info", "warning", "error", "critical"];

#[derive(Default)]
struct Stats {
    total: u64,
    by_severity: [u64; 5],
    recoveries: u64,
    recovered: u64,
    next_id: u64,
}

struct Inner {
    collector: Sink,
    endpoint: Option<String>,
    enabled: bool,
    deduplicate: bool,
    trail: RefCell<Trail>,
    groups: RefCell<Groups>,
    stats: RefCell<Stats>,
    capturing: Cell<bool>,
    /// Path and hash of the last navigation breadcrumb (one navigation can fire both
    /// `popstate` and `hashchange`).
    last_location: RefCell<String>,
    listeners: Cell<Vec<Listener>>,
    /// Functions restoring the methods wrapped for breadcrumbs, and the observers they hold.
    wrapped: RefCell<Vec<(js_sys::Function, JsValue)>>,
}

fn write_frames(out: &mut String, frames: &[Frame]) {
    out.push('[');
    for (index, frame) in frames.iter().enumerate() {
        if index > 0 {
            out.push(',');
        }
        out.push_str("{\"function\":");
        write_string(out, &frame.function);
        out.push_str(",\"file\":");
        write_string(out, &frame.file);
        for (key, value) in [(",\"line\":", frame.line), (",\"column\":", frame.column)] {
            if let Some(value) = value {
                out.push_str(key);
                write_integer(out, i64::from(value));
            }
        }
        out.push_str(",\"inApp\":");
        out.push_str(if frame.in_app { "true" } else { "false" });
        out.push('}');
    }
    out.push(']');
}

impl Inner {
    /// A navigation breadcrumb, once per distinct location (one navigation can fire several
    /// events).
    fn navigated(&self, via: &str) {
        let location = get(&js_sys::global(), "location");
        let path = get(&location, "pathname").as_string().unwrap_or_default();
        let key = [
            path.as_str(),
            &get(&location, "hash").as_string().unwrap_or_default(),
        ]
        .concat();
        let repeated = self
            .last_location
            .try_borrow()
            .is_ok_and(|last| *last == key);
        if repeated {
            return;
        }
        if let Ok(mut last) = self.last_location.try_borrow_mut() {
            *last = key;
        }
        let mut data = String::from("{\"via\":");
        write_string(&mut data, via);
        data.push('}');
        self.breadcrumb("navigation", &path, "info", Some(data));
    }

    /// Wraps `target[name]`, calling `observe(args, result, this)` after each call.
    fn wrap(
        &self,
        target: &JsValue,
        name: &str,
        observe: impl FnMut(Array, JsValue, JsValue) + 'static,
    ) {
        let observer = Closure::<dyn FnMut(Array, JsValue, JsValue)>::new(observe).into_js_value();
        let restore = wrap_method(target, name, observer.unchecked_ref());
        if let Ok(mut wrapped) = self.wrapped.try_borrow_mut() {
            wrapped.push((restore, observer));
        }
    }

    /// Whether a request goes to the collector's own endpoint (not a breadcrumb).
    fn is_own_request(&self, url: &str) -> bool {
        self.endpoint
            .as_deref()
            .is_some_and(|endpoint| url.starts_with(endpoint))
    }

    /// An `http` breadcrumb: method, URL (redacted later like every string), status, duration.
    fn http(&self, method: &str, url: &str, status: Option<f64>, started: f64) {
        let url = absolute_url(url);
        let url = url.as_str();
        let data = Object::new();
        set(&data, "method", method);
        set(&data, "url", url);
        set(&data, "status", status.map_or(JsValue::NULL, JsValue::from));
        set(&data, "durationMs", now_ms() - started);
        let failed = status.is_none_or(|s| s >= 400.0);
        let mut message = String::from(method);
        message.push(' ');
        message.push_str(url);
        self.breadcrumb(
            "http",
            &message,
            if failed { "error" } else { "info" },
            stringify(&data.into()),
        );
    }

    fn breadcrumb(&self, category: &str, message: &str, level: &str, data: Option<String>) {
        let crumb = Breadcrumb {
            timestamp_ms: now_ms() as i64,
            category: category.into(),
            message: String::from(truncate(message, 512)),
            level: level.into(),
            data_json: data.unwrap_or_else(|| String::from("{}")),
        };
        if let Ok(mut trail) = self.trail.try_borrow_mut() {
            trail.push(crumb);
        }
    }

    /// Captures one error; returns its id. Re-entrant captures (the SDK's own failure while
    /// reporting) are dropped rather than recursing.
    fn capture(&self, error: &JsValue, options: &JsValue, mechanism: &str) -> Option<String> {
        if !self.enabled || self.capturing.replace(true) {
            return None;
        }
        let id = self.capture_inner(error, options, mechanism);
        self.capturing.set(false);
        id
    }

    fn capture_inner(&self, error: &JsValue, options: &JsValue, mechanism: &str) -> Option<String> {
        let context = option(options, "context");
        let input = read_error(error, &context);
        let severity = option(options, "severity")
            .as_string()
            .filter(|s| SEVERITIES.contains(&s.as_str()))
            .unwrap_or_else(|| String::from("error"));
        let frames = input.stack.as_deref().map(parse_stack).unwrap_or_default();
        let fingerprint = fingerprint(&input.name, &input.message, &frames);
        let now = now_ms();
        let occurrence = self.groups.try_borrow_mut().ok()?.record(
            &fingerprint,
            &input.name,
            &normalize_message(&input.message),
            now,
            self.deduplicate,
        );
        let id = {
            let mut stats = self.stats.try_borrow_mut().ok()?;
            stats.total += 1;
            if let Some(slot) = SEVERITIES
                .iter()
                .position(|s| *s == severity)
                .and_then(|i| stats.by_severity.get_mut(i))
            {
                *slot += 1;
            }
            stats.next_id += 1;
            let mut id = String::from("err-");
            write_integer(&mut id, now as i64);
            id.push('-');
            write_integer(&mut id, stats.next_id as i64);
            id
        };
        let Occurrence::Send { repeats } = occurrence else {
            return Some(id);
        };
        let mut data = String::from("{\"errorId\":");
        write_string(&mut data, &id);
        data.push_str(",\"name\":");
        write_string(&mut data, truncate(&input.name, 256));
        data.push_str(",\"message\":");
        write_string(&mut data, truncate(&input.message, MAX_MESSAGE_BYTES));
        if let Some(stack) = &input.stack {
            data.push_str(",\"stack\":");
            write_string(&mut data, truncate(stack, MAX_STACK_BYTES));
        }
        data.push_str(",\"frames\":");
        write_frames(&mut data, &frames);
        data.push_str(",\"fingerprint\":");
        write_string(&mut data, &fingerprint);
        data.push_str(",\"severity\":");
        write_string(&mut data, &severity);
        data.push_str(",\"mechanism\":");
        write_string(&mut data, mechanism);
        data.push_str(",\"repeats\":");
        write_integer(&mut data, repeats as i64);
        for (key, value) in [
            ("context", input.context_json),
            ("user", stringify(&option(options, "user"))),
        ] {
            if let Some(json) = value.filter(|j| j.starts_with('{')) {
                data.push_str(",\"");
                data.push_str(key);
                data.push_str("\":");
                data.push_str(&json);
            }
        }
        data.push_str(",\"breadcrumbs\":");
        data.push_str(
            &self
                .trail
                .try_borrow()
                .map(|t| t.to_json())
                .unwrap_or_else(|_| String::from("[]")),
        );
        data.push('}');
        self.collector.accept(Ok(EventInput {
            kind: "error".into(),
            timestamp_ms: None,
            data_json: Some(data),
        }));
        Some(id)
    }
}

/// Error capture with breadcrumbs and grouping, reporting through a `TelemetryCollector`.
#[wasm_bindgen]
pub struct ErrorTracking {
    inner: Rc<Inner>,
}

#[wasm_bindgen]
impl ErrorTracking {
    /// Options: `enabled` (true), `captureUnhandled` (true), `captureUnhandledRejections`
    /// (true), `maxBreadcrumbs` (50), `deduplicate` (true), `breadcrumbs: { clicks, navigation }`
    /// (both true).
    #[wasm_bindgen(constructor)]
    pub fn new(
        #[wasm_bindgen(unchecked_param_type = "CollectorLink")] collector: JsValue,
        #[wasm_bindgen(unchecked_optional_param_type = "ErrorTrackingOptions")] options: JsValue,
    ) -> Result<ErrorTracking, JsValue> {
        let flag = |key: &str| option(&options, key).as_bool() != Some(false);
        let max_breadcrumbs = match option(&options, "maxBreadcrumbs").as_f64() {
            None => 50,
            Some(n) if (0.0..=1000.0).contains(&n) && n == f64::from(n as u32) => n as usize,
            Some(_) => {
                return Err(js_sys::RangeError::new(
                    "maxBreadcrumbs must be an integer between 0 and 1000",
                )
                .into())
            }
        };
        let shared = Sink::new(collector);
        let endpoint = shared.endpoint();
        let inner = Rc::new(Inner {
            endpoint,
            collector: shared,
            enabled: flag("enabled"),
            deduplicate: flag("deduplicate"),
            trail: RefCell::new(Trail::new(max_breadcrumbs)),
            groups: RefCell::new(Groups::default()),
            stats: RefCell::new(Stats::default()),
            capturing: Cell::new(false),
            last_location: RefCell::new(String::new()),
            listeners: Cell::new(Vec::new()),
            wrapped: RefCell::new(Vec::new()),
        });
        let auto = option(&options, "breadcrumbs");
        let auto_flag = |key: &str| get(&auto, key).as_bool() != Some(false);
        let mut listeners = Vec::new();
        let weak: Weak<Inner> = Rc::downgrade(&inner);
        if inner.enabled && flag("captureUnhandled") {
            let w = weak.clone();
            listeners.extend(Listener::global("error", move |event| {
                let Some(inner) = w.upgrade() else { return };
                let error = get(&event, "error");
                let thrown = if error.is_undefined() || error.is_null() {
                    get(&event, "message")
                } else {
                    error
                };
                inner.capture(&thrown, &JsValue::UNDEFINED, "onerror");
            }));
        }
        if inner.enabled && flag("captureUnhandledRejections") {
            let w = weak.clone();
            listeners.extend(Listener::global("unhandledrejection", move |event| {
                if let Some(inner) = w.upgrade() {
                    inner.capture(
                        &get(&event, "reason"),
                        &JsValue::UNDEFINED,
                        "onunhandledrejection",
                    );
                }
            }));
        }
        let document = get(&js_sys::global(), "document");
        if auto_flag("clicks") {
            let w = weak.clone();
            listeners.extend(Listener::on(document, "click", move |event| {
                if let Some(inner) = w.upgrade() {
                    inner.breadcrumb(
                        "ui.click",
                        &css_selector(&get(&event, "target")).unwrap_or_default(),
                        "info",
                        None,
                    );
                }
            }));
        }
        if auto_flag("navigation") {
            for kind in ["popstate", "hashchange"] {
                let w = weak.clone();
                listeners.extend(Listener::global(kind, move |_| {
                    if let Some(inner) = w.upgrade() {
                        inner.navigated(kind);
                    }
                }));
            }
        }
        let global: JsValue = js_sys::global().into();
        if auto_flag("navigation") {
            for method in ["pushState", "replaceState"] {
                let w = weak.clone();
                inner.wrap(&get(&global, "history"), method, move |_, _, _| {
                    if let Some(inner) = w.upgrade() {
                        inner.navigated(method);
                    }
                });
            }
        }
        if auto_flag("http") {
            instrument_fetch(&inner, &global);
            instrument_xhr(&inner, &global);
        }
        if auto_flag("console") {
            for (method, level) in [("warn", "warning"), ("error", "error")] {
                let w = weak.clone();
                inner.wrap(&get(&global, "console"), method, move |args, _, _| {
                    let Some(inner) = w.upgrade() else { return };
                    let parts: Vec<String> = args
                        .iter()
                        .map(|a| {
                            a.as_string()
                                .or_else(|| stringify(&a))
                                .unwrap_or_else(|| String::from("?"))
                        })
                        .collect();
                    inner.breadcrumb("console", &parts.join(" "), level, None);
                });
            }
        }
        inner.listeners.set(listeners);
        Ok(ErrorTracking { inner })
    }

    /// Captures an error (any thrown value) with `{ severity, context, user }`; returns its id
    /// (also when a repeat is only counted), or `undefined` when disabled.
    #[wasm_bindgen(js_name = captureError)]
    pub fn capture_error(
        &self,
        #[wasm_bindgen(unchecked_param_type = "unknown")] error: &JsValue,
        #[wasm_bindgen(unchecked_optional_param_type = "CaptureOptions")] options: JsValue,
    ) -> Option<String> {
        self.inner.capture(error, &options, "captureError")
    }

    /// Adds a breadcrumb `{ category, message, level, data }`.
    #[wasm_bindgen(js_name = addBreadcrumb)]
    pub fn add_breadcrumb(
        &self,
        #[wasm_bindgen(unchecked_param_type = "Breadcrumb")] crumb: &JsValue,
    ) {
        if !is_plain_object(crumb) {
            return;
        }
        let text = |key: &str, default: &str| {
            get(crumb, key)
                .as_string()
                .unwrap_or_else(|| String::from(default))
        };
        let data = get(crumb, "data");
        let data = is_plain_object(&data).then(|| stringify(&data)).flatten();
        self.inner.breadcrumb(
            &text("category", "custom"),
            &text("message", ""),
            &text("level", "info"),
            data,
        );
    }

    /// The error groups, most frequent first: `{ fingerprint, type, message, count, firstSeen,
    /// lastSeen }`.
    #[wasm_bindgen(js_name = getErrorGroups, unchecked_return_type = "ErrorGroup[]")]
    pub fn get_error_groups(&self) -> Array {
        let list = Array::new();
        if let Ok(groups) = self.inner.groups.try_borrow() {
            for group in groups.by_count() {
                let entry = Object::new();
                set(&entry, "fingerprint", group.fingerprint.as_str());
                set(&entry, "type", group.kind.as_str());
                set(&entry, "message", group.message.as_str());
                set(&entry, "count", group.count as f64);
                set(&entry, "firstSeen", group.first_seen_ms);
                set(&entry, "lastSeen", group.last_seen_ms);
                list.push(&entry);
            }
        }
        list
    }

    /// Records whether recovering from `errorId` worked, with `{ strategy, attempts }`.
    #[wasm_bindgen(js_name = trackRecovery)]
    pub fn track_recovery(
        &self,
        #[wasm_bindgen(unchecked_param_type = "string")] error_id: JsValue,
        #[wasm_bindgen(unchecked_param_type = "boolean")] success: JsValue,
        #[wasm_bindgen(unchecked_optional_param_type = "RecoveryDetails")] details: JsValue,
    ) -> bool {
        let Some(error_id) = read_id(&error_id) else {
            return self.inner.collector.accept(Err(EventError::BadArgument));
        };
        let success = success.is_truthy();
        if let Ok(mut stats) = self.inner.stats.try_borrow_mut() {
            stats.recoveries += 1;
            stats.recovered += u64::from(success);
        }
        let data = Object::new();
        set(&data, "errorId", error_id.as_str());
        set(&data, "success", success);
        set(&data, "strategy", option(&details, "strategy"));
        set(&data, "attempts", option(&details, "attempts"));
        let data_json = stringify(&data.into());
        self.inner.collector.accept(Ok(EventInput {
            kind: "error.recovery".into(),
            timestamp_ms: None,
            data_json,
        }))
    }

    /// `{ totalErrors, uniqueGroups, recoveryRate, bySeverity }`.
    #[wasm_bindgen(js_name = getStats, unchecked_return_type = "ErrorStats")]
    pub fn get_stats(&self) -> JsValue {
        let result = Object::new();
        let groups = self.inner.groups.try_borrow().map_or(0, |g| g.len());
        if let Ok(stats) = self.inner.stats.try_borrow() {
            set(&result, "totalErrors", stats.total as f64);
            set(&result, "uniqueGroups", groups as f64);
            let rate = if stats.recoveries == 0 {
                JsValue::NULL
            } else {
                JsValue::from(stats.recovered as f64 / stats.recoveries as f64)
            };
            set(&result, "recoveryRate", rate);
            let by = Object::new();
            for (name, count) in SEVERITIES.iter().zip(stats.by_severity) {
                set(&by, name, count as f64);
            }
            set(&result, "bySeverity", by);
        }
        result.into()
    }

    /// Removes the global handlers and automatic breadcrumbs (wrapped methods are restored).
    pub fn destroy(&self) {
        self.inner.listeners.set(Vec::new());
        if let Ok(mut wrapped) = self.inner.wrapped.try_borrow_mut() {
            for (restore, _observer) in wrapped.drain(..) {
                let _ = restore.call0(&JsValue::UNDEFINED);
            }
        }
    }
}

/// `fetch` breadcrumbs: method, URL (redacted like every string), status and duration.
fn instrument_fetch(inner: &Rc<Inner>, global: &JsValue) {
    let weak: Weak<Inner> = Rc::downgrade(inner);
    inner.wrap(global, "fetch", move |args, result, _| {
        let Some(inner) = weak.upgrade() else { return };
        let input = args.get(0);
        let url = input
            .as_string()
            .or_else(|| get(&input, "url").as_string())
            .unwrap_or_default();
        if inner.is_own_request(&url) {
            return;
        }
        let init = args.get(1);
        let method = get(&init, "method")
            .as_string()
            .or_else(|| get(&input, "method").as_string())
            .unwrap_or_else(|| String::from("GET"))
            .to_ascii_uppercase();
        let started = now_ms();
        let Ok(promise) = result.dyn_into::<js_sys::Promise>() else {
            return;
        };
        let (ok_inner, err_inner) = (Rc::downgrade(&inner), Rc::downgrade(&inner));
        let (ok_url, ok_method) = (url.clone(), method.clone());
        let on_ok = Closure::once_into_js(move |response: JsValue| {
            if let Some(inner) = ok_inner.upgrade() {
                inner.http(
                    &ok_method,
                    &ok_url,
                    get(&response, "status").as_f64(),
                    started,
                );
            }
        });
        let on_err = Closure::once_into_js(move |_: JsValue| {
            if let Some(inner) = err_inner.upgrade() {
                inner.http(&method, &url, None, started);
            }
        });
        if let Ok(then) = get(&promise, "then").dyn_into::<js_sys::Function>() {
            let _ = then.call2(&promise, &on_ok, &on_err);
        }
    });
}

/// `XMLHttpRequest` breadcrumbs: `open` remembers method and URL and listens for `loadend`
/// (before the page's own listeners, which usually come after `open`); `send` starts the clock.
fn instrument_xhr(inner: &Rc<Inner>, global: &JsValue) {
    let prototype = get(&get(global, "XMLHttpRequest"), "prototype");
    if !prototype.is_object() {
        return;
    }
    const KEY: &str = "__wasmTelemetryRequest";
    let weak: Weak<Inner> = Rc::downgrade(inner);
    inner.wrap(&prototype, "open", move |args, _, this| {
        let Some(inner) = weak.upgrade() else { return };
        let url = args.get(1).as_string().unwrap_or_default();
        if inner.is_own_request(&url) {
            return;
        }
        let method = args
            .get(0)
            .as_string()
            .unwrap_or_else(|| String::from("GET"))
            .to_ascii_uppercase();
        let request = Object::new();
        let _ = js_sys::Reflect::set(&this, &KEY.into(), &request);
        let w = weak.clone();
        let xhr = this.clone();
        let on_end = Closure::once_into_js(move |_: JsValue| {
            let Some(inner) = w.upgrade() else { return };
            let started = get(&get(&xhr, KEY), "started")
                .as_f64()
                .unwrap_or_else(now_ms);
            let status = get(&xhr, "status").as_f64().filter(|s| *s > 0.0);
            inner.http(&method, &url, status, started);
        });
        if let Ok(add) = get(&this, "addEventListener").dyn_into::<js_sys::Function>() {
            let _ = add.call2(&this, &"loadend".into(), &on_end);
        }
    });
    inner.wrap(&prototype, "send", |_, _, this| {
        let request = get(&this, KEY);
        if request.is_object() {
            let _ = js_sys::Reflect::set(&request, &"started".into(), &JsValue::from(now_ms()));
        }
    });
}
