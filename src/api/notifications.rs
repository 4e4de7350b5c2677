//! The signed-in official's notifications.

use crate::model::AppError;
use crate::model::notification::NotificationPage;
use leptos::prelude::*;

#[server(endpoint = "notifications")]
pub async fn list_notifications(page: u64) -> Result<NotificationPage, AppError> {
    let reader = super::reader()?;
    let state = super::state()?;
    super::outcome(crate::server::supervision::inbox::page(&state.db, &reader, page).await)
}

/// Marks one notification read; the browser goes back to the page it was on.
#[server(endpoint = "notifications/read")]
pub async fn mark_notification_read(id: i64, page: u64) -> Result<(), AppError> {
    let reader = super::reader()?;
    let state = super::state()?;
    super::outcome(crate::server::supervision::inbox::mark_read(&state.db, &reader, id).await)?;
    leptos_axum::redirect(&format!("/notifications?page={}", page.max(1)));
    Ok(())
}

/// Marks read every notification up to the newest the official was shown.
#[server(endpoint = "notifications/read-all")]
pub async fn mark_all_notifications_read(up_to: i64) -> Result<u64, AppError> {
    let reader = super::reader()?;
    let state = super::state()?;
    let marked = super::outcome(
        crate::server::supervision::inbox::mark_all_read(&state.db, &reader, up_to).await,
    )?;
    leptos_axum::redirect("/notifications");
    Ok(marked)
}
