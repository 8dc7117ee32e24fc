//! HTTP routes: `POST /v1/events` (ingest), `GET /api/events` (list), `GET /health`.

use crate::ingest::{parse_batch, response, FieldError};
use crate::store::{EventQuery, Store};
use axum::body::Bytes;
use axum::extract::{DefaultBodyLimit, Query, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{middleware, Json, Router};
use serde::Deserialize;
use serde_json::json;
use std::sync::Arc;
use std::time::{SystemTime, UNIX_EPOCH};

/// Largest accepted request body (a client keeps each under 60 KB; this leaves headroom).
pub const MAX_BODY_BYTES: usize = 1024 * 1024;

/// Builds the collector's router over `store`.
pub fn router(store: Arc<Store>) -> Router {
    Router::new()
        .route("/v1/events", post(ingest).options(preflight))
        .route("/api/events", get(list_events).options(preflight))
        .route("/health", get(health))
        .layer(DefaultBodyLimit::max(MAX_BODY_BYTES))
        .layer(middleware::map_response(allow_cross_origin))
        .with_state(store)
}

/// Any page may send (the SDK omits credentials), so every response allows any origin.
async fn allow_cross_origin(mut response: Response) -> Response {
    let headers = response.headers_mut();
    headers.insert(
        header::ACCESS_CONTROL_ALLOW_ORIGIN,
        HeaderValue::from_static("*"),
    );
    headers.insert(
        header::ACCESS_CONTROL_EXPOSE_HEADERS,
        HeaderValue::from_static("Retry-After"),
    );
    response
}

async fn preflight() -> Response {
    (
        StatusCode::NO_CONTENT,
        [
            (header::ACCESS_CONTROL_ALLOW_METHODS, "GET, POST, OPTIONS"),
            (
                header::ACCESS_CONTROL_ALLOW_HEADERS,
                "Content-Type, Authorization, Content-Encoding",
            ),
            (header::ACCESS_CONTROL_MAX_AGE, "600"),
        ],
    )
        .into_response()
}

fn now_ms() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_millis() as i64)
        .unwrap_or(0)
}

/// Accepts a batch as JSON or `text/plain` (what `sendBeacon` sends), plain or gzipped.
async fn ingest(State(store): State<Arc<Store>>, headers: HeaderMap, body: Bytes) -> Response {
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
    let batch = match parse_batch(&body) {
        Ok(batch) => batch,
        Err(errors) => {
            return (
                StatusCode::BAD_REQUEST,
                Json(response(false, json!(null), &errors)),
            )
                .into_response()
        }
    };
    let stored = tokio::task::spawn_blocking(move || store.insert(&batch, now_ms())).await;
    match stored {
        Ok(Ok(stored)) => Json(response(
            true,
            json!({ "accepted": stored.accepted, "duplicates": stored.duplicates }),
            &[],
        ))
        .into_response(),
        Ok(Err(error)) => storage_failure(error.to_string()),
        Err(error) => storage_failure(error.to_string()),
    }
}

/// Decompresses a gzip body, refusing more than [`MAX_BODY_BYTES`] of output (zip bombs).
fn gunzip(body: &[u8]) -> Result<Vec<u8>, Box<Response>> {
    use std::io::Read;
    let mut plain = Vec::new();
    let read = flate2::read::GzDecoder::new(body)
        .take(MAX_BODY_BYTES as u64 + 1)
        .read_to_end(&mut plain);
    let refuse = |status, code, message: &str| {
        let error = FieldError {
            code,
            message: message.into(),
            field: String::new(),
        };
        Err(Box::new(
            (status, Json(response(false, json!(null), &[error]))).into_response(),
        ))
    };
    match read {
        Err(_) => refuse(
            StatusCode::BAD_REQUEST,
            "INVALID_ENCODING",
            "body is not valid gzip",
        ),
        Ok(_) if plain.len() > MAX_BODY_BYTES => refuse(
            StatusCode::PAYLOAD_TOO_LARGE,
            "TOO_LARGE",
            "decompressed body is too large",
        ),
        Ok(_) => Ok(plain),
    }
}

fn storage_failure(message: String) -> Response {
    eprintln!(
        "{}",
        json!({ "level": "error", "event": "store.failed", "message": message })
    );
    let error = FieldError {
        code: "STORAGE_ERROR",
        message: "could not store events".into(),
        field: String::new(),
    };
    (
        StatusCode::SERVICE_UNAVAILABLE,
        [(header::RETRY_AFTER, "5")],
        Json(response(false, json!(null), &[error])),
    )
        .into_response()
}

#[derive(Debug, Deserialize)]
struct ListParams {
    #[serde(rename = "type")]
    kind: Option<String>,
    #[serde(rename = "sessionId")]
    session_id: Option<String>,
    limit: Option<u32>,
}

/// Lists stored events (oldest first, at most `limit`, default 1000).
async fn list_events(
    State(store): State<Arc<Store>>,
    Query(params): Query<ListParams>,
) -> Response {
    let query = EventQuery {
        kind: params.kind,
        session_id: params.session_id,
        limit: params.limit,
    };
    match tokio::task::spawn_blocking(move || store.list(&query)).await {
        Ok(Ok(events)) => Json(json!({ "count": events.len(), "events": events })).into_response(),
        Ok(Err(error)) => storage_failure(error.to_string()),
        Err(error) => storage_failure(error.to_string()),
    }
}

async fn health(State(store): State<Arc<Store>>) -> Response {
    match tokio::task::spawn_blocking(move || store.count()).await {
        Ok(Ok(events)) => Json(json!({ "status": "ok", "events": events })).into_response(),
        _ => (
            StatusCode::SERVICE_UNAVAILABLE,
            Json(json!({ "status": "unavailable" })),
        )
            .into_response(),
    }
}
