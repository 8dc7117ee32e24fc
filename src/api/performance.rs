//! `PerformanceMetrics`: Core Web Vitals computed as web-vitals computes them, marks and
//! measures, AI-operation timings and resource figures, reported through a collector.

use crate::api::sink::Sink;
use crate::core::event::EventInput;
use crate::core::json::write_integer;
use crate::core::stats::{Summary, TimingWindow};
use crate::core::vitals::cls::{Cls, Shift};
use crate::core::vitals::inp::{EventEntry, Inp};
use crate::core::vitals::Vital;
use crate::platform::listener::Listener;
use crate::platform::observer::Observer;
use crate::platform::{css_selector, get, is_plain_object, now_ms, option, set, stringify};
use alloc::rc::{Rc, Weak};
use alloc::string::String;
use alloc::vec::Vec;
use core::cell::{Cell, RefCell};
use js_sys::{Array, Function, Object};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

/// AI operation fields summarised by `getAIOperationsSummary()`.
const AI_FIELDS: [&str; 6] = [
    "totalMs",
    "contextGatheringMs",
    "contextCompressionMs",
    "apiCallMs",
    "tokens",
    "contextSizeBytes",
];

/// One metric's state: current value, last reported value, id and attribution.
#[derive(Default)]
struct Metric {
    value: Option<f64>,
    reported: Option<f64>,
    id: String,
    attribution: Option<JsValue>,
}

struct State {
    navigation_type: &'static str,
    activation_start: f64,
    first_hidden: f64,
    metrics: [Metric; 5],
    lcp_final: bool,
    cls: Cls,
    inp: Inp,
    restored: bool,
    next_id: u32,
    long_tasks: u32,
    blocking_ms: f64,
    ai: Vec<TimingWindow>,
}

struct Inner {
    collector: Sink,
    report_all_changes: bool,
    state: RefCell<State>,
    observers: Cell<Vec<Observer>>,
    /// Observes LCP until the first input, which finalises it.
    lcp_observer: Cell<Option<Observer>>,
    listeners: Cell<Vec<Listener>>,
}

fn slot(vital: Vital) -> usize {
    match vital {
        Vital::Lcp => 0,
        Vital::Fcp => 1,
        Vital::Ttfb => 2,
        Vital::Cls => 3,
        Vital::Inp => 4,
    }
}

fn performance() -> JsValue {
    get(&js_sys::global(), "performance")
}

/// `target[method](...args)`, `undefined` when it is missing or throws.
fn call(target: &JsValue, method: &str, args: &[JsValue]) -> JsValue {
    crate::platform::call(target, method, args).unwrap_or(JsValue::UNDEFINED)
}

/// The element's CSS selector as a JS value (`undefined` for a non-element).
fn selector(node: &JsValue) -> JsValue {
    css_selector(node).map_or(JsValue::UNDEFINED, |s| JsValue::from_str(&s))
}

fn number(value: &JsValue, key: &str) -> f64 {
    get(value, key).as_f64().unwrap_or(0.0)
}

impl Inner {
    fn new_id(&self, state: &mut State) -> String {
        state.next_id += 1;
        let mut id = String::from("wt-");
        write_integer(&mut id, now_ms() as i64);
        id.push('-');
        write_integer(&mut id, i64::from(state.next_id));
        id
    }

    /// Sets a metric's value (and attribution); reports it when `force` or `reportAllChanges`.
    fn update(&self, vital: Vital, value: f64, attribution: Option<JsValue>, force: bool) {
        let Ok(mut state) = self.state.try_borrow_mut() else {
            return;
        };
        let metric = &mut state.metrics[slot(vital)];
        metric.value = Some(value);
        if attribution.is_some() {
            metric.attribution = attribution;
        }
        drop(state);
        self.report(vital, force);
    }

    fn report(&self, vital: Vital, force: bool) {
        let Ok(mut state) = self.state.try_borrow_mut() else {
            return;
        };
        // CLS is reported only once FCP is, as web-vitals (and CrUX) do.
        if vital == Vital::Cls && state.metrics[slot(Vital::Fcp)].value.is_none() {
            return;
        }
        let navigation_type = state.navigation_type;
        let metric = &mut state.metrics[slot(vital)];
        let Some(value) = metric.value else { return };
        if !(force || self.report_all_changes) || metric.reported == Some(value) {
            return;
        }
        let delta = value - metric.reported.unwrap_or(0.0);
        metric.reported = Some(value);
        let data = Object::new();
        set(&data, "name", vital.name());
        set(&data, "value", value);
        set(&data, "rating", vital.rate(value).name());
        set(&data, "delta", delta);
        set(&data, "id", metric.id.as_str());
        set(&data, "navigationType", navigation_type);
        set(
            &data,
            "attribution",
            metric
                .attribution
                .clone()
                .unwrap_or_else(|| Object::new().into()),
        );
        drop(state);
        let data_json = stringify(&data.into());
        self.collector.accept(Ok(EventInput {
            kind: "web-vital".into(),
            timestamp_ms: None,
            data_json,
        }));
    }

    fn on_paint(&self, entries: Array) {
        for entry in entries.iter() {
            if get(&entry, "name").as_string().as_deref() != Some("first-contentful-paint") {
                continue;
            }
            let start = number(&entry, "startTime");
            let (hidden, activation) = match self.state.try_borrow() {
                Ok(s) => (s.first_hidden, s.activation_start),
                Err(_) => return,
            };
            if start < hidden {
                self.update(Vital::Fcp, (start - activation).max(0.0), None, true);
                self.report(Vital::Cls, false);
            }
        }
    }

    fn on_lcp(&self, entries: Array) {
        let Some(entry) = entries.iter().last() else {
            return;
        };
        let (hidden, activation, finalised) = match self.state.try_borrow() {
            Ok(s) => (s.first_hidden, s.activation_start, s.lcp_final),
            Err(_) => return,
        };
        let start = number(&entry, "startTime");
        if finalised || start >= hidden {
            return;
        }
        let attribution = Object::new();
        set(&attribution, "target", selector(&get(&entry, "element")));
        set(&attribution, "url", get(&entry, "url"));
        self.update(
            Vital::Lcp,
            (start - activation).max(0.0),
            Some(attribution.into()),
            false,
        );
    }

    fn finalize_lcp(&self, observers_pending: Option<Array>) {
        if let Some(entries) = observers_pending {
            self.on_lcp(entries);
        }
        if let Ok(mut state) = self.state.try_borrow_mut() {
            if state.lcp_final {
                return;
            }
            state.lcp_final = true;
        }
        self.report(Vital::Lcp, true);
    }

    fn on_shift(&self, entries: Array) {
        let mut grew = false;
        if let Ok(mut state) = self.state.try_borrow_mut() {
            for entry in entries.iter() {
                let shift = Shift {
                    start_time: number(&entry, "startTime"),
                    value: number(&entry, "value"),
                    had_recent_input: get(&entry, "hadRecentInput").as_bool() == Some(true),
                };
                if state.cls.add(shift) {
                    grew = true;
                    let sources = get(&entry, "sources");
                    let attribution = Object::new();
                    set(
                        &attribution,
                        "largestShiftTarget",
                        selector(&get(&Array::from(&sources).get(0), "node")),
                    );
                    set(&attribution, "largestShiftTime", shift.start_time);
                    state.metrics[slot(Vital::Cls)].attribution = Some(attribution.into());
                }
            }
            let value = state.cls.value();
            state.metrics[slot(Vital::Cls)].value = Some(value);
        }
        if grew {
            self.report(Vital::Cls, false);
        }
    }

    fn on_events(&self, entries: Array) {
        let count = get(&performance(), "interactionCount")
            .as_f64()
            .unwrap_or(0.0) as u64;
        let Ok(mut state) = self.state.try_borrow_mut() else {
            return;
        };
        let mut target = None;
        for entry in entries.iter() {
            let event = EventEntry {
                interaction_id: number(&entry, "interactionId") as u64,
                duration: number(&entry, "duration"),
                start_time: number(&entry, "startTime"),
                processing_ms: number(&entry, "processingEnd") - number(&entry, "processingStart"),
            };
            state.inp.add(event);
            if state.inp.candidate(count).is_some_and(|c| c.entry == event) {
                target = Some(entry);
            }
        }
        let restored = state.restored;
        let Some(value) = state.inp.estimate(count, restored) else {
            return;
        };
        let metric = &mut state.metrics[slot(Vital::Inp)];
        if metric.value == Some(value) {
            return;
        }
        metric.value = Some(value);
        if let Some(entry) = target {
            let attribution = Object::new();
            set(
                &attribution,
                "interactionTarget",
                selector(&get(&entry, "target")),
            );
            set(&attribution, "interactionType", get(&entry, "name"));
            let (start, processing_start, processing_end) = (
                number(&entry, "startTime"),
                number(&entry, "processingStart"),
                number(&entry, "processingEnd"),
            );
            set(&attribution, "inputDelay", processing_start - start);
            set(
                &attribution,
                "processingDuration",
                processing_end - processing_start,
            );
            set(
                &attribution,
                "presentationDelay",
                (start + value - processing_end).max(0.0),
            );
            metric.attribution = Some(attribution.into());
        }
        drop(state);
        self.report(Vital::Inp, false);
    }

    fn on_ttfb(&self) {
        let navigation = Array::from(&call(
            &performance(),
            "getEntriesByType",
            &["navigation".into()],
        ))
        .get(0);
        if navigation.is_undefined() {
            return;
        }
        let activation = self.state.try_borrow().map_or(0.0, |s| s.activation_start);
        let value = (number(&navigation, "responseStart") - activation).max(0.0);
        let attribution = Object::new();
        set(
            &attribution,
            "requestStart",
            number(&navigation, "requestStart"),
        );
        set(
            &attribution,
            "responseStart",
            number(&navigation, "responseStart"),
        );
        self.update(Vital::Ttfb, value, Some(attribution.into()), true);
    }

    fn on_hidden(&self, at: f64) {
        if let Ok(mut state) = self.state.try_borrow_mut() {
            state.first_hidden = state.first_hidden.min(at);
        }
        self.finalize_lcp(None);
        self.report(Vital::Cls, true);
        self.report(Vital::Inp, true);
    }

    /// A bfcache restore: every metric starts again, as web-vitals does.
    fn on_restore(self: &Rc<Self>, event_time: f64) {
        let count = get(&performance(), "interactionCount")
            .as_f64()
            .unwrap_or(0.0) as u64;
        if let Ok(mut state) = self.state.try_borrow_mut() {
            state.navigation_type = "back-forward-cache";
            state.restored = true;
            state.lcp_final = false;
            state.cls = Cls::default();
            state.inp.reset(count);
            for index in 0..state.metrics.len() {
                let id = self.new_id(&mut state);
                state.metrics[index] = Metric {
                    id,
                    ..Metric::default()
                };
            }
            state.metrics[slot(Vital::Cls)].value = Some(0.0);
        }
        self.update(Vital::Ttfb, 0.0, None, true);
        // LCP and FCP after a restore: the time to the next frame, measured two frames later.
        let weak: Weak<Inner> = Rc::downgrade(self);
        double_frame(move || {
            let Some(inner) = weak.upgrade() else { return };
            let value = (now_ms_performance() - event_time).max(0.0);
            inner.update(Vital::Fcp, value, None, true);
            inner.update(Vital::Lcp, value, None, true);
            inner.report(Vital::Cls, false);
            if let Ok(mut state) = inner.state.try_borrow_mut() {
                state.lcp_final = true;
            };
        });
    }
}

fn now_ms_performance() -> f64 {
    call(&performance(), "now", &[]).as_f64().unwrap_or(0.0)
}

/// Runs `work` after two animation frames (when the restored page has painted).
fn double_frame(work: impl FnOnce() + 'static) {
    let global = js_sys::global();
    let Ok(raf) = get(&global, "requestAnimationFrame").dyn_into::<Function>() else {
        return;
    };
    let inner_raf = raf.clone();
    let second = Closure::once_into_js(work);
    let first = Closure::once_into_js(move || {
        let _ = inner_raf.call1(&JsValue::UNDEFINED, &second);
    });
    let _ = raf.call1(&JsValue::UNDEFINED, &first);
}

/// Core Web Vitals, marks and measures, AI-operation timings and resource figures, reported
/// through a `TelemetryCollector` as `web-vital` and `ai.operation` events.
#[wasm_bindgen]
pub struct PerformanceMetrics {
    inner: Rc<Inner>,
}

#[wasm_bindgen]
impl PerformanceMetrics {
    /// Starts observing. Options: `trackCoreWebVitals` (true), `trackResources` (true),
    /// `maxTimings` (1000), `reportAllChanges` (false), `durationThreshold` (40 ms).
    #[wasm_bindgen(constructor)]
    pub fn new(
        #[wasm_bindgen(unchecked_param_type = "CollectorLink")] collector: JsValue,
        #[wasm_bindgen(unchecked_optional_param_type = "PerformanceOptions")] options: JsValue,
    ) -> Result<PerformanceMetrics, JsValue> {
        let setting = |key: &str| option(&options, key);
        let flag = |key: &str, default: bool| setting(key).as_bool().unwrap_or(default);
        let max_timings = match setting("maxTimings").as_f64() {
            None => 1000,
            Some(n) if (1.0..=100_000.0).contains(&n) && n == f64::from(n as u32) => n as usize,
            Some(_) => {
                return Err(js_sys::RangeError::new(
                    "maxTimings must be an integer between 1 and 100000",
                )
                .into())
            }
        };
        let threshold = setting("durationThreshold")
            .as_f64()
            .unwrap_or(40.0)
            .clamp(16.0, 1000.0);
        let navigation = Array::from(&call(
            &performance(),
            "getEntriesByType",
            &["navigation".into()],
        ))
        .get(0);
        let activation_start = number(&navigation, "activationStart");
        let document = get(&js_sys::global(), "document");
        let prerendering = get(&document, "prerendering").as_bool() == Some(true);
        let navigation_type = if prerendering || activation_start > 0.0 {
            "prerender"
        } else {
            match get(&navigation, "type").as_string().as_deref() {
                Some("reload") => "reload",
                Some("back_forward") => "back-forward",
                _ => "navigate",
            }
        };
        let hidden_at_start =
            get(&document, "visibilityState").as_string().as_deref() == Some("hidden");
        let state = State {
            navigation_type,
            activation_start,
            first_hidden: if hidden_at_start && !prerendering {
                0.0
            } else {
                f64::INFINITY
            },
            metrics: Default::default(),
            lcp_final: false,
            cls: Cls::default(),
            inp: Inp::default(),
            restored: false,
            next_id: 0,
            long_tasks: 0,
            blocking_ms: 0.0,
            ai: AI_FIELDS
                .iter()
                .map(|_| TimingWindow::new(max_timings))
                .collect(),
        };
        let inner = Rc::new(Inner {
            collector: Sink::new(collector),
            report_all_changes: flag("reportAllChanges", false),
            state: RefCell::new(state),
            observers: Cell::new(Vec::new()),
            lcp_observer: Cell::new(None),
            listeners: Cell::new(Vec::new()),
        });
        if let Ok(mut state) = inner.state.try_borrow_mut() {
            for index in 0..state.metrics.len() {
                let id = inner.new_id(&mut state);
                state.metrics[index].id = id;
            }
        }
        if flag("trackCoreWebVitals", true) {
            start_vitals(&inner, threshold);
        }
        if flag("trackResources", true) {
            start_long_tasks(&inner);
        }
        Ok(PerformanceMetrics { inner })
    }

    /// The current values: `{ lcp, fcp, ttfb, cls, inp }` (absent until known).
    #[wasm_bindgen(js_name = getCoreWebVitals, unchecked_return_type = "CoreWebVitals")]
    pub fn get_core_web_vitals(&self) -> JsValue {
        let result = Object::new();
        if let Ok(state) = self.inner.state.try_borrow() {
            for (key, vital) in [
                ("lcp", Vital::Lcp),
                ("fcp", Vital::Fcp),
                ("ttfb", Vital::Ttfb),
                ("cls", Vital::Cls),
                ("inp", Vital::Inp),
            ] {
                if let Some(value) = state.metrics[slot(vital)].value {
                    set(&result, key, value);
                }
            }
        }
        result.into()
    }

    /// `performance.mark(name)`.
    pub fn mark(&self, #[wasm_bindgen(unchecked_param_type = "string")] name: JsValue) {
        if name.is_string() {
            call(&performance(), "mark", &[name]);
        }
    }

    /// `performance.measure(name, start, end)`; returns the duration in ms, or `undefined` when
    /// a mark is missing or a name is not a string.
    pub fn measure(
        &self,
        #[wasm_bindgen(unchecked_param_type = "string")] name: JsValue,
        #[wasm_bindgen(unchecked_param_type = "string")] start: JsValue,
        #[wasm_bindgen(unchecked_optional_param_type = "string")] end: JsValue,
    ) -> Option<f64> {
        if !name.is_string() || !start.is_string() || !(end.is_string() || end.is_undefined()) {
            return None;
        }
        let mut args: Vec<JsValue> = Vec::from([name, start]);
        if end.is_string() {
            args.push(end);
        }
        get(&call(&performance(), "measure", &args), "duration").as_f64()
    }

    /// Records one AI operation `{ contextGatheringMs, contextCompressionMs, apiCallMs, totalMs,
    /// tokens, contextSizeBytes }` and reports it as an `ai.operation` event.
    #[wasm_bindgen(js_name = trackAIOperation)]
    pub fn track_ai_operation(
        &self,
        #[wasm_bindgen(unchecked_param_type = "AIOperation")] operation: &JsValue,
    ) -> bool {
        if !is_plain_object(operation) {
            return false;
        }
        if let Ok(mut state) = self.inner.state.try_borrow_mut() {
            for (window, field) in state.ai.iter_mut().zip(AI_FIELDS) {
                if let Some(value) = get(operation, field).as_f64() {
                    window.push(value);
                }
            }
        }
        let data_json = stringify(operation);
        self.inner.collector.accept(Ok(EventInput {
            kind: "ai.operation".into(),
            timestamp_ms: None,
            data_json,
        }))
    }

    /// `{ count, avg, min, max, p50, p95, p99 }` of `totalMs` over the last `maxTimings`
    /// operations (exact, nearest-rank percentiles), with the same for each field under `fields`.
    #[wasm_bindgen(
        js_name = getAIOperationsSummary,
        unchecked_return_type = "AIOperationsSummary"
    )]
    pub fn get_ai_operations_summary(&self) -> JsValue {
        let result = Object::new();
        let fields = Object::new();
        if let Ok(state) = self.inner.state.try_borrow() {
            for (window, field) in state.ai.iter().zip(AI_FIELDS) {
                let summary = window.summary().map(summary_to_js).unwrap_or(JsValue::NULL);
                if field == "totalMs" {
                    if let Some(s) = window.summary() {
                        write_summary(&result, &s);
                    } else {
                        set(&result, "count", 0u32);
                    }
                }
                set(&fields, field, summary);
            }
        }
        set(&result, "fields", fields);
        result.into()
    }

    /// Resource timing (count, transfer bytes, slowest), long tasks (count, total blocking
    /// time) and memory (wasm memory; JS heap where the browser exposes it).
    #[wasm_bindgen(js_name = getResourceMetrics, unchecked_return_type = "ResourceMetrics")]
    pub fn get_resource_metrics(&self) -> JsValue {
        let result = Object::new();
        let resources = Array::from(&call(
            &performance(),
            "getEntriesByType",
            &["resource".into()],
        ));
        let mut bytes = 0.0;
        let mut slowest: Option<(f64, JsValue)> = None;
        for entry in resources.iter() {
            bytes += number(&entry, "transferSize");
            let duration = number(&entry, "duration");
            if slowest.as_ref().is_none_or(|(d, _)| duration > *d) {
                slowest = Some((duration, get(&entry, "name")));
            }
        }
        let summary = Object::new();
        set(&summary, "count", resources.length());
        set(&summary, "transferBytes", bytes);
        if let Some((duration, name)) = slowest {
            let url = crate::api::redact::redact(name);
            let slow = Object::new();
            set(&slow, "url", url.as_str());
            set(&slow, "duration", duration);
            set(&summary, "slowest", slow);
        }
        set(&result, "resources", summary);
        let tasks = Object::new();
        if let Ok(state) = self.inner.state.try_borrow() {
            set(&tasks, "count", state.long_tasks);
            set(&tasks, "totalBlockingTime", state.blocking_ms);
        }
        set(&result, "longTasks", tasks);
        let memory = Object::new();
        let wasm_bytes = get(&get(&wasm_bindgen::memory(), "buffer"), "byteLength");
        set(&memory, "wasmBytes", wasm_bytes);
        let heap = get(&get(&performance(), "memory"), "usedJSHeapSize");
        if !heap.is_undefined() {
            set(&memory, "jsHeapBytes", heap);
        }
        set(&result, "memory", memory);
        result.into()
    }

    /// Stops observing.
    pub fn destroy(&self) {
        self.inner.observers.set(Vec::new());
        self.inner.lcp_observer.set(None);
        self.inner.listeners.set(Vec::new());
    }
}

fn write_summary(target: &Object, s: &Summary) {
    set(target, "count", s.count as f64);
    set(target, "avg", s.avg);
    set(target, "min", s.min);
    set(target, "max", s.max);
    set(target, "p50", s.p50);
    set(target, "p95", s.p95);
    set(target, "p99", s.p99);
}

/// `{ count, avg, min, max, p50, p95, p99 }`.
pub(crate) fn summary_to_js(s: Summary) -> JsValue {
    let object = Object::new();
    write_summary(&object, &s);
    object.into()
}

fn start_vitals(inner: &Rc<Inner>, duration_threshold: f64) {
    let mut observers = Vec::new();
    let weak = Rc::downgrade(inner);
    let w = weak.clone();
    observers.extend(Observer::new("paint", &[], move |entries| {
        if let Some(inner) = w.upgrade() {
            inner.on_paint(entries);
        }
    }));
    let w = weak.clone();
    inner.lcp_observer.set(Observer::new(
        "largest-contentful-paint",
        &[],
        move |entries| {
            if let Some(inner) = w.upgrade() {
                inner.on_lcp(entries);
            }
        },
    ));
    let w = weak.clone();
    observers.extend(Observer::new("layout-shift", &[], move |entries| {
        if let Some(inner) = w.upgrade() {
            inner.on_shift(entries);
        }
    }));
    for kind in ["event", "first-input"] {
        let w = weak.clone();
        let extra = [("durationThreshold", JsValue::from(duration_threshold))];
        observers.extend(Observer::new(kind, &extra, move |entries| {
            if let Some(inner) = w.upgrade() {
                inner.on_events(entries);
            }
        }));
    }
    let mut listeners = Vec::new();
    // LCP stops at the first trusted key press or click.
    for kind in ["keydown", "click"] {
        let w = weak.clone();
        listeners.extend(Listener::global(kind, move |event| {
            if get(&event, "isTrusted").as_bool() != Some(true) {
                return;
            }
            let Some(inner) = w.upgrade() else { return };
            let records = inner
                .lcp_observer
                .take()
                .map(|observer| observer.take_records());
            inner.finalize_lcp(records);
        }));
    }
    let document = get(&js_sys::global(), "document");
    let w = weak.clone();
    let doc = document.clone();
    listeners.extend(Listener::on(document, "visibilitychange", move |event| {
        if get(&doc, "visibilityState").as_string().as_deref() != Some("hidden") {
            return;
        }
        let Some(inner) = w.upgrade() else { return };
        if let Some(observer) = inner.lcp_observer.take() {
            inner.on_lcp(observer.take_records());
        }
        inner.on_hidden(number(&event, "timeStamp"));
    }));
    let w = weak.clone();
    listeners.extend(Listener::global("pagehide", move |event| {
        if let Some(inner) = w.upgrade() {
            inner.on_hidden(number(&event, "timeStamp"));
        }
    }));
    let w = weak.clone();
    listeners.extend(Listener::global("pageshow", move |event| {
        if get(&event, "persisted").as_bool() == Some(true) {
            if let Some(inner) = w.upgrade() {
                inner.on_restore(number(&event, "timeStamp"));
            }
        }
    }));
    // TTFB once the navigation entry is complete (after load).
    if get(&get(&js_sys::global(), "document"), "readyState")
        .as_string()
        .as_deref()
        == Some("complete")
    {
        inner.on_ttfb();
    } else {
        let w = weak;
        listeners.extend(Listener::global("load", move |_| {
            if let Some(inner) = w.upgrade() {
                inner.on_ttfb();
            }
        }));
    }
    inner.observers.set(observers);
    inner.listeners.set(listeners);
}

fn start_long_tasks(inner: &Rc<Inner>) {
    let weak = Rc::downgrade(inner);
    let observer = Observer::new("longtask", &[], move |entries| {
        let Some(inner) = weak.upgrade() else { return };
        if let Ok(mut state) = inner.state.try_borrow_mut() {
            for entry in entries.iter() {
                state.long_tasks += 1;
                state.blocking_ms += (number(&entry, "duration") - 50.0).max(0.0);
            }
        };
    });
    let mut observers = inner.observers.take();
    observers.extend(observer);
    inner.observers.set(observers);
}
