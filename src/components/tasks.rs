//! Pieces that show tasks: progress bars, status badges, the task table.

use crate::components::labels::task_status_label;
use crate::i18n::*;
use crate::model::task::{TaskRow, TaskStatus};
use leptos::prelude::*;
use leptos_router::components::A;

/// A progress bar (the native `<progress>`: no inline style, which the CSP forbids) with
/// the figure beside it, for screen readers and old browsers.
#[component]
pub fn ProgressBar(value: i16) -> impl IntoView {
    let value = value.clamp(0, 100);
    view! {
        <span class="progress">
            <progress value=value.to_string() max="100" aria-hidden="true"></progress>
            <span class="progress-text">{format!("{value} %")}</span>
        </span>
    }
}

/// A task's status, marked overdue when its due date has passed.
#[component]
pub fn StatusBadge(status: TaskStatus, #[prop(optional)] overdue: bool) -> impl IntoView {
    let i18n = use_i18n();
    let class = format!("badge badge-{}", status.as_str());
    view! {
        <span class=class>{move || task_status_label(i18n, status)}</span>
        {overdue
            .then(|| view! { " " <span class="badge badge-overdue">{t!(i18n, task_status.overdue)}</span> })}
    }
}

/// Tasks as a table; rows are indented by their depth below `base_depth`. `caption` names
/// the table for screen readers (the page shows the same words as the heading above it).
#[component]
pub fn TaskTable(
    rows: Vec<TaskRow>,
    #[prop(into)] caption: String,
    #[prop(optional)] base_depth: i32,
) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <div class="table-wrap" tabindex="0">
            <table class="data tasks">
                <caption class="visually-hidden">{caption}</caption>
                <thead>
                    <tr>
                        <th scope="col">{t!(i18n, tasks.col_title)}</th>
                        <th scope="col">{t!(i18n, tasks.col_lead)}</th>
                        <th scope="col">{t!(i18n, tasks.col_due)}</th>
                        <th scope="col">{t!(i18n, tasks.col_status)}</th>
                        <th scope="col">{t!(i18n, tasks.col_progress)}</th>
                        <th scope="col" class="num">{t!(i18n, tasks.col_children)}</th>
                    </tr>
                </thead>
                <tbody>
                    {rows
                        .into_iter()
                        .map(|row| {
                            let indent = (row.depth - base_depth).clamp(0, 8);
                            view! {
                                <tr>
                                    <th scope="row" class=format!("indent-{indent}")>
                                        <A href=format!("/tasks/{}", row.id)>{row.title.clone()}</A>
                                    </th>
                                    <td>{row.lead.name.clone()}</td>
                                    <td class="nowrap">{row.due_on.display()}</td>
                                    <td><StatusBadge status=row.status overdue=row.overdue /></td>
                                    <td><ProgressBar value=row.progress /></td>
                                    <td class="num">{row.child_count}</td>
                                </tr>
                            }
                        })
                        .collect_view()}
                </tbody>
            </table>
        </div>
    }
}
