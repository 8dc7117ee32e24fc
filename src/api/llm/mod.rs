//! `LlmCore`: the rules of `LlmTelemetry` ([`crate::core::llm::tracker`]) as the JS class
//! (js/llm-telemetry.js) uses them, through plain values and JSON text. The JS class reads the
//! application's values, keeps the alert timer, calls `onAlert`, persists the spend and
//! submits the events this one writes.

mod stream;

pub use stream::StreamCore;

use crate::api::args::Args;
use crate::api::collector::{number, thrown};
use crate::api::cores::Core;
use crate::api::op::Op;
use crate::core::json::write_string;
use crate::core::llm::options::OptionError;
use crate::core::llm::tracker::Tracker;
use alloc::string::String;

/// An option error as the JS class throws it (see [`thrown`]).
fn option_error(error: OptionError) -> String {
    match error {
        OptionError::Type(message) => thrown(false, &message),
        OptionError::Range(message) => thrown(true, &message),
    }
}

/// The rules of one `LlmTelemetry` (the core kind `llm`).
pub struct LlmCore {
    tracker: Tracker,
}

impl LlmCore {
    /// A tracker for the options of texts `optionsJson` (`pricing`, `budgets`, `alertRules`,
    /// `alertIntervalMs`), resuming the persisted spend `stored`, at numbers `now`; an
    /// `R…`/`T…` error string.
    pub fn open(args: &Args<'_>) -> Result<LlmCore, String> {
        Tracker::new(args.text(0).unwrap_or("{}"), args.text(1), args.number(0))
            .map(|tracker| LlmCore { tracker })
            .map_err(option_error)
    }
}

impl Core for LlmCore {
    /// Runs the operation `op` with its [`Args`]; `undefined` where there is no answer:
    ///
    /// - `alertIntervalMs`: how often the alert rules are evaluated on a timer, in ms; 0 for
    ///   never.
    /// - `takeEvents`: the events raised since the last call, as a JSON array
    ///   `[type, dataJson, type, dataJson, …]`.
    /// - `takeSpend`: the spend to persist (JSON), when it changed since the last call.
    /// - `setPricing` (texts `pricingJson`; numbers `now`): adds or replaces model rates, in
    ///   any of the three table formats; answers the `T…` error string to throw, if refused.
    /// - `estimateCost` (texts `provider, model, usageJson, batch`): the cost (JSON) of a
    ///   usage object of `provider` on `model`.
    /// - `trackCall` (`callJson, userHash`; numbers `now`): records a call whose user hashes to
    ///   `userHash`; answers its cost (JSON), or `undefined` when the call is not an object.
    /// - `summary` (`groupBy`; `windowMs, now`): the aggregates of the recent calls, as JSON,
    ///   or the `R…` error string for an unknown `groupBy`.
    /// - `budgetStatus`: every budget's spend, as JSON. `forecast` (`now`): every budget's
    ///   forecast. `checkAlerts` (`now`): evaluates the alert rules; the alerts fired, as a
    ///   JSON array. `triggeredAlerts`: the latest alerts, as a JSON array.
    fn call(&mut self, op: Op, args: &Args<'_>) -> Option<String> {
        let tracker = &mut self.tracker;
        match op {
            Op::AlertIntervalMs => number(tracker.alert_interval_ms()),
            Op::TakeEvents => {
                let events = tracker.take_events();
                let mut out = String::from("[");
                for (index, (kind, data)) in events.iter().enumerate() {
                    if index > 0 {
                        out.push(',');
                    }
                    write_string(&mut out, kind);
                    out.push(',');
                    write_string(&mut out, data);
                }
                out.push(']');
                Some(out)
            }
            Op::TakeSpend => tracker.take_spend(),
            Op::SetPricing => tracker
                .set_pricing(args.text(0)?, args.number(0))
                .err()
                .map(option_error),
            Op::EstimateCost => Some(tracker.estimate_cost(
                args.text(0)?,
                args.text(1)?,
                args.text(2)?,
                args.flag(3),
            )),
            Op::TrackCall => tracker.track_call(args.text(0)?, args.text(1), args.number(0)),
            Op::Summary => Some(
                tracker
                    .summary(args.text(0), args.optional_number(0), args.number(1))
                    .unwrap_or_else(option_error),
            ),
            Op::BudgetStatus => Some(tracker.budget_status()),
            Op::Forecast => Some(tracker.forecast(args.number(0))),
            Op::CheckAlerts => Some(tracker.check_alerts(args.number(0))),
            Op::TriggeredAlerts => Some(tracker.triggered_alerts()),
            _ => None,
        }
    }
}
