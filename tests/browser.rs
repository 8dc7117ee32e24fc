//! Browser tests of the wasm boundary, run by wasm-bindgen-test in headless Chromium:
//! `cargo test --target wasm32-unknown-unknown --test browser`.
//!
//! What runs here is the boundary as the package's JavaScript sees it, compiled to wasm32:
//! The wasm boundary, one core class per JS class: `CollectorCore`, `ErrorsCore`, `VitalsCore`,
//! `HealthCore`, `AnalyticsCore`, `LlmCore` and `StreamCore` (the rules under the JS
//! `TelemetryCollector`, `ErrorTracking`, `PerformanceMetrics`, `HealthCheck`,
//! `UsageAnalytics`, `LlmTelemetry` and `LlmStream`), and `redact`. Every method is called
//! through the class's generated JS glue (the instance's prototype methods, via `Reflect`), so
//! argument conversions, `undefined` for absent values and thrown errors are the ones a page
//! gets. The JS classes' own browser behaviour (transports, timers, listeners, storage,
//! observers, running the health checks) is covered by tests/e2e.
//!
//! The tests in `config_parsing` need the real `ConfigPatch::from_json` and `Config::to_json`;
//! while src/core/config.rs has its temporary stubs they fail, and
//! `cargo test --target wasm32-unknown-unknown --test browser -- --skip config_parsing` runs the
//! rest.
#![cfg(target_arch = "wasm32")]

use js_sys::{
    Array, BigInt, Float64Array, Function, Object, Proxy, Reflect, Symbol, Uint8Array, JSON,
};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;
use wasm_telemetry::{
    redact, AnalyticsCore, CollectorCore, ErrorsCore, HealthCore, LlmCore, StreamCore, VitalsCore,
};

wasm_bindgen_test_configure!(run_in_browser);

/// The clock every call is given: Tue, 14 Nov 2023 22:13:20 GMT.
const NOW: f64 = 1_700_000_000_000.0;
const UNDEF: JsValue = JsValue::UNDEFINED;
/// What the recording links answer for `userHash(id)`.
const LINK_HASH: &str = "0123456789abcdef";

// ---------------------------------------------------------------------------------------------
// JS values

fn parse(text: &str) -> JsValue {
    JSON::parse(text).unwrap_or_else(|_| panic!("not JSON: {text}"))
}

/// `value[key]` (one key, which may contain dots).
fn get(value: &JsValue, key: &str) -> JsValue {
    Reflect::get(value, &key.into()).unwrap_or(UNDEF)
}

/// `value.a.b.c` for the path `a.b.c`.
fn at(value: &JsValue, path: &str) -> JsValue {
    path.split('.').fold(value.clone(), |v, key| get(&v, key))
}

fn num(value: &JsValue, path: &str) -> f64 {
    at(value, path)
        .as_f64()
        .unwrap_or_else(|| panic!("{path} is not a number in {value:?}"))
}

fn text(value: &JsValue, path: &str) -> Option<String> {
    at(value, path).as_string()
}

fn items(value: &JsValue) -> Vec<JsValue> {
    assert!(Array::is_array(value), "not an array: {value:?}");
    value.unchecked_ref::<Array>().iter().collect()
}

/// An object's own enumerable keys, in order.
fn keys(value: &JsValue) -> Vec<String> {
    Object::keys(value.unchecked_ref::<Object>())
        .iter()
        .map(|key| key.as_string().unwrap())
        .collect()
}

fn opt(value: Option<&str>) -> JsValue {
    value.map_or(UNDEF, JsValue::from_str)
}

fn symbol() -> JsValue {
    Symbol::for_("wasm-telemetry-test").into()
}

fn bigint() -> JsValue {
    BigInt::from(5u64).into()
}

/// A proxy whose every trap throws.
fn hostile_proxy() -> JsValue {
    let handler = Function::new_with_args(
        "",
        "const trap = () => { throw new Error('trap'); };
         return { get: trap, has: trap, ownKeys: trap, getOwnPropertyDescriptor: trap,
                  getPrototypeOf: trap, apply: trap };",
    )
    .call0(&UNDEF)
    .unwrap();
    Proxy::new(&Object::new(), handler.unchecked_ref()).into()
}

/// A revoked proxy: even `Array.isArray` throws on it.
fn revoked_proxy() -> JsValue {
    Function::new_with_args(
        "",
        "const { proxy, revoke } = Proxy.revocable({}, {}); revoke(); return proxy;",
    )
    .call0(&UNDEF)
    .unwrap()
}

fn is_hex_digest(value: &str) -> bool {
    value.len() == 64 && value.bytes().all(|b| b.is_ascii_hexdigit())
}

/// The page's address as the JS class passes it (origin and path).
fn page_url() -> String {
    let location = get(&js_sys::global(), "location");
    [text(&location, "origin"), text(&location, "pathname")]
        .map(Option::unwrap_or_default)
        .concat()
}

// ---------------------------------------------------------------------------------------------
// The exported classes, through their JS glue

/// An instance of one of the crate's exported classes, used only through its JS glue.
#[derive(Clone)]
struct Glue(JsValue);

impl Glue {
    /// Calls `method`. A name the class does not export is an operation of its `call`, and
    /// gets its arguments as the JS classes send them: the numbers among the numbers,
    /// everything else among the texts.
    fn try_call(&self, method: &str, args: &[JsValue]) -> Result<JsValue, JsValue> {
        let Ok(function) = get(&self.0, method).dyn_into::<Function>() else {
            assert_ne!(method, "call", "no method {method}");
            let texts: Vec<JsValue> = args
                .iter()
                .filter(|a| a.as_f64().is_none())
                .cloned()
                .collect();
            let numbers: Vec<f64> = args.iter().filter_map(JsValue::as_f64).collect();
            return Ok(self.run(method, &texts, &numbers));
        };
        Reflect::apply(&function, &self.0, &args.iter().collect())
    }

    /// Calls `method`, failing the test if it throws.
    fn call(&self, method: &str, args: &[JsValue]) -> JsValue {
        self.try_call(method, args)
            .unwrap_or_else(|thrown| panic!("{method} threw {thrown:?}"))
    }

    /// Runs the operation `op` as js/read.js `run` does: `texts` as one JSON array, `numbers`
    /// as one `Float64Array`.
    fn run(&self, op: &str, texts: &[JsValue], numbers: &[f64]) -> JsValue {
        let texts = JSON::stringify(&texts.iter().collect::<Array>()).expect("plain texts");
        self.call(
            "call",
            &[op.into(), texts.into(), Float64Array::from(numbers).into()],
        )
    }
}

/// A `CollectorCore`, as js/telemetry-collector.js drives it.
#[derive(Clone)]
struct Core(Glue);

impl Core {
    /// The `CollectorCore` class as the glue exports it.
    fn class() -> Function {
        let any = CollectorCore::new("{}", &[0; 32], "", None, false).expect("defaults");
        get(&JsValue::from(any), "constructor").unchecked_into()
    }

    /// `new CollectorCore(configJson, seed, pageUrl, storedConsent, privacySignal)`.
    fn construct(
        config: &str,
        seed: u8,
        page: &str,
        stored_consent: Option<&str>,
        privacy_signal: bool,
    ) -> Result<Core, JsValue> {
        let args: Array = [
            config.into(),
            Uint8Array::from(&[seed; 32][..]).into(),
            page.into(),
            opt(stored_consent),
            privacy_signal.into(),
        ]
        .iter()
        .collect();
        Reflect::construct(&Self::class(), &args).map(|core| Core(Glue(core)))
    }

    /// A collector with `config`, on this page.
    fn with(config: &str) -> Core {
        Self::construct(config, 1, &page_url(), None, false)
            .unwrap_or_else(|e| panic!("{config} was refused: {e:?}"))
    }

    /// A collector with the default configuration, on this page, its session drawn from `seed`.
    fn seeded(seed: u8) -> Core {
        Self::construct("{}", seed, &page_url(), None, false).expect("default config")
    }

    fn new() -> Core {
        Self::seeded(1)
    }

    fn call(&self, method: &str, args: &[JsValue]) -> JsValue {
        self.0.call(method, args)
    }

    /// A method's string answer, `None` for `undefined`.
    fn string(&self, method: &str, args: &[JsValue]) -> Option<String> {
        let answer = self.call(method, args);
        assert!(
            answer.is_string() || answer.is_undefined(),
            "{method} gave {answer:?}"
        );
        answer.as_string()
    }

    fn number(&self, method: &str, args: &[JsValue]) -> f64 {
        let answer = self.call(method, args);
        answer
            .as_f64()
            .unwrap_or_else(|| panic!("{method} gave {answer:?}"))
    }

    /// `track(shape, kind, timestamp, data, now, hold)`: 0 dropped, 1 buffered, 2 held.
    fn track(
        &self,
        shape: u8,
        kind: JsValue,
        timestamp: JsValue,
        data: JsValue,
        hold: bool,
    ) -> f64 {
        self.number(
            "track",
            &[shape.into(), kind, timestamp, data, NOW.into(), hold.into()],
        )
    }

    /// A plain event `{ type, data }` with `data` already serialised.
    fn event(&self, kind: &str, data_json: &str) -> f64 {
        self.track(0, kind.into(), UNDEF, data_json.into(), false)
    }

    /// The same, held for `beforeSend`.
    fn held(&self, kind: &str, data_json: &str) -> f64 {
        self.track(0, kind.into(), UNDEF, data_json.into(), true)
    }

    fn status(&self) -> JsValue {
        parse(&self.string("status", &[NOW.into()]).expect("status JSON"))
    }

    fn count(&self, path: &str) -> f64 {
        num(&self.status(), path)
    }

    fn last_refusal(&self) -> String {
        self.string("lastRefusal", &[]).unwrap()
    }

    fn next_batch(&self) -> Option<String> {
        self.string("nextBatch", &[NOW.into()])
    }

    /// The transport body of batch `id` (default transport: the wire-format envelope).
    fn body(&self, id: &str) -> JsValue {
        let body = self.0.run("body", &[id.into()], &[0.0, NOW]).as_string();
        parse(&body.unwrap_or_else(|| panic!("no body for batch {id}")))
    }

    /// Cuts the next batch and returns its id and events.
    fn batch(&self) -> (String, Vec<JsValue>) {
        let id = self.next_batch().expect("a batch to send");
        let events = items(&get(&self.body(&id), "events"));
        (id, events)
    }

    fn settle(&self, id: &str, status: u16, retry_after: Option<&str>, error: Option<&str>) -> f64 {
        let texts = [id.into(), opt(retry_after), opt(error)];
        let answer = self.0.run("settle", &texts, &[f64::from(status), NOW]);
        answer
            .as_string()
            .and_then(|text| text.parse().ok())
            .unwrap_or_else(|| panic!("settle gave {answer:?}"))
    }

    fn journal(&self) -> Option<String> {
        self.string("takeJournal", &[])
    }

    fn preview(&self) -> Option<JsValue> {
        self.string("preview", &[]).map(|json| parse(&json))
    }

    fn revise(&self, shape: u8, kind: JsValue, data: JsValue) -> f64 {
        self.number("revise", &[shape.into(), kind, data])
    }
}

fn ids(events: &[JsValue]) -> Vec<String> {
    events.iter().map(|e| text(e, "id").unwrap()).collect()
}

fn types(events: &[JsValue]) -> Vec<String> {
    events.iter().map(|e| text(e, "type").unwrap()).collect()
}

/// The events a journal text holds, one `<stored-at> <event JSON>` line each.
fn journal_events(journal: &str) -> Vec<JsValue> {
    journal
        .lines()
        .map(|line| {
            let (stamp, event) = line.split_once(' ').expect("a journal line");
            assert_eq!(stamp, "1700000000000");
            parse(event)
        })
        .collect()
}

// ---------------------------------------------------------------------------------------------
// Construction and the status report

#[wasm_bindgen_test]
fn a_default_core_has_a_uuid_session_and_an_empty_granted_status() {
    let core = Core::new();
    let session = core.string("sessionId", &[]).unwrap();
    assert_eq!(session.len(), 36);
    assert_eq!(session.as_bytes()[14], b'4', "a v4 UUID: {session}");
    assert_ne!(Core::seeded(2).string("sessionId", &[]).unwrap(), session);
    assert_eq!(core.string("consent", &[]).as_deref(), Some("granted"));
    let status = core.status();
    for counter in ["size", "inFlight", "accepted", "sent", "dropped.invalid"] {
        assert_eq!(num(&status, counter), 0.0, "{counter}");
    }
    assert_eq!(text(&status, "breaker").as_deref(), Some("closed"));
    assert_eq!(get(&status, "online").as_bool(), Some(true));
    assert!(get(&status, "lastError").is_null());
    assert_eq!(core.number("buffered", &[]), 0.0);
    assert_eq!(core.next_batch(), None);
}

#[wasm_bindgen_test]
fn stored_consent_and_the_privacy_signal_set_the_initial_consent() {
    let page = page_url();
    let consent = |stored: Option<&str>, signal: bool| {
        let core = Core::construct("{}", 1, &page, stored, signal).unwrap();
        core.string("consent", &[]).unwrap()
    };
    assert_eq!(consent(Some("denied"), false), "denied");
    assert_eq!(consent(None, true), "denied");
    assert_eq!(consent(Some("granted"), true), "granted");
    assert_eq!(consent(Some("bogus"), false), "granted");
}

// ---------------------------------------------------------------------------------------------
// track(): hostile input is dropped and counted, valid events come out in wire format

#[wasm_bindgen_test]
fn shape_codes_for_non_objects_and_throwing_reads_are_dropped_as_invalid() {
    let core = Core::new();
    assert_eq!(core.track(1, "x".into(), UNDEF, UNDEF, false), 0.0);
    assert_eq!(
        core.last_refusal(),
        "(invalid) event must be an object with a string type"
    );
    assert_eq!(core.track(2, "x".into(), UNDEF, UNDEF, false), 0.0);
    assert_eq!(
        core.last_refusal(),
        "(invalid) event data must be a plain, serialisable object"
    );
    assert_eq!(core.count("dropped.invalid"), 2.0);
    assert_eq!(core.count("size"), 0.0);
}

#[wasm_bindgen_test]
fn hostile_types_are_dropped_as_invalid() {
    let core = Core::new();
    let kinds = [
        UNDEF,
        JsValue::NULL,
        symbol(),
        42.into(),
        bigint(),
        Object::new().into(),
        hostile_proxy(),
        "".into(),
        "   ".into(),
        "t".repeat(257).into(),
    ];
    for kind in &kinds {
        assert_eq!(
            core.track(0, kind.clone(), UNDEF, UNDEF, false),
            0.0,
            "{kind:?}"
        );
    }
    assert_eq!(core.count("dropped.invalid"), kinds.len() as f64);
    assert_eq!(core.count("accepted"), 0.0);
}

#[wasm_bindgen_test]
fn hostile_timestamps_are_dropped_as_invalid() {
    let core = Core::new();
    let timestamps = [
        f64::NAN.into(),
        f64::INFINITY.into(),
        (-1.0).into(),
        1e16.into(),
        Object::new().into(),
        js_sys::Date::new_0().into(),
        "yesterday".into(),
        symbol(),
        bigint(),
    ];
    for timestamp in &timestamps {
        let code = core.track(0, "x".into(), timestamp.clone(), UNDEF, false);
        assert_eq!(code, 0.0, "{timestamp:?}");
    }
    assert_eq!(
        core.last_refusal(),
        "(invalid) event timestamp must be a finite, non-negative number of milliseconds"
    );
    assert_eq!(core.count("dropped.invalid"), timestamps.len() as f64);
}

#[wasm_bindgen_test]
fn hostile_data_is_dropped_as_invalid() {
    let core = Core::new();
    let data = [
        JsValue::FALSE,
        JsValue::TRUE,
        JsValue::NULL,
        0.into(),
        symbol(),
        Object::new().into(),
        "not json".into(),
        "[1,2]".into(),
        "\"text\"".into(),
        "{\"open\":".into(),
        "{\"a\":1} trailing".into(),
        ["[".repeat(70), "]".repeat(70)].concat().into(),
        format!("{{\"deep\":{}1{}}}", "[".repeat(70), "]".repeat(70)).into(),
        format!("{{\"s\":\"{}\"}}", "x".repeat(49 * 1024)).into(),
    ];
    for value in &data {
        let code = core.track(0, "x".into(), UNDEF, value.clone(), false);
        assert_eq!(code, 0.0, "{value:?}");
    }
    assert_eq!(core.count("dropped.invalid"), data.len() as f64);
    assert_eq!(core.count("size"), 0.0);
    assert_eq!(core.event("still.works", "{}"), 1.0);
}

#[wasm_bindgen_test]
fn valid_events_come_out_of_the_next_batch_in_wire_format() {
    let core = Core::new();
    for n in 0..3 {
        assert_eq!(core.event("page.view", &format!("{{\"n\":{n}}}")), 1.0);
    }
    assert_eq!(
        core.track(0, "stamped".into(), 1234.6.into(), UNDEF, false),
        1.0
    );
    assert_eq!(
        core.track(0, "null.stamp".into(), JsValue::NULL, UNDEF, false),
        1.0
    );
    assert_eq!(core.number("buffered", &[]), 5.0);

    let id = core.next_batch().expect("a batch");
    assert_eq!(core.number("batchLength", &[id.as_str().into()]), 5.0);
    let body = core.body(&id);
    assert_eq!(text(&body, "batchId"), Some(id.clone()));
    assert_eq!(num(&body, "sentAt"), NOW);
    assert_eq!(text(&body, "sdk.name").as_deref(), Some("wasm-telemetry"));
    assert!(text(&body, "sdk.version").is_some_and(|v| !v.is_empty()));
    let events = items(&get(&body, "events"));
    assert_eq!(
        types(&events),
        [
            "page.view",
            "page.view",
            "page.view",
            "stamped",
            "null.stamp"
        ]
    );
    let mut unique = ids(&events);
    unique.sort();
    unique.dedup();
    assert_eq!(unique.len(), 5);
    assert!(unique.iter().all(|id| id.len() == 36));
    let session = core.string("sessionId", &[]);
    let page = page_url();
    for (n, event) in events.iter().enumerate() {
        assert_eq!(
            keys(event),
            ["id", "type", "timestamp", "sessionId", "data", "context"]
        );
        assert_eq!(text(event, "sessionId"), session);
        assert_eq!(text(event, "context.url").as_deref(), Some(page.as_str()));
        if n < 3 {
            assert_eq!(num(event, "data.n"), n as f64);
            assert_eq!(num(event, "timestamp"), NOW);
        }
    }
    assert_eq!(num(&events[3], "timestamp"), 1235.0);
    assert_eq!(num(&events[4], "timestamp"), NOW);
    assert!(keys(&get(&events[3], "data")).is_empty());

    let status = core.status();
    assert_eq!(
        (
            num(&status, "accepted"),
            num(&status, "inFlight"),
            num(&status, "size")
        ),
        (5.0, 5.0, 0.0)
    );
    assert_eq!(core.next_batch(), None, "nothing else waits");
}

#[wasm_bindgen_test]
fn unknown_batch_ids_have_no_body_and_no_length() {
    let core = Core::new();
    core.event("x", "{}");
    let body = |id: &str, part: f64| core.0.run("body", &[id.into()], &[part, NOW]);
    assert!(body("no-such-batch", 0.0).is_undefined());
    assert_eq!(core.number("batchLength", &["no-such-batch".into()]), 0.0);
    let id = core.next_batch().unwrap();
    assert!(body(&id, 1.0).is_undefined(), "metrics are OTLP-only");
}

#[wasm_bindgen_test]
fn the_context_url_is_the_page_url_given_to_the_constructor_redacted() {
    let core =
        Core::construct("{}", 1, "https://shop.example/users/ann@x.io", None, false).unwrap();
    core.event("x", "{}");
    let (_, events) = core.batch();
    assert_eq!(
        text(&events[0], "context.url").as_deref(),
        Some("https://shop.example/users/[REDACTED_EMAIL]")
    );
}

#[wasm_bindgen_test]
fn metrics_and_errors_read_by_the_js_class_become_events() {
    let core = Core::new();
    let metric = |json: JsValue| core.number("trackMetric", &[json, NOW.into(), false.into()]);
    assert_eq!(metric(UNDEF), 0.0);
    assert_eq!(metric(r#"{"name":"lcp","value":"fast"}"#.into()), 0.0);
    assert_eq!(metric(r#"{"name":"","value":1}"#.into()), 0.0);
    assert_eq!(metric(r#"{"name":"x","value":1,"unit":5}"#.into()), 0.0);
    assert_eq!(metric("[1]".into()), 0.0);
    assert_eq!(core.count("dropped.invalid"), 5.0);
    assert_eq!(
        metric(r#"{"name":"api.latency","value":150.5,"unit":"ms"}"#.into()),
        1.0
    );
    let error = core.0.run(
        "trackError",
        &[
            "TypeError".into(),
            "x is undefined for ann@example.com".into(),
            "TypeError: x\n    at f (app.js:1:2)".into(),
            r#"{"op":"save"}"#.into(),
            false.into(),
        ],
        &[NOW],
    );
    assert_eq!(error.as_string().as_deref(), Some("1"));
    let plain = core.0.run(
        "trackError",
        &[
            "Error".into(),
            "plain string".into(),
            UNDEF,
            UNDEF,
            false.into(),
        ],
        &[NOW],
    );
    assert_eq!(plain.as_string().as_deref(), Some("1"));
    let (_, events) = core.batch();
    assert_eq!(types(&events), ["performance", "error", "error"]);
    assert_eq!(num(&events[0], "data.value"), 150.5);
    assert_eq!(text(&events[1], "data.name").as_deref(), Some("TypeError"));
    assert_eq!(
        text(&events[1], "data.message").as_deref(),
        Some("x is undefined for [REDACTED_EMAIL]")
    );
    assert!(text(&events[1], "data.stack").is_some_and(|s| s.contains("app.js")));
    assert_eq!(text(&events[1], "data.context.op").as_deref(), Some("save"));
    assert_eq!(
        text(&events[2], "data.message").as_deref(),
        Some("plain string")
    );
    assert!(at(&events[2], "data.stack").is_undefined());
}

#[wasm_bindgen_test]
fn an_offline_core_cuts_no_batch_until_it_is_online() {
    let core = Core::new();
    core.event("x", "{}");
    core.call("setOnline", &[false.into()]);
    assert_eq!(core.next_batch(), None);
    assert_eq!(get(&core.status(), "online").as_bool(), Some(false));
    assert_eq!(core.number("waitMs", &[NOW.into()]), 0.0);
    core.call("setOnline", &[true.into()]);
    let (_, events) = core.batch();
    assert_eq!(types(&events), ["x"]);
}

#[wasm_bindgen_test]
fn a_destroyed_core_refuses_events_but_still_delivers_what_it_holds() {
    let core = Core::new();
    core.event("before", "{}");
    core.call("destroy", &[]);
    core.call("destroy", &[]);
    assert_eq!(core.event("late", "{}"), 0.0);
    assert_eq!(core.count("dropped.disabled"), 1.0);
    let (_, events) = core.batch();
    assert_eq!(types(&events), ["before"]);
}

// ---------------------------------------------------------------------------------------------
// Redaction

#[wasm_bindgen_test]
fn pii_in_types_strings_and_sensitive_fields_is_redacted_before_buffering() {
    let core = Core::new();
    let data = r#"{"note":"write to ann@example.com","email":"ann@example.com",
                   "userEmail":"x","nested":{"list":["cc ann@example.com",7]}}"#;
    assert_eq!(core.event("signup ann@example.com", data), 1.0);
    let id = core.next_batch().unwrap();
    let raw = core
        .0
        .run("body", &[id.as_str().into()], &[0.0, NOW])
        .as_string()
        .unwrap();
    assert!(!raw.contains("ann@example.com"), "{raw}");
    let event = &items(&get(&parse(&raw), "events"))[0];
    assert_eq!(
        text(event, "type").as_deref(),
        Some("signup [REDACTED_EMAIL]")
    );
    assert_eq!(
        text(event, "data.note").as_deref(),
        Some("write to [REDACTED_EMAIL]")
    );
    assert_eq!(text(event, "data.email").as_deref(), Some("[REDACTED]"));
    assert_eq!(text(event, "data.userEmail").as_deref(), Some("[REDACTED]"));
    let list = items(&at(event, "data.nested.list"));
    assert_eq!(list[0].as_string().as_deref(), Some("cc [REDACTED_EMAIL]"));
    assert_eq!(list[1].as_f64(), Some(7.0));
}

/// A patterns function like the one the JS class compiles from `redactPatterns`, recording
/// every text it is given in `seen`.
fn order_patterns(seen: &Array) -> Function {
    Function::new_with_args(
        "seen",
        "return (text) => {
           seen.push(text);
           const out = text.replace(/ORD-\\d+/g, '[REDACTED_ORDER]');
           return out === text ? undefined : out;
         };",
    )
    .call1(&UNDEF, seen)
    .unwrap()
    .unchecked_into()
}

#[wasm_bindgen_test]
fn the_patterns_function_sees_every_string_after_the_built_in_patterns_and_replaces_it() {
    let core = Core::new();
    let seen = Array::new();
    core.call("setPatterns", &[order_patterns(&seen).into()]);
    let data = r#"{"note":"ORD-7 for a@b.io","items":["ORD-12"],"count":3}"#;
    assert_eq!(core.event("order ORD-99", data), 1.0);
    let seen: Vec<String> = seen.iter().map(|t| t.as_string().unwrap()).collect();
    for expected in [
        "order ORD-99",
        "note",
        "ORD-7 for [REDACTED_EMAIL]",
        "ORD-12",
    ] {
        assert!(seen.iter().any(|t| t == expected), "{expected} in {seen:?}");
    }
    let (_, events) = core.batch();
    assert_eq!(
        text(&events[0], "type").as_deref(),
        Some("order [REDACTED_ORDER]")
    );
    assert_eq!(
        text(&events[0], "data.note").as_deref(),
        Some("[REDACTED_ORDER] for [REDACTED_EMAIL]")
    );
    assert_eq!(
        items(&at(&events[0], "data.items"))[0]
            .as_string()
            .as_deref(),
        Some("[REDACTED_ORDER]")
    );
    assert_eq!(num(&events[0], "data.count"), 3.0);

    core.call("setPatterns", &[UNDEF]);
    core.event("order ORD-5", "{}");
    let (_, events) = core.batch();
    assert_eq!(text(&events[0], "type").as_deref(), Some("order ORD-5"));
}

#[wasm_bindgen_test]
fn a_throwing_or_non_string_patterns_function_leaves_the_text_as_it_was() {
    for body in [
        "throw new Error('patterns failed');",
        "throw 'a string';",
        "return 42;",
        "return null;",
        "return { toString() { return 'changed'; } };",
    ] {
        let core = Core::new();
        let patterns = Function::new_with_args("text", body);
        core.call("setPatterns", &[patterns.into()]);
        let data = r#"{"note":"ORD-7 for a@b.io"}"#;
        assert_eq!(core.event("order ORD-1", data), 1.0, "{body}");
        let (_, events) = core.batch();
        assert_eq!(text(&events[0], "type").as_deref(), Some("order ORD-1"));
        assert_eq!(
            text(&events[0], "data.note").as_deref(),
            Some("ORD-7 for [REDACTED_EMAIL]"),
            "{body}"
        );
        assert_eq!(core.count("dropped.invalid"), 0.0);
    }
}

#[wasm_bindgen_test]
fn the_redact_export_cleans_strings_and_gives_empty_text_for_anything_else() {
    assert_eq!(
        redact("mail ann@example.com now".into()),
        "mail [REDACTED_EMAIL] now"
    );
    assert_eq!(redact("nothing to hide".into()), "nothing to hide");
    for value in [
        UNDEF,
        JsValue::NULL,
        42.into(),
        symbol(),
        bigint(),
        Object::new().into(),
        hostile_proxy(),
        revoked_proxy(),
    ] {
        assert_eq!(redact(value.clone()), "", "{value:?}");
    }
}

// ---------------------------------------------------------------------------------------------
// The beforeSend path: hold, preview, revise, dropHeld

#[wasm_bindgen_test]
fn a_held_event_is_previewed_in_wire_format_and_revised_with_its_id() {
    let core = Core::new();
    assert_eq!(core.preview().map(|_| ()), None, "nothing held yet");
    assert_eq!(
        core.held("keep", r#"{"n":1,"mail":"ann@example.com"}"#),
        2.0
    );
    assert_eq!(core.number("buffered", &[]), 0.0);
    assert_eq!(core.count("accepted"), 0.0);
    let preview = core.preview().expect("the held event");
    let id = text(&preview, "id").unwrap();
    assert_eq!(id.len(), 36);
    assert_eq!(text(&preview, "type").as_deref(), Some("keep"));
    assert_eq!(num(&preview, "timestamp"), NOW);
    assert_eq!(text(&preview, "sessionId"), core.string("sessionId", &[]));
    assert_eq!(num(&preview, "data.n"), 1.0);
    assert_eq!(
        text(&preview, "data.mail").as_deref(),
        Some("[REDACTED_EMAIL]"),
        "beforeSend sees redacted data"
    );
    assert_eq!(text(&preview, "context.url"), Some(page_url()));

    let edited = core.revise(
        0,
        "keep.edited".into(),
        r#"{"n":2,"added":"mail x@y.io"}"#.into(),
    );
    assert_eq!(edited, 1.0);
    assert_eq!(core.count("accepted"), 1.0);
    let (_, events) = core.batch();
    assert_eq!(ids(&events), [id]);
    assert_eq!(types(&events), ["keep.edited"]);
    assert_eq!(num(&events[0], "data.n"), 2.0);
    assert_eq!(
        text(&events[0], "data.added").as_deref(),
        Some("mail [REDACTED_EMAIL]"),
        "what beforeSend returns is redacted again"
    );
    assert_eq!(num(&events[0], "timestamp"), NOW);
}

#[wasm_bindgen_test]
fn revise_with_nothing_returned_or_drop_held_drops_counted_as_before_send() {
    let core = Core::new();
    assert_eq!(core.held("a", "{}"), 2.0);
    assert_eq!(core.revise(1, UNDEF, UNDEF), 0.0);
    assert_eq!(core.count("dropped.beforeSend"), 1.0);
    assert_eq!(core.held("b", "{}"), 2.0);
    assert_eq!(core.number("dropHeld", &[]), 0.0);
    assert_eq!(core.count("dropped.beforeSend"), 2.0);
    assert_eq!(core.last_refusal(), "(beforeSend) ");
    assert_eq!(core.number("buffered", &[]), 0.0);
    assert_eq!(core.preview().map(|_| ()), None);
}

#[wasm_bindgen_test]
fn unreadable_before_send_results_are_dropped_as_invalid() {
    let core = Core::new();
    let results = [
        (2, "x".into(), UNDEF),
        (0, 42.into(), UNDEF),
        (0, UNDEF, UNDEF),
        (0, symbol(), UNDEF),
        (0, "".into(), UNDEF),
        (0, "x".into(), JsValue::FALSE),
        (0, "x".into(), "[1]".into()),
        (0, "x".into(), "not json".into()),
    ];
    for (shape, kind, data) in &results {
        assert_eq!(core.held("original", "{}"), 2.0);
        let code = core.revise(*shape, kind.clone(), data.clone());
        assert_eq!(code, 0.0, "{shape} {kind:?} {data:?}");
    }
    assert_eq!(core.count("dropped.invalid"), results.len() as f64);
    assert_eq!(core.count("dropped.beforeSend"), 0.0);
    assert_eq!(core.number("buffered", &[]), 0.0);
}

#[wasm_bindgen_test]
fn nested_holds_are_previewed_innermost_first_and_each_event_is_kept() {
    let core = Core::new();
    assert_eq!(core.held("outer", "{}"), 2.0);
    // beforeSend itself tracks an event: it is held above the first.
    assert_eq!(core.held("inner", "{}"), 2.0);
    let inner = core.preview().unwrap();
    assert_eq!(text(&inner, "type").as_deref(), Some("inner"));
    assert_eq!(core.revise(0, "inner".into(), UNDEF), 1.0);
    let outer = core.preview().unwrap();
    assert_eq!(text(&outer, "type").as_deref(), Some("outer"));
    assert_eq!(core.revise(0, "outer".into(), UNDEF), 1.0);
    assert_eq!(core.preview().map(|_| ()), None);
    let (_, events) = core.batch();
    assert_eq!(types(&events), ["inner", "outer"]);
    assert_eq!(
        ids(&events),
        [text(&inner, "id").unwrap(), text(&outer, "id").unwrap()]
    );
}

#[wasm_bindgen_test]
fn an_event_held_while_consent_is_denied_is_dropped_for_consent() {
    let core = Core::new();
    assert_eq!(core.held("x", "{}"), 2.0);
    core.call("setConsent", &["denied".into()]);
    assert_eq!(core.revise(0, "x".into(), UNDEF), 0.0);
    assert_eq!(core.count("dropped.consent"), 1.0);
    assert_eq!(core.count("accepted"), 0.0);
}

// ---------------------------------------------------------------------------------------------
// Delivery: settle()

#[wasm_bindgen_test]
fn a_delivered_batch_settles_with_minus_one_and_counts_sent() {
    let core = Core::new();
    core.event("a", "{}");
    core.event("b", "{}");
    let (id, _) = core.batch();
    assert_eq!(core.settle(&id, 200, None, None), -1.0);
    let status = core.status();
    assert_eq!(
        (
            num(&status, "sent"),
            num(&status, "inFlight"),
            num(&status, "size")
        ),
        (2.0, 0.0, 0.0)
    );
    assert!(get(&status, "lastError").is_null());
    assert_eq!(core.number("batchLength", &[id.as_str().into()]), 0.0);
    // Settling the same batch again counts nothing twice.
    core.settle(&id, 200, None, None);
    assert_eq!(core.count("sent"), 2.0);
}

#[wasm_bindgen_test]
fn a_503_gives_a_backoff_delay_and_the_same_events_come_back_in_the_next_batch() {
    let core = Core::new();
    core.event("a", "{}");
    core.event("b", "{}");
    let (first, events) = core.batch();
    let sent = ids(&events);
    let delay = core.settle(&first, 503, None, None);
    // The first retry waits a jittered time up to the default retryBaseMs (1000).
    assert!((0.0..=1000.0).contains(&delay), "{delay}");
    let status = core.status();
    assert_eq!(
        (num(&status, "failedAttempts"), num(&status, "size")),
        (1.0, 2.0)
    );
    assert_eq!(text(&status, "lastError").as_deref(), Some("HTTP 503"));
    assert_eq!(text(&status, "breaker").as_deref(), Some("closed"));
    let (_, again) = core.batch();
    assert_eq!(ids(&again), sent);
    assert_eq!(types(&again), ["a", "b"]);
}

#[wasm_bindgen_test]
fn retryable_statuses_and_network_errors_keep_the_events() {
    for (status, error, last_error) in [
        (429, None, "HTTP 429"),
        (408, None, "HTTP 408"),
        (500, None, "HTTP 500"),
        (0, Some("network down"), "network down"),
    ] {
        let core = Core::new();
        core.event("x", "{}");
        let (id, _) = core.batch();
        let delay = core.settle(&id, status, None, error);
        assert!(delay >= 0.0, "{status}: {delay}");
        assert_eq!(core.count("size"), 1.0, "{status}");
        assert_eq!(
            text(&core.status(), "lastError").as_deref(),
            Some(last_error)
        );
    }
}

#[wasm_bindgen_test]
fn a_400_drops_the_batch_with_minus_two_counted_as_rejected() {
    let core = Core::new();
    core.event("a", "{}");
    core.event("b", "{}");
    let (id, _) = core.batch();
    assert_eq!(core.settle(&id, 400, None, None), -2.0);
    let status = core.status();
    assert_eq!(
        (
            num(&status, "dropped.rejected"),
            num(&status, "size"),
            num(&status, "sent")
        ),
        (2.0, 0.0, 0.0)
    );
    assert_eq!(text(&status, "lastError").as_deref(), Some("HTTP 400"));
    assert_eq!(core.next_batch(), None);
}

#[wasm_bindgen_test]
fn retry_after_in_seconds_or_as_an_http_date_sets_the_delay() {
    let core = Core::new();
    core.event("x", "{}");
    let (id, _) = core.batch();
    assert_eq!(core.settle(&id, 503, Some("3"), None), 3000.0);
    let (id, _) = core.batch();
    // NOW is 22:13:20 GMT: five seconds later.
    let date = "Tue, 14 Nov 2023 22:13:25 GMT";
    assert_eq!(core.settle(&id, 429, Some(date), None), 5000.0);
    let (id, _) = core.batch();
    assert_eq!(core.settle(&id, 503, Some("999999"), None), 3_600_000.0);
    let (id, _) = core.batch();
    let jittered = core.settle(&id, 503, Some("soon"), None);
    assert!((0.0..=8000.0).contains(&jittered), "{jittered}");
}

// ---------------------------------------------------------------------------------------------
// The journal

#[wasm_bindgen_test]
fn the_journal_is_taken_once_per_change_and_its_writes_are_counted() {
    let core = Core::new();
    assert_eq!(core.journal(), None, "nothing changed yet");
    core.event("a", r#"{"n":1}"#);
    core.event("b", "{}");
    let journal = core.journal().expect("a journal after events");
    let journaled = journal_events(&journal);
    assert_eq!(types(&journaled), ["a", "b"]);
    assert_eq!(core.journal(), None, "unchanged");
    core.call("journalWritten", &[true.into()]);
    assert_eq!(core.count("persisted"), 2.0);
    core.call("journalWritten", &[false.into()]);
    let status = core.status();
    assert_eq!(
        (num(&status, "persisted"), num(&status, "persistFailures")),
        (0.0, 1.0)
    );
    assert_eq!(core.journal(), Some(journal), "a failed write is retried");

    let (id, events) = core.batch();
    assert_eq!(ids(&events), ids(&journaled));
    assert_eq!(core.settle(&id, 200, None, None), -1.0);
    assert_eq!(core.journal().as_deref(), Some(""), "empty: remove the key");
}

#[wasm_bindgen_test]
fn a_journal_adopted_by_another_core_comes_out_of_its_batches_with_the_same_ids() {
    let gone = Core::seeded(1);
    gone.event("a", r#"{"n":1}"#);
    gone.event("b", r#"{"n":2}"#);
    let journal = gone.journal().unwrap();
    let gone_ids = ids(&journal_events(&journal));
    let gone_session = gone.string("sessionId", &[]);

    let next = Core::seeded(2);
    assert!(next.call("mayRecover", &[]).as_bool().unwrap());
    next.event("own", "{}");
    next.call("adopt", &[journal.as_str().into(), NOW.into()]);
    assert_eq!(next.count("recovered"), 2.0);
    assert_eq!(next.number("buffered", &[]), 3.0);
    assert!(next.journal().is_some_and(|j| j.lines().count() == 3));
    let (_, events) = next.batch();
    assert_eq!(types(&events), ["a", "b", "own"], "adopted events go first");
    assert_eq!(ids(&events)[..2], gone_ids[..]);
    assert_eq!(text(&events[0], "sessionId"), gone_session);
    assert_ne!(text(&events[2], "sessionId"), gone_session);
    assert_eq!(num(&events[1], "data.n"), 2.0);

    // Taking the same journal in again (another tab found it too) duplicates nothing.
    next.call("adopt", &[journal.as_str().into(), NOW.into()]);
    assert_eq!(next.count("recovered"), 2.0);
    assert_eq!(next.number("buffered", &[]), 0.0);
}

#[wasm_bindgen_test]
fn corrupt_and_week_old_journal_lines_are_counted_not_adopted() {
    let gone = Core::seeded(1);
    gone.event("a", "{}");
    let journal = gone.journal().unwrap();
    let next = Core::seeded(2);
    let week = 8.0 * 24.0 * 3600.0 * 1000.0;
    next.call("adopt", &[journal.as_str().into(), (NOW + week).into()]);
    let garbage = "garbage\n12 {\"id\":\"short\"}\n";
    next.call("adopt", &[garbage.into(), NOW.into()]);
    let status = next.status();
    assert_eq!(
        (
            num(&status, "expired"),
            num(&status, "corrupt"),
            num(&status, "recovered"),
            num(&status, "size")
        ),
        (1.0, 2.0, 0.0, 0.0)
    );
}

// ---------------------------------------------------------------------------------------------
// Consent and identity

#[wasm_bindgen_test]
fn denying_consent_purges_refuses_and_stores_nothing_until_granted() {
    let core = Core::new();
    core.event("a", "{}");
    core.event("b", "{}");
    let denied = core.string("setConsent", &["denied".into()]);
    assert_eq!(denied.as_deref(), Some("denied"));
    assert_eq!(core.string("consent", &[]).as_deref(), Some("denied"));
    assert_eq!(core.number("buffered", &[]), 0.0);
    assert_eq!(core.count("dropped.consent"), 2.0, "the buffer was purged");
    assert_eq!(core.event("refused", "{}"), 0.0);
    assert_eq!(core.count("dropped.consent"), 3.0);
    assert_eq!(core.last_refusal(), "(consent) ");
    assert_eq!(core.next_batch(), None);
    assert_eq!(core.journal(), None);
    assert_eq!(core.call("mayRecover", &[]).as_bool(), Some(false));

    let granted = core.string("setConsent", &["granted".into()]);
    assert_eq!(granted.as_deref(), Some("granted"));
    assert_eq!(core.event("welcome", "{}"), 1.0);
    assert_eq!(types(&core.batch().1), ["welcome"]);
}

#[wasm_bindgen_test]
fn set_consent_with_anything_but_granted_or_denied_returns_empty_and_changes_nothing() {
    let core = Core::new();
    for choice in [
        "bogus".into(),
        "pending".into(),
        "GRANTED".into(),
        5.into(),
        UNDEF,
        symbol(),
        hostile_proxy(),
    ] {
        let applied = core.string("setConsent", std::slice::from_ref(&choice));
        assert_eq!(applied.as_deref(), Some(""), "{choice:?}");
        assert_eq!(core.string("consent", &[]).as_deref(), Some("granted"));
    }
    assert_eq!(core.event("still.collected", "{}"), 1.0);
}

#[wasm_bindgen_test]
fn consent_chosen_in_another_tab_is_followed() {
    let core = Core::new();
    let followed = core.string("followConsent", &["denied".into()]);
    assert_eq!(followed.as_deref(), Some("denied"));
    assert_eq!(core.event("x", "{}"), 0.0);
    // The choice was removed: back to the default (consent not required).
    let followed = core.string("followConsent", &[UNDEF]);
    assert_eq!(followed.as_deref(), Some("granted"));
    assert_eq!(core.event("x", "{}"), 1.0);
}

#[wasm_bindgen_test]
fn identify_with_a_whole_number_sends_its_salted_hash_never_the_id() {
    let core = Core::new();
    assert_eq!(core.call("identify", &[42.into()]).as_bool(), Some(true));
    core.event("after", "{}");
    core.call("resetUser", &[]);
    core.event("anonymous", "{}");
    let (_, events) = core.batch();
    let user = text(&events[0], "userId").expect("a userId");
    assert!(is_hex_digest(&user), "{user}");
    assert_ne!(user, "42");
    assert_eq!(core.string("userHash", &["42".into()]), Some(user.clone()));
    assert!(get(&events[1], "userId").is_undefined());

    assert_eq!(core.call("identify", &["42".into()]).as_bool(), Some(true));
    core.event("by.string", "{}");
    let (_, events) = core.batch();
    assert_eq!(text(&events[0], "userId"), Some(user), "42 is '42'");
}

#[wasm_bindgen_test]
fn identify_refuses_fractions_and_non_ids() {
    let core = Core::new();
    for id in [
        1.5.into(),
        f64::NAN.into(),
        f64::INFINITY.into(),
        1e300.into(),
        "".into(),
        UNDEF,
        JsValue::NULL,
        Object::new().into(),
        symbol(),
        bigint(),
        hostile_proxy(),
    ] {
        assert_eq!(
            core.call("identify", std::slice::from_ref(&id)).as_bool(),
            Some(false),
            "{id:?}"
        );
    }
    core.event("x", "{}");
    let (_, events) = core.batch();
    assert!(get(&events[0], "userId").is_undefined());
}

// ---------------------------------------------------------------------------------------------
// Modules and their link

/// An `ErrorsCore` as js/error-tracking.js drives it, with `options` and the collector endpoint
/// `https://collector.example/v1/events`.
fn errors_core(options: &str) -> Result<Glue, JsValue> {
    let any = ErrorsCore::new("{}", None).expect("defaults");
    let class: Function = get(&JsValue::from(any), "constructor").unchecked_into();
    let args: Array = [
        JsValue::from(options),
        "https://collector.example/v1/events".into(),
    ]
    .iter()
    .collect();
    Reflect::construct(&class, &args).map(Glue)
}

/// What an `AnalyticsCore` method answered: `(type, data)` of an event, `None` for nothing.
fn analytics_event(answer: JsValue) -> Option<(String, JsValue)> {
    let text = answer.as_string()?;
    let (kind, data) = text.split_once('\n').expect("an event is `type\\ndata`");
    Some((kind.into(), parse(data)))
}

#[wasm_bindgen_test]
fn the_analytics_core_answers_with_typed_events_and_json_data() {
    let analytics = Glue(AnalyticsCore::new(None).into());
    let meta = JsValue::from_str(r#"{"source":"menu"}"#);
    let feature = analytics.call(
        "trackFeature",
        &["search".into(), "opened".into(), meta, 1000.into()],
    );
    let (kind, data) = analytics_event(feature).unwrap();
    assert_eq!(kind, "feature.used");
    assert_eq!(text(&data, "featureId").as_deref(), Some("search"));
    assert_eq!(text(&data, "action").as_deref(), Some("opened"));
    assert_eq!(text(&data, "meta.source").as_deref(), Some("menu"));

    let started = analytics.call("startConversation", &[7.into(), "openai".into(), 0.into()]);
    let message = analytics.call("trackMessage", &[7.into(), 120.into(), "user".into()]);
    let ended = analytics.call("endConversation", &[7.into(), true.into(), 5.into()]);
    let kinds: Vec<String> = [started, message.clone(), ended]
        .into_iter()
        .map(|answer| analytics_event(answer).unwrap().0)
        .collect();
    assert_eq!(
        kinds,
        [
            "conversation.started",
            "conversation.message",
            "conversation.ended"
        ]
    );
    let (_, message) = analytics_event(message).unwrap();
    assert_eq!(text(&message, "conversationId").as_deref(), Some("7"));
    assert_eq!(num(&message, "length"), 120.0);
    assert_eq!(text(&message, "role").as_deref(), Some("user"));
    assert!(get(&message, "content").is_undefined());
    let again = analytics.call("endConversation", &[7.into(), true.into(), 6.into()]);
    assert!(again.is_undefined(), "an ended conversation ends once");
    let stats = parse(
        &analytics
            .call("conversationStats", &[])
            .as_string()
            .unwrap(),
    );
    assert_eq!(num(&stats, "ended"), 1.0);
    assert_eq!(num(&stats, "avgDurationMs"), 5.0);
    let off = Glue(AnalyticsCore::new(Some(r#"{"trackFeatures":false}"#.into())).into());
    let nothing = off.call("trackFeature", &["f".into(), "a".into(), UNDEF, 0.into()]);
    assert!(nothing.is_undefined(), "trackFeatures: false sends nothing");
}

#[wasm_bindgen_test]
fn the_analytics_core_answers_hostile_values_with_an_invalid_call_and_never_throws() {
    let analytics = Glue(AnalyticsCore::new(None).into());
    let calls: Vec<(&str, Vec<JsValue>)> = vec![
        ("trackFeature", vec![UNDEF, UNDEF, UNDEF, 0.into()]),
        (
            "trackFeature",
            vec![symbol(), "opened".into(), UNDEF, 0.into()],
        ),
        (
            "trackFeature",
            vec!["f".into(), hostile_proxy(), UNDEF, 0.into()],
        ),
        (
            "startConversation",
            vec![bigint(), "openai".into(), 0.into()],
        ),
        (
            "startConversation",
            vec![revoked_proxy(), "openai".into(), 0.into()],
        ),
        (
            "trackMessage",
            vec!["c1".into(), "long".into(), "user".into()],
        ),
        ("endConversation", vec![JsValue::NULL, UNDEF, 0.into()]),
        (
            "trackProviderRequest",
            vec![42.into(), 10.into(), UNDEF, UNDEF],
        ),
        ("trackProactiveSuggestion", vec![1.5.into(), UNDEF]),
        ("trackProactiveAcceptance", vec!["s1".into(), "fast".into()]),
        ("trackProactiveDismissal", vec![Object::new().into()]),
    ];
    for (method, args) in &calls {
        let answer = analytics.try_call(method, args);
        assert_eq!(
            answer.as_ref().ok().and_then(|a| a.as_string()).as_deref(),
            Some(""),
            "{method}: {answer:?}"
        );
    }
}

#[wasm_bindgen_test]
fn module_events_submitted_to_a_core_reach_its_batches_and_bad_calls_count_as_invalid() {
    let core = Core::new();
    let analytics = Glue(AnalyticsCore::new(None).into());
    let meta = JsValue::from_str(r#"{"by":"ann@example.com"}"#);
    let feature = analytics.call(
        "trackFeature",
        &["export".into(), "clicked".into(), meta, 0.into()],
    );
    let (kind, data) = feature
        .as_string()
        .unwrap()
        .split_once('\n')
        .map(|(k, d)| (k.to_string(), d.to_string()))
        .unwrap();
    core.call(
        "submit",
        &[kind.into(), data.into(), 0.into(), false.into()],
    );
    let bad = analytics.call(
        "trackFeature",
        &[symbol(), "clicked".into(), UNDEF, 0.into()],
    );
    assert_eq!(bad.as_string().as_deref(), Some(""));
    core.call("submit", &[UNDEF, UNDEF, 0.into(), false.into()]);
    assert_eq!(core.count("dropped.invalid"), 1.0);
    assert_eq!(
        core.last_refusal(),
        "(invalid) ids, names and roles must be strings, and counts numbers"
    );
    // ErrorTracking's events go the same way: what ErrorsCore writes, submitted by the JS class.
    let errors = errors_core("{}").unwrap();
    let data = errors.run("recovery", &[symbol(), true.into()], &[]);
    assert!(data.is_undefined(), "not an id");
    let submitted = core.number("submit", &[UNDEF, UNDEF, NOW.into(), false.into()]);
    assert_eq!(submitted, 0.0, "the core refused it");
    assert_eq!(core.count("dropped.invalid"), 2.0);
    let data = errors.run("recovery", &["err-1".into(), true.into()], &[]);
    let submitted = core.number(
        "submit",
        &["error.recovery".into(), data, NOW.into(), false.into()],
    );
    assert_eq!(submitted, 1.0);

    let (_, events) = core.batch();
    assert_eq!(types(&events), ["feature.used", "error.recovery"]);
    assert_eq!(
        text(&events[0], "data.featureId").as_deref(),
        Some("export")
    );
    assert_eq!(
        text(&events[0], "data.meta.by").as_deref(),
        Some("[REDACTED_EMAIL]")
    );
    assert_eq!(text(&events[1], "data.errorId").as_deref(), Some("err-1"));
    assert_eq!(text(&events[0], "sessionId"), core.string("sessionId", &[]));
}

/// `new HealthCore(optionsJson, now)`, as js/health-check.js constructs it.
fn health_core(options: &str) -> Result<Glue, JsValue> {
    let any = HealthCore::new("{}", NOW).expect("defaults");
    let class: Function = get(&JsValue::from(any), "constructor").unchecked_into();
    let args: Array = [JsValue::from(options), NOW.into()].iter().collect();
    Reflect::construct(&class, &args).map(Glue)
}

#[wasm_bindgen_test]
fn health_core_answers_each_status_change_with_the_event_to_submit_and_reports_as_json() {
    let health = health_core(r#"{"checkIntervalMs":0,"failureThreshold":1}"#).unwrap();
    let wiring = parse(&health.call("wiring", &[]).as_string().unwrap());
    assert_eq!(at(&wiring, "enabled").as_bool(), Some(true));
    assert_eq!(num(&wiring, "timerMs"), 0.0);
    assert_eq!(num(&wiring, "timeoutMs"), 5000.0);
    health.call("register", &["db".into(), true.into(), UNDEF]);
    health.call("register", &["cache".into(), true.into(), false.into()]);
    // record: texts (name, outcome, status, message), numbers (responseTime, elapsedMs, now)
    let threw: [JsValue; 4] = ["db".into(), "threw".into(), UNDEF, "db down".into()];
    let threw_at = [f64::NAN, 3.0, NOW + 10.0];
    let db = parse(
        &health
            .run("record", &threw, &threw_at)
            .as_string()
            .expect("an event"),
    );
    assert_eq!(text(&db, "service").as_deref(), Some("db"));
    assert_eq!(text(&db, "status").as_deref(), Some("unhealthy"));
    assert_eq!(text(&db, "system").as_deref(), Some("unhealthy"));
    assert_eq!(text(&db, "message").as_deref(), Some("db down"));
    let answered: [JsValue; 4] = ["cache".into(), "answered".into(), "healthy".into(), UNDEF];
    let answered_at = [12.0, 3.0, NOW + 20.0];
    let cache = parse(
        &health
            .run("record", &answered, &answered_at)
            .as_string()
            .expect("an event"),
    );
    assert_eq!(keys(&cache), ["service", "status", "system"]);
    assert_eq!(text(&cache, "status").as_deref(), Some("healthy"));
    assert_eq!(health.call("isHealthy", &[]).as_bool(), Some(false));

    // Nothing changed: nothing to submit.
    assert!(health.run("record", &threw, &threw_at).is_undefined());
    let timed_out: [JsValue; 4] = ["cache".into(), "timedOut".into(), UNDEF, UNDEF];
    assert!(health
        .run("record", &timed_out, &[f64::NAN, 100.0, NOW + 30.0])
        .is_string());

    let report = parse(
        &health
            .call("report", &[(NOW + 40.0).into()])
            .as_string()
            .unwrap(),
    );
    assert_eq!(text(&report, "status").as_deref(), Some("unhealthy"));
    assert_eq!(num(&report, "uptime"), 40.0);
    assert_eq!(num(&report, "timestamp"), NOW + 40.0);
    let services = items(&get(&report, "services"));
    assert_eq!(
        keys(&services[1]),
        [
            "name",
            "status",
            "critical",
            "consecutiveFailures",
            "responseTime",
            "message",
            "lastChecked"
        ]
    );
    assert_eq!(text(&services[1], "message").as_deref(), Some("timed out"));
    assert_eq!(num(&services[1], "responseTime"), 100.0);
    assert_eq!(num(&services[1], "lastChecked"), NOW + 30.0);
    assert_eq!(at(&services[1], "critical").as_bool(), Some(false));
    health.call("unregister", &["db".into()]);
    health.call("unregister", &["cache".into()]);
    assert_eq!(health.call("isHealthy", &[]).as_bool(), Some(true));
}

#[wasm_bindgen_test]
fn health_core_refuses_bad_registrations_and_options_with_error_strings_the_class_throws() {
    let health = health_core(r#"{"checkIntervalMs":0}"#).unwrap();
    for (args, thrown) in [
        (
            [UNDEF, true.into(), UNDEF],
            "TregisterService: name must be a non-empty string",
        ),
        (
            ["".into(), true.into(), UNDEF],
            "TregisterService: name must be a non-empty string",
        ),
        (
            ["db".into(), false.into(), UNDEF],
            "TregisterService: check must be a function",
        ),
    ] {
        let error = health.try_call("register", &args).unwrap_err();
        assert_eq!(error.as_string().as_deref(), Some(thrown));
    }
    let report = parse(&health.call("report", &[NOW.into()]).as_string().unwrap());
    assert!(items(&get(&report, "services")).is_empty());
    for (options, thrown) in [
        (
            r#"{"timeoutMs":-1}"#,
            "RtimeoutMs must be between 1 and 600000",
        ),
        (
            r#"{"checkIntervalMs":{}}"#,
            "RcheckIntervalMs must be between 0 and 86400000",
        ),
        (
            r#"{"failureThreshold":null}"#,
            "RfailureThreshold must be between 1 and 1000",
        ),
    ] {
        let error = health_core(options).err().expect("refused");
        assert_eq!(error.as_string().as_deref(), Some(thrown), "{options}");
    }
    let disabled = health_core(r#"{"enabled":false,"checkIntervalMs":10}"#).unwrap();
    let wiring = parse(&disabled.call("wiring", &[]).as_string().unwrap());
    assert_eq!(num(&wiring, "timerMs"), 0.0);
    assert_eq!(at(&wiring, "enabled").as_bool(), Some(false));
}

/// An `LlmCore`, as js/llm-telemetry.js drives it: `new LlmCore(optionsJson, stored, now)`.
fn llm_core(options: &str, stored: JsValue) -> Result<Glue, JsValue> {
    let any = LlmCore::new("{}", None, NOW).expect("defaults");
    let class: Function = get(&JsValue::from(any), "constructor").unchecked_into();
    let args: Array = [options.into(), stored, NOW.into()].into_iter().collect();
    Reflect::construct(&class, &args).map(Glue)
}

#[wasm_bindgen_test]
fn llm_core_answers_in_json_and_queues_the_events_with_the_given_user_hash() {
    let llm = llm_core(r#"{"alertIntervalMs":0,"budgets":{"daily":0.0005}}"#, UNDEF).unwrap();
    let call = r#"{"provider":"openai","model":"gpt-4o","latencyMs":300,"userId":"ann@example.com",
        "usage":{"prompt_tokens":100,"completion_tokens":20}}"#;
    let cost = llm.call("trackCall", &[call.into(), LINK_HASH.into(), NOW.into()]);
    let cost = parse(&cost.as_string().expect("the cost's JSON"));
    assert_eq!(get(&cost, "currency").as_string().as_deref(), Some("USD"));
    let events: Vec<String> = Array::from(&llm.call("takeEvents", &[]))
        .iter()
        .map(|v| v.as_string().unwrap())
        .collect();
    assert_eq!(events.len(), 4, "{events:?}");
    assert_eq!(events[0], "gen_ai.call");
    assert_eq!(events[2], "llm.budget_alert");
    let data = parse(&events[1]);
    assert_eq!(
        get(&data, "user.id").as_string().as_deref(),
        Some(LINK_HASH)
    );
    assert!(!events[1].contains("ann@"), "{}", events[1]);
    assert!(
        llm.call("takeEvents", &[])
            .unchecked_into::<Array>()
            .length()
            == 0
    );
    let spend = llm
        .call("takeSpend", &[])
        .as_string()
        .expect("the spend to persist");
    assert!(spend.contains("\"daySpent\""), "{spend}");
    assert!(llm.call("takeSpend", &[]).is_undefined());

    // Not an object, or not JSON: no call.
    for text in ["42", "null", "", "{"] {
        let answer = llm.call("trackCall", &[text.into(), UNDEF, NOW.into()]);
        assert!(answer.is_undefined(), "{text}");
    }
    let summary = llm.call("summary", &[UNDEF, UNDEF, (NOW + 1.0).into()]);
    assert!(summary
        .as_string()
        .unwrap()
        .contains("\"groupBy\":\"model\""));
    let refused = llm.try_call("summary", &["planet".into(), UNDEF, NOW.into()]);
    assert!(refused
        .unwrap_err()
        .as_string()
        .unwrap()
        .starts_with("RgroupBy"));
}

#[wasm_bindgen_test]
fn stream_core_reads_usage_from_chunk_json() {
    let stream = Glue(StreamCore::new("anthropic").into());
    assert!(stream.call("usage", &[]).is_undefined());
    let start =
        r#"{"type":"message_start","message":{"usage":{"input_tokens":10,"output_tokens":1}}}"#;
    stream.call("push", &[start.into()]);
    stream.call(
        "push",
        &[r#"{"type":"message_delta","usage":{"output_tokens":7}}"#.into()],
    );
    stream.call("push", &["not json".into()]);
    let usage = parse(&stream.call("usage", &[]).as_string().unwrap());
    assert_eq!(get(&usage, "outputTokens").as_f64(), Some(7.0));
    assert!(get(&usage, "reasoningTokens").is_null());
    assert_eq!(stream.call("isPartial", &[]).as_bool(), Some(true));
    stream.call("push", &[r#"{"type":"message_stop"}"#.into()]);
    assert_eq!(stream.call("isPartial", &[]).as_bool(), Some(false));
}

#[wasm_bindgen_test]
fn llm_core_refuses_bad_options_with_typed_messages_and_resumes_stored_spend() {
    for (options, start) in [
        (r#"{"alertIntervalMs":null}"#, "RalertIntervalMs"),
        (r#"{"pricing":null}"#, "Tpricing"),
        (r#"{"alertRules":{}}"#, "TalertRules"),
    ] {
        let error = llm_core(options, UNDEF).err().expect("refused");
        assert!(error.as_string().unwrap().starts_with(start), "{options}");
    }
    let day = (NOW / 86_400_000.0).floor();
    let stored = ["{\"day\":", &(day as i64).to_string(), ",\"daySpent\":2}"].concat();
    let llm = llm_core(r#"{"budgets":{"daily":10}}"#, stored.as_str().into()).unwrap();
    let status = parse(&llm.call("budgetStatus", &[]).as_string().unwrap());
    assert_eq!(get(&get(&status, "daily"), "spent").as_f64(), Some(2.0));
    assert_eq!(llm.call("alertIntervalMs", &[]).as_f64(), Some(30_000.0));
}

/// A `VitalsCore`, as js/performance-metrics.js drives it: `new VitalsCore(optionsJson,
/// navigationType, activationStart, prerendering, hidden, now)`.
fn vitals_core(options: &str, navigation_type: JsValue) -> Result<Glue, JsValue> {
    let any = VitalsCore::new("{}", None, 0.0, false, false, NOW).expect("defaults");
    let class: Function = get(&JsValue::from(any), "constructor").unchecked_into();
    let args: Array = [
        options.into(),
        navigation_type,
        0.into(),
        false.into(),
        false.into(),
        NOW.into(),
    ]
    .iter()
    .collect();
    Reflect::construct(&class, &args).map(Glue)
}

/// The `web-vital` reports of one answer, parsed.
fn vital_reports(answer: &JsValue) -> Vec<JsValue> {
    let text = answer.as_string().expect("a string answer");
    text.lines().map(parse).collect()
}

#[wasm_bindgen_test]
fn vitals_core_answers_with_web_vital_reports_and_summaries_as_json() {
    let core = vitals_core(r#"{"reportAllChanges":true}"#, "reload".into()).unwrap();
    let wiring = parse(&core.call("wiring", &[]).as_string().unwrap());
    assert_eq!(at(&wiring, "vitals").as_bool(), Some(true));
    assert_eq!(num(&wiring, "durationThreshold"), 40.0);
    let ttfb = vital_reports(&core.call("ttfb", &[5.into(), 120.5.into()]));
    assert_eq!(ttfb.len(), 1);
    assert_eq!(text(&ttfb[0], "name").as_deref(), Some("TTFB"));
    assert_eq!(num(&ttfb[0], "value"), 120.5);
    assert_eq!(text(&ttfb[0], "navigationType").as_deref(), Some("reload"));
    assert_eq!(num(&ttfb[0], "attribution.requestStart"), 5.0);
    let lcp = core.run("lcp", &["h1#hero".into(), UNDEF], &[233.89999999999998]);
    let lcp = vital_reports(&lcp);
    assert_eq!(
        num(&lcp[0], "value"),
        233.89999999999998,
        "numbers read back exactly"
    );
    assert_eq!(
        text(&lcp[0], "attribution.target").as_deref(),
        Some("h1#hero")
    );
    assert!(at(&lcp[0], "attribution.url").is_undefined());
    assert_eq!(
        core.run("paint", &["first-paint".into()], &[10.0])
            .as_string()
            .as_deref(),
        Some("")
    );
    core.run("shift", &["div.block".into(), false.into()], &[100.0, 0.25]);
    assert_eq!(
        core.call("shiftsDone", &[]).as_string().as_deref(),
        Some(""),
        "CLS waits for FCP"
    );
    let fcp = vital_reports(&core.run("paint", &["first-contentful-paint".into()], &[50.0]));
    let names: Vec<Option<String>> = fcp.iter().map(|r| text(r, "name")).collect();
    assert_eq!(names, [Some("FCP".into()), Some("CLS".into())]);
    assert_eq!(
        text(&fcp[1], "attribution.largestShiftTarget").as_deref(),
        Some("div.block")
    );
    core.run(
        "event",
        &["click".into(), UNDEF],
        &[3.0, 184.0, 1000.0, 1002.0, 1182.0],
    );
    let inp = vital_reports(&core.call("eventsDone", &[1.into()]));
    assert_eq!(num(&inp[0], "value"), 184.0);
    assert_eq!(num(&inp[0], "attribution.processingDuration"), 180.0);
    let vitals = parse(&core.call("vitals", &[]).as_string().unwrap());
    assert_eq!(num(&vitals, "cls"), 0.25);
    assert_eq!(num(&vitals, "inp"), 184.0);

    core.call("trackAI", &[r#"{"totalMs":12,"tokens":300}"#.into()]);
    core.call("trackAI", &["not json".into()]);
    let summary = parse(&core.call("aiSummary", &[]).as_string().unwrap());
    assert_eq!(
        (num(&summary, "count"), num(&summary, "fields.tokens.max")),
        (1.0, 300.0)
    );
    assert!(at(&summary, "fields.apiCallMs").is_null());
    core.call("longTask", &[180.into()]);
    let sizes = js_sys::Float64Array::from(&[100.0, 20.0][..]);
    let durations = js_sys::Float64Array::from(&[30.0, 12.0][..]);
    let names: Array = ["https://a.test/x.js?token=secret", "b"]
        .iter()
        .map(|n| JsValue::from(*n))
        .collect();
    let resources = core.call(
        "resources",
        &[sizes.into(), durations.into(), names.into(), UNDEF],
    );
    let resources = parse(&resources.as_string().unwrap());
    assert_eq!(num(&resources, "resources.count"), 2.0);
    assert_eq!(num(&resources, "longTasks.totalBlockingTime"), 130.0);
    assert!(num(&resources, "memory.wasmBytes") > 0.0);
    assert!(!text(&resources, "resources.slowest.url")
        .unwrap()
        .contains("secret"));
}

#[wasm_bindgen_test]
fn vitals_core_throws_the_range_error_message_for_a_bad_max_timings() {
    for bad in ["0", "1.5", "\"NaN\"", "100001"] {
        let options = ["{\"maxTimings\":", bad, "}"].concat();
        let thrown = vitals_core(&options, UNDEF).err().expect("refused");
        assert_eq!(
            thrown.as_string().as_deref(),
            Some("maxTimings must be an integer between 1 and 100000")
        );
    }
    assert!(vitals_core("not json", UNDEF).is_ok());
}

#[wasm_bindgen_test]
fn errors_core_writes_error_events_breadcrumbs_and_answers_as_json() {
    let errors = errors_core(r#"{"maxBreadcrumbs":2}"#).unwrap();
    let wiring = parse(&errors.call("wiring", &[]).as_string().unwrap());
    assert_eq!(at(&wiring, "error").as_bool(), Some(true));
    errors.run(
        "breadcrumb",
        &[
            "auth".into(),
            "signed in".into(),
            UNDEF,
            r#"{"via":"sso"}"#.into(),
        ],
        &[NOW],
    );
    let own = "https://collector.example/v1/events?x=1";
    for url in [own, "/api/cart"] {
        errors.run(
            "http",
            &["post".into(), url.into(), url.into()],
            &[500.0, 4.0, NOW],
        );
    }
    let stack = "TypeError: x is undefined\n    at save (https://app.example/app.js:3:4)";
    let capture = |severity: JsValue| {
        errors.run(
            "capture",
            &[
                "TypeError".into(),
                "x is undefined".into(),
                stack.into(),
                r#"{"op":"save"}"#.into(),
                severity,
                UNDEF,
                "captureError".into(),
            ],
            &[NOW],
        )
    };
    let id = capture("warning".into());
    assert_eq!(id.as_string().as_deref(), Some("err-1700000000000-1"));
    let data = parse(&errors.call("takeEvent", &[]).as_string().unwrap());
    assert!(errors.call("takeEvent", &[]).is_undefined(), "taken once");
    assert_eq!(text(&data, "errorId"), id.as_string());
    assert_eq!(text(&data, "severity").as_deref(), Some("warning"));
    assert_eq!(text(&data, "context.op").as_deref(), Some("save"));
    assert_eq!(text(&data, "frames.0.function").as_deref(), Some("save"));
    let crumbs = items(&get(&data, "breadcrumbs"));
    assert_eq!(crumbs.len(), 2, "the SDK's own request is not a breadcrumb");
    assert_eq!(
        text(&crumbs[1], "message").as_deref(),
        Some("POST /api/cart")
    );
    assert_eq!(text(&crumbs[1], "level").as_deref(), Some("error"));

    let repeat = capture(UNDEF);
    assert!(repeat.as_string().is_some_and(|id| id.ends_with("-2")));
    assert!(
        errors.call("takeEvent", &[]).is_undefined(),
        "a repeat is counted"
    );
    let groups = parse(&errors.call("groups", &[]).as_string().unwrap());
    assert_eq!(num(&groups, "0.count"), 2.0);
    let stats = parse(&errors.call("stats", &[]).as_string().unwrap());
    assert_eq!(num(&stats, "bySeverity.error"), 1.0);
    assert!(at(&stats, "recoveryRate").is_null());

    // What JSON can carry that is no id (the JS class passes only strings and numbers).
    for id in [
        symbol(),
        f64::NAN.into(),
        1.5.into(),
        Object::new().into(),
        Array::of1(&"err-1".into()).into(),
    ] {
        let answer = errors.run("recovery", &[id.clone(), true.into()], &[]);
        assert!(answer.is_undefined(), "{id:?}");
    }
    assert!(
        errors
            .call(
                "call",
                &[
                    "recovery".into(),
                    "{".into(),
                    Float64Array::new_with_length(0).into()
                ]
            )
            .is_undefined(),
        "texts that are not JSON"
    );
    let data = errors.run(
        "recovery",
        &[42.into(), false.into(), r#""retry""#.into(), "2".into()],
        &[],
    );
    assert_eq!(
        data.as_string().as_deref(),
        Some(r#"{"errorId":"42","success":false,"strategy":"retry","attempts":2}"#)
    );
}

#[wasm_bindgen_test]
fn errors_core_refuses_a_bad_max_breadcrumbs_and_captures_nothing_when_disabled() {
    for options in [r#"{"maxBreadcrumbs":1001}"#, r#"{"maxBreadcrumbs":1.5}"#] {
        let thrown = errors_core(options).err().expect("refused");
        assert_eq!(
            thrown.as_string().as_deref(),
            Some("maxBreadcrumbs must be an integer between 0 and 1000"),
            "{options}"
        );
    }
    let errors = errors_core(r#"{"enabled":false}"#).unwrap();
    let wiring = parse(&errors.call("wiring", &[]).as_string().unwrap());
    assert_eq!(at(&wiring, "unhandledrejection").as_bool(), Some(false));
    let id = errors.run(
        "capture",
        &[
            "Error".into(),
            "x".into(),
            UNDEF,
            UNDEF,
            UNDEF,
            UNDEF,
            "onerror".into(),
        ],
        &[NOW],
    );
    assert!(id.is_undefined());
}

// ---------------------------------------------------------------------------------------------
// Configuration parsing: needs the real `ConfigPatch::from_json` / `Config::to_json` (these fail
// while src/core/config.rs has its TEMP-STUBs).

mod config_parsing {
    use super::*;

    /// What `new CollectorCore(config)` threw: the JS class turns `R…` into a RangeError and
    /// `T…` into a TypeError.
    fn thrown(config: &str) -> String {
        match Core::construct(config, 1, &page_url(), None, false) {
            Ok(_) => panic!("{config} should have been rejected"),
            Err(error) => error
                .as_string()
                .unwrap_or_else(|| panic!("{config}: threw {error:?}, not a string")),
        }
    }

    fn config(core: &Core) -> JsValue {
        parse(&core.string("config", &[]).unwrap())
    }

    fn update(core: &Core, patch: &str, custom: bool) -> Result<bool, String> {
        core.0
            .try_call("updateConfig", &[patch.into(), custom.into()])
            .map(|changed| changed.as_bool().expect("a boolean"))
            .map_err(|error| error.as_string().expect("a thrown string"))
    }

    #[wasm_bindgen_test]
    fn config_parsing_range_errors_are_thrown_as_r_strings_naming_the_field() {
        for (config, message) in [
            (
                r#"{"sampling":"probabilistic","samplingRate":5}"#,
                "samplingRate must be between 0 and 1",
            ),
            (
                r#"{"maxBufferSize":2.5}"#,
                "maxBufferSize must be an integer between 1 and 1000",
            ),
            (
                r#"{"endpoint":"ftp://x"}"#,
                "endpoint must be an absolute http(s) URL or a path starting with '/'",
            ),
            (
                r#"{"userIdSalt":""}"#,
                "userIdSalt must be a non-empty string",
            ),
            (
                r#"{"retryBaseMs":5000,"retryMaxMs":1000}"#,
                "retryMaxMs must be at least retryBaseMs",
            ),
        ] {
            assert_eq!(thrown(config), ["R", message].concat(), "{config}");
        }
    }

    #[wasm_bindgen_test]
    fn config_parsing_type_errors_and_unknown_fields_are_thrown_as_t_strings_naming_the_field() {
        for (config, message) in [
            (
                r#"{"maxBufferSize":"50"}"#,
                "maxBufferSize must be a number",
            ),
            (r#"{"samplingRate":"1"}"#, "samplingRate must be a number"),
            (
                r#"{"sampling":"sometimes"}"#,
                "sampling must be 'always', 'never', 'probabilistic' or 'throttled'",
            ),
            (
                r#"{"redactFields":["a",1]}"#,
                "redactFields must be an array of strings",
            ),
            (r#"{"debug":{}}"#, "debug must be a boolean"),
            (r#"{"endpoint":5}"#, "endpoint must be a string"),
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
            assert_eq!(thrown(config), ["T", message].concat(), "{config}");
        }
    }

    #[wasm_bindgen_test]
    fn config_parsing_reports_the_defaults_as_json() {
        let config = config(&Core::new());
        assert_eq!(num(&config, "maxBufferSize"), 50.0);
        assert_eq!(num(&config, "flushIntervalMs"), 30000.0);
        assert_eq!(text(&config, "sampling").as_deref(), Some("always"));
        assert_eq!(text(&config, "transport").as_deref(), Some("console"));
        assert_eq!(get(&config, "redactPII").as_bool(), Some(true));
        assert_eq!(items(&get(&config, "redactFields")).len(), 7);
        assert_eq!(get(&config, "requireConsent").as_bool(), Some(false));
    }

    #[wasm_bindgen_test]
    fn config_parsing_an_endpoint_alone_selects_http_and_the_custom_flag_allows_custom() {
        let http = Core::with(r#"{"endpoint":"https://collect.example/e"}"#);
        assert_eq!(text(&config(&http), "transport").as_deref(), Some("http"));
        assert_eq!(
            text(&config(&http), "endpoint").as_deref(),
            Some("https://collect.example/e")
        );
        let custom = Core::with(r#"{"transport":"custom","customTransport":true}"#);
        custom.event("x", "{}");
        let id = custom.next_batch().unwrap();
        // A custom transport is given the events array, not the envelope.
        let events = items(&custom.body(&id));
        assert_eq!(types(&events), ["x"]);
    }

    #[wasm_bindgen_test]
    fn config_parsing_update_config_is_all_or_nothing() {
        let core = Core::new();
        assert_eq!(
            update(&core, r#"{"maxBufferSize":10,"samplingRate":2}"#, false),
            Err("RsamplingRate must be between 0 and 1".into())
        );
        assert_eq!(num(&config(&core), "maxBufferSize"), 50.0);
        assert_eq!(
            update(&core, r#"{"maxBufferSize":10,"sampling":"never"}"#, false),
            Ok(false)
        );
        assert_eq!(num(&config(&core), "maxBufferSize"), 10.0);
        assert_eq!(core.event("x", "{}"), 0.0);
        assert_eq!(core.count("dropped.sampled"), 1.0);
    }

    #[wasm_bindgen_test]
    fn config_parsing_update_config_tells_whether_the_flush_interval_changed() {
        let core = Core::new();
        assert_eq!(
            update(&core, r#"{"flushIntervalMs":5000}"#, false),
            Ok(true)
        );
        assert_eq!(
            update(&core, r#"{"flushIntervalMs":5000}"#, false),
            Ok(false)
        );
        assert_eq!(update(&core, r#"{"debug":true}"#, false), Ok(false));
        assert_eq!(
            update(&core, r#"{"transport":"custom"}"#, false),
            Err("TcustomTransport is required when transport is 'custom'".into())
        );
        assert_eq!(update(&core, r#"{"transport":"custom"}"#, true), Ok(false));
        assert_eq!(text(&config(&core), "transport").as_deref(), Some("custom"));
    }

    #[wasm_bindgen_test]
    fn config_parsing_max_buffer_size_decides_when_a_batch_is_full() {
        let core = Core::with(r#"{"maxBufferSize":2}"#);
        core.event("a", "{}");
        assert_eq!(core.call("shouldFlush", &[]).as_bool(), Some(false));
        core.event("b", "{}");
        core.event("c", "{}");
        assert_eq!(core.call("shouldFlush", &[]).as_bool(), Some(true));
        let (_, events) = core.batch();
        assert_eq!(types(&events), ["a", "b"]);
        assert_eq!(num(&core.status(), "maxSize"), 2.0);
    }

    #[wasm_bindgen_test]
    fn config_parsing_required_consent_keeps_events_in_memory_until_granted() {
        let core = Core::with(r#"{"requireConsent":true}"#);
        assert_eq!(core.string("consent", &[]).as_deref(), Some("pending"));
        assert_eq!(core.event("waits", "{}"), 1.0);
        assert_eq!(core.next_batch(), None);
        assert_eq!(core.journal(), None, "nothing is stored while pending");
        assert_eq!(core.call("mayRecover", &[]).as_bool(), Some(false));
        let followed = core.string("followConsent", &[UNDEF]);
        assert_eq!(followed.as_deref(), Some("pending"));
        let granted = core.string("setConsent", &["granted".into()]);
        assert_eq!(granted.as_deref(), Some("granted"));
        assert!(core.journal().is_some());
        assert_eq!(types(&core.batch().1), ["waits"]);
    }

    #[wasm_bindgen_test]
    fn config_parsing_an_open_breaker_holds_batches_for_its_cool_down() {
        let core = Core::with(r#"{"breakerThreshold":1,"breakerCooldownMs":5000}"#);
        core.event("x", "{}");
        let (id, _) = core.batch();
        assert_eq!(core.settle(&id, 503, None, None), 5000.0);
        assert_eq!(text(&core.status(), "breaker").as_deref(), Some("open"));
        assert_eq!(core.next_batch(), None);
        assert_eq!(core.number("waitMs", &[NOW.into()]), 5000.0);
        let later = core.string("nextBatch", &[(NOW + 5000.0).into()]);
        assert!(later.is_some(), "a probe after the cool-down");
    }

    #[wasm_bindgen_test]
    fn config_parsing_redaction_settings_and_the_salt_apply() {
        let core =
            Core::with(r#"{"redactPII":false,"redactFields":["note"],"userIdSalt":"pepper"}"#);
        core.event("x", r#"{"note":"secret","mail":"ann@example.com"}"#);
        let (_, events) = core.batch();
        assert_eq!(text(&events[0], "data.note").as_deref(), Some("[REDACTED]"));
        assert_eq!(
            text(&events[0], "data.mail").as_deref(),
            Some("ann@example.com")
        );
        let salted = core.string("userHash", &["42".into()]);
        assert_ne!(salted, Core::new().string("userHash", &["42".into()]));
    }
}
