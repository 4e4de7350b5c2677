//! Showing an error in the user's language.

use crate::components::status::set_http_status;
use crate::i18n::*;
use crate::model::{AppError, Problem};
use crate::pages::not_found::NotFound;
use leptos::prelude::*;
use leptos_i18n::I18nContext;

/// The sentence a user reads for an error. Field-specific messages belong to the form
/// that knows the field; this is the fallback.
pub fn error_text(i18n: I18nContext<Locale>, error: &AppError) -> String {
    match error {
        AppError::NotFound => t_string!(i18n, error.not_found_text).to_owned(),
        AppError::Unauthorized => t_string!(i18n, error.unauthorized).to_owned(),
        AppError::Forbidden => t_string!(i18n, error.forbidden).to_owned(),
        AppError::Invalid {
            problem: Problem::TooLong { max },
            ..
        } => t_string!(i18n, error.too_long, max = *max),
        AppError::Invalid { .. } => t_string!(i18n, error.invalid).to_owned(),
        AppError::RateLimited { retry_after_secs } => {
            t_string!(i18n, error.rate_limited, seconds = *retry_after_secs)
        }
        AppError::Internal { reference } => {
            t_string!(i18n, error.internal, reference = reference.clone())
        }
        AppError::Request => t_string!(i18n, error.request).to_owned(),
    }
}

/// A failed page: the not-found page for `NotFound` (with status 404), otherwise the
/// message with the error's status.
#[component]
pub fn ErrorPage(error: AppError) -> impl IntoView {
    if error == AppError::NotFound {
        return view! { <NotFound /> }.into_any();
    }
    let i18n = use_i18n();
    set_http_status(error.status_code());
    let text = error_text(i18n, &error);
    view! {
        <section class="page">
            <h1>{t!(i18n, error.generic_title)}</h1>
            <p class="notice notice-error" role="alert">{text}</p>
        </section>
    }
    .into_any()
}
