//! wasm-telemetry: a browser telemetry SDK in Rust, compiled to WebAssembly.
//!
//! [`core`] is pure Rust and tests natively; [`platform`] is the only code that touches the
//! browser; [`api`] holds the classes exported to JavaScript.
#![deny(missing_docs)]
#![cfg_attr(feature = "bundle", no_std)]

extern crate alloc;

#[cfg(feature = "bundle")]
mod runtime;

pub mod api;
pub mod core;
#[cfg(feature = "web")]
pub mod platform;

#[cfg(feature = "full")]
pub use api::analytics::UsageAnalytics;
pub use api::collector::CollectorCore;
#[cfg(feature = "web")]
pub use api::errors::ErrorTracking;
#[cfg(feature = "web")]
pub use api::health::HealthCheck;
#[cfg(feature = "full")]
pub use api::llm::{LlmCore, StreamCore};
#[cfg(feature = "web")]
pub use api::performance::PerformanceMetrics;
pub use api::redact::redact;
