//! The collector's HTTP contract over real HTTP on 127.0.0.1, against a real SQLite file.

use serde_json::{json, Value};
use std::path::PathBuf;
use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::Arc;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;
use wasm_telemetry_collector::{router, App, Settings, Store};

const KEY: &str = "ingest-key-1";
const ADMIN: &str = "admin-token-1";

struct Server {
    address: String,
    db: PathBuf,
    task: tokio::task::JoinHandle<()>,
}

impl Drop for Server {
    fn drop(&mut self) {
        self.task.abort();
    }
}

/// A fresh database file in the system's temporary directory.
fn temp_db() -> PathBuf {
    static NEXT: AtomicU32 = AtomicU32::new(0);
    let dir = std::env::temp_dir().join(format!(
        "wt-collector-test-{}-{}",
        std::process::id(),
        NEXT.fetch_add(1, Ordering::Relaxed)
    ));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir.join("events.db")
}

async fn start(configure: impl FnOnce(&mut Settings)) -> Server {
    let db = temp_db();
    let mut settings = Settings {
        db: db.clone(),
        ingest_keys: vec![KEY.into()],
        admin_token: Some(ADMIN.into()),
        rate_limit: 0.0,
        ..Settings::default()
    };
    configure(&mut settings);
    let store = Arc::new(Store::open(&settings.db).unwrap());
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = listener.local_addr().unwrap().to_string();
    let app = router(App::new(store, settings));
    let task = tokio::spawn(async move {
        axum::serve(listener, app).await.unwrap();
    });
    Server { address, db, task }
}

struct Reply {
    status: u16,
    headers: Vec<(String, String)>,
    text: String,
}

impl Reply {
    fn json(&self) -> Value {
        serde_json::from_str(&self.text).unwrap_or(Value::Null)
    }

    fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
}

/// One HTTP/1.1 request on its own connection.
async fn request(
    server: &Server,
    method: &str,
    path: &str,
    headers: &[(&str, &str)],
    body: &[u8],
) -> Reply {
    let mut stream = TcpStream::connect(&server.address).await.unwrap();
    let mut head = format!(
        "{method} {path} HTTP/1.1\r\nHost: {}\r\nConnection: close\r\nContent-Length: {}\r\n",
        server.address,
        body.len()
    );
    for (name, value) in headers {
        head.push_str(&format!("{name}: {value}\r\n"));
    }
    head.push_str("\r\n");
    stream.write_all(head.as_bytes()).await.unwrap();
    // The server may answer (413, 401) before reading a large body and close; that is fine.
    let _ = stream.write_all(body).await;
    let mut raw = Vec::new();
    let _ = stream.read_to_end(&mut raw).await;
    let split = raw
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .expect("a response head");
    let head = String::from_utf8_lossy(&raw[..split]).to_string();
    let mut lines = head.lines();
    let status = lines
        .next()
        .unwrap()
        .split(' ')
        .nth(1)
        .unwrap()
        .parse()
        .unwrap();
    let headers: Vec<(String, String)> = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(n, v)| (n.trim().to_string(), v.trim().to_string()))
        .collect();
    let mut body = raw[split + 4..].to_vec();
    let chunked = headers
        .iter()
        .any(|(n, v)| n.eq_ignore_ascii_case("transfer-encoding") && v.contains("chunked"));
    if chunked {
        let mut plain = Vec::new();
        let mut rest = &body[..];
        while let Some(end) = rest.windows(2).position(|w| w == b"\r\n") {
            let size = usize::from_str_radix(std::str::from_utf8(&rest[..end]).unwrap().trim(), 16)
                .unwrap();
            if size == 0 {
                break;
            }
            plain.extend_from_slice(&rest[end + 2..end + 2 + size]);
            rest = &rest[end + 4 + size..];
        }
        body = plain;
    }
    Reply {
        status,
        headers,
        text: String::from_utf8_lossy(&body).to_string(),
    }
}

async fn post(server: &Server, body: &str, key: Option<&str>) -> Reply {
    let auth = key.map(|k| format!("Bearer {k}"));
    let mut headers = vec![("Content-Type", "application/json")];
    if let Some(auth) = &auth {
        headers.push(("Authorization", auth));
    }
    request(server, "POST", "/v1/events", &headers, body.as_bytes()).await
}

async fn admin(server: &Server, method: &str, path: &str) -> Reply {
    let auth = format!("Bearer {ADMIN}");
    request(server, method, path, &[("Authorization", &auth)], b"").await
}

fn now_ms() -> i64 {
    wasm_telemetry_collector::routes::now_ms()
}

fn event(id: &str, kind: &str, timestamp: i64, data: Value) -> Value {
    json!({"id": id, "type": kind, "timestamp": timestamp, "sessionId": "s1",
           "data": data, "context": {"url": "http://x/"}})
}

fn batch(events: Vec<Value>) -> String {
    json!({"batchId": "b1", "sentAt": 1, "sdk": {"name": "wasm-telemetry", "version": "0"}, "events": events})
        .to_string()
}

fn views(ids: &[&str]) -> String {
    batch(
        ids.iter()
            .map(|id| event(id, "page.view", now_ms(), json!({"id": id})))
            .collect(),
    )
}

/// The API's error envelope with one error of `code`.
fn assert_failure(reply: &Reply, status: u16, code: &str) -> Value {
    assert_eq!(reply.status, status, "{}", reply.text);
    let body = reply.json();
    assert_eq!(body["success"], false);
    assert_eq!(body["data"], Value::Null);
    let error = &body["errors"][0];
    assert_eq!(error["code"], code, "{body}");
    assert!(error["message"].as_str().is_some_and(|m| !m.is_empty()));
    assert!(error["field"].is_string());
    error.clone()
}

#[tokio::test]
async fn a_valid_batch_is_stored_once_and_sent_again_is_all_duplicates() {
    let server = start(|_| {}).await;
    let reply = post(&server, &views(&["a", "b"]), Some(KEY)).await;
    assert_eq!(reply.status, 200);
    assert_eq!(
        reply.json(),
        json!({"success": true, "data": {"accepted": 2, "duplicates": 0, "recordIds": ["a", "b"]}, "errors": []})
    );
    let again = post(&server, &views(&["a", "b"]), Some(KEY)).await;
    assert_eq!(
        again.json()["data"],
        json!({"accepted": 0, "duplicates": 2, "recordIds": []})
    );
    let listed = admin(&server, "GET", "/api/events").await.json();
    assert_eq!(listed["count"], 2);
    assert_eq!(listed["events"][0]["data"], json!({"id": "a"}));
}

#[tokio::test]
async fn broken_json_wrong_types_oversize_no_key_and_too_fast_get_their_4xx() {
    let server = start(|_| {}).await;
    assert_failure(
        &post(&server, "{not json", Some(KEY)).await,
        400,
        "INVALID_JSON",
    );
    let mut wrong: Value = serde_json::from_str(&views(&["a", "b"])).unwrap();
    wrong["events"][1]["timestamp"] = json!("yesterday");
    let error = assert_failure(
        &post(&server, &wrong.to_string(), Some(KEY)).await,
        400,
        "VALIDATION_ERROR",
    );
    assert_eq!(error["field"], "events[1].timestamp");
    let huge = format!(
        "{{\"events\":[],\"pad\":\"{}\"}}",
        "x".repeat(2 * 1024 * 1024)
    );
    assert_failure(&post(&server, &huge, Some(KEY)).await, 413, "TOO_LARGE");
    let error = assert_failure(
        &post(&server, &views(&["c"]), None).await,
        401,
        "UNAUTHORIZED",
    );
    assert_eq!(error["field"], "key");
    assert_failure(
        &post(&server, &views(&["c"]), Some("wrong")).await,
        401,
        "UNAUTHORIZED",
    );
    assert_eq!(
        admin(&server, "GET", "/api/events").await.json()["count"],
        0
    );

    // One request per 20 s per key (slow enough that no stall of this machine refills the
    // bucket between the two requests): the second in a row waits.
    let slow = start(|s| s.rate_limit = 0.05).await;
    assert_eq!(post(&slow, &views(&["d"]), Some(KEY)).await.status, 200);
    let limited = post(&slow, &views(&["e"]), Some(KEY)).await;
    assert_failure(&limited, 429, "RATE_LIMITED");
    let wait: u32 = limited.header("Retry-After").unwrap().parse().unwrap();
    assert!((19..=20).contains(&wait), "Retry-After {wait}");
    assert_eq!(admin(&slow, "GET", "/api/events").await.json()["count"], 1);
}

#[tokio::test]
async fn beacons_send_text_plain_with_the_key_in_the_url() {
    let server = start(|_| {}).await;
    let body = views(&["beacon"]);
    let path = format!("/v1/events?key={KEY}");
    let reply = request(
        &server,
        "POST",
        &path,
        &[("Content-Type", "text/plain;charset=UTF-8")],
        body.as_bytes(),
    )
    .await;
    assert_eq!(reply.status, 200);
    assert_eq!(reply.json()["data"]["accepted"], 1);
}

#[tokio::test]
async fn only_allowed_origins_may_send_and_they_are_echoed() {
    let server = start(|s| s.allowed_origins = Some(vec!["http://app.test".into()])).await;
    let body = views(&["o"]);
    let auth = format!("Bearer {KEY}");
    let from = |origin: &'static str| {
        vec![
            ("Content-Type", "application/json"),
            ("Origin", origin),
            ("Authorization", auth.as_str()),
        ]
    };
    let ok = request(
        &server,
        "POST",
        "/v1/events",
        &from("http://app.test"),
        body.as_bytes(),
    )
    .await;
    assert_eq!(ok.status, 200);
    assert_eq!(
        ok.header("Access-Control-Allow-Origin"),
        Some("http://app.test")
    );
    assert_eq!(ok.header("Vary"), Some("Origin"));
    let evil = request(
        &server,
        "POST",
        "/v1/events",
        &from("http://evil.test"),
        body.as_bytes(),
    )
    .await;
    assert_failure(&evil, 403, "ORIGIN_NOT_ALLOWED");
    assert_eq!(evil.header("Access-Control-Allow-Origin"), None);
    let preflight = request(
        &server,
        "OPTIONS",
        "/v1/events",
        &[
            ("Origin", "http://app.test"),
            ("Access-Control-Request-Method", "POST"),
        ],
        b"",
    )
    .await;
    assert_eq!(preflight.status, 204);
    assert!(preflight
        .header("Access-Control-Allow-Headers")
        .unwrap()
        .contains("Authorization"));
}

#[tokio::test]
async fn gzipped_bodies_are_accepted_and_broken_or_bombing_ones_refused() {
    use flate2::{write::GzEncoder, Compression};
    use std::io::Write;
    let gzip = |data: &[u8]| {
        let mut encoder = GzEncoder::new(Vec::new(), Compression::default());
        encoder.write_all(data).unwrap();
        encoder.finish().unwrap()
    };
    let server = start(|_| {}).await;
    let auth = format!("Bearer {KEY}");
    let headers = [
        ("Content-Type", "application/json"),
        ("Content-Encoding", "gzip"),
        ("Authorization", auth.as_str()),
    ];
    let reply = request(
        &server,
        "POST",
        "/v1/events",
        &headers,
        &gzip(views(&["z1", "z2"]).as_bytes()),
    )
    .await;
    assert_eq!(reply.json()["data"]["accepted"], 2);
    assert_failure(
        &request(&server, "POST", "/v1/events", &headers, b"not gzip").await,
        400,
        "INVALID_ENCODING",
    );
    let bomb = gzip(&vec![b' '; 5 * 1024 * 1024]);
    assert!(bomb.len() < 64 * 1024);
    assert_failure(
        &request(&server, "POST", "/v1/events", &headers, &bomb).await,
        413,
        "TOO_LARGE",
    );
}

#[tokio::test]
async fn the_admin_apis_need_the_admin_token() {
    let server = start(|_| {}).await;
    for path in [
        "/api/events",
        "/api/metrics/current",
        "/api/llm/costs",
        "/api/pricing",
        "/api/users/u1",
    ] {
        let reply = request(&server, "GET", path, &[], b"").await;
        assert_failure(&reply, 401, "UNAUTHORIZED");
        let wrong = request(
            &server,
            "GET",
            path,
            &[("Authorization", "Bearer nope")],
            b"",
        )
        .await;
        assert_eq!(wrong.status, 401);
        assert_eq!(admin(&server, "GET", path).await.status, 200, "{path}");
    }
    let health = request(&server, "GET", "/health", &[], b"").await;
    assert_eq!(health.json(), json!({"status": "ok", "events": 0}));
}

/// A call of `tokens` (input, output) that the client priced at `cost`.
fn llm_call(id: &str, at: i64, model: &str, user: &str, cost: f64, success: bool) -> Value {
    llm_call_of(id, at, model, user, (100, 20), cost, success)
}

fn llm_call_of(
    id: &str,
    at: i64,
    model: &str,
    user: &str,
    tokens: (u64, u64),
    cost: f64,
    success: bool,
) -> Value {
    event(
        id,
        "gen_ai.call",
        at,
        json!({
            "gen_ai.provider.name": "openai", "gen_ai.request.model": model, "user.id": user,
            "gen_ai.usage.input_tokens": tokens.0, "gen_ai.usage.output_tokens": tokens.1,
            "latencyMs": 300, "success": success, "space": "docs",
            "cost": {"totalCost": cost, "priced": true},
        }),
    )
}

#[tokio::test]
async fn an_admin_updates_the_price_table_and_later_calls_are_priced_with_it() {
    let server = start(|_| {}).await;
    let auth = format!("Bearer {ADMIN}");
    let put = |body: &'static str| {
        let auth = auth.clone();
        let server = &server;
        async move {
            request(
                server,
                "PUT",
                "/api/pricing",
                &[("Authorization", &auth)],
                body.as_bytes(),
            )
            .await
        }
    };
    let status = admin(&server, "GET", "/api/pricing").await.json();
    assert_eq!(status["data"]["source"], "@pydantic/genai-prices");
    let before = status["data"]["models"].as_u64().unwrap();
    // A LiteLLM entry for a model the bundled table lacks, and one that reprices gpt-4o.
    let reply = put(r#"{"house-llm": {"mode": "chat", "input_cost_per_token": 1e-06, "output_cost_per_token": 2e-06},
        "gpt-4o": {"input_cost_per_token": 5e-06, "output_cost_per_token": 2e-05, "litellm_provider": "openai"}}"#)
    .await;
    assert_eq!(reply.status, 200, "{}", reply.text);
    assert_eq!(reply.json()["data"]["added"], 2);
    assert_eq!(reply.json()["data"]["models"].as_u64(), Some(before + 1));
    let now = now_ms();
    let calls = vec![
        llm_call_of(
            "p1",
            now - 10,
            "house-llm",
            "u1",
            (1_000_000, 500_000),
            2.0,
            true,
        ),
        llm_call_of(
            "p2",
            now - 20,
            "gpt-4o-2024-08-06",
            "u1",
            (100_000, 10_000),
            0.35,
            true,
        ),
    ];
    post(&server, &batch(calls), Some(KEY)).await;
    let events = admin(&server, "GET", "/api/events?type=gen_ai.call")
        .await
        .json();
    let priced: Vec<(String, f64, bool)> = events["events"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            let d = &e["data"];
            let cost = d["collectorCost"]["totalCost"].as_f64().unwrap();
            (
                d["gen_ai.request.model"].as_str().unwrap().to_string(),
                (cost * 1e9).round() / 1e9,
                d["costMismatch"] == json!(true),
            )
        })
        .collect();
    assert!(
        priced.contains(&("house-llm".into(), 2.0, false)),
        "{priced:?}"
    );
    // The client priced gpt-4o with the bundled 2.5 and 10: flagged as stale.
    assert!(
        priced.contains(&("gpt-4o-2024-08-06".into(), 0.7, true)),
        "{priced:?}"
    );
    // The other two formats: the SDK's own, and genai-prices' provider data with a tier.
    let own = put(r#"{"own-llm": {"input": 3, "output": 6, "aliases": ["own-llm-v1"]}}"#).await;
    assert_eq!(own.json()["data"]["added"], 1, "{}", own.text);
    let dataset = put(
        r#"[{"id": "acme", "models": [{"id": "acme-1", "match": {"equals": "acme-1"},
            "prices": {"input_mtok": {"base": 1, "tiers": [{"start": 100000, "price": 2}]}, "output_mtok": 4}}]}]"#,
    )
    .await;
    assert_eq!(dataset.json()["data"]["added"], 1, "{}", dataset.text);
    let later = vec![
        llm_call_of("p3", now - 5, "own-llm-v1", "u1", (1_000_000, 0), 3.0, true),
        llm_call_of("p4", now - 6, "acme-1", "u1", (200_000, 0), 0.4, true),
    ];
    post(&server, &batch(later), Some(KEY)).await;
    let events = admin(&server, "GET", "/api/events?type=gen_ai.call")
        .await
        .json();
    for (id, expected) in [("p3", 3.0), ("p4", 0.4)] {
        let event = events["events"]
            .as_array()
            .unwrap()
            .iter()
            .find(|e| e["id"] == id)
            .unwrap();
        let cost = event["data"]["collectorCost"]["totalCost"]
            .as_f64()
            .unwrap();
        assert!((cost - expected).abs() < 1e-12, "{id}: {cost}");
        assert_eq!(event["data"].get("costMismatch"), None, "{id}");
    }
    let refused = put(r#"{"m": {"input": 1, "output": "free"}}"#).await;
    assert_failure(&refused, 400, "VALIDATION_ERROR");
    assert!(
        refused
            .text
            .contains("pricing.m.output must be a non-negative number"),
        "{}",
        refused.text
    );
    assert_failure(&put("not json").await, 400, "VALIDATION_ERROR");
}

#[tokio::test]
async fn metrics_alerts_error_groups_and_llm_costs_are_computed_from_what_was_stored() {
    let server = start(|_| {}).await;
    let now = now_ms();
    let mut events = vec![
        // gpt-4o at 2.5 and 10 per million tokens, as the clients priced them.
        llm_call_of(
            "c1",
            now - 1000,
            "gpt-4o",
            "u1",
            (100_000, 25_000),
            0.5,
            true,
        ),
        llm_call_of(
            "c2",
            now - 2000,
            "gpt-4o",
            "u2",
            (50_000, 12_500),
            0.25,
            false,
        ),
        // o3 at 2 and 8, where this client's table still has its old 10 and 40.
        llm_call_of("c3", now - 3000, "o3", "u1", (250_000, 62_500), 5.0, true),
        event(
            "e1",
            "error",
            now - 500,
            json!({"fingerprint": "f1", "name": "TypeError", "message": "x is undefined"}),
        ),
        event(
            "e2",
            "error",
            now - 400,
            json!({"fingerprint": "f1", "name": "TypeError", "message": "x is undefined"}),
        ),
        event(
            "e3",
            "error",
            now - 300,
            json!({"fingerprint": "f2", "name": "RangeError", "message": "bad"}),
        ),
        event(
            "h1",
            "health.status",
            now - 200,
            json!({"service": "api", "status": "healthy", "system": "healthy"}),
        ),
        event(
            "a1",
            "llm.budget_alert",
            now - 100,
            json!({"type": "budget", "budget": "daily", "level": 0.8}),
        ),
    ];
    for (i, value) in [1000.0, 2000.0, 3000.0, 5000.0].iter().enumerate() {
        events.push(event(
            &format!("v{i}"),
            "web-vital",
            now - 50,
            json!({"name": "LCP", "value": value}),
        ));
    }
    assert_eq!(
        post(&server, &batch(events), Some(KEY)).await.json()["data"]["accepted"],
        12
    );

    let current = admin(&server, "GET", "/api/metrics/current").await.json();
    assert_eq!(current["eventsPerMinute"], 12.0 / 5.0);
    assert_eq!(current["errors"], 3);
    assert_eq!(current["errorRate"], 1.0 / 3.0);
    assert_eq!(current["requestRate"], 3.0 / 60.0);
    assert_eq!(
        current["llm"]["costToday"]
            .as_f64()
            .map(|c| (c * 1e9).round()),
        Some(1.75e9)
    );
    assert_eq!(
        current["vitals"]["LCP"],
        json!({"p75": 3000.0, "rating": "needs-improvement", "count": 4})
    );
    assert_eq!(
        current["health"],
        json!({"system": "healthy", "services": {"api": "healthy"}})
    );

    let minute = now - now % 60_000;
    let path = format!(
        "/api/metrics/historical?type=llm.cost&start={}&end={}&aggregation=minute",
        minute - 120_000,
        minute + 60_000
    );
    let history = admin(&server, "GET", &path).await.json();
    let buckets = history["buckets"].as_array().unwrap();
    assert_eq!(buckets.len(), 3);
    let sum: f64 = buckets.iter().map(|b| b["value"].as_f64().unwrap()).sum();
    assert!((sum - 1.75).abs() < 1e-9);
    // Counted series, which SQLite counts per bucket.
    for (metric, stored) in [
        ("events", 12),
        ("errors", 3),
        ("llm.requests", 3),
        ("web-vital", 4),
        ("page.view", 0),
    ] {
        let path = format!(
            "/api/metrics/historical?type={metric}&start={}&end={}&aggregation=minute",
            minute - 120_000,
            minute + 60_000
        );
        let history = admin(&server, "GET", &path).await.json();
        let buckets = history["buckets"].as_array().unwrap();
        let starts: Vec<i64> = buckets
            .iter()
            .map(|b| b["start"].as_i64().unwrap())
            .collect();
        assert_eq!(
            starts,
            [minute - 120_000, minute - 60_000, minute],
            "{metric}"
        );
        let counted: u64 = buckets.iter().map(|b| b["count"].as_u64().unwrap()).sum();
        let values: f64 = buckets.iter().map(|b| b["value"].as_f64().unwrap()).sum();
        assert_eq!((counted, values), (stored, stored as f64), "{metric}");
        assert_eq!(buckets[0]["count"], 0, "{metric}: nothing two minutes ago");
    }
    let bad = admin(
        &server,
        "GET",
        "/api/metrics/historical?type=events&aggregation=week",
    )
    .await;
    assert_eq!(
        assert_failure(&bad, 400, "VALIDATION_ERROR")["field"],
        "aggregation"
    );
    let bad = admin(
        &server,
        "GET",
        "/api/metrics/historical?type=events&start=x",
    )
    .await;
    assert_eq!(
        assert_failure(&bad, 400, "VALIDATION_ERROR")["field"],
        "start"
    );

    let alerts = admin(&server, "GET", "/api/metrics/alerts").await.json();
    assert_eq!(alerts["alerts"][0]["alert"]["budget"], "daily");

    let groups = admin(&server, "GET", "/api/errors/groups").await.json();
    assert_eq!(groups["groups"][0]["fingerprint"], "f1");
    assert_eq!(groups["groups"][0]["count"], 2);
    assert_eq!(groups["groups"][1]["count"], 1);

    let costs = admin(&server, "GET", "/api/llm/costs?groupBy=model")
        .await
        .json();
    let rows = costs["rows"].as_array().unwrap();
    assert_eq!(rows[0]["key"], "o3");
    // The collector's figure, with the stale client's beside it and flagged.
    assert_eq!(
        (
            rows[0]["cost"].as_f64().map(|c| (c * 1e9).round()),
            &rows[0]["clientCost"]
        ),
        (Some(1e9), &json!(5.0))
    );
    assert_eq!(
        (&rows[0]["costMismatches"], &rows[1]["costMismatches"]),
        (&json!(1), &json!(0))
    );
    assert_eq!(costs["costMismatches"], 1);
    assert_eq!(
        (
            rows[1]["key"].clone(),
            rows[1]["requests"].clone(),
            rows[1]["errors"].clone()
        ),
        (json!("gpt-4o"), json!(2), json!(1))
    );
    assert_eq!(rows[1]["avg7d"], 0.75 / 7.0);
    let csv = admin(&server, "GET", "/api/llm/costs?groupBy=model&format=csv").await;
    assert_eq!(csv.header("Content-Type"), Some("text/csv; charset=utf-8"));
    let lines: Vec<&str> = csv.text.lines().collect();
    assert_eq!(lines.len(), 3);
    assert!(
        lines[2].starts_with("gpt-4o,2,1,150000,37500,0.75,"),
        "{}",
        lines[2]
    );
    let by_day = admin(&server, "GET", "/api/llm/costs?groupBy=day&start=0").await;
    assert_eq!(by_day.status, 400, "more than 10000 days");
    let by_user = admin(&server, "GET", "/api/llm/costs?groupBy=user")
        .await
        .json();
    let users: Vec<&str> = by_user["rows"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["key"].as_str().unwrap())
        .collect();
    assert_eq!(users, ["u1", "u2"]);
    let bad = admin(&server, "GET", "/api/llm/costs?groupBy=planet").await;
    assert_eq!(
        assert_failure(&bad, 400, "VALIDATION_ERROR")["field"],
        "groupBy"
    );
}

#[tokio::test]
async fn a_user_can_be_read_exported_and_erased_and_the_file_keeps_the_rest() {
    let server = start(|_| {}).await;
    let now = now_ms();
    let mut identified = event("i1", "page.view", now, json!({}));
    identified["userId"] = json!("u1");
    let events = vec![
        identified,
        llm_call("c1", now, "gpt-4o", "u1", 0.5, true),
        llm_call("c2", now, "gpt-4o", "u2", 0.5, true),
    ];
    post(&server, &batch(events), Some(KEY)).await;
    let access = admin(&server, "GET", "/api/users/u1").await.json();
    assert_eq!(access["count"], 2);
    assert_eq!(access["types"], json!({"page.view": 1, "gen_ai.call": 1}));
    let export = admin(&server, "GET", "/api/users/u1/export").await;
    assert!(export
        .header("Content-Disposition")
        .unwrap()
        .contains("attachment"));
    assert_eq!(export.json()["events"].as_array().unwrap().len(), 2);
    let erased = admin(&server, "DELETE", "/api/users/u1").await.json();
    assert_eq!(erased["data"]["deleted"], 2);
    assert_eq!(
        admin(&server, "GET", "/api/users/u1").await.json()["count"],
        0
    );
    let remaining = admin(&server, "GET", "/api/events").await.json();
    assert_eq!(remaining["count"], 1);
    assert!(!remaining.to_string().contains("\"u1\""));

    // What is left is in the SQLite file, in WAL mode.
    let db = server.db.clone();
    drop(server);
    let connection = rusqlite::Connection::open(&db).unwrap();
    let mode: String = connection
        .query_row("PRAGMA journal_mode", [], |r| r.get(0))
        .unwrap();
    assert_eq!(mode, "wal");
    let count: i64 = connection
        .query_row("SELECT COUNT(*) FROM events", [], |r| r.get(0))
        .unwrap();
    assert_eq!(count, 1);
}

/// xorshift64*: a small deterministic generator for the malformed bodies.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
}

fn strange_value(rng: &mut Rng) -> Value {
    match rng.below(9) {
        0 => Value::Null,
        1 => json!(-1),
        2 => json!(1e300),
        3 => json!("x".repeat(rng.below(400))),
        4 => json!([1, [2, [3]]]),
        5 => json!({"nested": {"deeper": [null]}}),
        6 => json!(true),
        7 => json!("\u{0000}\u{FFFF}𝄞"),
        _ => json!(""),
    }
}

/// A malformed body: random bytes, a valid batch cut short or with bytes flipped, a batch with
/// a random field of a random event replaced by a strange value, or absurd nesting.
fn malformed(rng: &mut Rng) -> Vec<u8> {
    let valid = views(&["f1", "f2", "f3"]).into_bytes();
    match rng.below(5) {
        0 => (0..rng.below(300)).map(|_| rng.next() as u8).collect(),
        1 => valid[..rng.below(valid.len())].to_vec(),
        2 => {
            let mut bytes = valid;
            for _ in 0..1 + rng.below(5) {
                let at = rng.below(bytes.len());
                bytes[at] = rng.next() as u8;
            }
            bytes
        }
        3 => {
            let mut body: Value = serde_json::from_slice(&valid).unwrap();
            let fields = [
                "id",
                "type",
                "timestamp",
                "sessionId",
                "userId",
                "data",
                "context",
            ];
            let field = fields[rng.below(fields.len())];
            body["events"][rng.below(3)][field] = strange_value(rng);
            if rng.below(4) == 0 {
                body["events"] = strange_value(rng);
            }
            serde_json::to_vec(&body).unwrap()
        }
        _ => {
            let depth = 100 + rng.below(5000);
            format!("{{\"events\":{}{}", "[".repeat(depth), "]".repeat(depth)).into_bytes()
        }
    }
}

#[tokio::test]
async fn a_thousand_malformed_bodies_get_4xx_or_200_never_5xx_and_the_server_stays_up() {
    let server = start(|_| {}).await;
    let mut rng = Rng(0x9e37_79b9_7f4a_7c15);
    let auth = format!("Bearer {KEY}");
    let mut statuses = std::collections::BTreeMap::new();
    for _ in 0..1000 {
        let body = malformed(&mut rng);
        let content_type = [
            "application/json",
            "text/plain",
            "application/x-www-form-urlencoded",
        ][rng.below(3)];
        let reply = request(
            &server,
            "POST",
            "/v1/events",
            &[("Content-Type", content_type), ("Authorization", &auth)],
            &body,
        )
        .await;
        assert!(
            reply.status == 200 || (400..500).contains(&reply.status),
            "{} for {:?}",
            reply.status,
            String::from_utf8_lossy(&body)
        );
        if reply.status != 200 {
            let error = &reply.json()["errors"][0];
            assert!(
                error["code"].is_string() && error["field"].is_string(),
                "{}",
                reply.text
            );
        }
        *statuses.entry(reply.status).or_insert(0) += 1;
    }
    // Most are refused; the few that are still valid batches are accepted.
    assert!(statuses[&400] > 500, "{statuses:?}");
    let health = request(&server, "GET", "/health", &[], b"").await;
    assert_eq!(health.json()["status"], "ok");
}

#[tokio::test]
async fn extreme_and_malformed_query_parameters_get_4xx_never_5xx() {
    let server = start(|_| {}).await;
    let values = [
        "",
        "x",
        "-1",
        "0",
        "1",
        "9223372036854775807",
        "-9223372036854775808",
        "1e3",
        "99999999999999999999",
        "%00",
    ];
    let paths = [
        "/api/metrics/historical?type=events",
        "/api/metrics/historical?type=vital.LCP&aggregation=day",
        "/api/llm/costs?groupBy=day",
        "/api/llm/costs?format=csv",
        "/api/errors/groups?limit=5",
        "/api/metrics/alerts?x=1",
        "/api/events?type=x",
    ];
    let mut statuses = std::collections::BTreeMap::new();
    for path in paths {
        for start in values {
            for end in values {
                let url = format!("{path}&start={start}&end={end}&limit={start}");
                let reply = admin(&server, "GET", &url).await;
                assert!(reply.status < 500, "{} for {url}", reply.status);
                *statuses.entry(reply.status).or_insert(0) += 1;
            }
        }
    }
    assert!(
        statuses.contains_key(&200) && statuses.contains_key(&400),
        "{statuses:?}"
    );
    assert_eq!(
        request(&server, "GET", "/health", &[], b"").await.status,
        200
    );
}

#[tokio::test]
async fn absurd_client_numbers_are_aggregated_without_overflow() {
    let server = start(|_| {}).await;
    let now = now_ms();
    let huge = u64::MAX;
    let mut call = llm_call("c1", now, "gpt-4o", "u1", 0.5, true);
    call["data"]["gen_ai.usage.input_tokens"] = json!(huge);
    call["data"]["gen_ai.usage.output_tokens"] = json!(huge);
    let mut twice = call.clone();
    twice["id"] = json!("c2");
    let mut error = event(
        "e1",
        "error",
        now,
        json!({"fingerprint": "f", "repeats": huge}),
    );
    let mut again = error.clone();
    again["id"] = json!("e2");
    error["data"]["name"] = json!("E");
    let reply = post(&server, &batch(vec![call, twice, error, again]), Some(KEY)).await;
    assert_eq!(reply.json()["data"]["accepted"], 4);
    for path in [
        "/api/metrics/current",
        "/api/llm/costs",
        "/api/errors/groups",
        "/api/metrics/historical?type=llm.tokens",
    ] {
        let reply = admin(&server, "GET", path).await;
        assert_eq!(reply.status, 200, "{path}: {}", reply.text);
    }
    let groups = admin(&server, "GET", "/api/errors/groups").await.json();
    assert_eq!(groups["groups"][0]["count"], json!(huge));
    let costs = admin(&server, "GET", "/api/llm/costs").await.json();
    assert_eq!(costs["rows"][0]["inputTokens"], json!(huge));
}

/// A request with the admin token and a body.
async fn upload(server: &Server, method: &str, path: &str, body: &[u8]) -> Reply {
    let auth = format!("Bearer {ADMIN}");
    request(server, method, path, &[("Authorization", &auth)], body).await
}

const MAP: &str = r#"{"version":3,"file":"app.js","sources":["src/app.ts"],"names":["boom"],"mappings":"AAAA,SAASA"}"#;

#[tokio::test]
async fn release_files_are_stored_listed_replaced_and_removed_with_the_admin_token() {
    let server = start(|_| {}).await;
    let files = "/api/releases/shop%401.4.2/files";
    let script = format!("{files}?name=/assets/app-3f2a9c.js");
    let map = format!("{files}?name=/assets/app-3f2a9c.js.map");

    let anonymous = request(&server, "PUT", &script, &[], b"function a(){}").await;
    assert_failure(&anonymous, 401, "UNAUTHORIZED");

    let stored = upload(&server, "PUT", &script, b"function a(){throw 1}").await;
    assert_eq!(stored.status, 201, "{}", stored.text);
    assert_eq!(
        stored.json()["data"],
        json!({"release": "shop@1.4.2", "name": "/assets/app-3f2a9c.js", "size": 21, "kind": "script", "replaced": false})
    );
    assert_eq!(
        upload(&server, "PUT", &map, MAP.as_bytes()).await.status,
        201
    );
    let again = upload(&server, "PUT", &script, b"function a(){}").await;
    assert_eq!(
        (again.status, again.json()["data"]["replaced"].clone()),
        (200, json!(true))
    );

    let listed = admin(&server, "GET", files).await.json();
    let names: Vec<_> = listed["data"]["files"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            (
                f["name"].as_str().unwrap().to_string(),
                f["kind"].as_str().unwrap().to_string(),
                f["size"].as_u64().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        names,
        [
            (
                "/assets/app-3f2a9c.js".to_string(),
                "script".to_string(),
                14
            ),
            (
                "/assets/app-3f2a9c.js.map".to_string(),
                "sourcemap".to_string(),
                MAP.len() as u64
            ),
        ]
    );
    assert!(listed["data"]["files"][0]["uploadedAt"].as_i64().unwrap() > 0);
    let other = admin(&server, "GET", "/api/releases/shop%401.4.3/files")
        .await
        .json();
    assert_eq!(other["data"]["count"], 0, "files belong to their release");

    assert_eq!(upload(&server, "DELETE", &map, b"").await.status, 200);
    assert_failure(
        &upload(&server, "DELETE", &map, b"").await,
        404,
        "NOT_FOUND",
    );
    assert_eq!(
        admin(&server, "GET", files).await.json()["data"]["count"],
        1
    );
}

#[tokio::test]
async fn a_bad_map_a_bad_name_a_bad_release_and_a_60_mb_body_get_a_4xx_that_says_why() {
    let server = start(|_| {}).await;
    let map = "/api/releases/r1/files?name=/assets/app.js.map";
    let error = assert_failure(
        &upload(&server, "PUT", map, b"<html>not a map</html>").await,
        400,
        "VALIDATION_ERROR",
    );
    assert_eq!(error["field"], "body");
    assert!(
        error["message"]
            .as_str()
            .unwrap()
            .starts_with("/assets/app.js.map is not a source map (v3): not JSON"),
        "{error}"
    );
    let version = assert_failure(
        &upload(&server, "PUT", map, br#"{"version":2,"mappings":""}"#).await,
        400,
        "VALIDATION_ERROR",
    );
    assert!(version["message"]
        .as_str()
        .unwrap()
        .contains("\"version\" is not 3"));
    let mappings = br#"{"version":3,"sources":["a.ts"],"names":[],"mappings":"%%%"}"#;
    assert_failure(
        &upload(&server, "PUT", map, mappings).await,
        400,
        "VALIDATION_ERROR",
    );

    for path in [
        "/api/releases/r1/files",
        "/api/releases/r1/files?name=assets/app.js",
        "/api/releases/r1/files?name=/a%20b.js",
    ] {
        let error = assert_failure(
            &upload(&server, "PUT", path, b"x").await,
            400,
            "VALIDATION_ERROR",
        );
        assert_eq!(error["field"], "name", "{path}");
    }
    let long = format!("/api/releases/{}/files?name=/a.js", "r".repeat(201));
    assert_eq!(
        assert_failure(
            &upload(&server, "PUT", &long, b"x").await,
            400,
            "VALIDATION_ERROR"
        )["field"],
        "release"
    );

    let huge = vec![b' '; 60 * 1024 * 1024];
    let too_large = upload(&server, "PUT", "/api/releases/r1/files?name=/big.js", &huge).await;
    assert_failure(&too_large, 413, "PAYLOAD_TOO_LARGE");
    assert_eq!(
        admin(&server, "GET", "/api/releases/r1/files").await.json()["data"]["count"],
        0
    );
}

#[tokio::test]
async fn an_error_read_after_its_maps_were_uploaded_names_the_original_place() {
    let server = start(|_| {}).await;
    let script = "function a(){throw new Error(\"x\")}\n//# sourceMappingURL=app.js.map\n";
    let map = r#"{"version":3,"file":"app.js","sources":["../src/cart.ts"],"sourcesContent":["// cart\nexport function checkout() {\n  throw new Error(\"x\");\n}\n"],"names":["checkout"],"mappings":"AACOA,SAAAA,IACL"}"#;
    let error = |id: &str, release: &str| {
        json!({"id": id, "type": "error", "timestamp": now_ms(), "sessionId": "s1",
               "data": {"name": "Error", "message": "x", "frames": [
                   {"function": "a", "file": "https://shop.example/assets/app.js", "line": 1, "column": 14, "inApp": true}]},
               "context": {"url": "https://shop.example/", "release": release}})
    };
    assert_eq!(
        post(
            &server,
            &batch(vec![error("e1", "r1"), error("e2", "r2")]),
            Some(KEY)
        )
        .await
        .status,
        200
    );
    let before = admin(&server, "GET", "/api/events?type=error").await.json();
    assert!(before["events"][0]["data"]["frames"][0]
        .get("original")
        .is_none());

    // Uploaded after the errors arrived.
    assert_eq!(
        upload(
            &server,
            "PUT",
            "/api/releases/r1/files?name=/assets/app.js",
            script.as_bytes()
        )
        .await
        .status,
        201
    );
    assert_eq!(
        upload(
            &server,
            "PUT",
            "/api/releases/r1/files?name=/assets/app.js.map",
            map.as_bytes()
        )
        .await
        .status,
        201
    );
    let after = admin(&server, "GET", "/api/events?type=error").await.json();
    let events = after["events"].as_array().unwrap();
    let of = |id: &str| events.iter().find(|e| e["id"] == id).unwrap()["data"]["frames"][0].clone();
    let frame = of("e1");
    assert_eq!(
        (frame["file"].clone(), frame["line"].clone()),
        (json!("https://shop.example/assets/app.js"), json!(1))
    );
    let original = &frame["original"];
    assert_eq!(
        (
            original["file"].clone(),
            original["line"].clone(),
            original["column"].clone(),
            original["function"].clone()
        ),
        (json!("src/cart.ts"), json!(3), json!(3), json!("checkout"))
    );
    assert_eq!(original["context"]["line"], "  throw new Error(\"x\");");
    assert!(
        of("e2").get("original").is_none(),
        "another release's error stays minified"
    );
}

#[tokio::test]
async fn two_builds_with_new_file_hashes_make_one_group_whose_detail_shows_the_original_stack() {
    let server = start(|_| {}).await;
    let map = r#"{"version":3,"sources":["../src/cart.ts"],"sourcesContent":["// cart\nexport function checkout() {\n  throw new Error(\"x\");\n}\n"],"names":["checkout"],"mappings":"AACOA,SAAAA,IACL"}"#;
    let script = "function a(){throw new Error(\"x\")}\n";
    let mut errors = Vec::new();
    for (n, (release, hash)) in [("1.0.0", "3f2a9c"), ("1.0.1", "9bc1d0")]
        .into_iter()
        .enumerate()
    {
        let name = format!("/assets/index-{hash}.js");
        let files = format!("/api/releases/{release}/files?name={name}");
        assert_eq!(
            upload(&server, "PUT", &files, script.as_bytes())
                .await
                .status,
            201
        );
        assert_eq!(
            upload(&server, "PUT", &format!("{files}.map"), map.as_bytes())
                .await
                .status,
            201
        );
        errors.push(json!({"id": format!("e{n}"), "type": "error", "timestamp": now_ms() - 10 + n as i64, "sessionId": "s1",
            "data": {"name": "Error", "message": "x", "fingerprint": format!("minified-{hash}"),
                     "frames": [{"function": "a", "file": format!("https://shop.example{name}"), "line": 1, "column": 14, "inApp": true}],
                     "breadcrumbs": [{"category": "ui.click", "message": format!("button#pay-{n}")}]},
            "context": {"url": "https://shop.example/", "release": release}}));
    }
    assert_eq!(post(&server, &batch(errors), Some(KEY)).await.status, 200);
    let groups = admin(&server, "GET", "/api/errors/groups").await.json();
    assert_eq!(groups["count"], 1, "{groups}");
    let group = &groups["groups"][0];
    assert_eq!(
        (group["count"].clone(), group["releases"].clone()),
        (json!(2), json!(["1.0.0", "1.0.1"]))
    );

    let key = group["fingerprint"].as_str().unwrap();
    let detail = admin(&server, "GET", &format!("/api/errors/groups/{key}"))
        .await
        .json();
    assert_eq!(detail["latest"]["release"], "1.0.1");
    assert_eq!(
        detail["latest"]["breadcrumbs"][0]["message"],
        "button#pay-1"
    );
    let original = &detail["latest"]["frames"][0]["original"];
    assert_eq!(
        (
            original["file"].clone(),
            original["function"].clone(),
            original["line"].clone()
        ),
        (json!("src/cart.ts"), json!("checkout"), json!(3))
    );
    assert_failure(
        &admin(&server, "GET", "/api/errors/groups/nothing-like-it").await,
        404,
        "NOT_FOUND",
    );
}
