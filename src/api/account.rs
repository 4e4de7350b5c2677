//! The signed-in official's own account: profile, password, sessions.

use crate::model::{Account, AppError};
use leptos::prelude::*;

#[server(endpoint = "account")]
pub async fn get_account() -> Result<Account, AppError> {
    let user = super::require_user()?;
    let state = super::state()?;
    crate::server::users::account(&state.db, user.viewer, &user.session_key)
        .await
        .map_err(super::database)
}

/// Changes the password; every other session of the official ends. On success the
/// browser goes to `/account?done=password`.
#[server(endpoint = "account/password")]
pub async fn change_password(
    current: String,
    new: String,
    confirm: String,
) -> Result<(), AppError> {
    use crate::model::Problem;
    use crate::server::users::{PasswordChangeError, change_password};

    let user = super::require_user()?;
    if current.is_empty() {
        return Err(super::fail(AppError::invalid("current", Problem::Required)));
    }
    if new != confirm {
        return Err(super::fail(AppError::invalid("confirm", Problem::Mismatch)));
    }
    let state = super::state()?;
    let client = super::client();
    match change_password(
        &state.db,
        user.viewer.id,
        &current,
        &new,
        &user.session_key,
        client.ip.as_deref(),
    )
    .await
    {
        Ok(()) => {}
        Err(PasswordChangeError::WrongCurrent) => {
            return Err(super::fail(AppError::invalid(
                "current",
                Problem::Incorrect,
            )));
        }
        Err(PasswordChangeError::Unacceptable(problem)) => {
            return Err(super::fail(AppError::invalid("new", problem)));
        }
        Err(PasswordChangeError::Locked) => {
            return Err(super::fail(AppError::invalid(
                "current",
                Problem::Locked {
                    minutes: crate::model::account::LOCKOUT_MINUTES as u32,
                },
            )));
        }
        Err(PasswordChangeError::Busy(_)) => {
            return Err(super::fail(AppError::Busy {
                retry_after_secs: 1,
            }));
        }
        Err(error) => return Err(super::internal(error)),
    }
    // A new session id for the session that changed the password, too.
    let session = super::session().await?;
    session.cycle_id().await.map_err(super::internal)?;
    leptos_axum::redirect("/account?done=password");
    Ok(())
}

/// Ends one of the official's sessions (another browser, a lost phone). Ending the
/// current one signs out.
#[server(endpoint = "account/revoke")]
pub async fn revoke_session(handle: String) -> Result<(), AppError> {
    use crate::server::audit::{self, Action, Event};

    let user = super::require_user()?;
    let state = super::state()?;
    let txn = state.db.begin_write().await.map_err(super::database)?;
    let ended = crate::server::sessions::end_one_of_user(&txn, user.viewer.id, &handle)
        .await
        .map_err(super::database)?;
    if !ended {
        return Err(super::fail(AppError::NotFound));
    }
    let client = super::client();
    audit::record(
        &txn,
        Event::new(Action::SessionRevoked)
            .actor(Some(user.viewer.id), &user.viewer.username)
            .on("session", handle.chars().take(12).collect::<String>())
            .from_ip(client.ip.as_deref()),
    )
    .await
    .map_err(super::database)?;
    txn.commit().await.map_err(super::database)?;
    if handle == user.session_key {
        super::session()
            .await?
            .flush()
            .await
            .map_err(super::internal)?;
        leptos_axum::redirect("/");
    } else {
        leptos_axum::redirect("/account?done=revoked");
    }
    Ok(())
}

/// Which kinds of notification the official gets in the daily email: one field per kind,
/// present (a ticked box) when wanted. On success the browser goes to `/account?done=mail`.
#[server(endpoint = "account/mail")]
#[allow(clippy::too_many_arguments)]
pub async fn set_mail_preferences(
    #[server(default)] task_assigned: Option<String>,
    #[server(default)] report_awaiting: Option<String>,
    #[server(default)] report_accepted: Option<String>,
    #[server(default)] report_returned: Option<String>,
    #[server(default)] due_soon: Option<String>,
    #[server(default)] overdue: Option<String>,
    #[server(default)] overdue_daily: Option<String>,
    #[server(default)] escalated: Option<String>,
    #[server(default)] feedback_assigned: Option<String>,
    #[server(default)] extension_asked: Option<String>,
    #[server(default)] extension_decided: Option<String>,
    #[server(default)] value_awaiting: Option<String>,
    #[server(default)] value_accepted: Option<String>,
    #[server(default)] value_returned: Option<String>,
) -> Result<(), AppError> {
    use crate::model::notification::NotificationKind as K;
    let user = super::require_user()?;
    let state = super::state()?;
    let wanted = [
        (K::TaskAssigned, task_assigned),
        (K::ReportAwaiting, report_awaiting),
        (K::ReportAccepted, report_accepted),
        (K::ReportReturned, report_returned),
        (K::DueSoon, due_soon),
        (K::Overdue, overdue),
        (K::OverdueDaily, overdue_daily),
        (K::Escalated, escalated),
        (K::FeedbackAssigned, feedback_assigned),
        (K::ExtensionAsked, extension_asked),
        (K::ExtensionDecided, extension_decided),
        (K::ValueAwaiting, value_awaiting),
        (K::ValueAccepted, value_accepted),
        (K::ValueReturned, value_returned),
    ];
    let off: Vec<K> = wanted
        .into_iter()
        .filter(|(_, ticked)| ticked.is_none())
        .map(|(kind, _)| kind)
        .collect();
    crate::server::users::set_mail_off(&state.db, user.viewer.id, &off)
        .await
        .map_err(super::database)?;
    leptos_axum::redirect("/account?done=mail");
    Ok(())
}
