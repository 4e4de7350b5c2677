//! `/notifications`: what the official was told, newest first, with a way to mark it read.

use crate::api::notifications::{
    MarkAllNotificationsRead, MarkNotificationRead, SetReminderDays, list_notifications,
};
use crate::components::error::ErrorPage;
use crate::components::form::{FormProblem, Refusal};
use crate::components::format::count;
use crate::components::labels::notification_sentence;
use crate::components::pagination::Pagination;
use crate::components::title::page_title;
use crate::i18n::*;
use crate::model::notification::{
    NotificationItem, NotificationKind, NotificationPage, ReminderDays, days_text,
};
use crate::model::time::format_datetime;
use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::use_query_map;

#[component]
pub fn NotificationsPage() -> impl IntoView {
    let i18n = use_i18n();
    let query = use_query_map();
    let page = Memo::new(move |_| {
        query
            .read()
            .get("page")
            .and_then(|p| p.parse::<u64>().ok())
            .unwrap_or(1)
    });
    let list = Resource::new(move || page.get(), list_notifications);
    let saved = move || {
        (query.read().get("done").as_deref() == Some("days")).then(|| {
            view! {
                <p class="notice notice-ok" role="status">{t!(i18n, notifications.days_saved)}</p>
            }
        })
    };
    let body = move || {
        Suspend::new(async move {
            match list.await {
                Ok(mut list) => {
                    let days = list.reminder_days.take();
                    view! {
                        <NotificationList list />
                        {days.map(|days| view! { <UnitReminderDays days /> })}
                    }
                    .into_any()
                }
                Err(error) => view! { <ErrorPage error /> }.into_any(),
            }
        })
    };
    view! {
        {page_title(move || t_string!(i18n, notifications.title).to_owned())}
        <section class="page">
            <h1>{t!(i18n, notifications.title)}</h1>
            {saved}
            <Suspense fallback=move || view! { <p>{t!(i18n, common.loading)}</p> }>{body}</Suspense>
        </section>
    }
}

#[component]
fn NotificationList(list: NotificationPage) -> impl IntoView {
    let i18n = use_i18n();
    let mark_all = ServerAction::<MarkAllNotificationsRead>::new();
    let mark = ServerAction::<MarkNotificationRead>::new();
    let summary = if list.unread > 0 {
        let unread = count(i18n.get_locale_untracked(), list.unread);
        view! { <p role="status">{t!(i18n, notifications.unread_summary, n = unread.clone())}</p> }
            .into_any()
    } else {
        view! { <p role="status">{t!(i18n, notifications.none_unread)}</p> }.into_any()
    };
    let href = |page: u64| format!("/notifications?page={page}");
    let page = list.page;
    view! {
        {summary}
        {list
            .newest
            .filter(|_| list.unread > 0)
            .map(|newest| {
                view! {
                    <ActionForm action=mark_all attr:class="inline-form">
                        <input type="hidden" name="up_to" value=newest />
                        <button type="submit" class="secondary">{t!(i18n, notifications.mark_all)}</button>
                    </ActionForm>
                }
            })}
        {if list.items.is_empty() {
            view! { <p>{t!(i18n, notifications.empty)}</p> }.into_any()
        } else {
            view! {
                <ol class="notifications">
                    {list
                        .items
                        .into_iter()
                        .map(|item| view! { <NotificationRow item mark page /> })
                        .collect_view()}
                </ol>
            }
                .into_any()
        }}
        {(list.pages > 1)
            .then(|| {
                view! {
                    <Pagination
                        previous=(list.page > 1).then(|| href(list.page - 1))
                        next=(list.page < list.pages).then(|| href(list.page + 1))
                        page=list.page
                        pages=list.pages
                    />
                }
            })}
    }
}

#[component]
fn NotificationRow(
    item: NotificationItem,
    mark: ServerAction<MarkNotificationRead>,
    page: u64,
) -> impl IntoView {
    let i18n = use_i18n();
    let text = notification_sentence(i18n.get_locale_untracked(), &item);
    let target = match (&item.task, &item.feedback_code, item.kind) {
        (Some(task), _, _) => Some((format!("/tasks/{}", task.id), task.title.clone())),
        (None, Some(code), _) => Some((format!("/admin/feedback/{code}"), code.clone())),
        (None, None, _) if item.indicator.is_some() => item
            .indicator
            .as_ref()
            .map(|i| (format!("/indicators/{}", i.id), i.name.clone())),
        (None, None, NotificationKind::OverdueDaily) => Some((
            "/my-work?view=overdue".to_owned(),
            t_string!(i18n, notifications.overdue_daily_link).to_owned(),
        )),
        _ => None,
    };
    let due = item.task.as_ref().map(|task| task.due_on.display());
    view! {
        <li class=if item.read { "notification" } else { "notification unread" }>
            <p class="notification-what">
                {(!item.read)
                    .then(|| view! { <strong class="tag">{t!(i18n, notifications.unread)}</strong> " " })}
                {text}
            </p>
            {target.map(|(href, label)| view! { <p><A href=href>{label}</A></p> })}
            <p class="muted">
                {due.map(|due| view! { {t!(i18n, notifications.due, due = due.clone())} " · " })}
                <time>{format_datetime(item.created_at)}</time>
            </p>
            {(!item.read)
                .then(|| {
                    view! {
                        <ActionForm action=mark attr:class="inline-form">
                            <input type="hidden" name="id" value=item.id />
                            <input type="hidden" name="page" value=page />
                            <button type="submit" class="link-button">{t!(i18n, notifications.mark_read)}</button>
                        </ActionForm>
                    }
                })}
        </li>
    }
}

/// The unit's reminder days before a due date, for its leaders to change.
#[component]
fn UnitReminderDays(days: ReminderDays) -> impl IntoView {
    let i18n = use_i18n();
    let save = ServerAction::<SetReminderDays>::new();
    let refusal = Refusal::of(save);
    let applied = days_text(days.applied());
    let server = days_text(&days.server);
    let own = days.own.as_deref().map(days_text).unwrap_or_default();
    view! {
        <section aria-labelledby="days-heading">
            <h2 id="days-heading">{t!(i18n, notifications.days_heading)}</h2>
            <p>{t!(i18n, notifications.days_lead, days = applied.clone())}</p>
            <ActionForm action=save attr:class="form narrow" attr:novalidate=true>
                <FormProblem refusal />
                <div class="field">
                    <label for="days">{t!(i18n, notifications.days_label)}</label>
                    <input
                        id="days"
                        name="days"
                        type="text"
                        inputmode="numeric"
                        autocomplete="off"
                        maxlength="40"
                        value=refusal.value("days", own)
                        aria-describedby="days-hint days-error"
                        aria-invalid=refusal.invalid("days")
                        autofocus=refusal.focus("days")
                    />
                    <p id="days-hint" class="hint">{t!(i18n, notifications.days_hint, days = server.clone())}</p>
                    <p id="days-error" class="field-error">{refusal.message("days")}</p>
                </div>
                <button type="submit" class="primary">{t!(i18n, notifications.days_save)}</button>
            </ActionForm>
        </section>
    }
}
