//! wasm-telemetry: a browser telemetry SDK in Rust, compiled to WebAssembly.
//!
//! [`core`] is pure Rust and tests natively; [`api`] is the wasm boundary, one core per JS
//! class of the package (js/), which does the browser's part.
#![deny(missing_docs)]
#![cfg_attr(feature = "bundle", no_std)]
// `named_enum!` joins the names of `api::op::Op`'s 95 operations one macro level at a time.
#![recursion_limit = "256"]

extern crate alloc;

#[cfg(feature = "bundle")]
mod runtime;
#[cfg(any(feature = "bundle", test))]
mod size_classes;

// Before `api`, which declares its `Op` with the core's `named_enum!`.
#[macro_use]
pub mod core;
pub mod api;

pub use api::redact::redact;
