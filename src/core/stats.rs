//! Exact summaries of a bounded window of timings: count, mean, extremes and percentiles.

use crate::core::recent::Recent;
use alloc::vec::Vec;
use wasm_telemetry_rules::percentile::percentile;

/// The latest `capacity` values of one measure (older ones are forgotten).
#[derive(Debug, Clone)]
pub struct TimingWindow {
    values: Recent<f64>,
}

/// What `getAIOperationsSummary()` returns for one measure.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Summary {
    /// Values in the window.
    pub count: usize,
    /// Arithmetic mean.
    pub avg: f64,
    /// Smallest value.
    pub min: f64,
    /// Largest value.
    pub max: f64,
    /// Median (nearest rank).
    pub p50: f64,
    /// 95th percentile (nearest rank).
    pub p95: f64,
    /// 99th percentile (nearest rank).
    pub p99: f64,
}

impl TimingWindow {
    /// An empty window keeping at most `capacity` values (at least one).
    pub fn new(capacity: usize) -> Self {
        Self {
            values: Recent::new(capacity.max(1)),
        }
    }

    /// Adds a value; non-finite values are ignored. Returns whether it was kept.
    pub fn push(&mut self, value: f64) -> bool {
        if !value.is_finite() {
            return false;
        }
        self.values.push(value);
        true
    }

    /// The summary of the window, or `None` when it is empty.
    pub fn summary(&self) -> Option<Summary> {
        let mut values = Vec::with_capacity(self.values.len());
        for value in self.values.iter() {
            values.push(*value);
        }
        summarize(values)
    }
}

/// The summary of `values` (finite ones), or `None` when there are none.
#[inline(never)]
pub fn summarize(mut sorted: Vec<f64>) -> Option<Summary> {
    crate::core::sort::sort_f64(&mut sorted);
    let count = sorted.len();
    Some(Summary {
        count,
        avg: sorted.iter().sum::<f64>() / count as f64,
        min: *sorted.first()?,
        max: *sorted.last()?,
        p50: percentile(&sorted, 50)?,
        p95: percentile(&sorted, 95)?,
        p99: percentile(&sorted, 99)?,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::random::Rng;

    #[test]
    fn nearest_rank_percentiles_on_a_known_set() {
        let mut window = TimingWindow::new(100);
        for v in 1..=10 {
            window.push(f64::from(v));
        }
        let s = window.summary().unwrap();
        assert_eq!((s.count, s.min, s.max, s.avg), (10, 1.0, 10.0, 5.5));
        assert_eq!((s.p50, s.p95, s.p99), (5.0, 10.0, 10.0));
        assert_eq!(TimingWindow::new(5).summary(), None);
    }

    #[test]
    fn the_window_keeps_only_the_latest_values_and_skips_non_finite_ones() {
        let mut window = TimingWindow::new(3);
        for v in [1.0, 2.0, f64::NAN, 3.0, 4.0, f64::INFINITY] {
            window.push(v);
        }
        let s = window.summary().unwrap();
        assert_eq!((s.count, s.min, s.max), (3, 2.0, 4.0));
    }

    #[test]
    fn percentiles_equal_a_sorted_array_reference_on_random_data() {
        let mut rng = Rng::from_seed([31; 32]);
        for _ in 0..500 {
            let capacity = 1 + (rng.next_f64() * 200.0) as usize;
            let total = 1 + (rng.next_f64() * 400.0) as usize;
            let values: Vec<f64> = (0..total).map(|_| rng.next_f64() * 5000.0).collect();
            let mut window = TimingWindow::new(capacity);
            for v in &values {
                window.push(*v);
            }
            let mut kept: Vec<f64> = values[total.saturating_sub(capacity)..].to_vec();
            kept.sort_by(|a, b| a.partial_cmp(b).unwrap());
            let n = kept.len();
            let rank = |p: f64| kept[((p / 100.0 * n as f64).ceil() as usize).max(1) - 1];
            let s = window.summary().unwrap();
            assert_eq!((s.count, s.min, s.max), (n, kept[0], kept[n - 1]));
            assert_eq!((s.p50, s.p95, s.p99), (rank(50.0), rank(95.0), rank(99.0)));
            assert!((s.avg - kept.iter().sum::<f64>() / n as f64).abs() < 1e-9);
        }
    }
}
