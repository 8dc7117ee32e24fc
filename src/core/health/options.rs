//! `HealthCheck`'s options: `enabled` (true), `checkIntervalMs` (60000; 0 for on-demand only),
//! `failureThreshold` (3) and `timeoutMs` (5000), read from the JSON the JS class serialised.
//! An absent number takes its default, any other value than a number in range is a
//! `RangeError`; only `enabled: false` disables. Other fields are ignored.

use crate::core::config::ConfigError;
use crate::core::json_value::{self, Value};

/// One numeric option: its JS name, default, range and the rule a value outside it breaks.
struct NumberOption {
    name: &'static str,
    default: f64,
    min: f64,
    max: f64,
    rule: &'static str,
}

const CHECK_INTERVAL: NumberOption = NumberOption {
    name: "checkIntervalMs",
    default: 60_000.0,
    min: 0.0,
    max: 86_400_000.0,
    rule: "between 0 and 86400000",
};

const FAILURE_THRESHOLD: NumberOption = NumberOption {
    name: "failureThreshold",
    default: 3.0,
    min: 1.0,
    max: 1000.0,
    rule: "between 1 and 1000",
};

const TIMEOUT: NumberOption = NumberOption {
    name: "timeoutMs",
    default: 5000.0,
    min: 1.0,
    max: 600_000.0,
    rule: "between 1 and 600000",
};

/// The validated options of one `HealthCheck`.
#[derive(Debug, Clone, PartialEq)]
pub struct HealthOptions {
    /// Whether checks run at all (`runChecks` then only reports).
    pub enabled: bool,
    /// Milliseconds between timed checks; 0 for on-demand only.
    pub check_interval_ms: f64,
    /// Failures in a row that make a service unhealthy.
    pub failure_threshold: u32,
    /// How long a check may take before it counts as failed, in ms.
    pub timeout_ms: f64,
}

impl HealthOptions {
    /// Reads the options object `text`; anything but a JSON object is no options at all.
    pub fn from_json(text: &str) -> Result<Self, ConfigError> {
        let options = json_value::parse(text).filter(|v| matches!(v, Value::Object(_)));
        let number = |option: &NumberOption| -> Result<f64, ConfigError> {
            let Some(value) = options.as_ref().and_then(|o| last(o, option.name)) else {
                return Ok(option.default);
            };
            match value.as_f64() {
                Some(n) if (option.min..=option.max).contains(&n) => Ok(n),
                _ => Err(ConfigError::Range {
                    field: option.name,
                    rule: option.rule,
                }),
            }
        };
        let check_interval_ms = number(&CHECK_INTERVAL)?;
        let failure_threshold = number(&FAILURE_THRESHOLD)? as u32;
        let timeout_ms = number(&TIMEOUT)?;
        let enabled = !matches!(
            options.as_ref().and_then(|o| last(o, "enabled")),
            Some(Value::Bool(false))
        );
        Ok(Self {
            enabled,
            check_interval_ms,
            failure_threshold,
            timeout_ms,
        })
    }

    /// How often the JS class runs the checks by itself, in ms; 0 for never.
    pub fn timer_ms(&self) -> f64 {
        if self.enabled {
            self.check_interval_ms
        } else {
            0.0
        }
    }
}

/// The last member named `key` of an object (as `JSON.parse` keeps it).
fn last<'a, 'v>(object: &'a Value<'v>, key: &str) -> Option<&'a Value<'v>> {
    match object {
        Value::Object(members) => members.iter().rev().find(|(k, _)| k == key).map(|(_, v)| v),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn message(text: &str) -> String {
        HealthOptions::from_json(text).unwrap_err().message()
    }

    use alloc::string::String;

    #[test]
    fn absent_options_take_their_defaults() {
        let defaults = HealthOptions {
            enabled: true,
            check_interval_ms: 60_000.0,
            failure_threshold: 3,
            timeout_ms: 5000.0,
        };
        for text in ["{}", "", "[1]", "{\"other\":\"x\",\"enabled\":true}"] {
            assert_eq!(
                HealthOptions::from_json(text),
                Ok(defaults.clone()),
                "{text}"
            );
        }
        assert_eq!(defaults.timer_ms(), 60_000.0);
    }

    #[test]
    fn numbers_in_range_are_kept_and_only_false_disables() {
        let options = HealthOptions::from_json(
            r#"{"checkIntervalMs":0,"failureThreshold":2.5,"timeoutMs":600000,"enabled":false}"#,
        )
        .unwrap();
        assert_eq!(options.check_interval_ms, 0.0);
        assert_eq!(options.failure_threshold, 2);
        assert_eq!(options.timeout_ms, 600_000.0);
        assert!(!options.enabled);
        let disabled = HealthOptions::from_json(r#"{"enabled":false,"checkIntervalMs":10}"#);
        assert_eq!(disabled.map(|o| o.timer_ms()), Ok(0.0));
        for enabled in ["0", "null", "\"false\"", "{}"] {
            let text = ["{\"enabled\":", enabled, "}"].concat();
            assert!(HealthOptions::from_json(&text).unwrap().enabled, "{text}");
        }
    }

    #[test]
    fn anything_else_is_a_range_error_naming_the_option_and_its_rule() {
        assert_eq!(
            message(r#"{"checkIntervalMs":-1}"#),
            "checkIntervalMs must be between 0 and 86400000"
        );
        assert_eq!(
            message(r#"{"failureThreshold":0}"#),
            "failureThreshold must be between 1 and 1000"
        );
        for value in ["0", "null", "\"5\"", "{}", "true", "600001"] {
            let text = ["{\"timeoutMs\":", value, "}"].concat();
            assert_eq!(
                message(&text),
                "timeoutMs must be between 1 and 600000",
                "{text}"
            );
            assert!(matches!(
                HealthOptions::from_json(&text),
                Err(ConfigError::Range { .. })
            ));
        }
    }
}
