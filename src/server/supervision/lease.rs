//! A job that runs on one server at a time: a row of `job_leases` names the server at it and
//! until when. Another server takes it only once that time has passed; the holder renews it
//! as it goes, and a server restarted under the same name takes its own lease back at once.
//! Lease times are on the real clock, whatever day a job works for (a test's or a
//! command's `--today`), so that a simulated run cannot hold the lease for days.

use chrono::{DateTime, NaiveDate, Utc};
use sea_orm::{ConnectionTrait, DbErr, Statement, Value};
use std::time::Duration;

pub fn chrono_of(duration: Duration) -> chrono::Duration {
    chrono::Duration::from_std(duration).unwrap_or(chrono::Duration::seconds(60))
}

/// One server's hold on one job.
pub struct Lease<'a> {
    pub job: &'a str,
    pub holder: &'a str,
    /// How long the holder may go without renewing it.
    pub length: Duration,
}

impl<'a> Lease<'a> {
    pub fn new(job: &'a str, holder: &'a str, length: Duration) -> Lease<'a> {
        Lease {
            job,
            holder,
            length,
        }
    }

    /// Takes the lease if it is free, expired or already ours; returns the last day the
    /// job finished for, or `None` when another server holds it.
    pub async fn take(
        &self,
        db: &impl ConnectionTrait,
    ) -> Result<Option<Option<NaiveDate>>, DbErr> {
        let now = Utc::now();
        let backend = db.get_database_backend();
        db.execute_raw(Statement::from_sql_and_values(
            backend,
            "INSERT INTO job_leases (name, holder, expires_at) VALUES ($1, NULL, $2) \
             ON CONFLICT (name) DO NOTHING",
            [self.job.into(), DateTime::<Utc>::UNIX_EPOCH.into()],
        ))
        .await?;
        let taken = db
            .execute_raw(Statement::from_sql_and_values(
                backend,
                "UPDATE job_leases SET holder = $1, expires_at = $2 \
                 WHERE name = $3 AND (holder IS NULL OR holder = $1 OR expires_at < $4)",
                [
                    self.holder.into(),
                    (now + chrono_of(self.length)).into(),
                    self.job.into(),
                    now.into(),
                ],
            ))
            .await?
            .rows_affected();
        if taken == 0 {
            return Ok(None);
        }
        let row = db
            .query_one_raw(Statement::from_sql_and_values(
                backend,
                "SELECT done_through FROM job_leases WHERE name = $1",
                [self.job.into()],
            ))
            .await?;
        Ok(Some(match row {
            Some(row) => row.try_get::<Option<NaiveDate>>("", "done_through")?,
            None => None,
        }))
    }

    /// Renews the lease for its length from now; false when it is no longer ours.
    pub async fn hold(&self, db: &impl ConnectionTrait) -> Result<bool, DbErr> {
        self.hold_for(db, self.length, None).await
    }

    /// Keeps the lease for `length` from now (past the job's end: the next run is due
    /// then), and records the day the job is done through.
    pub async fn hold_for(
        &self,
        db: &impl ConnectionTrait,
        length: Duration,
        done_through: Option<NaiveDate>,
    ) -> Result<bool, DbErr> {
        let until: DateTime<Utc> = Utc::now() + chrono_of(length);
        let backend = db.get_database_backend();
        let (sql, values): (&str, Vec<Value>) = match done_through {
            Some(day) => (
                "UPDATE job_leases SET expires_at = $1, done_through = $2 \
                 WHERE name = $3 AND holder = $4",
                vec![
                    until.into(),
                    day.into(),
                    self.job.into(),
                    self.holder.into(),
                ],
            ),
            None => (
                "UPDATE job_leases SET expires_at = $1 WHERE name = $2 AND holder = $3",
                vec![until.into(), self.job.into(), self.holder.into()],
            ),
        };
        Ok(db
            .execute_raw(Statement::from_sql_and_values(backend, sql, values))
            .await?
            .rows_affected()
            == 1)
    }
}
