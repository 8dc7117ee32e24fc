//! Reading what the application passes (events, metrics) into core inputs. Hostile
//! values (throwing getters, proxies, cycles, BigInt) become refusals, never exceptions.

use crate::core::event::{EventError, EventInput};
use crate::platform::{get, is_plain_object, stringify};
use alloc::string::String;
use wasm_bindgen::JsValue;

/// `{ type, timestamp?, data? }`.
pub fn read_event(event: &JsValue) -> Result<EventInput, EventError> {
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
    let data_json = read_data(&get(event, "data"))?;
    Ok(EventInput {
        kind,
        timestamp_ms,
        data_json,
    })
}

/// An optional `data` object, serialised.
pub fn read_data(data: &JsValue) -> Result<Option<String>, EventError> {
    if data.is_undefined() || data.is_null() {
        Ok(None)
    } else if is_plain_object(data) {
        Ok(Some(stringify(data).ok_or(EventError::BadData)?))
    } else {
        Err(EventError::BadData)
    }
}

/// `{ name, value, unit? }` as a `performance` event.
pub fn read_metric(metric: &JsValue) -> Result<EventInput, EventError> {
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

pub use crate::api::collector::read_id;
