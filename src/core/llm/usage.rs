//! Token usage read from a JSON usage object: the normalisation itself is the shared rule of
//! [`wasm_telemetry_prices::usage`], which the collector also applies.

use crate::core::json_object::Object;
use crate::core::json_value::Value;
use alloc::string::String;
pub use wasm_telemetry_prices::usage::{Provider, Usage};

/// Normalises a raw or normalised usage object; anything else is unknown usage.
pub fn usage_of(provider: Provider, value: Option<&Value>) -> Usage {
    let Some(value @ Value::Object(_)) = value else {
        return Usage::default();
    };
    let field = |path: &str| wasm_telemetry_prices::json::usage_field(value, path);
    Usage::from_raw(provider, &field)
}

/// The normalised form of `usage` (`{ inputTokens, outputTokens, cacheReadTokens, … }`), which
/// [`usage_of`] and the collector read back as it is: every count, unknown ones `null`, as
/// `stream.usage()` answers; or, for an event on the wire, only the known ones.
pub fn normalised_json(usage: &Usage, with_unknown: bool) -> String {
    let mut object = Object::default();
    for (key, count) in Usage::KEYS.iter().zip(usage.counts()) {
        if with_unknown || count.is_some() {
            object.maybe(key, count.map(|n| n as f64));
        }
    }
    object.finish()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::json_value::parse;

    #[test]
    fn a_gemini_usage_object_is_read_through_its_modality_arrays() {
        let value = parse(
            r#"{"promptTokenCount":1440,"candidatesTokenCount":62,"cachedContentTokenCount":500,
            "promptTokensDetails":[{"modality":"TEXT","tokenCount":240},{"modality":"AUDIO","tokenCount":1200}],
            "cacheTokensDetails":[{"modality":"AUDIO","tokenCount":400}]}"#,
        );
        let usage = usage_of(Provider::Gemini, value.as_ref());
        assert_eq!(
            (
                usage.input,
                usage.cache_read,
                usage.audio_input,
                usage.audio_cache_read
            ),
            (Some(1440), Some(500), Some(1200), Some(400))
        );
        assert_eq!(
            usage_of(Provider::Gemini, parse("[1]").as_ref()),
            Usage::default()
        );
        assert_eq!(usage_of(Provider::OpenAi, None), Usage::default());
    }

    #[test]
    fn the_normalised_form_reads_back_as_it_was() {
        let usage = Usage {
            input: Some(900),
            cache_write_1h: Some(300),
            image_output: Some(5),
            ..Usage::default()
        };
        let every = normalised_json(&usage, true);
        assert!(
            every.starts_with(r#"{"inputTokens":900,"outputTokens":null,"#),
            "{every}"
        );
        let known = normalised_json(&usage, false);
        assert_eq!(
            known,
            r#"{"inputTokens":900,"cacheWrite1hTokens":300,"imageOutputTokens":5}"#
        );
        for provider in [Provider::Anthropic, Provider::Gemini, Provider::Other] {
            for text in [&every, &known] {
                assert_eq!(usage_of(provider, parse(text).as_ref()), usage);
            }
        }
    }
}
