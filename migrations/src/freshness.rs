//! How fresh each unit's work is, kept for the dashboards (migration 22):
//! - `tasks.last_report_on` is now the day the task or any task below it was last
//!   reported on (a task with subtasks is reported on through them);
//! - `unit_activity`: per unit, document and classification, the day the unit itself last
//!   sent a progress report or an indicator value (a completion request its subtasks
//!   raise is not sent by it);
//! - `tally_reported` (in `tallies`): open tasks by the month they were last reported on;
//! - `progress_months` (migration 26): per unit, document, classification and month, the
//!   unit's latest progress report with its state, which `/periods` reads instead of
//!   ranking every report of a period (a quarter of the country's is 260,000 rows).
//!
//! The statements here recount them from the reports and values, for the migrations and
//! for bulk loads.

use sea_orm_migration::sea_orm::{ConnectionTrait, DbBackend, DbErr, Statement};

/// The day in Vietnam, as the application counts days, of a timestamp aggregate.
pub fn day_of(backend: DbBackend, timestamp: &str) -> String {
    match backend {
        DbBackend::Postgres => format!("CAST({timestamp} AT TIME ZONE 'Asia/Ho_Chi_Minh' AS DATE)"),
        _ => format!("date({timestamp}, '+7 hours')"),
    }
}

fn of_document(column: &str, document: Option<i32>) -> String {
    document.map_or(String::new(), |id| format!(" AND {column} = {id}"))
}

/// The table (empty).
pub fn create_unit_activity(backend: DbBackend) -> Vec<String> {
    let suffix = match backend {
        DbBackend::Postgres => "",
        _ => " WITHOUT ROWID",
    };
    vec![
        format!(
            "CREATE TABLE unit_activity (unit_id INTEGER NOT NULL, document_id INTEGER NOT NULL, \
             classification SMALLINT NOT NULL, unit_path VARCHAR(255) NOT NULL, \
             last_on DATE NOT NULL, PRIMARY KEY (unit_id, document_id, classification)){suffix}"
        ),
        "CREATE INDEX idx_unit_activity_path ON unit_activity (unit_path)".to_owned(),
    ]
}

/// The first day of the month in Vietnam of a timestamp.
pub fn month_of(backend: DbBackend, timestamp: &str) -> String {
    match backend {
        DbBackend::Postgres => format!(
            "CAST(date_trunc('month', {timestamp} AT TIME ZONE 'Asia/Ho_Chi_Minh') AS DATE)"
        ),
        _ => format!("date({timestamp}, '+7 hours', 'start of month')"),
    }
}

/// `progress_months` (empty), and the trigger that keeps the state of its reports: a
/// report is evaluated or withdrawn in several places, and each must move the row.
pub fn create_progress_months(backend: DbBackend) -> Vec<String> {
    let (suffix, timestamp) = match backend {
        DbBackend::Postgres => ("", "TIMESTAMPTZ"),
        _ => (" WITHOUT ROWID", "TEXT"),
    };
    let mut statements = vec![
        format!(
            "CREATE TABLE progress_months (document_id INTEGER NOT NULL, month DATE NOT NULL, \
             unit_id INTEGER NOT NULL, classification SMALLINT NOT NULL, \
             unit_path VARCHAR(255) NOT NULL, report_id INTEGER NOT NULL, \
             created_at {timestamp} NOT NULL, status VARCHAR(32) NOT NULL, \
             PRIMARY KEY (document_id, month, unit_id, classification)){suffix}"
        ),
        "CREATE INDEX idx_progress_months_report ON progress_months (report_id)".to_owned(),
    ];
    let update = "UPDATE progress_months SET status = NEW.status WHERE report_id = NEW.id;";
    match backend {
        DbBackend::Postgres => statements.extend([
            format!(
                "CREATE FUNCTION progress_months_status() RETURNS trigger AS $$ \
                 BEGIN {update} RETURN NULL; END $$ LANGUAGE plpgsql"
            ),
            "CREATE TRIGGER progress_months_status AFTER UPDATE OF status ON reports \
             FOR EACH ROW WHEN (OLD.status IS DISTINCT FROM NEW.status) \
             EXECUTE FUNCTION progress_months_status()"
                .to_owned(),
        ]),
        _ => statements.push(format!(
            "CREATE TRIGGER progress_months_status AFTER UPDATE OF status ON reports \
             WHEN OLD.status IS NOT NEW.status BEGIN {update} END"
        )),
    }
    statements
}

pub fn drop_progress_months(backend: DbBackend) -> Vec<String> {
    let mut statements = vec!["DROP TRIGGER IF EXISTS progress_months_status".to_owned()];
    if backend == DbBackend::Postgres {
        statements[0].push_str(" ON reports");
        statements.push("DROP FUNCTION IF EXISTS progress_months_status()".to_owned());
    }
    statements.push("DROP TABLE progress_months".to_owned());
    statements
}

/// Recounts what units sent and the tasks' days last reported on (of one document, or
/// all) from the reports and indicator values.
pub async fn recount(db: &impl ConnectionTrait, document: Option<i32>) -> Result<(), DbErr> {
    recount_sent(db, document).await?;
    recount_last_reports(db, document).await
}

/// Recounts `unit_activity` and `progress_months` (of one document, or all): after a bulk
/// load, or when tasks change classification (each row counts under its task's).
pub async fn recount_sent(db: &impl ConnectionTrait, document: Option<i32>) -> Result<(), DbErr> {
    recount_activity(db, document).await?;
    recount_progress_months(db, document).await
}

/// Recounts `progress_months` (of one document, or all) from the reports.
pub async fn recount_progress_months(
    db: &impl ConnectionTrait,
    document: Option<i32>,
) -> Result<(), DbErr> {
    // The month is computed once per report (in `sent`), not again to partition by it.
    let month = month_of(db.get_database_backend(), "r.created_at");
    db.execute_unprepared(&format!(
        "DELETE FROM progress_months WHERE TRUE{}",
        of_document("document_id", document)
    ))
    .await?;
    db.execute_unprepared(&format!(
        "INSERT INTO progress_months (document_id, month, unit_id, classification, unit_path, \
         report_id, created_at, status) \
         SELECT document_id, month, unit_id, classification, unit_path, id, created_at, status \
         FROM (SELECT *, ROW_NUMBER() OVER (PARTITION BY document_id, month, unit_id, \
         classification ORDER BY created_at DESC, id DESC) AS latest \
         FROM (SELECT t.document_id, {month} AS month, r.unit_id, t.classification, \
         t.lead_path AS unit_path, r.id, r.created_at, r.status \
         FROM reports r JOIN tasks t ON t.id = r.task_id \
         WHERE r.kind = 'progress'{}) sent) ranked WHERE latest = 1",
        of_document("t.document_id", document)
    ))
    .await?;
    Ok(())
}

/// Recounts `unit_activity` (of one document, or all).
pub async fn recount_activity(
    db: &impl ConnectionTrait,
    document: Option<i32>,
) -> Result<(), DbErr> {
    let backend = db.get_database_backend();
    let reported = day_of(backend, "MAX(r.created_at)");
    let sent = day_of(backend, "MAX(v.submitted_at)");
    let only_tasks = of_document("t.document_id", document);
    let only_indicators = of_document("i.document_id", document);
    for statement in [
        format!(
            "DELETE FROM unit_activity WHERE TRUE{}",
            of_document("document_id", document)
        ),
        // The reports are grouped before their units are joined: the sender's unit is
        // the report's (not the task's), and a bulk load's fresh rows have no statistics
        // yet, under which joining first led PostgreSQL to a loop over every unit.
        format!(
            "INSERT INTO unit_activity (unit_id, document_id, classification, unit_path, last_on) \
             SELECT x.unit_id, x.document_id, x.classification, u.path, MAX(x.last_on) FROM ( \
             SELECT r.unit_id, t.document_id, t.classification, {reported} AS last_on \
             FROM reports r JOIN tasks t ON t.id = r.task_id \
             WHERE r.kind = 'progress'{only_tasks} \
             GROUP BY r.unit_id, t.document_id, t.classification \
             UNION ALL \
             SELECT i.unit_id, i.document_id, i.classification, {sent} \
             FROM indicator_values v JOIN indicators i ON i.id = v.indicator_id \
             WHERE TRUE{only_indicators} \
             GROUP BY i.unit_id, i.document_id, i.classification) x \
             JOIN units u ON u.id = x.unit_id \
             GROUP BY x.unit_id, x.document_id, x.classification, u.path"
        ),
    ] {
        db.execute_unprepared(&statement).await?;
    }
    Ok(())
}

/// Sets `tasks.last_report_on` (of one document, or all) to the day of the task's latest
/// report, then carries the latest day up to the tasks above.
pub async fn recount_last_reports(
    db: &impl ConnectionTrait,
    document: Option<i32>,
) -> Result<(), DbErr> {
    let backend = db.get_database_backend();
    let reported = day_of(backend, "MAX(r.created_at)");
    let only_tasks = of_document("t.document_id", document);
    db.execute_unprepared(&format!(
        "UPDATE tasks SET last_report_on = (SELECT {reported} FROM reports r \
         WHERE r.task_id = tasks.id AND r.kind = 'progress') \
         WHERE EXISTS (SELECT 1 FROM reports r WHERE r.task_id = tasks.id \
         AND r.kind = 'progress'){}",
        of_document("tasks.document_id", document)
    ))
    .await?;
    let deepest = db
        .query_one_raw(Statement::from_string(
            backend,
            format!(
                "SELECT CAST(COALESCE(MAX(depth), 0) AS INTEGER) AS deepest FROM tasks t \
                 WHERE TRUE{only_tasks}"
            ),
        ))
        .await?
        .map(|row| row.try_get::<i32>("", "deepest"))
        .transpose()?
        .unwrap_or(0);
    // The deepest first: a task takes the latest day of the tasks directly below it.
    for depth in (0..deepest).rev() {
        db.execute_unprepared(&format!(
            "UPDATE tasks SET last_report_on = (SELECT MAX(c.last_report_on) FROM tasks c \
             WHERE c.parent_id = tasks.id) \
             WHERE depth = {depth}{} AND EXISTS (SELECT 1 FROM tasks c \
             WHERE c.parent_id = tasks.id AND c.last_report_on IS NOT NULL \
             AND (tasks.last_report_on IS NULL OR c.last_report_on > tasks.last_report_on))",
            of_document("tasks.document_id", document)
        ))
        .await?;
    }
    Ok(())
}
