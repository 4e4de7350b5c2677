//! Reading the roll-up tallies that triggers keep exact (see `migration::tallies`), and
//! keeping their overdue counts on today's date.

use super::db::Db;
use super::work::{Outcome, to_naive};
use crate::model::dashboard::WeeklyKind;
use crate::model::time::Day;
use chrono::NaiveDate;
use sea_orm::{ConnectionTrait, DatabaseTransaction, DbBackend, FromQueryResult, Statement, Value};

use migration::tallies::OPEN;

/// What the tally queries are narrowed to. Every field is checked by the caller.
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash)]
pub struct Narrowing {
    /// The highest classification counted (the reader's clearance).
    pub clearance: i16,
    pub document: Option<i32>,
    pub classification: Option<i16>,
    /// Tasks due within these days, both included.
    pub period: Option<(Day, Day)>,
}

impl Narrowing {
    /// The conditions on a tally table, after its `unit_id`, with placeholders numbered
    /// from `first` on, and their values.
    pub(crate) fn conditions(&self, first: usize, with_period: bool) -> (String, Vec<Value>) {
        let mut sql = String::new();
        let mut values: Vec<Value> = Vec::new();
        let mut push = |condition: &str, value: Value| {
            sql.push_str(&format!(" AND {condition} ${}", first + values.len()));
            values.push(value);
        };
        push("classification <=", self.clearance.into());
        if let Some(document) = self.document {
            push("document_id =", document.into());
        }
        if let Some(level) = self.classification {
            push("classification =", level.into());
        }
        if with_period && let Some((from, to)) = self.period {
            push("due_on >=", to_naive(from).into());
            push("due_on <=", to_naive(to).into());
        }
        (sql, values)
    }
}

/// The summed figures of one group of a tally: per document or per unit, and status.
#[derive(Clone, Debug, FromQueryResult)]
pub struct TallyGroup {
    /// The document or the unit, as grouped.
    pub id: i32,
    pub status: String,
    pub tasks: i64,
    pub progress_sum: i64,
    pub overdue: i64,
}

/// How a tally query groups its rows.
#[derive(Clone, Copy, Debug)]
pub enum GroupBy {
    Document,
    Unit,
}

impl GroupBy {
    fn column(self) -> &'static str {
        match self {
            GroupBy::Document => "document_id",
            GroupBy::Unit => "unit_id",
        }
    }
}

/// Ids as an SQL list (numbers only, so nothing to escape).
fn id_list(ids: &[i32]) -> String {
    ids.iter()
        .map(i32::to_string)
        .collect::<Vec<_>>()
        .join(", ")
}

/// The figures of the tasks led in the subtrees of `units`, grouped by document or unit
/// and by status. Without a period they come from `tally_status`, whose overdue counts
/// hold on `tally_clock.as_of` (call `roll_clock_to` first); with one from `tally_due`.
pub async fn groups(
    db: &Db,
    units: &[i32],
    group_by: GroupBy,
    narrowing: &Narrowing,
    today: Day,
) -> Outcome<Vec<TallyGroup>> {
    if units.is_empty() {
        return Ok(Vec::new());
    }
    let id = group_by.column();
    let units_sql = id_list(units);
    let (table, overdue, conditions, values) = if narrowing.period.is_some() {
        let (conditions, mut values) = narrowing.conditions(2, true);
        values.insert(0, to_naive(today).into());
        (
            "tally_due",
            format!("SUM(CASE WHEN status IN {OPEN} AND due_on < $1 THEN tasks ELSE 0 END)"),
            conditions,
            values,
        )
    } else {
        let (conditions, values) = narrowing.conditions(1, false);
        (
            "tally_status",
            "SUM(overdue)".to_owned(),
            conditions,
            values,
        )
    };
    let sql = format!(
        // PostgreSQL sums BIGINT as NUMERIC: cast back.
        "SELECT {id} AS id, status, CAST(SUM(tasks) AS BIGINT) AS tasks, \
         CAST(SUM(progress_sum) AS BIGINT) AS progress_sum, \
         CAST({overdue} AS BIGINT) AS overdue FROM {table} \
         WHERE unit_id IN ({units_sql}){conditions} \
         GROUP BY {id}, status"
    );
    Ok(
        TallyGroup::find_by_statement(Statement::from_sql_and_values(db.backend(), sql, values))
            .all(&db.read)
            .await?,
    )
}

/// The summed figures of key tasks and tasks whose deadline was extended, from
/// `tally_marked`, grouped like `TallyGroup` and by the two marks.
#[derive(Clone, Debug, FromQueryResult)]
pub struct MarkedGroup {
    pub id: i32,
    pub status: String,
    pub is_key: i16,
    pub extended: i16,
    pub tasks: i64,
    pub progress_sum: i64,
    pub overdue: i64,
}

/// The marked tasks led in the subtrees of `units` (see `groups`); overdue as of `today`.
pub async fn marked(
    db: &Db,
    units: &[i32],
    group_by: GroupBy,
    narrowing: &Narrowing,
    today: Day,
) -> Outcome<Vec<MarkedGroup>> {
    if units.is_empty() {
        return Ok(Vec::new());
    }
    let id = group_by.column();
    let units_sql = id_list(units);
    let (conditions, mut values) = narrowing.conditions(2, true);
    values.insert(0, to_naive(today).into());
    let sql = format!(
        "SELECT {id} AS id, status, is_key, extended, CAST(SUM(tasks) AS BIGINT) AS tasks, \
         CAST(SUM(progress_sum) AS BIGINT) AS progress_sum, \
         CAST(SUM(CASE WHEN status IN {OPEN} AND due_on < $1 THEN tasks ELSE 0 END) AS BIGINT) \
         AS overdue FROM tally_marked WHERE unit_id IN ({units_sql}){conditions} \
         GROUP BY {id}, status, is_key, extended"
    );
    Ok(
        MarkedGroup::find_by_statement(Statement::from_sql_and_values(db.backend(), sql, values))
            .all(&db.read)
            .await?,
    )
}

/// The documents with tasks counted for `unit` within the reader's clearance.
pub async fn documents_of(db: &Db, unit: i32, clearance: i16) -> Outcome<Vec<i32>> {
    #[derive(FromQueryResult)]
    struct Row {
        document_id: i32,
    }
    Ok(Row::find_by_statement(Statement::from_sql_and_values(
        db.backend(),
        "SELECT document_id FROM tally_status WHERE unit_id = $1 AND classification <= $2 \
         GROUP BY document_id HAVING SUM(tasks) > 0",
        [unit.into(), clearance.into()],
    ))
    .all(&db.read)
    .await?
    .into_iter()
    .map(|r| r.document_id)
    .collect())
}

/// Weekly sums `(week, kind, tasks)` for `unit`, every week up to `last`.
pub async fn weekly(
    db: &Db,
    unit: i32,
    narrowing: &Narrowing,
    last: i32,
) -> Outcome<Vec<(i32, WeeklyKind, i64)>> {
    #[derive(FromQueryResult)]
    struct Row {
        week: i32,
        kind: i16,
        tasks: i64,
    }
    let (conditions, mut values) = narrowing.conditions(2, false);
    values.insert(0, unit.into());
    values.push(last.into());
    let last_param = values.len();
    let sql = format!(
        "SELECT week, kind, CAST(SUM(tasks) AS BIGINT) AS tasks FROM tally_weekly \
         WHERE unit_id = $1{conditions} AND week <= ${last_param} GROUP BY week, kind"
    );
    Ok(
        Row::find_by_statement(Statement::from_sql_and_values(db.backend(), sql, values))
            .all(&db.read)
            .await?
            .into_iter()
            .filter_map(|r| Some((r.week, WeeklyKind::from_code(i64::from(r.kind))?, r.tasks)))
            .collect(),
    )
}

async fn clock(db: &impl ConnectionTrait, lock: bool) -> Outcome<NaiveDate> {
    let lock = if lock && db.get_database_backend() == DbBackend::Postgres {
        " FOR UPDATE"
    } else {
        ""
    };
    let row = db
        .query_one_raw(Statement::from_string(
            db.get_database_backend(),
            format!("SELECT as_of FROM tally_clock WHERE id = 1{lock}"),
        ))
        .await?
        .ok_or_else(|| anyhow::anyhow!("tally_clock has no row"))?;
    Ok(row.try_get("", "as_of")?)
}

/// Brings the overdue counts of `tally_status` to `today`: the open tasks that fell due
/// since the clock's day become overdue. A read when the clock is already there.
pub async fn roll_clock_to(db: &Db, today: Day) -> Outcome<()> {
    let today = to_naive(today);
    if clock(&db.read, false).await? == today {
        return Ok(());
    }
    let txn = db.begin_write().await?;
    roll_in(&txn, today).await?;
    txn.commit().await?;
    Ok(())
}

/// Rolls the clock inside the caller's write transaction.
pub async fn roll_in(txn: &DatabaseTransaction, today: NaiveDate) -> Outcome<()> {
    let as_of = clock(txn, true).await?;
    if as_of == today {
        return Ok(());
    }
    let forward = as_of < today;
    let (from, to) = if forward {
        (as_of, today)
    } else {
        (today, as_of)
    };
    txn.execute_raw(Statement::from_sql_and_values(
        txn.get_database_backend(),
        migration::tallies::roll_clock(forward),
        [from.into(), to.into()],
    ))
    .await?;
    txn.execute_raw(Statement::from_sql_and_values(
        txn.get_database_backend(),
        "UPDATE tally_clock SET as_of = $1 WHERE id = 1",
        [today.into()],
    ))
    .await?;
    Ok(())
}

/// Recounts the tallies of one document (or all) from the tasks, in the caller's
/// transaction, with the clock on `today`. For bulk loads, which pause the triggers.
pub async fn rebuild(txn: &DatabaseTransaction, document: Option<i32>, today: Day) -> Outcome<()> {
    let backend = txn.get_database_backend();
    if document.is_some() {
        // The other documents' rows stay: bring their overdue counts to today first.
        roll_in(txn, to_naive(today)).await?;
    } else {
        txn.execute_raw(Statement::from_sql_and_values(
            backend,
            "UPDATE tally_clock SET as_of = $1 WHERE id = 1",
            [to_naive(today).into()],
        ))
        .await?;
    }
    for statement in migration::tallies::rebuild(backend, document) {
        txn.execute_unprepared(&statement).await?;
    }
    Ok(())
}

/// Counts tasks inserted while the triggers were paused, selected by `only` (a condition
/// on `tasks t` built from numbers only), in the caller's transaction.
pub async fn add_tasks(txn: &DatabaseTransaction, only: &str) -> Outcome<()> {
    for statement in migration::tallies::add_tasks(txn.get_database_backend(), only) {
        txn.execute_unprepared(&statement).await?;
    }
    Ok(())
}

/// Pauses the triggers for a bulk load in this transaction, or resumes them.
pub async fn pause(txn: &DatabaseTransaction, paused: bool) -> Outcome<()> {
    txn.execute_unprepared(&migration::tallies::set_paused(paused))
        .await?;
    Ok(())
}

/// The tally tables, and which of their rows count (a row may drop to zero).
const TABLES: [(&str, &str); 6] = [
    (
        "tally_status",
        "tasks <> 0 OR progress_sum <> 0 OR overdue <> 0",
    ),
    ("tally_due", "tasks <> 0 OR progress_sum <> 0"),
    ("tally_weekly", "tasks <> 0"),
    ("tally_marked", "tasks <> 0 OR progress_sum <> 0"),
    ("tally_reported", "tasks <> 0"),
    ("tally_own_open", "tasks <> 0"),
];

/// Whether the tallies equal a recount from the tasks: for tests and checks after
/// maintenance. Changes nothing.
pub async fn consistent(db: &Db) -> Outcome<bool> {
    let txn = db.begin_write().await?;
    let as_of = clock(&txn, false).await?;
    for (table, counts) in TABLES {
        txn.execute_unprepared(&format!(
            "CREATE TEMP TABLE kept_{table} AS SELECT * FROM {table} WHERE {counts}"
        ))
        .await?;
    }
    rebuild(&txn, None, super::work::from_naive(as_of)).await?;
    let mut same = true;
    for (table, counts) in TABLES {
        same &= same_rows(
            &txn,
            &format!("kept_{table}"),
            &format!("SELECT * FROM {table} WHERE {counts}"),
        )
        .await?;
    }
    txn.rollback().await?;
    Ok(same)
}

/// Whether the rows of table `kept` are those `current` selects, neither more nor fewer:
/// a kept figure against its recount.
pub(crate) async fn same_rows(
    txn: &DatabaseTransaction,
    kept: &str,
    current: &str,
) -> Outcome<bool> {
    let differences = txn
        .query_one_raw(Statement::from_string(
            txn.get_database_backend(),
            format!(
                "SELECT COUNT(*) AS n FROM (\
                 SELECT * FROM (SELECT * FROM {kept} EXCEPT {current}) AS gone \
                 UNION ALL SELECT * FROM ({current} EXCEPT SELECT * FROM {kept}) AS extra) AS d"
            ),
        ))
        .await?
        .map(|row| row.try_get::<i64>("", "n"))
        .transpose()?;
    Ok(differences == Some(0))
}

#[cfg(test)]
mod tests {
    use crate::model::task::TaskStatus;

    #[test]
    fn the_sql_list_of_open_statuses_is_the_model_s() {
        let open: Vec<String> = [
            TaskStatus::NotStarted,
            TaskStatus::InProgress,
            TaskStatus::Done,
            TaskStatus::DoneLate,
            TaskStatus::Returned,
            TaskStatus::Cancelled,
        ]
        .into_iter()
        .filter(|s| !s.is_closed())
        .map(|s| format!("'{}'", s.as_str()))
        .collect();
        assert_eq!(super::OPEN, format!("({})", open.join(", ")));
    }
}
