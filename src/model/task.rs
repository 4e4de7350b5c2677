//! Documents and their tasks: the kinds, states and rules shared by server and browser.

use super::error::{AppError, Problem};
use super::time::Day;
use super::unit::UnitRef;
use super::user::Classification;
use serde::{Deserialize, Serialize};

text_enum!(
    /// What kind of Party document a task tree hangs from.
    DocumentKind {
        Resolution => "resolution",
        Directive => "directive",
        Conclusion => "conclusion",
        Regulation => "regulation",
        Plan => "plan",
    }
);

text_enum!(
    DocumentStatus {
        Active => "active",
        Completed => "completed",
        Archived => "archived",
    }
);

text_enum!(
    /// Where a task stands. "Overdue" is not a status: it is derived from the due date
    /// and the day it is, so it can never be stale.
    TaskStatus {
        NotStarted => "not_started",
        InProgress => "in_progress",
        Done => "done",
        DoneLate => "done_late",
        Returned => "returned",
        Cancelled => "cancelled",
    }
);

text_enum!(
    Priority {
        Low => "low",
        Normal => "normal",
        High => "high",
        Urgent => "urgent",
    }
);

text_enum!(
    /// Where a report stands. `Withdrawn`: a completion request that lapsed, because a
    /// subtask was added or reopened before the assigning unit decided.
    ReportStatus {
        Pending => "pending",
        Accepted => "accepted",
        Returned => "returned",
        Withdrawn => "withdrawn",
    }
);

text_enum!(
    /// What the assigning unit decides about a report (of progress or of an indicator's
    /// value): accepted, or returned with a reason.
    Verdict {
        Accept => "accept",
        Return => "return",
    }
);

text_enum!(
    /// What a report is: progress reported by the lead unit, or the completion of every
    /// subtask, which the assigning unit must accept before the task is done.
    ReportKind {
        Progress => "progress",
        Completion => "completion",
    }
);

impl Priority {
    pub fn rank(self) -> i16 {
        self as i16
    }

    pub fn from_rank(rank: i16) -> Priority {
        Priority::ALL
            .get(usize::try_from(rank).unwrap_or(1))
            .copied()
            .unwrap_or(Priority::Normal)
    }
}

impl TaskStatus {
    /// Finished: nothing more is expected of the unit.
    pub fn is_closed(self) -> bool {
        matches!(
            self,
            TaskStatus::Done | TaskStatus::DoneLate | TaskStatus::Cancelled
        )
    }

    /// Completed, on time or late.
    pub fn is_done(self) -> bool {
        matches!(self, TaskStatus::Done | TaskStatus::DoneLate)
    }
}

/// A task is overdue when its due date has passed and it is not finished.
pub fn is_overdue(status: TaskStatus, due_on: Day, today: Day) -> bool {
    !status.is_closed() && due_on < today
}

/// The status a completion gets: `done_late` when it came after the due date the task
/// was assigned with. An extension moves the deadline the reminders count to, not the
/// measure of "on time" (the Government Office's reports count it so).
pub fn completion_status(completed_on: Day, original_due_on: Day) -> TaskStatus {
    if completed_on > original_due_on {
        TaskStatus::DoneLate
    } else {
        TaskStatus::Done
    }
}

/// A parent's progress: the mean of its children's, weighted, rounded to whole percent.
/// Cancelled children do not count.
pub fn weighted_progress(children: &[(i16, i32)]) -> i16 {
    let (sum, weights) =
        children
            .iter()
            .fold((0i64, 0i64), |(sum, weights), (progress, weight)| {
                let weight = i64::from((*weight).max(0));
                (sum + i64::from(*progress) * weight, weights + weight)
            });
    if weights == 0 {
        return 0;
    }
    i16::try_from((sum + weights / 2) / weights)
        .unwrap_or(100)
        .clamp(0, 100)
}

pub const TITLE_MAX: usize = 500;
pub const TEXT_MAX: usize = 20_000;
pub const CODE_MAX: usize = 64;
pub const WEIGHT_MAX: i32 = 100;

/// Checks a required single-line text: present, not too long, no control characters.
pub fn check_line(field: &str, value: &str, max: usize) -> Result<String, AppError> {
    let value = value.trim();
    if value.is_empty() {
        return Err(AppError::invalid(field, Problem::Required));
    }
    if value.chars().count() > max {
        return Err(AppError::invalid(
            field,
            Problem::TooLong { max: max as u32 },
        ));
    }
    if value.chars().any(char::is_control) {
        return Err(AppError::invalid(field, Problem::Malformed));
    }
    Ok(value.to_owned())
}

/// Checks a free text that may span lines: not too long, no control characters but line
/// breaks and tabs. Empty is allowed unless `required`.
pub fn check_text(
    field: &str,
    value: &str,
    max: usize,
    required: bool,
) -> Result<String, AppError> {
    let value = value.trim().replace("\r\n", "\n");
    if required && value.is_empty() {
        return Err(AppError::invalid(field, Problem::Required));
    }
    if value.chars().count() > max {
        return Err(AppError::invalid(
            field,
            Problem::TooLong { max: max as u32 },
        ));
    }
    if value
        .chars()
        .any(|c| c.is_control() && c != '\n' && c != '\t')
    {
        return Err(AppError::invalid(field, Problem::Malformed));
    }
    Ok(value)
}

/// Checks a start and a due date: both real dates, the due date not before the start.
pub fn check_dates(start: &str, due: &str) -> Result<(Day, Day), AppError> {
    let start =
        Day::parse(start).ok_or_else(|| AppError::invalid("start_on", Problem::Malformed))?;
    let due = Day::parse(due).ok_or_else(|| AppError::invalid("due_on", Problem::Malformed))?;
    if due < start {
        return Err(AppError::invalid("due_on", Problem::BeforeStart));
    }
    Ok((start, due))
}

/// Checks a progress percentage.
pub fn check_progress(progress: i32) -> Result<i16, AppError> {
    if !(0..=100).contains(&progress) {
        return Err(AppError::invalid(
            "progress",
            Problem::OutOfRange { min: 0, max: 100 },
        ));
    }
    Ok(progress as i16)
}

/// Checks a task's weight in its parent's progress.
pub fn check_weight(weight: i32) -> Result<i32, AppError> {
    if !(1..=WEIGHT_MAX).contains(&weight) {
        return Err(AppError::invalid(
            "weight",
            Problem::OutOfRange {
                min: 1,
                max: WEIGHT_MAX,
            },
        ));
    }
    Ok(weight)
}

/// A document in a list.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DocumentSummary {
    pub id: i32,
    pub code: String,
    pub kind: DocumentKind,
    pub title: String,
    pub issuing_body: String,
    pub issued_on: Day,
    pub classification: Classification,
    pub status: DocumentStatus,
    pub owner: UnitRef,
    /// Weighted progress of its top-level tasks that the viewer may see.
    pub progress: i16,
    pub task_count: u32,
    /// How often units report on it, and by which day of each period's last month.
    pub cycle: super::period::Cycle,
    pub cut_off_day: u32,
}

/// One task as a row of a tree or a list.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TaskRow {
    pub id: i32,
    pub parent_id: Option<i32>,
    pub depth: i32,
    pub title: String,
    pub lead: UnitRef,
    pub due_on: Day,
    pub status: TaskStatus,
    pub progress: i16,
    pub overdue: bool,
    pub priority: Priority,
    pub classification: Classification,
    pub child_count: u32,
    /// A key task ("nhiệm vụ trọng tâm").
    pub key: bool,
}

/// `/documents/{id}`: the document and the part of its task tree the viewer may see.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DocumentDetail {
    pub summary: DocumentSummary,
    pub text: String,
    pub version: i32,
    /// Tasks in tree order (each parent before its children), at most a page of them.
    pub tasks: Vec<TaskRow>,
    /// Whether there are more tasks than listed (national trees have thousands).
    pub more_tasks: bool,
    pub can_edit: bool,
    pub can_add_task: bool,
    /// The period of its cycle that today falls in.
    pub current_period: super::period::Period,
}

/// A page of documents.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DocumentPage {
    pub rows: Vec<DocumentSummary>,
    pub total: u32,
    pub page: u32,
    pub pages: u32,
}

/// Which documents a list shows.
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(default)]
pub struct DocumentFilter {
    pub q: String,
    pub kind: Option<DocumentKind>,
    pub status: Option<DocumentStatus>,
    pub classification: Option<Classification>,
    pub page: u32,
}

/// A reference to a document, for links.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DocumentRef {
    pub id: i32,
    pub code: String,
    pub title: String,
}

/// An evidence file of a report.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AttachmentView {
    pub id: i32,
    pub file_name: String,
    pub content_type: String,
    pub size: i64,
}

/// A progress report and what became of it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReportView {
    pub id: i32,
    pub kind: ReportKind,
    pub unit: UnitRef,
    pub author: String,
    /// Written by the official looking: they may not evaluate it.
    pub by_viewer: bool,
    pub progress: i16,
    pub claims_completion: bool,
    pub text: String,
    pub status: ReportStatus,
    /// Unix seconds.
    pub created_at: i64,
    pub evaluator: Option<String>,
    pub evaluated_at: Option<i64>,
    pub reason: Option<String>,
    pub attachments: Vec<AttachmentView>,
}

/// One entry of a task's history.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TaskEventView {
    /// Unix seconds.
    pub at: i64,
    pub actor: Option<String>,
    pub kind: String,
    /// Changed fields: name, before, after.
    pub changes: Vec<(String, String, String)>,
    /// What the other kinds of event recorded.
    pub detail: EventDetail,
}

/// The details an event of a task's history records, as stored (unknown keys ignored).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct EventDetail {
    /// The lead unit's code: of a new task, or of a new subtask.
    pub lead: Option<String>,
    /// The task a cascaded copy came from.
    pub cascaded_from: Option<i32>,
    /// The subtask a breakdown added.
    pub subtask: Option<i32>,
    /// Units a cascade reached, and units that already had the task.
    pub units: Option<u32>,
    pub skipped: Option<u32>,
    /// The progress a report gave or an evaluation accepted, and the files it carried.
    pub progress: Option<i16>,
    pub files: Option<u32>,
    /// Why a report was returned.
    pub reason: Option<String>,
}

/// What the viewer may do with a task.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct TaskActions {
    /// Edit the assignment: content, dates, weight, classification, coordinating units
    /// (leaders of the assigning unit).
    pub edit: bool,
    /// Add subtasks led by the lead unit itself (its officers and leaders).
    pub break_down: bool,
    /// Give the task to units below: subtasks led by them, and cascades (the lead unit's
    /// leaders).
    pub assign_below: bool,
    /// Report progress (the lead unit, on a task without subtasks).
    pub report: bool,
    /// Accept or return reports (leaders of the assigning unit).
    pub evaluate: bool,
    /// Ask for more time (the lead unit's officers and leaders, on an open task with no
    /// request awaiting a decision).
    pub ask_extension: bool,
    /// Grant or refuse a request for more time (leaders of the assigning unit).
    pub decide_extension: bool,
}

/// `/tasks/{id}`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TaskDetail {
    pub row: TaskRow,
    pub document: DocumentRef,
    /// The parent, when the viewer may see it.
    pub parent: Option<(i32, String)>,
    pub description: String,
    pub expected_result: String,
    pub assigner: UnitRef,
    pub coordinators: Vec<UnitRef>,
    pub start_on: Day,
    /// The due date the task was assigned with, when it has moved since.
    pub original_due_on: Option<Day>,
    /// Every change of the due date, the oldest first.
    pub due_changes: Vec<super::deadline::DueDateChange>,
    pub weight: i32,
    pub completed_on: Option<Day>,
    pub version: i32,
    pub children: Vec<TaskRow>,
    pub more_children: bool,
    pub reports: Vec<ReportView>,
    pub history: Vec<TaskEventView>,
    /// The reminders and escalations the task has had, oldest first.
    pub reminders: Vec<super::notification::ReminderRecord>,
    pub actions: TaskActions,
    /// Units the viewer may cascade to in one go: the lead unit's children, and the
    /// communes below it when it is above the province level.
    pub cascade_presets: Vec<CascadePreset>,
    /// A fresh key for the report form: the same form sent twice stores one report.
    pub submission_key: String,
}

/// A named set of units for a cascade.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum CascadePreset {
    /// Every unit directly under the lead unit.
    Children { count: u32 },
    /// Every commune under the lead unit.
    AllCommunes { count: u32 },
}

/// What a cascade did.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CascadeResult {
    pub created: u32,
    /// Units that already had this task.
    pub skipped: u32,
}

text_enum!(
    /// Which of the unit's tasks `/my-work` shows.
    WorkView {
        All => "all",
        DueSoon => "due_soon",
        Overdue => "overdue",
        Returned => "returned",
        Evaluate => "evaluate",
    }
);

text_enum!(
    WorkSort {
        Due => "due",
        Progress => "progress",
        Updated => "updated",
    }
);

/// `/my-work`'s filter.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(default)]
pub struct WorkFilter {
    pub view: WorkView,
    pub sort: WorkSort,
    pub page: u32,
    /// Key tasks only.
    pub key_only: bool,
}

impl Default for WorkFilter {
    fn default() -> Self {
        WorkFilter {
            view: WorkView::All,
            sort: WorkSort::Due,
            page: 1,
            key_only: false,
        }
    }
}

/// A page of the unit's tasks.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct WorkPage {
    pub unit: UnitRef,
    pub rows: Vec<TaskRow>,
    pub total: u32,
    pub page: u32,
    pub pages: u32,
}

pub const WORK_PER_PAGE: u32 = 25;
/// "Due soon" means within this many days.
pub const DUE_SOON_DAYS: i32 = 7;

/// Evidence limits: per file, files per report.
pub const EVIDENCE_MAX_BYTES: usize = 10 * 1024 * 1024;
pub const EVIDENCE_MAX_FILES: usize = 5;
/// What a report breaks with more files than allowed, or with a file too large.
pub const EVIDENCE_TOO_MANY: Problem = Problem::TooMany {
    max: EVIDENCE_MAX_FILES as u32,
};
pub const EVIDENCE_TOO_LARGE: Problem = Problem::TooLarge {
    max_mb: (EVIDENCE_MAX_BYTES / (1024 * 1024)) as u32,
};

/// The evidence rule on the files' count and sizes, in bytes (their types are sniffed on
/// the server). The report form hands the same limits to `public/forms.js`, which refuses
/// what would break it before a weak link spends minutes sending it.
pub fn check_evidence_sizes(sizes: &[u64]) -> Result<(), Problem> {
    if sizes.len() > EVIDENCE_MAX_FILES {
        return Err(EVIDENCE_TOO_MANY);
    }
    if sizes.iter().any(|&size| size > EVIDENCE_MAX_BYTES as u64) {
        return Err(EVIDENCE_TOO_LARGE);
    }
    Ok(())
}
/// How many subtasks a task page lists at most.
pub const CHILDREN_LIMIT: u32 = 200;

pub const DOCUMENTS_PER_PAGE: u32 = 20;
/// How many tasks a document page lists at most; beyond, the tree is browsed task by task.
pub const TREE_LIMIT: u32 = 300;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn weighted_progress_rounds_and_ignores_zero_weights() {
        assert_eq!(weighted_progress(&[]), 0);
        assert_eq!(weighted_progress(&[(100, 1), (0, 1)]), 50);
        assert_eq!(weighted_progress(&[(100, 3), (0, 1)]), 75);
        assert_eq!(weighted_progress(&[(33, 1), (34, 1)]), 34, "33.5 rounds up");
        assert_eq!(weighted_progress(&[(80, 0)]), 0);
    }

    #[test]
    fn evidence_is_at_most_five_files_of_ten_megabytes() {
        let limit = EVIDENCE_MAX_BYTES as u64;
        assert_eq!(check_evidence_sizes(&[]), Ok(()));
        assert_eq!(check_evidence_sizes(&[limit; 5]), Ok(()));
        assert_eq!(
            check_evidence_sizes(&[1; 6]),
            Err(Problem::TooMany { max: 5 })
        );
        assert_eq!(
            check_evidence_sizes(&[1, limit + 1]),
            Err(Problem::TooLarge { max_mb: 10 })
        );
    }

    #[test]
    fn late_completion_is_done_late() {
        let due = Day::parse("2026-06-30").expect("a date");
        let on_time = Day::parse("2026-06-30").expect("a date");
        let late = Day::parse("2026-07-01").expect("a date");
        assert_eq!(completion_status(on_time, due), TaskStatus::Done);
        assert_eq!(completion_status(late, due), TaskStatus::DoneLate);
    }

    #[test]
    fn overdue_is_derived_from_the_day() {
        let due = Day::parse("2026-06-30").expect("a date");
        let before = Day::parse("2026-06-30").expect("a date");
        let after = Day::parse("2026-07-01").expect("a date");
        assert!(!is_overdue(TaskStatus::InProgress, due, before));
        assert!(is_overdue(TaskStatus::InProgress, due, after));
        assert!(is_overdue(TaskStatus::Returned, due, after));
        assert!(!is_overdue(TaskStatus::Done, due, after));
        assert!(!is_overdue(TaskStatus::Cancelled, due, after));
    }

    #[test]
    fn input_checks() {
        assert!(check_line("title", "  ", 500).is_err());
        assert!(check_line("title", &"x".repeat(501), 500).is_err());
        assert_eq!(
            check_line("title", " Chuyển đổi số ", 500).expect("ok"),
            "Chuyển đổi số"
        );
        assert!(check_line("title", "a\u{0}b", 500).is_err());
        assert_eq!(check_text("d", "a\r\nb", 10, false).expect("ok"), "a\nb");
        assert!(check_dates("2026-05-01", "2026-04-30").is_err());
        assert!(check_dates("2026-02-30", "2026-04-30").is_err());
        assert!(check_dates("2026-04-30", "2026-04-30").is_ok());
        assert!(check_progress(101).is_err());
        assert!(check_progress(-1).is_err());
        assert_eq!(check_progress(100).expect("ok"), 100);
        assert!(check_weight(0).is_err());
    }

    #[test]
    fn enums_round_trip() {
        for status in TaskStatus::ALL {
            assert_eq!(status.as_str().parse::<TaskStatus>(), Ok(*status));
        }
        assert_eq!(
            Priority::from_rank(Priority::Urgent.rank()),
            Priority::Urgent
        );
        assert!("memo".parse::<DocumentKind>().is_err());
    }
}
