//! The wasm boundary: one core class per JS class of the package, taking plain values and
//! strings and answering with decisions and finished JSON. The `web` and `full` features choose
//! which classes a build exports (see Cargo.toml).

#[cfg(feature = "full")]
pub mod analytics;
pub mod args;
pub mod collector;
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
