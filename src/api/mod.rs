//! The wasm boundary: one core per JS class of the package, opened, called and closed through
//! the few exports of [`abi`], taking plain values and strings and answering with decisions
//! and finished JSON. The `web` and `full` features choose which kinds of core a build has (see
//! Cargo.toml).

#[cfg(target_arch = "wasm32")]
pub mod abi;
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
pub mod op;
#[cfg(feature = "web")]
pub mod performance;
pub mod redact;
