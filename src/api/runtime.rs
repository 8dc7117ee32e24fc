//! What a collector does between calls: accepting events (with `beforeSend`), delivering
//! batches, the timed flush and consent changes, including those made in other tabs.

use crate::api::input::read_data;
use crate::api::patterns::{apply, CustomPattern};
use crate::core::consent::{Consent, CONSENT_KEY};
use crate::core::event::{EventError, EventInput};
use crate::core::journal;
use crate::core::json::write_integer;
use crate::core::otlp::Logged;
use crate::core::pipeline::{DropReason, Outcome, Pipeline, Prepared, Refusal};
use crate::platform::listener::Listener;
use crate::platform::locks;
use crate::platform::timer::Timer;
use crate::platform::transport::{Destination, LOCAL_STORAGE_KEY};
use crate::platform::{debug_log, get, is_plain_object, now_ms, parse, storage};

/// Prefix of the `localStorage` keys holding journals, one per page: `telemetry-queue:<session>`.
pub const JOURNAL_PREFIX: &str = "telemetry-queue:";
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
    pub timer: Cell<Option<Timer>>,
    pub consent_listener: Cell<Option<Listener>>,
    pub destroyed: Cell<bool>,
    /// This page's journal key.
    pub journal_key: String,
    /// The pending retry, if a send failed.
    pub retry_timer: Cell<Option<Timer>>,
    /// `online`, `offline`, `pagehide` and `visibilitychange` listeners.
    pub lifecycle: Cell<Vec<Listener>>,
    /// Whether the browser says it is offline.
    pub offline: Cell<bool>,
    /// Whether a journal write is already scheduled for this tick.
    pub persist_scheduled: Cell<bool>,
    /// Events in the journal as last written.
    pub persisted: Cell<u32>,
    /// Journal writes that failed (storage full or unavailable).
    pub persist_failures: Cell<u32>,
    /// Whether journals of closed pages were looked for.
    pub recovery_started: Cell<bool>,
    /// Events whose OTLP log records were accepted before their metrics were.
    pub otlp_logged: Rc<RefCell<Logged>>,
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
        if result.is_ok() {
            self.schedule_persist();
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
            Consent::Denied => self.purge_storage(),
            Consent::Granted if !self.destroyed.get() => {
                if let Ok(mut state) = self.state.try_borrow_mut() {
                    state.pipeline.touch_journal();
                }
                self.recover_orphans();
                self.spawn_delivery(false);
            }
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

    /// Writes the journal if it changed and consent allows storing. A failed write (storage
    /// full or blocked) removes this page's stale copy, is counted, and is tried again later;
    /// the events stay in memory.
    pub fn persist(&self) {
        let journal = match self.state.try_borrow_mut() {
            Ok(mut state) if state.pipeline.may_deliver() => state.pipeline.take_journal(),
            _ => None,
        };
        let Some(text) = journal else { return };
        let lines = text.matches('\n').count() as u32;
        if text.is_empty() {
            storage::remove(&self.journal_key);
            self.persisted.set(0);
        } else if storage::write(&self.journal_key, &text) {
            self.persisted.set(lines);
        } else {
            storage::remove(&self.journal_key);
            self.persisted.set(0);
            self.persist_failures.set(self.persist_failures.get() + 1);
            if let Ok(mut state) = self.state.try_borrow_mut() {
                state.pipeline.touch_journal();
            }
        }
    }

    /// Writes the journal once the current burst of calls is over (a microtask later).
    fn schedule_persist(self: &Rc<Self>) {
        if self.persist_scheduled.replace(true) {
            return;
        }
        let shared = self.clone();
        spawn_local(async move {
            shared.persist_scheduled.set(false);
            shared.persist();
        });
    }

    /// Tries delivery again after `delay_ms`.
    fn schedule_retry(self: &Rc<Self>, delay_ms: f64) {
        let weak: Weak<Shared> = Rc::downgrade(self);
        self.retry_timer.set(Some(Timer::timeout(delay_ms, move || {
            if let Some(shared) = weak.upgrade() {
                shared.spawn_delivery(false);
            }
        })));
    }

    /// Everything the SDK stored goes: journals (this page's and orphans) and the
    /// `localStorage` transport's events.
    fn purge_storage(&self) {
        for key in storage::keys_with_prefix(JOURNAL_PREFIX) {
            storage::remove(&key);
        }
        storage::remove(LOCAL_STORAGE_KEY);
        self.persisted.set(0);
    }

    /// Takes over the journals of pages that are gone (closed tabs, earlier loads of this
    /// page). Under Web Locks a journal is taken only when its page no longer holds its lock,
    /// so two live tabs never send the same persisted event.
    pub fn recover_orphans(self: &Rc<Self>) {
        let allowed = self
            .state
            .try_borrow()
            .is_ok_and(|s| s.pipeline.may_deliver());
        if !allowed || self.recovery_started.replace(true) {
            return;
        }
        let with_locks = locks::available() && locks::hold(&self.journal_key);
        for key in storage::keys_with_prefix(JOURNAL_PREFIX) {
            if key == self.journal_key {
                continue;
            }
            let weak: Weak<Shared> = Rc::downgrade(self);
            let take = move |key: &str| {
                let Some(shared) = weak.upgrade() else { return };
                let Some(text) = storage::read(key) else {
                    return;
                };
                let loaded = journal::decode(&text, now_ms());
                match shared.state.try_borrow_mut() {
                    Ok(mut state) => state.pipeline.adopt(loaded),
                    Err(_) => return,
                }
                // Our journal holds the adopted events before theirs goes: a crash in between
                // can duplicate them (the collector stores each id once), never lose them.
                shared.persist();
                storage::remove(key);
                shared.spawn_delivery(false);
            };
            if with_locks {
                let name = key.clone();
                locks::take_if_free(&name, move || take(&key));
            } else {
                take(&key);
            }
        }
    }

    /// Follows the network state and the page's lifecycle: pause offline, resume online, and
    /// when the page is hidden or left, write the journal and send with `keepalive`.
    pub fn watch_lifecycle(self: &Rc<Self>) {
        let navigator = get(&js_sys::global(), "navigator");
        self.offline
            .set(get(&navigator, "onLine").as_bool() == Some(false));
        let mut listeners = Vec::new();
        let weak = Rc::downgrade(self);
        let on_online = weak.clone();
        listeners.extend(Listener::global("online", move |_| {
            let Some(shared) = on_online.upgrade() else {
                return;
            };
            shared.offline.set(false);
            shared.retry_timer.set(None);
            if let Ok(mut state) = shared.state.try_borrow_mut() {
                state.pipeline.reset_backoff();
            }
            shared.spawn_delivery(false);
        }));
        let on_offline = weak.clone();
        listeners.extend(Listener::global("offline", move |_| {
            if let Some(shared) = on_offline.upgrade() {
                shared.offline.set(true);
            }
        }));
        let on_pagehide = weak.clone();
        listeners.extend(Listener::global("pagehide", move |_| {
            if let Some(shared) = on_pagehide.upgrade() {
                shared.on_hide();
            }
        }));
        let document = get(&js_sys::global(), "document");
        listeners.extend(Listener::on(
            document.clone(),
            "visibilitychange",
            move |_| {
                let hidden =
                    get(&document, "visibilityState").as_string().as_deref() == Some("hidden");
                if let (true, Some(shared)) = (hidden, weak.upgrade()) {
                    shared.on_hide();
                }
            },
        ));
        self.lifecycle.set(listeners);
    }

    /// The page is being hidden or left: journal first (nothing is lost if the send does not
    /// make it), then one `keepalive` delivery.
    fn on_hide(self: &Rc<Self>) {
        self.persist();
        if !self.offline.get() {
            self.spawn_delivery(true);
        }
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
            Timer::interval(f64::from(interval), move || {
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

/// Sends batches until the buffer is empty, delivery is not allowed (consent, breaker,
/// offline), or a send fails, in which case a retry is scheduled. Returns the number of events
/// delivered. `keepalive` sends (page hidden or left) skip compression so the request starts
/// at once.
async fn deliver_all(shared: Rc<Shared>, keepalive: bool) -> u32 {
    let mut delivered = 0u32;
    loop {
        shared.persist();
        if shared.offline.get() {
            break;
        }
        let now = now_ms();
        let next = match shared.state.try_borrow_mut() {
            Ok(mut state) => match state.pipeline.next_batch(now) {
                Some(batch) => {
                    let config = state.pipeline.config();
                    let destination = Destination {
                        kind: config.transport,
                        endpoint: config.endpoint.clone(),
                        api_key: config.api_key.clone(),
                        custom: state.custom_transport.clone(),
                        keepalive,
                        service_name: config.service_name.clone(),
                        otlp_logged: shared.otlp_logged.clone(),
                    };
                    Ok((batch, destination, config.debug))
                }
                None => Err((
                    state.pipeline.breaker_wait_ms(now),
                    state.pipeline.buffered() > 0,
                )),
            },
            Err(_) => Err((0.0, false)),
        };
        let (batch, destination, debug) = match next {
            Ok(next) => next,
            Err((wait, waiting)) => {
                if wait > 0.0 && waiting {
                    shared.schedule_retry(wait);
                }
                break;
            }
        };
        let report = destination.send(&batch).await;
        let outcome = report.outcome;
        let count = batch.events.len() as u32;
        let retry = match shared.state.try_borrow_mut() {
            Ok(mut state) => state.pipeline.settle(&batch.id, report),
            Err(_) => None,
        };
        shared.persist();
        if let Some(delay) = retry {
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
            shared.schedule_retry(delay);
            break;
        }
        if outcome == Outcome::Delivered {
            delivered += count;
        }
    }
    delivered
}
