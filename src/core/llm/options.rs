//! Reading the application's LLM options from their JSON: pricing tables and alert rules, with
//! the errors a bad one gets.

use crate::core::json_value::Value;
use crate::core::llm::alerts::{Metric, Operator, Rule, DEFAULT_WINDOW_MS};
use crate::core::text::concat;
use alloc::string::String;
use alloc::vec::Vec;
use wasm_telemetry_prices::price::Price;
use wasm_telemetry_prices::read::{iso_date, read};

/// A bad option: the JS class throws it as a `TypeError` or a `RangeError`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum OptionError {
    /// Thrown as a `TypeError`.
    Type(String),
    /// Thrown as a `RangeError`.
    Range(String),
}

/// A price table in any of the three formats of [`wasm_telemetry_prices::read`], read on the
/// day of `now_ms`; a bad entry is a `TypeError` naming the model and the field.
pub fn read_pricing(value: &Value, now_ms: f64) -> Result<Vec<Price>, OptionError> {
    read(value, &iso_date(now_ms)).map_err(|error| OptionError::Type(error.message()))
}

/// `[{ name, metric, operator, threshold, consecutive?, windowMs? }]`.
pub fn read_rules(value: &Value) -> Result<Vec<Rule>, OptionError> {
    let invalid = |message: &str| OptionError::Type(concat(&["alertRules", message]));
    let Value::Array(rules) = value else {
        return Err(invalid(" must be an array of rules"));
    };
    let mut parsed = Vec::new();
    for rule in rules {
        let text = |key: &str| rule.get(key).and_then(Value::as_str);
        let name = text("name").unwrap_or_default();
        let metric = text("metric").and_then(Metric::parse);
        let operator = text("operator").and_then(Operator::parse);
        let threshold = rule
            .get("threshold")
            .and_then(Value::as_f64)
            .filter(|t| t.is_finite());
        let positive = |key: &str, default: f64| match rule.get(key) {
            None => Some(default),
            Some(v) => v.as_f64().filter(|n| n.is_finite() && *n >= 1.0),
        };
        let (Some(metric), Some(operator), Some(threshold), Some(consecutive), Some(window)) = (
            metric,
            operator,
            threshold,
            positive("consecutive", 1.0),
            positive("windowMs", DEFAULT_WINDOW_MS),
        ) else {
            return Err(invalid(&concat(&[
                ".",
                name,
                ": needs a known metric, an operator (>, >=, <, <=), a finite threshold, and \
                 consecutive and windowMs of at least 1",
            ])));
        };
        parsed.push(Rule::new(
            name,
            metric,
            operator,
            threshold,
            consecutive as u32,
            window,
        ));
    }
    Ok(parsed)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::json_value::parse;
    use wasm_telemetry_prices::part::Part;

    #[test]
    fn pricing_is_read_through_the_cores_json_in_every_format() {
        let now = 1_796_169_600_000.0; // 2026-12-02
        let read = |text: &str| read_pricing(&parse(text).unwrap(), now);
        let prices = read(
            r#"{"m":{"input":1,"output":2,"longContext":{"input":3,"output":4}},
            "gpt-x":{"mode":"chat","input_cost_per_token":2.5e-06,"output_cost_per_token":1E-5}}"#,
        )
        .unwrap();
        assert_eq!(prices[0].tiers[0].rates.given(Part::Output), Some(4.0));
        let litellm = prices[1].rates;
        assert!((litellm.given(Part::Input).unwrap() - 2.5).abs() < 1e-12);
        assert!((litellm.given(Part::Output).unwrap() - 10.0).abs() < 1e-12);
        let dated = read(
            r#"[{"id":"o","prices":[{"prices":{"input_mtok":9,"output_mtok":9}},
            {"constraint":{"type":"start_date","start_date":"2026-12-02"},"prices":{"input_mtok":1,"output_mtok":2}}]}]"#,
        )
        .unwrap();
        assert_eq!(dated[0].rates.given(Part::Input), Some(1.0));
        assert_eq!(
            read(r#"{"m":{"input":1}}"#),
            Err(OptionError::Type("pricing.m.output is required".into()))
        );
        assert!(read_pricing(&Value::Null, now).is_err());
    }

    #[test]
    fn rules_need_a_known_metric_an_operator_and_a_finite_threshold() {
        let rules = read_rules(
            &parse(r#"[{"name":"e","metric":"errorRate","operator":">","threshold":0.1,"consecutive":3}]"#)
                .unwrap(),
        )
        .unwrap();
        assert_eq!(
            (rules[0].consecutive, rules[0].window_ms),
            (3, DEFAULT_WINDOW_MS)
        );
        let bad =
            read_rules(&parse(r#"[{"metric":"vibes","operator":">","threshold":1}]"#).unwrap());
        assert!(matches!(bad, Err(OptionError::Type(m)) if m.starts_with("alertRules.: needs")));
        assert_eq!(
            read_rules(&Value::Null),
            Err(OptionError::Type(
                "alertRules must be an array of rules".into()
            ))
        );
    }
}
