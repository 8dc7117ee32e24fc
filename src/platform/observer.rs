//! `PerformanceObserver` as a value: dropping it disconnects.

use crate::platform::get;
use alloc::boxed::Box;
use js_sys::{Array, Function, Object, Reflect};
use wasm_bindgen::prelude::*;

/// An observer of one entry type, fed buffered entries too.
pub struct Observer {
    observer: JsValue,
    _callback: Closure<dyn FnMut(JsValue)>,
}

/// Whether the browser can observe `entry_type`.
pub fn supports(entry_type: &str) -> bool {
    let observer = get(&js_sys::global(), "PerformanceObserver");
    let types = get(&observer, "supportedEntryTypes");
    Array::is_array(&types) && Array::from(&types).includes(&JsValue::from_str(entry_type), 0)
}

impl Observer {
    /// Observes `entry_type` (with `buffered: true` and any `extra` options such as
    /// `durationThreshold`) and calls `callback` with each list of entries. `None` where the
    /// browser cannot observe that type.
    pub fn new(
        entry_type: &str,
        extra: &[(&str, JsValue)],
        callback: impl FnMut(Array) + 'static,
    ) -> Option<Self> {
        // One non-generic body for every callback keeps a copy per caller out of the wasm.
        Self::start(entry_type, extra, Box::new(callback))
    }

    fn start(
        entry_type: &str,
        extra: &[(&str, JsValue)],
        mut callback: Box<dyn FnMut(Array)>,
    ) -> Option<Self> {
        if !supports(entry_type) {
            return None;
        }
        let closure = Closure::<dyn FnMut(JsValue)>::wrap(Box::new(move |list: JsValue| {
            let entries = get(&list, "getEntries")
                .dyn_into::<Function>()
                .ok()
                .and_then(|f| f.call0(&list).ok())
                .map(|entries| Array::from(&entries))
                .unwrap_or_default();
            callback(entries);
        }));
        let constructor = get(&js_sys::global(), "PerformanceObserver")
            .dyn_into::<Function>()
            .ok()?;
        let observer = Reflect::construct(&constructor, &Array::of1(closure.as_ref())).ok()?;
        let options = Object::new();
        let _ = Reflect::set(&options, &"type".into(), &JsValue::from_str(entry_type));
        let _ = Reflect::set(&options, &"buffered".into(), &JsValue::TRUE);
        for (key, value) in extra {
            let _ = Reflect::set(&options, &JsValue::from_str(key), value);
        }
        let observe = get(&observer, "observe").dyn_into::<Function>().ok()?;
        observe.call1(&observer, &options).ok()?;
        Some(Self {
            observer,
            _callback: closure,
        })
    }

    /// Entries recorded but not yet delivered to the callback.
    pub fn take_records(&self) -> Array {
        get(&self.observer, "takeRecords")
            .dyn_into::<Function>()
            .ok()
            .and_then(|f| f.call0(&self.observer).ok())
            .map(|entries| Array::from(&entries))
            .unwrap_or_default()
    }
}

impl Drop for Observer {
    fn drop(&mut self) {
        if let Ok(disconnect) = get(&self.observer, "disconnect").dyn_into::<Function>() {
            let _ = disconnect.call0(&self.observer);
        }
    }
}
