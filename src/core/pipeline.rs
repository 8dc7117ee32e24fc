//! The collector's state machine: admits events (enabled, consent, sampling), validates and
//! redacts them, buffers them, cuts batches and settles their outcomes. It never performs I/O;
//! the platform layer asks it what to do and reports back.

use crate::core::batch::{Batch, MAX_BODY_BYTES};
use crate::core::breaker::{Breaker, BreakerState};
use crate::core::buffer::EventBuffer;
use crate::core::config::{Config, ConfigError, ConfigPatch, TransportKind};
use crate::core::consent::Consent;
use crate::core::event::{check_input, encode_event, Envelope, EventError, EventInput};
use crate::core::journal::{self, Entry};
use crate::core::json_object::Object;
use crate::core::pii::Rules;
use crate::core::random::Rng;
use crate::core::retry::Backoff;
use crate::core::sampling::{Admission, Sampler};
use crate::core::sanitize::{sanitize_json, Policy};
use crate::core::sha256::salted_id_hash;
use crate::core::trace::context::TraceContext;
use alloc::borrow::Cow;
use alloc::string::String;
use alloc::vec::Vec;

/// The application's extra redaction, applied to every string after the built-in patterns.
pub type CustomRedaction<'a> = &'a mut dyn FnMut(&str) -> Option<String>;

named_enum! {
    /// Why an event did not enter the buffer, or left it without being delivered. Its name is
    /// the counter's in `getBufferStatus().dropped`.
    #[derive(Debug, Clone, Copy, PartialEq, Eq)]
    pub enum DropReason {
        /// Collection is disabled (`enabled: false`) or the collector was destroyed.
        Disabled = "disabled",
        /// Not selected by the sampling strategy.
        Sampled = "sampled",
        /// Over the throttling limit.
        Throttled = "throttled",
        /// Consent denied (or not given where a privacy signal applies).
        Consent = "consent",
        /// Invalid input (bad type, timestamp or data, unserialisable, too large or too deep).
        Invalid = "invalid",
        /// Dropped by the application's `beforeSend` (it returned nothing, or threw).
        BeforeSend = "beforeSend",
        /// Evicted to keep the buffer within its bounds.
        Overflow = "overflow",
        /// Refused by the endpoint with a non-retryable status.
        Rejected = "rejected",
    }
}

/// How a batch attempt ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    /// The endpoint acknowledged the batch.
    Delivered,
    /// A transient failure (network, timeout, 408, 429, 5xx): keep the events for later.
    Retry,
    /// A permanent refusal (other 4xx): drop the events and count them.
    Rejected,
}

impl Outcome {
    /// A short name for logs.
    pub fn name(self) -> &'static str {
        match self {
            Self::Delivered => "delivered",
            Self::Retry => "will retry",
            Self::Rejected => "rejected",
        }
    }

    /// Classifies an HTTP status code.
    pub fn from_status(status: u16) -> Self {
        match status {
            200..=299 => Self::Delivered,
            408 | 429 => Self::Retry,
            400..=499 => Self::Rejected,
            _ => Self::Retry,
        }
    }
}

/// How a send went, as the platform observed it.
#[derive(Debug, Clone, PartialEq)]
pub struct Report {
    /// The outcome.
    pub outcome: Outcome,
    /// When it ended.
    pub now_ms: f64,
    /// The server's `Retry-After`, in milliseconds, if any.
    pub retry_after_ms: Option<f64>,
    /// What went wrong, for `getBufferStatus().lastError`.
    pub error: Option<String>,
}

impl Report {
    /// A send that ended with `outcome` at `now_ms` and nothing more to say.
    pub fn plain(outcome: Outcome, now_ms: f64) -> Self {
        Self {
            outcome,
            now_ms,
            retry_after_ms: None,
            error: None,
        }
    }
}

/// Counters reported by `getBufferStatus()`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Counters {
    /// Events that entered the buffer.
    pub accepted: u64,
    /// Events the endpoint acknowledged.
    pub sent: u64,
    /// Batch attempts that failed and will be retried.
    pub failed_attempts: u64,
    /// Events dropped, indexed by [`DropReason`] (read with [`Counters::dropped`]).
    dropped: [u64; DropReason::ALL.len()],
    /// Dropped: older than seven days when recovered from storage.
    pub expired: u64,
    /// Entries found corrupt in storage and dropped.
    pub corrupt: u64,
    /// Events recovered from storage (this page's earlier loads, or closed tabs).
    pub recovered: u64,
}

impl Counters {
    /// Events dropped for `reason`.
    pub fn dropped(&self, reason: DropReason) -> u64 {
        self.dropped.get(reason as usize).copied().unwrap_or(0)
    }

    fn add_dropped(&mut self, reason: DropReason, count: u64) {
        // The index is always in bounds; `get_mut` keeps a panicking index out of the wasm.
        if let Some(slot) = self.dropped.get_mut(reason as usize) {
            *slot += count;
        }
    }
}

/// A rejected event with its reason and, for invalid input, the rule it broke.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Refusal {
    /// The counter it went to.
    pub reason: DropReason,
    /// The rule broken, for invalid input.
    pub detail: Option<&'static str>,
}

/// An admitted, validated and redacted event that has an id but is not buffered yet (the
/// application's `beforeSend` may still change or drop it).
#[derive(Debug, Clone, PartialEq)]
pub struct Prepared {
    id: String,
    accepted_at_ms: f64,
    input: EventInput,
    /// The trace and span it happened in (see [`Prepared::in_trace`]).
    trace: Option<TraceContext>,
}

impl Prepared {
    /// The event's id.
    pub fn id(&self) -> &str {
        &self.id
    }

    /// The event's type.
    pub fn kind(&self) -> &str {
        &self.input.kind
    }

    /// This event, as one that happened in `trace` (its trace and the span then active).
    pub fn in_trace(self, trace: Option<TraceContext>) -> Self {
        Self { trace, ..self }
    }
}

/// What [`Pipeline::reconfigured`] compares a new configuration with.
struct Before {
    enabled: bool,
    breaker: (u32, u32),
    transport: TransportKind,
    endpoint: Option<String>,
    flush_interval_ms: u32,
}

impl Before {
    /// What of `config` a change is judged by.
    fn of(config: &Config) -> Self {
        Before {
            enabled: config.enabled,
            breaker: (config.breaker_threshold, config.breaker_cooldown_ms),
            transport: config.transport,
            endpoint: config.endpoint.clone(),
            flush_interval_ms: config.flush_interval_ms,
        }
    }
}

/// Buffers, sampling state, ids, consent and counters of one collector.
#[derive(Debug)]
pub struct Pipeline {
    config: Config,
    policy: Policy,
    sampler: Sampler,
    buffer: EventBuffer,
    rng: Rng,
    session_id: String,
    user_id: Option<String>,
    context_json: String,
    /// The page's address, redacted.
    page_url: String,
    consent: Consent,
    counters: Counters,
    in_flight: Vec<Batch>,
    breaker: Breaker,
    backoff: Backoff,
    attempt: u32,
    /// Until when the last failure's backoff lasts (the browser coming online ends it).
    backoff_until_ms: f64,
    /// Until when the server's last `Retry-After` lasts.
    retry_after_until_ms: f64,
    last_error: Option<String>,
    journal_dirty: bool,
}

fn backoff_of(config: &Config) -> Backoff {
    Backoff {
        initial_ms: f64::from(config.retry_base_ms),
        max_ms: f64::from(config.retry_max_ms),
    }
}

fn breaker_of(config: &Config) -> Breaker {
    Breaker::new(
        config.breaker_threshold,
        f64::from(config.breaker_cooldown_ms),
    )
}

fn policy_of(config: &Config) -> Policy {
    Policy {
        patterns: config.redact_pii,
        fields: config.redact_fields.clone(),
        rules: Rules {
            allowed_query_params: config.allowed_query_params.clone(),
        },
    }
}

impl Pipeline {
    /// Starts a pipeline with a fresh session id drawn from `seed`, the page's address (redacted
    /// here once) and the consent state found at start-up.
    pub fn new(config: Config, seed: [u8; 32], page_url: &str, consent: Consent) -> Self {
        let mut rng = Rng::from_seed(seed);
        let session_id = rng.uuid_v4();
        let policy = policy_of(&config);
        let page_url = String::from(policy.text(page_url, &mut |_| None));
        let mut pipeline = Self {
            breaker: breaker_of(&config),
            backoff: backoff_of(&config),
            config,
            policy,
            sampler: Sampler::default(),
            buffer: EventBuffer::default(),
            rng,
            session_id,
            user_id: None,
            context_json: String::new(),
            page_url,
            consent,
            counters: Counters::default(),
            in_flight: Vec::new(),
            attempt: 0,
            backoff_until_ms: 0.0,
            retry_after_until_ms: 0.0,
            last_error: None,
            journal_dirty: false,
        };
        pipeline.context_json = pipeline.context();
        pipeline
    }

    /// Every event's `context`: the page's address, and the release and its distribution when
    /// the configuration names them (as given: they are the application's, not the user's).
    fn context(&self) -> String {
        let mut context = Object::default();
        context.text("url", &self.page_url);
        for (key, value) in [
            ("release", &self.config.release),
            ("dist", &self.config.dist),
        ] {
            if let Some(value) = value {
                context.text(key, value);
            }
        }
        context.finish()
    }

    /// The current configuration.
    pub fn config(&self) -> &Config {
        &self.config
    }

    /// Applies a configuration patch as a whole or not at all ([`Config::apply`]), then what
    /// the change asks of delivery; returns whether the flush interval changed.
    pub fn update_config(&mut self, patch: ConfigPatch) -> Result<bool, ConfigError> {
        let before = Before::of(&self.config);
        self.config.apply(patch)?;
        Ok(self.reconfigured(before))
    }

    /// Replaces the configuration with `config`, as [`Pipeline::update_config`] does.
    #[cfg(test)]
    pub fn set_config(&mut self, config: Config) {
        let before = Before::of(&self.config);
        self.config = config;
        self.reconfigured(before);
    }

    /// What a change of configuration asks, judged against `before`: buffered events are
    /// dropped when collection is switched off, the breaker starts again when its settings
    /// change, and a new destination owes nothing to the old one's failures. Returns whether
    /// the flush interval changed.
    fn reconfigured(&mut self, before: Before) -> bool {
        if before.enabled && !self.config.enabled {
            self.discard_buffer(DropReason::Disabled);
        }
        let config = &self.config;
        self.policy = policy_of(config);
        self.backoff = backoff_of(config);
        if before.breaker != (config.breaker_threshold, config.breaker_cooldown_ms) {
            self.breaker = breaker_of(config);
        }
        if (before.transport, before.endpoint.as_deref())
            != (config.transport, config.endpoint.as_deref())
        {
            self.attempt = 0;
            self.backoff_until_ms = 0.0;
            self.retry_after_until_ms = 0.0;
        }
        self.context_json = self.context();
        before.flush_interval_ms != self.config.flush_interval_ms
    }

    /// A generator for other ids than the pipeline's, and a uniform draw from `[0, 1)`.
    pub fn fork_rng(&mut self) -> (Rng, f64) {
        let draw = self.rng.next_f64();
        (self.rng.fork(), draw)
    }

    /// The session id stamped on every event.
    pub fn session_id(&self) -> &str {
        &self.session_id
    }

    /// The consent state.
    pub fn consent(&self) -> Consent {
        self.consent
    }

    /// Changes the consent state; `Denied` purges everything buffered at once.
    pub fn set_consent(&mut self, consent: Consent) {
        self.consent = consent;
        if consent == Consent::Denied {
            self.discard_buffer(DropReason::Consent);
        }
    }

    /// Identifies the user: later events carry the salted SHA-256 of `user_id`, never the id.
    /// Returns the hash.
    pub fn identify(&mut self, user_id: &str) -> &str {
        self.user_id
            .insert(salted_id_hash(&self.config.user_id_salt, user_id))
    }

    /// The salted SHA-256 of `user_id`, as events carry it.
    pub fn user_hash(&self, user_id: &str) -> String {
        salted_id_hash(&self.config.user_id_salt, user_id)
    }

    /// Forgets the identified user.
    pub fn reset_user(&mut self) {
        self.user_id = None;
    }

    /// Counters so far.
    pub fn counters(&self) -> Counters {
        self.counters
    }

    /// Events waiting in the buffer.
    pub fn buffered(&self) -> usize {
        self.buffer.len()
    }

    /// Bytes of events waiting in the buffer.
    pub fn buffered_bytes(&self) -> usize {
        self.buffer.bytes()
    }

    /// Events currently being sent.
    pub fn in_flight(&self) -> usize {
        self.in_flight.iter().map(|b| b.events.len()).sum()
    }

    /// The circuit breaker's state at `now_ms`.
    pub fn breaker_state(&self, now_ms: f64) -> BreakerState {
        self.breaker.state(now_ms)
    }

    /// Failed sends in a row (the retry attempt the next failure would schedule).
    pub fn attempt(&self) -> u32 {
        self.attempt
    }

    /// The last delivery error, if the last attempt failed.
    pub fn last_error(&self) -> Option<&str> {
        self.last_error.as_deref()
    }

    /// The write-ahead journal of every accepted, unacknowledged event (in flight first, then
    /// buffered, oldest first), or `None` when nothing changed since the last call.
    pub fn take_journal(&mut self) -> Option<String> {
        if !core::mem::take(&mut self.journal_dirty) {
            return None;
        }
        let in_flight = self.in_flight.iter().flat_map(|b| b.events.iter());
        Some(journal::encode(in_flight.chain(self.buffer.entries())))
    }

    /// Marks the journal as needing a write (after a failed write, or when consent is granted).
    pub fn touch_journal(&mut self) {
        self.journal_dirty = true;
    }

    /// Whether the event `id` is in flight or buffered.
    fn holds(&self, id: &str) -> bool {
        for batch in &self.in_flight {
            if batch.events.iter().any(|e| e.id() == Some(id)) {
                return true;
            }
        }
        self.buffer.entries().any(|e| e.id() == Some(id))
    }

    /// Takes in events recovered from storage (earlier loads, closed tabs): they go before
    /// everything else, except ids this pipeline already holds.
    pub fn adopt(&mut self, loaded: journal::Loaded) {
        self.counters.corrupt += loaded.corrupt as u64;
        self.counters.expired += loaded.expired as u64;
        let mut fresh = Vec::new();
        for entry in loaded.entries {
            if entry.id().is_some_and(|id| !self.holds(id)) {
                fresh.push(entry);
            }
        }
        self.counters.recovered += fresh.len() as u64;
        if !fresh.is_empty() {
            let evicted = self.buffer.restore(fresh);
            self.counters
                .add_dropped(DropReason::Overflow, evicted as u64);
            self.journal_dirty = true;
        }
    }

    /// Admits an event (enabled, consent, sampling), validates it and redacts it.
    pub fn prepare(
        &mut self,
        input: &EventInput,
        now_ms: f64,
        custom: CustomRedaction<'_>,
    ) -> Result<Prepared, Refusal> {
        if !self.config.enabled {
            return Err(self.refuse(DropReason::Disabled, None));
        }
        if !self.consent.accepts() {
            return Err(self.refuse(DropReason::Consent, None));
        }
        let draw = self.rng.next_f64();
        match self.sampler.admit(&self.config, now_ms, draw, &input.kind) {
            Admission::Keep => {}
            Admission::Sampled => return Err(self.refuse(DropReason::Sampled, None)),
            Admission::Throttled => return Err(self.refuse(DropReason::Throttled, None)),
        }
        let id = self.rng.uuid_v4();
        let timestamp_ms = Some(input.timestamp_ms.unwrap_or(now_ms));
        self.clean(
            id,
            now_ms,
            EventInput {
                timestamp_ms,
                ..input.clone()
            },
            custom,
        )
    }

    /// Replaces the type and data of a prepared event with what `beforeSend` returned, validated
    /// and redacted again; id and timestamp stay.
    pub fn revise(
        &mut self,
        prepared: Prepared,
        kind: String,
        data_json: Option<String>,
        custom: CustomRedaction<'_>,
    ) -> Result<Prepared, Refusal> {
        let input = EventInput {
            kind,
            data_json,
            timestamp_ms: prepared.input.timestamp_ms,
        };
        let trace = prepared.trace;
        self.clean(prepared.id, prepared.accepted_at_ms, input, custom)
            .map(|revised| revised.in_trace(trace))
    }

    fn clean(
        &mut self,
        id: String,
        accepted_at_ms: f64,
        input: EventInput,
        custom: CustomRedaction<'_>,
    ) -> Result<Prepared, Refusal> {
        if let Err(error) = check_input(&input) {
            return Err(self.refuse(DropReason::Invalid, Some(error.message())));
        }
        let kind = match self.policy.text(&input.kind, custom) {
            Cow::Borrowed(_) => input.kind,
            Cow::Owned(redacted) => redacted,
        };
        let data_json = match &input.data_json {
            Some(data) => {
                let mut clean = String::with_capacity(data.len());
                if let Err(error) = sanitize_json(data, &self.policy, custom, &mut clean) {
                    return Err(self.refuse(DropReason::Invalid, Some(error.message())));
                }
                Some(clean)
            }
            None => None,
        };
        Ok(Prepared {
            id,
            accepted_at_ms,
            input: EventInput {
                kind,
                data_json,
                ..input
            },
            trace: None,
        })
    }

    /// The wire-format JSON of a prepared event (what `beforeSend` is shown).
    pub fn preview(&self, prepared: &Prepared) -> Result<String, EventError> {
        encode_event(&prepared.input, self.envelope(prepared))
    }

    /// Buffers a prepared event.
    pub fn enqueue(&mut self, prepared: Prepared) -> Result<(), Refusal> {
        let encoded = match self.preview(&prepared) {
            Ok(encoded) => encoded,
            Err(error) => return Err(self.refuse(DropReason::Invalid, Some(error.message()))),
        };
        // Consent may have been denied while `beforeSend` ran.
        if !self.consent.accepts() {
            return Err(self.refuse(DropReason::Consent, None));
        }
        self.counters.accepted += 1;
        self.journal_dirty = true;
        let stored_at_ms = prepared.accepted_at_ms.max(0.0) as i64;
        let evicted = self.buffer.push(Entry {
            stored_at_ms,
            event: encoded,
        });
        self.counters
            .add_dropped(DropReason::Overflow, evicted as u64);
        Ok(())
    }

    /// [`Pipeline::prepare`] then [`Pipeline::enqueue`], for collectors without `beforeSend`.
    pub fn accept(
        &mut self,
        input: &EventInput,
        now_ms: f64,
        custom: CustomRedaction<'_>,
    ) -> Result<(), Refusal> {
        let prepared = self.prepare(input, now_ms, custom)?;
        self.enqueue(prepared)
    }

    fn envelope<'a>(&'a self, prepared: &'a Prepared) -> Envelope<'a> {
        Envelope {
            id: &prepared.id,
            session_id: &self.session_id,
            user_id: self.user_id.as_deref(),
            now_ms: 0.0,
            context_json: &self.context_json,
            // Only a traced page's events have one (`cfg!`: the collector entry leaves it out).
            trace: prepared.trace.filter(|_| cfg!(feature = "tracing")),
        }
    }

    /// Counts an event refused before it reached the core (e.g. it could not be serialised).
    pub fn count_dropped(&mut self, reason: DropReason) {
        self.counters.add_dropped(reason, 1);
    }

    /// Whether batches may be sent now (enabled and consent granted).
    pub fn may_deliver(&self) -> bool {
        self.config.enabled && self.consent.allows_delivery()
    }

    /// True when the buffer holds a full batch that may be sent.
    pub fn should_flush(&self) -> bool {
        self.may_deliver() && self.buffer.len() >= self.config.max_buffer_size as usize
    }

    /// Cuts the next batch to send, if anything is waiting and delivery is allowed at
    /// `now_ms` (enabled, consent granted, breaker not open). The batch stays journaled until
    /// settled.
    pub fn next_batch(&mut self, now_ms: f64) -> Option<&Batch> {
        if !self.may_deliver() || self.wait_ms(now_ms) > 0.0 {
            return None;
        }
        // OTLP JSON is two to three times the size of the wire format (see `otlp`): a third of
        // the budget keeps its bodies within what a closing page may send.
        let max_bytes = match self.config.transport {
            TransportKind::Otlp => MAX_BODY_BYTES / 3,
            _ => MAX_BODY_BYTES,
        };
        let events = self
            .buffer
            .take_batch(self.config.max_buffer_size as usize, max_bytes);
        if events.is_empty() {
            return None;
        }
        let batch = Batch {
            id: self.rng.uuid_v4(),
            events,
        };
        self.in_flight.push(batch);
        self.in_flight.last()
    }

    /// The in-flight batch `batch_id`.
    pub fn in_flight_batch(&self, batch_id: &str) -> Option<&Batch> {
        self.in_flight.iter().find(|batch| batch.id == batch_id)
    }

    /// How long delivery must wait at `now_ms`: for the last failure's backoff, the server's
    /// `Retry-After`, or the breaker to let a probe through (0: it need not). A flush before
    /// then sends nothing.
    pub fn wait_ms(&self, now_ms: f64) -> f64 {
        let until = self.backoff_until_ms.max(self.retry_after_until_ms);
        (until - now_ms).max(self.breaker.wait_ms(now_ms)).max(0.0)
    }

    /// Settles the batch `batch_id`. After a transient failure, returns how long to wait before
    /// trying again (backoff with jitter, `Retry-After`, or the breaker's cool-down).
    pub fn settle(&mut self, batch_id: &str, report: Report) -> Option<f64> {
        let position = self.in_flight.iter().position(|b| b.id == batch_id)?;
        let batch = self.in_flight.remove(position);
        let count = batch.events.len() as u64;
        self.journal_dirty = true;
        self.last_error = report.error;
        if report.outcome != Outcome::Retry {
            self.breaker.record_success();
            self.attempt = 0;
            self.backoff_until_ms = 0.0;
            self.retry_after_until_ms = 0.0;
        }
        match report.outcome {
            Outcome::Delivered => self.counters.sent += count,
            Outcome::Rejected => self.counters.add_dropped(DropReason::Rejected, count),
            Outcome::Retry if !self.consent.accepts() || !self.config.enabled => {
                self.counters.add_dropped(DropReason::Consent, count)
            }
            Outcome::Retry => {
                self.counters.failed_attempts += 1;
                let evicted = self.buffer.restore(batch.events);
                self.counters
                    .add_dropped(DropReason::Overflow, evicted as u64);
                self.breaker.record_failure(report.now_ms);
                let draw = self.rng.next_f64();
                let delay = self
                    .backoff
                    .delay_ms(self.attempt, draw, report.retry_after_ms);
                self.attempt = self.attempt.saturating_add(1);
                let until = report.now_ms + delay;
                match report.retry_after_ms {
                    Some(_) => self.retry_after_until_ms = until,
                    None => self.backoff_until_ms = until,
                }
                return Some(delay.max(self.breaker.wait_ms(report.now_ms)));
            }
        }
        None
    }

    /// Lets the next send go without waiting for the backoff (the browser came back online);
    /// the server's `Retry-After` and the breaker still hold.
    pub fn reset_backoff(&mut self) {
        self.attempt = 0;
        self.backoff_until_ms = 0.0;
    }

    /// Drops everything buffered, counting it under `reason`.
    pub fn discard_buffer(&mut self, reason: DropReason) {
        let dropped = self.buffer.clear();
        self.counters.add_dropped(reason, dropped as u64);
        self.journal_dirty = true;
    }

    fn refuse(&mut self, reason: DropReason, detail: Option<&'static str>) -> Refusal {
        self.counters.add_dropped(reason, 1);
        Refusal { reason, detail }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::config::SamplingStrategy;
    use alloc::string::ToString;
    use alloc::vec::Vec;

    const PAGE: &str = "https://shop.example/users/ann@x.io";

    fn pipeline(config: Config) -> Pipeline {
        Pipeline::new(config, [42; 32], PAGE, Consent::Granted)
    }

    fn event(kind: &str) -> EventInput {
        EventInput {
            kind: kind.into(),
            timestamp_ms: None,
            data_json: None,
        }
    }

    fn with_data(kind: &str, data: &str) -> EventInput {
        EventInput {
            data_json: Some(data.into()),
            ..event(kind)
        }
    }

    fn accept(p: &mut Pipeline, input: &EventInput) -> Result<(), Refusal> {
        p.accept(input, 1.0, &mut |_| None)
    }

    fn ids(batch: &Batch) -> Vec<String> {
        batch
            .events
            .iter()
            .map(|e| e.event[7..43].to_string())
            .collect()
    }

    #[test]
    fn accepted_events_are_batched_by_max_buffer_size() {
        let mut p = pipeline(Config {
            max_buffer_size: 3,
            ..Config::default()
        });
        for _ in 0..2 {
            accept(&mut p, &event("a")).unwrap();
        }
        assert!(!p.should_flush());
        accept(&mut p, &event("a")).unwrap();
        assert!(p.should_flush());
        let batch = p.next_batch(0.0).cloned().unwrap();
        assert_eq!(batch.events.len(), 3);
        assert_eq!((p.buffered(), p.in_flight()), (0, 3));
        p.settle(&batch.id, Report::plain(Outcome::Delivered, 0.0));
        assert_eq!(
            (p.counters().accepted, p.counters().sent, p.in_flight()),
            (3, 3, 0)
        );
        assert!(p.next_batch(0.0).is_none());
    }

    #[test]
    fn every_event_gets_a_distinct_id_and_the_session_id() {
        let mut p = pipeline(Config::default());
        for _ in 0..25 {
            accept(&mut p, &event("a")).unwrap();
        }
        let batch = p.next_batch(0.0).cloned().unwrap();
        let mut unique = ids(&batch);
        unique.sort();
        unique.dedup();
        assert_eq!(unique.len(), 25);
        let session = ["\"sessionId\":\"", p.session_id(), "\""].concat();
        assert!(batch.events.iter().all(|e| e.event.contains(&session)));
    }

    #[test]
    fn data_type_and_context_are_redacted_before_buffering() {
        let mut p = pipeline(Config::default());
        accept(
            &mut p,
            &with_data(
                "signup bob@x.io",
                r#"{"password":"hunter2","note":"call 555-123-4567"}"#,
            ),
        )
        .unwrap();
        let event = p.next_batch(0.0).cloned().unwrap().events.remove(0).event;
        assert!(
            event.contains(r#""type":"signup [REDACTED_EMAIL]""#),
            "{event}"
        );
        assert!(
            event.contains(r#""data":{"password":"[REDACTED]","note":"call [REDACTED_PHONE]"}"#),
            "{event}"
        );
        assert!(
            event.contains(r#""context":{"url":"https://shop.example/users/[REDACTED_EMAIL]"}"#),
            "{event}"
        );
    }

    #[test]
    fn a_retried_batch_keeps_its_event_ids_and_order() {
        let mut p = pipeline(Config::default());
        for _ in 0..4 {
            accept(&mut p, &event("a")).unwrap();
        }
        let first = p.next_batch(0.0).cloned().unwrap();
        let first_ids = ids(&first);
        let delay = p
            .settle(&first.id, Report::plain(Outcome::Retry, 0.0))
            .unwrap();
        assert_eq!(p.counters().failed_attempts, 1);
        let second = p.next_batch(delay).cloned().unwrap();
        assert_eq!(ids(&second), first_ids);
    }

    #[test]
    fn release_and_dist_ride_in_every_event_context_as_given() {
        let mut p = pipeline(Config {
            release: Some("shop@1.4.2+a@b.co".into()),
            ..Config::default()
        });
        accept(&mut p, &event("a")).unwrap();
        let mut next = p.config().clone();
        next.dist = Some("ios".into());
        p.set_config(next);
        accept(&mut p, &event("b")).unwrap();
        let events = p.next_batch(0.0).cloned().unwrap().events;
        assert!(events[0].event.ends_with(
            r#""context":{"url":"https://shop.example/users/[REDACTED_EMAIL]","release":"shop@1.4.2+a@b.co"}}"#
        ), "{}", events[0].event);
        assert!(events[1]
            .event
            .ends_with(r#""release":"shop@1.4.2+a@b.co","dist":"ios"}}"#));
    }

    #[test]
    fn a_flush_before_the_retry_wait_is_over_sends_nothing() {
        let mut p = pipeline(Config {
            retry_base_ms: 1000,
            ..Config::default()
        });
        accept(&mut p, &event("a")).unwrap();
        let batch = p.next_batch(0.0).cloned().unwrap();
        let backoff = p
            .settle(&batch.id, Report::plain(Outcome::Retry, 0.0))
            .unwrap();
        assert!(backoff > 0.0);
        assert!(p.next_batch(backoff - 1.0).is_none());
        assert_eq!(p.wait_ms(backoff - 1.0), 1.0);
        p.reset_backoff();
        assert_eq!(p.wait_ms(0.0), 0.0, "coming online ends a backoff");
        let batch = p.next_batch(0.0).cloned().unwrap();
        let report = Report {
            retry_after_ms: Some(30_000.0),
            ..Report::plain(Outcome::Retry, 0.0)
        };
        assert_eq!(p.settle(&batch.id, report), Some(30_000.0));
        p.reset_backoff();
        assert!(p.next_batch(29_999.0).is_none(), "but not a Retry-After");
        let mut elsewhere = p.config().clone();
        elsewhere.endpoint = Some("https://elsewhere.example/v1/events".into());
        p.set_config(elsewhere);
        assert_eq!(p.wait_ms(0.0), 0.0, "a new endpoint need not wait");
        assert!(p.next_batch(0.0).is_some());
    }

    #[test]
    fn rejected_batches_are_dropped_and_counted() {
        let mut p = pipeline(Config::default());
        accept(&mut p, &event("a")).unwrap();
        let batch = p.next_batch(0.0).cloned().unwrap();
        p.settle(&batch.id, Report::plain(Outcome::Rejected, 0.0));
        assert_eq!(p.counters().dropped(DropReason::Rejected), 1);
        assert_eq!(p.buffered(), 0);
    }

    #[test]
    fn drops_are_counted_by_reason() {
        let mut p = pipeline(Config {
            enabled: false,
            ..Config::default()
        });
        assert_eq!(
            accept(&mut p, &event("a")).unwrap_err().reason,
            DropReason::Disabled
        );
        p.set_config(Config {
            sampling: SamplingStrategy::Never,
            ..Config::default()
        });
        assert_eq!(
            accept(&mut p, &event("a")).unwrap_err().reason,
            DropReason::Sampled
        );
        p.set_config(Config::default());
        let refusal = accept(&mut p, &event("")).unwrap_err();
        assert_eq!(
            refusal,
            Refusal {
                reason: DropReason::Invalid,
                detail: Some(EventError::MissingType.message())
            }
        );
        let deep = "{\"a\":".repeat(70) + "1" + &"}".repeat(70);
        assert_eq!(
            accept(&mut p, &with_data("x", &deep)).unwrap_err().reason,
            DropReason::Invalid
        );
        p.count_dropped(DropReason::Invalid);
        let c = p.counters();
        assert_eq!(
            (
                c.dropped(DropReason::Disabled),
                c.dropped(DropReason::Sampled),
                c.dropped(DropReason::Invalid),
                c.accepted
            ),
            (1, 1, 3, 0)
        );
        assert_eq!(p.buffered(), 0);
    }

    #[test]
    fn drop_reasons_are_named_as_the_dropped_counters_and_index_them_in_order() {
        let names: Vec<&str> = DropReason::ALL.iter().map(|r| r.name()).collect();
        assert_eq!(
            names,
            [
                "disabled",
                "sampled",
                "throttled",
                "consent",
                "invalid",
                "beforeSend",
                "overflow",
                "rejected"
            ]
        );
        assert_eq!(
            DropReason::NAMES,
            "'disabled', 'sampled', 'throttled', 'consent', 'invalid', 'beforeSend', \
             'overflow' or 'rejected'"
        );
        let mut counters = Counters::default();
        for (index, &reason) in DropReason::ALL.iter().enumerate() {
            assert_eq!(reason as usize, index);
            counters.add_dropped(reason, index as u64 + 1);
        }
        for (index, &reason) in DropReason::ALL.iter().enumerate() {
            assert_eq!(counters.dropped(reason), index as u64 + 1);
        }
    }

    #[test]
    fn pending_consent_holds_events_in_memory_without_delivering() {
        let mut p = Pipeline::new(Config::default(), [1; 32], "", Consent::Pending);
        for _ in 0..60 {
            accept(&mut p, &event("a")).unwrap();
        }
        assert!(!p.should_flush());
        assert!(p.next_batch(0.0).is_none());
        p.set_consent(Consent::Granted);
        assert!(p.should_flush());
        assert_eq!(p.next_batch(0.0).cloned().unwrap().events.len(), 50);
    }

    #[test]
    fn denied_consent_purges_the_buffer_and_refuses_new_events() {
        let mut p = pipeline(Config::default());
        accept(&mut p, &event("a")).unwrap();
        accept(&mut p, &event("b")).unwrap();
        let in_flight = p.next_batch(0.0).cloned().unwrap();
        accept(&mut p, &event("c")).unwrap();
        p.set_consent(Consent::Denied);
        assert_eq!(p.buffered(), 0);
        assert_eq!(
            accept(&mut p, &event("d")).unwrap_err().reason,
            DropReason::Consent
        );
        p.settle(&in_flight.id, Report::plain(Outcome::Retry, 0.0));
        assert_eq!(p.buffered(), 0, "a failed batch is not kept after denial");
        assert_eq!(p.counters().dropped(DropReason::Consent), 4);
    }

    #[test]
    fn the_kill_switch_drops_what_is_buffered() {
        let mut p = pipeline(Config::default());
        accept(&mut p, &event("a")).unwrap();
        p.set_config(Config {
            enabled: false,
            ..Config::default()
        });
        assert_eq!(
            (p.buffered(), p.counters().dropped(DropReason::Disabled)),
            (0, 1)
        );
        assert!(p.next_batch(0.0).is_none());
    }

    #[test]
    fn identified_users_are_sent_as_salted_hashes_only() {
        let mut p = pipeline(Config {
            user_id_salt: "s".into(),
            ..Config::default()
        });
        let hash = p.identify("ann@x.io").to_string();
        accept(&mut p, &event("a")).unwrap();
        let sent = p.next_batch(0.0).cloned().unwrap().events.remove(0).event;
        assert!(sent.contains(&["\"userId\":\"", &hash, "\""].concat()));
        assert!(!sent.contains("ann"));
        p.reset_user();
        accept(&mut p, &event("b")).unwrap();
        assert!(!p.next_batch(0.0).cloned().unwrap().events[0]
            .event
            .contains("userId"));
    }

    #[test]
    fn a_revised_event_keeps_its_id_and_is_redacted_again() {
        let mut p = pipeline(Config::default());
        let prepared = p.prepare(&event("a"), 5.0, &mut |_| None).unwrap();
        let id = prepared.id().to_string();
        let revised = p
            .revise(
                prepared,
                "b".into(),
                Some(r#"{"added":"x@y.io"}"#.into()),
                &mut |_| None,
            )
            .unwrap();
        p.enqueue(revised).unwrap();
        let event = p.next_batch(0.0).cloned().unwrap().events.remove(0).event;
        assert!(
            event.starts_with(&["{\"id\":\"", &id, "\",\"type\":\"b\",\"timestamp\":5,"].concat()),
            "{event}"
        );
        assert!(event.contains("[REDACTED_EMAIL]"));
    }

    #[test]
    fn status_codes_map_to_outcomes() {
        assert_eq!(Outcome::from_status(200), Outcome::Delivered);
        assert_eq!(Outcome::from_status(204), Outcome::Delivered);
        assert_eq!(Outcome::from_status(408), Outcome::Retry);
        assert_eq!(Outcome::from_status(429), Outcome::Retry);
        assert_eq!(Outcome::from_status(503), Outcome::Retry);
        assert_eq!(Outcome::from_status(0), Outcome::Retry);
        assert_eq!(Outcome::from_status(400), Outcome::Rejected);
        assert_eq!(Outcome::from_status(413), Outcome::Rejected);
    }

    #[test]
    fn the_journal_holds_in_flight_and_buffered_events_until_acknowledged() {
        let mut p = pipeline(Config {
            max_buffer_size: 2,
            ..Config::default()
        });
        for kind in ["a", "b", "c"] {
            p.accept(&event(kind), 1000.0, &mut |_| None).unwrap();
        }
        let journal = p.take_journal().unwrap();
        assert_eq!(journal.lines().count(), 3);
        assert!(journal.starts_with("1000 {\"id\":"));
        assert_eq!(p.take_journal(), None, "unchanged since the last write");
        let batch = p.next_batch(0.0).cloned().unwrap();
        assert_eq!(
            p.take_journal(),
            None,
            "sending moves events, the journal's content is unchanged"
        );
        p.settle(&batch.id, Report::plain(Outcome::Delivered, 0.0));
        let left = journal::decode(&p.take_journal().unwrap(), 2000.0);
        assert_eq!(left.entries.len(), 1);
        assert!(left.entries[0].event.contains("\"type\":\"c\""));
    }

    #[test]
    fn recovered_events_go_first_and_known_ids_are_not_taken_twice() {
        let mut earlier = pipeline(Config::default());
        earlier.accept(&event("old"), 5.0, &mut |_| None).unwrap();
        let journal = earlier.take_journal().unwrap();

        let mut p = Pipeline::new(Config::default(), [9; 32], "", Consent::Granted);
        p.accept(&event("new"), 10.0, &mut |_| None).unwrap();
        p.adopt(journal::decode(
            &[journal.as_str(), "garbage\n"].concat(),
            20.0,
        ));
        p.adopt(journal::decode(&journal, 20.0));
        let c = p.counters();
        assert_eq!((c.recovered, c.corrupt, p.buffered()), (1, 1, 2));
        let kinds: Vec<bool> = p
            .next_batch(0.0)
            .cloned()
            .unwrap()
            .events
            .iter()
            .map(|e| e.event.contains("\"old\""))
            .collect();
        assert_eq!(kinds, [true, false]);
    }

    #[test]
    fn failures_back_off_open_the_breaker_and_success_closes_it() {
        let mut p = pipeline(Config {
            retry_base_ms: 100,
            retry_max_ms: 1000,
            breaker_threshold: 3,
            breaker_cooldown_ms: 5000,
            ..Config::default()
        });
        accept(&mut p, &event("a")).unwrap();
        let mut delays = Vec::new();
        let mut now = 0.0;
        for _ in 0..3 {
            let batch = p.next_batch(now).cloned().unwrap();
            let delay = p
                .settle(&batch.id, Report::plain(Outcome::Retry, now))
                .unwrap();
            delays.push(delay);
            now += delay;
        }
        assert!(delays[0] <= 100.0 && delays[1] <= 200.0);
        assert_eq!(
            delays[2], 5000.0,
            "the third failure opens the breaker for its cool-down"
        );
        assert_eq!(p.breaker_state(now - 10.0), BreakerState::Open);
        assert!(p.next_batch(now - 10.0).is_none());
        let probe = p.next_batch(now + 2.0).cloned().unwrap();
        let report = Report {
            outcome: Outcome::Retry,
            now_ms: now + 2.0,
            retry_after_ms: Some(7000.0),
            error: Some("HTTP 429".into()),
        };
        assert_eq!(p.settle(&probe.id, report), Some(7000.0));
        assert_eq!(p.last_error(), Some("HTTP 429"));
        let probe = p.next_batch(20_000.0).cloned().unwrap();
        assert_eq!(
            p.settle(&probe.id, Report::plain(Outcome::Delivered, 20_000.0)),
            None
        );
        assert_eq!(
            (p.breaker_state(20_001.0), p.attempt(), p.counters().sent),
            (BreakerState::Closed, 0, 1)
        );
    }
}
