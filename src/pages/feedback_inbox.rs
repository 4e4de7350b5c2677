//! The officials' side of feedback: `/admin/feedback` (the inbox) and
//! `/admin/feedback/{code}` (one item, its history and what may be done with it).

use crate::api::feedback::{ActOnFeedback, get_feedback_inbox, get_feedback_item};
use crate::components::error::{ErrorPage, RefusedFilter, field_error, form_error};
use crate::components::form::{FormProblem, Refusal};
use crate::components::format::count;
use crate::components::labels::{category_label, feedback_status_label, sender_kind_label};
use crate::components::pagination::Pagination;
use crate::components::title::page_title;
use crate::i18n::*;
use crate::model::AppError;
use crate::model::feedback::{
    ANSWER_MAX, Category, FeedbackDetail, FeedbackStatus, InboxFilter, InboxPage,
};
use crate::model::nav::encode_query_value;
use crate::model::time::format_datetime;
use crate::pages::feedback::history_view;
use leptos::prelude::*;
use leptos_i18n::I18nContext;
use leptos_router::components::{A, Form};
use leptos_router::hooks::{use_params_map, use_query_map};

fn filter_from_query(query: &leptos_router::params::ParamsMap) -> InboxFilter {
    InboxFilter {
        status: query.get("status").unwrap_or_default(),
        category: query.get("category").unwrap_or_default(),
        unit: query.get("unit").unwrap_or_default(),
        from: query.get("from").unwrap_or_default(),
        to: query.get("to").unwrap_or_default(),
        q: query.get("q").unwrap_or_default(),
        page: query.get("page").and_then(|p| p.parse().ok()).unwrap_or(1),
    }
}

fn page_href(filter: &InboxFilter, page: u64) -> String {
    let mut parts = vec![format!("page={page}")];
    for (name, value) in [
        ("status", &filter.status),
        ("category", &filter.category),
        ("unit", &filter.unit),
        ("from", &filter.from),
        ("to", &filter.to),
        ("q", &filter.q),
    ] {
        if !value.is_empty() {
            parts.push(format!("{name}={}", encode_query_value(value)));
        }
    }
    format!("/admin/feedback?{}", parts.join("&"))
}

#[component]
pub fn FeedbackInboxPage() -> impl IntoView {
    let i18n = use_i18n();
    let query = use_query_map();
    let filter = Memo::new(move |_| filter_from_query(&query.read()));
    let inbox = Resource::new(move || filter.get(), get_feedback_inbox);
    let body = move || {
        Suspend::new(async move {
            match inbox.await {
                Ok(found) => view! { <InboxView found filter=filter.get_untracked() /> }.into_any(),
                Err(error @ AppError::Invalid { .. }) => view! {
                    <RefusedFilter error fields=&["status", "category", "unit", "from", "to"] />
                }
                .into_any(),
                Err(error) => view! { <ErrorPage error /> }.into_any(),
            }
        })
    };
    view! {
        {page_title(move || t_string!(i18n, fb.inbox_title).to_owned())}
        <section class="page">
            <h1>{t!(i18n, fb.inbox_title)}</h1>
            <p class="lead">{t!(i18n, fb.inbox_lead)}</p>
            <Suspense fallback=move || view! { <p>{t!(i18n, common.loading)}</p> }>{body}</Suspense>
        </section>
    }
}

fn status_options(i18n: I18nContext<Locale>, chosen: &str) -> impl IntoView + use<> {
    FeedbackStatus::ALL
        .iter()
        .copied()
        .map(|status| {
            view! {
                <option value=status.as_str() selected=chosen == status.as_str()>
                    {move || feedback_status_label(i18n, status)}
                </option>
            }
        })
        .collect_view()
}

fn category_options(i18n: I18nContext<Locale>, chosen: &str) -> impl IntoView + use<> {
    Category::ALL
        .iter()
        .copied()
        .map(|category| {
            view! {
                <option value=category.as_str() selected=chosen == category.as_str()>
                    {move || category_label(i18n, category)}
                </option>
            }
        })
        .collect_view()
}

#[component]
fn InboxView(found: InboxPage, filter: InboxFilter) -> impl IntoView {
    let i18n = use_i18n();
    let InboxPage {
        rows,
        total,
        page,
        pages,
        units,
    } = found;
    let previous = (page > 1).then(|| page_href(&filter, page - 1));
    let next = (page < pages).then(|| page_href(&filter, page + 1));
    let table = if rows.is_empty() {
        view! { <p class="notice" role="status">{t!(i18n, fb.inbox_none)}</p> }.into_any()
    } else {
        view! {
            <p role="status">
                {move || t_string!(i18n, fb.inbox_count, count = count(i18n.get_locale(), total))}
            </p>
            <div class="table-wrap" tabindex="0">
                <table class="data">
                    <caption class="visually-hidden">{t!(i18n, fb.inbox_title)}</caption>
                    <thead>
                        <tr>
                            <th scope="col">{t!(i18n, fb.code)}</th>
                            <th scope="col">{t!(i18n, fb.subject)}</th>
                            <th scope="col">{t!(i18n, fb.category)}</th>
                            <th scope="col">{t!(i18n, fb.status)}</th>
                            <th scope="col">{t!(i18n, fb.assigned)}</th>
                            <th scope="col">{t!(i18n, fb.received)}</th>
                        </tr>
                    </thead>
                    <tbody>
                        {rows
                            .into_iter()
                            .map(|row| {
                                let (category, status, kind) = (row.category, row.status, row.kind);
                                view! {
                                    <tr>
                                        <td class="code nowrap">
                                            <A href=format!("/admin/feedback/{}", row.code)>
                                                {row.code.clone()}
                                            </A>
                                        </td>
                                        <th scope="row">
                                            {row.subject.clone()}
                                            <span class="muted">
                                                " · " {move || sender_kind_label(i18n, kind)}
                                            </span>
                                        </th>
                                        <td>{move || category_label(i18n, category)}</td>
                                        <td>
                                            <span class="status" data-status=status.as_str()>
                                                {move || feedback_status_label(i18n, status)}
                                            </span>
                                            {row
                                                .published
                                                .then(|| view! { " · " {t!(i18n, fb.published)} })}
                                        </td>
                                        <td>{row.assigned.clone().map(|u| u.name)}</td>
                                        <td class="nowrap">{format_datetime(row.received_at)}</td>
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
    };
    view! {
        <Form method="GET" action="/admin/feedback" attr:class="filters">
            <div class="field">
                <label for="inbox-q">{t!(i18n, fb.search)}</label>
                <input id="inbox-q" type="search" name="q" maxlength="100" value=filter.q.clone() />
            </div>
            <div class="field">
                <label for="inbox-status">{t!(i18n, fb.status)}</label>
                <select id="inbox-status" name="status">
                    <option value="">{t!(i18n, fb.any)}</option>
                    {status_options(i18n, &filter.status)}
                </select>
            </div>
            <div class="field">
                <label for="inbox-category">{t!(i18n, fb.category)}</label>
                <select id="inbox-category" name="category">
                    <option value="">{t!(i18n, fb.any)}</option>
                    {category_options(i18n, &filter.category)}
                </select>
            </div>
            <div class="field">
                <label for="inbox-unit">{t!(i18n, fb.assigned)}</label>
                <select id="inbox-unit" name="unit">
                    <option value="">{t!(i18n, fb.any)}</option>
                    {units
                        .into_iter()
                        .map(|u| {
                            view! {
                                <option value=u.code.clone() selected=filter.unit == u.code>
                                    {u.name.clone()}
                                </option>
                            }
                        })
                        .collect_view()}
                </select>
            </div>
            <div class="field">
                <label for="inbox-from">{t!(i18n, fb.from)}</label>
                <input id="inbox-from" type="date" name="from" value=filter.from.clone() />
            </div>
            <div class="field">
                <label for="inbox-to">{t!(i18n, fb.to)}</label>
                <input id="inbox-to" type="date" name="to" value=filter.to.clone() />
            </div>
            <div class="filter-actions">
                <button type="submit" class="primary">{t!(i18n, fb.search_submit)}</button>
                <A href="/admin/feedback">{t!(i18n, docs.clear)}</A>
            </div>
        </Form>
        {table}
    }
}

#[component]
pub fn FeedbackItemPage() -> impl IntoView {
    let i18n = use_i18n();
    let params = use_params_map();
    let query = use_query_map();
    let code = Memo::new(move |_| params.read().get("code").unwrap_or_default());
    let act = ServerAction::<ActOnFeedback>::new();
    let item = Resource::new(
        move || (code.get(), act.version().get()),
        |(code, _)| get_feedback_item(code),
    );
    let done = move || {
        query
            .read()
            .get("done")
            .map(|_| t_string!(i18n, fb.saved_done).to_owned())
    };
    let body = move || {
        Suspend::new(async move {
            match item.await {
                Ok(detail) => view! { <ItemView detail act /> }.into_any(),
                Err(error) => view! { <ErrorPage error /> }.into_any(),
            }
        })
    };
    view! {
        {page_title(move || code.get())}
        <section class="page">
            <p>
                <A href="/admin/feedback">{t!(i18n, fb.back_to_inbox)}</A>
            </p>
            {move || done().map(|text| view! { <p class="notice notice-ok" role="status">{text}</p> })}
            <Suspense fallback=move || view! { <p>{t!(i18n, common.loading)}</p> }>{body}</Suspense>
        </section>
    }
}

#[component]
fn ItemView(detail: FeedbackDetail, act: ServerAction<ActOnFeedback>) -> impl IntoView {
    let i18n = use_i18n();
    // One function, one form per action: each form gets back its own refusal and text.
    let refused = Refusal::of(act).with_prefix("fb-");
    let error = refused.error();
    let field = move |name: &'static str| move || field_error(i18n, error.get().as_ref(), name);
    let form_of = move |action: &str| refused.only_if("action", action);
    let (status, category, kind) = (detail.status, detail.category, detail.kind);
    let open = status.is_open();
    let code = detail.code.clone();
    let version = detail.version;
    // The hidden fields every action form carries.
    let hidden = move |action: &'static str| {
        view! {
            <input type="hidden" name="code" value=code.clone() />
            <input type="hidden" name="version" value=version.to_string() />
            <input type="hidden" name="action" value=action />
        }
    };
    let sender = [
        (t_string!(i18n, fb.name), detail.name.clone()),
        (t_string!(i18n, fb.email), detail.email.clone()),
        (t_string!(i18n, fb.phone), detail.phone.clone()),
        (
            t_string!(i18n, fb.place),
            (!detail.location.is_empty()).then(|| {
                detail
                    .location
                    .iter()
                    .map(|u| u.name.clone())
                    .collect::<Vec<_>>()
                    .join(", ")
            }),
        ),
    ];
    let may_handle = detail.may_handle;
    let may_decide = detail.may_decide;
    let has_answer = detail.answer.is_some();
    let published = detail.published;
    let hidden_assign = hidden.clone();
    let hidden_note = hidden.clone();
    let hidden_answer = hidden.clone();
    let hidden_publish = hidden.clone();
    let hidden_duplicate = hidden.clone();
    let hidden_reject = hidden.clone();
    let hidden_close = hidden;
    view! {
        <h1>
            <span class="code">{detail.code.clone()}</span>
            " · "
            {detail.subject.clone()}
        </h1>
        {move || {
            form_error(i18n, error.get().as_ref())
                .map(|text| view! { <p class="notice notice-error" role="alert">{text}</p> })
        }}
        {move || {
            field("status")()
                .or_else(field("version"))
                .map(|text| view! { <p class="notice notice-error" role="alert">{text}</p> })
        }}
        <div class="card">
            <dl class="facts">
                <div>
                    <dt>{t!(i18n, fb.status)}</dt>
                    <dd>
                        <strong class="status" data-status=status.as_str()>
                            {move || feedback_status_label(i18n, status)}
                        </strong>
                        {published.then(|| view! { " · " {t!(i18n, fb.published)} })}
                        {detail
                            .duplicate_of
                            .clone()
                            .map(|original| {
                                view! {
                                    " · " {t!(i18n, fb.duplicate_of)} " "
                                    <A href=format!("/admin/feedback/{original}")>{original.clone()}</A>
                                }
                            })}
                    </dd>
                </div>
                <div>
                    <dt>{t!(i18n, fb.kind)}</dt>
                    <dd>{move || sender_kind_label(i18n, kind)}</dd>
                </div>
                <div>
                    <dt>{t!(i18n, fb.category)}</dt>
                    <dd>{move || category_label(i18n, category)}</dd>
                </div>
                <div>
                    <dt>{t!(i18n, fb.document)}</dt>
                    <dd>{detail.document.clone().unwrap_or_else(|| "—".to_owned())}</dd>
                </div>
                <div>
                    <dt>{t!(i18n, fb.received)}</dt>
                    <dd>{format_datetime(detail.received_at)} " · "
                        {if detail.source == "open311" {
                            t!(i18n, fb.source_open311).into_any()
                        } else {
                            t!(i18n, fb.source_form).into_any()
                        }}</dd>
                </div>
                <div>
                    <dt>{t!(i18n, fb.assigned)}</dt>
                    <dd>{detail.assigned.clone().map_or_else(|| "—".to_owned(), |u| u.name)}</dd>
                </div>
            </dl>
            <h2>{t!(i18n, fb.text)}</h2>
            <p class="prewrap">{detail.text.clone()}</p>
            <h2>{t!(i18n, fb.sender)}</h2>
            <dl class="facts">
                {sender
                    .into_iter()
                    .map(|(label, value)| {
                        view! {
                            <div>
                                <dt>{label}</dt>
                                <dd>{value.unwrap_or_else(|| "—".to_owned())}</dd>
                            </div>
                        }
                    })
                    .collect_view()}
            </dl>
            {detail
                .answer
                .clone()
                .map(|answer| {
                    view! {
                        <h2>{t!(i18n, fb.answer)}</h2>
                        <p class="muted">
                            {detail.answered_at.map(format_datetime)}
                        </p>
                        <p class="prewrap">{answer}</p>
                    }
                })}
        </div>

        {(may_handle && open)
            .then(|| {
                view! {
                    <ActionForm action=act attr:class="form inline-actions action-block">
                        {hidden_assign("assign")}
                        <FormProblem refusal=form_of("assign") fields_only=true />
                        <div class="field">
                            <label for="fb-unit">{t!(i18n, fb.assign_to)}</label>
                            <select id="fb-unit" name="unit" required aria-describedby="fb-unit-error" aria-invalid=form_of("assign").invalid("unit") autofocus=form_of("assign").focus("unit")>
                                {detail
                                    .assignable
                                    .clone()
                                    .into_iter()
                                    .map(|u| {
                                        let chosen = form_of("assign").chosen("unit", &u.code, false);
                                        view! { <option value=u.code.clone() selected=chosen>{u.name.clone()}</option> }
                                    })
                                    .collect_view()}
                            </select>
                            <p id="fb-unit-error" class="field-error">{form_of("assign").message("unit")}</p>
                        </div>
                        <button type="submit">{t!(i18n, fb.assign)}</button>
                    </ActionForm>
                }
            })}
        {(may_handle && (open || status == FeedbackStatus::Answered))
            .then(|| {
                view! {
                    <ActionForm action=act attr:class="form action-block">
                        {hidden_answer("answer")}
                        <FormProblem refusal=form_of("answer") fields_only=true />
                        <div class="field">
                            <label for="fb-answer">{t!(i18n, fb.answer)}</label>
                            <textarea
                                id="fb-answer"
                                name="text"
                                rows="6"
                                required
                                maxlength=ANSWER_MAX.to_string()
                                aria-describedby="fb-answer-error"
                                aria-invalid=form_of("answer").invalid("answer")
                                autofocus=form_of("answer").focus("answer")
                            >
                                {form_of("answer").text("text", detail.answer.clone().unwrap_or_default())}
                            </textarea>
                            <p id="fb-answer-error" class="field-error">{form_of("answer").message("answer")}</p>
                        </div>
                        <button type="submit" class="primary">{t!(i18n, fb.send_answer)}</button>
                    </ActionForm>
                }
            })}
        {(may_decide && has_answer)
            .then(|| {
                view! {
                    <ActionForm action=act attr:class="form inline-actions action-block">
                        {hidden_publish(if published { "unpublish" } else { "publish" })}
                        <button type="submit">
                            {if published {
                                t!(i18n, fb.unpublish).into_any()
                            } else {
                                t!(i18n, fb.publish).into_any()
                            }}
                        </button>
                    </ActionForm>
                }
            })}
        {(may_decide && status == FeedbackStatus::Answered)
            .then(|| {
                view! {
                    <ActionForm action=act attr:class="form inline-actions action-block">
                        {hidden_close("close")}
                        <button type="submit">{t!(i18n, fb.close)}</button>
                    </ActionForm>
                }
            })}
        {(may_decide && open)
            .then(|| {
                view! {
                    <ActionForm action=act attr:class="form inline-actions action-block">
                        {hidden_duplicate("duplicate")}
                        <FormProblem refusal=form_of("duplicate") fields_only=true />
                        <div class="field">
                            <label for="fb-of">{t!(i18n, fb.duplicate_of)}</label>
                            <input
                                id="fb-of"
                                name="of"
                                type="text"
                                required
                                maxlength="20"
                                placeholder="PA-2026-000123"
                                value=form_of("duplicate").value("of", "")
                                aria-describedby="fb-of-error"
                                aria-invalid=form_of("duplicate").invalid("of")
                                autofocus=form_of("duplicate").focus("of")
                            />
                            <p id="fb-of-error" class="field-error">{form_of("duplicate").message("of")}</p>
                        </div>
                        <button type="submit">{t!(i18n, fb.mark_duplicate)}</button>
                    </ActionForm>
                    <ActionForm action=act attr:class="form action-block">
                        {hidden_reject("reject")}
                        <FormProblem refusal=form_of("reject") fields_only=true />
                        <div class="field">
                            <label for="fb-reason">{t!(i18n, fb.reject_reason)}</label>
                            <textarea
                                id="fb-reason"
                                name="text"
                                rows="3"
                                required
                                maxlength=ANSWER_MAX.to_string()
                                aria-describedby="fb-reason-error"
                                aria-invalid=form_of("reject").invalid("reason")
                                autofocus=form_of("reject").focus("reason")
                            >
                                {form_of("reject").text("text", "")}
                            </textarea>
                            <p id="fb-reason-error" class="field-error">{form_of("reject").message("reason")}</p>
                        </div>
                        <button type="submit" class="danger">{t!(i18n, fb.reject)}</button>
                    </ActionForm>
                }
            })}
        {may_handle
            .then(|| {
                view! {
                    <ActionForm action=act attr:class="form action-block">
                        {hidden_note("note")}
                        <FormProblem refusal=form_of("note") fields_only=true />
                        <div class="field">
                            <label for="fb-note">{t!(i18n, fb.note)}</label>
                            <textarea
                                id="fb-note"
                                name="text"
                                rows="3"
                                required
                                maxlength=ANSWER_MAX.to_string()
                                aria-describedby="fb-note-hint fb-note-error"
                                aria-invalid=form_of("note").invalid("note")
                                autofocus=form_of("note").focus("note")
                            >
                                {form_of("note").text("text", "")}
                            </textarea>
                            <p id="fb-note-hint" class="hint">{t!(i18n, fb.note_hint)}</p>
                            <p id="fb-note-error" class="field-error">{form_of("note").message("note")}</p>
                        </div>
                        <button type="submit">{t!(i18n, fb.add_note)}</button>
                    </ActionForm>
                }
            })}
        <h2>{t!(i18n, fb.history)}</h2>
        {history_view(i18n, detail.history.clone(), true)}
    }
}
