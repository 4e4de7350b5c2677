//! Indicators: a document's targets, their copies down the hierarchy, the values units
//! report for each period and their evaluation.

use crate::model::AppError;
use crate::model::indicator::{IndicatorDetail, IndicatorSection};
use leptos::prelude::*;
use leptos::server_fn::ServerFn;
use leptos::server_fn::codec::{MultipartData, MultipartFormData};

#[server(endpoint = "indicator")]
pub async fn get_indicator(id: i32) -> Result<IndicatorDetail, AppError> {
    let reader = super::reader()?;
    let state = super::state()?;
    super::outcome(crate::server::indicators::detail(&state.db, &reader, id).await)?
        .ok_or_else(|| super::fail(AppError::NotFound))
}

/// The indicators of a document the caller sees (the topmost of them).
#[server(endpoint = "documents/indicators")]
pub async fn get_document_indicators(document_id: i32) -> Result<IndicatorSection, AppError> {
    let reader = super::reader()?;
    let state = super::state()?;
    super::outcome(crate::server::indicators::section(&state.db, &reader, document_id).await)?
        .ok_or_else(|| super::fail(AppError::NotFound))
}

/// A document's own indicator, with up to four dated milestones (the last is the final
/// target); the browser goes to it.
#[server(endpoint = "indicators/create")]
pub async fn create_indicator(
    document_id: i32,
    #[server(default)] name: String,
    #[server(default)] measure: String,
    #[server(default)] direction: String,
    #[server(default)] baseline_year: String,
    #[server(default)] baseline_value: String,
    #[server(default)] milestone_1_on: String,
    #[server(default)] milestone_1_value: String,
    #[server(default)] milestone_2_on: String,
    #[server(default)] milestone_2_value: String,
    #[server(default)] milestone_3_on: String,
    #[server(default)] milestone_3_value: String,
    #[server(default)] milestone_4_on: String,
    #[server(default)] milestone_4_value: String,
    #[server(default)] roll_up: String,
    #[server(default)] weight_name: String,
    #[server(default)] on_track: String,
    #[server(default)] at_risk: String,
    #[server(default)] data_source: String,
    #[server(default)] classification: String,
) -> Result<(), AppError> {
    use crate::server::indicators::{IndicatorInput, create};
    let reader = super::reader()?;
    let state = super::state()?;
    let input = IndicatorInput {
        name,
        measure,
        direction,
        baseline_year,
        baseline_value,
        milestones: vec![
            (milestone_1_on, milestone_1_value),
            (milestone_2_on, milestone_2_value),
            (milestone_3_on, milestone_3_value),
            (milestone_4_on, milestone_4_value),
        ],
        roll_up,
        weight_name,
        on_track,
        at_risk,
        data_source,
        classification,
    };
    let id = super::outcome(create(&state.db, &reader, document_id, &input).await)?;
    leptos_axum::redirect(&format!("/indicators/{id}?done=created"));
    Ok(())
}

/// Assigns an indicator to a unit directly below, with that unit's own targets.
#[server(endpoint = "indicators/assign")]
pub async fn assign_indicator(
    indicator_id: i32,
    #[server(default)] unit: String,
    #[server(default)] baseline_value: String,
    #[server(default)] milestone_1_value: String,
    #[server(default)] milestone_2_value: String,
    #[server(default)] milestone_3_value: String,
    #[server(default)] milestone_4_value: String,
) -> Result<(), AppError> {
    use crate::server::indicators::{AssignInput, assign};
    let reader = super::reader()?;
    let state = super::state()?;
    let input = AssignInput {
        unit,
        baseline_value,
        milestones: vec![
            milestone_1_value,
            milestone_2_value,
            milestone_3_value,
            milestone_4_value,
        ],
    };
    super::outcome(assign(&state.db, &reader, indicator_id, &input).await)?;
    leptos_axum::redirect(&format!("/indicators/{indicator_id}?done=assigned"));
    Ok(())
}

/// Edits a document's own indicator (its name, thresholds and data source) and its copies
/// down the hierarchy, from the version the form showed.
#[server(endpoint = "indicators/edit")]
pub async fn edit_indicator(
    indicator_id: i32,
    version: i32,
    #[server(default)] name: String,
    #[server(default)] on_track: String,
    #[server(default)] at_risk: String,
    #[server(default)] data_source: String,
) -> Result<(), AppError> {
    use crate::server::indicators::{EditInput, edit};
    let reader = super::reader()?;
    let state = super::state()?;
    let input = EditInput {
        version,
        name,
        on_track,
        at_risk,
        data_source,
    };
    super::outcome(edit(&state.db, &reader, indicator_id, &input).await)?;
    leptos_axum::redirect(&format!("/indicators/{indicator_id}?done=edited"));
    Ok(())
}

/// The carrying unit's value for a period, with its source (and, correcting a closed
/// period's value, why), from a multipart form that works without JavaScript. Fields:
/// `indicator_id` (first), `period`, `value`, `weight`, `source_note`, `reason`, `seen`,
/// and any number of evidence `files`.
#[server(endpoint = "indicators/report", input = MultipartFormData)]
pub async fn report_indicator_value(data: MultipartData) -> Result<(), AppError> {
    use crate::server::indicators::{ValueInput, report};
    let reader = super::reader()?;
    let state = super::state()?;
    let mut input = ValueInput::default();
    let mut indicator_id: Option<i32> = None;
    let mut form = super::UploadForm::new(data)?;
    while let Some((name, value)) = form.next_text(indicator_id.is_some()).await? {
        match name.as_str() {
            "indicator_id" => {
                let id: i32 = value
                    .trim()
                    .parse()
                    .map_err(|_| super::fail(AppError::NotFound))?;
                super::outcome(crate::server::indicators::reporting(&state.db, &reader, id).await)?;
                indicator_id = Some(id);
            }
            "period" => input.period = value,
            "value" => input.value = value,
            "weight" => input.weight = value,
            "source_note" => input.source_note = value,
            "reason" => input.reason = value,
            "seen" => {
                input.seen = value
                    .trim()
                    .parse()
                    .map_err(|_| super::fail(AppError::Request))?;
            }
            _ => {}
        }
    }
    input.files = form.files;
    let indicator_id = indicator_id.ok_or_else(|| super::fail(AppError::NotFound))?;
    super::outcome(report(&state.db, &state.evidence, &reader, indicator_id, input).await)?;
    leptos_axum::redirect(&format!("/indicators/{indicator_id}?done=reported"));
    Ok(())
}

/// The path the value form posts to (a plain multipart form).
pub const REPORT_VALUE_PATH: &str = <ReportIndicatorValue as ServerFn>::PATH;

/// Accepts (`verdict` = `accept`) or returns (`return`, with an answer) a value.
#[server(endpoint = "indicators/evaluate")]
pub async fn evaluate_indicator_value(
    value_id: i32,
    verdict: String,
    #[server(default)] answer: String,
) -> Result<(), AppError> {
    use crate::model::Problem;
    use crate::model::task::Verdict;
    let reader = super::reader()?;
    let state = super::state()?;
    let verdict: Verdict = verdict
        .parse()
        .map_err(|_| super::fail(AppError::invalid("verdict", Problem::Unknown)))?;
    let id = super::outcome(
        crate::server::indicators::evaluate(&state.db, &reader, value_id, verdict, &answer).await,
    )?;
    let done = if verdict == Verdict::Accept {
        "accepted"
    } else {
        "returned"
    };
    leptos_axum::redirect(&format!("/indicators/{id}?done={done}"));
    Ok(())
}
