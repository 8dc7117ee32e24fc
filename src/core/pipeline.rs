//! The collector's state machine: admits events, buffers them, cuts batches and settles their
//! outcomes. It never performs I/O; the platform layer asks it what to do and reports back.

use alloc::string::String;

use crate::core::batch::Batch;
use crate::core::buffer::EventBuffer;
use crate::core::config::Config;
use crate::core::event::{encode_event, Envelope, EventError, EventInput};
use crate::core::random::Rng;
use crate::core::sampling::{Admission, Sampler};

/// Why an event did not enter the buffer, or left it without being delivered.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DropReason {
    /// Collection is disabled (`enabled: false`) or the collector was destroyed.
    Disabled,
    /// Not selected by the sampling strategy.
    Sampled,
    /// Over the throttling limit.
    Throttled,
    /// Malformed input (bad type, timestamp or data, or unserialisable).
    Malformed,
    /// Evicted to keep the buffer within its bounds.
    Overflow,
    /// Refused by the endpoint with a non-retryable status.
    Rejected,
}

impl DropReason {
    /// The counter name, as in `getBufferStatus().dropped`.
    pub fn name(self) -> &'static str {
        match self {
            Self::Disabled => "disabled",
            Self::Sampled => "sampled",
            Self::Throttled => "throttled",
            Self::Malformed => "malformed",
            Self::Overflow => "overflow",
            Self::Rejected => "rejected",
        }
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

/// Counters reported by `getBufferStatus()`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Counters {
    /// Events that entered the buffer.
    pub accepted: u64,
    /// Events the endpoint acknowledged.
    pub sent: u64,
    /// Batch attempts that failed and will be retried.
    pub failed_attempts: u64,
    /// Dropped: collection disabled or destroyed.
    pub disabled: u64,
    /// Dropped: sampling.
    pub sampled: u64,
    /// Dropped: throttling.
    pub throttled: u64,
    /// Dropped: malformed input.
    pub malformed: u64,
    /// Dropped: buffer bounds.
    pub overflow: u64,
    /// Dropped: refused by the endpoint.
    pub rejected: u64,
}

impl Counters {
    fn add_dropped(&mut self, reason: DropReason, count: u64) {
        let slot = match reason {
            DropReason::Disabled => &mut self.disabled,
            DropReason::Sampled => &mut self.sampled,
            DropReason::Throttled => &mut self.throttled,
            DropReason::Malformed => &mut self.malformed,
            DropReason::Overflow => &mut self.overflow,
            DropReason::Rejected => &mut self.rejected,
        };
        *slot += count;
    }
}

/// A rejected event with its reason and, for malformed input, the rule it broke.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Refusal {
    /// The counter it went to.
    pub reason: DropReason,
    /// The validation rule broken, for malformed input.
    pub detail: Option<EventError>,
}

/// Buffers, sampling state, ids and counters of one collector.
#[derive(Debug)]
pub struct Pipeline {
    config: Config,
    sampler: Sampler,
    buffer: EventBuffer,
    rng: Rng,
    session_id: String,
    counters: Counters,
    in_flight: usize,
}

impl Pipeline {
    /// Starts a pipeline with a fresh session id drawn from `seed`.
    pub fn new(config: Config, seed: [u8; 32]) -> Self {
        let mut rng = Rng::from_seed(seed);
        let session_id = rng.uuid_v4();
        Self {
            config,
            sampler: Sampler::default(),
            buffer: EventBuffer::default(),
            rng,
            session_id,
            counters: Counters::default(),
            in_flight: 0,
        }
    }

    /// The current configuration.
    pub fn config(&self) -> &Config {
        &self.config
    }

    /// Replaces the configuration (already validated by [`Config::apply`]).
    pub fn set_config(&mut self, config: Config) {
        self.config = config;
    }

    /// The session id stamped on every event.
    pub fn session_id(&self) -> &str {
        &self.session_id
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
        self.in_flight
    }

    /// Admits, validates, stamps and buffers one event.
    pub fn accept(
        &mut self,
        input: &EventInput,
        now_ms: f64,
        context_json: &str,
    ) -> Result<(), Refusal> {
        if !self.config.enabled {
            return Err(self.refuse(DropReason::Disabled, None));
        }
        let draw = self.rng.next_f64();
        match self.sampler.admit(&self.config, now_ms, draw) {
            Admission::Keep => {}
            Admission::Sampled => return Err(self.refuse(DropReason::Sampled, None)),
            Admission::Throttled => return Err(self.refuse(DropReason::Throttled, None)),
        }
        let id = self.rng.uuid_v4();
        let envelope = Envelope {
            id: &id,
            session_id: &self.session_id,
            now_ms,
            context_json,
        };
        let encoded = match encode_event(input, envelope) {
            Ok(encoded) => encoded,
            Err(error) => return Err(self.refuse(DropReason::Malformed, Some(error))),
        };
        self.counters.accepted += 1;
        let evicted = self.buffer.push(encoded);
        self.counters
            .add_dropped(DropReason::Overflow, evicted as u64);
        Ok(())
    }

    /// Counts an event refused before it reached the core (e.g. it could not be serialised).
    pub fn count_dropped(&mut self, reason: DropReason) {
        self.counters.add_dropped(reason, 1);
    }

    /// True when the buffer holds a full batch.
    pub fn should_flush(&self) -> bool {
        self.buffer.len() >= self.config.max_buffer_size as usize
    }

    /// Cuts the next batch to send, if anything is waiting.
    pub fn next_batch(&mut self) -> Option<Batch> {
        let events = self.buffer.take_batch(self.config.max_buffer_size as usize);
        if events.is_empty() {
            return None;
        }
        self.in_flight += events.len();
        Some(Batch {
            id: self.rng.uuid_v4(),
            events,
        })
    }

    /// Settles a batch returned by [`Pipeline::next_batch`].
    pub fn settle(&mut self, batch: Batch, outcome: Outcome) {
        let count = batch.events.len();
        self.in_flight = self.in_flight.saturating_sub(count);
        match outcome {
            Outcome::Delivered => self.counters.sent += count as u64,
            Outcome::Rejected => self
                .counters
                .add_dropped(DropReason::Rejected, count as u64),
            Outcome::Retry => {
                self.counters.failed_attempts += 1;
                let evicted = self.buffer.restore(batch.events);
                self.counters
                    .add_dropped(DropReason::Overflow, evicted as u64);
            }
        }
    }

    /// Drops everything buffered (used when collection is switched off for good).
    pub fn discard_buffer(&mut self, reason: DropReason) {
        let dropped = self.buffer.clear();
        self.counters.add_dropped(reason, dropped as u64);
    }

    fn refuse(&mut self, reason: DropReason, detail: Option<EventError>) -> Refusal {
        self.counters.add_dropped(reason, 1);
        Refusal { reason, detail }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::config::SamplingStrategy;

    const CONTEXT: &str = "{}";

    fn pipeline(config: Config) -> Pipeline {
        Pipeline::new(config, [42; 32])
    }

    fn event(kind: &str) -> EventInput {
        EventInput {
            kind: kind.into(),
            timestamp_ms: None,
            data_json: None,
        }
    }

    fn ids(batch: &Batch) -> Vec<String> {
        batch.events.iter().map(|e| e[7..43].to_string()).collect()
    }

    #[test]
    fn accepted_events_are_batched_by_max_buffer_size() {
        let mut p = pipeline(Config {
            max_buffer_size: 3,
            ..Config::default()
        });
        for _ in 0..2 {
            p.accept(&event("a"), 1.0, CONTEXT).unwrap();
        }
        assert!(!p.should_flush());
        p.accept(&event("a"), 1.0, CONTEXT).unwrap();
        assert!(p.should_flush());
        let batch = p.next_batch().unwrap();
        assert_eq!(batch.events.len(), 3);
        assert_eq!((p.buffered(), p.in_flight()), (0, 3));
        p.settle(batch, Outcome::Delivered);
        assert_eq!(
            (p.counters().accepted, p.counters().sent, p.in_flight()),
            (3, 3, 0)
        );
        assert!(p.next_batch().is_none());
    }

    #[test]
    fn every_event_gets_a_distinct_id_and_the_session_id() {
        let mut p = pipeline(Config::default());
        for _ in 0..25 {
            p.accept(&event("a"), 1.0, CONTEXT).unwrap();
        }
        let batch = p.next_batch().unwrap();
        let mut unique = ids(&batch);
        unique.sort();
        unique.dedup();
        assert_eq!(unique.len(), 25);
        let session = format!("\"sessionId\":\"{}\"", p.session_id());
        assert!(batch.events.iter().all(|e| e.contains(&session)));
    }

    #[test]
    fn a_retried_batch_keeps_its_event_ids_and_order() {
        let mut p = pipeline(Config::default());
        for _ in 0..4 {
            p.accept(&event("a"), 1.0, CONTEXT).unwrap();
        }
        let first = p.next_batch().unwrap();
        let first_ids = ids(&first);
        p.settle(first, Outcome::Retry);
        assert_eq!(p.counters().failed_attempts, 1);
        let second = p.next_batch().unwrap();
        assert_eq!(ids(&second), first_ids);
    }

    #[test]
    fn rejected_batches_are_dropped_and_counted() {
        let mut p = pipeline(Config::default());
        p.accept(&event("a"), 1.0, CONTEXT).unwrap();
        let batch = p.next_batch().unwrap();
        p.settle(batch, Outcome::Rejected);
        assert_eq!(p.counters().rejected, 1);
        assert_eq!(p.buffered(), 0);
    }

    #[test]
    fn disabled_sampled_and_malformed_events_are_counted_not_buffered() {
        let mut p = pipeline(Config {
            enabled: false,
            ..Config::default()
        });
        assert_eq!(
            p.accept(&event("a"), 1.0, CONTEXT).unwrap_err().reason,
            DropReason::Disabled
        );
        p.set_config(Config {
            sampling: SamplingStrategy::Never,
            ..Config::default()
        });
        assert_eq!(
            p.accept(&event("a"), 1.0, CONTEXT).unwrap_err().reason,
            DropReason::Sampled
        );
        p.set_config(Config::default());
        let refusal = p.accept(&event(""), 1.0, CONTEXT).unwrap_err();
        assert_eq!(
            refusal,
            Refusal {
                reason: DropReason::Malformed,
                detail: Some(EventError::MissingType)
            }
        );
        p.count_dropped(DropReason::Malformed);
        let c = p.counters();
        assert_eq!(
            (c.disabled, c.sampled, c.malformed, c.accepted),
            (1, 1, 2, 0)
        );
        assert_eq!(p.buffered(), 0);
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
    fn discarding_counts_what_was_buffered() {
        let mut p = pipeline(Config::default());
        p.accept(&event("a"), 1.0, CONTEXT).unwrap();
        p.accept(&event("b"), 1.0, CONTEXT).unwrap();
        p.discard_buffer(DropReason::Disabled);
        assert_eq!((p.buffered(), p.counters().disabled), (0, 2));
    }
}
