//! The trace of one page view: a `pageload` root span, which continues a trace the server
//! started when the page names one (`<meta name="traceparent">`); the spans open under it; the
//! span the application's code runs in; and the headers a request carries. Sampling is decided
//! once per trace, at its head, so a trace is kept or dropped whole.

use crate::core::random::Rng;
use crate::core::trace::context::{trace_state, TraceContext};
use crate::core::trace::span::{Outcome, Span, SpanKind};
use alloc::string::String;
use alloc::vec::Vec;

/// Open spans kept at most; past it the oldest is forgotten (it never ends, so it is never
/// sent), so that spans a page starts and never ends cannot grow without bound.
pub const MAX_OPEN_SPANS: usize = 1000;

/// The name of the root span of a page view.
pub const PAGELOAD: &str = "pageload";

/// One page view's trace.
#[derive(Debug)]
pub struct Tracer {
    rng: Rng,
    state: Option<String>,
    open: Vec<Span>,
    active: Vec<[u8; 8]>,
    root: TraceContext,
    start_ms: f64,
}

impl Tracer {
    /// The trace of a page that started loading at `start_ms`. It continues `traceparent` (the
    /// page's meta tag) when that is valid, keeping its sampled flag and `tracestate`; otherwise
    /// it is a new trace, sampled when `sampled` says so. Its `pageload` span is open.
    pub fn new(
        mut rng: Rng,
        traceparent: Option<&str>,
        tracestate: Option<&str>,
        sampled: bool,
        start_ms: f64,
    ) -> Self {
        let remote = traceparent.and_then(TraceContext::parse);
        let root = match remote {
            Some(remote) => remote.child(&mut rng),
            None => TraceContext::root(&mut rng, sampled),
        };
        let pageload = Span {
            context: root,
            parent: remote.map(|r| r.span_id),
            name: PAGELOAD.into(),
            kind: SpanKind::Internal,
            start_ms,
        };
        Tracer {
            rng,
            state: remote.and(tracestate).and_then(trace_state),
            open: alloc::vec![pageload],
            active: Vec::new(),
            root,
            start_ms,
        }
    }

    /// The page's trace: its id and flags, with the `pageload` span's id.
    pub fn root(&self) -> TraceContext {
        self.root
    }

    /// When the page started loading (the `pageload` span's start), ms since the epoch.
    pub fn start_ms(&self) -> f64 {
        self.start_ms
    }

    /// The span new work belongs to: the innermost active span, else the `pageload` span.
    pub fn current(&self) -> [u8; 8] {
        self.active.last().copied().unwrap_or(self.root.span_id)
    }

    /// Starts a span named `name` at `now_ms`, a child of `parent` when that is an open span,
    /// else of [`Tracer::current`]; answers its id.
    pub fn start(
        &mut self,
        name: &str,
        kind: SpanKind,
        parent: Option<[u8; 8]>,
        now_ms: f64,
    ) -> [u8; 8] {
        let parent = parent
            .filter(|id| self.open.iter().any(|s| s.context.span_id == *id))
            .unwrap_or_else(|| self.current());
        let context = self.root.child(&mut self.rng);
        if self.open.len() >= MAX_OPEN_SPANS {
            self.open.remove(0);
        }
        self.open.push(Span {
            context,
            parent: Some(parent),
            name: name.into(),
            kind,
            start_ms: now_ms,
        });
        context.span_id
    }

    /// Makes open span `id` the one new work belongs to (nested calls nest); `false` for a span
    /// that is not open.
    pub fn enter(&mut self, id: [u8; 8]) -> bool {
        let open = self.open.iter().any(|s| s.context.span_id == id);
        if open {
            self.active.push(id);
        }
        open
    }

    /// Leaves span `id` (and any span entered inside it and not left).
    pub fn leave(&mut self, id: [u8; 8]) {
        if let Some(at) = self.active.iter().rposition(|active| *active == id) {
            self.active.truncate(at);
        }
    }

    /// Ends open span `id` at `end_ms`: the data of its `span` event (see [`Span::finish`]), or
    /// `None` when it is not open or the trace is not sampled (a dropped trace sends none of
    /// its spans).
    pub fn end(
        &mut self,
        id: [u8; 8],
        end_ms: f64,
        outcome: &Outcome,
        attributes: Option<&str>,
        events: &[(&str, f64)],
    ) -> Option<String> {
        let at = self.open.iter().position(|s| s.context.span_id == id)?;
        let span = self.open.remove(at);
        self.leave(id);
        self.root
            .sampled()
            .then(|| span.finish(end_ms, outcome, attributes, events))
    }

    /// The name of open span `id`.
    pub fn name(&self, id: [u8; 8]) -> Option<&str> {
        let span = self.open.iter().find(|s| s.context.span_id == id)?;
        Some(&span.name)
    }

    /// The headers a request made inside span `id` carries: its `traceparent`, and the
    /// `tracestate` of the trace the page continues.
    pub fn headers(&self, id: [u8; 8]) -> (String, Option<&str>) {
        let context = TraceContext {
            span_id: id,
            ..self.root
        };
        (context.traceparent(), self.state.as_deref())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::hex::hex;
    use crate::core::json_value::parse;

    const SERVER: &str = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";

    fn tracer(traceparent: Option<&str>, sampled: bool) -> Tracer {
        Tracer::new(
            Rng::from_seed([9; 32]),
            traceparent,
            Some("vendor=abc"),
            sampled,
            0.0,
        )
    }

    fn field(data: &str, key: &str) -> String {
        parse(data)
            .unwrap()
            .get(key)
            .and_then(|v| v.as_str())
            .unwrap_or_default()
            .into()
    }

    #[test]
    fn a_server_started_trace_is_continued_with_its_flag_and_state() {
        let mut page = tracer(Some(SERVER), false);
        assert_eq!(
            hex(&page.root().trace_id),
            "4bf92f3577b34da6a3ce929d0e0e4736"
        );
        assert!(page.root().sampled(), "the server's decision stands");
        let pageload = page
            .end(page.root().span_id, 1200.0, &Outcome::Ok, None, &[])
            .unwrap();
        assert_eq!(field(&pageload, "name"), PAGELOAD);
        assert_eq!(field(&pageload, "parentSpanId"), "00f067aa0ba902b7");
        let request = page.start("GET", SpanKind::Client, None, 10.0);
        let (traceparent, state) = page.headers(request);
        assert_eq!(
            traceparent,
            alloc::format!("00-4bf92f3577b34da6a3ce929d0e0e4736-{}-01", hex(&request))
        );
        assert_eq!(state, Some("vendor=abc"));
    }

    #[test]
    fn a_new_trace_is_kept_or_dropped_whole() {
        let mut kept = tracer(None, true);
        let mut dropped = tracer(
            Some("00-00000000000000000000000000000000-00f067aa0ba902b7-01"),
            false,
        );
        assert_eq!(
            kept.headers(kept.root().span_id).1,
            None,
            "no state of its own"
        );
        for page in [&mut kept, &mut dropped] {
            let span = page.start("work", SpanKind::Internal, None, 5.0);
            let sent = page.end(span, 9.0, &Outcome::Ok, None, &[]);
            assert_eq!(sent.is_some(), page.root().sampled());
            let (traceparent, _) = page.headers(span);
            assert!(traceparent.ends_with(if page.root().sampled() { "-01" } else { "-00" }));
        }
        assert!(
            !dropped.root().sampled(),
            "an invalid meta tag starts a new trace, not sampled here"
        );
    }

    #[test]
    fn spans_nest_under_the_span_entered_and_end_once() {
        let mut page = tracer(None, true);
        let outer = page.start("checkout", SpanKind::Internal, None, 1.0);
        assert!(page.enter(outer));
        let inner = page.start("pay", SpanKind::Internal, None, 2.0);
        assert!(page.enter(inner));
        let request = page.start("POST", SpanKind::Client, None, 3.0);
        let sent = page
            .end(request, 4.0, &Outcome::Error("TypeError".into()), None, &[])
            .unwrap();
        assert_eq!(field(&sent, "parentSpanId"), hex(&inner));
        assert_eq!(field(&sent, "error.type"), "TypeError");
        // Leaving the outer span leaves the inner one too.
        page.leave(outer);
        assert_eq!(page.current(), page.root().span_id);
        let inner_sent = page.end(inner, 5.0, &Outcome::Ok, None, &[]).unwrap();
        assert_eq!(field(&inner_sent, "parentSpanId"), hex(&outer));
        assert_eq!(
            page.end(inner, 6.0, &Outcome::Ok, None, &[]),
            None,
            "ended once"
        );
        assert!(!page.enter(inner));
        // A parent that is not open is replaced by the current span.
        let orphan = page.start("late", SpanKind::Internal, Some(inner), 7.0);
        let orphan_sent = page.end(orphan, 8.0, &Outcome::Ok, None, &[]).unwrap();
        assert_eq!(
            field(&orphan_sent, "parentSpanId"),
            hex(&page.root().span_id)
        );
    }

    #[test]
    fn spans_never_ended_are_bounded() {
        let mut page = tracer(None, true);
        let first = page.start("leak", SpanKind::Internal, None, 0.0);
        for i in 0..MAX_OPEN_SPANS + 10 {
            page.start("leak", SpanKind::Internal, None, i as f64);
        }
        assert_eq!(page.open.len(), MAX_OPEN_SPANS);
        assert_eq!(page.end(first, 1.0, &Outcome::Ok, None, &[]), None);
    }
}
