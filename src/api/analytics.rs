//! `AnalyticsCore`: the rules of UsageAnalytics (feature adoption, conversations, provider
//! requests, proactive suggestions) for the JS class `UsageAnalytics`
//! (js/usage-analytics.js). Each operation takes the page's arguments as the JS class read them; each call answers with
//! the event to send, as `"<type>\n<data JSON>"`, `""` for an invalid call (counted by the
//! collector), or nothing.

use crate::api::args::Args;
use crate::api::cores::Core;
use crate::api::op::Op;
use crate::core::analytics::Analytics;
use crate::core::json_value;
use crate::core::text::concat;
use crate::core::usage_report as report;
use alloc::string::String;

/// An event for the JS class: its type and data.
fn event(kind: &str, data: String) -> Option<String> {
    Some(concat(&[kind, "\n", &data]))
}

/// An invalid call: the collector counts it.
fn invalid() -> Option<String> {
    Some(String::new())
}

/// A count argument: a finite, non-negative number, else 0.
fn count(value: f64) -> u64 {
    if value.is_finite() && value >= 0.0 {
        value as u64
    } else {
        0
    }
}

/// The rules of one `UsageAnalytics` (the core kind `analytics`).
pub struct AnalyticsCore {
    analytics: Analytics,
    features: bool,
    conversations: bool,
    providers: bool,
    proactive: bool,
}

impl AnalyticsCore {
    /// Options (texts `optionsJson`, null for none): `trackFeatures`, `trackConversations`,
    /// `trackProviders`, `trackProactive`, each on unless `false`.
    pub fn open(args: &Args<'_>) -> AnalyticsCore {
        let options = args.text(0).and_then(json_value::parse);
        let flag = |key: &str| {
            options
                .as_ref()
                .and_then(|o| o.get(key))
                .and_then(|v| v.as_bool())
                != Some(false)
        };
        AnalyticsCore {
            analytics: Analytics::default(),
            features: flag("trackFeatures"),
            conversations: flag("trackConversations"),
            providers: flag("trackProviders"),
            proactive: flag("trackProactive"),
        }
    }

    /// The operations on conversations.
    fn conversation(&mut self, op: Op, args: &Args<'_>) -> Option<String> {
        if !self.conversations {
            return None;
        }
        let Some(id) = args.id(0) else {
            return invalid();
        };
        let analytics = &mut self.analytics;
        match op {
            Op::StartConversation => {
                let Some(provider) = args.text(1) else {
                    return invalid();
                };
                analytics
                    .start_conversation(&id, provider, args.number(0))
                    .then(|| report::conversation_started(&id, provider))
                    .and_then(|data| event("conversation.started", data))
            }
            Op::TrackMessage => {
                let (Some(role), Some(length)) = (args.text(1), args.optional_number(0)) else {
                    return invalid();
                };
                let length = count(length);
                analytics
                    .message(&id, length, role)
                    .then(|| report::conversation_message(&id, length, role))
                    .and_then(|data| event("conversation.message", data))
            }
            _ => {
                let success = args.flag(1);
                analytics
                    .end_conversation(&id, success, args.number(0))
                    .then(|| report::conversation_ended(&id, success))
                    .and_then(|data| event("conversation.ended", data))
            }
        }
    }

    /// The operations on proactive suggestions.
    fn proactive(&mut self, op: Op, args: &Args<'_>) -> Option<String> {
        if !self.proactive {
            return None;
        }
        let Some(id) = args.id(0) else {
            return invalid();
        };
        let analytics = &mut self.analytics;
        match op {
            Op::TrackProactiveSuggestion => {
                analytics.suggested(&id);
                event("proactive.suggested", report::suggested(&id, args.text(1)))
            }
            Op::TrackProactiveAcceptance => {
                let Some(time) = args.optional_number(0) else {
                    return invalid();
                };
                analytics
                    .accepted(&id, time)
                    .then(|| report::accepted(&id, time))
                    .and_then(|data| event("proactive.accepted", data))
            }
            _ => analytics
                .dismissed(&id)
                .then(|| report::dismissed(&id))
                .and_then(|data| event("proactive.dismissed", data)),
        }
    }
}

impl Core for AnalyticsCore {
    /// Runs the operation `op` with its [`Args`] (ids are strings or whole numbers; a text
    /// that was not a string is null, a number that was not one NaN):
    ///
    /// - `trackFeature` (texts `featureId, action, metaJson`; numbers `now`): a feature was
    ///   used.
    /// - `startConversation` (`id, provider`; `now`), `trackMessage` (`id, role`; `length`: a
    ///   message's length, never its content), `endConversation` (`id, success`; `now`).
    /// - `trackProviderRequest` (`provider, success`; `latencyMs, tokens`): a request to a
    ///   provider.
    /// - `trackProactiveSuggestion` (`id, metaJson`), `trackProactiveAcceptance` (`id`;
    ///   `timeToAcceptMs`), `trackProactiveDismissal` (`id`).
    /// - `featureStats`, `conversationStats`, `proactiveMetrics`: the reports, as JSON.
    fn call(&mut self, op: Op, args: &Args<'_>) -> Option<String> {
        match op {
            Op::FeatureStats => Some(report::feature_stats(&self.analytics)),
            Op::ConversationStats => Some(report::conversation_stats(&self.analytics)),
            Op::ProactiveMetrics => Some(report::proactive_metrics(&self.analytics)),
            Op::TrackFeature => {
                if !self.features {
                    return None;
                }
                let (Some(feature_id), Some(action)) = (args.id(0), args.text(1)) else {
                    return invalid();
                };
                self.analytics.feature(&feature_id, action, args.number(0));
                event(
                    "feature.used",
                    report::feature_used(&feature_id, action, args.text(2)),
                )
            }
            Op::TrackProviderRequest => {
                if !self.providers {
                    return None;
                }
                let (Some(provider), Some(latency_ms)) = (args.text(0), args.optional_number(0))
                else {
                    return invalid();
                };
                let (success, tokens) = (args.flag(1), count(args.number(1)));
                self.analytics
                    .provider_request(provider, latency_ms, success, tokens);
                let data = report::provider_request(provider, latency_ms, success, tokens);
                event("provider.request", data)
            }
            Op::StartConversation | Op::TrackMessage | Op::EndConversation => {
                self.conversation(op, args)
            }
            Op::TrackProactiveSuggestion
            | Op::TrackProactiveAcceptance
            | Op::TrackProactiveDismissal => self.proactive(op, args),
            _ => None,
        }
    }
}
