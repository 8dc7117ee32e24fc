//! Interaction to Next Paint: an estimate of the 98th percentile of interaction latencies.
//!
//! Each interaction's latency is its longest event `duration`. Only the ten longest
//! interactions are kept; INP is the longest one, stepping down one place for every 50
//! interactions on the page, which approximates the 98th percentile without storing them all.

use alloc::vec::Vec;

/// Interactions kept as INP candidates.
pub const MAX_CANDIDATES: usize = 10;

/// One `event` (or `first-input`) entry with an interaction id.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct EventEntry {
    /// `interactionId` (0 means the entry is not part of an interaction).
    pub interaction_id: u64,
    /// `duration`, in milliseconds (rounded by the browser to 8 ms).
    pub duration: f64,
    /// `startTime`, in milliseconds.
    pub start_time: f64,
    /// `processingEnd - processingStart`, in milliseconds: the time its handlers ran.
    pub processing_ms: f64,
}

/// One INP candidate.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Interaction {
    /// `interactionId`.
    pub id: u64,
    /// The longest duration of its entries.
    pub latency: f64,
    /// The entry that explains the latency best (for attribution): of the longest entries,
    /// the one whose handlers ran longest.
    pub entry: EventEntry,
}

/// The running INP computation.
#[derive(Debug, Clone, Default)]
pub struct Inp {
    longest: Vec<Interaction>,
    previous_count: u64,
}

impl Inp {
    /// Adds one entry. Entries without an interaction id are ignored.
    pub fn add(&mut self, entry: EventEntry) {
        if entry.interaction_id == 0 {
            return;
        }
        let existing = self
            .longest
            .iter_mut()
            .find(|i| i.id == entry.interaction_id);
        match existing {
            Some(interaction) => {
                let longer = entry.duration > interaction.latency;
                let busier = entry.duration == interaction.latency
                    && entry.processing_ms > interaction.entry.processing_ms;
                if longer || busier {
                    interaction.latency = entry.duration;
                    interaction.entry = entry;
                }
            }
            None => {
                let shortest = self.longest.last().map_or(f64::NEG_INFINITY, |i| i.latency);
                if self.longest.len() < MAX_CANDIDATES || entry.duration > shortest {
                    self.longest.push(Interaction {
                        id: entry.interaction_id,
                        latency: entry.duration,
                        entry,
                    });
                }
            }
        }
        // Stable, longest first, as web-vitals sorts; the eleventh and beyond are forgotten.
        crate::core::sort::insertion_sort_by(&mut self.longest, |a, b| {
            a.latency.total_cmp(&b.latency).is_gt()
        });
        self.longest.truncate(MAX_CANDIDATES);
    }

    /// The INP candidate for a page where `interaction_count` interactions happened in total
    /// (the browser's `performance.interactionCount`), or `None` before any interaction.
    /// After a bfcache restore with interactions too short to be observed, web-vitals reports
    /// 8 ms; `restored` asks for that rule.
    pub fn estimate(&self, interaction_count: u64, restored: bool) -> Option<f64> {
        let count = interaction_count.saturating_sub(self.previous_count);
        let step = usize::try_from(count / 50).unwrap_or(usize::MAX);
        match self.longest.len().checked_sub(1) {
            Some(last) => self.longest.get(step.min(last)).map(|i| i.latency),
            None if restored && count > 0 => Some(8.0),
            None => None,
        }
    }

    /// The candidate that [`Inp::estimate`] picked, for attribution.
    pub fn candidate(&self, interaction_count: u64) -> Option<&Interaction> {
        let count = interaction_count.saturating_sub(self.previous_count);
        let step = usize::try_from(count / 50).unwrap_or(usize::MAX);
        self.longest
            .get(step.min(self.longest.len().checked_sub(1)?))
    }

    /// Starts over (bfcache restore): interactions before `interaction_count` no longer count.
    pub fn reset(&mut self, interaction_count: u64) {
        self.longest.clear();
        self.previous_count = interaction_count;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::random::Rng;

    fn entry(interaction_id: u64, duration: f64) -> EventEntry {
        EventEntry {
            interaction_id,
            duration,
            start_time: 0.0,
            processing_ms: 0.0,
        }
    }

    #[test]
    fn attribution_prefers_the_entry_whose_handlers_ran_longest() {
        let mut inp = Inp::default();
        let pointerdown = EventEntry {
            processing_ms: 1.0,
            ..entry(4, 184.0)
        };
        let click = EventEntry {
            processing_ms: 180.0,
            ..entry(4, 184.0)
        };
        let pointerup = EventEntry {
            processing_ms: 0.5,
            ..entry(4, 184.0)
        };
        for e in [pointerdown, click, pointerup] {
            inp.add(e);
        }
        assert_eq!(inp.candidate(1).map(|i| i.entry), Some(click));
    }

    /// The definition, computed directly: every interaction's longest entry, sorted, the
    /// `count / 50`-th of the ten longest.
    fn reference(entries: &[EventEntry], count: u64) -> Option<f64> {
        let mut latencies: std::collections::BTreeMap<u64, f64> = std::collections::BTreeMap::new();
        for e in entries.iter().filter(|e| e.interaction_id != 0) {
            let latency = latencies.entry(e.interaction_id).or_insert(e.duration);
            *latency = latency.max(e.duration);
        }
        let mut sorted: Vec<f64> = latencies.into_values().collect();
        sorted.sort_by(|a, b| b.total_cmp(a));
        sorted.truncate(MAX_CANDIDATES);
        let index = usize::try_from(count / 50)
            .unwrap()
            .min(sorted.len().checked_sub(1)?);
        Some(sorted[index])
    }

    #[test]
    fn the_longest_interaction_wins_until_fifty_interactions() {
        let mut inp = Inp::default();
        for (id, duration) in [(1, 40.0), (2, 300.0), (2, 120.0), (3, 64.0)] {
            inp.add(entry(id, duration));
        }
        assert_eq!(inp.estimate(3, false), Some(300.0));
        assert_eq!(inp.estimate(49, false), Some(300.0));
        assert_eq!(inp.estimate(50, false), Some(64.0));
        assert_eq!(inp.estimate(5000, false), Some(40.0));
        assert_eq!(inp.candidate(50).map(|i| i.id), Some(3));
    }

    #[test]
    fn entries_without_an_interaction_and_empty_pages_have_no_inp() {
        let mut inp = Inp::default();
        inp.add(entry(0, 500.0));
        assert_eq!(inp.estimate(10, false), None);
    }

    #[test]
    fn a_bfcache_restore_starts_over_with_the_short_interaction_rule() {
        let mut inp = Inp::default();
        inp.add(entry(1, 400.0));
        inp.reset(7);
        assert_eq!(inp.estimate(7, true), None);
        assert_eq!(inp.estimate(8, true), Some(8.0));
        inp.add(entry(9, 48.0));
        assert_eq!(inp.estimate(8, true), Some(48.0));
    }

    #[test]
    fn matches_the_definition_on_random_interactions() {
        let mut rng = Rng::from_seed([23; 32]);
        for _ in 0..2000 {
            let interactions = 1 + (rng.next_f64() * 300.0) as u64;
            let entries: Vec<EventEntry> = (0..interactions * 2)
                .map(|_| {
                    let id = (rng.next_f64() * interactions as f64) as u64;
                    entry(id, (rng.next_f64() * 100.0).round() * 8.0)
                })
                .collect();
            let mut inp = Inp::default();
            for e in &entries {
                inp.add(*e);
            }
            let count = interactions + (rng.next_f64() * 600.0) as u64;
            assert_eq!(inp.estimate(count, false), reference(&entries, count));
        }
    }
}
