//! `HealthCore`: the rules of one `HealthCheck` ([`crate::core::health`]) as the JS class
//! (js/health-check.js) uses them, through plain values and strings. The JS class keeps the
//! check functions and the timer, runs the checks with the timeout and hands each outcome here;
//! this class answers with the `health.status` event to send and the report, as JSON.

use crate::api::args::Args;
use crate::api::collector::{config_error, yes};
use crate::api::cores::Core;
use crate::api::op::Op;
use crate::core::health::monitor::{Monitor, Outcome};
use crate::core::health::options::HealthOptions;
use crate::core::health::HealthStatus;
use crate::core::json_object::Object;
use alloc::string::String;

/// The rules of one `HealthCheck` (the core kind `health`).
pub struct HealthCore {
    monitor: Monitor,
}

impl HealthCore {
    /// A monitor for the options object of texts `optionsJson`, started at numbers `now`; an
    /// `R…` error string for an option out of range.
    pub fn open(args: &Args<'_>) -> Result<HealthCore, String> {
        let options =
            HealthOptions::from_json(args.text(0).unwrap_or("{}")).map_err(|e| config_error(&e))?;
        Ok(HealthCore {
            monitor: Monitor::new(options, args.number(0)),
        })
    }
}

impl Core for HealthCore {
    /// Runs the operation `op` with its [`Args`]; `undefined` where there is no answer:
    ///
    /// - `wiring`: `{ enabled, timerMs, timeoutMs }` as JSON: whether checks run
    ///   (`runChecks` only reports otherwise), the milliseconds between the checks the JS
    ///   class runs by itself (0 for none), and how long a check may take.
    /// - `register` (texts `name, callable, critical`): registers a service (`name` null: it
    ///   was not a string; `callable`: whether the check is a function; `critical` null: it
    ///   was not a boolean). Answers the `T…` error string to throw, if it was refused.
    /// - `unregister` (texts `name`): removes a service.
    /// - `isHealthy`: whether the system status is healthy.
    /// - `report` (numbers `now`): `getHealthReport()` as JSON, as of `now`.
    /// - `record` (texts `name, outcome, status, message`; numbers `responseTime, elapsedMs,
    ///   now`): applies a check of `name` that took `elapsedMs`. `outcome` is `answered` (with
    ///   the answer's `status` and `message` if strings, `responseTime` if a number), `threw`
    ///   (the check threw or rejected; `message`: the error's) or `timedOut`. Answers the data
    ///   of the `health.status` event to submit, if the service's status changed.
    fn call(&mut self, op: Op, args: &Args<'_>) -> Option<String> {
        match op {
            Op::Wiring => {
                let options = self.monitor.options();
                let wiring = Object::default()
                    .flag("enabled", options.enabled)
                    .number("timerMs", options.timer_ms())
                    .number("timeoutMs", options.timeout_ms)
                    .finish();
                Some(wiring)
            }
            Op::Report => Some(self.monitor.report_json(args.number(0))),
            Op::Unregister => {
                self.monitor.unregister(args.text(0)?);
                None
            }
            Op::Register => {
                let critical = (!args.is_null(2)).then(|| args.flag(2));
                let registered = self.monitor.register(args.text(0), args.flag(1), critical);
                registered.err().map(|e| config_error(&e))
            }
            Op::IsHealthy => yes(self.monitor.system() == HealthStatus::Healthy),
            Op::Record => record(&mut self.monitor, args),
            _ => None,
        }
    }
}

/// The `record` operation of [`HealthCore`]'s `call`.
fn record(monitor: &mut Monitor, args: &Args<'_>) -> Option<String> {
    let message = args.owned(3);
    let outcome = match args.text(1)? {
        "answered" => Outcome::Answered {
            status: args.owned(2),
            message,
            response_ms: args.optional_number(0),
        },
        "threw" => Outcome::Threw(message),
        _ => Outcome::TimedOut,
    };
    monitor.record(args.text(0)?, outcome, args.number(1), args.number(2))
}
