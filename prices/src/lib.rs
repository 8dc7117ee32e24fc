//! LLM prices and exact call costs, written once for the SDK (in the browser) and the reference
//! collector (on the server): the price model and model matching ([`price`], [`part`]), the
//! bundled table generated from a maintained dataset ([`bundled`], [`table`]), usage
//! normalisation ([`usage`]), costs ([`cost`]) and the three table formats a user may load
//! ([`read`]). `no_std` with `alloc`, depending only on the shared rules, so the SDK's wasm build
//! takes it as it is; serde_json's values can be read with the `serde_json` feature.
#![no_std]

extern crate alloc;
#[cfg(test)]
extern crate std;

pub mod bundled;
pub mod cost;
pub mod json;
pub mod part;
pub mod price;
pub mod read;
#[cfg(feature = "serde_json")]
pub mod serde;
pub mod table;
pub mod usage;
