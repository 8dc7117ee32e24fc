//! What UsageAnalytics sends and reports, as JSON: the data of its events and its statistics.
//! Ids, names and lengths only, never content.

use crate::core::analytics::{Analytics, Pairs};
use crate::core::json_object::Object;
use alloc::string::String;

/// `{ key: count, … }` of a small map.
fn counts(pairs: &Pairs<u64>) -> String {
    let mut object = Object::default();
    for (key, count) in pairs {
        object.count(key, *count);
    }
    object.finish()
}

/// `feature.used`: `{ featureId, action, meta? }`; `meta_json` (a JSON object) as given.
pub fn feature_used(feature_id: &str, action: &str, meta_json: Option<&str>) -> String {
    let mut object = Object::default();
    object.text("featureId", feature_id).text("action", action);
    with_meta(object, meta_json)
}

/// Adds `meta` (a JSON object, as given) when there is one, and finishes.
fn with_meta(mut object: Object, meta_json: Option<&str>) -> String {
    if let Some(meta) = meta_json.filter(|m| m.starts_with('{')) {
        object.raw("meta", Some(meta));
    }
    object.finish()
}

/// `conversation.started`: `{ conversationId, provider }`.
pub fn conversation_started(id: &str, provider: &str) -> String {
    Object::default()
        .text("conversationId", id)
        .text("provider", provider)
        .finish()
}

/// `conversation.message`: `{ conversationId, length, role }`.
pub fn conversation_message(id: &str, length: u64, role: &str) -> String {
    Object::default()
        .text("conversationId", id)
        .count("length", length)
        .text("role", role)
        .finish()
}

/// `conversation.ended`: `{ conversationId, success }`.
pub fn conversation_ended(id: &str, success: bool) -> String {
    Object::default()
        .text("conversationId", id)
        .flag("success", success)
        .finish()
}

/// `provider.request`: `{ provider, latencyMs, success, tokens }`.
pub fn provider_request(provider: &str, latency_ms: f64, success: bool, tokens: u64) -> String {
    Object::default()
        .text("provider", provider)
        .number("latencyMs", latency_ms)
        .flag("success", success)
        .count("tokens", tokens)
        .finish()
}

/// `proactive.suggested`: `{ suggestionId, meta? }`.
pub fn suggested(id: &str, meta_json: Option<&str>) -> String {
    let mut object = Object::default();
    object.text("suggestionId", id);
    with_meta(object, meta_json)
}

/// `proactive.accepted`: `{ suggestionId, timeToAcceptMs }`.
pub fn accepted(id: &str, time_to_accept_ms: f64) -> String {
    Object::default()
        .text("suggestionId", id)
        .number("timeToAcceptMs", time_to_accept_ms)
        .finish()
}

/// `proactive.dismissed`: `{ suggestionId }`.
pub fn dismissed(id: &str) -> String {
    Object::default().text("suggestionId", id).finish()
}

/// `[{ featureId, uses, actions, firstUsed, lastUsed }]`, most used first.
pub fn feature_stats(analytics: &Analytics) -> String {
    let mut out = String::from("[");
    for (index, (feature, usage)) in analytics.features().into_iter().enumerate() {
        if index > 0 {
            out.push(',');
        }
        let entry = Object::default()
            .text("featureId", feature)
            .count("uses", usage.uses)
            .raw("actions", Some(&counts(&usage.actions)))
            .number("firstUsed", usage.first_used_ms)
            .number("lastUsed", usage.last_used_ms)
            .finish();
        out.push_str(&entry);
    }
    out.push(']');
    out
}

/// `{ started, active, ended, successRate, avgMessages, avgDurationMs, avgLengthByRole,
/// byProvider, providers }`.
pub fn conversation_stats(analytics: &Analytics) -> String {
    let stats = analytics.conversation_stats();
    let mut lengths = Object::default();
    for (role, average) in &stats.avg_length_by_role {
        lengths.number(role, *average);
    }
    let mut providers = Object::default();
    for (name, p) in analytics.providers() {
        let average = if p.requests > 0 {
            p.total_latency_ms / p.requests as f64
        } else {
            0.0
        };
        let provider = Object::default()
            .count("requests", p.requests)
            .count("errors", p.errors)
            .count("tokens", p.tokens)
            .number("avgLatencyMs", average)
            .finish();
        providers.raw(name, Some(&provider));
    }
    Object::default()
        .count("started", stats.started)
        .count("active", stats.active)
        .count("ended", stats.ended)
        .maybe("successRate", stats.success_rate)
        .maybe("avgMessages", stats.avg_messages)
        .maybe("avgDurationMs", stats.avg_duration_ms)
        .raw("avgLengthByRole", Some(&lengths.finish()))
        .raw("byProvider", Some(&counts(&stats.by_provider)))
        .raw("providers", Some(&providers.finish()))
        .finish()
}

/// `{ shown, accepted, dismissed, acceptanceRate, medianTimeToAcceptMs }`.
pub fn proactive_metrics(analytics: &Analytics) -> String {
    let metrics = analytics.proactive();
    Object::default()
        .count("shown", metrics.shown)
        .count("accepted", metrics.accepted)
        .count("dismissed", metrics.dismissed)
        .maybe("acceptanceRate", metrics.acceptance_rate)
        .maybe("medianTimeToAcceptMs", metrics.median_time_to_accept_ms)
        .finish()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn events_carry_ids_and_measures_and_meta_as_given() {
        assert_eq!(
            feature_used("search", "opened", Some(r#"{"from":"menu"}"#)),
            r#"{"featureId":"search","action":"opened","meta":{"from":"menu"}}"#
        );
        assert_eq!(
            feature_used("a\"b", "x", None),
            r#"{"featureId":"a\"b","action":"x"}"#
        );
        assert_eq!(
            provider_request("openai", f64::NAN, false, 12),
            r#"{"provider":"openai","latencyMs":null,"success":false,"tokens":12}"#
        );
        assert_eq!(
            conversation_message("c1", 40, "user"),
            r#"{"conversationId":"c1","length":40,"role":"user"}"#
        );
        assert_eq!(
            suggested("s1", Some("[1]")),
            r#"{"suggestionId":"s1"}"#,
            "only an object is meta"
        );
    }

    #[test]
    fn statistics_report_what_was_tracked() {
        let mut a = Analytics::default();
        a.feature("search", "opened", 10.0);
        a.feature("search", "used", 20.0);
        assert_eq!(
            feature_stats(&a),
            r#"[{"featureId":"search","uses":2,"actions":{"opened":1,"used":1},"firstUsed":10,"lastUsed":20}]"#
        );
        a.start_conversation("c", "openai", 0.0);
        a.message("c", 10, "user");
        a.provider_request("openai", 100.0, true, 5);
        a.provider_request("openai", 300.0, false, 5);
        let stats = conversation_stats(&a);
        assert!(stats.starts_with(r#"{"started":1,"active":1,"ended":0,"successRate":null,"avgMessages":1,"avgDurationMs":null,"avgLengthByRole":{"user":10},"byProvider":{"openai":1}"#), "{stats}");
        assert!(stats.ends_with(r#""providers":{"openai":{"requests":2,"errors":1,"tokens":10,"avgLatencyMs":200}}}"#), "{stats}");
        assert_eq!(
            proactive_metrics(&a),
            r#"{"shown":0,"accepted":0,"dismissed":0,"acceptanceRate":null,"medianTimeToAcceptMs":null}"#
        );
    }
}
