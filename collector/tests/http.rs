//! The collector's HTTP contract, exercised through the real router and an in-memory store.

use axum::body::{to_bytes, Body};
use axum::http::{header, Method, Request, StatusCode};
use axum::Router;
use serde_json::{json, Value};
use std::sync::Arc;
use tower::ServiceExt;
use wasm_telemetry_collector::{router, Store};

fn app() -> Router {
    router(Arc::new(Store::in_memory().unwrap()))
}

fn batch(ids: &[&str]) -> String {
    let events: Vec<Value> = ids
        .iter()
        .map(|id| {
            json!({"id": id, "type": "page.view", "timestamp": 1_700_000_000_000u64,
                   "sessionId": "s", "data": {"id": id}, "context": {"url": "http://x/"}})
        })
        .collect();
    json!({"batchId": "b1", "sentAt": 1, "sdk": {"name": "wasm-telemetry", "version": "0"}, "events": events})
        .to_string()
}

async fn send(app: &Router, request: Request<Body>) -> (StatusCode, axum::http::HeaderMap, Value) {
    let response = app.clone().oneshot(request).await.unwrap();
    let status = response.status();
    let headers = response.headers().clone();
    let bytes = to_bytes(response.into_body(), usize::MAX).await.unwrap();
    let body = serde_json::from_slice(&bytes).unwrap_or(Value::Null);
    (status, headers, body)
}

fn post(body: impl Into<Body>, content_type: &str) -> Request<Body> {
    Request::post("/v1/events")
        .header(header::CONTENT_TYPE, content_type)
        .body(body.into())
        .unwrap()
}

#[tokio::test]
async fn stores_a_batch_and_acknowledges_duplicates_without_storing_them_twice() {
    let app = app();
    let (status, headers, body) = send(&app, post(batch(&["a", "b"]), "application/json")).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(headers[header::ACCESS_CONTROL_ALLOW_ORIGIN], "*");
    assert_eq!(
        body,
        json!({"success": true, "data": {"accepted": 2, "duplicates": 0}, "errors": []})
    );

    let (_, _, body) = send(&app, post(batch(&["b", "c"]), "application/json")).await;
    assert_eq!(body["data"], json!({"accepted": 1, "duplicates": 1}));

    let list = Request::get("/api/events").body(Body::empty()).unwrap();
    let (status, _, body) = send(&app, list).await;
    assert_eq!(status, StatusCode::OK);
    let ids: Vec<&str> = body["events"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["id"].as_str().unwrap())
        .collect();
    assert_eq!(ids, ["a", "b", "c"]);
    assert_eq!(body["events"][0]["data"], json!({"id": "a"}));
}

#[tokio::test]
async fn accepts_text_plain_bodies_as_beacons_send_them() {
    let app = app();
    let (status, _, body) = send(&app, post(batch(&["beacon"]), "text/plain;charset=UTF-8")).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(body["data"]["accepted"], 1);
}

#[tokio::test]
async fn answers_cors_preflights() {
    let request = Request::builder()
        .method(Method::OPTIONS)
        .uri("/v1/events")
        .header(header::ORIGIN, "http://127.0.0.1:9999")
        .header(header::ACCESS_CONTROL_REQUEST_METHOD, "POST")
        .header(header::ACCESS_CONTROL_REQUEST_HEADERS, "content-type")
        .body(Body::empty())
        .unwrap();
    let (status, headers, _) = send(&app(), request).await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    assert_eq!(headers[header::ACCESS_CONTROL_ALLOW_ORIGIN], "*");
    assert!(headers[header::ACCESS_CONTROL_ALLOW_METHODS]
        .to_str()
        .unwrap()
        .contains("POST"));
    assert!(headers[header::ACCESS_CONTROL_ALLOW_HEADERS]
        .to_str()
        .unwrap()
        .contains("Content-Type"));
}

#[tokio::test]
async fn invalid_batches_get_400_naming_the_field_and_nothing_is_stored() {
    let app = app();
    let mut body: Value = serde_json::from_str(&batch(&["a", "b"])).unwrap();
    body["events"][1]["timestamp"] = json!("yesterday");
    let (status, _, response) = send(&app, post(body.to_string(), "application/json")).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(response["success"], false);
    assert_eq!(response["errors"][0]["field"], "events[1].timestamp");
    assert_eq!(response["errors"][0]["code"], "VALIDATION_ERROR");

    let (status, _, response) = send(&app, post("{not json", "application/json")).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(response["errors"][0]["code"], "INVALID_JSON");

    let (_, _, list) = send(
        &app,
        Request::get("/api/events").body(Body::empty()).unwrap(),
    )
    .await;
    assert_eq!(list["count"], 0);
}

#[tokio::test]
async fn oversized_bodies_get_413() {
    let huge = format!(
        "{{\"events\":[],\"pad\":\"{}\"}}",
        "x".repeat(2 * 1024 * 1024)
    );
    let (status, _, _) = send(&app(), post(huge, "application/json")).await;
    assert_eq!(status, StatusCode::PAYLOAD_TOO_LARGE);
}

#[tokio::test]
async fn health_reports_the_event_count() {
    let app = app();
    send(&app, post(batch(&["a"]), "application/json")).await;
    let (status, _, body) = send(&app, Request::get("/health").body(Body::empty()).unwrap()).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(body, json!({"status": "ok", "events": 1}));
}

#[tokio::test]
async fn accepts_gzipped_bodies_and_refuses_broken_or_bombing_ones() {
    use flate2::{write::GzEncoder, Compression};
    use std::io::Write;
    let gzip = |data: &[u8]| {
        let mut encoder = GzEncoder::new(Vec::new(), Compression::default());
        encoder.write_all(data).unwrap();
        encoder.finish().unwrap()
    };
    let app = app();
    let gzipped = |body: Vec<u8>| {
        Request::post("/v1/events")
            .header(header::CONTENT_TYPE, "application/json")
            .header(header::CONTENT_ENCODING, "gzip")
            .body(Body::from(body))
            .unwrap()
    };
    let (status, _, body) = send(&app, gzipped(gzip(batch(&["z1", "z2"]).as_bytes()))).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(body["data"], json!({"accepted": 2, "duplicates": 0}));

    let (status, _, body) = send(&app, gzipped(b"not gzip".to_vec())).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(body["errors"][0]["code"], "INVALID_ENCODING");

    let bomb = gzip(&vec![b' '; 5 * 1024 * 1024]);
    assert!(bomb.len() < 64 * 1024);
    let (status, _, _) = send(&app, gzipped(bomb)).await;
    assert_eq!(status, StatusCode::PAYLOAD_TOO_LARGE);
}
