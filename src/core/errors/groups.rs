//! Error groups: how often each fingerprint occurred, when first and last, and whether a repeat
//! is sent in full or only counted.

use alloc::string::String;
use alloc::vec::Vec;

/// Repeats of a group within this window are counted instead of sent in full.
pub const DEDUPE_WINDOW_MS: f64 = 60_000.0;
/// Most groups remembered; the least recently seen are forgotten beyond it.
pub const MAX_GROUPS: usize = 500;

/// One group.
#[derive(Debug, Clone, PartialEq)]
pub struct Group {
    /// Fingerprint.
    pub fingerprint: String,
    /// Error type of its first occurrence.
    pub kind: String,
    /// Normalised message.
    pub message: String,
    /// Occurrences.
    pub count: u64,
    /// First occurrence, ms since the epoch.
    pub first_seen_ms: f64,
    /// Latest occurrence, ms since the epoch.
    pub last_seen_ms: f64,
    last_sent_ms: f64,
    unsent: u64,
}

/// What to do with an occurrence.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Occurrence {
    /// Send the full event; `repeats` occurrences since the last one sent were only counted.
    Send {
        /// Occurrences counted but not sent since the last full event.
        repeats: u64,
    },
    /// A repeat within the dedupe window: counted only.
    Counted,
}

/// All groups of a page.
#[derive(Debug, Clone, Default)]
pub struct Groups {
    groups: Vec<Group>,
}

impl Groups {
    /// Records an occurrence at `now_ms`. With `deduplicate`, a repeat within
    /// [`DEDUPE_WINDOW_MS`] of the last full event is only counted; the next full event carries
    /// the count.
    pub fn record(
        &mut self,
        fingerprint: &str,
        kind: &str,
        message: &str,
        now_ms: f64,
        deduplicate: bool,
    ) -> Occurrence {
        let index = match self
            .groups
            .iter()
            .position(|g| g.fingerprint == fingerprint)
        {
            Some(index) => index,
            None => {
                let group = Group {
                    fingerprint: fingerprint.into(),
                    kind: kind.into(),
                    message: message.into(),
                    count: 0,
                    first_seen_ms: now_ms,
                    last_seen_ms: now_ms,
                    last_sent_ms: f64::NEG_INFINITY,
                    unsent: 0,
                };
                // When full, the new group takes the place of the one seen longest ago.
                let stalest = (self.groups.len() == MAX_GROUPS)
                    .then(|| {
                        self.groups
                            .iter()
                            .enumerate()
                            .min_by(|(_, a), (_, b)| a.last_seen_ms.total_cmp(&b.last_seen_ms))
                            .map(|(index, _)| index)
                    })
                    .flatten();
                match stalest.zip(stalest.and_then(|index| self.groups.get_mut(index))) {
                    Some((index, slot)) => {
                        *slot = group;
                        index
                    }
                    None => {
                        self.groups.push(group);
                        self.groups.len() - 1
                    }
                }
            }
        };
        let Some(group) = self.groups.get_mut(index) else {
            return Occurrence::Send { repeats: 0 };
        };
        group.count += 1;
        group.last_seen_ms = now_ms;
        if deduplicate && now_ms - group.last_sent_ms < DEDUPE_WINDOW_MS {
            group.unsent += 1;
            return Occurrence::Counted;
        }
        group.last_sent_ms = now_ms;
        Occurrence::Send {
            repeats: core::mem::take(&mut group.unsent),
        }
    }

    /// The groups, most frequent first.
    pub fn by_count(&self) -> Vec<&Group> {
        let mut sorted = Vec::with_capacity(self.groups.len());
        for group in &self.groups {
            sorted.push(group);
        }
        crate::core::sort::insertion_sort_by(&mut sorted, |a, b| {
            b.count
                .cmp(&a.count)
                .then(a.first_seen_ms.total_cmp(&b.first_seen_ms))
                .is_lt()
        });
        sorted
    }

    /// Distinct groups.
    pub fn len(&self) -> usize {
        self.groups.len()
    }

    /// True when no error was recorded.
    pub fn is_empty(&self) -> bool {
        self.groups.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ten_repeats_are_one_group_of_ten_and_only_the_first_is_sent_in_the_window() {
        let mut groups = Groups::default();
        let outcomes: Vec<Occurrence> = (0..10)
            .map(|i| groups.record("fp", "TypeError", "x", f64::from(i) * 100.0, true))
            .collect();
        assert_eq!(outcomes[0], Occurrence::Send { repeats: 0 });
        assert!(outcomes[1..].iter().all(|o| *o == Occurrence::Counted));
        let listed = groups.by_count();
        assert_eq!(
            (
                listed.len(),
                listed[0].count,
                listed[0].first_seen_ms,
                listed[0].last_seen_ms
            ),
            (1, 10, 0.0, 900.0)
        );
        assert_eq!(
            groups.record("fp", "TypeError", "x", 70_000.0, true),
            Occurrence::Send { repeats: 9 }
        );
    }

    #[test]
    fn without_deduplication_every_occurrence_is_sent() {
        let mut groups = Groups::default();
        for i in 0..3 {
            assert_eq!(
                groups.record("fp", "E", "m", f64::from(i), false),
                Occurrence::Send { repeats: 0 }
            );
        }
    }

    #[test]
    fn groups_are_sorted_by_count_and_bounded() {
        let mut groups = Groups::default();
        groups.record("a", "E", "a", 0.0, true);
        for t in 1..4 {
            groups.record("b", "E", "b", f64::from(t), true);
        }
        assert_eq!(
            groups
                .by_count()
                .iter()
                .map(|g| g.fingerprint.as_str())
                .collect::<Vec<_>>(),
            ["b", "a"]
        );
        for n in 0..MAX_GROUPS + 5 {
            groups.record(&std::format!("g{n}"), "E", "m", 10.0 + n as f64, true);
        }
        assert_eq!(groups.len(), MAX_GROUPS);
    }
}
