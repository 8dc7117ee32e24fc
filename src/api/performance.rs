//! `VitalsCore`: `PerformanceMetrics`' rules ([`crate::core::performance`] and
//! [`crate::core::vitals::page`]) as the JS class `PerformanceMetrics`
//! (js/performance-metrics.js) uses them, through plain numbers and strings. The JS class owns
//! the observers and listeners, reads each entry and hands it over; the methods that may report
//! answer with the data of each `web-vital` event to submit, as JSON, one per line (`''` for
//! none).

use crate::api::args::Args;
use crate::api::collector::thrown;
use crate::api::cores::Core;
use crate::api::op::Op;
use crate::core::json_object::Object;
use crate::core::performance::{Options, Performance};
use crate::core::vitals::cls::Shift;
use crate::core::vitals::page::{EventTiming, Navigation};
use alloc::string::String;
use alloc::vec::Vec;

/// The rules of one `PerformanceMetrics` (the core kind `vitals`).
pub struct VitalsCore {
    core: Performance,
}

/// The bytes of this wasm instance's memory.
fn wasm_bytes() -> f64 {
    #[cfg(target_arch = "wasm32")]
    {
        (core::arch::wasm32::memory_size(0) * 65536) as f64
    }
    #[cfg(not(target_arch = "wasm32"))]
    {
        0.0
    }
}

impl VitalsCore {
    /// Reads the options (texts `optionsJson`) and the page's navigation (texts the navigation
    /// entry's `type`, `document.prerendering`, whether the page is hidden; numbers its
    /// `activationStart`, and `Date.now()`). An `R…` error string for a bad `maxTimings`.
    pub fn open(args: &Args<'_>) -> Result<VitalsCore, String> {
        let options =
            Options::from_json(args.text(0).unwrap_or("{}")).map_err(|e| thrown(true, e))?;
        let navigation = Navigation {
            kind: args.owned(1),
            activation_start: args.number(0),
            prerendering: args.flag(2),
            hidden: args.flag(3),
        };
        Ok(VitalsCore {
            core: Performance::new(options, &navigation, args.number(1)),
        })
    }
}

impl Core for VitalsCore {
    /// Runs the operation `op` with its [`Args`]; the operations that may report answer with
    /// the `web-vital` data as the other methods do, the others with `undefined`:
    ///
    /// - `wiring`: what to observe, as JSON: `{ vitals, resources, durationThreshold }`
    ///   (`trackCoreWebVitals`, `trackResources`, and the `event` observer's threshold).
    /// - `paint` (texts `name`; numbers `startTime`): a `paint` entry.
    /// - `lcp` (`target, url`; `startTime`): the last `largest-contentful-paint` entry of a list,
    ///   with its element's selector and its URL.
    /// - `shift` (`target, hadRecentInput`; `startTime, value`): one `layout-shift` entry of a
    ///   list (its first source's selector); `shiftsDone` ends the list.
    /// - `event` (`name, target`; `interactionId, duration, startTime, processingStart,
    ///   processingEnd`): one `event` or `first-input` entry of a list (its target's selector);
    ///   `eventsDone` (numbers `performance.interactionCount`) ends the list.
    /// - `shiftsDone`: the end of a list of layout shifts.
    /// - `stopLcp`: the first trusted key press or click; LCP is final.
    /// - `ttfb` (numbers `requestStart, responseStart`): the complete navigation entry.
    /// - `hidden` (numbers the event's `timeStamp`): the page hidden or left.
    /// - `restore` (numbers `performance.interactionCount`, `Date.now()`): a bfcache restore.
    /// - `restoredFrame` (numbers `performance.now()`, the restore event's `timeStamp`): the
    ///   second animation frame after a restore.
    /// - `longTask` (numbers `duration`): one `longtask` entry.
    /// - `trackAI` (texts the operation's JSON): records an AI operation for the summaries.
    /// - `resources` (texts every resource entry's `name`; numbers the JS heap's
    ///   `usedJSHeapSize` (NaN when the browser does not tell it), then each entry's
    ///   `transferSize` and `duration`): `getResourceMetrics()` as JSON.
    /// - `vitals`: `getCoreWebVitals()` as JSON. `aiSummary`: `getAIOperationsSummary()` as
    ///   JSON.
    fn call(&mut self, op: Op, args: &Args<'_>) -> Option<String> {
        let page = &mut self.core.page;
        let mut out = String::new();
        match op {
            Op::Wiring => {
                let options = &self.core.options;
                return Some(
                    Object::default()
                        .flag("vitals", options.track_vitals)
                        .flag("resources", options.track_resources)
                        .number("durationThreshold", options.duration_threshold)
                        .finish(),
                );
            }
            Op::Paint => page.paint(args.text(0)?, args.number(0), &mut out),
            Op::Lcp => page.lcp(args.number(0), args.text(0), args.text(1), &mut out),
            Op::Shift => {
                let shift = Shift {
                    start_time: args.number(0),
                    value: args.number(1),
                    had_recent_input: args.flag(1),
                };
                page.shift(shift, args.text(0));
                return None;
            }
            Op::EventsDone => page.events_done(args.number(0), &mut out),
            Op::ShiftsDone => page.shifts_done(&mut out),
            Op::StopLcp => page.stop_lcp(&mut out),
            Op::Ttfb => page.ttfb(args.number(0), args.number(1), &mut out),
            Op::Hidden => page.hidden(args.number(0), &mut out),
            Op::Restore => page.restore(args.number(0), args.number(1), &mut out),
            Op::RestoredFrame => page.restored_frame(args.number(0), args.number(1), &mut out),
            Op::Vitals => return Some(page.values_json()),
            Op::Resources => {
                let count = args.len();
                let (mut sizes, mut durations) =
                    (Vec::with_capacity(count), Vec::with_capacity(count));
                for i in 0..count {
                    sizes.push(args.number(1 + 2 * i));
                    durations.push(args.number(2 + 2 * i));
                }
                let heap = args.optional_number(0);
                return Some(self.core.resources_json(
                    &sizes,
                    &durations,
                    |i| args.text(i),
                    wasm_bytes(),
                    heap,
                ));
            }
            Op::AiSummary => return Some(self.core.ai_summary_json()),
            Op::LongTask => {
                self.core.long_task(args.number(0));
                return None;
            }
            Op::TrackAI => {
                self.core.track_ai(args.text(0)?);
                return None;
            }
            Op::Event => {
                page.event(EventTiming {
                    interaction_id: args.number(0),
                    duration: args.number(1),
                    start_time: args.number(2),
                    processing_start: args.number(3),
                    processing_end: args.number(4),
                    name: args.owned(0)?,
                    target: args.owned(1),
                });
                return None;
            }
            _ => return None,
        }
        Some(out)
    }
}
