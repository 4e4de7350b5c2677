//! Choosing the interface language without JavaScript: a plain form posts here, the
//! cookie is set, and the browser is sent back to the page it came from.

use crate::model::AppError;
use leptos::prelude::*;

#[server(endpoint = "locale")]
pub async fn set_locale(locale: String, next: String) -> Result<(), AppError> {
    use crate::app::{LOCALE_COOKIE, LOCALE_COOKIE_MAX_AGE_SECS};
    use crate::i18n::Locale;
    use crate::model::Problem;
    use http::{HeaderValue, header::SET_COOKIE};

    let locale: Locale = locale
        .parse()
        .map_err(|_| super::fail(AppError::invalid("locale", Problem::Unknown)))?;
    let cookie = format!(
        "{LOCALE_COOKIE}={locale}; Path=/; Max-Age={LOCALE_COOKIE_MAX_AGE_SECS}; SameSite=Lax"
    );
    let response = expect_context::<leptos_axum::ResponseOptions>();
    response.append_header(
        SET_COOKIE,
        HeaderValue::from_str(&cookie).map_err(super::internal)?,
    );
    // A signed-in official's email follows the language they chose.
    if let Some(user) = super::current_user() {
        let state = super::state()?;
        crate::server::users::set_locale(&state.db, user.viewer.id, locale.as_ref())
            .await
            .map_err(super::database)?;
    }
    leptos_axum::redirect(&crate::model::nav::local_path_or_home(&next));
    Ok(())
}
