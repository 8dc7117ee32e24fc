//! `CollectorCore`: the collector's rules ([`crate::core::collector`]) as the JS class
//! `TelemetryCollector` (js/telemetry-collector.js) uses them, through plain values and
//! strings. The JS class does the browser's part (timers, listeners, storage, requests) and
//! asks this one what to do.

use crate::api::args::Args;
use crate::core::collector::{Accepted, Attempt, Collector, Part, Settled};
use crate::core::config::ConfigError;
use crate::core::consent::Consent;
use crate::core::event::{error_data_json, metric_input, ErrorInput, EventError, EventInput};
use crate::core::json::write_number;
use alloc::string::String;
use js_sys::Function;
use wasm_bindgen::prelude::*;

/// The rules of one `TelemetryCollector`. Internal: the package's JS class wraps it.
#[wasm_bindgen]
pub struct CollectorCore {
    core: Collector,
    /// The application's `redactPatterns`, compiled by the JS class: text in, the redacted
    /// text (or `undefined` when nothing matched) out.
    patterns: Option<Function>,
}

/// An error as the JS classes throw it (js/read.js `coreError`): `R` for a `RangeError`, `T`
/// for a `TypeError`, then the message.
pub fn thrown(range: bool, message: &str) -> String {
    [if range { "R" } else { "T" }, message].concat()
}

/// A configuration error as the JS class throws it (see [`thrown`]).
pub fn config_error(error: &ConfigError) -> String {
    thrown(matches!(error, ConfigError::Range { .. }), &error.message())
}

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

/// A JSON object text the JS class serialised, `undefined` for none, or anything else for a
/// value that was not a plain, serialisable object.
fn data_of(data: &JsValue) -> Result<Option<String>, EventError> {
    if data.is_undefined() {
        Ok(None)
    } else {
        data.as_string().map(Some).ok_or(EventError::BadData)
    }
}

/// An id argument: a string, or a whole number (sent as its decimal digits, as `String(42)`
/// would give). Anything else is `None`.
pub fn read_id(value: &JsValue) -> Option<String> {
    if let Some(text) = value.as_string() {
        return Some(text);
    }
    crate::core::event::whole_number_id(value.as_f64()?)
}

#[wasm_bindgen]
impl CollectorCore {
    /// A collector for the configuration `config_json`; throws `R…`/`T…` error strings.
    #[wasm_bindgen(constructor)]
    pub fn new(
        config_json: &str,
        seed: &[u8],
        page_url: &str,
        stored_consent: Option<String>,
        privacy_signal: bool,
    ) -> Result<CollectorCore, String> {
        let mut fixed = [0u8; 32];
        for (slot, byte) in fixed.iter_mut().zip(seed) {
            *slot = *byte;
        }
        let core = Collector::new(
            config_json,
            fixed,
            page_url,
            stored_consent.as_deref(),
            privacy_signal,
        )
        .map_err(|e| config_error(&e))?;
        Ok(CollectorCore {
            core,
            patterns: None,
        })
    }

    /// Applies a configuration patch (JSON) whole or not at all; returns whether the flush
    /// interval changed, or throws an `R…`/`T…` error string.
    #[wasm_bindgen(js_name = updateConfig)]
    pub fn update_config(&mut self, patch_json: &str, custom: bool) -> Result<bool, String> {
        self.core
            .update_config(patch_json, custom)
            .map_err(|e| config_error(&e))
    }

    /// Sets the application's redaction function (see [`CollectorCore`]'s `patterns`).
    #[wasm_bindgen(js_name = setPatterns)]
    pub fn set_patterns(&mut self, patterns: Option<Function>) {
        self.patterns = patterns;
    }

    /// An event `{ type, timestamp?, data? }` as the JS class read it: `shape` 0 when it was a
    /// plain object, 1 when not, 2 when reading it threw; `data` the serialised object,
    /// `undefined`, or `false` when it was not a plain, serialisable object.
    pub fn track(
        &mut self,
        shape: u8,
        #[wasm_bindgen(unchecked_param_type = "unknown")] kind: JsValue,
        #[wasm_bindgen(unchecked_param_type = "unknown")] timestamp: JsValue,
        #[wasm_bindgen(unchecked_param_type = "unknown")] data: JsValue,
        now: f64,
        hold: bool,
    ) -> u8 {
        let input = (|| {
            if let Some(error) = shape_error(shape) {
                return Err(error);
            }
            let kind = kind.as_string().ok_or(EventError::MissingType)?;
            let timestamp_ms = if timestamp.is_undefined() || timestamp.is_null() {
                None
            } else {
                Some(timestamp.as_f64().ok_or(EventError::BadTimestamp)?)
            };
            Ok(EventInput {
                kind,
                timestamp_ms,
                data_json: data_of(&data)?,
            })
        })();
        self.accept(input, now, hold)
    }

    /// A performance measurement `{ name, value, unit? }`, serialised by the JS class
    /// (`undefined` when it was not a plain, serialisable object).
    #[wasm_bindgen(js_name = trackMetric)]
    pub fn track_metric(&mut self, metric_json: Option<String>, now: f64, hold: bool) -> u8 {
        let input = metric_json
            .ok_or(EventError::BadData)
            .and_then(|json| metric_input(&json));
        self.accept(input, now, hold)
    }

    /// Runs the operation `op` with its [`Args`]; `undefined` where the operation has no answer
    /// or the arguments do not fit:
    ///
    /// - `config`: the configuration in force, as JSON.
    /// - `status` (numbers `now`): `getBufferStatus()` as JSON.
    /// - `sessionId`, `consent` (the consent state's name), `lastRefusal` (why the last event
    ///   was dropped, for debug logs).
    /// - `userHash` (texts `userId`): the salted hash of a user id, as events carry it.
    /// - `resetUser`: forgets the identified user. `destroy`: refuses further events.
    /// - `followConsent` (`stored`): follows a choice another tab stored (`null`: removed);
    ///   answers the state applied.
    /// - `preview`: the wire-format JSON of the event waiting for `beforeSend`.
    /// - `setOnline` (`online`): the browser's network state.
    /// - `nextBatch` (numbers `now`): the id of the next batch to send, if one may go now.
    /// - `takeJournal`: the journal to write if it changed and storing is allowed (`''`:
    ///   remove the key); `journalWritten` (`ok`) tells whether the write succeeded, and
    ///   `storagePurged` that everything stored was purged.
    /// - `adopt` (`journal`; `now`): takes in the journal of a page that is gone.
    /// - `trackError` (texts `name, message, stack, contextJson, hold`; numbers `now`): an error
    ///   as the JS class read it (an `Error`'s name, message and stack, or a thrown value's text
    ///   as the message; the context serialised, if it was a plain object). Answers what became
    ///   of it as [`CollectorCore::submit`] does, as text.
    /// - `body` (`id, stored`; `part, now`): a body of batch `id`; `part` 0 what the transport
    ///   sends (`stored`: the `localStorage` transport's current array), 1 the OTLP metrics.
    /// - `settle` (`id, retryAfter, error`; `status, now`): settles batch `id` after an attempt
    ///   (`status` 0: no HTTP answer, see `error`). Answers the delay before a retry, -1 when
    ///   delivered, -2 when dropped, as text.
    pub fn call(&mut self, op: &str, texts: &str, numbers: &[f64]) -> Option<String> {
        let args = Args::new(texts, numbers)?;
        let core = &mut self.core;
        match op {
            "config" => return Some(core.config().to_json()),
            "status" => return Some(core.status_json(args.number(0))),
            "sessionId" => return Some(core.session_id().into()),
            "consent" => return Some(core.consent().name().into()),
            "lastRefusal" => return Some(core.last_refusal()),
            "userHash" => return Some(core.user_hash(args.text(0)?)),
            "followConsent" => {
                let consent = core.consent_from_storage(args.text(0));
                core.set_consent(consent);
                return Some(consent.name().into());
            }
            "preview" => return core.preview(),
            "nextBatch" => return core.next_batch(args.number(0)),
            "takeJournal" => return core.take_journal(),
            "resetUser" => core.reset_user(),
            "destroy" => core.destroy(),
            "setOnline" => core.set_online(args.flag(0)),
            "journalWritten" => core.journal_written(args.flag(0)),
            "storagePurged" => core.storage_purged(),
            "adopt" => core.adopt(args.text(0)?, args.number(0)),
            _ => return self.track_or_deliver(op, &args),
        }
        None
    }

    /// The operations of [`CollectorCore::call`] that record or deliver.
    fn track_or_deliver(&mut self, op: &str, args: &Args<'_>) -> Option<String> {
        match op {
            "trackError" => {
                let data = error_data_json(&ErrorInput {
                    name: args.owned(0)?,
                    message: args.owned(1)?,
                    stack: args.owned(2),
                    context_json: args.owned(3),
                });
                let code = self.submit(
                    Some("error".into()),
                    Some(data),
                    args.number(0),
                    args.flag(4),
                );
                Some(String::from(["0", "1", "2"][usize::from(code.min(2))]))
            }
            "body" => {
                let part = if args.number(0) == 0.0 {
                    Part::Main
                } else {
                    Part::Metrics
                };
                self.core
                    .body(args.text(0)?, part, args.number(1), args.text(1))
            }
            "settle" => {
                let attempt = Attempt {
                    status: args.number(0) as u16,
                    retry_after: args.owned(1),
                    error: args.owned(2),
                };
                let delay = match self.core.settle(args.text(0)?, attempt, args.number(1)) {
                    Settled::RetryIn(delay) => delay,
                    Settled::Delivered => -1.0,
                    Settled::Dropped => -2.0,
                };
                let mut out = String::new();
                write_number(&mut out, delay);
                Some(out)
            }
            _ => None,
        }
    }

    /// An event a module built (`kind` absent: the module's input was invalid).
    pub fn submit(
        &mut self,
        kind: Option<String>,
        data_json: Option<String>,
        now: f64,
        hold: bool,
    ) -> u8 {
        let input = kind.ok_or(EventError::BadArgument).map(|kind| EventInput {
            kind,
            timestamp_ms: None,
            data_json,
        });
        self.accept(input, now, hold)
    }

    fn accept(&mut self, input: Result<EventInput, EventError>, now: f64, hold: bool) -> u8 {
        let patterns = self.patterns.clone();
        code(
            self.core
                .accept(input, now, hold, &mut |text| redact_with(&patterns, text)),
        )
    }

    /// What `beforeSend` returned for the held event: `shape` 0 for a plain object, with its
    /// `type` and serialised `data` (as in [`CollectorCore::track`]), 1 for nothing (drop it),
    /// 2 when reading it threw.
    pub fn revise(
        &mut self,
        shape: u8,
        #[wasm_bindgen(unchecked_param_type = "unknown")] kind: JsValue,
        #[wasm_bindgen(unchecked_param_type = "unknown")] data: JsValue,
    ) -> u8 {
        if shape == 1 {
            return code(self.core.drop_held());
        }
        let edited = match shape_error(shape) {
            Some(error) => Err(error),
            None => kind
                .as_string()
                .ok_or(EventError::MissingType)
                .and_then(|kind| Ok((kind, data_of(&data)?))),
        };
        let patterns = self.patterns.clone();
        code(
            self.core
                .revise(edited, &mut |text| redact_with(&patterns, text)),
        )
    }

    /// Drops the held event (`beforeSend` threw).
    #[wasm_bindgen(js_name = dropHeld)]
    pub fn drop_held(&mut self) -> u8 {
        code(self.core.drop_held())
    }

    /// Identifies the user by an id (a string or a whole number); returns whether it was one.
    pub fn identify(
        &mut self,
        #[wasm_bindgen(unchecked_param_type = "unknown")] user_id: JsValue,
    ) -> bool {
        match read_id(&user_id).filter(|id| !id.is_empty()) {
            Some(id) => {
                self.core.identify(&id);
                true
            }
            None => false,
        }
    }

    /// Applies the user's choice; returns its name, or `''` when it is not `'granted'` or
    /// `'denied'`.
    #[wasm_bindgen(js_name = setConsent)]
    pub fn set_consent(
        &mut self,
        #[wasm_bindgen(unchecked_param_type = "unknown")] choice: JsValue,
    ) -> String {
        match choice.as_string().as_deref().and_then(Consent::parse) {
            Some(choice @ (Consent::Granted | Consent::Denied)) => {
                self.core.set_consent(choice);
                choice.name().into()
            }
            _ => String::new(),
        }
    }

    /// Whether a full batch waits.
    #[wasm_bindgen(js_name = shouldFlush)]
    pub fn should_flush(&self) -> bool {
        self.core.should_flush()
    }

    /// Events waiting in the buffer.
    pub fn buffered(&self) -> u32 {
        self.core.buffered() as u32
    }

    /// How many events batch `id` holds.
    #[wasm_bindgen(js_name = batchLength)]
    pub fn batch_length(&self, id: &str) -> u32 {
        self.core.batch_length(id) as u32
    }

    /// How long delivery must wait for the breaker while events wait (0: it need not).
    #[wasm_bindgen(js_name = waitMs)]
    pub fn wait_ms(&self, now: f64) -> f64 {
        self.core.wait_ms(now)
    }

    /// Whether the OTLP endpoint accepted batch `id`'s log records (HTTP `status`); a retry
    /// then sends only the metrics.
    #[wasm_bindgen(js_name = otlpLogsSent)]
    pub fn otlp_logs_sent(&mut self, id: &str, status: u16) -> bool {
        self.core.otlp_logs_sent(id, status)
    }

    /// Whether other pages' journals may be taken over now.
    #[wasm_bindgen(js_name = mayRecover)]
    pub fn may_recover(&self) -> bool {
        self.core.may_recover()
    }
}

/// Runs the application's redaction function on `text`; `None` when it changed nothing or
/// failed.
fn redact_with(patterns: &Option<Function>, text: &str) -> Option<String> {
    let function = patterns.as_ref()?;
    function
        .call1(&JsValue::UNDEFINED, &JsValue::from_str(text))
        .ok()?
        .as_string()
}
