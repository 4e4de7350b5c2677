//! `/admin/audit`: the audit log for administrators, filtered, paged, and exported as CSV.

use crate::api::admin::list_audit;
use crate::components::error::{ErrorPage, RefusedFilter};
use crate::components::format::count;
use crate::components::pagination::Pagination;
use crate::components::title::page_title;
use crate::i18n::*;
use crate::model::AppError;
use crate::model::audit::{AuditFilter, AuditPage};
use crate::model::time::format_datetime;
use leptos::prelude::*;
use leptos_router::components::{A, Form};
use leptos_router::hooks::use_query_map;

const FIELDS: [&str; 7] = [
    "actor",
    "action",
    "object_type",
    "object_id",
    "unit",
    "from",
    "to",
];

#[component]
pub fn AdminAuditPage() -> impl IntoView {
    let i18n = use_i18n();
    let query = use_query_map();
    let filter = Memo::new(move |_| {
        let query = query.read();
        let get = |name: &str| query.get(name).unwrap_or_default();
        AuditFilter {
            actor: get("actor"),
            action: get("action"),
            object_type: get("object_type"),
            object_id: get("object_id"),
            unit: get("unit"),
            from: get("from"),
            to: get("to"),
            page: query.get("page").and_then(|p| p.parse().ok()).unwrap_or(1),
        }
    });
    let log = Resource::new(move || filter.get(), list_audit);
    let body = move || {
        Suspend::new(async move {
            match log.await {
                Ok(found) => view! { <AuditView found filter=filter.get_untracked() /> }.into_any(),
                Err(error @ AppError::Invalid { .. }) => view! {
                    <AuditFilters filter=filter.get_untracked() actions=Vec::new() />
                    <RefusedFilter error fields=&FIELDS />
                }
                .into_any(),
                Err(error) => view! { <ErrorPage error /> }.into_any(),
            }
        })
    };
    view! {
        {page_title(move || t_string!(i18n, audit.title).to_owned())}
        <section class="page">
            <h1>{t!(i18n, audit.title)}</h1>
            <p class="lead">{t!(i18n, audit.lead)}</p>
            <Suspense fallback=move || view! { <p>{t!(i18n, common.loading)}</p> }>{body}</Suspense>
        </section>
    }
}

#[component]
fn AuditFilters(filter: AuditFilter, actions: Vec<String>) -> impl IntoView {
    let i18n = use_i18n();
    let text = |id: &'static str, name: &'static str, label: String, value: String| {
        view! {
            <div class="field">
                <label for=id>{label}</label>
                <input id=id type="text" name=name maxlength="64" value=value />
            </div>
        }
    };
    view! {
        <Form method="GET" action="/admin/audit" attr:class="filters">
            {text("audit-actor", "actor", t_string!(i18n, audit.actor).to_owned(), filter.actor.clone())}
            <div class="field">
                <label for="audit-action">{t!(i18n, audit.action)}</label>
                <select id="audit-action" name="action">
                    <option value="">{t!(i18n, audit.any_action)}</option>
                    {actions
                        .into_iter()
                        .map(|action| {
                            let selected = action == filter.action;
                            view! { <option value=action.clone() selected=selected>{action.clone()}</option> }
                        })
                        .collect_view()}
                </select>
            </div>
            {text("audit-object-type", "object_type", t_string!(i18n, audit.object_type).to_owned(), filter.object_type.clone())}
            {text("audit-object-id", "object_id", t_string!(i18n, audit.object_id).to_owned(), filter.object_id.clone())}
            {text("audit-unit", "unit", t_string!(i18n, audit.unit).to_owned(), filter.unit.clone())}
            <div class="field">
                <label for="audit-from">{t!(i18n, audit.from)}</label>
                <input id="audit-from" type="date" name="from" value=filter.from.clone() />
            </div>
            <div class="field">
                <label for="audit-to">{t!(i18n, audit.to)}</label>
                <input id="audit-to" type="date" name="to" value=filter.to.clone() />
            </div>
            <div class="filter-actions">
                <button type="submit" class="primary">{t!(i18n, audit.show)}</button>
            </div>
        </Form>
    }
}

#[component]
fn AuditView(found: AuditPage, filter: AuditFilter) -> impl IntoView {
    let i18n = use_i18n();
    let AuditPage {
        rows,
        total,
        page,
        pages,
        actions,
    } = found;
    let href = |page: u64| format!("/admin/audit?{}", filter.query(page));
    let previous = (page > 1).then(|| href(page - 1));
    let next = (page < pages).then(|| href(page + 1));
    let csv = format!("/admin/audit.csv?{}", filter.query(1));
    view! {
        <AuditFilters filter=filter.clone() actions />
        <p role="status">
            {t!(i18n, audit.count, n = count(i18n.get_locale_untracked(), total))} " "
            <a href=csv rel="external" download="audit.csv">{t!(i18n, audit.export)}</a>
        </p>
        {if rows.is_empty() {
            view! { <p class="notice">{t!(i18n, audit.none)}</p> }.into_any()
        } else {
            view! {
                <div class="table-wrap" tabindex="0">
                    <table class="data">
                        <caption class="visually-hidden">{t!(i18n, audit.title)}</caption>
                        <thead>
                            <tr>
                                <th scope="col">{t!(i18n, audit.at)}</th>
                                <th scope="col">{t!(i18n, audit.actor)}</th>
                                <th scope="col">{t!(i18n, audit.action)}</th>
                                <th scope="col">{t!(i18n, audit.object)}</th>
                                <th scope="col">{t!(i18n, audit.outcome)}</th>
                                <th scope="col">{t!(i18n, audit.ip)}</th>
                                <th scope="col">{t!(i18n, audit.detail)}</th>
                            </tr>
                        </thead>
                        <tbody>
                            {rows
                                .into_iter()
                                .map(|row| {
                                    let object = match (&row.object_type, &row.object_id) {
                                        (Some(kind), Some(id)) => format!("{kind} {id}"),
                                        (Some(kind), None) => kind.clone(),
                                        _ => String::new(),
                                    };
                                    view! {
                                        <tr>
                                            <td class="nowrap">{format_datetime(row.at)}</td>
                                            <td class="code">{row.actor.clone().unwrap_or_default()}</td>
                                            <td class="code">{row.action.clone()}</td>
                                            <td class="code">{object}</td>
                                            <td>
                                                {if row.success {
                                                    t_string!(i18n, audit.success)
                                                } else {
                                                    t_string!(i18n, audit.failure)
                                                }}
                                            </td>
                                            <td class="code">{row.ip.clone().unwrap_or_default()}</td>
                                            <td>{row.detail.clone().unwrap_or_default()}</td>
                                        </tr>
                                    }
                                })
                                .collect_view()}
                        </tbody>
                    </table>
                </div>
                <Pagination previous next page pages />
            }
                .into_any()
        }}
        <p><A href="/admin/users">{t!(i18n, audit.back)}</A></p>
    }
}
