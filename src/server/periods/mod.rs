//! Reporting periods: for one document and period, which units below a unit have sent
//! their progress reports, and in what state (`model::period::SubmissionState`).
//!
//! A unit is expected to report in a period when it leads a task of the document that it
//! reports on itself (one without subtasks), begun by the period's end and not finished
//! before it began. Its submission is its latest progress report on the document's tasks
//! sent during the period. Everything is counted from the tasks the reader may see: their
//! subtree, within their clearance.

use super::access::{Reader, audit_reads};
use super::db::Db;
use super::entity::{document, unit};
use super::tallies;
use super::work::{Outcome, today, unit_ref};
use crate::model::period::{
    Cycle, DEFAULT_CUT_OFF_DAY, Period, PeriodRow, PeriodsFilter, PeriodsPage, StateCounts,
    Submission, SubmissionState,
};
use crate::model::task::{ReportStatus, Verdict};
use crate::model::time::Day;
use crate::model::{AppError, Problem, UnitLevel};
use chrono::{DateTime, Utc};
use sea_orm::{
    ColumnTrait, ConnectionTrait, DatabaseTransaction, EntityTrait, FromQueryResult, QueryFilter,
    Statement,
};
use std::collections::HashMap;

/// `/periods` for the reader, or `None` when they may not look at the unit asked for.
pub async fn page(
    db: &Db,
    reader: &Reader,
    filter: &PeriodsFilter,
) -> Outcome<Option<PeriodsPage>> {
    let code = filter
        .unit
        .as_deref()
        .map(str::trim)
        .filter(|c| !c.is_empty());
    // Read before anything else, so that a change committed meanwhile is never kept as
    // current.
    let generation = super::generation::current(db).await?;
    let Some(scope) = super::dashboard::overseen_unit(db, reader, code).await? else {
        return Ok(None);
    };
    // Counted within the reader's clearance in a unit they oversee: the same for every
    // reader of that clearance.
    let key = (
        scope.id,
        PeriodsFilter {
            unit: None,
            ..filter.clone()
        },
        reader.clearance,
        today(),
    );
    let seen = db
        .kept
        .periods
        .get_or_read(generation, key, || read_page(db, reader, scope, filter))
        .await?;
    let (page, shown) = seen.as_ref();
    audit_reads(db, reader, shown.iter().copied()).await?;
    Ok(Some(page.clone()))
}

async fn read_page(
    db: &Db,
    reader: &Reader,
    scope: unit::Model,
    filter: &PeriodsFilter,
) -> Outcome<(PeriodsPage, Vec<super::access::Shown>)> {
    // The documents with tasks, or indicators, in the scope.
    let mut counted = tallies::documents_of(db, scope.id, reader.clearance).await?;
    counted.extend(super::indicators::documents_carried(db, &scope.path, reader.clearance).await?);
    counted.sort_unstable();
    counted.dedup();
    let mut shown = Vec::new();
    let mut documents = super::dashboard::document_refs(db, reader, counted, &mut shown).await?;
    documents.sort_by(|a, b| a.code.cmp(&b.code));
    let chosen = match filter.document {
        Some(id) => Some(
            documents
                .iter()
                .find(|d| d.id == id)
                .cloned()
                .ok_or_else(|| AppError::invalid("document", Problem::Unknown))?,
        ),
        None => documents.first().cloned(),
    };
    let (cycle, cut_off_day) = match &chosen {
        Some(document) => cycle_of(db, document.id).await?,
        None => (Cycle::Quarterly, DEFAULT_CUT_OFF_DAY),
    };
    let today = today();
    let current = Period::containing(cycle, today);
    let period = match filter
        .period
        .as_deref()
        .map(str::trim)
        .filter(|p| !p.is_empty())
    {
        Some(code) => Period::parse(cycle, code)
            .ok_or_else(|| AppError::invalid("period", Problem::Unknown))?,
        None => current,
    };
    let mut periods = vec![current.next(), current];
    while periods.len() < cycle.per_year() as usize + 2 {
        let earlier = periods.last().copied().unwrap_or(current).previous();
        periods.push(earlier);
    }
    if !periods.contains(&period) {
        periods.push(period);
    }

    let mut children: Vec<unit::Model> = unit::Entity::find()
        .filter(unit::Column::ParentId.eq(scope.id))
        .all(&db.read)
        .await?;
    children.sort_by_key(|u| (u.level == UnitLevel::Agency.as_str(), u.code.clone()));
    let mut rows: Vec<PeriodRow> = std::iter::once(&scope)
        .chain(&children)
        .map(|unit| PeriodRow {
            unit: unit_ref(unit),
            counts: StateCounts::default(),
            own: None,
            below: false,
            values: StateCounts::default(),
            own_values: None,
            values_below: false,
        })
        .collect();
    let row_of: HashMap<i32, usize> = std::iter::once(scope.id)
        .chain(children.iter().map(|c| c.id))
        .enumerate()
        .map(|(i, id)| (id, i))
        .collect();
    let mut totals = StateCounts::default();
    let mut value_totals = StateCounts::default();
    // The row of the unit directly below the scope that a unit is in, or the scope's own,
    // and whether it is that row's unit itself.
    let place = |unit_id: i32, path: &str| {
        let row_unit = path
            .strip_prefix(scope.path.as_str())
            .and_then(|rest| rest.split('/').next())
            .and_then(|id| id.parse::<i32>().ok())
            .unwrap_or(scope.id);
        row_of
            .get(&row_unit)
            .map(|&index| (index, unit_id == row_unit))
    };
    if let Some(document) = &chosen {
        let reporters = reporters(db, reader, document.id, &scope.path, period).await?;
        let latest = latest_reports(db, reader, document.id, &scope.path, period).await?;
        for (unit_id, path) in reporters {
            let state =
                SubmissionState::of(period, cut_off_day, latest.get(&unit_id).copied(), today);
            totals.add(state);
            let Some((index, own)) = place(unit_id, &path) else {
                continue;
            };
            let row = &mut rows[index];
            row.counts.add(state);
            if own {
                row.own = Some(state);
            } else {
                row.below = true;
            }
        }
        let carriers = super::indicators::submissions(
            db,
            reader,
            document.id,
            &scope.path,
            period,
            cut_off_day,
            today,
        )
        .await?;
        for (unit_id, path, state) in carriers {
            value_totals.add(state);
            let Some((index, own)) = place(unit_id, &path) else {
                continue;
            };
            let row = &mut rows[index];
            row.values.add(state);
            if own {
                row.own_values = Some(state);
            } else {
                row.values_below = true;
            }
        }
    }
    // Only the units with reporting units in them.
    let rows = rows
        .into_iter()
        .filter(|row| row.counts.expected() + row.values.expected() > 0)
        .collect();
    let page = PeriodsPage {
        unit: unit_ref(&scope),
        documents,
        document: chosen,
        cycle,
        cut_off_day,
        period,
        periods,
        today,
        totals,
        value_totals,
        rows,
    };
    Ok((page, shown))
}

async fn cycle_of(db: &Db, document_id: i32) -> Outcome<(Cycle, u32)> {
    let model = document::Entity::find_by_id(document_id)
        .one(&db.read)
        .await?;
    Ok(model.map_or((Cycle::Quarterly, DEFAULT_CUT_OFF_DAY), |d| d.reporting()))
}

/// The units expected to report on the document in the period, within the scope's
/// subtree and the reader's clearance: `(unit id, path)`.
async fn reporters(
    db: &Db,
    reader: &Reader,
    document_id: i32,
    scope_path: &str,
    period: Period,
) -> Outcome<Vec<(i32, String)>> {
    #[derive(FromQueryResult)]
    struct Row {
        unit_id: i32,
        path: String,
    }
    let rows = Row::find_by_statement(Statement::from_sql_and_values(
        db.backend(),
        "SELECT DISTINCT t.lead_unit_id AS unit_id, t.lead_path AS path FROM tasks t \
         WHERE t.document_id = $1 AND t.classification <= $2 \
         AND t.lead_path >= $3 AND t.lead_path < $4 AND t.status <> 'cancelled' \
         AND t.start_on <= $5 AND (t.completed_on IS NULL OR t.completed_on >= $6) \
         AND NOT EXISTS (SELECT 1 FROM tasks c WHERE c.parent_id = t.id \
             AND c.document_id = $1 AND c.status <> 'cancelled' AND c.classification <= $2)",
        [
            document_id.into(),
            reader.clearance.into(),
            scope_path.into(),
            format!("{scope_path}:").into(),
            super::work::to_naive(period.last_day()).into(),
            super::work::to_naive(period.first_day()).into(),
        ],
    ))
    .all(&db.read)
    .await?;
    Ok(rows.into_iter().map(|r| (r.unit_id, r.path)).collect())
}

/// Keeps a progress report just sent on `task` as its unit's latest of the month (in the
/// sender's transaction; `progress_months`, migration 26). Its state follows the report's
/// through a trigger.
pub(crate) async fn sent(
    txn: &DatabaseTransaction,
    task: &super::entity::task::Model,
    report_id: i32,
    at: DateTime<Utc>,
) -> Outcome<()> {
    let (year, month, _) = Day::in_vietnam(at.timestamp()).ymd();
    txn.execute_raw(Statement::from_sql_and_values(
        txn.get_database_backend(),
        "INSERT INTO progress_months (document_id, month, unit_id, classification, unit_path, \
         report_id, created_at, status) VALUES ($1, $2, $3, $4, $5, $6, $7, $8) \
         ON CONFLICT (document_id, month, unit_id, classification) DO UPDATE \
         SET report_id = excluded.report_id, created_at = excluded.created_at, \
         status = excluded.status \
         WHERE progress_months.created_at < excluded.created_at \
         OR (progress_months.created_at = excluded.created_at \
         AND progress_months.report_id < excluded.report_id)",
        [
            task.document_id.into(),
            super::work::to_naive(Day::from_ymd(year, month, 1)).into(),
            task.lead_unit_id.into(),
            task.classification.into(),
            task.lead_path.clone().into(),
            report_id.into(),
            at.into(),
            ReportStatus::Pending.as_str().into(),
        ],
    ))
    .await?;
    Ok(())
}

/// Each unit's latest progress report on the document's tasks sent during the period,
/// from the latest of each month kept in `progress_months` (periods are whole months).
async fn latest_reports(
    db: &Db,
    reader: &Reader,
    document_id: i32,
    scope_path: &str,
    period: Period,
) -> Outcome<HashMap<i32, Submission>> {
    #[derive(FromQueryResult)]
    struct Row {
        unit_id: i32,
        created_at: DateTime<Utc>,
        status: String,
    }
    let rows = Row::find_by_statement(Statement::from_sql_and_values(
        db.backend(),
        "SELECT unit_id, created_at, status FROM (\
         SELECT unit_id, created_at, status, ROW_NUMBER() OVER \
         (PARTITION BY unit_id ORDER BY created_at DESC, report_id DESC) AS latest \
         FROM progress_months WHERE document_id = $1 AND classification <= $2 \
         AND unit_path >= $3 AND unit_path < $4 AND month >= $5 AND month <= $6) ranked \
         WHERE latest = 1",
        [
            document_id.into(),
            reader.clearance.into(),
            scope_path.into(),
            format!("{scope_path}:").into(),
            super::work::to_naive(period.first_day()).into(),
            super::work::to_naive(period.last_day()).into(),
        ],
    ))
    .all(&db.read)
    .await?;
    Ok(rows
        .into_iter()
        .map(|row| {
            let verdict = match row.status.parse() {
                Ok(ReportStatus::Accepted) => Some(Verdict::Accept),
                Ok(ReportStatus::Returned) => Some(Verdict::Return),
                _ => None,
            };
            let submission = Submission {
                sent_on: Day::in_vietnam(row.created_at.timestamp()),
                verdict,
            };
            (row.unit_id, submission)
        })
        .collect())
}
