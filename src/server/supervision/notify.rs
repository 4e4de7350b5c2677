//! Telling officials, in the transaction of the change that concerns them: a notification
//! is written with the change or not at all.
//!
//! A notification is written once per task and audience, addressed to a unit's staff,
//! officers or leaders, not once per official: who receives it, and whether they may see
//! it, is decided when it is read (`inbox::readable`).

use crate::model::Role;
use crate::model::notification::NotificationKind;
use chrono::{DateTime, Utc};
use sea_orm::{ConnectionTrait, DbErr, Statement, Value};

/// Who is told about a task.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Audience {
    /// The lead unit's officers and leaders: a task arrived, a report was decided.
    LeadStaff,
    LeadOfficers,
    LeadLeaders,
    /// The leaders of the unit that assigned the task: a report to evaluate, escalations.
    AssignerLeaders,
}

impl Audience {
    /// The task's column naming the unit told.
    fn unit(self) -> &'static str {
        match self {
            Audience::AssignerLeaders => "t.assigner_unit_id",
            _ => "t.lead_unit_id",
        }
    }

    /// Which of the unit's officials, as stored in `notifications.audience`.
    fn roles(self) -> &'static str {
        match self {
            Audience::LeadStaff => STAFF,
            Audience::LeadOfficers => OFFICERS,
            Audience::LeadLeaders | Audience::AssignerLeaders => LEADERS,
        }
    }
}

const STAFF: &str = "staff";
const OFFICERS: &str = "officers";
const LEADERS: &str = "leaders";

/// The audiences an official of `role` belongs to in their unit.
pub fn audiences_of(role: Role) -> &'static [&'static str] {
    match role {
        Role::Leader => &[STAFF, LEADERS],
        Role::Officer => &[STAFF, OFFICERS],
        _ => &[],
    }
}

/// What is told, about which tasks: `source` is an SQL `FROM` whose task is `t`,
/// `filter` its condition with parameters `$1`.. from `values`.
pub struct About<'a> {
    pub kind: NotificationKind,
    pub audience: Audience,
    pub source: &'a str,
    pub filter: &'a str,
    pub values: Vec<Value>,
    /// The step column's value, as SQL over the source (`r.step`), for ladder steps.
    pub step: Option<&'a str>,
    pub report_id: Option<i32>,
    /// The official whose action it was: not told of it.
    pub except: Option<i32>,
}

/// Writes one notification per task, addressed to the audience's unit; returns how many.
pub async fn tell(
    db: &impl ConnectionTrait,
    about: About<'_>,
    now: DateTime<Utc>,
) -> Result<u64, DbErr> {
    let mut values = about.values;
    let mut param = |value: Value| {
        values.push(value);
        format!("${}", values.len())
    };
    let at = param(now.into());
    let report = param(about.report_id.into());
    let except = param(about.except.into());
    let step = about.step.unwrap_or("NULL");
    let sql = format!(
        "INSERT INTO notifications (kind, unit_id, audience, except_user_id, task_id, report_id, \
         step, created_at) \
         SELECT '{kind}', {unit}, '{roles}', {except}, t.id, {report}, {step}, {at} FROM {source} \
         WHERE {filter}",
        kind = about.kind.as_str(),
        unit = about.audience.unit(),
        roles = about.audience.roles(),
        source = about.source,
        filter = about.filter,
    );
    let backend = db.get_database_backend();
    Ok(db
        .execute_raw(Statement::from_sql_and_values(backend, sql, values))
        .await?
        .rows_affected())
}

/// Tells `audience` about one task.
pub async fn tell_task(
    db: &impl ConnectionTrait,
    kind: NotificationKind,
    audience: Audience,
    task_id: i32,
    report_id: Option<i32>,
    except: Option<i32>,
    now: DateTime<Utc>,
) -> Result<u64, DbErr> {
    tell(
        db,
        About {
            kind,
            audience,
            source: "tasks t",
            filter: "t.id = $1",
            values: vec![task_id.into()],
            step: None,
            report_id,
            except,
        },
        now,
    )
    .await
}

/// Tells a unit's officers and leaders that a feedback item was assigned to it.
pub async fn tell_feedback_assigned(
    db: &impl ConnectionTrait,
    feedback_id: i32,
    unit_id: i32,
    except: i32,
    now: DateTime<Utc>,
) -> Result<u64, DbErr> {
    let backend = db.get_database_backend();
    Ok(db
        .execute_raw(Statement::from_sql_and_values(
            backend,
            "INSERT INTO notifications (kind, unit_id, audience, except_user_id, feedback_id, \
             created_at) VALUES ($1, $2, $3, $4, $5, $6)",
            [
                NotificationKind::FeedbackAssigned.as_str().into(),
                unit_id.into(),
                STAFF.into(),
                except.into(),
                feedback_id.into(),
                now.into(),
            ],
        ))
        .await?
        .rows_affected())
}

/// About an indicator's value: one sent, to the leaders of the unit that assigned the
/// indicator (who evaluate it); one decided, to the staff of the unit carrying it. Not to
/// the official who acted.
pub async fn tell_indicator(
    db: &impl ConnectionTrait,
    kind: NotificationKind,
    indicator: &crate::server::entity::indicator::Model,
    except: i32,
    now: DateTime<Utc>,
) -> Result<u64, DbErr> {
    let (unit_id, audience) = match kind {
        NotificationKind::ValueAwaiting => (indicator.assigner_unit_id, LEADERS),
        _ => (indicator.unit_id, STAFF),
    };
    let backend = db.get_database_backend();
    Ok(db
        .execute_raw(Statement::from_sql_and_values(
            backend,
            "INSERT INTO notifications (kind, unit_id, audience, except_user_id, indicator_id, \
             created_at) VALUES ($1, $2, $3, $4, $5, $6)",
            [
                kind.as_str().into(),
                unit_id.into(),
                audience.into(),
                except.into(),
                indicator.id.into(),
                now.into(),
            ],
        ))
        .await?
        .rows_affected())
}

/// One summary a day for the officers of each unit with overdue tasks, readable by those
/// cleared for at least one of them; the count is each reader's own (`inbox`).
pub async fn summarise_overdue(
    db: &impl ConnectionTrait,
    today: crate::model::time::Day,
    now: DateTime<Utc>,
) -> Result<u64, DbErr> {
    use migration::tallies::OPEN;
    let backend = db.get_database_backend();
    // Grouped by the lead unit's path, which the due-date index covers.
    let sql = format!(
        "INSERT INTO notifications (kind, unit_id, audience, day, clearance, created_at) \
         SELECT $1, un.id, '{OFFICERS}', $2, c.clearance, $3 FROM \
           (SELECT lead_path, MIN(classification) AS clearance FROM tasks \
            WHERE due_on < $2 AND status IN {OPEN} GROUP BY lead_path) c \
         JOIN units un ON un.path = c.lead_path WHERE 1 = 1 \
         ON CONFLICT (unit_id, kind, day) DO NOTHING"
    );
    Ok(db
        .execute_raw(Statement::from_sql_and_values(
            backend,
            sql,
            [
                NotificationKind::OverdueDaily.as_str().into(),
                crate::server::work::to_naive(today).into(),
                now.into(),
            ],
        ))
        .await?
        .rows_affected())
}
