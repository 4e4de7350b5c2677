//! An official's notifications, read through the access rule: a notification about a
//! task, an indicator or a feedback item the reader may no longer see is neither shown
//! nor counted.
//!
//! A notification is addressed to an official or to a unit's audience (`notify`); its
//! reader's marks in `users` (`notices_after`, `read_through`) and their single reads
//! (`notification_reads`) say whether it is theirs and whether it is read.

use super::notify::audiences_of;
use crate::model::feedback::reference_code;
use crate::model::notification::{
    NotificationItem, NotificationKind, NotificationPage, NotifiedIndicator, NotifiedTask,
    ReminderRecord, Step,
};
use crate::model::{AppError, Classification};
use crate::server::access::{Reader, Shown, visible_indicators, visible_tasks};
use crate::server::db::Db;
use crate::server::entity::{
    feedback, indicator, notification, notification_read, task, task_reminder, user,
};
use crate::server::work::{Outcome, from_naive};
use chrono::Datelike;
use migration::tallies::OPEN;
use sea_orm::sea_query::{
    Condition, Expr, ExprTrait, OnConflict, Query, SimpleExpr, SubQueryStatement,
};
use sea_orm::{
    ActiveValue::Set, ColumnTrait, EntityTrait, JoinType, PaginatorTrait, QueryFilter, QueryOrder,
    QuerySelect, RelationTrait,
};
use std::collections::{HashMap, HashSet};

pub const PAGE_SIZE: u64 = 20;
use crate::model::notification::UNREAD_CAP as COUNT_CAP;

/// One of the reader's marks, read where the notifications are.
fn mark(reader: &Reader, column: user::Column) -> SimpleExpr {
    SimpleExpr::SubQuery(
        None,
        Box::new(SubQueryStatement::SelectStatement(
            Query::select()
                .column(column)
                .from(user::Entity)
                .and_where(Expr::col((user::Entity, user::Column::Id)).eq(reader.user_id))
                .to_owned(),
        )),
    )
}

/// The reader's notifications that they may see: addressed to them, or to an audience of
/// their unit they belong to since before it was sent (not of their own doing); its task
/// or indicator (if any) visible to them, its feedback item (if any) assigned within
/// their reach.
pub fn readable(reader: &Reader) -> sea_orm::Select<notification::Entity> {
    let id = || Expr::col((notification::Entity, notification::Column::Id));
    let mut addressed = Condition::any().add(notification::Column::UserId.eq(reader.user_id));
    let audiences = audiences_of(reader.role);
    if !audiences.is_empty() {
        addressed = addressed.add(
            Condition::all()
                .add(notification::Column::UnitId.eq(reader.unit_id))
                .add(notification::Column::Audience.is_in(audiences.iter().copied()))
                .add(
                    Condition::any()
                        .add(notification::Column::ExceptUserId.is_null())
                        .add(notification::Column::ExceptUserId.ne(reader.user_id)),
                )
                .add(id().gt(mark(reader, user::Column::NoticesAfter))),
        );
    }
    let mine = notification::Entity::find()
        .join(JoinType::LeftJoin, notification::Relation::Task.def())
        .join(JoinType::LeftJoin, notification::Relation::Indicator.def())
        .filter(addressed)
        .filter(notification::Column::Clearance.lte(reader.clearance))
        .filter(
            Condition::any()
                .add(Expr::col((notification::Entity, notification::Column::TaskId)).is_null())
                .add(visible_tasks(reader)),
        )
        .filter(
            Condition::any()
                .add(Expr::col((notification::Entity, notification::Column::IndicatorId)).is_null())
                .add(visible_indicators(reader)),
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

/// Of the reader's notifications, those they have not read.
fn unread(reader: &Reader) -> Condition {
    let id = || Expr::col((notification::Entity, notification::Column::Id));
    Condition::all()
        .add(id().gt(mark(reader, user::Column::ReadThrough)))
        .add(
            id().not_in_subquery(
                Query::select()
                    .column(notification_read::Column::NotificationId)
                    .from(notification_read::Entity)
                    .and_where(Expr::col(notification_read::Column::UserId).eq(reader.user_id))
                    .to_owned(),
            ),
        )
}

/// The newest notification written, for an official's marks.
pub async fn newest_id(db: &impl sea_orm::ConnectionTrait) -> Result<i64, sea_orm::DbErr> {
    Ok(notification::Entity::find()
        .select_only()
        .column(notification::Column::Id)
        .order_by_desc(notification::Column::Id)
        .into_tuple::<i64>()
        .one(db)
        .await?
        .unwrap_or_default())
}

/// How many unread notifications the reader may see, up to `COUNT_CAP`: kept while
/// neither generation moves (the official, their notifications and reads on one side;
/// the tasks and feedback that decide what they may see on the other), read since
/// `arrived`.
pub async fn unread_count(db: &Db, reader: &Reader, arrived: std::time::Instant) -> Outcome<u64> {
    let Some(generations) = crate::server::generation::both_since(db, arrived).await? else {
        return read_unread_count(db, reader).await;
    };
    let key = (reader.user_id, generations.figures);
    let count = db
        .kept
        .unread
        .get_or_read(Some(generations.accounts), key, || {
            read_unread_count(db, reader)
        })
        .await?;
    Ok(*count)
}

async fn read_unread_count(db: &Db, reader: &Reader) -> Outcome<u64> {
    let ids: Vec<i64> = readable(reader)
        .select_only()
        .column(notification::Column::Id)
        .filter(unread(reader))
        .limit(COUNT_CAP)
        .into_tuple()
        .all(&db.read)
        .await?;
    Ok(ids.len() as u64)
}

/// One page of the reader's notifications, newest first. `unread` is the count when it
/// was already taken for this request (the page's header).
pub async fn page(
    db: &Db,
    reader: &Reader,
    page: u64,
    unread: Option<u64>,
) -> Outcome<NotificationPage> {
    let page = Ord::max(page, 1);
    let total = readable(reader).count(&db.read).await?;
    let pages = Ord::max(total.div_ceil(PAGE_SIZE), 1);
    let rows = readable(reader)
        .order_by_desc(notification::Column::Id)
        .limit(PAGE_SIZE)
        .offset((page - 1) * PAGE_SIZE)
        .all(&db.read)
        .await?;
    // The newest is on the first page; another page asks for it.
    let newest = match (page, rows.first()) {
        (1, first) => first.map(|n| n.id),
        _ => {
            readable(reader)
                .select_only()
                .column(notification::Column::Id)
                .order_by_desc(notification::Column::Id)
                .into_tuple::<i64>()
                .one(&db.read)
                .await?
        }
    };
    let (items, shown) = items_of(db, reader, rows).await?;
    // Titles of classified tasks were shown: like every page that shows them, recorded.
    crate::server::access::audit_reads(db, reader, shown).await?;
    let unread = match unread {
        Some(unread) => unread,
        None => unread_count(db, reader, std::time::Instant::now()).await?,
    };
    Ok(NotificationPage {
        items,
        page,
        pages,
        unread,
        newest,
        reminder_days: None,
    })
}

/// Notifications as their reader sees them (rows already filtered by `readable`): with
/// the title of their task, the code of their feedback item, whether the reader read
/// them, and for a daily summary how many of the unit's tasks overdue that day the reader
/// may see and are still open; and the tasks they name, for the audit of classified reads.
pub async fn items_of(
    db: &Db,
    reader: &Reader,
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
    let indicator_ids: Vec<i32> = rows.iter().filter_map(|n| n.indicator_id).collect();
    let indicators: HashMap<i32, indicator::Model> = if indicator_ids.is_empty() {
        HashMap::new()
    } else {
        indicator::Entity::find()
            .filter(indicator::Column::Id.is_in(indicator_ids))
            .all(&db.read)
            .await?
            .into_iter()
            .map(|i| (i.id, i))
            .collect()
    };
    let read_through: i64 = user::Entity::find_by_id(reader.user_id)
        .select_only()
        .column(user::Column::ReadThrough)
        .into_tuple()
        .one(&db.read)
        .await?
        .unwrap_or_default();
    let above: Vec<i64> = rows
        .iter()
        .map(|n| n.id)
        .filter(|id| *id > read_through)
        .collect();
    let read: HashSet<i64> = if above.is_empty() {
        HashSet::new()
    } else {
        notification_read::Entity::find()
            .select_only()
            .column(notification_read::Column::NotificationId)
            .filter(notification_read::Column::UserId.eq(reader.user_id))
            .filter(notification_read::Column::NotificationId.is_in(above))
            .into_tuple::<i64>()
            .all(&db.read)
            .await?
            .into_iter()
            .collect()
    };
    // A daily summary is about the reader's own unit (addressed to it, or to them).
    let mut counts = HashMap::new();
    for day in rows.iter().filter_map(|n| n.day).collect::<HashSet<_>>() {
        counts.insert(day, overdue_on(db, reader, day).await?);
    }
    let shown = tasks
        .values()
        .map(|t| ("task", t.id, t.classification))
        .chain(
            indicators
                .values()
                .map(|i| ("indicator", i.id, i.classification)),
        )
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
                indicator: row
                    .indicator_id
                    .and_then(|id| indicators.get(&id))
                    .map(|i| NotifiedIndicator {
                        id: i.id,
                        name: i.name.clone(),
                        classified: i.classification > Classification::Internal.rank(),
                    }),
                step: row.step.as_deref().and_then(Step::parse),
                day: row.day.map(from_naive),
                count: row.day.and_then(|day| counts.get(&day).copied()),
                created_at: row.created_at.timestamp(),
                read: row.id <= read_through || read.contains(&row.id),
            })
        })
        .collect();
    Ok((items, shown))
}

/// How many tasks led by the reader's unit, overdue on `day`, are still open and within
/// the reader's clearance (a unit's own tasks are visible to its officials so cleared).
async fn overdue_on(
    db: &Db,
    reader: &Reader,
    day: chrono::NaiveDate,
) -> Result<i32, sea_orm::DbErr> {
    use sea_orm::{ConnectionTrait, Statement};
    let row = db
        .read
        .query_one_raw(Statement::from_sql_and_values(
            db.backend(),
            format!(
                "SELECT COUNT(*) AS n FROM tasks WHERE lead_unit_id = $1 AND status IN {OPEN} \
                 AND due_on < $2 AND classification <= $3"
            ),
            [reader.unit_id.into(), day.into(), reader.clearance.into()],
        ))
        .await?;
    let n: i64 = match row {
        Some(row) => row.try_get("", "n")?,
        None => 0,
    };
    Ok(i32::try_from(n).unwrap_or(i32::MAX))
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
    notification_read::Entity::insert(notification_read::ActiveModel {
        user_id: Set(reader.user_id),
        notification_id: Set(id),
    })
    .on_conflict(
        OnConflict::columns([
            notification_read::Column::UserId,
            notification_read::Column::NotificationId,
        ])
        .do_nothing()
        .to_owned(),
    )
    .exec_without_returning(&db.write)
    .await?;
    Ok(())
}

/// Marks read every notification of the reader up to `up_to` (the newest they were
/// shown), so that one arriving meanwhile stays unread. Returns how many were unread.
pub async fn mark_all_read(db: &Db, reader: &Reader, up_to: i64) -> Outcome<u64> {
    let up_to = Ord::min(up_to, newest_id(&db.read).await?);
    let marked = readable(reader)
        .filter(unread(reader))
        .filter(notification::Column::Id.lte(up_to))
        .count(&db.read)
        .await?;
    let txn = db.begin_write().await?;
    user::Entity::update_many()
        .col_expr(user::Column::ReadThrough, Expr::value(up_to))
        .filter(user::Column::Id.eq(reader.user_id))
        .filter(user::Column::ReadThrough.lt(up_to))
        .exec(&txn)
        .await?;
    // The single reads below the mark say nothing more.
    notification_read::Entity::delete_many()
        .filter(notification_read::Column::UserId.eq(reader.user_id))
        .filter(notification_read::Column::NotificationId.lte(up_to))
        .exec(&txn)
        .await?;
    txn.commit().await?;
    Ok(marked)
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
