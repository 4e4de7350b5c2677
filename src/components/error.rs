//! Showing an error in the user's language.

use crate::components::labels::problem_text;
use crate::components::status::set_http_status;
use crate::i18n::*;
use crate::model::{AppError, Outage};
use crate::pages::not_found::NotFound;
use leptos::prelude::*;
use leptos_i18n::I18nContext;

/// The sentence a user reads for an error. Field-specific messages belong to the form
/// that knows the field; this is the fallback.
pub fn error_text(i18n: I18nContext<Locale>, error: &AppError) -> String {
    match error {
        AppError::NotFound => t_string!(i18n, error.not_found_text).to_owned(),
        AppError::Unauthorized => t_string!(i18n, error.unauthorized).to_owned(),
        AppError::BadCredentials => t_string!(i18n, login.failed).to_owned(),
        AppError::Forbidden => t_string!(i18n, error.forbidden).to_owned(),
        AppError::Conflict => t_string!(i18n, error.conflict).to_owned(),
        AppError::Invalid { problem, .. } => problem_text(i18n, problem),
        AppError::RateLimited { retry_after_secs } => {
            t_string!(i18n, error.rate_limited, seconds = *retry_after_secs)
        }
        AppError::Busy { retry_after_secs } => {
            t_string!(i18n, error.busy, seconds = *retry_after_secs)
        }
        AppError::Unavailable {
            retry_after_secs,
            cause,
        } => match cause {
            Outage::StorageFull => t_string!(i18n, error.storage_full, seconds = *retry_after_secs),
            Outage::Busy => t_string!(i18n, error.database_busy, seconds = *retry_after_secs),
            Outage::Unreachable => {
                t_string!(
                    i18n,
                    error.database_unreachable,
                    seconds = *retry_after_secs
                )
            }
        },
        AppError::PasswordChangeRequired => {
            t_string!(i18n, error.password_change_required).to_owned()
        }
        AppError::Internal { reference } => {
            t_string!(i18n, error.internal, reference = reference.clone())
        }
        AppError::Request => t_string!(i18n, error.request).to_owned(),
    }
}

/// The message for one field of a form, when the last answer was about that field.
pub fn field_error(
    i18n: I18nContext<Locale>,
    error: Option<&AppError>,
    field: &str,
) -> Option<String> {
    match error? {
        AppError::Invalid { field: f, problem } if f == field => Some(problem_text(i18n, problem)),
        _ => None,
    }
}

/// The message for a form as a whole: every error that is not about one field.
pub fn form_error(i18n: I18nContext<Locale>, error: Option<&AppError>) -> Option<String> {
    match error? {
        AppError::Invalid { .. } => None,
        other => Some(error_text(i18n, other)),
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

/// A list's filters refused (an impossible date, an unknown unit): the page answers 400
/// and says which filter, above the list it could not make.
#[component]
pub fn RefusedFilter(error: AppError, fields: &'static [&'static str]) -> impl IntoView {
    let i18n = use_i18n();
    set_http_status(400);
    view! {
        <p class="notice notice-error" role="alert">
            {form_error(i18n, Some(&error))
                .or_else(|| fields.iter().find_map(|f| field_error(i18n, Some(&error), f)))}
        </p>
    }
}

/// A filter in a page's address that was refused: the message of the first of `fields`
/// it names, and a link back to the page without a filter.
#[component]
pub fn FilterRefused(
    error: AppError,
    fields: &'static [&'static str],
    #[prop(into)] clear: String,
) -> impl IntoView {
    let i18n = use_i18n();
    let error = Some(error);
    view! {
        <p class="notice notice-error" role="alert">
            {fields.iter().find_map(|f| field_error(i18n, error.as_ref(), f))}
        </p>
        <p><a href=clear>{t!(i18n, docs.clear)}</a></p>
    }
}
