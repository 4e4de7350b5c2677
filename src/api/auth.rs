//! Signing in and out, and who is looking.

use crate::model::{AppError, Viewer};
use leptos::prelude::*;
use leptos::server_fn::ServerFn;

/// The sign-in endpoint, which the per-address limit watches.
pub const LOGIN_PATH: &str = <Login as ServerFn>::PATH;

/// Longest input worth checking: anything longer is no username or password of ours.
#[cfg(feature = "ssr")]
const MAX_USERNAME_CHARS: usize = 64;
#[cfg(feature = "ssr")]
const MAX_PASSWORD_CHARS: usize = 1024;

/// Signs in and sends the browser on to `next` (a path on this site) or home.
#[server(endpoint = "login")]
pub async fn login(username: String, password: String, next: String) -> Result<(), AppError> {
    use crate::model::Problem;
    use crate::server::auth::{SignIn, sign_in, start_session};

    if username.trim().is_empty() {
        return Err(super::fail(AppError::invalid(
            "username",
            Problem::Required,
        )));
    }
    if password.is_empty() {
        return Err(super::fail(AppError::invalid(
            "password",
            Problem::Required,
        )));
    }
    let state = super::state()?;
    let client = super::client();
    let plausible = username.chars().count() <= MAX_USERNAME_CHARS
        && password.chars().count() <= MAX_PASSWORD_CHARS
        && !username.chars().any(char::is_control);
    if !plausible {
        return Err(super::fail(AppError::BadCredentials));
    }
    // The attempt was counted against the address as it came in (`limit_sign_in_attempts`);
    // only failures stay counted.
    let forgive = || {
        if let Some(ip) = client.ip.as_deref().and_then(|ip| ip.parse().ok()) {
            state.login_limiter.forgive(ip);
        }
    };
    match sign_in(&state.db, &username, &password, &client)
        .await
        .map_err(super::database)?
    {
        SignIn::Refused => Err(super::fail(AppError::BadCredentials)),
        SignIn::Busy => {
            forgive();
            Err(super::fail(AppError::Busy {
                retry_after_secs: 1,
            }))
        }
        SignIn::Accepted(account) => {
            forgive();
            let session = super::session().await?;
            start_session(&session, &account, &client)
                .await
                .map_err(super::internal)?;
            let target = if account.must_change_password {
                "/account".to_owned()
            } else {
                crate::model::nav::local_path_or_home(&next)
            };
            leptos_axum::redirect(&target);
            Ok(())
        }
    }
}

/// Signs out: the session is deleted on the server, not only forgotten by the browser.
/// Anyone may call it; without a session it only sends the browser home.
#[server(endpoint = "logout")]
pub async fn logout() -> Result<(), AppError> {
    use crate::server::audit::{self, Action, Event};

    let session = super::session().await?;
    if let Some(user) = super::current_user() {
        let state = super::state()?;
        let client = super::client();
        audit::record(
            &state.db.write,
            Event::new(Action::Logout)
                .actor(Some(user.viewer.id), &user.viewer.username)
                .on_user(user.viewer.id)
                .from_ip(client.ip.as_deref()),
        )
        .await
        .map_err(super::database)?;
    }
    session.flush().await.map_err(super::internal)?;
    leptos_axum::redirect("/");
    Ok(())
}

/// The signed-in official, or `None`.
#[server(endpoint = "viewer")]
pub async fn get_viewer() -> Result<Option<Viewer>, AppError> {
    Ok(super::current_user().map(|user| user.viewer))
}
