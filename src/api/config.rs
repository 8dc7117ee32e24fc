//! Reading a JS configuration object into a [`ConfigPatch`], and writing a [`Config`] back.

use alloc::string::String;
use alloc::vec::Vec;

use crate::api::patterns::{parse_patterns, CustomPattern};
use crate::core::config::{
    Config, ConfigError, ConfigPatch, SamplingStrategy, TransportKind, FIELDS,
};
use crate::platform::{array_items, get, plain_object_keys, set};
use js_sys::{Array, Function, Object};
use wasm_bindgen::{JsCast, JsValue};

/// Converts a configuration error into the JS error the DESIGN promises.
pub fn to_js_error(error: &ConfigError) -> JsValue {
    let message = error.message();
    match error {
        ConfigError::Range { .. } => js_sys::RangeError::new(&message).into(),
        _ => js_sys::TypeError::new(&message).into(),
    }
}

/// A parsed configuration object: the patch and the JS values the core does not hold.
pub struct ParsedConfig {
    /// Field values to apply.
    pub patch: ConfigPatch,
    /// The `customTransport` function.
    pub custom_transport: Option<Function>,
    /// The `beforeSend` function.
    pub before_send: Option<Function>,
    /// The compiled `redactPatterns`.
    pub redact_patterns: Option<Vec<CustomPattern>>,
}

/// Reads every known field of `value` (which may be `undefined` for all defaults).
pub fn parse_config(value: &JsValue) -> Result<ParsedConfig, ConfigError> {
    if value.is_undefined() || value.is_null() {
        return Ok(ParsedConfig {
            patch: ConfigPatch::default(),
            custom_transport: None,
            before_send: None,
            redact_patterns: None,
        });
    }
    let keys = plain_object_keys(value).ok_or(ConfigError::Type {
        field: "config",
        expected: "an object",
    })?;
    for key in keys.iter() {
        let key = key.as_string().unwrap_or_default();
        if !FIELDS.contains(&key.as_str()) {
            return Err(ConfigError::Unknown(key));
        }
    }
    let custom_transport = function(value, "customTransport")?;
    let before_send = function(value, "beforeSend")?;
    let redact_patterns = present(value, "redactPatterns")
        .map(|v| parse_patterns(&v))
        .transpose()?;
    let patch = ConfigPatch {
        enabled: boolean(value, "enabled")?,
        sampling: choice(
            value,
            "sampling",
            SamplingStrategy::parse,
            SamplingStrategy::NAMES,
        )?,
        sampling_rate: number(value, "samplingRate")?,
        max_buffer_size: number(value, "maxBufferSize")?,
        flush_interval_ms: number(value, "flushIntervalMs")?,
        transport: choice(
            value,
            "transport",
            TransportKind::parse,
            TransportKind::NAMES,
        )?,
        endpoint: string(value, "endpoint")?,
        api_key: string(value, "apiKey")?,
        custom_transport: custom_transport.as_ref().map(|_| true),
        redact_pii: boolean(value, "redactPII")?,
        redact_fields: string_list(value, "redactFields")?,
        debug: boolean(value, "debug")?,
        throttle_window_ms: number(value, "throttleWindowMs")?,
        max_events_per_window: number(value, "maxEventsPerWindow")?,
        require_consent: boolean(value, "requireConsent")?,
        respect_do_not_track: boolean(value, "respectDoNotTrack")?,
        allowed_query_params: string_list(value, "allowedQueryParams")?,
        user_id_salt: string(value, "userIdSalt")?,
        service_name: string(value, "serviceName")?,
        error_sampling_rate: number(value, "errorSamplingRate")?,
        max_errors_per_window: number(value, "maxErrorsPerWindow")?,
        retry_base_ms: number(value, "retryBaseMs")?,
        retry_max_ms: number(value, "retryMaxMs")?,
        breaker_threshold: number(value, "breakerThreshold")?,
        breaker_cooldown_ms: number(value, "breakerCooldownMs")?,
    };
    Ok(ParsedConfig {
        patch,
        custom_transport,
        before_send,
        redact_patterns,
    })
}

fn function(object: &JsValue, field: &'static str) -> Result<Option<Function>, ConfigError> {
    typed(object, field, "a function", |v| {
        v.dyn_ref::<Function>().cloned()
    })
}

fn present(object: &JsValue, field: &str) -> Option<JsValue> {
    Some(get(object, field)).filter(|v| !v.is_undefined())
}

/// Reads an optional field with `read`, or names the field and the type it needs.
fn typed<T>(
    object: &JsValue,
    field: &'static str,
    expected: &'static str,
    read: fn(&JsValue) -> Option<T>,
) -> Result<Option<T>, ConfigError> {
    present(object, field)
        .map(|v| read(&v).ok_or(ConfigError::Type { field, expected }))
        .transpose()
}

fn boolean(object: &JsValue, field: &'static str) -> Result<Option<bool>, ConfigError> {
    typed(object, field, "a boolean", JsValue::as_bool)
}

fn number(object: &JsValue, field: &'static str) -> Result<Option<f64>, ConfigError> {
    typed(object, field, "a number", JsValue::as_f64)
}

fn string(object: &JsValue, field: &'static str) -> Result<Option<String>, ConfigError> {
    typed(object, field, "a string", JsValue::as_string)
}

fn choice<T>(
    object: &JsValue,
    field: &'static str,
    parse: fn(&str) -> Option<T>,
    names: &'static str,
) -> Result<Option<T>, ConfigError> {
    let error = ConfigError::Type {
        field,
        expected: names,
    };
    match present(object, field) {
        None => Ok(None),
        Some(v) => v.as_string().and_then(|s| parse(&s)).map(Some).ok_or(error),
    }
}

fn string_list(object: &JsValue, field: &'static str) -> Result<Option<Vec<String>>, ConfigError> {
    let error = ConfigError::Type {
        field,
        expected: "an array of strings",
    };
    let Some(value) = present(object, field) else {
        return Ok(None);
    };
    let items: Option<Vec<String>> = array_items(&value)
        .ok_or(error.clone())?
        .iter()
        .map(|item| item.as_string())
        .collect();
    items.map(Some).ok_or(error)
}

/// The configuration as a plain JS object, with the field names of the JS contract.
pub fn config_to_js(
    config: &Config,
    custom_transport: Option<&Function>,
    before_send: Option<&Function>,
) -> JsValue {
    let object = Object::new();
    set(&object, "enabled", config.enabled);
    set(&object, "sampling", config.sampling.name());
    set(&object, "samplingRate", config.sampling_rate);
    set(&object, "maxBufferSize", config.max_buffer_size);
    set(&object, "flushIntervalMs", config.flush_interval_ms);
    set(&object, "transport", config.transport.name());
    set(&object, "endpoint", optional(config.endpoint.as_deref()));
    set(&object, "apiKey", optional(config.api_key.as_deref()));
    set(
        &object,
        "customTransport",
        custom_transport.map_or(JsValue::UNDEFINED, |f| f.clone().into()),
    );
    set(&object, "redactPII", config.redact_pii);
    let fields: Array = config
        .redact_fields
        .iter()
        .map(|f| JsValue::from_str(f))
        .collect();
    set(&object, "redactFields", fields);
    set(&object, "debug", config.debug);
    set(&object, "throttleWindowMs", config.throttle_window_ms);
    set(&object, "maxEventsPerWindow", config.max_events_per_window);
    set(&object, "requireConsent", config.require_consent);
    set(&object, "respectDoNotTrack", config.respect_do_not_track);
    let params: Array = config
        .allowed_query_params
        .iter()
        .map(|p| JsValue::from_str(p))
        .collect();
    set(&object, "allowedQueryParams", params);
    set(&object, "userIdSalt", config.user_id_salt.as_str());
    set(&object, "serviceName", config.service_name.as_str());
    set(&object, "errorSamplingRate", config.error_sampling_rate);
    set(&object, "maxErrorsPerWindow", config.max_errors_per_window);
    set(&object, "retryBaseMs", config.retry_base_ms);
    set(&object, "retryMaxMs", config.retry_max_ms);
    set(&object, "breakerThreshold", config.breaker_threshold);
    set(&object, "breakerCooldownMs", config.breaker_cooldown_ms);
    set(
        &object,
        "beforeSend",
        before_send.map_or(JsValue::UNDEFINED, |f| f.clone().into()),
    );
    object.into()
}

fn optional(value: Option<&str>) -> JsValue {
    value.map_or(JsValue::UNDEFINED, JsValue::from_str)
}
