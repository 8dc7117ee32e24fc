//! Spending budgets with alerts at 80 %, 95 % and 100 %, each fired once per period.

use alloc::vec::Vec;
use wasm_telemetry_rules::calendar::{civil_from_days, days_from_civil};

/// Shares of a budget at which an alert fires.
pub const ALERT_LEVELS: [f64; 3] = [0.80, 0.95, 1.00];

/// One budget (a session, a day or a month).
#[derive(Debug, Clone, PartialEq)]
pub struct Budget {
    /// The limit in USD.
    pub limit: f64,
    /// Spent in the current period.
    pub spent: f64,
    period: i64,
    fired: [bool; 3],
}

impl Budget {
    /// A budget of `limit` USD starting in `period`.
    pub fn new(limit: f64, period: i64) -> Self {
        Self {
            limit,
            spent: 0.0,
            period,
            fired: [false; 3],
        }
    }

    /// A budget resumed from stored spend (daily and monthly spend survive reloads); alerts
    /// already passed do not fire again.
    pub fn resumed(limit: f64, period: i64, spent: f64) -> Self {
        let mut budget = Self::new(limit, period);
        budget.spent = spent.max(0.0);
        for (fired, level) in budget.fired.iter_mut().zip(ALERT_LEVELS) {
            *fired = limit > 0.0 && budget.spent >= limit * level;
        }
        budget
    }

    /// Adds `cost` spent in `period` (a new period starts from zero); returns the alert levels
    /// crossed by this addition, lowest first.
    pub fn add(&mut self, cost: f64, period: i64) -> Vec<f64> {
        if period != self.period {
            *self = Self::new(self.limit, period);
        }
        if cost.is_finite() && cost > 0.0 {
            self.spent += cost;
        }
        let mut crossed = Vec::new();
        for (fired, level) in self.fired.iter_mut().zip(ALERT_LEVELS) {
            if !*fired && self.limit > 0.0 && self.spent >= self.limit * level {
                *fired = true;
                crossed.push(level);
            }
        }
        crossed
    }

    /// Spent share of the limit.
    pub fn ratio(&self) -> f64 {
        if self.limit > 0.0 {
            self.spent / self.limit
        } else {
            0.0
        }
    }

    /// The current period.
    pub fn period(&self) -> i64 {
        self.period
    }
}

/// The UTC day of `ms` since the epoch (a daily budget's period).
pub fn day_of(ms: f64) -> i64 {
    // `as` truncates toward zero (and the division may round up to the next day): step back a
    // day whenever that day starts after `ms`. No `%` on floats: it would link `fmod`.
    let day = (ms / 86_400_000.0) as i64;
    day - i64::from(day as f64 * 86_400_000.0 > ms)
}

/// The UTC month of `ms`, as `year × 12 + month − 1` (a monthly budget's period).
pub fn month_of(ms: f64) -> i64 {
    let (year, month, _) = civil_from_days(day_of(ms));
    year * 12 + month - 1
}

/// The first ms of UTC `day`.
pub fn day_start_ms(day: i64) -> f64 {
    day as f64 * 86_400_000.0
}

/// The first ms of `month` (`year × 12 + month − 1`), UTC.
pub fn month_start_ms(month: i64) -> f64 {
    day_start_ms(days_from_civil(
        month.div_euclid(12),
        month.rem_euclid(12) + 1,
        1,
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_one_dollar_budget_fires_each_alert_exactly_once() {
        let mut budget = Budget::new(1.0, 0);
        let mut fired = Vec::new();
        for _ in 0..8 {
            fired.push(budget.add(0.3, 0));
        }
        assert_eq!(fired[0..2], [Vec::<f64>::new(), Vec::new()]);
        assert_eq!(fired[2], [0.80]);
        assert_eq!(fired[3], [0.95, 1.00]);
        assert!(fired[4..].iter().all(Vec::is_empty));
        assert!((budget.ratio() - 2.4).abs() < 1e-12);
    }

    #[test]
    fn a_new_period_starts_over_and_resumed_spend_does_not_refire() {
        let mut budget = Budget::new(1.0, 5);
        budget.add(0.9, 5);
        assert_eq!(budget.add(0.5, 6), Vec::<f64>::new());
        assert_eq!(budget.spent, 0.5);
        let mut resumed = Budget::resumed(1.0, 6, 0.85);
        assert_eq!(resumed.add(0.05, 6), Vec::<f64>::new());
        assert_eq!(resumed.add(0.05, 6), [0.95]);
    }

    #[test]
    fn days_and_months_follow_the_utc_calendar() {
        assert_eq!(day_of(0.0), 0);
        assert_eq!(day_of(86_399_999.0), 0);
        assert_eq!(day_of(86_400_000.0), 1);
        assert_eq!(
            (day_of(-1.0), day_of(-86_400_000.0), day_of(-86_400_001.0)),
            (-1, -1, -2)
        );
        // Whole milliseconds from 1653 to 2286: the day is the floored quotient.
        let mut rng = crate::core::random::Rng::from_seed([41; 32]);
        for _ in 0..100_000 {
            let ms = (rng.next_u64() % 20_000_000_000_000) as i64 - 10_000_000_000_000;
            assert_eq!(day_of(ms as f64), ms.div_euclid(86_400_000), "{ms}");
        }
        assert_eq!(month_of(0.0), 1970 * 12);
        // 2024-02-29T12:00:00Z and 2024-03-01T00:00:00Z.
        assert_eq!(month_of(1_709_208_000_000.0), 2024 * 12 + 1);
        assert_eq!(month_of(1_709_251_200_000.0), 2024 * 12 + 2);
        assert_eq!(month_start_ms(2024 * 12 + 2), 1_709_251_200_000.0);
        assert_eq!(month_start_ms(1970 * 12), 0.0);
        // Every month of four centuries starts where the next ms's month changes.
        for month in 1600 * 12..2000 * 12 {
            let start = month_start_ms(month);
            assert_eq!((month_of(start), month_of(start - 1.0)), (month, month - 1));
        }
    }
}
