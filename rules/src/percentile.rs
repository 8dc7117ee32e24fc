//! Nearest-rank percentiles: the SDK's timing summaries and the collector's p75s.

/// The nearest-rank percentile of ascending `sorted` values: the smallest value with at least
/// `percent` % of the values at or below it; `None` when there are none.
pub fn percentile(sorted: &[f64], percent: usize) -> Option<f64> {
    let rank = (percent * sorted.len()).div_ceil(100).max(1);
    sorted.get(rank - 1).copied()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nearest_rank_on_a_known_set() {
        let values = [1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0, 8.0, 9.0, 10.0];
        assert_eq!(percentile(&values, 50), Some(5.0));
        assert_eq!(percentile(&values, 75), Some(8.0));
        assert_eq!(percentile(&values, 95), Some(10.0));
        assert_eq!(percentile(&values, 0), Some(1.0));
        assert_eq!(percentile(&[4.0], 75), Some(4.0));
        assert_eq!(percentile(&[], 75), None);
    }
}
