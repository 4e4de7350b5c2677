//! The public side of feedback: `/feedback` (the form), `/feedback/track` (following an
//! item with its code and secret) and `/feedback/answers` (published answers). No
//! sign-in; every page works without JavaScript.

use crate::api::feedback::{
    SubmitFeedback, get_feedback_form, list_published_answers, track_feedback,
};
use crate::components::error::{ErrorPage, form_error};
use crate::components::form::{FormProblem, Refusal, textarea_content};
use crate::components::format::count;
use crate::components::labels::{category_label, feedback_action_label, feedback_status_label};
use crate::components::pagination::Pagination;
use crate::components::status::set_http_status;
use crate::components::title::page_title;
use crate::i18n::*;
use crate::model::feedback::{
    Category, FeedbackEventView, FeedbackForm, NAME_MAX, PublicAnswer, PublishedPage, Receipt,
    SUBJECT_MAX, TEXT_MAX, TrackedFeedback,
};
use crate::model::nav::encode_query_value;
use crate::model::time::format_datetime;
use crate::model::{AppError, Problem};
use leptos::prelude::*;
use leptos_i18n::I18nContext;
use leptos_router::components::{A, Form};
use leptos_router::hooks::use_query_map;

/// The other public feedback pages, under each one's heading.
#[component]
fn FeedbackLinks() -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <nav class="subnav" aria-label=move || t_string!(i18n, fb.pages)>
            <A href="/feedback" exact=true>{t!(i18n, fb.send_title)}</A>
            <A href="/feedback/track">{t!(i18n, fb.track_title)}</A>
            <A href="/feedback/answers">{t!(i18n, fb.answers_title)}</A>
        </nav>
    }
}

#[component]
pub fn FeedbackPage() -> impl IntoView {
    let i18n = use_i18n();
    let submit = ServerAction::<SubmitFeedback>::new();
    let query = use_query_map();
    let form = Resource::new(
        move || query.read().get("draft").unwrap_or_default(),
        get_feedback_form,
    );
    let body = move || {
        Suspend::new(async move {
            match form.await {
                Ok(form) => view! { <FeedbackFormView form submit /> }.into_any(),
                Err(error) => view! { <ErrorPage error /> }.into_any(),
            }
        })
    };
    view! {
        {page_title(move || t_string!(i18n, fb.send_title).to_owned())}
        <section class="page narrow">
            <h1>{t!(i18n, fb.send_title)}</h1>
            <FeedbackLinks />
            <p class="lead">{t!(i18n, fb.send_lead)}</p>
            <Suspense fallback=move || view! { <p>{t!(i18n, common.loading)}</p> }>{body}</Suspense>
        </section>
    }
}

#[component]
fn FeedbackFormView(form: FeedbackForm, submit: ServerAction<SubmitFeedback>) -> impl IntoView {
    let i18n = use_i18n();
    let error = Signal::derive(move || submit.value().get().and_then(Result::err));
    // The form keeps its own drafts (see `Intake`); this marks the field to correct. A
    // stale challenge has no field: it is said in a sentence above.
    let refusal = Refusal::new(
        crate::api::feedback::SUBMIT_FEEDBACK_PATH,
        Signal::derive(move || {
            error
                .get()
                .filter(|e| !matches!(e, AppError::Invalid { field, .. } if field == "challenge"))
        }),
    )
    .with_prefix("fb-");
    let invalid = move |name: &str| refusal.invalid(name);
    let focus = move |name: &str| refusal.focus(name);
    let FeedbackForm {
        documents,
        provinces,
        challenge,
        pow_bits,
        draft,
    } = form;
    let business = draft.kind == "business";
    view! {
        <ActionForm action=submit attr:class="form" attr:data-pow=pow_bits.to_string()>
            <input type="hidden" name="challenge" value=challenge />
            <input type="hidden" name="proof" value="" />
            {move || {
                form_error(i18n, error.get().as_ref())
                    .or_else(|| match error.get() {
                        Some(AppError::Invalid { field, problem }) if field == "challenge" => {
                            Some(
                                if problem == Problem::NotNow {
                                    t_string!(i18n, fb.too_fast)
                                } else {
                                    t_string!(i18n, fb.form_expired)
                                }
                                    .to_owned(),
                            )
                        }
                        _ => None,
                    })
                    .map(|text| view! { <p class="notice notice-error" role="alert">{text}</p> })
            }}
            <FormProblem refusal fields_only=true />
            <fieldset class="field">
                <legend>{t!(i18n, fb.kind)}</legend>
                <label class="choice">
                    <input type="radio" name="kind" value="citizen" checked=!business required />
                    {t!(i18n, fb.kind_citizen)}
                </label>
                <label class="choice">
                    <input type="radio" name="kind" value="business" checked=business />
                    {t!(i18n, fb.kind_business)}
                </label>
            </fieldset>
            <div class="field">
                <label for="fb-category">{t!(i18n, fb.category)}</label>
                <select id="fb-category" name="category" required aria-describedby="category-error"
                    aria-invalid=invalid("category")
                    autofocus=focus("category")>
                    <option value="">{t!(i18n, fb.choose)}</option>
                    {Category::ALL
                        .iter()
                        .copied()
                        .map(|category| {
                            view! {
                                <option
                                    value=category.as_str()
                                    selected=draft.category == category.as_str()
                                >
                                    {move || category_label(i18n, category)}
                                </option>
                            }
                        })
                        .collect_view()}
                </select>
                <p id="category-error" class="field-error">{refusal.message("category")}</p>
            </div>
            <div class="field">
                <label for="fb-document">{t!(i18n, fb.document)}</label>
                <select id="fb-document" name="document" aria-describedby="document-error"
                    aria-invalid=invalid("document")
                    autofocus=focus("document")>
                    <option value="">{t!(i18n, fb.no_document)}</option>
                    {documents
                        .into_iter()
                        .map(|(id, title)| {
                            let chosen = draft.document == id.to_string();
                            view! { <option value=id.to_string() selected=chosen>{title}</option> }
                        })
                        .collect_view()}
                </select>
                <p id="document-error" class="field-error">{refusal.message("document")}</p>
            </div>
            <div class="field">
                <label for="fb-subject">{t!(i18n, fb.subject)}</label>
                <input
                    id="fb-subject"
                    name="subject"
                    type="text"
                    value=draft.subject.clone()
                    required
                    maxlength=SUBJECT_MAX.to_string()
                    aria-describedby="subject-error"
                    aria-invalid=invalid("subject")
                    autofocus=focus("subject")
                />
                <p id="subject-error" class="field-error">{refusal.message("subject")}</p>
            </div>
            <div class="field">
                <label for="fb-text">{t!(i18n, fb.text)}</label>
                <textarea
                    id="fb-text"
                    name="text"
                    rows="8"
                    required
                    maxlength=TEXT_MAX.to_string()
                    aria-describedby="text-hint text-error"
                    aria-invalid=invalid("text")
                    autofocus=focus("text")
                >
                    {textarea_content(&draft.text)}
                </textarea>
                <p id="text-hint" class="hint">{t!(i18n, fb.text_hint, max = TEXT_MAX)}</p>
                <p id="text-error" class="field-error">{refusal.message("text")}</p>
            </div>
            <fieldset class="field-group">
                <legend>{t!(i18n, fb.contact)}</legend>
                <p class="hint">{t!(i18n, fb.contact_hint)}</p>
                <div class="field">
                    <label for="fb-name">{t!(i18n, fb.name)}</label>
                    <input
                        id="fb-name"
                        name="name"
                        type="text"
                        value=draft.name.clone()
                        autocomplete="name"
                        maxlength=NAME_MAX.to_string()
                        aria-describedby="name-error"
                    aria-invalid=invalid("name")
                    autofocus=focus("name")
                    />
                    <p id="name-error" class="field-error">{refusal.message("name")}</p>
                </div>
                <div class="field">
                    <label for="fb-email">{t!(i18n, fb.email)}</label>
                    <input
                        id="fb-email"
                        name="email"
                        type="email"
                        value=draft.email.clone()
                        autocomplete="email"
                        maxlength="254"
                        aria-describedby="email-error"
                    aria-invalid=invalid("email")
                    autofocus=focus("email")
                    />
                    <p id="email-error" class="field-error">{refusal.message("email")}</p>
                </div>
                <div class="field">
                    <label for="fb-phone">{t!(i18n, fb.phone)}</label>
                    <input
                        id="fb-phone"
                        name="phone"
                        type="tel"
                        value=draft.phone.clone()
                        pattern="[+]?[0-9 .\\-]{8,20}"
                        autocomplete="tel"
                        maxlength="20"
                        aria-describedby="phone-error"
                    aria-invalid=invalid("phone")
                    autofocus=focus("phone")
                    />
                    <p id="phone-error" class="field-error">{refusal.message("phone")}</p>
                </div>
                <div class="field">
                    <label for="fb-province">{t!(i18n, fb.province)}</label>
                    <select id="fb-province" name="province" aria-describedby="province-error"
                    aria-invalid=invalid("province")
                    autofocus=focus("province")>
                        <option value="">{t!(i18n, fb.no_place)}</option>
                        {provinces
                            .into_iter()
                            .map(|p| {
                                let chosen = draft.province == p.code;
                                view! { <option value=p.code.clone() selected=chosen>{p.name.clone()}</option> }
                            })
                            .collect_view()}
                    </select>
                    <p id="province-error" class="field-error">{refusal.message("province")}</p>
                </div>
                <div class="field">
                    <label for="fb-commune">{t!(i18n, fb.commune)}</label>
                    <input
                        id="fb-commune"
                        name="commune"
                        type="text"
                        value=draft.commune.clone()
                        maxlength="100"
                        aria-describedby="commune-hint commune-error"
                        aria-invalid=invalid("commune")
                        autofocus=focus("commune")
                    />
                    <p id="commune-hint" class="hint">{t!(i18n, fb.commune_hint)}</p>
                    <p id="commune-error" class="field-error">{refusal.message("commune")}</p>
                </div>
                <div class="field">
                    <label class="choice">
                        <input
                            id="fb-consent"
                            type="checkbox"
                            name="consent"
                            value="yes"
                            checked=draft.consent
                            aria-describedby="consent-error"
                            aria-invalid=invalid("consent")
                            autofocus=focus("consent")
                        />
                        {t!(i18n, fb.consent)}
                    </label>
                    <p id="consent-error" class="field-error">{refusal.message("consent")}</p>
                </div>
            </fieldset>
            // Never seen by people (hidden by the style sheet and from screen readers);
            // robots that fill every field fill it, and their submission is dropped.
            <div class="hp" aria-hidden="true">
                <label for="fb-website">"Website"</label>
                <input id="fb-website" name="website" type="text" tabindex="-1" autocomplete="off" />
            </div>
            <button type="submit" class="primary">{t!(i18n, fb.submit)}</button>
            <p class="hint">{t!(i18n, fb.privacy)}</p>
        </ActionForm>
        // Solves the form's proof of work in the background; without it the form still
        // works, under a tighter limit.
        <script src="/pow.js" defer nonce=use_nonce()></script>
    }
}

/// The history of an item, as a list.
pub fn history_view(
    i18n: I18nContext<Locale>,
    history: Vec<FeedbackEventView>,
    internal: bool,
) -> impl IntoView {
    view! {
        <ol class="history">
            {history
                .into_iter()
                .map(|event| {
                    let action = event.action;
                    let status = event.status;
                    view! {
                        <li>
                            <span class="muted nowrap">{format_datetime(event.at)}</span>
                            " · "
                            <strong>{move || feedback_action_label(i18n, action)}</strong>
                            " · "
                            <span>{move || feedback_status_label(i18n, status)}</span>
                            {internal
                                .then(|| {
                                    event.actor.clone().map(|actor| view! { " · " <span>{actor}</span> })
                                })}
                            {event.unit.clone().map(|unit| view! { " → " <span>{unit.name}</span> })}
                            {event
                                .detail
                                .clone()
                                .map(|detail| view! { <p class="history-detail">{detail}</p> })}
                        </li>
                    }
                })
                .collect_view()}
        </ol>
    }
}

pub fn answer_view(i18n: I18nContext<Locale>, answer: PublicAnswer) -> impl IntoView {
    view! {
        <div class="answer">
            <h3>{t!(i18n, fb.answer)}</h3>
            <p class="muted">
                {format_datetime(answer.answered_at)}
                {answer.unit.map(|unit| view! { " · " {unit.name} })}
            </p>
            <p class="prewrap">{answer.text}</p>
        </div>
    }
}

#[component]
pub fn TrackPage() -> impl IntoView {
    let i18n = use_i18n();
    let query = use_query_map();
    let code = move || query.read().get("code").unwrap_or_default();
    let secret = move || query.read().get("secret").unwrap_or_default();
    let sent = move || query.read().get("sent").is_some();
    let tracked = Resource::new(
        move || (code(), secret()),
        |(code, secret)| async move {
            if code.trim().is_empty() || secret.trim().is_empty() {
                None
            } else {
                Some(track_feedback(code, secret).await)
            }
        },
    );
    let body = move || {
        Suspend::new(async move {
            match tracked.await {
                None => ().into_any(),
                Some(Ok(item)) => {
                    let receipt = Receipt {
                        code: item.code.clone(),
                        secret: secret(),
                    };
                    view! { <TrackedView item sent=sent() receipt /> }.into_any()
                }
                Some(Err(AppError::NotFound)) => {
                    set_http_status(404);
                    view! {
                        <p class="notice notice-error" role="alert">{t!(i18n, fb.track_not_found)}</p>
                    }
                        .into_any()
                }
                Some(Err(error)) => view! { <ErrorPage error /> }.into_any(),
            }
        })
    };
    view! {
        {page_title(move || t_string!(i18n, fb.track_title).to_owned())}
        <section class="page narrow">
            <h1>{t!(i18n, fb.track_title)}</h1>
            <FeedbackLinks />
            <Suspense fallback=move || view! { <p>{t!(i18n, common.loading)}</p> }>{body}</Suspense>
            <Form method="GET" action="/feedback/track" attr:class="form">
                <p class="lead">{t!(i18n, fb.track_lead)}</p>
                <div class="field">
                    <label for="track-code">{t!(i18n, fb.code)}</label>
                    <input
                        id="track-code"
                        name="code"
                        type="text"
                        required
                        maxlength="20"
                        autocapitalize="characters"
                        spellcheck="false"
                        placeholder="PA-2026-000123"
                        value=code
                    />
                </div>
                <div class="field">
                    <label for="track-secret">{t!(i18n, fb.secret)}</label>
                    <input
                        id="track-secret"
                        name="secret"
                        type="text"
                        required
                        maxlength="40"
                        autocomplete="off"
                        autocapitalize="characters"
                        spellcheck="false"
                        value=secret
                    />
                </div>
                <button type="submit">{t!(i18n, fb.track_submit)}</button>
            </Form>
        </section>
    }
}

#[component]
fn TrackedView(item: TrackedFeedback, sent: bool, receipt: Receipt) -> impl IntoView {
    let i18n = use_i18n();
    let status = item.status;
    let category = item.category;
    view! {
        {sent
            .then(|| {
                view! {
                    <div class="notice notice-ok" role="status">
                        <p>
                            <strong>{t!(i18n, fb.sent_done)}</strong>
                        </p>
                        <dl class="receipt">
                            <dt>{t!(i18n, fb.code)}</dt>
                            <dd class="code" data-testid="feedback-code">{receipt.code.clone()}</dd>
                            <dt>{t!(i18n, fb.secret)}</dt>
                            <dd class="code" data-testid="feedback-secret">{receipt.secret.clone()}</dd>
                        </dl>
                        <p>{t!(i18n, fb.sent_keep)}</p>
                        <p>
                            <a href=receipt.tracking_path() class="tracking-link">
                                {t!(i18n, fb.tracking_link)}
                            </a>
                        </p>
                    </div>
                }
            })}
        <article class="card feedback-item">
            <p class="muted">
                <span class="code">{item.code.clone()}</span>
                " · "
                {move || category_label(i18n, category)}
                " · "
                {format_datetime(item.received_at)}
            </p>
            <h2>{item.subject.clone()}</h2>
            <p>
                {t!(i18n, fb.status)} ": "
                <strong class="status" data-status=status.as_str()>
                    {move || feedback_status_label(i18n, status)}
                </strong>
            </p>
            <p class="prewrap">{item.text.clone()}</p>
            {item.answer.clone().map(|answer| answer_view(i18n, answer))}
            <h3>{t!(i18n, fb.history)}</h3>
            {history_view(i18n, item.history.clone(), false)}
        </article>
    }
}

#[component]
pub fn AnswersPage() -> impl IntoView {
    let i18n = use_i18n();
    let query = use_query_map();
    let q = move || query.read().get("q").unwrap_or_default();
    let category = move || query.read().get("category").unwrap_or_default();
    let page = move || {
        query
            .read()
            .get("page")
            .and_then(|p| p.parse::<u64>().ok())
            .unwrap_or(1)
    };
    let answers = Resource::new(
        move || (q(), category(), page()),
        |(q, category, page)| list_published_answers(q, category, page),
    );
    let body = move || {
        Suspend::new(async move {
            match answers.await {
                Ok(found) => view! { <AnswerList found q=q() category=category() /> }.into_any(),
                Err(error) => view! { <ErrorPage error /> }.into_any(),
            }
        })
    };
    view! {
        {page_title(move || t_string!(i18n, fb.answers_title).to_owned())}
        <section class="page">
            <h1>{t!(i18n, fb.answers_title)}</h1>
            <FeedbackLinks />
            <p class="lead">{t!(i18n, fb.answers_lead)}</p>
            <Form method="GET" action="/feedback/answers" attr:class="filters">
                <div class="field">
                    <label for="answers-q">{t!(i18n, fb.search)}</label>
                    <input id="answers-q" type="search" name="q" maxlength="100" value=q />
                </div>
                <div class="field">
                    <label for="answers-category">{t!(i18n, fb.category)}</label>
                    <select id="answers-category" name="category">
                        <option value="">{t!(i18n, fb.any)}</option>
                        {move || {
                            let chosen = category();
                            Category::ALL
                                .iter()
                                .copied()
                                .map(|c| {
                                    view! {
                                        <option value=c.as_str() selected=chosen == c.as_str()>
                                            {move || category_label(i18n, c)}
                                        </option>
                                    }
                                })
                                .collect_view()
                        }}
                    </select>
                </div>
                <div class="filter-actions">
                    <button type="submit" class="primary">{t!(i18n, fb.search_submit)}</button>
                </div>
            </Form>
            <Suspense fallback=move || view! { <p>{t!(i18n, common.loading)}</p> }>{body}</Suspense>
        </section>
    }
}

#[component]
fn AnswerList(found: PublishedPage, q: String, category: String) -> impl IntoView {
    let i18n = use_i18n();
    let PublishedPage {
        items,
        total,
        page,
        pages,
    } = found;
    if items.is_empty() {
        return view! { <p class="notice" role="status">{t!(i18n, fb.answers_none)}</p> }
            .into_any();
    }
    let href = move |page: u64| {
        format!(
            "/feedback/answers?q={}&category={}&page={page}",
            encode_query_value(&q),
            encode_query_value(&category)
        )
    };
    let previous = (page > 1).then(|| href(page - 1));
    let next = (page < pages).then(|| href(page + 1));
    view! {
        <p role="status">
            {move || t_string!(i18n, fb.answers_count, count = count(i18n.get_locale(), total))}
        </p>
        {items
            .into_iter()
            .map(|item| {
                let category = item.category;
                view! {
                    <article class="card feedback-item">
                        <p class="muted">
                            <span class="code">{item.code.clone()}</span>
                            " · "
                            {move || category_label(i18n, category)}
                            {item.document.clone().map(|d| view! { " · " {d} })}
                            " · "
                            {format_datetime(item.received_at)}
                        </p>
                        <h2>{item.subject.clone()}</h2>
                        <p class="prewrap">{item.text.clone()}</p>
                        {answer_view(i18n, item.answer.clone())}
                    </article>
                }
            })
            .collect_view()}
        <Pagination previous next page pages />
    }
    .into_any()
}
