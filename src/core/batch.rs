//! Batches: the request bodies sent to the endpoint.

use crate::core::text::push_ascii;
use alloc::string::String;
use alloc::vec::Vec;

use crate::core::journal::Entry;
use crate::core::json::round_non_negative;
use crate::core::json_object::Object;

/// Largest request body, in bytes: the browser's shared budget for keepalive and beacon bodies.
pub const MAX_BODY_BYTES: usize = 60 * 1024;
/// The `sdk.name` reported in every batch.
pub const SDK_NAME: &str = "wasm-telemetry";
/// The `sdk.version` reported in every batch.
pub const SDK_VERSION: &str = env!("CARGO_PKG_VERSION");

/// Bytes of a batch body that are not events: the wrapper with a 36-character id and a
/// 16-digit timestamp, rounded up.
pub const WRAPPER_BYTES: usize = 160;

/// A group of encoded events sent in one request. Its id names this attempt: after a failed
/// one the events go back to the buffer and leave again in a new batch, keeping their own ids,
/// by which the collector stores each event once.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Batch {
    /// Random UUID of this batch.
    pub id: String,
    /// Encoded wire-format events, oldest first.
    pub events: Vec<Entry>,
}

impl Batch {
    /// Encodes the request body: `{ batchId, sentAt, sdk: { name, version }, events: [...] }`.
    pub fn encode(&self, sent_at_ms: f64) -> String {
        let sdk = Object::default()
            .text("name", SDK_NAME)
            .text("version", SDK_VERSION)
            .finish();
        Object::with_capacity(WRAPPER_BYTES + self.events_bytes())
            .text("batchId", &self.id)
            .whole("sentAt", round_non_negative(sent_at_ms.max(0.0)))
            .raw("sdk", Some(&sdk))
            .raw("events", Some(&self.encode_events()))
            .finish()
    }

    /// Encodes only the events, as a JSON array (what a custom transport receives).
    pub fn encode_events(&self) -> String {
        let mut out = String::with_capacity(self.events_bytes());
        self.write_events(&mut out);
        out
    }

    fn write_events(&self, out: &mut String) {
        push_ascii(out, b'[');
        for (index, event) in self.events.iter().enumerate() {
            if index > 0 {
                push_ascii(out, b',');
            }
            out.push_str(&event.event);
        }
        push_ascii(out, b']');
    }

    fn events_bytes(&self) -> usize {
        self.events.iter().map(|e| e.event.len() + 1).sum::<usize>() + 2
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn body_has_the_wire_format_wrapper() {
        let entry = |event: &str| Entry {
            stored_at_ms: 0,
            event: event.into(),
        };
        let batch = Batch {
            id: "b-1".into(),
            events: vec![entry("{\"a\":1}"), entry("{\"b\":2}")],
        };
        assert_eq!(
            batch.encode(1_700_000_000_000.2),
            format!(
                "{{\"batchId\":\"b-1\",\"sentAt\":1700000000000,\"sdk\":{{\"name\":\"wasm-telemetry\",\
                 \"version\":\"{SDK_VERSION}\"}},\"events\":[{{\"a\":1}},{{\"b\":2}}]}}"
            )
        );
        assert_eq!(batch.encode_events(), "[{\"a\":1},{\"b\":2}]");
    }

    #[test]
    fn wrapper_allowance_covers_a_realistic_wrapper() {
        let batch = Batch {
            id: "6f1c2b1e-8d3a-4c55-9a0e-3b8f1d2c4e5f".into(),
            events: vec![],
        };
        assert!(batch.encode(9_999_999_999_999_999.0).len() <= WRAPPER_BYTES);
    }
}
