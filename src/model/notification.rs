//! What officials are told: notifications and the steps of the reminder ladder.

use super::time::Day;
use serde::{Deserialize, Serialize};

text_enum! {
    /// Why an official was told.
    NotificationKind {
        TaskAssigned => "task_assigned",
        ReportAwaiting => "report_awaiting",
        ReportAccepted => "report_accepted",
        ReportReturned => "report_returned",
        DueSoon => "due_soon",
        Overdue => "overdue",
        OverdueDaily => "overdue_daily",
        Escalated => "escalated",
        FeedbackAssigned => "feedback_assigned",
        ExtensionAsked => "extension_asked",
        ExtensionDecided => "extension_decided",
        ValueAwaiting => "value_awaiting",
        ValueAccepted => "value_accepted",
        ValueReturned => "value_returned",
    }
}

/// One step of the reminder and escalation ladder, as stored (`before_7`, `overdue`...).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Step {
    /// This many days (or fewer) before the due date, to the lead unit's officers.
    Before(u16),
    /// The first day past the due date, to the lead unit's officers.
    Overdue,
    /// Overdue for the ladder's days, to the lead unit's leaders.
    OverdueLeaders,
    /// Overdue for longer, to the leaders of the unit that assigned the task.
    OverdueAssigner,
    /// No report for the ladder's days on an open task, to the assigning unit's leaders.
    Quiet,
}

impl Step {
    pub fn key(self) -> String {
        match self {
            Step::Before(days) => format!("before_{days}"),
            Step::Overdue => "overdue".into(),
            Step::OverdueLeaders => "overdue_leaders".into(),
            Step::OverdueAssigner => "overdue_assigner".into(),
            Step::Quiet => "quiet".into(),
        }
    }

    pub fn parse(key: &str) -> Option<Step> {
        Some(match key {
            "overdue" => Step::Overdue,
            "overdue_leaders" => Step::OverdueLeaders,
            "overdue_assigner" => Step::OverdueAssigner,
            "quiet" => Step::Quiet,
            other => Step::Before(other.strip_prefix("before_")?.parse().ok()?),
        })
    }

    /// What the step's notifications are.
    pub fn kind(self) -> NotificationKind {
        match self {
            Step::Before(_) => NotificationKind::DueSoon,
            Step::Overdue => NotificationKind::Overdue,
            Step::OverdueLeaders | Step::OverdueAssigner | Step::Quiet => {
                NotificationKind::Escalated
            }
        }
    }
}

/// The header counts unread notifications up to this many, and shows "99+" from there.
pub const UNREAD_CAP: u64 = 100;

/// A task named by a notification, when the reader may see it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct NotifiedTask {
    pub id: i32,
    pub title: String,
    pub due_on: Day,
    /// Above "internal": its title is never put in an email.
    pub classified: bool,
}

/// An indicator named by a notification, when the reader may see it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct NotifiedIndicator {
    pub id: i32,
    pub name: String,
    /// Above "internal": its name is never put in an email.
    pub classified: bool,
}

/// One notification, as its reader may see it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct NotificationItem {
    pub id: i64,
    pub kind: NotificationKind,
    pub task: Option<NotifiedTask>,
    /// The public reference code of the feedback item assigned.
    pub feedback_code: Option<String>,
    /// The indicator whose value awaits evaluation or was decided, when the reader may
    /// see it.
    pub indicator: Option<NotifiedIndicator>,
    pub step: Option<Step>,
    /// The daily summary's day and count of overdue tasks.
    pub day: Option<Day>,
    pub count: Option<i32>,
    /// Unix seconds.
    pub created_at: i64,
    pub read: bool,
}

/// A unit's reminder days before a due date, as its leaders see and set them.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReminderDays {
    /// Set by the unit's leaders, largest first; `None`: the server's apply.
    pub own: Option<Vec<u16>>,
    pub server: Vec<u16>,
}

impl ReminderDays {
    /// What applies to the unit's tasks.
    pub fn applied(&self) -> &[u16] {
        self.own.as_deref().unwrap_or(&self.server)
    }
}

/// Days as a person writes them: `7, 3, 1`.
pub fn days_text(days: &[u16]) -> String {
    days.iter()
        .map(u16::to_string)
        .collect::<Vec<_>>()
        .join(", ")
}

/// A page of the reader's notifications, newest first.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct NotificationPage {
    pub items: Vec<NotificationItem>,
    pub page: u64,
    pub pages: u64,
    pub unread: u64,
    /// The newest notification the reader may see: "mark all read" stops there, so one
    /// arriving after the page was shown stays unread.
    pub newest: Option<i64>,
    /// The reader's unit's reminder days, for its leaders (who may change them).
    pub reminder_days: Option<ReminderDays>,
}

/// A reminder or escalation a task has had.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReminderRecord {
    pub step: Step,
    /// The due date (or the day the task went quiet) it counted from.
    pub reference: Day,
    /// Unix seconds.
    pub fired_at: i64,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn steps_read_back_as_written() {
        for step in [
            Step::Before(7),
            Step::Before(1),
            Step::Overdue,
            Step::OverdueLeaders,
            Step::OverdueAssigner,
            Step::Quiet,
        ] {
            assert_eq!(Step::parse(&step.key()), Some(step));
        }
        assert_eq!(Step::parse("before_x"), None);
        assert_eq!(Step::parse("later"), None);
    }
}
