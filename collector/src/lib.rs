//! Reference collector for wasm-telemetry: receives batches over HTTP, stores each event once in
//! SQLite, answers the dashboard's queries and data-subject requests, and serves the dashboard.

pub mod config;
pub mod ingest;
pub mod limit;
pub mod log;
pub mod metrics;
pub mod pricing;
pub mod queries;
pub mod receive;
pub mod releases;
pub mod routes;
pub mod store;
pub mod symbolicate;
pub mod traces;
pub mod upload;
pub mod users;

pub use config::Settings;
pub use routes::{router, App};
pub use store::Store;
