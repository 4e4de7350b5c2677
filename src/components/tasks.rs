//! Pieces that show tasks: progress bars, status badges, the task table.

use crate::components::labels::task_status_label;
use crate::i18n::*;
use crate::model::task::{TaskRow, TaskStatus};
use leptos::prelude::*;

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
    badge(use_i18n(), status, overdue)
}

/// The badge's markup, drawn once: pages are drawn on the server only, so the words need
/// not follow a change of language.
fn badge(
    i18n: leptos_i18n::I18nContext<Locale>,
    status: TaskStatus,
    overdue: bool,
) -> impl IntoView + use<> {
    view! {
        <span class=format!("badge badge-{}", status.as_str())>{task_status_label(i18n, status)}</span>
        {overdue
            .then(|| view! { " " <span class="badge badge-overdue">{t_string!(i18n, task_status.overdue)}</span> })}
    }
}

/// Tasks as a table; rows are indented by their depth below `base_depth`. `caption` names
/// the table for screen readers (the page shows the same words as the heading above it).
///
/// On the server the table's HTML is kept for the same rows, caption and language: a
/// document's tree (300 rows, 150 KB) is read by many officials between two changes, and
/// drawing it again took most of its page's time.
#[component]
pub fn TaskTable(
    rows: Vec<TaskRow>,
    #[prop(into)] caption: String,
    #[prop(optional)] base_depth: i32,
) -> impl IntoView {
    let i18n = use_i18n();
    #[cfg(feature = "ssr")]
    let table = kept::table_html(i18n, rows, caption, base_depth);
    #[cfg(feature = "ssr")]
    return view! { <div class="table-wrap" tabindex="0" inner_html=table></div> };
    #[cfg(not(feature = "ssr"))]
    view! { <div class="table-wrap" tabindex="0">{table(i18n, &rows, caption, base_depth)}</div> }
}

/// The `<table>` itself. Links are plain `<a>`: the router's `<A>` would also work out
/// whether each link is the current page, which a row's link never is.
fn table(
    i18n: leptos_i18n::I18nContext<Locale>,
    rows: &[TaskRow],
    caption: String,
    base_depth: i32,
) -> impl IntoView + use<> {
    view! {
        <table class="data tasks">
            <caption class="visually-hidden">{caption}</caption>
            <thead>
                <tr>
                    <th scope="col">{t_string!(i18n, tasks.col_title)}</th>
                    <th scope="col">{t_string!(i18n, tasks.col_lead)}</th>
                    <th scope="col">{t_string!(i18n, tasks.col_due)}</th>
                    <th scope="col">{t_string!(i18n, tasks.col_status)}</th>
                    <th scope="col">{t_string!(i18n, tasks.col_progress)}</th>
                    <th scope="col" class="num">{t_string!(i18n, tasks.col_children)}</th>
                </tr>
            </thead>
            <tbody>
                {rows
                    .iter()
                    .map(|row| {
                        let indent = (row.depth - base_depth).clamp(0, 8);
                        view! {
                            <tr>
                                <th scope="row" class=format!("indent-{indent}")>
                                    <a href=format!("/tasks/{}", row.id)>{row.title.clone()}</a>
                                    {row.key.then(|| view! { " " <span class="badge badge-key">{t_string!(i18n, tasks.key)}</span> })}
                                </th>
                                <td>{row.lead.name.clone()}</td>
                                <td class="nowrap">{row.due_on.display()}</td>
                                <td>{badge(i18n, row.status, row.overdue)}</td>
                                <td><ProgressBar value=row.progress /></td>
                                <td class="num">{row.child_count}</td>
                            </tr>
                        }
                    })
                    .collect_view()}
            </tbody>
        </table>
    }
}

#[cfg(feature = "ssr")]
mod kept {
    use super::*;
    use std::collections::VecDeque;
    use std::sync::{Arc, Mutex};

    /// How many tables are kept: the most recently drawn ones.
    const KEPT_TABLES: usize = 32;

    /// What a table is drawn from, whole: the same input always draws the same HTML.
    #[derive(PartialEq)]
    struct Input {
        locale: Locale,
        caption: String,
        base_depth: i32,
        rows: Vec<TaskRow>,
    }

    static TABLES: Mutex<VecDeque<(Input, Arc<str>)>> = Mutex::new(VecDeque::new());

    /// The table's HTML: kept, or drawn and kept in place of the oldest.
    pub(super) fn table_html(
        i18n: leptos_i18n::I18nContext<Locale>,
        rows: Vec<TaskRow>,
        caption: String,
        base_depth: i32,
    ) -> Arc<str> {
        let input = Input {
            locale: i18n.get_locale_untracked(),
            caption,
            base_depth,
            rows,
        };
        kept_or_drawn(&TABLES, input, |input| {
            table(i18n, &input.rows, input.caption.clone(), input.base_depth).to_html()
        })
    }

    fn kept_or_drawn(
        tables: &Mutex<VecDeque<(Input, Arc<str>)>>,
        input: Input,
        draw: impl FnOnce(&Input) -> String,
    ) -> Arc<str> {
        let tables = || tables.lock().unwrap_or_else(|e| e.into_inner());
        if let Some((_, html)) = tables().iter().find(|(kept, _)| *kept == input) {
            return html.clone();
        }
        let html: Arc<str> = draw(&input).into();
        let mut tables = tables();
        if tables.len() >= KEPT_TABLES {
            tables.pop_front();
        }
        tables.push_back((input, html.clone()));
        html
    }

    #[cfg(test)]
    mod tests {
        use super::*;
        use crate::model::task::Priority;
        use crate::model::time::Day;
        use crate::model::unit::UnitRef;
        use crate::model::{Classification, UnitLevel};

        fn input(progress: i16, locale: Locale) -> Input {
            let row = TaskRow {
                id: 7,
                parent_id: None,
                depth: 0,
                title: "Số hoá hồ sơ".into(),
                lead: UnitRef {
                    code: "TW".into(),
                    name: "Trung ương".into(),
                    level: UnitLevel::Central,
                },
                due_on: Day(20_000),
                status: TaskStatus::InProgress,
                progress,
                overdue: false,
                priority: Priority::Normal,
                classification: Classification::Public,
                child_count: 0,
                key: false,
            };
            Input {
                locale,
                caption: "Nhiệm vụ".into(),
                base_depth: 0,
                rows: vec![row],
            }
        }

        #[test]
        fn a_table_is_drawn_again_only_when_what_it_shows_changed() {
            let tables = Mutex::new(VecDeque::new());
            let drawn = std::cell::Cell::new(0);
            let draw = |input: &Input| {
                drawn.set(drawn.get() + 1);
                format!("{}%", input.rows[0].progress)
            };
            assert_eq!(&*kept_or_drawn(&tables, input(30, Locale::vi), draw), "30%");
            assert_eq!(&*kept_or_drawn(&tables, input(30, Locale::vi), draw), "30%");
            assert_eq!(drawn.get(), 1, "the same rows are not drawn twice");
            assert_eq!(&*kept_or_drawn(&tables, input(45, Locale::vi), draw), "45%");
            kept_or_drawn(&tables, input(30, Locale::en), draw);
            assert_eq!(drawn.get(), 3, "a changed row or another language is drawn");
            for progress in 50..50 + KEPT_TABLES as i16 {
                kept_or_drawn(&tables, input(progress, Locale::vi), draw);
            }
            assert_eq!(tables.lock().unwrap().len(), KEPT_TABLES);
            kept_or_drawn(&tables, input(30, Locale::vi), draw);
            assert_eq!(drawn.get(), 4 + KEPT_TABLES, "the oldest table made room");
        }
    }
}
