//! Classes exported to JavaScript. Each parses JS input, calls the core, and returns JS values.
//! The `web` and `full` features choose which classes a build exports (see Cargo.toml).

#[cfg(feature = "full")]
pub mod analytics;
pub mod collector;
pub mod config;
#[cfg(feature = "web")]
pub mod errors;
#[cfg(feature = "web")]
pub mod health;
pub mod input;
#[cfg(feature = "full")]
pub mod llm;
#[cfg(feature = "web")]
pub mod module_types;
pub mod patterns;
#[cfg(feature = "web")]
pub mod performance;
pub mod redact;
pub mod runtime;
pub mod types;
