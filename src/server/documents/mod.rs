//! Documents: resolutions, directives, conclusions, regulations and plans.

mod figures;

use super::access::{Reader, View, path_in_range, visible_documents, visible_tasks};
use super::audit::{self, Action, Event};
use super::db::{Db, contains_pattern};
use super::entity::{document, indicator, task, unit};
use super::generation;
use super::work::{Failure, Outcome, from_naive, not_found, task_row, to_naive, today, unit_ref};
use crate::model::admin::page_count;
use crate::model::period::{Cycle, DEFAULT_CUT_OFF_DAY, Period};
use crate::model::task::{
    CODE_MAX, DOCUMENTS_PER_PAGE, DocumentDetail, DocumentFilter, DocumentKind, DocumentPage,
    DocumentStatus, DocumentSummary, TEXT_MAX, TITLE_MAX, TREE_LIMIT, TaskRow, check_line,
    check_text,
};
use crate::model::text::{fold, search_terms};
use crate::model::time::Day;
use crate::model::{AppError, Classification, Problem, Role};
use chrono::Utc;
use figures::figures;
use sea_orm::sea_query::{Expr, ExprTrait};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, Condition, ConnectionTrait, EntityTrait,
    PaginatorTrait, QueryFilter, QueryOrder, QuerySelect, SqlErr,
};
use std::collections::HashMap;

/// What a document form holds, as typed.
#[derive(Clone, Debug, Default)]
pub struct DocumentInput {
    pub code: String,
    pub kind: String,
    pub title: String,
    pub issuing_body: String,
    pub issued_on: String,
    pub summary: String,
    pub classification: String,
    /// `monthly`, `quarterly` (when empty), `six_monthly` or `yearly`.
    pub reporting_cycle: String,
    /// 1 to 31 (the 25th when empty).
    pub cut_off_day: String,
}

/// The input, checked.
struct CheckedDocument {
    code: String,
    kind: DocumentKind,
    title: String,
    issuing_body: String,
    issued_on: Day,
    summary: String,
    classification: Classification,
    cycle: Cycle,
    cut_off_day: u32,
}

fn check(input: &DocumentInput, reader: &Reader) -> Result<CheckedDocument, AppError> {
    let code = check_line("code", &input.code, CODE_MAX)?;
    let kind = input
        .kind
        .parse()
        .map_err(|_| AppError::invalid("kind", Problem::Unknown))?;
    let title = check_line("title", &input.title, TITLE_MAX)?;
    let issuing_body = check_line("issuing_body", &input.issuing_body, 200)?;
    let issued_on = Day::parse(&input.issued_on)
        .ok_or_else(|| AppError::invalid("issued_on", Problem::Malformed))?;
    let summary = check_text("summary", &input.summary, TEXT_MAX, false)?;
    let classification: Classification = input
        .classification
        .parse()
        .map_err(|_| AppError::invalid("classification", Problem::Unknown))?;
    // A document is never more secret than its owner may read.
    if classification.rank() > reader.clearance {
        return Err(AppError::invalid("classification", Problem::OutOfReach));
    }
    let cycle = match input.reporting_cycle.trim() {
        "" => Cycle::Quarterly,
        text => Cycle::parse(text)
            .ok_or_else(|| AppError::invalid("reporting_cycle", Problem::Unknown))?,
    };
    let cut_off_day = check_cut_off_day(&input.cut_off_day)?;
    Ok(CheckedDocument {
        code,
        kind,
        title,
        issuing_body,
        issued_on,
        summary,
        classification,
        cycle,
        cut_off_day,
    })
}

/// A cut-off day as typed: a day of the month, 1 to 31 (a shorter month's last day stands
/// for the days it lacks); the 25th when left empty.
fn check_cut_off_day(text: &str) -> Result<u32, AppError> {
    let text = text.trim();
    if text.is_empty() {
        return Ok(DEFAULT_CUT_OFF_DAY);
    }
    let day: i64 = text
        .parse()
        .map_err(|_| AppError::invalid("cut_off_day", Problem::Malformed))?;
    u32::try_from(day)
        .ok()
        .filter(|day| (1..=31).contains(day))
        .ok_or_else(|| AppError::invalid("cut_off_day", Problem::OutOfRange { min: 1, max: 31 }))
}

fn search_key(code: &str, title: &str, issuing_body: &str) -> String {
    fold(&format!("{code} {title} {issuing_body}"))
}

/// The unique form of a document's code: a unit registers a code once per classification.
/// Unique across the country, a code would tell an official who tries it that a document
/// they may not see holds it.
pub fn code_key(owner_unit_id: i32, classification: i16, code: &str) -> String {
    format!("{owner_unit_id}/{classification}/{code}")
}

/// Refuses a code that the owner unit already gave a document the reader can see (other
/// than `except`). A document they cannot see does not stop them: its key differs.
async fn check_code_free(
    db: &Db,
    reader: &Reader,
    owner_unit_id: i32,
    code: &str,
    except: Option<i32>,
) -> Outcome<()> {
    let mut query = document::Entity::find()
        .filter(document::Column::OwnerUnitId.eq(owner_unit_id))
        .filter(document::Column::Code.eq(code))
        .filter(visible_documents(reader));
    if let Some(id) = except {
        query = query.filter(document::Column::Id.ne(id));
    }
    if query.one(&db.read).await?.is_some() {
        return Err(AppError::invalid("code", Problem::Taken).into());
    }
    Ok(())
}

/// Only leaders register documents, for their own unit.
pub async fn create(db: &Db, reader: &Reader, input: &DocumentInput) -> Outcome<i32> {
    if reader.role != Role::Leader {
        return Err(AppError::Forbidden.into());
    }
    let checked = check(input, reader)?;
    let owner = unit::Entity::find_by_id(reader.unit_id)
        .one(&db.read)
        .await?
        .ok_or_else(|| Failure::Other(anyhow::anyhow!("the reader's unit is gone")))?;
    check_code_free(db, reader, owner.id, &checked.code, None).await?;
    let now = Utc::now();
    let txn = db.begin_write().await?;
    let created = document::ActiveModel {
        code_key: Set(code_key(
            owner.id,
            checked.classification.rank(),
            &checked.code,
        )),
        code: Set(checked.code.clone()),
        kind: Set(checked.kind.as_str().to_owned()),
        search_key: Set(search_key(
            &checked.code,
            &checked.title,
            &checked.issuing_body,
        )),
        title: Set(checked.title),
        issuing_body: Set(checked.issuing_body),
        issued_on: Set(to_naive(checked.issued_on)),
        summary: Set(checked.summary),
        classification: Set(checked.classification.rank()),
        reporting_cycle: Set(checked.cycle.as_str().to_owned()),
        cut_off_day: Set(i16::try_from(checked.cut_off_day).unwrap_or(25)),
        owner_unit_id: Set(owner.id),
        owner_path: Set(owner.path.clone()),
        status: Set(DocumentStatus::Active.as_str().to_owned()),
        version: Set(0),
        created_by: Set(reader.user_id),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    }
    .insert(&txn)
    .await
    .map_err(|e| match e.sql_err() {
        Some(SqlErr::UniqueConstraintViolation(_)) => {
            Failure::App(AppError::invalid("code", Problem::Taken))
        }
        _ => Failure::Database(e),
    })?;
    audit::record(
        &txn,
        Event::new(Action::DocumentCreated)
            .actor(Some(reader.user_id), &reader.username)
            .on("document", created.id)
            .classified(created.classification),
    )
    .await?;
    txn.commit().await?;
    Ok(created.id)
}

/// A document the reader may see, or `None`.
async fn visible(
    db: &impl ConnectionTrait,
    reader: &Reader,
    id: i32,
) -> Outcome<Option<document::Model>> {
    Ok(document::Entity::find_by_id(id)
        .filter(visible_documents(reader))
        .one(db)
        .await?)
}

/// Changes a document, if nobody changed it since `version` was read. Leaders of the
/// owner unit only.
pub async fn update(
    db: &Db,
    reader: &Reader,
    id: i32,
    version: i32,
    input: &DocumentInput,
) -> Outcome<()> {
    let Some(current) = visible(&db.read, reader, id).await? else {
        return not_found();
    };
    if !reader.leads(current.owner_unit_id) {
        return not_found();
    }
    let checked = check(input, reader)?;
    check_code_free(db, reader, current.owner_unit_id, &checked.code, Some(id)).await?;
    let txn = db.begin_write().await?;
    let updated = document::Entity::update_many()
        .col_expr(
            document::Column::CodeKey,
            Expr::value(code_key(
                current.owner_unit_id,
                checked.classification.rank(),
                &checked.code,
            )),
        )
        .col_expr(document::Column::Code, Expr::value(checked.code.clone()))
        .col_expr(document::Column::Kind, Expr::value(checked.kind.as_str()))
        .col_expr(
            document::Column::SearchKey,
            Expr::value(search_key(
                &checked.code,
                &checked.title,
                &checked.issuing_body,
            )),
        )
        .col_expr(document::Column::Title, Expr::value(checked.title))
        .col_expr(
            document::Column::IssuingBody,
            Expr::value(checked.issuing_body),
        )
        .col_expr(
            document::Column::IssuedOn,
            Expr::value(to_naive(checked.issued_on)),
        )
        .col_expr(document::Column::Summary, Expr::value(checked.summary))
        .col_expr(
            document::Column::ReportingCycle,
            Expr::value(checked.cycle.as_str()),
        )
        .col_expr(
            document::Column::CutOffDay,
            Expr::value(i16::try_from(checked.cut_off_day).unwrap_or(25)),
        )
        .col_expr(
            document::Column::Classification,
            Expr::value(checked.classification.rank()),
        )
        .col_expr(document::Column::UpdatedAt, Expr::value(Utc::now()))
        .col_expr(
            document::Column::Version,
            Expr::col(document::Column::Version).add(1),
        )
        .filter(document::Column::Id.eq(id))
        .filter(document::Column::Version.eq(version))
        .exec(&txn)
        .await
        .map_err(|e| match e.sql_err() {
            Some(SqlErr::UniqueConstraintViolation(_)) => {
                Failure::App(AppError::invalid("code", Problem::Taken))
            }
            _ => Failure::Database(e),
        })?;
    if updated.rows_affected == 0 {
        return Err(AppError::Conflict.into());
    }
    let raised = checked.classification.rank() > current.classification;
    audit::record(
        &txn,
        Event::new(Action::DocumentEdited)
            .actor(Some(reader.user_id), &reader.username)
            .on("document", id)
            .classified(Ord::max(
                current.classification,
                checked.classification.rank(),
            ))
            .detail(format!(
                "classification {} -> {}",
                super::work::classification_of(current.classification),
                checked.classification
            )),
    )
    .await?;
    if raised {
        raise_tasks(&txn, reader, id, checked.classification).await?;
    }
    txn.commit().await?;
    Ok(())
}

/// A document's classification is a floor for its tasks: raising the document raises
/// every task of it below the new level (and with each task its reports and evidence,
/// which are read under the task's classification), in the caller's transaction. Each
/// raised task's history and the audit log record it.
async fn raise_tasks(
    txn: &sea_orm::DatabaseTransaction,
    reader: &Reader,
    document_id: i32,
    level: Classification,
) -> Outcome<()> {
    let backend = txn.get_database_backend();
    let now = Utc::now();
    for below in Classification::ALL.iter().filter(|c| **c < level) {
        let change = serde_json::json!({ "classification": [below.as_str(), level.as_str()] });
        txn.execute_raw(sea_orm::Statement::from_sql_and_values(
            backend,
            "INSERT INTO task_events (task_id, at, actor_id, kind, detail) \
             SELECT id, $1, $2, 'edited', $3 FROM tasks \
             WHERE document_id = $4 AND classification = $5",
            [
                now.into(),
                reader.user_id.into(),
                change.to_string().into(),
                document_id.into(),
                below.rank().into(),
            ],
        ))
        .await?;
        txn.execute_raw(sea_orm::Statement::from_sql_and_values(
            backend,
            "INSERT INTO audit_events (at, actor_id, actor_name, action, object_type, \
             object_id, outcome, detail, unit_path, classification) \
             SELECT $1, $2, $3, $4, 'task', CAST(id AS TEXT), 'success', $5, $8, $9 FROM tasks \
             WHERE document_id = $6 AND classification = $7",
            [
                now.into(),
                reader.user_id.into(),
                reader.username.clone().into(),
                Action::ClassificationRaised.as_str().into(),
                format!(
                    "{} -> {} with document {document_id}",
                    below.as_str(),
                    level.as_str()
                )
                .into(),
                document_id.into(),
                below.rank().into(),
                reader.unit_path.clone().into(),
                level.rank().into(),
            ],
        ))
        .await?;
    }
    task::Entity::update_many()
        .col_expr(task::Column::Classification, Expr::value(level.rank()))
        .col_expr(task::Column::UpdatedAt, Expr::value(now))
        // An edit made from a page read before the raise is then a visible conflict.
        .col_expr(
            task::Column::Version,
            Expr::col(task::Column::Version).add(1),
        )
        .filter(task::Column::DocumentId.eq(document_id))
        .filter(task::Column::Classification.lt(level.rank()))
        .exec(txn)
        .await?;
    // Its indicators too: none is shown below the document's level.
    indicator::Entity::update_many()
        .col_expr(indicator::Column::Classification, Expr::value(level.rank()))
        .col_expr(indicator::Column::UpdatedAt, Expr::value(now))
        .filter(indicator::Column::DocumentId.eq(document_id))
        .filter(indicator::Column::Classification.lt(level.rank()))
        .exec(txn)
        .await?;
    // And what its units sent, which counts under the classification of what it was for.
    migration::freshness::recount_sent(txn, Some(document_id)).await?;
    Ok(())
}

/// The tasks of a document that a reader sees at the top of their part of its tree: the
/// document's top-level tasks, or, below the centre, the tasks assigned into their subtree.
pub fn topmost_tasks(reader: &Reader) -> Condition {
    let top = Expr::col((task::Entity, task::Column::ParentId)).is_null();
    let condition = Condition::all().add(visible_tasks(reader));
    if reader.sees_all {
        condition.add(top)
    } else {
        condition.add(
            Condition::any().add(top).add(
                path_in_range(
                    (task::Entity, task::Column::AssignerPath),
                    &reader.unit_path,
                )
                .not(),
            ),
        )
    }
}

fn summary(model: &document::Model, owner: &unit::Model, figures: (i16, u32)) -> DocumentSummary {
    let (cycle, cut_off_day) = model.reporting();
    DocumentSummary {
        id: model.id,
        code: model.code.clone(),
        kind: model.kind.parse().unwrap_or(DocumentKind::Resolution),
        title: model.title.clone(),
        issuing_body: model.issuing_body.clone(),
        issued_on: from_naive(model.issued_on),
        classification: super::work::classification_of(model.classification),
        status: model.status.parse().unwrap_or(DocumentStatus::Active),
        owner: unit_ref(owner),
        progress: figures.0,
        task_count: figures.1,
        cycle,
        cut_off_day,
    }
}

/// A page of the documents the reader may see, newest first.
pub async fn list(db: &Db, reader: &Reader, filter: &DocumentFilter) -> Outcome<DocumentPage> {
    let generation = generation::current(db).await?;
    let page = db
        .kept
        .document_lists
        .get_or_read(generation, (View::of(reader), filter.clone()), || {
            read_list(db, reader, filter)
        })
        .await?;
    super::access::audit_reads(
        db,
        reader,
        page.rows
            .iter()
            .map(|d| ("document", d.id, d.classification.rank())),
    )
    .await?;
    Ok(DocumentPage::clone(&page))
}

/// A page of the documents the reader may see, as the filter asks.
async fn read_list(db: &Db, reader: &Reader, filter: &DocumentFilter) -> Outcome<DocumentPage> {
    let mut condition = Condition::all().add(visible_documents(reader));
    if let Some(kind) = filter.kind {
        condition = condition.add(document::Column::Kind.eq(kind.as_str()));
    }
    if let Some(status) = filter.status {
        condition = condition.add(document::Column::Status.eq(status.as_str()));
    }
    if let Some(level) = filter.classification {
        condition = condition.add(document::Column::Classification.eq(level.rank()));
    }
    for term in search_terms(&filter.q) {
        condition = condition.add(
            Expr::col((document::Entity, document::Column::SearchKey))
                .like(contains_pattern(&term)),
        );
    }
    let query = document::Entity::find()
        .find_also_related(unit::Entity)
        .filter(condition);
    let total = u32::try_from(query.clone().count(&db.read).await?).unwrap_or(u32::MAX);
    let pages = page_count(total, DOCUMENTS_PER_PAGE);
    let page = filter.page.clamp(1, pages);
    let found = query
        .order_by_desc(document::Column::IssuedOn)
        .order_by_asc(document::Column::Id)
        .offset(u64::from((page - 1) * DOCUMENTS_PER_PAGE))
        .limit(u64::from(DOCUMENTS_PER_PAGE))
        .all(&db.read)
        .await?;
    let ids: Vec<i32> = found.iter().map(|(d, _)| d.id).collect();
    let figures = figures(db, reader, &ids).await?;
    let rows = found
        .iter()
        .filter_map(|(d, owner)| {
            let owner = owner.as_ref()?;
            Some(summary(
                d,
                owner,
                figures.get(&d.id).copied().unwrap_or((0, 0)),
            ))
        })
        .collect();
    Ok(DocumentPage {
        rows,
        total,
        page,
        pages,
    })
}

/// A document as a reader's view sees it, whoever leads it.
#[derive(Debug)]
pub struct SeenDocument {
    /// Not yet saying whether the reader may edit it.
    detail: DocumentDetail,
    owner_unit_id: i32,
}

/// A document and the visible part of its task tree, level by level from the top, up to
/// [`TREE_LIMIT`] tasks.
pub async fn detail(db: &Db, reader: &Reader, id: i32) -> Outcome<Option<DocumentDetail>> {
    let generation = generation::current(db).await?;
    let seen = db
        .kept
        .documents
        .get_or_read(generation, (id, View::of(reader), today()), || {
            read_detail(db, reader, id)
        })
        .await?;
    let Some(seen) = seen.as_ref() else {
        return Ok(None);
    };
    let mut detail = seen.detail.clone();
    super::access::audit_reads(
        db,
        reader,
        std::iter::once(("document", id, detail.summary.classification.rank())).chain(
            detail
                .tasks
                .iter()
                .map(|t| ("task", t.id, t.classification.rank())),
        ),
    )
    .await?;
    detail.can_edit = reader.leads(seen.owner_unit_id);
    detail.can_add_task = detail.can_edit;
    Ok(Some(detail))
}

async fn read_detail(db: &Db, reader: &Reader, id: i32) -> Outcome<Option<SeenDocument>> {
    let Some(model) = visible(&db.read, reader, id).await? else {
        return Ok(None);
    };
    let owner = unit::Entity::find_by_id(model.owner_unit_id)
        .one(&db.read)
        .await?
        .ok_or_else(|| Failure::Other(anyhow::anyhow!("document {id} has no owner")))?;
    let figures = figures(db, reader, &[id]).await?;
    let (tasks, more_tasks) = tree(db, reader, id).await?;
    Ok(Some(SeenDocument {
        detail: DocumentDetail {
            current_period: Period::containing(model.reporting().0, today()),
            summary: summary(&model, &owner, figures.get(&id).copied().unwrap_or((0, 0))),
            text: model.summary.clone(),
            version: model.version,
            tasks,
            more_tasks,
            can_edit: false,
            can_add_task: false,
        },
        owner_unit_id: model.owner_unit_id,
    }))
}

/// Visible tasks of a document in tree order: breadth first from the topmost ones until
/// the limit, then each parent followed by its children.
async fn tree(db: &Db, reader: &Reader, document_id: i32) -> Outcome<(Vec<TaskRow>, bool)> {
    let limit = u64::from(TREE_LIMIT);
    let mut levels: Vec<Vec<task::Model>> = Vec::new();
    let mut level = task::Entity::find()
        .filter(task::Column::DocumentId.eq(document_id))
        .filter(topmost_tasks(reader))
        .order_by_asc(task::Column::Id)
        .limit(limit + 1)
        .all(&db.read)
        .await?;
    let mut taken = 0u64;
    let mut more = false;
    while !level.is_empty() {
        let room = limit - taken;
        if level.len() as u64 > room {
            more = true;
            level.truncate(usize::try_from(room).unwrap_or(0));
        }
        taken += level.len() as u64;
        let ids: Vec<i32> = level.iter().map(|t| t.id).collect();
        levels.push(level);
        if taken >= limit {
            break;
        }
        level = task::Entity::find()
            .filter(task::Column::ParentId.is_in(ids))
            .filter(visible_tasks(reader))
            .order_by_asc(task::Column::Id)
            .limit(limit - taken + 1)
            .all(&db.read)
            .await?;
    }
    let all: Vec<task::Model> = levels.into_iter().flatten().collect();
    let rows = unaudited_rows(db, reader, all).await?;
    Ok((rows, more))
}

/// The tasks with these ids as a flat list (every row at depth 0), in the order given.
/// Lists pick their ids on an index first and read only the rows they show.
pub async fn rows_in_order(db: &Db, reader: &Reader, ids: &[i32]) -> Outcome<Vec<TaskRow>> {
    let rows = unaudited_rows_in_order(db, reader, ids).await?;
    audit_rows(db, reader, &rows).await?;
    Ok(rows)
}

/// The rows of `rows_in_order`, for a caller that keeps them and audits each time it
/// shows them.
pub async fn unaudited_rows_in_order(
    db: &Db,
    reader: &Reader,
    ids: &[i32],
) -> Outcome<Vec<TaskRow>> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let tasks = task::Entity::find()
        .filter(task::Column::Id.is_in(ids.iter().copied()))
        .all(&db.read)
        .await?;
    let mut rows = unaudited_rows(db, reader, tasks).await?;
    let order: HashMap<i32, usize> = ids.iter().enumerate().map(|(i, id)| (*id, i)).collect();
    rows.sort_by_key(|row| order.get(&row.id).copied().unwrap_or(usize::MAX));
    for row in &mut rows {
        row.depth = 0;
    }
    Ok(rows)
}

/// Audits the classified task rows about to be shown to the reader.
pub async fn audit_rows(db: &Db, reader: &Reader, rows: &[TaskRow]) -> Outcome<()> {
    super::access::audit_reads(
        db,
        reader,
        rows.iter().map(|t| ("task", t.id, t.classification.rank())),
    )
    .await?;
    Ok(())
}

/// Task rows with their lead units and visible child counts, each parent followed by its
/// children (in id order), for a caller that audits what it shows (`audit_rows`).
pub async fn unaudited_rows(
    db: &Db,
    reader: &Reader,
    tasks: Vec<task::Model>,
) -> Outcome<Vec<TaskRow>> {
    let ids: Vec<i32> = tasks.iter().map(|t| t.id).collect();
    let child_counts: HashMap<i32, u32> = if ids.is_empty() {
        HashMap::new()
    } else {
        task::Entity::find()
            .select_only()
            .column(task::Column::ParentId)
            .column_as(task::Column::Id.count(), "n")
            .filter(task::Column::ParentId.is_in(ids.clone()))
            .filter(visible_tasks(reader))
            .group_by(task::Column::ParentId)
            .into_tuple::<(Option<i32>, i64)>()
            .all(&db.read)
            .await?
            .into_iter()
            .filter_map(|(parent, n)| Some((parent?, u32::try_from(n).unwrap_or(u32::MAX))))
            .collect()
    };
    let unit_ids: Vec<i32> = tasks.iter().map(|t| t.lead_unit_id).collect();
    let units: HashMap<i32, unit::Model> = unit::Entity::find()
        .filter(unit::Column::Id.is_in(unit_ids))
        .all(&db.read)
        .await?
        .into_iter()
        .map(|u| (u.id, u))
        .collect();
    let present: std::collections::HashSet<i32> = ids.iter().copied().collect();
    // A row names its parent only when the reader may see it.
    let outside: Vec<i32> = tasks
        .iter()
        .filter_map(|t| t.parent_id)
        .filter(|p| !present.contains(p))
        .collect();
    let seen_parents = super::access::visible_task_ids(db, reader, outside).await?;
    let mut children: HashMap<Option<i32>, Vec<&task::Model>> = HashMap::new();
    for task in &tasks {
        // A task whose parent is not listed starts a branch of its own.
        let parent = task.parent_id.filter(|p| present.contains(p));
        children.entry(parent).or_default().push(task);
    }
    let today = today();
    let mut rows = Vec::with_capacity(tasks.len());
    let mut stack: Vec<&task::Model> = children.get(&None).cloned().unwrap_or_default();
    stack.reverse();
    while let Some(task) = stack.pop() {
        if let Some(lead) = units.get(&task.lead_unit_id) {
            let mut row = task_row(
                task,
                lead,
                child_counts.get(&task.id).copied().unwrap_or(0),
                today,
            );
            row.parent_id = row
                .parent_id
                .filter(|p| present.contains(p) || seen_parents.contains(p));
            rows.push(row);
        }
        if let Some(kids) = children.get(&Some(task.id)) {
            stack.extend(kids.iter().rev());
        }
    }
    Ok(rows)
}
