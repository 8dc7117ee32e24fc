//! The browser wiring of LlmTelemetry, the one module still written in Rust: clock, storage
//! and timers. The other classes' wiring is in the package's JS.

use alloc::string::String;

pub mod listener;
pub mod storage;
pub mod timer;

use js_sys::{Array, Object, Reflect};
use wasm_bindgen::prelude::wasm_bindgen;
use wasm_bindgen::{JsCast, JsValue};

// Reading what the application passes may run its code (proxy traps, getters): these catch what
// that code throws, so no exception from the page crosses the wasm frames.
#[wasm_bindgen]
extern "C" {
    #[wasm_bindgen(catch, js_namespace = Array, js_name = isArray)]
    fn array_is_array(value: &JsValue) -> Result<bool, JsValue>;
    #[wasm_bindgen(catch, js_namespace = Array, js_name = from)]
    fn array_from(value: &JsValue) -> Result<Array, JsValue>;
    #[wasm_bindgen(catch, js_namespace = Object, js_name = keys)]
    fn object_keys(value: &JsValue) -> Result<Array, JsValue>;
}

/// A copy of an array's items, or `None` for anything else and when reading them throws (even
/// asking whether a revoked proxy is an array throws).
pub fn array_items(value: &JsValue) -> Option<Array> {
    if array_is_array(value).ok()? {
        array_from(value).ok()
    } else {
        None
    }
}

/// A plain object's own enumerable keys, or `None` for anything else and when reading them
/// throws.
pub fn plain_object_keys(value: &JsValue) -> Option<Array> {
    if is_plain_object(value) {
        object_keys(value).ok()
    } else {
        None
    }
}

/// Milliseconds since the Unix epoch.
pub fn now_ms() -> f64 {
    js_sys::Date::now()
}

/// Reads `object[key]`, treating a throwing getter or proxy as `undefined`.
pub fn get(object: &JsValue, key: &str) -> JsValue {
    Reflect::get(object, &JsValue::from_str(key)).unwrap_or(JsValue::UNDEFINED)
}

/// `JSON.stringify(value)`, or `None` when it throws (cycles, BigInt) or yields `undefined`.
pub fn stringify(value: &JsValue) -> Option<String> {
    js_sys::JSON::stringify(value)
        .ok()
        .and_then(|s| s.as_string())
}

/// `JSON.parse(text)`, or `undefined` when the text is not JSON.
pub fn parse(text: &str) -> JsValue {
    js_sys::JSON::parse(text).unwrap_or(JsValue::UNDEFINED)
}

/// True for a non-null object that is not an array.
pub fn is_plain_object(value: &JsValue) -> bool {
    value.is_object() && !value.is_function() && array_is_array(value) == Ok(false)
}

/// Writes `[wasm-telemetry] ` and the message parts to the console at debug level, with an
/// optional value.
pub fn debug_log(parts: &[&str], value: &JsValue) {
    let message = [&["[wasm-telemetry] "], parts].concat().concat();
    web_sys::console::debug_2(&JsValue::from_str(&message), value);
}

/// Sets `object[key] = value` on an object this SDK created.
pub fn set(object: &Object, key: &str, value: impl Into<JsValue>) {
    // Setting a data property on a fresh plain object cannot fail.
    let _ = Reflect::set(object, &JsValue::from_str(key), &value.into());
}

/// An object without a prototype, for keys that come from the application (a key such as
/// `__proto__` becomes an ordinary property).
pub fn dictionary() -> Object {
    Object::create(JsValue::NULL.unchecked_ref())
}

/// `target[method](...args)`, or `None` when it is missing or throws.
pub fn call(target: &JsValue, method: &str, args: &[JsValue]) -> Option<JsValue> {
    let function = get(target, method).dyn_into::<js_sys::Function>().ok()?;
    let args: js_sys::Array = args.iter().collect();
    Reflect::apply(&function, target, &args).ok()
}

/// `options[key]` of an options argument, `undefined` when `options` is not a plain object.
pub fn option(options: &JsValue, key: &str) -> JsValue {
    if is_plain_object(options) {
        get(options, key)
    } else {
        JsValue::UNDEFINED
    }
}

/// A short CSS selector for an element, `tag#id` or `tag.class` (never its text); `None` when
/// `node` is not an element.
pub fn css_selector(node: &JsValue) -> Option<String> {
    let mut out = get(node, "tagName").as_string()?.to_ascii_lowercase();
    match get(node, "id").as_string().filter(|id| !id.is_empty()) {
        Some(id) => {
            out.push('#');
            out.push_str(&id);
        }
        None => {
            let classes = get(node, "className").as_string().unwrap_or_default();
            if let Some(first) = classes
                .split(|c: char| c.is_ascii_whitespace())
                .find(|c| !c.is_empty())
            {
                out.push('.');
                out.push_str(first);
            }
        }
    }
    Some(out)
}
