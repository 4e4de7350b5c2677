//! Documents: resolutions, directives, conclusions, regulations and plans.

use crate::model::AppError;
use crate::model::task::{DocumentDetail, DocumentFilter, DocumentPage};
use leptos::prelude::*;

#[server(endpoint = "documents")]
pub async fn list_documents(
    #[server(default)] filter: DocumentFilter,
) -> Result<DocumentPage, AppError> {
    let reader = super::reader()?;
    let state = super::state()?;
    super::outcome(crate::server::documents::list(&state.db, &reader, &filter).await)
}

#[server(endpoint = "document")]
pub async fn get_document(id: i32) -> Result<DocumentDetail, AppError> {
    let reader = super::reader()?;
    let state = super::state()?;
    super::outcome(crate::server::documents::detail(&state.db, &reader, id).await)?
        .ok_or_else(|| super::fail(AppError::NotFound))
}

/// Registers a document for the leader's unit; the browser goes to its page.
#[server(endpoint = "documents/create")]
pub async fn create_document(
    code: String,
    kind: String,
    title: String,
    issuing_body: String,
    issued_on: String,
    summary: String,
    classification: String,
    #[server(default)] reporting_cycle: String,
    #[server(default)] cut_off_day: String,
) -> Result<(), AppError> {
    use crate::server::documents::{DocumentInput, create};
    let reader = super::reader()?;
    let state = super::state()?;
    let input = DocumentInput {
        code,
        kind,
        title,
        issuing_body,
        issued_on,
        summary,
        classification,
        reporting_cycle,
        cut_off_day,
    };
    let id = super::outcome(create(&state.db, &reader, &input).await)?;
    leptos_axum::redirect(&format!("/documents/{id}?done=created"));
    Ok(())
}

/// Saves a document, if nobody changed it since `version` was read.
#[server(endpoint = "documents/update")]
pub async fn update_document(
    id: i32,
    version: i32,
    code: String,
    kind: String,
    title: String,
    issuing_body: String,
    issued_on: String,
    summary: String,
    classification: String,
    #[server(default)] reporting_cycle: String,
    #[server(default)] cut_off_day: String,
) -> Result<(), AppError> {
    use crate::server::documents::{DocumentInput, update};
    let reader = super::reader()?;
    let state = super::state()?;
    let input = DocumentInput {
        code,
        kind,
        title,
        issuing_body,
        issued_on,
        summary,
        classification,
        reporting_cycle,
        cut_off_day,
    };
    super::outcome(update(&state.db, &reader, id, version, &input).await)?;
    leptos_axum::redirect(&format!("/documents/{id}?done=saved"));
    Ok(())
}
