//! Server-side sessions in the application's own database, one row per session, each
//! row knowing its user: an official can list and end their sessions, and a password
//! change ends all the others.
//!
//! Rows are keyed by a SHA-256 of the session id, never the id itself: a copy of the
//! database does not hand out live cookies.

use super::crypto::hex;
use super::db::Db;
use super::entity::session;
use chrono::{DateTime, Utc};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveValue::Set, ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter, SqlErr,
};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use std::collections::HashMap;
use tower_sessions::session::{Id, Record};
use tower_sessions::session_store::{self, ExpiredDeletion, SessionStore};

/// The key under which a signed-in session keeps who it belongs to.
pub const AUTH_KEY: &str = "auth";

/// What a signed-in session remembers about its sign-in. Role and clearance are the ones
/// granted at sign-in: when they change, the session id is cycled.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SessionAuth {
    pub user_id: i32,
    /// Unix seconds.
    pub signed_in_at: i64,
    /// Last time the idle timer was pushed back, unix seconds.
    pub touched_at: i64,
    pub role: String,
    pub clearance: i16,
    pub ip: Option<String>,
    pub user_agent: Option<String>,
}

/// The database key of a session: hex SHA-256 of its id. Also its public handle.
pub fn key(id: &Id) -> String {
    hex(&Sha256::digest(id.to_string().as_bytes()))
}

#[derive(Clone, Debug)]
pub struct DbSessionStore {
    db: Db,
}

impl DbSessionStore {
    pub fn new(db: Db) -> Self {
        DbSessionStore { db }
    }
}

fn backend(error: impl std::fmt::Display) -> session_store::Error {
    session_store::Error::Backend(error.to_string())
}

fn expiry(record: &Record) -> DateTime<Utc> {
    DateTime::from_timestamp(
        record.expiry_date.unix_timestamp(),
        record.expiry_date.nanosecond(),
    )
    .unwrap_or_else(Utc::now)
}

/// The columns that the store reads out of the session data.
fn auth_of(record: &Record) -> Option<SessionAuth> {
    record
        .data
        .get(AUTH_KEY)
        .and_then(|value| serde_json::from_value(value.clone()).ok())
}

fn encode(record: &Record) -> session_store::Result<String> {
    serde_json::to_string(&record.data).map_err(|e| session_store::Error::Encode(e.to_string()))
}

#[async_trait::async_trait]
impl SessionStore for DbSessionStore {
    async fn create(&self, record: &mut Record) -> session_store::Result<()> {
        loop {
            let auth = auth_of(record);
            let now = Utc::now();
            let key = key(&record.id);
            let row = session::ActiveModel {
                id: Set(key.clone()),
                user_id: Set(auth.as_ref().map(|a| a.user_id)),
                data: Set(encode(record)?),
                expires_at: Set(expiry(record)),
                created_at: Set(now),
                updated_at: Set(now),
                ip: Set(auth.as_ref().and_then(|a| a.ip.clone())),
                user_agent: Set(auth.and_then(|a| a.user_agent)),
            };
            let kept = &self.db.kept.sessions;
            kept.forget(&key);
            let inserted = session::Entity::insert(row)
                .exec_without_returning(&self.db.write)
                .await;
            kept.forget(&key);
            match inserted {
                Ok(_) => return Ok(()),
                // 128 random bits collided: draw again, as the trait asks of stores.
                Err(e) if matches!(e.sql_err(), Some(SqlErr::UniqueConstraintViolation(_))) => {
                    record.id = Id::default();
                }
                Err(e) => return Err(backend(e)),
            }
        }
    }

    /// Updates only: a session ended elsewhere (sign-out, password change, revocation)
    /// while a request was in flight must not come back when that request finishes.
    async fn save(&self, record: &Record) -> session_store::Result<()> {
        let auth = auth_of(record);
        let key = key(&record.id);
        let kept = &self.db.kept.sessions;
        kept.forget(&key);
        let saved = session::Entity::update_many()
            .col_expr(session::Column::Data, Expr::value(encode(record)?))
            .col_expr(session::Column::ExpiresAt, Expr::value(expiry(record)))
            .col_expr(session::Column::UpdatedAt, Expr::value(Utc::now()))
            .col_expr(
                session::Column::UserId,
                Expr::value(auth.as_ref().map(|a| a.user_id)),
            )
            .filter(session::Column::Id.eq(key.as_str()))
            .exec(&self.db.write)
            .await;
        kept.forget(&key);
        match saved {
            Ok(_) => Ok(()),
            // Mostly the mark of recent activity: when the database cannot take it now,
            // the request it rode on has its own answer, which must not become a 500.
            Err(error) if super::error::outage(&error).is_some() => {
                tracing::warn!(%error, "session activity not saved");
                Ok(())
            }
            Err(error) => Err(backend(error)),
        }
    }

    /// From what this server keeps while the accounts' generation stands (a session
    /// ended anywhere moves it; this server's own writes to a session drop its copy).
    async fn load(&self, id: &Id) -> session_store::Result<Option<Record>> {
        let key = key(id);
        let Some(generation) = super::generation::both(&self.db)
            .await
            .map_err(backend)?
            .map(|g| g.accounts)
        else {
            return self.read(id, &key).await;
        };
        let kept = &self.db.kept.sessions;
        if let Some(record) = kept.get(generation, &key) {
            return Ok(record.filter(|r| r.expiry_date > time::OffsetDateTime::now_utc()));
        }
        let writes = kept.writes();
        let record = self.read(id, &key).await?;
        kept.keep(generation, writes, key, record.clone());
        Ok(record)
    }

    async fn delete(&self, id: &Id) -> session_store::Result<()> {
        let key = key(id);
        let kept = &self.db.kept.sessions;
        kept.forget(&key);
        let deleted = session::Entity::delete_by_id(key.clone())
            .exec(&self.db.write)
            .await;
        kept.forget(&key);
        deleted.map_err(backend)?;
        Ok(())
    }
}

impl DbSessionStore {
    /// The session's row, if it has not expired.
    async fn read(&self, id: &Id, key: &str) -> session_store::Result<Option<Record>> {
        let Some(row) = session::Entity::find_by_id(key)
            .filter(session::Column::ExpiresAt.gt(Utc::now()))
            .one(&self.db.read)
            .await
            .map_err(backend)?
        else {
            return Ok(None);
        };
        let data: HashMap<String, serde_json::Value> = serde_json::from_str(&row.data)
            .map_err(|e| session_store::Error::Decode(e.to_string()))?;
        let expiry_date = time::OffsetDateTime::from_unix_timestamp(row.expires_at.timestamp())
            .map_err(backend)?;
        Ok(Some(Record {
            id: *id,
            data,
            expiry_date,
        }))
    }
}

#[async_trait::async_trait]
impl ExpiredDeletion for DbSessionStore {
    async fn delete_expired(&self) -> session_store::Result<()> {
        session::Entity::delete_many()
            .filter(session::Column::ExpiresAt.lte(Utc::now()))
            .exec(&self.db.write)
            .await
            .map_err(backend)?;
        Ok(())
    }
}

/// The live sessions of a user, newest first.
pub async fn of_user(
    db: &impl ConnectionTrait,
    user_id: i32,
) -> Result<Vec<session::Model>, DbErr> {
    use sea_orm::QueryOrder;
    session::Entity::find()
        .filter(session::Column::UserId.eq(user_id))
        .filter(session::Column::ExpiresAt.gt(Utc::now()))
        .order_by_desc(session::Column::CreatedAt)
        .all(db)
        .await
}

/// Ends every session of a user but `keep` (a session key): after a password change the
/// other browsers must sign in again.
pub async fn end_all_of_user(
    db: &impl ConnectionTrait,
    user_id: i32,
    keep: Option<&str>,
) -> Result<u64, DbErr> {
    let mut delete = session::Entity::delete_many().filter(session::Column::UserId.eq(user_id));
    if let Some(keep) = keep {
        delete = delete.filter(session::Column::Id.ne(keep));
    }
    Ok(delete.exec(db).await?.rows_affected)
}

/// Ends one session of a user, by its handle; `false` when the user has no such session.
pub async fn end_one_of_user(
    db: &impl ConnectionTrait,
    user_id: i32,
    handle: &str,
) -> Result<bool, DbErr> {
    let deleted = session::Entity::delete_many()
        .filter(session::Column::UserId.eq(user_id))
        .filter(session::Column::Id.eq(handle))
        .exec(db)
        .await?;
    Ok(deleted.rows_affected > 0)
}

/// Sessions as this server read them at one accounts' generation, by key: signed-in
/// requests then read no session row. A session ended anywhere moves the generation; a
/// write through this server drops the session's copy before and after it, and a read
/// that overlapped such a write keeps nothing.
#[derive(Debug)]
pub struct KeptSessions {
    capacity: usize,
    state: std::sync::Mutex<KeptState>,
}

#[derive(Debug, Default)]
struct KeptState {
    generation: i64,
    /// Writes through this server so far.
    writes: u64,
    records: HashMap<String, Option<Record>>,
}

impl KeptSessions {
    pub fn new(capacity: usize) -> Self {
        KeptSessions {
            capacity,
            state: std::sync::Mutex::default(),
        }
    }

    fn state(&self) -> std::sync::MutexGuard<'_, KeptState> {
        self.state.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// The session kept at `generation`: `Some(None)` when it was known not to exist.
    fn get(&self, generation: i64, key: &str) -> Option<Option<Record>> {
        let state = self.state();
        if state.generation != generation {
            return None;
        }
        state.records.get(key).cloned()
    }

    /// The count of writes so far, to take before reading a session.
    fn writes(&self) -> u64 {
        self.state().writes
    }

    /// Keeps a session read at `generation`, unless this server wrote any session since
    /// `writes` was taken (the row read may be older than that write).
    fn keep(&self, generation: i64, writes: u64, key: String, record: Option<Record>) {
        let mut state = self.state();
        if state.writes != writes || generation < state.generation {
            return;
        }
        if generation > state.generation || state.records.len() >= self.capacity {
            state.generation = generation;
            state.records.clear();
        }
        state.records.insert(key, record);
    }

    /// Drops a session's copy around a write to it.
    fn forget(&self, key: &str) {
        let mut state = self.state();
        state.writes += 1;
        state.records.remove(key);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_are_hex_sha256_of_the_id() {
        let id = Id(42);
        let k = key(&id);
        assert_eq!(k.len(), 64);
        assert!(k.chars().all(|c| c.is_ascii_hexdigit()));
        assert_ne!(k, id.to_string());
        assert_eq!(k, key(&Id(42)));
        assert_ne!(k, key(&Id(43)));
    }

    fn record() -> Option<Record> {
        Some(Record {
            id: Id::default(),
            data: HashMap::new(),
            expiry_date: time::OffsetDateTime::now_utc(),
        })
    }

    #[test]
    fn a_kept_session_holds_until_the_accounts_generation_moves() {
        let kept = KeptSessions::new(8);
        assert!(kept.get(1, "a").is_none());
        kept.keep(1, kept.writes(), "a".into(), record());
        kept.keep(1, kept.writes(), "gone".into(), None);
        assert!(kept.get(1, "a").is_some_and(|r| r.is_some()));
        assert_eq!(kept.get(1, "gone"), Some(None), "known not to exist");
        // Ended elsewhere: the generation moved, nothing is served from before.
        assert!(kept.get(2, "a").is_none());
        kept.keep(2, kept.writes(), "b".into(), record());
        assert!(kept.get(2, "a").is_none());
        // A read at the older generation, finishing late, keeps nothing.
        kept.keep(1, kept.writes(), "a".into(), record());
        assert!(kept.get(2, "a").is_none());
    }

    #[test]
    fn a_read_that_overlapped_a_write_keeps_nothing() {
        let kept = KeptSessions::new(8);
        let writes = kept.writes();
        // This server writes some session while the read is under way.
        kept.forget("other");
        kept.keep(1, writes, "a".into(), record());
        assert!(kept.get(1, "a").is_none());
        // A write drops the written session's copy.
        kept.keep(1, kept.writes(), "a".into(), record());
        kept.forget("a");
        assert!(kept.get(1, "a").is_none());
    }

    #[test]
    fn it_never_holds_more_than_its_capacity() {
        let kept = KeptSessions::new(2);
        for key in ["a", "b", "c"] {
            kept.keep(1, kept.writes(), key.into(), None);
            assert!(kept.state().records.len() <= 2);
        }
        assert_eq!(kept.get(1, "c"), Some(None));
    }
}
