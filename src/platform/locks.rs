//! Web Locks: a page holds the lock named after its journal for as long as it lives, so another
//! page can tell an orphaned journal (lock free: its page is gone) from a live one.

use crate::platform::get;
use alloc::boxed::Box;
use js_sys::{Function, Object, Promise, Reflect};
use wasm_bindgen::prelude::*;

fn request(name: &str, options: Option<&Object>, callback: JsValue) -> bool {
    let locks = get(&get(&js_sys::global(), "navigator"), "locks");
    let Ok(request) = get(&locks, "request").dyn_into::<Function>() else {
        return false;
    };
    let name = JsValue::from_str(name);
    let called = match options {
        Some(options) => request.call3(&locks, &name, options, &callback),
        None => request.call2(&locks, &name, &callback),
    };
    called.is_ok()
}

/// Whether the browser has Web Locks.
pub fn available() -> bool {
    get(&get(&js_sys::global(), "navigator"), "locks").is_object()
}

/// Holds the lock `name` until the page goes away. Returns whether the request was made.
pub fn hold(name: &str) -> bool {
    let callback = Closure::once_into_js(Box::new(|_lock: JsValue| -> JsValue {
        Promise::new(&mut |_resolve, _reject| {}).into()
    }) as Box<dyn FnOnce(JsValue) -> JsValue>);
    request(name, None, callback)
}

/// Takes the lock `name` if nobody holds it and runs `taken` while holding it; does nothing
/// when another page holds it. Returns whether the request was made.
pub fn take_if_free(name: &str, taken: impl FnOnce() + 'static) -> bool {
    let options = Object::new();
    let _ = Reflect::set(&options, &"ifAvailable".into(), &JsValue::TRUE);
    let callback = Closure::once_into_js(Box::new(move |lock: JsValue| -> JsValue {
        if !lock.is_null() {
            taken();
        }
        JsValue::UNDEFINED
    }) as Box<dyn FnOnce(JsValue) -> JsValue>);
    request(name, Some(&options), callback)
}
