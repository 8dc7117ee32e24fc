//! The page's trace as its collector keeps it (the `tracing` feature, in the web and full
//! entries): the `pageload` span, request spans and the headers their requests carry, the
//! application's spans, and the `span` events they become. Every event the collector accepts
//! names the trace and the span active when it happened.

use super::{Accepted, Collector, CustomRedaction};
use crate::core::config::is_own_request;
use crate::core::event::EventInput;
use crate::core::json_object::Object;
use crate::core::json_value::{parse, Value};
use crate::core::pipeline::{DropReason, Refusal};
use crate::core::trace::context::TraceContext;
use crate::core::trace::request::{self, Request, RequestStart};
use crate::core::trace::span::{Outcome, SpanKind, SPAN_EVENT};
use crate::core::trace::tracer::Tracer;
use alloc::string::String;
use alloc::vec::Vec;

/// The navigation timing marks that become events of the `pageload` span, in the order a page
/// load passes them (the members of `PerformanceNavigationTiming`, in ms since the page's time
/// origin; a mark at 0 did not happen).
pub const PAGELOAD_MARKS: [&str; 12] = [
    "fetchStart",
    "domainLookupStart",
    "domainLookupEnd",
    "connectStart",
    "secureConnectionStart",
    "connectEnd",
    "requestStart",
    "responseStart",
    "responseEnd",
    "domInteractive",
    "domContentLoadedEventEnd",
    "loadEventEnd",
];

impl Collector {
    /// Starts the page's trace at `start_ms` (the page's time origin, ms since the epoch), a
    /// child of the trace the server started when `traceparent` (its `<meta>` tag) is valid,
    /// keeping that trace's sampling decision and `tracestate`; otherwise a new trace, kept as
    /// the sampling configuration decides. `page_origin` is the page's origin, the default
    /// propagation target.
    pub fn start_trace(
        &mut self,
        page_origin: &str,
        traceparent: Option<&str>,
        tracestate: Option<&str>,
        start_ms: f64,
    ) {
        let (rng, draw) = self.pipeline.fork_rng();
        let sampled = crate::core::sampling::keeps_trace(self.pipeline.config(), draw);
        self.trace = Some((
            Tracer::new(rng, traceparent, tracestate, sampled, start_ms),
            page_origin.into(),
        ));
    }

    /// The trace and the span active now, which the events accepted now belong to.
    pub(super) fn trace_now(&self) -> Option<TraceContext> {
        let (tracer, _) = self.trace.as_ref()?;
        Some(TraceContext {
            span_id: tracer.current(),
            ..tracer.root()
        })
    }

    /// Starts the span of a request the page makes to `url` (absolute) with `method`
    /// (upper-cased, `GET` when absent): its id and the headers to add when it goes to a
    /// propagation target (see [`request::start`]). `None` for the SDK's own requests to its
    /// endpoint (`url_as_given` is the URL as the page passed it), while the collector is
    /// turned off (`enabled: false`, the kill switch) or destroyed, or with no trace.
    pub fn request_started(
        &mut self,
        method: Option<&str>,
        url_as_given: &str,
        url: &str,
        regexp_matched: bool,
        now_ms: f64,
    ) -> Option<RequestStart> {
        let config = self.pipeline.config();
        let own = is_own_request(config.endpoint.as_deref(), url_as_given, url);
        if own || !config.enabled || self.destroyed {
            return None;
        }
        let (tracer, page_origin) = self.trace.as_mut()?;
        let method = request::method_name(method);
        let request = Request {
            method: &method,
            url,
            page_origin,
            targets: config.trace_propagation_targets.as_deref(),
            regexp_matched,
        };
        Some(request::start(tracer, &request, now_ms))
    }

    /// Ends request span `span_id` (to `url`, absolute) at `now_ms` with HTTP `status`
    /// (`None`: no answer) or the failure `error`, and accepts its `span` event (see
    /// [`request::ended`]; its method is the span's name).
    pub fn request_ended(
        &mut self,
        span_id: [u8; 8],
        url: &str,
        status: Option<u16>,
        error: Option<&str>,
        now_ms: f64,
        custom: CustomRedaction<'_>,
    ) -> Accepted {
        let method = self
            .trace
            .as_ref()
            .and_then(|(tracer, _)| tracer.name(span_id));
        let Some(method) = method.map(String::from) else {
            return not_sent();
        };
        let (attributes, outcome) = request::ended(&method, url, status, error);
        self.end_span(span_id, &outcome, Some(&attributes), &[], now_ms, custom)
    }

    /// Starts a span of the application's named `name` at `now_ms`, under `parent` when that
    /// is an open span, else under the active one; its id (`None` with no trace).
    pub fn span_started(
        &mut self,
        name: &str,
        parent: Option<[u8; 8]>,
        now_ms: f64,
    ) -> Option<[u8; 8]> {
        let (tracer, _) = self.trace.as_mut()?;
        Some(tracer.start(name, SpanKind::Internal, parent, now_ms))
    }

    /// Makes open span `span_id` the active one (nested spans nest); whether it was open.
    pub fn enter_span(&mut self, span_id: [u8; 8]) -> bool {
        self.trace
            .as_mut()
            .is_some_and(|(tracer, _)| tracer.enter(span_id))
    }

    /// Leaves span `span_id` (and those entered inside it).
    pub fn leave_span(&mut self, span_id: [u8; 8]) {
        if let Some((tracer, _)) = self.trace.as_mut() {
            tracer.leave(span_id);
        }
    }

    /// Ends open span `span_id` at `now_ms` with `outcome`, the attributes `attributes` (a JSON
    /// object text) and `events` (name, ms since the epoch), and accepts its `span` event: an
    /// event like any other, so consent, throttling, redaction and delivery apply to it. A span
    /// that is not open, or of a trace not sampled, sends nothing and is not counted.
    pub fn end_span(
        &mut self,
        span_id: [u8; 8],
        outcome: &Outcome,
        attributes: Option<&str>,
        events: &[(&str, f64)],
        now_ms: f64,
        custom: CustomRedaction<'_>,
    ) -> Accepted {
        let data = self
            .trace
            .as_mut()
            .and_then(|(tracer, _)| tracer.end(span_id, now_ms, outcome, attributes, events));
        let Some(data) = data else {
            return not_sent();
        };
        let input = EventInput {
            kind: SPAN_EVENT.into(),
            timestamp_ms: Some(now_ms),
            data_json: Some(data),
        };
        self.accept(Ok(input), now_ms, false, custom)
    }

    /// Ends the `pageload` span when the page has loaded: `navigation` is the JSON of the
    /// page's `PerformanceNavigationTiming` (its marks become the span's events, see
    /// [`PAGELOAD_MARKS`]; it ends at `loadEventEnd`, or at `now_ms` without one).
    pub fn page_loaded(
        &mut self,
        navigation: Option<&str>,
        now_ms: f64,
        custom: CustomRedaction<'_>,
    ) -> Accepted {
        let Some((tracer, _)) = self.trace.as_ref() else {
            return not_sent();
        };
        let root = tracer.root().span_id;
        let origin = tracer.start_ms();
        let timing = navigation.and_then(parse);
        let mark = |name: &str| {
            timing
                .as_ref()
                .and_then(|t| t.get(name))
                .and_then(Value::as_f64)
                .filter(|ms| *ms > 0.0)
        };
        let mut events = Vec::new();
        for name in PAGELOAD_MARKS {
            if let Some(ms) = mark(name) {
                events.push((name, origin + ms));
            }
        }
        let end = mark("loadEventEnd").map_or(now_ms, |ms| origin + ms);
        let transfer = mark("transferSize");
        let mut attributes = Object::default();
        if let Some(kind) = timing
            .as_ref()
            .and_then(|t| t.get("type"))
            .and_then(Value::as_str)
        {
            attributes.text("navigation.type", kind);
        }
        attributes.maybe("http.response.body.size", transfer);
        let attributes = attributes.finish();
        self.end_span(root, &Outcome::Ok, Some(&attributes), &events, end, custom)
    }

    /// Records the span of an LLM call from the data of its `gen_ai.call` event (what
    /// `LlmTelemetry` submits): a `client` span named `chat {model}` that ended at `now_ms`
    /// after its `latencyMs`, under the active span, with the call's `gen_ai.*` attributes,
    /// `gen_ai.operation.name` `chat`, its cost as `gen_ai.usage.cost` and, when it failed,
    /// its `errorType` as `error.type`.
    pub fn llm_call(&mut self, data: &str, now_ms: f64, custom: CustomRedaction<'_>) -> Accepted {
        let (Some(call), Some((tracer, _))) = (parse(data), self.trace.as_mut()) else {
            return not_sent();
        };
        let text = |key: &str| call.get(key).and_then(Value::as_str).unwrap_or_default();
        let latency = call
            .get("latencyMs")
            .and_then(Value::as_f64)
            .filter(|ms| ms.is_finite() && *ms >= 0.0)
            .unwrap_or(0.0);
        let name = crate::core::text::concat(&["chat ", text("gen_ai.request.model")]);
        let span_id = tracer.start(&name, SpanKind::Client, None, now_ms - latency);
        let mut attributes = Object::default();
        attributes.text("gen_ai.operation.name", "chat");
        if let Value::Object(members) = &call {
            for (key, value) in members.iter().filter(|(key, _)| key.starts_with("gen_ai.")) {
                attributes.value(key, value);
            }
        }
        let cost = call.get("cost").and_then(|c| c.get("totalCost"));
        attributes.maybe("gen_ai.usage.cost", cost.and_then(Value::as_f64));
        let outcome = match call.get("success").and_then(Value::as_bool) {
            Some(false) => Outcome::Error(String::from(match text("errorType") {
                "" => "Error",
                kind => kind,
            })),
            _ => Outcome::Ok,
        };
        let attributes = attributes.finish();
        self.end_span(span_id, &outcome, Some(&attributes), &[], now_ms, custom)
    }
}

/// What ending a span that sends nothing answers: dropped as unsampled, and not counted (an
/// unsampled trace drops every span by design).
fn not_sent() -> Accepted {
    Accepted::Dropped(Refusal {
        reason: DropReason::Sampled,
        detail: None,
    })
}

/// The outcome of a span the application ended: `error` is the exception's name, if it failed.
pub fn outcome_of(error: Option<&str>) -> Outcome {
    error.map_or(Outcome::Ok, |name| Outcome::Error(String::from(name)))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::collector::Part;
    use crate::core::hex::hex;
    use crate::core::trace::request::RequestStart;

    const CUSTOM: &str = r#"{"transport":"custom","customTransport":true,"flushIntervalMs":0,"endpoint":"/ingest","tracesSampleRate":1"#;
    const SERVER: &str = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";

    fn no_patterns(_: &str) -> Option<String> {
        None
    }

    /// A traced collector for the page `http://127.0.0.1:8080/shop` with `extra` config
    /// members, its trace started at 1000 ms (continuing `meta` when given).
    fn traced(extra: &str, meta: Option<&str>) -> Collector {
        let config = [CUSTOM, extra, "}"].concat();
        let mut c = Collector::new(&config, [5; 32], "http://127.0.0.1:8080/shop", None, false)
            .expect("valid config");
        c.start_trace("http://127.0.0.1:8080", meta, Some("vendor=1"), 1000.0);
        c
    }

    /// The body of the next batch (`[]` when none is due).
    fn sent(c: &mut Collector) -> String {
        match c.next_batch(10_000.0) {
            Some(id) => c.body(&id, Part::Main, 10_000.0, None).unwrap(),
            None => "[]".into(),
        }
    }

    /// The events of a batch's body.
    fn events(body: &str) -> Vec<Value<'_>> {
        match parse(body) {
            Some(Value::Array(events)) => events,
            other => panic!("{other:?}"),
        }
    }

    fn text<'a>(value: &'a Value, path: &[&str]) -> &'a str {
        path.iter()
            .try_fold(value, |v, key| v.get(key))
            .and_then(Value::as_str)
            .unwrap_or_default()
    }

    fn request(c: &mut Collector, url: &str) -> Option<RequestStart> {
        c.request_started(Some("get"), url, url, false, 1100.0)
    }

    #[test]
    fn a_request_to_a_target_carries_its_span_which_its_span_event_names() {
        let mut c = traced(
            r#","tracePropagationTargets":["http://127.0.0.1:9090"]"#,
            None,
        );
        let api = request(&mut c, "http://127.0.0.1:9090/items?email=ann@example.com").unwrap();
        let (traceparent, state) = api.headers.clone().expect("a target");
        assert_eq!(state, None, "a trace of its own has no tracestate");
        let third = request(&mut c, "https://cdn.test/lib.js").unwrap();
        assert_eq!(third.headers, None);
        assert!(
            request(&mut c, "/ingest").is_none(),
            "the SDK's own requests are not traced"
        );
        let mut off = traced(r#","enabled":false"#, None);
        assert!(
            request(&mut off, "http://127.0.0.1:8080/api").is_none(),
            "the kill switch stops propagation too"
        );
        let ended = c.request_ended(
            api.span_id,
            "http://127.0.0.1:9090/items?email=ann@example.com",
            Some(200),
            None,
            1150.0,
            &mut no_patterns,
        );
        assert_eq!(ended, Accepted::Buffered);
        c.request_ended(
            third.span_id,
            "https://cdn.test/lib.js",
            None,
            Some("TypeError"),
            1160.0,
            &mut no_patterns,
        );
        let body = sent(&mut c);
        let events = events(&body);
        assert_eq!(events.len(), 2);
        let span = &events[0];
        assert_eq!(text(span, &["type"]), SPAN_EVENT);
        let trace_id = text(span, &["data", "traceId"]);
        assert_eq!(
            traceparent,
            ["00-", trace_id, "-", text(span, &["data", "spanId"]), "-01"].concat()
        );
        assert_eq!(text(span, &["data", "name"]), "GET");
        assert_eq!(text(span, &["data", "kind"]), "client");
        assert_eq!(
            text(span, &["data", "attributes", "url.full"]),
            "http://127.0.0.1:9090/items?email=[REDACTED]",
            "redacted like every URL"
        );
        assert_eq!(
            text(span, &["data", "attributes", "server.address"]),
            "127.0.0.1"
        );
        assert_eq!(
            span.get("traceId"),
            None,
            "a span names its trace in its data"
        );
        assert_eq!(text(&events[1], &["data", "error.type"]), "TypeError");
        assert_eq!(text(&events[1], &["data", "status"]), "error");
    }

    #[test]
    fn events_name_the_trace_and_the_span_active_when_they_happened() {
        let mut c = traced("", None);
        let root = hex(&c.trace_now().unwrap().span_id);
        c.accept(
            Ok(EventInput {
                kind: "click".into(),
                timestamp_ms: None,
                data_json: None,
            }),
            1000.0,
            false,
            &mut no_patterns,
        );
        let checkout = c.span_started("checkout", None, 1200.0).unwrap();
        assert!(c.enter_span(checkout));
        let inner = c.span_started("pay", None, 1210.0).unwrap();
        c.accept(
            Ok(EventInput {
                kind: "paid".into(),
                timestamp_ms: None,
                data_json: None,
            }),
            1220.0,
            false,
            &mut no_patterns,
        );
        c.leave_span(checkout);
        c.end_span(inner, &Outcome::Ok, None, &[], 1230.0, &mut no_patterns);
        c.end_span(
            checkout,
            &outcome_of(Some("RangeError")),
            Some(r#"{"cart":3}"#),
            &[],
            1240.0,
            &mut no_patterns,
        );
        let body = sent(&mut c);
        let events = events(&body);
        let trace_id = text(&events[0], &["traceId"]);
        assert_eq!(trace_id.len(), 32);
        assert_eq!(
            text(&events[0], &["spanId"]),
            root,
            "outside any span: the page's"
        );
        assert_eq!(text(&events[1], &["spanId"]), hex(&checkout));
        assert_eq!(text(&events[1], &["traceId"]), trace_id);
        assert_eq!(text(&events[2], &["data", "parentSpanId"]), hex(&checkout));
        assert_eq!(text(&events[3], &["data", "parentSpanId"]), root);
        assert_eq!(text(&events[3], &["data", "error.type"]), "RangeError");
        assert_eq!(
            events[3]
                .get("data")
                .and_then(|d| d.get("attributes"))
                .and_then(|a| a.get("cart"))
                .and_then(Value::as_f64),
            Some(3.0)
        );
    }

    #[test]
    fn the_page_load_continues_a_server_trace_and_ends_with_its_navigation_marks() {
        let mut c = traced("", Some(SERVER));
        let started = request(&mut c, "http://127.0.0.1:8080/api").unwrap();
        let (traceparent, state) = started.headers.unwrap();
        assert!(traceparent.starts_with("00-4bf92f3577b34da6a3ce929d0e0e4736-"));
        assert_eq!(state.as_deref(), Some("vendor=1"));
        let navigation = r#"{"name":"http://127.0.0.1:8080/shop","fetchStart":2.5,"secureConnectionStart":0,"responseStart":40,"loadEventEnd":180.5,"type":"navigate","transferSize":3000}"#;
        assert_eq!(
            c.page_loaded(Some(navigation), 5000.0, &mut no_patterns),
            Accepted::Buffered
        );
        let body = sent(&mut c);
        let events = events(&body);
        let load = &events[0];
        assert_eq!(text(load, &["data", "name"]), "pageload");
        assert_eq!(
            text(load, &["data", "traceId"]),
            "4bf92f3577b34da6a3ce929d0e0e4736"
        );
        assert_eq!(text(load, &["data", "parentSpanId"]), "00f067aa0ba902b7");
        let data = load.get("data").unwrap();
        assert_eq!(data.get("startTime").and_then(Value::as_f64), Some(1000.0));
        assert_eq!(data.get("endTime").and_then(Value::as_f64), Some(1180.5));
        let Some(Value::Array(marks)) = data.get("events") else {
            panic!("{data:?}")
        };
        let names: Vec<&str> = marks.iter().map(|m| text(m, &["name"])).collect();
        assert_eq!(
            names,
            ["fetchStart", "responseStart", "loadEventEnd"],
            "a mark at 0 did not happen"
        );
        assert_eq!(marks[1].get("time").and_then(Value::as_f64), Some(1040.0));
        assert_eq!(
            text(load, &["data", "attributes", "navigation.type"]),
            "navigate"
        );
        assert_eq!(
            c.page_loaded(Some(navigation), 6000.0, &mut no_patterns),
            not_sent(),
            "the page loads once"
        );
    }

    #[test]
    fn a_trace_not_kept_sends_no_span_and_says_so_in_its_header() {
        let mut c = traced(r#","tracesSampleRate":0"#, None);
        let started = request(&mut c, "http://127.0.0.1:8080/api").unwrap();
        assert!(started.headers.unwrap().0.ends_with("-00"));
        c.request_ended(
            started.span_id,
            "http://127.0.0.1:8080/api",
            Some(200),
            None,
            1200.0,
            &mut no_patterns,
        );
        assert_eq!(c.page_loaded(None, 2000.0, &mut no_patterns), not_sent());
        assert!(events(&sent(&mut c)).is_empty());

        let mut never_off = traced(r#","tracePropagationTargets":[]"#, None);
        let started = request(&mut never_off, "http://127.0.0.1:8080/api").unwrap();
        assert_eq!(started.headers, None, "[] sends the header nowhere");
    }

    #[test]
    fn consent_gates_spans_as_it_gates_events() {
        let config = [CUSTOM, r#","requireConsent":true}"#].concat();
        let mut c =
            Collector::new(&config, [5; 32], "http://127.0.0.1:8080/", None, false).unwrap();
        c.start_trace("http://127.0.0.1:8080", None, None, 0.0);
        let span = c.span_started("before", None, 10.0).unwrap();
        assert_eq!(
            c.end_span(span, &Outcome::Ok, None, &[], 20.0, &mut no_patterns),
            Accepted::Buffered,
            "pending consent holds spans as it holds events"
        );
        c.set_consent(crate::core::consent::Consent::Denied);
        let accepted = c.page_loaded(None, 100.0, &mut no_patterns);
        assert!(matches!(
            accepted,
            Accepted::Dropped(Refusal {
                reason: DropReason::Consent,
                ..
            })
        ));
    }

    #[cfg(feature = "otlp")]
    #[test]
    fn otlp_sends_spans_as_traces_and_not_again_once_accepted() {
        let config =
            r#"{"transport":"otlp","endpoint":"http://127.0.0.1:4318","tracesSampleRate":1}"#;
        let mut c = Collector::new(config, [5; 32], "http://127.0.0.1:8080/", None, false).unwrap();
        c.start_trace("http://127.0.0.1:8080", None, None, 0.0);
        c.accept(
            Ok(EventInput {
                kind: "click".into(),
                timestamp_ms: None,
                data_json: None,
            }),
            50.0,
            false,
            &mut no_patterns,
        );
        c.page_loaded(None, 100.0, &mut no_patterns);
        let id = c.next_batch(200.0).unwrap();
        let logs = c.body(&id, Part::Main, 200.0, None).unwrap();
        assert!(!logs.contains("pageload"), "a span is not a log record");
        let trace_id = hex(&c.trace_now().unwrap().trace_id);
        assert!(
            logs.contains(&["\"traceId\":\"", &trace_id, "\""].concat()),
            "{logs}"
        );
        let traces = c.body(&id, Part::Traces, 200.0, None).unwrap();
        assert!(traces.contains("\"name\":\"pageload\""), "{traces}");
        assert!(c.otlp_sent(&id, Part::Main, 200));
        assert!(!c.otlp_sent(&id, Part::Traces, 503));
        let failed = crate::core::collector::Attempt {
            status: 503,
            retry_after: None,
            retry_after_date_ms: f64::NAN,
            error: None,
        };
        c.settle(&id, failed, 300.0);
        let retry = c.next_batch(100_000.0).unwrap();
        assert_eq!(
            c.body(&retry, Part::Main, 0.0, None),
            None,
            "logs were accepted"
        );
        assert_eq!(
            c.body(&retry, Part::Traces, 0.0, None),
            Some(traces),
            "spans go again"
        );
    }

    #[test]
    fn an_llm_call_is_a_chat_span_of_its_model_with_its_usage_cost_and_failure() {
        let mut c = traced("", None);
        let call = r#"{"gen_ai.provider.name":"openai","gen_ai.request.model":"gpt-4o","gen_ai.usage.input_tokens":12,"latencyMs":250,"success":false,"errorType":"rate_limit","cost":{"totalCost":0.0042}}"#;
        assert_eq!(
            c.llm_call(call, 2000.0, &mut no_patterns),
            Accepted::Buffered
        );
        let body = sent(&mut c);
        let events = events(&body);
        let data = events[0].get("data").unwrap();
        assert_eq!(text(data, &["name"]), "chat gpt-4o");
        assert_eq!(text(data, &["kind"]), "client");
        assert_eq!(data.get("startTime").and_then(Value::as_f64), Some(1750.0));
        assert_eq!(text(data, &["error.type"]), "rate_limit");
        let attributes = data.get("attributes").unwrap();
        assert_eq!(text(attributes, &["gen_ai.operation.name"]), "chat");
        assert_eq!(text(attributes, &["gen_ai.provider.name"]), "openai");
        assert_eq!(
            attributes
                .get("gen_ai.usage.input_tokens")
                .and_then(Value::as_f64),
            Some(12.0)
        );
        assert_eq!(
            attributes.get("gen_ai.usage.cost").and_then(Value::as_f64),
            Some(0.0042)
        );
        assert_eq!(
            attributes.get("latencyMs"),
            None,
            "only the GenAI attributes"
        );
        assert_eq!(
            text(data, &["parentSpanId"]),
            hex(&c.trace_now().unwrap().span_id)
        );
    }

    #[test]
    fn without_a_trace_nothing_is_traced() {
        let mut c = Collector::new("{}", [5; 32], "/", None, false).unwrap();
        assert!(c.request_started(None, "/x", "/x", false, 0.0).is_none());
        assert!(c.span_started("x", None, 0.0).is_none());
        assert!(!c.enter_span([1; 8]));
        assert_eq!(c.page_loaded(None, 0.0, &mut no_patterns), not_sent());
        assert_eq!(c.llm_call("{}", 0.0, &mut no_patterns), not_sent());
        assert_eq!(c.trace_now(), None);
    }
}
