//! Reporting periods.

use crate::model::AppError;
use crate::model::period::{PeriodsFilter, PeriodsPage};
use leptos::prelude::*;

/// `/periods`: which units below a unit have reported on a document for one period.
#[server(endpoint = "periods")]
pub async fn get_periods(
    #[server(default)] filter: PeriodsFilter,
) -> Result<PeriodsPage, AppError> {
    let reader = super::reader()?;
    let state = super::state()?;
    super::outcome(crate::server::periods::page(&state.db, &reader, &filter).await)?
        .ok_or_else(|| super::fail(AppError::NotFound))
}
