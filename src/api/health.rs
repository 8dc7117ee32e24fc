//! `HealthCore`: the rules of one `HealthCheck` ([`crate::core::health`]) as the JS class
//! (js/health-check.js) uses them, through plain values and strings. The JS class keeps the
//! check functions and the timer, runs the checks with the timeout and hands each outcome here;
//! this class answers with the `health.status` event to send and the report, as JSON.

use crate::api::args::Args;
use crate::api::collector::config_error;
use crate::core::health::monitor::{Monitor, Outcome};
use crate::core::health::options::HealthOptions;
use crate::core::health::HealthStatus;
use crate::core::json_object::Object;
use alloc::string::String;
use wasm_bindgen::prelude::*;

/// The rules of one `HealthCheck`. Internal: the package's JS class wraps it.
#[wasm_bindgen]
pub struct HealthCore {
    monitor: Monitor,
}

#[wasm_bindgen]
impl HealthCore {
    /// A monitor for the options object `options_json`, started at `now`; throws an `R…`
    /// error string for an option out of range.
    #[wasm_bindgen(constructor)]
    pub fn new(options_json: &str, now: f64) -> Result<HealthCore, String> {
        let options = HealthOptions::from_json(options_json).map_err(|e| config_error(&e))?;
        Ok(HealthCore {
            monitor: Monitor::new(options, now),
        })
    }

    /// Registers a service (`name` absent: it was not a string; `callable`: whether the check
    /// is a function; `critical` absent: it was not a boolean). Throws a `T…` error string.
    pub fn register(
        &mut self,
        name: Option<String>,
        callable: bool,
        critical: Option<bool>,
    ) -> Result<(), String> {
        self.monitor
            .register(name.as_deref(), callable, critical)
            .map_err(|e| config_error(&e))
    }

    /// Runs the operation `op` with its [`Args`]; `undefined` where there is no answer:
    ///
    /// - `wiring`: `{ enabled, timerMs, timeoutMs }` as JSON: whether checks run
    ///   (`runChecks` only reports otherwise), the milliseconds between the checks the JS
    ///   class runs by itself (0 for none), and how long a check may take.
    /// - `unregister` (texts `name`): removes a service.
    /// - `report` (numbers `now`): `getHealthReport()` as JSON, as of `now`.
    /// - `record` (texts `name, outcome, status, message`; numbers `responseTime, elapsedMs,
    ///   now`): applies a check of `name` that took `elapsedMs`. `outcome` is `answered` (with
    ///   the answer's `status` and `message` if strings, `responseTime` if a number), `threw`
    ///   (the check threw or rejected; `message`: the error's) or `timedOut`. Answers the data
    ///   of the `health.status` event to submit, if the service's status changed.
    pub fn call(&mut self, op: &str, texts: &str, numbers: &[f64]) -> Option<String> {
        let args = Args::new(texts, numbers)?;
        match op {
            "wiring" => {
                let options = self.monitor.options();
                let wiring = Object::default()
                    .flag("enabled", options.enabled)
                    .number("timerMs", options.timer_ms())
                    .number("timeoutMs", options.timeout_ms)
                    .finish();
                Some(wiring)
            }
            "report" => Some(self.monitor.report_json(args.number(0))),
            "unregister" => {
                self.monitor.unregister(args.text(0)?);
                None
            }
            "record" => self.record(&args),
            _ => None,
        }
    }

    /// The `record` operation of [`HealthCore::call`].
    fn record(&mut self, args: &Args<'_>) -> Option<String> {
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
        self.monitor
            .record(args.text(0)?, outcome, args.number(1), args.number(2))
    }

    /// Whether the system status is healthy.
    #[wasm_bindgen(js_name = isHealthy)]
    pub fn is_healthy(&self) -> bool {
        self.monitor.system() == HealthStatus::Healthy
    }
}
