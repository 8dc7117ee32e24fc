//! Nearest-rank percentiles over stored values, by the rule the SDK uses too.

/// The nearest-rank percentile of `values` (sorted here), or `None` when empty.
pub fn percentile(values: &mut [f64], percent: usize) -> Option<f64> {
    values.sort_by(f64::total_cmp);
    wasm_telemetry_rules::percentile::percentile(values, percent)
}
