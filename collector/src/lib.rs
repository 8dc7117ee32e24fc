//! Reference collector for wasm-telemetry: receives batches over HTTP and stores each event
//! once in SQLite.

pub mod ingest;
pub mod routes;
pub mod store;

pub use routes::router;
pub use store::Store;
