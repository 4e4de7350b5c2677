//! Removing audit events older than the retention period (default five years): the only
//! removal the log allows, and itself recorded. The database refuses to remove an event
//! younger than a year, so the period cannot be set shorter.

use super::{Action, Event, SYSTEM_ACTOR, record};
use chrono::{DateTime, Utc};
use sea_orm::{ConnectionTrait, DbErr, Statement};

pub const DEFAULT_DAYS: u32 = 1826;
pub const MIN_DAYS: u32 = 366;

/// Removes the events older than `days` before `now`, and records how many went.
pub async fn expire(
    db: &impl ConnectionTrait,
    now: DateTime<Utc>,
    days: u32,
) -> Result<u64, DbErr> {
    // Never from a clock ahead of the real one (a simulated sweep's `--today`).
    let cutoff = now.min(Utc::now()) - chrono::Duration::days(i64::from(days.max(MIN_DAYS)));
    let removed = db
        .execute_raw(Statement::from_sql_and_values(
            db.get_database_backend(),
            "DELETE FROM audit_events WHERE at < $1",
            [cutoff.into()],
        ))
        .await?
        .rows_affected();
    if removed > 0 {
        record(
            db,
            Event::new(Action::AuditExpired)
                .actor(None, SYSTEM_ACTOR)
                .detail(format!(
                    "{removed} events before {} removed (retention {days} days)",
                    cutoff.to_rfc3339()
                )),
        )
        .await?;
    }
    Ok(removed)
}
