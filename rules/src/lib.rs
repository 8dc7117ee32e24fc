//! The rules that the SDK (in the browser) and the reference collector (on the server) both
//! apply, written once: Web Vitals thresholds and ratings, nearest-rank percentiles, the
//! proleptic Gregorian calendar and release names. No dependencies and no allocation, so the SDK's `no_std`
//! wasm build takes it as it is.
#![no_std]

pub mod calendar;
pub mod percentile;
pub mod release;
pub mod vitals;
