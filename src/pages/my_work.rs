//! `/my-work`: the tasks of the official's unit, and the reports awaiting their evaluation.

use crate::api::tasks::list_my_work;
use crate::components::error::ErrorPage;
use crate::components::format::count;
use crate::components::format::vietnamese_name;
use crate::components::pagination::Pagination;
use crate::components::tasks::TaskTable;
use crate::components::title::page_title;
use crate::i18n::*;
use crate::model::nav::encode_query_value;
use crate::model::task::{WorkFilter, WorkPage, WorkSort, WorkView};
use leptos::prelude::*;
use leptos_i18n::I18nContext;
use leptos_router::components::Form;
use leptos_router::hooks::use_query_map;

fn view_label(i18n: I18nContext<Locale>, view: WorkView) -> &'static str {
    match view {
        WorkView::All => t_string!(i18n, work.view_all),
        WorkView::DueSoon => t_string!(i18n, work.view_due_soon),
        WorkView::Overdue => t_string!(i18n, work.view_overdue),
        WorkView::Returned => t_string!(i18n, work.view_returned),
        WorkView::Evaluate => t_string!(i18n, work.view_evaluate),
    }
}

fn sort_label(i18n: I18nContext<Locale>, sort: WorkSort) -> &'static str {
    match sort {
        WorkSort::Due => t_string!(i18n, work.sort_due),
        WorkSort::Progress => t_string!(i18n, work.sort_progress),
        WorkSort::Updated => t_string!(i18n, work.sort_updated),
    }
}

fn href(filter: &WorkFilter, page: u32) -> String {
    format!(
        "/my-work?view={}&sort={}{}&page={page}",
        encode_query_value(filter.view.as_str()),
        encode_query_value(filter.sort.as_str()),
        if filter.key_only { "&key=on" } else { "" }
    )
}

#[component]
pub fn MyWorkPage() -> impl IntoView {
    let i18n = use_i18n();
    let query = use_query_map();
    let filter = Memo::new(move |_| {
        let query = query.read();
        WorkFilter {
            view: query
                .get("view")
                .and_then(|v| v.parse().ok())
                .unwrap_or(WorkView::All),
            sort: query
                .get("sort")
                .and_then(|s| s.parse().ok())
                .unwrap_or(WorkSort::Due),
            page: query.get("page").and_then(|p| p.parse().ok()).unwrap_or(1),
            key_only: query.get("key").is_some_and(|k| !k.is_empty()),
        }
    });
    let work = Resource::new(move || filter.get(), list_my_work);
    let body = move || {
        Suspend::new(async move {
            match work.await {
                Ok(page) => view! { <WorkList page filter=filter.get_untracked() /> }.into_any(),
                Err(error) => view! { <ErrorPage error /> }.into_any(),
            }
        })
    };
    view! {
        {page_title(move || t_string!(i18n, work.title).to_owned())}
        <section class="page">
            <h1>{t!(i18n, work.title)}</h1>
            <WorkFilterForm filter=filter.get_untracked() />
            <Suspense fallback=move || view! { <p>{t!(i18n, common.loading)}</p> }>{body}</Suspense>
        </section>
    }
}

#[component]
fn WorkFilterForm(filter: WorkFilter) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <Form method="GET" action="/my-work" attr:class="filters">
            <div class="field">
                <label for="work-view">{t!(i18n, work.view)}</label>
                <select id="work-view" name="view">
                    {WorkView::ALL
                        .iter()
                        .copied()
                        .map(|view| {
                            view! {
                                <option value=view.as_str() selected=filter.view == view>
                                    {move || view_label(i18n, view)}
                                </option>
                            }
                        })
                        .collect_view()}
                </select>
            </div>
            <div class="field">
                <label for="work-sort">{t!(i18n, work.sort)}</label>
                <select id="work-sort" name="sort">
                    {WorkSort::ALL
                        .iter()
                        .copied()
                        .map(|sort| {
                            view! {
                                <option value=sort.as_str() selected=filter.sort == sort>
                                    {move || sort_label(i18n, sort)}
                                </option>
                            }
                        })
                        .collect_view()}
                </select>
            </div>
            <div class="field checkbox">
                <input id="work-key" name="key" type="checkbox" value="on" checked=filter.key_only />
                <label for="work-key">{t!(i18n, work.key_only)}</label>
            </div>
            <div class="filter-actions">
                <button type="submit" class="primary">{t!(i18n, work.show)}</button>
            </div>
        </Form>
    }
}

#[component]
fn WorkList(page: WorkPage, filter: WorkFilter) -> impl IntoView {
    let i18n = use_i18n();
    let WorkPage {
        unit,
        rows,
        total,
        page,
        pages,
    } = page;
    let previous = (page > 1).then(|| href(&filter, page - 1));
    let next = (page < pages).then(|| href(&filter, page + 1));
    view! {
        <p class="lead">{t!(i18n, work.lead, unit = vietnamese_name(unit.name.clone()))}</p>
        {if rows.is_empty() {
            view! { <p class="notice" role="status">{t!(i18n, work.none)}</p> }.into_any()
        } else {
            view! {
                <p role="status">{move || t_string!(i18n, work.count, count = count(i18n.get_locale(), total))}</p>
                <TaskTable rows caption=t_string!(i18n, work.title) />
                <Pagination previous next page=u64::from(page) pages=u64::from(pages) />
            }
                .into_any()
        }}
    }
}
