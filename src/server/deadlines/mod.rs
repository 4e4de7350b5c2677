//! Moving a task's due date after assignment, kept honest: every move has a reason and is
//! recorded (`due_date_changes`, the task's history and the audit trail), the date the
//! task was assigned with stays (`tasks.original_due_on`), and the lead unit asks for more
//! time rather than taking it: the assigning unit's leaders grant or refuse.

use super::access::Reader;
use super::audit::{self, Action, Event};
use super::db::Db;
use super::entity::{due_date_change, task};
use super::supervision::notify::{Audience, tell_task};
use super::tasks::{record_event, visible};
use super::work::{Failure, Outcome, from_naive, not_found, status_of, to_naive, today};
use crate::model::deadline::{ChangeKind, ChangeState, DueDateChange, REASON_MAX, check_extension};
use crate::model::notification::NotificationKind;
use crate::model::task::check_text;
use crate::model::time::Day;
use crate::model::{AppError, Problem, Role};
use chrono::{NaiveDate, Utc};
use sea_orm::sea_query::{Expr, ExprTrait, Func};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, DatabaseTransaction,
    EntityTrait, QueryFilter, QueryOrder, Statement,
};
use serde_json::json;

/// The lead unit asks for the task's due date to move to `to_on`, saying why.
pub async fn ask(db: &Db, reader: &Reader, task_id: i32, to_on: &str, reason: &str) -> Outcome<()> {
    let Some(task) = visible(&db.read, reader, task_id).await? else {
        return not_found();
    };
    // Viewers act for no unit: for them the request does not exist, as for any action.
    if !matches!(reader.role, Role::Officer | Role::Leader) {
        return not_found();
    }
    if status_of(&task).is_closed() {
        return Err(AppError::invalid("task", Problem::Closed).into());
    }
    let asked = Day::parse(to_on.trim()).ok_or_else(|| {
        let problem = if to_on.trim().is_empty() {
            Problem::Required
        } else {
            Problem::Malformed
        };
        AppError::invalid("to_on", problem)
    })?;
    check_extension(
        asked,
        from_naive(task.due_on),
        from_naive(task.start_on),
        today(),
        reader.works_for(task.lead_unit_id),
        reason,
    )
    .map_err(|problem| problem.error())?;
    let reason = check_text("reason", reason, REASON_MAX, true)?;
    let now = Utc::now();
    let txn = db.begin_write().await?;
    // The due date as it is now: a move committed since the page was read wins.
    let current = task::Entity::find_by_id(task_id)
        .one(&txn)
        .await?
        .ok_or(Failure::App(AppError::NotFound))?;
    if current.due_on != task.due_on {
        return Err(AppError::Conflict.into());
    }
    let backend = txn.get_database_backend();
    // One open request per task (a partial unique index): a second waits for the answer.
    let inserted = txn
        .execute_raw(Statement::from_sql_and_values(
            backend,
            "INSERT INTO due_date_changes \
             (task_id, kind, state, from_on, to_on, reason, asked_by, asked_at, answer) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, '') \
             ON CONFLICT (task_id) WHERE state = 'asked' DO NOTHING",
            [
                task_id.into(),
                ChangeKind::Extension.as_str().into(),
                ChangeState::Asked.as_str().into(),
                task.due_on.into(),
                to_naive(asked).into(),
                reason.clone().into(),
                reader.user_id.into(),
                now.into(),
            ],
        ))
        .await?;
    if inserted.rows_affected() == 0 {
        return Err(AppError::invalid("task", Problem::AwaitingDecision).into());
    }
    record_event(
        &txn,
        task_id,
        reader.user_id,
        "extension_asked",
        json!({ "from": from_naive(task.due_on).iso(), "to": asked.iso() }),
    )
    .await?;
    audit_change(&txn, reader, &task, "extension_asked", asked).await?;
    tell_task(
        &txn,
        NotificationKind::ExtensionAsked,
        Audience::AssignerLeaders,
        task_id,
        None,
        Some(reader.user_id),
        now,
    )
    .await?;
    txn.commit().await?;
    Ok(())
}

/// A leader of the assigning unit grants or refuses a request; refusing needs an answer.
/// Granting moves the due date and keeps the original one. Returns the task's id.
pub async fn decide(
    db: &Db,
    reader: &Reader,
    change_id: i32,
    grant: bool,
    answer: &str,
) -> Outcome<i32> {
    let Some(change) = due_date_change::Entity::find_by_id(change_id)
        .one(&db.read)
        .await?
    else {
        return not_found();
    };
    let Some(task) = visible(&db.read, reader, change.task_id).await? else {
        return not_found();
    };
    if !reader.leads(task.assigner_unit_id) {
        return not_found();
    }
    let answer = check_text("answer", answer, REASON_MAX, !grant)?;
    if grant && change.to_on < to_naive(today()) {
        return Err(AppError::invalid("to_on", Problem::BeforeToday).into());
    }
    let now = Utc::now();
    let txn = db.begin_write().await?;
    let state = if grant {
        ChangeState::Granted
    } else {
        ChangeState::Refused
    };
    // Decided meanwhile (by another leader, or answered by a move): the page was outdated.
    let decided = due_date_change::Entity::update_many()
        .col_expr(due_date_change::Column::State, Expr::value(state.as_str()))
        .col_expr(
            due_date_change::Column::DecidedBy,
            Expr::value(reader.user_id),
        )
        .col_expr(due_date_change::Column::DecidedAt, Expr::value(now))
        .col_expr(due_date_change::Column::Answer, Expr::value(answer))
        .filter(due_date_change::Column::Id.eq(change_id))
        .filter(due_date_change::Column::State.eq(ChangeState::Asked.as_str()))
        .exec(&txn)
        .await?;
    if decided.rows_affected == 0 {
        return Err(AppError::Conflict.into());
    }
    let to = from_naive(change.to_on);
    if grant {
        let current = task::Entity::find_by_id(task.id)
            .one(&txn)
            .await?
            .ok_or(Failure::App(AppError::NotFound))?;
        if status_of(&current).is_closed() {
            return Err(AppError::invalid("task", Problem::Closed).into());
        }
        if current.due_on != change.from_on {
            return Err(AppError::Conflict.into());
        }
        move_due_date(&txn, &current, change.to_on).await?;
    }
    let kind = if grant {
        "extension_granted"
    } else {
        "extension_refused"
    };
    record_event(
        &txn,
        task.id,
        reader.user_id,
        kind,
        json!({ "from": from_naive(change.from_on).iso(), "to": to.iso() }),
    )
    .await?;
    audit_change(&txn, reader, &task, kind, to).await?;
    tell_task(
        &txn,
        NotificationKind::ExtensionDecided,
        Audience::LeadStaff,
        task.id,
        None,
        Some(reader.user_id),
        now,
    )
    .await?;
    txn.commit().await?;
    Ok(task.id)
}

/// The due date moved by the assigning unit's leader while editing the task, in the
/// caller's transaction (which writes the new date): recorded with its reason, and any
/// open request answered by it.
pub async fn record_move(
    txn: &DatabaseTransaction,
    reader: &Reader,
    task: &task::Model,
    to_on: NaiveDate,
    reason: &str,
) -> Outcome<()> {
    let now = Utc::now();
    due_date_change::Entity::update_many()
        .col_expr(
            due_date_change::Column::State,
            Expr::value(ChangeState::Refused.as_str()),
        )
        .col_expr(
            due_date_change::Column::DecidedBy,
            Expr::value(reader.user_id),
        )
        .col_expr(due_date_change::Column::DecidedAt, Expr::value(now))
        .col_expr(due_date_change::Column::Answer, Expr::value(reason))
        .filter(due_date_change::Column::TaskId.eq(task.id))
        .filter(due_date_change::Column::State.eq(ChangeState::Asked.as_str()))
        .exec(txn)
        .await?;
    due_date_change::ActiveModel {
        task_id: Set(task.id),
        kind: Set(ChangeKind::Moved.as_str().to_owned()),
        state: Set(ChangeState::Granted.as_str().to_owned()),
        from_on: Set(task.due_on),
        to_on: Set(to_on),
        reason: Set(reason.to_owned()),
        asked_by: Set(reader.user_id),
        asked_at: Set(now),
        decided_by: Set(Some(reader.user_id)),
        decided_at: Set(Some(now)),
        answer: Set(String::new()),
        ..Default::default()
    }
    .insert(txn)
    .await?;
    audit_change(txn, reader, task, "due_moved", from_naive(to_on)).await?;
    Ok(())
}

/// Sets a task's due date, keeping the one it was assigned with.
async fn move_due_date(
    txn: &DatabaseTransaction,
    task: &task::Model,
    to_on: NaiveDate,
) -> Outcome<()> {
    task::Entity::update_many()
        .col_expr(task::Column::DueOn, Expr::value(to_on))
        .col_expr(task::Column::OriginalDueOn, original_due_kept())
        .col_expr(task::Column::UpdatedAt, Expr::value(Utc::now()))
        .col_expr(
            task::Column::Version,
            Expr::col(task::Column::Version).add(1),
        )
        .filter(task::Column::Id.eq(task.id))
        .exec(txn)
        .await?;
    Ok(())
}

/// `original_due_on` in an update that moves `due_on`: the date before the first move.
pub fn original_due_kept() -> Expr {
    Expr::from(Func::coalesce([
        Expr::col(task::Column::OriginalDueOn),
        Expr::col(task::Column::DueOn),
    ]))
}

async fn audit_change(
    txn: &DatabaseTransaction,
    reader: &Reader,
    task: &task::Model,
    what: &str,
    to: Day,
) -> Outcome<()> {
    audit::record(
        txn,
        Event::new(Action::DueDateChanged)
            .actor(Some(reader.user_id), &reader.username)
            .on("task", task.id)
            .detail(format!(
                "{what}: {} -> {}",
                from_naive(task.due_on).iso(),
                to.iso()
            ))
            .classified(task.classification),
    )
    .await?;
    Ok(())
}

/// Every change of the task's due date, the oldest first, with who asked and decided.
/// The caller has checked that the reader sees the task.
pub async fn of_task(db: &Db, task_id: i32) -> Outcome<Vec<DueDateChange>> {
    let changes = due_date_change::Entity::find()
        .filter(due_date_change::Column::TaskId.eq(task_id))
        .order_by_asc(due_date_change::Column::Id)
        .all(&db.read)
        .await?;
    if changes.is_empty() {
        return Ok(Vec::new());
    }
    let ids: Vec<i32> = changes
        .iter()
        .flat_map(|c| [Some(c.asked_by), c.decided_by])
        .flatten()
        .collect();
    let names = super::users::full_names(db, ids).await?;
    let name = |id: i32| names.get(&id).cloned().unwrap_or_default();
    Ok(changes
        .into_iter()
        .map(|c| DueDateChange {
            id: c.id,
            kind: c.kind.parse().unwrap_or(ChangeKind::Moved),
            state: c.state.parse().unwrap_or(ChangeState::Asked),
            from_on: from_naive(c.from_on),
            to_on: from_naive(c.to_on),
            reason: c.reason,
            asked_by: name(c.asked_by),
            asked_at: c.asked_at.timestamp(),
            decided_by: c.decided_by.map(name),
            decided_at: c.decided_at.map(|at| at.timestamp()),
            answer: c.answer,
        })
        .collect())
}
