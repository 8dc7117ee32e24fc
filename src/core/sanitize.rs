//! Redaction of a JSON document: field values by key name, PII patterns in every string and key,
//! at any depth.

use crate::core::json::write_string;
use crate::core::json_object::write_value;
use crate::core::json_value::{read, Refusal, Value};
use crate::core::pii::{redact, Rules};
use crate::core::text::push_ascii;
use alloc::borrow::Cow;
use alloc::string::String;
use alloc::vec::Vec;
use thiserror::Error;

/// What replaces the value of a redacted field.
pub const REDACTED_FIELD: &str = "[REDACTED]";

/// Why a document could not be sanitised.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
#[error("{}", self.message())]
pub enum SanitizeError {
    /// Not valid JSON.
    Invalid,
    /// Nested deeper than [`crate::core::json_value::MAX_DEPTH`].
    TooDeep,
}

impl SanitizeError {
    /// The rule the document broke.
    pub fn message(&self) -> &'static str {
        match self {
            Self::Invalid => "event data must be valid JSON",
            Self::TooDeep => "event data must nest at most 64 levels deep",
        }
    }
}

/// Whether the field name `key` ends with `name` once both are normalised: ASCII lower case,
/// without `_`, `-`, `.` or spaces, so `api_key`, `API-Key` and `apiKey` are one name. Both are
/// read from their end, with nothing built: a name is checked for every key of every event.
/// (ASCII case folding keeps the Unicode case tables, some 30 KB, out of the `.wasm`.)
fn field_ends_with(key: &str, name: &str) -> bool {
    let (mut key, mut name) = (key.as_bytes(), name.as_bytes());
    while let Some(expected) = take_last_kept(&mut name) {
        if take_last_kept(&mut key) != Some(expected) {
            return false;
        }
    }
    true
}

/// Takes the last byte that normalisation keeps off the end of a field name, lower-cased.
/// Inlined in its one caller: faster there, and smaller.
#[inline(always)]
fn take_last_kept(name: &mut &[u8]) -> Option<u8> {
    while let Some((&last, before)) = name.split_last() {
        *name = before;
        if !matches!(last, b'_' | b'-' | b'.' | b' ') {
            return Some(last.to_ascii_lowercase());
        }
    }
    None
}

/// What to redact.
#[derive(Debug, Clone, Default)]
pub struct Policy {
    /// Whether PII patterns are redacted in strings.
    pub patterns: bool,
    /// Field names whose values are replaced (a key matches a name it equals or ends with, once
    /// both are normalised: `user_Email` matches `email`, `inputTokens` does not match `token`).
    pub fields: Vec<String>,
    /// URL rules of the pattern scanner.
    pub rules: Rules,
}

impl Policy {
    /// Whether the value under `key` must be replaced.
    pub fn is_redacted_field(&self, key: &str) -> bool {
        self.fields.iter().any(|field| field_ends_with(key, field))
    }

    /// Redacts one piece of text: built-in patterns, then the application's `custom` patterns.
    pub fn text<'t>(
        &self,
        text: &'t str,
        custom: &mut dyn FnMut(&str) -> Option<String>,
    ) -> Cow<'t, str> {
        let patterned = match self.patterns.then(|| redact(text, &self.rules)).flatten() {
            Some(redacted) => Cow::Owned(redacted),
            None => Cow::Borrowed(text),
        };
        match custom(&patterned) {
            Some(replaced) => Cow::Owned(replaced),
            None => patterned,
        }
    }
}

/// Copies the JSON document `json` into `out` with the policy applied.
pub fn sanitize_json(
    json: &str,
    policy: &Policy,
    custom: &mut dyn FnMut(&str) -> Option<String>,
    out: &mut String,
) -> Result<(), SanitizeError> {
    let value = read(json).map_err(|refusal| match refusal {
        Refusal::TooDeep => SanitizeError::TooDeep,
        Refusal::Invalid => SanitizeError::Invalid,
    })?;
    write(&value, policy, custom, out);
    Ok(())
}

/// Writes `value` with the policy applied: every key and string redacted, the values of
/// redacted fields replaced, and a number long enough to be a card number checked like text.
fn write(
    value: &Value,
    policy: &Policy,
    custom: &mut dyn FnMut(&str) -> Option<String>,
    out: &mut String,
) {
    match value {
        Value::String(text) => write_string(out, &policy.text(text, custom)),
        Value::Number(number) if number.len() >= 13 => match policy.text(number, custom) {
            Cow::Owned(redacted) => write_string(out, &redacted),
            Cow::Borrowed(number) => out.push_str(number),
        },
        Value::Array(items) => {
            push_ascii(out, b'[');
            for (index, item) in items.iter().enumerate() {
                if index > 0 {
                    push_ascii(out, b',');
                }
                write(item, policy, custom, out);
            }
            push_ascii(out, b']');
        }
        Value::Object(members) => {
            push_ascii(out, b'{');
            for (index, (key, member)) in members.iter().enumerate() {
                if index > 0 {
                    push_ascii(out, b',');
                }
                write_string(out, &policy.text(key, custom));
                push_ascii(out, b':');
                if policy.is_redacted_field(key) {
                    write_string(out, REDACTED_FIELD);
                } else {
                    write(member, policy, custom, out);
                }
            }
            push_ascii(out, b'}');
        }
        literal => write_value(out, literal),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::json_value::MAX_DEPTH;
    use alloc::string::ToString;

    fn policy(fields: &[&str]) -> Policy {
        Policy {
            patterns: true,
            fields: fields.iter().map(|f| f.to_string()).collect(),
            rules: Rules::default(),
        }
    }

    fn run(json: &str, policy: &Policy) -> Result<String, SanitizeError> {
        let mut out = String::new();
        sanitize_json(json, policy, &mut |_| None, &mut out).map(|()| out)
    }

    #[test]
    fn redacts_pii_at_any_depth_in_values_and_keys() {
        let json =
            r#"{"a":{"b":[{"note":"mail bob@x.io"}],"c":"+1 555 123 4567"},"eve@x.io":1,"n":42}"#;
        assert_eq!(
            run(json, &policy(&[])).unwrap(),
            r#"{"a":{"b":[{"note":"mail [REDACTED_EMAIL]"}],"c":"[REDACTED_PHONE]"},"[REDACTED_EMAIL]":1,"n":42}"#
        );
    }

    #[test]
    fn field_names_match_whatever_the_case_and_separators() {
        let json = r#"{"api_key":"k","API-Key":{"x":1},"apiKey":[1,2],"userEmail":"e","inputTokens":12,"password":null}"#;
        assert_eq!(
            run(json, &policy(&["apiKey", "email", "token", "password"])).unwrap(),
            r#"{"api_key":"[REDACTED]","API-Key":"[REDACTED]","apiKey":"[REDACTED]","userEmail":"[REDACTED]","inputTokens":12,"password":"[REDACTED]"}"#
        );
    }

    #[test]
    fn escapes_are_decoded_before_matching_and_encoded_after() {
        let json = r#"{"s":"line\nmail: a\u0040b.io \"q\" \ud83d\ude00 \u00e9"}"#;
        assert_eq!(
            run(json, &policy(&[])).unwrap(),
            "{\"s\":\"line\\nmail: [REDACTED_EMAIL] \\\"q\\\" 😀 é\"}"
        );
    }

    #[test]
    fn card_numbers_stored_as_numbers_are_redacted() {
        assert_eq!(
            run(
                r#"{"card":4111111111111111,"ts":1700000000000,"pi":3.14}"#,
                &policy(&[])
            )
            .unwrap(),
            r#"{"card":"[REDACTED_CREDIT_CARD]","ts":1700000000000,"pi":3.14}"#
        );
    }

    #[test]
    fn patterns_off_keeps_text_but_still_redacts_fields() {
        let mut p = policy(&["secret"]);
        p.patterns = false;
        assert_eq!(
            run(r#"{"m":"a@b.io","clientSecret":"s"}"#, &p).unwrap(),
            r#"{"m":"a@b.io","clientSecret":"[REDACTED]"}"#
        );
    }

    #[test]
    fn custom_patterns_run_after_the_built_in_ones() {
        let mut custom = |text: &str| {
            text.contains("ORD-")
                .then(|| text.replace("ORD-", "[REDACTED_ORDER]-"))
        };
        let mut out = String::new();
        sanitize_json(
            r#"["ORD-1 by a@b.io"]"#,
            &policy(&[]),
            &mut custom,
            &mut out,
        )
        .unwrap();
        assert_eq!(out, r#"["[REDACTED_ORDER]-1 by [REDACTED_EMAIL]"]"#);
    }

    #[test]
    fn invalid_and_too_deep_documents_are_refused() {
        for bad in [
            "",
            "{",
            "{\"a\":}",
            "[1,]",
            "{\"a\" 1}",
            "\"open",
            "tru",
            "{} x",
            "{\"a\":\"\\x\"}",
        ] {
            assert_eq!(run(bad, &policy(&[])), Err(SanitizeError::Invalid), "{bad}");
        }
        let deep = "[".repeat(MAX_DEPTH + 2) + &"]".repeat(MAX_DEPTH + 2);
        assert_eq!(run(&deep, &policy(&[])), Err(SanitizeError::TooDeep));
        let ok = "[".repeat(MAX_DEPTH) + &"]".repeat(MAX_DEPTH);
        assert_eq!(run(&ok, &policy(&[])).unwrap(), ok);
    }

    #[test]
    fn whitespace_is_tolerated_and_dropped() {
        assert_eq!(
            run(" { \"a\" : [ 1 , true ] } ", &policy(&[])).unwrap(),
            r#"{"a":[1,true]}"#
        );
    }

    #[test]
    fn field_names_are_normalised_and_matched_from_their_end() {
        for (key, name, expected) in [
            ("API-Key", "apiKey", true),
            ("api_key", "API-Key", true),
            ("user_E-mail", "email", true),
            ("userEmail", "e.mail", true),
            ("credit_card.number", "creditCardNumber", true),
            ("Ssn", "ssn", true),
            ("inputTokens", "token", false),
            ("é.Token", "token", true),
            ("ken", "token", false),
            ("", "token", false),
            ("Straße_Email", "strasseemail", false),
            ("Straße_Email", "STRAßEEMAIL", true),
        ] {
            assert_eq!(field_ends_with(key, name), expected, "{key} {name}");
        }
    }
}
