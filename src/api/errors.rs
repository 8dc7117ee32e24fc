//! `ErrorsCore`: ErrorTracking's rules ([`crate::core::errors::tracker`]) as the JS class
//! `ErrorTracking` (js/error-tracking.js) uses them, through plain values and strings. The JS
//! class installs the global handlers and the automatic breadcrumbs, reads the thrown values
//! and submits what this one writes.

use crate::api::collector::read_id;
use crate::core::errors::tracker::{Captured, Tracker};
use alloc::string::String;
use wasm_bindgen::prelude::*;

/// The rules of one `ErrorTracking`. Internal: the package's JS class wraps it.
#[wasm_bindgen]
pub struct ErrorsCore {
    core: Tracker,
}

#[wasm_bindgen]
impl ErrorsCore {
    /// A tracker for the options the JS class serialised, reporting through a collector whose
    /// endpoint is `endpoint`; throws a RangeError's message.
    #[wasm_bindgen(constructor)]
    pub fn new(options_json: &str, endpoint: Option<String>) -> Result<ErrorsCore, String> {
        Tracker::new(options_json, endpoint)
            .map(|core| ErrorsCore { core })
            .map_err(String::from)
    }

    /// What to install, as JSON: `{ error, unhandledrejection, clicks, navigation, http,
    /// console }`.
    pub fn wiring(&self) -> String {
        self.core.options().wiring_json()
    }

    /// Captures an error as the JS class read it; returns its id, or `undefined` when
    /// disabled. The event to send, if any, is then [`ErrorsCore::take_event`].
    #[allow(clippy::too_many_arguments)]
    pub fn capture(
        &mut self,
        name: &str,
        message: &str,
        stack: Option<String>,
        context_json: Option<String>,
        severity: Option<String>,
        user_json: Option<String>,
        mechanism: &str,
        now: f64,
    ) -> Option<String> {
        let error = Captured {
            name,
            message,
            stack: stack.as_deref(),
            context_json: context_json.as_deref(),
            severity: severity.as_deref(),
            user_json: user_json.as_deref(),
            mechanism,
        };
        self.core.capture(&error, now)
    }

    /// The `error` event data of the last capture, when it is to be sent.
    #[wasm_bindgen(js_name = takeEvent)]
    pub fn take_event(&mut self) -> Option<String> {
        self.core.take_event()
    }

    /// Adds a breadcrumb (absent fields take their defaults; `data_json` a JSON object).
    pub fn breadcrumb(
        &mut self,
        category: Option<String>,
        message: Option<String>,
        level: Option<String>,
        data_json: Option<String>,
        now: f64,
    ) {
        self.core.breadcrumb(
            category.as_deref(),
            message.as_deref(),
            level.as_deref(),
            data_json,
            now,
        );
    }

    /// A finished request (`status` absent: it failed without an answer).
    pub fn http(
        &mut self,
        method: Option<String>,
        url: &str,
        absolute: &str,
        status: Option<f64>,
        duration_ms: f64,
        now: f64,
    ) {
        self.core
            .http(method.as_deref(), url, absolute, status, duration_ms, now);
    }

    /// The page's location after `via` (an event or history method).
    pub fn navigated(&mut self, via: &str, path: &str, hash: &str, now: f64) {
        self.core.navigated(via, path, hash, now);
    }

    /// A recovery attempt from `error_id` (a string or a whole number); returns the
    /// `error.recovery` event data, or `undefined` when the id is neither.
    pub fn recovery(
        &mut self,
        #[wasm_bindgen(unchecked_param_type = "unknown")] error_id: JsValue,
        success: bool,
        strategy_json: Option<String>,
        attempts_json: Option<String>,
    ) -> Option<String> {
        let error_id = read_id(&error_id)?;
        Some(self.core.recovery(
            &error_id,
            success,
            strategy_json.as_deref(),
            attempts_json.as_deref(),
        ))
    }

    /// `getErrorGroups()` as JSON.
    pub fn groups(&self) -> String {
        self.core.groups_json()
    }

    /// `getStats()` as JSON.
    pub fn stats(&self) -> String {
        self.core.stats_json()
    }
}
