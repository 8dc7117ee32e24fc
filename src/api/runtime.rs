//! What a collector does between calls: accepting events (with `beforeSend`), delivering
//! batches, the timed flush and consent changes, including those made in other tabs.

use crate::api::input::read_data;
use crate::api::patterns::{apply, CustomPattern};
use crate::core::consent::{Consent, CONSENT_KEY};
use crate::core::event::{EventError, EventInput};
use crate::core::json::write_integer;
use crate::core::pipeline::{DropReason, Outcome, Pipeline, Prepared, Refusal};
use crate::platform::listener::Listener;
use crate::platform::timer::Interval;
use crate::platform::transport::{Destination, LOCAL_STORAGE_KEY};
use crate::platform::{debug_log, get, is_plain_object, now_ms, parse, storage};
use alloc::rc::{Rc, Weak};
use alloc::string::String;
use alloc::vec::Vec;
use core::cell::{Cell, RefCell};
use js_sys::{Function, Promise};
use wasm_bindgen::JsValue;
use wasm_bindgen_futures::{future_to_promise, spawn_local};

/// The mutable part of a collector.
pub(crate) struct State {
    pub pipeline: Pipeline,
    pub custom_transport: Option<Function>,
    pub before_send: Option<Function>,
    pub patterns: Vec<CustomPattern>,
}

/// State shared by the collector, its timer, its listeners and its in-flight sends. `state` is
/// only ever borrowed with `try_borrow*`, and never across an `await` or a call into
/// JavaScript, so a re-entrant call from the page degrades to a dropped call, not a panic.
pub(crate) struct Shared {
    pub state: RefCell<State>,
    /// The running delivery loop, if any: one batch in flight at a time.
    pub pump: Cell<Option<Promise>>,
    pub timer: Cell<Option<Interval>>,
    pub consent_listener: Cell<Option<Listener>>,
    pub destroyed: Cell<bool>,
}

/// What `beforeSend` decided.
enum Verdict {
    Keep {
        kind: String,
        data_json: Option<String>,
    },
    Drop,
    Invalid(EventError),
}

impl Shared {
    /// Admits, redacts, passes through `beforeSend` and buffers one event; returns whether it
    /// was accepted. Starts a delivery when a batch is full.
    pub fn accept(self: &Rc<Self>, input: Result<EventInput, EventError>) -> bool {
        let result = self.prepare(input).and_then(|(prepared, hook)| match hook {
            None => self.with_state(|state| state.pipeline.enqueue(prepared)),
            Some(hook) => self.finish_with(hook, prepared),
        });
        let (full, debug) = self
            .state
            .try_borrow()
            .map(|s| (s.pipeline.should_flush(), s.pipeline.config().debug))
            .unwrap_or((false, false));
        if let (Err(refusal), true) = (&result, debug) {
            let detail = refusal.detail.unwrap_or_default();
            debug_log(
                &["event dropped (", refusal.reason.name(), ") ", detail],
                &JsValue::UNDEFINED,
            );
        }
        if full {
            self.spawn_delivery(false);
        }
        result.is_ok()
    }

    fn with_state<T>(
        &self,
        work: impl FnOnce(&mut State) -> Result<T, Refusal>,
    ) -> Result<T, Refusal> {
        match self.state.try_borrow_mut() {
            Ok(mut state) => work(&mut state),
            Err(_) => Err(Refusal {
                reason: DropReason::Invalid,
                detail: Some("re-entrant call"),
            }),
        }
    }

    fn prepare(
        &self,
        input: Result<EventInput, EventError>,
    ) -> Result<(Prepared, Option<Function>), Refusal> {
        let destroyed = self.destroyed.get();
        self.with_state(|state| {
            let State {
                pipeline,
                patterns,
                before_send,
                ..
            } = state;
            let (reason, detail) = match input {
                _ if destroyed => (DropReason::Disabled, None),
                Err(error) => (DropReason::Invalid, Some(error.message())),
                Ok(input) => {
                    let prepared =
                        pipeline.prepare(&input, now_ms(), &mut |text| apply(patterns, text))?;
                    return Ok((prepared, before_send.clone()));
                }
            };
            pipeline.count_dropped(reason);
            Err(Refusal { reason, detail })
        })
    }

    /// Shows the event to `beforeSend` (no borrow held), then buffers what it returned.
    fn finish_with(&self, hook: Function, prepared: Prepared) -> Result<(), Refusal> {
        let preview: String = self.with_state(|state| match state.pipeline.preview(&prepared) {
            Ok(json) => Ok(json),
            Err(error) => {
                state.pipeline.count_dropped(DropReason::Invalid);
                Err(Refusal {
                    reason: DropReason::Invalid,
                    detail: Some(error.message()),
                })
            }
        })?;
        let verdict = run_before_send(&hook, &preview);
        self.with_state(|state| {
            let State {
                pipeline, patterns, ..
            } = state;
            match verdict {
                Verdict::Keep { kind, data_json } => {
                    let revised = pipeline
                        .revise(prepared, kind, data_json, &mut |text| apply(patterns, text))?;
                    pipeline.enqueue(revised)
                }
                Verdict::Drop => {
                    pipeline.count_dropped(DropReason::BeforeSend);
                    Err(Refusal {
                        reason: DropReason::BeforeSend,
                        detail: None,
                    })
                }
                Verdict::Invalid(error) => {
                    pipeline.count_dropped(DropReason::Invalid);
                    Err(Refusal {
                        reason: DropReason::Invalid,
                        detail: Some(error.message()),
                    })
                }
            }
        })
    }

    /// Starts sending what is buffered, in the background. Normal deliveries share one loop;
    /// a `keepalive` delivery (the page or collector is going away) starts at once beside it.
    pub fn spawn_delivery(self: &Rc<Self>, keepalive: bool) {
        if keepalive {
            let shared = self.clone();
            spawn_local(async move {
                deliver_all(shared, true).await;
            });
        } else {
            let _running = self.pump();
        }
    }

    /// The running delivery loop, started if none runs. It resolves with the number of events
    /// it delivered once the buffer is empty or a send failed.
    pub fn pump(self: &Rc<Self>) -> Promise {
        if let Some(running) = self.pump.take() {
            self.pump.set(Some(running.clone()));
            return running;
        }
        let shared = self.clone();
        let promise = future_to_promise(async move {
            let delivered = deliver_all(shared.clone(), false).await;
            shared.pump.set(None);
            Ok(JsValue::from(delivered))
        });
        self.pump.set(Some(promise.clone()));
        promise
    }

    /// Applies a consent state: `persist` stores an explicit choice; `denied` purges what is
    /// buffered and what the SDK stored; `granted` sends what waited.
    pub fn set_consent(self: &Rc<Self>, consent: Consent, persist: bool) {
        if persist {
            match consent {
                Consent::Pending => storage::remove(CONSENT_KEY),
                _ => {
                    storage::write(CONSENT_KEY, consent.name());
                }
            }
        }
        let applied = self.with_state(|state| {
            state.pipeline.set_consent(consent);
            Ok(())
        });
        if applied.is_err() {
            return;
        }
        match consent {
            Consent::Denied => storage::remove(LOCAL_STORAGE_KEY),
            Consent::Granted if !self.destroyed.get() => self.spawn_delivery(false),
            _ => {}
        }
    }

    /// Follows consent choices made in other tabs of the same origin (`storage` events).
    pub fn watch_consent(self: &Rc<Self>, require_consent: bool, privacy_signal: bool) {
        let weak: Weak<Shared> = Rc::downgrade(self);
        let listener = Listener::global("storage", move |event| {
            let Some(shared) = weak.upgrade() else { return };
            if get(&event, "key").as_string().as_deref() != Some(CONSENT_KEY) {
                return;
            }
            let stored = get(&event, "newValue")
                .as_string()
                .and_then(|v| Consent::parse(&v));
            shared.set_consent(
                Consent::initial(stored, require_consent, privacy_signal),
                false,
            );
        });
        self.consent_listener.set(listener);
    }

    /// (Re)starts the timed flush according to the current `flushIntervalMs`.
    pub fn restart_timer(self: &Rc<Self>) {
        let Ok(interval) = self
            .state
            .try_borrow()
            .map(|s| s.pipeline.config().flush_interval_ms)
        else {
            return;
        };
        let timer = (interval > 0).then(|| {
            let weak: Weak<Shared> = Rc::downgrade(self);
            Interval::new(interval, move || {
                let Some(shared) = weak.upgrade() else { return };
                let waiting = shared
                    .state
                    .try_borrow()
                    .is_ok_and(|s| s.pipeline.buffered() > 0);
                if waiting {
                    shared.spawn_delivery(false);
                }
            })
        });
        self.timer.set(timer);
    }
}

fn run_before_send(hook: &Function, preview: &str) -> Verdict {
    let Ok(result) = hook.call1(&JsValue::UNDEFINED, &parse(preview)) else {
        return Verdict::Drop; // it threw: the event is dropped, the page is not disturbed
    };
    if !is_plain_object(&result) {
        return Verdict::Drop;
    }
    let Some(kind) = get(&result, "type").as_string() else {
        return Verdict::Invalid(EventError::MissingType);
    };
    match read_data(&get(&result, "data")) {
        Ok(data_json) => Verdict::Keep { kind, data_json },
        Err(error) => Verdict::Invalid(error),
    }
}

/// Sends batches until the buffer is empty, delivery is not allowed, or a send fails; returns
/// the number of events delivered.
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
