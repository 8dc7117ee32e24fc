//! When a budget runs out: a least-squares line through the period's cumulative spend gives the
//! spending rate, projected forward from what has been spent.

/// The slope and intercept of the least-squares line through `points` (`(x, y)`), or `None` with
/// fewer than two distinct `x`.
pub fn fit_line(points: &[(f64, f64)]) -> Option<(f64, f64)> {
    let n = points.len() as f64;
    if points.len() < 2 {
        return None;
    }
    let mean_x = points.iter().map(|p| p.0).sum::<f64>() / n;
    let mean_y = points.iter().map(|p| p.1).sum::<f64>() / n;
    let (mut sxy, mut sxx) = (0.0, 0.0);
    for (x, y) in points {
        sxy += (x - mean_x) * (y - mean_y);
        sxx += (x - mean_x) * (x - mean_x);
    }
    if sxx <= 0.0 || !sxx.is_finite() {
        return None;
    }
    let slope = sxy / sxx;
    Some((slope, mean_y - slope * mean_x))
}

/// A budget's projected course.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Forecast {
    /// Spending rate in USD per ms (the fitted slope, never below zero).
    pub rate_per_ms: f64,
    /// When the budget is projected to run out: `None` when the rate is zero, or when it would
    /// only run out after the period ends. Already spent budgets give `now`.
    pub exhausts_at_ms: Option<f64>,
    /// Spend projected at the end of the period, when it has one.
    pub spend_at_period_end: Option<f64>,
}

/// The forecast for a budget of `limit` with `spent` by `now_ms`, from the cumulative spend
/// `points` (`(ms, USD)`) of the period, which ends at `period_end_ms` (`None`: never, as a
/// session). `None` when the points do not determine a rate.
pub fn forecast(
    points: &[(f64, f64)],
    limit: f64,
    spent: f64,
    now_ms: f64,
    period_end_ms: Option<f64>,
) -> Option<Forecast> {
    let (slope, _) = fit_line(points)?;
    let rate = slope.max(0.0);
    let exhausts_at = if spent >= limit {
        Some(now_ms)
    } else if rate > 0.0 {
        Some(now_ms + (limit - spent) / rate)
    } else {
        None
    };
    Some(Forecast {
        rate_per_ms: rate,
        exhausts_at_ms: exhausts_at.filter(|at| period_end_ms.is_none_or(|end| *at <= end)),
        spend_at_period_end: period_end_ms.map(|end| spent + rate * (end - now_ms).max(0.0)),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::random::Rng;
    use alloc::vec::Vec;

    #[test]
    fn a_steady_spend_runs_out_where_the_line_says() {
        // $0.10 every hour from midnight; a $1 daily budget with $0.50 spent at 05:00.
        let hour = 3_600_000.0;
        let points: Vec<(f64, f64)> = (0..=5).map(|h| (h as f64 * hour, h as f64 * 0.1)).collect();
        let f = forecast(&points, 1.0, 0.5, 5.0 * hour, Some(24.0 * hour)).unwrap();
        assert!((f.rate_per_ms * hour - 0.1).abs() < 1e-12);
        assert!((f.exhausts_at_ms.unwrap() - 10.0 * hour).abs() < 1e-3);
        assert!((f.spend_at_period_end.unwrap() - 2.4).abs() < 1e-9);
        // A $5 budget would last past midnight: no exhaustion this period.
        let f = forecast(&points, 5.0, 0.5, 5.0 * hour, Some(24.0 * hour)).unwrap();
        assert_eq!(f.exhausts_at_ms, None);
        // A session has no end.
        let f = forecast(&points, 5.0, 0.5, 5.0 * hour, None).unwrap();
        assert!((f.exhausts_at_ms.unwrap() - 50.0 * hour).abs() < 1e-3);
        assert_eq!(f.spend_at_period_end, None);
    }

    #[test]
    fn too_few_points_no_spending_and_spent_budgets() {
        assert_eq!(forecast(&[(1.0, 1.0)], 2.0, 1.0, 1.0, None), None);
        assert_eq!(
            forecast(&[(1.0, 1.0), (1.0, 2.0)], 2.0, 1.0, 1.0, None),
            None
        );
        let flat = forecast(&[(0.0, 1.0), (10.0, 1.0)], 2.0, 1.0, 10.0, Some(20.0)).unwrap();
        assert_eq!((flat.rate_per_ms, flat.exhausts_at_ms), (0.0, None));
        assert_eq!(flat.spend_at_period_end, Some(1.0));
        let spent = forecast(&[(0.0, 0.0), (10.0, 3.0)], 2.0, 3.0, 10.0, Some(20.0)).unwrap();
        assert_eq!(spent.exhausts_at_ms, Some(10.0));
    }

    #[test]
    fn the_fit_recovers_random_lines_and_matches_the_normal_equations() {
        let mut rng = Rng::from_seed([9; 32]);
        for _ in 0..500 {
            let slope = rng.next_f64() * 4.0 - 2.0;
            let intercept = rng.next_f64() * 100.0;
            let n = 2 + (rng.next_u64() % 50) as usize;
            let exact: Vec<(f64, f64)> = (0..n)
                .map(|i| {
                    let x = i as f64 * 10.0 + rng.next_f64();
                    (x, slope * x + intercept)
                })
                .collect();
            let (s, i) = fit_line(&exact).unwrap();
            assert!((s - slope).abs() < 1e-9 && (i - intercept).abs() < 1e-6);
            // With noise, the fit solves the normal equations: residuals sum to zero and are
            // uncorrelated with x.
            let noisy: Vec<(f64, f64)> = exact
                .iter()
                .map(|(x, y)| (*x, y + rng.next_f64() * 10.0 - 5.0))
                .collect();
            let (s, i) = fit_line(&noisy).unwrap();
            let residual = |(x, y): &(f64, f64)| y - (s * x + i);
            let sum: f64 = noisy.iter().map(residual).sum();
            let weighted: f64 = noisy.iter().map(|p| residual(p) * p.0).sum();
            assert!(sum.abs() < 1e-6, "{sum}");
            assert!(weighted.abs() < 1e-3, "{weighted}");
        }
    }
}
