//! Error events grouped for `/api/errors/groups` and its detail view. A group is the errors with
//! the same key: where a release's source maps resolve an error's in-app frames, the key comes
//! from the original frames (so a rebuild with new file hashes keeps its group); otherwise it is
//! the SDK's fingerprint (or name and message).

use crate::store::Row;
use serde_json::{json, Value};
use std::collections::{BTreeMap, BTreeSet, HashSet};
use wasm_telemetry_rules::events::ERROR_EVENT;

/// In-app original frames that make a group's key.
const KEY_FRAMES: usize = 5;

/// FNV-1a, 64 bits: a stable hash for group keys.
fn fnv(parts: &[&str]) -> u64 {
    let mut hash = 0xcbf2_9ce4_8422_2325_u64;
    for part in parts {
        for byte in part.bytes().chain([0]) {
            hash = (hash ^ u64::from(byte)).wrapping_mul(0x0100_0000_01b3);
        }
    }
    hash
}

/// The group key of an error's `data`: `src-<hash>` of its name, message and the file and
/// function of its first in-app frames that have an original place, when any has; else its
/// fingerprint, or `name: message`.
pub fn group_key(data: &Value) -> String {
    let mut parts = vec![
        data["name"].as_str().unwrap_or("Error"),
        data["message"].as_str().unwrap_or(""),
    ];
    let original = data["frames"]
        .as_array()
        .into_iter()
        .flatten()
        .filter(|frame| frame["inApp"] != false)
        .filter_map(|frame| {
            let original = frame.get("original")?;
            let function = original["function"].as_str().or(frame["function"].as_str());
            Some([original["file"].as_str()?, function.unwrap_or("?")])
        })
        .take(KEY_FRAMES);
    let before = parts.len();
    for [file, function] in original {
        parts.extend([file, function]);
    }
    if parts.len() > before {
        return format!("src-{:016x}", fnv(&parts));
    }
    data["fingerprint"]
        .as_str()
        .map(String::from)
        .unwrap_or_else(|| format!("{}: {}", parts[0], parts[1]))
}

/// One group: its errors' counts, and the newest error.
struct Group<'r> {
    latest: &'r Row,
    count: u64,
    users: HashSet<&'r str>,
    sessions: HashSet<&'r str>,
    releases: BTreeSet<&'r str>,
    first: i64,
    last: i64,
}

/// Error rows (frames already resolved) by group key.
fn groups(rows: &[Row]) -> BTreeMap<String, Group<'_>> {
    let mut groups: BTreeMap<String, Group<'_>> = BTreeMap::new();
    for row in rows.iter().filter(|r| r.kind == ERROR_EVENT) {
        let group = groups.entry(group_key(&row.data)).or_insert_with(|| Group {
            latest: row,
            count: 0,
            users: HashSet::new(),
            sessions: HashSet::new(),
            releases: BTreeSet::new(),
            first: row.timestamp,
            last: row.timestamp,
        });
        // Client-supplied counts: saturate rather than overflow.
        group.count = group
            .count
            .saturating_add(row.data["repeats"].as_u64().unwrap_or(1).max(1));
        group.users.extend(row.user_id.as_deref());
        group.sessions.insert(&row.session_id);
        group.releases.extend(row.release.as_deref());
        group.first = group.first.min(row.timestamp);
        if row.timestamp >= group.last {
            group.last = row.timestamp;
            group.latest = row;
        }
    }
    groups
}

/// A group's summary: `{ fingerprint, name, message, severity, count, users, sessions,
/// releases, firstSeen, lastSeen }`.
fn summary(key: &str, group: &Group<'_>) -> Value {
    let d = &group.latest.data;
    json!({
        "fingerprint": key,
        "name": d["name"].as_str().unwrap_or("Error"),
        "message": d["message"].as_str().unwrap_or(""),
        "severity": d["severity"].as_str().unwrap_or("error"),
        "count": group.count,
        "users": group.users.len(),
        "sessions": group.sessions.len(),
        "releases": group.releases,
        "firstSeen": group.first,
        "lastSeen": group.last,
    })
}

/// Error groups, most frequent first (then most recent).
pub fn error_groups(rows: &[Row], limit: usize) -> Vec<Value> {
    let groups = groups(rows);
    let mut list: Vec<(&String, &Group<'_>)> = groups.iter().collect();
    list.sort_by(|a, b| b.1.count.cmp(&a.1.count).then(b.1.last.cmp(&a.1.last)));
    list.into_iter()
        .take(limit)
        .map(|(key, group)| summary(key, group))
        .collect()
}

/// One group in detail: its summary, and its newest error as `latest`: `{ id, timestamp,
/// release, traceId, frames, breadcrumbs }` (`traceId` null for an untraced page) (frames resolved where maps allow). `None` when no error of
/// `rows` is in the group.
pub fn error_group(rows: &[Row], key: &str) -> Option<Value> {
    let groups = groups(rows);
    let group = groups.get(key)?;
    let mut detail = summary(key, group);
    let latest = group.latest;
    detail["latest"] = json!({
        "id": latest.id,
        "timestamp": latest.timestamp,
        "release": latest.release,
        "traceId": latest.trace_id,
        "frames": latest.data.get("frames").cloned().unwrap_or_else(|| json!([])),
        "breadcrumbs": latest.data.get("breadcrumbs").cloned().unwrap_or_else(|| json!([])),
    });
    Some(detail)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::metrics::fixtures::row;
    #[test]
    fn errors_group_by_fingerprint_and_count_repeats() {
        let mut rows = vec![
            row(
                "error",
                5,
                json!({ "fingerprint": "f1", "name": "TypeError", "message": "x", "repeats": 3 }),
            ),
            row(
                "error",
                9,
                json!({ "fingerprint": "f1", "name": "TypeError", "message": "x" }),
            ),
            row("error", 7, json!({ "name": "RangeError", "message": "y" })),
        ];
        rows[1].session_id = "t".into();
        let groups = error_groups(&rows, 10);
        assert_eq!(groups[0]["fingerprint"], "f1");
        assert_eq!(groups[0]["count"], 4);
        assert_eq!(
            (groups[0]["sessions"].clone(), groups[0]["lastSeen"].clone()),
            (json!(2), json!(9))
        );
        assert_eq!(groups[1]["fingerprint"], "RangeError: y");
        assert_eq!(error_groups(&rows, 1).len(), 1);
    }

    fn resolved(file: &str, release: &str, at: i64) -> Row {
        let frame = |minified: &str, original: &str, function: &str| {
            json!({ "function": "a", "file": minified, "line": 1, "column": 9, "inApp": true,
                    "original": { "file": original, "line": 3, "column": 3, "function": function } })
        };
        let mut row = row(
            "error",
            at,
            json!({ "fingerprint": file, "name": "Error", "message": "x", "frames": [
                { "function": "native", "file": "[native code]", "inApp": false },
                frame(file, "src/cart.ts", "checkout"), frame(file, "src/app.ts", "main")],
                "breadcrumbs": [{ "category": "ui.click", "message": "button#pay" }] }),
        );
        row.release = Some(release.into());
        row
    }

    #[test]
    fn two_builds_of_the_same_source_make_one_group_by_their_original_frames() {
        let rows = vec![
            resolved("https://x/assets/app-3f2a.js", "1.0.0", 10),
            resolved("https://x/assets/app-9bc1.js", "1.0.1", 20),
            row(
                "error",
                15,
                json!({ "fingerprint": "f1", "name": "TypeError", "message": "y" }),
            ),
        ];
        let groups = error_groups(&rows, 10);
        assert_eq!(groups.len(), 2);
        assert!(groups[0]["fingerprint"]
            .as_str()
            .unwrap()
            .starts_with("src-"));
        assert_eq!(groups[0]["count"], 2);
        assert_eq!(groups[0]["releases"], json!(["1.0.0", "1.0.1"]));
        assert_eq!(groups[1]["fingerprint"], "f1");

        let key = groups[0]["fingerprint"].as_str().unwrap();
        let detail = error_group(&rows, key).unwrap();
        assert_eq!(detail["latest"]["timestamp"], 20);
        assert_eq!(detail["latest"]["release"], "1.0.1");
        assert_eq!(
            detail["latest"]["frames"][1]["original"]["function"],
            "checkout"
        );
        assert_eq!(detail["latest"]["breadcrumbs"][0]["message"], "button#pay");
        assert!(error_group(&rows, "nothing").is_none());
    }
}
