//! Interaction to Next Paint: an estimate of the 98th percentile of interaction latencies.
//!
//! Each interaction's latency is its longest event `duration`. Only the ten longest
//! interactions are kept; INP is the longest one, stepping down one place for every 50
//! interactions on the page, which approximates the 98th percentile without storing them all.
//!
//! The attribution follows web-vitals: the interaction's first longest entry sets the start and
//! the next paint; the handlers of every entry of the interaction presented in that frame
//! (render times within 8 ms) make up the processing time.

use alloc::string::String;
use alloc::vec::Vec;

/// Interactions kept as INP candidates.
pub const MAX_CANDIDATES: usize = 10;

/// Render times closer than this, in milliseconds, belong to one frame (the browser rounds
/// durations to 8 ms).
const SAME_FRAME_MS: f64 = 8.0;

/// An `event` or `first-input` entry, read into plain values.
#[derive(Debug, Clone, PartialEq)]
pub struct EventTiming {
    /// `interactionId` (0 means the entry is not part of an interaction).
    pub interaction_id: f64,
    /// `duration`, in milliseconds (rounded by the browser to 8 ms).
    pub duration: f64,
    /// `startTime`, in milliseconds.
    pub start_time: f64,
    /// `processingStart`.
    pub processing_start: f64,
    /// `processingEnd`.
    pub processing_end: f64,
    /// `name`: the event type.
    pub name: String,
    /// The target's CSS selector, if it is an element.
    pub target: Option<String>,
}

impl EventTiming {
    fn render_time(&self) -> f64 {
        self.start_time + self.duration
    }
}

/// Where an interaction's time went, as web-vitals attributes it, in milliseconds.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Phases {
    /// From the input to the first handler.
    pub input_delay: f64,
    /// From the first handler's start to the last handler's end, within the frame.
    pub processing: f64,
    /// From the last handler's end to the next paint.
    pub presentation_delay: f64,
}

/// One INP candidate.
#[derive(Debug, Clone, PartialEq)]
pub struct Interaction {
    /// `interactionId`.
    pub id: u64,
    /// The longest duration of its entries.
    pub latency: f64,
    /// `startTime` of its first longest entry.
    pub start_time: f64,
    /// The earliest `processingStart` of its entries in that entry's frame.
    processing_start: f64,
    /// The latest `processingEnd` of its entries in that entry's frame.
    processing_end: f64,
    /// The selector of the first of its entries that had an element target.
    pub target: Option<String>,
    /// Whether the first longest entry was a key event (`keyboard`), else `pointer`.
    pub keyboard: bool,
}

impl Interaction {
    fn new(id: u64, entry: EventTiming) -> Interaction {
        Interaction {
            id,
            latency: entry.duration,
            start_time: entry.start_time,
            processing_start: entry.processing_start,
            processing_end: entry.processing_end,
            keyboard: entry.name.starts_with("key"),
            target: entry.target,
        }
    }

    fn add(&mut self, entry: EventTiming) {
        let render_time = self.start_time + self.latency;
        if entry.duration > self.latency {
            let same_frame = (entry.render_time() - render_time).abs() <= SAME_FRAME_MS;
            let target = self.target.take();
            let (start, end) = (self.processing_start, self.processing_end);
            *self = Interaction::new(self.id, entry);
            self.target = target.or(self.target.take());
            if same_frame {
                self.processing_start = self.processing_start.min(start);
                self.processing_end = self.processing_end.max(end);
            }
            return;
        }
        if self.target.is_none() {
            self.target = entry.target.clone();
        }
        if (entry.render_time() - render_time).abs() <= SAME_FRAME_MS {
            self.processing_start = self.processing_start.min(entry.processing_start);
            self.processing_end = self.processing_end.max(entry.processing_end);
        }
    }

    /// The three phases, clamped as web-vitals clamps them: processing never starts before
    /// the input nor ends after the next paint.
    pub fn phases(&self) -> Phases {
        let processing_start = self.processing_start.max(self.start_time);
        let next_paint = (self.start_time + self.latency).max(processing_start);
        let processing_end = self.processing_end.min(next_paint);
        Phases {
            input_delay: processing_start - self.start_time,
            processing: processing_end - processing_start,
            presentation_delay: next_paint - processing_end,
        }
    }
}

/// The running INP computation.
#[derive(Debug, Clone, Default)]
pub struct Inp {
    longest: Vec<Interaction>,
    previous_count: u64,
}

impl Inp {
    /// Adds one entry. Entries without an interaction id are ignored.
    pub fn add(&mut self, entry: EventTiming) {
        let id = entry.interaction_id as u64;
        if id == 0 {
            return;
        }
        match self.longest.iter_mut().find(|i| i.id == id) {
            Some(interaction) => interaction.add(entry),
            None => {
                let shortest = self.longest.last().map_or(f64::NEG_INFINITY, |i| i.latency);
                if self.longest.len() < MAX_CANDIDATES || entry.duration > shortest {
                    self.longest.push(Interaction::new(id, entry));
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
        match self.candidate(interaction_count) {
            Some(interaction) => Some(interaction.latency),
            None if restored && interaction_count > self.previous_count => Some(8.0),
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

    fn entry(interaction_id: u64, duration: f64) -> EventTiming {
        timing(interaction_id, "click", 0.0, duration, (0.0, 0.0))
    }

    fn timing(
        id: u64,
        name: &str,
        start: f64,
        duration: f64,
        processing: (f64, f64),
    ) -> EventTiming {
        EventTiming {
            interaction_id: id as f64,
            duration,
            start_time: start,
            processing_start: processing.0,
            processing_end: processing.1,
            name: name.into(),
            target: None,
        }
    }

    #[test]
    fn the_processing_time_spans_every_handler_of_the_frame() {
        let mut inp = Inp::default();
        let pointerdown = EventTiming {
            target: Some("button#slow".into()),
            ..timing(4, "pointerdown", 100.0, 192.0, (101.4, 102.0))
        };
        // The click was presented in the same frame; its duration rounded one step shorter.
        let click = timing(4, "click", 108.0, 184.0, (108.5, 288.5));
        let pointerup = timing(4, "pointerup", 108.0, 184.0, (108.2, 108.4));
        for e in [pointerdown, pointerup, click] {
            inp.add(e);
        }
        let candidate = inp.candidate(1).unwrap();
        assert_eq!(candidate.latency, 192.0);
        assert_eq!(candidate.target.as_deref(), Some("button#slow"));
        assert!(!candidate.keyboard);
        let phases = candidate.phases();
        assert!((phases.input_delay - 1.4).abs() < 1e-9);
        assert!((phases.processing - 187.1).abs() < 1e-9);
        assert!((phases.presentation_delay - 3.5).abs() < 1e-9);
    }

    #[test]
    fn a_longer_entry_in_another_frame_starts_the_attribution_over() {
        let mut inp = Inp::default();
        inp.add(timing(2, "keydown", 0.0, 40.0, (1.0, 30.0)));
        inp.add(timing(2, "keyup", 100.0, 80.0, (110.0, 150.0)));
        let candidate = inp.candidate(1).unwrap();
        assert!(candidate.keyboard);
        assert_eq!(candidate.start_time, 100.0);
        assert_eq!(
            candidate.phases(),
            Phases {
                input_delay: 10.0,
                processing: 40.0,
                presentation_delay: 30.0
            }
        );
    }

    #[test]
    fn processing_is_clamped_to_the_input_and_the_next_paint() {
        let mut inp = Inp::default();
        // A handler that started before the input (a long pointerover) and a modal that kept
        // processing past the paint.
        inp.add(timing(3, "click", 50.0, 56.0, (40.0, 200.0)));
        let phases = inp.candidate(1).unwrap().phases();
        assert_eq!(
            phases,
            Phases {
                input_delay: 0.0,
                processing: 56.0,
                presentation_delay: 0.0
            }
        );
    }

    /// The definition, computed directly: every interaction's longest entry, sorted, the
    /// `count / 50`-th of the ten longest.
    fn reference(entries: &[EventTiming], count: u64) -> Option<f64> {
        let mut latencies: std::collections::BTreeMap<u64, f64> = std::collections::BTreeMap::new();
        for e in entries.iter().filter(|e| e.interaction_id != 0.0) {
            let latency = latencies
                .entry(e.interaction_id as u64)
                .or_insert(e.duration);
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
            let entries: Vec<EventTiming> = (0..interactions * 2)
                .map(|_| {
                    let id = (rng.next_f64() * interactions as f64) as u64;
                    entry(id, (rng.next_f64() * 100.0).round() * 8.0)
                })
                .collect();
            let mut inp = Inp::default();
            for e in &entries {
                inp.add(e.clone());
            }
            let count = interactions + (rng.next_f64() * 600.0) as u64;
            assert_eq!(inp.estimate(count, false), reference(&entries, count));
        }
    }
}
