//! The wasm boundary: one core per JS class of the package, opened, called and closed through
//! the few functions of [`cores`], taking plain values and strings and answering with decisions
//! and finished JSON. The `web` and `full` features choose which kinds of core a build has (see
//! Cargo.toml).

#[cfg(feature = "full")]
pub mod analytics;
pub mod args;
pub mod collector;
pub mod cores;
#[cfg(feature = "web")]
pub mod errors;
#[cfg(feature = "web")]
pub mod health;
#[cfg(feature = "full")]
pub mod llm;
#[cfg(feature = "full")]
pub mod module_types;
#[cfg(feature = "web")]
pub mod performance;
pub mod redact;
