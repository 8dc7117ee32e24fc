//! Alert rules: a metric of the recent calls compared with a threshold, firing after a number of
//! consecutive violating evaluations and re-arming once an evaluation passes.

use crate::core::llm::calls::CallSummary;
use alloc::string::String;
use alloc::vec;
use alloc::vec::Vec;

named_enum! {
    /// What a rule measures over its window; its name is the one used in the JS options.
    #[derive(Debug, Clone, Copy, PartialEq, Eq)]
    pub enum Metric {
        /// Failed calls / calls (0–1).
        ErrorRate = "errorRate",
        /// Mean latency in ms.
        LatencyAvg = "latencyAvg",
        /// 95th percentile latency in ms.
        LatencyP95 = "latencyP95",
        /// Calls.
        Requests = "requests",
        /// Input plus output tokens.
        Tokens = "tokens",
        /// Cost in USD.
        Cost = "cost",
        /// The largest share spent of any budget (1 = the whole budget).
        BudgetUsage = "budgetUsage",
    }
}

impl Metric {
    /// The metric's value over `calls`; `None` when there is nothing to measure (no calls, no
    /// latencies, no budget).
    pub fn value(self, calls: &CallSummary, budget_usage: Option<f64>) -> Option<f64> {
        let any = calls.requests > 0;
        match self {
            Self::ErrorRate => any.then_some(calls.error_rate),
            Self::LatencyAvg => calls.latency.map(|l| l.avg),
            Self::LatencyP95 => calls.latency.map(|l| l.p95),
            Self::Requests => Some(calls.requests as f64),
            Self::Tokens => Some(calls.total_tokens as f64),
            Self::Cost => Some(calls.total_cost),
            Self::BudgetUsage => budget_usage,
        }
    }
}

/// How a value is compared with the threshold; a violation is a true comparison.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Operator {
    /// `>`
    Above,
    /// `>=`
    AtLeast,
    /// `<`
    Below,
    /// `<=`
    AtMost,
}

impl Operator {
    /// Parses `>`, `>=`, `<` or `<=`.
    pub fn parse(symbol: &str) -> Option<Self> {
        Some(match symbol {
            ">" => Self::Above,
            ">=" => Self::AtLeast,
            "<" => Self::Below,
            "<=" => Self::AtMost,
            _ => return None,
        })
    }

    /// The operator's symbol.
    pub fn symbol(self) -> &'static str {
        match self {
            Self::Above => ">",
            Self::AtLeast => ">=",
            Self::Below => "<",
            Self::AtMost => "<=",
        }
    }

    fn holds(self, value: f64, threshold: f64) -> bool {
        match self {
            Self::Above => value > threshold,
            Self::AtLeast => value >= threshold,
            Self::Below => value < threshold,
            Self::AtMost => value <= threshold,
        }
    }
}

/// One alert rule and its evaluation state.
#[derive(Debug, Clone, PartialEq)]
pub struct Rule {
    /// Name reported with its alerts.
    pub name: String,
    /// What is measured.
    pub metric: Metric,
    /// How the value is compared with `threshold`.
    pub operator: Operator,
    /// The limit.
    pub threshold: f64,
    /// Violating evaluations in a row needed to fire (at least 1).
    pub consecutive: u32,
    /// The span of recent calls measured, in ms.
    pub window_ms: f64,
    violations: u32,
    firing: bool,
}

/// Five minutes, the default window of a rule.
pub const DEFAULT_WINDOW_MS: f64 = 300_000.0;

impl Rule {
    /// A rule that has not been evaluated yet.
    pub fn new(
        name: &str,
        metric: Metric,
        operator: Operator,
        threshold: f64,
        consecutive: u32,
        window_ms: f64,
    ) -> Self {
        Self {
            name: name.into(),
            metric,
            operator,
            threshold,
            consecutive: consecutive.max(1),
            window_ms,
            violations: 0,
            firing: false,
        }
    }

    /// The defaults over five minutes: error rate above 10 % and p95 latency above 5 s,
    /// three evaluations in a row; spend above a budget plus 20 %, at once (it cannot recover
    /// within a period).
    pub fn defaults() -> Vec<Rule> {
        vec![
            Rule::new(
                "high_error_rate",
                Metric::ErrorRate,
                Operator::Above,
                0.10,
                3,
                DEFAULT_WINDOW_MS,
            ),
            Rule::new(
                "high_latency",
                Metric::LatencyP95,
                Operator::Above,
                5_000.0,
                3,
                DEFAULT_WINDOW_MS,
            ),
            Rule::new(
                "over_budget",
                Metric::BudgetUsage,
                Operator::Above,
                1.20,
                1,
                DEFAULT_WINDOW_MS,
            ),
        ]
    }

    /// Evaluates the rule on `value` (`None`: nothing to measure, which counts as passing).
    /// Returns true when the rule fires now: once per run of violations, on the
    /// `consecutive`-th.
    pub fn evaluate(&mut self, value: Option<f64>) -> bool {
        let violated = value.is_some_and(|v| self.operator.holds(v, self.threshold));
        if !violated {
            self.violations = 0;
            self.firing = false;
            return false;
        }
        self.violations = self.violations.saturating_add(1);
        if !self.firing && self.violations >= self.consecutive {
            self.firing = true;
            return true;
        }
        false
    }

    /// Whether the rule has fired and not passed an evaluation since.
    pub fn is_firing(&self) -> bool {
        self.firing
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::random::Rng;

    #[test]
    fn a_rule_fires_on_the_third_consecutive_violation_once_and_rearms_after_passing() {
        let mut rule = Rule::defaults().remove(0);
        let fired: Vec<bool> = [0.2, 0.2, 0.05, 0.2, 0.2, 0.2, 0.3, 0.4, 0.1, 0.2, 0.2, 0.2]
            .iter()
            .map(|v| rule.evaluate(Some(*v)))
            .collect();
        let at: Vec<usize> = (0..fired.len()).filter(|i| fired[*i]).collect();
        // 0.1 is not above 0.1, so it passes and re-arms the rule.
        assert_eq!(at, [5, 11]);
        assert!(rule.is_firing());
        assert!(!rule.evaluate(None));
        assert!(!rule.is_firing());
    }

    #[test]
    fn metrics_read_the_summary_and_report_nothing_without_data() {
        let empty = CallSummary::default();
        assert_eq!(Metric::ErrorRate.value(&empty, None), None);
        assert_eq!(Metric::LatencyP95.value(&empty, None), None);
        assert_eq!(Metric::Requests.value(&empty, None), Some(0.0));
        assert_eq!(Metric::BudgetUsage.value(&empty, Some(1.3)), Some(1.3));
        for name in [
            "errorRate",
            "latencyAvg",
            "latencyP95",
            "requests",
            "tokens",
            "cost",
            "budgetUsage",
        ] {
            assert_eq!(Metric::parse(name).unwrap().name(), name);
        }
        assert_eq!(
            Metric::NAMES,
            "'errorRate', 'latencyAvg', 'latencyP95', 'requests', 'tokens', 'cost' or 'budgetUsage'"
        );
        for symbol in [">", ">=", "<", "<="] {
            assert_eq!(Operator::parse(symbol).unwrap().symbol(), symbol);
        }
        assert_eq!(Operator::parse("=>"), None);
    }

    /// The threshold property: on random value sequences, a rule fires exactly at the
    /// evaluations that complete a run of `consecutive` violations begun after a pass, and never
    /// while every value is within the threshold.
    #[test]
    fn rules_fire_exactly_where_a_brute_force_reading_of_the_definition_says() {
        let mut rng = Rng::from_seed([5; 32]);
        for _ in 0..2_000 {
            let consecutive = 1 + (rng.next_u64() % 4) as u32;
            let operator = [
                Operator::Above,
                Operator::AtLeast,
                Operator::Below,
                Operator::AtMost,
            ][(rng.next_u64() % 4) as usize];
            let mut rule = Rule::new("r", Metric::Cost, operator, 0.5, consecutive, 1.0);
            let values: Vec<Option<f64>> = (0..40)
                .map(|_| match rng.next_u64() % 5 {
                    0 => None,
                    1 => Some(0.5),
                    _ => Some(rng.next_f64()),
                })
                .collect();
            let violates = |v: Option<f64>| match (v, operator) {
                (Some(v), Operator::Above) => v > 0.5,
                (Some(v), Operator::AtLeast) => v >= 0.5,
                (Some(v), Operator::Below) => v < 0.5,
                (Some(v), Operator::AtMost) => v <= 0.5,
                (None, _) => false,
            };
            for (i, value) in values.iter().enumerate() {
                let run = values[..=i]
                    .iter()
                    .rev()
                    .take_while(|v| violates(**v))
                    .count();
                let expected = run == consecutive as usize;
                assert_eq!(rule.evaluate(*value), expected, "at {i} of {values:?}");
            }
        }
    }
}
