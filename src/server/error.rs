//! Turning internal failures into what a user may see: a generic message and a reference.

use crate::model::{AppError, Outage};
use argon2::password_hash::rand_core::{OsRng, RngCore};
use sea_orm::{ConnAcquireErr, DbErr, RuntimeErr};
use std::fmt::Display;

/// Logs the detail under a fresh reference and returns an error that carries only the
/// reference: SQL, file paths and panics stay in the log.
pub fn internal(detail: impl Display) -> AppError {
    let reference = new_reference();
    tracing::error!(reference = %reference, detail = %detail, "internal error");
    AppError::Internal { reference }
}

/// A database failure as the user meets it: a full disk, a lock held too long or a
/// database that does not answer are conditions of the moment, answered 503 with a time
/// to come back; anything else is a bug, logged under a reference.
pub fn database(error: &DbErr) -> AppError {
    if is_unstorable_text(error) {
        return AppError::Request;
    }
    match outage(error) {
        Some(cause) => {
            tracing::warn!(%error, ?cause, "the database cannot take the request");
            AppError::Unavailable {
                retry_after_secs: retry_after(cause),
                cause,
            }
        }
        None => internal(error),
    }
}

/// An unexpected failure that may wrap a database error somewhere in its chain.
pub fn unexpected(error: &anyhow::Error) -> AppError {
    match error.chain().find_map(|e| e.downcast_ref::<DbErr>()) {
        Some(db_error) if outage(db_error).is_some() => database(db_error),
        _ => internal(format!("{error:#}")),
    }
}

/// Seconds a client should wait before trying again.
fn retry_after(cause: Outage) -> u64 {
    match cause {
        // Someone has to free space: not a matter of seconds.
        Outage::StorageFull => 60,
        Outage::Busy => 2,
        Outage::Unreachable => 5,
    }
}

fn sqlx_error(error: &DbErr) -> Option<&sea_orm::sqlx::Error> {
    match error {
        DbErr::Conn(RuntimeErr::SqlxError(e))
        | DbErr::Exec(RuntimeErr::SqlxError(e))
        | DbErr::Query(RuntimeErr::SqlxError(e)) => Some(e),
        _ => None,
    }
}

/// Text PostgreSQL cannot hold (a NUL character, in a lookup or a search): the request's
/// fault, not a bug. SQLite takes it and finds nothing; what is kept is checked before.
fn is_unstorable_text(error: &DbErr) -> bool {
    let Some(sea_orm::sqlx::Error::Database(e)) = sqlx_error(error) else {
        return false;
    };
    e.try_downcast_ref::<sea_orm::sqlx::sqlite::SqliteError>()
        .is_none()
        // character_not_in_repertoire, untranslatable_character
        && e.code().is_some_and(|code| matches!(&*code, "22021" | "22P05"))
}

/// Which passing condition, if any, the error is.
pub fn outage(error: &DbErr) -> Option<Outage> {
    match error {
        DbErr::ConnectionAcquire(ConnAcquireErr::Timeout) => return Some(Outage::Busy),
        DbErr::ConnectionAcquire(ConnAcquireErr::ConnectionClosed) => {
            return Some(Outage::Unreachable);
        }
        _ => {}
    }
    match sqlx_error(error)? {
        sea_orm::sqlx::Error::PoolTimedOut => Some(Outage::Busy),
        sea_orm::sqlx::Error::PoolClosed
        | sea_orm::sqlx::Error::Io(_)
        | sea_orm::sqlx::Error::Tls(_)
        | sea_orm::sqlx::Error::WorkerCrashed => Some(Outage::Unreachable),
        sea_orm::sqlx::Error::Database(e) => {
            let code = e.code()?;
            if e.try_downcast_ref::<sea_orm::sqlx::sqlite::SqliteError>()
                .is_some()
            {
                sqlite_outage(code.parse().ok()?)
            } else {
                postgres_outage(&code)
            }
        }
        _ => None,
    }
}

/// SQLite's result codes: the primary code is the low byte of the extended one.
fn sqlite_outage(code: i32) -> Option<Outage> {
    match code & 0xff {
        // SQLITE_FULL; SQLITE_IOERR (the disk failing, often full, under a write)
        13 | 10 => Some(Outage::StorageFull),
        // SQLITE_BUSY, SQLITE_LOCKED
        5 | 6 => Some(Outage::Busy),
        _ => None,
    }
}

/// PostgreSQL's SQLSTATE codes.
fn postgres_outage(sqlstate: &str) -> Option<Outage> {
    match sqlstate {
        // disk_full
        "53100" => Some(Outage::StorageFull),
        // out of memory or resources, lock_not_available, statement timeout
        "53000" | "53200" | "55P03" | "57014" => Some(Outage::Busy),
        // shutting down, crashed, cannot connect now; the connection exceptions (08...)
        "57P01" | "57P02" | "57P03" => Some(Outage::Unreachable),
        _ if sqlstate.starts_with("08") => Some(Outage::Unreachable),
        _ => None,
    }
}

/// A short reference an official can read out over the phone: 10 characters of Crockford base32.
pub fn new_reference() -> String {
    const ALPHABET: &[u8; 32] = b"0123456789ABCDEFGHJKMNPQRSTVWXYZ";
    let mut bits = OsRng.next_u64();
    (0..10)
        .map(|_| {
            let c = ALPHABET[(bits & 31) as usize] as char;
            bits >>= 5;
            c
        })
        .collect()
}

/// Whether a write broke a unique index: two writers claiming the same thing at once.
pub fn is_unique_violation(error: &DbErr) -> bool {
    matches!(
        error.sql_err(),
        Some(sea_orm::SqlErr::UniqueConstraintViolation(_))
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn references_are_short_and_distinct() {
        let a = new_reference();
        assert_eq!(a.len(), 10);
        assert!(a.chars().all(|c| c.is_ascii_alphanumeric()));
        assert_ne!(a, new_reference());
    }

    #[test]
    fn passing_database_conditions_are_told_apart_from_bugs() {
        assert_eq!(sqlite_outage(13), Some(Outage::StorageFull));
        assert_eq!(sqlite_outage(5), Some(Outage::Busy));
        // SQLITE_BUSY_SNAPSHOT, an extended code of SQLITE_BUSY
        assert_eq!(sqlite_outage(517), Some(Outage::Busy));
        // SQLITE_CONSTRAINT_UNIQUE: a bug or a user's input, never "try later"
        assert_eq!(sqlite_outage(2067), None);
        assert_eq!(postgres_outage("53100"), Some(Outage::StorageFull));
        assert_eq!(postgres_outage("08006"), Some(Outage::Unreachable));
        // unique_violation
        assert_eq!(postgres_outage("23505"), None);
        let timeout = DbErr::ConnectionAcquire(ConnAcquireErr::Timeout);
        assert!(matches!(
            database(&timeout),
            AppError::Unavailable {
                cause: Outage::Busy,
                retry_after_secs: 2
            }
        ));
        assert!(matches!(
            database(&DbErr::Custom("x".into())),
            AppError::Internal { .. }
        ));
    }

    #[test]
    fn internal_errors_hide_the_detail() {
        let error = internal("SELECT * FROM users: no such table at /srv/data/tiendo.db");
        let shown = error.to_string();
        assert!(!shown.contains("SELECT"));
        assert!(!shown.contains("/srv"));
    }
}
