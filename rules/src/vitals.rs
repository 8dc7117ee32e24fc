//! The Core Web Vitals, their names and the thresholds web-vitals publishes with them.

/// A Core Web Vital.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Vital {
    /// Largest Contentful Paint (ms).
    Lcp,
    /// First Contentful Paint (ms).
    Fcp,
    /// Time to First Byte (ms).
    Ttfb,
    /// Cumulative Layout Shift (unitless).
    Cls,
    /// Interaction to Next Paint (ms).
    Inp,
}

/// How a value compares with the published thresholds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Rating {
    /// At or below the "good" threshold.
    Good,
    /// Between the thresholds.
    NeedsImprovement,
    /// Above the "poor" threshold.
    Poor,
}

impl Rating {
    /// `good`, `needs-improvement` or `poor`, as web-vitals names them.
    pub fn name(self) -> &'static str {
        match self {
            Self::Good => "good",
            Self::NeedsImprovement => "needs-improvement",
            Self::Poor => "poor",
        }
    }
}

impl Vital {
    /// The vital named `name` as web-vitals reports it (`LCP`, `INP`, …).
    pub fn from_name(name: &str) -> Option<Self> {
        [Self::Lcp, Self::Fcp, Self::Ttfb, Self::Cls, Self::Inp]
            .into_iter()
            .find(|vital| vital.name() == name)
    }

    /// The metric's name as web-vitals reports it.
    pub fn name(self) -> &'static str {
        match self {
            Self::Lcp => "LCP",
            Self::Fcp => "FCP",
            Self::Ttfb => "TTFB",
            Self::Cls => "CLS",
            Self::Inp => "INP",
        }
    }

    /// The "good" and "poor" thresholds published with web-vitals.
    pub fn thresholds(self) -> (f64, f64) {
        match self {
            Self::Lcp => (2500.0, 4000.0),
            Self::Fcp => (1800.0, 3000.0),
            Self::Ttfb => (800.0, 1800.0),
            Self::Cls => (0.1, 0.25),
            Self::Inp => (200.0, 500.0),
        }
    }

    /// Rates `value`: good up to the first threshold, poor above the second.
    pub fn rate(self, value: f64) -> Rating {
        let (good, poor) = self.thresholds();
        if value > poor {
            Rating::Poor
        } else if value > good {
            Rating::NeedsImprovement
        } else {
            Rating::Good
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ratings_follow_the_published_thresholds_inclusively() {
        assert_eq!(Vital::Lcp.rate(2500.0), Rating::Good);
        assert_eq!(Vital::Lcp.rate(2500.1), Rating::NeedsImprovement);
        assert_eq!(Vital::Lcp.rate(4000.0), Rating::NeedsImprovement);
        assert_eq!(Vital::Lcp.rate(4000.1), Rating::Poor);
        assert_eq!(Vital::Cls.rate(0.1), Rating::Good);
        assert_eq!(Vital::Cls.rate(0.26), Rating::Poor);
        assert_eq!(Vital::Inp.rate(200.0), Rating::Good);
        assert_eq!(Vital::Inp.rate(201.0), Rating::NeedsImprovement);
        assert_eq!(Vital::Ttfb.rate(1801.0), Rating::Poor);
        assert_eq!(Vital::Fcp.rate(1000.0).name(), "good");
        assert_eq!(Vital::from_name("INP"), Some(Vital::Inp));
        assert_eq!(Vital::from_name("inp"), None);
    }
}
