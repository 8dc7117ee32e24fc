//! Service health: consecutive failures turn a service unhealthy, a success heals it, and the
//! system's status follows its services. [`options`] reads `HealthCheck`'s options and
//! [`monitor`] keeps the registered services, judges each check and writes the events and the
//! report.

pub mod monitor;
pub mod options;

use alloc::string::String;
use alloc::vec::Vec;

named_enum! {
    /// A service's or the system's status.
    #[derive(Debug, Clone, Copy, PartialEq, Eq)]
    pub enum HealthStatus {
        /// Working.
        Healthy = "healthy",
        /// Working with problems (a reported degradation, or failures below the threshold).
        Degraded = "degraded",
        /// Failing: `failureThreshold` consecutive failures.
        Unhealthy = "unhealthy",
    }
}

impl HealthStatus {
    /// Parses a status a check reported, whatever its case.
    pub fn parse_any_case(name: &str) -> Option<Self> {
        Self::parse(&name.to_ascii_lowercase())
    }
}

/// How one check ended.
#[derive(Debug, Clone, PartialEq)]
pub enum CheckResult {
    /// The check answered with a status (`unhealthy` counts as a failure).
    Reported(HealthStatus),
    /// It threw, rejected, answered nonsense or took longer than the timeout.
    Failed,
}

/// One registered service.
#[derive(Debug, Clone, PartialEq)]
pub struct Service {
    /// Its name.
    pub name: String,
    /// Whether its failure makes the whole system unhealthy.
    pub critical: bool,
    /// Current status.
    pub status: HealthStatus,
    /// Failures in a row.
    pub consecutive_failures: u32,
    /// Whether a check has run yet.
    pub checked: bool,
}

impl Service {
    /// A new service, healthy until a check says otherwise.
    pub fn new(name: &str, critical: bool) -> Self {
        Self {
            name: name.into(),
            critical,
            status: HealthStatus::Healthy,
            consecutive_failures: 0,
            checked: false,
        }
    }

    /// Applies one check's result; returns the new status when it changed, and after the first
    /// check (so that a collector learns every service's status once).
    pub fn record(&mut self, result: &CheckResult, failure_threshold: u32) -> Option<HealthStatus> {
        let next = match result {
            CheckResult::Reported(HealthStatus::Healthy) => {
                self.consecutive_failures = 0;
                HealthStatus::Healthy
            }
            CheckResult::Reported(HealthStatus::Degraded) => {
                self.consecutive_failures = 0;
                HealthStatus::Degraded
            }
            CheckResult::Reported(HealthStatus::Unhealthy) | CheckResult::Failed => {
                self.consecutive_failures = self.consecutive_failures.saturating_add(1);
                if self.consecutive_failures >= failure_threshold.max(1) {
                    HealthStatus::Unhealthy
                } else {
                    HealthStatus::Degraded
                }
            }
        };
        let changed = next != self.status || !self.checked;
        self.status = next;
        self.checked = true;
        changed.then_some(next)
    }
}

/// The system's status: healthy when every service is, unhealthy when a critical one is,
/// degraded otherwise.
pub fn system_status<'a>(services: impl IntoIterator<Item = &'a Service>) -> HealthStatus {
    let mut status = HealthStatus::Healthy;
    for service in services {
        match service.status {
            HealthStatus::Unhealthy if service.critical => return HealthStatus::Unhealthy,
            HealthStatus::Healthy => {}
            _ => status = HealthStatus::Degraded,
        }
    }
    status
}

/// The names of services whose status is not healthy, for reports.
pub fn unhealthy_names(services: &[Service]) -> Vec<&str> {
    let mut names = Vec::new();
    for service in services {
        if service.status != HealthStatus::Healthy {
            names.push(service.name.as_str());
        }
    }
    names
}

#[cfg(test)]
mod tests {
    use super::HealthStatus::*;
    use super::*;

    #[test]
    fn the_first_check_is_reported_even_when_healthy_and_repeats_are_not() {
        let mut api = Service::new("api", true);
        assert_eq!(
            api.record(&CheckResult::Reported(Healthy), 3),
            Some(Healthy)
        );
        assert_eq!(api.record(&CheckResult::Reported(Healthy), 3), None);
    }

    #[test]
    fn three_failures_in_a_row_make_a_service_unhealthy_and_one_success_heals_it() {
        let mut api = Service::new("api", true);
        assert_eq!(api.record(&CheckResult::Failed, 3), Some(Degraded));
        assert_eq!(api.record(&CheckResult::Reported(Unhealthy), 3), None);
        assert_eq!(api.record(&CheckResult::Failed, 3), Some(Unhealthy));
        assert_eq!(api.consecutive_failures, 3);
        assert_eq!(
            api.record(&CheckResult::Reported(Healthy), 3),
            Some(Healthy)
        );
        assert_eq!(api.consecutive_failures, 0);
    }

    #[test]
    fn a_success_between_failures_restarts_the_count() {
        let mut api = Service::new("api", true);
        api.record(&CheckResult::Failed, 3);
        api.record(&CheckResult::Failed, 3);
        api.record(&CheckResult::Reported(Degraded), 3);
        api.record(&CheckResult::Failed, 3);
        assert_eq!(api.status, Degraded);
    }

    #[test]
    fn the_system_follows_its_services() {
        let mut services = [Service::new("api", true), Service::new("cache", false)];
        assert_eq!(system_status(&services), Healthy);
        for _ in 0..3 {
            services[1].record(&CheckResult::Failed, 3);
        }
        assert_eq!(
            system_status(&services),
            Degraded,
            "a non-critical failure degrades"
        );
        for _ in 0..3 {
            services[0].record(&CheckResult::Failed, 3);
        }
        assert_eq!(
            system_status(&services),
            Unhealthy,
            "a critical failure is unhealthy"
        );
        assert_eq!(unhealthy_names(&services), ["api", "cache"]);
        assert_eq!(system_status(&[] as &[Service]), Healthy);
        assert_eq!(HealthStatus::parse_any_case("DEGRADED"), Some(Degraded));
        assert_eq!(HealthStatus::parse_any_case("fine"), None);
    }
}
