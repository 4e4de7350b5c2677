//! `/account`: the official's profile, password and sessions.

use crate::api::account::{ChangePassword, RevokeSession, SetMailPreferences, get_account};
use crate::components::error::ErrorPage;
use crate::components::form::{FormProblem, Refusal};
use crate::components::labels::{clearance_label, notification_kind_label, role_label};
use crate::components::title::page_title;
use crate::i18n::*;
use crate::model::notification::NotificationKind;
use crate::model::time::format_datetime;
use crate::model::{Account, SessionInfo};
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

#[component]
pub fn AccountPage() -> impl IntoView {
    let i18n = use_i18n();
    let query = use_query_map();
    let change = ServerAction::<ChangePassword>::new();
    let revoke = ServerAction::<RevokeSession>::new();
    let account = Resource::new(
        move || (change.version().get(), revoke.version().get()),
        |_| get_account(),
    );
    let done = move || match query.read().get("done").as_deref() {
        Some("password") => Some(t_string!(i18n, account.password_changed_done)),
        Some("revoked") => Some(t_string!(i18n, account.revoked_done)),
        Some("mail") => Some(t_string!(i18n, notifications.mail_saved)),
        _ => None,
    };
    let body = move || {
        Suspend::new(async move {
            match account.await {
                Ok(account) => view! { <AccountView account change revoke /> }.into_any(),
                Err(error) => view! { <ErrorPage error /> }.into_any(),
            }
        })
    };
    view! {
        {page_title(move || t_string!(i18n, account.title).to_owned())}
        <section class="page">
            <h1>{t!(i18n, account.title)}</h1>
            {move || done().map(|text| view! { <p class="notice notice-ok" role="status">{text}</p> })}
            <Suspense fallback=move || view! { <p>{t!(i18n, common.loading)}</p> }>{body}</Suspense>
        </section>
    }
}

#[component]
fn AccountView(
    account: Account,
    change: ServerAction<ChangePassword>,
    revoke: ServerAction<RevokeSession>,
) -> impl IntoView {
    let i18n = use_i18n();
    let Account {
        viewer,
        email,
        mail_off,
        last_login_at,
        password_changed_at,
        sessions,
    } = account;
    let has_email = email.is_some();
    let refusal = Refusal::of(change);
    let never = move || t_string!(i18n, account.none).to_owned();
    view! {
        {viewer
            .must_change_password
            .then(|| {
                view! {
                    <p class="notice notice-error" role="alert">{t!(i18n, account.must_change)}</p>
                }
            })}
        <section aria-labelledby="profile-heading">
            <h2 id="profile-heading">{t!(i18n, account.profile)}</h2>
            <dl class="facts">
                <div>
                    <dt>{t!(i18n, account.full_name)}</dt>
                    <dd>{viewer.full_name.clone()}</dd>
                </div>
                <div>
                    <dt>{t!(i18n, account.username)}</dt>
                    <dd class="code">{viewer.username.clone()}</dd>
                </div>
                <div>
                    <dt>{t!(i18n, account.unit)}</dt>
                    <dd>{viewer.unit.name.clone()}</dd>
                </div>
                <div>
                    <dt>{t!(i18n, account.role)}</dt>
                    <dd>{move || role_label(i18n, viewer.role)}</dd>
                </div>
                <div>
                    <dt>{t!(i18n, account.clearance)}</dt>
                    <dd>{move || clearance_label(i18n, viewer.clearance)}</dd>
                </div>
                <div>
                    <dt>{t!(i18n, account.email)}</dt>
                    <dd>{email.clone().unwrap_or_else(never)}</dd>
                </div>
                <div>
                    <dt>{t!(i18n, account.last_login)}</dt>
                    <dd>{last_login_at.map(format_datetime).unwrap_or_else(never)}</dd>
                </div>
                <div>
                    <dt>{t!(i18n, account.password_changed)}</dt>
                    <dd>{format_datetime(password_changed_at)}</dd>
                </div>
            </dl>
        </section>

        <section aria-labelledby="password-heading">
            <h2 id="password-heading">{t!(i18n, account.change_password)}</h2>
            <ActionForm action=change attr:class="form narrow" attr:novalidate=true>
                <FormProblem refusal />
                <div class="field">
                    <label for="current">{t!(i18n, account.current_password)}</label>
                    <input
                        id="current"
                        name="current"
                        type="password"
                        autocomplete="current-password"
                        required
                        aria-describedby="current-error"
                        aria-invalid=refusal.invalid("current")
                        autofocus=refusal.focus("current")
                    />
                    <p id="current-error" class="field-error">{refusal.message("current")}</p>
                </div>
                <div class="field">
                    <label for="new">{t!(i18n, account.new_password)}</label>
                    <input
                        id="new"
                        name="new"
                        type="password"
                        autocomplete="new-password"
                        required
                        minlength="12"
                        maxlength="128"
                        aria-describedby="new-hint new-error"
                        aria-invalid=refusal.invalid("new")
                        autofocus=refusal.focus("new")
                    />
                    <p id="new-hint" class="hint">{t!(i18n, account.new_hint)}</p>
                    <p id="new-error" class="field-error">{refusal.message("new")}</p>
                </div>
                <div class="field">
                    <label for="confirm">{t!(i18n, account.confirm_password)}</label>
                    <input
                        id="confirm"
                        name="confirm"
                        type="password"
                        autocomplete="new-password"
                        required
                        aria-describedby="confirm-error"
                        aria-invalid=refusal.invalid("confirm")
                        autofocus=refusal.focus("confirm")
                    />
                    <p id="confirm-error" class="field-error">{refusal.message("confirm")}</p>
                </div>
                <button type="submit">{t!(i18n, account.submit_password)}</button>
            </ActionForm>
        </section>

        <MailPreferences has_email mail_off />

        <section aria-labelledby="sessions-heading">
            <h2 id="sessions-heading">{t!(i18n, account.sessions)}</h2>
            <p>{t!(i18n, account.sessions_lead)}</p>
            <ul class="session-list">
                {sessions
                    .into_iter()
                    .map(|session| view! { <SessionItem session revoke /> })
                    .collect_view()}
            </ul>
        </section>
    }
}

/// One session: the browser, when it signed in and was last active, and a way to end it.
#[component]
fn SessionItem(session: SessionInfo, revoke: ServerAction<RevokeSession>) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <li class="session-card">
            <p class="user-agent">
                {session.user_agent.clone().unwrap_or_default()}
                {session
                    .current
                    .then(|| view! { " " <strong class="tag">{t!(i18n, account.this_device)}</strong> })}
            </p>
            <dl class="inline-facts">
                <div>
                    <dt>{t!(i18n, account.signed_in_at)}</dt>
                    <dd>{format_datetime(session.signed_in_at)}</dd>
                </div>
                <div>
                    <dt>{t!(i18n, account.last_active)}</dt>
                    <dd>{format_datetime(session.last_active_at)}</dd>
                </div>
                <div>
                    <dt>{t!(i18n, account.ip)}</dt>
                    <dd class="code">{session.ip.clone().unwrap_or_default()}</dd>
                </div>
            </dl>
            <ActionForm action=revoke attr:class="inline-form">
                <input type="hidden" name="handle" value=session.handle.clone() />
                <button type="submit" class="secondary">{t!(i18n, account.revoke)}</button>
            </ActionForm>
        </li>
    }
}

/// Which notifications come by email: a box per kind, a plain form.
#[component]
fn MailPreferences(has_email: bool, mail_off: Vec<NotificationKind>) -> impl IntoView {
    let i18n = use_i18n();
    let save = ServerAction::<SetMailPreferences>::new();
    let locale = i18n.get_locale_untracked();
    view! {
        <section aria-labelledby="mail-heading">
            <h2 id="mail-heading">{t!(i18n, notifications.mail_heading)}</h2>
            <p>{t!(i18n, notifications.mail_lead)}</p>
            {(!has_email).then(|| view! { <p class="notice">{t!(i18n, notifications.mail_no_address)}</p> })}
            <ActionForm action=save attr:class="form narrow">
                <fieldset>
                    <legend>{t!(i18n, notifications.mail_kinds)}</legend>
                    {NotificationKind::ALL
                        .iter()
                        .copied()
                        .map(|kind| {
                            let id = format!("mail-{}", kind.as_str());
                            view! {
                                <div class="field checkbox">
                                    <input
                                        type="checkbox"
                                        id=id.clone()
                                        name=kind.as_str()
                                        value="on"
                                        checked=!mail_off.contains(&kind)
                                    />
                                    <label for=id>{notification_kind_label(locale, kind)}</label>
                                </div>
                            }
                        })
                        .collect_view()}
                </fieldset>
                <button type="submit" class="primary">{t!(i18n, notifications.mail_save)}</button>
            </ActionForm>
        </section>
    }
}
