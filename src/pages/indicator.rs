//! `/indicators/{id}`: a unit's indicator, its planned path against its values (a chart
//! drawn on the server, with a table alternative), the values sent and their evaluation,
//! the units below; and a document's indicators on its page.

use crate::api::indicators::{
    AssignIndicator, CreateIndicator, EditIndicator, EvaluateIndicatorValue, REPORT_VALUE_PATH,
    get_document_indicators, get_indicator,
};
use crate::components::error::ErrorPage;
use crate::components::form::{EvidenceField, FileList, FormProblem, Refusal, TextField};
use crate::components::format::decimal;
use crate::components::labels::{
    classification_options, clearance_label, cycle_label, period_label,
};
use crate::i18n::*;
use crate::model::indicator::{
    Direction, IndicatorDetail, IndicatorRow, IndicatorStatus, MEASURE_MAX, MILESTONES_MAX,
    NAME_MAX, NOTE_MAX, RollUp, Standing, ValueRecord, ValueState,
};
use crate::model::time::format_datetime;
use crate::model::{AppError, Classification};
use leptos::prelude::*;
use leptos_i18n::I18nContext;
use leptos_meta::Title;
use leptos_router::components::A;
use leptos_router::hooks::{use_params_map, use_query_map};

pub fn status_label(i18n: I18nContext<Locale>, status: IndicatorStatus) -> &'static str {
    match status {
        IndicatorStatus::OnTrack => t_string!(i18n, ind.on_track),
        IndicatorStatus::AtRisk => t_string!(i18n, ind.at_risk),
        IndicatorStatus::OffTrack => t_string!(i18n, ind.off_track),
        IndicatorStatus::NoData => t_string!(i18n, ind.no_data),
    }
}

/// The badge's look, as the task statuses': what is behind stands out.
pub fn status_class(status: IndicatorStatus) -> &'static str {
    match status {
        IndicatorStatus::OnTrack => "badge badge-done",
        IndicatorStatus::AtRisk => "badge badge-done_late",
        IndicatorStatus::OffTrack => "badge badge-overdue",
        IndicatorStatus::NoData => "badge",
    }
}

fn value_state_label(i18n: I18nContext<Locale>, state: ValueState) -> &'static str {
    match state {
        ValueState::Submitted => t_string!(i18n, ind.value_submitted),
        ValueState::Accepted => t_string!(i18n, ind.value_accepted),
        ValueState::Returned => t_string!(i18n, ind.value_returned),
        ValueState::Replaced => t_string!(i18n, ind.value_replaced),
    }
}

fn roll_up_label(i18n: I18nContext<Locale>, rule: RollUp) -> &'static str {
    match rule {
        RollUp::Sum => t_string!(i18n, ind.roll_up_sum),
        RollUp::WeightedMean => t_string!(i18n, ind.roll_up_weighted_mean),
        RollUp::NotAggregated => t_string!(i18n, ind.roll_up_none),
    }
}

fn direction_label(i18n: I18nContext<Locale>, direction: Direction) -> &'static str {
    match direction {
        Direction::Higher => t_string!(i18n, ind.higher),
        Direction::Lower => t_string!(i18n, ind.lower),
    }
}

/// A value with its unit of measure, or a dash.
fn shown(i18n: I18nContext<Locale>, value: Option<f64>, measure: &str) -> String {
    match value {
        Some(value) => format!("{} {measure}", decimal(i18n.get_locale_untracked(), value)),
        None => "—".to_owned(),
    }
}

fn achievement(i18n: I18nContext<Locale>, standing: &Standing) -> String {
    standing
        .achievement
        .map(|a| format!("{} %", decimal(i18n.get_locale_untracked(), a.round())))
        .unwrap_or_else(|| "—".to_owned())
}

#[component]
fn StatusBadge(status: IndicatorStatus) -> impl IntoView {
    let i18n = use_i18n();
    view! { <span class=status_class(status)>{move || status_label(i18n, status)}</span> }
}

#[component]
pub fn IndicatorPage() -> impl IntoView {
    let i18n = use_i18n();
    let params = use_params_map();
    let query = use_query_map();
    let id = Memo::new(move |_| {
        params
            .read()
            .get("id")
            .and_then(|id| id.parse::<i32>().ok())
            .unwrap_or(0)
    });
    // The value form is a plain multipart form (it carries files): its errors come back
    // in the address, which the router hands over as a `ServerActionError`.
    let report = Signal::derive(|| {
        use_context::<leptos::server::ServerActionError>()
            .filter(|e| e.path() == REPORT_VALUE_PATH)
            .map(|e| leptos::server_fn::error::ServerFnUrlError::<AppError>::decode_err(e.err()))
    });
    let evaluate = ServerAction::<EvaluateIndicatorValue>::new();
    let assign = ServerAction::<AssignIndicator>::new();
    let edit = ServerAction::<EditIndicator>::new();
    let indicator = Resource::new(
        move || {
            (
                id.get(),
                evaluate.version().get(),
                assign.version().get(),
                edit.version().get(),
            )
        },
        |(id, ..)| get_indicator(id),
    );
    let done = move || match query.read().get("done").as_deref() {
        Some("created") => Some(t_string!(i18n, ind.created_done)),
        Some("assigned") => Some(t_string!(i18n, ind.assigned_done)),
        Some("edited") => Some(t_string!(i18n, ind.edited_done)),
        Some("reported") => Some(t_string!(i18n, ind.reported_done)),
        Some("accepted") => Some(t_string!(i18n, ind.accepted_done)),
        Some("returned") => Some(t_string!(i18n, ind.returned_done)),
        _ => None,
    };
    let body = move || {
        Suspend::new(async move {
            match indicator.await {
                Ok(detail) => {
                    view! { <IndicatorView detail report evaluate assign edit /> }.into_any()
                }
                Err(error) => view! { <ErrorPage error /> }.into_any(),
            }
        })
    };
    view! {
        <section class="page">
            {move || done().map(|text| view! { <p class="notice notice-ok" role="status">{text}</p> })}
            <Suspense fallback=move || view! { <p>{t!(i18n, common.loading)}</p> }>{body}</Suspense>
        </section>
    }
}

#[component]
fn IndicatorView(
    detail: IndicatorDetail,
    report: Signal<Option<AppError>>,
    evaluate: ServerAction<EvaluateIndicatorValue>,
    assign: ServerAction<AssignIndicator>,
    edit: ServerAction<EditIndicator>,
) -> impl IntoView {
    let i18n = use_i18n();
    let measure = detail.measure.clone();
    let level = detail.classification;
    let standing = detail.standing.clone();
    let status = standing.status;
    let cycle = detail.cycle;
    let target = detail.plan.target();
    let evaluated = Refusal::of(evaluate).with_prefix("evaluate-");
    let m = measure.clone();
    let report_form = (!detail.report_periods.is_empty())
        .then(|| view! { <ReportForm detail=detail.clone() report /> });
    let assign_form = (!detail.assignable.is_empty())
        .then(|| view! { <AssignForm detail=detail.clone() assign /> });
    let edit_form = detail
        .can_edit
        .then(|| view! { <EditForm detail=detail.clone() edit /> });
    view! {
        <Title text=detail.name.clone() />
        <p>
            <A href=format!("/documents/{}", detail.document.id)>{detail.document.code.clone()}</A>
            {detail.parent.map(|parent| view! { " · " <A href=format!("/indicators/{parent}")>{t!(i18n, ind.parent)}</A> })}
        </p>
        <h1>{detail.name.clone()}</h1>
        <dl class="facts">
            <div><dt>{t!(i18n, ind.unit)}</dt><dd>{detail.unit.name.clone()}</dd></div>
            <div><dt>{t!(i18n, ind.assigner)}</dt><dd>{detail.assigner.name.clone()}</dd></div>
            <div><dt>{t!(i18n, ind.measure)}</dt><dd>{detail.measure.clone()}</dd></div>
            <div><dt>{t!(i18n, ind.direction)}</dt><dd>{move || direction_label(i18n, detail.direction)}</dd></div>
            <div>
                <dt>{t!(i18n, ind.baseline)}</dt>
                <dd>{t_string!(i18n, ind.baseline_value, year = detail.plan.baseline.on.ymd().0, value = shown(i18n, Some(detail.plan.baseline.value), &measure))}</dd>
            </div>
            <div>
                <dt>{t!(i18n, ind.target)}</dt>
                <dd>{target.map(|t| t_string!(i18n, ind.point_value, on = t.on.display(), value = shown(i18n, Some(t.value), &measure)))}</dd>
            </div>
            <div>
                <dt>{t!(i18n, ind.roll_up)}</dt>
                <dd>
                    {move || roll_up_label(i18n, detail.roll_up)}
                    {(detail.roll_up == RollUp::WeightedMean).then(|| format!(" ({})", detail.weight_name))}
                </dd>
            </div>
            <div>
                <dt>{t!(i18n, ind.thresholds)}</dt>
                <dd>{t_string!(i18n, ind.thresholds_value, on_track = decimal(i18n.get_locale_untracked(), detail.thresholds.on_track), at_risk = decimal(i18n.get_locale_untracked(), detail.thresholds.at_risk))}</dd>
            </div>
            <div><dt>{t!(i18n, ind.reporting)}</dt><dd>{t_string!(i18n, docs.cycle_value, cycle = cycle_label(i18n, cycle), day = detail.cut_off_day)}</dd></div>
            <div><dt>{t!(i18n, docs.classification)}</dt><dd>{move || clearance_label(i18n, level)}</dd></div>
            {(!detail.data_source.is_empty()).then(|| view! { <div><dt>{t!(i18n, ind.data_source)}</dt><dd>{detail.data_source.clone()}</dd></div> })}
        </dl>

        <section aria-labelledby="standing-heading">
            <h2 id="standing-heading">{t_string!(i18n, ind.standing_in, period = period_label(i18n, standing.period))}</h2>
            <p class="standing">
                <StatusBadge status />
                " "
                {t_string!(i18n, ind.standing_value, value = shown(i18n, standing.value, &measure), achievement = achievement(i18n, &standing))}
                {standing.rolled_up.then(|| view! { " " <span class="muted">{t!(i18n, ind.rolled_up_note)}</span> })}
            </p>
            <p class="definition">{t!(i18n, ind.achievement_definition)}</p>
        </section>

        <section aria-labelledby="path-heading">
            <h2 id="path-heading">{t!(i18n, ind.path)}</h2>
            {(!detail.chart.is_empty())
                .then(|| {
                    view! {
                        <figure class="chart">
                            <div role="img" aria-label=t_string!(i18n, ind.chart_label) inner_html=detail.chart.clone()></div>
                            <figcaption>{t!(i18n, ind.chart_caption)}</figcaption>
                        </figure>
                    }
                })}
            <div class="table-wrap" tabindex="0">
                <table class="data">
                    <caption>{t!(i18n, ind.path_caption)}</caption>
                    <thead>
                        <tr>
                            <th scope="col">{t!(i18n, ind.period)}</th>
                            <th scope="col" class="num">{t!(i18n, ind.planned)}</th>
                            <th scope="col" class="num">{t!(i18n, ind.actual)}</th>
                            <th scope="col" class="num">{t!(i18n, ind.achievement)}</th>
                            <th scope="col">{t!(i18n, ind.status)}</th>
                        </tr>
                    </thead>
                    <tbody>
                        <tr>
                            <th scope="row">{t_string!(i18n, ind.baseline_row, year = detail.plan.baseline.on.ymd().0)}</th>
                            <td class="num">{shown(i18n, Some(detail.plan.baseline.value), &m)}</td>
                            <td></td>
                            <td></td>
                            <td></td>
                        </tr>
                        {detail
                            .points
                            .iter()
                            .map(|point| {
                                let standing = point.standing.clone();
                                view! {
                                    <tr>
                                        <th scope="row">{period_label(i18n, standing.period)}</th>
                                        <td class="num">{shown(i18n, Some(point.planned), &m)}</td>
                                        <td class="num">
                                            {shown(i18n, standing.value, &m)}
                                            {standing.rolled_up.then(|| view! { " " <span class="muted">{t!(i18n, ind.rolled_up_short)}</span> })}
                                        </td>
                                        <td class="num">{achievement(i18n, &standing)}</td>
                                        <td><StatusBadge status=standing.status /></td>
                                    </tr>
                                }
                            })
                            .collect_view()}
                        {detail
                            .plan
                            .milestones
                            .iter()
                            .map(|point| {
                                view! {
                                    <tr>
                                        <th scope="row">{t_string!(i18n, ind.milestone_row, on = point.on.display())}</th>
                                        <td class="num">{shown(i18n, Some(point.value), &m)}</td>
                                        <td></td>
                                        <td></td>
                                        <td></td>
                                    </tr>
                                }
                            })
                            .collect_view()}
                    </tbody>
                </table>
            </div>
            <p class="hint">{move || (status == IndicatorStatus::NoData).then(|| t_string!(i18n, ind.no_data_hint))}</p>
        </section>

        {(!detail.below.is_empty())
            .then(|| {
                view! {
                    <section aria-labelledby="below-heading">
                        <h2 id="below-heading">{t!(i18n, ind.below)}</h2>
                        <IndicatorTable rows=detail.below.clone() caption=t_string!(i18n, ind.below).to_owned() with_name=false />
                    </section>
                }
            })}

        <section aria-labelledby="values-heading">
            <h2 id="values-heading">{t!(i18n, ind.values)}</h2>
            <FormProblem refusal=evaluated />
            {if detail.values.is_empty() {
                view! { <p>{t!(i18n, ind.no_values)}</p> }.into_any()
            } else {
                view! {
                    <ol class="report-list">
                        {detail
                            .values
                            .iter()
                            .cloned()
                            .map(|value| view! { <ValueItem value measure=measure.clone() evaluate /> })
                            .collect_view()}
                    </ol>
                }
                    .into_any()
            }}
        </section>

        {report_form}
        {assign_form}
        {edit_form}
    }
}

/// The document's own indicator, edited by its unit's leaders: what can change once units
/// report on it (its plan, measure and rule stay).
#[component]
fn EditForm(detail: IndicatorDetail, edit: ServerAction<EditIndicator>) -> impl IntoView {
    let i18n = use_i18n();
    let refusal = Refusal::of(edit).with_prefix("edit-");
    let locale = i18n.get_locale_untracked();
    view! {
        <details class="panel" open=refusal.error().get_untracked().is_some()>
            <summary>{t!(i18n, ind.edit)}</summary>
            <p>{t!(i18n, ind.edit_lead)}</p>
            <ActionForm action=edit attr:class="form narrow" attr:novalidate=true>
                <FormProblem refusal />
                <input type="hidden" name="indicator_id" value=detail.id />
                <input type="hidden" name="version" value=detail.version />
                <TextField refusal name="name" label=t_string!(i18n, ind.name).to_owned() value=detail.name.clone() required=true maxlength=NAME_MAX />
                <div class="field-row">
                    <TextField refusal decimal=true name="on_track" label=t_string!(i18n, ind.on_track_from).to_owned() value=decimal(locale, detail.thresholds.on_track) maxlength=6 />
                    <TextField refusal decimal=true name="at_risk" label=t_string!(i18n, ind.at_risk_from).to_owned() value=decimal(locale, detail.thresholds.at_risk) maxlength=6 />
                </div>
                <TextField refusal name="data_source" label=t_string!(i18n, ind.data_source).to_owned() value=detail.data_source.clone() maxlength=NOTE_MAX />
                <button type="submit">{t!(i18n, ind.edit_button)}</button>
            </ActionForm>
        </details>
    }
}

#[component]
fn ValueItem(
    value: ValueRecord,
    measure: String,
    evaluate: ServerAction<EvaluateIndicatorValue>,
) -> impl IntoView {
    let i18n = use_i18n();
    let evaluated = Refusal::of(evaluate).with_prefix("evaluate-");
    let answer_id = format!("evaluate-answer-{}", value.id);
    let badge = match value.state {
        ValueState::Submitted => "badge badge-report-pending",
        ValueState::Accepted => "badge badge-report-accepted",
        ValueState::Returned => "badge badge-report-returned",
        ValueState::Replaced => "badge",
    };
    let state = value.state;
    let id = value.id;
    view! {
        <li class="report" id=format!("value-{id}")>
            <p class="report-head">
                <strong>{period_label(i18n, value.period)}</strong>
                " · "
                <span>{shown(i18n, Some(value.value), &measure)}</span>
                {value.weight.map(|w| view! { " · " <span>{t_string!(i18n, ind.weight_value, weight = decimal(i18n.get_locale_untracked(), w))}</span> })}
                " · "
                <span class=badge>{move || value_state_label(i18n, state)}</span>
                {value.late.then(|| view! { " " <span class="badge badge-done_late">{t!(i18n, ind.late)}</span> })}
            </p>
            <p class="prewrap">{value.source_note.clone()}</p>
            <FileList files=value.files.clone() href="/indicators/files" />
            {value.corrects.map(|_| view! { <p class="prewrap">{t_string!(i18n, ind.correction_reason, reason = value.reason.clone())}</p> })}
            <p class="muted">{t_string!(i18n, ind.sent_by, name = value.submitted_by.clone(), at = format_datetime(value.submitted_at))}</p>
            {value
                .evaluated_by
                .clone()
                .zip(value.evaluated_at)
                .map(|(name, at)| view! { <p class="muted">{t_string!(i18n, ind.evaluated_by, name = name, at = format_datetime(at))}</p> })}
            {(!value.answer.is_empty()).then(|| view! { <p class="prewrap">{value.answer.clone()}</p> })}
            {value
                .can_evaluate
                .then(|| {
                    view! {
                        <div class="evaluate">
                            <ActionForm action=evaluate attr:class="inline-form">
                                <input type="hidden" name="value_id" value=id />
                                <input type="hidden" name="verdict" value="accept" />
                                <button type="submit" class="primary">{t!(i18n, ind.accept)}</button>
                            </ActionForm>
                            <ActionForm action=evaluate attr:class="form return-form">
                                <input type="hidden" name="value_id" value=id />
                                <input type="hidden" name="verdict" value="return" />
                                <label for=answer_id.clone()>{t!(i18n, ind.return_answer)}</label>
                                <textarea id=answer_id.clone() name="answer" rows="2" maxlength=NOTE_MAX aria-describedby=format!("{answer_id}-error") aria-invalid=evaluated.invalid("answer")>
                                    {evaluated.text("answer", "")}
                                </textarea>
                                <p id=format!("{answer_id}-error") class="field-error">{evaluated.message("answer")}</p>
                                <button type="submit" class="secondary">{t!(i18n, ind.return_value)}</button>
                            </ActionForm>
                        </div>
                    }
                })}
        </li>
    }
}

#[component]
fn ReportForm(detail: IndicatorDetail, report: Signal<Option<AppError>>) -> impl IntoView {
    let i18n = use_i18n();
    let refusal = Refusal::new(REPORT_VALUE_PATH, report).with_prefix("value-");
    let seen = detail.values.iter().map(|v| v.id).max().unwrap_or(0);
    let chosen = refusal.value(
        "period",
        detail
            .report_periods
            .first()
            .map(|p| p.code())
            .unwrap_or_default(),
    );
    view! {
        <section aria-labelledby="report-heading">
            <h2 id="report-heading">{t!(i18n, ind.report)}</h2>
            <p>{t!(i18n, ind.report_lead)}</p>
            // A plain multipart form: files go up with or without JavaScript. The
            // indicator comes first: no file is read before the server checked it.
            <form method="post" action=REPORT_VALUE_PATH enctype="multipart/form-data" class="form narrow" novalidate>
                <FormProblem refusal />
                <input type="hidden" name="indicator_id" value=detail.id />
                <input type="hidden" name="seen" value=seen />
                <div class="field">
                    <label for="value-period">{t!(i18n, ind.period)}</label>
                    <select id="value-period" name="period" aria-describedby="value-period-error" aria-invalid=refusal.invalid("period") autofocus=refusal.focus("period")>
                        {detail
                            .report_periods
                            .iter()
                            .map(|period| {
                                let code = period.code();
                                view! { <option value=code.clone() selected=code == chosen>{period_label(i18n, *period)}</option> }
                            })
                            .collect_view()}
                    </select>
                    <p id="value-period-error" class="field-error">{refusal.message("period")}</p>
                </div>
                <TextField refusal decimal=true name="value" label=t_string!(i18n, ind.value_in).to_owned() named=format!("({})", detail.measure) required=true hint=t_string!(i18n, ind.value_hint).to_owned() maxlength=30 />
                {detail
                    .asks_weight
                    .then(|| view! { <TextField refusal decimal=true name="weight" label=t_string!(i18n, ind.weight_in).to_owned() named=detail.weight_name.clone() required=true maxlength=30 /> })}
                <div class="field">
                    <label for="value-source_note">{t!(i18n, ind.source_note)}</label>
                    <textarea id="value-source_note" name="source_note" rows="2" required maxlength=NOTE_MAX aria-describedby="value-source_note-hint value-source_note-error" aria-invalid=refusal.invalid("source_note") autofocus=refusal.focus("source_note")>
                        {refusal.text("source_note", "")}
                    </textarea>
                    <p id="value-source_note-hint" class="hint">{t!(i18n, ind.source_note_hint)}</p>
                    <p id="value-source_note-error" class="field-error">{refusal.message("source_note")}</p>
                </div>
                <div class="field">
                    <label for="value-reason">{t!(i18n, ind.reason)}</label>
                    <textarea id="value-reason" name="reason" rows="2" maxlength=NOTE_MAX aria-describedby="value-reason-hint value-reason-error" aria-invalid=refusal.invalid("reason") autofocus=refusal.focus("reason")>
                        {refusal.text("reason", "")}
                    </textarea>
                    <p id="value-reason-hint" class="hint">{t!(i18n, ind.reason_hint)}</p>
                    <p id="value-reason-error" class="field-error">{refusal.message("reason")}</p>
                </div>
                <EvidenceField refusal />
                <button type="submit">{t!(i18n, ind.report_button)}</button>
            </form>
        </section>
    }
}

#[component]
fn AssignForm(detail: IndicatorDetail, assign: ServerAction<AssignIndicator>) -> impl IntoView {
    let i18n = use_i18n();
    let refusal = Refusal::of(assign).with_prefix("assign-");
    let chosen = refusal.value("unit", "");
    let measure = detail.measure.clone();
    view! {
        <details class="panel" open=refusal.error().get_untracked().is_some()>
            <summary>{t!(i18n, ind.assign)}</summary>
            <p>{t!(i18n, ind.assign_lead)}</p>
            <ActionForm action=assign attr:class="form narrow" attr:novalidate=true>
                <FormProblem refusal />
                <input type="hidden" name="indicator_id" value=detail.id />
                <div class="field">
                    <label for="assign-unit">{t!(i18n, ind.assign_unit)}</label>
                    <select id="assign-unit" name="unit" aria-describedby="assign-unit-error" aria-invalid=refusal.invalid("unit") autofocus=refusal.focus("unit")>
                        {detail
                            .assignable
                            .iter()
                            .map(|unit| view! { <option value=unit.code.clone() selected=unit.code == chosen>{unit.name.clone()}</option> })
                            .collect_view()}
                    </select>
                    <p id="assign-unit-error" class="field-error">{refusal.message("unit")}</p>
                </div>
                <TextField refusal decimal=true name="baseline_value" label=t_string!(i18n, ind.baseline_in, year = detail.plan.baseline.on.ymd().0) named=format!("({measure})") required=true maxlength=30 />
                {detail
                    .plan
                    .milestones
                    .iter()
                    .zip(MILESTONE_FIELDS.map(|(_, value)| value))
                    .map(|(point, name)| {
                        view! { <TextField refusal=refusal decimal=true name=name label=t_string!(i18n, ind.milestone_in, on = point.on.display()) named=format!("({measure})") required=true maxlength=30 /> }
                    })
                    .collect_view()}
                <p id="assign-milestones-error" class="field-error">{refusal.message("milestones")}</p>
                <button type="submit">{t!(i18n, ind.assign_button)}</button>
            </ActionForm>
        </details>
    }
}

/// Indicators in a table: name (or not, below one indicator), unit, baseline, target,
/// value and status in the period judged.
#[component]
pub fn IndicatorTable(rows: Vec<IndicatorRow>, caption: String, with_name: bool) -> impl IntoView {
    let i18n = use_i18n();
    let period = rows.first().map(|r| r.standing.period);
    view! {
        <div class="table-wrap" tabindex="0">
            <table class="data">
                <caption>
                    {caption}
                    {period.map(|p| view! { " · " {t_string!(i18n, ind.judged_on, period = period_label(i18n, p))} })}
                </caption>
                <thead>
                    <tr>
                        {with_name.then(|| view! { <th scope="col">{t!(i18n, ind.name)}</th> })}
                        <th scope="col">{t!(i18n, ind.unit)}</th>
                        <th scope="col" class="num">{t!(i18n, ind.baseline)}</th>
                        <th scope="col" class="num">{t!(i18n, ind.target)}</th>
                        <th scope="col" class="num">{t!(i18n, ind.actual)}</th>
                        <th scope="col" class="num">{t!(i18n, ind.achievement)}</th>
                        <th scope="col">{t!(i18n, ind.status)}</th>
                    </tr>
                </thead>
                <tbody>
                    {rows
                        .into_iter()
                        .map(|row| {
                            let href = format!("/indicators/{}", row.id);
                            let unit = if with_name {
                                view! { {row.unit.name.clone()} }.into_any()
                            } else {
                                view! { <a href=href.clone()>{row.unit.name.clone()}</a> }.into_any()
                            };
                            view! {
                                <tr>
                                    {with_name.then(|| view! { <th scope="row"><a href=href.clone()>{row.name.clone()}</a></th> })}
                                    <td>{unit}</td>
                                    <td class="num">{shown(i18n, Some(row.baseline.value), &row.measure)}</td>
                                    <td class="num">{row.target.map(|t| shown(i18n, Some(t.value), &row.measure))}</td>
                                    <td class="num">{shown(i18n, row.standing.value, &row.measure)}</td>
                                    <td class="num">{achievement(i18n, &row.standing)}</td>
                                    <td><StatusBadge status=row.standing.status /></td>
                                </tr>
                            }
                        })
                        .collect_view()}
                </tbody>
            </table>
        </div>
    }
}

/// A document's indicators, and the form for a new one, on the document's page.
#[component]
pub fn DocumentIndicators(document_id: i32, level: Classification) -> impl IntoView {
    let i18n = use_i18n();
    let create = ServerAction::<CreateIndicator>::new();
    let section = Resource::new(
        move || create.version().get(),
        move |_| get_document_indicators(document_id),
    );
    view! {
        <section aria-labelledby="indicators-heading">
            <h2 id="indicators-heading">{t!(i18n, ind.title)}</h2>
            <Suspense fallback=move || view! { <p>{t!(i18n, common.loading)}</p> }>
                {move || Suspend::new(async move {
                    match section.await {
                        Ok(section) => {
                            let can_create = section.can_create;
                            view! {
                                {if section.rows.is_empty() {
                                    view! { <p>{t!(i18n, ind.none)}</p> }.into_any()
                                } else {
                                    view! { <IndicatorTable rows=section.rows caption=t_string!(i18n, ind.title).to_owned() with_name=true /> }.into_any()
                                }}
                                {can_create.then(|| view! { <CreateForm document_id=document_id level=level create=create /> })}
                            }
                                .into_any()
                        }
                        Err(error) => view! { <ErrorPage error /> }.into_any(),
                    }
                })}
            </Suspense>
        </section>
    }
}

#[component]
fn CreateForm(
    document_id: i32,
    level: Classification,
    create: ServerAction<CreateIndicator>,
) -> impl IntoView {
    let i18n = use_i18n();
    let refusal = Refusal::of(create).with_prefix("indicator-");
    let clearance = crate::components::viewer::use_viewer()
        .get()
        .map_or(level, |me| me.clearance);
    let direction = refusal.choice("direction", Direction::Higher);
    let rule = refusal.choice("roll_up", RollUp::Sum);
    let chosen = refusal.choice("classification", level);
    view! {
        <details class="panel" open=refusal.error().get_untracked().is_some()>
            <summary>{t!(i18n, ind.add)}</summary>
            <ActionForm action=create attr:class="form narrow" attr:novalidate=true>
                <FormProblem refusal />
                <input type="hidden" name="document_id" value=document_id />
                <TextField refusal name="name" label=t_string!(i18n, ind.name).to_owned() required=true maxlength=NAME_MAX />
                <TextField refusal name="measure" label=t_string!(i18n, ind.measure).to_owned() required=true hint=t_string!(i18n, ind.measure_hint).to_owned() maxlength=MEASURE_MAX />
                <div class="field">
                    <label for="indicator-direction">{t!(i18n, ind.direction)}</label>
                    <select id="indicator-direction" name="direction">
                        {Direction::ALL
                            .iter()
                            .map(|&option| view! { <option value=option.as_str() selected=option == direction>{move || direction_label(i18n, option)}</option> })
                            .collect_view()}
                    </select>
                </div>
                <div class="field-row">
                    <TextField refusal name="baseline_year" label=t_string!(i18n, ind.baseline_year).to_owned() kind="number" required=true maxlength=4 />
                    <TextField refusal decimal=true name="baseline_value" label=t_string!(i18n, ind.baseline_value_label).to_owned() required=true maxlength=30 />
                </div>
                <fieldset aria-describedby="indicator-milestones-hint indicator-milestones-error">
                    <legend>{t!(i18n, ind.milestones)}</legend>
                    <p id="indicator-milestones-hint" class="hint">{t!(i18n, ind.milestones_hint)}</p>
                    {(1..=MILESTONES_MAX)
                        .map(|n| {
                            let (on, value) = MILESTONE_FIELDS[n - 1];
                            view! {
                                <div class="field-row">
                                    <TextField refusal name=on label=t_string!(i18n, ind.milestone_on, n = n) kind="date" required={n == 1} />
                                    <TextField refusal decimal=true name=value label=t_string!(i18n, ind.milestone_value, n = n) required={n == 1} maxlength=30 />
                                </div>
                            }
                        })
                        .collect_view()}
                    <p id="indicator-milestones-error" class="field-error">{refusal.message("milestones")}</p>
                </fieldset>
                <div class="field">
                    <label for="indicator-roll_up">{t!(i18n, ind.roll_up)}</label>
                    <select id="indicator-roll_up" name="roll_up" aria-describedby="indicator-roll_up-hint">
                        {RollUp::ALL
                            .iter()
                            .map(|&option| view! { <option value=option.as_str() selected=option == rule>{move || roll_up_label(i18n, option)}</option> })
                            .collect_view()}
                    </select>
                    <p id="indicator-roll_up-hint" class="hint">{t!(i18n, ind.roll_up_hint)}</p>
                </div>
                <TextField refusal name="weight_name" label=t_string!(i18n, ind.weight_name).to_owned() hint=t_string!(i18n, ind.weight_name_hint).to_owned() maxlength=MEASURE_MAX />
                <div class="field-row">
                    <TextField refusal decimal=true name="on_track" label=t_string!(i18n, ind.on_track_from).to_owned() value="90" maxlength=6 />
                    <TextField refusal decimal=true name="at_risk" label=t_string!(i18n, ind.at_risk_from).to_owned() value="75" maxlength=6 />
                </div>
                <TextField refusal name="data_source" label=t_string!(i18n, ind.data_source).to_owned() maxlength=NOTE_MAX />
                <div class="field">
                    <label for="indicator-classification">{t!(i18n, docs.classification)}</label>
                    <select id="indicator-classification" name="classification" aria-describedby="indicator-classification-error" aria-invalid=refusal.invalid("classification")>
                        {classification_options(
                            i18n,
                            Classification::ALL
                                .into_iter()
                                .filter(|option| *option >= level && *option <= clearance)
                                .collect(),
                            Some(chosen),
                        )}
                    </select>
                    <p id="indicator-classification-error" class="field-error">{refusal.message("classification")}</p>
                </div>
                <button type="submit">{t!(i18n, ind.create_button)}</button>
            </ActionForm>
        </details>
    }
}

const MILESTONE_FIELDS: [(&str, &str); MILESTONES_MAX] = [
    ("milestone_1_on", "milestone_1_value"),
    ("milestone_2_on", "milestone_2_value"),
    ("milestone_3_on", "milestone_3_value"),
    ("milestone_4_on", "milestone_4_value"),
];
