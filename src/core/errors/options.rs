//! ErrorTracking's options, read from the JSON the JS class serialised, and the browser wiring
//! they ask for.

use crate::core::json_object::Object;
use crate::core::json_value::{parse, Value};
use alloc::string::String;

/// Breadcrumbs kept when `maxBreadcrumbs` is not given.
pub const DEFAULT_MAX_BREADCRUMBS: usize = 50;
/// Largest `maxBreadcrumbs`.
pub const MAX_BREADCRUMBS_LIMIT: usize = 1000;
/// The RangeError of an out-of-range `maxBreadcrumbs`.
pub const MAX_BREADCRUMBS_ERROR: &str = "maxBreadcrumbs must be an integer between 0 and 1000";

/// What ErrorTracking was built with. Every switch is on unless set to `false`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Options {
    /// `enabled`: off, nothing is captured (breadcrumbs are still kept).
    pub enabled: bool,
    /// `captureUnhandled`: the global `error` event.
    pub capture_unhandled: bool,
    /// `captureUnhandledRejections`: the global `unhandledrejection` event.
    pub capture_rejections: bool,
    /// `deduplicate`: repeats within the window are counted, not sent.
    pub deduplicate: bool,
    /// `maxBreadcrumbs`.
    pub max_breadcrumbs: usize,
    /// `breadcrumbs.clicks`.
    pub clicks: bool,
    /// `breadcrumbs.navigation`.
    pub navigation: bool,
    /// `breadcrumbs.http`.
    pub http: bool,
    /// `breadcrumbs.console`.
    pub console: bool,
}

/// Whether `object[key]` is anything but `false`.
fn on(object: Option<&Value>, key: &str) -> bool {
    object.and_then(|o| o.get(key)).and_then(Value::as_bool) != Some(false)
}

impl Options {
    /// Reads the options (anything but a JSON object reads as none given). A number
    /// `maxBreadcrumbs` must be a whole number from 0 to 1000; any other value of it is the
    /// default.
    pub fn from_json(text: &str) -> Result<Options, &'static str> {
        let root = parse(text).filter(|v| matches!(v, Value::Object(_)));
        let root = root.as_ref();
        let max_breadcrumbs = match root.and_then(|r| r.get("maxBreadcrumbs")) {
            Some(number @ Value::Number(_)) => match number.as_f64() {
                Some(n)
                    if (0.0..=MAX_BREADCRUMBS_LIMIT as f64).contains(&n)
                        && n == f64::from(n as u32) =>
                {
                    n as usize
                }
                _ => return Err(MAX_BREADCRUMBS_ERROR),
            },
            _ => DEFAULT_MAX_BREADCRUMBS,
        };
        let crumbs = root.and_then(|r| r.get("breadcrumbs"));
        Ok(Options {
            enabled: on(root, "enabled"),
            capture_unhandled: on(root, "captureUnhandled"),
            capture_rejections: on(root, "captureUnhandledRejections"),
            deduplicate: on(root, "deduplicate"),
            max_breadcrumbs,
            clicks: on(crumbs, "clicks"),
            navigation: on(crumbs, "navigation"),
            http: on(crumbs, "http"),
            console: on(crumbs, "console"),
        })
    }

    /// What the JS class installs, as JSON: `error` and `unhandledrejection` listeners (only
    /// when enabled), and the automatic breadcrumbs `clicks`, `navigation`, `http`, `console`.
    pub fn wiring_json(&self) -> String {
        Object::default()
            .flag("error", self.enabled && self.capture_unhandled)
            .flag(
                "unhandledrejection",
                self.enabled && self.capture_rejections,
            )
            .flag("clicks", self.clicks)
            .flag("navigation", self.navigation)
            .flag("http", self.http)
            .flag("console", self.console)
            .finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn everything_is_on_by_default_and_only_false_switches_off() {
        for text in ["{}", "", "null", "[1]", "{\"enabled\":1,\"breadcrumbs\":7}"] {
            let options = Options::from_json(text).unwrap();
            assert!(
                options.enabled && options.clicks && options.console,
                "{text}"
            );
            assert_eq!(options.max_breadcrumbs, DEFAULT_MAX_BREADCRUMBS);
        }
        let options = Options::from_json(
            r#"{"enabled":false,"captureUnhandled":false,"deduplicate":false,
                "breadcrumbs":{"clicks":false,"http":false}}"#,
        )
        .unwrap();
        assert!(!options.enabled && !options.capture_unhandled && !options.deduplicate);
        assert!(!options.clicks && options.navigation && !options.http && options.console);
        assert_eq!(
            options.wiring_json(),
            r#"{"error":false,"unhandledrejection":false,"clicks":false,"navigation":true,"http":false,"console":true}"#
        );
    }

    #[test]
    fn max_breadcrumbs_is_a_whole_number_up_to_a_thousand() {
        for (text, expected) in [("0", 0), ("1000", 1000), ("20", 20), ("\"9\"", 50)] {
            let json = std::format!("{{\"maxBreadcrumbs\":{text}}}");
            assert_eq!(
                Options::from_json(&json).map(|o| o.max_breadcrumbs),
                Ok(expected)
            );
        }
        for text in ["-1", "1001", "1.5", "1e308", "9007199254740993"] {
            let json = std::format!("{{\"maxBreadcrumbs\":{text}}}");
            assert_eq!(
                Options::from_json(&json),
                Err(MAX_BREADCRUMBS_ERROR),
                "{text}"
            );
        }
    }
}
