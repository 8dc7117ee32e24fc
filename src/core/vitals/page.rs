//! The five Core Web Vitals of one page, reported as web-vitals reports them: which entries
//! count, when LCP stops, when values are final (the page hidden), the restart after a bfcache
//! restore, deltas, ids, ratings and the `web-vital` event each report is.
//!
//! The browser side reads the `PerformanceObserver` entries and page events into plain numbers
//! and strings and hands them over; every method appends the data (a JSON object) of each
//! `web-vital` event to submit to `out`, one per line.

use crate::core::json::{write_integer, write_number, write_string};
use crate::core::vitals::cls::{Cls, Shift};
pub use crate::core::vitals::inp::EventTiming;
use crate::core::vitals::inp::Inp;
use crate::core::vitals::Vital;
use alloc::string::String;
use alloc::vec::Vec;

/// The vitals in the order of their slots.
const VITALS: [Vital; 5] = [Vital::Lcp, Vital::Fcp, Vital::Ttfb, Vital::Cls, Vital::Inp];

/// One metric's state: current value, last reported value, id and attribution.
#[derive(Default)]
struct Metric {
    value: Option<f64>,
    reported: Option<f64>,
    id: String,
    /// The members of the attribution object, as JSON (without braces).
    attribution: String,
}

/// How the page was loaded, as the navigation entry and the document tell it.
#[derive(Debug, Clone, Default)]
pub struct Navigation {
    /// The navigation entry's `type` (`navigate`, `reload`, `back_forward`, `prerender`).
    pub kind: Option<String>,
    /// The navigation entry's `activationStart`.
    pub activation_start: f64,
    /// `document.prerendering`.
    pub prerendering: bool,
    /// Whether the page was hidden when the metrics started.
    pub hidden: bool,
}

/// The vitals of one page.
pub struct Page {
    report_all_changes: bool,
    navigation_type: &'static str,
    activation_start: f64,
    first_hidden: f64,
    metrics: [Metric; 5],
    lcp_final: bool,
    cls: Cls,
    inp: Inp,
    restored: bool,
    next_id: u32,
    /// Event entries of the batch being read, until [`Page::events_done`].
    events: Vec<EventTiming>,
    /// Whether a shift of the batch being read made CLS grow, until [`Page::shifts_done`].
    cls_grew: bool,
}

fn slot(vital: Vital) -> usize {
    match vital {
        Vital::Lcp => 0,
        Vital::Fcp => 1,
        Vital::Ttfb => 2,
        Vital::Cls => 3,
        Vital::Inp => 4,
    }
}

/// Appends `,"key":` (without the comma for the first member of `out`).
fn key(out: &mut String, name: &str) {
    if !out.is_empty() {
        out.push(',');
    }
    write_string(out, name);
    out.push(':');
}

fn number_member(out: &mut String, name: &str, value: f64) {
    key(out, name);
    write_number(out, value);
}

fn text_member(out: &mut String, name: &str, value: Option<&str>) {
    if let Some(value) = value {
        key(out, name);
        write_string(out, value);
    }
}

impl Page {
    /// The vitals of a page loaded as `navigation` tells, `now_ms` (epoch ms) making the ids.
    pub fn new(navigation: &Navigation, report_all_changes: bool, now_ms: f64) -> Self {
        let prerendered = navigation.prerendering || navigation.activation_start > 0.0;
        let navigation_type = if prerendered {
            "prerender"
        } else {
            match navigation.kind.as_deref() {
                Some("reload") => "reload",
                Some("back_forward") => "back-forward",
                _ => "navigate",
            }
        };
        let mut page = Page {
            report_all_changes,
            navigation_type,
            activation_start: navigation.activation_start,
            first_hidden: if navigation.hidden && !navigation.prerendering {
                0.0
            } else {
                f64::INFINITY
            },
            metrics: Default::default(),
            lcp_final: false,
            cls: Cls::default(),
            inp: Inp::default(),
            restored: false,
            next_id: 0,
            events: Vec::new(),
            cls_grew: false,
        };
        page.new_ids(now_ms);
        page
    }

    /// Gives every metric a new id, `wt-<now>-<n>`.
    fn new_ids(&mut self, now_ms: f64) {
        for index in 0..self.metrics.len() {
            self.next_id += 1;
            let mut id = String::from("wt-");
            write_integer(&mut id, now_ms as i64);
            id.push('-');
            write_integer(&mut id, i64::from(self.next_id));
            self.metrics[index] = Metric {
                id,
                ..Metric::default()
            };
        }
    }

    /// Sets a metric's value (and attribution); reports it when `force` or `reportAllChanges`.
    fn update(
        &mut self,
        vital: Vital,
        value: f64,
        attribution: Option<String>,
        force: bool,
        out: &mut String,
    ) {
        let metric = &mut self.metrics[slot(vital)];
        metric.value = Some(value);
        if let Some(attribution) = attribution {
            metric.attribution = attribution;
        }
        self.report(vital, force, out);
    }

    fn report(&mut self, vital: Vital, force: bool, out: &mut String) {
        // CLS is reported only once FCP is, as web-vitals (and CrUX) do.
        if vital == Vital::Cls && self.metrics[slot(Vital::Fcp)].value.is_none() {
            return;
        }
        let navigation_type = self.navigation_type;
        let report_all_changes = self.report_all_changes;
        let metric = &mut self.metrics[slot(vital)];
        let Some(value) = metric.value else { return };
        if !(force || report_all_changes) || metric.reported == Some(value) {
            return;
        }
        let delta = value - metric.reported.unwrap_or(0.0);
        metric.reported = Some(value);
        let mut data = String::new();
        text_member(&mut data, "name", Some(vital.name()));
        number_member(&mut data, "value", value);
        text_member(&mut data, "rating", Some(vital.rate(value).name()));
        number_member(&mut data, "delta", delta);
        text_member(&mut data, "id", Some(&metric.id));
        text_member(&mut data, "navigationType", Some(navigation_type));
        key(&mut data, "attribution");
        out.push('{');
        out.push_str(&data);
        out.push('{');
        out.push_str(&metric.attribution);
        out.push_str("}}\n");
    }

    /// A `paint` entry: `first-contentful-paint` before the page was first hidden sets FCP.
    pub fn paint(&mut self, name: &str, start_time: f64, out: &mut String) {
        if name != "first-contentful-paint" || start_time >= self.first_hidden {
            return;
        }
        let value = (start_time - self.activation_start).max(0.0);
        self.update(Vital::Fcp, value, None, true, out);
        self.report(Vital::Cls, false, out);
    }

    /// The last `largest-contentful-paint` entry of a list: counts until LCP stops and while
    /// the page has not been hidden.
    pub fn lcp(
        &mut self,
        start_time: f64,
        target: Option<&str>,
        url: Option<&str>,
        out: &mut String,
    ) {
        if self.lcp_final || start_time >= self.first_hidden {
            return;
        }
        let mut attribution = String::new();
        text_member(&mut attribution, "target", target);
        text_member(&mut attribution, "url", url);
        let value = (start_time - self.activation_start).max(0.0);
        self.update(Vital::Lcp, value, Some(attribution), false, out);
    }

    /// The first trusted key press or click (or the page hidden): LCP is final and reported.
    pub fn stop_lcp(&mut self, out: &mut String) {
        if self.lcp_final {
            return;
        }
        self.lcp_final = true;
        self.report(Vital::Lcp, true, out);
    }

    /// One `layout-shift` entry of a list; [`Page::shifts_done`] ends the list.
    pub fn shift(&mut self, shift: Shift, target: Option<&str>) {
        if self.cls.add(shift) {
            self.cls_grew = true;
            let mut attribution = String::new();
            text_member(&mut attribution, "largestShiftTarget", target);
            number_member(&mut attribution, "largestShiftTime", shift.start_time);
            self.metrics[slot(Vital::Cls)].attribution = attribution;
        }
    }

    /// The end of a list of layout shifts: CLS is the largest session window so far.
    pub fn shifts_done(&mut self, out: &mut String) {
        self.metrics[slot(Vital::Cls)].value = Some(self.cls.value());
        if core::mem::take(&mut self.cls_grew) {
            self.report(Vital::Cls, false, out);
        }
    }

    /// One `event` or `first-input` entry of a list; [`Page::events_done`] ends the list.
    pub fn event(&mut self, entry: EventTiming) {
        self.events.push(entry);
    }

    /// The end of a list of event entries, `interaction_count` being the page's
    /// `performance.interactionCount`: INP and its attribution.
    pub fn events_done(&mut self, interaction_count: f64, out: &mut String) {
        let count = interaction_count as u64;
        for timing in core::mem::take(&mut self.events) {
            self.inp.add(timing);
        }
        let Some(value) = self.inp.estimate(count, self.restored) else {
            return;
        };
        // The attribution follows every entry, even one that leaves the value as it was (a
        // click presented in the frame of its pointerdown); the value is reported on change.
        let metric = &mut self.metrics[slot(Vital::Inp)];
        if let Some(interaction) = self.inp.candidate(count) {
            let phases = interaction.phases();
            let kind = if interaction.keyboard {
                "keyboard"
            } else {
                "pointer"
            };
            let mut attribution = String::new();
            text_member(
                &mut attribution,
                "interactionTarget",
                interaction.target.as_deref(),
            );
            text_member(&mut attribution, "interactionType", Some(kind));
            number_member(&mut attribution, "interactionTime", interaction.start_time);
            number_member(&mut attribution, "inputDelay", phases.input_delay);
            number_member(&mut attribution, "processingDuration", phases.processing);
            number_member(
                &mut attribution,
                "presentationDelay",
                phases.presentation_delay,
            );
            metric.attribution = attribution;
        }
        if metric.value == Some(value) {
            return;
        }
        metric.value = Some(value);
        self.report(Vital::Inp, false, out);
    }

    /// The navigation entry once it is complete: TTFB.
    pub fn ttfb(&mut self, request_start: f64, response_start: f64, out: &mut String) {
        let value = (response_start - self.activation_start).max(0.0);
        let mut attribution = String::new();
        number_member(&mut attribution, "requestStart", request_start);
        number_member(&mut attribution, "responseStart", response_start);
        self.update(Vital::Ttfb, value, Some(attribution), true, out);
    }

    /// The page hidden (or left) at `at` ms: LCP, CLS and INP are final and reported.
    pub fn hidden(&mut self, at: f64, out: &mut String) {
        self.first_hidden = self.first_hidden.min(at);
        self.stop_lcp(out);
        self.report(Vital::Cls, true, out);
        self.report(Vital::Inp, true, out);
    }

    /// A bfcache restore, `interaction_count` interactions in: every metric starts again, as
    /// web-vitals does, with new ids (`now_ms` epoch ms). TTFB is 0; FCP and LCP follow at
    /// [`Page::restored_frame`].
    pub fn restore(&mut self, interaction_count: f64, now_ms: f64, out: &mut String) {
        self.navigation_type = "back-forward-cache";
        self.restored = true;
        self.lcp_final = false;
        self.cls = Cls::default();
        self.inp.reset(interaction_count as u64);
        self.new_ids(now_ms);
        self.metrics[slot(Vital::Cls)].value = Some(0.0);
        self.update(Vital::Ttfb, 0.0, None, true, out);
    }

    /// Two animation frames after a restore at `restored_at`, read at `now` (both
    /// `performance.now()` times): FCP and LCP after the restore, the time to that frame.
    pub fn restored_frame(&mut self, now: f64, restored_at: f64, out: &mut String) {
        let value = (now - restored_at).max(0.0);
        self.update(Vital::Fcp, value, None, true, out);
        self.update(Vital::Lcp, value, None, true, out);
        self.report(Vital::Cls, false, out);
        self.lcp_final = true;
    }

    /// `{ lcp, fcp, ttfb, cls, inp }` as JSON, the values known so far.
    pub fn values_json(&self) -> String {
        let mut members = String::new();
        for (vital, metric) in VITALS.iter().zip(&self.metrics) {
            if let Some(value) = metric.value {
                let name = vital.name().to_ascii_lowercase();
                number_member(&mut members, &name, value);
            }
        }
        let mut out = String::from("{");
        out.push_str(&members);
        out.push('}');
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::json_value::{parse, Value};

    fn page(report_all_changes: bool) -> Page {
        Page::new(&Navigation::default(), report_all_changes, 1000.0)
    }

    fn reports(out: &str) -> Vec<Value<'_>> {
        out.lines().map(|line| parse(line).unwrap()).collect()
    }

    fn field<'a>(report: &'a Value<'a>, path: &[&str]) -> Option<&'a Value<'a>> {
        path.iter().try_fold(report, |value, key| value.get(key))
    }

    #[test]
    fn a_page_load_reports_each_vital_with_rating_delta_id_and_attribution() {
        let mut page = page(false);
        let mut out = String::new();
        page.ttfb(10.0, 123.5, &mut out);
        page.paint("first-paint", 200.0, &mut out);
        page.paint("first-contentful-paint", 240.25, &mut out);
        page.lcp(900.0, Some("h1#hero"), Some(""), &mut out);
        page.shift(
            Shift {
                start_time: 300.0,
                value: 0.05,
                had_recent_input: false,
            },
            Some("div.block"),
        );
        page.shifts_done(&mut out);
        page.event(EventTiming {
            interaction_id: 7.0,
            duration: 184.0,
            start_time: 1000.0,
            processing_start: 1002.0,
            processing_end: 1182.0,
            name: "click".into(),
            target: Some("button#slow".into()),
        });
        page.events_done(1.0, &mut out);
        page.stop_lcp(&mut out);
        page.hidden(5000.0, &mut out);
        let all = reports(&out);
        let names: Vec<&str> = all
            .iter()
            .map(|r| r.get("name").and_then(Value::as_str).unwrap())
            .collect();
        assert_eq!(names, ["TTFB", "FCP", "LCP", "CLS", "INP"]);
        let ttfb = &all[0];
        assert_eq!(ttfb.get("value").and_then(Value::as_f64), Some(123.5));
        assert_eq!(ttfb.get("delta").and_then(Value::as_f64), Some(123.5));
        assert_eq!(ttfb.get("id").and_then(Value::as_str), Some("wt-1000-3"));
        assert_eq!(
            ttfb.get("navigationType").and_then(Value::as_str),
            Some("navigate")
        );
        let lcp = &all[2];
        assert_eq!(
            field(lcp, &["attribution", "target"]).and_then(Value::as_str),
            Some("h1#hero")
        );
        assert_eq!(lcp.get("rating").and_then(Value::as_str), Some("good"));
        let inp = &all[4];
        assert_eq!(inp.get("value").and_then(Value::as_f64), Some(184.0));
        assert_eq!(
            field(inp, &["attribution", "processingDuration"]).and_then(Value::as_f64),
            Some(180.0)
        );
        assert_eq!(
            field(inp, &["attribution", "interactionType"]).and_then(Value::as_str),
            Some("pointer")
        );
        assert_eq!(
            page.values_json(),
            "{\"lcp\":900,\"fcp\":240.25,\"ttfb\":123.5,\"cls\":0.05,\"inp\":184}"
        );
    }

    #[test]
    fn cls_waits_for_fcp_and_report_all_changes_reports_each_change() {
        let mut page = page(true);
        let mut out = String::new();
        let shift = |start_time| Shift {
            start_time,
            value: 0.1,
            had_recent_input: false,
        };
        page.shift(shift(10.0), None);
        page.shifts_done(&mut out);
        assert_eq!(out, "");
        page.paint("first-contentful-paint", 50.0, &mut out);
        page.shift(shift(20.0), None);
        page.shifts_done(&mut out);
        let cls: Vec<f64> = reports(&out)
            .iter()
            .filter(|r| r.get("name").and_then(Value::as_str) == Some("CLS"))
            .map(|r| r.get("value").and_then(Value::as_f64).unwrap())
            .collect();
        assert_eq!(cls, [0.1, 0.2]);
    }

    #[test]
    fn the_inp_attribution_takes_in_entries_that_arrive_in_a_later_list() {
        let mut page = page(false);
        let mut out = String::new();
        let pointerdown = EventTiming {
            interaction_id: 5.0,
            duration: 192.0,
            start_time: 1000.0,
            processing_start: 1001.0,
            processing_end: 1001.5,
            name: "pointerdown".into(),
            target: Some("button#slow".into()),
        };
        page.event(pointerdown.clone());
        page.events_done(1.0, &mut out);
        page.event(EventTiming {
            duration: 184.0,
            start_time: 1006.0,
            processing_start: 1007.0,
            processing_end: 1187.0,
            name: "click".into(),
            ..pointerdown
        });
        page.events_done(1.0, &mut out);
        page.hidden(5000.0, &mut out);
        let inp = reports(&out).pop().unwrap();
        assert_eq!(inp.get("value").and_then(Value::as_f64), Some(192.0));
        assert_eq!(
            field(&inp, &["attribution", "processingDuration"]).and_then(Value::as_f64),
            Some(186.0)
        );
        assert_eq!(
            field(&inp, &["attribution", "presentationDelay"]).and_then(Value::as_f64),
            Some(5.0)
        );
    }

    #[test]
    fn lcp_stops_at_input_and_entries_after_hiding_do_not_count() {
        let mut page = page(false);
        let mut out = String::new();
        page.lcp(100.0, None, None, &mut out);
        page.stop_lcp(&mut out);
        page.lcp(300.0, None, None, &mut out);
        page.hidden(400.0, &mut out);
        page.paint("first-contentful-paint", 500.0, &mut out);
        assert_eq!(page.values_json(), "{\"lcp\":100}");
        assert_eq!(reports(&out).len(), 1);
    }

    #[test]
    fn a_restore_restarts_every_metric_with_new_ids() {
        let mut page = page(true);
        let mut out = String::new();
        page.paint("first-contentful-paint", 50.0, &mut out);
        page.restore(3.0, 2000.0, &mut out);
        page.restored_frame(1016.5, 1000.0, &mut out);
        let all = reports(&out);
        let restored: Vec<(&str, f64)> = all[1..]
            .iter()
            .map(|r| {
                assert_eq!(
                    r.get("navigationType").and_then(Value::as_str),
                    Some("back-forward-cache")
                );
                (
                    r.get("name").and_then(Value::as_str).unwrap(),
                    r.get("value").and_then(Value::as_f64).unwrap(),
                )
            })
            .collect();
        assert_eq!(
            restored,
            [("TTFB", 0.0), ("FCP", 16.5), ("LCP", 16.5), ("CLS", 0.0)]
        );
        assert!(all[1]
            .get("id")
            .and_then(Value::as_str)
            .unwrap()
            .starts_with("wt-2000-"));
    }

    #[test]
    fn navigation_types_follow_the_entry_and_prerendering() {
        let kind = |kind: &str, activation_start: f64| {
            let navigation = Navigation {
                kind: Some(kind.into()),
                activation_start,
                ..Navigation::default()
            };
            Page::new(&navigation, false, 0.0).navigation_type
        };
        assert_eq!(kind("reload", 0.0), "reload");
        assert_eq!(kind("back_forward", 0.0), "back-forward");
        assert_eq!(kind("navigate", 0.0), "navigate");
        assert_eq!(kind("reload", 5.0), "prerender");
    }
}
