//! Breadcrumbs: the trail of what happened before an error, in a ring of fixed size.

use crate::core::json_object::objects;
use crate::core::recent::Recent;
use alloc::string::String;

/// One breadcrumb: already redacted, `data` already serialised as a JSON object.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Breadcrumb {
    /// Milliseconds since the epoch.
    pub timestamp_ms: i64,
    /// `ui.click`, `navigation`, `http`, `console` or the application's own.
    pub category: String,
    /// What happened.
    pub message: String,
    /// `debug`, `info`, `warning` or `error`.
    pub level: String,
    /// Extra detail as a JSON object (`{}` when none).
    pub data_json: String,
}

/// The most recent `capacity` breadcrumbs.
#[derive(Debug, Clone)]
pub struct Trail {
    crumbs: Recent<Breadcrumb>,
}

impl Trail {
    /// An empty trail keeping at most `capacity` breadcrumbs.
    pub fn new(capacity: usize) -> Self {
        Self {
            crumbs: Recent::new(capacity),
        }
    }

    /// Adds a breadcrumb, forgetting the oldest beyond the capacity.
    pub fn push(&mut self, crumb: Breadcrumb) {
        self.crumbs.push(crumb);
    }

    /// Breadcrumbs kept.
    pub fn len(&self) -> usize {
        self.crumbs.len()
    }

    /// True when there are none.
    pub fn is_empty(&self) -> bool {
        self.crumbs.is_empty()
    }

    /// The trail as a JSON array, oldest first.
    pub fn to_json(&self) -> String {
        objects(self.crumbs.iter(), |object, crumb| {
            let data = Some(crumb.data_json.as_str()).filter(|json| json.starts_with('{'));
            object
                .whole("timestamp", crumb.timestamp_ms)
                .text("category", &crumb.category)
                .text("message", &crumb.message)
                .text("level", &crumb.level)
                .raw("data", Some(data.unwrap_or("{}")));
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn crumb(n: i64) -> Breadcrumb {
        Breadcrumb {
            timestamp_ms: n,
            category: "ui.click".into(),
            message: std::format!("button#b{n}"),
            level: "info".into(),
            data_json: "{}".into(),
        }
    }

    #[test]
    fn keeps_the_most_recent_in_order() {
        let mut trail = Trail::new(3);
        for n in 0..5 {
            trail.push(crumb(n));
        }
        assert_eq!(trail.len(), 3);
        let json = trail.to_json();
        assert!(json.starts_with("[{\"timestamp\":2,\"category\":\"ui.click\",\"message\":\"button#b2\",\"level\":\"info\",\"data\":{}}"));
        assert!(json.ends_with("\"message\":\"button#b4\",\"level\":\"info\",\"data\":{}}]"));
    }

    #[test]
    fn a_zero_capacity_keeps_nothing_and_bad_data_becomes_an_empty_object() {
        let mut none = Trail::new(0);
        none.push(crumb(1));
        assert!(none.is_empty());
        let mut trail = Trail::new(1);
        trail.push(Breadcrumb {
            data_json: "oops".into(),
            ..crumb(1)
        });
        assert!(trail.to_json().ends_with("\"data\":{}}]"));
    }
}
