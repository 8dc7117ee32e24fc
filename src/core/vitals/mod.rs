//! Core Web Vitals maths, as Google's `web-vitals` library (v5+) computes them: ratings,
//! CLS session windows, INP candidate selection and the reports of one page ([`page`]).
//! js/performance-metrics.js reads the `PerformanceObserver` entries and page events into
//! plain values for it.

pub mod cls;
pub mod inp;
pub mod page;

pub use wasm_telemetry_rules::vitals::{Rating, Vital};
