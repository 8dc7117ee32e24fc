//! wasm-telemetry: a browser telemetry SDK in Rust, compiled to WebAssembly.
//!
//! [`core`] is pure Rust and tests natively; [`api`] is the wasm boundary, one core class per
//! JS class of the package (js/), which does the browser's part.
#![deny(missing_docs)]
#![cfg_attr(feature = "bundle", no_std)]

extern crate alloc;

#[cfg(feature = "bundle")]
mod runtime;

pub mod api;
pub mod core;

#[cfg(feature = "full")]
pub use api::analytics::AnalyticsCore;
pub use api::collector::CollectorCore;
#[cfg(feature = "web")]
pub use api::errors::ErrorsCore;
#[cfg(feature = "web")]
pub use api::health::HealthCore;
#[cfg(feature = "full")]
pub use api::llm::{LlmCore, StreamCore};
#[cfg(feature = "web")]
pub use api::performance::VitalsCore;
pub use api::redact::redact;
