//! SQLite storage: each event stored once, keyed by its client-generated id.

use crate::ingest::ValidBatch;
use crate::releases::{FileEntry, FileKind};
use rusqlite::{params, Connection};
use serde_json::Value;
use std::path::Path;
use std::sync::Mutex;

/// Which events of a batch were new and how many were already stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Stored {
    /// Ids newly stored.
    pub accepted: Vec<String>,
    /// Already stored (same id): acknowledged, not stored again.
    pub duplicates: usize,
}

/// A filter for listing events.
#[derive(Debug, Clone, Default)]
pub struct EventQuery {
    /// Only events of this type.
    pub kind: Option<String>,
    /// Only events of this session.
    pub session_id: Option<String>,
    /// At most this many (newest last).
    pub limit: Option<u32>,
}

/// The event store.
pub struct Store {
    connection: Mutex<Connection>,
}

const SCHEMA: &str = "
CREATE TABLE IF NOT EXISTS events (
  id TEXT PRIMARY KEY,
  batch_id TEXT,
  type TEXT NOT NULL,
  timestamp INTEGER NOT NULL,
  session_id TEXT NOT NULL,
  user_id TEXT,
  data TEXT NOT NULL,
  context TEXT NOT NULL,
  received_at INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS events_by_time ON events (timestamp);
CREATE INDEX IF NOT EXISTS events_by_type ON events (type, timestamp);
CREATE INDEX IF NOT EXISTS events_by_session ON events (session_id);
CREATE INDEX IF NOT EXISTS events_by_user ON events (user_id);
CREATE INDEX IF NOT EXISTS events_by_received ON events (received_at);
CREATE TABLE IF NOT EXISTS release_files (
  release TEXT NOT NULL,
  name TEXT NOT NULL,
  kind TEXT NOT NULL,
  body BLOB NOT NULL,
  uploaded_at INTEGER NOT NULL,
  PRIMARY KEY (release, name)
);
CREATE TABLE IF NOT EXISTS price_tables (
  loaded_at INTEGER NOT NULL,
  body TEXT NOT NULL
);
";

/// Columns added to `events` after its first version, added to a database that lacks them.
const ADDED_COLUMNS: [(&str, &str); 2] = [("trace_id", "TEXT"), ("span_id", "TEXT")];

/// Creates the schema, adds the columns an older database lacks, and their indexes.
fn migrate(connection: &Connection) -> rusqlite::Result<()> {
    connection.execute_batch(SCHEMA)?;
    let mut names = Vec::new();
    {
        let mut statement = connection.prepare("SELECT name FROM pragma_table_info('events')")?;
        let rows = statement.query_map([], |row| row.get::<_, String>(0))?;
        for name in rows {
            names.push(name?);
        }
    }
    for (column, kind) in ADDED_COLUMNS {
        if !names.iter().any(|name| name == column) {
            connection.execute_batch(&format!("ALTER TABLE events ADD COLUMN {column} {kind}"))?;
        }
    }
    connection.execute_batch("CREATE INDEX IF NOT EXISTS events_by_trace ON events (trace_id)")
}

/// A stored event as the query APIs read it.
#[derive(Debug, Clone, PartialEq)]
pub struct Row {
    /// Client timestamp, ms since the epoch.
    pub timestamp: i64,
    /// Event type.
    pub kind: String,
    /// Session id.
    pub session_id: String,
    /// Hashed user id.
    pub user_id: Option<String>,
    /// The event's `data`.
    pub data: Value,
    /// The event's id.
    pub id: String,
    /// The release its context names, if any.
    pub release: Option<String>,
    /// The trace it happened in, if the page was traced.
    pub trace_id: Option<String>,
}

const COLUMNS: &str =
    "id, type, timestamp, session_id, user_id, data, context, batch_id, received_at, trace_id, span_id";

/// An event row as its wire-format JSON object.
fn event_json(row: &rusqlite::Row<'_>) -> rusqlite::Result<Value> {
    let json = |index: usize| -> rusqlite::Result<Value> {
        let text: String = row.get(index)?;
        Ok(serde_json::from_str(&text).unwrap_or(Value::Null))
    };
    let mut event = serde_json::json!({
        "id": row.get::<_, String>(0)?,
        "type": row.get::<_, String>(1)?,
        "timestamp": row.get::<_, i64>(2)?,
        "sessionId": row.get::<_, String>(3)?,
        "userId": row.get::<_, Option<String>>(4)?,
        "data": json(5)?,
        "context": json(6)?,
        "batchId": row.get::<_, Option<String>>(7)?,
        "receivedAt": row.get::<_, i64>(8)?,
    });
    // The trace members, as the SDK sends them: only when the event has them, and a span's in
    // its data only.
    let kind = row.get::<_, String>(1)?;
    for (index, key) in [(9, "traceId"), (10, "spanId")] {
        if let (Some(id), false) = (row.get::<_, Option<String>>(index)?, kind == "span") {
            event[key] = Value::String(id);
        }
    }
    Ok(event)
}

impl Store {
    /// Opens (or creates) the database at `path` in WAL mode.
    pub fn open(path: &Path) -> rusqlite::Result<Self> {
        let connection = Connection::open(path)?;
        connection.pragma_update(None, "journal_mode", "WAL")?;
        connection.pragma_update(None, "synchronous", "NORMAL")?;
        migrate(&connection)?;
        Ok(Self {
            connection: Mutex::new(connection),
        })
    }

    /// An in-memory store, for tests.
    pub fn in_memory() -> rusqlite::Result<Self> {
        let connection = Connection::open_in_memory()?;
        migrate(&connection)?;
        Ok(Self {
            connection: Mutex::new(connection),
        })
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Connection> {
        // A panic while holding the lock cannot leave SQLite inconsistent (transactions roll
        // back), so a poisoned lock is still safe to use.
        self.connection
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// Stores a batch in one transaction; duplicate ids are counted, not stored again.
    pub fn insert(&self, batch: &ValidBatch, received_at: i64) -> rusqlite::Result<Stored> {
        let mut connection = self.lock();
        let transaction = connection.transaction()?;
        let mut accepted = Vec::new();
        {
            let mut statement = transaction.prepare_cached(
                "INSERT OR IGNORE INTO events
                 (id, batch_id, type, timestamp, session_id, user_id, data, context, received_at,
                  trace_id, span_id)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)",
            )?;
            for event in &batch.events {
                // A map of JSON values always serialises.
                let data = serde_json::to_string(&event.data).unwrap_or_else(|_| "{}".into());
                let inserted = statement.execute(params![
                    event.id,
                    batch.batch_id,
                    event.kind,
                    event.timestamp,
                    event.session_id,
                    event.user_id,
                    data,
                    event.context,
                    received_at,
                    event.trace_id,
                    event.span_id,
                ])?;
                if inserted == 1 {
                    accepted.push(event.id.clone());
                }
            }
        }
        transaction.commit()?;
        Ok(Stored {
            duplicates: batch.events.len() - accepted.len(),
            accepted,
        })
    }

    /// Lists stored events in the order they arrived, as wire-format JSON objects.
    pub fn list(&self, query: &EventQuery) -> rusqlite::Result<Vec<Value>> {
        let connection = self.lock();
        let mut statement = connection.prepare_cached(&format!(
            "SELECT {COLUMNS} FROM events
             WHERE (?1 IS NULL OR type = ?1) AND (?2 IS NULL OR session_id = ?2)
             ORDER BY rowid DESC LIMIT ?3"
        ))?;
        let limit = i64::from(query.limit.unwrap_or(1000).min(10_000));
        let rows = statement.query_map(params![query.kind, query.session_id, limit], event_json)?;
        let mut events = rows.collect::<rusqlite::Result<Vec<_>>>()?;
        events.reverse();
        Ok(events)
    }

    /// Every event of trace `trace_id` (its spans and what happened in them), oldest first, at
    /// most 10,000.
    pub fn trace(&self, trace_id: &str) -> rusqlite::Result<Vec<Value>> {
        self.events_where(
            "trace_id = ?1 ORDER BY timestamp, rowid LIMIT 10000",
            trace_id,
        )
    }

    /// The events that `filter` (a `WHERE` clause and what follows, with one parameter, `?1`)
    /// selects with `value`, as wire-format JSON objects.
    fn events_where(&self, filter: &str, value: &str) -> rusqlite::Result<Vec<Value>> {
        let connection = self.lock();
        let mut statement =
            connection.prepare_cached(&format!("SELECT {COLUMNS} FROM events WHERE {filter}"))?;
        let rows = statement.query_map(params![value], event_json)?;
        rows.collect()
    }

    /// Events of the given types (all types when empty) with `start <= timestamp < end`.
    pub fn rows(&self, kinds: &[&str], start: i64, end: i64) -> rusqlite::Result<Vec<Row>> {
        let connection = self.lock();
        let mut statement = connection.prepare_cached(
            "SELECT timestamp, type, session_id, user_id, data, id,
                    json_extract(context, '$.release'), trace_id FROM events
             WHERE timestamp >= ?1 AND timestamp < ?2
               AND (?3 IS NULL OR type IN (SELECT value FROM json_each(?3)))
             ORDER BY timestamp",
        )?;
        let kinds = (!kinds.is_empty()).then(|| Value::from(kinds).to_string());
        let rows = statement.query_map(params![start, end, kinds], |row| {
            let data: String = row.get(4)?;
            Ok(Row {
                timestamp: row.get(0)?,
                kind: row.get(1)?,
                session_id: row.get(2)?,
                user_id: row.get(3)?,
                data: serde_json::from_str(&data).unwrap_or(Value::Null),
                id: row.get(5)?,
                // A context whose release is no string (never from the SDK) has none.
                release: row.get::<_, Option<String>>(6).ok().flatten(),
                trace_id: row.get(7)?,
            })
        })?;
        rows.collect()
    }

    /// Events of `kinds` (all when empty) with `start <= timestamp < end`, counted per bucket
    /// of `size` ms from `first`: `(bucket index, events)` for each bucket that has any.
    pub fn bucket_counts(
        &self,
        kinds: &[&str],
        (start, end): (i64, i64),
        first: i64,
        size: i64,
    ) -> rusqlite::Result<Vec<(i64, u64)>> {
        let connection = self.lock();
        let mut statement = connection.prepare_cached(
            "SELECT (timestamp - ?4) / ?5 AS bucket, COUNT(*) FROM events
             WHERE timestamp >= ?1 AND timestamp < ?2
               AND (?3 IS NULL OR type IN (SELECT value FROM json_each(?3)))
             GROUP BY bucket",
        )?;
        let kinds = (!kinds.is_empty()).then(|| Value::from(kinds).to_string());
        let counts = statement.query_map(params![start, end, kinds, first, size], |row| {
            Ok((row.get(0)?, row.get(1)?))
        })?;
        counts.collect()
    }

    /// Every event of a (hashed) user, oldest first, as wire-format JSON objects.
    pub fn user_events(&self, user_id: &str) -> rusqlite::Result<Vec<Value>> {
        self.events_where("user_id = ?1 ORDER BY timestamp, rowid", user_id)
    }

    /// Erases every event of a (hashed) user; returns how many were deleted.
    pub fn delete_user(&self, user_id: &str) -> rusqlite::Result<usize> {
        self.lock()
            .execute("DELETE FROM events WHERE user_id = ?1", params![user_id])
    }

    /// Deletes events received, or timestamped, before `cutoff_ms`; returns how many.
    pub fn delete_before(&self, cutoff_ms: i64) -> rusqlite::Result<usize> {
        self.lock().execute(
            "DELETE FROM events WHERE received_at < ?1 OR timestamp < ?1",
            params![cutoff_ms],
        )
    }

    /// Number of stored events.
    pub fn count(&self) -> rusqlite::Result<u64> {
        self.lock()
            .query_row("SELECT COUNT(*) FROM events", [], |row| row.get(0))
    }

    /// Number of stored events with `start <= timestamp < end`.
    pub fn count_between(&self, start: i64, end: i64) -> rusqlite::Result<u64> {
        self.lock().query_row(
            "SELECT COUNT(*) FROM events WHERE timestamp >= ?1 AND timestamp < ?2",
            params![start, end],
            |row| row.get(0),
        )
    }

    /// Stores a file of `release` under `name`; returns whether it replaced one.
    pub fn put_release_file(
        &self,
        release: &str,
        name: &str,
        kind: FileKind,
        body: &[u8],
        uploaded_at: i64,
    ) -> rusqlite::Result<bool> {
        let mut connection = self.lock();
        let transaction = connection.transaction()?;
        let replaced = transaction.execute(
            "DELETE FROM release_files WHERE release = ?1 AND name = ?2",
            params![release, name],
        )? > 0;
        transaction.execute(
            "INSERT INTO release_files (release, name, kind, body, uploaded_at)
             VALUES (?1, ?2, ?3, ?4, ?5)",
            params![release, name, kind.name(), body, uploaded_at],
        )?;
        transaction.commit()?;
        Ok(replaced)
    }

    /// The files of `release`, by name.
    pub fn release_files(&self, release: &str) -> rusqlite::Result<Vec<FileEntry>> {
        let connection = self.lock();
        let mut statement = connection.prepare_cached(
            "SELECT name, length(body), kind, uploaded_at FROM release_files
             WHERE release = ?1 ORDER BY name",
        )?;
        let files = statement.query_map(params![release], |row| {
            Ok(FileEntry {
                name: row.get(0)?,
                size: row.get(1)?,
                kind: match row.get::<_, String>(2)?.as_str() {
                    "sourcemap" => FileKind::SourceMap,
                    _ => FileKind::Script,
                },
                uploaded_at: row.get(3)?,
            })
        })?;
        files.collect()
    }

    /// The body of `release`'s file `name`, if stored.
    pub fn release_file(&self, release: &str, name: &str) -> rusqlite::Result<Option<Vec<u8>>> {
        let connection = self.lock();
        let mut statement = connection
            .prepare_cached("SELECT body FROM release_files WHERE release = ?1 AND name = ?2")?;
        let mut rows = statement.query(params![release, name])?;
        rows.next()?.map(|row| row.get(0)).transpose()
    }

    /// Keeps a price table loaded at `loaded_at`, to load again at the next start.
    pub fn add_price_table(&self, body: &str, loaded_at: i64) -> rusqlite::Result<()> {
        self.lock().execute(
            "INSERT INTO price_tables (loaded_at, body) VALUES (?1, ?2)",
            params![loaded_at, body],
        )?;
        Ok(())
    }

    /// The price tables loaded so far, oldest first: `(loaded_at, body)`.
    pub fn price_tables(&self) -> rusqlite::Result<Vec<(i64, String)>> {
        let connection = self.lock();
        let mut statement =
            connection.prepare_cached("SELECT loaded_at, body FROM price_tables ORDER BY rowid")?;
        let tables = statement.query_map([], |row| Ok((row.get(0)?, row.get(1)?)))?;
        tables.collect()
    }

    /// Removes `release`'s file `name`; returns whether there was one.
    pub fn delete_release_file(&self, release: &str, name: &str) -> rusqlite::Result<bool> {
        let deleted = self.lock().execute(
            "DELETE FROM release_files WHERE release = ?1 AND name = ?2",
            params![release, name],
        )?;
        Ok(deleted > 0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ingest::ValidEvent;

    fn batch(ids: &[&str]) -> ValidBatch {
        ValidBatch {
            batch_id: Some("b".into()),
            events: ids
                .iter()
                .map(|id| ValidEvent {
                    id: id.to_string(),
                    kind: "t".into(),
                    timestamp: 1,
                    session_id: "s".into(),
                    user_id: None,
                    data: serde_json::json!({"k": 1}).as_object().unwrap().clone(),
                    context: "{}".into(),
                    trace_id: None,
                    span_id: None,
                })
                .collect(),
        }
    }

    #[test]
    fn an_older_database_gains_the_trace_columns_and_traces_are_listed_by_id() {
        let connection = Connection::open_in_memory().unwrap();
        // The schema before the trace columns, as an older collector created it.
        connection.execute_batch(SCHEMA).unwrap();
        migrate(&connection).unwrap();
        migrate(&connection).unwrap();
        let store = Store {
            connection: Mutex::new(connection),
        };
        let mut traced = batch(&["a", "b", "c"]);
        let trace = "4bf92f3577b34da6a3ce929d0e0e4736";
        for (event, span) in traced
            .events
            .iter_mut()
            .zip(["00f067aa0ba902b7", "00f067aa0ba902b8"])
        {
            event.trace_id = Some(trace.into());
            event.span_id = Some(span.into());
        }
        traced.events[1].kind = "span".into();
        store.insert(&traced, 1).unwrap();
        let events = store.trace(trace).unwrap();
        assert_eq!(events.len(), 2, "the event without a trace is not in it");
        assert_eq!(events[0]["traceId"], trace);
        assert_eq!(events[0]["spanId"], "00f067aa0ba902b7");
        assert_eq!(
            events[1].get("traceId"),
            None,
            "a span names its ids in its data"
        );
        assert_eq!(
            store.list(&EventQuery::default()).unwrap()[2].get("traceId"),
            None
        );
    }

    #[test]
    fn duplicates_are_acknowledged_but_stored_once() {
        let store = Store::in_memory().unwrap();
        assert_eq!(
            store.insert(&batch(&["a", "b"]), 5).unwrap(),
            Stored {
                accepted: vec!["a".into(), "b".into()],
                duplicates: 0
            }
        );
        assert_eq!(
            store.insert(&batch(&["b", "c"]), 6).unwrap(),
            Stored {
                accepted: vec!["c".into()],
                duplicates: 1
            }
        );
        assert_eq!(store.count().unwrap(), 3);
    }

    #[test]
    fn listing_filters_and_keeps_arrival_order() {
        let store = Store::in_memory().unwrap();
        store.insert(&batch(&["a", "b", "c"]), 5).unwrap();
        let all = store.list(&EventQuery::default()).unwrap();
        let ids: Vec<&str> = all.iter().map(|e| e["id"].as_str().unwrap()).collect();
        assert_eq!(ids, ["a", "b", "c"]);
        assert_eq!(all[0]["data"]["k"], 1);
        let last = store
            .list(&EventQuery {
                limit: Some(1),
                ..Default::default()
            })
            .unwrap();
        assert_eq!(last[0]["id"], "c");
        let none = store
            .list(&EventQuery {
                kind: Some("other".into()),
                ..Default::default()
            })
            .unwrap();
        assert!(none.is_empty());
    }

    #[test]
    fn a_user_is_read_and_erased_and_old_events_expire() {
        let store = Store::in_memory().unwrap();
        let mut mixed = batch(&["a", "b", "c"]);
        mixed.events[0].user_id = Some("u1".into());
        mixed.events[1].user_id = Some("u1".into());
        mixed.events[2].timestamp = 10_000;
        store.insert(&mixed, 5_000).unwrap();
        assert_eq!(store.user_events("u1").unwrap().len(), 2);
        assert_eq!(store.delete_user("u1").unwrap(), 2);
        assert!(store.user_events("u1").unwrap().is_empty());
        assert_eq!(store.count().unwrap(), 1);
        assert_eq!(store.rows(&["t"], 0, 20_000).unwrap()[0].data["k"], 1);
        assert_eq!(store.count_between(0, 10_000).unwrap(), 0);
        assert_eq!(store.count_between(10_000, 10_001).unwrap(), 1);
        assert!(store.rows(&["other"], 0, 20_000).unwrap().is_empty());
        assert_eq!(store.delete_before(5_000).unwrap(), 0);
        assert_eq!(store.delete_before(5_001).unwrap(), 1);
        assert_eq!(store.count().unwrap(), 0);
    }
}
