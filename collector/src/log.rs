//! Structured logs: one JSON object per line on standard error.

use serde_json::{Map, Value};
use std::io::Write;
use std::sync::atomic::{AtomicU8, Ordering};
use std::time::{SystemTime, UNIX_EPOCH};

/// A log line's severity.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Level {
    /// Every request.
    Debug = 0,
    /// Start, stop, maintenance.
    Info = 1,
    /// Refused requests worth a look.
    Warn = 2,
    /// Failures.
    Error = 3,
}

impl Level {
    /// Parses `debug`, `info`, `warn` or `error`.
    pub fn parse(name: &str) -> Option<Self> {
        Some(match name {
            "debug" => Self::Debug,
            "info" => Self::Info,
            "warn" => Self::Warn,
            "error" => Self::Error,
            _ => return None,
        })
    }

    fn name(self) -> &'static str {
        match self {
            Self::Debug => "debug",
            Self::Info => "info",
            Self::Warn => "warn",
            Self::Error => "error",
        }
    }
}

static THRESHOLD: AtomicU8 = AtomicU8::new(Level::Info as u8);

/// Sets the least severe level written.
pub fn set_level(level: Level) {
    THRESHOLD.store(level as u8, Ordering::Relaxed);
}

/// Writes `{ "ts", "level", "event", ...fields }` when `level` is enabled.
pub fn log(level: Level, event: &str, fields: Value) {
    if (level as u8) < THRESHOLD.load(Ordering::Relaxed) {
        return;
    }
    let mut line = Map::new();
    let ts = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_millis() as u64)
        .unwrap_or(0);
    line.insert("ts".into(), ts.into());
    line.insert("level".into(), level.name().into());
    line.insert("event".into(), event.into());
    if let Value::Object(fields) = fields {
        line.extend(fields);
    }
    let _ = writeln!(std::io::stderr().lock(), "{}", Value::Object(line));
}
