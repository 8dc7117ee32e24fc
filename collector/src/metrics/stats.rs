//! Nearest-rank percentiles over stored values.

/// The nearest-rank percentile of `values` (sorted here), or `None` when empty.
pub fn percentile(values: &mut [f64], percent: f64) -> Option<f64> {
    values.sort_by(f64::total_cmp);
    let rank = ((percent / 100.0) * values.len() as f64).ceil().max(1.0) as usize;
    values.get(rank - 1).copied()
}
