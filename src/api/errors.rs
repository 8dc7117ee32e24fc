//! `ErrorsCore`: ErrorTracking's rules ([`crate::core::errors::tracker`]) as the JS class
//! `ErrorTracking` (js/error-tracking.js) uses them, through plain values and strings. The JS
//! class installs the global handlers and the automatic breadcrumbs, reads the thrown values
//! and submits what this one writes.

use crate::api::args::Args;
use crate::api::collector::thrown;
use crate::api::cores::Core;
use crate::api::op::Op;
use crate::core::errors::tracker::{Captured, Tracker};
use alloc::string::String;

/// The rules of one `ErrorTracking` (the core kind `errors`).
pub struct ErrorsCore {
    core: Tracker,
}

impl ErrorsCore {
    /// A tracker for the texts `optionsJson, endpoint` (the options the JS class serialised,
    /// and the endpoint of the collector it reports through); an `R…` error string.
    pub fn open(args: &Args<'_>) -> Result<ErrorsCore, String> {
        Tracker::new(args.text(0).unwrap_or("{}"), args.owned(1))
            .map(|core| ErrorsCore { core })
            .map_err(|message| thrown(true, message))
    }
}

impl Core for ErrorsCore {
    /// Runs the operation `op` with its [`Args`]; answers `undefined` where the operation has
    /// no answer or its arguments do not fit:
    ///
    /// - `wiring`: what to install, as JSON: `{ error, unhandledrejection, clicks,
    ///   navigation, http, console }`.
    /// - `groups`: `getErrorGroups()` as JSON. `stats`: `getStats()` as JSON.
    /// - `capture` (texts `name, message, stack, contextJson, severity, userJson, mechanism`;
    ///   numbers `now`): captures an error as the JS class read it and answers its id, or
    ///   `undefined` when disabled. The event to send, if any, is then
    ///   `takeEvent`, once.
    /// - `breadcrumb` (`category, message, level, dataJson`; `now`): adds a breadcrumb (absent
    ///   fields take their defaults).
    /// - `http` (`method, url, absoluteUrl`; `status, durationMs, now`): a finished request
    ///   (`status` NaN: it failed without an answer).
    /// - `navigated` (`via, path, hash`; `now`): the page's location after `via` (an event or
    ///   history method).
    /// - `recovery` (`errorId, success, strategyJson, attemptsJson`): a recovery attempt from
    ///   `errorId` (a string or a whole number); answers the `error.recovery` event data.
    fn call(&mut self, op: Op, args: &Args<'_>) -> Option<String> {
        match op {
            Op::Wiring => Some(self.core.options().wiring_json()),
            Op::TakeEvent => self.core.take_event(),
            Op::Groups => Some(self.core.groups_json()),
            Op::Stats => Some(self.core.stats_json()),
            Op::Capture => {
                let error = Captured {
                    name: args.text(0)?,
                    message: args.text(1)?,
                    stack: args.text(2),
                    context_json: args.text(3),
                    severity: args.text(4),
                    user_json: args.text(5),
                    mechanism: args.text(6)?,
                };
                self.core.capture(&error, args.number(0))
            }
            Op::Breadcrumb => {
                let data = args.owned(3);
                let now = args.number(0);
                self.core
                    .breadcrumb(args.text(0), args.text(1), args.text(2), data, now);
                None
            }
            Op::Http => {
                let (url, absolute) = (args.text(1)?, args.text(2)?);
                let status = args.optional_number(0);
                let (duration_ms, now) = (args.number(1), args.number(2));
                self.core
                    .http(args.text(0), url, absolute, status, duration_ms, now);
                None
            }
            Op::Navigated => {
                let (via, path, hash) = (args.text(0)?, args.text(1)?, args.text(2)?);
                self.core.navigated(via, path, hash, args.number(0));
                None
            }
            Op::Recovery => {
                let error_id = args.id(0)?;
                Some(
                    self.core
                        .recovery(&error_id, args.flag(1), args.text(2), args.text(3)),
                )
            }
            _ => None,
        }
    }
}
