//! Browser tests of the wasm glue, run by wasm-bindgen-test in headless Chromium:
//! `cargo test --target wasm32-unknown-unknown --test browser`.
#![cfg(target_arch = "wasm32")]

use js_sys::{Array, Function, Object, Promise, Reflect, JSON};
use std::cell::RefCell;
use std::rc::Rc;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;
use wasm_bindgen_test::*;
use wasm_telemetry::TelemetryCollector;

wasm_bindgen_test_configure!(run_in_browser);

#[wasm_bindgen]
extern "C" {
    #[wasm_bindgen(js_name = setTimeout)]
    fn set_timeout(handler: &Function, ms: f64) -> JsValue;
}

fn json(text: &str) -> JsValue {
    JSON::parse(text).expect("test JSON")
}

fn field(value: &JsValue, key: &str) -> JsValue {
    Reflect::get(value, &key.into()).unwrap()
}

fn number(value: &JsValue, path: &str) -> f64 {
    path.split('.')
        .fold(value.clone(), |v, k| field(&v, k))
        .as_f64()
        .unwrap()
}

async fn sleep(ms: i32) {
    let promise = Promise::new(&mut |resolve, _| {
        set_timeout(&resolve, f64::from(ms));
    });
    JsFuture::from(promise).await.unwrap();
}

/// A custom transport that records every batch it receives, optionally failing.
struct Recorder {
    batches: Rc<RefCell<Vec<Array>>>,
    fail: Rc<RefCell<bool>>,
    function: Function,
    _closure: Closure<dyn FnMut(JsValue) -> JsValue>,
}

impl Recorder {
    fn new() -> Self {
        let batches = Rc::new(RefCell::new(Vec::new()));
        let fail = Rc::new(RefCell::new(false));
        let (b, f) = (batches.clone(), fail.clone());
        let closure = Closure::<dyn FnMut(JsValue) -> JsValue>::new(move |events: JsValue| {
            if *f.borrow() {
                return Promise::reject(&"endpoint down".into()).into();
            }
            b.borrow_mut().push(events.unchecked_into());
            Promise::resolve(&JsValue::TRUE).into()
        });
        let function = closure.as_ref().unchecked_ref::<Function>().clone();
        Self {
            batches,
            fail,
            function,
            _closure: closure,
        }
    }

    fn config(&self, extra: &str) -> JsValue {
        let config = json(&format!("{{\"transport\":\"custom\"{extra}}}"));
        Reflect::set(&config, &"customTransport".into(), &self.function).unwrap();
        config
    }

    fn events(&self) -> Vec<JsValue> {
        self.batches
            .borrow()
            .iter()
            .flat_map(|b| b.iter())
            .collect()
    }
}

fn collector(config: JsValue) -> TelemetryCollector {
    TelemetryCollector::new(Some(config.unchecked_into())).expect("valid config")
}

fn construct_error(config: &str) -> JsValue {
    match TelemetryCollector::new(Some(json(config).unchecked_into())) {
        Ok(_) => panic!("{config} should have been rejected"),
        Err(error) => error,
    }
}

async fn flush(collector: &TelemetryCollector) -> f64 {
    let promise: Promise = collector.flush().unchecked_into();
    JsFuture::from(promise).await.unwrap().as_f64().unwrap()
}

#[wasm_bindgen_test]
fn defaults_are_reported_by_get_config() {
    clear_consent();
    let c = TelemetryCollector::new(None).unwrap();
    let config: JsValue = c.get_config().into();
    assert_eq!(field(&config, "maxBufferSize").as_f64(), Some(50.0));
    assert_eq!(field(&config, "flushIntervalMs").as_f64(), Some(30000.0));
    assert_eq!(
        field(&config, "sampling").as_string().as_deref(),
        Some("always")
    );
    assert_eq!(
        field(&config, "transport").as_string().as_deref(),
        Some("console")
    );
    assert_eq!(field(&config, "redactPII").as_bool(), Some(true));
    assert_eq!(Array::from(&field(&config, "redactFields")).length(), 7);
    c.destroy();
}

#[wasm_bindgen_test]
fn bad_sampling_rate_throws_a_range_error_naming_the_field() {
    let error = construct_error(r#"{"sampling":"probabilistic","samplingRate":5}"#);
    assert!(error.is_instance_of::<js_sys::RangeError>());
    let message = field(&error, "message").as_string().unwrap();
    assert_eq!(message, "samplingRate must be between 0 and 1");
}

#[wasm_bindgen_test]
fn wrong_types_and_unknown_fields_throw_type_errors() {
    for (config, expected) in [
        (
            r#"{"maxBufferSize":"50"}"#,
            "maxBufferSize must be a number",
        ),
        (
            r#"{"sampling":"sometimes"}"#,
            "sampling must be 'always', 'never', 'probabilistic' or 'throttled'",
        ),
        (
            r#"{"redactFields":["a",1]}"#,
            "redactFields must be an array of strings",
        ),
        (
            r#"{"flushInterval":5}"#,
            "unknown config field 'flushInterval'",
        ),
        (
            r#"{"transport":"http"}"#,
            "endpoint is required when transport is 'http' or 'beacon'",
        ),
        (
            r#"{"transport":"custom"}"#,
            "customTransport is required when transport is 'custom'",
        ),
    ] {
        let error = construct_error(config);
        assert!(error.is_instance_of::<js_sys::TypeError>(), "{config}");
        assert_eq!(field(&error, "message").as_string().unwrap(), expected);
    }
}

#[wasm_bindgen_test]
async fn tracked_events_reach_the_transport_in_wire_format() {
    let recorder = Recorder::new();
    let c = collector(recorder.config(""));
    for n in 0..25 {
        let event = json(&format!(
            "{{\"type\":\"page.view\",\"data\":{{\"n\":{n}}}}}"
        ));
        assert!(c.track(event.unchecked_ref()));
    }
    assert_eq!(flush(&c).await, 25.0);
    let events = recorder.events();
    assert_eq!(events.len(), 25);
    let mut ids: Vec<String> = events
        .iter()
        .map(|e| field(e, "id").as_string().unwrap())
        .collect();
    ids.sort();
    ids.dedup();
    assert_eq!(ids.len(), 25);
    let session = field(&events[0], "sessionId").as_string().unwrap();
    for (n, event) in events.iter().enumerate() {
        assert_eq!(
            field(event, "type").as_string().as_deref(),
            Some("page.view")
        );
        assert_eq!(number(event, "data.n"), n as f64);
        assert_eq!(
            field(event, "sessionId").as_string().as_deref(),
            Some(session.as_str())
        );
        assert!(number(event, "timestamp") > 1.6e12);
        assert!(field(&field(event, "context"), "url")
            .as_string()
            .unwrap()
            .starts_with("http"));
    }
    let status: JsValue = c.get_buffer_status().into();
    assert_eq!(
        (
            number(&status, "accepted"),
            number(&status, "sent"),
            number(&status, "size")
        ),
        (25.0, 25.0, 0.0)
    );
}

#[wasm_bindgen_test]
async fn a_full_buffer_is_sent_without_an_explicit_flush() {
    let recorder = Recorder::new();
    let c = collector(recorder.config(r#","maxBufferSize":5"#));
    for _ in 0..5 {
        c.track(json(r#"{"type":"click"}"#).unchecked_ref());
    }
    sleep(50).await;
    assert_eq!(recorder.events().len(), 5);
}

#[wasm_bindgen_test]
async fn the_flush_interval_sends_on_its_own() {
    let recorder = Recorder::new();
    let c = collector(recorder.config(r#","flushIntervalMs":100"#));
    c.track(json(r#"{"type":"tick"}"#).unchecked_ref());
    assert!(recorder.events().is_empty());
    sleep(350).await;
    assert_eq!(recorder.events().len(), 1);
    c.destroy();
}

#[wasm_bindgen_test]
async fn a_failed_send_keeps_events_and_retries_them_with_the_same_ids() {
    let recorder = Recorder::new();
    let c = collector(recorder.config(""));
    c.track(json(r#"{"type":"a"}"#).unchecked_ref());
    c.track(json(r#"{"type":"b"}"#).unchecked_ref());
    *recorder.fail.borrow_mut() = true;
    assert_eq!(flush(&c).await, 0.0);
    let status: JsValue = c.get_buffer_status().into();
    assert_eq!(
        (number(&status, "size"), number(&status, "failedAttempts")),
        (2.0, 1.0)
    );
    *recorder.fail.borrow_mut() = false;
    assert_eq!(flush(&c).await, 2.0);
    let types: Vec<String> = recorder
        .events()
        .iter()
        .map(|e| field(e, "type").as_string().unwrap())
        .collect();
    assert_eq!(types, ["a", "b"]);
}

#[wasm_bindgen_test]
fn malformed_input_is_dropped_and_counted_never_thrown() {
    let recorder = Recorder::new();
    let c = collector(recorder.config(""));
    let cyclic = Object::new();
    Reflect::set(&cyclic, &"self".into(), &cyclic).unwrap();
    let with_cycle = json(r#"{"type":"x"}"#);
    Reflect::set(&with_cycle, &"data".into(), &cyclic).unwrap();
    let with_bigint = json(r#"{"type":"x"}"#);
    let big = js_sys::BigInt::from(5u64);
    let data = Object::new();
    Reflect::set(&data, &"n".into(), &big).unwrap();
    Reflect::set(&with_bigint, &"data".into(), &data).unwrap();
    let bad: Vec<JsValue> = vec![
        JsValue::UNDEFINED,
        JsValue::NULL,
        "page.view".into(),
        json("[1,2]"),
        json("{}"),
        json(r#"{"type":""}"#),
        json(r#"{"type":42}"#),
        json(r#"{"type":"x","timestamp":"yesterday"}"#),
        json(r#"{"type":"x","data":[1]}"#),
        json(r#"{"type":"x","data":"text"}"#),
        with_cycle,
        with_bigint,
    ];
    for value in &bad {
        assert!(!c.track(value.unchecked_ref()));
    }
    assert!(!c.track_performance(json(r#"{"name":"lcp","value":"fast"}"#).unchecked_ref()));
    let status: JsValue = c.get_buffer_status().into();
    assert_eq!(number(&status, "dropped.invalid"), bad.len() as f64 + 1.0);
    assert_eq!(number(&status, "size"), 0.0);
    assert!(c.track(json(r#"{"type":"still.works"}"#).unchecked_ref()));
}

#[wasm_bindgen_test]
async fn performance_and_error_events_are_encoded() {
    let recorder = Recorder::new();
    let c = collector(recorder.config(""));
    assert!(c.track_performance(
        json(r#"{"name":"api.latency","value":150.5,"unit":"ms"}"#).unchecked_ref()
    ));
    let error: JsValue = js_sys::TypeError::new("x is undefined").into();
    assert!(c.track_error(
        error.unchecked_ref(),
        Some(json(r#"{"op":"save"}"#).unchecked_into())
    ));
    assert!(c.track_error(JsValue::from("plain string").unchecked_ref(), None));
    flush(&c).await;
    let events = recorder.events();
    assert_eq!(
        field(&events[0], "type").as_string().as_deref(),
        Some("performance")
    );
    assert_eq!(number(&events[0], "data.value"), 150.5);
    let data = field(&events[1], "data");
    assert_eq!(
        field(&data, "name").as_string().as_deref(),
        Some("TypeError")
    );
    assert_eq!(
        field(&data, "message").as_string().as_deref(),
        Some("x is undefined")
    );
    assert!(field(&data, "stack").as_string().is_some());
    assert_eq!(
        field(&field(&data, "context"), "op").as_string().as_deref(),
        Some("save")
    );
    assert_eq!(
        field(&field(&events[2], "data"), "message")
            .as_string()
            .as_deref(),
        Some("plain string")
    );
}

#[wasm_bindgen_test]
fn update_config_is_all_or_nothing() {
    let c = TelemetryCollector::new(None).unwrap();
    let error = c
        .update_config(json(r#"{"maxBufferSize":10,"samplingRate":2}"#).unchecked_ref())
        .unwrap_err();
    assert!(error.is_instance_of::<js_sys::RangeError>());
    let config: JsValue = c.get_config().into();
    assert_eq!(field(&config, "maxBufferSize").as_f64(), Some(50.0));
    c.update_config(json(r#"{"maxBufferSize":10,"sampling":"never"}"#).unchecked_ref())
        .unwrap();
    let config: JsValue = c.get_config().into();
    assert_eq!(field(&config, "maxBufferSize").as_f64(), Some(10.0));
    assert!(!c.track(json(r#"{"type":"x"}"#).unchecked_ref()));
    let status: JsValue = c.get_buffer_status().into();
    assert_eq!(number(&status, "dropped.sampled"), 1.0);
    c.destroy();
}

#[wasm_bindgen_test]
async fn local_storage_transport_appends_batches() {
    let storage = web_sys::window().unwrap().local_storage().unwrap().unwrap();
    storage.remove_item("telemetry-events").unwrap();
    let c = collector(json(r#"{"transport":"localStorage"}"#));
    c.track(json(r#"{"type":"one"}"#).unchecked_ref());
    flush(&c).await;
    c.track(json(r#"{"type":"two"}"#).unchecked_ref());
    flush(&c).await;
    let stored = json(&storage.get_item("telemetry-events").unwrap().unwrap());
    let types: Vec<String> = Array::from(&stored)
        .iter()
        .map(|e| field(&e, "type").as_string().unwrap())
        .collect();
    assert_eq!(types, ["one", "two"]);
    storage.remove_item("telemetry-events").unwrap();
}

#[wasm_bindgen_test]
fn a_destroyed_collector_refuses_events() {
    let c = TelemetryCollector::new(None).unwrap();
    c.destroy();
    c.destroy();
    assert!(!c.track(json(r#"{"type":"late"}"#).unchecked_ref()));
    let status: JsValue = c.get_buffer_status().into();
    assert_eq!(number(&status, "dropped.disabled"), 1.0);
}

fn clear_consent() {
    let storage = web_sys::window().unwrap().local_storage().unwrap().unwrap();
    storage.remove_item("telemetry-consent").unwrap();
}

fn function(args: &str, body: &str) -> Function {
    Function::new_with_args(args, body)
}

#[wasm_bindgen_test]
async fn before_send_can_edit_drop_and_throw_without_disturbing_the_page() {
    let recorder = Recorder::new();
    let config = recorder.config("");
    let hook = function(
        "e",
        "if (e.type === 'drop') return null;
         if (e.type === 'throw') throw new Error('hook failed');
         if (e.type === 'bad') return { type: 42 };
         return { type: e.type + '.edited', data: { ...e.data, added: 'mail x@y.io', id: e.id } };",
    );
    Reflect::set(&config, &"beforeSend".into(), &hook).unwrap();
    let c = collector(config);
    for kind in ["keep", "drop", "throw", "bad"] {
        c.track(json(&format!(r#"{{"type":"{kind}","data":{{"n":1}}}}"#)).unchecked_ref());
    }
    flush(&c).await;
    let events = recorder.events();
    assert_eq!(events.len(), 1);
    assert_eq!(
        field(&events[0], "type").as_string().as_deref(),
        Some("keep.edited")
    );
    let data = field(&events[0], "data");
    assert_eq!(
        field(&data, "added").as_string().as_deref(),
        Some("mail [REDACTED_EMAIL]")
    );
    assert_eq!(
        field(&data, "id").as_string(),
        field(&events[0], "id").as_string()
    );
    let status: JsValue = c.get_buffer_status().into();
    assert_eq!(
        (
            number(&status, "dropped.beforeSend"),
            number(&status, "dropped.invalid")
        ),
        (2.0, 1.0)
    );
}

#[wasm_bindgen_test]
async fn custom_redact_patterns_apply_after_the_built_in_ones() {
    let recorder = Recorder::new();
    let config = recorder.config("");
    let patterns = Array::of2(
        &js_sys::RegExp::new("ORD-\\d+", "").into(),
        &json(r#"{"type":"member"}"#),
    );
    Reflect::set(&patterns.get(1), &"pattern".into(), &"M\\d{4}".into()).unwrap();
    Reflect::set(&config, &"redactPatterns".into(), &patterns).unwrap();
    let c = collector(config);
    c.track(
        json(r#"{"type":"x","data":{"note":"ORD-1 ORD-22 for M1234 at a@b.io"}}"#).unchecked_ref(),
    );
    flush(&c).await;
    let note = field(&field(&recorder.events()[0], "data"), "note")
        .as_string()
        .unwrap();
    assert_eq!(
        note,
        "[REDACTED_CUSTOM] [REDACTED_CUSTOM] for [REDACTED_MEMBER] at [REDACTED_EMAIL]"
    );

    let error = construct_error(r#"{"redactPatterns":[5]}"#);
    assert!(field(&error, "message")
        .as_string()
        .unwrap()
        .starts_with("redactPatterns must be"));
    let error = construct_error(r#"{"redactPatterns":["(unclosed"]}"#);
    assert!(error.is_instance_of::<js_sys::TypeError>());
}

#[wasm_bindgen_test]
async fn identify_sends_only_a_salted_hash_of_the_user_id() {
    let recorder = Recorder::new();
    let c = collector(recorder.config(r#","userIdSalt":"pepper""#));
    assert!(c.identify(
        "ann@example.com".into(),
        Some(json(r#"{"plan":"pro","email":"ann@example.com"}"#).unchecked_into())
    ));
    c.track(json(r#"{"type":"after"}"#).unchecked_ref());
    c.reset_user();
    c.track(json(r#"{"type":"anonymous"}"#).unchecked_ref());
    assert!(!c.identify("".into(), None));
    flush(&c).await;
    let events = recorder.events();
    let identify = &events[0];
    assert_eq!(
        field(identify, "type").as_string().as_deref(),
        Some("identify")
    );
    let hash = field(identify, "userId").as_string().unwrap();
    assert_eq!(hash.len(), 64);
    assert_eq!(field(&events[1], "userId").as_string(), Some(hash));
    assert!(field(&events[2], "userId").is_undefined());
    let traits = field(identify, "data");
    assert_eq!(field(&traits, "plan").as_string().as_deref(), Some("pro"));
    assert_eq!(
        field(&traits, "email").as_string().as_deref(),
        Some("[REDACTED]")
    );
    let text = JSON::stringify(&JsValue::from(Array::from_iter(events.iter()))).unwrap();
    assert!(!String::from(text).contains("ann@"));
}

#[wasm_bindgen_test]
async fn consent_can_be_required_granted_and_denied() {
    clear_consent();
    let recorder = Recorder::new();
    let c = collector(recorder.config(r#","requireConsent":true"#));
    assert_eq!(
        JsValue::from(c.get_consent()).as_string().as_deref(),
        Some("pending")
    );
    assert!(c.track(json(r#"{"type":"waits"}"#).unchecked_ref()));
    assert_eq!(flush(&c).await, 0.0);
    assert!(recorder.events().is_empty());
    assert!(!c.set_consent("maybe".into()));
    assert!(c.set_consent("granted".into()));
    assert_eq!(flush(&c).await, 1.0);
    assert!(c.set_consent("denied".into()));
    assert!(!c.track(json(r#"{"type":"refused"}"#).unchecked_ref()));
    let stored = web_sys::window()
        .unwrap()
        .local_storage()
        .unwrap()
        .unwrap()
        .get_item("telemetry-consent")
        .unwrap();
    assert_eq!(stored.as_deref(), Some("denied"));
    let later = collector(recorder.config(""));
    assert_eq!(
        JsValue::from(later.get_consent()).as_string().as_deref(),
        Some("denied")
    );
    clear_consent();
}
