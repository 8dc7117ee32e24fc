//! `CollectorCore`: the collector's rules ([`crate::core::collector`]) as the JS class
//! `TelemetryCollector` (js/telemetry-collector.js) uses them, through plain values and
//! strings. The JS class does the browser's part (timers, listeners, storage, requests) and
//! asks this one what to do.

use crate::api::args::Args;
use crate::api::cores::Core;
use crate::api::op::Op;
use crate::core::collector::{Accepted, Attempt, Collector, Part, Settled};
use crate::core::config::ConfigError;
use crate::core::consent::Consent;
#[cfg(feature = "full")]
use crate::core::event::LLM_CALL_EVENT;
use crate::core::event::{error_data_json, metric_input, ErrorInput, EventError, EventInput};
use crate::core::json::write_number;
use crate::core::text::concat;
use alloc::string::String;
use wasm_telemetry_rules::events::ERROR_EVENT;

/// The rules of one `TelemetryCollector` (the core kind `collector`).
pub struct CollectorCore {
    core: Collector,
    /// Under which id the page keeps the application's `redactPatterns` (0: there are none).
    patterns: u32,
}

/// An error as the JS classes throw it (js/read.js `coreError`): `R` for a `RangeError`, `T`
/// for a `TypeError`, then the message.
pub fn thrown(range: bool, message: &str) -> String {
    concat(&[if range { "R" } else { "T" }, message])
}

/// A configuration error as the JS class throws it (see [`thrown`]).
pub fn config_error(error: &ConfigError) -> String {
    thrown(matches!(error, ConfigError::Range { .. }), &error.message())
}

/// Added to what became of an event when a full batch waits (see [`CollectorCore`]'s `call`).
pub const FULL: u8 = 10;

/// What became of an event, for the JS class: 0 dropped, 1 buffered, 2 held for `beforeSend`.
fn code(accepted: Accepted) -> u8 {
    match accepted {
        Accepted::Dropped(_) => 0,
        Accepted::Buffered => 1,
        Accepted::Held => 2,
    }
}

/// How the JS class read an argument that should be a plain object.
fn shape_error(shape: u8) -> Option<EventError> {
    match shape {
        0 => None,
        1 => Some(EventError::NotAnObject),
        _ => Some(EventError::BadData),
    }
}

/// Event data: the payload (the JSON object text the JS class serialised; none when absent),
/// unless the `index`-th text is `false`: a value that was not a plain, serialisable object.
fn data_of(args: &Args<'_>, index: usize) -> Result<Option<String>, EventError> {
    if args.is_null(index) || args.flag(index) {
        Ok(args.payload().map(String::from))
    } else {
        Err(EventError::BadData)
    }
}

/// A yes or no answer, as the JS class reads it (`'1'` for yes).
pub fn yes(answer: bool) -> Option<String> {
    Some(String::from(if answer { "1" } else { "0" }))
}

/// A number answer, in the shortest decimal that reads back as `value`.
pub fn number(value: f64) -> Option<String> {
    let mut out = String::new();
    write_number(&mut out, value);
    Some(out)
}

impl CollectorCore {
    /// A collector for the texts `configJson, pageUrl, storedConsent, privacySignal` and a
    /// seed of 32 numbers (bytes); an `R…`/`T…` error string for a bad configuration.
    pub fn open(args: &Args<'_>) -> Result<CollectorCore, String> {
        let mut seed = [0u8; 32];
        for (index, slot) in seed.iter_mut().enumerate() {
            *slot = args.number(index) as u8;
        }
        let core = Collector::new(
            args.text(0).unwrap_or("{}"),
            seed,
            args.text(1).unwrap_or_default(),
            args.text(2),
            args.flag(3),
        )
        .map_err(|e| config_error(&e))?;
        #[cfg(feature = "tracing")]
        let core = {
            let mut core = core;
            if let Some(origin) = args.text(4) {
                core.start_trace(origin, args.text(5), args.text(6), args.number(32));
            }
            core
        };
        Ok(CollectorCore { core, patterns: 0 })
    }

    /// The operations that record events.
    fn record(&mut self, op: Op, args: &Args<'_>) -> Option<String> {
        let code = match op {
            // texts `type, plainData, hold, timestampGiven`; numbers `shape, now, timestamp`;
            // payload `data`: an event `{ type, timestamp?, data? }` as the JS class read it
            // (`shape` 0 a plain object, 1 not one, 2 reading it threw; `type` null when not a
            // string; `plainData` false when `data` was not a plain, serialisable object;
            // `timestamp` NaN when not a number).
            Op::Track => {
                let input = shape_error(args.number(0) as u8).map_or_else(
                    || {
                        Ok(EventInput {
                            kind: args.owned(0).ok_or(EventError::MissingType)?,
                            timestamp_ms: args.flag(3).then(|| args.number(2)),
                            data_json: data_of(args, 1)?,
                        })
                    },
                    Err,
                );
                self.accept(input, args.number(1), args.flag(2))
            }
            // texts `hold`; numbers `now`; payload `metricJson`: a measurement `{ name, value,
            // unit? }` (absent: not a plain, serialisable object).
            Op::TrackMetric => {
                let input = args
                    .payload()
                    .ok_or(EventError::BadData)
                    .and_then(metric_input);
                self.accept(input, args.number(0), args.flag(0))
            }
            // texts `type, hold`; numbers `now`; payload `data`: an event a module built (`type`
            // null: the module's input was invalid).
            Op::Submit => {
                let input = args
                    .owned(0)
                    .ok_or(EventError::BadArgument)
                    .map(|kind| EventInput {
                        kind,
                        timestamp_ms: None,
                        data_json: args.payload().map(String::from),
                    });
                let accepted = self.accept(input, args.number(0), args.flag(1));
                // An LLM call (the full entry's LlmTelemetry) is also a span of the page's trace.
                #[cfg(feature = "full")]
                if let (Some(LLM_CALL_EVENT), Some(data)) = (args.text(0), args.payload()) {
                    let patterns = self.patterns;
                    self.core.llm_call(data, args.number(0), &mut |text| {
                        redact_with(patterns, text)
                    });
                }
                accepted
            }
            // texts `type, plainData`; numbers `shape`; payload `data`: what `beforeSend`
            // returned for the held event (`shape` 0 a plain object, 1 nothing: drop it, 2
            // reading it threw).
            Op::Revise => {
                let shape = args.number(0) as u8;
                if shape == 1 {
                    code(self.core.drop_held())
                } else {
                    let edited = shape_error(shape).map_or_else(
                        || {
                            let kind = args.owned(0).ok_or(EventError::MissingType)?;
                            Ok((kind, data_of(args, 1)?))
                        },
                        Err,
                    );
                    let patterns = self.patterns;
                    code(
                        self.core
                            .revise(edited, &mut |text| redact_with(patterns, text)),
                    )
                }
            }
            Op::DropHeld => code(self.core.drop_held()),
            Op::TrackError => {
                let data = error_data_json(&ErrorInput {
                    name: args.owned(0)?,
                    message: args.owned(1)?,
                    stack: args.owned(2),
                    context_json: args.owned(3),
                });
                let input = Ok(EventInput {
                    kind: ERROR_EVENT.into(),
                    timestamp_ms: None,
                    data_json: Some(data),
                });
                self.accept(input, args.number(0), args.flag(4))
            }
            _ => return self.deliver(op, args),
        };
        // A full batch may go at once: saying so here saves the JS class a call per event.
        let full = if self.core.should_flush() { FULL } else { 0 };
        number(f64::from(code + full))
    }

    /// The operations of delivery.
    fn deliver(&mut self, op: Op, args: &Args<'_>) -> Option<String> {
        let core = &mut self.core;
        match op {
            Op::Buffered => number(core.buffered() as f64),
            Op::BatchLength => number(core.batch_length(args.text(0)?) as f64),
            Op::WaitMs => number(core.wait_ms(args.number(0))),
            Op::OtlpSent => yes(core.otlp_sent(
                args.text(0)?,
                Part::numbered(args.number(1)),
                args.number(0) as u16,
            )),
            Op::MayRecover => yes(core.may_recover()),
            Op::Body => core.body(
                args.text(0)?,
                Part::numbered(args.number(0)),
                args.number(1),
                args.payload(),
            ),
            Op::Settle => {
                let attempt = Attempt {
                    status: args.number(0) as u16,
                    retry_after: args.owned(1),
                    retry_after_date_ms: args.number(2),
                    error: args.owned(2),
                };
                number(match core.settle(args.text(0)?, attempt, args.number(1)) {
                    Settled::RetryIn(delay) => delay,
                    Settled::Delivered => -1.0,
                    Settled::Dropped => -2.0,
                })
            }
            #[cfg(feature = "tracing")]
            _ => self.trace(op, args),
            #[cfg(not(feature = "tracing"))]
            _ => None,
        }
    }

    /// The operations of the page's trace (see [`crate::core::collector::traced`]); span ids
    /// cross as 16 hex digits.
    #[cfg(feature = "tracing")]
    fn trace(&mut self, op: Op, args: &Args<'_>) -> Option<String> {
        use crate::core::collector::traced::outcome_of;
        use crate::core::hex::hex;
        use crate::core::trace::context::read_span_id;
        let patterns = self.patterns;
        let custom = &mut |text: &str| redact_with(patterns, text);
        let core = &mut self.core;
        let now = args.number(1);
        let accepted = match op {
            // texts `method, url, absoluteUrl`; numbers `regexpMatched, now`: the span id, then
            // the `traceparent` and `tracestate` to add, one per line (none: add nothing).
            Op::RequestStart => {
                let started = core.request_started(
                    args.text(0),
                    args.text(1)?,
                    args.text(2)?,
                    args.flag(0),
                    now,
                )?;
                let mut out = hex(&started.span_id);
                if let Some((traceparent, state)) = &started.headers {
                    out.push('\n');
                    out.push_str(traceparent);
                    if let Some(state) = state {
                        out.push('\n');
                        out.push_str(state);
                    }
                }
                return Some(out);
            }
            // texts `spanId, absoluteUrl, errorName`; numbers `status, now`.
            Op::RequestEnd => core.request_ended(
                read_span_id(args.text(0)?)?,
                args.text(1)?,
                args.optional_number(0).map(|s| s as u16),
                args.text(2),
                now,
                custom,
            ),
            // texts `name, parentSpanId`; numbers `_, now`: the new span's id.
            Op::SpanStart => {
                let parent = args.text(1).and_then(read_span_id);
                return core
                    .span_started(args.text(0)?, parent, now)
                    .map(|id| hex(&id));
            }
            Op::SpanEnter => return yes(core.enter_span(read_span_id(args.text(0)?)?)),
            Op::SpanLeave => {
                core.leave_span(read_span_id(args.text(0)?)?);
                return None;
            }
            // texts `spanId, errorName`; numbers `_, now`; payload the attributes' JSON.
            Op::SpanEnd => core.end_span(
                read_span_id(args.text(0)?)?,
                &outcome_of(args.text(1)),
                args.payload(),
                &[],
                now,
                custom,
            ),
            // numbers `_, now`; payload the JSON of the page's navigation timing entry.
            Op::PageLoaded => core.page_loaded(args.payload(), now, custom),
            _ => return None,
        };
        number(f64::from(code(accepted)))
    }

    fn accept(&mut self, input: Result<EventInput, EventError>, now: f64, hold: bool) -> u8 {
        let patterns = self.patterns;
        code(
            self.core
                .accept(input, now, hold, &mut |text| redact_with(patterns, text)),
        )
    }
}

impl Core for CollectorCore {
    /// Runs the operation `op` with its [`Args`]:
    ///
    /// - `config`: the configuration in force, as JSON. `updateConfig` (texts `patchJson,
    ///   customTransport`): applies a patch whole or not at all; answers whether the flush
    ///   interval changed, or the `R…`/`T…` error string to throw.
    /// - `status` (numbers `now`): `getBufferStatus()` as JSON.
    /// - `sessionId`, `consent` (the consent state's name), `lastRefusal` (why the last event
    ///   was dropped, for debug logs).
    /// - `identify` (texts `userId`, a string or a whole number): whether it was an id.
    /// - `userHash` (texts `userId`): the salted hash of a user id, as events carry it.
    /// - `resetUser`: forgets the identified user. `destroy`: refuses further events.
    /// - `setConsent` (`choice`): applies `'granted'` or `'denied'`; answers the name, or `''`
    ///   for any other value. `followConsent` (`stored`): follows a choice another tab stored
    ///   (`null`: removed); answers the state applied.
    /// - `track`, `trackMetric`, `submit`, `revise` (their arguments are listed in `record`;
    ///   the event data is the payload), `dropHeld`, `trackError` (texts `name,
    ///   message, stack, contextJson, hold`; numbers `now`): records an event; answers what
    ///   became of it, `0` dropped, `1` buffered, `2` held for `beforeSend`, plus [`FULL`]
    ///   when a full batch now waits to be sent.
    /// - `preview`: the wire-format JSON of the event waiting for `beforeSend`.
    /// - `setOnline` (`online`): the browser's network state.
    /// - `buffered`: the events waiting.
    /// - `nextBatch` (numbers `now`): the id of the next batch to send, if one may go now;
    ///   `batchLength` (texts `id`): how many events it holds.
    /// - `body` (`id`; `part, now`; payload `stored`): a body of batch `id`; `part` 0 what the
    ///   transport sends (`stored`: the `localStorage` transport's current array), 1 the OTLP
    ///   metrics, 2 the OTLP spans.
    /// - `settle` (`id, retryAfter, error`; `status, now, retryAfterDate`): settles batch `id`
    ///   after an attempt (`status` 0: no HTTP answer, see `error`; `retryAfterDate` is
    ///   `Date.parse(retryAfter)`). Answers the delay before a retry, -1 when
    ///   delivered, -2 when dropped.
    /// - `otlpSent` (`id`; `status, part`): whether the OTLP endpoint accepted the batch's log
    ///   records (`part` 0) or spans (2); a retry then sends only the rest.
    /// - `waitMs` (numbers `now`): how long delivery must wait for the breaker while events
    ///   wait (0: it need not).
    /// - `takeJournal`: the journal to write if it changed and storing is allowed (`''`:
    ///   remove the key); `journalWritten` (`ok`) tells whether the write succeeded, and
    ///   `storagePurged` that everything stored was purged.
    /// - `mayRecover`: whether other pages' journals may be taken over now; `adopt` (numbers
    ///   `now`; payload the journal) takes in the journal of a page that is gone.
    /// - `patterns` (numbers `id`): the id under which the page keeps the application's
    ///   `redactPatterns` (0: none), which then run on every text after the built-in ones;
    ///   answers yes (a core that is running answers nothing, and keeps its patterns).
    fn call(&mut self, op: Op, args: &Args<'_>) -> Option<String> {
        let core = &mut self.core;
        match op {
            Op::Config => return Some(core.config().to_json()),
            Op::UpdateConfig => {
                return match core.update_config(args.text(0)?, args.flag(1)) {
                    Ok(changed) => yes(changed),
                    Err(error) => Some(config_error(&error)),
                }
            }
            Op::Status => return Some(core.status_json(args.number(0))),
            Op::SessionId => return Some(core.session_id().into()),
            Op::Consent => return Some(core.consent().name().into()),
            Op::LastRefusal => return Some(core.last_refusal()),
            Op::Identify => {
                let id = args.id(0).filter(|id| !id.is_empty());
                if let Some(id) = &id {
                    core.identify(id);
                }
                return yes(id.is_some());
            }
            Op::UserHash => return Some(core.user_hash(args.text(0)?)),
            Op::SetConsent => {
                return Some(match args.text(0).and_then(Consent::parse) {
                    Some(choice @ (Consent::Granted | Consent::Denied)) => {
                        core.set_consent(choice);
                        choice.name().into()
                    }
                    _ => String::new(),
                })
            }
            Op::FollowConsent => {
                let consent = core.consent_from_storage(args.text(0));
                core.set_consent(consent);
                return Some(consent.name().into());
            }
            Op::Preview => return core.preview(),
            Op::NextBatch => return core.next_batch(args.number(0)),
            Op::TakeJournal => return core.take_journal(),
            Op::ResetUser => core.reset_user(),
            Op::Destroy => core.destroy(),
            Op::SetOnline => core.set_online(args.flag(0)),
            Op::JournalWritten => core.journal_written(args.flag(0)),
            Op::StoragePurged => core.storage_purged(),
            Op::Adopt => core.adopt(args.payload()?, args.number(0)),
            Op::Patterns => {
                self.patterns = args.number(0) as u32;
                return yes(true);
            }
            _ => return self.record(op, args),
        }
        None
    }
}

/// Runs the application's redaction patterns registered under `id` on `text`; `None` when
/// there are none or they changed nothing.
fn redact_with(id: u32, text: &str) -> Option<String> {
    #[cfg(target_arch = "wasm32")]
    if id != 0 {
        return crate::api::abi::patterns(id, text);
    }
    let _ = (id, text);
    None
}
