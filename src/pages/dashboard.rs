//! `/dashboard` and `/dashboard/{code}`: progress over a unit's subtree, drilling down to
//! any unit below it.

use crate::api::dashboard::get_dashboard;
use crate::components::error::{ErrorPage, FilterRefused};
use crate::components::format::count;
use crate::components::labels::{category_label, classification_options};
use crate::components::tasks::{ProgressBar, TaskTable};
use crate::components::title::page_title;
use crate::i18n::*;
use crate::model::Classification;
use crate::model::dashboard::{
    ChildSort, Dashboard, DashboardFilter, FeedbackSummary, Figures, Freshness, QUIET_DAYS_MAX,
    TrendChart, TrendWeek,
};
use crate::model::feedback::FeedbackFigures;
use crate::model::indicator::StatusCounts;
use crate::model::nav::encode_query_value;
use leptos::prelude::*;
use leptos_i18n::I18nContext;
use leptos_router::components::{A, Form};
use leptos_router::hooks::{use_params_map, use_query_map};

/// The query string that carries a filter from one dashboard to another.
fn filter_query(filter: &DashboardFilter, sort: ChildSort, descending: bool) -> String {
    let mut parts = Vec::new();
    if let Some(id) = filter.document {
        parts.push(format!("document={id}"));
    }
    for (key, value) in [("from", &filter.from), ("to", &filter.to)] {
        if let Some(value) = value.as_deref().filter(|v| !v.is_empty()) {
            parts.push(format!("{key}={}", encode_query_value(value)));
        }
    }
    if let Some(level) = filter.classification {
        parts.push(format!("classification={}", level.as_str()));
    }
    if let Some(quiet) = filter.quiet.as_deref().filter(|v| !v.trim().is_empty()) {
        parts.push(format!("quiet={}", encode_query_value(quiet)));
    }
    if sort != ChildSort::Name {
        parts.push(format!("sort={}", sort.as_str()));
    }
    if descending {
        parts.push("desc=1".to_owned());
    }
    if parts.is_empty() {
        String::new()
    } else {
        format!("?{}", parts.join("&"))
    }
}

fn dashboard_href(code: &str, filter: &DashboardFilter) -> String {
    format!(
        "/dashboard/{}{}",
        encode_query_value(code),
        filter_query(filter, filter.sort, filter.descending)
    )
}

#[component]
pub fn DashboardPage() -> impl IntoView {
    let i18n = use_i18n();
    let params = use_params_map();
    let query = use_query_map();
    let code = Memo::new(move |_| params.read().get("code").unwrap_or_default());
    let filter = Memo::new(move |_| {
        let query = query.read();
        let text = |key: &str| query.get(key).filter(|v| !v.trim().is_empty());
        DashboardFilter {
            document: text("document").and_then(|d| d.parse().ok()),
            from: text("from"),
            to: text("to"),
            classification: text("classification").and_then(|c| c.parse().ok()),
            sort: text("sort")
                .and_then(|s| ChildSort::parse(&s))
                .unwrap_or_default(),
            descending: text("desc").is_some_and(|d| d == "1"),
            quiet: text("quiet"),
        }
    });
    let dashboard = Resource::new(
        move || (code.get(), filter.get()),
        |(code, filter)| get_dashboard(code, filter),
    );
    let body = move || {
        Suspend::new(async move {
            match dashboard.await {
                Ok(data) => {
                    view! { <DashboardView data filter=filter.get_untracked() /> }.into_any()
                }
                Err(error @ crate::model::AppError::Invalid { .. }) => {
                    let clear = match code.get_untracked() {
                        code if code.is_empty() => "/dashboard".to_owned(),
                        code => format!("/dashboard/{}", encode_query_value(&code)),
                    };
                    view! {
                        <FilterRefused error fields=&["document", "from", "to", "classification", "quiet"] clear />
                    }
                    .into_any()
                }
                Err(error) => view! { <ErrorPage error /> }.into_any(),
            }
        })
    };
    view! {
        {page_title(move || t_string!(i18n, dash.title).to_owned())}
        <section class="page dashboard">
            <Suspense fallback=move || view! { <p>{t!(i18n, common.loading)}</p> }>{body}</Suspense>
        </section>
    }
}

#[component]
fn DashboardView(data: Dashboard, filter: DashboardFilter) -> impl IntoView {
    let i18n = use_i18n();
    let Dashboard {
        unit,
        trail,
        figures,
        key,
        indicators,
        freshness,
        documents,
        children,
        nearest,
        most_overdue,
        trend,
        trend_chart,
        document_options,
        clearance,
        feedback,
    } = data;
    let period = filter.from.is_some() || filter.to.is_some();
    // Filtered to the quiet units, the table stays to say that none is.
    let has_children = !children.is_empty() || filter.quiet.is_some();
    let code = unit.code.clone();
    view! {
        <nav class="breadcrumb" aria-label=move || t_string!(i18n, units.trail_label)>
            <ol>
                {trail
                    .into_iter()
                    .map(|above| {
                        let href = dashboard_href(&above.code, &filter);
                        view! { <li><A href=href>{above.name}</A></li> }
                    })
                    .collect_view()}
                <li aria-current="page">{unit.name.clone()}</li>
            </ol>
        </nav>
        <h1>{t!(i18n, dash.heading, unit = unit.name.clone())}</h1>
        <DashboardFilterForm code=code.clone() filter=filter.clone() document_options clearance />
        {period.then(|| view! { <p class="muted">{t!(i18n, dash.period_note)}</p> })}
        <Headline figures label=t_string!(i18n, dash.headline) />
        <p class="muted">{t!(i18n, dash.buckets_note)}</p>
        <section aria-labelledby="key-heading">
            <h2 id="key-heading">{t!(i18n, dash.key_tasks)}</h2>
            {if key.tasks == 0 {
                view! { <p>{t!(i18n, dash.no_key_tasks)}</p> }.into_any()
            } else {
                view! { <Headline figures=key label=t_string!(i18n, dash.key_tasks) /> }.into_any()
            }}
        </section>

        <FreshnessFigures freshness code=code.clone() />

        <IndicatorFigures indicators children=children.clone() filter=filter.clone() />

        <section aria-labelledby="documents-heading">
            <h2 id="documents-heading">{t!(i18n, dash.by_document)}</h2>
            {if documents.is_empty() {
                view! { <p>{t!(i18n, dash.no_tasks)}</p> }.into_any()
            } else {
                view! {
                    <div class="table-wrap" tabindex="0">
                        <table class="data figures">
                            <caption class="visually-hidden">{t!(i18n, dash.by_document)}</caption>
                            <thead>
                                <tr>
                                    <th scope="col">{t!(i18n, dash.col_document)}</th>
                                    <th scope="col" class="num">{t!(i18n, dash.tasks)}</th>
                                    <th scope="col" class="num">{t!(i18n, dash.completed)}</th>
                                    <th scope="col" class="num">{t!(i18n, dash.overdue)}</th>
                                    <th scope="col">{t!(i18n, dash.average_progress)}</th>
                                </tr>
                            </thead>
                            <tbody>
                                {documents
                                    .into_iter()
                                    .map(|row| {
                                        let f = row.figures;
                                        view! {
                                            <tr>
                                                <th scope="row">
                                                    <A href=format!("/documents/{}", row.document.id)>{row.document.code.clone()}</A>
                                                    <span class="muted">" · " {row.document.title.clone()}</span>
                                                </th>
                                                <td class="num">{move || count(i18n.get_locale(), f.tasks)}</td>
                                                <td class="num">{move || count(i18n.get_locale(), f.done + f.done_late)}</td>
                                                <td class="num">{move || count(i18n.get_locale(), f.overdue)}</td>
                                                <td><ProgressBar value=progress_value(&f) /></td>
                                            </tr>
                                        }
                                    })
                                    .collect_view()}
                            </tbody>
                        </table>
                    </div>
                }
                    .into_any()
            }}
        </section>

        {has_children.then(|| view! { <ChildTable children filter=filter.clone() /> })}

        <Trend weeks=trend chart=trend_chart />

        <section aria-labelledby="nearest-heading">
            <h2 id="nearest-heading">{t!(i18n, dash.nearest)}</h2>
            {if nearest.is_empty() {
                view! { <p>{t!(i18n, dash.none_nearest)}</p> }.into_any()
            } else {
                view! { <TaskTable rows=nearest caption=t_string!(i18n, dash.nearest) /> }.into_any()
            }}
        </section>
        <section aria-labelledby="overdue-heading">
            <h2 id="overdue-heading">{t!(i18n, dash.most_overdue)}</h2>
            {if most_overdue.is_empty() {
                view! { <p>{t!(i18n, dash.none_overdue)}</p> }.into_any()
            } else {
                view! { <TaskTable rows=most_overdue caption=t_string!(i18n, dash.most_overdue) /> }.into_any()
            }}
        </section>
        <FeedbackSection feedback />
    }
}

/// A time to answer, in hours or, beyond two days, in days.
fn duration_text(i18n: I18nContext<Locale>, hours: Option<f64>) -> String {
    match hours {
        None => "—".to_owned(),
        Some(hours) if hours < 48.0 => {
            let value = format_decimal(i18n.get_locale(), hours);
            t_string!(i18n, dash.hours, value = value)
        }
        Some(hours) => {
            let value = format_decimal(i18n.get_locale(), hours / 24.0);
            t_string!(i18n, dash.days, value = value)
        }
    }
}

/// One decimal, with the language's decimal mark.
fn format_decimal(locale: Locale, value: f64) -> String {
    let text = format!("{value:.1}");
    match locale {
        Locale::vi => text.replace('.', ","),
        Locale::en => text,
    }
}

/// Feedback from citizens and businesses handled in the scope.
#[component]
fn FeedbackSection(feedback: FeedbackSummary) -> impl IntoView {
    let i18n = use_i18n();
    let FeedbackSummary {
        total,
        by_category,
        by_unit,
    } = feedback;
    let number = move |n: u64| move || count(i18n.get_locale(), n);
    let row = move |name: AnyView, f: FeedbackFigures| {
        view! {
            <tr>
                <th scope="row">{name}</th>
                <td class="num">{number(f.received)}</td>
                <td class="num">{number(f.answered)}</td>
                <td class="num">{number(f.open)}</td>
                <td class="num">{move || duration_text(i18n, f.median_hours_to_answer)}</td>
            </tr>
        }
    };
    let table = move |caption: &'static str, first: AnyView, rows: Vec<AnyView>| {
        view! {
            <div class="table-wrap" tabindex="0">
                <table class="data figures">
                    <caption class="visually-hidden">{caption}</caption>
                    <thead>
                        <tr>
                            <th scope="col">{first}</th>
                            <th scope="col" class="num">{t!(i18n, dash.fb_received)}</th>
                            <th scope="col" class="num">{t!(i18n, dash.fb_answered)}</th>
                            <th scope="col" class="num">{t!(i18n, dash.fb_open)}</th>
                            <th scope="col" class="num">{t!(i18n, dash.fb_median)}</th>
                        </tr>
                    </thead>
                    <tbody>{rows}</tbody>
                </table>
            </div>
        }
    };
    let by_category = by_category
        .into_iter()
        .map(|(category, f)| {
            row(
                view! { {move || category_label(i18n, category)} }.into_any(),
                f,
            )
            .into_any()
        })
        .collect::<Vec<_>>();
    let by_unit = by_unit
        .into_iter()
        .map(|(unit, f)| row(view! { {unit.name} }.into_any(), f).into_any())
        .collect::<Vec<_>>();
    view! {
        <section aria-labelledby="feedback-heading">
            <h2 id="feedback-heading">{t!(i18n, dash.feedback)}</h2>
            <p class="muted">{t!(i18n, dash.feedback_note)}</p>
            <dl class="stats">
                <div>
                    <dt>{t!(i18n, dash.fb_received)}</dt>
                    <dd>{number(total.received)}</dd>
                </div>
                <div>
                    <dt>{t!(i18n, dash.fb_answered)}</dt>
                    <dd>{number(total.answered)}</dd>
                </div>
                <div>
                    <dt>{t!(i18n, dash.fb_open)}</dt>
                    <dd>{number(total.open)}</dd>
                </div>
                <div>
                    <dt>{t!(i18n, dash.fb_median)}</dt>
                    <dd>{move || duration_text(i18n, total.median_hours_to_answer)}</dd>
                </div>
            </dl>
            {(!by_category.is_empty())
                .then(|| table(t_string!(i18n, dash.fb_by_category), t!(i18n, dash.fb_by_category).into_any(), by_category))}
            {(!by_unit.is_empty()).then(|| table(t_string!(i18n, dash.fb_by_unit), t!(i18n, dash.fb_by_unit).into_any(), by_unit))}
        </section>
    }
}

/// The weekly trend: two server-drawn charts, each named by its caption, and the same
/// figures as a table for screen readers and for anyone who wants the numbers.
#[component]
fn Trend(weeks: Vec<TrendWeek>, chart: TrendChart) -> impl IntoView {
    let i18n = use_i18n();
    let number = move |n: u64| move || count(i18n.get_locale(), n);
    view! {
        <section aria-labelledby="trend-heading">
            <h2 id="trend-heading">{t!(i18n, dash.trend)}</h2>
            <p class="muted">{t!(i18n, dash.trend_note)}</p>
            <div class="charts">
                <figure class="chart">
                    <figcaption id="trend-completed">{t!(i18n, dash.trend_completed)}</figcaption>
                    // Drawn by the server from numbers and dates only (`TrendChart`).
                    <div role="img" aria-labelledby="trend-completed" inner_html=chart.completed></div>
                </figure>
                <figure class="chart">
                    <figcaption id="trend-overdue">{t!(i18n, dash.trend_overdue)}</figcaption>
                    <div role="img" aria-labelledby="trend-overdue" inner_html=chart.overdue></div>
                </figure>
            </div>
            <details>
                <summary>{t!(i18n, dash.trend_table)}</summary>
                <div class="table-wrap" tabindex="0">
                    <table class="data figures">
                        <caption class="visually-hidden">{t!(i18n, dash.trend_table)}</caption>
                        <thead>
                            <tr>
                                <th scope="col">{t!(i18n, dash.col_week)}</th>
                                <th scope="col" class="num">{t!(i18n, dash.col_completed)}</th>
                                <th scope="col" class="num">{t!(i18n, dash.col_overdue)}</th>
                            </tr>
                        </thead>
                        <tbody>
                            {weeks
                                .into_iter()
                                .map(|week| {
                                    view! {
                                        <tr>
                                            <th scope="row">{week.week_start.display()}</th>
                                            <td class="num">{number(week.completed)}</td>
                                            <td class="num">{number(week.overdue)}</td>
                                        </tr>
                                    }
                                })
                                .collect_view()}
                        </tbody>
                    </table>
                </div>
            </details>
        </section>
    }
}

fn progress_value(figures: &Figures) -> i16 {
    i16::try_from(figures.average_progress()).unwrap_or(100)
}

/// The headline figures, as a list of terms and values: the four figures of the
/// Government Office's reports first, then both completion rates, each with its
/// definition.
#[component]
fn Headline(figures: Figures, label: &'static str) -> impl IntoView {
    let i18n = use_i18n();
    let f = figures;
    let locale = i18n.get_locale_untracked();
    let number = move |n: u64| count(locale, n);
    view! {
        <dl class="stats" aria-label=label>
            <div><dt>{t!(i18n, dash.tasks)}</dt><dd>{number(f.tasks)}</dd></div>
            <div><dt>{t!(i18n, dash.done)}</dt><dd>{number(f.done)}</dd></div>
            <div><dt>{t!(i18n, dash.done_late)}</dt><dd>{number(f.done_late)}</dd></div>
            <div><dt>{t!(i18n, dash.within_deadline)}</dt><dd>{number(f.within_deadline())}</dd></div>
            <div class="stat-alert"><dt>{t!(i18n, dash.overdue)}</dt><dd>{number(f.overdue)}</dd></div>
            <div><dt>{t!(i18n, dash.extended)}</dt><dd>{number(f.extended)}</dd></div>
            <div><dt>{t!(i18n, dash.in_progress)}</dt><dd>{number(f.in_progress)}</dd></div>
            <div><dt>{t!(i18n, dash.not_started)}</dt><dd>{number(f.not_started)}</dd></div>
            <div>
                <dt>{t!(i18n, dash.rate_assigned)} <span class="definition">{t!(i18n, dash.rate_assigned_def)}</span></dt>
                <dd>{format!("{} %", f.completion_rate())}</dd>
            </div>
            <div>
                <dt>{t!(i18n, dash.rate_due)} <span class="definition">{t!(i18n, dash.rate_due_def)}</span></dt>
                <dd>{format!("{} %", f.completion_of_due())}</dd>
            </div>
            <div><dt>{t!(i18n, dash.average_progress)}</dt><dd>{format!("{} %", f.average_progress())}</dd></div>
        </dl>
    }
}

/// Where the scope's indicators stand, and the same for each unit directly below that
/// carries any (each row drills down).
#[component]
fn IndicatorFigures(
    indicators: StatusCounts,
    children: Vec<crate::model::dashboard::ChildFigures>,
    filter: DashboardFilter,
) -> impl IntoView {
    let i18n = use_i18n();
    let locale = i18n.get_locale_untracked();
    let number = move |n: u32| count(locale, n);
    let rows: Vec<_> = children
        .into_iter()
        .filter(|c| c.indicators.total() > 0)
        .collect();
    view! {
        <section aria-labelledby="indicators-heading">
            <h2 id="indicators-heading">{t!(i18n, ind.title)}</h2>
            {if indicators.total() == 0 {
                view! { <p>{t!(i18n, dash.no_indicators)}</p> }.into_any()
            } else {
                view! {
                    <dl class="stats" aria-label=t_string!(i18n, ind.title)>
                        <div><dt>{t!(i18n, dash.indicators)}</dt><dd>{number(indicators.total())}</dd></div>
                        <div><dt>{t!(i18n, ind.on_track)}</dt><dd>{number(indicators.on_track)}</dd></div>
                        <div><dt>{t!(i18n, ind.at_risk)}</dt><dd>{number(indicators.at_risk)}</dd></div>
                        <div class="stat-alert"><dt>{t!(i18n, ind.off_track)}</dt><dd>{number(indicators.off_track)}</dd></div>
                        <div><dt>{t!(i18n, ind.no_data)}</dt><dd>{number(indicators.no_data)}</dd></div>
                    </dl>
                    <p class="muted">{t!(i18n, dash.indicators_note)}</p>
                }
                    .into_any()
            }}
            {(!rows.is_empty())
                .then(|| {
                    view! {
                        <div class="table-wrap" tabindex="0">
                            <table class="data figures">
                                <caption>{t!(i18n, dash.indicators_by_unit)}</caption>
                                <thead>
                                    <tr>
                                        <th scope="col">{t!(i18n, dash.col_unit)}</th>
                                        <th scope="col" class="num">{t!(i18n, dash.indicators)}</th>
                                        <th scope="col" class="num">{t!(i18n, ind.on_track)}</th>
                                        <th scope="col" class="num">{t!(i18n, ind.at_risk)}</th>
                                        <th scope="col" class="num">{t!(i18n, ind.off_track)}</th>
                                        <th scope="col" class="num">{t!(i18n, ind.no_data)}</th>
                                    </tr>
                                </thead>
                                <tbody>
                                    {rows
                                        .into_iter()
                                        .map(|row| {
                                            let c = row.indicators;
                                            view! {
                                                <tr>
                                                    <th scope="row"><a href=dashboard_href(&row.unit.code, &filter)>{row.unit.name}</a></th>
                                                    {[c.total(), c.on_track, c.at_risk, c.off_track, c.no_data]
                                                        .into_iter()
                                                        .map(|n| view! { <td class="num">{number(n)}</td> })
                                                        .collect_view()}
                                                </tr>
                                            }
                                        })
                                        .collect_view()}
                                </tbody>
                            </table>
                        </div>
                    }
                })}
        </section>
    }
}

fn sort_label(i18n: I18nContext<Locale>, sort: ChildSort) -> &'static str {
    match sort {
        ChildSort::Name => t_string!(i18n, dash.col_unit),
        ChildSort::Tasks => t_string!(i18n, dash.tasks),
        ChildSort::Done => t_string!(i18n, dash.done),
        ChildSort::DoneLate => t_string!(i18n, dash.done_late),
        ChildSort::InProgress => t_string!(i18n, dash.in_progress),
        ChildSort::NotStarted => t_string!(i18n, dash.not_started),
        ChildSort::Overdue => t_string!(i18n, dash.overdue),
        ChildSort::Extended => t_string!(i18n, dash.extended),
        ChildSort::Completion => t_string!(i18n, dash.rate_assigned),
        ChildSort::Progress => t_string!(i18n, dash.average_progress),
        ChildSort::Quiet => t_string!(i18n, dash.quiet),
        ChildSort::Updated => t_string!(i18n, dash.updated),
        ChildSort::Silent => t_string!(i18n, dash.silent),
    }
}

/// How up to date the scope's work is this period, with a way to the units that sent
/// nothing.
#[component]
fn FreshnessFigures(freshness: Freshness, code: String) -> impl IntoView {
    let i18n = use_i18n();
    let share = move |part: u64, whole: u64, share: Option<u64>| {
        move || match share {
            None => t_string!(i18n, dash.nothing_open).to_owned(),
            Some(share) => {
                let locale = i18n.get_locale();
                t_string!(
                    i18n,
                    dash.share_of,
                    part = count(locale, part),
                    whole = count(locale, whole),
                    share = share
                )
            }
        }
    };
    let last = freshness.last_update;
    let quiet = freshness.days_quiet;
    let silent = freshness.units_silent;
    view! {
        <section aria-labelledby="freshness-heading">
            <h2 id="freshness-heading">{t!(i18n, dash.freshness)}</h2>
            <dl class="facts">
                <dt>{t!(i18n, dash.last_update)}</dt>
                <dd>
                    {move || match (last, quiet) {
                        (Some(day), Some(days)) => {
                            let date = day.display();
                            t_string!(i18n, dash.days_ago, days = days, date = date)
                        }
                        _ => t_string!(i18n, dash.never_updated).to_owned(),
                    }}
                </dd>
                <dt>{t!(i18n, dash.tasks_updated)}</dt>
                <dd>{share(freshness.tasks_updated, freshness.open_tasks, freshness.tasks_share())}</dd>
                <dt>{t!(i18n, dash.indicators_updated)}</dt>
                <dd>{share(freshness.indicators_updated, freshness.indicators, freshness.indicators_share())}</dd>
                <dt>{t!(i18n, dash.units_silent)}</dt>
                <dd>
                    {move || count(i18n.get_locale(), silent)}
                    {(silent > 0).then(|| {
                        let href = format!("/periods?unit={}", encode_query_value(&code));
                        view! { " · " <A href=href>{t!(i18n, dash.see_periods)}</A> }
                    })}
                </dd>
            </dl>
            <p class="muted">{t!(i18n, dash.freshness_note)}</p>
        </section>
    }
}

/// A child unit's freshness cells, in the order of `ChildSort::ALL`'s last three.
#[component]
fn FreshnessCells(freshness: Freshness) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <td class="num">
            {move || match freshness.days_quiet {
                Some(days) => count(i18n.get_locale(), days.unsigned_abs()),
                None => t_string!(i18n, dash.never).to_owned(),
            }}
        </td>
        <td class="num">
            {freshness.tasks_share().map_or_else(|| "—".to_owned(), |share| format!("{share} %"))}
        </td>
        <td class="num">{move || count(i18n.get_locale(), freshness.units_silent)}</td>
    }
}

/// The child units with their figures; each heading sorts, each row drills down.
#[component]
fn ChildTable(
    children: Vec<crate::model::dashboard::ChildFigures>,
    filter: DashboardFilter,
) -> impl IntoView {
    let i18n = use_i18n();
    let none_quiet = children.is_empty();
    let header = {
        let filter = filter.clone();
        move |sort: ChildSort| {
            let current = filter.sort == sort;
            // A second click on the sorted column turns the order round; figures start
            // with the largest, names with A.
            let descending = if current {
                !filter.descending
            } else {
                sort != ChildSort::Name
            };
            let href = format!(
                "?{}",
                filter_query(&filter, sort, descending).trim_start_matches('?')
            );
            let aria_sort = current.then_some(if filter.descending {
                "descending"
            } else {
                "ascending"
            });
            let class = if sort == ChildSort::Name { "" } else { "num" };
            view! {
                <th scope="col" class=class aria-sort=aria_sort>
                    <A href=href>{move || sort_label(i18n, sort)}</A>
                </th>
            }
        }
    };
    view! {
        <section aria-labelledby="children-heading">
            <h2 id="children-heading">{t!(i18n, dash.by_unit)}</h2>
            <div class="table-wrap" tabindex="0">
                <table class="data figures">
                    <caption class="visually-hidden">{t!(i18n, dash.by_unit)}</caption>
                    <thead>
                        <tr>{ChildSort::ALL.into_iter().map(header).collect_view()}</tr>
                    </thead>
                    <tbody>
                        {children
                            .into_iter()
                            .map(|row| {
                                let f = row.figures;
                                // A province has a hundred communes and more: one plain link
                                // and one reactive cell group a row keep the page light
                                // (the router still takes over plain links).
                                let figures = move || {
                                    let locale = i18n.get_locale();
                                    [f.tasks, f.done, f.done_late, f.in_progress, f.not_started, f.overdue, f.extended]
                                        .into_iter()
                                        .map(|n| view! { <td class="num">{count(locale, n)}</td> })
                                        .collect_view()
                                };
                                view! {
                                    <tr>
                                        <th scope="row">
                                            <a href=dashboard_href(&row.unit.code, &filter)>{row.unit.name}</a>
                                        </th>
                                        {figures}
                                        <td class="num">{format!("{} %", f.completion_rate())}</td>
                                        <td class="num">{format!("{} %", f.average_progress())}</td>
                                        <FreshnessCells freshness=row.freshness />
                                    </tr>
                                }
                            })
                            .collect_view()}
                    </tbody>
                </table>
            </div>
            {none_quiet.then(|| view! { <p>{t!(i18n, dash.no_quiet_units)}</p> })}
        </section>
    }
}

/// Narrows the dashboard: a plain GET form, so it works without JavaScript.
#[component]
fn DashboardFilterForm(
    code: String,
    filter: DashboardFilter,
    document_options: Vec<crate::model::task::DocumentRef>,
    clearance: Classification,
) -> impl IntoView {
    let i18n = use_i18n();
    let action = format!("/dashboard/{}", encode_query_value(&code));
    view! {
        <Form method="GET" action=action.clone() attr:class="filters">
            <div class="field">
                <label for="dash-document">{t!(i18n, dash.filter_document)}</label>
                <select id="dash-document" name="document">
                    <option value="" selected=filter.document.is_none()>{t!(i18n, docs.any)}</option>
                    {document_options
                        .into_iter()
                        .map(|d| {
                            view! {
                                <option value=d.id.to_string() selected=filter.document == Some(d.id)>
                                    {d.code.clone()}
                                </option>
                            }
                        })
                        .collect_view()}
                </select>
            </div>
            <div class="field">
                <label for="dash-from">{t!(i18n, dash.filter_from)}</label>
                <input id="dash-from" type="date" name="from" value=filter.from.clone().unwrap_or_default() />
            </div>
            <div class="field">
                <label for="dash-to">{t!(i18n, dash.filter_to)}</label>
                <input id="dash-to" type="date" name="to" value=filter.to.clone().unwrap_or_default() />
            </div>
            <div class="field">
                <label for="dash-classification">{t!(i18n, docs.filter_classification)}</label>
                <select id="dash-classification" name="classification">
                    <option value="" selected=filter.classification.is_none()>{t!(i18n, docs.any)}</option>
                    {classification_options(
                        i18n,
                        Classification::ALL.into_iter().filter(|level| *level <= clearance).collect(),
                        filter.classification,
                    )}
                </select>
            </div>
            <div class="field">
                <label for="dash-quiet">{t!(i18n, dash.filter_quiet)}</label>
                <input id="dash-quiet" type="number" inputmode="numeric" min="1" max=QUIET_DAYS_MAX name="quiet" value=filter.quiet.clone().unwrap_or_default() />
            </div>
            <div class="filter-actions">
                <button type="submit" class="primary">{t!(i18n, docs.filter)}</button>
                <A href=action>{t!(i18n, docs.clear)}</A>
            </div>
        </Form>
    }
}
