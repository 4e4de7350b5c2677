//! Server functions: the browser's way into the server. Each is a public endpoint: it
//! reads who is calling, checks what they may do, calls a service and maps its errors.

pub mod account;
pub mod admin;
pub mod auth;
pub mod dashboard;
pub mod documents;
pub mod feedback;
pub mod indicators;
pub mod locale;
pub mod notifications;
pub mod periods;
pub mod tasks;
pub mod units;

use leptos::server_fn::ServerFn;

/// The server functions that answer anonymous callers. Every other one answers 401 to a
/// caller without a valid session, before its input is even read (the middleware in
/// `server::security`), and checks the caller again itself.
pub const PUBLIC_SERVER_FNS: &[&str] = &[
    <auth::Login as ServerFn>::PATH,
    <auth::Logout as ServerFn>::PATH,
    <auth::GetViewer as ServerFn>::PATH,
    <locale::SetLocale as ServerFn>::PATH,
    <units::GetUnitsOverview as ServerFn>::PATH,
    <units::GetUnitDetail as ServerFn>::PATH,
    <units::SearchUnits as ServerFn>::PATH,
    <feedback::GetFeedbackForm as ServerFn>::PATH,
    <feedback::SubmitFeedback as ServerFn>::PATH,
    <feedback::TrackFeedback as ServerFn>::PATH,
    <feedback::ListPublishedAnswers as ServerFn>::PATH,
];

#[cfg(feature = "ssr")]
pub(crate) use guard::*;

#[cfg(feature = "ssr")]
mod guard {
    use crate::model::{AppError, Role};
    use crate::server::auth::{Authenticated, Client, CurrentUser};
    use crate::server::security::SERVER_FN_PREFIX;
    use leptos::prelude::*;

    /// The application state, as every server function reaches it.
    pub(crate) fn state() -> Result<crate::server::AppState, AppError> {
        use_context::<crate::server::AppState>()
            .ok_or_else(|| crate::server::error::internal("the application state is not provided"))
    }

    fn request() -> Option<http::request::Parts> {
        use_context::<http::request::Parts>()
    }

    /// The signed-in official, as the authentication middleware found them.
    pub(crate) fn current_user() -> Option<CurrentUser> {
        request()?.extensions.get::<Authenticated>()?.0.clone()
    }

    pub(crate) fn client() -> Client {
        request()
            .and_then(|parts| parts.extensions.get::<Client>().cloned())
            .unwrap_or_default()
    }

    /// The caller, or `Unauthorized`.
    pub(crate) fn require_user() -> Result<CurrentUser, AppError> {
        current_user().ok_or_else(|| fail(AppError::Unauthorized))
    }

    /// The caller, if they hold one of `roles`; `Forbidden` otherwise.
    pub(crate) fn require_role(roles: &[Role]) -> Result<CurrentUser, AppError> {
        let user = require_user()?;
        if roles.contains(&user.viewer.role) {
            Ok(user)
        } else {
            Err(fail(AppError::Forbidden))
        }
    }

    /// Gives a server function's HTTP answer the error's status (401, 404...) instead of
    /// a blanket 500. While a page renders, the page keeps its own status; and a plain
    /// HTML form post keeps the redirect that carries the error back to its page (a
    /// browser does not follow the `Location` of a 401).
    pub(crate) fn fail(error: AppError) -> AppError {
        let in_server_fn =
            request().is_some_and(|p| p.uri.path().starts_with(SERVER_FN_PREFIX)) && !form_post();
        if in_server_fn
            && let (Some(response), Ok(status)) = (
                use_context::<leptos_axum::ResponseOptions>(),
                http::StatusCode::from_u16(error.status_code()),
            )
        {
            response.set_status(status);
            if let AppError::RateLimited { retry_after_secs }
            | AppError::Busy { retry_after_secs }
            | AppError::Unavailable {
                retry_after_secs, ..
            } = &error
            {
                response.insert_header(
                    http::header::RETRY_AFTER,
                    http::HeaderValue::from(*retry_after_secs),
                );
            }
        }
        error
    }

    /// Whether the request is a plain HTML form post (a browser without JavaScript): its
    /// answer is a redirect back to the page, not a status.
    pub(crate) fn form_post() -> bool {
        request().is_some_and(|p| {
            p.headers
                .get(http::header::ACCEPT)
                .and_then(|v| v.to_str().ok())
                .is_some_and(|accept| accept.contains("text/html"))
        })
    }

    /// A multipart form that carries evidence files (`files`), read field by field. The
    /// handler reads each text field with `next_text`, saying whether files may come yet:
    /// the form sends the task or indicator first, and no file is read before the access
    /// rule said the caller may report on it. What was typed comes back with a refused
    /// form (files cannot).
    pub(crate) struct UploadForm {
        multipart: multer::Multipart<'static>,
        typed: Option<crate::server::http::refused::TypedCapture>,
        pub files: Vec<crate::server::evidence::Upload>,
    }

    impl UploadForm {
        pub(crate) fn new(data: leptos::server_fn::codec::MultipartData) -> Result<Self, AppError> {
            use crate::server::http::refused::TypedCapture;
            Ok(UploadForm {
                multipart: data.into_inner().ok_or_else(|| fail(AppError::Request))?,
                typed: request().and_then(|parts| parts.extensions.get::<TypedCapture>().cloned()),
                files: Vec::new(),
            })
        }

        /// The next text field, `(name, value)`, reading the files before it (refused with
        /// "not found" unless `files_allowed`); `None` at the end of the form.
        pub(crate) async fn next_text(
            &mut self,
            files_allowed: bool,
        ) -> Result<Option<(String, String)>, AppError> {
            use crate::model::task::{
                EVIDENCE_MAX_BYTES, EVIDENCE_MAX_FILES, EVIDENCE_TOO_LARGE, EVIDENCE_TOO_MANY,
            };
            use crate::server::evidence::Upload;
            while let Some(mut part) = self
                .multipart
                .next_field()
                .await
                .map_err(|_| fail(AppError::Request))?
            {
                let name = part.name().unwrap_or_default().to_owned();
                if name != "files" {
                    let value = part.text().await.map_err(|_| fail(AppError::Request))?;
                    if let Some(typed) = &self.typed {
                        typed.push(&name, &value);
                    }
                    return Ok(Some((name, value)));
                }
                if !files_allowed {
                    return Err(fail(AppError::NotFound));
                }
                let file_name = part.file_name().unwrap_or_default().to_owned();
                let mut bytes = Vec::new();
                while let Some(chunk) = part.chunk().await.map_err(|_| fail(AppError::Request))? {
                    if bytes.len() + chunk.len() > EVIDENCE_MAX_BYTES {
                        return Err(fail(AppError::invalid("files", EVIDENCE_TOO_LARGE)));
                    }
                    bytes.extend_from_slice(&chunk);
                }
                if file_name.is_empty() && bytes.is_empty() {
                    continue; // the file input left empty
                }
                if self.files.len() >= EVIDENCE_MAX_FILES {
                    return Err(fail(AppError::invalid("files", EVIDENCE_TOO_MANY)));
                }
                self.files.push(Upload { file_name, bytes });
            }
            Ok(None)
        }
    }

    /// The caller as a reader of documents and tasks: signed in, any role.
    pub(crate) fn reader() -> Result<crate::server::access::Reader, AppError> {
        Ok(crate::server::access::Reader::of(&require_user()?))
    }

    /// A service's outcome as a server function's answer: the user's errors with their
    /// status, internal ones as a reference.
    pub(crate) fn outcome<T>(result: crate::server::work::Outcome<T>) -> Result<T, AppError> {
        result.map_err(|failure| fail(failure.shown()))
    }

    /// A database failure: 503 for an outage, 400 for text the database cannot hold, else
    /// a bug under a reference (`server::error::database`).
    pub(crate) fn database(error: sea_orm::DbErr) -> AppError {
        fail(crate::server::error::database(&error))
    }

    /// Logs an internal failure under a reference and answers with the reference only.
    pub(crate) fn internal(detail: impl std::fmt::Display) -> AppError {
        fail(crate::server::error::internal(detail))
    }

    /// The session of the request, to sign in and out.
    pub(crate) async fn session() -> Result<tower_sessions::Session, AppError> {
        leptos_axum::extract::<tower_sessions::Session>()
            .await
            .map_err(internal)
    }
}
