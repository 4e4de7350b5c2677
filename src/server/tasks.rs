//! Tasks: the breakdown tree under a document, cascades down the hierarchy, edits with
//! optimistic concurrency, and progress rolled up the tree.

use super::access::{Reader, own_unit_tasks, path_in_range, visible_documents, visible_tasks};
use super::db::Db;
use super::entity::{document, report, task, task_coordinator, task_event, unit};
use super::supervision::notify::{About, Audience, tell, tell_task};
use super::work::{
    Failure, Outcome, classification_of, from_naive, not_found, status_of, task_row, to_naive,
    today, unit_ref,
};
use crate::model::notification::NotificationKind;
use crate::model::task::{
    CHILDREN_LIMIT, CascadePreset, CascadeResult, DocumentRef, EventDetail, Priority, ReportKind,
    ReportStatus, TEXT_MAX, TITLE_MAX, TaskActions, TaskDetail, TaskEventView, TaskStatus,
    check_dates, check_line, check_text, check_weight, completion_status, weighted_progress,
};
use crate::model::time::Day;
use crate::model::{AppError, Classification, Problem, Role, UnitLevel, UnitRef};
use chrono::Utc;
use sea_orm::sea_query::{Expr, ExprTrait};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, DatabaseTransaction,
    EntityTrait, PaginatorTrait, QueryFilter, QueryOrder, QuerySelect,
};
use serde_json::json;
use std::collections::{BTreeMap, HashMap, HashSet};

/// What a task form holds, as typed.
#[derive(Clone, Debug, Default)]
pub struct TaskInput {
    pub title: String,
    pub description: String,
    pub expected_result: String,
    /// Unit code of the lead unit (ignored when editing: the lead unit stays).
    pub lead_unit: String,
    /// Unit codes, separated by commas or spaces.
    pub coordinators: String,
    pub start_on: String,
    pub due_on: String,
    pub priority: String,
    pub weight: i32,
    pub classification: String,
    /// A key task ("nhiệm vụ trọng tâm").
    pub is_key: bool,
    /// Why the due date moves (editing only; required when it does).
    pub due_reason: String,
}

struct CheckedTask {
    title: String,
    description: String,
    expected_result: String,
    coordinators: Vec<unit::Model>,
    start_on: Day,
    due_on: Day,
    priority: Priority,
    weight: i32,
    classification: Classification,
}

/// Checks a task's fields. `floor` is the lowest classification allowed: the document's,
/// or the parent task's.
async fn check(
    db: &Db,
    reader: &Reader,
    input: &TaskInput,
    floor: i16,
    floor_is_document: bool,
) -> Outcome<CheckedTask> {
    let title = check_line("title", &input.title, TITLE_MAX)?;
    let description = check_text("description", &input.description, TEXT_MAX, false)?;
    let expected_result = check_text("expected_result", &input.expected_result, TEXT_MAX, false)?;
    let (start_on, due_on) = check_dates(&input.start_on, &input.due_on)?;
    let priority: Priority = input
        .priority
        .parse()
        .map_err(|_| AppError::invalid("priority", Problem::Unknown))?;
    let weight = check_weight(input.weight)?;
    let classification: Classification = input
        .classification
        .parse()
        .map_err(|_| AppError::invalid("classification", Problem::Unknown))?;
    if classification.rank() < floor {
        let problem = if floor_is_document {
            Problem::BelowDocument
        } else {
            Problem::OutOfRange {
                min: i32::from(floor),
                max: 4,
            }
        };
        return Err(AppError::invalid("classification", problem).into());
    }
    if classification.rank() > reader.clearance {
        return Err(AppError::invalid("classification", Problem::OutOfReach).into());
    }
    let codes: Vec<&str> = input
        .coordinators
        .split(|c: char| c == ',' || c.is_whitespace())
        .filter(|c| !c.is_empty())
        .collect();
    if codes.len() > 50 {
        return Err(AppError::invalid("coordinators", Problem::TooMany { max: 50 }).into());
    }
    // A coordinating unit sees the task, its reports and its evidence: sharing work is
    // an assignment, which only leaders make.
    if !codes.is_empty() && reader.role != Role::Leader {
        return Err(AppError::invalid("coordinators", Problem::OutOfReach).into());
    }
    let coordinators = if codes.is_empty() {
        Vec::new()
    } else {
        let found = unit::Entity::find()
            .filter(unit::Column::Code.is_in(codes.iter().map(|c| (*c).to_owned())))
            .all(&db.read)
            .await?;
        if found.len() != codes.iter().collect::<HashSet<_>>().len() {
            return Err(AppError::invalid("coordinators", Problem::Unknown).into());
        }
        // Within the leader's own subtree, or anywhere for a unit that oversees the country.
        if found.iter().any(|u| !reader.oversees(&u.path)) {
            return Err(AppError::invalid("coordinators", Problem::OutOfReach).into());
        }
        found
    };
    Ok(CheckedTask {
        title,
        description,
        expected_result,
        coordinators,
        start_on,
        due_on,
        priority,
        weight,
        classification,
    })
}

/// A unit by code, which must lie in the reader's subtree.
async fn unit_in_reach(db: &Db, reader: &Reader, field: &str, code: &str) -> Outcome<unit::Model> {
    let code = code.trim();
    if code.is_empty() {
        return Err(AppError::invalid(field, Problem::Required).into());
    }
    let found = unit::Entity::find()
        .filter(unit::Column::Code.eq(code))
        .one(&db.read)
        .await?
        .ok_or_else(|| AppError::invalid(field, Problem::Unknown))?;
    if !reader.reaches(&found.path) {
        return Err(AppError::invalid(field, Problem::OutOfReach).into());
    }
    Ok(found)
}

/// A task the reader may see.
pub async fn visible(
    db: &impl ConnectionTrait,
    reader: &Reader,
    id: i32,
) -> Outcome<Option<task::Model>> {
    Ok(task::Entity::find_by_id(id)
        .filter(visible_tasks(reader))
        .one(db)
        .await?)
}

pub(crate) async fn record_event(
    txn: &DatabaseTransaction,
    task_id: i32,
    actor: i32,
    kind: &str,
    detail: serde_json::Value,
) -> Outcome<()> {
    task_event::ActiveModel {
        task_id: Set(task_id),
        at: Set(Utc::now()),
        actor_id: Set(Some(actor)),
        kind: Set(kind.to_owned()),
        detail: Set(detail.to_string()),
        ..Default::default()
    }
    .insert(txn)
    .await?;
    Ok(())
}

/// Creates a task: a top-level task of a document (leaders of the document's owner unit),
/// or a subtask that breaks a task down (officers and leaders of the parent's lead unit).
pub async fn create(
    db: &Db,
    reader: &Reader,
    document_id: i32,
    parent_id: Option<i32>,
    input: &TaskInput,
) -> Outcome<i32> {
    let Some(doc) = document::Entity::find_by_id(document_id)
        .filter(visible_documents(reader))
        .one(&db.read)
        .await?
    else {
        return not_found();
    };
    let (assigner_id, depth, root, floor, floor_is_document) = match parent_id {
        None => {
            if !reader.leads(doc.owner_unit_id) {
                return not_found();
            }
            (doc.owner_unit_id, 0, None, doc.classification, true)
        }
        Some(parent_id) => {
            let Some(parent) = visible(&db.read, reader, parent_id).await? else {
                return not_found();
            };
            if parent.document_id != document_id {
                return not_found();
            }
            if !reader.works_for(parent.lead_unit_id) {
                return not_found();
            }
            if status_of(&parent).is_closed() {
                return Err(AppError::invalid("task", Problem::Closed).into());
            }
            // Officers break a task down within their own unit; giving part of it to a
            // unit below is an assignment, which only leaders make.
            if reader.role != Role::Leader && input.lead_unit.trim() != reader.unit_code {
                return Err(AppError::invalid("lead_unit", Problem::OutOfReach).into());
            }
            (
                parent.lead_unit_id,
                parent.depth + 1,
                parent.root_id,
                parent.classification,
                false,
            )
        }
    };
    let checked = check(db, reader, input, floor, floor_is_document).await?;
    let lead = unit_in_reach(db, reader, "lead_unit", &input.lead_unit).await?;
    let assigner = unit::Entity::find_by_id(assigner_id)
        .one(&db.read)
        .await?
        .ok_or_else(|| Failure::Other(anyhow::anyhow!("unit {assigner_id} is gone")))?;

    let now = Utc::now();
    let txn = db.begin_write().await?;
    below_floor(&txn, document_id, parent_id, checked.classification).await?;
    let created = task::ActiveModel {
        document_id: Set(document_id),
        parent_id: Set(parent_id),
        root_id: Set(root),
        depth: Set(depth),
        title: Set(checked.title.clone()),
        description: Set(checked.description),
        expected_result: Set(checked.expected_result),
        lead_unit_id: Set(lead.id),
        lead_path: Set(lead.path.clone()),
        assigner_unit_id: Set(assigner.id),
        assigner_path: Set(assigner.path.clone()),
        start_on: Set(to_naive(checked.start_on)),
        due_on: Set(to_naive(checked.due_on)),
        priority: Set(checked.priority.rank()),
        weight: Set(checked.weight),
        classification: Set(checked.classification.rank()),
        status: Set(TaskStatus::NotStarted.as_str().to_owned()),
        progress: Set(0),
        completed_on: Set(None),
        is_key: Set(input.is_key),
        version: Set(0),
        created_by: Set(reader.user_id),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    }
    .insert(&txn)
    .await?;
    if root.is_none() {
        task::Entity::update_many()
            .col_expr(task::Column::RootId, Expr::value(created.id))
            .filter(task::Column::Id.eq(created.id))
            .exec(&txn)
            .await?;
    }
    set_coordinators(&txn, created.id, &checked.coordinators).await?;
    record_event(
        &txn,
        created.id,
        reader.user_id,
        "created",
        json!({ "lead": lead.code, "title": checked.title }),
    )
    .await?;
    if let Some(parent_id) = parent_id {
        record_event(
            &txn,
            parent_id,
            reader.user_id,
            "broken_down",
            json!({ "subtask": created.id, "lead": lead.code }),
        )
        .await?;
        // Its progress now comes from its subtasks: a report still awaiting evaluation
        // no longer stands.
        let withdrawn = report::Entity::update_many()
            .col_expr(
                report::Column::Status,
                Expr::value(ReportStatus::Withdrawn.as_str()),
            )
            .filter(report::Column::TaskId.eq(parent_id))
            .filter(report::Column::Kind.eq(ReportKind::Progress.as_str()))
            .filter(report::Column::Status.eq(ReportStatus::Pending.as_str()))
            .exec(&txn)
            .await?;
        if withdrawn.rows_affected > 0 {
            record_event(
                &txn,
                parent_id,
                reader.user_id,
                "report_withdrawn",
                json!({}),
            )
            .await?;
        }
        roll_up(&txn, parent_id, reader.user_id).await?;
    }
    tell_task(
        &txn,
        NotificationKind::TaskAssigned,
        Audience::LeadStaff,
        created.id,
        None,
        Some(reader.user_id),
        now,
    )
    .await?;
    txn.commit().await?;
    Ok(created.id)
}

/// Refuses a classification below the floor as it is now, in the caller's transaction:
/// the document's and the parent's classification, their rows locked (on PostgreSQL; a
/// SQLite write transaction holds the whole database), so that a document raised
/// meanwhile cannot leave a task of it below its level.
async fn below_floor(
    txn: &DatabaseTransaction,
    document_id: i32,
    parent_id: Option<i32>,
    classification: Classification,
) -> Outcome<()> {
    let document = document::Entity::find_by_id(document_id)
        .lock_exclusive()
        .one(txn)
        .await?
        .map_or(0, |d| d.classification);
    let parent = match parent_id {
        Some(id) => task::Entity::find_by_id(id)
            .lock_exclusive()
            .one(txn)
            .await?
            .map_or(0, |t| t.classification),
        None => 0,
    };
    if classification.rank() < Ord::max(document, parent) {
        return Err(AppError::invalid("classification", Problem::BelowDocument).into());
    }
    Ok(())
}

async fn set_coordinators(
    txn: &DatabaseTransaction,
    task_id: i32,
    units: &[unit::Model],
) -> Outcome<()> {
    task_coordinator::Entity::delete_many()
        .filter(task_coordinator::Column::TaskId.eq(task_id))
        .exec(txn)
        .await?;
    if units.is_empty() {
        return Ok(());
    }
    task_coordinator::Entity::insert_many(units.iter().map(|u| task_coordinator::ActiveModel {
        task_id: Set(task_id),
        unit_id: Set(u.id),
        unit_path: Set(u.path.clone()),
    }))
    .exec_without_returning(txn)
    .await?;
    Ok(())
}

/// Changes a task's content, if nobody changed it since `version` was read. Officers and
/// leaders of the assigning unit only; the lead unit stays.
pub async fn update(
    db: &Db,
    reader: &Reader,
    id: i32,
    version: i32,
    input: &TaskInput,
) -> Outcome<()> {
    let Some(current) = visible(&db.read, reader, id).await? else {
        return not_found();
    };
    // Dates, weight, classification and coordinating units are the assignment: the
    // assigning unit's leaders change them.
    if !reader.leads(current.assigner_unit_id) {
        return not_found();
    }
    // An outdated form is a conflict before anything in it is judged (the update below
    // checks the version again, against a change committed meanwhile).
    if current.version != version {
        return Err(AppError::Conflict.into());
    }
    let (floor, floor_is_document) = match current.parent_id {
        Some(parent) => (
            task::Entity::find_by_id(parent)
                .one(&db.read)
                .await?
                .map_or(0, |p| p.classification),
            false,
        ),
        None => (
            document::Entity::find_by_id(current.document_id)
                .one(&db.read)
                .await?
                .map_or(0, |d| d.classification),
            true,
        ),
    };
    let checked = check(db, reader, input, floor, floor_is_document).await?;
    let old_coordinators: Vec<String> = coordinator_units(&db.read, id)
        .await?
        .into_iter()
        .map(|u| u.code)
        .collect();
    let new_coordinators: Vec<String> = checked
        .coordinators
        .iter()
        .map(|u| u.code.clone())
        .collect();

    let mut changes = BTreeMap::new();
    let mut note = |field: &str, before: String, after: String| {
        if before != after {
            changes.insert(field.to_owned(), json!([before, after]));
        }
    };
    note("title", current.title.clone(), checked.title.clone());
    note(
        "description",
        current.description.clone(),
        checked.description.clone(),
    );
    note(
        "expected_result",
        current.expected_result.clone(),
        checked.expected_result.clone(),
    );
    note(
        "start_on",
        from_naive(current.start_on).iso(),
        checked.start_on.iso(),
    );
    note(
        "due_on",
        from_naive(current.due_on).iso(),
        checked.due_on.iso(),
    );
    note(
        "priority",
        Priority::from_rank(current.priority).to_string(),
        checked.priority.to_string(),
    );
    note(
        "weight",
        current.weight.to_string(),
        checked.weight.to_string(),
    );
    note(
        "classification",
        classification_of(current.classification).to_string(),
        checked.classification.to_string(),
    );
    note(
        "coordinators",
        old_coordinators.join(", "),
        new_coordinators.join(", "),
    );
    note("key", current.is_key.to_string(), input.is_key.to_string());
    let due_moved = to_naive(checked.due_on) != current.due_on;
    let due_reason = if due_moved {
        check_text(
            "due_reason",
            &input.due_reason,
            crate::model::deadline::REASON_MAX,
            true,
        )?
    } else {
        String::new()
    };

    let txn = db.begin_write().await?;
    below_floor(
        &txn,
        current.document_id,
        current.parent_id,
        checked.classification,
    )
    .await?;
    let updated = task::Entity::update_many()
        .col_expr(task::Column::Title, Expr::value(checked.title))
        .col_expr(task::Column::Description, Expr::value(checked.description))
        .col_expr(
            task::Column::ExpectedResult,
            Expr::value(checked.expected_result),
        )
        .col_expr(
            task::Column::StartOn,
            Expr::value(to_naive(checked.start_on)),
        )
        .col_expr(task::Column::DueOn, Expr::value(to_naive(checked.due_on)))
        .col_expr(
            task::Column::OriginalDueOn,
            if due_moved {
                super::deadlines::original_due_kept()
            } else {
                Expr::col(task::Column::OriginalDueOn)
            },
        )
        .col_expr(task::Column::IsKey, Expr::value(input.is_key))
        .col_expr(task::Column::Priority, Expr::value(checked.priority.rank()))
        .col_expr(task::Column::Weight, Expr::value(checked.weight))
        .col_expr(
            task::Column::Classification,
            Expr::value(checked.classification.rank()),
        )
        .col_expr(task::Column::UpdatedAt, Expr::value(Utc::now()))
        .col_expr(
            task::Column::Version,
            Expr::col(task::Column::Version).add(1),
        )
        .filter(task::Column::Id.eq(id))
        .filter(task::Column::Version.eq(version))
        .exec(&txn)
        .await?;
    if updated.rows_affected == 0 {
        return Err(AppError::Conflict.into());
    }
    if due_moved {
        super::deadlines::record_move(
            &txn,
            reader,
            &current,
            to_naive(checked.due_on),
            &due_reason,
        )
        .await?;
    }
    set_coordinators(&txn, id, &checked.coordinators).await?;
    if checked.classification.rank() > current.classification {
        raise_descendants(&txn, id, checked.classification.rank()).await?;
    }
    if checked.classification.rank() != current.classification {
        // What its units sent counts under the task's classification.
        migration::freshness::recount_sent(&txn, Some(current.document_id)).await?;
    }
    if !changes.is_empty() {
        record_event(&txn, id, reader.user_id, "edited", json!(changes)).await?;
    }
    if current.weight != checked.weight
        && let Some(parent) = current.parent_id
    {
        roll_up(&txn, parent, reader.user_id).await?;
    }
    txn.commit().await?;
    Ok(())
}

/// Keeps every subtask at least as secret as its task.
async fn raise_descendants(txn: &DatabaseTransaction, id: i32, rank: i16) -> Outcome<()> {
    let mut level = vec![id];
    while !level.is_empty() {
        let children: Vec<i32> = task::Entity::find()
            .select_only()
            .column(task::Column::Id)
            .filter(task::Column::ParentId.is_in(level.clone()))
            .into_tuple()
            .all(txn)
            .await?;
        if children.is_empty() {
            break;
        }
        task::Entity::update_many()
            .col_expr(task::Column::Classification, Expr::value(rank))
            .filter(task::Column::Id.is_in(children.clone()))
            .filter(task::Column::Classification.lt(rank))
            .exec(txn)
            .await?;
        level = children;
    }
    Ok(())
}

async fn coordinator_units(db: &impl ConnectionTrait, task_id: i32) -> Outcome<Vec<unit::Model>> {
    let ids: Vec<i32> = task_coordinator::Entity::find()
        .select_only()
        .column(task_coordinator::Column::UnitId)
        .filter(task_coordinator::Column::TaskId.eq(task_id))
        .into_tuple()
        .all(db)
        .await?;
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    Ok(unit::Entity::find()
        .filter(unit::Column::Id.is_in(ids))
        .order_by_asc(unit::Column::Id)
        .all(db)
        .await?)
}

/// Which units a cascade goes to.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum CascadeTargets {
    /// Units by code, each strictly below the task's lead unit.
    Units(Vec<String>),
    /// Every unit directly under the lead unit.
    Children,
    /// Every commune under the lead unit.
    AllCommunes,
}

/// Gives each target unit its own child task of `id`, in one transaction. Units that
/// already have one are skipped, so a repeated cascade adds nothing twice.
pub async fn cascade(
    db: &Db,
    reader: &Reader,
    id: i32,
    targets: &CascadeTargets,
) -> Outcome<CascadeResult> {
    let Some(parent) = visible(&db.read, reader, id).await? else {
        return not_found();
    };
    // A cascade assigns the task to units below: the lead unit's leaders decide it.
    if !reader.leads(parent.lead_unit_id) {
        return not_found();
    }
    if status_of(&parent).is_closed() {
        return Err(AppError::invalid("task", Problem::Closed).into());
    }
    let below = path_in_range((unit::Entity, unit::Column::Path), &parent.lead_path)
        .add(unit::Column::Id.ne(parent.lead_unit_id));
    let units: Vec<(i32, String)> = match targets {
        CascadeTargets::Units(codes) => {
            let codes: HashSet<&str> = codes
                .iter()
                .map(|c| c.trim())
                .filter(|c| !c.is_empty())
                .collect();
            if codes.is_empty() {
                return Err(AppError::invalid("units", Problem::Required).into());
            }
            let found: Vec<unit::Model> = unit::Entity::find()
                .filter(unit::Column::Code.is_in(codes.iter().map(|c| (*c).to_owned())))
                .all(&db.read)
                .await?;
            if found.len() != codes.len() {
                return Err(AppError::invalid("units", Problem::Unknown).into());
            }
            if found.iter().any(|u| {
                !super::access::path_in_subtree(&u.path, &parent.lead_path)
                    || u.id == parent.lead_unit_id
            }) {
                return Err(AppError::invalid("units", Problem::OutOfReach).into());
            }
            found.into_iter().map(|u| (u.id, u.path)).collect()
        }
        CascadeTargets::Children => {
            unit::Entity::find()
                .select_only()
                .column(unit::Column::Id)
                .column(unit::Column::Path)
                .filter(unit::Column::ParentId.eq(parent.lead_unit_id))
                .into_tuple()
                .all(&db.read)
                .await?
        }
        CascadeTargets::AllCommunes => {
            unit::Entity::find()
                .select_only()
                .column(unit::Column::Id)
                .column(unit::Column::Path)
                .filter(below)
                .filter(unit::Column::Level.eq(UnitLevel::Commune.as_str()))
                .into_tuple()
                .all(&db.read)
                .await?
        }
    };
    if units.is_empty() {
        return Err(AppError::invalid("units", Problem::Required).into());
    }

    let txn = db.begin_write().await?;
    // The copies take the parent's classification as it is now: a document raised since
    // the parent was read has raised it.
    let parent = task::Entity::find_by_id(id)
        .lock_exclusive()
        .one(&txn)
        .await?
        .ok_or(Failure::App(AppError::NotFound))?;
    if status_of(&parent).is_closed() {
        return Err(AppError::invalid("task", Problem::Closed).into());
    }
    // Read inside the transaction (which holds the write lock): a cascade running at the
    // same moment cannot add the same units twice.
    let existing: HashMap<i32, i16> = task::Entity::find()
        .select_only()
        .column(task::Column::LeadUnitId)
        .column(task::Column::Classification)
        .filter(task::Column::ParentId.eq(id))
        .into_tuple::<(i32, i16)>()
        .all(&txn)
        .await?
        .into_iter()
        .collect();
    // Units that already have a copy: skipped when the leader may see it. A copy raised
    // above their clearance counts among the units reached, as if it had been made now:
    // neither figure of the answer may tell that it exists.
    let (skipped, hidden) =
        units.iter().fold((0, 0), |(seen, hidden), (unit_id, _)| {
            match existing.get(unit_id) {
                Some(rank) if *rank <= reader.clearance => (seen + 1, hidden),
                Some(_) => (seen, hidden + 1),
                None => (seen, hidden),
            }
        });
    let now = Utc::now();
    let root = parent.root_id.unwrap_or(parent.id);
    let fresh: Vec<&(i32, String)> = units
        .iter()
        .filter(|(unit_id, _)| !existing.contains_key(unit_id))
        .collect();
    // The new tasks are counted into the dashboards' tallies in one statement a tally
    // rather than by the triggers, one task at a time.
    let last_before: i32 = task::Entity::find()
        .select_only()
        .column_as(
            Expr::from(sea_orm::sea_query::Func::max(Expr::col(task::Column::Id))),
            "last",
        )
        .into_tuple::<Option<i32>>()
        .one(&txn)
        .await?
        .flatten()
        .unwrap_or(0);
    super::tallies::pause(&txn, true).await?;
    for chunk in fresh.chunks(400) {
        task::Entity::insert_many(chunk.iter().map(|(unit_id, path)| task::ActiveModel {
            document_id: Set(parent.document_id),
            parent_id: Set(Some(parent.id)),
            root_id: Set(Some(root)),
            depth: Set(parent.depth + 1),
            title: Set(parent.title.clone()),
            description: Set(parent.description.clone()),
            expected_result: Set(parent.expected_result.clone()),
            lead_unit_id: Set(*unit_id),
            lead_path: Set(path.clone()),
            assigner_unit_id: Set(parent.lead_unit_id),
            assigner_path: Set(parent.lead_path.clone()),
            start_on: Set(parent.start_on),
            due_on: Set(parent.due_on),
            priority: Set(parent.priority),
            weight: Set(1),
            classification: Set(parent.classification),
            status: Set(TaskStatus::NotStarted.as_str().to_owned()),
            progress: Set(0),
            completed_on: Set(None),
            // A key task stays key all the way down.
            is_key: Set(parent.is_key),
            version: Set(0),
            created_by: Set(reader.user_id),
            created_at: Set(now),
            updated_at: Set(now),
            ..Default::default()
        }))
        .exec_without_returning(&txn)
        .await?;
    }
    let created = u32::try_from(fresh.len()).unwrap_or(u32::MAX);
    if created > 0 {
        // Each new task's history starts with where it came from.
        let backend = txn.get_database_backend();
        txn.execute_raw(sea_orm::Statement::from_sql_and_values(
            backend,
            "INSERT INTO task_events (task_id, at, actor_id, kind, detail) \
             SELECT id, $1, $2, 'created', $3 FROM tasks WHERE parent_id = $4 AND created_at = $1",
            [
                now.into(),
                reader.user_id.into(),
                json!({ "cascaded_from": parent.id }).to_string().into(),
                parent.id.into(),
            ],
        ))
        .await?;
        // The range of the new tasks' ids: the history tells each reader how many of
        // them they may see, not how many there are.
        let (first, last): (Option<i32>, Option<i32>) = task::Entity::find()
            .select_only()
            .column_as(task::Column::Id.min(), "first")
            .column_as(task::Column::Id.max(), "last")
            .filter(task::Column::ParentId.eq(parent.id))
            .filter(task::Column::Id.gt(last_before))
            .into_tuple()
            .one(&txn)
            .await?
            .unwrap_or_default();
        record_event(
            &txn,
            parent.id,
            reader.user_id,
            "cascaded",
            json!({ "units": created, "first": first, "last": last }),
        )
        .await?;
    }
    super::tallies::add_tasks(
        &txn,
        &format!("t.parent_id = {} AND t.id > {last_before}", parent.id),
    )
    .await?;
    super::tallies::pause(&txn, false).await?;
    if created > 0 {
        roll_up(&txn, parent.id, reader.user_id).await?;
        tell(
            &txn,
            About {
                kind: NotificationKind::TaskAssigned,
                audience: Audience::LeadStaff,
                source: "tasks t",
                filter: "t.parent_id = $1 AND t.id > $2",
                values: vec![parent.id.into(), last_before.into()],
                step: None,
                report_id: None,
                except: Some(reader.user_id),
            },
            now,
        )
        .await?;
    }
    txn.commit().await?;
    Ok(CascadeResult {
        created: created.saturating_add(u32::try_from(hidden).unwrap_or(u32::MAX)),
        skipped: u32::try_from(skipped).unwrap_or(u32::MAX),
    })
}

/// Recomputes the progress and status of `task_id` from its children, then of each task
/// above it, in the caller's transaction (`actor` is the official whose change started
/// it). A task its own unit assigned is done when all its (uncancelled) children are
/// done, late if any was completed after its due date. A task assigned by another unit is
/// not: it asks that unit to accept its completion, and is done only when they do.
pub async fn roll_up(txn: &DatabaseTransaction, task_id: i32, actor: i32) -> Outcome<()> {
    let mut current = Some(task_id);
    while let Some(id) = current {
        let Some(parent) = task::Entity::find_by_id(id).one(txn).await? else {
            break;
        };
        let children: Vec<(i16, i32, String, Option<chrono::NaiveDate>)> = task::Entity::find()
            .select_only()
            .column(task::Column::Progress)
            .column(task::Column::Weight)
            .column(task::Column::Status)
            .column(task::Column::CompletedOn)
            .filter(task::Column::ParentId.eq(id))
            .filter(task::Column::Status.ne(TaskStatus::Cancelled.as_str()))
            .into_tuple()
            .all(txn)
            .await?;
        if children.is_empty() {
            break;
        }
        let progress = weighted_progress(
            &children
                .iter()
                .map(|(p, w, _, _)| (*p, *w))
                .collect::<Vec<_>>(),
        );
        let statuses: Vec<TaskStatus> = children
            .iter()
            .map(|(_, _, s, _)| s.parse().unwrap_or(TaskStatus::NotStarted))
            .collect();
        let all_done = statuses.iter().all(|s| s.is_done());
        let assigned_from_outside = parent.assigner_unit_id != parent.lead_unit_id;
        let current_status = status_of(&parent);
        let (status, completed_on) = if all_done && current_status.is_done() {
            // Completed already (accepted by the assigning unit, or by roll-up): a later
            // change of weights does not reopen it.
            (current_status, parent.completed_on)
        } else if all_done && !assigned_from_outside {
            let last = children.iter().filter_map(|(_, _, _, c)| *c).max();
            let finished = last.map_or_else(today, from_naive);
            (
                completion_status(finished, from_naive(parent.original_due())),
                Some(to_naive(finished)),
            )
        } else if progress > 0 || statuses.iter().any(|s| *s != TaskStatus::NotStarted) {
            (TaskStatus::InProgress, None)
        } else {
            (TaskStatus::NotStarted, None)
        };
        task::Entity::update_many()
            .col_expr(task::Column::Progress, Expr::value(progress))
            .col_expr(task::Column::Status, Expr::value(status.as_str()))
            .col_expr(task::Column::CompletedOn, Expr::value(completed_on))
            .filter(task::Column::Id.eq(id))
            .exec(txn)
            .await?;
        let awaits_assigner = all_done && assigned_from_outside && !status.is_done();
        super::reports::ask_completion(txn, &parent, awaits_assigner, actor).await?;
        current = parent.parent_id;
    }
    Ok(())
}

/// The page of one task: what it is, where it sits, its subtasks, reports and history,
/// and what the viewer may do with it.
/// A task's page as a reader sees it: kept while neither generation moves (the page names
/// officials), by view, the reader's unit and role, and day; what is shown is audited
/// each time.
pub async fn detail(db: &Db, reader: &Reader, id: i32) -> Outcome<Option<TaskDetail>> {
    let generation = super::generation::both(db)
        .await?
        .map(super::generation::Generations::both);
    let key = (
        id,
        super::access::View::of(reader),
        reader.unit_id,
        reader.role,
        today(),
    );
    let seen = db
        .kept
        .tasks
        .get_or_read(generation, key, || read_detail(db, reader, id))
        .await?;
    let Some(seen) = seen.as_ref() else {
        return Ok(None);
    };
    super::access::audit_reads(db, reader, seen.shown.iter().copied()).await?;
    let mut detail = seen.detail.clone();
    for (report, author) in detail.reports.iter_mut().zip(&seen.report_authors) {
        report.by_viewer = *author == reader.user_id;
    }
    detail.submission_key = format!(
        "{}{}",
        super::error::new_reference(),
        super::error::new_reference()
    );
    Ok(Some(detail))
}

/// A task's page as readers of one view, unit and role see it.
#[derive(Debug)]
pub struct SeenTask {
    /// Without a submission key, and no report marked as the reader's own.
    detail: TaskDetail,
    /// The author of each report, in order.
    report_authors: Vec<i32>,
    /// What the page shows that the audit must record.
    shown: Vec<super::access::Shown>,
}

async fn read_detail(db: &Db, reader: &Reader, id: i32) -> Outcome<Option<SeenTask>> {
    let Some(model) = visible(&db.read, reader, id).await? else {
        return Ok(None);
    };
    let units: HashMap<i32, unit::Model> = unit::Entity::find()
        .filter(unit::Column::Id.is_in([model.lead_unit_id, model.assigner_unit_id]))
        .all(&db.read)
        .await?
        .into_iter()
        .map(|u| (u.id, u))
        .collect();
    let (Some(lead), Some(assigner)) = (
        units.get(&model.lead_unit_id),
        units.get(&model.assigner_unit_id),
    ) else {
        return Err(Failure::Other(anyhow::anyhow!("task {id} lost a unit")));
    };
    let doc = document::Entity::find_by_id(model.document_id)
        .one(&db.read)
        .await?
        .ok_or_else(|| Failure::Other(anyhow::anyhow!("task {id} lost its document")))?;
    let parent_model = match model.parent_id {
        Some(parent_id) => visible(&db.read, reader, parent_id).await?,
        None => None,
    };
    let parent = parent_model.as_ref().map(|p| (p.id, p.title.clone()));
    let children_models = task::Entity::find()
        .filter(task::Column::ParentId.eq(id))
        .filter(visible_tasks(reader))
        .order_by_asc(task::Column::Id)
        .limit(u64::from(CHILDREN_LIMIT) + 1)
        .all(&db.read)
        .await?;
    let more_children = children_models.len() > CHILDREN_LIMIT as usize;
    let mut children_models = children_models;
    children_models.truncate(CHILDREN_LIMIT as usize);
    let children = super::documents::unaudited_rows(db, reader, children_models).await?;
    let child_count = u32::try_from(
        task::Entity::find()
            .filter(task::Column::ParentId.eq(id))
            .filter(visible_tasks(reader))
            .count(&db.read)
            .await?,
    )
    .unwrap_or(u32::MAX);
    let (reports, report_authors) = super::reports::of_task(db, id).await?.into_iter().unzip();
    let history = history(db, reader, id).await?;
    let coordinators: Vec<UnitRef> = coordinator_units(&db.read, id)
        .await?
        .iter()
        .map(unit_ref)
        .collect();

    let status = status_of(&model);
    let open = !status.is_closed();
    // Whether the task may be reported on is judged from the subtasks the reader sees:
    // the form's absence must not tell of subtasks above their clearance (a report on
    // such a task is answered "not found").
    let due_changes = super::deadlines::of_task(db, id).await?;
    let awaiting = due_changes
        .iter()
        .any(|c| c.state == crate::model::deadline::ChangeState::Asked);
    let actions = TaskActions {
        edit: reader.leads(model.assigner_unit_id),
        break_down: open && reader.works_for(model.lead_unit_id),
        assign_below: open && reader.leads(model.lead_unit_id),
        report: open && child_count == 0 && reader.works_for(model.lead_unit_id),
        evaluate: reader.leads(model.assigner_unit_id),
        ask_extension: open && !awaiting && reader.works_for(model.lead_unit_id),
        decide_extension: open && reader.leads(model.assigner_unit_id),
    };
    let mut cascade_presets = Vec::new();
    if actions.assign_below {
        let direct = unit::Entity::find()
            .filter(unit::Column::ParentId.eq(model.lead_unit_id))
            .count(&db.read)
            .await?;
        if direct > 0 {
            cascade_presets.push(CascadePreset::Children {
                count: u32::try_from(direct).unwrap_or(u32::MAX),
            });
        }
        let level: UnitLevel = lead.level.parse().unwrap_or(UnitLevel::Commune);
        if matches!(level, UnitLevel::Central | UnitLevel::Agency) {
            let communes = unit::Entity::find()
                .filter(path_in_range(
                    (unit::Entity, unit::Column::Path),
                    &lead.path,
                ))
                .filter(unit::Column::Level.eq(UnitLevel::Commune.as_str()))
                .count(&db.read)
                .await?;
            if communes > 0 {
                cascade_presets.push(CascadePreset::AllCommunes {
                    count: u32::try_from(communes).unwrap_or(u32::MAX),
                });
            }
        }
    }

    let mut shown = vec![
        ("task", model.id, model.classification),
        ("document", doc.id, doc.classification),
    ];
    shown.extend(
        parent_model
            .as_ref()
            .map(|p| ("task", p.id, p.classification)),
    );
    shown.extend(
        children
            .iter()
            .map(|t| ("task", t.id, t.classification.rank())),
    );
    let mut row = task_row(&model, lead, child_count, today());
    row.parent_id = parent.as_ref().map(|(id, _)| *id);
    let reminders = super::supervision::inbox::reminders_of(db, model.id).await?;
    let detail = TaskDetail {
        row,
        document: DocumentRef {
            id: doc.id,
            code: doc.code.clone(),
            title: doc.title.clone(),
        },
        parent,
        description: model.description.clone(),
        expected_result: model.expected_result.clone(),
        assigner: unit_ref(assigner),
        coordinators,
        start_on: from_naive(model.start_on),
        original_due_on: model
            .original_due_on
            .filter(|original| *original != model.due_on)
            .map(from_naive),
        due_changes,
        weight: model.weight,
        completed_on: model.completed_on.map(from_naive),
        version: model.version,
        children,
        more_children,
        reports,
        history,
        reminders,
        actions,
        cascade_presets,
        submission_key: String::new(),
    };
    Ok(Some(SeenTask {
        detail,
        report_authors,
        shown,
    }))
}

/// The task's history, newest first, with who did what.
///
/// An entry never tells of a task the reader may not see: a breakdown into a subtask
/// they cannot see is left out, a copy's origin is named only when they see it, and a
/// cascade counts only the copies they see (none: the entry is left out).
async fn history(db: &Db, reader: &Reader, task_id: i32) -> Outcome<Vec<TaskEventView>> {
    let events = task_event::Entity::find()
        .filter(task_event::Column::TaskId.eq(task_id))
        .order_by_desc(task_event::Column::At)
        .order_by_desc(task_event::Column::Id)
        .limit(100)
        .all(&db.read)
        .await?;
    let details: Vec<serde_json::Value> = events
        .iter()
        .map(|e| serde_json::from_str(&e.detail).unwrap_or_default())
        .collect();
    let named: Vec<i32> = details
        .iter()
        .flat_map(|d| [d.get("subtask"), d.get("cascaded_from")])
        .flatten()
        .filter_map(|id| id.as_i64().and_then(|id| i32::try_from(id).ok()))
        .collect();
    let seen = super::access::visible_task_ids(db, reader, named).await?;
    let mut copies_seen: HashMap<i64, u32> = HashMap::new();
    for (event, detail) in events.iter().zip(&details) {
        let range = (detail.get("first"), detail.get("last"));
        if let (Some(first), Some(last)) = (
            range.0.and_then(serde_json::Value::as_i64),
            range.1.and_then(serde_json::Value::as_i64),
        ) {
            let count = task::Entity::find()
                .filter(task::Column::ParentId.eq(task_id))
                .filter(task::Column::Id.between(first, last))
                .filter(visible_tasks(reader))
                .count(&db.read)
                .await?;
            copies_seen.insert(event.id, u32::try_from(count).unwrap_or(u32::MAX));
        }
    }
    let actor_ids: Vec<i32> = events.iter().filter_map(|e| e.actor_id).collect();
    let actors = super::users::full_names(db, actor_ids).await?;
    Ok(events
        .into_iter()
        .zip(details)
        .filter_map(|(event, raw)| {
            let mut changes = Vec::new();
            let mut detail = EventDetail::default();
            if event.kind == "edited" {
                if let Some(fields) = raw.as_object() {
                    for (field, pair) in fields {
                        let before = pair.get(0).and_then(|v| v.as_str()).unwrap_or_default();
                        let after = pair.get(1).and_then(|v| v.as_str()).unwrap_or_default();
                        changes.push((field.clone(), before.to_owned(), after.to_owned()));
                    }
                }
            } else {
                detail = serde_json::from_value(raw).unwrap_or_default();
            }
            match event.kind.as_str() {
                "broken_down" if !detail.subtask.is_some_and(|id| seen.contains(&id)) => {
                    return None;
                }
                "cascaded" => {
                    // Recorded counts are of every copy; older entries carry no range.
                    detail.units = copies_seen.get(&event.id).copied();
                    detail.skipped = None;
                    if detail.units == Some(0) {
                        return None;
                    }
                }
                _ => {}
            }
            detail.cascaded_from = detail.cascaded_from.filter(|id| seen.contains(id));
            Some(TaskEventView {
                at: event.at.timestamp(),
                actor: event.actor_id.and_then(|id| actors.get(&id).cloned()),
                kind: event.kind,
                changes,
                detail,
            })
        })
        .collect())
}

/// `/my-work`: the tasks of the reader's unit, or the ones awaiting their evaluation.
/// `unit` is that unit as the reader's session found it in this request (not read again).
/// Kept between changes to what it shows; the classified rows are audited each time.
pub async fn my_work(
    db: &Db,
    reader: &Reader,
    unit: crate::model::UnitRef,
    filter: &crate::model::task::WorkFilter,
) -> Outcome<crate::model::task::WorkPage> {
    let generation = super::generation::current(db).await?;
    let key = (
        super::access::View::of(reader),
        reader.unit_id,
        filter.clone(),
        today(),
    );
    let page = db
        .kept
        .work
        .get_or_read(generation, key, || read_my_work(db, reader, unit, filter))
        .await?;
    super::documents::audit_rows(db, reader, &page.rows).await?;
    Ok(crate::model::task::WorkPage::clone(&page))
}

async fn read_my_work(
    db: &Db,
    reader: &Reader,
    unit: crate::model::UnitRef,
    filter: &crate::model::task::WorkFilter,
) -> Outcome<crate::model::task::WorkPage> {
    use crate::model::admin::page_count;
    use crate::model::task::{DUE_SOON_DAYS, WORK_PER_PAGE, WorkPage, WorkSort, WorkView};
    use sea_orm::Condition;

    let closed = [
        TaskStatus::Done.as_str(),
        TaskStatus::DoneLate.as_str(),
        TaskStatus::Cancelled.as_str(),
    ];
    let today = today();
    let mut condition = match filter.view {
        WorkView::Evaluate => Condition::all()
            .add(visible_tasks(reader))
            .add(task::Column::AssignerUnitId.eq(reader.unit_id))
            // Correlated: each of the unit's assignments looks up its own reports on
            // their index, instead of listing every pending report in the country.
            .add(Expr::exists(
                sea_orm::sea_query::Query::select()
                    .expr(Expr::val(1))
                    .from(report::Entity)
                    .and_where(
                        Expr::col((report::Entity, report::Column::TaskId))
                            .equals((task::Entity, task::Column::Id)),
                    )
                    .and_where(Expr::col((report::Entity, report::Column::Status)).eq("pending"))
                    .to_owned(),
            )),
        _ => Condition::all()
            .add(own_unit_tasks(reader))
            .add(task::Column::Status.ne(TaskStatus::Cancelled.as_str())),
    };
    condition = match filter.view {
        WorkView::DueSoon => condition
            .add(task::Column::Status.is_not_in(closed))
            .add(task::Column::DueOn.gte(to_naive(today)))
            .add(task::Column::DueOn.lte(to_naive(today.plus_days(DUE_SOON_DAYS)))),
        WorkView::Overdue => condition
            .add(task::Column::Status.is_not_in(closed))
            .add(task::Column::DueOn.lt(to_naive(today))),
        WorkView::Returned => condition.add(task::Column::Status.eq(TaskStatus::Returned.as_str())),
        WorkView::All | WorkView::Evaluate => condition,
    };
    if filter.key_only {
        condition = condition.add(task::Column::IsKey.eq(true));
    }
    let query = task::Entity::find().filter(condition);
    let total = u32::try_from(query.clone().count(&db.read).await?).unwrap_or(u32::MAX);
    let pages = page_count(total, WORK_PER_PAGE);
    let page = filter.page.clamp(1, pages);
    let query = match filter.sort {
        WorkSort::Due => query.order_by_asc(task::Column::DueOn),
        WorkSort::Progress => query.order_by_asc(task::Column::Progress),
        WorkSort::Updated => query.order_by_desc(task::Column::UpdatedAt),
    };
    let ids: Vec<i32> = query
        .order_by_asc(task::Column::Id)
        .select_only()
        .column(task::Column::Id)
        .offset(u64::from((page - 1) * WORK_PER_PAGE))
        .limit(u64::from(WORK_PER_PAGE))
        .into_tuple()
        .all(&db.read)
        .await?;
    let rows = super::documents::unaudited_rows_in_order(db, reader, &ids).await?;
    Ok(WorkPage {
        unit,
        rows,
        total,
        page,
        pages,
    })
}
