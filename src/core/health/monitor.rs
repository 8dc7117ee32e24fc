//! The services one `HealthCheck` watches: registration, the judgement of each check's outcome
//! (a throw, a rejection, an answer without a status or a timeout is a failure), the
//! `health.status` event of each change and the health report, as JSON.

use super::options::HealthOptions;
use super::{system_status, CheckResult, HealthStatus, Service};
use crate::core::config::ConfigError;
use crate::core::json_object::{objects, Object};
use alloc::string::String;
use alloc::vec::Vec;

/// How one check ended, as the JS class saw it.
#[derive(Debug, Clone, PartialEq)]
pub enum Outcome {
    /// It answered: the answer's `status`, `message` and `responseTime`, where they were a
    /// string, a string and a number.
    Answered {
        /// `status`, if it was a string.
        status: Option<String>,
        /// `message`, if it was a string.
        message: Option<String>,
        /// `responseTime`, if it was a number.
        response_ms: Option<f64>,
    },
    /// It threw or rejected: the error's `message`, or the thrown string.
    Threw(Option<String>),
    /// It did not answer within `timeoutMs`.
    TimedOut,
}

impl Outcome {
    /// What the outcome means for the service: the result, the response time and the message
    /// to keep (`elapsed_ms`: how long the check took).
    fn judge(self, elapsed_ms: f64) -> (CheckResult, f64, Option<String>) {
        match self {
            Outcome::TimedOut => (CheckResult::Failed, elapsed_ms, Some("timed out".into())),
            Outcome::Threw(message) => (
                CheckResult::Failed,
                elapsed_ms,
                message.or_else(|| Some("check failed".into())),
            ),
            Outcome::Answered {
                status,
                message,
                response_ms,
            } => match status.as_deref().and_then(HealthStatus::parse_any_case) {
                Some(status) => (
                    CheckResult::Reported(status),
                    response_ms
                        .filter(|ms| ms.is_finite())
                        .unwrap_or(elapsed_ms),
                    message,
                ),
                None => (
                    CheckResult::Failed,
                    elapsed_ms,
                    Some("no status in the answer".into()),
                ),
            },
        }
    }
}

/// A registered service and what its last check said.
struct Watched {
    service: Service,
    response_ms: Option<f64>,
    message: Option<String>,
    checked_at: Option<f64>,
}

/// The registered services of one `HealthCheck`, in registration order.
pub struct Monitor {
    options: HealthOptions,
    started_at: f64,
    services: Vec<Watched>,
}

impl Monitor {
    /// A monitor with no services, started at `now`.
    pub fn new(options: HealthOptions, now: f64) -> Self {
        Self {
            options,
            started_at: now,
            services: Vec::new(),
        }
    }

    /// The options in force.
    pub fn options(&self) -> &HealthOptions {
        &self.options
    }

    /// Registers `name` (replacing a service of that name, which goes last); `callable`: whether
    /// the check is a function. `critical` defaults to true. A `TypeError` when `name` is not a
    /// non-empty string or the check not a function.
    pub fn register(
        &mut self,
        name: Option<&str>,
        callable: bool,
        critical: Option<bool>,
    ) -> Result<(), ConfigError> {
        let Some(name) = name.filter(|name| !name.is_empty()) else {
            return Err(ConfigError::Type {
                field: "registerService: name",
                expected: "a non-empty string",
            });
        };
        if !callable {
            return Err(ConfigError::Type {
                field: "registerService: check",
                expected: "a function",
            });
        }
        self.unregister(name);
        self.services.push(Watched {
            service: Service::new(name, critical.unwrap_or(true)),
            response_ms: None,
            message: None,
            checked_at: None,
        });
        Ok(())
    }

    /// Removes the service `name`, if there is one.
    pub fn unregister(&mut self, name: &str) {
        self.services.retain(|w| w.service.name != name);
    }

    /// Applies a check of `name` that ended with `outcome` after `elapsed_ms`; returns the data
    /// of the `health.status` event to send when its status changed (or was first known).
    /// Nothing for a service that is no longer registered.
    pub fn record(
        &mut self,
        name: &str,
        outcome: Outcome,
        elapsed_ms: f64,
        now: f64,
    ) -> Option<String> {
        let threshold = self.options.failure_threshold;
        let (result, response_ms, message) = outcome.judge(elapsed_ms);
        let watched = self.services.iter_mut().find(|w| w.service.name == name)?;
        watched.response_ms = Some(response_ms);
        watched.checked_at = Some(now);
        watched.message.clone_from(&message);
        let status = watched.service.record(&result, threshold)?;
        let mut data = Object::default();
        data.text("service", name)
            .text("status", status.name())
            .text("system", self.system().name());
        if let Some(message) = message {
            data.text("message", &message);
        }
        Some(data.finish())
    }

    /// The system's status.
    pub fn system(&self) -> HealthStatus {
        system_status(self.services.iter().map(|w| &w.service))
    }

    /// `getHealthReport()` as JSON: `{ status, services: [{ name, status, critical,
    /// consecutiveFailures, responseTime, message, lastChecked }], uptime, timestamp }`.
    pub fn report_json(&self, now: f64) -> String {
        let services = objects(&self.services, |object, watched| {
            let service = &watched.service;
            object
                .text("name", &service.name)
                .text("status", service.status.name())
                .flag("critical", service.critical)
                .count(
                    "consecutiveFailures",
                    u64::from(service.consecutive_failures),
                )
                .maybe("responseTime", watched.response_ms)
                .maybe_text("message", watched.message.as_deref())
                .maybe("lastChecked", watched.checked_at);
        });
        Object::default()
            .text("status", self.system().name())
            .raw("services", Some(&services))
            .number("uptime", now - self.started_at)
            .number("timestamp", now)
            .finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn monitor(threshold: u32) -> Monitor {
        let options = HealthOptions::from_json("{}").unwrap();
        Monitor::new(
            HealthOptions {
                failure_threshold: threshold,
                ..options
            },
            1000.0,
        )
    }

    fn answered(status: &str, response_ms: Option<f64>) -> Outcome {
        Outcome::Answered {
            status: Some(status.into()),
            message: None,
            response_ms,
        }
    }

    #[test]
    fn registration_refuses_a_missing_name_and_a_check_that_is_not_a_function() {
        let mut health = monitor(3);
        let error = |r: Result<(), ConfigError>| r.unwrap_err().message();
        assert_eq!(
            error(health.register(None, true, None)),
            "registerService: name must be a non-empty string"
        );
        assert_eq!(
            error(health.register(Some(""), true, None)),
            "registerService: name must be a non-empty string"
        );
        assert_eq!(
            error(health.register(Some("db"), false, None)),
            "registerService: check must be a function"
        );
        assert!(health.report_json(1000.0).contains("\"services\":[]"));
    }

    #[test]
    fn each_change_is_an_event_with_the_system_status_and_the_message() {
        let mut health = monitor(2);
        health.register(Some("db"), true, None).unwrap();
        health.register(Some("cache"), true, Some(false)).unwrap();
        let failed = Outcome::Threw(Some("db down".into()));
        assert_eq!(
            health.record("db", failed.clone(), 5.0, 2000.0).as_deref(),
            Some(r#"{"service":"db","status":"degraded","system":"degraded","message":"db down"}"#)
        );
        assert_eq!(
            health.record("db", failed, 5.0, 3000.0).as_deref(),
            Some(
                r#"{"service":"db","status":"unhealthy","system":"unhealthy","message":"db down"}"#
            )
        );
        assert_eq!(
            health
                .record("cache", answered("HEALTHY", Some(12.5)), 3.0, 3000.0)
                .as_deref(),
            Some(r#"{"service":"cache","status":"healthy","system":"unhealthy"}"#)
        );
        assert_eq!(
            health.record("cache", answered("healthy", None), 3.0, 4000.0),
            None
        );
        assert_eq!(health.record("gone", Outcome::TimedOut, 3.0, 4000.0), None);
        assert_eq!(health.system(), HealthStatus::Unhealthy);
    }

    #[test]
    fn a_timeout_a_throw_without_message_and_an_answer_without_status_are_failures() {
        let mut health = monitor(3);
        health.register(Some("a"), true, None).unwrap();
        let message = |health: &mut Monitor, outcome: Outcome| {
            health.record("a", outcome, 7.0, 2000.0);
            let report = health.report_json(2000.0);
            let at = report.find("\"message\":").unwrap();
            String::from(&report[at..report.find(",\"lastChecked\"").unwrap()])
        };
        assert_eq!(
            message(&mut health, Outcome::TimedOut),
            "\"message\":\"timed out\""
        );
        assert_eq!(
            message(&mut health, Outcome::Threw(None)),
            "\"message\":\"check failed\""
        );
        let fine = Outcome::Answered {
            status: Some("fine".into()),
            message: Some("ignored".into()),
            response_ms: Some(1.0),
        };
        assert_eq!(
            message(&mut health, fine),
            "\"message\":\"no status in the answer\""
        );
        assert!(health
            .report_json(2000.0)
            .contains("\"consecutiveFailures\":3"));
    }

    #[test]
    fn the_report_lists_services_in_registration_order_with_their_last_check() {
        let mut health = monitor(3);
        health.register(Some("a"), true, None).unwrap();
        health.register(Some("b"), true, Some(false)).unwrap();
        health.record("a", answered("degraded", Some(f64::NAN)), 4.0, 1500.0);
        health.register(Some("a"), true, None).unwrap();
        health.record("b", answered("healthy", Some(12.25)), 4.0, 1600.0);
        assert_eq!(
            health.report_json(2000.0),
            concat!(
                r#"{"status":"healthy","services":["#,
                r#"{"name":"b","status":"healthy","critical":false,"consecutiveFailures":0,"#,
                r#""responseTime":12.25,"message":null,"lastChecked":1600},"#,
                r#"{"name":"a","status":"healthy","critical":true,"consecutiveFailures":0,"#,
                r#""responseTime":null,"message":null,"lastChecked":null}"#,
                r#"],"uptime":1000,"timestamp":2000}"#
            )
        );
        health.record("a", answered("degraded", Some(f64::NAN)), 4.0, 1700.0);
        assert!(health.report_json(2000.0).contains(r#""responseTime":4,"#));
        assert!(health
            .report_json(2000.0)
            .starts_with(r#"{"status":"degraded""#));
        health.unregister("a");
        assert_eq!(health.system(), HealthStatus::Healthy);
    }
}
