//! Classes exported to JavaScript. Each parses JS input, calls the core, and returns JS values.
//! The `web` and `full` features choose which classes a build exports (see Cargo.toml).

#[cfg(feature = "full")]
pub mod analytics;
pub mod collector;
#[cfg(feature = "web")]
pub mod errors;
#[cfg(feature = "web")]
pub mod health;
#[cfg(feature = "web")]
pub mod input;
#[cfg(feature = "full")]
pub mod llm;
#[cfg(feature = "web")]
pub mod module_types;
#[cfg(feature = "web")]
pub mod performance;
pub mod redact;
#[cfg(feature = "web")]
pub mod sink;
