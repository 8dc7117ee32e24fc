//! Browser privacy signals.

use crate::platform::get;
use wasm_bindgen::JsValue;

/// True when the browser sends Global Privacy Control (`navigator.globalPrivacyControl`) or
/// Do-Not-Track (`navigator.doNotTrack === '1'`, or the legacy `window.doNotTrack`).
pub fn privacy_signal() -> bool {
    let global = js_sys::global();
    let navigator = get(&global, "navigator");
    let dnt = |value: JsValue| matches!(value.as_string().as_deref(), Some("1" | "yes"));
    get(&navigator, "globalPrivacyControl").as_bool() == Some(true)
        || dnt(get(&navigator, "doNotTrack"))
        || dnt(get(&global, "doNotTrack"))
}
