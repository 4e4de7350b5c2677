//! Server functions: the browser's way into the server. Each is a public endpoint: it
//! reads who is calling, checks what they may do, calls a service and maps its errors.

pub mod locale;
pub mod units;

#[cfg(feature = "ssr")]
use crate::model::AppError;

/// The application state, as every server function reaches it.
#[cfg(feature = "ssr")]
pub(crate) fn state() -> Result<crate::server::AppState, AppError> {
    leptos::prelude::use_context::<crate::server::AppState>()
        .ok_or_else(|| crate::server::error::internal("the application state is not provided"))
}
