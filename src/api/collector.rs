//! `TelemetryCollector`: buffered, sampled, batched event collection.

use crate::api::config::{config_to_js, parse_config, to_js_error};
use crate::api::types::{
    BufferStatusJs, ErrorContextJs, PerformanceMetricJs, PromiseNumberJs,
    ResolvedTelemetryConfigJs, TelemetryConfigJs, TelemetryConfigPatchJs, TelemetryEventJs,
    ThrownJs,
};
use crate::core::config::Config;
use crate::core::event::{error_data_json, ErrorInput, EventError, EventInput};
use crate::core::json::write_integer;
use crate::core::pipeline::{DropReason, Outcome, Pipeline, Refusal};
use crate::platform::timer::Interval;
use crate::platform::transport::Destination;
use crate::platform::{
    debug_log, get, is_plain_object, now_ms, page_context_json, random_seed, set, stringify,
};
use alloc::rc::{Rc, Weak};
use alloc::string::String;
use core::cell::{Cell, RefCell};
use js_sys::{Function, Object};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::{future_to_promise, spawn_local};

/// The mutable part of a collector.
struct State {
    pipeline: Pipeline,
    custom_transport: Option<Function>,
}

/// State shared by the collector, its timer and its in-flight sends. `state` is only ever
/// borrowed with `try_borrow*`, and never across an `await` or a call into JavaScript, so a
/// re-entrant call from the page degrades to a dropped call instead of a panic.
struct Shared {
    state: RefCell<State>,
    timer: Cell<Option<Interval>>,
    destroyed: Cell<bool>,
    context_json: String,
}

/// Collects events, buffers them and sends them in batches to the configured transport.
#[wasm_bindgen]
pub struct TelemetryCollector {
    shared: Rc<Shared>,
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
        let shared = Rc::new(Shared {
            state: RefCell::new(State {
                pipeline: Pipeline::new(config, random_seed()),
                custom_transport: parsed.custom_transport,
            }),
            timer: Cell::new(None),
            destroyed: Cell::new(false),
            context_json: page_context_json(),
        });
        restart_timer(&shared);
        Ok(TelemetryCollector { shared })
    }

    /// Records an event `{ type, timestamp?, data? }`. Returns whether it was accepted;
    /// malformed, sampled or throttled input is dropped and counted, never thrown.
    pub fn track(&self, event: &TelemetryEventJs) -> bool {
        let input = read_event(event);
        self.accept(input)
    }

    /// Records a performance measurement `{ name, value, unit? }` as a `performance` event.
    #[wasm_bindgen(js_name = trackPerformance)]
    pub fn track_performance(&self, metric: &PerformanceMetricJs) -> bool {
        let input = read_metric(metric);
        self.accept(input)
    }

    /// Records an error (an `Error` or any thrown value) with optional context as an `error`
    /// event.
    #[wasm_bindgen(js_name = trackError)]
    pub fn track_error(&self, error: &ThrownJs, context: Option<ErrorContextJs>) -> bool {
        let context: JsValue = context.map_or(JsValue::UNDEFINED, Into::into);
        let data = error_data_json(&read_error(error, &context));
        self.accept(Ok(EventInput {
            kind: "error".into(),
            timestamp_ms: None,
            data_json: Some(data),
        }))
    }

    /// Sends everything buffered now. Resolves with the number of events delivered; a failed
    /// send keeps its events buffered for the next flush.
    pub fn flush(&self) -> PromiseNumberJs {
        let shared = self.shared.clone();
        let promise =
            future_to_promise(async move { Ok(JsValue::from(deliver_all(shared, false).await)) });
        promise.unchecked_into()
    }

    /// Stops the timer, sends what is buffered (with `keepalive`) and refuses further events.
    pub fn destroy(&self) {
        if self.shared.destroyed.replace(true) {
            return;
        }
        self.shared.timer.set(None);
        spawn_local(async move {}); // keep the executor warm for the final delivery
        let shared = self.shared.clone();
        spawn_local(async move {
            deliver_all(shared, true).await;
        });
    }

    /// The configuration in force, defaults included.
    #[wasm_bindgen(js_name = getConfig)]
    pub fn get_config(&self) -> ResolvedTelemetryConfigJs {
        let value = match self.shared.state.try_borrow() {
            Ok(state) => config_to_js(state.pipeline.config(), state.custom_transport.as_ref()),
            Err(_) => JsValue::UNDEFINED,
        };
        value.unchecked_into()
    }

    /// Changes some fields. The patch is validated as a whole: on a `TypeError` or
    /// `RangeError` nothing changes.
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
            changed
        };
        if interval_changed && !self.shared.destroyed.get() {
            restart_timer(&self.shared);
        }
        Ok(())
    }

    /// Buffer size, delivery counters and drop counters by reason.
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
        let dropped = Object::new();
        set(&dropped, "disabled", counters.disabled as f64);
        set(&dropped, "sampled", counters.sampled as f64);
        set(&dropped, "throttled", counters.throttled as f64);
        set(&dropped, "malformed", counters.malformed as f64);
        set(&dropped, "overflow", counters.overflow as f64);
        set(&dropped, "rejected", counters.rejected as f64);
        set(&status, "dropped", dropped);
        JsValue::from(status).unchecked_into()
    }
}

impl TelemetryCollector {
    fn accept(&self, input: Result<EventInput, EventError>) -> bool {
        let now = now_ms();
        let shared = &self.shared;
        let (result, full, debug) = {
            let Ok(mut state) = shared.state.try_borrow_mut() else {
                return false;
            };
            let pipeline = &mut state.pipeline;
            let result = match input {
                _ if shared.destroyed.get() => {
                    pipeline.count_dropped(DropReason::Disabled);
                    Err(Refusal {
                        reason: DropReason::Disabled,
                        detail: None,
                    })
                }
                Ok(input) => pipeline.accept(&input, now, &shared.context_json),
                Err(error) => {
                    pipeline.count_dropped(DropReason::Malformed);
                    Err(Refusal {
                        reason: DropReason::Malformed,
                        detail: Some(error),
                    })
                }
            };
            (result, pipeline.should_flush(), pipeline.config().debug)
        };
        if let (Err(refusal), true) = (&result, debug) {
            let detail = refusal.detail.as_ref().map_or("", EventError::message);
            debug_log(
                &["event dropped (", refusal.reason.name(), ") ", detail],
                &JsValue::UNDEFINED,
            );
        }
        if full {
            let shared = shared.clone();
            spawn_local(async move {
                deliver_all(shared, false).await;
            });
        }
        result.is_ok()
    }
}

/// Sends batches until the buffer is empty or a send fails; returns the events delivered.
async fn deliver_all(shared: Rc<Shared>, keepalive: bool) -> u32 {
    let mut delivered = 0u32;
    loop {
        let (batch, destination, debug) = {
            let Ok(mut state) = shared.state.try_borrow_mut() else {
                break;
            };
            let Some(batch) = state.pipeline.next_batch() else {
                break;
            };
            let custom = state.custom_transport.clone();
            let config = state.pipeline.config();
            let destination = Destination {
                kind: config.transport,
                endpoint: config.endpoint.clone(),
                api_key: config.api_key.clone(),
                custom,
                keepalive,
            };
            (batch, destination, config.debug)
        };
        let outcome = destination.send(&batch).await;
        let count = batch.events.len() as u32;
        if let Ok(mut state) = shared.state.try_borrow_mut() {
            state.pipeline.settle(batch, outcome);
        }
        if outcome != Outcome::Delivered {
            if debug {
                let mut events = String::new();
                write_integer(&mut events, i64::from(count));
                debug_log(
                    &[
                        "batch of ",
                        &events,
                        " events not delivered: ",
                        outcome.name(),
                    ],
                    &JsValue::UNDEFINED,
                );
            }
            break;
        }
        delivered += count;
    }
    delivered
}

/// (Re)starts the timed flush according to the current `flushIntervalMs`.
fn restart_timer(shared: &Rc<Shared>) {
    let Ok(interval) = shared
        .state
        .try_borrow()
        .map(|s| s.pipeline.config().flush_interval_ms)
    else {
        return;
    };
    let timer = (interval > 0).then(|| {
        let weak: Weak<Shared> = Rc::downgrade(shared);
        Interval::new(interval, move || {
            let Some(shared) = weak.upgrade() else { return };
            let waiting = shared
                .state
                .try_borrow()
                .is_ok_and(|s| s.pipeline.buffered() > 0);
            if waiting {
                spawn_local(async move {
                    deliver_all(shared, false).await;
                });
            }
        })
    });
    shared.timer.set(timer);
}

fn read_event(event: &JsValue) -> Result<EventInput, EventError> {
    if !is_plain_object(event) {
        return Err(EventError::NotAnObject);
    }
    let kind = get(event, "type")
        .as_string()
        .ok_or(EventError::MissingType)?;
    let timestamp = get(event, "timestamp");
    let timestamp_ms = if timestamp.is_undefined() || timestamp.is_null() {
        None
    } else {
        Some(timestamp.as_f64().ok_or(EventError::BadTimestamp)?)
    };
    let data = get(event, "data");
    let data_json = if data.is_undefined() || data.is_null() {
        None
    } else if is_plain_object(&data) {
        Some(stringify(&data).ok_or(EventError::BadData)?)
    } else {
        return Err(EventError::BadData);
    };
    Ok(EventInput {
        kind,
        timestamp_ms,
        data_json,
    })
}

fn read_metric(metric: &JsValue) -> Result<EventInput, EventError> {
    if !is_plain_object(metric) {
        return Err(EventError::NotAnObject);
    }
    let named = get(metric, "name")
        .as_string()
        .is_some_and(|n| !n.is_empty());
    let valued = get(metric, "value").as_f64().is_some_and(f64::is_finite);
    let unit = get(metric, "unit");
    if !named || !valued || !(unit.is_undefined() || unit.is_string()) {
        return Err(EventError::BadData);
    }
    let data_json = Some(stringify(metric).ok_or(EventError::BadData)?);
    Ok(EventInput {
        kind: "performance".into(),
        timestamp_ms: None,
        data_json,
    })
}

fn read_error(error: &JsValue, context: &JsValue) -> ErrorInput {
    let text = |key: &str| get(error, key).as_string();
    let (name, message, stack) = if error.is_instance_of::<js_sys::Error>() {
        (
            text("name").unwrap_or_else(|| "Error".into()),
            text("message").unwrap_or_default(),
            text("stack"),
        )
    } else {
        let message = error
            .as_string()
            .or_else(|| stringify(error))
            .unwrap_or_else(|| "[unserialisable value]".into());
        ("Error".into(), message, None)
    };
    let context_json = is_plain_object(context)
        .then(|| stringify(context))
        .flatten();
    ErrorInput {
        name,
        message,
        stack,
        context_json,
    }
}
