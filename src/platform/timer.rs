//! A repeating timer as a value: dropping it clears the interval.

use js_sys::Function;
use wasm_bindgen::prelude::*;

#[wasm_bindgen]
extern "C" {
    #[wasm_bindgen(js_name = setInterval)]
    fn set_interval(handler: &Function, ms: i32) -> JsValue;
    #[wasm_bindgen(js_name = clearInterval)]
    fn clear_interval(handle: &JsValue);
}

/// A running `setInterval`; cleared on drop.
pub struct Interval {
    handle: JsValue,
    _callback: Closure<dyn FnMut()>,
}

impl Interval {
    /// Calls `callback` every `ms` milliseconds until the returned value is dropped.
    pub fn new(ms: u32, callback: impl FnMut() + 'static) -> Self {
        let callback = Closure::<dyn FnMut()>::new(callback);
        let ms = i32::try_from(ms).unwrap_or(i32::MAX);
        let handle = set_interval(callback.as_ref().unchecked_ref(), ms);
        Self {
            handle,
            _callback: callback,
        }
    }
}

impl Drop for Interval {
    fn drop(&mut self) {
        clear_interval(&self.handle);
    }
}

#[wasm_bindgen]
extern "C" {
    #[wasm_bindgen(js_name = setTimeout)]
    fn set_timeout(handler: &Function, ms: i32) -> JsValue;
    #[wasm_bindgen(js_name = clearTimeout)]
    fn clear_timeout(handle: &JsValue);
}

/// A pending `setTimeout`; cancelled on drop.
pub struct Timeout {
    handle: JsValue,
    _callback: Closure<dyn FnMut()>,
}

impl Timeout {
    /// Calls `callback` once after `ms` milliseconds, unless the returned value is dropped first.
    pub fn new(ms: f64, callback: impl FnMut() + 'static) -> Self {
        let callback = Closure::<dyn FnMut()>::new(callback);
        let ms = ms.clamp(0.0, f64::from(i32::MAX)) as i32;
        let handle = set_timeout(callback.as_ref().unchecked_ref(), ms);
        Self {
            handle,
            _callback: callback,
        }
    }
}

impl Drop for Timeout {
    fn drop(&mut self) {
        clear_timeout(&self.handle);
    }
}
