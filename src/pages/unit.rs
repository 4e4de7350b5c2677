//! `/units/{code}`: one unit, the trail of units above it, and the units below it.

use crate::api::units::get_unit_detail;
use crate::components::error::ErrorPage;
use crate::components::labels::level_label;
use crate::i18n::*;
use crate::model::UnitDetail;
use crate::pages::units::UnitRow;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::A;
use leptos_router::hooks::use_params_map;

#[component]
pub fn UnitPage() -> impl IntoView {
    let i18n = use_i18n();
    let params = use_params_map();
    let detail = Resource::new(
        move || params.read().get("code").unwrap_or_default(),
        get_unit_detail,
    );
    let body = move || {
        Suspend::new(async move {
            match detail.await {
                Ok(detail) => view! { <UnitView detail /> }.into_any(),
                Err(error) => view! { <ErrorPage error /> }.into_any(),
            }
        })
    };
    view! {
        <Suspense fallback=move || view! { <p>{t!(i18n, common.loading)}</p> }>{body}</Suspense>
    }
}

#[component]
fn UnitView(detail: UnitDetail) -> impl IntoView {
    let i18n = use_i18n();
    let UnitDetail {
        unit,
        trail,
        children,
    } = detail;
    let title = unit.name.clone();
    let kind = unit
        .division_type
        .clone()
        .unwrap_or_else(|| level_label(i18n, unit.level).to_owned());
    let parent = trail.last().cloned();
    let has_children = !children.is_empty();
    view! {
        <Title text=title />
        <nav class="breadcrumb" aria-label=move || t_string!(i18n, units.trail_label)>
            <ol>
                <li><A href="/units">{t!(i18n, units.title)}</A></li>
                {trail
                    .into_iter()
                    .map(|u| view! { <li><A href=format!("/units/{}", u.code)>{u.name}</A></li> })
                    .collect_view()}
                <li aria-current="page">{unit.name.clone()}</li>
            </ol>
        </nav>
        <section class="page">
            <h1>{unit.name.clone()}</h1>
            <dl class="facts">
                <div>
                    <dt>{t!(i18n, units.code)}</dt>
                    <dd class="code">{unit.code.clone()}</dd>
                </div>
                <div>
                    <dt>{t!(i18n, units.col_type)}</dt>
                    <dd>{kind}</dd>
                </div>
                <div>
                    <dt>{t!(i18n, units.level)}</dt>
                    <dd>{move || level_label(i18n, unit.level)}</dd>
                </div>
                {parent
                    .map(|p| {
                        view! {
                            <div>
                                <dt>{t!(i18n, units.parent)}</dt>
                                <dd><A href=format!("/units/{}", p.code)>{p.name}</A></dd>
                            </div>
                        }
                    })}
            </dl>
            <section aria-labelledby="children-heading">
                <h2 id="children-heading">{t!(i18n, units.children_heading)}</h2>
                {if has_children {
                    view! {
                        <div class="table-wrap" tabindex="0">
                            <table class="data">
                                <caption class="visually-hidden">{t!(i18n, units.children_heading)}</caption>
                                <thead>
                                    <tr>
                                        <th scope="col">{t!(i18n, units.col_code)}</th>
                                        <th scope="col">{t!(i18n, units.col_name)}</th>
                                        <th scope="col">{t!(i18n, units.col_type)}</th>
                                        <th scope="col" class="num">
                                            {t!(i18n, units.col_children)}
                                        </th>
                                    </tr>
                                </thead>
                                <tbody>
                                    {children
                                        .into_iter()
                                        .map(|unit| view! { <UnitRow unit /> })
                                        .collect_view()}
                                </tbody>
                            </table>
                        </div>
                    }
                        .into_any()
                } else {
                    view! { <p>{t!(i18n, units.no_children)}</p> }.into_any()
                }}
            </section>
        </section>
    }
}
