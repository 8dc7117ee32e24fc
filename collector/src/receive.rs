//! `POST /v1/events`: origin, key and rate checks, body limit, gzip, validation, storage.

use crate::ingest::{parse_batch, response};
use crate::routes::{bearer, failure, now_ms, origin_allowed, same_secret, with_store, App};
use axum::body::{to_bytes, Body, Bytes};
use axum::extract::{RawQuery, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde_json::json;
use std::sync::Arc;
use wasm_telemetry_rules::events::LLM_CALL_EVENT;

/// Largest accepted request body, before and after decompression.
pub const MAX_BODY_BYTES: usize = 1024 * 1024;

/// The `key` query parameter (beacons cannot set headers).
fn query_key(query: Option<&str>) -> Option<String> {
    query?
        .split('&')
        .filter_map(|pair| pair.split_once('='))
        .find(|(name, _)| *name == "key")
        .map(|(_, value)| percent_decode(value))
}

fn percent_decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = |b: u8| (b as char).to_digit(16);
        match bytes[i] {
            b'%' if i + 2 < bytes.len() => match (hex(bytes[i + 1]), hex(bytes[i + 2])) {
                (Some(h), Some(l)) => {
                    out.push((h * 16 + l) as u8);
                    i += 3;
                    continue;
                }
                _ => out.push(b'%'),
            },
            b'+' => out.push(b' '),
            b => out.push(b),
        }
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// Accepts a batch as JSON or `text/plain` (what `sendBeacon` sends), plain or gzipped.
pub async fn ingest(
    State(app): State<Arc<App>>,
    RawQuery(query): RawQuery,
    headers: HeaderMap,
    body: Body,
) -> Response {
    let settings = &app.settings;
    if let Some(origin) = headers.get(header::ORIGIN).and_then(|o| o.to_str().ok()) {
        if !origin_allowed(settings, origin) {
            return failure(
                StatusCode::FORBIDDEN,
                "ORIGIN_NOT_ALLOWED",
                "this origin may not send events",
                "Origin",
            );
        }
    }
    let key = bearer(&headers)
        .map(String::from)
        .or_else(|| query_key(query.as_deref()));
    if !settings.ingest_keys.is_empty()
        && !key.as_deref().is_some_and(|k| {
            settings
                .ingest_keys
                .iter()
                .any(|known| same_secret(k, known))
        })
    {
        return failure(
            StatusCode::UNAUTHORIZED,
            "UNAUTHORIZED",
            "send an ingest key: Authorization: Bearer <key>, or ?key=<key> for beacons",
            "key",
        );
    }
    if let Err(wait_s) = app
        .limiter
        .take(key.as_deref().unwrap_or("(open)"), app.clock_s())
    {
        let mut response = failure(
            StatusCode::TOO_MANY_REQUESTS,
            "RATE_LIMITED",
            "too many requests for this key",
            "",
        );
        let seconds = wait_s.ceil().max(1.0) as u64;
        if let Ok(value) = HeaderValue::from_str(&seconds.to_string()) {
            response.headers_mut().insert(header::RETRY_AFTER, value);
        }
        return response;
    }
    let Ok(body) = to_bytes(body, MAX_BODY_BYTES).await else {
        return failure(
            StatusCode::PAYLOAD_TOO_LARGE,
            "TOO_LARGE",
            "body is larger than 1 MB",
            "",
        );
    };
    let gzipped = headers
        .get(header::CONTENT_ENCODING)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.trim().eq_ignore_ascii_case("gzip"));
    let body = if gzipped {
        match gunzip(&body) {
            Ok(plain) => Bytes::from(plain),
            Err(response) => return *response,
        }
    } else {
        body
    };
    let mut batch = match parse_batch(&body) {
        Ok(batch) => batch,
        Err(errors) => {
            return (
                StatusCode::BAD_REQUEST,
                Json(response(false, json!(null), &errors)),
            )
                .into_response()
        }
    };
    for event in batch.events.iter_mut().filter(|e| e.kind == LLM_CALL_EVENT) {
        app.prices.reprice(&mut event.data);
    }
    match with_store(&app, move |store| store.insert(&batch, now_ms())).await {
        Ok(stored) => Json(response(
            true,
            json!({
                "accepted": stored.accepted.len(),
                "duplicates": stored.duplicates,
                "recordIds": stored.accepted,
            }),
            &[],
        ))
        .into_response(),
        Err(response) => response,
    }
}

/// Decompresses a gzip body, refusing more than [`MAX_BODY_BYTES`] of output (zip bombs).
fn gunzip(body: &[u8]) -> Result<Vec<u8>, Box<Response>> {
    use std::io::Read;
    let mut plain = Vec::new();
    let read = flate2::read::GzDecoder::new(body)
        .take(MAX_BODY_BYTES as u64 + 1)
        .read_to_end(&mut plain);
    match read {
        Err(_) => Err(Box::new(failure(
            StatusCode::BAD_REQUEST,
            "INVALID_ENCODING",
            "body is not valid gzip",
            "Content-Encoding",
        ))),
        Ok(_) if plain.len() > MAX_BODY_BYTES => Err(Box::new(failure(
            StatusCode::PAYLOAD_TOO_LARGE,
            "TOO_LARGE",
            "decompressed body is larger than 1 MB",
            "",
        ))),
        Ok(_) => Ok(plain),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_key_is_read_from_the_query_and_decoded() {
        assert_eq!(query_key(Some("a=1&key=k%2By+z")).as_deref(), Some("k+y z"));
        assert_eq!(query_key(Some("key=%zz%")).as_deref(), Some("%zz%"));
        assert_eq!(query_key(Some("x=1")), None);
        assert_eq!(query_key(None), None);
    }
}
