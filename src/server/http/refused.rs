//! What an official typed into a form the server refused comes back with the form.
//!
//! A plain form post that fails is answered by server_fn with a redirect to the page it
//! came from, carrying only the error (`__path`, `__err`). This middleware keeps the
//! typed fields of such a post in the session, and hands them to the very next page
//! that shows that error; the page puts them back into the form.

use crate::model::form::TypedForm;
use crate::server::security::{SERVER_FN_PREFIX, wants_html};
use axum::body::Body;
use axum::extract::Request;
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use http::{HeaderMap, Method, StatusCode, header};
use std::sync::{Arc, Mutex, PoisonError};
use tower_sessions::Session;

/// The session key of the last refused form.
const TYPED_KEY: &str = "typed";

/// The text fields of a multipart post being handled: its handler fills it while it reads
/// the fields (files are not kept). URL-encoded bodies are read here, and only when refused.
#[derive(Clone, Debug, Default)]
pub struct TypedCapture(Arc<Mutex<Vec<(String, String)>>>);

impl TypedCapture {
    pub fn push(&self, name: &str, value: &str) {
        self.fields().push((name.to_owned(), value.to_owned()));
    }

    fn take(&self) -> Vec<(String, String)> {
        std::mem::take(&mut *self.fields())
    }

    fn fields(&self) -> std::sync::MutexGuard<'_, Vec<(String, String)>> {
        self.0.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

/// Keeps a refused form's fields; gives them to the page that shows its error.
pub async fn keep_typed_values(session: Session, request: Request, next: Next) -> Response {
    let path = request.uri().path().to_owned();
    if request.method() == Method::POST
        && path.starts_with(SERVER_FN_PREFIX)
        && path != crate::api::feedback::SUBMIT_FEEDBACK_PATH // keeps its own drafts, sessionless
        && wants_html(request.headers())
    {
        return keep(session, path, request, next).await;
    }
    if request.method() == Method::GET
        && let Some(refused) = refused_path(request.uri().query().unwrap_or_default())
    {
        return give_back(session, refused, request, next).await;
    }
    next.run(request).await
}

async fn keep(session: Session, path: String, request: Request, next: Next) -> Response {
    let capture = TypedCapture::default();
    let (mut parts, body) = request.into_parts();
    parts.extensions.insert(capture.clone());
    let (body, encoded) = if is_url_encoded(&parts.headers) {
        // Bounded by the body limit outside; beyond it the answer becomes 413 there.
        let Ok(bytes) = axum::body::to_bytes(body, usize::MAX).await else {
            return StatusCode::BAD_REQUEST.into_response();
        };
        (Body::from(bytes.clone()), Some(bytes))
    } else {
        (body, None)
    };
    let response = next.run(Request::from_parts(parts, body)).await;
    if is_refusal(&response) {
        let fields = match encoded {
            Some(bytes) => form_urlencoded::parse(&bytes).into_owned().collect(),
            None => capture.take(),
        };
        let form = TypedForm::keep(&path, fields);
        if !form.fields.is_empty()
            && let Err(error) = session.insert(TYPED_KEY, form).await
        {
            // The refusal itself still reaches the official; only the typed values are lost.
            tracing::warn!(%error, "could not keep a refused form's values");
        }
    }
    response
}

async fn give_back(
    session: Session,
    refused: String,
    mut request: Request,
    next: Next,
) -> Response {
    // Read first: removing marks the session changed, and would write (or create, for
    // a visitor without one) a session on every page that merely shows an error.
    if let Ok(Some(form)) = session.get::<TypedForm>(TYPED_KEY).await {
        let _ = session.remove_value(TYPED_KEY).await;
        if form.path == refused {
            request.extensions_mut().insert(form);
        }
    }
    next.run(request).await
}

/// The server function whose error a page address carries, if it carries one.
pub(super) fn refused_path(query: &str) -> Option<String> {
    let mut path = None;
    let mut has_error = false;
    for (name, value) in form_urlencoded::parse(query.as_bytes()) {
        match name.as_ref() {
            "__path" => path = Some(value.into_owned()),
            "__err" => has_error = true,
            _ => {}
        }
    }
    path.filter(|_| has_error)
}

/// server_fn's answer to a plain form whose function failed: back to the page, with `__err`.
fn is_refusal(response: &Response) -> bool {
    response.status().is_redirection()
        && response
            .headers()
            .get(header::LOCATION)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|location| {
                refused_path(location.split_once('?').map_or("", |(_, q)| q)).is_some()
            })
}

fn is_url_encoded(headers: &HeaderMap) -> bool {
    headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|t| t.starts_with("application/x-www-form-urlencoded"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_an_address_with_an_error_gives_values_back() {
        assert_eq!(
            refused_path("__path=%2Fapi%2Fdocuments%2Fcreate&__err=abc"),
            Some("/api/documents/create".to_owned())
        );
        assert_eq!(refused_path("__path=%2Fapi%2Fdocuments%2Fcreate"), None);
        assert_eq!(refused_path("done=saved"), None);
    }
}
