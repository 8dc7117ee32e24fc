//! SQLite storage: each event stored once, keyed by its client-generated id.

use crate::ingest::ValidBatch;
use rusqlite::{params, Connection};
use serde_json::Value;
use std::path::Path;
use std::sync::Mutex;

/// How many events of a batch were new and how many were already stored.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Stored {
    /// Newly stored.
    pub accepted: usize,
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
";

impl Store {
    /// Opens (or creates) the database at `path` in WAL mode.
    pub fn open(path: &Path) -> rusqlite::Result<Self> {
        let connection = Connection::open(path)?;
        connection.pragma_update(None, "journal_mode", "WAL")?;
        connection.pragma_update(None, "synchronous", "NORMAL")?;
        connection.execute_batch(SCHEMA)?;
        Ok(Self {
            connection: Mutex::new(connection),
        })
    }

    /// An in-memory store, for tests.
    pub fn in_memory() -> rusqlite::Result<Self> {
        let connection = Connection::open_in_memory()?;
        connection.execute_batch(SCHEMA)?;
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
        let mut accepted = 0;
        {
            let mut statement = transaction.prepare_cached(
                "INSERT OR IGNORE INTO events
                 (id, batch_id, type, timestamp, session_id, user_id, data, context, received_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
            )?;
            for event in &batch.events {
                accepted += statement.execute(params![
                    event.id,
                    batch.batch_id,
                    event.kind,
                    event.timestamp,
                    event.session_id,
                    event.user_id,
                    event.data,
                    event.context,
                    received_at,
                ])?;
            }
        }
        transaction.commit()?;
        Ok(Stored {
            accepted,
            duplicates: batch.events.len() - accepted,
        })
    }

    /// Lists stored events in the order they arrived, as wire-format JSON objects.
    pub fn list(&self, query: &EventQuery) -> rusqlite::Result<Vec<Value>> {
        let connection = self.lock();
        let mut statement = connection.prepare_cached(
            "SELECT id, type, timestamp, session_id, user_id, data, context, batch_id, received_at
             FROM events
             WHERE (?1 IS NULL OR type = ?1) AND (?2 IS NULL OR session_id = ?2)
             ORDER BY rowid DESC LIMIT ?3",
        )?;
        let limit = i64::from(query.limit.unwrap_or(1000).min(10_000));
        let rows = statement.query_map(params![query.kind, query.session_id, limit], |row| {
            let json = |index: usize| -> rusqlite::Result<Value> {
                let text: String = row.get(index)?;
                Ok(serde_json::from_str(&text).unwrap_or(Value::Null))
            };
            Ok(serde_json::json!({
                "id": row.get::<_, String>(0)?,
                "type": row.get::<_, String>(1)?,
                "timestamp": row.get::<_, i64>(2)?,
                "sessionId": row.get::<_, String>(3)?,
                "userId": row.get::<_, Option<String>>(4)?,
                "data": json(5)?,
                "context": json(6)?,
                "batchId": row.get::<_, Option<String>>(7)?,
                "receivedAt": row.get::<_, i64>(8)?,
            }))
        })?;
        let mut events = rows.collect::<rusqlite::Result<Vec<_>>>()?;
        events.reverse();
        Ok(events)
    }

    /// Number of stored events.
    pub fn count(&self) -> rusqlite::Result<u64> {
        self.lock()
            .query_row("SELECT COUNT(*) FROM events", [], |row| row.get(0))
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
                    data: "{\"k\":1}".into(),
                    context: "{}".into(),
                })
                .collect(),
        }
    }

    #[test]
    fn duplicates_are_acknowledged_but_stored_once() {
        let store = Store::in_memory().unwrap();
        assert_eq!(
            store.insert(&batch(&["a", "b"]), 5).unwrap(),
            Stored {
                accepted: 2,
                duplicates: 0
            }
        );
        assert_eq!(
            store.insert(&batch(&["b", "c"]), 6).unwrap(),
            Stored {
                accepted: 1,
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
}
