//! Classes exported to JavaScript. Each parses JS input, calls the core, and returns JS values.

pub mod analytics;
pub mod collector;
pub mod config;
pub mod errors;
pub mod health;
pub mod input;
pub mod llm;
pub mod module_types;
pub mod patterns;
pub mod performance;
pub mod redact;
pub mod runtime;
pub mod types;
