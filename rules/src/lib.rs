//! The rules that the SDK (in the browser) and the reference collector (on the server) both
//! apply, written once: Web Vitals thresholds and ratings, nearest-rank percentiles, the
//! proleptic Gregorian calendar, release names, byte-wise substring search and the names of
//! the event types both read. No dependencies
//! and no allocation, so the SDK's `no_std` wasm build takes it as it is.
#![no_std]

#[cfg(test)]
extern crate std;

pub mod calendar;
pub mod events;
pub mod find;
pub mod percentile;
pub mod release;
pub mod vitals;
