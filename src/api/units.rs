//! The unit hierarchy. Units are public administrative facts: no sign-in is needed.

use crate::model::unit::MAX_QUERY_CHARS;
use crate::model::{AppError, Problem, UnitDetail, UnitSearch, UnitsOverview};
use leptos::prelude::*;

#[server(endpoint = "units/overview")]
pub async fn get_units_overview() -> Result<UnitsOverview, AppError> {
    let state = super::state()?;
    crate::server::units::overview(&state.db.read)
        .await
        .map_err(super::database)
}

#[server(endpoint = "units/detail")]
pub async fn get_unit_detail(code: String) -> Result<UnitDetail, AppError> {
    if code.len() > 32 {
        return Err(super::fail(AppError::NotFound));
    }
    let state = super::state()?;
    crate::server::units::detail(&state.db.read, &code)
        .await
        .map_err(super::database)?
        .ok_or_else(|| super::fail(AppError::NotFound))
}

#[server(endpoint = "units/search")]
pub async fn search_units(query: String) -> Result<UnitSearch, AppError> {
    check_query(&query).map_err(super::fail)?;
    let state = super::state()?;
    crate::server::units::search(&state.db.read, &query)
        .await
        .map_err(super::database)
}

/// A search query is refused, not cut, when it is too long: a cut query finds the wrong things.
pub fn check_query(query: &str) -> Result<(), AppError> {
    if query.chars().count() > MAX_QUERY_CHARS {
        return Err(AppError::invalid(
            "q",
            Problem::TooLong {
                max: MAX_QUERY_CHARS as u32,
            },
        ));
    }
    Ok(())
}
