//! `/login`: signing in, with or without JavaScript.

use crate::api::auth::Login;
use crate::components::form::{FormProblem, Refusal};
use crate::components::title::page_title;
use crate::components::viewer::use_viewer;
use crate::i18n::*;
use crate::model::account::{LOCKOUT_MINUTES, LOCKOUT_THRESHOLD};
use crate::model::nav::local_path_or_home;
use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::use_query_map;

#[component]
pub fn LoginPage() -> impl IntoView {
    let i18n = use_i18n();
    let viewer = use_viewer();
    let query = use_query_map();
    let next = move || local_path_or_home(&query.read().get("next").unwrap_or_default());
    let login = ServerAction::<Login>::new();
    let refusal = Refusal::of(login);

    let form = move || {
        view! {
            <ActionForm action=login attr:class="form" attr:novalidate=true>
                <input type="hidden" name="next" value=next />
                <FormProblem refusal />
                <div class="field">
                    <label for="username">{t!(i18n, login.username)}</label>
                    <input
                        id="username"
                        name="username"
                        type="text"
                        autocomplete="username"
                        autocapitalize="none"
                        spellcheck="false"
                        required
                        maxlength="64"
                        value=refusal.value("username", "")
                        aria-describedby="username-error"
                        aria-invalid=refusal.invalid("username")
                        autofocus=refusal.focus("username")
                    />
                    <p id="username-error" class="field-error">{refusal.message("username")}</p>
                </div>
                <div class="field">
                    <label for="password">{t!(i18n, login.password)}</label>
                    <input
                        id="password"
                        name="password"
                        type="password"
                        autocomplete="current-password"
                        required
                        aria-describedby="password-error lockout-note"
                        aria-invalid=refusal.invalid("password")
                        autofocus=refusal.focus("password")
                    />
                    <p id="password-error" class="field-error">{refusal.message("password")}</p>
                </div>
                <button type="submit">{t!(i18n, login.submit)}</button>
                <p id="lockout-note" class="hint">
                    {t!(
                        i18n,
                        login.lockout_note,
                        count = LOCKOUT_THRESHOLD,
                        minutes = LOCKOUT_MINUTES
                    )}
                </p>
            </ActionForm>
        }
    };

    view! {
        {page_title(move || t_string!(i18n, login.title).to_owned())}
        <section class="page narrow">
            <h1>{t!(i18n, login.title)}</h1>
            <p class="lead">{t!(i18n, login.lead)}</p>
            {move || {
                    match viewer.get() {
                            Some(me) => {
                                view! {
                                    <p class="notice">
                                        {t!(i18n, login.already, name = me.full_name.clone())}
                                    </p>
                                    <p>
                                        <A href=next attr:class="button">
                                            {t!(i18n, login.go_on)}
                                        </A>
                                    </p>
                                }
                                    .into_any()
                            }
                            None => form().into_any(),
                        }
                }}
        </section>
    }
}
