//! What UsageAnalytics sends and reports, as JSON: the data of its events and its statistics.
//! Ids, names and lengths only, never content.

use crate::core::analytics::{Analytics, Pairs};
use crate::core::json::{write_integer, write_number, write_string};
use alloc::string::String;

/// Writes JSON objects member by member.
struct Object {
    out: String,
    empty: bool,
}

impl Object {
    fn new() -> Self {
        Self {
            out: String::from("{"),
            empty: true,
        }
    }

    fn key(&mut self, key: &str) -> &mut String {
        if !self.empty {
            self.out.push(',');
        }
        self.empty = false;
        write_string(&mut self.out, key);
        self.out.push(':');
        &mut self.out
    }

    fn text(mut self, key: &str, value: &str) -> Self {
        write_string(self.key(key), value);
        self
    }

    fn count(mut self, key: &str, value: u64) -> Self {
        write_integer(self.key(key), value.min(i64::MAX as u64) as i64);
        self
    }

    /// A measure, exact; `null` when it is not a finite number (as `JSON.stringify` writes NaN).
    fn number(mut self, key: &str, value: f64) -> Self {
        write_number(self.key(key), value);
        self
    }

    fn maybe(self, key: &str, value: Option<f64>) -> Self {
        self.number(key, value.unwrap_or(f64::NAN))
    }

    fn flag(mut self, key: &str, value: bool) -> Self {
        self.key(key).push_str(if value { "true" } else { "false" });
        self
    }

    /// An object member written by the caller (`raw` must be a JSON object).
    fn raw(mut self, key: &str, raw: &str) -> Self {
        self.key(key).push_str(raw);
        self
    }

    fn end(mut self) -> String {
        self.out.push('}');
        self.out
    }
}

/// `{ key: count, … }` of a small map.
fn counts(pairs: &Pairs<u64>) -> String {
    pairs
        .iter()
        .fold(Object::new(), |o, (key, count)| o.count(key, *count))
        .end()
}

/// `feature.used`: `{ featureId, action, meta? }`; `meta_json` (a JSON object) as given.
pub fn feature_used(feature_id: &str, action: &str, meta_json: Option<&str>) -> String {
    let object = Object::new()
        .text("featureId", feature_id)
        .text("action", action);
    match meta_json.filter(|m| m.starts_with('{')) {
        Some(meta) => object.raw("meta", meta),
        None => object,
    }
    .end()
}

/// `conversation.started`: `{ conversationId, provider }`.
pub fn conversation_started(id: &str, provider: &str) -> String {
    Object::new()
        .text("conversationId", id)
        .text("provider", provider)
        .end()
}

/// `conversation.message`: `{ conversationId, length, role }`.
pub fn conversation_message(id: &str, length: u64, role: &str) -> String {
    Object::new()
        .text("conversationId", id)
        .count("length", length)
        .text("role", role)
        .end()
}

/// `conversation.ended`: `{ conversationId, success }`.
pub fn conversation_ended(id: &str, success: bool) -> String {
    Object::new()
        .text("conversationId", id)
        .flag("success", success)
        .end()
}

/// `provider.request`: `{ provider, latencyMs, success, tokens }`.
pub fn provider_request(provider: &str, latency_ms: f64, success: bool, tokens: u64) -> String {
    Object::new()
        .text("provider", provider)
        .number("latencyMs", latency_ms)
        .flag("success", success)
        .count("tokens", tokens)
        .end()
}

/// `proactive.suggested`: `{ suggestionId, meta? }`.
pub fn suggested(id: &str, meta_json: Option<&str>) -> String {
    let object = Object::new().text("suggestionId", id);
    match meta_json.filter(|m| m.starts_with('{')) {
        Some(meta) => object.raw("meta", meta),
        None => object,
    }
    .end()
}

/// `proactive.accepted`: `{ suggestionId, timeToAcceptMs }`.
pub fn accepted(id: &str, time_to_accept_ms: f64) -> String {
    Object::new()
        .text("suggestionId", id)
        .number("timeToAcceptMs", time_to_accept_ms)
        .end()
}

/// `proactive.dismissed`: `{ suggestionId }`.
pub fn dismissed(id: &str) -> String {
    Object::new().text("suggestionId", id).end()
}

/// `[{ featureId, uses, actions, firstUsed, lastUsed }]`, most used first.
pub fn feature_stats(analytics: &Analytics) -> String {
    let mut out = String::from("[");
    for (index, (feature, usage)) in analytics.features().into_iter().enumerate() {
        if index > 0 {
            out.push(',');
        }
        let entry = Object::new()
            .text("featureId", feature)
            .count("uses", usage.uses)
            .raw("actions", &counts(&usage.actions))
            .number("firstUsed", usage.first_used_ms)
            .number("lastUsed", usage.last_used_ms);
        out.push_str(&entry.end());
    }
    out.push(']');
    out
}

/// `{ started, active, ended, successRate, avgMessages, avgDurationMs, avgLengthByRole,
/// byProvider, providers }`.
pub fn conversation_stats(analytics: &Analytics) -> String {
    let stats = analytics.conversation_stats();
    let lengths = stats
        .avg_length_by_role
        .iter()
        .fold(Object::new(), |o, (role, average)| o.number(role, *average))
        .end();
    let providers = analytics
        .providers()
        .fold(Object::new(), |o, (name, p)| {
            let average = if p.requests > 0 {
                p.total_latency_ms / p.requests as f64
            } else {
                0.0
            };
            let provider = Object::new()
                .count("requests", p.requests)
                .count("errors", p.errors)
                .count("tokens", p.tokens)
                .number("avgLatencyMs", average)
                .end();
            o.raw(name, &provider)
        })
        .end();
    Object::new()
        .count("started", stats.started)
        .count("active", stats.active)
        .count("ended", stats.ended)
        .maybe("successRate", stats.success_rate)
        .maybe("avgMessages", stats.avg_messages)
        .maybe("avgDurationMs", stats.avg_duration_ms)
        .raw("avgLengthByRole", &lengths)
        .raw("byProvider", &counts(&stats.by_provider))
        .raw("providers", &providers)
        .end()
}

/// `{ shown, accepted, dismissed, acceptanceRate, medianTimeToAcceptMs }`.
pub fn proactive_metrics(analytics: &Analytics) -> String {
    let metrics = analytics.proactive();
    Object::new()
        .count("shown", metrics.shown)
        .count("accepted", metrics.accepted)
        .count("dismissed", metrics.dismissed)
        .maybe("acceptanceRate", metrics.acceptance_rate)
        .maybe("medianTimeToAcceptMs", metrics.median_time_to_accept_ms)
        .end()
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
