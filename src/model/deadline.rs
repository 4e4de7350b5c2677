//! Deadlines kept honest: a task's original due date stays, a later date comes only from an
//! extension granted with a reason, and the Government Office's four figures measure "on
//! time" against the original date.

use super::time::Day;
use serde::{Deserialize, Serialize};

/// Where a task ends up, as far as its deadline goes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Course {
    Open,
    Done { on: Day },
    Cancelled,
}

/// The four figures of the Government Office's reports.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Bucket {
    /// Done by the original due date.
    DoneOnTime,
    /// Done after the original due date (an extension does not make it on time).
    DoneLate,
    /// Not done, and the due date (as extended) has not passed.
    WithinDeadline,
    /// Not done, and the due date (as extended) has passed.
    Overdue,
}

impl Bucket {
    /// A cancelled task is in none of them.
    pub fn of(course: Course, original_due: Day, due: Day, today: Day) -> Option<Bucket> {
        match course {
            Course::Cancelled => None,
            Course::Done { on } if on <= original_due => Some(Bucket::DoneOnTime),
            Course::Done { .. } => Some(Bucket::DoneLate),
            Course::Open if today <= due => Some(Bucket::WithinDeadline),
            Course::Open => Some(Bucket::Overdue),
        }
    }
}

/// The four figures for a set of tasks, and how many had their deadline extended.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Buckets {
    pub done_on_time: u64,
    pub done_late: u64,
    pub within_deadline: u64,
    pub overdue: u64,
    pub extended: u64,
}

impl Buckets {
    pub fn add(&mut self, bucket: Bucket, extended: bool) {
        *match bucket {
            Bucket::DoneOnTime => &mut self.done_on_time,
            Bucket::DoneLate => &mut self.done_late,
            Bucket::WithinDeadline => &mut self.within_deadline,
            Bucket::Overdue => &mut self.overdue,
        } += 1;
        self.extended += u64::from(extended);
    }

    pub fn done(self) -> u64 {
        self.done_on_time + self.done_late
    }

    pub fn assigned(self) -> u64 {
        self.done() + self.within_deadline + self.overdue
    }

    /// Completion as "completed ÷ all assigned", in percent; `None` with nothing assigned.
    pub fn completed_of_assigned(self) -> Option<f64> {
        percent(self.done(), self.assigned())
    }

    /// Completion as "completed ÷ (completed + overdue)": what was due and what came of it.
    pub fn completed_of_due(self) -> Option<f64> {
        percent(self.done(), self.done() + self.overdue)
    }
}

fn percent(part: u64, whole: u64) -> Option<f64> {
    // Counts of tasks stay far below 2^52: the conversion is exact.
    (whole > 0).then(|| 100.0 * part as f64 / whole as f64)
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
    fn on_time_is_measured_against_the_original_date() {
        let original = day("2026-06-30");
        let extended = day("2026-09-30");
        let today = day("2026-08-01");
        let done = |on| Course::Done { on: day(on) };
        let bucket = |course, due| Bucket::of(course, original, due, today);
        assert_eq!(
            bucket(done("2026-06-30"), original),
            Some(Bucket::DoneOnTime)
        );
        assert_eq!(bucket(done("2026-07-15"), extended), Some(Bucket::DoneLate));
        assert_eq!(bucket(Course::Open, extended), Some(Bucket::WithinDeadline));
        assert_eq!(bucket(Course::Open, original), Some(Bucket::Overdue));
        assert_eq!(bucket(Course::Cancelled, original), None);
        assert_eq!(
            Bucket::of(Course::Open, original, original, original),
            Some(Bucket::WithinDeadline),
            "the due day itself is within the deadline"
        );
    }

    #[test]
    fn both_completion_rates_are_computed_from_the_four_figures() {
        let mut buckets = Buckets::default();
        assert_eq!(buckets.completed_of_assigned(), None);
        for (bucket, n, extended) in [
            (Bucket::DoneOnTime, 6, false),
            (Bucket::DoneLate, 2, true),
            (Bucket::WithinDeadline, 8, true),
            (Bucket::Overdue, 4, false),
        ] {
            for _ in 0..n {
                buckets.add(bucket, extended);
            }
        }
        assert_eq!(buckets.assigned(), 20);
        assert_eq!(buckets.extended, 10);
        assert_eq!(buckets.completed_of_assigned(), Some(40.0));
        assert_eq!(buckets.completed_of_due(), Some(100.0 * 8.0 / 12.0));
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
