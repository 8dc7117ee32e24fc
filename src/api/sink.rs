//! How a module (PerformanceMetrics, ErrorTracking, …) reaches the collector it was built with:
//! through the link object the JS `TelemetryCollector` gives it. `submit` runs the collector's
//! whole accept path (`beforeSend`, the journal, delivery).

use crate::core::event::{EventError, EventInput};
use crate::platform::call;
use alloc::string::String;
use wasm_bindgen::JsValue;

/// A collector's link, as a module holds it: `{ submit(type, dataJson), endpoint(),
/// mayStore(), userHash(id) }`.
pub struct Sink {
    link: JsValue,
}

impl Sink {
    /// Wraps the collector's link object.
    pub fn new(link: JsValue) -> Self {
        Self { link }
    }

    /// Submits an event (an `Err` counts the call as invalid); returns whether it was accepted.
    pub fn accept(&self, input: Result<EventInput, EventError>) -> bool {
        let (kind, data) = match input {
            Ok(input) => (
                JsValue::from_str(&input.kind),
                input
                    .data_json
                    .as_deref()
                    .map_or(JsValue::UNDEFINED, JsValue::from_str),
            ),
            Err(_) => (JsValue::UNDEFINED, JsValue::UNDEFINED),
        };
        call(&self.link, "submit", &[kind, data]).is_some_and(|accepted| accepted.is_truthy())
    }

    /// The collector's endpoint, if it has one.
    pub fn endpoint(&self) -> Option<String> {
        call(&self.link, "endpoint", &[])?.as_string()
    }

    /// Whether the collector may write to storage now (enabled and consent granted).
    pub fn may_store(&self) -> bool {
        call(&self.link, "mayStore", &[]).is_some_and(|may| may.is_truthy())
    }

    /// The salted hash of a user id, as the collector's events carry it.
    pub fn user_hash(&self, user_id: &str) -> String {
        call(&self.link, "userHash", &[JsValue::from_str(user_id)])
            .and_then(|hash| hash.as_string())
            .unwrap_or_default()
    }
}
