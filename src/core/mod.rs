//! The pure core: no browser APIs, no I/O. Every rule here takes time, randomness and input as
//! arguments and returns a decision, so it builds and tests natively with `cargo test`.

#[macro_use]
mod named;

pub mod analytics;
pub mod batch;
pub mod breaker;
pub mod buffer;
pub mod collector;
pub mod config;
pub mod consent;
pub mod errors;
pub mod event;
pub use wasm_telemetry_rules::find;
pub mod grouping;
pub mod health;
pub mod hex;
pub mod journal;
pub mod json;
pub mod json_object;
pub mod json_value;
pub mod llm;
pub mod otlp;
pub mod performance;
pub mod pii;
pub mod pipeline;
pub mod random;
pub mod recent;
pub mod retry;
pub mod sampling;
pub mod sanitize;
pub mod sha256;
pub mod sort;
pub mod stats;
pub mod text;
pub mod trace;
pub mod usage_report;
pub mod vitals;
