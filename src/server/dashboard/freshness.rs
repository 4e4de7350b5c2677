//! Freshness on the dashboards: for a unit's subtree and each unit directly below, the
//! day something was last sent, the share of open tasks and of indicators updated in the
//! current period (each document's own, by its cycle), and how many units sent nothing.
//!
//! Written where work is sent (`touched`, `reported_up`); counted from `unit_activity`,
//! `tally_reported` (migration 22) and the indicators' kept standings.

use crate::model::dashboard::Freshness;
use crate::model::period::Period;
use crate::model::time::Day;
use crate::server::db::Db;
use crate::server::entity::{document, task, unit};
use crate::server::tallies::{Narrowing, same_rows};
use crate::server::work::{Outcome, from_naive, to_naive};
use sea_orm::sea_query::{Condition, Expr};
use sea_orm::{
    ColumnTrait, ConnectionTrait, DatabaseTransaction, EntityTrait, FromQueryResult, QueryFilter,
    QuerySelect, Statement, Value,
};
use std::collections::HashMap;

/// Records in the sender's transaction that a unit sent a progress report or an
/// indicator value on `day`, for a document and under a classification.
pub(crate) async fn touched(
    txn: &DatabaseTransaction,
    unit_id: i32,
    unit_path: &str,
    document_id: i32,
    classification: i16,
    day: Day,
) -> Outcome<()> {
    txn.execute_raw(Statement::from_sql_and_values(
        txn.get_database_backend(),
        "INSERT INTO unit_activity (unit_id, document_id, classification, unit_path, last_on) \
         VALUES ($1, $2, $3, $4, $5) \
         ON CONFLICT (unit_id, document_id, classification) DO UPDATE \
         SET last_on = excluded.last_on, unit_path = excluded.unit_path \
         WHERE unit_activity.last_on < excluded.last_on",
        [
            unit_id.into(),
            document_id.into(),
            classification.into(),
            unit_path.into(),
            to_naive(day).into(),
        ],
    ))
    .await?;
    Ok(())
}

/// Marks a task reported on `day`, and the tasks above it (reported on through it), in
/// the reporter's transaction. A task already marked that day ends the walk: those above
/// it were marked with it.
pub(crate) async fn reported_up(
    txn: &DatabaseTransaction,
    task: &task::Model,
    day: Day,
) -> Outcome<()> {
    let day = to_naive(day);
    let mut next = Some(task.id);
    while let Some(id) = next {
        let marked = task::Entity::update_many()
            .col_expr(task::Column::LastReportOn, Expr::value(day))
            .filter(task::Column::Id.eq(id))
            .filter(
                Condition::any()
                    .add(task::Column::LastReportOn.is_null())
                    .add(task::Column::LastReportOn.lt(day)),
            )
            .exec(txn)
            .await?;
        if marked.rows_affected == 0 {
            break;
        }
        next = task::Entity::find_by_id(id)
            .select_only()
            .column(task::Column::ParentId)
            .into_tuple::<Option<i32>>()
            .one(txn)
            .await?
            .flatten();
    }
    Ok(())
}

/// The first month of each document's current period (months since year 0), as an SQL
/// expression on `document_id` built from numbers only.
async fn period_starts(db: &Db, today: Day) -> Outcome<String> {
    let documents = document::Entity::find().all(&db.read).await?;
    let month = |day: Day| {
        let (year, month, _) = day.ymd();
        year * 12 + i64::from(month) - 1
    };
    // A document created since: its period began this month at the earliest.
    let otherwise = month(today);
    if documents.is_empty() {
        return Ok(otherwise.to_string());
    }
    let mut sql = "CASE document_id".to_owned();
    for document in &documents {
        let start = Period::containing(document.reporting().0, today).first_day();
        sql.push_str(&format!(" WHEN {} THEN {}", document.id, month(start)));
    }
    sql.push_str(&format!(" ELSE {otherwise} END"));
    Ok(sql)
}

#[derive(Debug, FromQueryResult)]
struct Counted {
    unit_id: i32,
    open: i64,
    updated: i64,
}

#[derive(Debug, FromQueryResult)]
struct PerUnit {
    unit_id: i32,
    units: i64,
}

#[derive(Debug, FromQueryResult)]
struct LastUpdate {
    unit_id: i32,
    last_on: Option<chrono::NaiveDate>,
}

/// The freshness of `scope`'s subtree and of each unit directly below it (by code), but
/// for the indicators' figures, which `indicators::figures::counts` gives.
pub async fn read(
    db: &Db,
    scope: &unit::Model,
    narrowing: &Narrowing,
    today: Day,
) -> Outcome<(Freshness, HashMap<String, Freshness>)> {
    let children: HashMap<i32, (String, String)> = unit::Entity::find()
        .select_only()
        .columns([unit::Column::Id, unit::Column::Path, unit::Column::Code])
        .filter(unit::Column::ParentId.eq(scope.id))
        .into_tuple::<(i32, String, String)>()
        .all(&db.read)
        .await?
        .into_iter()
        .map(|(id, path, code)| (id, (path, code)))
        .collect();
    let starts = period_starts(db, today).await?;
    let backend = db.backend();
    let list = |ids: &mut dyn Iterator<Item = i32>| {
        ids.map(|id| id.to_string()).collect::<Vec<_>>().join(", ")
    };
    let below = list(&mut children.keys().copied());
    let with_scope = list(&mut std::iter::once(scope.id).chain(children.keys().copied()));
    // The scope's subtree by path (`$1`, `$2`), then the narrowing's values once for each
    // table it narrows.
    let narrowed = |tables: usize| {
        let mut sql = Vec::new();
        let mut values: Vec<Value> =
            vec![scope.path.clone().into(), format!("{}:", scope.path).into()];
        for _ in 0..tables {
            let (conditions, more) = narrowing.conditions(values.len() + 1, false);
            sql.push(conditions);
            values.extend(more);
        }
        (sql, values)
    };
    let (by_id, by_id_values) = narrowing.conditions(1, false);
    let (silent_in, silent_values) = narrowed(3);
    let (last_in, last_values) = narrowed(1);
    let month = migration::tallies::month(backend, "x.last_on");
    let (per_unit, silent, last) = tokio::try_join!(
        // Open tasks of each subtree: every row of its unit (its own and those below).
        Counted::find_by_statement(Statement::from_sql_and_values(
            backend,
            format!(
                "SELECT unit_id, CAST(SUM(tasks) AS BIGINT) AS open, \
                 CAST(SUM(CASE WHEN month >= {starts} THEN tasks ELSE 0 END) AS BIGINT) \
                 AS updated FROM tally_reported WHERE unit_id IN ({with_scope}){by_id} \
                 GROUP BY unit_id"
            ),
            by_id_values,
        ))
        .all(&db.read),
        // Units below that sent nothing this period though they have work of their own
        // (open tasks or indicators), counted under the unit directly below the scope.
        async {
            if children.is_empty() {
                return Ok(Vec::new());
            }
            PerUnit::find_by_statement(Statement::from_sql_and_values(
                backend,
                format!(
                    "SELECT c.ancestor_id AS unit_id, COUNT(*) AS units FROM units u \
                     JOIN unit_ancestors c ON c.unit_id = u.id AND c.ancestor_id IN ({below}) \
                     WHERE u.path >= $1 AND u.path < $2 \
                     AND (EXISTS (SELECT 1 FROM tally_own_open o WHERE o.unit_id = u.id \
                     AND o.tasks > 0{own}) \
                     OR EXISTS (SELECT 1 FROM indicators i WHERE i.unit_path = u.path{carried})) \
                     AND NOT EXISTS (SELECT 1 FROM unit_activity x WHERE x.unit_id = u.id \
                     AND {month} >= {starts}{sent}) \
                     GROUP BY c.ancestor_id",
                    own = silent_in[0],
                    carried = silent_in[1],
                    sent = silent_in[2],
                ),
                silent_values,
            ))
            .all(&db.read)
            .await
        },
        // The last day a unit of each subtree sent something.
        LastUpdate::find_by_statement(Statement::from_sql_and_values(
            backend,
            format!(
                "SELECT c.ancestor_id AS unit_id, MAX(x.last_on) AS last_on FROM \
                 (SELECT unit_id, MAX(last_on) AS last_on FROM unit_activity \
                 WHERE unit_path >= $1 AND unit_path < $2{narrowed} GROUP BY unit_id) x \
                 JOIN unit_ancestors c ON c.unit_id = x.unit_id \
                 AND c.ancestor_id IN ({with_scope}) GROUP BY c.ancestor_id",
                narrowed = last_in[0],
            ),
            last_values,
        ))
        .all(&db.read),
    )?;

    // By unit id: the scope's rows are its whole subtree's, and each child's row its own.
    let mut by_id: HashMap<i32, Freshness> = HashMap::new();
    for row in &per_unit {
        let f = by_id.entry(row.unit_id).or_default();
        f.open_tasks = row.open.unsigned_abs();
        f.tasks_updated = row.updated.unsigned_abs();
    }
    for row in &last {
        if let Some(day) = row.last_on.map(from_naive) {
            by_id.entry(row.unit_id).or_default().updated_on(day, today);
        }
    }
    for row in &silent {
        by_id.entry(row.unit_id).or_default().units_silent = row.units.unsigned_abs();
    }
    let mut total = by_id.remove(&scope.id).unwrap_or_default();
    // Each unit silent below the scope is below one of its children.
    total.units_silent = silent.iter().map(|row| row.units.unsigned_abs()).sum();
    let below = by_id
        .into_iter()
        .filter_map(|(id, f)| Some((children.get(&id)?.1.clone(), f)))
        .collect();
    Ok((total, below))
}

/// Whether `unit_activity`, `progress_months` and the tasks' days last reported on equal a
/// recount from the reports and values: for tests. Changes nothing.
pub async fn consistent(db: &Db) -> Outcome<bool> {
    let txn = db.begin_write().await?;
    crate::server::tallies::pause(&txn, true).await?;
    for statement in [
        "CREATE TEMP TABLE kept_activity AS SELECT * FROM unit_activity",
        "CREATE TEMP TABLE kept_progress_months AS SELECT * FROM progress_months",
        "CREATE TEMP TABLE kept_last_reports AS SELECT id, last_report_on FROM tasks",
        // A day no report gives must not survive the recount.
        "UPDATE tasks SET last_report_on = NULL",
    ] {
        txn.execute_unprepared(statement).await?;
    }
    migration::freshness::recount(&txn, None).await?;
    let same = same_rows(&txn, "kept_activity", "SELECT * FROM unit_activity").await?
        && same_rows(
            &txn,
            "kept_progress_months",
            "SELECT * FROM progress_months",
        )
        .await?
        && same_rows(
            &txn,
            "kept_last_reports",
            "SELECT id, last_report_on FROM tasks",
        )
        .await?;
    txn.rollback().await?;
    Ok(same)
}
