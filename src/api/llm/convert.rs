//! Conversions between JS values and the LLM core's types: usage, costs, pricing, alert rules
//! and call summaries.

use crate::core::llm::alerts::{Metric, Operator, Rule, DEFAULT_WINDOW_MS};
use crate::core::llm::calls::CallSummary;
use crate::core::llm::pricing::{Cost, Price, Rates};
use crate::core::llm::usage::{Provider, Usage};
use crate::core::stats::Summary;
use crate::platform::{array_items, dictionary, get, is_plain_object, plain_object_keys, set};
use alloc::vec::Vec;
use js_sys::{Object, TypeError};
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

/// Writes the OpenTelemetry GenAI usage attributes of `usage` onto `target`.
pub fn write_usage_attributes(target: &Object, usage: &Usage) {
    set(target, "gen_ai.usage.input_tokens", count(usage.input));
    set(target, "gen_ai.usage.output_tokens", count(usage.output));
    set(
        target,
        "gen_ai.usage.cache_read_input_tokens",
        count(usage.cache_read),
    );
    let writes = match (usage.cache_write_5m, usage.cache_write_1h) {
        (None, None) => None,
        (a, b) => Some(a.unwrap_or(0) + b.unwrap_or(0)),
    };
    set(
        target,
        "gen_ai.usage.cache_creation_input_tokens",
        count(writes),
    );
    set(
        target,
        "gen_ai.usage.reasoning_tokens",
        count(usage.reasoning),
    );
}

/// `{ inputCost, cacheReadCost, cacheWriteCost, outputCost, totalCost, currency, priced }`.
pub fn cost_to_js(c: &Cost) -> JsValue {
    let result = Object::new();
    let or_null = |v: Option<f64>| v.map_or(JsValue::NULL, JsValue::from);
    set(&result, "inputCost", or_null(c.input));
    set(&result, "cacheReadCost", or_null(c.cache_read));
    set(&result, "cacheWriteCost", or_null(c.cache_write));
    set(&result, "outputCost", or_null(c.output));
    set(&result, "totalCost", or_null(c.total));
    set(&result, "currency", "USD");
    set(&result, "priced", c.priced);
    result.into()
}

fn read_rates(value: &JsValue) -> Option<Rates> {
    let number = |key: &str| {
        get(value, key)
            .as_f64()
            .filter(|n| n.is_finite() && *n >= 0.0)
    };
    Some(Rates {
        input: number("input")?,
        output: number("output")?,
        cache_read: number("cacheRead"),
        cache_write_5m: number("cacheWrite5m"),
        cache_write_1h: number("cacheWrite1h"),
    })
}

/// `{ model: { input, output, cacheRead?, cacheWrite5m?, cacheWrite1h?, longContext? } }`.
pub fn read_pricing(value: &JsValue) -> Result<Vec<Price>, JsValue> {
    let mut prices = Vec::new();
    let keys = plain_object_keys(value)
        .ok_or_else(|| JsValue::from(TypeError::new("pricing must be an object of model rates")))?;
    for key in keys.iter() {
        let model = key.as_string().unwrap_or_default();
        let entry = get(value, &model);
        let rates = read_rates(&entry).ok_or_else(|| {
            JsValue::from(TypeError::new(
                &["pricing.", &model, " needs numeric input and output rates"].concat(),
            ))
        })?;
        let long = get(&entry, "longContext");
        prices.push(Price {
            model,
            rates,
            long_context: is_plain_object(&long).then(|| read_rates(&long)).flatten(),
        });
    }
    Ok(prices)
}

/// `[{ name, metric, operator, threshold, consecutive?, windowMs? }]`.
pub fn read_rules(value: &JsValue) -> Result<Vec<Rule>, JsValue> {
    let invalid = |message: &str| JsValue::from(TypeError::new(&["alertRules", message].concat()));
    let rules = array_items(value).ok_or_else(|| invalid(" must be an array of rules"))?;
    let mut parsed = Vec::new();
    for rule in rules.iter() {
        let name = get(&rule, "name").as_string().unwrap_or_default();
        let metric = get(&rule, "metric")
            .as_string()
            .and_then(|m| Metric::parse(&m));
        let operator = get(&rule, "operator")
            .as_string()
            .and_then(|o| Operator::parse(&o));
        let threshold = get(&rule, "threshold").as_f64().filter(|t| t.is_finite());
        let positive = |key: &str, default: f64| match get(&rule, key) {
            v if v.is_undefined() => Some(default),
            v => v.as_f64().filter(|n| n.is_finite() && *n >= 1.0),
        };
        let (Some(metric), Some(operator), Some(threshold), Some(consecutive), Some(window)) = (
            metric,
            operator,
            threshold,
            positive("consecutive", 1.0),
            positive("windowMs", DEFAULT_WINDOW_MS),
        ) else {
            return Err(invalid(
                &[
                    ".",
                    &name,
                    ": needs a known metric, an operator (>, >=, <, <=), a finite threshold, and \
                 consecutive and windowMs of at least 1",
                ]
                .concat(),
            ));
        };
        parsed.push(Rule::new(
            &name,
            metric,
            operator,
            threshold,
            consecutive as u32,
            window,
        ));
    }
    Ok(parsed)
}

/// `{ count, avg, min, max, p50, p95, p99 }`.
fn summary_to_js(s: Summary) -> JsValue {
    let object = Object::new();
    set(&object, "count", s.count as f64);
    set(&object, "avg", s.avg);
    set(&object, "min", s.min);
    set(&object, "max", s.max);
    set(&object, "p50", s.p50);
    set(&object, "p95", s.p95);
    set(&object, "p99", s.p99);
    object.into()
}

/// One group of `getSummary()`.
pub fn call_summary_to_js(s: &CallSummary) -> JsValue {
    let result = Object::new();
    let number = |key: &str, n: f64| set(&result, key, n);
    number("requests", s.requests as f64);
    number("requestsPerMinute", s.requests_per_minute);
    number("inputTokens", s.input_tokens as f64);
    number("outputTokens", s.output_tokens as f64);
    number("totalTokens", s.total_tokens as f64);
    number("cachedTokens", s.cache_read_tokens as f64);
    number("unknownUsage", s.unknown_usage as f64);
    number("totalCost", s.total_cost);
    number("unpriced", s.unpriced as f64);
    set(
        &result,
        "latency",
        s.latency.map_or(JsValue::NULL, summary_to_js),
    );
    number("errors", s.errors as f64);
    number("errorRate", s.error_rate);
    let by_type = dictionary();
    for (kind, n) in &s.errors_by_type {
        set(&by_type, kind, *n as f64);
    }
    set(&result, "errorsByType", by_type);
    number("cacheHits", s.cache_hits as f64);
    number("cacheMisses", s.cache_misses as f64);
    number("cacheHitRate", s.cache_hit_rate);
    result.into()
}
