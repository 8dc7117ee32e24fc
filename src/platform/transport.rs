//! Delivery of one encoded batch over the configured transport.

use alloc::rc::Rc;
use alloc::string::{String, ToString};
use core::cell::RefCell;

use crate::core::batch::Batch;
use crate::core::config::TransportKind;
use crate::core::json::write_integer;
use crate::core::otlp::{self, Logged, Resource};
use crate::core::pipeline::{Outcome, Report};
use crate::core::retry::parse_retry_after;
use crate::platform::{call, debug_log, get, now_ms, parse, storage};
use js_sys::{Function, Promise};
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;
use web_sys::{Headers, RequestCredentials, RequestInit, RequestMode, Response};

#[wasm_bindgen]
extern "C" {
    #[wasm_bindgen(catch, js_name = fetch)]
    fn fetch_with_init(url: &str, init: &RequestInit) -> Result<Promise, JsValue>;
}

/// How long a fetch may take before it is abandoned and retried.
pub const REQUEST_TIMEOUT_MS: u32 = 15_000;

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
    /// `service.name` for `otlp`.
    pub service_name: String,
    /// Events whose OTLP log records were accepted before their metrics were.
    pub otlp_logged: Rc<RefCell<Logged>>,
}

impl Destination {
    /// Sends `batch` and reports how it went. Never throws and never panics.
    pub async fn send(&self, batch: &Batch) -> Report {
        let plain = |outcome, error: Option<&str>| Report {
            outcome,
            now_ms: now_ms(),
            retry_after_ms: None,
            error: error.map(String::from),
        };
        match self.kind {
            TransportKind::Http => match self.endpoint.as_deref() {
                Some(endpoint) => self.send_fetch(endpoint, &batch.encode(now_ms())).await,
                None => plain(Outcome::Rejected, Some("no endpoint")),
            },
            TransportKind::Otlp => self.send_otlp(batch).await,
            TransportKind::Beacon => {
                let outcome = self.send_beacon(&batch.encode(now_ms()));
                plain(
                    outcome,
                    (outcome != Outcome::Delivered).then_some("sendBeacon refused the body"),
                )
            }
            TransportKind::Console => {
                debug_log(&["batch"], &parse(&batch.encode(now_ms())));
                plain(Outcome::Delivered, None)
            }
            TransportKind::LocalStorage => {
                let outcome = store_locally(batch);
                plain(
                    outcome,
                    (outcome != Outcome::Delivered)
                        .then_some("localStorage is full or unavailable"),
                )
            }
            TransportKind::Custom => {
                let outcome = self.send_custom(batch).await;
                plain(
                    outcome,
                    (outcome != Outcome::Delivered).then_some("customTransport failed"),
                )
            }
        }
    }

    /// Sends the batch's log records to `<endpoint>/v1/logs` and its metrics to
    /// `<endpoint>/v1/metrics`; it is delivered when both are. When the logs are accepted and
    /// the metrics are not, the retry sends only the metrics: log records are never sent twice.
    async fn send_otlp(&self, batch: &Batch) -> Report {
        let base = self
            .endpoint
            .as_deref()
            .unwrap_or_default()
            .trim_end_matches('/');
        let resource = Resource {
            service_name: self.service_name.clone(),
        };
        // The borrow ends here, before any await.
        let export = {
            let none_logged = Logged::default();
            let logged = self.otlp_logged.try_borrow();
            let logged = logged.as_deref().unwrap_or(&none_logged);
            otlp::encode(&batch.events, &resource, now_ms() as i64, logged)
        };
        let mut report = Report {
            outcome: Outcome::Delivered,
            now_ms: now_ms(),
            retry_after_ms: None,
            error: None,
        };
        if let Some(body) = export.logs {
            report = self.send_fetch(&[base, "/v1/logs"].concat(), &body).await;
            if report.outcome == Outcome::Delivered && export.metrics.is_some() {
                if let Ok(mut logged) = self.otlp_logged.try_borrow_mut() {
                    logged.record(&batch.events);
                }
            }
        }
        if report.outcome == Outcome::Delivered {
            if let Some(body) = export.metrics {
                report = self
                    .send_fetch(&[base, "/v1/metrics"].concat(), &body)
                    .await;
            }
        }
        if report.outcome != Outcome::Retry {
            if let Ok(mut logged) = self.otlp_logged.try_borrow_mut() {
                logged.forget(&batch.events);
            }
        }
        report
    }

    async fn send_fetch(&self, endpoint: &str, body: &str) -> Report {
        let report = |outcome, retry_after_ms, error: &str| Report {
            outcome,
            now_ms: now_ms(),
            retry_after_ms,
            error: (!error.is_empty()).then(|| String::from(error)),
        };
        // A page that is going away cannot wait for compression.
        let compressed = if self.keepalive {
            None
        } else {
            gzip_if_smaller(body).await
        };
        let init = RequestInit::new();
        init.set_method("POST");
        init.set_mode(RequestMode::Cors);
        // A request that hangs would stall delivery: abort it after a while (a retryable
        // failure). Keepalive requests are left alone: the page is going away anyway.
        if !self.keepalive {
            let abort_signal = get(&js_sys::global(), "AbortSignal");
            if let Some(signal) = call(
                &abort_signal,
                "timeout",
                &[JsValue::from(REQUEST_TIMEOUT_MS)],
            ) {
                let _ = js_sys::Reflect::set(&init, &"signal".into(), &signal);
            }
        }
        init.set_credentials(RequestCredentials::Omit);
        // `keepalive` is not in web-sys' stable bindings; it is a plain RequestInit member.
        let _ = js_sys::Reflect::set(&init, &"keepalive".into(), &self.keepalive.into());
        match &compressed {
            Some(bytes) => init.set_body(bytes),
            None => init.set_body(&JsValue::from_str(body)),
        }
        if let Ok(headers) = Headers::new() {
            let _ = headers.set("Content-Type", "application/json");
            if compressed.is_some() {
                let _ = headers.set("Content-Encoding", "gzip");
            }
            if let Some(key) = &self.api_key {
                let _ = headers.set("Authorization", &["Bearer ", key].concat());
            }
            init.set_headers(&headers);
        }
        let Ok(promise) = fetch_with_init(endpoint, &init) else {
            return report(Outcome::Retry, None, "fetch could not start");
        };
        let response = match JsFuture::from(promise)
            .await
            .map(|r| r.dyn_into::<Response>())
        {
            Ok(Ok(response)) => response,
            _ => return report(Outcome::Retry, None, "network error or timeout"),
        };
        let status = response.status();
        let retry_after = response
            .headers()
            .get("Retry-After")
            .ok()
            .flatten()
            .and_then(|value| parse_retry_after(&value, now_ms()));
        let outcome = Outcome::from_status(status);
        let mut code = String::new();
        write_integer(&mut code, i64::from(status));
        let error = if outcome == Outcome::Delivered {
            String::new()
        } else {
            ["HTTP ", &code].concat()
        };
        report(outcome, retry_after, &error)
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

/// Bodies shorter than this are sent as they are.
const MIN_GZIP_BYTES: usize = 1024;

/// The body gzipped with `CompressionStream`, when the browser has it and it saves at least
/// 20 %; otherwise `None` (send the text).
async fn gzip_if_smaller(body: &str) -> Option<js_sys::Uint8Array> {
    if body.len() < MIN_GZIP_BYTES {
        return None;
    }
    let global = js_sys::global();
    let construct = |name: &str, args: &js_sys::Array| -> Option<JsValue> {
        let constructor = get(&global, name).dyn_into::<Function>().ok()?;
        js_sys::Reflect::construct(&constructor, args).ok()
    };
    let stream = construct("CompressionStream", &js_sys::Array::of1(&"gzip".into()))?;
    let blob = construct(
        "Blob",
        &js_sys::Array::of1(&js_sys::Array::of1(&body.into())),
    )?;
    let readable = call(&blob, "stream", &[])?;
    let piped = call(&readable, "pipeThrough", &[stream])?;
    let response = construct("Response", &js_sys::Array::of1(&piped))?;
    let buffer = call(&response, "arrayBuffer", &[])?;
    let buffer = JsFuture::from(buffer.dyn_into::<Promise>().ok()?)
        .await
        .ok()?;
    let bytes = js_sys::Uint8Array::new(&buffer);
    (f64::from(bytes.length()) <= body.len() as f64 * 0.8).then_some(bytes)
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
