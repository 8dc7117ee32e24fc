//! Data-subject rights for the hashed user id the SDK sends: access, export and erasure.

use crate::log::{log, Level};
use crate::routes::{now_ms, with_store, App};
use axum::extract::{Path, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde_json::{json, Map, Value};
use std::collections::BTreeSet;
use std::sync::Arc;

/// `GET /api/users/{id}`: what is stored about the user: counts, dates, sessions, and the events.
pub async fn access(State(app): State<Arc<App>>, Path(id): Path<String>) -> Response {
    let user = id.clone();
    match with_store(&app, move |store| store.user_events(&user)).await {
        Ok(events) => {
            let mut types = Map::new();
            let mut sessions = BTreeSet::new();
            for event in &events {
                let kind = event["type"].as_str().unwrap_or_default().to_string();
                let n = types.get(&kind).and_then(Value::as_u64).unwrap_or(0);
                types.insert(kind, (n + 1).into());
                sessions.extend(event["sessionId"].as_str().map(String::from));
            }
            let times = events.iter().filter_map(|e| e["timestamp"].as_i64());
            Json(json!({
                "userId": id,
                "count": events.len(),
                "firstSeen": times.clone().min(),
                "lastSeen": times.max(),
                "sessions": sessions,
                "types": types,
                "events": events,
            }))
            .into_response()
        }
        Err(response) => response,
    }
}

/// `GET /api/users/{id}/export`: every event of the user as a portable JSON download.
pub async fn export(State(app): State<Arc<App>>, Path(id): Path<String>) -> Response {
    let user = id.clone();
    match with_store(&app, move |store| store.user_events(&user)).await {
        Ok(events) => (
            [(
                header::CONTENT_DISPOSITION,
                "attachment; filename=\"telemetry-export.json\"",
            )],
            Json(json!({
                "format": "wasm-telemetry-export/1",
                "exportedAt": now_ms(),
                "userId": id,
                "events": events,
            })),
        )
            .into_response(),
        Err(response) => response,
    }
}

/// `DELETE /api/users/{id}`: erases every event of the user.
pub async fn erase(State(app): State<Arc<App>>, Path(id): Path<String>) -> Response {
    let user = id.clone();
    match with_store(&app, move |store| store.delete_user(&user)).await {
        Ok(deleted) => {
            log(Level::Info, "user.erased", json!({ "events": deleted }));
            Json(json!({ "success": true, "data": { "deleted": deleted }, "errors": [] }))
                .into_response()
        }
        Err(response) => response,
    }
}
