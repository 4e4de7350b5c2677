//! Roll-up tallies of tasks, kept exact by triggers in the same transaction as every write
//! to `tasks`, so that a dashboard over a million tasks reads a few hundred rows.
//!
//! Every task counts once for each unit on its lead unit's path (the unit itself, its
//! province, the centre), in three shapes:
//! - `tally_status` (unit, document, classification, status): counts, progress and the
//!   tasks overdue as of `tally_clock.as_of`. Overdue moves with the clock, not with
//!   writes: `roll_clock` adds the open tasks that fell due since the last day it ran, and
//!   the dashboards roll it to today before reading.
//! - `tally_due` (unit, due day, document, classification, status): the same figures by
//!   due date, for dashboards narrowed to a period.
//! - `tally_weekly` (unit, week, kind, document, classification): what the trend needs,
//!   with `kind` 0 for open tasks by due week, 1 for completed tasks by completion week,
//!   and for tasks completed in a later week than their due week, 2 by due week and 3 by
//!   completion week. A task is overdue at the end of week W when it was due by then and
//!   not completed: the sum over weeks up to W of kinds 0 and 2, less kind 3.
//!
//! - `tally_marked` (unit, document, classification, status, due day, key, extended): the
//!   same figures for the tasks that are key or whose deadline was extended (a small
//!   share), so that the dashboards show key tasks and extensions apart.
//!
//! - `tally_reported` (unit, document, classification, month): the open tasks by the
//!   month they (or a task below them) were last reported on, `-1` for never: how much of
//!   the open work was updated this period (the dashboards' freshness).
//! - `tally_own_open` (unit, document, classification): each unit's own open tasks, the
//!   lead unit's row only: which units have work of their own, to tell those that sent
//!   nothing this period.
//!
//! Cancelled tasks are not counted anywhere. The SQL is built here once, for the triggers,
//! the full rebuild (after a bulk load) and the clock, on SQLite and PostgreSQL alike.

use sea_orm_migration::sea_orm::{ConnectionTrait, DbBackend, DbErr, Statement};

/// The statuses of tasks still to be done (the ones that can be overdue), as an SQL list.
pub const OPEN: &str = "('not_started', 'in_progress', 'returned')";
const CLOSED: &str = "('done', 'done_late')";

/// The tallies as a migration left them: the triggers of a version count into its tables,
/// and a migration that adds a shape recreates them. Migrations name theirs; the server
/// uses `LATEST`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Version {
    /// `tally_status`, `tally_due` and `tally_weekly` (migration 5).
    Tasks,
    /// And `tally_marked`, over the key flag and the original due date (migration 18).
    Marked,
    /// And `tally_reported` with a row for the lead unit's own share, over the day last
    /// reported on (migration 22).
    Reported,
    /// `tally_reported` without the own share, which `tally_own_open` keeps without the
    /// month (migration 23).
    OwnOpen,
}

pub const LATEST: Version = Version::OwnOpen;

/// Columns whose change moves a task from one tally row to another.
fn tallied_columns(version: Version) -> Vec<&'static str> {
    let mut columns = vec![
        "document_id",
        "lead_unit_id",
        "classification",
        "status",
        "progress",
        "due_on",
        "completed_on",
    ];
    if version >= Version::Marked {
        columns.extend(["is_key", "original_due_on"]);
    }
    if version >= Version::Reported {
        columns.push("last_report_on");
    }
    columns
}

/// The tally tables of a version.
fn table_names(version: Version) -> Vec<&'static str> {
    let mut tables = vec!["tally_status", "tally_due", "tally_weekly"];
    if version >= Version::Marked {
        tables.push("tally_marked");
    }
    if version >= Version::Reported {
        tables.push("tally_reported");
    }
    if version >= Version::OwnOpen {
        tables.push("tally_own_open");
    }
    tables
}

/// Monday-based week number of a date column (week 0 starts on Monday 1969-12-29).
fn week(backend: DbBackend, date: &str) -> String {
    match backend {
        DbBackend::Postgres => format!("((({date}) - DATE '1970-01-01' + 3) / 7)"),
        _ => format!("((CAST(julianday({date}) - 2440587.5 AS INTEGER) + 3) / 7)"),
    }
}

/// Months since year 0 of a date column (`-1` when NULL): `2026-12-07` is 24,323.
pub fn month(backend: DbBackend, date: &str) -> String {
    match backend {
        DbBackend::Postgres => format!(
            "COALESCE(CAST(EXTRACT(YEAR FROM {date}) * 12 + EXTRACT(MONTH FROM {date}) - 1 \
             AS INTEGER), -1)"
        ),
        _ => format!(
            "COALESCE(CAST(strftime('%Y', {date}) AS INTEGER) * 12 \
             + CAST(strftime('%m', {date}) AS INTEGER) - 1, -1)"
        ),
    }
}

fn done_on(row: &str) -> String {
    format!("COALESCE({row}.completed_on, {row}.due_on)")
}

/// One tally table's contribution of a task image `row` (`NEW`, `OLD` or `t`).
struct Shape {
    table: &'static str,
    /// Key columns, in the table's order, and their values for `row`.
    key: Vec<(&'static str, String)>,
    /// Counted columns and the value one task adds.
    counts: Vec<(&'static str, String)>,
    /// When the task counts in this shape at all (cancelled tasks never do).
    when: String,
}

fn shapes(backend: DbBackend, row: &str, version: Version) -> Vec<Shape> {
    let r = row;
    let open = format!("{r}.status IN {OPEN}");
    let closed = format!("{r}.status IN {CLOSED}");
    let counted = format!("{r}.status <> 'cancelled'");
    let due_week = week(backend, &format!("{r}.due_on"));
    let done_week = week(backend, &done_on(r));
    let late = format!("{closed} AND {done_week} > {due_week}");
    let base = |extra: Vec<(&'static str, String)>| {
        let mut key = vec![("unit_id", "a.ancestor_id".to_owned())];
        key.extend(extra);
        key.push(("document_id", format!("{r}.document_id")));
        key.push(("classification", format!("{r}.classification")));
        key
    };
    let mut shapes = vec![
        Shape {
            table: "tally_status",
            key: {
                let mut key = base(vec![]);
                key.push(("status", format!("{r}.status")));
                key
            },
            counts: vec![
                ("tasks", "1".to_owned()),
                ("progress_sum", format!("{r}.progress")),
                (
                    "overdue",
                    format!(
                        "CASE WHEN {open} AND {r}.due_on < (SELECT as_of FROM tally_clock) \
                         THEN 1 ELSE 0 END"
                    ),
                ),
            ],
            when: counted.clone(),
        },
        Shape {
            table: "tally_due",
            key: {
                let mut key = base(vec![("due_on", format!("{r}.due_on"))]);
                key.push(("status", format!("{r}.status")));
                key
            },
            counts: vec![
                ("tasks", "1".to_owned()),
                ("progress_sum", format!("{r}.progress")),
            ],
            when: counted.clone(),
        },
        Shape {
            table: "tally_weekly",
            key: base(vec![
                (
                    "week",
                    format!("CASE WHEN {closed} THEN {done_week} ELSE {due_week} END"),
                ),
                ("kind", format!("CASE WHEN {closed} THEN 1 ELSE 0 END")),
            ]),
            counts: vec![("tasks", "1".to_owned())],
            when: counted.clone(),
        },
        Shape {
            table: "tally_weekly",
            key: base(vec![("week", due_week.clone()), ("kind", "2".to_owned())]),
            counts: vec![("tasks", "1".to_owned())],
            when: late.clone(),
        },
        Shape {
            table: "tally_weekly",
            key: base(vec![("week", done_week.clone()), ("kind", "3".to_owned())]),
            counts: vec![("tasks", "1".to_owned())],
            when: late,
        },
    ];
    if version >= Version::Marked {
        let key = format!("CASE WHEN {r}.is_key THEN 1 ELSE 0 END");
        let extended = extended(r);
        shapes.push(Shape {
            table: "tally_marked",
            key: {
                let mut columns = base(vec![]);
                columns.extend([
                    ("status", format!("{r}.status")),
                    ("due_on", format!("{r}.due_on")),
                    ("is_key", key.clone()),
                    ("extended", extended.clone()),
                ]);
                columns
            },
            counts: vec![
                ("tasks", "1".to_owned()),
                ("progress_sum", format!("{r}.progress")),
            ],
            when: format!("{counted} AND ({key} = 1 OR {extended} = 1)"),
        });
    }
    let month = ("month", month(backend, &format!("{r}.last_report_on")));
    if version == Version::Reported {
        shapes.push(Shape {
            table: "tally_reported",
            key: base(vec![
                (
                    "own",
                    format!("CASE WHEN a.ancestor_id = {r}.lead_unit_id THEN 1 ELSE 0 END"),
                ),
                month,
            ]),
            counts: vec![("tasks", "1".to_owned())],
            when: open.clone(),
        });
    } else if version >= Version::OwnOpen {
        shapes.push(Shape {
            table: "tally_reported",
            key: base(vec![month]),
            counts: vec![("tasks", "1".to_owned())],
            when: open.clone(),
        });
        shapes.push(Shape {
            table: "tally_own_open",
            key: base(vec![]),
            counts: vec![("tasks", "1".to_owned())],
            when: format!("{open} AND a.ancestor_id = {r}.lead_unit_id"),
        });
    }
    shapes
}

/// 1 when the task's due date lies after the one it was first given, else 0.
fn extended(row: &str) -> String {
    format!(
        "CASE WHEN {row}.original_due_on IS NOT NULL AND {row}.due_on > {row}.original_due_on \
         THEN 1 ELSE 0 END"
    )
}

fn column_list(shape: &Shape) -> String {
    shape
        .key
        .iter()
        .chain(&shape.counts)
        .map(|(c, _)| *c)
        .collect::<Vec<_>>()
        .join(", ")
}

/// Adds (`sign` 1) or takes away (`sign` -1) one task image in every tally: the body of
/// the triggers.
fn apply_image(backend: DbBackend, row: &str, sign: i32, version: Version) -> Vec<String> {
    shapes(backend, row, version)
        .into_iter()
        .map(|shape| {
            let keys: Vec<&str> = shape.key.iter().map(|(c, _)| *c).collect();
            let values: Vec<String> = shape
                .key
                .iter()
                .map(|(_, v)| v.clone())
                .chain(shape.counts.iter().map(|(_, v)| format!("{sign} * ({v})")))
                .collect();
            let updates: Vec<String> = shape
                .counts
                .iter()
                .map(|(c, _)| format!("{c} = {table}.{c} + excluded.{c}", table = shape.table))
                .collect();
            format!(
                "INSERT INTO {table} ({columns}) SELECT {values} FROM unit_ancestors a \
                 WHERE a.unit_id = {row}.lead_unit_id AND {when} \
                 ON CONFLICT ({keys}) DO UPDATE SET {updates}",
                table = shape.table,
                columns = column_list(&shape),
                values = values.join(", "),
                when = shape.when,
                keys = keys.join(", "),
                updates = updates.join(", "),
            )
        })
        .collect()
}

/// Counts the tasks that `only` selects (a condition on `tasks t`) into every tally:
/// into empty rows (`add` false, after a delete) or onto the rows there (`add` true).
fn count_tasks(backend: DbBackend, only: &str, add: bool, version: Version) -> Vec<String> {
    count_shapes(shapes(backend, "t", version), only, add)
}

fn count_shapes(shapes: Vec<Shape>, only: &str, add: bool) -> Vec<String> {
    shapes
        .into_iter()
        .map(|shape| {
            let key_values: Vec<String> = shape.key.iter().map(|(_, v)| v.clone()).collect();
            let sums: Vec<String> = shape
                .counts
                .iter()
                .map(|(_, v)| format!("SUM({v})"))
                .collect();
            let positions: Vec<String> = (1..=shape.key.len()).map(|i| i.to_string()).collect();
            let upsert = if add {
                let keys: Vec<&str> = shape.key.iter().map(|(c, _)| *c).collect();
                let updates: Vec<String> = shape
                    .counts
                    .iter()
                    .map(|(c, _)| format!("{c} = {t}.{c} + excluded.{c}", t = shape.table))
                    .collect();
                format!(
                    " ON CONFLICT ({}) DO UPDATE SET {}",
                    keys.join(", "),
                    updates.join(", ")
                )
            } else {
                String::new()
            };
            format!(
                "INSERT INTO {table} ({columns}) SELECT {keys}, {sums} \
                 FROM tasks t JOIN unit_ancestors a ON a.unit_id = t.lead_unit_id \
                 WHERE {when} AND ({only}) GROUP BY {positions}{upsert}",
                table = shape.table,
                columns = column_list(&shape),
                keys = key_values.join(", "),
                sums = sums.join(", "),
                when = shape.when,
                positions = positions.join(", "),
            )
        })
        .collect()
}

/// Recounts the tallies of every task (or of one document's) from the tasks themselves.
/// The caller deletes the rows it recounts first (see `rebuild`).
fn recount(backend: DbBackend, document: Option<i32>, version: Version) -> Vec<String> {
    let only = document.map_or("TRUE".to_owned(), |id| format!("t.document_id = {id}"));
    count_tasks(backend, &only, false, version)
}

/// Adds tasks just inserted while the triggers were paused, selected by `only` (a
/// condition on `tasks t`): one statement a tally for a bulk insert such as a cascade,
/// instead of one a task.
pub fn add_tasks(backend: DbBackend, only: &str) -> Vec<String> {
    count_tasks(backend, only, true, LATEST)
}

/// The statements that recount the tallies (of one document, or all), in the caller's
/// transaction. Bulk loads pause the triggers (`set_paused`), insert, then rebuild.
pub fn rebuild(backend: DbBackend, document: Option<i32>) -> Vec<String> {
    rebuild_as(backend, document, LATEST)
}

/// `rebuild` for the tables of `version` (a migration's).
pub fn rebuild_as(backend: DbBackend, document: Option<i32>, version: Version) -> Vec<String> {
    let only = document.map_or(String::new(), |id| format!(" WHERE document_id = {id}"));
    let mut statements: Vec<String> = table_names(version)
        .iter()
        .map(|table| format!("DELETE FROM {table}{only}"))
        .collect();
    statements.extend(recount(backend, document, version));
    statements
}

/// Pauses (or resumes) the triggers, for a bulk load in one transaction that ends with
/// `rebuild`. Other writers wait for that transaction as they would anyway.
pub fn set_paused(paused: bool) -> String {
    format!("UPDATE tally_clock SET paused = {}", i32::from(paused))
}

/// Moves the overdue counts of `tally_status` when the day changes: the open tasks due
/// in `[$1, $2)` become overdue (`forward`), or stop being so (the clock set back).
/// Run with `tally_clock` locked, then set `as_of`.
pub fn roll_clock(forward: bool) -> String {
    let sign = if forward { "" } else { "-" };
    format!(
        "INSERT INTO tally_status \
         (unit_id, document_id, classification, status, tasks, progress_sum, overdue) \
         SELECT a.ancestor_id, t.document_id, t.classification, t.status, 0, 0, {sign}COUNT(*) \
         FROM tasks t JOIN unit_ancestors a ON a.unit_id = t.lead_unit_id \
         WHERE t.due_on >= $1 AND t.due_on < $2 AND t.status IN {OPEN} \
         GROUP BY a.ancestor_id, t.document_id, t.classification, t.status \
         ON CONFLICT (unit_id, document_id, classification, status) \
         DO UPDATE SET overdue = tally_status.overdue + excluded.overdue"
    )
}

fn tables(backend: DbBackend) -> Vec<String> {
    let (suffix, bigint, date) = match backend {
        DbBackend::Postgres => ("", "BIGINT", "DATE"),
        _ => (" WITHOUT ROWID", "INTEGER", "DATE"),
    };
    vec![
        format!(
            "CREATE TABLE unit_ancestors (unit_id INTEGER NOT NULL, ancestor_id INTEGER NOT NULL, \
             PRIMARY KEY (unit_id, ancestor_id)){suffix}"
        ),
        format!(
            "CREATE TABLE tally_clock (id INTEGER NOT NULL PRIMARY KEY, as_of {date} NOT NULL, \
             paused INTEGER NOT NULL DEFAULT 0)"
        ),
        "INSERT INTO tally_clock (id, as_of, paused) VALUES (1, '1970-01-01', 0)".to_owned(),
        format!(
            "CREATE TABLE tally_status (unit_id INTEGER NOT NULL, document_id INTEGER NOT NULL, \
             classification SMALLINT NOT NULL, status VARCHAR(16) NOT NULL, \
             tasks {bigint} NOT NULL, progress_sum {bigint} NOT NULL, overdue {bigint} NOT NULL, \
             PRIMARY KEY (unit_id, document_id, classification, status)){suffix}"
        ),
        format!(
            "CREATE TABLE tally_due (unit_id INTEGER NOT NULL, due_on {date} NOT NULL, \
             document_id INTEGER NOT NULL, classification SMALLINT NOT NULL, \
             status VARCHAR(16) NOT NULL, tasks {bigint} NOT NULL, progress_sum {bigint} NOT NULL, \
             PRIMARY KEY (unit_id, due_on, document_id, classification, status)){suffix}"
        ),
        format!(
            "CREATE TABLE tally_weekly (unit_id INTEGER NOT NULL, week INTEGER NOT NULL, \
             kind SMALLINT NOT NULL, document_id INTEGER NOT NULL, \
             classification SMALLINT NOT NULL, tasks {bigint} NOT NULL, \
             PRIMARY KEY (unit_id, week, kind, document_id, classification)){suffix}"
        ),
        // For rolling the clock and for the deadline lists: open tasks by due day.
        "CREATE INDEX idx_tasks_due ON tasks (due_on, status, classification, lead_path)"
            .to_owned(),
        // A unit's own tasks by status and due day, covering the filters of `/my-work` and
        // of a commune's deadline lists: a commune's tasks are spread over the whole
        // table, so reading them row by row is what costs.
        "CREATE INDEX idx_tasks_unit_due ON tasks \
         (lead_unit_id, status, due_on, classification)"
            .to_owned(),
        // It serves every lookup by lead unit that the older index served.
        "DROP INDEX idx_tasks_lead_unit".to_owned(),
    ]
}

fn triggers(backend: DbBackend, version: Version) -> Vec<String> {
    let tallied = tallied_columns(version);
    let changed = tallied
        .iter()
        .map(|c| match backend {
            DbBackend::Postgres => format!("OLD.{c} IS DISTINCT FROM NEW.{c}"),
            _ => format!("OLD.{c} IS NOT NEW.{c}"),
        })
        .collect::<Vec<_>>()
        .join(" OR ");
    let columns = tallied.join(", ");
    let body = |images: &[(&str, i32)]| {
        images
            .iter()
            .flat_map(|(row, sign)| apply_image(backend, row, *sign, version))
            .map(|s| format!("{s};"))
            .collect::<Vec<_>>()
            .join("\n")
    };
    match backend {
        DbBackend::Postgres => vec![
            format!(
                "CREATE OR REPLACE FUNCTION tally_tasks() RETURNS trigger LANGUAGE plpgsql AS $$\n\
                 BEGIN\n\
                 -- Waits for a clock roll in progress, so overdue counts stay exact.\n\
                 IF (SELECT paused FROM tally_clock WHERE id = 1 FOR SHARE) <> 0 THEN RETURN NULL; END IF;\n\
                 IF TG_OP <> 'INSERT' THEN\n{old}\nEND IF;\n\
                 IF TG_OP <> 'DELETE' THEN\n{new}\nEND IF;\n\
                 RETURN NULL;\n\
                 END $$",
                old = body(&[("OLD", -1)]),
                new = body(&[("NEW", 1)]),
            ),
            "CREATE TRIGGER tally_tasks_insert_delete AFTER INSERT OR DELETE ON tasks \
             FOR EACH ROW EXECUTE FUNCTION tally_tasks()"
                .to_owned(),
            format!(
                "CREATE TRIGGER tally_tasks_update AFTER UPDATE OF {columns} ON tasks \
                 FOR EACH ROW WHEN ({changed}) EXECUTE FUNCTION tally_tasks()"
            ),
        ],
        _ => {
            let running = "(SELECT paused FROM tally_clock) = 0";
            vec![
                format!(
                    "CREATE TRIGGER tally_tasks_insert AFTER INSERT ON tasks WHEN {running} \
                     BEGIN\n{}\nEND",
                    body(&[("NEW", 1)])
                ),
                format!(
                    "CREATE TRIGGER tally_tasks_delete AFTER DELETE ON tasks WHEN {running} \
                     BEGIN\n{}\nEND",
                    body(&[("OLD", -1)])
                ),
                format!(
                    "CREATE TRIGGER tally_tasks_update AFTER UPDATE OF {columns} ON tasks \
                     WHEN {running} AND ({changed}) BEGIN\n{}\nEND",
                    body(&[("OLD", -1), ("NEW", 1)])
                ),
            ]
        }
    }
}

/// Tables and triggers: the migration that introduces the tallies (version `Tasks`).
pub fn create(backend: DbBackend) -> Vec<String> {
    let mut statements = tables(backend);
    statements.extend(triggers(backend, Version::Tasks));
    statements
}

/// Drops the triggers of any version, for a migration that recreates them.
pub fn drop_triggers(backend: DbBackend) -> Vec<String> {
    let names: &[&str] = match backend {
        DbBackend::Postgres => &[
            "DROP TRIGGER tally_tasks_update ON tasks",
            "DROP TRIGGER tally_tasks_insert_delete ON tasks",
            "DROP FUNCTION tally_tasks()",
        ],
        _ => &[
            "DROP TRIGGER tally_tasks_update",
            "DROP TRIGGER tally_tasks_delete",
            "DROP TRIGGER tally_tasks_insert",
        ],
    };
    names.iter().map(|s| (*s).to_owned()).collect()
}

/// The triggers of `version`, after `drop_triggers`.
pub fn create_triggers(backend: DbBackend, version: Version) -> Vec<String> {
    triggers(backend, version)
}

/// The table `tally_marked` (version `Marked`).
pub fn create_marked(backend: DbBackend) -> String {
    let (suffix, bigint) = match backend {
        DbBackend::Postgres => ("", "BIGINT"),
        _ => (" WITHOUT ROWID", "INTEGER"),
    };
    format!(
        "CREATE TABLE tally_marked (unit_id INTEGER NOT NULL, document_id INTEGER NOT NULL, \
         classification SMALLINT NOT NULL, status VARCHAR(16) NOT NULL, due_on DATE NOT NULL, \
         is_key SMALLINT NOT NULL, extended SMALLINT NOT NULL, tasks {bigint} NOT NULL, \
         progress_sum {bigint} NOT NULL, \
         PRIMARY KEY (unit_id, document_id, classification, status, due_on, is_key, extended))\
         {suffix}"
    )
}

/// The freshness tallies of `version` (`Reported` or `OwnOpen`), with their rows counted
/// from the tasks.
pub fn create_reported(backend: DbBackend, version: Version) -> Vec<String> {
    let (suffix, bigint) = match backend {
        DbBackend::Postgres => ("", "BIGINT"),
        _ => (" WITHOUT ROWID", "INTEGER"),
    };
    let mut statements = if version == Version::Reported {
        vec![format!(
            "CREATE TABLE tally_reported (unit_id INTEGER NOT NULL, own SMALLINT NOT NULL, \
             month INTEGER NOT NULL, document_id INTEGER NOT NULL, \
             classification SMALLINT NOT NULL, tasks {bigint} NOT NULL, \
             PRIMARY KEY (unit_id, own, month, document_id, classification)){suffix}"
        )]
    } else {
        vec![
            format!(
                "CREATE TABLE tally_reported (unit_id INTEGER NOT NULL, month INTEGER NOT NULL, \
                 document_id INTEGER NOT NULL, classification SMALLINT NOT NULL, \
                 tasks {bigint} NOT NULL, \
                 PRIMARY KEY (unit_id, month, document_id, classification)){suffix}"
            ),
            format!(
                "CREATE TABLE tally_own_open (unit_id INTEGER NOT NULL, \
                 document_id INTEGER NOT NULL, classification SMALLINT NOT NULL, \
                 tasks {bigint} NOT NULL, \
                 PRIMARY KEY (unit_id, document_id, classification)){suffix}"
            ),
        ]
    };
    let reported = shapes(backend, "t", version)
        .into_iter()
        .filter(|shape| matches!(shape.table, "tally_reported" | "tally_own_open"))
        .collect();
    statements.extend(count_shapes(reported, "TRUE", false));
    statements
}

/// Gives every unit that has none its rows in `unit_ancestors`: itself and each unit on
/// its materialised path (`/1/15/4533/`). Run after units are added.
pub async fn fill_unit_ancestors(db: &impl ConnectionTrait) -> Result<u64, DbErr> {
    let backend = db.get_database_backend();
    let missing = db
        .query_all_raw(Statement::from_string(
            backend,
            "SELECT id, path FROM units u WHERE path <> '' AND NOT EXISTS \
             (SELECT 1 FROM unit_ancestors x WHERE x.unit_id = u.id)",
        ))
        .await?;
    let mut pairs = Vec::new();
    for row in &missing {
        let id: i32 = row.try_get("", "id")?;
        let path: String = row.try_get("", "path")?;
        pairs.extend(ancestors_on_path(&path).map(|ancestor| (id, ancestor)));
    }
    for chunk in pairs.chunks(2000) {
        let values: Vec<String> = chunk.iter().map(|(u, a)| format!("({u}, {a})")).collect();
        db.execute_unprepared(&format!(
            "INSERT INTO unit_ancestors (unit_id, ancestor_id) VALUES {}",
            values.join(", ")
        ))
        .await?;
    }
    Ok(pairs.len() as u64)
}

/// The unit ids on a materialised path, the root first.
pub fn ancestors_on_path(path: &str) -> impl Iterator<Item = i32> + '_ {
    path.split('/').filter_map(|id| id.parse().ok())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_list_every_ancestor() {
        assert_eq!(
            ancestors_on_path("/1/15/4533/").collect::<Vec<_>>(),
            [1, 15, 4533]
        );
        assert_eq!(ancestors_on_path("").count(), 0);
    }

    #[test]
    fn every_image_touches_every_shape() {
        for backend in [DbBackend::Sqlite, DbBackend::Postgres] {
            assert_eq!(apply_image(backend, "NEW", 1, Version::Tasks).len(), 5);
            assert_eq!(apply_image(backend, "NEW", 1, Version::Marked).len(), 6);
            assert_eq!(apply_image(backend, "NEW", 1, Version::Reported).len(), 7);
            let add = apply_image(backend, "NEW", 1, LATEST);
            assert_eq!(add.len(), 8);
            assert!(add.iter().all(|s| s.contains("NEW.lead_unit_id")));
            assert!(add.iter().all(|s| !s.contains("OLD.")));
            assert_eq!(recount(backend, Some(3), LATEST).len(), 8);
            assert_eq!(rebuild_as(backend, None, Version::Tasks).len(), 8);
            let added = add_tasks(backend, "t.parent_id = 7");
            assert!(added.iter().all(|s| s.contains("ON CONFLICT")));
        }
    }
}
