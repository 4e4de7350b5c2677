//! `/tasks/{id}`: one task, its subtasks, reports and history, and what the viewer may do.

use crate::api::tasks::{
    AskExtension, CascadeTask, CreateTask, DecideExtension, EvaluateReport, SUBMIT_REPORT_PATH,
    UpdateTask, get_task,
};
use crate::components::error::{ErrorPage, field_error};
use crate::components::form::{EvidenceField, FileList, FormProblem, Refusal};
use crate::components::labels::{
    clearance_label, field_label, field_value, priority_label, report_status_label,
};
use crate::components::tasks::{ProgressBar, StatusBadge, TaskTable};
use crate::i18n::*;
use crate::model::AppError;
use crate::model::deadline::{ChangeKind, ChangeState, DueDateChange, REASON_MAX};
use crate::model::notification::{ReminderRecord, Step};
use crate::model::task::{
    CascadePreset, EventDetail, ReportKind, ReportStatus, ReportView, TaskDetail, TaskEventView,
};
use crate::model::time::format_datetime;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::A;
use leptos_router::hooks::{use_params_map, use_query_map};

#[component]
pub fn TaskPage() -> impl IntoView {
    let i18n = use_i18n();
    let params = use_params_map();
    let query = use_query_map();
    let id = Memo::new(move |_| {
        params
            .read()
            .get("id")
            .and_then(|id| id.parse::<i32>().ok())
            .unwrap_or(0)
    });
    let update = ServerAction::<UpdateTask>::new();
    let subtask = ServerAction::<CreateTask>::new();
    let cascade = ServerAction::<CascadeTask>::new();
    let evaluate = ServerAction::<EvaluateReport>::new();
    let ask = ServerAction::<AskExtension>::new();
    let decide = ServerAction::<DecideExtension>::new();
    // The report form is a plain multipart form: its errors come back in the address,
    // which the router hands over as a `ServerActionError`.
    let report_error = Signal::derive(|| {
        use_context::<leptos::server::ServerActionError>()
            .filter(|e| e.path() == SUBMIT_REPORT_PATH)
            .map(|e| leptos::server_fn::error::ServerFnUrlError::<AppError>::decode_err(e.err()))
    });
    let task = Resource::new(
        move || {
            (
                id.get(),
                update.version().get(),
                subtask.version().get(),
                cascade.version().get(),
                evaluate.version().get(),
                ask.version().get(),
                decide.version().get(),
            )
        },
        |(id, ..)| get_task(id),
    );
    let done = move || {
        let query = query.read();
        match query.get("done").as_deref() {
            Some("created") => Some(t_string!(i18n, tasks.created_done).to_owned()),
            Some("saved") => Some(t_string!(i18n, tasks.saved_done).to_owned()),
            Some("cascaded") => Some(t_string!(
                i18n,
                tasks.cascaded_done,
                created = query.get("created").unwrap_or_default(),
                skipped = query.get("skipped").unwrap_or_default()
            )),
            Some("reported") => Some(t_string!(i18n, tasks.reported_done).to_owned()),
            Some("accepted") => Some(t_string!(i18n, tasks.accepted_done).to_owned()),
            Some("returned") => Some(t_string!(i18n, tasks.returned_done).to_owned()),
            Some("extension_asked") => Some(t_string!(i18n, tasks.extension_asked_done).to_owned()),
            Some("extension_granted") => {
                Some(t_string!(i18n, tasks.extension_granted_done).to_owned())
            }
            Some("extension_refused") => {
                Some(t_string!(i18n, tasks.extension_refused_done).to_owned())
            }
            _ => None,
        }
    };
    let body = move || {
        Suspend::new(async move {
            match task.await {
                Ok(detail) => {
                    view! { <TaskView detail update subtask cascade evaluate ask decide report_error /> }
                        .into_any()
                }
                Err(error) => view! { <ErrorPage error /> }.into_any(),
            }
        })
    };
    view! {
        <section class="page">
            {move || done().map(|text| view! { <p class="notice notice-ok" role="status">{text}</p> })}
            <Suspense fallback=move || view! { <p>{t!(i18n, common.loading)}</p> }>{body}</Suspense>
        </section>
    }
}

#[component]
fn TaskView(
    detail: TaskDetail,
    update: ServerAction<UpdateTask>,
    subtask: ServerAction<CreateTask>,
    cascade: ServerAction<CascadeTask>,
    evaluate: ServerAction<EvaluateReport>,
    ask: ServerAction<AskExtension>,
    decide: ServerAction<DecideExtension>,
    report_error: Signal<Option<AppError>>,
) -> impl IntoView {
    let i18n = use_i18n();
    let row = detail.row.clone();
    let level = row.classification;
    let priority = row.priority;
    let actions = detail.actions.clone();
    let edit = Refusal::of(update).with_prefix("edit-");
    let new_subtask = Refusal::of(subtask).with_prefix("task-");
    let cascaded = Refusal::of(cascade).with_prefix("cascade-");
    let report = Refusal::new(SUBMIT_REPORT_PATH, report_error).with_prefix("report-");
    // Each pending report has its own return form: the refusal names the report it was about.
    let evaluated = Refusal::of(evaluate);
    let evaluated = evaluated.with_prefix(format!(
        "report{}-",
        evaluated.sent("report_id").unwrap_or_default()
    ));
    let conflict = move || matches!(edit.error().get(), Some(AppError::Conflict));
    let children = detail.children.clone();
    let has_children = !children.is_empty();
    let shown_children = children.len();
    let base_depth = row.depth + 1;
    let document_id = detail.document.id;
    let presets = detail.cascade_presets.clone();
    let for_edit = detail.clone();
    let version = detail.version;
    view! {
        <Title text=row.title.clone() />
        <nav class="breadcrumb" aria-label=move || t_string!(i18n, units.trail_label)>
            <ol>
                <li><A href="/documents">{t!(i18n, docs.title)}</A></li>
                <li>
                    <A href=format!("/documents/{}", detail.document.id)>{detail.document.code.clone()}</A>
                </li>
                {detail
                    .parent
                    .clone()
                    .map(|(id, title)| view! { <li><A href=format!("/tasks/{id}")>{title}</A></li> })}
                <li aria-current="page">{row.title.clone()}</li>
            </ol>
        </nav>
        <h1>{row.title.clone()}</h1>
        <p>
            <StatusBadge status=row.status overdue=row.overdue />
            {row.key.then(|| view! { " " <span class="badge badge-key">{t!(i18n, tasks.key_task)}</span> })}
            " "
            <ProgressBar value=row.progress />
        </p>
        <dl class="facts">
            <div><dt>{t!(i18n, tasks.lead_unit)}</dt><dd>{row.lead.name.clone()}</dd></div>
            <div><dt>{t!(i18n, tasks.assigner)}</dt><dd>{detail.assigner.name.clone()}</dd></div>
            <div><dt>{t!(i18n, tasks.start_on)}</dt><dd>{detail.start_on.display()}</dd></div>
            <div><dt>{t!(i18n, tasks.due_on)}</dt><dd>{row.due_on.display()}</dd></div>
            {detail
                .original_due_on
                .map(|day| view! { <div><dt>{t!(i18n, tasks.original_due_on)}</dt><dd>{day.display()}</dd></div> })}
            {detail
                .completed_on
                .map(|day| view! { <div><dt>{t!(i18n, tasks.completed_on)}</dt><dd>{day.display()}</dd></div> })}
            <div><dt>{t!(i18n, tasks.priority)}</dt><dd>{move || priority_label(i18n, priority)}</dd></div>
            <div><dt>{t!(i18n, tasks.weight)}</dt><dd>{detail.weight}</dd></div>
            <div><dt>{t!(i18n, tasks.classification)}</dt><dd>{move || clearance_label(i18n, level)}</dd></div>
            {(!detail.coordinators.is_empty())
                .then(|| {
                    let names = detail.coordinators.iter().map(|u| u.name.clone()).collect::<Vec<_>>().join(", ");
                    view! { <div><dt>{t!(i18n, tasks.coordinators)}</dt><dd>{names}</dd></div> }
                })}
        </dl>
        {(!detail.description.is_empty())
            .then(|| view! { <h2>{t!(i18n, tasks.description)}</h2><p class="prewrap">{detail.description.clone()}</p> })}
        {(!detail.expected_result.is_empty())
            .then(|| view! { <h2>{t!(i18n, tasks.expected_result)}</h2><p class="prewrap">{detail.expected_result.clone()}</p> })}

        {actions
            .report
            .then(|| {
                view! {
                    <section class="panel" aria-labelledby="report-heading">
                        <h2 id="report-heading">{t!(i18n, tasks.report)}</h2>
                        // A plain multipart form: files go up with or without JavaScript.
                        <form method="post" action=SUBMIT_REPORT_PATH enctype="multipart/form-data" class="form narrow" novalidate>
                            <FormProblem refusal=report />
                            <input type="hidden" name="task_id" value=row.id />
                            <input type="hidden" name="submission_key" value=detail.submission_key.clone() />
                            <div class="field">
                                <label for="report-progress">{t!(i18n, tasks.report_progress)}</label>
                                <input id="report-progress" name="progress" type="number" min="0" max="100" required value=report.value("progress", row.progress.to_string()) aria-describedby="report-progress-error" aria-invalid=report.invalid("progress") autofocus=report.focus("progress") />
                                <p id="report-progress-error" class="field-error">{report.message("progress")}</p>
                            </div>
                            <div class="field">
                                <label for="report-text">{t!(i18n, tasks.report_text)}</label>
                                <textarea id="report-text" name="text" rows="4" required aria-describedby="report-text-error" aria-invalid=report.invalid("text") autofocus=report.focus("text")>
                                    {report.text("text", "")}
                                </textarea>
                                <p id="report-text-error" class="field-error">{report.message("text")}</p>
                            </div>
                            <div class="field checkbox">
                                <input id="report-claims" name="claims_completion" type="checkbox" value="on" checked=report.ticked("claims_completion", false) />
                                <label for="report-claims">{t!(i18n, tasks.report_claims)}</label>
                            </div>
                            <EvidenceField refusal=report />
                            <button type="submit">{t!(i18n, tasks.report_button)}</button>
                        </form>
                    </section>
                }
            })}
        {move || {
            field_error(i18n, report_error.get().as_ref(), "task")
                .map(|text| view! { <p class="notice notice-error" role="alert">{text}</p> })
        }}

        <section aria-labelledby="subtasks-heading">
            <h2 id="subtasks-heading">{t!(i18n, tasks.subtasks)}</h2>
            {if has_children {
                view! { <TaskTable rows=children base_depth caption=t_string!(i18n, tasks.subtasks) /> }.into_any()
            } else {
                view! { <p>{t!(i18n, tasks.no_subtasks)}</p> }.into_any()
            }}
            {detail.more_children.then(|| view! { <p class="hint">{t!(i18n, tasks.more_subtasks, shown = shown_children)}</p> })}
        </section>

        {actions
            .assign_below
            .then(|| {
                view! {
                    <details class="panel" open=cascaded.error().get_untracked().is_some()>
                        <summary>{t!(i18n, tasks.cascade)}</summary>
                        <p>{t!(i18n, tasks.cascade_lead)}</p>
                        <ActionForm action=cascade attr:class="form narrow" attr:novalidate=true>
                            <FormProblem refusal=cascaded />
                            <input type="hidden" name="id" value=row.id />
                            <fieldset id="cascade-target">
                                <legend class="visually-hidden">{t!(i18n, tasks.cascade)}</legend>
                                {presets
                                    .into_iter()
                                    .map(|preset| {
                                        let (value, label) = match preset {
                                            CascadePreset::Children { count } => (
                                                "children",
                                                t_string!(i18n, tasks.cascade_children, count = count),
                                            ),
                                            CascadePreset::AllCommunes { count } => (
                                                "communes",
                                                t_string!(i18n, tasks.cascade_communes, count = count),
                                            ),
                                        };
                                        let id = format!("cascade-target-{value}");
                                        view! {
                                            <div class="field checkbox">
                                                <input id=id.clone() type="radio" name="target" value=value checked=cascaded.chosen("target", value, false) />
                                                <label for=id>{label}</label>
                                            </div>
                                        }
                                    })
                                    .collect_view()}
                                <div class="field checkbox">
                                    <input id="cascade-target-units" type="radio" name="target" value="units" checked=cascaded.chosen("target", "units", true) />
                                    <label for="cascade-target-units">{t!(i18n, tasks.cascade_units)}</label>
                                </div>
                            </fieldset>
                            <div class="field">
                                <label for="cascade-units">{t!(i18n, tasks.cascade_codes)}</label>
                                <input id="cascade-units" name="units" type="text" maxlength="4000" value=cascaded.value("units", "") aria-describedby="cascade-units-hint cascade-units-error" aria-invalid=cascaded.invalid("units") autofocus=cascaded.focus("units") />
                                <p id="cascade-units-hint" class="hint">{t!(i18n, tasks.cascade_units_hint)}</p>
                                <p id="cascade-units-error" class="field-error">{cascaded.message("units")}</p>
                            </div>
                            <button type="submit">{t!(i18n, tasks.cascade_button)}</button>
                        </ActionForm>
                    </details>
                }
            })}
        {actions
            .break_down
            .then(|| {
                let assigns = actions.assign_below;
                view! {
                    <details class="panel" open=new_subtask.error().get_untracked().is_some()>
                        <summary>{t!(i18n, tasks.break_down)}</summary>
                        <ActionForm action=subtask attr:class="form narrow" attr:novalidate=true>
                            <FormProblem refusal=new_subtask />
                            <input type="hidden" name="document_id" value=document_id />
                            <input type="hidden" name="parent_id" value=row.id />
                            {(!assigns).then(|| view! { <p class="hint">{t!(i18n, tasks.break_down_own_unit)}</p> })}
                            <crate::pages::documents::TaskFields refusal=new_subtask lead=true assigns level=level />
                            <button type="submit">{t!(i18n, tasks.create_button)}</button>
                        </ActionForm>
                    </details>
                }
            })}

        {actions
            .edit
            .then(|| {
                view! {
                    <details class="panel" open=edit.error().get_untracked().is_some()>
                        <summary>{t!(i18n, tasks.edit)}</summary>
                        <ActionForm action=update attr:class="form narrow" attr:novalidate=true>
                            <input type="hidden" name="id" value=row.id />
                            <input type="hidden" name="version" value=version />
                            {move || {
                                if conflict() {
                                    view! { <p class="notice notice-error" role="alert">{t!(i18n, tasks.conflict)}</p> }.into_any()
                                } else {
                                    view! { <FormProblem refusal=edit /> }.into_any()
                                }
                            }}
                            <crate::pages::documents::TaskFields refusal=edit lead=false level=level current=for_edit />
                            <button type="submit">{t!(i18n, tasks.save)}</button>
                        </ActionForm>
                    </details>
                }
            })}

        <Deadline changes=detail.due_changes.clone() task_id=row.id can_ask=actions.ask_extension can_decide=actions.decide_extension ask decide />

        <section aria-labelledby="reports-heading">
            <h2 id="reports-heading">{t!(i18n, tasks.reports)}</h2>
            <FormProblem refusal=evaluated />
            {if detail.reports.is_empty() {
                view! { <p>{t!(i18n, tasks.no_reports)}</p> }.into_any()
            } else {
                let can_evaluate = actions.evaluate;
                view! {
                    <ol class="report-list">
                        {detail
                            .reports
                            .clone()
                            .into_iter()
                            .map(|report| view! { <ReportItem report can_evaluate evaluate evaluated /> })
                            .collect_view()}
                    </ol>
                }
                    .into_any()
            }}
        </section>

        <section aria-labelledby="history-heading">
            <h2 id="history-heading">{t!(i18n, tasks.history)}</h2>
            {if detail.history.is_empty() {
                view! { <p>{t!(i18n, tasks.no_history)}</p> }.into_any()
            } else {
                view! {
                    <ol class="history">
                        {detail.history.clone().into_iter().map(|event| view! { <HistoryItem event /> }).collect_view()}
                    </ol>
                }
                    .into_any()
            }}
        </section>

        <Reminders reminders=detail.reminders.clone() />
    }
}

/// The due date's changes, the form to ask for more time (the lead unit) and the
/// decision on a request (the assigning unit's leaders).
#[component]
fn Deadline(
    changes: Vec<DueDateChange>,
    task_id: i32,
    can_ask: bool,
    can_decide: bool,
    ask: ServerAction<AskExtension>,
    decide: ServerAction<DecideExtension>,
) -> impl IntoView {
    let i18n = use_i18n();
    let asked = Refusal::of(ask).with_prefix("extension-");
    let decided = Refusal::of(decide).with_prefix("decision-");
    let answer_id = decided.id("answer");
    view! {
        <section aria-labelledby="deadline-heading">
            <h2 id="deadline-heading">{t!(i18n, tasks.deadline)}</h2>
            <FormProblem refusal=decided />
            {if changes.is_empty() {
                view! { <p>{t!(i18n, tasks.no_due_changes)}</p> }.into_any()
            } else {
                view! {
                    <ol class="report-list">
                        {changes
                            .into_iter()
                            .map(|change| {
                                let kind = match change.kind {
                                    ChangeKind::Moved => t_string!(i18n, tasks.change_moved),
                                    ChangeKind::Extension => t_string!(i18n, tasks.change_extension),
                                };
                                let (state, badge) = match change.state {
                                    ChangeState::Asked => (t_string!(i18n, tasks.change_asked), "report-pending"),
                                    ChangeState::Granted => (t_string!(i18n, tasks.change_granted), "report-accepted"),
                                    ChangeState::Refused => (t_string!(i18n, tasks.change_refused), "report-returned"),
                                };
                                let open = change.state == ChangeState::Asked;
                                let id = change.id;
                                view! {
                                    <li class="report">
                                        <p class="report-head">
                                            <strong>{kind}</strong>
                                            " · "
                                            <span class=format!("badge badge-{badge}")>{state}</span>
                                            " · "
                                            <span>{t_string!(i18n, tasks.change_dates, from = change.from_on.display(), to = change.to_on.display())}</span>
                                        </p>
                                        <p class="prewrap">{change.reason.clone()}</p>
                                        <p class="muted">{t_string!(i18n, tasks.change_by, name = change.asked_by.clone(), at = format_datetime(change.asked_at))}</p>
                                        {(change.kind == ChangeKind::Extension)
                                            .then(|| change.decided_by.clone().zip(change.decided_at))
                                            .flatten()
                                            .map(|(name, at)| view! { <p class="muted">{t_string!(i18n, tasks.change_decided, name = name, at = format_datetime(at))}</p> })}
                                        {(!change.answer.is_empty()).then(|| view! { <p class="prewrap">{change.answer.clone()}</p> })}
                                        {(open && can_decide)
                                            .then(|| {
                                                let answer_id = answer_id.clone();
                                                view! {
                                                    <div class="evaluate">
                                                        <ActionForm action=decide attr:class="inline-form">
                                                            <input type="hidden" name="change_id" value=id />
                                                            <input type="hidden" name="decision" value="grant" />
                                                            <button type="submit" class="primary">{t!(i18n, tasks.grant_extension)}</button>
                                                        </ActionForm>
                                                        <ActionForm action=decide attr:class="form return-form">
                                                            <input type="hidden" name="change_id" value=id />
                                                            <input type="hidden" name="decision" value="refuse" />
                                                            <label for=answer_id.clone()>{t!(i18n, tasks.extension_answer)}</label>
                                                            <textarea id=answer_id.clone() name="answer" rows="2" maxlength=REASON_MAX aria-describedby=format!("{answer_id}-error") aria-invalid=decided.invalid("answer") autofocus=decided.focus("answer")>
                                                                {decided.text("answer", "")}
                                                            </textarea>
                                                            <p id=format!("{answer_id}-error") class="field-error">{decided.message("answer")}</p>
                                                            <button type="submit" class="secondary">{t!(i18n, tasks.refuse_extension)}</button>
                                                        </ActionForm>
                                                    </div>
                                                }
                                            })}
                                    </li>
                                }
                            })
                            .collect_view()}
                    </ol>
                }
                    .into_any()
            }}
            {can_ask
                .then(|| {
                    view! {
                        <details class="panel" open=asked.error().get_untracked().is_some()>
                            <summary>{t!(i18n, tasks.ask_extension)}</summary>
                            <p>{t!(i18n, tasks.ask_extension_lead)}</p>
                            <ActionForm action=ask attr:class="form narrow" attr:novalidate=true>
                                <FormProblem refusal=asked />
                                <input type="hidden" name="task_id" value=task_id />
                                <div class="field">
                                    <label for="extension-to_on">{t!(i18n, tasks.extension_to)}</label>
                                    <input id="extension-to_on" name="to_on" type="date" required value=asked.value("to_on", "") aria-describedby="extension-to_on-error" aria-invalid=asked.invalid("to_on") autofocus=asked.focus("to_on") />
                                    <p id="extension-to_on-error" class="field-error">{asked.message("to_on")}</p>
                                </div>
                                <div class="field">
                                    <label for="extension-reason">{t!(i18n, tasks.extension_reason)}</label>
                                    <textarea id="extension-reason" name="reason" rows="3" required maxlength=REASON_MAX aria-describedby="extension-reason-error" aria-invalid=asked.invalid("reason") autofocus=asked.focus("reason")>
                                        {asked.text("reason", "")}
                                    </textarea>
                                    <p id="extension-reason-error" class="field-error">{asked.message("reason")}</p>
                                </div>
                                <button type="submit">{t!(i18n, tasks.ask_extension_button)}</button>
                            </ActionForm>
                        </details>
                    }
                })}
        </section>
    }
}

/// The reminders and escalations the sweep sent about the task.
#[component]
fn Reminders(reminders: Vec<ReminderRecord>) -> impl IntoView {
    let i18n = use_i18n();
    let step_label = move |step: Step| match step {
        Step::Before(days) => t_string!(i18n, notifications.step_before, days = days).to_string(),
        Step::Overdue => t_string!(i18n, notifications.step_overdue).to_owned(),
        Step::OverdueLeaders => t_string!(i18n, notifications.step_overdue_leaders).to_owned(),
        Step::OverdueAssigner => t_string!(i18n, notifications.step_overdue_assigner).to_owned(),
        Step::Quiet => t_string!(i18n, notifications.step_quiet).to_owned(),
    };
    view! {
        <section aria-labelledby="reminders-heading">
            <h2 id="reminders-heading">{t!(i18n, notifications.reminders)}</h2>
            {if reminders.is_empty() {
                view! { <p>{t!(i18n, notifications.no_reminders)}</p> }.into_any()
            } else {
                view! {
                    <div class="table-wrap" tabindex="0">
                        <table class="data">
                            <caption class="visually-hidden">{t!(i18n, notifications.reminders_caption)}</caption>
                            <thead>
                                <tr>
                                    <th scope="col">{t!(i18n, notifications.step)}</th>
                                    <th scope="col">{t!(i18n, notifications.counted_from)}</th>
                                    <th scope="col">{t!(i18n, notifications.sent_at)}</th>
                                </tr>
                            </thead>
                            <tbody>
                                {reminders
                                    .into_iter()
                                    .map(|r| {
                                        view! {
                                            <tr>
                                                <td>{step_label(r.step)}</td>
                                                <td>{r.reference.display()}</td>
                                                <td>{format_datetime(r.fired_at)}</td>
                                            </tr>
                                        }
                                    })
                                    .collect_view()}
                            </tbody>
                        </table>
                    </div>
                }
                    .into_any()
            }}
        </section>
    }
}

#[component]
fn ReportItem(
    report: ReportView,
    can_evaluate: bool,
    evaluate: ServerAction<EvaluateReport>,
    /// The last refusal of an evaluation, of whichever report.
    evaluated: Refusal,
) -> impl IntoView {
    let i18n = use_i18n();
    let status = report.status;
    let pending = status == ReportStatus::Pending;
    let refusal = evaluated
        .only_if("report_id", &report.id.to_string())
        .with_prefix(format!("report{}-", report.id));
    let reason_id = refusal.id("reason");
    let completion = report.kind == ReportKind::Completion;
    // Nobody evaluates their own report.
    let can_evaluate = can_evaluate && !report.by_viewer;
    view! {
        <li class=format!("report report-{}", status.as_str())>
            <p class="report-head">
                <strong>{format!("{} %", report.progress)}</strong>
                " · "
                <span class=format!("badge badge-report-{}", status.as_str())>{move || report_status_label(i18n, status)}</span>
                " · "
                <span>{t!(i18n, tasks.reported_by, unit = report.unit.name.clone(), author = report.author.clone())}</span>
                " · "
                <span class="muted">{format_datetime(report.created_at)}</span>
            </p>
            {if completion {
                view! { <p>{t!(i18n, tasks.completion_request)}</p> }.into_any()
            } else {
                view! {
                    {report.claims_completion.then(|| view! { <p class="muted">{t!(i18n, tasks.report_claims)}</p> })}
                    <p class="prewrap">{report.text.clone()}</p>
                }
                    .into_any()
            }}
            <FileList files=report.attachments.clone() href="/files" />
            {report.reason.clone().map(|reason| view! { <p><strong>{t!(i18n, tasks.reason)} ": "</strong>{reason}</p> })}
            {report
                .evaluator
                .clone()
                .zip(report.evaluated_at)
                .map(|(name, at)| view! { <p class="muted">{t!(i18n, tasks.evaluated_by, name = name, at = format_datetime(at))}</p> })}
            {(can_evaluate && pending)
                .then(|| {
                    view! {
                        <div class="evaluate">
                            <ActionForm action=evaluate attr:class="inline-form">
                                <input type="hidden" name="report_id" value=report.id />
                                <input type="hidden" name="verdict" value="accept" />
                                <button type="submit" class="primary">{t!(i18n, tasks.accept_report)}</button>
                            </ActionForm>
                            <ActionForm action=evaluate attr:class="form return-form">
                                <input type="hidden" name="report_id" value=report.id />
                                <input type="hidden" name="verdict" value="return" />
                                <label for=reason_id.clone()>{t!(i18n, tasks.return_reason)}</label>
                                <textarea id=reason_id.clone() name="reason" rows="2" required aria-describedby=format!("{reason_id}-error") aria-invalid=refusal.invalid("reason") autofocus=refusal.focus("reason")>
                                    {refusal.text("reason", "")}
                                </textarea>
                                <p id=format!("{reason_id}-error") class="field-error">{refusal.message("reason")}</p>
                                <button type="submit" class="secondary">{t!(i18n, tasks.return_report)}</button>
                            </ActionForm>
                        </div>
                    }
                })}
        </li>
    }
}

#[component]
fn HistoryItem(event: TaskEventView) -> impl IntoView {
    let i18n = use_i18n();
    let kind = event.kind.clone();
    let label = move || match kind.as_str() {
        "created" => t_string!(i18n, tasks.event_created),
        "edited" => t_string!(i18n, tasks.event_edited),
        "cascaded" => t_string!(i18n, tasks.event_cascaded),
        "broken_down" => t_string!(i18n, tasks.event_broken_down),
        "reported" => t_string!(i18n, tasks.event_reported),
        "accepted" => t_string!(i18n, tasks.event_accepted),
        "returned" => t_string!(i18n, tasks.event_returned),
        "completion_requested" => t_string!(i18n, tasks.event_completion_requested),
        "completion_withdrawn" => t_string!(i18n, tasks.event_completion_withdrawn),
        "report_withdrawn" => t_string!(i18n, tasks.event_report_withdrawn),
        "extension_asked" => t_string!(i18n, tasks.event_extension_asked),
        "extension_granted" => t_string!(i18n, tasks.event_extension_granted),
        "extension_refused" => t_string!(i18n, tasks.event_extension_refused),
        _ => "",
    };
    view! {
        <li>
            <p>
                <span class="muted">{format_datetime(event.at)}</span>
                " · "
                <strong>{label}</strong>
                {event.actor.clone().map(|actor| view! { " · " {actor} })}
            </p>
            {(!event.changes.is_empty())
                .then(|| {
                    view! {
                        <ul class="changes">
                            {event
                                .changes
                                .iter()
                                .map(|(field, before, after)| {
                                    let (field, before, after) = (field.clone(), before.clone(), after.clone());
                                    let name = field.clone();
                                    let old = field.clone();
                                    view! {
                                        <li>
                                            <span>{move || field_label(i18n, &name)}</span>
                                            ": "
                                            <del>{move || field_value(i18n, &old, &before)}</del>
                                            " → "
                                            <ins>{move || field_value(i18n, &field, &after)}</ins>
                                        </li>
                                    }
                                })
                                .collect_view()}
                        </ul>
                    }
                })}
            <EventNote kind=event.kind.clone() detail=event.detail.clone() />
        </li>
    }
}

/// What an event recorded besides changed fields, in a sentence.
#[component]
fn EventNote(kind: String, detail: EventDetail) -> impl IntoView {
    let i18n = use_i18n();
    let lead = detail.lead.clone().unwrap_or_default();
    let text = move || match kind.as_str() {
        "created" if detail.cascaded_from.is_some() => {
            Some(t_string!(i18n, tasks.event_from_above).to_owned())
        }
        "created" if detail.lead.is_some() => {
            Some(t_string!(i18n, tasks.event_lead, lead = lead.clone()))
        }
        "broken_down" => Some(t_string!(i18n, tasks.event_subtask, lead = lead.clone())),
        "cascaded" => detail
            .units
            .map(|units| t_string!(i18n, tasks.event_units, units = units)),
        "reported" => Some(t_string!(
            i18n,
            tasks.event_report,
            progress = detail.progress.unwrap_or(0),
            files = detail.files.unwrap_or(0)
        )),
        "accepted" => detail
            .progress
            .map(|progress| t_string!(i18n, tasks.event_progress, progress = progress)),
        "returned" => detail
            .reason
            .clone()
            .map(|reason| format!("{}: {reason}", t_string!(i18n, tasks.reason))),
        _ => None,
    };
    move || text().map(|text| view! { <p class="muted">{text}</p> })
}
