//! `TelemetryCollector`: buffered, sampled, redacted, consented, batched event collection.

use crate::api::config::{config_to_js, parse_config, to_js_error};
use crate::api::input::{read_data, read_error, read_event, read_id, read_metric};
use crate::api::runtime::{Shared, State, JOURNAL_PREFIX};
use crate::api::types::{
    BufferStatusJs, ConsentStateJs, ErrorContextJs, PerformanceMetricJs, PromiseNumberJs,
    ResolvedTelemetryConfigJs, TelemetryConfigJs, TelemetryConfigPatchJs, TelemetryEventJs,
    ThrownJs, TraitsJs,
};
use crate::core::config::Config;
use crate::core::consent::{Consent, CONSENT_KEY};
use crate::core::event::{error_data_json, EventInput};
use crate::core::pipeline::{DropReason, Pipeline};
use crate::platform::privacy::privacy_signal;
use crate::platform::{page_context_json, random_seed, set, storage};
use alloc::rc::Rc;
use alloc::vec::Vec;
use core::cell::{Cell, RefCell};
use js_sys::Object;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

/// Collects events, redacts them, buffers them and sends them in batches to the configured
/// transport, as far as the user's consent allows.
#[wasm_bindgen]
pub struct TelemetryCollector {
    shared: Rc<Shared>,
}

impl TelemetryCollector {
    /// The shared state, for the modules that report through this collector.
    #[cfg(feature = "web")]
    pub(crate) fn shared(&self) -> Rc<Shared> {
        self.shared.clone()
    }
}

#[wasm_bindgen]
impl TelemetryCollector {
    /// Creates a collector. Throws a `TypeError` or `RangeError` naming the field and the rule
    /// when the configuration is invalid.
    #[wasm_bindgen(constructor)]
    pub fn new(config: Option<TelemetryConfigJs>) -> Result<TelemetryCollector, JsValue> {
        let value: JsValue = config.map_or(JsValue::UNDEFINED, Into::into);
        let parsed = parse_config(&value).map_err(|e| to_js_error(&e))?;
        let config = Config::from_patch(parsed.patch).map_err(|e| to_js_error(&e))?;
        let signal = config.respect_do_not_track && privacy_signal();
        let stored = storage::read(CONSENT_KEY).and_then(|value| Consent::parse(&value));
        let consent = Consent::initial(stored, config.require_consent, signal);
        let require_consent = config.require_consent;
        let pipeline = Pipeline::new(config, random_seed(), &page_context_json(), consent);
        let journal_key = [JOURNAL_PREFIX, pipeline.session_id()].concat();
        let shared = Rc::new(Shared {
            state: RefCell::new(State {
                pipeline,
                custom_transport: parsed.custom_transport,
                before_send: parsed.before_send,
                patterns: parsed.redact_patterns.unwrap_or_default(),
            }),
            pump: Cell::new(None),
            timer: Cell::new(None),
            consent_listener: Cell::new(None),
            destroyed: Cell::new(false),
            journal_key,
            retry_timer: Cell::new(None),
            lifecycle: Cell::new(Vec::new()),
            offline: Cell::new(false),
            persist_scheduled: Cell::new(false),
            persisted: Cell::new(0),
            persist_failures: Cell::new(0),
            recovery_started: Cell::new(false),
            otlp_logged: Rc::default(),
        });
        shared.restart_timer();
        shared.watch_consent(require_consent, signal);
        shared.watch_lifecycle();
        shared.recover_orphans();
        Ok(TelemetryCollector { shared })
    }

    /// Records an event `{ type, timestamp?, data? }`. Returns whether it was accepted;
    /// invalid, sampled, throttled or unconsented input is dropped and counted, never thrown.
    pub fn track(&self, event: &TelemetryEventJs) -> bool {
        self.shared.accept(read_event(event))
    }

    /// Records a performance measurement `{ name, value, unit? }` as a `performance` event.
    #[wasm_bindgen(js_name = trackPerformance)]
    pub fn track_performance(&self, metric: &PerformanceMetricJs) -> bool {
        self.shared.accept(read_metric(metric))
    }

    /// Records an error (an `Error` or any thrown value) with optional context as an `error`
    /// event. Message and stack are redacted and file paths reduced to file names.
    #[wasm_bindgen(js_name = trackError)]
    pub fn track_error(&self, error: &ThrownJs, context: Option<ErrorContextJs>) -> bool {
        let context: JsValue = context.map_or(JsValue::UNDEFINED, Into::into);
        let data = error_data_json(&read_error(error, &context));
        self.shared.accept(Ok(EventInput {
            kind: "error".into(),
            timestamp_ms: None,
            data_json: Some(data),
        }))
    }

    /// Identifies the user. Only a salted SHA-256 of `userId` is ever sent (as `userId` on later
    /// events); `traits` are sent, redacted, in an `identify` event. Returns whether it was
    /// accepted.
    pub fn identify(
        &self,
        #[wasm_bindgen(unchecked_param_type = "string")] user_id: JsValue,
        traits: Option<TraitsJs>,
    ) -> bool {
        let Some(user_id) = read_id(&user_id).filter(|id| !id.is_empty()) else {
            return false;
        };
        let traits: JsValue = traits.map_or(JsValue::UNDEFINED, Into::into);
        let data_json = read_data(&traits);
        let Ok(mut state) = self.shared.state.try_borrow_mut() else {
            return false;
        };
        state.pipeline.identify(&user_id);
        drop(state);
        self.shared.accept(data_json.map(|data_json| EventInput {
            kind: "identify".into(),
            timestamp_ms: None,
            data_json,
        }))
    }

    /// Forgets the identified user: later events carry no `userId`.
    #[wasm_bindgen(js_name = resetUser)]
    pub fn reset_user(&self) {
        if let Ok(mut state) = self.shared.state.try_borrow_mut() {
            state.pipeline.reset_user();
        }
    }

    /// Records the user's choice, `'granted'` or `'denied'`, in `localStorage` (shared with other
    /// tabs). Denying purges everything buffered or stored at once. Returns false for any other
    /// value.
    #[wasm_bindgen(js_name = setConsent)]
    pub fn set_consent(
        &self,
        #[wasm_bindgen(unchecked_param_type = "ConsentState")] consent: JsValue,
    ) -> bool {
        let consent = consent.as_string().unwrap_or_default();
        match Consent::parse(&consent) {
            Some(choice @ (Consent::Granted | Consent::Denied)) => {
                self.shared.set_consent(choice, true);
                true
            }
            _ => false,
        }
    }

    /// The consent state: `'pending'`, `'granted'` or `'denied'`.
    #[wasm_bindgen(js_name = getConsent)]
    pub fn get_consent(&self) -> ConsentStateJs {
        let name = self
            .shared
            .state
            .try_borrow()
            .map_or("denied", |s| s.pipeline.consent().name());
        JsValue::from_str(name).unchecked_into()
    }

    /// Sends everything accepted so far, including what is already on its way. Resolves with
    /// the number of events delivered meanwhile; a failed send keeps its events for later.
    pub fn flush(&self) -> PromiseNumberJs {
        self.shared.pump().unchecked_into()
    }

    /// Stops the timer and listeners, sends what is buffered (with `keepalive`) and refuses
    /// further events.
    pub fn destroy(&self) {
        if self.shared.destroyed.replace(true) {
            return;
        }
        self.shared.timer.set(None);
        self.shared.retry_timer.set(None);
        self.shared.consent_listener.set(None);
        self.shared.lifecycle.set(Vec::new());
        self.shared.spawn_delivery(true);
    }

    /// The configuration in force, defaults included.
    #[wasm_bindgen(js_name = getConfig)]
    pub fn get_config(&self) -> ResolvedTelemetryConfigJs {
        let value = match self.shared.state.try_borrow() {
            Ok(state) => config_to_js(
                state.pipeline.config(),
                state.custom_transport.as_ref(),
                state.before_send.as_ref(),
            ),
            Err(_) => JsValue::UNDEFINED,
        };
        value.unchecked_into()
    }

    /// Changes some fields. The patch is validated as a whole: on a `TypeError` or
    /// `RangeError` nothing changes. Consent settings are read once, at construction.
    #[wasm_bindgen(js_name = updateConfig)]
    pub fn update_config(&self, patch: &TelemetryConfigPatchJs) -> Result<(), JsValue> {
        let parsed = parse_config(patch).map_err(|e| to_js_error(&e))?;
        let interval_changed = {
            let busy = || JsValue::from(js_sys::Error::new("updateConfig called re-entrantly"));
            let mut state = self.shared.state.try_borrow_mut().map_err(|_| busy())?;
            let mut core_patch = parsed.patch;
            core_patch.custom_transport =
                Some(parsed.custom_transport.is_some() || state.custom_transport.is_some());
            let current = state.pipeline.config();
            let next = current.apply(core_patch).map_err(|e| to_js_error(&e))?;
            let changed = next.flush_interval_ms != current.flush_interval_ms;
            state.pipeline.set_config(next);
            if parsed.custom_transport.is_some() {
                state.custom_transport = parsed.custom_transport;
            }
            if parsed.before_send.is_some() {
                state.before_send = parsed.before_send;
            }
            if let Some(patterns) = parsed.redact_patterns {
                state.patterns = patterns;
            }
            changed
        };
        if interval_changed && !self.shared.destroyed.get() {
            self.shared.restart_timer();
        }
        Ok(())
    }

    /// Buffer size, delivery counters and discards by reason.
    #[wasm_bindgen(js_name = getBufferStatus)]
    pub fn get_buffer_status(&self) -> BufferStatusJs {
        let Ok(state) = self.shared.state.try_borrow() else {
            return JsValue::UNDEFINED.unchecked_into();
        };
        let pipeline = &state.pipeline;
        let counters = pipeline.counters();
        let status = Object::new();
        set(&status, "size", pipeline.buffered() as f64);
        set(&status, "maxSize", pipeline.config().max_buffer_size);
        set(&status, "bytes", pipeline.buffered_bytes() as f64);
        set(&status, "inFlight", pipeline.in_flight() as f64);
        set(&status, "accepted", counters.accepted as f64);
        set(&status, "sent", counters.sent as f64);
        set(&status, "failedAttempts", counters.failed_attempts as f64);
        set(&status, "consent", pipeline.consent().name());
        let now = crate::platform::now_ms();
        set(&status, "persisted", self.shared.persisted.get());
        set(
            &status,
            "persistFailures",
            self.shared.persist_failures.get(),
        );
        set(&status, "acknowledged", counters.sent as f64);
        set(&status, "retries", counters.failed_attempts as f64);
        set(&status, "breaker", pipeline.breaker_state(now).name());
        set(&status, "online", !self.shared.offline.get());
        set(
            &status,
            "lastError",
            pipeline
                .last_error()
                .map_or(JsValue::NULL, JsValue::from_str),
        );
        set(&status, "recovered", counters.recovered as f64);
        set(&status, "corrupt", counters.corrupt as f64);
        set(&status, "expired", counters.expired as f64);
        let dropped = Object::new();
        for &reason in DropReason::ALL {
            set(&dropped, reason.name(), counters.dropped(reason) as f64);
        }
        set(&status, "dropped", dropped);
        JsValue::from(status).unchecked_into()
    }
}
