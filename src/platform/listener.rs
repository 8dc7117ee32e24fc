//! An event listener as a value: dropping it removes the listener.

use crate::platform::get;
use alloc::boxed::Box;
use js_sys::Function;
use wasm_bindgen::prelude::*;

/// A listener attached to an event target.
pub struct Listener {
    target: JsValue,
    kind: &'static str,
    callback: Closure<dyn FnMut(JsValue)>,
}

impl Listener {
    /// Calls `callback` with each `kind` event on the global object (the window, or a worker's
    /// global scope), if it has `addEventListener`.
    pub fn global(kind: &'static str, callback: impl FnMut(JsValue) + 'static) -> Option<Self> {
        Self::on(js_sys::global().into(), kind, callback)
    }

    /// Calls `callback` with each `kind` event on `target`, if it has `addEventListener`.
    pub fn on(
        target: JsValue,
        kind: &'static str,
        callback: impl FnMut(JsValue) + 'static,
    ) -> Option<Self> {
        // One non-generic body for every callback keeps a copy per caller out of the wasm.
        Self::attach(target, kind, Box::new(callback))
    }

    fn attach(
        target: JsValue,
        kind: &'static str,
        callback: Box<dyn FnMut(JsValue)>,
    ) -> Option<Self> {
        let callback = Closure::<dyn FnMut(JsValue)>::wrap(callback);
        let add = get(&target, "addEventListener")
            .dyn_into::<Function>()
            .ok()?;
        add.call2(&target, &JsValue::from_str(kind), callback.as_ref())
            .ok()?;
        Some(Self {
            target,
            kind,
            callback,
        })
    }
}

impl Drop for Listener {
    fn drop(&mut self) {
        if let Ok(remove) = get(&self.target, "removeEventListener").dyn_into::<Function>() {
            let _ = remove.call2(
                &self.target,
                &JsValue::from_str(self.kind),
                self.callback.as_ref(),
            );
        }
    }
}
