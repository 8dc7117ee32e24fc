//! [`Json`] for serde_json's values: how the collector and the table generator read tables.

use crate::json::Json;
use alloc::vec::Vec;
use serde_json::Value;

impl Json for Value {
    fn get(&self, key: &str) -> Option<&Self> {
        self.as_object()?.get(key)
    }

    fn number(&self) -> Option<f64> {
        self.as_f64()
    }

    fn text(&self) -> Option<&str> {
        self.as_str()
    }

    fn is_object(&self) -> bool {
        self.is_object()
    }

    /// By walking the map: a table's few thousand entries read in milliseconds.
    fn member(&self, index: usize) -> Option<(&str, &Self)> {
        let (key, value) = self.as_object()?.iter().nth(index)?;
        Some((key.as_str(), value))
    }

    fn items(&self) -> Option<&[Self]> {
        self.as_array().map(Vec::as_slice)
    }
}
