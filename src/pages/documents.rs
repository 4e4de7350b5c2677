//! `/documents`, `/documents/new`, `/documents/{id}`.

use crate::api::documents::{CreateDocument, UpdateDocument, get_document, list_documents};
use crate::api::tasks::CreateTask;
use crate::components::error::ErrorPage;
use crate::components::form::{FormProblem, Refusal};
use crate::components::format::count;
use crate::components::labels::{
    classification_options, clearance_label, cycle_label, document_status_label, kind_label,
    period_label,
};
use crate::components::pagination::Pagination;
use crate::components::tasks::{ProgressBar, TaskTable};
use crate::components::title::page_title;
use crate::components::viewer::use_viewer;
use crate::i18n::*;
use crate::model::nav::encode_query_value;
use crate::model::period::{Cycle, DEFAULT_CUT_OFF_DAY};
use crate::model::task::{
    DocumentDetail, DocumentFilter, DocumentKind, DocumentPage, DocumentStatus, Priority,
};
use crate::model::{Classification, Role};
use crate::pages::indicator::DocumentIndicators;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::{A, Form};
use leptos_router::hooks::{use_params_map, use_query_map};

fn filter_from_query(query: &leptos_router::params::ParamsMap) -> DocumentFilter {
    DocumentFilter {
        q: query.get("q").unwrap_or_default(),
        kind: query.get("kind").and_then(|k| k.parse().ok()),
        status: query.get("status").and_then(|s| s.parse().ok()),
        classification: query.get("classification").and_then(|c| c.parse().ok()),
        page: query.get("page").and_then(|p| p.parse().ok()).unwrap_or(1),
    }
}

fn page_href(filter: &DocumentFilter, page: u32) -> String {
    let mut parts = vec![format!("page={page}")];
    if !filter.q.is_empty() {
        parts.push(format!("q={}", encode_query_value(&filter.q)));
    }
    if let Some(kind) = filter.kind {
        parts.push(format!("kind={kind}"));
    }
    if let Some(status) = filter.status {
        parts.push(format!("status={status}"));
    }
    if let Some(level) = filter.classification {
        parts.push(format!("classification={level}"));
    }
    format!("/documents?{}", parts.join("&"))
}

#[component]
pub fn DocumentsPage() -> impl IntoView {
    let i18n = use_i18n();
    let viewer = use_viewer();
    let query = use_query_map();
    let filter = Memo::new(move |_| filter_from_query(&query.read()));
    let documents = Resource::new(move || filter.get(), list_documents);
    let is_leader = move || viewer.get().is_some_and(|me| me.role == Role::Leader);
    let body = move || {
        Suspend::new(async move {
            match documents.await {
                Ok(page) => {
                    view! { <DocumentList page filter=filter.get_untracked() /> }.into_any()
                }
                Err(error) => view! { <ErrorPage error /> }.into_any(),
            }
        })
    };
    view! {
        {page_title(move || t_string!(i18n, docs.title).to_owned())}
        <section class="page">
            <h1>{t!(i18n, docs.title)}</h1>
            <p class="lead">{t!(i18n, docs.lead)}</p>
            {move || {
                is_leader()
                    .then(|| {
                        view! {
                            <p>
                                <A href="/documents/new" attr:class="button">
                                    {t!(i18n, docs.new_document)}
                                </A>
                            </p>
                        }
                    })
            }}
            <DocumentFilterForm filter=filter.get_untracked() />
            <Suspense fallback=move || view! { <p>{t!(i18n, common.loading)}</p> }>{body}</Suspense>
        </section>
    }
}

#[component]
fn DocumentFilterForm(filter: DocumentFilter) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <Form method="GET" action="/documents" attr:class="filters">
            <div class="field">
                <label for="doc-q">{t!(i18n, docs.filter_q)}</label>
                <input id="doc-q" type="search" name="q" maxlength="100" value=filter.q.clone() />
            </div>
            <div class="field">
                <label for="doc-kind">{t!(i18n, docs.filter_kind)}</label>
                <select id="doc-kind" name="kind">
                    <option value="" selected=filter.kind.is_none()>{t!(i18n, docs.any)}</option>
                    {DocumentKind::ALL
                        .iter()
                        .copied()
                        .map(|kind| {
                            view! {
                                <option value=kind.as_str() selected=filter.kind == Some(kind)>
                                    {move || kind_label(i18n, kind)}
                                </option>
                            }
                        })
                        .collect_view()}
                </select>
            </div>
            <div class="field">
                <label for="doc-status">{t!(i18n, docs.filter_status)}</label>
                <select id="doc-status" name="status">
                    <option value="" selected=filter.status.is_none()>{t!(i18n, docs.any)}</option>
                    {DocumentStatus::ALL
                        .iter()
                        .copied()
                        .map(|status| {
                            view! {
                                <option value=status.as_str() selected=filter.status == Some(status)>
                                    {move || document_status_label(i18n, status)}
                                </option>
                            }
                        })
                        .collect_view()}
                </select>
            </div>
            <div class="field">
                <label for="doc-classification">{t!(i18n, docs.filter_classification)}</label>
                <select id="doc-classification" name="classification">
                    <option value="" selected=filter.classification.is_none()>
                        {t!(i18n, docs.any)}
                    </option>
                    {classification_options(i18n, Classification::ALL.to_vec(), filter.classification)}
                </select>
            </div>
            <div class="filter-actions">
                <button type="submit" class="primary">{t!(i18n, docs.filter)}</button>
                <A href="/documents">{t!(i18n, docs.clear)}</A>
            </div>
        </Form>
    }
}

#[component]
fn DocumentList(page: DocumentPage, filter: DocumentFilter) -> impl IntoView {
    let i18n = use_i18n();
    let DocumentPage {
        rows,
        total,
        page,
        pages,
    } = page;
    if rows.is_empty() {
        return view! { <p class="notice" role="status">{t!(i18n, docs.none)}</p> }.into_any();
    }
    let previous = (page > 1).then(|| page_href(&filter, page - 1));
    let next = (page < pages).then(|| page_href(&filter, page + 1));
    view! {
        <p role="status">{move || t_string!(i18n, docs.count, count = count(i18n.get_locale(), total))}</p>
        <div class="table-wrap" tabindex="0">
            <table class="data">
                <caption class="visually-hidden">{t!(i18n, docs.title)}</caption>
                <thead>
                    <tr>
                        <th scope="col">{t!(i18n, docs.col_code)}</th>
                        <th scope="col">{t!(i18n, docs.col_title)}</th>
                        <th scope="col">{t!(i18n, docs.col_owner)}</th>
                        <th scope="col">{t!(i18n, docs.col_issued)}</th>
                        <th scope="col">{t!(i18n, docs.col_progress)}</th>
                        <th scope="col" class="num">{t!(i18n, docs.col_tasks)}</th>
                    </tr>
                </thead>
                <tbody>
                    {rows
                        .into_iter()
                        .map(|doc| {
                            let kind = doc.kind;
                            view! {
                                <tr>
                                    <td class="code nowrap">{doc.code.clone()}</td>
                                    <th scope="row">
                                        <span class="muted">{move || kind_label(i18n, kind)} ": "</span>
                                        <A href=format!("/documents/{}", doc.id)>{doc.title.clone()}</A>
                                    </th>
                                    <td>{doc.owner.name.clone()}</td>
                                    <td class="nowrap">{doc.issued_on.display()}</td>
                                    <td><ProgressBar value=doc.progress /></td>
                                    <td class="num">{doc.task_count}</td>
                                </tr>
                            }
                        })
                        .collect_view()}
                </tbody>
            </table>
        </div>
        <Pagination previous next page=u64::from(page) pages=u64::from(pages) />
    }
    .into_any()
}

/// The fields of a document, empty or as they are.
#[component]
fn DocumentFields(
    #[prop(optional)] current: Option<DocumentDetail>,
    refusal: Refusal,
) -> impl IntoView {
    let i18n = use_i18n();
    let viewer = use_viewer();
    let clearance = viewer
        .get()
        .map_or(Classification::Public, |me| me.clearance);
    let summary = current.as_ref().map(|d| d.summary.clone());
    let code = summary.as_ref().map(|s| s.code.clone()).unwrap_or_default();
    let title = summary
        .as_ref()
        .map(|s| s.title.clone())
        .unwrap_or_default();
    let body = summary
        .as_ref()
        .map(|s| s.issuing_body.clone())
        .unwrap_or_else(|| "Bộ Chính trị".into());
    let issued = summary
        .as_ref()
        .map(|s| s.issued_on.iso())
        .unwrap_or_default();
    let text = current.as_ref().map(|d| d.text.clone()).unwrap_or_default();
    let kind = summary
        .as_ref()
        .map_or(DocumentKind::Resolution, |s| s.kind);
    let level = summary
        .as_ref()
        .map_or(Classification::Internal, |s| s.classification);
    let (code, title, body, issued, text) = (
        refusal.value("code", code),
        refusal.text("title", title),
        refusal.value("issuing_body", body),
        refusal.value("issued_on", issued),
        refusal.text("summary", text),
    );
    let kind = refusal.choice("kind", kind);
    let level = refusal.choice("classification", level);
    let cycle = refusal.choice(
        "reporting_cycle",
        summary.as_ref().map_or(Cycle::Quarterly, |s| s.cycle),
    );
    let cut_off = refusal.value(
        "cut_off_day",
        summary
            .as_ref()
            .map_or(DEFAULT_CUT_OFF_DAY, |s| s.cut_off_day)
            .to_string(),
    );
    let message = move |field: &'static str| refusal.message(field);
    let invalid = move |field: &str| refusal.invalid(field);
    let focus = move |field: &str| refusal.focus(field);
    view! {
        <div class="field">
            <label for="code">{t!(i18n, docs.code)}</label>
            <input id="code" name="code" type="text" required maxlength="64" value=code aria-describedby="code-error" aria-invalid=invalid("code") autofocus=focus("code") />
            <p id="code-error" class="field-error">{message("code")}</p>
        </div>
        <div class="field">
            <label for="kind">{t!(i18n, docs.kind)}</label>
            <select id="kind" name="kind">
                {DocumentKind::ALL
                    .iter()
                    .copied()
                    .map(|option| {
                        view! {
                            <option value=option.as_str() selected=option == kind>
                                {move || kind_label(i18n, option)}
                            </option>
                        }
                    })
                    .collect_view()}
            </select>
        </div>
        <div class="field">
            <label for="title">{t!(i18n, docs.doc_title)}</label>
            <textarea id="title" name="title" rows="3" required maxlength="500" aria-describedby="title-error" aria-invalid=invalid("title") autofocus=focus("title")>
                {title}
            </textarea>
            <p id="title-error" class="field-error">{message("title")}</p>
        </div>
        <div class="field">
            <label for="issuing_body">{t!(i18n, docs.issuing_body)}</label>
            <input id="issuing_body" name="issuing_body" type="text" required maxlength="200" value=body aria-describedby="issuing_body-error" aria-invalid=invalid("issuing_body") autofocus=focus("issuing_body") />
            <p id="issuing_body-error" class="field-error">{message("issuing_body")}</p>
        </div>
        <div class="field">
            <label for="issued_on">{t!(i18n, docs.issued_on)}</label>
            <input id="issued_on" name="issued_on" type="date" required value=issued aria-describedby="issued_on-error" aria-invalid=invalid("issued_on") autofocus=focus("issued_on") />
            <p id="issued_on-error" class="field-error">{message("issued_on")}</p>
        </div>
        <div class="field">
            <label for="summary">{t!(i18n, docs.summary)}</label>
            <textarea id="summary" name="summary" rows="5" aria-describedby="summary-error" aria-invalid=invalid("summary") autofocus=focus("summary")>{text}</textarea>
            <p id="summary-error" class="field-error">{message("summary")}</p>
        </div>
        <div class="field">
            <label for="classification">{t!(i18n, docs.classification)}</label>
            <select id="classification" name="classification" aria-describedby="classification-error" aria-invalid=invalid("classification") autofocus=focus("classification")>
                {classification_options(
                    i18n,
                    Classification::ALL.into_iter().filter(|option| *option <= clearance).collect(),
                    Some(level),
                )}
            </select>
            <p id="classification-error" class="field-error">{message("classification")}</p>
        </div>
        <div class="field-row">
            <div class="field">
                <label for="reporting_cycle">{t!(i18n, docs.reporting_cycle)}</label>
                <select id="reporting_cycle" name="reporting_cycle" aria-describedby="reporting_cycle-error" aria-invalid=invalid("reporting_cycle") autofocus=focus("reporting_cycle")>
                    {Cycle::ALL
                        .into_iter()
                        .map(|option| {
                            view! {
                                <option value=option.as_str() selected=option == cycle>
                                    {cycle_label(i18n, option)}
                                </option>
                            }
                        })
                        .collect_view()}
                </select>
                <p id="reporting_cycle-error" class="field-error">{message("reporting_cycle")}</p>
            </div>
            <div class="field">
                <label for="cut_off_day">{t!(i18n, docs.cut_off_day)}</label>
                <input id="cut_off_day" name="cut_off_day" type="number" min="1" max="31" required value=cut_off aria-describedby="cut_off_day-hint cut_off_day-error" aria-invalid=invalid("cut_off_day") autofocus=focus("cut_off_day") />
                <p id="cut_off_day-hint" class="hint">{t!(i18n, docs.cut_off_hint)}</p>
                <p id="cut_off_day-error" class="field-error">{message("cut_off_day")}</p>
            </div>
        </div>
    }
}

#[component]
pub fn DocumentNewPage() -> impl IntoView {
    let i18n = use_i18n();
    let create = ServerAction::<CreateDocument>::new();
    let refusal = Refusal::of(create);
    view! {
        {page_title(move || t_string!(i18n, docs.create_title).to_owned())}
        <section class="page">
            <p><A href="/documents">{t!(i18n, docs.title)}</A></p>
            <h1>{t!(i18n, docs.create_title)}</h1>
            <p class="lead">{t!(i18n, docs.create_lead)}</p>
            <ActionForm action=create attr:class="form narrow" attr:novalidate=true>
                <FormProblem refusal />
                <DocumentFields refusal />
                <button type="submit">{t!(i18n, docs.create_button)}</button>
            </ActionForm>
        </section>
    }
}

#[component]
pub fn DocumentPage() -> impl IntoView {
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
    let update = ServerAction::<UpdateDocument>::new();
    let add_task = ServerAction::<CreateTask>::new();
    let document = Resource::new(
        move || (id.get(), update.version().get(), add_task.version().get()),
        |(id, ..)| get_document(id),
    );
    let done = move || match query.read().get("done").as_deref() {
        Some("created") => Some(t_string!(i18n, docs.created_done)),
        Some("saved") => Some(t_string!(i18n, docs.saved_done)),
        _ => None,
    };
    let body = move || {
        Suspend::new(async move {
            match document.await {
                Ok(detail) => view! { <DocumentView detail update add_task /> }.into_any(),
                Err(error) => view! { <ErrorPage error /> }.into_any(),
            }
        })
    };
    view! {
        <section class="page">
            <p><A href="/documents">{t!(i18n, docs.title)}</A></p>
            {move || done().map(|text| view! { <p class="notice notice-ok" role="status">{text}</p> })}
            <Suspense fallback=move || view! { <p>{t!(i18n, common.loading)}</p> }>{body}</Suspense>
        </section>
    }
}

#[component]
fn DocumentView(
    mut detail: DocumentDetail,
    update: ServerAction<UpdateDocument>,
    add_task: ServerAction<CreateTask>,
) -> impl IntoView {
    let i18n = use_i18n();
    let summary = detail.summary.clone();
    let kind = summary.kind;
    let status = summary.status;
    let level = summary.classification;
    let edit = Refusal::of(update);
    let new_task = Refusal::of(add_task).with_prefix("task-");
    // Taken, not copied: the edit form below copies the rest of the document.
    let tasks = std::mem::take(&mut detail.tasks);
    let current_period = detail.current_period;
    let has_tasks = !tasks.is_empty();
    let shown = tasks.len();
    view! {
        <Title text=summary.code.clone() />
        <h1>
            <span class="muted">{summary.code.clone()} " · "</span>
            {summary.title.clone()}
        </h1>
        <dl class="facts">
            <div><dt>{t!(i18n, docs.kind)}</dt><dd>{move || kind_label(i18n, kind)}</dd></div>
            <div><dt>{t!(i18n, docs.issuing_body)}</dt><dd>{summary.issuing_body.clone()}</dd></div>
            <div><dt>{t!(i18n, docs.issued_on)}</dt><dd>{summary.issued_on.display()}</dd></div>
            <div><dt>{t!(i18n, docs.owner)}</dt><dd>{summary.owner.name.clone()}</dd></div>
            <div><dt>{t!(i18n, docs.classification)}</dt><dd>{move || clearance_label(i18n, level)}</dd></div>
            <div><dt>{t!(i18n, docs.status)}</dt><dd>{move || document_status_label(i18n, status)}</dd></div>
            <div><dt>{t!(i18n, docs.progress)}</dt><dd><ProgressBar value=summary.progress /></dd></div>
            <div>
                <dt>{t!(i18n, docs.reporting_cycle)}</dt>
                <dd>{t_string!(i18n, docs.cycle_value, cycle = cycle_label(i18n, summary.cycle), day = summary.cut_off_day)}</dd>
            </div>
            <div>
                <dt>{t!(i18n, docs.current_period)}</dt>
                <dd>{t_string!(i18n, docs.period_value, period = period_label(i18n, current_period), cut_off = current_period.cut_off(summary.cut_off_day).display())}</dd>
            </div>
        </dl>
        {(!detail.text.is_empty()).then(|| view! { <p class="prewrap">{detail.text.clone()}</p> })}

        <section aria-labelledby="tasks-heading">
            <h2 id="tasks-heading">{t!(i18n, docs.tasks)}</h2>
            {if has_tasks {
                view! { <TaskTable rows=tasks caption=t_string!(i18n, docs.tasks) /> }.into_any()
            } else {
                view! { <p>{t!(i18n, docs.no_tasks)}</p> }.into_any()
            }}
            {detail.more_tasks.then(|| view! { <p class="hint">{t!(i18n, docs.more_tasks, shown = shown)}</p> })}
        </section>

        <DocumentIndicators document_id=detail.summary.id level=level />

        {detail
            .can_add_task
            .then(|| {
                view! {
                    <details class="panel" open=new_task.error().get_untracked().is_some()>
                        <summary>{t!(i18n, docs.add_task)}</summary>
                        <ActionForm action=add_task attr:class="form narrow" attr:novalidate=true>
                            <input type="hidden" name="document_id" value=detail.summary.id />
                            <FormProblem refusal=new_task />
                            <TaskFields refusal=new_task lead=true level=level />
                            <button type="submit">{t!(i18n, tasks.create_button)}</button>
                        </ActionForm>
                    </details>
                }
            })}

        {detail
            .can_edit
            .then(|| {
                view! {
                    <details class="panel" open=edit.error().get_untracked().is_some()>
                        <summary>{t!(i18n, docs.edit)}</summary>
                        <ActionForm action=update attr:class="form narrow" attr:novalidate=true>
                            <input type="hidden" name="id" value=detail.summary.id />
                            <input type="hidden" name="version" value=detail.version />
                            <FormProblem refusal=edit />
                            <DocumentFields current=detail.clone() refusal=edit />
                            <button type="submit">{t!(i18n, docs.save)}</button>
                        </ActionForm>
                    </details>
                }
            })}
    }
}

/// The fields of a new task (with its lead unit) or of a task being edited (without).
#[component]
pub fn TaskFields(
    /// Its refusal; its prefix tells apart the two forms a page may hold (new subtask, edit).
    refusal: Refusal,
    /// Whether to ask for the lead unit: when creating.
    lead: bool,
    /// Whether the official assigns work (a leader): otherwise the lead unit is their own
    /// and no coordinating unit is asked for.
    #[prop(default = true)]
    assigns: bool,
    /// The lowest classification the task may have.
    level: Classification,
    #[prop(optional)] current: Option<crate::model::task::TaskDetail>,
) -> impl IntoView {
    let i18n = use_i18n();
    let field_id = move |name: &str| refusal.id(name);
    let viewer = use_viewer();
    let clearance = viewer
        .get()
        .map_or(Classification::Public, |me| me.clearance);
    let lead_default = viewer.get().map(|me| me.unit.code).unwrap_or_default();
    let message = move |field: &'static str| refusal.message(field);
    let invalid = move |field: &str| refusal.invalid(field);
    let focus = move |field: &str| refusal.focus(field);
    let title = current
        .as_ref()
        .map(|c| c.row.title.clone())
        .unwrap_or_default();
    let description = current
        .as_ref()
        .map(|c| c.description.clone())
        .unwrap_or_default();
    let expected = current
        .as_ref()
        .map(|c| c.expected_result.clone())
        .unwrap_or_default();
    let coordinators = current
        .as_ref()
        .map(|c| {
            c.coordinators
                .iter()
                .map(|u| u.code.clone())
                .collect::<Vec<_>>()
                .join(", ")
        })
        .unwrap_or_default();
    let start = current
        .as_ref()
        .map(|c| c.start_on.iso())
        .unwrap_or_default();
    let due = current
        .as_ref()
        .map(|c| c.row.due_on.iso())
        .unwrap_or_default();
    let priority = current
        .as_ref()
        .map_or(Priority::Normal, |c| c.row.priority);
    let weight = current.as_ref().map_or(1, |c| c.weight);
    let chosen = current.as_ref().map_or(level, |c| c.row.classification);
    let (title, description, expected, lead_default, coordinators, start, due) = (
        refusal.text("title", title),
        refusal.text("description", description),
        refusal.text("expected_result", expected),
        refusal.value("lead_unit", lead_default),
        refusal.value("coordinators", coordinators),
        refusal.value("start_on", start),
        refusal.value("due_on", due),
    );
    let weight = refusal.value("weight", weight.to_string());
    let key = refusal.ticked("is_key", current.as_ref().is_some_and(|c| c.row.key));
    let editing = current.is_some();
    let due_reason = refusal.text("due_reason", String::new());
    let priority = refusal.choice("priority", priority);
    let chosen = refusal.choice("classification", chosen);
    view! {
        <div class="field">
            <label for=field_id("title")>{t!(i18n, tasks.title)}</label>
            <textarea id=field_id("title") name="title" rows="2" required maxlength="500" aria-describedby=field_id("title-error") aria-invalid=invalid("title") autofocus=focus("title")>
                {title}
            </textarea>
            <p id=field_id("title-error") class="field-error">{message("title")}</p>
        </div>
        <div class="field">
            <label for=field_id("description")>{t!(i18n, tasks.description)}</label>
            <textarea id=field_id("description") name="description" rows="3" aria-describedby=field_id("description-error") aria-invalid=invalid("description") autofocus=focus("description")>
                {description}
            </textarea>
            <p id=field_id("description-error") class="field-error">{message("description")}</p>
        </div>
        <div class="field">
            <label for=field_id("expected_result")>{t!(i18n, tasks.expected_result)}</label>
            <textarea id=field_id("expected_result") name="expected_result" rows="2" aria-describedby=field_id("expected_result-error") aria-invalid=invalid("expected_result") autofocus=focus("expected_result")>
                {expected}
            </textarea>
            <p id=field_id("expected_result-error") class="field-error">{message("expected_result")}</p>
        </div>
        {lead
            .then(|| {
                view! {
                    <div class="field">
                        <label for=field_id("lead_unit")>{t!(i18n, tasks.lead_unit)}</label>
                        <input id=field_id("lead_unit") name="lead_unit" type="text" required maxlength="32" value=lead_default readonly=!assigns aria-describedby=format!("{0}-hint {0}-error", field_id("lead_unit")) aria-invalid=invalid("lead_unit") autofocus=focus("lead_unit") />
                        <p id=field_id("lead_unit-hint") class="hint">{t!(i18n, tasks.lead_hint)}</p>
                        <p id=field_id("lead_unit-error") class="field-error">{message("lead_unit")}</p>
                    </div>
                }
            })}
        {assigns
            .then(|| {
                view! {
                    <div class="field">
                        <label for=field_id("coordinators")>{t!(i18n, tasks.coordinators)}</label>
                        <input id=field_id("coordinators") name="coordinators" type="text" maxlength="400" value=coordinators.clone() aria-describedby=format!("{0}-hint {0}-error", field_id("coordinators")) aria-invalid=invalid("coordinators") autofocus=focus("coordinators") />
                        <p id=field_id("coordinators-hint") class="hint">{t!(i18n, tasks.coordinators_hint)}</p>
                        <p id=field_id("coordinators-error") class="field-error">{message("coordinators")}</p>
                    </div>
                }
            })}
        <div class="field-row">
            <div class="field">
                <label for=field_id("start_on")>{t!(i18n, tasks.start_on)}</label>
                <input id=field_id("start_on") name="start_on" type="date" required value=start aria-describedby=field_id("start_on-error") aria-invalid=invalid("start_on") autofocus=focus("start_on") />
                <p id=field_id("start_on-error") class="field-error">{message("start_on")}</p>
            </div>
            <div class="field">
                <label for=field_id("due_on")>{t!(i18n, tasks.due_on)}</label>
                <input id=field_id("due_on") name="due_on" type="date" required value=due aria-describedby=field_id("due_on-error") aria-invalid=invalid("due_on") autofocus=focus("due_on") />
                <p id=field_id("due_on-error") class="field-error">{message("due_on")}</p>
            </div>
        </div>
        {editing
            .then(|| {
                view! {
                    <div class="field">
                        <label for=field_id("due_reason")>{t!(i18n, tasks.due_reason)}</label>
                        <textarea id=field_id("due_reason") name="due_reason" rows="2" maxlength=crate::model::deadline::REASON_MAX aria-describedby=format!("{0}-hint {0}-error", field_id("due_reason")) aria-invalid=invalid("due_reason") autofocus=focus("due_reason")>
                            {due_reason}
                        </textarea>
                        <p id=field_id("due_reason-hint") class="hint">{t!(i18n, tasks.due_reason_hint)}</p>
                        <p id=field_id("due_reason-error") class="field-error">{message("due_reason")}</p>
                    </div>
                }
            })}
        <div class="field-row">
            <div class="field">
                <label for=field_id("priority")>{t!(i18n, tasks.priority)}</label>
                <select id=field_id("priority") name="priority">
                    {Priority::ALL
                        .iter()
                        .copied()
                        .map(|option| {
                            view! {
                                <option value=option.as_str() selected=option == priority>
                                    {move || crate::components::labels::priority_label(i18n, option)}
                                </option>
                            }
                        })
                        .collect_view()}
                </select>
            </div>
            <div class="field">
                <label for=field_id("weight")>{t!(i18n, tasks.weight)}</label>
                <input id=field_id("weight") name="weight" type="number" min="1" max="100" required value=weight aria-describedby=format!("{0}-hint {0}-error", field_id("weight")) aria-invalid=invalid("weight") autofocus=focus("weight") />
                <p id=field_id("weight-hint") class="hint">{t!(i18n, tasks.weight_hint)}</p>
                <p id=field_id("weight-error") class="field-error">{message("weight")}</p>
            </div>
        </div>
        <div class="field">
            <label for=field_id("classification")>{t!(i18n, tasks.classification)}</label>
            <select id=field_id("classification") name="classification" aria-describedby=field_id("classification-error") aria-invalid=invalid("classification") autofocus=focus("classification")>
                {classification_options(
                    i18n,
                    Classification::ALL
                        .into_iter()
                        .filter(|option| *option >= level && *option <= clearance)
                        .collect(),
                    Some(chosen),
                )}
            </select>
            <p id=field_id("classification-error") class="field-error">{message("classification")}</p>
        </div>
        {assigns
            .then(|| {
                view! {
                    <div class="field checkbox">
                        <input id=field_id("is_key") name="is_key" type="checkbox" value="on" checked=key aria-describedby=field_id("is_key-hint") />
                        <label for=field_id("is_key")>{t!(i18n, tasks.key_task)}</label>
                        <p id=field_id("is_key-hint") class="hint">{t!(i18n, tasks.key_hint)}</p>
                    </div>
                }
            })}
    }
}
