//! The span of one fetch or XHR: started when the page makes the request, with the headers it
//! carries when it goes to a propagation target, and ended with the HTTP client attributes of
//! the OpenTelemetry semantic conventions.

use crate::core::find::find;
use crate::core::json_object::Object;
use crate::core::trace::propagation::propagates;
use crate::core::trace::span::{Outcome, SpanKind};
use crate::core::trace::tracer::Tracer;
use alloc::string::String;

/// A request's span, as it starts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RequestStart {
    /// The request's span.
    pub span_id: [u8; 8],
    /// `traceparent` and `tracestate` to add, when the request goes to a target.
    pub headers: Option<(String, Option<String>)>,
}

/// A request's method as its span and breadcrumb name it: upper case, `GET` when the page named
/// none.
pub fn method_name(method: Option<&str>) -> String {
    method.unwrap_or("GET").to_ascii_uppercase()
}

/// Where a request goes and how it is described.
#[derive(Debug, Clone, Copy)]
pub struct Request<'a> {
    /// Its method, upper case (`GET` when the page named none).
    pub method: &'a str,
    /// Its absolute URL.
    pub url: &'a str,
    /// The page's origin.
    pub page_origin: &'a str,
    /// The string entries of `tracePropagationTargets` (`None`: not configured).
    pub targets: Option<&'a [String]>,
    /// Whether one of its RegExp entries matched, as the platform tested them.
    pub regexp_matched: bool,
}

/// Starts the span of `request` at `now_ms`, a `client` span named after its method under the
/// current span, and says which headers it carries.
pub fn start(tracer: &mut Tracer, request: &Request<'_>, now_ms: f64) -> RequestStart {
    let span_id = tracer.start(request.method, SpanKind::Client, None, now_ms);
    let headers = propagates(
        request.url,
        request.page_origin,
        request.targets,
        request.regexp_matched,
    )
    .then(|| {
        let (traceparent, state) = tracer.headers(span_id);
        (traceparent, state.map(String::from))
    });
    RequestStart { span_id, headers }
}

/// The host of an absolute URL, without user info and port (`server.address`).
fn host(url: &str) -> Option<&str> {
    // `get`, not indexing: a `str` index links its panic message, with Unicode tables.
    // Byte positions: `str` patterns link the standard library's searchers.
    let rest = url.get(find(url, "://")? + 3..)?;
    let end = rest.bytes().position(|b| matches!(b, b'/' | b'?' | b'#'));
    let authority = rest.get(..end.unwrap_or(rest.len()))?;
    let user = authority.bytes().rposition(|b| b == b'@');
    let host = authority.get(user.map_or(0, |at| at + 1)..)?;
    let end = if host.starts_with('[') {
        host.bytes()
            .position(|b| b == b']')
            .map_or(host.len(), |at| at + 1)
    } else {
        host.bytes().rposition(|b| b == b':').unwrap_or(host.len())
    };
    host.get(..end).filter(|h| !h.is_empty())
}

/// The attributes and outcome of a request that ended with HTTP `status` (`None`: none to
/// tell, as for an opaque answer) or the failure `error` (an exception name):
/// `http.request.method`, `url.full` (redacted later like every text of an event),
/// `server.address` and `http.response.status_code`. A status of 400 or more, or a failure, is
/// an error: its `error.type` is the status code or the exception's name.
pub fn ended(
    method: &str,
    url: &str,
    status: Option<u16>,
    error: Option<&str>,
) -> (String, Outcome) {
    let mut attributes = Object::default();
    attributes
        .text("http.request.method", method)
        .text("url.full", url);
    if let Some(host) = host(url) {
        attributes.text("server.address", host);
    }
    let mut code = String::new();
    if let Some(status) = status {
        attributes.count("http.response.status_code", u64::from(status));
        crate::core::json::write_integer(&mut code, i64::from(status));
    }
    let outcome = match (error, status) {
        (Some(error), _) => Outcome::Error(error.into()),
        (None, Some(400..)) => Outcome::Error(code),
        (None, _) => Outcome::Ok,
    };
    (attributes.finish(), outcome)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::json_value::parse;
    use crate::core::random::Rng;
    use alloc::vec;

    const PAGE: &str = "http://127.0.0.1:8080";

    fn request<'a>(url: &'a str, targets: Option<&'a [String]>) -> Request<'a> {
        Request {
            method: "GET",
            url,
            page_origin: PAGE,
            targets,
            regexp_matched: false,
        }
    }

    #[test]
    fn a_request_to_a_target_carries_its_own_span_as_parent() {
        let mut tracer = Tracer::new(Rng::from_seed([1; 32]), None, None, true, 0.0);
        let api = vec![String::from("http://127.0.0.1:9090")];
        let started = start(
            &mut tracer,
            &request("http://127.0.0.1:9090/items", Some(&api)),
            5.0,
        );
        let (traceparent, state) = started.headers.expect("a target");
        let root = tracer.root();
        assert_eq!(
            traceparent,
            alloc::format!(
                "00-{}-{}-01",
                crate::core::hex::hex(&root.trace_id),
                crate::core::hex::hex(&started.span_id)
            )
        );
        assert_eq!(state, None);
        let third = start(&mut tracer, &request("https://cdn.test/x", Some(&api)), 6.0);
        assert_eq!(third.headers, None, "a third origin gets no header");
        assert_ne!(third.span_id, started.span_id, "but has its own span");
        let own = start(&mut tracer, &request("http://127.0.0.1:8080/x", None), 7.0);
        assert!(own.headers.is_some(), "by default the page's own origin");
        let off = start(
            &mut tracer,
            &request("http://127.0.0.1:8080/x", Some(&[])),
            8.0,
        );
        assert_eq!(off.headers, None, "[] turns it off");
    }

    #[test]
    fn an_ended_request_has_the_http_client_attributes() {
        let (attributes, outcome) =
            ended("POST", "https://user@api.test:8443/v1?q=1", Some(503), None);
        let attributes = parse(&attributes).unwrap();
        let text = |key: &str| {
            attributes
                .get(key)
                .and_then(|v| v.as_str())
                .map(String::from)
        };
        assert_eq!(text("http.request.method").as_deref(), Some("POST"));
        assert_eq!(
            text("url.full").as_deref(),
            Some("https://user@api.test:8443/v1?q=1")
        );
        assert_eq!(text("server.address").as_deref(), Some("api.test"));
        assert_eq!(
            attributes
                .get("http.response.status_code")
                .and_then(|v| v.as_f64()),
            Some(503.0)
        );
        assert_eq!(outcome, Outcome::Error("503".into()));
        assert_eq!(
            ended("GET", "http://[::1]:80/", Some(204), None).1,
            Outcome::Ok
        );
        assert_eq!(host("http://[::1]:80/"), Some("[::1]"));
        assert_eq!(
            ended("GET", "/relative", None, Some("TypeError")).1,
            Outcome::Error("TypeError".into())
        );
        assert_eq!(host("/relative"), None);
        assert_eq!(
            ended("GET", "http://a.test/", None, None).1,
            Outcome::Ok,
            "an opaque answer is no failure"
        );
    }
}
