//! The router: ingest (`/v1/events`), the admin APIs (`/api/…`), `/health`, and the dashboard at
//! `/`; with CORS, authentication and request logs around them.

use crate::config::Settings;
use crate::ingest::{response, FieldError};
use crate::limit::RateLimiter;
use crate::log::{log, Level};
use crate::pricing::PriceTable;
use crate::store::Store;
use crate::symbolicate::Symbolicator;
use crate::{pricing, queries, receive, releases, users};
use axum::extract::{Request, State};
use axum::http::{header, HeaderMap, HeaderValue, Method, StatusCode};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use serde_json::json;
use std::sync::Arc;
use std::time::{Instant, SystemTime, UNIX_EPOCH};

/// Everything a request may need.
pub struct App {
    /// The event store.
    pub store: Arc<Store>,
    /// How the collector runs.
    pub settings: Settings,
    /// The ingest rate limit.
    pub limiter: RateLimiter,
    /// Parsed source maps and scripts, for resolving error frames.
    pub symbolicator: Arc<Symbolicator>,
    /// The LLM prices the collector recomputes call costs with.
    pub prices: PriceTable,
    started: Instant,
}

impl App {
    /// The application state over `store` with `settings`, with the price tables it kept.
    pub fn new(store: Arc<Store>, settings: Settings) -> Arc<Self> {
        let prices = PriceTable::default();
        prices.restore(&store);
        Arc::new(Self {
            limiter: RateLimiter::new(settings.rate_limit),
            symbolicator: Arc::new(Symbolicator::new()),
            prices,
            store,
            settings,
            started: Instant::now(),
        })
    }

    /// Seconds since the application started (the rate limiter's clock).
    pub fn clock_s(&self) -> f64 {
        self.started.elapsed().as_secs_f64()
    }
}

/// Milliseconds since the epoch.
pub fn now_ms() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_millis() as i64)
        .unwrap_or(0)
}

/// A response in the API's error shape: `{ success: false, data: null, errors }`.
pub fn failure(status: StatusCode, code: &'static str, message: &str, field: &str) -> Response {
    let error = FieldError {
        code,
        message: message.into(),
        field: field.into(),
    };
    (status, Json(response(false, json!(null), &[error]))).into_response()
}

/// Logs a storage failure and answers 503 with `Retry-After`.
pub fn storage_failure(message: String) -> Response {
    log(Level::Error, "store.failed", json!({ "message": message }));
    let mut response = failure(
        StatusCode::SERVICE_UNAVAILABLE,
        "STORAGE_ERROR",
        "could not reach the event store",
        "",
    );
    response
        .headers_mut()
        .insert(header::RETRY_AFTER, HeaderValue::from_static("5"));
    response
}

/// Runs a blocking store operation off the async threads; a failure becomes a 503.
pub async fn with_store<T: Send + 'static>(
    app: &Arc<App>,
    work: impl FnOnce(&Store) -> rusqlite::Result<T> + Send + 'static,
) -> Result<T, Response> {
    let store = app.store.clone();
    match tokio::task::spawn_blocking(move || work(&store)).await {
        Ok(Ok(value)) => Ok(value),
        Ok(Err(error)) => Err(storage_failure(error.to_string())),
        Err(error) => Err(storage_failure(error.to_string())),
    }
}

/// The bearer token of a request, if any.
pub fn bearer(headers: &HeaderMap) -> Option<&str> {
    headers
        .get(header::AUTHORIZATION)?
        .to_str()
        .ok()?
        .strip_prefix("Bearer ")
        .map(str::trim)
}

/// Compares secrets in time independent of where they differ.
pub fn same_secret(given: &str, expected: &str) -> bool {
    given.len() == expected.len()
        && given
            .bytes()
            .zip(expected.bytes())
            .fold(0u8, |diff, (a, b)| diff | (a ^ b))
            == 0
}

/// Builds the collector's router.
pub fn router(app: Arc<App>) -> Router {
    let admin = Router::new()
        .route("/api/events", get(queries::events))
        .route("/api/metrics/current", get(queries::current))
        .route("/api/metrics/historical", get(queries::historical))
        .route("/api/metrics/alerts", get(queries::alerts))
        .route("/api/errors/groups", get(queries::error_groups))
        .route(
            "/api/errors/groups/{fingerprint}",
            get(queries::error_group),
        )
        .route("/api/llm/costs", get(queries::llm_costs))
        .route("/api/traces/{trace_id}", get(crate::traces::trace))
        .route("/api/pricing", get(pricing::status).put(pricing::put))
        .route("/api/users/{id}", get(users::access).delete(users::erase))
        .route("/api/users/{id}/export", get(users::export))
        .route(
            "/api/releases/{release}/files",
            get(releases::list)
                .put(releases::put)
                .delete(releases::delete),
        )
        .route_layer(middleware::from_fn_with_state(app.clone(), require_admin));
    Router::new()
        .route("/v1/events", post(receive::ingest))
        .route("/health", get(health))
        .route("/", get(dashboard_page))
        .route("/dashboard.js", get(dashboard_script))
        .merge(admin)
        .layer(middleware::from_fn_with_state(app.clone(), cross_origin))
        .layer(middleware::from_fn(log_request))
        .with_state(app)
}

/// Refuses the admin APIs without the admin token (when one is configured).
async fn require_admin(State(app): State<Arc<App>>, request: Request, next: Next) -> Response {
    if let Some(token) = &app.settings.admin_token {
        if !bearer(request.headers()).is_some_and(|given| same_secret(given, token)) {
            return failure(
                StatusCode::UNAUTHORIZED,
                "UNAUTHORIZED",
                "send Authorization: Bearer <admin token>",
                "Authorization",
            );
        }
    }
    next.run(request).await
}

/// Whether `origin` may call the collector.
pub fn origin_allowed(settings: &Settings, origin: &str) -> bool {
    settings
        .allowed_origins
        .as_ref()
        .is_none_or(|list| list.iter().any(|o| o == origin))
}

/// CORS: answers preflights and marks responses for allowed origins (any origin when no list is
/// configured; the SDK sends no credentials).
async fn cross_origin(State(app): State<Arc<App>>, request: Request, next: Next) -> Response {
    let origin = request
        .headers()
        .get(header::ORIGIN)
        .and_then(|o| o.to_str().ok())
        .map(String::from);
    let allowed = origin
        .as_deref()
        .is_some_and(|o| origin_allowed(&app.settings, o));
    let mut response = if request.method() == Method::OPTIONS {
        let status = if allowed || origin.is_none() {
            StatusCode::NO_CONTENT
        } else {
            StatusCode::FORBIDDEN
        };
        let mut response = status.into_response();
        let headers = response.headers_mut();
        headers.insert(
            header::ACCESS_CONTROL_ALLOW_METHODS,
            HeaderValue::from_static("GET, POST, DELETE, OPTIONS"),
        );
        headers.insert(
            header::ACCESS_CONTROL_ALLOW_HEADERS,
            HeaderValue::from_static("Content-Type, Authorization, Content-Encoding"),
        );
        headers.insert(
            header::ACCESS_CONTROL_MAX_AGE,
            HeaderValue::from_static("600"),
        );
        response
    } else {
        next.run(request).await
    };
    let headers = response.headers_mut();
    match (&app.settings.allowed_origins, origin) {
        (None, _) => {
            headers.insert(
                header::ACCESS_CONTROL_ALLOW_ORIGIN,
                HeaderValue::from_static("*"),
            );
        }
        (Some(_), Some(origin)) if allowed => {
            if let Ok(value) = HeaderValue::from_str(&origin) {
                headers.insert(header::ACCESS_CONTROL_ALLOW_ORIGIN, value);
            }
            headers.insert(header::VARY, HeaderValue::from_static("Origin"));
        }
        _ => {
            headers.insert(header::VARY, HeaderValue::from_static("Origin"));
        }
    }
    headers.insert(
        header::ACCESS_CONTROL_EXPOSE_HEADERS,
        HeaderValue::from_static("Retry-After"),
    );
    response
}

/// One structured log line per request (debug; server errors at error level).
async fn log_request(request: Request, next: Next) -> Response {
    let method = request.method().to_string();
    let path = request.uri().path().to_string();
    let started = Instant::now();
    let response = next.run(request).await;
    let status = response.status().as_u16();
    let level = if status >= 500 {
        Level::Error
    } else {
        Level::Debug
    };
    log(
        level,
        "http.request",
        json!({
            "method": method, "path": path, "status": status,
            "ms": started.elapsed().as_secs_f64() * 1000.0,
        }),
    );
    response
}

async fn health(State(app): State<Arc<App>>) -> Response {
    match with_store(&app, |store| store.count()).await {
        Ok(events) => Json(json!({ "status": "ok", "events": events })).into_response(),
        Err(_) => (
            StatusCode::SERVICE_UNAVAILABLE,
            Json(json!({ "status": "unavailable" })),
        )
            .into_response(),
    }
}

async fn dashboard_page() -> Response {
    (
        [(header::CONTENT_TYPE, "text/html; charset=utf-8")],
        include_str!("../dashboard/index.html"),
    )
        .into_response()
}

async fn dashboard_script() -> Response {
    (
        [(header::CONTENT_TYPE, "text/javascript; charset=utf-8")],
        include_str!("../dashboard/dashboard.js"),
    )
        .into_response()
}
