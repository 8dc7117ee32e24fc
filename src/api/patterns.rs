//! The application's own redaction patterns (`redactPatterns`): regular expressions run by the
//! browser's engine after the built-in scanner, each replacing matches with its marker.

use crate::core::config::ConfigError;
use crate::platform::{array_items, get};
use alloc::string::String;
use alloc::vec::Vec;
use js_sys::{Array, JsString, RegExp};
use wasm_bindgen::{JsCast, JsValue};

/// One compiled pattern.
pub struct CustomPattern {
    regex: RegExp,
    marker: String,
}

const EXPECTED: &str =
    "an array of RegExp, regular-expression strings or { pattern, type } objects";

/// Reads `redactPatterns`: each entry a `RegExp`, a regular-expression source string, or
/// `{ pattern, type }` whose matches become `[REDACTED_<TYPE>]` (default `[REDACTED_CUSTOM]`).
pub fn parse_patterns(value: &JsValue) -> Result<Vec<CustomPattern>, ConfigError> {
    let error = ConfigError::Type {
        field: "redactPatterns",
        expected: EXPECTED,
    };
    array_items(value)
        .ok_or_else(|| error.clone())?
        .iter()
        .map(|entry| {
            let (pattern, kind) = if entry.is_instance_of::<RegExp>() || entry.is_string() {
                (entry, None)
            } else if entry.is_object() {
                (get(&entry, "pattern"), get(&entry, "type").as_string())
            } else {
                return Err(error.clone());
            };
            let regex = compile(&pattern).ok_or_else(|| error.clone())?;
            let kind = kind
                .unwrap_or_else(|| String::from("CUSTOM"))
                .to_ascii_uppercase();
            let marker = ["[REDACTED_", &kind, "]"].concat();
            Ok(CustomPattern { regex, marker })
        })
        .collect()
}

/// A global copy of the pattern (so every match is replaced).
fn compile(pattern: &JsValue) -> Option<RegExp> {
    // `source` and `flags` are read with `Reflect.get`: a subclass's getters may throw.
    let (source, flags) = if pattern.is_instance_of::<RegExp>() {
        (
            get(pattern, "source").as_string()?,
            get(pattern, "flags").as_string()?,
        )
    } else {
        (pattern.as_string()?, String::new())
    };
    let flags = if flags.contains('g') {
        flags
    } else {
        [flags.as_str(), "g"].concat()
    };
    // An invalid source throws a SyntaxError, which `RegExp::new` would not catch.
    let constructor: js_sys::Function = get(&js_sys::global(), "RegExp").dyn_into().ok()?;
    let args = Array::of2(&JsValue::from_str(&source), &JsValue::from_str(&flags));
    js_sys::Reflect::construct(&constructor, &args)
        .ok()?
        .dyn_into()
        .ok()
}

/// Applies every pattern to `text`; `None` when nothing matched.
pub fn apply(patterns: &[CustomPattern], text: &str) -> Option<String> {
    if patterns.is_empty() {
        return None;
    }
    let original = JsString::from(text);
    let replaced = patterns.iter().fold(original.clone(), |current, pattern| {
        current.replace_by_pattern(&pattern.regex, &pattern.marker)
    });
    (replaced != original).then(|| String::from(replaced))
}
