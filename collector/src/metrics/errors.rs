//! Error events grouped by fingerprint for `/api/errors/groups`.

use crate::store::Row;
use serde_json::{json, Value};
use std::collections::{BTreeMap, HashSet};

/// Error events grouped by fingerprint (or name and message), most frequent first:
/// `[{ fingerprint, name, message, severity, count, users, sessions, firstSeen, lastSeen }]`.
pub fn error_groups(rows: &[Row], limit: usize) -> Vec<Value> {
    struct Group<'r> {
        sample: &'r Row,
        count: u64,
        users: HashSet<&'r str>,
        sessions: HashSet<&'r str>,
        first: i64,
        last: i64,
    }
    let mut groups: BTreeMap<String, Group<'_>> = BTreeMap::new();
    for row in rows.iter().filter(|r| r.kind == "error") {
        let d = &row.data;
        let key = d["fingerprint"]
            .as_str()
            .map(String::from)
            .unwrap_or_else(|| {
                format!(
                    "{}: {}",
                    d["name"].as_str().unwrap_or("Error"),
                    d["message"].as_str().unwrap_or("")
                )
            });
        let group = groups.entry(key).or_insert_with(|| Group {
            sample: row,
            count: 0,
            users: HashSet::new(),
            sessions: HashSet::new(),
            first: row.timestamp,
            last: row.timestamp,
        });
        // Client-supplied counts: saturate rather than overflow.
        group.count = group
            .count
            .saturating_add(d["repeats"].as_u64().unwrap_or(1).max(1));
        group.users.extend(row.user_id.as_deref());
        group.sessions.insert(&row.session_id);
        group.first = group.first.min(row.timestamp);
        group.last = group.last.max(row.timestamp);
    }
    let mut list: Vec<(String, Group<'_>)> = groups.into_iter().collect();
    list.sort_by(|a, b| b.1.count.cmp(&a.1.count).then(b.1.last.cmp(&a.1.last)));
    list.into_iter()
        .take(limit)
        .map(|(key, g)| {
            let d = &g.sample.data;
            json!({
                "fingerprint": key,
                "name": d["name"].as_str().unwrap_or("Error"),
                "message": d["message"].as_str().unwrap_or(""),
                "severity": d["severity"].as_str().unwrap_or("error"),
                "count": g.count,
                "users": g.users.len(),
                "sessions": g.sessions.len(),
                "firstSeen": g.first,
                "lastSeen": g.last,
            })
        })
        .collect()
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
}
