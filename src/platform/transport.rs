//! Delivery of one encoded batch over the configured transport.

use alloc::string::{String, ToString};

use crate::core::batch::Batch;
use crate::core::config::TransportKind;
use crate::core::pipeline::Outcome;
use crate::platform::{debug_log, get, now_ms, parse, storage};
use js_sys::{Function, Promise};
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;
use web_sys::{Headers, RequestCredentials, RequestInit, RequestMode, Response};

#[wasm_bindgen]
extern "C" {
    #[wasm_bindgen(catch, js_name = fetch)]
    fn fetch_with_init(url: &str, init: &RequestInit) -> Result<Promise, JsValue>;
}

/// `localStorage` key where the `localStorage` transport keeps batches for the application.
pub const LOCAL_STORAGE_KEY: &str = "telemetry-events";

/// Everything a send needs, copied out of the collector so no borrow is held across `await`.
pub struct Destination {
    /// Which transport to use.
    pub kind: TransportKind,
    /// Endpoint for `http` and `beacon`.
    pub endpoint: Option<String>,
    /// Ingest key.
    pub api_key: Option<String>,
    /// The application's function for `custom`.
    pub custom: Option<Function>,
    /// Send with `keepalive` (page is closing or the collector is being destroyed).
    pub keepalive: bool,
}

impl Destination {
    /// Sends `batch` and reports how it went. Never throws and never panics.
    pub async fn send(&self, batch: &Batch) -> Outcome {
        match self.kind {
            TransportKind::Http => self.send_fetch(&batch.encode(now_ms())).await,
            TransportKind::Beacon => self.send_beacon(&batch.encode(now_ms())),
            TransportKind::Console => {
                debug_log(&["batch"], &parse(&batch.encode(now_ms())));
                Outcome::Delivered
            }
            TransportKind::LocalStorage => store_locally(batch),
            TransportKind::Custom => self.send_custom(batch).await,
        }
    }

    async fn send_fetch(&self, body: &str) -> Outcome {
        let Some(endpoint) = self.endpoint.as_deref() else {
            return Outcome::Rejected;
        };
        let init = RequestInit::new();
        init.set_method("POST");
        init.set_mode(RequestMode::Cors);
        init.set_credentials(RequestCredentials::Omit);
        // `keepalive` is not in web-sys' stable bindings; it is a plain RequestInit member.
        let _ = js_sys::Reflect::set(&init, &"keepalive".into(), &self.keepalive.into());
        init.set_body(&JsValue::from_str(body));
        if let Ok(headers) = Headers::new() {
            let _ = headers.set("Content-Type", "application/json");
            if let Some(key) = &self.api_key {
                let _ = headers.set("Authorization", &["Bearer ", key].concat());
            }
            init.set_headers(&headers);
        }
        let Ok(promise) = fetch_with_init(endpoint, &init) else {
            return Outcome::Retry;
        };
        match JsFuture::from(promise).await {
            Ok(response) => match response.dyn_into::<Response>() {
                Ok(response) => Outcome::from_status(response.status()),
                Err(_) => Outcome::Retry,
            },
            Err(_) => Outcome::Retry,
        }
    }

    fn send_beacon(&self, body: &str) -> Outcome {
        let Some(endpoint) = self.endpoint.as_deref() else {
            return Outcome::Rejected;
        };
        let url = match &self.api_key {
            Some(key) => {
                let separator = if endpoint.contains('?') {
                    "&key="
                } else {
                    "?key="
                };
                let key = String::from(js_sys::encode_uri_component(key));
                [endpoint, separator, &key].concat()
            }
            None => endpoint.to_string(),
        };
        let navigator = get(&js_sys::global(), "navigator");
        let Ok(send_beacon) = get(&navigator, "sendBeacon").dyn_into::<Function>() else {
            return Outcome::Retry;
        };
        match send_beacon.call2(
            &navigator,
            &JsValue::from_str(&url),
            &JsValue::from_str(body),
        ) {
            Ok(queued) if queued.is_truthy() => Outcome::Delivered,
            _ => Outcome::Retry,
        }
    }

    async fn send_custom(&self, batch: &Batch) -> Outcome {
        let Some(function) = &self.custom else {
            return Outcome::Rejected;
        };
        let events = parse(&batch.encode_events());
        let Ok(result) = function.call1(&JsValue::UNDEFINED, &events) else {
            return Outcome::Retry;
        };
        // A plain return value counts as delivered; a promise must fulfil.
        match JsFuture::from(Promise::resolve(&result)).await {
            Ok(_) => Outcome::Delivered,
            Err(_) => Outcome::Retry,
        }
    }
}

/// Appends the batch's events to the JSON array under [`LOCAL_STORAGE_KEY`].
fn store_locally(batch: &Batch) -> Outcome {
    let events = batch.encode_events();
    let stored = storage::read(LOCAL_STORAGE_KEY);
    let open = stored
        .as_deref()
        .and_then(|s| s.strip_suffix(']'))
        .filter(|s| s.len() > 1 && s.starts_with('['));
    let merged = match (open, events.strip_prefix('[')) {
        (Some(open), Some(rest)) => [open, ",", rest].concat(),
        _ => events,
    };
    if storage::write(LOCAL_STORAGE_KEY, &merged) {
        Outcome::Delivered
    } else {
        Outcome::Retry
    }
}
