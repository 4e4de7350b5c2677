//! Names of the domain's values in the user's language.

use crate::i18n::*;
use crate::model::feedback::{Category, FeedbackAction, FeedbackStatus, SenderKind};
use crate::model::notification::{NotificationItem, NotificationKind, Step};
use crate::model::period::{Cycle, Period};
use crate::model::task::{DocumentKind, DocumentStatus, Priority, ReportStatus, TaskStatus};
use crate::model::{Classification, Problem, Role, UnitLevel};
use leptos::prelude::*;
use leptos_i18n::I18nContext;

pub fn level_label(i18n: I18nContext<Locale>, level: UnitLevel) -> &'static str {
    match level {
        UnitLevel::Central => t_string!(i18n, level.central),
        UnitLevel::Agency => t_string!(i18n, level.agency),
        UnitLevel::Province => t_string!(i18n, level.province),
        UnitLevel::Commune => t_string!(i18n, level.commune),
    }
}

pub fn role_label(i18n: I18nContext<Locale>, role: Role) -> &'static str {
    match role {
        Role::Admin => t_string!(i18n, role.admin),
        Role::Leader => t_string!(i18n, role.leader),
        Role::Officer => t_string!(i18n, role.officer),
        Role::Viewer => t_string!(i18n, role.viewer),
    }
}

pub fn clearance_label(i18n: I18nContext<Locale>, level: Classification) -> &'static str {
    match level {
        Classification::Public => t_string!(i18n, clearance.public),
        Classification::Internal => t_string!(i18n, clearance.internal),
        Classification::Confidential => t_string!(i18n, clearance.confidential),
        Classification::Secret => t_string!(i18n, clearance.secret),
        Classification::TopSecret => t_string!(i18n, clearance.top_secret),
    }
}

/// The `<option>`s of a classification `<select>`: `levels` in order, `selected` chosen.
pub fn classification_options(
    i18n: I18nContext<Locale>,
    levels: Vec<Classification>,
    selected: Option<Classification>,
) -> impl IntoView {
    levels
        .into_iter()
        .map(|level| {
            view! {
                <option value=level.as_str() selected=selected == Some(level)>
                    {move || clearance_label(i18n, level)}
                </option>
            }
        })
        .collect_view()
}

/// What is wrong with a field, in a sentence.
pub fn problem_text(i18n: I18nContext<Locale>, problem: &Problem) -> String {
    match problem {
        Problem::Required => t_string!(i18n, problem.required).to_owned(),
        Problem::TooShort { min } => t_string!(i18n, problem.too_short, min = *min),
        Problem::TooLong { max } => t_string!(i18n, problem.too_long, max = *max),
        Problem::Malformed => t_string!(i18n, problem.malformed).to_owned(),
        Problem::Unknown => t_string!(i18n, problem.unknown).to_owned(),
        Problem::Common => t_string!(i18n, problem.common).to_owned(),
        Problem::Mismatch => t_string!(i18n, problem.mismatch).to_owned(),
        Problem::Incorrect => t_string!(i18n, problem.incorrect).to_owned(),
        Problem::Taken => t_string!(i18n, problem.taken).to_owned(),
        Problem::OutOfReach => t_string!(i18n, problem.out_of_reach).to_owned(),
        Problem::BeforeStart => t_string!(i18n, problem.before_start).to_owned(),
        Problem::OutOfRange { min, max } => {
            t_string!(i18n, problem.out_of_range, min = *min, max = *max)
        }
        Problem::BelowDocument => t_string!(i18n, problem.below_document).to_owned(),
        Problem::HasSubtasks => t_string!(i18n, problem.has_subtasks).to_owned(),
        Problem::AwaitingEvaluation => t_string!(i18n, problem.awaiting_evaluation).to_owned(),
        Problem::Closed => t_string!(i18n, problem.closed).to_owned(),
        Problem::TooLarge { max_mb } => t_string!(i18n, problem.too_large, max_mb = *max_mb),
        Problem::ForbiddenType => t_string!(i18n, problem.forbidden_type).to_owned(),
        Problem::TooMany { max } => t_string!(i18n, problem.too_many, max = *max),
        Problem::CompletionBelow100 => t_string!(i18n, problem.completion_below_100).to_owned(),
        Problem::Markup => t_string!(i18n, problem.markup).to_owned(),
        Problem::ConsentMissing => t_string!(i18n, problem.consent_missing).to_owned(),
        Problem::NotNow => t_string!(i18n, problem.not_now).to_owned(),
        Problem::Locked { minutes } => t_string!(i18n, problem.locked, minutes = *minutes),
        Problem::OwnReport => t_string!(i18n, problem.own_report).to_owned(),
        Problem::Changed => t_string!(i18n, problem.changed).to_owned(),
        Problem::BeforeToday => t_string!(i18n, problem.before_today).to_owned(),
        Problem::NotLater => t_string!(i18n, problem.not_later).to_owned(),
        Problem::NotLeadUnit => t_string!(i18n, problem.not_lead_unit).to_owned(),
        Problem::AwaitingDecision => t_string!(i18n, problem.awaiting_decision).to_owned(),
        Problem::MilestoneOutOfOrder => t_string!(i18n, problem.milestone_out_of_order).to_owned(),
        Problem::TargetIsBaseline => t_string!(i18n, problem.target_is_baseline).to_owned(),
        Problem::TargetAgainstDirection => {
            t_string!(i18n, problem.target_against_direction).to_owned()
        }
        Problem::PeriodNotBegun => t_string!(i18n, problem.period_not_begun).to_owned(),
    }
}

pub fn cycle_label(i18n: I18nContext<Locale>, cycle: Cycle) -> &'static str {
    match cycle {
        Cycle::Monthly => t_string!(i18n, period.monthly),
        Cycle::Quarterly => t_string!(i18n, period.quarterly),
        Cycle::SixMonthly => t_string!(i18n, period.six_monthly),
        Cycle::Yearly => t_string!(i18n, period.yearly),
    }
}

/// A period's name: "Quý 2/2026", "6 tháng đầu năm 2026", "Năm 2026".
pub fn period_label(i18n: I18nContext<Locale>, period: Period) -> String {
    let (year, index) = (period.year, period.index);
    match period.cycle {
        Cycle::Monthly => {
            t_string!(i18n, period.month_name, index = index, year = year).to_string()
        }
        Cycle::Quarterly => {
            t_string!(i18n, period.quarter_name, index = index, year = year).to_string()
        }
        Cycle::SixMonthly if index == 1 => {
            t_string!(i18n, period.first_half_name, year = year).to_string()
        }
        Cycle::SixMonthly => t_string!(i18n, period.second_half_name, year = year).to_string(),
        Cycle::Yearly => t_string!(i18n, period.year_name, year = year).to_string(),
    }
}

pub fn kind_label(i18n: I18nContext<Locale>, kind: DocumentKind) -> &'static str {
    match kind {
        DocumentKind::Resolution => t_string!(i18n, kind.resolution),
        DocumentKind::Directive => t_string!(i18n, kind.directive),
        DocumentKind::Conclusion => t_string!(i18n, kind.conclusion),
        DocumentKind::Regulation => t_string!(i18n, kind.regulation),
        DocumentKind::Plan => t_string!(i18n, kind.plan),
    }
}

pub fn document_status_label(i18n: I18nContext<Locale>, status: DocumentStatus) -> &'static str {
    match status {
        DocumentStatus::Active => t_string!(i18n, doc_status.active),
        DocumentStatus::Completed => t_string!(i18n, doc_status.completed),
        DocumentStatus::Archived => t_string!(i18n, doc_status.archived),
    }
}

pub fn task_status_label(i18n: I18nContext<Locale>, status: TaskStatus) -> &'static str {
    match status {
        TaskStatus::NotStarted => t_string!(i18n, task_status.not_started),
        TaskStatus::InProgress => t_string!(i18n, task_status.in_progress),
        TaskStatus::Done => t_string!(i18n, task_status.done),
        TaskStatus::DoneLate => t_string!(i18n, task_status.done_late),
        TaskStatus::Returned => t_string!(i18n, task_status.returned),
        TaskStatus::Cancelled => t_string!(i18n, task_status.cancelled),
    }
}

pub fn priority_label(i18n: I18nContext<Locale>, priority: Priority) -> &'static str {
    match priority {
        Priority::Low => t_string!(i18n, priority.low),
        Priority::Normal => t_string!(i18n, priority.normal),
        Priority::High => t_string!(i18n, priority.high),
        Priority::Urgent => t_string!(i18n, priority.urgent),
    }
}

pub fn report_status_label(i18n: I18nContext<Locale>, status: ReportStatus) -> &'static str {
    match status {
        ReportStatus::Pending => t_string!(i18n, report_status.pending),
        ReportStatus::Accepted => t_string!(i18n, report_status.accepted),
        ReportStatus::Returned => t_string!(i18n, report_status.returned),
        ReportStatus::Withdrawn => t_string!(i18n, report_status.withdrawn),
    }
}

/// The name of a task's field in its history.
pub fn field_label(i18n: I18nContext<Locale>, field: &str) -> String {
    match field {
        "title" => t_string!(i18n, field.title).to_owned(),
        "description" => t_string!(i18n, field.description).to_owned(),
        "expected_result" => t_string!(i18n, field.expected_result).to_owned(),
        "start_on" => t_string!(i18n, field.start_on).to_owned(),
        "due_on" => t_string!(i18n, field.due_on).to_owned(),
        "priority" => t_string!(i18n, field.priority).to_owned(),
        "weight" => t_string!(i18n, field.weight).to_owned(),
        "classification" => t_string!(i18n, field.classification).to_owned(),
        "coordinators" => t_string!(i18n, field.coordinators).to_owned(),
        "key" => t_string!(i18n, tasks.key_task).to_owned(),
        other => other.to_owned(),
    }
}

/// A field's value in a task's history: codes become their names, dates are shown as dates.
pub fn field_value(i18n: I18nContext<Locale>, field: &str, value: &str) -> String {
    match field {
        "priority" => value
            .parse()
            .map_or_else(|_| value.to_owned(), |p| priority_label(i18n, p).to_owned()),
        "classification" => value.parse().map_or_else(
            |_| value.to_owned(),
            |c| clearance_label(i18n, c).to_owned(),
        ),
        "start_on" | "due_on" => crate::model::time::Day::parse(value)
            .map_or_else(|| value.to_owned(), |day| day.display()),
        "key" if value == "true" => t_string!(i18n, tasks.key).to_owned(),
        "key" => "—".to_owned(),
        _ => value.to_owned(),
    }
}

/// A feedback category's name in a given language (also for Open311, outside any page).
pub fn category_label_in(locale: Locale, category: Category) -> &'static str {
    match category {
        Category::DigitalTransformation => td_string!(locale, fb_category.digital_transformation),
        Category::Resolution => td_string!(locale, fb_category.resolution),
        Category::Procedure => td_string!(locale, fb_category.procedure),
        Category::Apparatus => td_string!(locale, fb_category.apparatus),
        Category::OnlineService => td_string!(locale, fb_category.online_service),
        Category::Business => td_string!(locale, fb_category.business),
        Category::Other => td_string!(locale, fb_category.other),
    }
}

/// What a feedback category covers, in a given language.
pub fn category_help_in(locale: Locale, category: Category) -> &'static str {
    match category {
        Category::DigitalTransformation => {
            td_string!(locale, fb_category_help.digital_transformation)
        }
        Category::Resolution => td_string!(locale, fb_category_help.resolution),
        Category::Procedure => td_string!(locale, fb_category_help.procedure),
        Category::Apparatus => td_string!(locale, fb_category_help.apparatus),
        Category::OnlineService => td_string!(locale, fb_category_help.online_service),
        Category::Business => td_string!(locale, fb_category_help.business),
        Category::Other => td_string!(locale, fb_category_help.other),
    }
}

pub fn category_label(i18n: I18nContext<Locale>, category: Category) -> &'static str {
    category_label_in(i18n.get_locale(), category)
}

pub fn feedback_status_label_in(locale: Locale, status: FeedbackStatus) -> &'static str {
    match status {
        FeedbackStatus::Received => td_string!(locale, fb_status.received),
        FeedbackStatus::InReview => td_string!(locale, fb_status.in_review),
        FeedbackStatus::Answered => td_string!(locale, fb_status.answered),
        FeedbackStatus::Closed => td_string!(locale, fb_status.closed),
        FeedbackStatus::Rejected => td_string!(locale, fb_status.rejected),
        FeedbackStatus::Duplicate => td_string!(locale, fb_status.duplicate),
    }
}

pub fn feedback_status_label(i18n: I18nContext<Locale>, status: FeedbackStatus) -> &'static str {
    feedback_status_label_in(i18n.get_locale(), status)
}

pub fn sender_kind_label(i18n: I18nContext<Locale>, kind: SenderKind) -> &'static str {
    match kind {
        SenderKind::Citizen => t_string!(i18n, fb.kind_citizen),
        SenderKind::Business => t_string!(i18n, fb.kind_business),
    }
}

pub fn feedback_action_label(i18n: I18nContext<Locale>, action: FeedbackAction) -> &'static str {
    match action {
        FeedbackAction::Received => t_string!(i18n, fb_action.received),
        FeedbackAction::Assigned => t_string!(i18n, fb_action.assigned),
        FeedbackAction::Noted => t_string!(i18n, fb_action.noted),
        FeedbackAction::Answered => t_string!(i18n, fb_action.answered),
        FeedbackAction::Published => t_string!(i18n, fb_action.published),
        FeedbackAction::Unpublished => t_string!(i18n, fb_action.unpublished),
        FeedbackAction::MarkedDuplicate => t_string!(i18n, fb_action.marked_duplicate),
        FeedbackAction::Rejected => t_string!(i18n, fb_action.rejected),
        FeedbackAction::Closed => t_string!(i18n, fb_action.closed),
    }
}

/// What a notification says happened, in a given language (its page, and its email).
pub fn notification_sentence(locale: Locale, item: &NotificationItem) -> String {
    match item.kind {
        NotificationKind::TaskAssigned => {
            td_string!(locale, notifications.task_assigned).to_owned()
        }
        NotificationKind::ReportAwaiting => {
            td_string!(locale, notifications.report_awaiting).to_owned()
        }
        NotificationKind::ReportAccepted => {
            td_string!(locale, notifications.report_accepted).to_owned()
        }
        NotificationKind::ReportReturned => {
            td_string!(locale, notifications.report_returned).to_owned()
        }
        NotificationKind::DueSoon => td_string!(locale, notifications.due_soon).to_owned(),
        NotificationKind::Overdue => td_string!(locale, notifications.overdue).to_owned(),
        NotificationKind::OverdueDaily => td_string!(
            locale,
            notifications.overdue_daily,
            day = item.day.map(|d| d.display()).unwrap_or_default(),
            n = super::format::count(locale, item.count.unwrap_or(0).max(0) as u64)
        )
        .to_string(),
        NotificationKind::Escalated => match item.step {
            Some(Step::OverdueLeaders) => {
                td_string!(locale, notifications.escalated_leaders).to_owned()
            }
            Some(Step::Quiet) => td_string!(locale, notifications.escalated_quiet).to_owned(),
            _ => td_string!(locale, notifications.escalated_assigner).to_owned(),
        },
        NotificationKind::FeedbackAssigned => td_string!(
            locale,
            notifications.feedback_assigned,
            code = item.feedback_code.clone().unwrap_or_default()
        )
        .to_string(),
        NotificationKind::ExtensionAsked => {
            td_string!(locale, notifications.extension_asked).to_owned()
        }
        NotificationKind::ExtensionDecided => {
            td_string!(locale, notifications.extension_decided).to_owned()
        }
        NotificationKind::ValueAwaiting => {
            td_string!(locale, notifications.value_awaiting).to_owned()
        }
        NotificationKind::ValueAccepted => {
            td_string!(locale, notifications.value_accepted).to_owned()
        }
        NotificationKind::ValueReturned => {
            td_string!(locale, notifications.value_returned).to_owned()
        }
    }
}

/// A kind of notification, as the email settings name it.
pub fn notification_kind_label(locale: Locale, kind: NotificationKind) -> &'static str {
    match kind {
        NotificationKind::TaskAssigned => td_string!(locale, notifications.kind_task_assigned),
        NotificationKind::ReportAwaiting => td_string!(locale, notifications.kind_report_awaiting),
        NotificationKind::ReportAccepted => td_string!(locale, notifications.kind_report_accepted),
        NotificationKind::ReportReturned => td_string!(locale, notifications.kind_report_returned),
        NotificationKind::DueSoon => td_string!(locale, notifications.kind_due_soon),
        NotificationKind::Overdue => td_string!(locale, notifications.kind_overdue),
        NotificationKind::OverdueDaily => td_string!(locale, notifications.kind_overdue_daily),
        NotificationKind::Escalated => td_string!(locale, notifications.kind_escalated),
        NotificationKind::FeedbackAssigned => {
            td_string!(locale, notifications.kind_feedback_assigned)
        }
        NotificationKind::ExtensionAsked => td_string!(locale, notifications.kind_extension_asked),
        NotificationKind::ExtensionDecided => {
            td_string!(locale, notifications.kind_extension_decided)
        }
        NotificationKind::ValueAwaiting => td_string!(locale, notifications.kind_value_awaiting),
        NotificationKind::ValueAccepted => td_string!(locale, notifications.kind_value_accepted),
        NotificationKind::ValueReturned => td_string!(locale, notifications.kind_value_returned),
    }
}
