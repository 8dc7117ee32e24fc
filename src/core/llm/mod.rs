//! LLM cost telemetry in the pure core: usage normalisation, pricing, costs, streams and budgets.

pub mod budget;
pub mod pricing;
pub mod stream;
pub mod usage;
