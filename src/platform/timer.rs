//! Timers as values: dropping one clears it.

use alloc::boxed::Box;
use js_sys::Function;
use wasm_bindgen::prelude::*;

#[wasm_bindgen]
extern "C" {
    #[wasm_bindgen(js_name = setInterval)]
    fn set_interval(handler: &Function, ms: i32) -> JsValue;
    #[wasm_bindgen(js_name = clearInterval)]
    fn clear_interval(handle: &JsValue);
    #[wasm_bindgen(js_name = setTimeout)]
    fn set_timeout(handler: &Function, ms: i32) -> JsValue;
    #[wasm_bindgen(js_name = clearTimeout)]
    fn clear_timeout(handle: &JsValue);
}

/// A running `setInterval` or pending `setTimeout`; cleared on drop.
pub struct Timer {
    handle: JsValue,
    clear: fn(&JsValue),
    _callback: Closure<dyn FnMut()>,
}

impl Timer {
    /// Calls `callback` every `ms` milliseconds until the returned value is dropped.
    pub fn interval(ms: f64, callback: impl FnMut() + 'static) -> Self {
        Self::start(ms, callback, set_interval, clear_interval)
    }

    /// Calls `callback` once after `ms` milliseconds, unless the returned value is dropped first.
    pub fn timeout(ms: f64, callback: impl FnMut() + 'static) -> Self {
        Self::start(ms, callback, set_timeout, clear_timeout)
    }

    fn start(
        ms: f64,
        callback: impl FnMut() + 'static,
        set: fn(&Function, i32) -> JsValue,
        clear: fn(&JsValue),
    ) -> Self {
        Self::arm(ms, Box::new(callback), set, clear)
    }

    fn arm(
        ms: f64,
        callback: Box<dyn FnMut()>,
        set: fn(&Function, i32) -> JsValue,
        clear: fn(&JsValue),
    ) -> Self {
        let callback = Closure::<dyn FnMut()>::wrap(callback);
        let ms = ms.clamp(0.0, f64::from(i32::MAX)) as i32;
        let handle = set(callback.as_ref().unchecked_ref(), ms);
        Self {
            handle,
            clear,
            _callback: callback,
        }
    }
}

impl Drop for Timer {
    fn drop(&mut self) {
        (self.clear)(&self.handle);
    }
}
