//! What the services of documents, tasks and reports share: their failure type, the day
//! it is, and how rows become the shapes the pages show.

use super::entity::{task, unit};
use crate::model::task::{Priority, TaskRow, TaskStatus, is_overdue};
use crate::model::time::Day;
use crate::model::{AppError, Classification, Problem, UnitLevel, UnitRef};
use chrono::{Datelike, NaiveDate, Utc};
use sea_orm::DbErr;

/// Why a service refused or failed. `App` errors are for the user (not found, invalid
/// input, conflict); the others are internal and reach the user as a reference only.
#[derive(Debug, thiserror::Error)]
pub enum Failure {
    #[error("{0}")]
    App(AppError),
    #[error(transparent)]
    Database(#[from] DbErr),
    #[error(transparent)]
    Other(#[from] anyhow::Error),
}

impl From<AppError> for Failure {
    fn from(error: AppError) -> Self {
        Failure::App(error)
    }
}

impl Failure {
    /// What the caller is told: their own errors as they are, a database that cannot take
    /// the request now as a 503 to retry, anything else as a bug under a reference.
    pub fn shown(self) -> AppError {
        match self {
            Failure::App(error) => error,
            Failure::Database(error) => super::error::database(&error),
            Failure::Other(error) => super::error::unexpected(&error),
        }
    }
}

pub type Outcome<T> = Result<T, Failure>;

/// Not found: also the answer for records the caller may not see.
pub fn not_found<T>() -> Outcome<T> {
    Err(Failure::App(AppError::NotFound))
}

/// The day it is in Vietnam.
pub fn today() -> Day {
    Day::in_vietnam(Utc::now().timestamp())
}

pub fn to_naive(day: Day) -> NaiveDate {
    let (y, m, d) = day.ymd();
    NaiveDate::from_ymd_opt(i32::try_from(y).unwrap_or(1970), m, d).unwrap_or_default()
}

pub fn from_naive(date: NaiveDate) -> Day {
    Day::from_ymd(i64::from(date.year()), date.month(), date.day())
}

pub fn unit_ref(unit: &unit::Model) -> UnitRef {
    UnitRef {
        code: unit.code.clone(),
        name: unit.name.clone(),
        level: unit.level.parse().unwrap_or(UnitLevel::Commune),
    }
}

pub fn status_of(task: &task::Model) -> TaskStatus {
    task.status.parse().unwrap_or(TaskStatus::NotStarted)
}

pub fn classification_of(rank: i16) -> Classification {
    Classification::from_rank(rank).unwrap_or(Classification::TopSecret)
}

pub fn task_row(task: &task::Model, lead: &unit::Model, child_count: u32, today: Day) -> TaskRow {
    let status = status_of(task);
    let due_on = from_naive(task.due_on);
    TaskRow {
        id: task.id,
        parent_id: task.parent_id,
        depth: task.depth,
        title: task.title.clone(),
        lead: unit_ref(lead),
        due_on,
        status,
        progress: task.progress,
        overdue: is_overdue(status, due_on, today),
        priority: Priority::from_rank(task.priority),
        classification: classification_of(task.classification),
        child_count,
        key: task.is_key,
    }
}

/// Midnight in Vietnam at the start of `day`, as UTC (17:00 the day before).
pub fn day_start(day: Day) -> chrono::DateTime<Utc> {
    chrono::DateTime::from_timestamp(i64::from(day.0) * 86_400 - 7 * 3600, 0).unwrap_or_default()
}

/// Where a date range starts and what it ends before: either may be open.
pub type Span = (Option<chrono::DateTime<Utc>>, Option<chrono::DateTime<Utc>>);

/// A filter's date range, `from` and `to` as typed (`YYYY-MM-DD`, either may be empty):
/// the moments it starts at and ends before. An impossible date, or an end before the
/// start, is refused naming the field.
pub fn days_between(from: &str, to: &str) -> Outcome<Span> {
    let parse = |field: &str, value: &str| -> Outcome<Option<Day>> {
        if value.trim().is_empty() {
            return Ok(None);
        }
        Day::parse(value)
            .map(Some)
            .ok_or_else(|| Failure::App(AppError::invalid(field, Problem::Malformed)))
    };
    let (from, to) = (parse("from", from)?, parse("to", to)?);
    if let (Some(from), Some(to)) = (from, to)
        && to < from
    {
        return Err(AppError::invalid("to", Problem::BeforeStart).into());
    }
    Ok((from.map(day_start), to.map(|to| day_start(to.plus_days(1)))))
}
