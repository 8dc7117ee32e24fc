//! `localStorage` access that never throws: a missing, blocked or full storage reads as empty
//! and fails writes quietly (the caller decides what a failed write means).

use crate::platform::get;
use alloc::string::String;
use wasm_bindgen::JsCast;
use web_sys::Storage;

fn local_storage() -> Option<Storage> {
    // Reading `localStorage` itself throws in sandboxed frames; `get` turns that into undefined.
    get(&js_sys::global(), "localStorage")
        .dyn_into::<Storage>()
        .ok()
}

/// The value under `key`, if storage is available and holds one.
pub fn read(key: &str) -> Option<String> {
    local_storage()?.get_item(key).ok().flatten()
}

/// Stores `value` under `key`; returns whether it was written.
pub fn write(key: &str, value: &str) -> bool {
    local_storage().is_some_and(|storage| storage.set_item(key, value).is_ok())
}

/// Every key in storage that starts with `prefix`.
pub fn keys_with_prefix(prefix: &str) -> alloc::vec::Vec<String> {
    let Some(storage) = local_storage() else {
        return alloc::vec::Vec::new();
    };
    let count = storage.length().unwrap_or(0);
    (0..count)
        .filter_map(|index| storage.key(index).ok().flatten())
        .filter(|key| key.starts_with(prefix))
        .collect()
}

/// Removes `key`.
pub fn remove(key: &str) {
    if let Some(storage) = local_storage() {
        let _ = storage.remove_item(key);
    }
}
