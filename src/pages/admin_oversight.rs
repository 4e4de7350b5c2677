//! `/admin/oversight`: which central bodies see the whole country's work. The centre's
//! administrators grant and withdraw it; other administrators read it.

use crate::api::admin::{SetOversight, get_oversight};
use crate::components::error::{ErrorPage, form_error};
use crate::components::title::page_title;
use crate::i18n::*;
use crate::model::admin::{Oversight, OversightRow};
use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::use_query_map;

#[component]
pub fn AdminOversightPage() -> impl IntoView {
    let i18n = use_i18n();
    let set = ServerAction::<SetOversight>::new();
    let query = use_query_map();
    let listed = Resource::new(move || set.version().get(), |_| get_oversight());
    let error = Signal::derive(move || set.value().get().and_then(Result::err));
    let done = move || query.read().get("done").is_some() && error.get().is_none();
    let body = move || {
        Suspend::new(async move {
            match listed.await {
                Ok(oversight) => view! { <OversightTable oversight set /> }.into_any(),
                Err(error) => view! { <ErrorPage error /> }.into_any(),
            }
        })
    };
    view! {
        {page_title(move || t_string!(i18n, oversight.title).to_owned())}
        <section class="page">
            <nav class="breadcrumb" aria-label=move || t_string!(i18n, units.trail_label)>
                <ol>
                    <li><A href="/admin/users">{t!(i18n, admin.users_title)}</A></li>
                    <li aria-current="page">{t!(i18n, oversight.title)}</li>
                </ol>
            </nav>
            <h1>{t!(i18n, oversight.title)}</h1>
            <p class="lead">{t!(i18n, oversight.lead)}</p>
            {move || done().then(|| view! { <p class="notice notice-ok" role="status">{t!(i18n, oversight.saved)}</p> })}
            {move || {
                form_error(i18n, error.get().as_ref())
                    .or_else(|| crate::components::error::field_error(i18n, error.get().as_ref(), "unit"))
                    .map(|text| view! { <p class="notice notice-error" role="alert">{text}</p> })
            }}
            <Suspense fallback=move || view! { <p>{t!(i18n, common.loading)}</p> }>{body}</Suspense>
        </section>
    }
}

#[component]
fn OversightTable(oversight: Oversight, set: ServerAction<SetOversight>) -> impl IntoView {
    let i18n = use_i18n();
    let may_change = oversight.may_change;
    view! {
        <div class="table-wrap" tabindex="0">
            <table class="data">
                <caption class="visually-hidden">{t!(i18n, oversight.title)}</caption>
                <thead>
                    <tr>
                        <th scope="col">{t!(i18n, units.col_code)}</th>
                        <th scope="col">{t!(i18n, units.col_name)}</th>
                        <th scope="col">{t!(i18n, oversight.col_granted)}</th>
                        {may_change.then(|| view! { <th scope="col">{t!(i18n, admin.actions)}</th> })}
                    </tr>
                </thead>
                <tbody>
                    {oversight
                        .rows
                        .into_iter()
                        .map(|row| view! { <OversightLine row may_change set /> })
                        .collect_view()}
                </tbody>
            </table>
        </div>
    }
}

#[component]
fn OversightLine(
    row: OversightRow,
    may_change: bool,
    set: ServerAction<SetOversight>,
) -> impl IntoView {
    let i18n = use_i18n();
    let granted = row.granted;
    let code = row.unit.code.clone();
    view! {
        <tr>
            <td class="code">{row.unit.code.clone()}</td>
            <td><A href=format!("/units/{}", row.unit.code)>{row.unit.name.clone()}</A></td>
            <td>
                {move || {
                    if granted {
                        t_string!(i18n, admin.yes)
                    } else {
                        t_string!(i18n, admin.no)
                    }
                }}
            </td>
            {may_change
                .then(|| {
                    if row.fixed {
                        view! { <td class="muted">{t!(i18n, oversight.fixed)}</td> }.into_any()
                    } else {
                        view! {
                            <td>
                                <ActionForm action=set attr:class="inline-form">
                                    <input type="hidden" name="code" value=code.clone() />
                                    <input type="hidden" name="granted" value=(!granted).to_string() />
                                    <button type="submit" class="secondary">
                                        {move || {
                                            if granted {
                                                t_string!(i18n, oversight.withdraw)
                                            } else {
                                                t_string!(i18n, oversight.grant)
                                            }
                                        }}
                                    </button>
                                </ActionForm>
                            </td>
                        }
                            .into_any()
                    }
                })}
        </tr>
    }
}
