//! `/periods`: for one document and period, which units below an official's unit have
//! sent their progress reports, drilling down unit by unit.

use crate::api::periods::get_periods;
use crate::components::error::{ErrorPage, FilterRefused};
use crate::components::format::count;
use crate::components::labels::{cycle_label, period_label};
use crate::components::title::page_title;
use crate::i18n::*;
use crate::model::UnitRef;
use crate::model::nav::encode_query_value;
use crate::model::period::{PeriodsFilter, PeriodsPage, StateCounts, SubmissionState};
use leptos::prelude::*;
use leptos_i18n::I18nContext;
use leptos_router::components::Form;
use leptos_router::hooks::use_query_map;

pub fn state_label(i18n: I18nContext<Locale>, state: SubmissionState) -> &'static str {
    match state {
        SubmissionState::NotDueYet => t_string!(i18n, periods.not_due_yet),
        SubmissionState::Due => t_string!(i18n, periods.due),
        SubmissionState::Submitted => t_string!(i18n, periods.submitted),
        SubmissionState::Late => t_string!(i18n, periods.late),
        SubmissionState::Accepted => t_string!(i18n, periods.accepted),
        SubmissionState::Returned => t_string!(i18n, periods.returned),
        SubmissionState::Missing => t_string!(i18n, periods.missing),
    }
}

/// The badge's look: what is owed stands out.
fn state_class(state: SubmissionState) -> &'static str {
    match state {
        SubmissionState::Accepted => "badge badge-done",
        SubmissionState::Submitted | SubmissionState::NotDueYet => "badge",
        SubmissionState::Late | SubmissionState::Due => "badge badge-done_late",
        SubmissionState::Returned | SubmissionState::Missing => "badge badge-overdue",
    }
}

fn href(unit: &str, document: Option<i32>, period: &str) -> String {
    let mut query = format!("/periods?unit={}", encode_query_value(unit));
    if let Some(document) = document {
        query.push_str(&format!("&document={document}"));
    }
    query.push_str(&format!("&period={}", encode_query_value(period)));
    query
}

#[component]
pub fn ReportingPeriodsPage() -> impl IntoView {
    let i18n = use_i18n();
    let query = use_query_map();
    let filter = Memo::new(move |_| {
        let query = query.read();
        let text = |key: &str| query.get(key).filter(|v| !v.trim().is_empty());
        PeriodsFilter {
            unit: text("unit"),
            document: text("document").and_then(|d| d.parse().ok()),
            period: text("period"),
        }
    });
    let page = Resource::new(move || filter.get(), get_periods);
    let body = move || {
        Suspend::new(async move {
            match page.await {
                Ok(page) => view! { <PeriodsView page /> }.into_any(),
                Err(error @ crate::model::AppError::Invalid { .. }) => {
                    view! { <FilterRefused error fields=&["document", "period"] clear="/periods" /> }
                        .into_any()
                }
                Err(error) => view! { <ErrorPage error /> }.into_any(),
            }
        })
    };
    view! {
        {page_title(move || t_string!(i18n, periods.title).to_owned())}
        <section class="page">
            <Suspense fallback=move || view! { <p>{t!(i18n, common.loading)}</p> }>{body}</Suspense>
        </section>
    }
}

#[component]
fn PeriodsView(page: PeriodsPage) -> impl IntoView {
    let i18n = use_i18n();
    let code = page.period.code();
    let document_id = page.document.as_ref().map(|d| d.id);
    let cut_off = page.period.cut_off(page.cut_off_day);
    let totals = page.totals;
    let value_totals = page.value_totals;
    view! {
        <h1>{t!(i18n, periods.heading, unit = page.unit.name.clone())}</h1>
        <Form method="GET" action="/periods" attr:class="filters">
            <input type="hidden" name="unit" value=page.unit.code.clone() />
            <div class="field">
                <label for="periods-document">{t!(i18n, periods.document)}</label>
                <select id="periods-document" name="document">
                    {page
                        .documents
                        .iter()
                        .map(|d| {
                            view! {
                                <option value=d.id.to_string() selected=document_id == Some(d.id)>
                                    {format!("{} · {}", d.code, d.title)}
                                </option>
                            }
                        })
                        .collect_view()}
                </select>
            </div>
            <div class="field">
                <label for="periods-period">{t!(i18n, periods.period)}</label>
                <select id="periods-period" name="period">
                    {page
                        .periods
                        .iter()
                        .map(|p| {
                            view! {
                                <option value=p.code() selected=*p == page.period>
                                    {period_label(i18n, *p)}
                                </option>
                            }
                        })
                        .collect_view()}
                </select>
            </div>
            <div class="filter-actions">
                <button type="submit" class="primary">{t!(i18n, periods.show)}</button>
            </div>
        </Form>
        {match page.document.clone() {
            None => view! { <p>{t!(i18n, periods.no_documents)}</p> }.into_any(),
            Some(document) => {
                view! {
                    <p class="lead">
                        {t_string!(
                            i18n,
                            periods.lead,
                            document = document.code.clone(),
                            period = period_label(i18n, page.period),
                            cycle = cycle_label(i18n, page.cycle),
                            cut_off = cut_off.display()
                        )}
                    </p>
                    <Totals totals label=t_string!(i18n, periods.totals) />
                    <p class="muted">{t!(i18n, periods.note)}</p>
                    <Rows
                        rows={page.rows.iter().filter(|r| r.counts.expected() > 0).map(|r| (r.unit.clone(), r.counts, r.own, r.below)).collect::<Vec<_>>()}
                        caption=t_string!(i18n, periods.caption)
                        document=document.id
                        period=code.clone()
                    />
                    <section aria-labelledby="values-heading">
                        <h2 id="values-heading">{t!(i18n, periods.values_heading)}</h2>
                        {if value_totals.expected() == 0 {
                            view! { <p>{t!(i18n, periods.no_indicators)}</p> }.into_any()
                        } else {
                            view! {
                                <Totals totals=value_totals label=t_string!(i18n, periods.value_totals) />
                                <p class="muted">{t!(i18n, periods.values_note)}</p>
                                <Rows
                                    rows={page.rows.iter().filter(|r| r.values.expected() > 0).map(|r| (r.unit.clone(), r.values, r.own_values, r.values_below)).collect::<Vec<_>>()}
                                    caption=t_string!(i18n, periods.values_caption)
                                    document=document.id
                                    period=code
                                />
                            }
                                .into_any()
                        }}
                    </section>
                }
                    .into_any()
            }
        }}
    }
}

/// How many units must report, and where they stand.
#[component]
fn Totals(totals: StateCounts, label: &'static str) -> impl IntoView {
    let i18n = use_i18n();
    let locale = i18n.get_locale_untracked();
    let number = move |n: u32| count(locale, u64::from(n));
    view! {
        <dl class="stats" aria-label=label>
            <div><dt>{t!(i18n, periods.col_expected)}</dt><dd>{number(totals.expected())}</dd></div>
            <div><dt>{t!(i18n, periods.col_reported)}</dt><dd>{number(totals.reported())}</dd></div>
            <div><dt>{t!(i18n, periods.col_late)}</dt><dd>{number(totals.late)}</dd></div>
            <div><dt>{t!(i18n, periods.col_returned)}</dt><dd>{number(totals.returned)}</dd></div>
            <div class="stat-alert"><dt>{t!(i18n, periods.col_not_reported)}</dt><dd>{number(totals.not_reported())}</dd></div>
        </dl>
    }
}

/// One row per unit: `(unit, the states below it, its own state, whether it has
/// reporting units below)`.
type Row = (UnitRef, StateCounts, Option<SubmissionState>, bool);

#[component]
fn Rows(rows: Vec<Row>, caption: &'static str, document: i32, period: String) -> impl IntoView {
    let i18n = use_i18n();
    let locale = i18n.get_locale_untracked();
    let number = move |n: u32| count(locale, u64::from(n));
    if rows.is_empty() {
        return view! { <p>{t!(i18n, periods.nobody)}</p> }.into_any();
    }
    let counts = move |c: StateCounts| {
        [
            c.expected(),
            c.reported(),
            c.late,
            c.returned,
            c.not_reported(),
        ]
        .into_iter()
        .map(|n| view! { <td class="num">{number(n)}</td> })
        .collect_view()
    };
    view! {
        <div class="table-wrap" tabindex="0">
            <table class="data figures">
                <caption>{caption}</caption>
                <thead>
                    <tr>
                        <th scope="col">{t!(i18n, periods.col_unit)}</th>
                        <th scope="col">{t!(i18n, periods.col_state)}</th>
                        <th scope="col" class="num">{t!(i18n, periods.col_expected)}</th>
                        <th scope="col" class="num">{t!(i18n, periods.col_reported)}</th>
                        <th scope="col" class="num">{t!(i18n, periods.col_late)}</th>
                        <th scope="col" class="num">{t!(i18n, periods.col_returned)}</th>
                        <th scope="col" class="num">{t!(i18n, periods.col_not_reported)}</th>
                    </tr>
                </thead>
                <tbody>
                    {rows
                        .into_iter()
                        .map(|(unit, states, own, below)| {
                            let name = if below {
                                view! { <a href=href(&unit.code, Some(document), &period)>{unit.name.clone()}</a> }.into_any()
                            } else {
                                view! { <span>{unit.name.clone()}</span> }.into_any()
                            };
                            view! {
                                <tr>
                                    <th scope="row">{name}</th>
                                    <td>
                                        {own.map(|state| view! { <span class=state_class(state)>{state_label(i18n, state)}</span> })}
                                    </td>
                                    {counts(states)}
                                </tr>
                            }
                        })
                        .collect_view()}
                </tbody>
            </table>
        </div>
    }
    .into_any()
}
