//! The reminder sweep: runs inside every server, periodically, and acts once across all
//! of them.
//!
//! A lease row in the database names the server sweeping and until when; another server
//! takes it only once it has expired, so a server killed mid-sweep is replaced within the
//! lease. What makes each reminder happen exactly once is not the lease but the unique
//! key of `task_reminders` (task, step, reference day): a step is written with
//! `ON CONFLICT DO NOTHING` and its notifications are made, in the same transaction, from
//! the rows this sweep wrote. A sweep killed between two steps leaves the finished steps
//! whole and the rest to the next sweep.

use super::ladder::{FIRST_CATCH_UP_DAYS, Ladder, Reference, Rule, Units};
use super::lease::Lease;
use super::notify::{About, summarise_overdue, tell};
use crate::model::notification::Step;
use crate::model::time::Day;
use crate::server::audit::{self, Action, Event};
use crate::server::db::Db;
use crate::server::entity::unit;
use crate::server::work::{from_naive, to_naive};
use chrono::{DateTime, Utc};
use migration::tallies::OPEN;
use sea_orm::{
    ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter, QuerySelect, Statement,
};
use std::time::Duration;

/// The lease of the servers' sweep; a command sweeping as of another day uses its own.
pub const JOB: &str = "reminders";
pub const SIMULATED_JOB: &str = "reminders-simulated";

/// How this server sweeps.
#[derive(Clone, Debug)]
pub struct Sweeper {
    pub ladder: Ladder,
    /// The lease's name: `JOB`, or `SIMULATED_JOB` for a sweep as of another day.
    pub job: String,
    /// This server's name in the lease: the same after a restart, so a restarted server
    /// takes back its own lease at once.
    pub holder: String,
    /// How long a sweep may hold the lease without renewing it.
    pub lease: Duration,
    /// How often the sweep runs (across all servers).
    pub every: Duration,
    /// A pause after each step, for fault tests that stop a sweep halfway.
    pub step_pause: Duration,
    /// Audit events older than this many days are removed by the day's first sweep.
    pub audit_retention_days: u32,
}

impl Sweeper {
    pub fn new(ladder: Ladder, holder: impl Into<String>, every: Duration) -> Sweeper {
        let holder: String = holder.into().chars().take(64).collect();
        Sweeper {
            ladder,
            job: JOB.to_owned(),
            holder,
            lease: Duration::from_secs(60),
            every,
            step_pause: Duration::ZERO,
            audit_retention_days: crate::server::audit::retention::DEFAULT_DAYS,
        }
    }
}

/// What one sweep did.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct SweepReport {
    pub day: Option<Day>,
    /// Tasks that reached each step.
    pub fired: Vec<(Step, u64)>,
    /// Notifications written, the daily summaries included.
    pub notified: u64,
    pub summaries: u64,
}

impl SweepReport {
    pub fn reminders(&self) -> u64 {
        self.fired.iter().map(|(_, n)| n).sum()
    }
}

/// Runs the sweep as of `now` if no other server is at it: every step of the ladder due
/// today (and those missed since the last sweep), then the daily summary of overdue
/// tasks. `None` when another server holds the lease.
pub async fn sweep(
    db: &Db,
    sweeper: &Sweeper,
    now: DateTime<Utc>,
) -> anyhow::Result<Option<SweepReport>> {
    let lease = Lease::new(&sweeper.job, &sweeper.holder, sweeper.lease);
    let Some(done_through) = lease.take(&db.write).await? else {
        return Ok(None);
    };
    let today = Day::in_vietnam(now.timestamp());
    let from = done_through
        .map(from_naive)
        .unwrap_or(today.plus_days(-FIRST_CATCH_UP_DAYS));
    let sweep_id = format!(
        "{}-{}",
        now.timestamp_millis(),
        crate::server::error::new_reference()
    );
    let mut report = SweepReport {
        day: Some(today),
        ..SweepReport::default()
    };
    // Units with reminder days of their own (a few distinct settings at most).
    let own: Vec<String> = unit::Entity::find()
        .select_only()
        .column(unit::Column::RemindBefore)
        .distinct()
        .filter(unit::Column::RemindBefore.is_not_null())
        .into_tuple::<String>()
        .all(&db.write)
        .await?;
    for rule in sweeper.ladder.rules_for_units(today, from, &own) {
        if !sweeper.step_pause.is_zero() {
            tokio::time::sleep(sweeper.step_pause).await;
        }
        let txn = db.begin_write().await?;
        if !lease.hold(&txn).await? {
            // Taken over after our lease expired: the other server finishes.
            return Ok(Some(report));
        }
        let (fired, notified) = fire(&txn, &rule, &sweep_id, now).await?;
        txn.commit().await?;
        report.fired.push((rule.step, fired));
        report.notified += notified;
    }
    let txn = db.begin_write().await?;
    // Once a day, by the day's first sweep: the audit retention and the overdue summaries
    // (their aggregate reads every overdue task; later sweeps would only find them made).
    let summaries = if done_through.is_none_or(|day| from_naive(day) < today) {
        crate::server::audit::retention::expire(&txn, now, sweeper.audit_retention_days).await?;
        summarise_overdue(&txn, today, now).await?
    } else {
        0
    };
    report.summaries = summaries;
    report.notified += summaries;
    // Done for today: the next sweep, on any server, is due in `every`.
    lease
        .hold_for(&txn, sweeper.every, Some(to_naive(today)))
        .await?;
    if report.reminders() > 0 {
        let detail = report
            .fired
            .iter()
            .filter(|(_, n)| *n > 0)
            .map(|(step, n)| format!("{}={n}", step.key()))
            .collect::<Vec<_>>()
            .join(" ");
        audit::record(
            &txn,
            Event::new(Action::RemindersSent)
                .actor(None, audit::SYSTEM_ACTOR)
                .on("sweep", &sweep_id)
                .detail(format!(
                    "{} {detail} notified={}",
                    today.iso(),
                    report.notified
                )),
        )
        .await?;
    }
    txn.commit().await?;
    Ok(Some(report))
}

/// Writes the rule's step for every open task due for it, and tells the step's audience
/// about the tasks that had not had it. Returns (tasks, notifications).
async fn fire(
    db: &impl ConnectionTrait,
    rule: &Rule,
    sweep_id: &str,
    now: DateTime<Utc>,
) -> Result<(u64, u64), DbErr> {
    let backend = db.get_database_backend();
    let step = rule.step.key();
    // The reference day as the index has it; a task gone quiet is a leaf (a task with
    // subtasks is reported on through them).
    let (reference, only) = match rule.reference {
        Reference::Due => ("t.due_on", ""),
        Reference::Quiet => (
            "COALESCE(t.last_report_on, t.start_on)",
            " AND NOT EXISTS (SELECT 1 FROM tasks c WHERE c.parent_id = t.id \
             AND c.status <> 'cancelled')",
        ),
    };
    let mut values: Vec<sea_orm::Value> = vec![
        step.clone().into(),
        sweep_id.into(),
        now.into(),
        to_naive(rule.from).into(),
        to_naive(rule.to).into(),
    ];
    // Whose tasks, by the lead unit's own reminder days.
    let units = match &rule.units {
        Units::All => String::new(),
        Units::WithServerDays => " AND NOT EXISTS (SELECT 1 FROM units un \
             WHERE un.id = t.lead_unit_id AND un.remind_before IS NOT NULL)"
            .to_owned(),
        Units::WithDays(days) => {
            values.push(days.clone().into());
            " AND EXISTS (SELECT 1 FROM units un \
             WHERE un.id = t.lead_unit_id AND un.remind_before = $6)"
                .to_owned()
        }
    };
    let sql = format!(
        "INSERT INTO task_reminders (task_id, step, reference, sweep, fired_at) \
         SELECT t.id, $1, {reference}, $2, $3 FROM tasks t \
         WHERE {reference} >= $4 AND {reference} <= $5 AND t.status IN {OPEN}{only}{units} \
         ON CONFLICT (task_id, step, reference) DO NOTHING"
    );
    let fired = db
        .execute_raw(Statement::from_sql_and_values(backend, sql, values))
        .await?
        .rows_affected();
    if fired == 0 {
        return Ok((0, 0));
    }
    let notified = tell(
        db,
        About {
            kind: rule.step.kind(),
            audience: rule.audience,
            source: "task_reminders r JOIN tasks t ON t.id = r.task_id",
            filter: "r.sweep = $1 AND r.step = $2",
            values: vec![sweep_id.into(), step.into()],
            step: Some("r.step"),
            report_id: None,
            except: None,
        },
        now,
    )
    .await?;
    Ok((fired, notified))
}

/// Sweeps now and then every `sweeper.every`, for as long as the server runs. A failed
/// sweep (a busy or unreachable database) is logged and tried again at the next turn.
pub fn spawn(db: Db, sweeper: Sweeper) -> tokio::task::JoinHandle<()> {
    tokio::spawn(async move {
        loop {
            match sweep(&db, &sweeper, Utc::now()).await {
                Ok(Some(report)) if report.notified > 0 => tracing::info!(
                    reminders = report.reminders(),
                    notified = report.notified,
                    "reminder sweep"
                ),
                Ok(_) => {}
                Err(error) => tracing::warn!(%error, "reminder sweep failed; trying again later"),
            }
            tokio::time::sleep(sweeper.every).await;
        }
    })
}
