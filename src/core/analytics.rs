//! Usage analytics: feature adoption, conversations, provider requests and proactive
//! suggestions. Only counts, lengths, durations and categories are kept, never content.

use alloc::string::String;
use alloc::vec::Vec;

/// A small map kept as a list of pairs. These maps hold a handful of keys (features, roles,
/// providers), where a B-tree's code costs far more wasm than its lookups save (measured: about
/// 38 KB for six instantiations).
pub type Pairs<V> = Vec<(String, V)>;

/// Updates the value under `key`, inserting `make()` first when absent.
fn update<V>(
    pairs: &mut Pairs<V>,
    key: &str,
    make: impl FnOnce() -> V,
    change: impl FnOnce(&mut V),
) {
    if !pairs.iter().any(|(k, _)| k == key) {
        pairs.push((String::from(key), make()));
    }
    if let Some((_, value)) = pairs.iter_mut().find(|(k, _)| k == key) {
        change(value);
    }
}

/// The value under `key`.
pub fn lookup<'a, V>(pairs: &'a Pairs<V>, key: &str) -> Option<&'a V> {
    pairs.iter().find(|(k, _)| k == key).map(|(_, v)| v)
}

fn lookup_mut<'a, V>(pairs: &'a mut Pairs<V>, key: &str) -> Option<&'a mut V> {
    pairs.iter_mut().find(|(k, _)| k == key).map(|(_, v)| v)
}

/// How one feature was used.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct FeatureUse {
    /// Uses in total.
    pub uses: u64,
    /// Uses by action (`enabled`, `clicked`, …).
    pub actions: Pairs<u64>,
    /// First use, ms since the epoch.
    pub first_used_ms: f64,
    /// Latest use.
    pub last_used_ms: f64,
}

#[derive(Debug, Clone)]
struct Conversation {
    provider: String,
    started_ms: f64,
    messages: u64,
    ended: Option<(bool, f64)>,
}

/// Conversation statistics.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ConversationStats {
    /// Conversations started.
    pub started: u64,
    /// Still open.
    pub active: u64,
    /// Ended.
    pub ended: u64,
    /// Ended successfully, as a share of ended (`None` before any ended).
    pub success_rate: Option<f64>,
    /// Messages per conversation, on average.
    pub avg_messages: Option<f64>,
    /// Duration of ended conversations, on average (ms).
    pub avg_duration_ms: Option<f64>,
    /// Average message length by role (characters; content itself is never kept).
    pub avg_length_by_role: Pairs<f64>,
    /// Conversations by provider.
    pub by_provider: Pairs<u64>,
}

/// Proactive suggestion metrics.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ProactiveMetrics {
    /// Suggestions shown.
    pub shown: u64,
    /// Accepted.
    pub accepted: u64,
    /// Dismissed.
    pub dismissed: u64,
    /// Accepted share of shown (`None` before any was shown).
    pub acceptance_rate: Option<f64>,
    /// Median time to accept (ms), exact.
    pub median_time_to_accept_ms: Option<f64>,
}

/// Requests to one provider.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ProviderUse {
    /// Requests.
    pub requests: u64,
    /// Failed requests.
    pub errors: u64,
    /// Tokens reported.
    pub tokens: u64,
    /// Total latency (ms), for the average.
    pub total_latency_ms: f64,
}

/// Everything usage analytics keeps for a page.
#[derive(Debug, Clone, Default)]
pub struct Analytics {
    features: Pairs<FeatureUse>,
    conversations: Pairs<Conversation>,
    lengths: Pairs<(u64, u64)>,
    providers: Pairs<ProviderUse>,
    suggestions: Pairs<Option<bool>>,
    accept_times: Vec<f64>,
}

/// Most conversations and suggestions remembered (the oldest ended ones are forgotten).
pub const MAX_TRACKED: usize = 10_000;

impl Analytics {
    /// A feature was used.
    pub fn feature(&mut self, feature: &str, action: &str, now_ms: f64) {
        let first = || FeatureUse {
            first_used_ms: now_ms,
            ..FeatureUse::default()
        };
        update(&mut self.features, feature, first, |entry| {
            entry.uses += 1;
            entry.last_used_ms = now_ms;
            update(&mut entry.actions, action, || 0, |count| *count += 1);
        });
    }

    /// Features by use, most used first.
    pub fn features(&self) -> Vec<(&str, &FeatureUse)> {
        // Features are not capped, so sort in O(n log n): each key encodes "fewer uses, then
        // later first use" as one exact integer (below 2^53 for any realistic count).
        let n = self.features.len();
        let most = self.features.iter().map(|(_, v)| v.uses).max().unwrap_or(0);
        let mut keys = Vec::with_capacity(n);
        for (i, (_, v)) in self.features.iter().enumerate() {
            keys.push((most - v.uses) as f64 * n as f64 + i as f64);
        }
        crate::core::sort::sort_f64(&mut keys);
        let mut sorted = Vec::with_capacity(n);
        for key in keys {
            if let Some((k, v)) = self.features.get((key as u64 % n.max(1) as u64) as usize) {
                sorted.push((k.as_str(), v));
            }
        }
        sorted
    }

    /// A conversation started; returns false when the id was already open.
    pub fn start_conversation(&mut self, id: &str, provider: &str, now_ms: f64) -> bool {
        if lookup(&self.conversations, id).is_some_and(|c| c.ended.is_none()) {
            return false;
        }
        self.conversations.retain(|(k, _)| k != id);
        if self.conversations.len() >= MAX_TRACKED {
            if let Some(oldest) = self
                .conversations
                .iter()
                .position(|(_, c)| c.ended.is_some())
            {
                self.conversations.swap_remove(oldest);
            }
        }
        let conversation = Conversation {
            provider: provider.into(),
            started_ms: now_ms,
            messages: 0,
            ended: None,
        };
        self.conversations.push((id.into(), conversation));
        true
    }

    /// A message of `length` characters by `role` in conversation `id`.
    pub fn message(&mut self, id: &str, length: u64, role: &str) -> bool {
        let Some(conversation) =
            lookup_mut(&mut self.conversations, id).filter(|c| c.ended.is_none())
        else {
            return false;
        };
        conversation.messages += 1;
        update(
            &mut self.lengths,
            role,
            || (0, 0),
            |(count, total)| {
                *count += 1;
                *total = total.saturating_add(length);
            },
        );
        true
    }

    /// Conversation `id` ended.
    pub fn end_conversation(&mut self, id: &str, success: bool, now_ms: f64) -> bool {
        match lookup_mut(&mut self.conversations, id).filter(|c| c.ended.is_none()) {
            Some(conversation) => {
                conversation.ended = Some((success, now_ms - conversation.started_ms));
                true
            }
            None => false,
        }
    }

    /// Conversation statistics.
    pub fn conversation_stats(&self) -> ConversationStats {
        let mut stats = ConversationStats {
            started: self.conversations.len() as u64,
            ..ConversationStats::default()
        };
        let (mut succeeded, mut messages, mut duration) = (0u64, 0u64, 0.0);
        for (_, conversation) in &self.conversations {
            messages += conversation.messages;
            update(
                &mut stats.by_provider,
                &conversation.provider,
                || 0,
                |count| *count += 1,
            );
            match conversation.ended {
                Some((success, took)) => {
                    stats.ended += 1;
                    succeeded += u64::from(success);
                    duration += took;
                }
                None => stats.active += 1,
            }
        }
        let share = |part: f64, whole: u64| (whole > 0).then(|| part / whole as f64);
        stats.success_rate = share(succeeded as f64, stats.ended);
        stats.avg_messages = share(messages as f64, stats.started);
        stats.avg_duration_ms = share(duration, stats.ended);
        for (role, (count, total)) in &self.lengths {
            let average = *total as f64 / (*count).max(1) as f64;
            stats.avg_length_by_role.push((role.clone(), average));
        }
        stats
    }

    /// A request to `provider`.
    pub fn provider_request(
        &mut self,
        provider: &str,
        latency_ms: f64,
        success: bool,
        tokens: u64,
    ) {
        update(
            &mut self.providers,
            provider,
            ProviderUse::default,
            |entry| {
                entry.requests += 1;
                entry.errors += u64::from(!success);
                entry.tokens = entry.tokens.saturating_add(tokens);
                entry.total_latency_ms += latency_ms.max(0.0);
            },
        );
    }

    /// Requests by provider.
    pub fn providers(&self) -> impl Iterator<Item = (&str, &ProviderUse)> {
        self.providers.iter().map(|(k, v)| (k.as_str(), v))
    }

    /// A proactive suggestion was shown.
    pub fn suggested(&mut self, id: &str) {
        if self.suggestions.len() < MAX_TRACKED && lookup(&self.suggestions, id).is_none() {
            self.suggestions.push((id.into(), None));
        }
    }

    /// Suggestion `id` was accepted after `time_to_accept_ms`; only a shown, undecided one counts.
    pub fn accepted(&mut self, id: &str, time_to_accept_ms: f64) -> bool {
        match lookup_mut(&mut self.suggestions, id) {
            Some(decision @ None) => {
                *decision = Some(true);
                if time_to_accept_ms.is_finite() && time_to_accept_ms >= 0.0 {
                    self.accept_times.push(time_to_accept_ms);
                }
                true
            }
            _ => false,
        }
    }

    /// Suggestion `id` was dismissed; only a shown, undecided one counts.
    pub fn dismissed(&mut self, id: &str) -> bool {
        match lookup_mut(&mut self.suggestions, id) {
            Some(decision @ None) => {
                *decision = Some(false);
                true
            }
            _ => false,
        }
    }

    /// Proactive suggestion metrics.
    pub fn proactive(&self) -> ProactiveMetrics {
        let shown = self.suggestions.len() as u64;
        let accepted = self
            .suggestions
            .iter()
            .filter(|(_, d)| *d == Some(true))
            .count() as u64;
        let dismissed = self
            .suggestions
            .iter()
            .filter(|(_, d)| *d == Some(false))
            .count() as u64;
        let mut times = self.accept_times.clone();
        crate::core::sort::sort_f64(&mut times);
        let middle = |i: usize| times.get(i).copied().unwrap_or(0.0);
        let median = match times.len() {
            0 => None,
            n if n % 2 == 1 => Some(middle(n / 2)),
            n => Some((middle(n / 2 - 1) + middle(n / 2)) / 2.0),
        };
        ProactiveMetrics {
            shown,
            accepted,
            dismissed,
            acceptance_rate: (shown > 0).then(|| accepted as f64 / shown as f64),
            median_time_to_accept_ms: median,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn features_count_uses_and_actions() {
        let mut a = Analytics::default();
        a.feature("chat", "opened", 1.0);
        a.feature("chat", "sent", 2.0);
        a.feature("search", "opened", 3.0);
        let list = a.features();
        assert_eq!(list[0].0, "chat");
        assert_eq!(
            (
                list[0].1.uses,
                list[0].1.first_used_ms,
                list[0].1.last_used_ms
            ),
            (2, 1.0, 2.0)
        );
        assert_eq!(lookup(&list[0].1.actions, "sent"), Some(&1));
    }

    #[test]
    fn conversations_keep_counts_lengths_and_outcomes_not_content() {
        let mut a = Analytics::default();
        assert!(a.start_conversation("c1", "openai", 0.0));
        assert!(!a.start_conversation("c1", "openai", 1.0), "already open");
        a.message("c1", 50, "user");
        a.message("c1", 200, "assistant");
        a.message("c1", 150, "user");
        assert!(a.end_conversation("c1", true, 4000.0));
        assert!(!a.message("c1", 10, "user"), "ended");
        a.start_conversation("c2", "anthropic", 5000.0);
        a.end_conversation("c2", false, 7000.0);
        a.start_conversation("c3", "openai", 8000.0);
        let s = a.conversation_stats();
        assert_eq!((s.started, s.active, s.ended), (3, 1, 2));
        assert_eq!(s.success_rate, Some(0.5));
        assert_eq!(s.avg_messages, Some(1.0));
        assert_eq!(s.avg_duration_ms, Some(3000.0));
        assert_eq!(lookup(&s.avg_length_by_role, "user"), Some(&100.0));
        assert_eq!(lookup(&s.by_provider, "openai"), Some(&2));
    }

    #[test]
    fn message_lengths_too_large_to_add_saturate_the_total() {
        let mut a = Analytics::default();
        a.start_conversation("c1", "openai", 0.0);
        assert!(a.message("c1", u64::MAX, "user"));
        assert!(a.message("c1", u64::MAX, "user"));
        let s = a.conversation_stats();
        assert_eq!(
            lookup(&s.avg_length_by_role, "user"),
            Some(&(u64::MAX as f64 / 2.0))
        );
    }

    #[test]
    fn proactive_acceptance_rate_and_exact_median() {
        let mut a = Analytics::default();
        assert_eq!(a.proactive().acceptance_rate, None);
        for id in ["s1", "s2", "s3", "s4", "s5"] {
            a.suggested(id);
        }
        assert!(a.accepted("s1", 1000.0));
        assert!(a.accepted("s2", 3000.0));
        assert!(a.accepted("s3", 8000.0));
        assert!(a.accepted("s4", 2000.0));
        assert!(!a.accepted("s4", 9.0), "decided already");
        assert!(a.dismissed("s5"));
        assert!(!a.accepted("never-shown", 1.0));
        let m = a.proactive();
        assert_eq!((m.shown, m.accepted, m.dismissed), (5, 4, 1));
        assert_eq!(m.acceptance_rate, Some(0.8));
        assert_eq!(m.median_time_to_accept_ms, Some(2500.0));
    }

    #[test]
    fn provider_requests_sum_up() {
        let mut a = Analytics::default();
        a.provider_request("openai", 100.0, true, 500);
        a.provider_request("openai", 300.0, false, 0);
        let (name, p) = a.providers().next().unwrap();
        assert_eq!(
            (name, p.requests, p.errors, p.tokens, p.total_latency_ms),
            ("openai", 2, 1, 500, 400.0)
        );
    }

    #[test]
    fn features_are_ordered_by_use_then_first_use_on_random_data() {
        let mut rng = crate::core::random::Rng::from_seed([21; 32]);
        for _ in 0..200 {
            let mut analytics = Analytics::default();
            let names: Vec<String> = (0..(1 + rng.next_u64() % 40))
                .map(|i| alloc::format!("f{i}"))
                .collect();
            for _ in 0..(rng.next_u64() % 300) {
                let name = &names[(rng.next_u64() % names.len() as u64) as usize];
                analytics.feature(name, "used", 0.0);
            }
            let got: Vec<(&str, u64)> = analytics
                .features()
                .iter()
                .map(|(k, v)| (*k, v.uses))
                .collect();
            let mut expected: Vec<(&str, u64)> = analytics
                .features
                .iter()
                .map(|(k, v)| (k.as_str(), v.uses))
                .collect();
            expected.sort_by_key(|(_, uses)| core::cmp::Reverse(*uses));
            assert_eq!(got, expected);
        }
    }
}
