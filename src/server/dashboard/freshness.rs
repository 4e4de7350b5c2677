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
use crate::server::indicators::figures::child_path;
use crate::server::tallies::Narrowing;
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
    key: String,
    open: i64,
    updated: i64,
}

#[derive(Debug, FromQueryResult)]
struct LastUpdate {
    path: String,
    last_on: Option<chrono::NaiveDate>,
}

/// The freshness of `scope`'s subtree and of each unit directly below it (by code).
/// `indicators` holds, per carrying unit's path, its indicators and how many of them have
/// a value this period (`indicators::figures::counts`).
pub async fn read(
    db: &Db,
    scope: &unit::Model,
    narrowing: &Narrowing,
    today: Day,
    indicators: &HashMap<String, (u64, u64)>,
) -> Outcome<(Freshness, HashMap<String, Freshness>)> {
    let children: HashMap<String, (i32, String)> = unit::Entity::find()
        .select_only()
        .columns([unit::Column::Path, unit::Column::Id, unit::Column::Code])
        .filter(unit::Column::ParentId.eq(scope.id))
        .into_tuple::<(String, i32, String)>()
        .all(&db.read)
        .await?
        .into_iter()
        .map(|(path, id, code)| (path, (id, code)))
        .collect();
    let starts = period_starts(db, today).await?;
    let updated = format!("CAST(SUM(CASE WHEN month >= {starts} THEN tasks ELSE 0 END) AS BIGINT)");
    let backend = db.backend();
    let (by_id, by_id_values) = narrowing.conditions(1, false);
    let (conditions, values) = narrowing.conditions(3, false);
    let range = |mut values: Vec<Value>| {
        values.insert(0, scope.path.clone().into());
        values.insert(1, format!("{}:", scope.path).into());
        values
    };
    let ids: Vec<String> = std::iter::once(scope.id)
        .chain(children.values().map(|(id, _)| *id))
        .map(|id| id.to_string())
        .collect();
    let (per_unit, own, last) = tokio::try_join!(
        // Open tasks of each subtree: every row of its unit (its own and those below).
        Counted::find_by_statement(Statement::from_sql_and_values(
            backend,
            format!(
                "SELECT CAST(unit_id AS TEXT) AS key, CAST(SUM(tasks) AS BIGINT) AS open, \
                 {updated} AS updated FROM tally_reported \
                 WHERE unit_id IN ({ids}){by_id} GROUP BY unit_id",
                ids = ids.join(", "),
            ),
            by_id_values,
        ))
        .all(&db.read),
        // Each unit's own open tasks, for the units that sent nothing.
        Counted::find_by_statement(Statement::from_sql_and_values(
            backend,
            format!(
                "SELECT u.path AS key, CAST(SUM(t.tasks) AS BIGINT) AS open, {updated} AS updated \
                 FROM tally_reported t JOIN units u ON u.id = t.unit_id \
                 WHERE t.own = 1 AND u.path >= $1 AND u.path < $2{conditions} GROUP BY u.path"
            ),
            range(values.clone()),
        ))
        .all(&db.read),
        LastUpdate::find_by_statement(Statement::from_sql_and_values(
            backend,
            format!(
                "SELECT unit_path AS path, MAX(last_on) AS last_on FROM unit_activity \
                 WHERE unit_path >= $1 AND unit_path < $2{conditions} GROUP BY unit_path"
            ),
            range(values.clone()),
        ))
        .all(&db.read),
    )?;

    let mut total = Freshness::default();
    let mut below: HashMap<String, Freshness> = HashMap::new();
    let path_of: HashMap<String, &str> =
        std::iter::once((scope.id.to_string(), scope.path.as_str()))
            .chain(
                children
                    .iter()
                    .map(|(path, (id, _))| (id.to_string(), path.as_str())),
            )
            .collect();
    for row in &per_unit {
        let Some(path) = path_of.get(&row.key) else {
            continue;
        };
        let figures = |f: &mut Freshness| {
            f.open_tasks = row.open.unsigned_abs();
            f.tasks_updated = row.updated.unsigned_abs();
        };
        // The scope's row is its whole subtree: it sets the total, and each child's row
        // its own.
        if *path == scope.path {
            figures(&mut total);
        } else if let Some((_, code)) = children.get(*path) {
            figures(below.entry(code.clone()).or_default());
        }
    }
    // Adds one unit's (or subtree's) figures to the scope's and to its child's.
    let mut add = |path: &str, add: &dyn Fn(&mut Freshness)| {
        add(&mut total);
        if let Some((_, code)) = child_path(&scope.path, path).and_then(|p| children.get(p)) {
            add(below.entry(code.clone()).or_default());
        }
    };
    for (path, &(carried, updated)) in indicators {
        add(path, &|f| {
            f.indicators += carried;
            f.indicators_updated += updated;
        });
    }
    // A unit sent nothing this period when it has open tasks or indicators of its own and
    // none of them was updated.
    let mut work: HashMap<&str, (u64, u64)> = HashMap::new();
    for row in &own {
        let unit = work.entry(row.key.as_str()).or_default();
        unit.0 += row.open.unsigned_abs();
        unit.1 += row.updated.unsigned_abs();
    }
    for (path, &(carried, updated)) in indicators {
        let unit = work.entry(path.as_str()).or_default();
        unit.0 += carried;
        unit.1 += updated;
    }
    for (path, (open, updated)) in work {
        if path != scope.path && open > 0 && updated == 0 {
            add(path, &|f| f.units_silent += 1);
        }
    }
    for row in &last {
        let Some(day) = row.last_on.map(from_naive) else {
            continue;
        };
        add(&row.path, &|f| f.updated_on(day, today));
    }
    Ok((total, below))
}
