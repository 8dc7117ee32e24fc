//! LLM cost telemetry in the pure core: usage, streams, budgets, alerts and forecasts; prices and
//! costs are the shared rules of `wasm_telemetry_prices`.

pub mod alerts;
pub mod budget;
pub mod calls;
pub mod forecast;
pub mod options;
pub mod stream;
pub mod tracker;
pub mod usage;
