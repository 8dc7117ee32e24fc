//! Reading the application's LLM options from their JSON: pricing tables and alert rules, with
//! the errors a bad one gets.

use crate::core::json_value::Value;
use crate::core::llm::alerts::{Metric, Operator, Rule, DEFAULT_WINDOW_MS};
use crate::core::llm::pricing::{Price, Rates};
use crate::core::text::concat;
use alloc::string::String;
use alloc::vec::Vec;

/// A bad option: the JS class throws it as a `TypeError` or a `RangeError`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum OptionError {
    /// Thrown as a `TypeError`.
    Type(String),
    /// Thrown as a `RangeError`.
    Range(String),
}

fn read_rates(value: &Value) -> Option<Rates> {
    let number = |key: &str| {
        value
            .get(key)
            .and_then(Value::as_f64)
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
pub fn read_pricing(value: &Value) -> Result<Vec<Price>, OptionError> {
    let Value::Object(members) = value else {
        return Err(OptionError::Type(
            "pricing must be an object of model rates".into(),
        ));
    };
    let mut prices = Vec::new();
    for (model, entry) in members {
        let rates = read_rates(entry).ok_or_else(|| {
            OptionError::Type(concat(&[
                "pricing.",
                model,
                " needs numeric input and output rates",
            ]))
        })?;
        let long_context = match entry.get("longContext") {
            Some(long @ Value::Object(_)) => read_rates(long),
            _ => None,
        };
        prices.push(Price {
            model: model.clone(),
            rates,
            long_context,
        });
    }
    Ok(prices)
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

    #[test]
    fn pricing_needs_an_object_of_numeric_input_and_output_rates() {
        let prices = read_pricing(
            &parse(r#"{"m":{"input":1,"output":2,"longContext":{"input":3,"output":4}}}"#).unwrap(),
        )
        .unwrap();
        assert_eq!(prices[0].model, "m");
        assert_eq!(prices[0].long_context.map(|r| r.output), Some(4.0));
        assert_eq!(
            read_pricing(&parse(r#"{"m":{"input":1}}"#).unwrap()),
            Err(OptionError::Type(
                "pricing.m needs numeric input and output rates".into()
            ))
        );
        assert!(read_pricing(&Value::Null).is_err());
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
