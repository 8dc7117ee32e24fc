//! The write-ahead journal kept in `localStorage`: one line per accepted, unacknowledged event,
//! `<stored-at ms> <event JSON>`. Encoded events never contain a raw newline (JSON escapes it),
//! so a line is always one event. Anything else found under the key is dropped and counted.

use crate::core::find;
use crate::core::json::write_integer;
use alloc::string::String;
use alloc::vec::Vec;

/// How long an unsent event is kept: seven days.
pub const MAX_AGE_MS: f64 = 7.0 * 24.0 * 3600.0 * 1000.0;

/// One encoded wire-format event and when it was accepted.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    /// Milliseconds since the epoch when the event was accepted.
    pub stored_at_ms: i64,
    /// The encoded event, `{"id":"…",…}`.
    pub event: String,
}

impl Entry {
    /// The event's id.
    pub fn id(&self) -> Option<&str> {
        event_id(&self.event)
    }

    /// Whether the event's type is `kind` (it follows the id: `{"id":"…","type":"<kind>",`).
    pub fn is_of(&self, kind: &str) -> bool {
        let rest = self
            .event
            .get(45..)
            .and_then(|rest| rest.strip_prefix("\"type\":\""));
        rest.and_then(|rest| rest.strip_prefix(kind))
            .is_some_and(|rest| rest.starts_with("\","))
    }
}

/// The id of an encoded event, which always starts `{"id":"<36 characters>"`.
pub fn event_id(event: &str) -> Option<&str> {
    let id = event.strip_prefix("{\"id\":\"")?.get(..36)?;
    let well_formed = id.bytes().all(|b| b.is_ascii_hexdigit() || b == b'-');
    (well_formed && event.get(43..45) == Some("\",")).then_some(id)
}

/// Writes entries as journal lines.
pub fn encode<'a>(entries: impl IntoIterator<Item = &'a Entry>) -> String {
    let mut out = String::new();
    for entry in entries {
        write_integer(&mut out, entry.stored_at_ms);
        out.push(' ');
        out.push_str(&entry.event);
        out.push('\n');
    }
    out
}

/// What a journal held.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Loaded {
    /// Valid entries, in the order they were written.
    pub entries: Vec<Entry>,
    /// Lines that were not entries (garbage, truncated writes, foreign data).
    pub corrupt: usize,
    /// Entries older than [`MAX_AGE_MS`].
    pub expired: usize,
}

/// Reads a journal, keeping valid entries younger than [`MAX_AGE_MS`] at `now_ms`.
pub fn decode(text: &str, now_ms: f64) -> Loaded {
    let mut loaded = Loaded::default();
    for line in find::split(text, "\n").filter(|line| !line.is_empty()) {
        let Some(entry) = decode_line(line) else {
            loaded.corrupt += 1;
            continue;
        };
        if now_ms - entry.stored_at_ms as f64 > MAX_AGE_MS {
            loaded.expired += 1;
        } else {
            loaded.entries.push(entry);
        }
    }
    loaded
}

fn decode_line(line: &str) -> Option<Entry> {
    let (stamp, event) = find::split_once(line, " ")?;
    if stamp.is_empty() || stamp.len() > 16 || !stamp.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let stored_at_ms = stamp
        .bytes()
        .fold(0i64, |n, b| n * 10 + i64::from(b - b'0'));
    (event_id(event).is_some() && event.ends_with('}')).then(|| Entry {
        stored_at_ms,
        event: String::from(event),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use alloc::vec;

    fn entry(n: u32, at: i64) -> Entry {
        Entry {
            stored_at_ms: at,
            event: std::format!("{{\"id\":\"00000000-0000-4000-8000-{n:012}\",\"type\":\"t\"}}"),
        }
    }

    #[test]
    fn entries_round_trip_in_order() {
        let entries = vec![entry(1, 1_000), entry(2, 2_000)];
        let loaded = decode(&encode(&entries), 3_000.0);
        assert_eq!(
            loaded,
            Loaded {
                entries,
                corrupt: 0,
                expired: 0
            }
        );
    }

    #[test]
    fn garbage_and_truncated_lines_are_dropped_and_counted() {
        let good = encode(&[entry(1, 5)]);
        let text = [
            "not a journal\n",
            &good,
            "12 {\"id\":\"short\"}\n",
            "x {\"id\":\"00000000-0000-4000-8000-000000000009\",\"type\":\"t\"}\n",
            "7 {\"id\":\"00000000-0000-4000-8000-000000000003\",\"type\":\"t\"",
            "\n\u{0}\u{ffff}[1,2,3]\n",
        ]
        .concat();
        let loaded = decode(&text, 10.0);
        assert_eq!(loaded.entries, vec![entry(1, 5)]);
        assert_eq!(loaded.corrupt, 5);
    }

    #[test]
    fn entries_older_than_seven_days_expire() {
        let week = MAX_AGE_MS as i64;
        let loaded = decode(&encode(&[entry(1, 0), entry(2, 10)]), (week + 5) as f64);
        assert_eq!((loaded.entries, loaded.expired), (vec![entry(2, 10)], 1));
    }

    #[test]
    fn ids_are_read_from_the_front_of_an_event() {
        assert_eq!(
            entry(7, 0).id(),
            Some("00000000-0000-4000-8000-000000000007")
        );
        assert_eq!(event_id("{\"type\":\"x\"}"), None);
        assert_eq!(event_id("{\"id\":\"x"), None);
    }
}
