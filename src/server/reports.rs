//! Progress reports and their evaluation: the lead unit reports, the assigning unit's
//! leaders accept or return, and an accepted report moves the task and its tree.

use super::access::Reader;
use super::db::Db;
use super::entity::{attachment, report, task, unit};
use super::evidence::{EvidenceStore, Upload};
use super::supervision::notify::{Audience, tell_task};
use super::tasks::{roll_up, visible};
use super::work::{Failure, Outcome, not_found, status_of, to_naive, today, unit_ref};
use crate::model::notification::NotificationKind;
use crate::model::task::{
    AttachmentView, ReportKind, ReportStatus, ReportView, TEXT_MAX, TaskStatus, Verdict,
    check_progress, check_text, completion_status,
};
use crate::model::{AppError, Problem};
use chrono::Utc;
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, DatabaseTransaction,
    EntityTrait, QueryFilter, QueryOrder, QuerySelect, SqlErr,
};
use serde_json::json;
use std::collections::HashMap;

/// A report as submitted.
#[derive(Clone, Debug, Default)]
pub struct ReportInput {
    pub progress: i32,
    pub text: String,
    pub claims_completion: bool,
    /// Made by the form when it is shown: submitting the same form twice stores one report.
    pub submission_key: String,
    pub files: Vec<Upload>,
}

/// The task, if the reader may report on it: a task they see, led by their unit, for its
/// officers and leaders. Anything else is "not found".
pub async fn reporting_task(db: &Db, reader: &Reader, task_id: i32) -> Outcome<task::Model> {
    match visible(&db.read, reader, task_id).await? {
        Some(task) if reader.works_for(task.lead_unit_id) => Ok(task),
        _ => not_found(),
    }
}

/// Submits a report on a task of the reader's unit. Returns the report's id; a form sent
/// twice returns the first report's id and stores nothing more.
pub async fn submit(
    db: &Db,
    store: &EvidenceStore,
    reader: &Reader,
    task_id: i32,
    input: ReportInput,
) -> Outcome<i32> {
    let task = reporting_task(db, reader, task_id).await?;
    let key = input.submission_key.trim();
    if key.is_empty()
        || key.len() > 64
        || !key.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-')
    {
        return Err(AppError::invalid("submission_key", Problem::Malformed).into());
    }
    if let Some(earlier) = report::Entity::find()
        .filter(report::Column::SubmissionKey.eq(key))
        .one(&db.read)
        .await?
    {
        return if earlier.task_id == task_id {
            Ok(earlier.id)
        } else {
            not_found()
        };
    }
    if status_of(&task).is_closed() {
        return Err(AppError::invalid("task", Problem::Closed).into());
    }
    let progress = check_progress(input.progress)?;
    if input.claims_completion && progress != 100 {
        return Err(AppError::invalid("progress", Problem::CompletionBelow100).into());
    }
    let text = check_text("text", &input.text, TEXT_MAX, true)?;
    still_a_leaf(&db.read, reader, task_id).await?;
    let pending = report::Entity::find()
        .filter(report::Column::TaskId.eq(task_id))
        .filter(report::Column::Status.eq(ReportStatus::Pending.as_str()))
        .one(&db.read)
        .await?;
    if pending.is_some() {
        return Err(AppError::invalid("task", Problem::AwaitingEvaluation).into());
    }

    let stored = store.store_evidence(input.files).await?;
    let saved = save(
        db,
        reader,
        &task,
        progress,
        input.claims_completion,
        &text,
        key,
        &stored,
    )
    .await;
    match saved {
        Ok(id) => Ok(id),
        Err(error) => {
            store.remove_all(&stored).await;
            // The same form, sent twice at once: the other copy won.
            if let Failure::Database(db_error) = &error
                && matches!(
                    db_error.sql_err(),
                    Some(SqlErr::UniqueConstraintViolation(_))
                )
                && let Some(earlier) = report::Entity::find()
                    .filter(report::Column::SubmissionKey.eq(key))
                    .one(&db.read)
                    .await?
            {
                return Ok(earlier.id);
            }
            Err(error)
        }
    }
}

/// Refuses a report on a task with subtasks: its progress comes from them. Said only of
/// subtasks the reader sees: the answer about a task broken down into work above their
/// clearance does not tell that such work exists ("not found").
async fn still_a_leaf(db: &impl ConnectionTrait, reader: &Reader, task_id: i32) -> Outcome<()> {
    let subtask = task::Entity::find()
        .filter(task::Column::ParentId.eq(task_id))
        .one(db)
        .await?;
    if subtask.is_none() {
        return Ok(());
    }
    let seen = task::Entity::find()
        .filter(task::Column::ParentId.eq(task_id))
        .filter(super::access::visible_tasks(reader))
        .one(db)
        .await?;
    match seen {
        Some(_) => Err(AppError::invalid("task", Problem::HasSubtasks).into()),
        None => not_found(),
    }
}

async fn save(
    db: &Db,
    reader: &Reader,
    task: &task::Model,
    progress: i16,
    claims_completion: bool,
    text: &str,
    key: &str,
    files: &[super::evidence::StoredFile],
) -> Outcome<i32> {
    let now = Utc::now();
    let txn = db.begin_write().await?;
    // Checked again under the write lock: two reports sent at once do not both wait.
    let pending = report::Entity::find()
        .filter(report::Column::TaskId.eq(task.id))
        .filter(report::Column::Status.eq(ReportStatus::Pending.as_str()))
        .one(&txn)
        .await?;
    if pending.is_some() {
        return Err(AppError::invalid("task", Problem::AwaitingEvaluation).into());
    }
    // And the task may have been finished or broken down since it was read.
    let current = task::Entity::find_by_id(task.id)
        .one(&txn)
        .await?
        .ok_or(Failure::App(AppError::NotFound))?;
    if status_of(&current).is_closed() {
        return Err(AppError::invalid("task", Problem::Closed).into());
    }
    still_a_leaf(&txn, reader, task.id).await?;
    let saved = report::ActiveModel {
        task_id: Set(task.id),
        unit_id: Set(task.lead_unit_id),
        author_id: Set(reader.user_id),
        progress: Set(progress),
        claims_completion: Set(claims_completion),
        text: Set(text.to_owned()),
        status: Set(ReportStatus::Pending.as_str().to_owned()),
        submission_key: Set(key.to_owned()),
        created_at: Set(now),
        evaluator_id: Set(None),
        evaluated_at: Set(None),
        reason: Set(None),
        kind: Set(ReportKind::Progress.as_str().to_owned()),
        ..Default::default()
    }
    .insert(&txn)
    .await?;
    for file in files {
        attachment::ActiveModel {
            report_id: Set(saved.id),
            file_name: Set(file.file_name.clone()),
            content_type: Set(file.content_type.to_owned()),
            size: Set(file.size),
            sha256: Set(file.sha256.clone()),
            storage_key: Set(file.storage_key.clone()),
            created_at: Set(now),
            ..Default::default()
        }
        .insert(&txn)
        .await?;
    }
    super::entity::task_event::ActiveModel {
        task_id: Set(task.id),
        at: Set(now),
        actor_id: Set(Some(reader.user_id)),
        kind: Set("reported".to_owned()),
        detail: Set(json!({ "progress": progress, "files": files.len() }).to_string()),
        ..Default::default()
    }
    .insert(&txn)
    .await?;
    // The task (and those above it) is no longer quiet, and its unit has sent something;
    // the assigning unit's leaders have a report to decide.
    let today = today();
    super::dashboard::freshness::reported_up(&txn, &current, today).await?;
    super::dashboard::freshness::touched(
        &txn,
        current.lead_unit_id,
        &current.lead_path,
        current.document_id,
        current.classification,
        today,
    )
    .await?;
    super::periods::sent(&txn, &current, saved.id, now).await?;
    tell_task(
        &txn,
        NotificationKind::ReportAwaiting,
        Audience::AssignerLeaders,
        task.id,
        Some(saved.id),
        Some(reader.user_id),
        now,
    )
    .await?;
    txn.commit().await?;
    Ok(saved.id)
}

/// Accepts or returns a pending report. Leaders of the unit that assigned the task only,
/// and never the report's author. Accepting sets the task's progress and status and rolls
/// progress up the tree, in the same transaction; returning needs a reason. Returns the
/// task's id.
pub async fn evaluate(
    db: &Db,
    reader: &Reader,
    report_id: i32,
    verdict: Verdict,
    reason: &str,
) -> Outcome<i32> {
    let Some(found) = report::Entity::find_by_id(report_id).one(&db.read).await? else {
        return not_found();
    };
    let Some(task) = visible(&db.read, reader, found.task_id).await? else {
        return not_found();
    };
    if !reader.leads(task.assigner_unit_id) {
        return not_found();
    }
    if found.author_id == reader.user_id {
        return Err(AppError::invalid("report", Problem::OwnReport).into());
    }
    let reason = match verdict {
        Verdict::Return => Some(check_text("reason", reason, 2000, true)?),
        Verdict::Accept => None,
    };
    let kind: ReportKind = found.kind.parse().unwrap_or(ReportKind::Progress);
    let now = Utc::now();
    let txn = db.begin_write().await?;
    // Under the write lock: the task may have been finished, broken down, or had a
    // subtask reopened since the report was sent.
    let task = task::Entity::find_by_id(task.id)
        .one(&txn)
        .await?
        .ok_or(Failure::App(AppError::NotFound))?;
    // Decided or withdrawn meanwhile: the page was outdated.
    let still_pending = report::Entity::find_by_id(report_id)
        .filter(report::Column::Status.eq(ReportStatus::Pending.as_str()))
        .one(&txn)
        .await?
        .is_some();
    if !still_pending {
        return Err(AppError::Conflict.into());
    }
    if status_of(&task).is_closed() {
        return Err(AppError::invalid("task", Problem::Closed).into());
    }
    let subtasks: Vec<String> = task::Entity::find()
        .select_only()
        .column(task::Column::Status)
        .filter(task::Column::ParentId.eq(task.id))
        .filter(task::Column::Status.ne(TaskStatus::Cancelled.as_str()))
        .into_tuple()
        .all(&txn)
        .await?;
    let still_stands = match kind {
        ReportKind::Progress => subtasks.is_empty(),
        ReportKind::Completion => {
            !subtasks.is_empty()
                && subtasks
                    .iter()
                    .all(|s| s.parse().is_ok_and(|s: TaskStatus| s.is_done()))
        }
    };
    if !still_stands {
        // It can never be decided now: it leaves the evaluation queue.
        report::Entity::update_many()
            .col_expr(
                report::Column::Status,
                Expr::value(ReportStatus::Withdrawn.as_str()),
            )
            .filter(report::Column::Id.eq(report_id))
            .exec(&txn)
            .await?;
        txn.commit().await?;
        return Err(AppError::invalid("task", Problem::Changed).into());
    }
    let status = match verdict {
        Verdict::Accept => ReportStatus::Accepted,
        Verdict::Return => ReportStatus::Returned,
    };
    // Only a report still pending: two leaders deciding at once cannot both decide.
    let decided = report::Entity::update_many()
        .col_expr(report::Column::Status, Expr::value(status.as_str()))
        .col_expr(report::Column::EvaluatorId, Expr::value(reader.user_id))
        .col_expr(report::Column::EvaluatedAt, Expr::value(now))
        .col_expr(report::Column::Reason, Expr::value(reason.clone()))
        .filter(report::Column::Id.eq(report_id))
        .filter(report::Column::Status.eq(ReportStatus::Pending.as_str()))
        .exec(&txn)
        .await?;
    if decided.rows_affected == 0 {
        return Err(AppError::Conflict.into());
    }
    let (task_status, progress, completed_on, event) = match verdict {
        Verdict::Accept if found.claims_completion => {
            let day = today();
            (
                completion_status(day, super::work::from_naive(task.original_due())),
                100,
                Some(to_naive(day)),
                "accepted",
            )
        }
        Verdict::Accept => (
            if found.progress > 0 {
                TaskStatus::InProgress
            } else {
                TaskStatus::NotStarted
            },
            found.progress,
            None,
            "accepted",
        ),
        Verdict::Return => (
            TaskStatus::Returned,
            task.progress,
            task.completed_on,
            "returned",
        ),
    };
    task::Entity::update_many()
        .col_expr(task::Column::Status, Expr::value(task_status.as_str()))
        .col_expr(task::Column::Progress, Expr::value(progress))
        .col_expr(task::Column::CompletedOn, Expr::value(completed_on))
        .col_expr(task::Column::UpdatedAt, Expr::value(now))
        .filter(task::Column::Id.eq(task.id))
        .exec(&txn)
        .await?;
    super::entity::task_event::ActiveModel {
        task_id: Set(task.id),
        at: Set(now),
        actor_id: Set(Some(reader.user_id)),
        kind: Set(event.to_owned()),
        detail: Set(match &reason {
            Some(reason) => json!({ "report": report_id, "reason": reason }),
            None => json!({ "report": report_id, "progress": progress }),
        }
        .to_string()),
        ..Default::default()
    }
    .insert(&txn)
    .await?;
    if let Some(parent) = task.parent_id {
        roll_up(&txn, parent, reader.user_id).await?;
    }
    tell_task(
        &txn,
        match verdict {
            Verdict::Accept => NotificationKind::ReportAccepted,
            Verdict::Return => NotificationKind::ReportReturned,
        },
        Audience::LeadStaff,
        task.id,
        Some(report_id),
        Some(reader.user_id),
        now,
    )
    .await?;
    txn.commit().await?;
    Ok(task.id)
}

/// Keeps a task's completion request in step with its subtasks, in the caller's
/// transaction: when `wanted` (every subtask of a task assigned by another unit is done)
/// and none is pending, a completion report asks the assigning unit to accept it; when
/// no longer wanted, a pending one is withdrawn. The subtasks' reports are its evidence.
pub async fn ask_completion(
    txn: &DatabaseTransaction,
    task: &task::Model,
    wanted: bool,
    actor: i32,
) -> Outcome<()> {
    let pending = report::Entity::find()
        .filter(report::Column::TaskId.eq(task.id))
        .filter(report::Column::Kind.eq(ReportKind::Completion.as_str()))
        .filter(report::Column::Status.eq(ReportStatus::Pending.as_str()))
        .one(txn)
        .await?;
    let now = Utc::now();
    let event = match (wanted, pending) {
        (true, None) => {
            let request = report::ActiveModel {
                task_id: Set(task.id),
                unit_id: Set(task.lead_unit_id),
                author_id: Set(actor),
                progress: Set(100),
                claims_completion: Set(true),
                text: Set(String::new()),
                status: Set(ReportStatus::Pending.as_str().to_owned()),
                submission_key: Set(format!(
                    "completion-{}-{}",
                    task.id,
                    super::error::new_reference()
                )),
                created_at: Set(now),
                evaluator_id: Set(None),
                evaluated_at: Set(None),
                reason: Set(None),
                kind: Set(ReportKind::Completion.as_str().to_owned()),
                ..Default::default()
            }
            .insert(txn)
            .await?;
            // The assigning unit's leaders have a completion to decide.
            tell_task(
                txn,
                NotificationKind::ReportAwaiting,
                Audience::AssignerLeaders,
                task.id,
                Some(request.id),
                Some(actor),
                now,
            )
            .await?;
            "completion_requested"
        }
        (false, Some(request)) => {
            report::Entity::update_many()
                .col_expr(
                    report::Column::Status,
                    Expr::value(ReportStatus::Withdrawn.as_str()),
                )
                .filter(report::Column::Id.eq(request.id))
                .exec(txn)
                .await?;
            "completion_withdrawn"
        }
        _ => return Ok(()),
    };
    super::entity::task_event::ActiveModel {
        task_id: Set(task.id),
        at: Set(now),
        actor_id: Set(Some(actor)),
        kind: Set(event.to_owned()),
        detail: Set("{}".to_owned()),
        ..Default::default()
    }
    .insert(txn)
    .await?;
    Ok(())
}

/// A task's reports, newest first, with their files.
/// The task's reports, newest first, each with its author's id (`by_viewer` is left
/// false: the caller marks the reader's own).
pub async fn of_task(db: &Db, task_id: i32) -> Outcome<Vec<(ReportView, i32)>> {
    let reports = report::Entity::find()
        .filter(report::Column::TaskId.eq(task_id))
        .order_by_desc(report::Column::CreatedAt)
        .order_by_desc(report::Column::Id)
        .all(&db.read)
        .await?;
    if reports.is_empty() {
        return Ok(Vec::new());
    }
    let ids: Vec<i32> = reports.iter().map(|r| r.id).collect();
    let mut files: HashMap<i32, Vec<AttachmentView>> = HashMap::new();
    for file in attachment::Entity::find()
        .filter(attachment::Column::ReportId.is_in(ids))
        .order_by_asc(attachment::Column::Id)
        .all(&db.read)
        .await?
    {
        files
            .entry(file.report_id)
            .or_default()
            .push(AttachmentView {
                id: file.id,
                file_name: file.file_name,
                content_type: file.content_type,
                size: file.size,
            });
    }
    let people: Vec<i32> = reports
        .iter()
        .flat_map(|r| [Some(r.author_id), r.evaluator_id])
        .flatten()
        .collect();
    let names = super::users::full_names(db, people).await?;
    let unit_ids: Vec<i32> = reports.iter().map(|r| r.unit_id).collect();
    let units: HashMap<i32, unit::Model> = unit::Entity::find()
        .filter(unit::Column::Id.is_in(unit_ids))
        .all(&db.read)
        .await?
        .into_iter()
        .map(|u| (u.id, u))
        .collect();
    Ok(reports
        .into_iter()
        .filter_map(|r| {
            let view = ReportView {
                id: r.id,
                kind: r.kind.parse().unwrap_or(ReportKind::Progress),
                unit: unit_ref(units.get(&r.unit_id)?),
                author: names.get(&r.author_id).cloned().unwrap_or_default(),
                by_viewer: false,
                progress: r.progress,
                claims_completion: r.claims_completion,
                text: r.text,
                status: r.status.parse().unwrap_or(ReportStatus::Pending),
                created_at: r.created_at.timestamp(),
                evaluator: r.evaluator_id.and_then(|id| names.get(&id).cloned()),
                evaluated_at: r.evaluated_at.map(|t| t.timestamp()),
                reason: r.reason,
                attachments: files.remove(&r.id).unwrap_or_default(),
            };
            Some((view, r.author_id))
        })
        .collect())
}

/// An evidence file the reader may download: the task of its report must be visible.
pub async fn attachment_for(
    db: &Db,
    reader: &Reader,
    id: i32,
) -> Outcome<Option<(attachment::Model, i16)>> {
    let Some(file) = attachment::Entity::find_by_id(id).one(&db.read).await? else {
        return Ok(None);
    };
    let Some(found) = report::Entity::find_by_id(file.report_id)
        .one(&db.read)
        .await?
    else {
        return Ok(None);
    };
    Ok(visible(&db.read, reader, found.task_id)
        .await?
        .map(|task| (file, task.classification)))
}
