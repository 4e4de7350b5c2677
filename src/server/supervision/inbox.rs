//! An official's notifications, read through the access rule: a notification about a
//! task or a feedback item the reader may no longer see is neither shown nor counted.

use crate::model::feedback::reference_code;
use crate::model::notification::{
    NotificationItem, NotificationKind, NotificationPage, NotifiedTask, ReminderRecord, Step,
};
use crate::model::{AppError, Classification};
use crate::server::access::{Reader, Shown, visible_tasks};
use crate::server::db::Db;
use crate::server::entity::{feedback, notification, task, task_reminder};
use crate::server::work::{Outcome, from_naive};
use chrono::{Datelike, Utc};
use sea_orm::sea_query::{Condition, Expr, ExprTrait};
use sea_orm::{
    ColumnTrait, EntityTrait, JoinType, PaginatorTrait, QueryFilter, QueryOrder, QuerySelect,
    RelationTrait,
};
use std::collections::HashMap;

pub const PAGE_SIZE: u64 = 20;
use crate::model::notification::UNREAD_CAP as COUNT_CAP;

/// The reader's notifications that they may see: its task (if any) visible to them, its
/// feedback item (if any) assigned within their reach.
pub fn readable(reader: &Reader) -> sea_orm::Select<notification::Entity> {
    let mine = notification::Entity::find()
        .join(JoinType::LeftJoin, notification::Relation::Task.def())
        .filter(notification::Column::UserId.eq(reader.user_id))
        .filter(
            Condition::any()
                .add(Expr::col((notification::Entity, notification::Column::TaskId)).is_null())
                .add(visible_tasks(reader)),
        );
    if reader.sees_all {
        // Every feedback item is within their reach.
        return mine;
    }
    mine.join(JoinType::LeftJoin, notification::Relation::Feedback.def())
        .filter(
            Condition::any()
                .add(Expr::col((notification::Entity, notification::Column::FeedbackId)).is_null())
                .add(crate::server::feedback::visible(reader)),
        )
}

/// How many unread notifications the reader may see, up to `COUNT_CAP`.
pub async fn unread_count(db: &Db, reader: &Reader) -> Result<u64, sea_orm::DbErr> {
    let ids: Vec<i64> = readable(reader)
        .select_only()
        .column(notification::Column::Id)
        .filter(notification::Column::ReadAt.is_null())
        .limit(COUNT_CAP)
        .into_tuple()
        .all(&db.read)
        .await?;
    Ok(ids.len() as u64)
}

/// One page of the reader's notifications, newest first.
pub async fn page(db: &Db, reader: &Reader, page: u64) -> Outcome<NotificationPage> {
    let page = Ord::max(page, 1);
    let total = readable(reader).count(&db.read).await?;
    let pages = Ord::max(total.div_ceil(PAGE_SIZE), 1);
    let rows = readable(reader)
        .order_by_desc(notification::Column::Id)
        .limit(PAGE_SIZE)
        .offset((page - 1) * PAGE_SIZE)
        .all(&db.read)
        .await?;
    let (items, shown) = items_of(db, rows).await?;
    // Titles of classified tasks were shown: like every page that shows them, recorded.
    crate::server::access::audit_reads(db, reader, shown).await?;
    let unread = unread_count(db, reader).await?;
    let newest = readable(reader)
        .select_only()
        .column(notification::Column::Id)
        .order_by_desc(notification::Column::Id)
        .into_tuple::<i64>()
        .one(&db.read)
        .await?;
    Ok(NotificationPage {
        items,
        page,
        pages,
        unread,
        newest,
    })
}

/// Notifications as their reader sees them: with the title of their task and the code of
/// their feedback item (rows already filtered by `readable`); and the tasks they name, for
/// the audit of classified reads.
pub async fn items_of(
    db: &Db,
    rows: Vec<notification::Model>,
) -> Result<(Vec<NotificationItem>, Vec<Shown>), sea_orm::DbErr> {
    let task_ids: Vec<i32> = rows.iter().filter_map(|n| n.task_id).collect();
    let tasks: HashMap<i32, task::Model> = if task_ids.is_empty() {
        HashMap::new()
    } else {
        task::Entity::find()
            .filter(task::Column::Id.is_in(task_ids))
            .all(&db.read)
            .await?
            .into_iter()
            .map(|t| (t.id, t))
            .collect()
    };
    let feedback_ids: Vec<i32> = rows.iter().filter_map(|n| n.feedback_id).collect();
    let codes: HashMap<i32, String> = if feedback_ids.is_empty() {
        HashMap::new()
    } else {
        feedback::Entity::find()
            .filter(feedback::Column::Id.is_in(feedback_ids))
            .all(&db.read)
            .await?
            .into_iter()
            .map(|f| (f.id, reference_code(f.created_at.year(), f.id)))
            .collect()
    };
    let shown = tasks
        .values()
        .map(|t| ("task", t.id, t.classification))
        .collect();
    let items = rows
        .into_iter()
        .filter_map(|row| {
            let kind: NotificationKind = row.kind.parse().ok()?;
            Some(NotificationItem {
                id: row.id,
                kind,
                task: row
                    .task_id
                    .and_then(|id| tasks.get(&id))
                    .map(|t| NotifiedTask {
                        id: t.id,
                        title: t.title.clone(),
                        due_on: from_naive(t.due_on),
                        classified: t.classification > Classification::Internal.rank(),
                    }),
                feedback_code: row.feedback_id.and_then(|id| codes.get(&id).cloned()),
                step: row.step.as_deref().and_then(Step::parse),
                day: row.day.map(from_naive),
                count: row.count,
                created_at: row.created_at.timestamp(),
                read: row.read_at.is_some(),
            })
        })
        .collect();
    Ok((items, shown))
}

/// Marks one of the reader's notifications read.
pub async fn mark_read(db: &Db, reader: &Reader, id: i64) -> Outcome<()> {
    let found = readable(reader)
        .filter(notification::Column::Id.eq(id))
        .one(&db.read)
        .await?;
    if found.is_none() {
        return Err(AppError::NotFound.into());
    }
    notification::Entity::update_many()
        .col_expr(notification::Column::ReadAt, Expr::value(Utc::now()))
        .filter(notification::Column::Id.eq(id))
        .filter(notification::Column::UserId.eq(reader.user_id))
        .filter(notification::Column::ReadAt.is_null())
        .exec(&db.write)
        .await?;
    Ok(())
}

/// Marks read every notification of the reader up to `up_to` (the newest they were
/// shown), so that one arriving meanwhile stays unread. Returns how many.
pub async fn mark_all_read(db: &Db, reader: &Reader, up_to: i64) -> Outcome<u64> {
    Ok(notification::Entity::update_many()
        .col_expr(notification::Column::ReadAt, Expr::value(Utc::now()))
        .filter(notification::Column::UserId.eq(reader.user_id))
        .filter(notification::Column::ReadAt.is_null())
        .filter(notification::Column::Id.lte(up_to))
        .exec(&db.write)
        .await?
        .rows_affected)
}

/// The reminders and escalations a task has had, oldest first (the caller has checked
/// that the reader may see the task).
pub async fn reminders_of(db: &Db, task_id: i32) -> Result<Vec<ReminderRecord>, sea_orm::DbErr> {
    Ok(task_reminder::Entity::find()
        .filter(task_reminder::Column::TaskId.eq(task_id))
        .order_by_asc(task_reminder::Column::Id)
        .all(&db.read)
        .await?
        .into_iter()
        .filter_map(|r| {
            Some(ReminderRecord {
                step: Step::parse(&r.step)?,
                reference: from_naive(r.reference),
                fired_at: r.fired_at.timestamp(),
            })
        })
        .collect())
}
