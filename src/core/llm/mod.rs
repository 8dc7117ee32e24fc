//! LLM cost telemetry in the pure core: usage normalisation, pricing, costs, streams and budgets.

pub mod alerts;
pub mod budget;
pub mod calls;
pub mod forecast;
pub mod options;
pub mod pricing;
pub mod stream;
pub mod tracker;
pub mod usage;
