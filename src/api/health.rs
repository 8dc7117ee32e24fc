//! `HealthCheck`: registered service checks run on an interval and on demand; status changes
//! are reported through the collector as `health.status` events.

use crate::api::sink::Sink;
use crate::core::event::EventInput;
use crate::core::health::{system_status, CheckResult, HealthStatus, Service};
use crate::core::json::write_string;
use crate::platform::timer::Timer;
use crate::platform::{get, is_plain_object, now_ms, set};
use alloc::rc::{Rc, Weak};
use alloc::string::String;
use alloc::vec::Vec;
use core::cell::{Cell, RefCell};
use js_sys::{Array, Function, Object, Promise, TypeError};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::{future_to_promise, JsFuture};

struct Registered {
    service: Service,
    check: Function,
    response_ms: Option<f64>,
    message: Option<String>,
    checked_at: Option<f64>,
}

struct Inner {
    collector: Sink,
    enabled: bool,
    failure_threshold: u32,
    timeout_ms: f64,
    started_at: f64,
    services: RefCell<Vec<Registered>>,
    timer: Cell<Option<Timer>>,
}

fn option_number(
    options: &JsValue,
    key: &str,
    default: f64,
    min: f64,
    max: f64,
    rule: &'static str,
) -> Result<f64, JsValue> {
    let value = if is_plain_object(options) {
        get(options, key)
    } else {
        JsValue::UNDEFINED
    };
    match value.as_f64() {
        None if value.is_undefined() => Ok(default),
        Some(n) if (min..=max).contains(&n) => Ok(n),
        _ => Err(js_sys::RangeError::new(rule).into()),
    }
}

/// Resolves with `value` after `ms`.
fn resolve_after(ms: f64, value: &JsValue) -> Promise {
    Promise::new(&mut |resolve, _| {
        let set_timeout = get(&js_sys::global(), "setTimeout")
            .dyn_into::<Function>()
            .ok();
        if let Some(set_timeout) = set_timeout {
            let with_value = resolve.bind1(&JsValue::UNDEFINED, value);
            let _ = set_timeout.call2(&JsValue::UNDEFINED, &with_value, &JsValue::from(ms));
        }
    })
}

/// What the timeout resolves with; no check answers with this exact object.
fn timeout_marker() -> JsValue {
    JsValue::from_str("wasm-telemetry:timeout")
}

/// Runs one check: a throw, a rejection, a non-object answer or no answer within `timeout_ms`
/// is a failure.
async fn run_check(check: Function, timeout_ms: f64) -> (CheckResult, f64, Option<String>) {
    let started = now_ms();
    let outcome = match check.call0(&JsValue::UNDEFINED) {
        Err(error) => Err(error),
        Ok(value) => {
            let timed = resolve_after(timeout_ms, &timeout_marker());
            JsFuture::from(Promise::race(&Array::of2(
                &Promise::resolve(&value),
                &timed,
            )))
            .await
        }
    };
    let elapsed = now_ms() - started;
    match outcome {
        Ok(answer) if answer == timeout_marker() => (
            CheckResult::Failed,
            elapsed,
            Some(String::from("timed out")),
        ),
        Ok(answer) => {
            let status = get(&answer, "status")
                .as_string()
                .and_then(|s| HealthStatus::parse(&s));
            let message = get(&answer, "message").as_string();
            let response = get(&answer, "responseTime").as_f64().unwrap_or(elapsed);
            match status {
                Some(status) => (CheckResult::Reported(status), response, message),
                None => (
                    CheckResult::Failed,
                    elapsed,
                    Some(String::from("no status in the answer")),
                ),
            }
        }
        Err(error) => {
            let message = get(&error, "message")
                .as_string()
                .or_else(|| error.as_string());
            (
                CheckResult::Failed,
                elapsed,
                message.or_else(|| Some(String::from("check failed"))),
            )
        }
    }
}

impl Inner {
    async fn run_all(self: Rc<Self>) {
        let checks: Vec<(String, Function)> = match self.services.try_borrow() {
            Ok(services) => services
                .iter()
                .map(|r| (r.service.name.clone(), r.check.clone()))
                .collect(),
            Err(_) => return,
        };
        for (name, check) in checks {
            let (result, response_ms, message) = run_check(check, self.timeout_ms).await;
            let change = match self.services.try_borrow_mut() {
                Ok(mut services) => services
                    .iter_mut()
                    .find(|r| r.service.name == name)
                    .and_then(|registered| {
                        registered.response_ms = Some(response_ms);
                        registered.message = message.clone();
                        registered.checked_at = Some(now_ms());
                        registered.service.record(&result, self.failure_threshold)
                    }),
                Err(_) => None,
            };
            if let Some(status) = change {
                self.report(&name, status, message.as_deref());
            }
        }
    }

    fn report(&self, name: &str, status: HealthStatus, message: Option<&str>) {
        let system = self
            .services
            .try_borrow()
            .map_or(HealthStatus::Healthy, |services| {
                let list: Vec<Service> = services.iter().map(|r| r.service.clone()).collect();
                system_status(&list)
            });
        let mut data = String::from("{\"service\":");
        write_string(&mut data, name);
        data.push_str(",\"status\":");
        write_string(&mut data, status.name());
        data.push_str(",\"system\":");
        write_string(&mut data, system.name());
        if let Some(message) = message {
            data.push_str(",\"message\":");
            write_string(&mut data, message);
        }
        data.push('}');
        self.collector.accept(Ok(EventInput {
            kind: "health.status".into(),
            timestamp_ms: None,
            data_json: Some(data),
        }));
    }
}

/// Service health monitoring: checks, consecutive-failure thresholds and a system status.
#[wasm_bindgen]
pub struct HealthCheck {
    inner: Rc<Inner>,
}

#[wasm_bindgen]
impl HealthCheck {
    /// Options: `enabled` (true), `checkIntervalMs` (60000; 0 for on-demand only),
    /// `failureThreshold` (3), `timeoutMs` (5000).
    #[wasm_bindgen(constructor)]
    pub fn new(
        #[wasm_bindgen(unchecked_param_type = "CollectorLink")] collector: JsValue,
        #[wasm_bindgen(unchecked_optional_param_type = "HealthCheckOptions")] options: JsValue,
    ) -> Result<HealthCheck, JsValue> {
        let interval = option_number(
            &options,
            "checkIntervalMs",
            60_000.0,
            0.0,
            86_400_000.0,
            "checkIntervalMs must be between 0 and 86400000",
        )?;
        let threshold = option_number(
            &options,
            "failureThreshold",
            3.0,
            1.0,
            1000.0,
            "failureThreshold must be between 1 and 1000",
        )?;
        let timeout_ms = option_number(
            &options,
            "timeoutMs",
            5000.0,
            1.0,
            600_000.0,
            "timeoutMs must be between 1 and 600000",
        )?;
        let enabled =
            !is_plain_object(&options) || get(&options, "enabled").as_bool() != Some(false);
        let inner = Rc::new(Inner {
            collector: Sink::new(collector),
            enabled,
            failure_threshold: threshold as u32,
            timeout_ms,
            started_at: now_ms(),
            services: RefCell::new(Vec::new()),
            timer: Cell::new(None),
        });
        if enabled && interval > 0.0 {
            let weak: Weak<Inner> = Rc::downgrade(&inner);
            inner.timer.set(Some(Timer::interval(interval, move || {
                if let Some(inner) = weak.upgrade() {
                    wasm_bindgen_futures::spawn_local(inner.run_all());
                }
            })));
        }
        Ok(HealthCheck { inner })
    }

    /// Registers (or replaces) a service check: `async () => ({ status, responseTime?, message? })`.
    /// `critical` (default true) services make the whole system unhealthy when they fail.
    /// Throws a `TypeError` when `name` is not a non-empty string or `check` not a function.
    #[wasm_bindgen(js_name = registerService)]
    pub fn register_service(
        &self,
        #[wasm_bindgen(unchecked_param_type = "string")] name: JsValue,
        #[wasm_bindgen(unchecked_param_type = "ServiceCheck")] check: JsValue,
        #[wasm_bindgen(unchecked_optional_param_type = "boolean")] critical: JsValue,
    ) -> Result<(), JsValue> {
        let Some(name) = name.as_string().filter(|name| !name.is_empty()) else {
            return Err(TypeError::new("registerService: name must be a non-empty string").into());
        };
        let Ok(check) = check.dyn_into::<Function>() else {
            return Err(TypeError::new("registerService: check must be a function").into());
        };
        let critical = critical.as_bool().unwrap_or(true);
        if let Ok(mut services) = self.inner.services.try_borrow_mut() {
            services.retain(|r| r.service.name != name);
            services.push(Registered {
                service: Service::new(&name, critical),
                check,
                response_ms: None,
                message: None,
                checked_at: None,
            });
        }
        Ok(())
    }

    /// Removes a service.
    #[wasm_bindgen(js_name = unregisterService)]
    pub fn unregister_service(
        &self,
        #[wasm_bindgen(unchecked_param_type = "string")] name: JsValue,
    ) {
        let Some(name) = name.as_string() else { return };
        if let Ok(mut services) = self.inner.services.try_borrow_mut() {
            services.retain(|r| r.service.name != name);
        }
    }

    /// Runs every check now; resolves with the health report.
    #[wasm_bindgen(js_name = runChecks, unchecked_return_type = "Promise<HealthReport>")]
    pub fn run_checks(&self) -> Promise {
        let inner = self.inner.clone();
        future_to_promise(async move {
            if inner.enabled {
                inner.clone().run_all().await;
            }
            Ok(report(&inner))
        })
    }

    /// `{ status, services: [{ name, status, critical, consecutiveFailures, responseTime,
    /// message, lastChecked }], uptime, timestamp }` as of the last checks.
    #[wasm_bindgen(js_name = getHealthReport, unchecked_return_type = "HealthReport")]
    pub fn get_health_report(&self) -> JsValue {
        report(&self.inner)
    }

    /// Whether the system status is healthy.
    #[wasm_bindgen(js_name = isHealthy)]
    pub fn is_healthy(&self) -> bool {
        self.inner.services.try_borrow().is_ok_and(|services| {
            let list: Vec<Service> = services.iter().map(|r| r.service.clone()).collect();
            system_status(&list) == HealthStatus::Healthy
        })
    }

    /// Stops the periodic checks.
    pub fn destroy(&self) {
        self.inner.timer.set(None);
    }
}

fn report(inner: &Inner) -> JsValue {
    let result = Object::new();
    let list = Array::new();
    let mut status = HealthStatus::Healthy;
    if let Ok(services) = inner.services.try_borrow() {
        let plain: Vec<Service> = services.iter().map(|r| r.service.clone()).collect();
        status = system_status(&plain);
        for registered in services.iter() {
            let entry = Object::new();
            set(&entry, "name", registered.service.name.as_str());
            set(&entry, "status", registered.service.status.name());
            set(&entry, "critical", registered.service.critical);
            set(
                &entry,
                "consecutiveFailures",
                registered.service.consecutive_failures,
            );
            set(
                &entry,
                "responseTime",
                registered.response_ms.map_or(JsValue::NULL, JsValue::from),
            );
            set(
                &entry,
                "message",
                registered
                    .message
                    .as_deref()
                    .map_or(JsValue::NULL, JsValue::from_str),
            );
            set(
                &entry,
                "lastChecked",
                registered.checked_at.map_or(JsValue::NULL, JsValue::from),
            );
            list.push(&entry);
        }
    }
    set(&result, "status", status.name());
    set(&result, "services", list);
    set(&result, "uptime", now_ms() - inner.started_at);
    set(&result, "timestamp", now_ms());
    result.into()
}
