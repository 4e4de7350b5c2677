//! Telling officials, in the transaction of the change that concerns them: a notification
//! is written with the change or not at all.
//!
//! Recipients are chosen by unit and role, and only those active and cleared for the
//! task's classification; what each may see is checked again when they read it.

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
    /// The join of the recipients `u` to the task `t`.
    fn join(self) -> &'static str {
        match self {
            Audience::LeadStaff => "u.unit_id = t.lead_unit_id AND u.role IN ('leader', 'officer')",
            Audience::LeadOfficers => "u.unit_id = t.lead_unit_id AND u.role = 'officer'",
            Audience::LeadLeaders => "u.unit_id = t.lead_unit_id AND u.role = 'leader'",
            Audience::AssignerLeaders => "u.unit_id = t.assigner_unit_id AND u.role = 'leader'",
        }
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

/// Writes one notification per recipient and task; returns how many.
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
    let except = match about.except {
        Some(user) => format!(" AND u.id <> {}", param(user.into())),
        None => String::new(),
    };
    let step = about.step.unwrap_or("NULL");
    let sql = format!(
        "INSERT INTO notifications (user_id, kind, task_id, report_id, step, created_at) \
         SELECT u.id, '{kind}', t.id, {report}, {step}, {at} FROM {source} \
         JOIN users u ON {join} AND u.active = TRUE AND u.clearance >= t.classification{except} \
         WHERE {filter}",
        kind = about.kind.as_str(),
        source = about.source,
        join = about.audience.join(),
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
            "INSERT INTO notifications (user_id, kind, feedback_id, created_at) \
             SELECT u.id, $1, $2, $3 FROM users u WHERE u.unit_id = $4 \
             AND u.role IN ('leader', 'officer') AND u.active = TRUE AND u.id <> $5",
            [
                NotificationKind::FeedbackAssigned.as_str().into(),
                feedback_id.into(),
                now.into(),
                unit_id.into(),
                except.into(),
            ],
        ))
        .await?
        .rows_affected())
}
