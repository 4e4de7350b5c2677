//! Tasks, cascades, progress reports and their evaluation.

use crate::model::AppError;
use crate::model::task::TaskDetail;
use leptos::prelude::*;
use leptos::server_fn::ServerFn;
use leptos::server_fn::codec::{MultipartData, MultipartFormData};

#[server(endpoint = "task")]
pub async fn get_task(id: i32) -> Result<TaskDetail, AppError> {
    let reader = super::reader()?;
    let state = super::state()?;
    super::outcome(crate::server::tasks::detail(&state.db, &reader, id).await)?
        .ok_or_else(|| super::fail(AppError::NotFound))
}

/// Creates a top-level task of a document (no `parent_id`) or a subtask; the browser
/// goes to the new task.
#[server(endpoint = "tasks/create")]
pub async fn create_task(
    document_id: i32,
    #[server(default)] parent_id: Option<i32>,
    title: String,
    #[server(default)] description: String,
    #[server(default)] expected_result: String,
    lead_unit: String,
    #[server(default)] coordinators: String,
    start_on: String,
    due_on: String,
    priority: String,
    weight: i32,
    classification: String,
    #[server(default)] is_key: Option<String>,
) -> Result<(), AppError> {
    use crate::server::tasks::{TaskInput, create};
    let reader = super::reader()?;
    let state = super::state()?;
    let input = TaskInput {
        title,
        description,
        expected_result,
        lead_unit,
        coordinators,
        start_on,
        due_on,
        priority,
        weight,
        classification,
        is_key: is_key.is_some(),
        due_reason: String::new(),
    };
    let id = super::outcome(create(&state.db, &reader, document_id, parent_id, &input).await)?;
    leptos_axum::redirect(&format!("/tasks/{id}?done=created"));
    Ok(())
}

/// Saves a task's content, if nobody changed it since `version` was read.
#[server(endpoint = "tasks/update")]
pub async fn update_task(
    id: i32,
    version: i32,
    title: String,
    #[server(default)] description: String,
    #[server(default)] expected_result: String,
    #[server(default)] coordinators: String,
    start_on: String,
    due_on: String,
    priority: String,
    weight: i32,
    classification: String,
    #[server(default)] is_key: Option<String>,
    #[server(default)] due_reason: String,
) -> Result<(), AppError> {
    use crate::server::tasks::{TaskInput, update};
    let reader = super::reader()?;
    let state = super::state()?;
    let input = TaskInput {
        title,
        description,
        expected_result,
        lead_unit: String::new(),
        coordinators,
        start_on,
        due_on,
        priority,
        weight,
        classification,
        is_key: is_key.is_some(),
        due_reason,
    };
    super::outcome(update(&state.db, &reader, id, version, &input).await)?;
    leptos_axum::redirect(&format!("/tasks/{id}?done=saved"));
    Ok(())
}

/// Gives units below the task's lead unit their own child tasks: `target` is `children`,
/// `communes` or `units` (then `units` lists unit codes).
#[server(endpoint = "tasks/cascade")]
pub async fn cascade_task(
    id: i32,
    target: String,
    #[server(default)] units: String,
) -> Result<(), AppError> {
    use crate::model::Problem;
    use crate::server::tasks::{CascadeTargets, cascade};
    let reader = super::reader()?;
    let state = super::state()?;
    let targets = match target.as_str() {
        "children" => CascadeTargets::Children,
        "communes" => CascadeTargets::AllCommunes,
        "units" => CascadeTargets::Units(
            units
                .split(|c: char| c == ',' || c.is_whitespace())
                .filter(|c| !c.is_empty())
                .map(str::to_owned)
                .collect(),
        ),
        _ => return Err(super::fail(AppError::invalid("target", Problem::Unknown))),
    };
    let done = super::outcome(cascade(&state.db, &reader, id, &targets).await)?;
    leptos_axum::redirect(&format!(
        "/tasks/{id}?done=cascaded&created={}&skipped={}",
        done.created, done.skipped
    ));
    Ok(())
}

/// Reports progress with evidence files, from a multipart form (works without
/// JavaScript). Fields: `task_id`, `progress`, `text`, `claims_completion` (present when
/// ticked), `submission_key`, and any number of `files`.
#[server(endpoint = "reports/submit", input = MultipartFormData)]
pub async fn submit_report(data: MultipartData) -> Result<(), AppError> {
    use crate::model::Problem;
    use crate::server::reports::{ReportInput, submit};

    let reader = super::reader()?;
    let state = super::state()?;
    let mut input = ReportInput::default();
    let mut task_id: Option<i32> = None;
    let mut progress: Option<i32> = None;
    let mut form = super::UploadForm::new(data)?;
    while let Some((name, value)) = form.next_text(task_id.is_some()).await? {
        match name.as_str() {
            "task_id" => {
                let id: i32 = value
                    .trim()
                    .parse()
                    .map_err(|_| super::fail(AppError::NotFound))?;
                super::outcome(
                    crate::server::reports::reporting_task(&state.db, &reader, id).await,
                )?;
                task_id = Some(id);
            }
            "progress" => {
                progress =
                    Some(value.trim().parse().map_err(|_| {
                        super::fail(AppError::invalid("progress", Problem::Malformed))
                    })?);
            }
            "text" => input.text = value,
            "claims_completion" => input.claims_completion = !value.is_empty() && value != "false",
            "submission_key" => input.submission_key = value,
            _ => {}
        }
    }
    input.files = form.files;
    let task_id = task_id.ok_or_else(|| super::fail(AppError::NotFound))?;
    input.progress =
        progress.ok_or_else(|| super::fail(AppError::invalid("progress", Problem::Required)))?;
    super::outcome(submit(&state.db, &state.evidence, &reader, task_id, input).await)?;
    leptos_axum::redirect(&format!("/tasks/{task_id}?done=reported"));
    Ok(())
}

/// Accepts (`verdict` = `accept`) or returns (`return`, with a reason) a pending report.
#[server(endpoint = "reports/evaluate")]
pub async fn evaluate_report(
    report_id: i32,
    verdict: String,
    #[server(default)] reason: String,
) -> Result<(), AppError> {
    use crate::model::Problem;
    use crate::model::task::Verdict;
    use crate::server::reports::evaluate;
    let reader = super::reader()?;
    let state = super::state()?;
    let verdict: Verdict = verdict
        .parse()
        .map_err(|_| super::fail(AppError::invalid("verdict", Problem::Unknown)))?;
    let task_id = super::outcome(evaluate(&state.db, &reader, report_id, verdict, &reason).await)?;
    let done = if verdict == Verdict::Accept {
        "accepted"
    } else {
        "returned"
    };
    leptos_axum::redirect(&format!("/tasks/{task_id}?done={done}"));
    Ok(())
}

/// The lead unit asks for the task's due date to move to `to_on`, saying why.
#[server(endpoint = "tasks/extension/ask")]
pub async fn ask_extension(
    task_id: i32,
    #[server(default)] to_on: String,
    #[server(default)] reason: String,
) -> Result<(), AppError> {
    let reader = super::reader()?;
    let state = super::state()?;
    super::outcome(
        crate::server::deadlines::ask(&state.db, &reader, task_id, &to_on, &reason).await,
    )?;
    leptos_axum::redirect(&format!("/tasks/{task_id}?done=extension_asked"));
    Ok(())
}

/// A leader of the assigning unit grants (`decision` = `grant`) or refuses (`refuse`,
/// with an answer) a request for an extension.
#[server(endpoint = "tasks/extension/decide")]
pub async fn decide_extension(
    change_id: i32,
    decision: String,
    #[server(default)] answer: String,
) -> Result<(), AppError> {
    use crate::model::Problem;
    let reader = super::reader()?;
    let state = super::state()?;
    let grant = match decision.as_str() {
        "grant" => true,
        "refuse" => false,
        _ => return Err(super::fail(AppError::invalid("decision", Problem::Unknown))),
    };
    let task_id = super::outcome(
        crate::server::deadlines::decide(&state.db, &reader, change_id, grant, &answer).await,
    )?;
    let done = if grant {
        "extension_granted"
    } else {
        "extension_refused"
    };
    leptos_axum::redirect(&format!("/tasks/{task_id}?done={done}"));
    Ok(())
}

/// `/my-work`: the tasks of the caller's unit, or the reports awaiting their evaluation.
#[server(endpoint = "my-work")]
pub async fn list_my_work(
    #[server(default)] filter: crate::model::task::WorkFilter,
) -> Result<crate::model::task::WorkPage, AppError> {
    let user = super::require_user()?;
    let reader = crate::server::access::Reader::of(&user);
    let state = super::state()?;
    let unit = user.viewer.unit;
    super::outcome(crate::server::tasks::my_work(&state.db, &reader, unit, &filter).await)
}

/// The path the report form posts to.
pub const SUBMIT_REPORT_PATH: &str = <SubmitReport as ServerFn>::PATH;
