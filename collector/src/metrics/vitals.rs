//! Core Web Vitals of stored `web-vital` events: thresholds, ratings and p75.

use super::stats::percentile;
use crate::store::Row;
use serde_json::{json, Map, Value};
use std::collections::BTreeMap;
use wasm_telemetry_rules::events::WEB_VITAL_EVENT;
use wasm_telemetry_rules::vitals::Vital;

/// The Core Web Vitals thresholds of the vital `name` (good up to the first, poor above the
/// second), as the SDK rates them.
pub fn vital_thresholds(name: &str) -> Option<(f64, f64)> {
    Vital::from_name(name).map(Vital::thresholds)
}

/// `good`, `needs-improvement` or `poor`, as web-vitals rates a value; `unknown` for a name
/// that is no Core Web Vital.
pub fn vital_rating(name: &str, value: f64) -> &'static str {
    Vital::from_name(name).map_or("unknown", |vital| vital.rate(value).name())
}

/// p75 of each vital in `web-vital` rows: `{ LCP: { p75, rating, count }, … }`.
pub fn vitals_p75(rows: &[Row]) -> Value {
    let mut by_name: BTreeMap<String, Vec<f64>> = BTreeMap::new();
    for row in rows.iter().filter(|r| r.kind == WEB_VITAL_EVENT) {
        let (Some(name), Some(value)) = (row.data["name"].as_str(), row.data["value"].as_f64())
        else {
            continue;
        };
        if vital_thresholds(name).is_some() && value.is_finite() {
            by_name.entry(name.into()).or_default().push(value);
        }
    }
    let mut result = Map::new();
    for (name, mut values) in by_name {
        let count = values.len();
        if let Some(p75) = percentile(&mut values, 75) {
            result.insert(
                name.clone(),
                json!({ "p75": p75, "rating": vital_rating(&name, p75), "count": count }),
            );
        }
    }
    Value::Object(result)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::metrics::fixtures::row;
    use serde_json::json;
    #[test]
    fn vitals_are_reported_at_p75_with_web_vitals_ratings() {
        let rows: Vec<Row> = [1000.0, 2000.0, 3000.0, 5000.0]
            .iter()
            .map(|v| row("web-vital", 0, json!({ "name": "LCP", "value": v })))
            .chain([row("web-vital", 0, json!({ "name": "CLS", "value": 0.3 }))])
            .chain([row("web-vital", 0, json!({ "name": "BOGUS", "value": 1 }))])
            .collect();
        let vitals = vitals_p75(&rows);
        assert_eq!(
            vitals["LCP"],
            json!({ "p75": 3000.0, "rating": "needs-improvement", "count": 4 })
        );
        assert_eq!(vitals["CLS"]["rating"], "poor");
        assert!(vitals.get("BOGUS").is_none());
        assert_eq!(vital_rating("INP", 200.0), "good");
    }
}
