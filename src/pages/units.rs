//! `/units`: the central bodies and the provinces, and search over every unit.

use crate::api::units::{get_units_overview, search_units};
use crate::components::error::{ErrorPage, error_text};
use crate::components::format::count;
use crate::components::labels::level_label;
use crate::components::status::set_http_status;
use crate::components::title::page_title;
use crate::i18n::*;
use crate::model::unit::SEARCH_LIMIT;
use crate::model::{UnitHit, UnitSearch, UnitSummary, UnitsOverview};
use leptos::prelude::*;
use leptos_i18n::I18nContext;
use leptos_router::components::{A, Form};
use leptos_router::hooks::use_query_map;

#[component]
pub fn UnitsPage() -> impl IntoView {
    let i18n = use_i18n();
    let query_map = use_query_map();
    let query = Memo::new(move |_| query_map.read().get("q").unwrap_or_default());
    let overview = Resource::new(|| (), |_| get_units_overview());
    let search = Resource::new(
        move || query.get(),
        |q| async move {
            if q.trim().is_empty() {
                None
            } else {
                Some(search_units(q).await)
            }
        },
    );

    let body = move || {
        Suspend::new(async move {
            let overview = match overview.await {
                Ok(overview) => overview,
                Err(error) => return view! { <ErrorPage error /> }.into_any(),
            };
            let results = search.await;
            view! {
                <p class="lead">{lead(i18n, &overview)}</p>
                <SearchForm query />
                {match results {
                    None => view! { <Directory overview /> }.into_any(),
                    Some(Ok(found)) => view! { <SearchResults found /> }.into_any(),
                    Some(Err(error)) => {
                        set_http_status(error.status_code());
                        view! {
                            <p class="notice notice-error" role="alert">
                                {error_text(i18n, &error)}
                            </p>
                        }
                            .into_any()
                    }
                }}
            }
            .into_any()
        })
    };

    view! {
        {page_title(move || t_string!(i18n, units.title).to_owned())}
        <section class="page">
            <h1>{t!(i18n, units.title)}</h1>
            <Suspense fallback=move || view! { <p>{t!(i18n, common.loading)}</p> }>{body}</Suspense>
        </section>
    }
}

fn lead(i18n: I18nContext<Locale>, overview: &UnitsOverview) -> String {
    let locale = i18n.get_locale();
    t_string!(
        i18n,
        units.lead,
        provinces = count(locale, overview.provinces.len() as u64),
        communes = count(locale, overview.commune_total)
    )
}

/// A plain GET form: it works the same with and without JavaScript.
#[component]
fn SearchForm(query: Memo<String>) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <Form method="GET" action="/units" attr:class="search-form" attr:role="search">
            <label for="unit-search">{t!(i18n, units.search_label)}</label>
            <div class="search-row">
                <input
                    id="unit-search"
                    type="search"
                    name="q"
                    maxlength="100"
                    autocomplete="off"
                    aria-describedby="unit-search-hint"
                    prop:value=move || query.get()
                    value=move || query.get()
                />
                <button type="submit">{t!(i18n, units.search_button)}</button>
            </div>
            <p id="unit-search-hint" class="hint">{t!(i18n, units.search_hint)}</p>
        </Form>
    }
}

#[component]
fn Directory(overview: UnitsOverview) -> impl IntoView {
    let i18n = use_i18n();
    let UnitsOverview {
        agencies,
        provinces,
        ..
    } = overview;
    view! {
        <section aria-labelledby="provinces-heading">
            <h2 id="provinces-heading">{t!(i18n, units.provinces_heading)}</h2>
            <div class="table-wrap" tabindex="0">
                <table class="data">
                    <caption class="visually-hidden">{t!(i18n, units.provinces_heading)}</caption>
                    <thead>
                        <tr>
                            <th scope="col">{t!(i18n, units.col_code)}</th>
                            <th scope="col">{t!(i18n, units.col_name)}</th>
                            <th scope="col">{t!(i18n, units.col_type)}</th>
                            <th scope="col" class="num">{t!(i18n, units.col_communes)}</th>
                        </tr>
                    </thead>
                    <tbody>
                        {provinces.into_iter().map(|unit| view! { <UnitRow unit /> }).collect_view()}
                    </tbody>
                </table>
            </div>
        </section>
        <section aria-labelledby="agencies-heading">
            <h2 id="agencies-heading">{t!(i18n, units.agencies_heading)}</h2>
            <ul class="unit-list">
                {agencies
                    .into_iter()
                    .map(|unit| {
                        view! {
                            <li>
                                <A href=format!("/units/{}", unit.code)>{unit.name}</A>
                            </li>
                        }
                    })
                    .collect_view()}
            </ul>
        </section>
    }
}

/// A row of a unit table: code, linked name, kind, and how many units sit under it.
#[component]
pub fn UnitRow(unit: UnitSummary) -> impl IntoView {
    let i18n = use_i18n();
    let kind = unit
        .division_type
        .clone()
        .unwrap_or_else(|| level_label(i18n, unit.level).to_owned());
    view! {
        <tr>
            <td class="code">{unit.code.clone()}</td>
            <th scope="row">
                <A href=format!("/units/{}", unit.code)>{unit.name}</A>
            </th>
            <td>{kind}</td>
            <td class="num">{move || count(i18n.get_locale(), unit.child_count)}</td>
        </tr>
    }
}

#[component]
fn SearchResults(found: UnitSearch) -> impl IntoView {
    let i18n = use_i18n();
    let UnitSearch { query, hits, total } = found;
    let locale = i18n.get_locale();
    if hits.is_empty() {
        return view! {
            <p class="notice" role="status">{t_string!(i18n, units.no_results, query = query)}</p>
        }
        .into_any();
    }
    let summary = t_string!(
        i18n,
        units.results_count,
        count = count(locale, total),
        query = query
    );
    let truncated = (total > SEARCH_LIMIT).then(|| {
        t_string!(
            i18n,
            units.results_truncated,
            shown = count(locale, SEARCH_LIMIT)
        )
    });
    view! {
        <section aria-labelledby="results-heading">
            <h2 id="results-heading">{t!(i18n, units.results_heading)}</h2>
            <p role="status">{summary} " " {truncated}</p>
            <p><A href="/units">{t!(i18n, units.clear_search)}</A></p>
            <div class="table-wrap" tabindex="0">
                <table class="data">
                    <caption class="visually-hidden">{t!(i18n, units.results_heading)}</caption>
                    <thead>
                        <tr>
                            <th scope="col">{t!(i18n, units.col_code)}</th>
                            <th scope="col">{t!(i18n, units.col_name)}</th>
                            <th scope="col">{t!(i18n, units.col_type)}</th>
                            <th scope="col">{t!(i18n, units.col_parent)}</th>
                        </tr>
                    </thead>
                    <tbody>
                        {hits.into_iter().map(|hit| view! { <HitRow hit /> }).collect_view()}
                    </tbody>
                </table>
            </div>
        </section>
    }
    .into_any()
}

#[component]
fn HitRow(hit: UnitHit) -> impl IntoView {
    let i18n = use_i18n();
    let UnitHit { unit, parent } = hit;
    let kind = unit
        .division_type
        .clone()
        .unwrap_or_else(|| level_label(i18n, unit.level).to_owned());
    view! {
        <tr>
            <td class="code">{unit.code.clone()}</td>
            <th scope="row">
                <A href=format!("/units/{}", unit.code)>{unit.name}</A>
            </th>
            <td>{kind}</td>
            <td>
                {parent
                    .map(|p| view! { <A href=format!("/units/{}", p.code)>{p.name}</A> })}
            </td>
        </tr>
    }
}
