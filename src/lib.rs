//! wasm-telemetry: a browser telemetry SDK in Rust, compiled to WebAssembly.
//!
//! [`core`] is pure Rust and tests natively; [`api`] is the wasm boundary, one core per JS
//! class of the package (js/), which does the browser's part.
#![deny(missing_docs)]
#![cfg_attr(feature = "bundle", no_std)]

extern crate alloc;

#[cfg(feature = "bundle")]
mod runtime;
#[cfg(any(feature = "bundle", test))]
mod size_classes;

pub mod api;
pub mod core;

pub use api::redact::redact;
