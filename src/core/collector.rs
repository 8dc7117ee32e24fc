//! One collector's whole state behind the operations its browser layer performs: accepting
//! events (with the `beforeSend` hold), cutting batches and writing their bodies for the
//! configured transport, settling them, the write-ahead journal, consent and the status report.
//! Sans-IO: time, storage contents and outcomes come in as arguments, and every decision comes
//! out as a value.

use alloc::string::String;
use alloc::vec::Vec;

use crate::core::batch::Batch;
use crate::core::config::{Config, ConfigError, ConfigPatch, Field, Setting, TransportKind};
use crate::core::consent::Consent;
use crate::core::event::{EventError, EventInput};
use crate::core::journal;
use crate::core::json::write_integer;
use crate::core::json_object::Object;
use crate::core::otlp::Logged;
#[cfg(feature = "otlp")]
use crate::core::otlp::{self, Resource};
use crate::core::pipeline::{DropReason, Outcome, Pipeline, Prepared, Refusal, Report};
use crate::core::retry::parse_retry_after;
use crate::core::text::concat;

pub use crate::core::pipeline::CustomRedaction;

#[cfg(feature = "tracing")]
pub mod traced;

/// What became of an event handed to [`Collector::accept`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Accepted {
    /// It is buffered.
    Buffered,
    /// It waits for the application's `beforeSend`: [`Collector::preview`] shows it, and
    /// [`Collector::revise`] or [`Collector::drop_held`] decides it.
    Held,
    /// It was dropped and counted.
    Dropped(Refusal),
}

/// Which body of a batch to write.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Part {
    /// What the configured transport sends: the batch envelope (`http`, `beacon`, `console`),
    /// the events array (`custom`, `localStorage`) or the OTLP log records (`otlp`).
    Main,
    /// The OTLP metrics (`otlp` only).
    Metrics,
    /// The OTLP spans (`otlp` only).
    Traces,
}

impl Part {
    /// The part numbered `number` across the boundary: 0 main, 1 metrics, 2 traces.
    pub fn numbered(number: f64) -> Self {
        match number as u8 {
            0 => Part::Main,
            1 => Part::Metrics,
            _ => Part::Traces,
        }
    }
}

/// How a send attempt ended, as the browser layer saw it.
#[derive(Debug, Clone, PartialEq)]
pub struct Attempt {
    /// The HTTP status; 0 when there was no HTTP answer (see `error`).
    pub status: u16,
    /// The `Retry-After` header, if any.
    pub retry_after: Option<String>,
    /// The header read as an HTTP date by the page, in milliseconds since the epoch (NaN when
    /// it is none).
    pub retry_after_date_ms: f64,
    /// What went wrong when there was no HTTP answer (network error, a refused beacon, …).
    pub error: Option<String>,
}

/// A collector: its pipeline and everything its delivery needs to remember.
#[derive(Debug)]
pub struct Collector {
    pipeline: Pipeline,
    /// Events waiting for `beforeSend`, innermost last (a hook may track events itself).
    held: Vec<Prepared>,
    logged: Logged,
    require_consent: bool,
    privacy_signal: bool,
    online: bool,
    destroyed: bool,
    persisted: u32,
    persist_failures: u32,
    pending_lines: u32,
    last_refusal: Option<Refusal>,
    /// The page's trace and its origin, once [`Collector::start_trace`] started it.
    #[cfg(feature = "tracing")]
    trace: Option<(crate::core::trace::tracer::Tracer, String)>,
}

impl Collector {
    /// A collector for `config` (JSON, see [`ConfigPatch::from_json`]), with a session drawn from
    /// `seed`, the page's address (origin and path), the consent choice found in storage and
    /// whether the browser sends a privacy signal (already filtered by `respectDoNotTrack`).
    pub fn new(
        config_json: &str,
        seed: [u8; 32],
        page_url: &str,
        stored_consent: Option<&str>,
        privacy_signal: bool,
    ) -> Result<Self, ConfigError> {
        let config = Config::from_patch(ConfigPatch::from_json(config_json)?)?;
        let privacy_signal = config.respect_do_not_track && privacy_signal;
        let stored = stored_consent.and_then(Consent::parse);
        let consent = Consent::initial(stored, config.require_consent, privacy_signal);
        Ok(Self {
            require_consent: config.require_consent,
            privacy_signal,
            pipeline: Pipeline::new(config, seed, page_url, consent),
            held: Vec::new(),
            logged: Logged::default(),
            online: true,
            destroyed: false,
            persisted: 0,
            persist_failures: 0,
            pending_lines: 0,
            last_refusal: None,
            #[cfg(feature = "tracing")]
            trace: None,
        })
    }

    /// The configuration in force.
    pub fn config(&self) -> &Config {
        self.pipeline.config()
    }

    /// Applies a configuration patch (JSON) as a whole or not at all; `custom_transport` tells
    /// whether a `customTransport` function will be set after it. Returns whether the flush
    /// interval changed.
    pub fn update_config(
        &mut self,
        patch_json: &str,
        custom_transport: bool,
    ) -> Result<bool, ConfigError> {
        let mut patch = ConfigPatch::from_json(patch_json)?;
        patch.set(Field::has_custom_transport, Setting::Flag(custom_transport));
        self.pipeline.update_config(patch)
    }

    /// The session id, which also names this page's journal.
    pub fn session_id(&self) -> &str {
        self.pipeline.session_id()
    }

    /// Admits, validates and redacts an event read by the browser layer, then buffers it, or
    /// holds it for `beforeSend` when `hold` is set.
    pub fn accept(
        &mut self,
        input: Result<EventInput, EventError>,
        now_ms: f64,
        hold: bool,
        custom: CustomRedaction<'_>,
    ) -> Accepted {
        let result = match input {
            _ if self.destroyed => Err(self.refuse(DropReason::Disabled, None)),
            Err(error) => Err(self.refuse(DropReason::Invalid, Some(error.message()))),
            Ok(input) => self.pipeline.prepare(&input, now_ms, custom),
        };
        let prepared = match result {
            Ok(prepared) => prepared,
            Err(refusal) => return self.dropped(refusal),
        };
        // A span names its trace itself.
        #[cfg(feature = "tracing")]
        let prepared = if prepared.kind() == crate::core::trace::span::SPAN_EVENT {
            prepared
        } else {
            prepared.in_trace(self.trace_now())
        };
        if hold {
            self.held.push(prepared);
            return Accepted::Held;
        }
        self.buffer(prepared)
    }

    /// The wire-format JSON of the event waiting for `beforeSend`.
    pub fn preview(&mut self) -> Option<String> {
        let held = self.held.last()?;
        match self.pipeline.preview(held) {
            Ok(json) => Some(json),
            Err(error) => {
                self.held.pop();
                let refusal = self.refuse(DropReason::Invalid, Some(error.message()));
                self.last_refusal = Some(refusal);
                None
            }
        }
    }

    /// Buffers the held event with the type and data `beforeSend` returned (validated and
    /// redacted again), or drops it as invalid when `beforeSend` returned something unreadable.
    pub fn revise(
        &mut self,
        edited: Result<(String, Option<String>), EventError>,
        custom: CustomRedaction<'_>,
    ) -> Accepted {
        let Some(held) = self.held.pop() else {
            return self.dropped(Refusal {
                reason: DropReason::Invalid,
                detail: Some("no event waits for beforeSend"),
            });
        };
        let revised = edited
            .map_err(|error| self.refuse(DropReason::Invalid, Some(error.message())))
            .and_then(|(kind, data)| self.pipeline.revise(held, kind, data, custom));
        match revised {
            Ok(prepared) => self.buffer(prepared),
            Err(refusal) => self.dropped(refusal),
        }
    }

    /// Drops the held event: `beforeSend` returned nothing or threw.
    pub fn drop_held(&mut self) -> Accepted {
        let refusal = match self.held.pop() {
            Some(_) => self.refuse(DropReason::BeforeSend, None),
            None => Refusal {
                reason: DropReason::Invalid,
                detail: Some("no event waits for beforeSend"),
            },
        };
        self.dropped(refusal)
    }

    fn buffer(&mut self, prepared: Prepared) -> Accepted {
        match self.pipeline.enqueue(prepared) {
            Ok(()) => Accepted::Buffered,
            Err(refusal) => self.dropped(refusal),
        }
    }

    fn refuse(&mut self, reason: DropReason, detail: Option<&'static str>) -> Refusal {
        self.pipeline.count_dropped(reason);
        Refusal { reason, detail }
    }

    fn dropped(&mut self, refusal: Refusal) -> Accepted {
        self.last_refusal = Some(refusal.clone());
        Accepted::Dropped(refusal)
    }

    /// Why the last event was dropped, for debug logs: `"(<reason>) <rule>"`.
    pub fn last_refusal(&self) -> String {
        self.last_refusal.as_ref().map_or_else(String::new, |r| {
            concat(&["(", r.reason.name(), ") ", r.detail.unwrap_or_default()])
        })
    }

    /// Remembers `userId` as its salted hash for later events.
    pub fn identify(&mut self, user_id: &str) {
        self.pipeline.identify(user_id);
    }

    /// The salted hash of a user id, as events carry it.
    pub fn user_hash(&self, user_id: &str) -> String {
        self.pipeline.user_hash(user_id)
    }

    /// Forgets the identified user.
    pub fn reset_user(&mut self) {
        self.pipeline.reset_user();
    }

    /// The consent state.
    pub fn consent(&self) -> Consent {
        self.pipeline.consent()
    }

    /// Applies a consent state. Granting marks the journal for a write (nothing was stored while
    /// consent was pending).
    pub fn set_consent(&mut self, consent: Consent) {
        self.pipeline.set_consent(consent);
        if consent == Consent::Granted {
            self.pipeline.touch_journal();
        }
    }

    /// The consent state that follows from a choice stored by another tab (`None`: removed).
    pub fn consent_from_storage(&self, stored: Option<&str>) -> Consent {
        let stored = stored.and_then(Consent::parse);
        Consent::initial(stored, self.require_consent, self.privacy_signal)
    }

    /// Refuses further events; what is buffered may still be sent.
    pub fn destroy(&mut self) {
        self.destroyed = true;
    }

    /// Whether the browser layer should start a delivery now: a full batch is waiting.
    pub fn should_flush(&self) -> bool {
        self.pipeline.should_flush()
    }

    /// Events waiting in the buffer.
    pub fn buffered(&self) -> usize {
        self.pipeline.buffered()
    }

    /// The browser's network state: offline pauses delivery; coming online lets the next
    /// send go at once.
    pub fn set_online(&mut self, online: bool) {
        if online {
            self.pipeline.reset_backoff();
        }
        self.online = online;
    }

    /// Whether delivery is paused because the browser is offline.
    pub fn online(&self) -> bool {
        self.online
    }

    /// Cuts the next batch to send at `now_ms`, if delivery is allowed and anything waits.
    pub fn next_batch(&mut self, now_ms: f64) -> Option<String> {
        if !self.online {
            return None;
        }
        self.pipeline
            .next_batch(now_ms)
            .map(|batch| batch.id.clone())
    }

    /// How many events the in-flight batch `batch_id` holds.
    pub fn batch_length(&self, batch_id: &str) -> usize {
        self.pipeline
            .in_flight_batch(batch_id)
            .map_or(0, |batch| batch.events.len())
    }

    /// How long delivery must wait (backoff, `Retry-After` or breaker, see
    /// [`Pipeline::wait_ms`]) when events wait (0 otherwise, or when it need not wait).
    pub fn wait_ms(&self, now_ms: f64) -> f64 {
        if self.pipeline.buffered() == 0 || !self.online {
            return 0.0;
        }
        self.pipeline.wait_ms(now_ms)
    }

    /// A body of the in-flight batch `batch_id`, for the configured transport. `stored` is what
    /// the `localStorage` transport's key holds now: its events come first.
    pub fn body(
        &self,
        batch_id: &str,
        part: Part,
        now_ms: f64,
        stored: Option<&str>,
    ) -> Option<String> {
        let batch = self.pipeline.in_flight_batch(batch_id)?;
        let config = self.pipeline.config();
        match (config.transport, part) {
            // Builds without the `otlp` feature refuse the transport at construction.
            #[cfg(feature = "otlp")]
            (TransportKind::Otlp, part) => {
                let resource = Resource {
                    service_name: config.service_name.clone(),
                };
                let export = otlp::encode(&batch.events, &resource, now_ms as i64, &self.logged);
                match part {
                    Part::Main => export.logs,
                    Part::Metrics => export.metrics,
                    #[cfg(feature = "tracing")]
                    Part::Traces => export.traces,
                    #[cfg(not(feature = "tracing"))]
                    Part::Traces => None,
                }
            }
            (_, Part::Metrics | Part::Traces) => None,
            (TransportKind::Custom, Part::Main) => Some(batch.encode_events()),
            (TransportKind::LocalStorage, Part::Main) => Some(append_events(stored, batch)),
            (_, Part::Main) => Some(batch.encode(now_ms)),
        }
    }

    /// Whether an OTLP endpoint accepted `part` (the log records, [`Part::Main`], or the
    /// spans, [`Part::Traces`]) of batch `batch_id` (HTTP `status`); if so they are
    /// remembered, so a retry of the batch sends only the rest.
    pub fn otlp_sent(&mut self, batch_id: &str, part: Part, status: u16) -> bool {
        let accepted = status != 0 && Outcome::from_status(status) == Outcome::Delivered;
        let remember = accepted && cfg!(feature = "otlp");
        if let (true, Some(batch)) = (remember, self.pipeline.in_flight_batch(batch_id)) {
            self.logged.record(&batch.events, part == Part::Traces);
        }
        accepted
    }

    /// Settles batch `batch_id`; returns how long to wait before retrying after a transient
    /// failure, and whether it was delivered.
    pub fn settle(&mut self, batch_id: &str, attempt: Attempt, now_ms: f64) -> Settled {
        let outcome = match attempt.status {
            0 => Outcome::Retry,
            status => Outcome::from_status(status),
        };
        // Only the full entry has the OTLP transport; the others never record log records.
        if cfg!(feature = "otlp") && outcome != Outcome::Retry {
            if let Some(batch) = self.pipeline.in_flight_batch(batch_id) {
                self.logged.forget(&batch.events);
            }
        }
        let error = match (outcome, attempt.status) {
            (Outcome::Delivered, _) => None,
            (_, 0) => attempt.error,
            (_, status) => {
                let mut text = String::from("HTTP ");
                write_integer(&mut text, i64::from(status));
                Some(text)
            }
        };
        let report = Report {
            outcome,
            now_ms,
            retry_after_ms: attempt
                .retry_after
                .as_deref()
                .and_then(|value| parse_retry_after(value, attempt.retry_after_date_ms, now_ms)),
            error,
        };
        match self.pipeline.settle(batch_id, report) {
            Some(delay) => Settled::RetryIn(delay),
            None if outcome == Outcome::Delivered => Settled::Delivered,
            None => Settled::Dropped,
        }
    }

    /// The journal to write, if it changed and storing is allowed: the text (empty: remove the
    /// key). Report the write with [`Collector::journal_written`].
    pub fn take_journal(&mut self) -> Option<String> {
        if !self.pipeline.may_deliver() {
            return None;
        }
        let text = self.pipeline.take_journal()?;
        self.pending_lines = text.bytes().filter(|&b| b == b'\n').count() as u32;
        Some(text)
    }

    /// Records whether the journal write succeeded. A failed write (storage full or blocked) is
    /// counted and tried again later; the events stay in memory.
    pub fn journal_written(&mut self, ok: bool) {
        if ok {
            self.persisted = self.pending_lines;
        } else {
            self.persisted = 0;
            self.persist_failures = self.persist_failures.saturating_add(1);
            self.pipeline.touch_journal();
        }
    }

    /// Everything stored was purged (consent denied).
    pub fn storage_purged(&mut self) {
        self.persisted = 0;
    }

    /// Takes in a journal left by a page that is gone.
    pub fn adopt(&mut self, text: &str, now_ms: f64) {
        self.pipeline.adopt(journal::decode(text, now_ms));
    }

    /// Whether journals of other pages may be taken over now (storage allowed).
    pub fn may_recover(&self) -> bool {
        self.pipeline.may_deliver()
    }

    /// `getBufferStatus()` as a JSON object.
    pub fn status_json(&self, now_ms: f64) -> String {
        let pipeline = &self.pipeline;
        let counters = pipeline.counters();
        let mut dropped = Object::default();
        for reason in DropReason::ALL {
            dropped.count(reason.name(), counters.dropped(*reason));
        }
        Object::default()
            .count("size", pipeline.buffered() as u64)
            .count("maxSize", u64::from(pipeline.config().max_buffer_size))
            .count("bytes", pipeline.buffered_bytes() as u64)
            .count("inFlight", pipeline.in_flight() as u64)
            .count("accepted", counters.accepted)
            .count("sent", counters.sent)
            .count("failedAttempts", counters.failed_attempts)
            .count("persisted", u64::from(self.persisted))
            .count("persistFailures", u64::from(self.persist_failures))
            .count("acknowledged", counters.sent)
            .count("retries", counters.failed_attempts)
            .count("recovered", counters.recovered)
            .count("corrupt", counters.corrupt)
            .count("expired", counters.expired)
            .text("consent", pipeline.consent().name())
            .text("breaker", pipeline.breaker_state(now_ms).name())
            .flag("online", self.online)
            .maybe_text("lastError", pipeline.last_error())
            .raw("dropped", Some(&dropped.finish()))
            .finish()
    }
}

/// How [`Collector::settle`] ended a batch.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Settled {
    /// Delivered.
    Delivered,
    /// Dropped (refused by the endpoint, or consent withdrawn meanwhile) and counted.
    Dropped,
    /// Back in the buffer: try again after this many milliseconds.
    RetryIn(f64),
}

/// The `localStorage` transport's array with the batch's events appended.
fn append_events(stored: Option<&str>, batch: &Batch) -> String {
    let events = batch.encode_events();
    let open = stored
        .and_then(|s| s.strip_suffix("]"))
        .filter(|s| s.len() > 1 && s.starts_with("["));
    match (open, events.strip_prefix("[")) {
        (Some(open), Some(rest)) => concat(&[open, ",", rest]),
        _ => events,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const PAGE: &str = "https://shop.example/cart";

    fn collector(config: &str) -> Collector {
        Collector::new(config, [7; 32], PAGE, None, false).expect("valid config")
    }

    fn event(kind: &str, data: &str) -> Result<EventInput, EventError> {
        Ok(EventInput {
            kind: kind.into(),
            timestamp_ms: None,
            data_json: Some(data.into()),
        })
    }

    fn no_patterns(_: &str) -> Option<String> {
        None
    }

    fn accept(c: &mut Collector, kind: &str, data: &str) -> Accepted {
        c.accept(event(kind, data), 1_000.0, false, &mut no_patterns)
    }

    fn dropped(c: &Collector, reason: &str) -> bool {
        c.status_json(0.0)
            .contains(&["\"", reason, "\":1"].concat())
    }

    const CUSTOM: &str = r#"{"transport":"custom","customTransport":true,"flushIntervalMs":0}"#;

    #[test]
    fn configuration_errors_name_the_field_and_keep_their_kind() {
        let range = Collector::new(r#"{"samplingRate":2}"#, [0; 32], PAGE, None, false);
        assert!(matches!(
            range,
            Err(ConfigError::Range {
                field: "samplingRate",
                ..
            })
        ));
        let unknown = Collector::new(r#"{"smapling":"always"}"#, [0; 32], PAGE, None, false);
        assert_eq!(
            unknown.unwrap_err().message(),
            "unknown config field 'smapling'"
        );
    }

    #[test]
    fn an_accepted_event_goes_out_in_the_transport_body_and_settles_as_delivered() {
        let mut c = collector(CUSTOM);
        assert_eq!(
            accept(&mut c, "cart.viewed", r#"{"mail":"a@b.co"}"#),
            Accepted::Buffered
        );
        let id = c.next_batch(2_000.0).expect("a batch");
        assert_eq!(c.batch_length(&id), 1);
        let body = c.body(&id, Part::Main, 2_000.0, None).unwrap();
        assert!(body.starts_with("[{\"id\":"), "{body}");
        assert!(
            body.contains(r#""data":{"mail":"[REDACTED_EMAIL]"}"#),
            "{body}"
        );
        assert!(body.contains(r#""context":{"url":"https://shop.example/cart"}"#));
        assert_eq!(c.body(&id, Part::Metrics, 2_000.0, None), None);
        let delivered = Attempt {
            status: 200,
            retry_after: None,
            retry_after_date_ms: f64::NAN,
            error: None,
        };
        assert_eq!(c.settle(&id, delivered, 2_100.0), Settled::Delivered);
        assert!(c.status_json(0.0).contains("\"sent\":1"));
    }

    #[test]
    fn a_failed_attempt_comes_back_with_the_same_events_and_its_reason() {
        let mut c = collector(CUSTOM);
        accept(&mut c, "a", "{}");
        let id = c.next_batch(0.0).unwrap();
        let first = c.body(&id, Part::Main, 0.0, None).unwrap();
        let refused = Attempt {
            status: 0,
            retry_after: None,
            retry_after_date_ms: f64::NAN,
            error: Some("customTransport failed".into()),
        };
        assert!(matches!(c.settle(&id, refused, 10.0), Settled::RetryIn(delay) if delay >= 0.0));
        assert!(c
            .status_json(10.0)
            .contains("\"lastError\":\"customTransport failed\""));
        let again = c.next_batch(20_000.0).unwrap();
        assert_eq!(c.body(&again, Part::Main, 0.0, None).unwrap(), first);
        let unavailable = Attempt {
            status: 503,
            retry_after: Some("3".into()),
            retry_after_date_ms: f64::NAN,
            error: None,
        };
        assert_eq!(
            c.settle(&again, unavailable, 30_000.0),
            Settled::RetryIn(3_000.0)
        );
        assert!(c.status_json(0.0).contains("\"lastError\":\"HTTP 503\""));
        let last = c.next_batch(40_000.0).unwrap();
        let refused = Attempt {
            status: 400,
            retry_after: None,
            retry_after_date_ms: f64::NAN,
            error: None,
        };
        assert_eq!(c.settle(&last, refused, 40_000.0), Settled::Dropped);
        assert!(dropped(&c, "rejected"));
    }

    #[test]
    fn before_send_holds_events_innermost_first_and_decides_each() {
        let mut c = collector(CUSTOM);
        let hold = |c: &mut Collector, kind: &str| {
            c.accept(event(kind, "{}"), 0.0, true, &mut no_patterns)
        };
        assert_eq!(hold(&mut c, "outer"), Accepted::Held);
        assert_eq!(hold(&mut c, "inner"), Accepted::Held);
        assert!(c.preview().unwrap().contains("\"type\":\"inner\""));
        assert_eq!(
            c.revise(Ok(("inner.edited".into(), None)), &mut no_patterns),
            Accepted::Buffered
        );
        assert!(c.preview().unwrap().contains("\"type\":\"outer\""));
        assert!(matches!(
            c.drop_held(),
            Accepted::Dropped(Refusal {
                reason: DropReason::BeforeSend,
                ..
            })
        ));
        assert!(dropped(&c, "beforeSend"));
        // Nothing waits any more: neither call counts a drop that did not happen.
        assert!(matches!(
            c.drop_held(),
            Accepted::Dropped(Refusal {
                reason: DropReason::Invalid,
                ..
            })
        ));
        assert!(c.status_json(0.0).contains("\"beforeSend\":1"));
        let id = c.next_batch(0.0).unwrap();
        assert!(c
            .body(&id, Part::Main, 0.0, None)
            .unwrap()
            .contains("inner.edited"));
        assert_eq!(c.batch_length(&id), 1);
    }

    #[test]
    fn invalid_input_and_a_destroyed_collector_are_counted_not_buffered() {
        let mut c = collector(CUSTOM);
        let bad = c.accept(Err(EventError::BadData), 0.0, false, &mut no_patterns);
        assert!(matches!(
            bad,
            Accepted::Dropped(Refusal {
                reason: DropReason::Invalid,
                ..
            })
        ));
        assert_eq!(
            c.last_refusal(),
            "(invalid) event data must be a plain, serialisable object"
        );
        c.destroy();
        assert!(matches!(
            accept(&mut c, "late", "{}"),
            Accepted::Dropped(Refusal {
                reason: DropReason::Disabled,
                ..
            })
        ));
        assert_eq!(c.buffered(), 0);
    }

    #[test]
    fn the_journal_of_a_page_that_is_gone_is_adopted_by_the_next_one() {
        let mut first = collector(CUSTOM);
        accept(&mut first, "kept", "{}");
        let journal = first.take_journal().expect("a journal");
        first.journal_written(true);
        assert!(first.status_json(0.0).contains("\"persisted\":1"));
        assert_eq!(first.take_journal(), None, "unchanged");
        let mut second = Collector::new(CUSTOM, [9; 32], PAGE, None, false).unwrap();
        second.adopt(&journal, 2_000.0);
        assert!(second.status_json(0.0).contains("\"recovered\":1"));
        let id = second.next_batch(0.0).unwrap();
        let body = second.body(&id, Part::Main, 0.0, None).unwrap();
        assert!(journal.contains(&body[2..38]), "same event id");
    }

    #[test]
    fn a_failed_journal_write_is_counted_and_tried_again() {
        let mut c = collector(CUSTOM);
        accept(&mut c, "a", "{}");
        assert!(c.take_journal().is_some());
        c.journal_written(false);
        assert!(c.status_json(0.0).contains("\"persistFailures\":1"));
        assert!(c.take_journal().is_some(), "marked for another write");
    }

    #[test]
    fn consent_decides_what_is_kept_stored_and_sent() {
        let required = r#"{"transport":"custom","customTransport":true,"requireConsent":true}"#;
        let mut c = collector(required);
        assert_eq!(c.consent(), Consent::Pending);
        accept(&mut c, "waits", "{}");
        assert_eq!(c.take_journal(), None, "nothing stored while pending");
        assert_eq!(c.next_batch(0.0), None, "nothing sent while pending");
        assert_eq!(c.consent_from_storage(Some("granted")), Consent::Granted);
        assert_eq!(c.consent_from_storage(None), Consent::Pending);
        c.set_consent(Consent::Granted);
        assert!(c.take_journal().is_some());
        assert!(c.next_batch(0.0).is_some());
        c.set_consent(Consent::Denied);
        assert!(matches!(
            accept(&mut c, "refused", "{}"),
            Accepted::Dropped(Refusal {
                reason: DropReason::Consent,
                ..
            })
        ));
        let signal = Collector::new(CUSTOM, [1; 32], PAGE, None, true).unwrap();
        assert_eq!(
            signal.consent(),
            Consent::Denied,
            "a privacy signal means denied"
        );
        assert_eq!(signal.consent_from_storage(None), Consent::Denied);
        let stored = Collector::new(CUSTOM, [1; 32], PAGE, Some("granted"), true).unwrap();
        assert_eq!(
            stored.consent(),
            Consent::Granted,
            "an explicit choice wins"
        );
    }

    #[test]
    fn offline_pauses_delivery_and_online_resumes_it() {
        let mut c = collector(CUSTOM);
        accept(&mut c, "a", "{}");
        c.set_online(false);
        assert_eq!(c.next_batch(0.0), None);
        assert_eq!(c.wait_ms(0.0), 0.0, "no retry is scheduled while offline");
        assert!(c.status_json(0.0).contains("\"online\":false"));
        c.set_online(true);
        assert!(c.next_batch(0.0).is_some());
    }

    #[test]
    fn the_local_storage_transport_appends_to_what_is_stored() {
        let mut c = collector(r#"{"transport":"localStorage"}"#);
        accept(&mut c, "b", "{}");
        let id = c.next_batch(0.0).unwrap();
        let merged = c
            .body(&id, Part::Main, 0.0, Some(r#"[{"old":1}]"#))
            .unwrap();
        assert!(merged.starts_with(r#"[{"old":1},{"id":"#), "{merged}");
        let fresh = c.body(&id, Part::Main, 0.0, Some("garbage")).unwrap();
        assert!(fresh.starts_with("[{\"id\":"), "{fresh}");
    }

    #[cfg(feature = "otlp")]
    #[test]
    fn otlp_logs_accepted_before_failed_metrics_are_not_sent_again() {
        let mut c = collector(r#"{"transport":"otlp","endpoint":"http://127.0.0.1:4318"}"#);
        let gen_ai = r#"{"gen_ai.provider.name":"openai","gen_ai.usage.input_tokens":5}"#;
        accept(&mut c, "gen_ai.call", gen_ai);
        let id = c.next_batch(0.0).unwrap();
        assert!(c.body(&id, Part::Main, 0.0, None).is_some(), "log records");
        assert!(c.body(&id, Part::Metrics, 0.0, None).is_some(), "metrics");
        assert!(!c.otlp_sent(&id, Part::Main, 503));
        assert!(c.otlp_sent(&id, Part::Main, 200));
        let failed = Attempt {
            status: 503,
            retry_after: None,
            retry_after_date_ms: f64::NAN,
            error: None,
        };
        assert!(matches!(c.settle(&id, failed, 0.0), Settled::RetryIn(_)));
        let retry = c.next_batch(100_000.0).unwrap();
        assert_eq!(
            c.body(&retry, Part::Main, 0.0, None),
            None,
            "logs were accepted"
        );
        assert!(c.body(&retry, Part::Metrics, 0.0, None).is_some());
    }

    #[test]
    fn update_config_applies_whole_patches_and_reports_interval_changes() {
        let mut c = collector(CUSTOM);
        assert_eq!(
            c.update_config(r#"{"flushIntervalMs":500}"#, true),
            Ok(true)
        );
        assert_eq!(c.update_config(r#"{"debug":true}"#, true), Ok(false));
        let bad = c.update_config(r#"{"debug":false,"samplingRate":-1}"#, true);
        assert!(bad.is_err());
        assert!(c.config().debug, "nothing of a refused patch applies");
        assert!(
            c.update_config("{}", false).is_err(),
            "custom needs its function"
        );
    }

    #[cfg(not(feature = "otlp"))]
    #[test]
    fn builds_without_otlp_refuse_the_transport_and_name_the_entry_that_has_it() {
        let otlp = r#"{"transport":"otlp","endpoint":"http://127.0.0.1:4318"}"#;
        let error = Collector::new(otlp, [0; 32], PAGE, None, false).unwrap_err();
        assert!(
            error.message().contains("the full entry, wasm-telemetry"),
            "{}",
            error.message()
        );
        let mut c = collector(CUSTOM);
        let patch = r#"{"transport":"otlp","endpoint":"http://127.0.0.1:4318"}"#;
        assert!(c.update_config(patch, true).is_err());
    }

    #[test]
    fn status_lists_every_drop_reason() {
        let status = collector(CUSTOM).status_json(0.0);
        for reason in DropReason::ALL {
            assert!(
                status.contains(&["\"", reason.name(), "\":0"].concat()),
                "{status}"
            );
        }
        assert!(status.starts_with("{\"size\":0,") && status.ends_with("}}"));
    }
}
