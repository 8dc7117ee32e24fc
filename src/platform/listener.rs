//! An event listener as a value: dropping it removes the listener.

use crate::platform::get;
use alloc::boxed::Box;
use js_sys::Function;
use wasm_bindgen::prelude::*;

/// A listener attached to the global object (the window, or a worker's global scope).
pub struct Listener {
    kind: &'static str,
    callback: Closure<dyn FnMut(JsValue)>,
}

impl Listener {
    /// Calls `callback` with each `kind` event on the global object, if it has
    /// `addEventListener`; returns `None` where it has not.
    pub fn global(kind: &'static str, callback: impl FnMut(JsValue) + 'static) -> Option<Self> {
        let callback = Closure::<dyn FnMut(JsValue)>::wrap(Box::new(callback));
        let global = js_sys::global();
        let add = get(&global, "addEventListener")
            .dyn_into::<Function>()
            .ok()?;
        add.call2(&global, &JsValue::from_str(kind), callback.as_ref())
            .ok()?;
        Some(Self { kind, callback })
    }
}

impl Drop for Listener {
    fn drop(&mut self) {
        let global = js_sys::global();
        if let Ok(remove) = get(&global, "removeEventListener").dyn_into::<Function>() {
            let _ = remove.call2(
                &global,
                &JsValue::from_str(self.kind),
                self.callback.as_ref(),
            );
        }
    }
}
