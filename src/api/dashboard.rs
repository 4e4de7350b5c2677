//! Dashboards.

use crate::model::AppError;
use crate::model::dashboard::{Dashboard, DashboardFilter};
use leptos::prelude::*;

/// The dashboard of the unit with `code` (the caller's own unit when empty).
#[server(endpoint = "dashboard")]
pub async fn get_dashboard(
    #[server(default)] code: String,
    #[server(default)] filter: DashboardFilter,
) -> Result<Dashboard, AppError> {
    let reader = super::reader()?;
    let state = super::state()?;
    let code = Some(code.trim()).filter(|c| !c.is_empty());
    super::outcome(crate::server::dashboard::dashboard(&state.db, &reader, code, &filter).await)?
        .ok_or_else(|| super::fail(AppError::NotFound))
}
