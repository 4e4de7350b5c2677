//! Deadlines kept honest: a task's original due date stays, a due date moves only with a
//! reason (moved by the assigning unit, or an extension the lead unit asks for and the
//! assigning unit's leader grants), and "on time" is measured against the original date
//! (see `task::completion_status`; the four figures of the Government Office's reports
//! are `dashboard::Figures`).

use super::time::Day;
use super::{AppError, Problem};
use serde::{Deserialize, Serialize};

/// The longest reason or answer about a due date, in characters.
pub const REASON_MAX: usize = 2000;

text_enum!(
    /// How a due date moved after assignment: `Moved` by the assigning unit's leader, with
    /// a reason, or an `Extension` the lead unit asked for, for that leader to decide.
    ChangeKind {
        Moved => "moved",
        Extension => "extension",
    }
);

text_enum!(
    /// Where a change of due date stands. A move is granted when it is made.
    ChangeState {
        Asked => "asked",
        Granted => "granted",
        Refused => "refused",
    }
);

/// One change of a task's due date, as its page shows it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DueDateChange {
    pub id: i32,
    pub kind: ChangeKind,
    pub state: ChangeState,
    pub from_on: Day,
    pub to_on: Day,
    pub reason: String,
    /// The official who moved the date or asked for more time.
    pub asked_by: String,
    pub asked_at: i64,
    pub decided_by: Option<String>,
    pub decided_at: Option<i64>,
    /// Why it was refused, or what the leader added to a grant.
    pub answer: String,
}

/// Why a new due date cannot be asked for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ExtensionProblem {
    BeforeToday,
    BeforeStart,
    /// Not later than the due date it would replace: that is not an extension.
    NotLater,
    /// Only the task's lead unit asks for more time.
    NotTheLeadUnit,
    ReasonMissing,
}

impl ExtensionProblem {
    /// The error the form shows, on the field it is about.
    pub fn error(self) -> AppError {
        match self {
            ExtensionProblem::BeforeToday => AppError::invalid("to_on", Problem::BeforeToday),
            ExtensionProblem::BeforeStart => AppError::invalid("to_on", Problem::BeforeStart),
            ExtensionProblem::NotLater => AppError::invalid("to_on", Problem::NotLater),
            ExtensionProblem::NotTheLeadUnit => AppError::invalid("task", Problem::NotLeadUnit),
            ExtensionProblem::ReasonMissing => AppError::invalid("reason", Problem::Required),
        }
    }
}

/// Checks a request to move a task's due date to `asked`.
pub fn check_extension(
    asked: Day,
    due: Day,
    start: Day,
    today: Day,
    asked_by_lead_unit: bool,
    reason: &str,
) -> Result<(), ExtensionProblem> {
    if !asked_by_lead_unit {
        return Err(ExtensionProblem::NotTheLeadUnit);
    }
    if asked < today {
        return Err(ExtensionProblem::BeforeToday);
    }
    if asked < start {
        return Err(ExtensionProblem::BeforeStart);
    }
    if asked <= due {
        return Err(ExtensionProblem::NotLater);
    }
    if reason.trim().is_empty() {
        return Err(ExtensionProblem::ReasonMissing);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(text: &str) -> Day {
        Day::parse(text).expect("a date")
    }

    #[test]
    fn an_extension_must_move_the_date_later_and_say_why() {
        let (due, start, today) = (day("2026-06-30"), day("2026-01-01"), day("2026-06-01"));
        let check =
            |asked, lead, reason| check_extension(day(asked), due, start, today, lead, reason);
        assert_eq!(check("2026-09-30", true, "Chờ kinh phí"), Ok(()));
        assert_eq!(
            check("2026-09-30", false, "Chờ kinh phí"),
            Err(ExtensionProblem::NotTheLeadUnit)
        );
        assert_eq!(
            check("2026-05-31", true, "Chờ kinh phí"),
            Err(ExtensionProblem::BeforeToday)
        );
        assert_eq!(
            check("2026-06-30", true, "Chờ kinh phí"),
            Err(ExtensionProblem::NotLater)
        );
        assert_eq!(
            check("2026-09-30", true, "  "),
            Err(ExtensionProblem::ReasonMissing)
        );
        let late_start = day("2026-12-01");
        assert_eq!(
            check_extension(day("2026-07-15"), due, late_start, today, true, "Lý do"),
            Err(ExtensionProblem::BeforeStart)
        );
    }
}
