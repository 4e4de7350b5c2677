//! Dashboards: progress figures for one unit's subtree, its documents and its child units.

use super::feedback::{Category, FeedbackFigures};
use super::task::{DocumentRef, TaskRow, TaskStatus};
use super::time::Day;
use super::unit::UnitRef;
use super::user::Classification;
use serde::{Deserialize, Serialize};
use std::collections::HashMap;

/// How many tasks the deadline lists show.
pub const DEADLINE_LIST: u64 = 10;

/// How many weeks the trend shows when no period is chosen, and at most.
pub const TREND_WEEKS: i32 = 26;
pub const TREND_WEEKS_MAX: i32 = 104;

/// Weeks start on Monday; week 0 starts on Monday 29 December 1969 (the same numbering
/// as the database's `tally_weekly`).
pub fn week_of(day: Day) -> i32 {
    (day.0 + 3).div_euclid(7)
}

/// The Monday week `week` starts on.
pub fn week_start(week: i32) -> Day {
    Day(week * 7 - 3)
}

/// What the weekly tallies count for a week (see `migration::tallies`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum WeeklyKind {
    /// Open tasks, by due week.
    OpenDue = 0,
    /// Completed tasks, by completion week.
    Completed = 1,
    /// Tasks completed in a later week than their due week, by due week.
    LateDue = 2,
    /// The same tasks, by completion week.
    LateCompleted = 3,
}

impl WeeklyKind {
    pub fn from_code(code: i64) -> Option<WeeklyKind> {
        [
            WeeklyKind::OpenDue,
            WeeklyKind::Completed,
            WeeklyKind::LateDue,
            WeeklyKind::LateCompleted,
        ]
        .into_iter()
        .find(|k| *k as i64 == code)
    }
}

/// One week of the trend.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TrendWeek {
    /// The Monday the week starts on.
    pub week_start: Day,
    /// Tasks completed (on time or late) during the week.
    pub completed: u64,
    /// Tasks overdue at the end of the week: due by then and not completed by then. For
    /// the week under way, overdue today.
    pub overdue: u64,
}

/// The trend's charts as SVG documents, drawn on the server. They hold numbers and dates
/// only, never text that a user typed, so the page may insert them as markup.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct TrendChart {
    /// Completed tasks per week, as bars.
    pub completed: String,
    /// Overdue tasks at the end of each week, as a line.
    pub overdue: String,
}

/// The trend over the weeks `first..=last` from weekly sums `(week, kind, tasks)` that
/// cover every week up to `last`. `current` is this week, whose overdue figure is
/// `overdue_today` (the week has not ended).
pub fn trend(
    sums: &[(i32, WeeklyKind, i64)],
    first: i32,
    last: i32,
    current: i32,
    overdue_today: u64,
) -> Vec<TrendWeek> {
    let mut sorted: Vec<&(i32, WeeklyKind, i64)> = sums.iter().filter(|s| s.0 <= last).collect();
    sorted.sort_by_key(|s| s.0);
    // Overdue at the end of a week: open or late tasks due by then, less the late ones
    // completed by then. Weeks before `first` only carry this balance forward.
    let mut overdue: i64 = 0;
    let mut completed: HashMap<i32, i64> = HashMap::new();
    let mut balance_after: Vec<(i32, i64)> = Vec::new();
    for (week, kind, tasks) in sorted {
        match kind {
            WeeklyKind::OpenDue | WeeklyKind::LateDue => overdue += tasks,
            WeeklyKind::LateCompleted => overdue -= tasks,
            WeeklyKind::Completed => *completed.entry(*week).or_default() += tasks,
        }
        match balance_after.last_mut() {
            Some((w, balance)) if w == week => *balance = overdue,
            _ => balance_after.push((*week, overdue)),
        }
    }
    let count = |n: i64| u64::try_from(n).unwrap_or(0);
    (first..=last)
        .map(|week| {
            // The balance after the last week with any change up to this one.
            let at_end = balance_after
                .partition_point(|(w, _)| *w <= week)
                .checked_sub(1)
                .map_or(0, |i| balance_after[i].1);
            TrendWeek {
                week_start: week_start(week),
                completed: count(completed.get(&week).copied().unwrap_or(0)),
                overdue: if week == current {
                    overdue_today
                } else {
                    count(at_end)
                },
            }
        })
        .collect()
}

/// The figures of a set of tasks (cancelled tasks are not counted).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Figures {
    pub tasks: u64,
    pub done: u64,
    pub done_late: u64,
    /// In progress, returned reports included.
    pub in_progress: u64,
    pub not_started: u64,
    /// Open and past the due date, as of today.
    pub overdue: u64,
    pub progress_sum: u64,
    /// Tasks whose due date was moved later than the one they were assigned with.
    pub extended: u64,
}

impl Figures {
    /// Counts `tasks` tasks in `status`, with `progress_sum` progress between them, of
    /// which `overdue` are past their due date.
    pub fn add(&mut self, status: TaskStatus, tasks: u64, progress_sum: u64, overdue: u64) {
        match status {
            TaskStatus::Cancelled => return,
            TaskStatus::Done => self.done += tasks,
            TaskStatus::DoneLate => self.done_late += tasks,
            TaskStatus::InProgress | TaskStatus::Returned => self.in_progress += tasks,
            TaskStatus::NotStarted => self.not_started += tasks,
        }
        self.tasks += tasks;
        self.progress_sum += progress_sum;
        if !status.is_done() {
            self.overdue += overdue;
        }
    }

    pub fn merge(&mut self, other: &Figures) {
        self.tasks += other.tasks;
        self.done += other.done;
        self.done_late += other.done_late;
        self.in_progress += other.in_progress;
        self.not_started += other.not_started;
        self.overdue += other.overdue;
        self.progress_sum += other.progress_sum;
        self.extended += other.extended;
    }

    /// The third of the Government Office's four figures: open tasks whose due date (as
    /// extended) has not passed. The others are `done` (on time, against the original
    /// due date), `done_late` and `overdue`.
    pub fn within_deadline(&self) -> u64 {
        self.tasks - self.done - self.done_late - self.overdue
    }

    /// Completion as "completed ÷ all assigned", in percent, rounded.
    pub fn completion_rate(&self) -> u64 {
        percent(self.done + self.done_late, self.tasks)
    }

    /// Completion as "completed ÷ (completed + overdue)": of what fell due, how much was
    /// done. In percent, rounded; 0 when nothing is done or overdue.
    pub fn completion_of_due(&self) -> u64 {
        let done = self.done + self.done_late;
        percent(done, done + self.overdue)
    }

    /// The mean progress of the tasks, in percent, rounded.
    pub fn average_progress(&self) -> u64 {
        rounded_ratio(self.progress_sum, self.tasks)
    }
}

fn percent(part: u64, whole: u64) -> u64 {
    rounded_ratio(part * 100, whole)
}

/// `part / whole`, rounded half up; 0 for an empty whole.
fn rounded_ratio(part: u64, whole: u64) -> u64 {
    (part + whole / 2).checked_div(whole).unwrap_or(0)
}

/// What a dashboard is narrowed to.
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(default)]
pub struct DashboardFilter {
    pub document: Option<i32>,
    /// Tasks due on or after this day (`YYYY-MM-DD`).
    pub from: Option<String>,
    /// Tasks due on or before this day.
    pub to: Option<String>,
    pub classification: Option<Classification>,
    /// How the child units are sorted.
    pub sort: ChildSort,
    pub descending: bool,
    /// Only the child units that sent nothing for this many days or more (as typed; see
    /// `quiet_days`).
    pub quiet: Option<String>,
}

/// The most days the quiet filter takes: ten years.
pub const QUIET_DAYS_MAX: u32 = 3650;

/// The quiet filter's days, read from what was typed: `None` when empty; refused when
/// not a whole number from 1 to `QUIET_DAYS_MAX`.
pub fn quiet_days(text: Option<&str>) -> Result<Option<u32>, super::AppError> {
    match text.map(str::trim).filter(|t| !t.is_empty()) {
        None => Ok(None),
        Some(text) => text
            .parse::<u32>()
            .ok()
            .filter(|days| (1..=QUIET_DAYS_MAX).contains(days))
            .map(Some)
            .ok_or_else(|| {
                super::AppError::invalid(
                    "quiet",
                    super::Problem::OutOfRange {
                        min: 1,
                        max: QUIET_DAYS_MAX as i32,
                    },
                )
            }),
    }
}

/// The columns the child units can be sorted by.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ChildSort {
    #[default]
    Name,
    Tasks,
    Done,
    DoneLate,
    InProgress,
    NotStarted,
    Overdue,
    Extended,
    Completion,
    Progress,
    /// Days since the unit's subtree last sent anything.
    Quiet,
    /// The share of open tasks updated this period.
    Updated,
    /// Units that sent nothing this period.
    Silent,
}

impl ChildSort {
    pub const ALL: [ChildSort; 13] = [
        ChildSort::Name,
        ChildSort::Tasks,
        ChildSort::Done,
        ChildSort::DoneLate,
        ChildSort::InProgress,
        ChildSort::NotStarted,
        ChildSort::Overdue,
        ChildSort::Extended,
        ChildSort::Completion,
        ChildSort::Progress,
        ChildSort::Quiet,
        ChildSort::Updated,
        ChildSort::Silent,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            ChildSort::Name => "name",
            ChildSort::Tasks => "tasks",
            ChildSort::Done => "done",
            ChildSort::DoneLate => "done_late",
            ChildSort::InProgress => "in_progress",
            ChildSort::NotStarted => "not_started",
            ChildSort::Overdue => "overdue",
            ChildSort::Extended => "extended",
            ChildSort::Completion => "completion",
            ChildSort::Progress => "progress",
            ChildSort::Quiet => "quiet",
            ChildSort::Updated => "updated",
            ChildSort::Silent => "silent",
        }
    }

    pub fn parse(text: &str) -> Option<ChildSort> {
        ChildSort::ALL.into_iter().find(|s| s.as_str() == text)
    }

    /// The figure a row is sorted by (the name is sorted apart); a unit that never sent
    /// anything is the quietest.
    pub fn key(self, child: &ChildFigures) -> u64 {
        let figures = &child.figures;
        let freshness = &child.freshness;
        match self {
            ChildSort::Quiet => freshness
                .days_quiet
                .map_or(u64::MAX, |days| days.unsigned_abs().into()),
            ChildSort::Updated => freshness.tasks_share().unwrap_or(0),
            ChildSort::Silent => freshness.units_silent,
            ChildSort::Name | ChildSort::Tasks => figures.tasks,
            ChildSort::Done => figures.done,
            ChildSort::DoneLate => figures.done_late,
            ChildSort::InProgress => figures.in_progress,
            ChildSort::NotStarted => figures.not_started,
            ChildSort::Overdue => figures.overdue,
            ChildSort::Extended => figures.extended,
            ChildSort::Completion => figures.completion_rate(),
            ChildSort::Progress => figures.average_progress(),
        }
    }
}

/// One document's share of a dashboard.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DocumentFigures {
    pub document: DocumentRef,
    pub figures: Figures,
}

/// One child unit's row of a dashboard.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ChildFigures {
    pub unit: UnitRef,
    pub figures: Figures,
    /// Where the indicators carried in its subtree stand.
    pub indicators: super::indicator::StatusCounts,
    pub freshness: Freshness,
}

/// How fresh a subtree's work is in the current reporting period (each document's own,
/// by its cycle): when something was last sent, how much of the open work was updated,
/// and how many units sent nothing.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Freshness {
    /// The latest day a unit of the subtree sent a progress report or an indicator value.
    pub last_update: Option<Day>,
    /// Days since then, as of the dashboard's day.
    pub days_quiet: Option<i32>,
    pub open_tasks: u64,
    /// Open tasks reported on (they, or a task below them) in the current period.
    pub tasks_updated: u64,
    pub indicators: u64,
    /// Indicators with a value for the current period (their own or rolled up).
    pub indicators_updated: u64,
    /// Units of the subtree below the dashboard's unit with open tasks or indicators of
    /// their own that sent nothing for the current period.
    pub units_silent: u64,
}

impl Freshness {
    /// The last update and the days since, as of `today`.
    pub fn updated_on(&mut self, day: Day, today: Day) {
        if self.last_update < Some(day) {
            self.last_update = Some(day);
            self.days_quiet = Some((today.0 - day.0).max(0));
        }
    }

    /// The share of open tasks updated this period, in percent (`None` without any).
    pub fn tasks_share(&self) -> Option<u64> {
        (self.open_tasks > 0).then(|| percent(self.tasks_updated, self.open_tasks))
    }

    /// The share of indicators with a value this period, in percent.
    pub fn indicators_share(&self) -> Option<u64> {
        (self.indicators > 0).then(|| percent(self.indicators_updated, self.indicators))
    }

    /// Whether nothing was sent for `days` days or more (never counts as quiet).
    pub fn quiet_for(&self, days: u32) -> bool {
        self.days_quiet
            .is_none_or(|quiet| i64::from(quiet) >= i64::from(days))
    }
}

/// `/dashboard/{code}`: the progress of every task led in one unit's subtree that the
/// viewer may see.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Dashboard {
    pub unit: UnitRef,
    /// The units above, from the viewer's own unit (or the centre) down, for the way back.
    pub trail: Vec<UnitRef>,
    pub figures: Figures,
    /// The key tasks' figures.
    pub key: Figures,
    /// Where the indicators carried in the scope stand, each judged on its document's
    /// latest period past its cut-off.
    pub indicators: super::indicator::StatusCounts,
    pub freshness: Freshness,
    pub documents: Vec<DocumentFigures>,
    pub children: Vec<ChildFigures>,
    /// Open tasks due today or later, the nearest first.
    pub nearest: Vec<TaskRow>,
    /// Open tasks past their due date, the longest overdue first.
    pub most_overdue: Vec<TaskRow>,
    /// Completed and overdue tasks per week, the oldest first.
    pub trend: Vec<TrendWeek>,
    /// The trend as SVG charts, drawn on the server.
    pub trend_chart: TrendChart,
    /// Documents the filter can choose from.
    pub document_options: Vec<DocumentRef>,
    /// The viewer's clearance: the highest classification the filter offers.
    pub clearance: Classification,
    /// Feedback from citizens and businesses handled in this scope.
    pub feedback: FeedbackSummary,
}

/// Feedback handled in a dashboard's scope: items assigned to its units (and, for the
/// whole country, the items nobody has been given yet).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct FeedbackSummary {
    pub total: FeedbackFigures,
    pub by_category: Vec<(Category, FeedbackFigures)>,
    /// The units directly below that handle any feedback.
    pub by_unit: Vec<(UnitRef, FeedbackFigures)>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_four_figures_and_both_completion_rates() {
        let mut figures = Figures::default();
        assert_eq!(
            (figures.completion_rate(), figures.completion_of_due()),
            (0, 0)
        );
        figures.add(TaskStatus::Done, 6, 600, 0);
        figures.add(TaskStatus::DoneLate, 2, 200, 0);
        figures.add(TaskStatus::InProgress, 8, 400, 3);
        figures.add(TaskStatus::NotStarted, 4, 0, 1);
        assert_eq!(figures.within_deadline(), 20 - 6 - 2 - 4);
        assert_eq!(figures.completion_rate(), 40);
        // 8 ÷ 12 = 66.7 %.
        assert_eq!(figures.completion_of_due(), 67);
    }

    #[test]
    fn figures_count_each_status_once_and_never_cancelled_tasks() {
        let mut figures = Figures::default();
        figures.add(TaskStatus::Done, 3, 300, 2);
        figures.add(TaskStatus::DoneLate, 1, 100, 1);
        figures.add(TaskStatus::InProgress, 2, 90, 1);
        figures.add(TaskStatus::Returned, 1, 40, 1);
        figures.add(TaskStatus::NotStarted, 2, 0, 0);
        figures.add(TaskStatus::Cancelled, 5, 0, 5);
        assert_eq!(figures.tasks, 9);
        assert_eq!(
            figures.in_progress, 3,
            "returned reports are still in progress"
        );
        assert_eq!(figures.overdue, 2, "done tasks are never overdue");
        assert_eq!(figures.completion_rate(), 44, "4 of 9");
        assert_eq!(figures.average_progress(), 59, "530 / 9 = 58.9");
        assert_eq!(Figures::default().completion_rate(), 0);
        assert_eq!(Figures::default().average_progress(), 0);
    }

    #[test]
    fn weeks_start_on_monday() {
        let monday = Day::parse("2026-11-30").expect("a date");
        let sunday = Day::parse("2026-12-06").expect("a date");
        assert_eq!(week_of(monday), week_of(sunday));
        assert_eq!(week_of(monday) + 1, week_of(sunday.plus_days(1)));
        assert_eq!(week_start(week_of(sunday)), monday);
        assert_eq!(week_start(0).iso(), "1969-12-29");
    }

    #[test]
    fn trend_carries_overdue_from_earlier_weeks() {
        use WeeklyKind::*;
        let sums = [
            // Before the window: 5 open tasks fell due, 2 late ones were completed later.
            (8, OpenDue, 5),
            (8, LateDue, 2),
            (10, Completed, 4),
            (11, LateCompleted, 1),
            (11, Completed, 1),
            (12, LateCompleted, 1),
            (12, Completed, 1),
            (12, OpenDue, 3),
            // After the window: ignored.
            (20, OpenDue, 9),
        ];
        let weeks = trend(&sums, 10, 13, 13, 42);
        let figures: Vec<(u64, u64)> = weeks.iter().map(|w| (w.completed, w.overdue)).collect();
        assert_eq!(figures, [(4, 7), (1, 6), (1, 8), (0, 42)]);
        assert_eq!(weeks[0].week_start, week_start(10));
    }

    #[test]
    fn sorts_parse_back() {
        for sort in ChildSort::ALL {
            assert_eq!(ChildSort::parse(sort.as_str()), Some(sort));
        }
        assert_eq!(ChildSort::parse("drop table"), None);
    }
}
