//! The access rule, in the one place that turns an official into query filters.
//!
//! A user sees a record only if (a) it belongs to their unit's subtree, or is assigned to a
//! unit in it, or (for units with national oversight: the centre, and the central bodies an
//! administrator marks so) everything; and (b) its classification is at or below the user's
//! clearance.
//!
//! A unit's subtree is a range of materialised paths: every path under `/1/15/` starts
//! with it and continues with digits and slashes only, all of which sort below `:`.
//! So "this unit and everything under it" is `path >= '/1/15/' AND path < '/1/15/:'`,
//! one range on an index, on SQLite and PostgreSQL alike.

use super::auth::CurrentUser;
use super::db::Db;
use super::entity::{document, indicator, task, task_coordinator, unit};
use crate::model::Role;
use sea_orm::EntityTrait;
use sea_orm::sea_query::{Condition, Expr, ExprTrait, IntoColumnRef, Query};

/// Paths in the subtree rooted at `root_path`, the root included, for any path column.
pub fn path_in_range(column: impl IntoColumnRef + Clone, root_path: &str) -> Condition {
    Condition::all()
        .add(Expr::col(column.clone()).gte(root_path))
        .add(Expr::col(column).lt(format!("{root_path}:")))
}

/// Units in the subtree rooted at the unit whose path is `root_path`, the root included.
pub fn in_subtree(root_path: &str) -> Condition {
    path_in_range((unit::Entity, unit::Column::Path), root_path)
}

/// Whether `path` lies in the subtree rooted at `root_path`.
pub fn path_in_subtree(path: &str, root_path: &str) -> bool {
    path.starts_with(root_path)
}

/// What one official may see, and as whom they act.
#[derive(Clone, Debug)]
pub struct Reader {
    pub user_id: i32,
    pub username: String,
    pub unit_id: i32,
    pub unit_code: String,
    pub unit_path: String,
    pub role: Role,
    /// Classification rank: records at or below it are visible.
    pub clearance: i16,
    /// Officials of a unit with national oversight see every unit's records (still within
    /// their clearance). Granted to units, never implied by a role or a level.
    pub sees_all: bool,
}

impl Reader {
    pub fn of(user: &CurrentUser) -> Reader {
        Reader {
            user_id: user.viewer.id,
            username: user.viewer.username.clone(),
            unit_id: user.unit_id,
            unit_code: user.viewer.unit.code.clone(),
            unit_path: user.unit_path.clone(),
            role: user.viewer.role,
            clearance: user.viewer.clearance.rank(),
            sees_all: user.national_oversight,
        }
    }

    /// The official with this username, as the access rule sees them (for the command
    /// line and the demo data, which act without a session).
    pub async fn load(db: &Db, username: &str) -> anyhow::Result<Reader> {
        let account = super::users::find_by_username(db, username)
            .await?
            .ok_or_else(|| anyhow::anyhow!("no account {username}"))?;
        let unit = unit::Entity::find_by_id(account.unit_id)
            .one(&db.read)
            .await?
            .ok_or_else(|| anyhow::anyhow!("the unit of {username} is missing"))?;
        Ok(Reader::of(&CurrentUser {
            viewer: super::auth::viewer_of(&account, &unit),
            unit_id: unit.id,
            national_oversight: unit.national_oversight,
            unit_path: unit.path,
            session_key: String::new(),
            unread_counted: false,
        }))
    }

    /// Whether a unit (by path) is this official's own unit or below it.
    pub fn reaches(&self, path: &str) -> bool {
        path_in_subtree(path, &self.unit_path)
    }

    /// Whether the official may look at a unit's work as a whole (its dashboard, its
    /// feedback): their own subtree, or any unit with national oversight.
    pub fn oversees(&self, path: &str) -> bool {
        self.sees_all || self.reaches(path)
    }

    /// Acts for the unit with this id: its officers and leaders report, break down and
    /// cascade its tasks.
    pub fn works_for(&self, unit_id: i32) -> bool {
        self.unit_id == unit_id && matches!(self.role, Role::Officer | Role::Leader)
    }

    /// Leads the unit with this id: evaluates what it assigned, edits its assignments.
    pub fn leads(&self, unit_id: i32) -> bool {
        self.unit_id == unit_id && self.role == Role::Leader
    }
}

/// A record about to be shown to an official: its kind (`document`, `task`,
/// `attachment`), id and classification.
pub type Shown = (&'static str, i32, i16);

/// Writes to the audit log that the reader was shown these records: one event for each
/// at Mật (confidential) or above, all in one statement. Every place that turns rows into
/// what a page, an export or the API shows calls it (the task rows, the document
/// summaries and references, a task's page, evidence downloads), so that a new page built
/// on them cannot forget it. If the audit cannot be written, the read fails: nobody reads
/// a state secret without leaving a trace.
pub async fn audit_reads(
    db: &Db,
    reader: &Reader,
    shown: impl IntoIterator<Item = Shown>,
) -> Result<(), sea_orm::DbErr> {
    use super::audit::{Action, Event};
    use crate::model::Classification;
    let events: Vec<Event<'_>> = shown
        .into_iter()
        .filter_map(|(kind, id, rank)| {
            let level = Classification::from_rank(rank).unwrap_or(Classification::TopSecret);
            level.is_state_secret().then_some((kind, id, level))
        })
        .map(|(kind, id, level)| {
            let action = if kind == "attachment" {
                Action::EvidenceDownloaded
            } else {
                Action::ClassifiedRead
            };
            Event::new(action)
                .actor(Some(reader.user_id), &reader.username)
                .on(kind, id)
                .detail(level.as_str())
                .classified(level.rank())
        })
        .collect();
    super::audit::record_all(&db.write, events).await
}

/// The inputs of the access rule: two readers with the same view see the same records,
/// so what one read under the rule may be kept for the other (see `generation`).
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct View {
    clearance: i16,
    sees_all: bool,
    /// The reader's unit, unless they see every unit's records.
    unit_path: Option<String>,
}

impl View {
    pub fn of(reader: &Reader) -> View {
        View {
            clearance: reader.clearance,
            sees_all: reader.sees_all,
            unit_path: (!reader.sees_all).then(|| reader.unit_path.clone()),
        }
    }
}

/// Tasks the reader may see: within clearance, and led by, assigned by or coordinated by
/// a unit of their subtree (or any, for central leaders).
pub fn visible_tasks(reader: &Reader) -> Condition {
    let mut condition = Condition::all()
        .add(Expr::col((task::Entity, task::Column::Classification)).lte(reader.clearance));
    if !reader.sees_all {
        let coordinated = Query::select()
            .expr(Expr::val(1))
            .from(task_coordinator::Entity)
            .and_where(
                Expr::col((task_coordinator::Entity, task_coordinator::Column::TaskId))
                    .equals((task::Entity, task::Column::Id)),
            )
            .cond_where(path_in_range(
                (task_coordinator::Entity, task_coordinator::Column::UnitPath),
                &reader.unit_path,
            ))
            .to_owned();
        condition = condition.add(
            Condition::any()
                .add(path_in_range(
                    (task::Entity, task::Column::LeadPath),
                    &reader.unit_path,
                ))
                .add(path_in_range(
                    (task::Entity, task::Column::AssignerPath),
                    &reader.unit_path,
                ))
                .add(Expr::exists(coordinated)),
        );
    }
    condition
}

/// Which of these tasks the reader may see: for the ids a record names (a parent, a
/// subtask, the origin of a copy), which are shown only to those who may see them.
pub async fn visible_task_ids(
    db: &Db,
    reader: &Reader,
    ids: Vec<i32>,
) -> Result<std::collections::HashSet<i32>, sea_orm::DbErr> {
    use sea_orm::{ColumnTrait, QueryFilter, QuerySelect};
    if ids.is_empty() {
        return Ok(std::collections::HashSet::new());
    }
    Ok(task::Entity::find()
        .select_only()
        .column(task::Column::Id)
        .filter(task::Column::Id.is_in(ids))
        .filter(visible_tasks(reader))
        .into_tuple::<i32>()
        .all(&db.read)
        .await?
        .into_iter()
        .collect())
}

/// The tasks led by the reader's own unit that they may see: `visible_tasks` where the
/// subtree part always holds (their unit is in their subtree), so only the clearance
/// is left to check, and an index on the lead unit serves the whole condition.
pub fn own_unit_tasks(reader: &Reader) -> Condition {
    Condition::all()
        .add(Expr::col((task::Entity, task::Column::LeadUnitId)).eq(reader.unit_id))
        .add(Expr::col((task::Entity, task::Column::Classification)).lte(reader.clearance))
}

/// Indicators the reader may see, by the rule of tasks: within clearance, and carried by
/// or assigned by a unit of their subtree (or any, for central leaders). A unit's copy is
/// assigned by the unit directly above, so whoever sees a copy sees every copy below it.
pub fn visible_indicators(reader: &Reader) -> Condition {
    let mut condition = Condition::all().add(
        Expr::col((indicator::Entity, indicator::Column::Classification)).lte(reader.clearance),
    );
    if !reader.sees_all {
        condition = condition.add(
            Condition::any()
                .add(path_in_range(
                    (indicator::Entity, indicator::Column::UnitPath),
                    &reader.unit_path,
                ))
                .add(path_in_range(
                    (indicator::Entity, indicator::Column::AssignerPath),
                    &reader.unit_path,
                )),
        );
    }
    condition
}

/// Documents the reader may see: within clearance, and owned by a unit of their subtree
/// or holding a task or an indicator they may see (or any, for central leaders).
pub fn visible_documents(reader: &Reader) -> Condition {
    let mut condition = Condition::all()
        .add(Expr::col((document::Entity, document::Column::Classification)).lte(reader.clearance));
    if !reader.sees_all {
        let with_visible_task = Query::select()
            .expr(Expr::val(1))
            .from(task::Entity)
            .and_where(
                Expr::col((task::Entity, task::Column::DocumentId))
                    .equals((document::Entity, document::Column::Id)),
            )
            .cond_where(visible_tasks(reader))
            .to_owned();
        let with_visible_indicator = Query::select()
            .expr(Expr::val(1))
            .from(indicator::Entity)
            .and_where(
                Expr::col((indicator::Entity, indicator::Column::DocumentId))
                    .equals((document::Entity, document::Column::Id)),
            )
            .cond_where(visible_indicators(reader))
            .to_owned();
        condition = condition.add(
            Condition::any()
                .add(path_in_range(
                    (document::Entity, document::Column::OwnerPath),
                    &reader.unit_path,
                ))
                .add(Expr::exists(with_visible_task))
                .add(Expr::exists(with_visible_indicator)),
        );
    }
    condition
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn subtrees_are_prefixes() {
        assert!(path_in_subtree("/1/15/200/", "/1/15/"));
        assert!(path_in_subtree("/1/15/", "/1/15/"));
        assert!(!path_in_subtree("/1/150/", "/1/15/"), "15 is not 150");
        assert!(!path_in_subtree("/1/", "/1/15/"));
        // The range holds every descendant and nothing else.
        let in_range = |path: &str| ("/1/15/".."/1/15/:").contains(&path);
        assert!(in_range("/1/15/"));
        assert!(in_range("/1/15/99999/"));
        assert!(!in_range("/1/150/"));
        assert!(!in_range("/1/16/"));
        assert!(!in_range("/1/"));
    }
}
