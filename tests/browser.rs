//! Browser tests of the wasm boundary, run by wasm-bindgen-test in headless Chromium:
//! `cargo test --target wasm32-unknown-unknown --test browser`.
//!
//! What runs here is the boundary as the package's JavaScript sees it, compiled to wasm32: the
//! raw exports of `wasm_telemetry::api::abi` (src/api/abi.rs), which every JS class goes
//! through. A request is written into linear memory: `inbox(size)` makes room for it and answers
//! where, 8-aligned; its numbers go first (f64), then the UTF-8 bytes of its texts back to back
//! (the exports trust them to be UTF-8, as the page's `TextEncoder` writes them), and the export
//! is told how many numbers there are and how many bytes each text has (-1: absent).
//! An export answers the length of its answer text (-1: none), which `answer()` locates until
//! the next export that answers. The helpers below drive the exports exactly as js/wasm.js
//! does: `open(kind, texts, numbers)` makes a core of one kind (`collector`, `errors`,
//! `vitals`, `health`, `analytics`, `llm`, `stream`: the rules under `TelemetryCollector`,
//! `ErrorTracking`, `PerformanceMetrics`, `HealthCheck`, `UsageAnalytics`, `LlmTelemetry` and
//! `LlmStream`) and answers its handle or the `R…`/`T…` error string the class throws;
//! `call(handle, op, texts, numbers, payload)` runs one operation and answers its text
//! (`"1"`/`"0"` for yes and no, decimal text for numbers, JSON, or none: `undefined`);
//! `close(handle)` drops a core; `redact(text)` is the scanner on its own.
//!
//! The module's one import, `wt_patterns(id, text, length)`, is defined here as the page
//! defines it: it runs the redaction function kept under `id` (a Rust closure standing for the
//! function the JS class compiles from `redactPatterns`) and writes a changed text into the
//! inbox as a request of one text, answering its length, or answers -1 when nothing changed or
//! the function failed (the page's `try`/`catch` turns a throw into that). `patterns(handle, f)`
//! keeps `f` under the core's handle and tells the collector that id through its `patterns`
//! operation.
//!
//! Every call is made as js/core.js `run` makes it: the texts as one JSON array written by
//! `JSON.stringify` (so `undefined` is `null`), the numbers as floats (NaN for absent), with the
//! values the JS classes send after reading the page's arguments (`null` for a text that was not
//! a string, NaN for a number that was not one, `false` for event data that was not a plain
//! object), and the operation's one large text (event data, a journal) as its payload. Besides
//! every operation's answers, the tests cover the boundary's own robustness: handles that are
//! unknown or closed, kinds and operations that do not exist, texts that are not a JSON array
//! or carry lone surrogates, requests whose lengths or numbers run past the inbox, texts and
//! answers whose lengths count the bytes of characters of several bytes, large requests and
//! answers, and a patterns function that fails, writes requests of its own or calls back into
//! its own core while that core is running (which answers nothing and never panics). How the
//! JS classes read hostile page values, and their browser behaviour (transports, timers,
//! listeners, storage, observers, running the health checks) is covered by tests/e2e.
#![cfg(target_arch = "wasm32")]

use js_sys::{Array, Object, Reflect, JSON};
use std::cell::RefCell;
use std::collections::HashMap;
use std::rc::Rc;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;
use wasm_telemetry::api::abi;
use wasm_telemetry::api::op::Op;

wasm_bindgen_test_configure!(run_in_browser);

/// The clock every call is given: Tue, 14 Nov 2023 22:13:20 GMT.
const NOW: f64 = 1_700_000_000_000.0;
const NAN: f64 = f64::NAN;
const UNDEF: JsValue = JsValue::UNDEFINED;
const NULL: JsValue = JsValue::NULL;
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

/// A text as the JS classes send an optional string: `null` when absent.
fn opt(value: Option<&str>) -> JsValue {
    value.map_or(NULL, JsValue::from_str)
}

/// A JS string made by the page, which may hold lone surrogates (`"\ud800"`): Rust strings
/// cannot.
fn js_string(literal: &str) -> JsValue {
    parse(&["\"", literal, "\""].concat())
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
// The exports, driven as js/wasm.js drives them

/// An application's redaction function, as the page keeps it: a text in, the redacted text
/// out, or `None` when nothing changed (or the function failed).
type Redact = Rc<dyn Fn(&str) -> Option<String>>;

thread_local! {
    /// The redaction functions the page keeps, by id (js/wasm.js `patterns`).
    static PATTERNS: RefCell<HashMap<u32, Redact>> = RefCell::default();
}

/// Writes a request into the inbox as js/wasm.js `write` does: the numbers, then the UTF-8
/// bytes of every text that is `Some`, back to back. Answers the texts' lengths in bytes (-1
/// for `None`).
fn write<const N: usize>(numbers: &[f64], texts: [Option<&str>; N]) -> [isize; N] {
    let size = texts.iter().flatten().map(|text| text.len()).sum::<usize>() + numbers.len() * 8;
    let start = abi::inbox(size);
    assert_eq!(
        start as usize % 8,
        0,
        "the inbox is aligned for the numbers"
    );
    // SAFETY: the inbox has room for `size` bytes at `start`, and nothing else writes there
    // until the export that reads the request.
    unsafe {
        std::ptr::copy_nonoverlapping(numbers.as_ptr(), start.cast::<f64>(), numbers.len());
        let mut at = start.add(numbers.len() * 8);
        texts.map(|text| match text {
            None => -1,
            Some(text) => {
                std::ptr::copy_nonoverlapping(text.as_ptr(), at, text.len());
                at = at.add(text.len());
                text.len() as isize
            }
        })
    }
}

/// The answer of `length` bytes in the outbox (js/wasm.js `answer`); `None` for -1.
fn answer(length: isize) -> Option<String> {
    let length = usize::try_from(length).ok()?;
    // SAFETY: the outbox holds the last answer, `length` bytes long, until the next export.
    let bytes = unsafe { std::slice::from_raw_parts(abi::answer(), length) };
    Some(String::from_utf8(bytes.to_vec()).expect("answers are UTF-8"))
}

/// The import the library's collector cores call to run the application's patterns
/// (js/wasm.js `wt_patterns`): the function registered under `id` runs on the text, and a
/// changed text is written into the inbox as a request of one text; -1 when there is no
/// function or it changed nothing.
///
/// # Safety
///
/// `text` points to `length` bytes of UTF-8.
#[no_mangle]
pub unsafe extern "C" fn wt_patterns(id: u32, text: *const u8, length: usize) -> isize {
    let Some(redact) = PATTERNS.with(|patterns| patterns.borrow().get(&id).cloned()) else {
        return -1;
    };
    // Copied out first, as the page decodes it: the function may call the exports, which
    // write into memory.
    let text = String::from_utf8_lossy(std::slice::from_raw_parts(text, length)).into_owned();
    match redact(&text) {
        Some(changed) => write(&[], [Some(&changed)])[0],
        None => -1,
    }
}

/// Keeps `redact` under `id` (or forgets the function there), as the page's map does.
fn register(id: u32, redact: Option<Redact>) {
    let replaced = PATTERNS.with(|patterns| match redact {
        Some(redact) => patterns.borrow_mut().insert(id, redact),
        None => patterns.borrow_mut().remove(&id),
    });
    // Dropped once the map is no longer borrowed: a closure may own a core, which closes.
    drop(replaced);
}

/// `open(kind, texts, numbers)`: the handle in decimal digits, or the `R…`/`T…` error string.
fn open(kind: &str, texts: &str, numbers: &[f64]) -> String {
    let [kind, texts] = write(numbers, [Some(kind), Some(texts)]);
    answer(abi::open(numbers.len(), kind, texts)).expect("open always answers")
}

/// The number the page passes for the operation named `name` (js/ops.js).
fn op(name: &str) -> u32 {
    Op::parse(name).expect("an operation of src/api/op.rs") as u32
}

/// `call(handle, op, texts, numbers, payload)` for the operation named `name`: its answer, if
/// any.
fn call(
    handle: u32,
    name: &str,
    texts: &str,
    numbers: &[f64],
    payload: Option<String>,
) -> Option<String> {
    call_number(handle, op(name), texts, numbers, payload)
}

/// `call(handle, op, texts, numbers, payload)`, with `op` as the page passes it.
fn call_number(
    handle: u32,
    op: u32,
    texts: &str,
    numbers: &[f64],
    payload: Option<String>,
) -> Option<String> {
    let [texts, payload] = write(numbers, [Some(texts), payload.as_deref()]);
    answer(abi::call(handle, numbers.len(), op, texts, payload))
}

/// `close(handle)`: the page forgets the core's patterns and the core is dropped.
fn close(handle: u32) {
    register(handle, None);
    abi::close(handle);
}

/// `patterns(handle, redact)`: tells the core the id (its handle; 0: none) under which the page
/// keeps the function, through its `patterns` operation, and keeps (or forgets) the function if
/// the core took it.
fn patterns(handle: u32, redact: Option<Redact>) {
    let id = if redact.is_some() { handle } else { 0 };
    let [texts, payload] = write(&[f64::from(id)], [Some("[]"), None]);
    if abi::call(handle, 1, op("patterns"), texts, payload) >= 0 {
        register(handle, redact);
    }
}

/// `redact(text)`: the scanner on its own, as js/wasm.js reads its answer.
fn redact(text: &str) -> String {
    let [length] = write(&[], [Some(text)]);
    match abi::redact(length, text.encode_utf16().count()) {
        abi::UNCHANGED => String::from(text),
        at => edited(text, at).expect("redact answers a text it was given"),
    }
}

/// `text` with the edits that `redact` answered at `at` made, as js/wasm.js makes them: the
/// count, then per edit its start and end in UTF-16 code units, its marker's kind, and the
/// address and length of its replacement's UTF-8. `None` for no answer.
fn edited(text: &str, at: isize) -> Option<String> {
    let at = usize::try_from(at).ok()?;
    // SAFETY: the answer's words stay where they are until the next `redact`.
    let word = |index: usize| unsafe { *((at + 4 * index) as *const u32) } as usize;
    let utf16: Vec<u16> = text.encode_utf16().collect();
    let (mut out, mut from) = (Vec::new(), 0);
    for edit in (1..1 + 5 * word(0)).step_by(5) {
        out.extend_from_slice(&utf16[from..word(edit)]);
        // SAFETY: the replacement's UTF-8 lives as long as the words.
        let replacement =
            unsafe { std::slice::from_raw_parts(word(edit + 3) as *const u8, word(edit + 4)) };
        out.extend(std::str::from_utf8(replacement).ok()?.encode_utf16());
        from = word(edit + 1);
    }
    out.extend_from_slice(&utf16[from..]);
    String::from_utf16(&out).ok()
}

/// A redaction function from a closure.
fn redact_with(redact: impl Fn(&str) -> Option<String> + 'static) -> Option<Redact> {
    Some(Rc::new(redact))
}

// ---------------------------------------------------------------------------------------------
// The boundary: open, call, patterns, close

/// Event data as the JS class hands it over: the `plainData` text (true, or the value itself
/// when it is not a JSON text: `false` for data that was not a plain object, null for none)
/// and the payload, the JSON text.
fn data_args(data: JsValue) -> (JsValue, Option<String>) {
    match data.as_string() {
        Some(json) => (true.into(), Some(json)),
        None => (data, None),
    }
}

/// The texts of a call as js/core.js sends them: `JSON.stringify` of the array.
fn texts_of(values: &[JsValue]) -> String {
    let array: Array = values.iter().collect();
    JSON::stringify(&array)
        .expect("texts JSON can carry")
        .into()
}

/// An open core, as a JS class holds it: its handle. Dropping it closes the core, as the JS
/// classes close theirs when they are garbage collected.
struct Handle(u32);

impl Handle {
    /// `open(kind, texts, numbers)`: the core, or the `R…`/`T…` error string it refused with.
    fn open(kind: &str, texts: &[JsValue], numbers: &[f64]) -> Result<Handle, String> {
        let answer = open(kind, &texts_of(texts), numbers);
        match answer.parse::<u32>() {
            Ok(handle) if handle > 0 && answer.bytes().all(|b| b.is_ascii_digit()) => {
                Ok(Handle(handle))
            }
            _ => {
                let first = answer.as_bytes().first();
                assert!(
                    matches!(first, Some(b'R' | b'T')),
                    "open({kind}) gave neither a handle nor an error string: {answer:?}"
                );
                Err(answer)
            }
        }
    }

    /// `call(handle, op, texts, numbers)`, without a payload.
    fn run(&self, op: &str, texts: &[JsValue], numbers: &[f64]) -> Option<String> {
        self.run_with(op, texts, numbers, None)
    }

    /// `call(handle, op, texts, numbers, payload)`.
    fn run_with(
        &self,
        op: &str,
        texts: &[JsValue],
        numbers: &[f64],
        payload: Option<String>,
    ) -> Option<String> {
        call(self.0, op, &texts_of(texts), numbers, payload)
    }

    /// An answer there must be.
    fn text(&self, op: &str, texts: &[JsValue], numbers: &[f64]) -> String {
        self.run(op, texts, numbers)
            .unwrap_or_else(|| panic!("{op} answered undefined"))
    }

    /// A JSON answer, parsed.
    fn json(&self, op: &str, texts: &[JsValue], numbers: &[f64]) -> JsValue {
        parse(&self.text(op, texts, numbers))
    }

    /// A yes or no answer: `"1"` or `"0"`.
    fn yes(&self, op: &str, texts: &[JsValue]) -> bool {
        match self.run(op, texts, &[]).as_deref() {
            Some("1") => true,
            Some("0") => false,
            answer => panic!("{op} answered {answer:?}, not '1' or '0'"),
        }
    }

    /// A number answer, in decimal text.
    fn number(&self, op: &str, texts: &[JsValue], numbers: &[f64]) -> f64 {
        let answer = self.text(op, texts, numbers);
        answer
            .parse()
            .unwrap_or_else(|_| panic!("{op} answered {answer:?}, not a number"))
    }

    /// Closes the core now.
    fn close(self) {
        close(self.0);
        std::mem::forget(self);
    }
}

impl Drop for Handle {
    fn drop(&mut self) {
        close(self.0);
    }
}

/// A collector core, as js/telemetry-collector.js drives it.
struct Core(Handle);

impl Core {
    /// `open('collector', [configJson, pageUrl, storedConsent, privacySignal], seed)`.
    fn construct(
        config: &str,
        seed: u8,
        page: &str,
        stored_consent: Option<&str>,
        privacy_signal: bool,
    ) -> Result<Core, String> {
        let texts = [
            config.into(),
            page.into(),
            opt(stored_consent),
            privacy_signal.into(),
        ];
        Handle::open("collector", &texts, &[f64::from(seed); 32]).map(Core)
    }

    /// A collector with `config`, on this page.
    fn with(config: &str) -> Core {
        Self::construct(config, 1, &page_url(), None, false)
            .unwrap_or_else(|e| panic!("{config} was refused: {e}"))
    }

    /// A collector with the default configuration, on this page, its session drawn from `seed`.
    fn seeded(seed: u8) -> Core {
        Self::construct("{}", seed, &page_url(), None, false).expect("default config")
    }

    fn new() -> Core {
        Self::seeded(1)
    }

    fn handle(&self) -> u32 {
        (self.0).0
    }

    fn run(&self, op: &str, texts: &[JsValue], numbers: &[f64]) -> Option<String> {
        self.0.run(op, texts, numbers)
    }

    /// An operation's answer, without numbers.
    fn string(&self, op: &str, texts: &[JsValue]) -> Option<String> {
        self.run(op, texts, &[])
    }

    fn number(&self, op: &str, texts: &[JsValue], numbers: &[f64]) -> f64 {
        self.0.number(op, texts, numbers)
    }

    fn yes(&self, op: &str, texts: &[JsValue]) -> bool {
        self.0.yes(op, texts)
    }

    /// What became of an event (0 dropped, 1 buffered, 2 held) and whether a full batch now
    /// waits (the answer is then 10 more).
    fn answer(&self, op: &str, texts: &[JsValue], numbers: &[f64]) -> (u8, bool) {
        self.answer_with(op, texts, numbers, None)
    }

    /// [`Core::answer`], with a payload.
    fn answer_with(
        &self,
        op: &str,
        texts: &[JsValue],
        numbers: &[f64],
        payload: Option<String>,
    ) -> (u8, bool) {
        let answer = self.0.run_with(op, texts, numbers, payload);
        match answer.as_deref() {
            Some("0") => (0, false),
            Some("1") => (1, false),
            Some("2") => (2, false),
            Some("10") => (0, true),
            Some("11") => (1, true),
            Some("12") => (2, true),
            answer => panic!("{op} answered {answer:?}, not an outcome"),
        }
    }

    /// What became of an event: 0 dropped, 1 buffered, 2 held.
    fn outcome(&self, op: &str, texts: &[JsValue], numbers: &[f64]) -> u8 {
        self.answer(op, texts, numbers).0
    }

    /// Whether a full batch waits after the plain event `{ type, data }`.
    fn fills_a_batch(&self, kind: &str, data_json: &str) -> bool {
        let texts = [kind.into(), true.into(), false.into(), false.into()];
        let payload = Some(data_json.into());
        self.answer_with("track", &texts, &[0.0, NOW, NAN], payload)
            .1
    }

    /// `track`: texts `type, plainData, hold, timestampGiven`; numbers `shape, now,
    /// timestamp`; payload `data` (see [`data_args`]). `timestamp` `None` is one the page left
    /// undefined or null; `Some(NaN)` one that was not a number.
    fn track(
        &self,
        shape: u8,
        kind: JsValue,
        timestamp: Option<f64>,
        data: JsValue,
        hold: bool,
    ) -> u8 {
        let (plain, payload) = data_args(data);
        let texts = [kind, plain, hold.into(), timestamp.is_some().into()];
        let numbers = [f64::from(shape), NOW, timestamp.unwrap_or(NAN)];
        self.answer_with("track", &texts, &numbers, payload).0
    }

    /// A plain event `{ type, data }` with `data` already serialised.
    fn event(&self, kind: &str, data_json: &str) -> u8 {
        self.track(0, kind.into(), None, data_json.into(), false)
    }

    /// The same, held for `beforeSend`.
    fn held(&self, kind: &str, data_json: &str) -> u8 {
        self.track(0, kind.into(), None, data_json.into(), true)
    }

    fn status(&self) -> JsValue {
        self.0.json("status", &[], &[NOW])
    }

    fn count(&self, path: &str) -> f64 {
        num(&self.status(), path)
    }

    fn buffered(&self) -> f64 {
        self.number("buffered", &[], &[])
    }

    fn session(&self) -> Option<String> {
        self.string("sessionId", &[])
    }

    fn consent(&self) -> Option<String> {
        self.string("consent", &[])
    }

    fn last_refusal(&self) -> String {
        self.string("lastRefusal", &[]).unwrap()
    }

    fn next_batch(&self) -> Option<String> {
        self.run("nextBatch", &[], &[NOW])
    }

    fn raw_body(&self, id: &str, part: f64) -> Option<String> {
        self.run("body", &[id.into()], &[part, NOW])
    }

    /// The transport body of batch `id` (default transport: the wire-format envelope).
    fn body(&self, id: &str) -> JsValue {
        let body = self.raw_body(id, 0.0);
        parse(&body.unwrap_or_else(|| panic!("no body for batch {id}")))
    }

    /// Cuts the next batch and returns its id and events.
    fn batch(&self) -> (String, Vec<JsValue>) {
        self.batch_at(NOW)
    }

    /// The next batch at `now` (a retry's wait must be over).
    fn batch_at(&self, now: f64) -> (String, Vec<JsValue>) {
        let id = self.run("nextBatch", &[], &[now]).expect("a batch to send");
        let events = items(&get(&self.body(&id), "events"));
        (id, events)
    }

    fn settle(&self, id: &str, status: u16, retry_after: Option<&str>, error: Option<&str>) -> f64 {
        self.settle_at(id, status, retry_after, error, NOW)
    }

    /// Settles at `now`, with the `Retry-After` date read by `Date.parse`, as the JS class does.
    fn settle_at(
        &self,
        id: &str,
        status: u16,
        retry_after: Option<&str>,
        error: Option<&str>,
        now: f64,
    ) -> f64 {
        let texts = [id.into(), opt(retry_after), opt(error)];
        let date = retry_after.map_or(NAN, js_sys::Date::parse);
        self.number("settle", &texts, &[f64::from(status), now, date])
    }

    fn journal(&self) -> Option<String> {
        self.string("takeJournal", &[])
    }

    fn preview(&self) -> Option<JsValue> {
        self.string("preview", &[]).map(|json| parse(&json))
    }

    /// `adopt`: numbers `now`; payload the journal of a page that is gone.
    fn adopt(&self, journal: &str, now: f64) {
        assert_eq!(
            self.0.run_with("adopt", &[], &[now], Some(journal.into())),
            None
        );
    }

    /// `revise`: texts `type, plainData`; numbers `shape`; payload `data` (see
    /// [`data_args`]).
    fn revise(&self, shape: u8, kind: JsValue, data: JsValue) -> u8 {
        let (plain, payload) = data_args(data);
        self.answer_with("revise", &[kind, plain], &[f64::from(shape)], payload)
            .0
    }

    /// Hands the core the application's redaction function.
    fn patterns(&self, function: Option<Redact>) {
        patterns(self.handle(), function);
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
// Handles, kinds, operations and texts: the boundary's own rules

#[wasm_bindgen_test]
fn open_answers_decimal_handles_and_a_closed_handle_answers_nothing_until_its_place_is_reused() {
    let a = Core::seeded(1);
    let b = Core::seeded(2);
    assert_ne!(a.handle(), b.handle());
    let (a_handle, b_session) = (a.handle(), b.session());
    assert!(a.session().is_some());
    a.0.close();
    assert_eq!(call(a_handle, "sessionId", "[]", &[], None), None, "closed");
    assert_eq!(call(a_handle, "buffered", "[]", &[], None), None);
    patterns(a_handle, redact_with(|_| Some("x".into())));
    assert_eq!(
        call(a_handle, "consent", "[]", &[], None),
        None,
        "patterns does not reopen a closed handle"
    );
    close(a_handle);
    assert_eq!(b.session(), b_session, "closing one core leaves the others");

    let c = Core::seeded(3);
    assert_eq!(c.handle(), a_handle, "the closed place is reused");
    assert_ne!(c.session(), b_session);
    assert_eq!(c.event("fresh", "{}"), 1);
    assert_eq!(c.buffered(), 1.0, "a new core, not the closed one");
}

#[wasm_bindgen_test]
fn calls_to_handles_that_were_never_opened_answer_undefined() {
    for handle in [0, u32::MAX, u32::MAX - 1, 1 << 20] {
        assert_eq!(call(handle, "sessionId", "[]", &[], None), None, "{handle}");
        assert_eq!(
            call(
                handle,
                "track",
                r#"["x",null,false,false]"#,
                &[0.0, NOW],
                None
            ),
            None
        );
        patterns(handle, None);
        close(handle);
    }
    // Nothing above disturbed the open cores.
    let core = Core::new();
    assert_eq!(core.event("x", "{}"), 1);
}

#[wasm_bindgen_test]
fn open_refuses_unknown_kinds_and_texts_that_are_not_a_json_array_with_type_errors() {
    for kind in ["", "nope", "Collector", "collector ", "cores"] {
        assert_eq!(
            open(kind, "[]", &[]),
            "Tthis entry has no such class",
            "{kind:?}"
        );
    }
    let page = texts_of(&["{}".into(), page_url().into(), NULL, false.into()]);
    for texts in [
        "",
        "{}",
        "\"{}\"",
        "[",
        "[1,]",
        "null",
        &page[..page.len() - 1],
    ] {
        assert_eq!(
            open("collector", texts, &[1.0; 32]),
            "Targuments must be a JSON array",
            "{texts:?}"
        );
    }
    // No texts at all: every constructor takes its defaults.
    for kind in [
        "collector",
        "errors",
        "vitals",
        "health",
        "analytics",
        "llm",
        "stream",
    ] {
        let handle = Handle::open(kind, &[], &[]).unwrap_or_else(|e| panic!("{kind}: {e}"));
        for op in [Op::ALL.len() as u32, u32::MAX] {
            let answer = call_number(handle.0, op, "[]", &[], None);
            assert!(answer.is_none(), "{kind} {op}");
        }
    }
}

#[wasm_bindgen_test]
fn unknown_operations_and_texts_that_are_not_a_json_array_answer_undefined_and_change_nothing() {
    let core = Core::new();
    assert_eq!(core.event("before", "{}"), 1);
    // Numbers of no operation, and of other classes' operations.
    let others = ["usage", "takeEvents", "wiring"].map(op);
    for op in [Op::ALL.len() as u32, 1 << 31, u32::MAX]
        .into_iter()
        .chain(others)
    {
        let answer = call_number(
            core.handle(),
            op,
            r#"["x",null,false,false]"#,
            &[0.0, NOW],
            None,
        );
        assert_eq!(answer, None, "{op}");
    }
    let deep = ["[".repeat(70), "]".repeat(70)].concat();
    for texts in [
        "",
        "{}",
        "\"x\"",
        "[\"x\",",
        "[\"x\"] []",
        "[\"\\ud800\"",
        &deep[..],
    ] {
        let answer = call(core.handle(), "track", texts, &[0.0, NOW], None);
        assert_eq!(answer, None, "{texts:?}");
        assert_eq!(
            call(core.handle(), "sessionId", texts, &[], None),
            None,
            "{texts:?}"
        );
    }
    assert_eq!(core.buffered(), 1.0, "nothing was recorded or lost");
    assert_eq!(core.count("dropped.invalid"), 0.0);
    let (_, events) = core.batch();
    assert_eq!(types(&events), ["before"]);
}

#[wasm_bindgen_test]
fn operations_of_one_kind_answer_undefined_on_a_core_of_another() {
    let core = Core::new();
    let stream = Handle::open("stream", &["openai".into()], &[]).unwrap();
    let health = Handle::open("health", &["{}".into()], &[NOW]).unwrap();
    for op in [
        "usage",
        "takeEvents",
        "wiring",
        "isHealthy",
        "conversationStats",
    ] {
        assert_eq!(core.run(op, &[], &[NOW]), None, "{op}");
    }
    for op in ["sessionId", "track", "buffered", "isHealthy"] {
        assert_eq!(stream.run(op, &[], &[NOW]), None, "{op}");
    }
    for op in ["sessionId", "isPartial", "usage"] {
        assert_eq!(health.run(op, &[], &[NOW]), None, "{op}");
    }
    // A patterns function given to a core that has none is ignored, and the core still works.
    let calls: Rc<RefCell<usize>> = Rc::default();
    for handle in [stream.0, health.0] {
        let count = calls.clone();
        patterns(
            handle,
            redact_with(move |_| {
                *count.borrow_mut() += 1;
                Some("never used".into())
            }),
        );
    }
    let chunk = r#"{"usage":{"prompt_tokens":3,"completion_tokens":2}}"#;
    assert_eq!(stream.run("push", &[chunk.into()], &[]), None);
    assert_eq!(num(&stream.json("usage", &[], &[]), "inputTokens"), 3.0);
    assert!(health.yes("isHealthy", &[]));
    let db = ["db".into(), true.into(), NULL];
    assert_eq!(health.run("register", &db, &[]), None);
    let threw: [JsValue; 4] = ["db".into(), "threw".into(), NULL, "db down".into()];
    let change = health.json("record", &threw, &[NAN, 3.0, NOW + 10.0]);
    assert_eq!(text(&change, "message").as_deref(), Some("db down"));
    assert_eq!(*calls.borrow(), 0, "the function never ran");
    // The collector's own texts are not given to the others' functions either.
    assert_eq!(core.event("plain", r#"{"note":"n"}"#), 1);
    assert_eq!(*calls.borrow(), 0);
    let (_, events) = core.batch();
    assert_eq!(text(&events[0], "data.note").as_deref(), Some("n"));
}

#[wasm_bindgen_test]
fn missing_texts_read_as_null_and_missing_numbers_as_nan() {
    let core = Core::new();
    assert_eq!(core.outcome("track", &[], &[]), 0, "no type");
    assert_eq!(
        core.last_refusal(),
        "(invalid) event type must be a non-empty string"
    );
    assert_eq!(core.outcome("trackMetric", &[], &[]), 0);
    assert_eq!(core.outcome("submit", &[], &[]), 0);
    assert_eq!(core.outcome("revise", &[], &[]), 0, "nothing held");
    assert_eq!(
        core.last_refusal(),
        "(invalid) no event waits for beforeSend"
    );
    assert!(!core.yes("identify", &[]));
    assert_eq!(core.string("setConsent", &[]).as_deref(), Some(""));
    assert_eq!(core.consent().as_deref(), Some("granted"));
    for op in ["batchLength", "body", "settle", "otlpSent", "userHash"] {
        assert_eq!(core.run(op, &[], &[]), None, "{op} needs its id or text");
    }
    assert_eq!(core.run("updateConfig", &[], &[]), None, "no patch");
    assert_eq!(
        core.count("dropped.invalid"),
        3.0,
        "revise with nothing held is not counted"
    );
    // A number beyond the numbers given is NaN: a timestamp said to be given but absent is not
    // a number.
    let given = ["x".into(), NULL, false.into(), true.into()];
    assert_eq!(core.outcome("track", &given, &[0.0, NOW]), 0);
    assert_eq!(
        core.last_refusal(),
        "(invalid) event timestamp must be a finite, non-negative number of milliseconds"
    );
    assert_eq!(core.buffered(), 0.0);
}

#[wasm_bindgen_test]
fn lone_surrogates_in_texts_become_replacement_characters_and_pairs_are_joined() {
    let core = Core::new();
    // What JSON.stringify writes for the page's strings with lone surrogates: `\ud800` escapes.
    let kind = js_string("a\\ud800b\\udc00c");
    let data = JSON::stringify(&parse(r#"{"note":"x\udfffy","pair":"\ud83d\ude00"}"#)).unwrap();
    assert_eq!(core.track(0, kind, None, data.into(), false), 1);
    // Escapes written by hand into the texts themselves, a pair among them.
    let texts = r#"["\ud83d\ude00 \udc00\ud800",null,false,false]"#;
    assert_eq!(
        call(core.handle(), "track", texts, &[0.0, NOW], None).as_deref(),
        Some("1")
    );
    let (_, events) = core.batch();
    assert_eq!(
        types(&events),
        ["a\u{FFFD}b\u{FFFD}c", "\u{1F600} \u{FFFD}\u{FFFD}"]
    );
    assert_eq!(text(&events[0], "data.note").as_deref(), Some("x\u{FFFD}y"));
    assert_eq!(text(&events[0], "data.pair").as_deref(), Some("\u{1F600}"));
}

// ---------------------------------------------------------------------------------------------
// The patterns function calling back into the boundary

/// A patterns function running `reenter` on every text it is given (and changing nothing).
fn reentrant_patterns(reenter: impl Fn(&str) + 'static) -> Option<Redact> {
    redact_with(move |text| {
        reenter(text);
        None
    })
}

/// An id under which the page keeps a function no core was given: far above any handle.
const SPARE_ID: u32 = 1 << 30;

/// What a patterns function's calls back into the boundary answered: `(op, answer)`.
type Answers = Rc<RefCell<Vec<(String, Option<String>)>>>;

#[wasm_bindgen_test]
fn a_patterns_function_calling_its_own_core_gets_undefined_while_other_cores_answer() {
    let core = Core::new();
    let other = Core::seeded(2);
    let (own, second) = (core.handle(), other.handle());
    let answers: Answers = Rc::default();
    let seen = answers.clone();
    // A function that would change every text, which the core is told to use from inside.
    register(SPARE_ID, redact_with(|_| Some("replaced".into())));
    let function = reentrant_patterns(move |text| {
        let mut seen = seen.borrow_mut();
        let track = r#"["inner",null,false,false]"#;
        seen.push(("buffered".into(), call(own, "buffered", "[]", &[], None)));
        seen.push(("track".into(), call(own, "track", track, &[0.0, NOW], None)));
        seen.push(("status".into(), call(own, "status", "[]", &[NOW], None)));
        // Switching the core to other patterns from inside them is refused: it is running.
        let spare = [f64::from(SPARE_ID)];
        seen.push(("patterns".into(), call(own, "patterns", "[]", &spare, None)));
        if text == "outer" {
            seen.push((
                "other".into(),
                call(second, "track", track, &[0.0, NOW], None),
            ));
        }
    });
    core.patterns(function);
    assert_eq!(core.event("outer", r#"{"note":"n"}"#), 1);
    let answers = answers.borrow().clone();
    assert!(
        answers.len() >= 12,
        "called for the type and the data: {answers:?}"
    );
    for (op, answer) in &answers {
        let expected = (op == "other").then(|| "1".to_string());
        assert_eq!(answer, &expected, "{op}");
    }
    assert!(answers.iter().any(|(op, _)| op == "other"));
    assert_eq!(
        core.buffered(),
        1.0,
        "the core is back, with the outer event only"
    );
    assert_eq!(types(&core.batch().1), ["outer"]);
    assert_eq!(types(&other.batch().1), ["inner"]);
    // The patterns set from inside were refused: the first ones still run (and change nothing).
    assert_eq!(core.event("again", r#"{"note":"n"}"#), 1);
    let (_, events) = core.batch();
    assert_eq!(types(&events), ["again"]);
    assert_eq!(text(&events[0], "data.note").as_deref(), Some("n"));
    // Told from outside, the core does switch to them.
    assert_eq!(
        call(own, "patterns", "[]", &[f64::from(SPARE_ID)], None).as_deref(),
        Some("1")
    );
    assert_eq!(core.event("switched", r#"{"note":"n"}"#), 1);
    let (_, events) = core.batch();
    assert_eq!(types(&events), ["replaced"]);
    register(SPARE_ID, None);
}

#[wasm_bindgen_test]
fn a_patterns_function_that_calls_its_own_core_and_fails_leaves_the_text_as_it_was() {
    let core = Core::new();
    let own = core.handle();
    let calls: Rc<RefCell<usize>> = Rc::default();
    let count = calls.clone();
    // Failing (the page's try/catch turns a throw into no change): `None`, unless the core
    // answered from inside.
    core.patterns(redact_with(move |_| {
        *count.borrow_mut() += 1;
        call(own, "dropHeld", "[]", &[], None).map(|_| "the core answered from inside".into())
    }));
    assert_eq!(core.held("order ann@example.com", r#"{"note":"ORD-1"}"#), 2);
    assert!(*calls.borrow() >= 3);
    let preview = core
        .preview()
        .expect("still held: dropHeld from inside did nothing");
    assert_eq!(
        text(&preview, "type").as_deref(),
        Some("order [REDACTED_EMAIL]")
    );
    assert_eq!(text(&preview, "data.note").as_deref(), Some("ORD-1"));
    assert_eq!(core.revise(0, "order".into(), r#"{"n":1}"#.into()), 1);
    assert_eq!(core.count("dropped.invalid"), 0.0);
    assert_eq!(core.count("accepted"), 1.0);
}

#[wasm_bindgen_test]
fn a_patterns_function_closing_its_own_core_ends_it_after_the_operation() {
    let core = Core::new();
    let own = core.handle();
    let reopened: Rc<RefCell<Option<String>>> = Rc::default();
    let slot = reopened.clone();
    let function = reentrant_patterns(move |_| {
        if slot.borrow().is_none() {
            close(own);
            // The place is free again, and a new core may take it while the old one runs.
            let opened = open("stream", r#"["anthropic"]"#, &[]);
            *slot.borrow_mut() = Some(opened);
        }
    });
    core.patterns(function);
    assert_eq!(
        core.event("last", "{}"),
        1,
        "the running operation still answers"
    );
    let reopened = reopened
        .borrow()
        .clone()
        .expect("the patterns function ran");
    assert_eq!(reopened, own.to_string(), "the closed place was reused");
    // The collector is gone: the handle is the stream's now.
    assert_eq!(call(own, "sessionId", "[]", &[], None), None);
    assert_eq!(call(own, "buffered", "[]", &[], None), None);
    assert!(matches!(
        call(own, "isPartial", "[]", &[], None).as_deref(),
        Some("0" | "1")
    ));
    let chunk =
        r#"{"type":"message_start","message":{"usage":{"input_tokens":4,"output_tokens":1}}}"#;
    assert_eq!(
        call(own, "push", &texts_of(&[chunk.into()]), &[], None),
        None
    );
    let usage = parse(&call(own, "usage", "[]", &[], None).expect("the stream's usage"));
    assert_eq!(num(&usage, "inputTokens"), 4.0);
}

// ---------------------------------------------------------------------------------------------
// The exports themselves: the inbox, the lengths of a request, the outbox

/// The handle the next core opened gets: the first free place of the table.
fn next_handle() -> u32 {
    let probe = Core::new();
    let handle = probe.handle();
    probe.0.close();
    handle
}

/// A `track` request for the event `{ type: "x", data }` whose lengths, once written, are
/// `stretched` by as many bytes and which claims `numbers` numbers (2 are written).
fn stretched_track(handle: u32, numbers: usize, stretched: [isize; 2]) -> isize {
    let texts = [Some(r#"["x",null,false,false]"#), Some("{}")];
    let [texts, payload] = write(&[0.0, NOW], texts);
    let [texts_by, payload_by] = stretched;
    abi::call(
        handle,
        numbers,
        op("track"),
        texts + texts_by,
        payload + payload_by,
    )
}

#[wasm_bindgen_test]
fn a_request_longer_than_the_inbox_answers_nothing_and_changes_nothing() {
    let core = Core::new();
    let handle = core.handle();
    assert_eq!(core.event("before", "{}"), 1);
    // The request as written is recorded: the lengths below are what makes it fail.
    assert_eq!(
        answer(stretched_track(handle, 2, [0; 2])).as_deref(),
        Some("1")
    );
    for (numbers, stretched) in [
        (2, [64, 0]),
        (2, [0, 64]),
        (2, [0, 4096]),
        (2, [isize::MAX - 40, 0]),
        (2, [0, isize::MAX - 40]),
        // More numbers than the inbox holds words.
        (7, [0; 2]),
        (1 << 20, [0; 2]),
    ] {
        let length = stretched_track(handle, numbers, stretched);
        assert_eq!(length, -1, "{numbers} {stretched:?}");
    }
    assert_eq!(core.buffered(), 2.0);
    assert_eq!(
        core.count("dropped.invalid"),
        0.0,
        "no event was read at all"
    );
    let (_, events) = core.batch();
    assert_eq!(types(&events), ["before", "x"]);

    let free = next_handle();
    for (numbers, kind_by, texts_by) in [(32, 0, 64), (32, 64, 0), (40, 0, 0)] {
        let config = texts_of(&["{}".into(), page_url().into(), NULL, false.into()]);
        let [kind, texts] = write(&[1.0; 32], [Some("collector"), Some(&config)]);
        let answer = answer(abi::open(numbers, kind + kind_by, texts + texts_by));
        assert_eq!(
            answer.as_deref(),
            Some("Targuments must be a JSON array"),
            "{numbers} {kind_by} {texts_by}"
        );
    }
    assert_eq!(next_handle(), free, "nothing was opened");

    let [text] = write(&[], [Some("ann@example.com")]);
    assert_eq!(abi::redact(text + 64, 15), -1);
    let [text] = write(&[], [Some("ann@example.com")]);
    let at = abi::redact(text, 15);
    assert_eq!(
        edited("ann@example.com", at).as_deref(),
        Some("[REDACTED_EMAIL]")
    );
}

#[wasm_bindgen_test]
fn only_the_bytes_written_are_read_and_only_once() {
    // The inbox is kept in 8-byte words: a length reaching into the padding after the bytes
    // written is as wrong as one past the end.
    let [text] = write(&[], [Some("abc")]);
    assert_eq!(abi::redact(text + 1, 3), -1);
    // The request was taken by that call: a call that wrote nothing reads nothing.
    assert_eq!(abi::redact(3, 3), -1);
    let [text] = write(&[], [Some("abc")]);
    assert_eq!(
        abi::redact(text, 3),
        abi::UNCHANGED,
        "abc has nothing to redact"
    );
    assert_eq!(abi::redact(3, 3), -1, "a request is read once");
    // A count of numbers so large that its bytes overflow is no request either.
    let [kind, texts] = write(&[], [Some("collector"), Some("[]")]);
    assert_eq!(
        answer(abi::open(usize::MAX / 8 + 2, kind, texts)).as_deref(),
        Some("Targuments must be a JSON array")
    );
}

#[wasm_bindgen_test]
fn texts_cross_as_utf8_with_lengths_counted_in_bytes() {
    // Each text ends in a character of several bytes, right before the next text: a length
    // counted in characters or UTF-16 units would cut it.
    let core = Core::with(r#"{"redactFields":["näme€"]}"#);
    let redact_fields = items(&get(&core.0.json("config", &[], &[]), "redactFields"));
    assert!(
        redact_fields
            .iter()
            .any(|f| f.as_string().as_deref() == Some("näme€")),
        "{redact_fields:?}"
    );
    let kind = "caf\u{e9} \u{2615}";
    let texts = texts_of(&[kind.into(), true.into(), false.into(), false.into()]);
    let data = r#"{"näme€":"x","note":"日本語 😀","ü":"ü"}"#;
    let [texts_length, payload] = write(&[0.0, NOW], [Some(&texts), Some(data)]);
    assert_eq!(texts_length as usize, texts.len());
    let outcome = answer(abi::call(
        core.handle(),
        2,
        op("track"),
        texts_length,
        payload,
    ));
    assert_eq!(outcome.as_deref(), Some("1"));
    let (_, events) = core.batch();
    assert_eq!(types(&events), [kind]);
    assert_eq!(keys(&get(&events[0], "data")), ["näme€", "note", "ü"]);
    assert_eq!(
        text(&events[0], "data.näme€").as_deref(),
        Some("[REDACTED]")
    );
    assert_eq!(text(&events[0], "data.note").as_deref(), Some("日本語 😀"));
    assert_eq!(text(&events[0], "data.ü").as_deref(), Some("ü"));
    // The scanner's edits are placed in UTF-16 code units, as the page's string counts them:
    // a character of three bytes is one unit, one beyond U+FFFF two.
    let original = "\u{2615}\u{1F600} ann@example.com \u{1F600} b@c.io";
    let [text] = write(&[], [Some(original)]);
    let at = abi::redact(text, original.encode_utf16().count());
    assert_eq!(
        edited(original, at).as_deref(),
        Some("\u{2615}\u{1F600} [REDACTED_EMAIL] \u{1F600} [REDACTED_EMAIL]")
    );
}

#[wasm_bindgen_test]
fn large_requests_and_answers_cross_whole_and_the_next_small_call_still_works() {
    // A 200 KB text to the scanner: the email at its very end is found.
    let long = ["x ".repeat(100_000), "ann@example.com".into()].concat();
    let redacted = redact(&long);
    assert_eq!(redacted.len(), long.len() + 1);
    assert!(
        redacted.ends_with("x [REDACTED_EMAIL]"),
        "{}",
        &redacted[199_990..]
    );
    assert_eq!(redact("mail ann@example.com"), "mail [REDACTED_EMAIL]");

    // 200 KB of event data: read whole (valid JSON), and refused for its size only.
    let core = Core::new();
    let huge = format!(r#"{{"blob":"{}"}}"#, "b".repeat(200 * 1024));
    assert_eq!(core.event("huge", &huge), 0);
    assert_eq!(
        core.last_refusal(),
        "(invalid) event must serialise to at most 48 KB"
    );
    assert_eq!(core.event("small", r#"{"n":1}"#), 1);
    assert_eq!(types(&core.batch().1), ["small"]);

    // A journal of five 40 KB events: a 200 KB answer, then a 200 KB payload.
    let gone = Core::seeded(3);
    let blob = |n: usize| [n.to_string(), "j".repeat(40_000), "end".into()].concat();
    for n in 0..5 {
        assert_eq!(
            gone.event("big", &format!(r#"{{"blob":"{}"}}"#, blob(n))),
            1
        );
    }
    let journal = gone.journal().expect("a journal");
    assert!(journal.len() > 200_000, "{}", journal.len());
    let next = Core::seeded(4);
    next.adopt(&journal, NOW);
    assert_eq!(next.count("recovered"), 5.0);
    let mut blobs = Vec::new();
    while next.buffered() > 0.0 {
        let (id, events) = next.batch();
        blobs.extend(events.iter().map(|e| text(e, "data.blob").unwrap()));
        assert_eq!(next.settle(&id, 200, None, None), -1.0);
    }
    assert_eq!(blobs, (0..5).map(blob).collect::<Vec<_>>());
    assert_eq!(next.event("after", "{}"), 1);
    assert_eq!(next.session().map(|s| s.len()), Some(36));
}

#[wasm_bindgen_test]
fn answer_locates_the_last_answer_until_the_next_export_that_answers() {
    let core = Core::new();
    let handle = core.handle();
    let read = |length: isize| {
        // SAFETY: the outbox holds the last answer, `length` bytes long.
        let bytes = unsafe { std::slice::from_raw_parts(abi::answer(), length as usize) };
        String::from_utf8(bytes.to_vec()).unwrap()
    };
    let [texts, payload] = write(&[], [Some("[]"), None]);
    let length = abi::call(handle, 0, op("sessionId"), texts, payload);
    assert_eq!(length, 36);
    let session = read(length);
    assert_eq!(Some(&session), core.session().as_ref());
    // No answer, writing a request and closing a core leave the outbox as it was.
    let [texts, payload] = write(&[], [Some("[]"), None]);
    assert_eq!(
        abi::call(handle, 0, Op::ALL.len() as u32, texts, payload),
        -1,
        "no such operation"
    );
    let [texts, payload] = write(&[], [Some("[]"), None]);
    assert_eq!(
        abi::call(handle, 0, op("wiring"), texts, payload),
        -1,
        "another class's"
    );
    let [texts, payload] = write(&[NOW], [Some("[true]"), None]);
    assert_eq!(abi::call(handle, 1, op("setOnline"), texts, payload), -1);
    write(&[7.0], [Some("[]"), Some("x")]);
    abi::close(u32::MAX);
    assert_eq!(read(36), session);
    // Each export that answers replaces it.
    let [texts, payload] = write(&[], [Some("[]"), None]);
    assert_eq!(abi::call(handle, 0, op("buffered"), texts, payload), 1);
    assert_eq!(read(1), "0");
    // `redact` answers through its own words, and leaves the outbox as it was.
    let [text] = write(&[], [Some("at ann@example.com")]);
    let at = abi::redact(text, 18);
    assert_eq!(
        edited("at ann@example.com", at).as_deref(),
        Some("at [REDACTED_EMAIL]")
    );
    assert_eq!(read(1), "0");
    let [kind, texts] = write(&[], [Some("nope"), Some("[]")]);
    let length = abi::open(0, kind, texts);
    assert_eq!(read(length), "Tthis entry has no such class");
}

#[wasm_bindgen_test]
fn a_request_written_from_inside_the_patterns_leaves_the_running_request_intact() {
    let core = Core::new();
    let other = Core::seeded(2);
    let second = other.handle();
    let answers: Answers = Rc::default();
    let seen = answers.clone();
    core.patterns(redact_with(move |text| {
        let mut seen = seen.borrow_mut();
        // Requests of their own, written where the running one was: one larger than it, one
        // so large that its inbox is released afterwards.
        let inner = format!(r#"{{"z":"{}"}}"#, "z".repeat(8192));
        let track = r#"["inner",true,false,false]"#;
        let answer = call(second, "track", track, &[0.0, NOW], Some(inner));
        seen.push(("track".into(), answer));
        let scanned = redact(&["y".repeat(100_000), " a@b.io".into()].concat());
        seen.push(("redact".into(), scanned.get(100_000..).map(String::from)));
        text.strip_prefix("v:").map(|rest| ["V:", rest].concat())
    }));
    let pad = "p".repeat(3000);
    let data = format!(
        r#"{{"a":"v:alpha","b":"plain bravo","c":["v:charlie","delta"],"pad":"{pad}","n":7}}"#
    );
    assert_eq!(core.event("v:outer", &data), 1);
    let answers = answers.take();
    assert!(answers.len() >= 2 * 10, "{}", answers.len());
    for (op, answer) in &answers {
        let expected = if op == "track" {
            "1"
        } else {
            " [REDACTED_EMAIL]"
        };
        assert_eq!(answer.as_deref(), Some(expected), "{op}");
    }
    let (_, events) = core.batch();
    assert_eq!(types(&events), ["V:outer"]);
    let data = get(&events[0], "data");
    assert_eq!(keys(&data), ["a", "b", "c", "pad", "n"]);
    assert_eq!(text(&data, "a").as_deref(), Some("V:alpha"));
    assert_eq!(text(&data, "b").as_deref(), Some("plain bravo"));
    let list: Vec<_> = items(&get(&data, "c"))
        .iter()
        .map(|v| v.as_string())
        .collect();
    assert_eq!(list, [Some("V:charlie".into()), Some("delta".into())]);
    assert_eq!(text(&data, "pad"), Some(pad));
    assert_eq!(num(&data, "n"), 7.0);
    assert_eq!(other.count("accepted"), (answers.len() / 2) as f64);
    // And the next request from outside is read as written.
    assert_eq!(core.event("after", r#"{"k":"v:x"}"#), 1);
    let (_, events) = core.batch();
    assert_eq!(text(&events[0], "data.k").as_deref(), Some("V:x"));
}

// ---------------------------------------------------------------------------------------------
// Construction and the status report

#[wasm_bindgen_test]
fn a_default_core_has_a_uuid_session_and_an_empty_granted_status() {
    let core = Core::new();
    let session = core.session().unwrap();
    assert_eq!(session.len(), 36);
    assert_eq!(session.as_bytes()[14], b'4', "a v4 UUID: {session}");
    assert_ne!(Core::seeded(2).session().unwrap(), session);
    assert_eq!(core.consent().as_deref(), Some("granted"));
    let status = core.status();
    for counter in ["size", "inFlight", "accepted", "sent", "dropped.invalid"] {
        assert_eq!(num(&status, counter), 0.0, "{counter}");
    }
    assert_eq!(text(&status, "breaker").as_deref(), Some("closed"));
    assert_eq!(get(&status, "online").as_bool(), Some(true));
    assert!(get(&status, "lastError").is_null());
    assert_eq!(core.run("buffered", &[], &[]).as_deref(), Some("0"));
    assert_eq!(core.next_batch(), None);
}

#[wasm_bindgen_test]
fn stored_consent_and_the_privacy_signal_set_the_initial_consent() {
    let page = page_url();
    let consent = |stored: Option<&str>, signal: bool| {
        let core = Core::construct("{}", 1, &page, stored, signal).unwrap();
        core.consent().unwrap()
    };
    assert_eq!(consent(Some("denied"), false), "denied");
    assert_eq!(consent(None, true), "denied");
    assert_eq!(consent(Some("granted"), true), "granted");
    assert_eq!(consent(Some("bogus"), false), "granted");
}

// ---------------------------------------------------------------------------------------------
// track(): what the JS class could not read is dropped and counted, valid events come out in
// wire format

#[wasm_bindgen_test]
fn shape_codes_for_non_objects_and_throwing_reads_are_dropped_as_invalid() {
    let core = Core::new();
    assert_eq!(core.track(1, "x".into(), None, NULL, false), 0);
    assert_eq!(
        core.last_refusal(),
        "(invalid) event must be an object with a string type"
    );
    assert_eq!(core.track(2, "x".into(), None, NULL, false), 0);
    assert_eq!(
        core.last_refusal(),
        "(invalid) event data must be a plain, serialisable object"
    );
    assert_eq!(core.count("dropped.invalid"), 2.0);
    assert_eq!(core.count("size"), 0.0);
}

#[wasm_bindgen_test]
fn types_that_are_not_strings_or_are_empty_blank_or_too_long_are_dropped_as_invalid() {
    let core = Core::new();
    let kinds = [
        // What the JS class sends for a type that is not a string (undefined, null, a Symbol,
        // a number, a BigInt, an object, a proxy).
        NULL,
        // Texts that are JSON but no string.
        42.into(),
        true.into(),
        Object::new().into(),
        Array::new().into(),
        "".into(),
        "   ".into(),
        "t".repeat(257).into(),
    ];
    for kind in &kinds {
        assert_eq!(
            core.track(0, kind.clone(), None, NULL, false),
            0,
            "{kind:?}"
        );
    }
    assert_eq!(core.count("dropped.invalid"), kinds.len() as f64);
    assert_eq!(core.count("accepted"), 0.0);
    assert_eq!(core.track(0, "t".repeat(256).into(), None, NULL, false), 1);
}

#[wasm_bindgen_test]
fn timestamps_that_are_not_finite_non_negative_numbers_are_dropped_as_invalid() {
    let core = Core::new();
    // NaN is what the JS class sends for a timestamp that is not a number (an object, a Date,
    // a string, a Symbol, a BigInt).
    let timestamps = [NAN, f64::INFINITY, f64::NEG_INFINITY, -1.0, 1e16];
    for timestamp in timestamps {
        let code = core.track(0, "x".into(), Some(timestamp), NULL, false);
        assert_eq!(code, 0, "{timestamp}");
    }
    assert_eq!(
        core.last_refusal(),
        "(invalid) event timestamp must be a finite, non-negative number of milliseconds"
    );
    assert_eq!(core.count("dropped.invalid"), timestamps.len() as f64);
    assert_eq!(core.track(0, "x".into(), Some(0.0), NULL, false), 1);
}

#[wasm_bindgen_test]
fn data_that_is_not_a_plain_object_json_text_is_dropped_as_invalid() {
    let core = Core::new();
    let data = [
        // What the JS class sends for data that is not a plain object.
        JsValue::FALSE,
        // Texts that are JSON but neither a flag nor a payload.
        0.into(),
        Object::new().into(),
        Array::new().into(),
        // Strings that are no JSON object, or too deep or too large.
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
        let code = core.track(0, "x".into(), None, value.clone(), false);
        assert_eq!(code, 0, "{value:?}");
    }
    assert_eq!(core.count("dropped.invalid"), data.len() as f64);
    assert_eq!(core.count("size"), 0.0);
    assert_eq!(core.event("still.works", "{}"), 1);
    assert_eq!(core.track(0, "no.data".into(), None, NULL, false), 1);
}

#[wasm_bindgen_test]
fn valid_events_come_out_of_the_next_batch_in_wire_format() {
    let core = Core::new();
    for n in 0..3 {
        assert_eq!(core.event("page.view", &format!("{{\"n\":{n}}}")), 1);
    }
    assert_eq!(
        core.track(0, "stamped".into(), Some(1234.6), NULL, false),
        1
    );
    // A timestamp the page left null or undefined: not given.
    assert_eq!(core.track(0, "null.stamp".into(), None, NULL, false), 1);
    assert_eq!(core.run("buffered", &[], &[]).as_deref(), Some("5"));

    let id = core.next_batch().expect("a batch");
    assert_eq!(
        core.run("batchLength", &[id.as_str().into()], &[])
            .as_deref(),
        Some("5")
    );
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
    let session = core.session();
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
    assert_eq!(core.raw_body("no-such-batch", 0.0), None);
    assert_eq!(
        core.number("batchLength", &["no-such-batch".into()], &[]),
        0.0
    );
    let id = core.next_batch().unwrap();
    assert_eq!(core.raw_body(&id, 1.0), None, "metrics are OTLP-only");
    assert_eq!(core.run("body", &[NULL], &[0.0, NOW]), None, "no id");
}

#[wasm_bindgen_test]
fn the_context_url_is_the_page_url_given_to_open_redacted() {
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
    let metric = |json: JsValue| {
        core.answer_with("trackMetric", &[false.into()], &[NOW], json.as_string())
            .0
    };
    assert_eq!(metric(NULL), 0);
    assert_eq!(metric(r#"{"name":"lcp","value":"fast"}"#.into()), 0);
    assert_eq!(metric(r#"{"name":"","value":1}"#.into()), 0);
    assert_eq!(metric(r#"{"name":"x","value":1,"unit":5}"#.into()), 0);
    assert_eq!(metric("[1]".into()), 0);
    assert_eq!(core.count("dropped.invalid"), 5.0);
    assert_eq!(
        metric(r#"{"name":"api.latency","value":150.5,"unit":"ms"}"#.into()),
        1
    );
    let error = core.outcome(
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
    assert_eq!(error, 1);
    let plain = core.outcome(
        "trackError",
        &[
            "Error".into(),
            "plain string".into(),
            NULL,
            NULL,
            false.into(),
        ],
        &[NOW],
    );
    assert_eq!(plain, 1);
    // readError always gives a name and a message: without them there is no call.
    let unnamed = [NULL, "m".into(), NULL, NULL, false.into()];
    assert_eq!(core.run("trackError", &unnamed, &[NOW]), None);
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
    assert_eq!(core.run("setOnline", &[false.into()], &[]), None);
    assert_eq!(core.next_batch(), None);
    assert_eq!(get(&core.status(), "online").as_bool(), Some(false));
    assert_eq!(core.run("waitMs", &[], &[NOW]).as_deref(), Some("0"));
    core.run("setOnline", &[true.into()], &[]);
    let (_, events) = core.batch();
    assert_eq!(types(&events), ["x"]);
}

#[wasm_bindgen_test]
fn a_destroyed_core_refuses_events_but_still_delivers_what_it_holds() {
    let core = Core::new();
    core.event("before", "{}");
    assert_eq!(core.run("destroy", &[], &[]), None);
    core.run("destroy", &[], &[]);
    assert_eq!(core.event("late", "{}"), 0);
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
    assert_eq!(core.event("signup ann@example.com", data), 1);
    let id = core.next_batch().unwrap();
    let raw = core.raw_body(&id, 0.0).unwrap();
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

/// `text` with every `ORD-<digits>` replaced by `[REDACTED_ORDER]`.
fn replace_orders(text: &str) -> String {
    let mut out = String::new();
    let mut rest = text;
    while let Some(start) = rest.find("ORD-") {
        let digits = rest[start + 4..]
            .bytes()
            .take_while(u8::is_ascii_digit)
            .count();
        let end = start + 4 + digits;
        out.push_str(&rest[..start]);
        out.push_str(if digits > 0 {
            "[REDACTED_ORDER]"
        } else {
            "ORD-"
        });
        rest = &rest[end..];
    }
    out.push_str(rest);
    out
}

/// A patterns function like the one the JS class compiles from `redactPatterns`
/// (`/ORD-\d+/g` to `[REDACTED_ORDER]`), recording every text it is given in `seen`.
fn order_patterns(seen: &Rc<RefCell<Vec<String>>>) -> Option<Redact> {
    let seen = seen.clone();
    redact_with(move |text| {
        seen.borrow_mut().push(text.into());
        let out = replace_orders(text);
        (out != text).then_some(out)
    })
}

#[wasm_bindgen_test]
fn the_patterns_function_sees_every_string_after_the_built_in_patterns_and_replaces_it() {
    let core = Core::new();
    let seen = Rc::default();
    core.patterns(order_patterns(&seen));
    let data = r#"{"note":"ORD-7 for a@b.io","items":["ORD-12"],"count":3}"#;
    assert_eq!(core.event("order ORD-99", data), 1);
    let seen = seen.take();
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

    core.patterns(None);
    core.event("order ORD-5", "{}");
    let (_, events) = core.batch();
    assert_eq!(text(&events[0], "type").as_deref(), Some("order ORD-5"));
}

#[wasm_bindgen_test]
fn a_failing_patterns_function_leaves_the_text_as_it_was() {
    // What the page answers for a function that throws or returns no string: no change, even
    // when the function wrote a request into the inbox before it failed.
    type Failure = fn(&str) -> Option<String>;
    let failures: [(&str, Failure); 3] = [
        ("fails", |_| None),
        ("fails after writing a request", |_| {
            write(&[1.0], [Some("[REDACTED_ORDER]"), Some("changed")]);
            None
        }),
        ("gives back the same text", |text| Some(text.into())),
    ];
    for (failure, function) in failures {
        let core = Core::new();
        let calls: Rc<RefCell<Vec<String>>> = Rc::default();
        let seen = calls.clone();
        core.patterns(redact_with(move |text| {
            seen.borrow_mut().push(text.into());
            function(text)
        }));
        let data = r#"{"note":"ORD-7 for a@b.io"}"#;
        assert_eq!(core.event("order ORD-1", data), 1, "{failure}");
        let seen = calls.take();
        assert!(
            seen.iter().any(|text| text == "order ORD-1"),
            "{failure}: {seen:?}"
        );
        let (_, events) = core.batch();
        assert_eq!(text(&events[0], "type").as_deref(), Some("order ORD-1"));
        assert_eq!(
            text(&events[0], "data.note").as_deref(),
            Some("ORD-7 for [REDACTED_EMAIL]"),
            "{failure}"
        );
        assert_eq!(core.count("dropped.invalid"), 0.0);
    }
}

#[wasm_bindgen_test]
fn the_redact_export_cleans_pii_and_gives_back_any_other_text_as_it_is() {
    assert_eq!(
        redact("mail ann@example.com now"),
        "mail [REDACTED_EMAIL] now"
    );
    assert_eq!(
        redact("from 192.168.1.20:8080 by ann@example.com"),
        "from [REDACTED_IP_ADDRESS]:8080 by [REDACTED_EMAIL]"
    );
    for clean in [
        "nothing to hide",
        "",
        "   ",
        "naïve café ☕ \u{1F600}",
        "\u{FFFD}",
    ] {
        assert_eq!(redact(clean), clean, "{clean:?}");
    }
}

// ---------------------------------------------------------------------------------------------
// The beforeSend path: hold, preview, revise, dropHeld

#[wasm_bindgen_test]
fn a_held_event_is_previewed_in_wire_format_and_revised_with_its_id() {
    let core = Core::new();
    assert_eq!(core.preview().map(|_| ()), None, "nothing held yet");
    assert_eq!(core.held("keep", r#"{"n":1,"mail":"ann@example.com"}"#), 2);
    assert_eq!(core.buffered(), 0.0);
    assert_eq!(core.count("accepted"), 0.0);
    let preview = core.preview().expect("the held event");
    let id = text(&preview, "id").unwrap();
    assert_eq!(id.len(), 36);
    assert_eq!(text(&preview, "type").as_deref(), Some("keep"));
    assert_eq!(num(&preview, "timestamp"), NOW);
    assert_eq!(text(&preview, "sessionId"), core.session());
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
    assert_eq!(edited, 1);
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
    assert_eq!(core.held("a", "{}"), 2);
    assert_eq!(core.revise(1, NULL, NULL), 0);
    assert_eq!(core.count("dropped.beforeSend"), 1.0);
    assert_eq!(core.held("b", "{}"), 2);
    assert_eq!(core.outcome("dropHeld", &[], &[]), 0);
    assert_eq!(core.count("dropped.beforeSend"), 2.0);
    assert_eq!(core.last_refusal(), "(beforeSend) ");
    assert_eq!(core.buffered(), 0.0);
    assert_eq!(core.preview().map(|_| ()), None);
}

#[wasm_bindgen_test]
fn unreadable_before_send_results_are_dropped_as_invalid() {
    let core = Core::new();
    let results = [
        (2, "x".into(), NULL),
        // A type that was not a string (the JS class sends null), or a JSON non-string.
        (0, NULL, NULL),
        (0, 42.into(), NULL),
        (0, "".into(), NULL),
        // Data that was not a plain object (`false`), or text that is no JSON object.
        (0, "x".into(), JsValue::FALSE),
        (0, "x".into(), "[1]".into()),
        (0, "x".into(), "not json".into()),
    ];
    for (shape, kind, data) in &results {
        assert_eq!(core.held("original", "{}"), 2);
        let code = core.revise(*shape, kind.clone(), data.clone());
        assert_eq!(code, 0, "{shape} {kind:?} {data:?}");
    }
    assert_eq!(core.count("dropped.invalid"), results.len() as f64);
    assert_eq!(core.count("dropped.beforeSend"), 0.0);
    assert_eq!(core.buffered(), 0.0);
}

#[wasm_bindgen_test]
fn nested_holds_are_previewed_innermost_first_and_each_event_is_kept() {
    let core = Core::new();
    assert_eq!(core.held("outer", "{}"), 2);
    // beforeSend itself tracks an event: it is held above the first.
    assert_eq!(core.held("inner", "{}"), 2);
    let inner = core.preview().unwrap();
    assert_eq!(text(&inner, "type").as_deref(), Some("inner"));
    assert_eq!(core.revise(0, "inner".into(), NULL), 1);
    let outer = core.preview().unwrap();
    assert_eq!(text(&outer, "type").as_deref(), Some("outer"));
    assert_eq!(core.revise(0, "outer".into(), NULL), 1);
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
    assert_eq!(core.held("x", "{}"), 2);
    core.string("setConsent", &["denied".into()]);
    assert_eq!(core.revise(0, "x".into(), NULL), 0);
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
    assert_eq!(
        core.run("settle", &[id.as_str().into(), NULL, NULL], &[200.0, NOW])
            .as_deref(),
        Some("-1")
    );
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
    assert_eq!(core.number("batchLength", &[id.as_str().into()], &[]), 0.0);
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
    assert_eq!(
        core.next_batch(),
        None,
        "nothing is sent before the wait is over"
    );
    let (_, again) = core.batch_at(NOW + delay);
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
    assert_eq!(core.number("waitMs", &[], &[NOW + 1000.0]), 2000.0);
    let later = NOW + 3000.0;
    let (id, _) = core.batch_at(later);
    // `later` is 22:13:23 GMT: the date is five seconds after it.
    let date = "Tue, 14 Nov 2023 22:13:28 GMT";
    assert_eq!(core.settle_at(&id, 429, Some(date), None, later), 5000.0);
    let later = later + 5000.0;
    let (id, _) = core.batch_at(later);
    assert_eq!(
        core.settle_at(&id, 503, Some("999999"), None, later),
        3_600_000.0
    );
    let later = later + 3_600_000.0;
    let (id, _) = core.batch_at(later);
    let jittered = core.settle_at(&id, 503, Some("soon"), None, later);
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
    core.run("journalWritten", &[true.into()], &[]);
    assert_eq!(core.count("persisted"), 2.0);
    core.run("journalWritten", &[false.into()], &[]);
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
    let gone_session = gone.session();

    let next = Core::seeded(2);
    assert!(next.yes("mayRecover", &[]));
    next.event("own", "{}");
    next.adopt(&journal, NOW);
    assert_eq!(next.count("recovered"), 2.0);
    assert_eq!(next.buffered(), 3.0);
    assert!(next.journal().is_some_and(|j| j.lines().count() == 3));
    let (_, events) = next.batch();
    assert_eq!(types(&events), ["a", "b", "own"], "adopted events go first");
    assert_eq!(ids(&events)[..2], gone_ids[..]);
    assert_eq!(text(&events[0], "sessionId"), gone_session);
    assert_ne!(text(&events[2], "sessionId"), gone_session);
    assert_eq!(num(&events[1], "data.n"), 2.0);

    // Taking the same journal in again (another tab found it too) duplicates nothing.
    next.adopt(&journal, NOW);
    assert_eq!(next.count("recovered"), 2.0);
    assert_eq!(next.buffered(), 0.0);
}

#[wasm_bindgen_test]
fn corrupt_and_week_old_journal_lines_are_counted_not_adopted() {
    let gone = Core::seeded(1);
    gone.event("a", "{}");
    let journal = gone.journal().unwrap();
    let next = Core::seeded(2);
    let week = 8.0 * 24.0 * 3600.0 * 1000.0;
    next.adopt(&journal, NOW + week);
    let garbage = "garbage\n12 {\"id\":\"short\"}\n";
    next.adopt(garbage, NOW);
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
    assert_eq!(core.consent().as_deref(), Some("denied"));
    assert_eq!(core.buffered(), 0.0);
    assert_eq!(core.count("dropped.consent"), 2.0, "the buffer was purged");
    assert_eq!(core.event("refused", "{}"), 0);
    assert_eq!(core.count("dropped.consent"), 3.0);
    assert_eq!(core.last_refusal(), "(consent) ");
    assert_eq!(core.next_batch(), None);
    assert_eq!(core.journal(), None);
    assert!(!core.yes("mayRecover", &[]));

    let granted = core.string("setConsent", &["granted".into()]);
    assert_eq!(granted.as_deref(), Some("granted"));
    assert_eq!(core.event("welcome", "{}"), 1);
    assert_eq!(types(&core.batch().1), ["welcome"]);
}

#[wasm_bindgen_test]
fn set_consent_with_anything_but_granted_or_denied_returns_empty_and_changes_nothing() {
    let core = Core::new();
    for choice in [
        "bogus".into(),
        "pending".into(),
        "GRANTED".into(),
        // What the JS class sends for a choice that is not a string.
        NULL,
        // Texts that are JSON but no string.
        5.into(),
        true.into(),
        Object::new().into(),
    ] {
        let applied = core.string("setConsent", std::slice::from_ref(&choice));
        assert_eq!(applied.as_deref(), Some(""), "{choice:?}");
        assert_eq!(core.consent().as_deref(), Some("granted"));
    }
    assert_eq!(core.event("still.collected", "{}"), 1);
}

#[wasm_bindgen_test]
fn consent_chosen_in_another_tab_is_followed() {
    let core = Core::new();
    let followed = core.string("followConsent", &["denied".into()]);
    assert_eq!(followed.as_deref(), Some("denied"));
    assert_eq!(core.event("x", "{}"), 0);
    // The choice was removed: back to the default (consent not required).
    let followed = core.string("followConsent", &[NULL]);
    assert_eq!(followed.as_deref(), Some("granted"));
    assert_eq!(core.event("x", "{}"), 1);
}

#[wasm_bindgen_test]
fn identify_with_a_whole_number_sends_its_salted_hash_never_the_id() {
    let core = Core::new();
    assert!(core.yes("identify", &[42.into()]));
    core.event("after", "{}");
    assert_eq!(core.run("resetUser", &[], &[]), None);
    core.event("anonymous", "{}");
    let (_, events) = core.batch();
    let user = text(&events[0], "userId").expect("a userId");
    assert!(is_hex_digest(&user), "{user}");
    assert_ne!(user, "42");
    assert_eq!(core.string("userHash", &["42".into()]), Some(user.clone()));
    assert!(get(&events[1], "userId").is_undefined());

    assert!(core.yes("identify", &["42".into()]));
    core.event("by.string", "{}");
    let (_, events) = core.batch();
    assert_eq!(text(&events[0], "userId"), Some(user), "42 is '42'");

    // Every whole number up to the largest safe integer is the id `String(n)` gives, exactly.
    for (id, digits) in [
        (0.0, "0"),
        (-7.0, "-7"),
        (1_700_000_000_123.0, "1700000000123"),
        (9_007_199_254_740_991.0, "9007199254740991"),
        (-9_007_199_254_740_991.0, "-9007199254740991"),
    ] {
        assert!(core.yes("identify", &[id.into()]), "{digits}");
        core.event("by.number", "{}");
        let (_, events) = core.batch();
        let expected = core.string("userHash", &[digits.into()]);
        assert_eq!(text(&events[0], "userId"), expected, "{digits}");
    }
}

#[wasm_bindgen_test]
fn identify_refuses_fractions_and_non_ids() {
    let core = Core::new();
    for id in [
        1.5.into(),
        (-0.5).into(),
        1e300.into(),
        9_007_199_254_740_992.0.into(),
        "".into(),
        // What JSON.stringify writes for undefined, NaN, Infinity or a Symbol.
        NULL,
        true.into(),
        Object::new().into(),
        Array::of1(&"42".into()).into(),
    ] {
        assert!(!core.yes("identify", std::slice::from_ref(&id)), "{id:?}");
    }
    core.event("x", "{}");
    let (_, events) = core.batch();
    assert!(get(&events[0], "userId").is_undefined());
}

// ---------------------------------------------------------------------------------------------
// Modules and their link

/// An errors core as js/error-tracking.js opens it, with `options` and the collector endpoint
/// `https://collector.example/v1/events`.
fn errors_core(options: &str) -> Result<Handle, String> {
    let endpoint = "https://collector.example/v1/events";
    Handle::open("errors", &[options.into(), endpoint.into()], &[])
}

/// An analytics core as js/usage-analytics.js opens it (`options` null for none).
fn analytics_core(options: Option<&str>) -> Handle {
    Handle::open("analytics", &[opt(options)], &[]).expect("analytics never refuses")
}

/// What an analytics operation answered: `(type, data)` of an event, `None` for nothing.
fn analytics_event(answer: Option<String>) -> Option<(String, JsValue)> {
    let text = answer?;
    let (kind, data) = text.split_once('\n').expect("an event is `type\\ndata`");
    Some((kind.into(), parse(data)))
}

#[wasm_bindgen_test]
fn the_analytics_core_answers_with_typed_events_and_json_data() {
    let analytics = analytics_core(None);
    let meta = JsValue::from_str(r#"{"source":"menu"}"#);
    let feature = analytics.run(
        "trackFeature",
        &["search".into(), "opened".into(), meta],
        &[1000.0],
    );
    let (kind, data) = analytics_event(feature).unwrap();
    assert_eq!(kind, "feature.used");
    assert_eq!(text(&data, "featureId").as_deref(), Some("search"));
    assert_eq!(text(&data, "action").as_deref(), Some("opened"));
    assert_eq!(text(&data, "meta.source").as_deref(), Some("menu"));

    let started = analytics.run("startConversation", &[7.into(), "openai".into()], &[0.0]);
    let message = analytics.run("trackMessage", &[7.into(), "user".into()], &[120.0]);
    let ended = analytics.run("endConversation", &[7.into(), true.into()], &[5.0]);
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
    let again = analytics.run("endConversation", &["7".into(), true.into()], &[6.0]);
    assert_eq!(again, None, "an ended conversation ends once (7 is '7')");
    let stats = analytics.json("conversationStats", &[], &[]);
    assert_eq!(num(&stats, "ended"), 1.0);
    assert_eq!(num(&stats, "avgDurationMs"), 5.0);
    let off = analytics_core(Some(r#"{"trackFeatures":false}"#));
    let nothing = off.run("trackFeature", &["f".into(), "a".into(), NULL], &[0.0]);
    assert_eq!(nothing, None, "trackFeatures: false sends nothing");
}

#[wasm_bindgen_test]
fn the_analytics_core_answers_arguments_of_the_wrong_type_with_an_invalid_call() {
    let analytics = analytics_core(None);
    // Ids are strings or whole numbers; a text that was not a string is null, a number that
    // was not one NaN.
    let calls: Vec<(&str, Vec<JsValue>, Vec<f64>)> = vec![
        ("trackFeature", vec![NULL, NULL, NULL], vec![0.0]),
        ("trackFeature", vec![NULL, "opened".into(), NULL], vec![0.0]),
        ("trackFeature", vec!["f".into(), NULL, NULL], vec![0.0]),
        (
            "trackFeature",
            vec![1.5.into(), "opened".into(), NULL],
            vec![0.0],
        ),
        ("startConversation", vec![NULL, "openai".into()], vec![0.0]),
        (
            "startConversation",
            vec![true.into(), "openai".into()],
            vec![0.0],
        ),
        ("startConversation", vec!["c1".into(), NULL], vec![0.0]),
        ("trackMessage", vec!["c1".into(), "user".into()], vec![NAN]),
        ("trackMessage", vec!["c1".into(), NULL], vec![10.0]),
        ("endConversation", vec![NULL, NULL], vec![0.0]),
        ("trackProviderRequest", vec![NULL, NULL], vec![10.0, NAN]),
        (
            "trackProviderRequest",
            vec!["openai".into(), true.into()],
            vec![NAN, 5.0],
        ),
        ("trackProactiveSuggestion", vec![1.5.into(), NULL], vec![]),
        ("trackProactiveAcceptance", vec!["s1".into()], vec![NAN]),
        (
            "trackProactiveDismissal",
            vec![Object::new().into()],
            vec![],
        ),
    ];
    for (op, texts, numbers) in &calls {
        let answer = analytics.run(op, texts, numbers);
        assert_eq!(answer.as_deref(), Some(""), "{op} {texts:?} {numbers:?}");
    }
    let stats = analytics.json("conversationStats", &[], &[]);
    assert_eq!(num(&stats, "ended"), 0.0, "nothing was recorded");
}

#[wasm_bindgen_test]
fn module_events_submitted_to_a_core_reach_its_batches_and_bad_calls_count_as_invalid() {
    let core = Core::new();
    let analytics = analytics_core(None);
    let meta = JsValue::from_str(r#"{"by":"ann@example.com"}"#);
    let feature = analytics
        .run(
            "trackFeature",
            &["export".into(), "clicked".into(), meta],
            &[0.0],
        )
        .unwrap();
    let (kind, data) = feature.split_once('\n').unwrap();
    let submit = |kind: JsValue, data: JsValue| {
        core.answer_with("submit", &[kind, false.into()], &[NOW], data.as_string())
            .0
    };
    assert_eq!(submit(kind.into(), data.into()), 1);
    let bad = analytics.run("trackFeature", &[NULL, "clicked".into(), NULL], &[0.0]);
    assert_eq!(bad.as_deref(), Some(""));
    // The JS class submits an invalid call with a null type: counted as invalid.
    assert_eq!(submit(NULL, NULL), 0);
    assert_eq!(core.count("dropped.invalid"), 1.0);
    assert_eq!(
        core.last_refusal(),
        "(invalid) ids, names and roles must be strings, and counts numbers"
    );
    // ErrorTracking's events go the same way: what the errors core writes, submitted by the JS
    // class.
    let errors = errors_core("{}").unwrap();
    let data = errors.run("recovery", &[NULL, true.into()], &[]);
    assert_eq!(data, None, "not an id");
    assert_eq!(submit(NULL, NULL), 0, "the core refused it");
    assert_eq!(core.count("dropped.invalid"), 2.0);
    let data = errors.text("recovery", &["err-1".into(), true.into()], &[]);
    assert_eq!(submit("error.recovery".into(), data.into()), 1);

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
    assert_eq!(text(&events[0], "sessionId"), core.session());
}

/// A health core as js/health-check.js opens it: texts `optionsJson`, numbers `now`.
fn health_core(options: &str) -> Result<Handle, String> {
    Handle::open("health", &[options.into()], &[NOW])
}

#[wasm_bindgen_test]
fn health_core_answers_each_status_change_with_the_event_to_submit_and_reports_as_json() {
    let health = health_core(r#"{"checkIntervalMs":0,"failureThreshold":1}"#).unwrap();
    let wiring = health.json("wiring", &[], &[]);
    assert_eq!(at(&wiring, "enabled").as_bool(), Some(true));
    assert_eq!(num(&wiring, "timerMs"), 0.0);
    assert_eq!(num(&wiring, "timeoutMs"), 5000.0);
    let db = health.run("register", &["db".into(), true.into(), NULL], &[]);
    assert_eq!(db, None, "registered");
    let cache = ["cache".into(), true.into(), false.into()];
    assert_eq!(health.run("register", &cache, &[]), None);
    // record: texts (name, outcome, status, message), numbers (responseTime, elapsedMs, now)
    let threw: [JsValue; 4] = ["db".into(), "threw".into(), NULL, "db down".into()];
    let threw_at = [NAN, 3.0, NOW + 10.0];
    let db = health.json("record", &threw, &threw_at);
    assert_eq!(text(&db, "service").as_deref(), Some("db"));
    assert_eq!(text(&db, "status").as_deref(), Some("unhealthy"));
    assert_eq!(text(&db, "system").as_deref(), Some("unhealthy"));
    assert_eq!(text(&db, "message").as_deref(), Some("db down"));
    let answered: [JsValue; 4] = ["cache".into(), "answered".into(), "healthy".into(), NULL];
    let cache = health.json("record", &answered, &[12.0, 3.0, NOW + 20.0]);
    assert_eq!(keys(&cache), ["service", "status", "system"]);
    assert_eq!(text(&cache, "status").as_deref(), Some("healthy"));
    assert!(!health.yes("isHealthy", &[]));

    // Nothing changed: nothing to submit.
    assert_eq!(health.run("record", &threw, &threw_at), None);
    let timed_out: [JsValue; 4] = ["cache".into(), "timedOut".into(), NULL, NULL];
    assert!(health
        .run("record", &timed_out, &[NAN, 100.0, NOW + 30.0])
        .is_some());
    // A check of a service that is not registered, or without a name: nothing.
    let unknown: [JsValue; 4] = ["queue".into(), "threw".into(), NULL, NULL];
    assert_eq!(
        health.run("record", &unknown, &[NAN, 1.0, NOW + 35.0]),
        None
    );
    assert_eq!(
        health.run("record", &[NULL, "threw".into()], &[NAN, 1.0, NOW]),
        None
    );

    let report = health.json("report", &[], &[NOW + 40.0]);
    assert_eq!(text(&report, "status").as_deref(), Some("unhealthy"));
    assert_eq!(num(&report, "uptime"), 40.0);
    assert_eq!(num(&report, "timestamp"), NOW + 40.0);
    let services = items(&get(&report, "services"));
    assert_eq!(services.len(), 2);
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
    assert_eq!(health.run("unregister", &["db".into()], &[]), None);
    health.run("unregister", &["cache".into()], &[]);
    assert!(health.yes("isHealthy", &[]));
}

#[wasm_bindgen_test]
fn health_core_refuses_bad_registrations_and_options_with_error_strings_the_class_throws() {
    let health = health_core(r#"{"checkIntervalMs":0}"#).unwrap();
    for (texts, thrown) in [
        (
            [NULL, true.into(), NULL],
            "TregisterService: name must be a non-empty string",
        ),
        (
            ["".into(), true.into(), NULL],
            "TregisterService: name must be a non-empty string",
        ),
        (
            ["db".into(), false.into(), NULL],
            "TregisterService: check must be a function",
        ),
    ] {
        let error = health.run("register", &texts, &[]);
        assert_eq!(error.as_deref(), Some(thrown), "{texts:?}");
    }
    let report = health.json("report", &[], &[NOW]);
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
        assert_eq!(error, thrown, "{options}");
    }
    let disabled = health_core(r#"{"enabled":false,"checkIntervalMs":10}"#).unwrap();
    let wiring = disabled.json("wiring", &[], &[]);
    assert_eq!(num(&wiring, "timerMs"), 0.0);
    assert_eq!(at(&wiring, "enabled").as_bool(), Some(false));
}

/// An llm core as js/llm-telemetry.js opens it: texts `optionsJson, stored`, numbers `now`.
fn llm_core(options: &str, stored: Option<&str>) -> Result<Handle, String> {
    Handle::open("llm", &[options.into(), opt(stored)], &[NOW])
}

/// The events `takeEvents` answers: `[type, dataJson, type, dataJson, …]`.
fn llm_events(llm: &Handle) -> Vec<String> {
    items(&llm.json("takeEvents", &[], &[]))
        .iter()
        .map(|v| v.as_string().expect("strings"))
        .collect()
}

#[wasm_bindgen_test]
fn llm_core_answers_in_json_and_queues_the_events_with_the_given_user_hash() {
    let llm = llm_core(r#"{"alertIntervalMs":0,"budgets":{"daily":0.0005}}"#, None).unwrap();
    let call = r#"{"provider":"openai","model":"gpt-4o","latencyMs":300,"userId":"ann@example.com",
        "usage":{"prompt_tokens":100,"completion_tokens":20}}"#;
    let cost = llm.json("trackCall", &[call.into(), LINK_HASH.into()], &[NOW]);
    assert_eq!(get(&cost, "currency").as_string().as_deref(), Some("USD"));
    let events = llm_events(&llm);
    assert_eq!(events.len(), 4, "{events:?}");
    assert_eq!(events[0], "gen_ai.call");
    assert_eq!(events[2], "llm.budget_alert");
    let data = parse(&events[1]);
    assert_eq!(
        get(&data, "user.id").as_string().as_deref(),
        Some(LINK_HASH)
    );
    assert!(!events[1].contains("ann@"), "{}", events[1]);
    assert!(llm_events(&llm).is_empty(), "taken once");
    let spend = llm.text("takeSpend", &[], &[]);
    assert!(spend.contains("\"daySpent\""), "{spend}");
    assert_eq!(llm.run("takeSpend", &[], &[]), None);

    // Not an object, or not JSON, or not a string: no call.
    for call in ["42".into(), "null".into(), "".into(), "{".into(), NULL] {
        let answer = llm.run("trackCall", &[call.clone(), NULL], &[NOW]);
        assert_eq!(answer, None, "{call:?}");
    }
    let summary = llm.text("summary", &[NULL], &[NAN, NOW + 1.0]);
    assert!(summary.contains("\"groupBy\":\"model\""), "{summary}");
    let refused = llm.text("summary", &["planet".into()], &[NAN, NOW]);
    assert!(refused.starts_with("RgroupBy"), "{refused}");
}

#[wasm_bindgen_test]
fn llm_core_sets_pricing_or_answers_the_type_error_and_estimates_with_it() {
    let llm = llm_core("{}", None).unwrap();
    let usage = r#"{"prompt_tokens":1000000,"completion_tokens":1000000}"#;
    let estimate = |llm: &Handle| {
        let texts = [
            "openai".into(),
            "my-model".into(),
            usage.into(),
            false.into(),
        ];
        llm.json("estimateCost", &texts, &[])
    };
    assert_eq!(get(&estimate(&llm), "priced").as_bool(), Some(false));
    for (pricing, thrown) in [
        (
            "[1]",
            "Tpricing is an array, so each item must be a genai-prices provider or model with a string id",
        ),
        (
            "not json",
            "Tpricing must be an object of model rates, a LiteLLM table or genai-prices data",
        ),
        (
            r#"{"my-model":{"input":1}}"#,
            "Tpricing.my-model.output is required",
        ),
    ] {
        let error = llm.run("setPricing", &[pricing.into()], &[]);
        assert_eq!(error.as_deref(), Some(thrown), "{pricing}");
    }
    assert_eq!(llm.run("setPricing", &[NULL], &[]), None, "no pricing text");
    assert_eq!(
        get(&estimate(&llm), "priced").as_bool(),
        Some(false),
        "all or none"
    );
    let pricing = r#"{"my-model":{"input":1,"output":2}}"#;
    assert_eq!(llm.run("setPricing", &[pricing.into()], &[]), None);
    let cost = estimate(&llm);
    assert_eq!(get(&cost, "priced").as_bool(), Some(true));
    assert!(num(&cost, "totalCost") > 0.0, "{cost:?}");
}

#[wasm_bindgen_test]
fn stream_core_reads_usage_from_chunk_json() {
    let stream = Handle::open("stream", &["anthropic".into()], &[]).unwrap();
    assert_eq!(stream.run("usage", &[], &[]), None);
    let start =
        r#"{"type":"message_start","message":{"usage":{"input_tokens":10,"output_tokens":1}}}"#;
    assert_eq!(stream.run("push", &[start.into()], &[]), None);
    stream.run(
        "push",
        &[r#"{"type":"message_delta","usage":{"output_tokens":7}}"#.into()],
        &[],
    );
    stream.run("push", &["not json".into()], &[]);
    stream.run("push", &[NULL], &[]);
    let usage = stream.json("usage", &[], &[]);
    assert_eq!(get(&usage, "inputTokens").as_f64(), Some(10.0));
    assert_eq!(get(&usage, "outputTokens").as_f64(), Some(7.0));
    assert!(get(&usage, "reasoningTokens").is_null());
    assert!(stream.yes("isPartial", &[]));
    stream.run("push", &[r#"{"type":"message_stop"}"#.into()], &[]);
    assert!(!stream.yes("isPartial", &[]));
}

#[wasm_bindgen_test]
fn llm_core_refuses_bad_options_with_typed_messages_and_resumes_stored_spend() {
    for (options, start) in [
        (r#"{"alertIntervalMs":null}"#, "RalertIntervalMs"),
        (r#"{"pricing":null}"#, "Tpricing"),
        (r#"{"alertRules":{}}"#, "TalertRules"),
    ] {
        let error = llm_core(options, None).err().expect("refused");
        assert!(error.starts_with(start), "{options}: {error}");
    }
    let day = (NOW / 86_400_000.0).floor();
    let stored = ["{\"day\":", &(day as i64).to_string(), ",\"daySpent\":2}"].concat();
    let llm = llm_core(r#"{"budgets":{"daily":10}}"#, Some(&stored)).unwrap();
    let status = llm.json("budgetStatus", &[], &[]);
    assert_eq!(get(&get(&status, "daily"), "spent").as_f64(), Some(2.0));
    assert_eq!(
        llm.run("alertIntervalMs", &[], &[]).as_deref(),
        Some("30000")
    );
}

/// A vitals core as js/performance-metrics.js opens it: texts `optionsJson, navigationType,
/// prerendering, hidden`, numbers `activationStart, now`.
fn vitals_core(options: &str, navigation_type: Option<&str>) -> Result<Handle, String> {
    let texts = [
        options.into(),
        opt(navigation_type),
        false.into(),
        false.into(),
    ];
    Handle::open("vitals", &texts, &[0.0, NOW])
}

/// The `web-vital` reports of one answer, parsed.
fn vital_reports(answer: Option<String>) -> Vec<JsValue> {
    let text = answer.expect("a string answer");
    text.lines().map(parse).collect()
}

#[wasm_bindgen_test]
fn vitals_core_answers_with_web_vital_reports_and_summaries_as_json() {
    let core = vitals_core(r#"{"reportAllChanges":true}"#, Some("reload")).unwrap();
    let wiring = core.json("wiring", &[], &[]);
    assert_eq!(at(&wiring, "vitals").as_bool(), Some(true));
    assert_eq!(num(&wiring, "durationThreshold"), 40.0);
    let ttfb = vital_reports(core.run("ttfb", &[], &[5.0, 120.5]));
    assert_eq!(ttfb.len(), 1);
    assert_eq!(text(&ttfb[0], "name").as_deref(), Some("TTFB"));
    assert_eq!(num(&ttfb[0], "value"), 120.5);
    assert_eq!(text(&ttfb[0], "navigationType").as_deref(), Some("reload"));
    assert_eq!(num(&ttfb[0], "attribution.requestStart"), 5.0);
    let lcp = core.run("lcp", &["h1#hero".into(), NULL], &[233.89999999999998]);
    let lcp = vital_reports(lcp);
    assert_eq!(
        num(&lcp[0], "value"),
        233.89999999999998,
        "numbers cross exactly"
    );
    assert_eq!(
        text(&lcp[0], "attribution.target").as_deref(),
        Some("h1#hero")
    );
    assert!(at(&lcp[0], "attribution.url").is_undefined());
    assert_eq!(
        core.run("paint", &["first-paint".into()], &[10.0])
            .as_deref(),
        Some("")
    );
    let shift = core.run("shift", &["div.block".into(), false.into()], &[100.0, 0.25]);
    assert_eq!(shift, None);
    assert_eq!(
        core.run("shiftsDone", &[], &[]).as_deref(),
        Some(""),
        "CLS waits for FCP"
    );
    let fcp = vital_reports(core.run("paint", &["first-contentful-paint".into()], &[50.0]));
    let names: Vec<Option<String>> = fcp.iter().map(|r| text(r, "name")).collect();
    assert_eq!(names, [Some("FCP".into()), Some("CLS".into())]);
    assert_eq!(
        text(&fcp[1], "attribution.largestShiftTarget").as_deref(),
        Some("div.block")
    );
    core.run(
        "event",
        &["click".into(), NULL],
        &[3.0, 184.0, 1000.0, 1002.0, 1182.0],
    );
    let inp = vital_reports(core.run("eventsDone", &[], &[1.0]));
    assert_eq!(num(&inp[0], "value"), 184.0);
    assert_eq!(num(&inp[0], "attribution.processingDuration"), 180.0);
    let vitals = core.json("vitals", &[], &[]);
    assert_eq!(num(&vitals, "cls"), 0.25);
    assert_eq!(num(&vitals, "inp"), 184.0);

    assert_eq!(
        core.run("trackAI", &[r#"{"totalMs":12,"tokens":300}"#.into()], &[]),
        None
    );
    core.run("trackAI", &["not json".into()], &[]);
    core.run("trackAI", &[NULL], &[]);
    let summary = core.json("aiSummary", &[], &[]);
    assert_eq!(
        (num(&summary, "count"), num(&summary, "fields.tokens.max")),
        (1.0, 300.0)
    );
    assert!(at(&summary, "fields.apiCallMs").is_null());
    core.run("longTask", &[], &[180.0]);
    // texts: the entries' names; numbers: the JS heap (NaN: unknown), then size and duration of
    // each entry.
    let names = ["https://a.test/x.js?token=secret".into(), "b".into()];
    let resources = core.json("resources", &names, &[NAN, 100.0, 30.0, 20.0, 12.0]);
    assert_eq!(num(&resources, "resources.count"), 2.0);
    assert_eq!(num(&resources, "longTasks.totalBlockingTime"), 130.0);
    assert!(num(&resources, "memory.wasmBytes") > 0.0);
    assert!(!text(&resources, "resources.slowest.url")
        .unwrap()
        .contains("secret"));
}

#[wasm_bindgen_test]
fn vitals_core_refuses_a_bad_max_timings_with_the_range_error_string() {
    for bad in ["0", "1.5", "\"NaN\"", "100001"] {
        let options = ["{\"maxTimings\":", bad, "}"].concat();
        let thrown = vitals_core(&options, None).err().expect("refused");
        assert_eq!(
            thrown, "RmaxTimings must be an integer between 1 and 100000",
            "{options}"
        );
    }
    assert!(vitals_core("not json", None).is_ok());
}

#[wasm_bindgen_test]
fn errors_core_writes_error_events_breadcrumbs_and_answers_as_json() {
    let errors = errors_core(r#"{"maxBreadcrumbs":2}"#).unwrap();
    let wiring = errors.json("wiring", &[], &[]);
    assert_eq!(at(&wiring, "error").as_bool(), Some(true));
    let crumb = errors.run(
        "breadcrumb",
        &[
            "auth".into(),
            "signed in".into(),
            NULL,
            r#"{"via":"sso"}"#.into(),
        ],
        &[NOW],
    );
    assert_eq!(crumb, None);
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
                NULL,
                "captureError".into(),
            ],
            &[NOW],
        )
    };
    let id = capture("warning".into());
    assert_eq!(id.as_deref(), Some("err-1700000000000-1"));
    let data = errors.json("takeEvent", &[], &[]);
    assert_eq!(errors.run("takeEvent", &[], &[]), None, "taken once");
    assert_eq!(text(&data, "errorId"), id);
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

    let repeat = capture(NULL);
    assert!(repeat.is_some_and(|id| id.ends_with("-2")));
    assert_eq!(
        errors.run("takeEvent", &[], &[]),
        None,
        "a repeat is counted"
    );
    let groups = errors.json("groups", &[], &[]);
    assert_eq!(num(&groups, "0.count"), 2.0);
    let stats = errors.json("stats", &[], &[]);
    assert_eq!(num(&stats, "bySeverity.error"), 1.0);
    assert!(at(&stats, "recoveryRate").is_null());
    // Without the name, message or mechanism the JS class always gives: no capture.
    let unnamed = [NULL, "m".into(), NULL, NULL, NULL, NULL, "onerror".into()];
    assert_eq!(errors.run("capture", &unnamed, &[NOW]), None);

    // What JSON can carry that is no id (the JS class passes strings and numbers).
    for id in [
        NULL,
        1.5.into(),
        true.into(),
        Object::new().into(),
        Array::of1(&"err-1".into()).into(),
    ] {
        let answer = errors.run("recovery", &[id.clone(), true.into()], &[]);
        assert_eq!(answer, None, "{id:?}");
    }
    assert_eq!(
        call(errors.0, "recovery", "{", &[], None),
        None,
        "texts that are not JSON"
    );
    let data = errors.run(
        "recovery",
        &[42.into(), false.into(), r#""retry""#.into(), "2".into()],
        &[],
    );
    assert_eq!(
        data.as_deref(),
        Some(r#"{"errorId":"42","success":false,"strategy":"retry","attempts":2}"#)
    );
}

#[wasm_bindgen_test]
fn errors_core_refuses_a_bad_max_breadcrumbs_and_captures_nothing_when_disabled() {
    for options in [r#"{"maxBreadcrumbs":1001}"#, r#"{"maxBreadcrumbs":1.5}"#] {
        let thrown = errors_core(options).err().expect("refused");
        assert_eq!(
            thrown, "RmaxBreadcrumbs must be an integer between 0 and 1000",
            "{options}"
        );
    }
    let errors = errors_core(r#"{"enabled":false}"#).unwrap();
    let wiring = errors.json("wiring", &[], &[]);
    assert_eq!(at(&wiring, "unhandledrejection").as_bool(), Some(false));
    let id = errors.run(
        "capture",
        &[
            "Error".into(),
            "x".into(),
            NULL,
            NULL,
            NULL,
            NULL,
            "onerror".into(),
        ],
        &[NOW],
    );
    assert_eq!(id, None);
}

// ---------------------------------------------------------------------------------------------
// Configuration parsing, through `open('collector')` and `updateConfig`

mod config_parsing {
    use super::*;

    /// What `open('collector')` refused with: the JS class turns `R…` into a RangeError and
    /// `T…` into a TypeError.
    fn thrown(config: &str) -> String {
        match Core::construct(config, 1, &page_url(), None, false) {
            Ok(_) => panic!("{config} should have been rejected"),
            Err(error) => error,
        }
    }

    fn config(core: &Core) -> JsValue {
        core.0.json("config", &[], &[])
    }

    /// `updateConfig`: `"1"`/`"0"` whether the flush interval changed, or the error string.
    fn update(core: &Core, patch: &str, custom: bool) -> Result<bool, String> {
        match core.run("updateConfig", &[patch.into(), custom.into()], &[]) {
            Some(answer) if answer == "1" => Ok(true),
            Some(answer) if answer == "0" => Ok(false),
            Some(error) => Err(error),
            None => panic!("updateConfig answered undefined"),
        }
    }

    #[wasm_bindgen_test]
    fn config_parsing_range_errors_are_answered_as_r_strings_naming_the_field() {
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
    fn config_parsing_type_errors_and_unknown_fields_are_answered_as_t_strings_naming_the_field() {
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
                "endpoint is required when transport is 'http', 'beacon' or 'otlp'",
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
        assert_eq!(core.event("x", "{}"), 0);
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
        assert!(!core.fills_a_batch("a", "{}"));
        assert!(
            core.fills_a_batch("b", "{}"),
            "two events fill a batch of 2"
        );
        assert!(core.fills_a_batch("c", "{}"));
        let (_, events) = core.batch();
        assert_eq!(types(&events), ["a", "b"]);
        assert_eq!(num(&core.status(), "maxSize"), 2.0);
    }

    #[wasm_bindgen_test]
    fn config_parsing_required_consent_keeps_events_in_memory_until_granted() {
        let core = Core::with(r#"{"requireConsent":true}"#);
        assert_eq!(core.consent().as_deref(), Some("pending"));
        assert_eq!(core.event("waits", "{}"), 1);
        assert_eq!(core.next_batch(), None);
        assert_eq!(core.journal(), None, "nothing is stored while pending");
        assert!(!core.yes("mayRecover", &[]));
        let followed = core.string("followConsent", &[NULL]);
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
        assert_eq!(core.number("waitMs", &[], &[NOW]), 5000.0);
        let later = core.run("nextBatch", &[], &[NOW + 5000.0]);
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
