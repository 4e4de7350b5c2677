//! The signed-in official's notifications.

use crate::model::AppError;
use crate::model::notification::NotificationPage;
use leptos::prelude::*;

#[server(endpoint = "notifications")]
pub async fn list_notifications(page: u64) -> Result<NotificationPage, AppError> {
    let user = super::require_user()?;
    let reader = crate::server::access::Reader::of(&user);
    let state = super::state()?;
    let counted = user.unread_counted.then_some(user.viewer.unread);
    let mut list = super::outcome(
        crate::server::supervision::inbox::page(&state.db, &reader, page, counted).await,
    )?;
    list.reminder_days = crate::server::supervision::unit_days::of_leader(
        &state.db,
        &reader,
        &state.config.remind_before,
    )
    .await
    .map_err(super::database)?;
    Ok(list)
}

/// Sets the reminder days before a due date for the tasks the leader's unit leads
/// (empty: the server's); the browser goes back to `/notifications?done=days`.
#[server(endpoint = "notifications/reminder-days")]
pub async fn set_reminder_days(days: String) -> Result<(), AppError> {
    let reader = super::reader()?;
    let state = super::state()?;
    super::outcome(crate::server::supervision::unit_days::set(&state.db, &reader, &days).await)?;
    leptos_axum::redirect("/notifications?done=days");
    Ok(())
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
