//! Conversions between JS values and the LLM core's usage, for the stream accumulator.

use crate::core::llm::usage::{Provider, Usage};
use crate::platform::{get, is_plain_object, set};
use js_sys::Object;
use wasm_bindgen::prelude::*;

/// Reads a dotted path (`prompt_tokens_details.cached_tokens`) of a JS object as a number.
fn field_of(object: &JsValue) -> impl Fn(&str) -> Option<f64> + '_ {
    move |path: &str| {
        path.split('.')
            .fold(object.clone(), |value, key| get(&value, key))
            .as_f64()
    }
}

/// Normalises a raw or normalised usage object; anything else is unknown usage.
pub fn usage_of(provider: Provider, value: &JsValue) -> Usage {
    if !is_plain_object(value) {
        return Usage::default();
    }
    Usage::from_raw(provider, &field_of(value))
}

fn count(value: Option<u64>) -> JsValue {
    value.map_or(JsValue::NULL, |n| JsValue::from(n as f64))
}

/// `{ inputTokens, outputTokens, cacheReadTokens, cacheWrite5mTokens, cacheWrite1hTokens,
/// reasoningTokens }`, unknown counts as `null`.
pub fn usage_to_js(usage: &Usage) -> JsValue {
    let result = Object::new();
    set(&result, "inputTokens", count(usage.input));
    set(&result, "outputTokens", count(usage.output));
    set(&result, "cacheReadTokens", count(usage.cache_read));
    set(&result, "cacheWrite5mTokens", count(usage.cache_write_5m));
    set(&result, "cacheWrite1hTokens", count(usage.cache_write_1h));
    set(&result, "reasoningTokens", count(usage.reasoning));
    result.into()
}
